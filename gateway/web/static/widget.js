// The embeddable chat: <script src="https://HOST/widget.js" data-business="slug" async></script>
// A launcher bubble (in a shadow root: the site's CSS cannot reach it) opens the chat panel,
// an iframe served by the gateway. Optional: data-lang="es" for the interface language.
(function () {
  'use strict';
  var script = document.currentScript ||
    document.querySelector('script[data-business][src*="widget.js"]');
  if (!script) return;
  var slug = script.getAttribute('data-business') || '';
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) return;
  if (document.querySelector('[data-switchboard="' + slug + '"]')) return;  // pasted twice
  var origin = new URL(script.src, location.href).origin;
  var asked = (script.getAttribute('data-lang') || document.documentElement.lang || navigator.language || 'en').slice(0, 2).toLowerCase();
  var LABELS = {en: {open: 'Chat with us', close: 'Close chat'}, es: {open: 'Chatea con nosotros', close: 'Cerrar chat'}};
  var L = LABELS[asked] || LABELS.en;
  var CSS = [
    ':host { all: initial; }',
    '.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0;',
    '  background: #2563eb; color: #fff; box-shadow: 0 4px 14px rgba(0,0,0,.25); cursor: pointer; z-index: 2147483646;',
    '  display: flex; align-items: center; justify-content: center; padding: 0; }',
    '.launcher:focus-visible { outline: 3px solid #f59e0b; outline-offset: 3px; }',
    '.launcher svg { width: 28px; height: 28px; fill: currentColor; }',
    '.panel { position: fixed; right: 20px; bottom: 88px; width: 370px; height: min(600px, calc(100vh - 110px));',
    '  border-radius: 12px; overflow: hidden; box-shadow: 0 8px 30px rgba(0,0,0,.3); z-index: 2147483647; background: #fff; }',
    '.panel[hidden] { display: none; }',
    'iframe { border: 0; width: 100%; height: 100%; display: block; }',
    '@media (max-width: 480px) { .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }',
    '  :host([data-open]) .launcher { display: none; } }'
  ].join('\n');
  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

  var storeKey = 'switchboard:' + slug;  // the visitor token, in this site's own storage
  function stored() { try { return localStorage.getItem(storeKey); } catch (e) { return null; } }
  function keep(token) {
    try { if (token) localStorage.setItem(storeKey, token); else localStorage.removeItem(storeKey); } catch (e) { /* blocked */ }
  }

  function mount() {
    var host = document.createElement('div');
    host.setAttribute('data-switchboard', slug);
    var root = host.attachShadow({mode: 'open'});
    try {  // a constructed sheet is not subject to the site's style-src
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      var style = document.createElement('style');
      style.textContent = CSS;
      root.appendChild(style);
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'launcher';
    button.setAttribute('aria-label', L.open);
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'panel');
    button.innerHTML = ICON;  // a constant: no outside data
    var panel = document.createElement('div');
    panel.className = 'panel';
    panel.id = 'panel';
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', L.open);
    var frame = null;

    function focusFrame() {
      if (!frame || panel.hidden) return;
      frame.focus();
      if (frame.contentWindow) frame.contentWindow.postMessage({type: 'switchboard:focus'}, origin);
    }
    function open() {
      if (!frame) {
        frame = document.createElement('iframe');
        frame.title = L.open;
        var lang = script.getAttribute('data-lang') || document.documentElement.lang;
        var token = stored();
        frame.src = origin + '/chat/' + slug + '/widget' + (lang ? '?lang=' + encodeURIComponent(lang.slice(0, 2)) : '') +
          (token ? '#t=' + encodeURIComponent(token) : '');
        frame.addEventListener('load', focusFrame);
        panel.appendChild(frame);
      }
      panel.hidden = false;
      host.setAttribute('data-open', '');
      button.setAttribute('aria-expanded', 'true');
      button.setAttribute('aria-label', L.close);
      focusFrame();
    }
    function close() {
      panel.hidden = true;
      host.removeAttribute('data-open');
      button.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-label', L.open);
      button.focus();
    }
    button.addEventListener('click', function () { if (panel.hidden) open(); else close(); });
    window.addEventListener('message', function (ev) {
      if (ev.origin !== origin || !frame || ev.source !== frame.contentWindow) return;
      if (ev.data && ev.data.type === 'switchboard:close') close();
      if (ev.data && ev.data.type === 'switchboard:token' && typeof ev.data.token === 'string') keep(ev.data.token);
    });
    document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape' && !panel.hidden) close(); });
    root.appendChild(button);
    root.appendChild(panel);
    document.body.appendChild(host);
  }

  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
