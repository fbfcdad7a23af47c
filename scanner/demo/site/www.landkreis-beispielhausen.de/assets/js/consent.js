/* Cookie-Hinweis – Landkreis Beispielhausen (selbst gehostet, v2.3)
   Fiktives Demo-Portal (govscan). Absichtliche Fehler: Vor jeder Entscheidung
   laufen Google Analytics, Google Fonts und YouTube bereits. Nach „Nur notwendige
   Cookies“ unterbleibt zwar die Messung (der Tag liest bh_consent), das Skript des
   Tag-Managers, Google Fonts und YouTube werden aber weiter geladen. */
(function () {
  'use strict';
  var NAME = 'bh_consent';

  function leseAuswahl() {
    var m = document.cookie.match(/(?:^|;\s*)bh_consent=(all|necessary)(?:;|$)/);
    return m ? m[1] : null;
  }

  function speichere(wert) {
    document.cookie = NAME + '=' + wert + '; path=/; Max-Age=31536000; SameSite=Lax';
  }

  function zeigeHinweis() {
    if (leseAuswahl()) { return; }
    var box = document.createElement('div');
    box.className = 'consent';
    box.id = 'cookie-hinweis';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-labelledby', 'consent-titel');
    box.setAttribute('aria-describedby', 'consent-text');
    box.innerHTML =
      '<div class="consent-inner">' +
      '<h2 id="consent-titel">Datenschutzeinstellungen</h2>' +
      '<p id="consent-text">Wir verwenden Cookies und ähnliche Technologien, um unser Angebot ' +
      'nutzerfreundlich zu gestalten und die Nutzung statistisch auszuwerten. Technisch notwendige ' +
      'Cookies werden immer gesetzt. Weitere Informationen finden Sie in unserer ' +
      '<a href="/datenschutz/">Datenschutzerklärung</a>.</p>' +
      '<div class="consent-buttons">' +
      '<button type="button" data-consent="all">Alle akzeptieren</button>' +
      '<button type="button" data-consent="necessary">Nur notwendige Cookies</button>' +
      '</div></div>';
    box.addEventListener('click', function (ev) {
      var knopf = ev.target.closest('button[data-consent]');
      if (!knopf) { return; }
      var wert = knopf.getAttribute('data-consent');
      speichere(wert);
      if (typeof window.gtag === 'function') {
        window.gtag('consent', 'update', { analytics_storage: wert === 'all' ? 'granted' : 'denied' });
      }
      box.remove();
    });
    document.body.appendChild(box);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', zeigeHinweis);
  } else {
    zeigeHinweis();
  }
})();
