// The console's live parts: the inbox list and a conversation's transcript, fed by SSE.
// Everything coming from the server is set with textContent: customer text is never HTML.
var Console = (function () {
  'use strict';

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function connect(url, handlers) {
    var live = document.getElementById('live');
    var source = new EventSource(url);
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (ev) { handlers[name](JSON.parse(ev.data)); });
    });
    source.onopen = function () { if (live) live.classList.add('on'); };
    source.onerror = function () { if (live) live.classList.remove('on'); };
    return source;
  }

  // New conversations waiting for a person: the tab's title counts them and, once the staff
  // member allowed it (the inbox's "Notify me" button), the browser shows a notification.
  var known = null;
  function notifyNew(items) {
    var waiting = items.filter(function (it) { return !it.assigned; });
    document.title = (waiting.length ? '(' + waiting.length + ') ' : '') + document.title.replace(/^\(\d+\) /, '');
    var ids = items.map(function (it) { return String(it.conversation_id); });
    if (known !== null && window.Notification && Notification.permission === 'granted') {
      items.forEach(function (it) {
        if (known.indexOf(String(it.conversation_id)) < 0) new Notification(it.who + ' needs a person', {body: it.reason, tag: 'sb-' + it.conversation_id});
      });
    }
    known = ids;
  }

  function renderInbox(items) {
    notifyNew(items);
    var list = document.getElementById('inbox');
    var empty = document.getElementById('empty');
    list.replaceChildren();
    items.forEach(function (it) {
      var li = el('li', 'item p' + Math.min(it.priority, 3));
      li.dataset.conversation = it.conversation_id;
      var a = el('a');
      a.href = it.url;
      a.appendChild(el('span', 'badge', it.priority_label));
      var who = el('span', 'who', it.who);
      if (it.unread) {
        who.appendChild(document.createTextNode(' '));
        var badge = el('span', 'unread', it.unread);
        badge.title = 'unread messages';
        who.appendChild(badge);
      }
      a.appendChild(who);
      if (it.vip) a.appendChild(el('span', 'vip', 'VIP'));
      var meta = it.network + ' · ' + it.reason + ' · ' + it.status + (it.assigned ? ' by ' + it.assigned : '');
      a.appendChild(el('span', 'muted', meta));
      var t = el('time', null, it.since);
      t.dateTime = it.since;
      a.appendChild(t);
      a.appendChild(el('span', 'last', it.last));
      li.appendChild(a);
      list.appendChild(li);
    });
    empty.hidden = items.length > 0;
    prettyTimes();
  }

  function upsertMessage(m) {
    var list = document.getElementById('transcript');
    var li = list.querySelector('li[data-id="' + m.id + '"]');
    if (li) {
      var status = li.querySelector('.status');
      if (status) status.textContent = m.status;
      return;
    }
    li = el('li', 'msg ' + m.direction + ' ' + m.author);
    li.dataset.id = m.id;
    li.appendChild(el('span', 'text', m.text));
    var meta = el('span', 'meta', m.author + ' · ');
    meta.appendChild(el('span', 'status', m.status));
    meta.appendChild(document.createTextNode(' · '));
    var t = el('time', null, m.at);
    t.dateTime = m.at;
    meta.appendChild(t);
    li.appendChild(meta);
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
    prettyTimes();
  }

  function showState(s) {
    var state = document.getElementById('state');
    if (state && s.state) state.textContent = s.state;
    var handoff = document.getElementById('handoff-status');
    if (handoff && s.handoff) handoff.textContent = s.handoff;
  }

  function prettyTimes() {
    document.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.dateTime);
      if (!isNaN(d)) t.textContent = d.toLocaleString();
    });
  }

  return {
    inbox: function (eventsUrl) {
      prettyTimes();
      var ask = document.getElementById('notify');
      if (ask && window.Notification && Notification.permission === 'default') {
        ask.hidden = false;
        ask.addEventListener('click', function () { Notification.requestPermission().then(function () { ask.hidden = true; }); });
      }
      connect(eventsUrl, {inbox: renderInbox});
    },
    conversation: function (eventsUrl, conversationId, after) {
      prettyTimes();
      var list = document.getElementById('transcript');
      list.scrollTop = list.scrollHeight;
      var canned = document.getElementById('canned');
      if (canned) canned.addEventListener('change', function () {
        if (!canned.value) return;
        var box = document.querySelector('form.reply textarea');
        box.value = canned.value;
        canned.selectedIndex = 0;
        box.focus();
      });
      var url = eventsUrl + '?conversation=' + encodeURIComponent(conversationId) + '&after=' + encodeURIComponent(after);
      connect(url, {message: upsertMessage, state: showState});
    }
  };
})();
