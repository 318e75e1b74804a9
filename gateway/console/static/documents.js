// The documents page: while any document is being read, poll status.json and update the
// rows in place (the reading runs in a worker); reload once everything has settled.
(function () {
  'use strict';
  var table = document.getElementById('sources');
  if (!table) return;
  var busy = ['pending', 'ingesting', 'removing'];
  function inProgress() {
    return Array.prototype.some.call(table.querySelectorAll('tr[data-state]'), function (tr) {
      return busy.indexOf(tr.dataset.state) >= 0;
    });
  }
  async function poll() {
    var r = await fetch(table.dataset.status, {credentials: 'same-origin'});
    if (!r.ok) return;
    var data = await r.json();
    var settled = true;
    data.sources.forEach(function (s) {
      var tr = table.querySelector('tr[data-id="' + s.id + '"]');
      if (!tr) return;
      tr.dataset.state = s.status;
      tr.querySelector('.state').textContent = s.status + (s.progress ? ' · ' + s.progress : '') + (s.error ? ' · ' + s.error : '');
      tr.querySelector('.chunks').textContent = s.chunks;
      if (busy.indexOf(s.status) >= 0) settled = false;
    });
    if (settled || data.sources.length !== table.querySelectorAll('tr[data-id]').length) location.reload();
    else setTimeout(poll, 2000);
  }
  if (inProgress()) setTimeout(poll, 2000);
})();
