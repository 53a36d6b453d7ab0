// Streams replies into the chat page as they are written. Without this script the page refreshes
// itself until the reply is done, so everything works without JavaScript too.
(function () {
  'use strict';

  function follow(element) {
    var url = element.getAttribute('data-stream') + '?after=' + encodeURIComponent(element.getAttribute('data-after') || '0');
    var status = element.closest('li, .draft').querySelector('[data-status]');
    var source = new EventSource(url);
    var finished = false;

    function finish() {
      if (finished) { return; }
      finished = true;
      source.close();
      // The page shows the finished reply's buttons (retry, continue, thumbs) once reloaded.
      window.setTimeout(function () { window.location.reload(); }, 250);
    }

    source.addEventListener('queue', function (event) {
      var position = JSON.parse(event.data).position;
      if (status) { status.textContent = position === 1 ? 'next in line' : 'waiting: ' + position + ' in the queue'; }
    });
    source.addEventListener('token', function (event) {
      element.appendChild(document.createTextNode(JSON.parse(event.data).text));
      if (status) { status.textContent = 'writing'; }
    });
    source.addEventListener('done', function (event) {
      var data = JSON.parse(event.data);
      // cmark output in safe mode, rendered by the server.
      if (typeof data.html === 'string') { element.innerHTML = data.html; }
      element.classList.remove('streaming');
      finish();
    });
    source.addEventListener('error', function (event) {
      // A named "error" event from the server carries data; a dropped connection does not, and
      // EventSource reconnects by itself, resuming after the last event id it saw.
      if (event.data) { finish(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-stream]'), follow);

  var composer = document.getElementById('composer-text');
  if (composer) {
    // Enter sends, Shift+Enter starts a new line, as in most chat apps.
    composer.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (composer.value.trim() !== '') { composer.form.requestSubmit(); }
      }
    });
  }
})();
