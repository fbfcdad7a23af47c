// govscan: records who writes to the visitor's device, in every frame, before the page's own scripts run.
// Each write is reported with the script stack to the Python binding __govscanRecord; values are sent
// only so that govscan can hash them, never stored in clear. Criteria for canvas read-backs follow
// Englehardt & Narayanan (2016), "Online Tracking: A 1-million-site Measurement and Analysis".
(() => {
  if (window.__govscanInstrumented) return;
  Object.defineProperty(window, '__govscanInstrumented', { value: true });
  const binding = window.__govscanRecord;
  const MAX_REPORTS = 400;
  let reports = 0;
  const report = (kind, data) => {
    if (typeof binding !== 'function' || reports >= MAX_REPORTS) return;
    reports += 1;
    try {
      binding(kind, Object.assign({ frame: String(location.href) }, data)).catch(() => {});
    } catch (error) { /* a closed page or frame: nothing to record */ }
  };
  const STACK_URL = /((?:https?|blob):\/\/[^\s()]+?):(\d+):(\d+)\)?\s*$/;
  const stack = () => {
    const found = [];
    for (const line of String(new Error().stack || '').split('\n').slice(2)) {
      const match = line.match(STACK_URL);
      if (match) found.push([match[1], Number(match[2])]);
      if (found.length >= 8) break;
    }
    return found;
  };
  const wrap = (owner, name, make) => {
    const original = owner && owner[name];
    if (typeof original !== 'function') return;
    Object.defineProperty(owner, name, { value: make(original), configurable: true, writable: true });
  };

  // Cookies written by scripts, and whether the browser kept them.
  const cookieProperty = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookieProperty && cookieProperty.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: cookieProperty.enumerable,
      get() { return cookieProperty.get.call(this); },
      set(value) {
        const result = cookieProperty.set.call(this, value);
        try {
          const line = String(value);
          const name = line.split(';')[0].split('=')[0].trim();
          const jar = String(cookieProperty.get.call(this) || '');
          const stored = jar.split('; ').some((pair) => pair.split('=')[0] === name);
          report('cookie', { line, stored, stack: stack() });
        } catch (error) { /* never disturb the page */ }
        return result;
      },
    });
  }

  // Web storage, IndexedDB, service workers, beacons.
  wrap(window.Storage && Storage.prototype, 'setItem', (original) => function (key, value) {
    let kind = 'session';
    try { kind = this === window.localStorage ? 'local' : 'session'; } catch (error) { /* sandboxed */ }
    report('storage', { kind, key: String(key), stack: stack() });
    return original.apply(this, arguments);
  });
  wrap(window.IDBFactory && IDBFactory.prototype, 'open', (original) => function (name) {
    report('indexeddb', { name: String(name), stack: stack() });
    return original.apply(this, arguments);
  });
  wrap(window.ServiceWorkerContainer && ServiceWorkerContainer.prototype, 'register',
    (original) => function (scriptURL, options) {
      report('service_worker', {
        script: String(scriptURL), scope: options && options.scope ? String(options.scope) : null, stack: stack(),
      });
      return original.apply(this, arguments);
    });
  wrap(window.Navigator && Navigator.prototype, 'sendBeacon', (original) => function (url) {
    report('beacon', { url: String(url), stack: stack() });
    return original.apply(this, arguments);
  });

  // Canvas read-backs that look like fingerprinting.
  const canvases = new WeakMap();
  const stateOf = (canvas) => {
    let state = canvases.get(canvas);
    if (!state) {
      state = { text: '', colours: new Set(), saveRestore: false, listener: false };
      canvases.set(canvas, state);
    }
    return state;
  };
  const context2d = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  for (const name of ['fillText', 'strokeText']) {
    wrap(context2d, name, (original) => function (text) {
      const state = stateOf(this.canvas);
      state.text = (state.text + String(text)).slice(0, 500);
      state.colours.add(String(name === 'fillText' ? this.fillStyle : this.strokeStyle));
      return original.apply(this, arguments);
    });
  }
  for (const name of ['save', 'restore']) {
    wrap(context2d, name, (original) => function () {
      stateOf(this.canvas).saveRestore = true;
      return original.apply(this, arguments);
    });
  }
  wrap(window.HTMLCanvasElement && HTMLCanvasElement.prototype, 'addEventListener', (original) => function () {
    stateOf(this).listener = true;
    return original.apply(this, arguments);
  });
  const readBack = (canvas, method, area, lossy) => {
    const state = stateOf(canvas);
    const distinct = new Set(state.text).size;
    const fingerprintLike = canvas.width >= 16 && canvas.height >= 16 && area >= 256 && !lossy
      && (distinct >= 10 || state.colours.size >= 2) && !state.saveRestore && !state.listener;
    report('canvas', {
      method, width: canvas.width, height: canvas.height, distinct_chars: distinct,
      colours: state.colours.size, fingerprint_like: fingerprintLike, stack: stack(),
    });
  };
  wrap(window.HTMLCanvasElement && HTMLCanvasElement.prototype, 'toDataURL', (original) => function (type) {
    try {
      readBack(this, 'toDataURL', this.width * this.height, /jpe?g|webp/i.test(String(type || '')));
    } catch (error) { /* never disturb the page */ }
    return original.apply(this, arguments);
  });
  wrap(context2d, 'getImageData', (original) => function (sx, sy, sw, sh) {
    try { readBack(this.canvas, 'getImageData', Math.abs(sw * sh), false); } catch (error) { /* ignore */ }
    return original.apply(this, arguments);
  });
})();
