/* 担当者コンソール: live updates and small conveniences. Plain script, no build step; the pages work without it. */
/* global document, window, EventSource, DOMParser, location, setInterval */
(function () {
  'use strict';

  var body = document.body;
  var live = body.getAttribute('data-live');
  var handoffId = body.getAttribute('data-handoff-id');
  var baseTitle = document.title;

  /* Same rule as src/adapters/console/format.ts elapsedText. */
  function elapsedText(ms) {
    var minutes = Math.floor(Math.max(0, ms) / 60000);
    if (minutes < 1) return '1分未満';
    if (minutes < 60) return minutes + '分';
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return minutes % 60 ? hours + '時間' + (minutes % 60) + '分' : hours + '時間';
    return Math.floor(hours / 24) + '日';
  }

  function updateDurations() {
    var now = Date.now();
    document.querySelectorAll('[data-since]').forEach(function (el) {
      el.textContent = elapsedText(now - Number(el.getAttribute('data-since'))) + (el.getAttribute('data-suffix') || '');
    });
  }

  function updateTitle() {
    var queue = document.getElementById('queue');
    var waiting = queue ? Number(queue.getAttribute('data-waiting')) : 0;
    document.title = waiting > 0 ? '(' + waiting + ') ' + baseTitle : baseTitle;
  }

  function scrollTranscript() {
    var list = document.querySelector('.transcript');
    if (list) list.scrollTop = list.scrollHeight;
  }

  function transcriptAtEnd() {
    var list = document.querySelector('.transcript');
    return !list || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  /* What the staff member is typing or has chosen survives a refresh of the part it sits in. */
  function keepInputs(oldRegion, newRegion) {
    oldRegion.querySelectorAll('textarea[id], select[id], input[id]:not([type=hidden])').forEach(function (el) {
      var twin = newRegion.querySelector('#' + el.id);
      if (twin && twin.tagName === el.tagName) twin.value = el.value;
    });
  }

  var pending = null;
  var running = false;
  function refresh(quiet) {
    clearTimeout(pending);
    /* Several events in a burst (claim = system entry + event + push) cause one fetch. */
    pending = setTimeout(function () {
      if (running) return refresh(quiet);
      running = true;
      fetch(location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (res) {
          if (res.redirected && res.url.indexOf('/console/login') !== -1) {
            location.reload();
            return null;
          }
          return res.ok ? res.text() : null;
        })
        .then(function (text) {
          if (text) swap(new DOMParser().parseFromString(text, 'text/html'), quiet);
        })
        .catch(function () {
          /* The next event or reconnect tries again. */
        })
        .then(function () {
          running = false;
        });
    }, 150);
  }

  function swap(doc, quiet) {
    var atEnd = transcriptAtEnd();
    var active = document.activeElement;
    var activeId = active && active.id;
    var selection = active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
    document.querySelectorAll('[data-live-region]').forEach(function (oldRegion) {
      var fresh = doc.getElementById(oldRegion.id);
      if (!fresh) return;
      keepInputs(oldRegion, fresh);
      oldRegion.replaceWith(document.importNode(fresh, true));
    });
    if (activeId) {
      var again = document.getElementById(activeId);
      if (again && again !== document.activeElement) {
        again.focus();
        if (selection && typeof again.setSelectionRange === 'function') again.setSelectionRange(selection[0], selection[1]);
      }
    }
    if (atEnd) scrollTranscript();
    updateTitle();
    filterFacets();
    if (!quiet) announce('最新の状態に更新しました');
  }

  var status = document.getElementById('connection');
  function announce(text) {
    if (status) status.textContent = text;
  }

  function connect() {
    var first = true;
    var source = new EventSource('/console/events');
    source.addEventListener('handoff', function (e) {
      var event;
      try {
        event = JSON.parse(e.data);
      } catch {
        return;
      }
      if (live === 'queue' || event.handoffId === handoffId) refresh();
    });
    source.addEventListener('ready', function () {
      /* Events sent before the subscription was live are lost: those since this page was rendered (a handoff arriving
         while the page loads), or while a dropped connection was away. Reload the parts once; quietly the first time,
         when nothing is likely to have changed. */
      refresh(first);
      first = false;
      announce('');
    });
    source.addEventListener('error', function () {
      if (source.readyState === EventSource.CLOSED) {
        announce('自動更新が止まっています。しばらくすると再接続します。');
        setTimeout(function () {
          refresh();
          connect();
        }, 15000);
      } else {
        announce('自動更新の接続を回復しています…');
      }
    });
  }

  /* Only the facets the chosen entry has can be sent. */
  function filterFacets() {
    var intent = document.getElementById('answer-intent');
    var facet = document.getElementById('answer-facet');
    if (!intent || !facet) return;
    var chosen = intent.options[intent.selectedIndex];
    var has = chosen && chosen.getAttribute('data-facets') ? chosen.getAttribute('data-facets').split(' ') : null;
    Array.prototype.forEach.call(facet.options, function (o) {
      o.disabled = !!has && has.indexOf(o.value) === -1;
    });
    if (facet.options[facet.selectedIndex] && facet.options[facet.selectedIndex].disabled) facet.value = 'overview';
  }

  document.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'answer-intent') filterFacets();
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      e.preventDefault();
      return;
    }
    /* One click, one message: a second click while the first is on its way would send twice. */
    var button = form.querySelector('button[type=submit]');
    if (button) {
      setTimeout(function () {
        button.disabled = true;
        button.setAttribute('aria-busy', 'true');
      }, 0);
    }
  });

  /* Coming back with the browser's back button shows the page as it was left, buttons included. */
  window.addEventListener('pageshow', function (e) {
    if (!e.persisted) return;
    document.querySelectorAll('button[aria-busy]').forEach(function (b) {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    });
  });

  /* The outcome message (?m=…) is for this visit only; a reload should not announce it again. */
  if (/[?&]m=/.test(location.search) && window.history && window.history.replaceState) {
    window.history.replaceState(null, '', location.pathname);
  }

  updateTitle();
  filterFacets();
  scrollTranscript();
  if (live && typeof EventSource === 'function') {
    connect();
    setInterval(updateDurations, 30000);
  }
})();
