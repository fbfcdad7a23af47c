// govscan: tells the capture what a page still has in hand after the network went quiet, in every frame.
// A tag that writes its cookie from a short timer (setTimeout 300 ms after load) leaves no request in
// flight, so a network-quiet window alone reads the jar before the write on some visits and after it on
// others. Counted: timers due within HORIZON ms, and the time of the last cookie or storage write.
// Timers set from inside counted timers count for MAX_DEPTH hops only, and timers set from intervals
// or animation frames not at all, so a polling loop cannot hold the capture (the cap is the backstop).
// Timers of govscan's own injected scripts (autoconsent polls every 0.5 s) have no page URL on their
// stack and are not counted.
(() => {
  if (window.__govscanSettle) return;
  const HORIZON = __HORIZON__;
  const MAX_DEPTH = 2;
  const pending = new Map(); // timer id -> when it is due (performance.now())
  let depth = 0; // how many counted timers led to the code running now
  let lastWrite = -1;
  const now = () => performance.now();
  const PAGE_CODE = /(?:https?|blob):\/\//;
  const calledByPage = () => PAGE_CODE.test(String(new Error().stack || ''));
  const nativeSetTimeout = window.setTimeout;
  const nativeClearTimeout = window.clearTimeout;
  const atDepth = (level, callback) => function () {
    const outer = depth;
    depth = level;
    try { return callback.apply(this, arguments); } finally { depth = outer; }
  };
  const replace = (owner, name, make) => {
    const original = owner && owner[name];
    if (typeof original !== 'function') return;
    Object.defineProperty(owner, name, { value: make(original), configurable: true, writable: true });
  };

  replace(window, 'setTimeout', () => function (handler, delay, ...rest) {
    const wait = Math.max(0, Number(delay) || 0);
    const level = depth + 1;
    if (typeof handler !== 'function' || wait > HORIZON || level > MAX_DEPTH || !calledByPage()) {
      return nativeSetTimeout.apply(window, arguments);
    }
    let id;
    const run = atDepth(level, handler);
    id = nativeSetTimeout.call(window, function () {
      pending.delete(id);
      return run.apply(this, rest);
    }, wait);
    pending.set(id, now() + wait);
    return id;
  });
  replace(window, 'clearTimeout', () => function (id) {
    pending.delete(id);
    return nativeClearTimeout.apply(window, arguments);
  });
  for (const name of ['setInterval', 'requestAnimationFrame']) {
    replace(window, name, (original) => function (handler, ...rest) {
      const callback = typeof handler === 'function' ? atDepth(MAX_DEPTH, handler) : handler;
      return original.call(window, callback, ...rest);
    });
  }

  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: cookie.enumerable,
      get() { return cookie.get.call(this); },
      set(value) { lastWrite = now(); return cookie.set.call(this, value); },
    });
  }
  for (const name of ['setItem', 'removeItem', 'clear']) {
    replace(window.Storage && Storage.prototype, name, (original) => function () {
      lastWrite = now();
      return original.apply(this, arguments);
    });
  }

  // [ms until the last counted timer is due (-1: none), ms since the last write (-1: none)]
  Object.defineProperty(window, '__govscanSettle', {
    value: () => {
      const at = now();
      let due = -1;
      for (const when of pending.values()) due = Math.max(due, when - at, 0);
      return [due, lastWrite < 0 ? -1 : at - lastWrite];
    },
  });
})();
