// The chat panel: the hosted page /chat/<slug> and the iframe the embeddable widget opens.
// The visitor is a signed token (never a cookie: on the business's own site the gateway's
// cookie is not sent). The hosted page keeps it in its localStorage; in the widget the script
// on the site keeps it (a framed page's storage may be blocked or shared between sites), hands
// it over in the frame's #fragment and gets each renewed one back by postMessage.
// Message text is always set as text, never as HTML.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('config').textContent);
  var S = config.strings;
  var log = document.getElementById('log');
  var status = document.getElementById('status');
  var typing = document.getElementById('typing');
  var input = document.getElementById('text');
  var storeKey = 'switchboard:' + config.slug;
  var seen = new Set();
  var pending = new Map();
  var token = null;
  var source = null;
  var typingTimer = null;

  var handed = new URLSearchParams(location.hash.slice(1)).get('t');

  function stored() {
    if (config.embedded) return handed;
    try { return localStorage.getItem(storeKey); } catch (e) { return null; }
  }
  function keep(value) {
    if (config.embedded) {
      handed = value;
      window.parent.postMessage({type: 'switchboard:token', slug: config.slug, token: value || ''}, '*');
      return;
    }
    try { if (value) localStorage.setItem(storeKey, value); else localStorage.removeItem(storeKey); } catch (e) { /* storage blocked: memory only */ }
  }
  function sleep(ms) { return new Promise(function (res) { setTimeout(res, ms); }); }
  function newId() {
    var raw = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2);
    return raw.replace(/-/g, '');
  }

  async function fetchToken() {
    var headers = {};
    var old = token || stored();
    if (old) headers['X-Visitor-Token'] = old;
    var r = await fetch(config.base + '/session', {method: 'POST', headers: headers, credentials: 'same-origin'});
    if (!r.ok) throw new Error('session ' + r.status);
    token = (await r.json()).token;
    keep(token);
    return token;
  }

  function meta(who, iso) {
    var span = document.createElement('span');
    span.className = 'meta';
    var when = iso ? new Date(iso) : new Date();
    if (who) span.appendChild(document.createTextNode(who + ' · '));
    var time = document.createElement('time');
    time.dateTime = when.toISOString();
    time.textContent = when.toLocaleTimeString(config.lang, {hour: '2-digit', minute: '2-digit'});
    span.appendChild(time);
    return span;
  }

  function render(direction, text, who, iso) {
    var div = document.createElement('div');
    div.className = 'msg ' + direction;
    var body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    div.appendChild(body);
    div.appendChild(meta(who, iso));
    return div;
  }

  function add(div) {
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function showTyping() {
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 20000);
  }
  function hideTyping() { typing.hidden = true; clearTimeout(typingTimer); }

  function options(buttons) {
    var row = document.createElement('div');
    row.className = 'options';
    buttons.forEach(function (b) {
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = b.title;
      btn.addEventListener('click', function () { send(b.title, b.id); });
      row.appendChild(btn);
    });
    return row;
  }

  function bubble(item) {
    if (item.id && seen.has(item.id)) return;
    if (item.id) seen.add(item.id);
    if (item.direction === 'in' && item.client_id && pending.has(item.client_id)) {
      var mine = pending.get(item.client_id);  // our own echo: now stored
      pending.delete(item.client_id);
      mine.classList.remove('pending', 'failed');
      return;
    }
    var staff = item.author === 'staff';
    if (item.direction === 'out') hideTyping();
    var who = item.direction === 'in' ? S.you : (staff ? (item.name || config.business) : config.business);
    var div = render(item.direction, item.text, who, item.at);
    if (staff) div.classList.add('staff');
    (item.images || []).forEach(function (url) {
      if (!/^https?:\/\//.test(url)) return;
      var img = document.createElement('img');
      img.src = url; img.alt = ''; img.loading = 'lazy';
      div.insertBefore(img, div.lastChild);
    });
    if (item.buttons && item.buttons.length) div.insertBefore(options(item.buttons), div.lastChild);
    add(div);
  }

  async function post(body) {
    for (var attempt = 0; attempt < 4; attempt++) {  // the same id: a retry is never stored twice
      try {
        if (!token) await fetchToken();
        var r = await fetch(config.base + '/messages', {
          method: 'POST',
          headers: {'Content-Type': 'application/json', 'X-Visitor-Token': token},
          body: JSON.stringify(body)
        });
        if (r.ok) { status.textContent = ''; return true; }
        if (r.status === 401) { token = null; keep(null); reconnect(); continue; }
        var err = await r.json().catch(function () { return {}; });
        status.textContent = err.detail || S.failed;
        return false;
      } catch (e) {
        status.textContent = S.reconnecting;
        await sleep(1000 * (attempt + 1));
      }
    }
    return false;
  }

  async function send(text, payload) {
    var id = newId();
    var div = render('in', text, S.you);
    div.classList.add('pending');
    pending.set(id, div);
    add(div);
    var body = {id: id, text: text};
    if (payload) body.payload = payload;
    showTyping();
    if (await post(body)) { div.classList.remove('pending'); return; }
    hideTyping();
    div.classList.add('failed');
    div.title = S.failed;
    div.tabIndex = 0;
    div.setAttribute('role', 'button');
    var retry = async function (ev) {
      if (ev.type === 'keydown' && ev.key !== 'Enter' && ev.key !== ' ') return;
      div.classList.remove('failed');
      showTyping();
      if (await post(body)) { div.classList.remove('pending'); div.removeAttribute('role'); div.removeAttribute('tabindex'); }
      else { hideTyping(); div.classList.add('failed'); }
    };
    div.addEventListener('click', retry);
    div.addEventListener('keydown', retry);
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(config.base + '/events?token=' + encodeURIComponent(token));
    source.onopen = function () { status.textContent = ''; };
    source.onmessage = function (ev) { bubble(JSON.parse(ev.data)); status.textContent = ''; };
    source.onerror = function () {
      status.textContent = S.reconnecting;
      if (source.readyState === EventSource.CLOSED) setTimeout(reconnect, 2000);  // e.g. 401: a new token
    };
  }

  async function reconnect() {
    try { await fetchToken(); connect(); } catch (e) { setTimeout(reconnect, 5000); }
  }

  document.getElementById('send').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
    input.focus();
  });

  if (config.embedded) {
    var close = function () { window.parent.postMessage({type: 'switchboard:close'}, '*'); };
    document.getElementById('close').addEventListener('click', close);
    document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') close(); });
    window.addEventListener('message', function (ev) {
      if (ev.source === window.parent && ev.data && ev.data.type === 'switchboard:focus') input.focus();
    });
  }

  // The standing marketing offer: pressed once, it is a grant recorded with exactly this label
  // (the bot confirms it and says how to stop); hidden afterwards on this device.
  var offers = document.getElementById('offers');
  var offersKey = storeKey + ':offers';
  try { offers.hidden = localStorage.getItem(offersKey) === 'asked'; } catch (e) { offers.hidden = false; }
  offers.addEventListener('click', function () {
    offers.hidden = true;
    try { localStorage.setItem(offersKey, 'asked'); } catch (e) { /* storage blocked */ }
    send(S.consent_offer, config.consent_payload);
  });

  var hello = render('out', S.greeting, config.business);
  hello.classList.add('greeting');
  add(hello);
  reconnect();
})();
