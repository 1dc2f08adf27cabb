/* 担当者コンソール: what htmx does not do. On the live pages (queue, conversation) htmx (vendor/htmx.min.js) posts the
   actions and puts the server's parts in place; this script keeps drafts and focus, sends replies in the background,
   listens for live updates, and does the keys, the sound and desktop notification and the title count. Plain script,
   no build step; the pages work without it. */
/* global document, window, EventSource, DOMParser, location, setInterval, URLSearchParams */
(function () {
  'use strict';

  var body = document.body;
  var baseTitle = document.title;
  /* Which page this is travels with the main part, which htmx replaces when an action leads to another page. */
  function live() {
    var main = document.getElementById('main');
    return main && main.getAttribute('data-live');
  }
  function handoffId() {
    var main = document.getElementById('main');
    return main && main.getAttribute('data-handoff-id');
  }
  /* The address of the live page in view, from its main part: the browser's address changes a moment after htmx puts
     another page's main part in place, and an error shown in place of a page has none. */
  function livePath() {
    if (live() === 'queue') return '/console/';
    if (live() === 'handoff' && handoffId()) return '/console/handoffs/' + encodeURIComponent(handoffId());
    return null;
  }

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

  /* On a narrow screen the conversation is one column that the page scrolls, its reply box stuck to the bottom. */
  function oneColumn() {
    var composer = document.getElementById('composer');
    return !!composer && window.getComputedStyle(composer).position === 'sticky';
  }

  function scrollTranscript() {
    var list = document.querySelector('.transcript');
    if (list) list.scrollTop = list.scrollHeight;
    if (list && oneColumn()) window.scrollTo(0, document.documentElement.scrollHeight);
  }

  function transcriptAtEnd() {
    var list = document.querySelector('.transcript');
    if (!list) return true;
    if (oneColumn()) return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 40;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  /* What the staff member is typing or has chosen survives a refresh of the part it sits in. */
  function keepInputs(oldRegion, newRegion, sent) {
    oldRegion.querySelectorAll('textarea[id], select[id], input[id]:not([type=hidden])').forEach(function (el) {
      /* What was just sent is not a draft any more; the server gives it back itself when sending failed. */
      if (sent && el.form === sent) return;
      var twin = newRegion.querySelector('#' + el.id);
      if (twin && twin.tagName === el.tagName) twin.value = el.value;
    });
  }

  /* The server's markup of each live part as last put in, to tell whether a live update changes it. */
  var rendered = {};
  function remember() {
    rendered = {};
    document.querySelectorAll('[data-live-region]').forEach(function (r) {
      rendered[r.id] = r.outerHTML;
    });
  }

  /* htmx makes the requests and puts the server's parts in place (see htmx.ts). Here only what it does not do: keep
     drafts and unchanged parts, the scroll position, focus, the title count, and the time each action took. */
  var requests = new WeakMap(); /* xhr → { form, refresh, quiet, path, main, started } */
  var swapping = null; /* the request whose answer is being put in place */
  var quietRefresh = false;
  var acting = 0; /* actions on their way */

  document.addEventListener('htmx:beforeRequest', function (e) {
    var elt = e.detail.elt;
    if (elt.tagName === 'FORM') acting++;
    requests.set(e.detail.xhr, {
      form: elt.tagName === 'FORM' ? elt : null,
      refresh: elt === body,
      quiet: quietRefresh,
      path: livePath(),
      main: document.getElementById('main'),
      started: window.performance.now(),
    });
  });

  document.addEventListener('htmx:beforeSwap', function (e) {
    var info = requests.get(e.detail.xhr) || {};
    /* A live update for a page that was left meanwhile (its parts are not on this one: another page, or an error shown
       in place of this one) is dropped; one that comes while an action is on its way would swap away the form whose
       answer htmx is waiting for: it comes again. */
    var left = info.path !== livePath() || info.main !== document.getElementById('main');
    if (info.refresh && (left || acting > 0)) {
      e.detail.shouldSwap = false;
      info.again = !left;
    }
    info.atEnd = transcriptAtEnd() || !!info.form;
    swapping = info;
  });

  document.addEventListener('htmx:oobBeforeSwap', function (e) {
    var target = e.detail.target;
    var fresh = e.detail.fragment.firstElementChild;
    if (!fresh || !target.hasAttribute('data-live-region')) return;
    /* A live update leaves alone what has not changed, so a button is not swapped away under a click. After an
       action every part is put back as the server sent it (the sent form empty, its button enabled again). */
    var markup = fresh.outerHTML;
    if (swapping && swapping.refresh && rendered[target.id] === markup) {
      e.detail.shouldSwap = false;
      return;
    }
    rendered[target.id] = markup;
    keepInputs(target, fresh, swapping && swapping.form);
  });

  document.addEventListener('htmx:afterRequest', function (e) {
    var xhr = e.detail.xhr;
    var info = requests.get(xhr);
    /* htmx tells a second time, on a parent, when the form was swapped away; once is enough. */
    if (!info || info.done) return;
    info.done = true;
    swapping = null;
    if (info.form) acting--;
    if (info.again) refresh(info.quiet);
    if (xhr.status === 401 || (xhr.responseURL && xhr.responseURL.indexOf('/console/login') !== -1)) {
      location.reload(); /* signed out meanwhile: the sign-in page, and back here afterwards */
      return;
    }
    if (!xhr.status) {
      if (info.form) showError('通信できませんでした。入力した内容はそのまま残っています。接続を確かめて、もう一度送信してください。');
      return;
    }
    var navigated = document.getElementById('main') !== info.main;
    if (navigated) {
      /* Another page (the conversation after claiming from the queue, the queue after closing). */
      baseTitle = document.title;
      selected = -1;
      remember();
    }
    if (navigated || info.atEnd) scrollTranscript();
    updateTitle();
    filterFacets();
    if (info.refresh) {
      if (!info.quiet) announce('最新の状態に更新しました');
      return;
    }
    if (info.form) {
      placeFocus(info.form, xhr.status < 400);
      /* The time from the submit to the updated page, read by the browser tests that print it. */
      body.setAttribute('data-action-ms', String(Math.round(window.performance.now() - info.started)));
    }
  });

  var pending = null;
  var refreshing = false;
  /* The live parts of this page afresh (the server answers htmx with the parts only). */
  function refresh(quiet) {
    clearTimeout(pending);
    /* Several events in a burst (claim = system entry + event + push) cause one request. */
    pending = setTimeout(function () {
      if (refreshing) return refresh(quiet);
      var path = livePath();
      if (!path) return; /* no live page in view (an error shown in its place) */
      refreshing = true;
      quietRefresh = !!quiet;
      window.htmx
        .ajax('GET', path, { source: body, swap: 'none' })
        .catch(function () {
          /* The next event or reconnect tries again. */
        })
        .then(function () {
          refreshing = false;
        });
    }, 150);
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
      if (live() === 'queue' || event.handoffId === handoffId()) refresh();
      if (event.type === 'opened' || (event.type === 'updated' && event.urgent)) alertStaff(event);
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

  /* Before htmx sees it (capture): a reply goes to the outbox, a canned reply into the box. An empty reply is left to
     htmx, and the server's refusal comes back in place. */
  document.addEventListener(
    'submit',
    function (e) {
      var form = e.target;
      if ((form.hasAttribute('data-insert') && insertTemplate(form)) || (form.hasAttribute('data-background') && queueReply(form))) {
        e.preventDefault();
        e.stopPropagation();
      }
    },
    true,
  );

  /* Closing would leave a reply still waiting in the outbox undeliverable (the conversation is no longer with staff). */
  document.addEventListener('htmx:confirm', function (e) {
    if (/\/close$/.test(e.detail.path) && document.querySelector('#outbox > li')) {
      e.preventDefault();
      showError('送信中か、送信できなかった返信があります。送信が終わるか、入力欄に戻してから終了してください。');
    }
  });

  /* The other pages' forms (templates, knowledge base) are ordinary posts. */
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented) return; /* htmx has it */
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

  /* Replies go out in the background: the message waits in the outbox under the transcript (送信中), the box is free
     for the next one at once, and a slow or failing LINE never holds the page. They are sent one after another, in
     the order written, so the parent reads them in that order. A failed one stays with 再送する and 入力欄に戻す. */
  var outboxQueue = [];
  var outboxBusy = false;
  function queueReply(form) {
    var box = form.querySelector('textarea');
    var outbox = document.getElementById('outbox');
    if (!box || !outbox || !window.htmx || !box.value.trim()) return false;
    var item = document.createElement('li');
    item.className = 'msg msg--staff msg--pending';
    var meta = document.createElement('p');
    meta.className = 'msg__meta';
    var state = document.createElement('span');
    state.className = 'msg__state';
    meta.appendChild(state);
    var text = document.createElement('p');
    text.className = 'msg__text';
    text.textContent = box.value;
    item.appendChild(meta);
    item.appendChild(text);
    outbox.appendChild(item);
    var job = { item: item, state: state, action: form.action, text: box.value, csrf: form.querySelector('input[name=_csrf]').value };
    box.value = '';
    box.focus();
    enqueue(job);
    return true;
  }
  function setState(job, name, label) {
    job.item.setAttribute('data-state', name);
    job.item.classList.toggle('msg--pending', name === 'sending');
    job.item.classList.toggle('msg--failed', name === 'failed');
    job.state.textContent = label;
    var old = job.item.querySelector('.msg__buttons');
    if (old) old.remove();
  }
  function enqueue(job) {
    setState(job, 'sending', '送信中…');
    outboxQueue.push(job);
    pump();
  }
  function pump() {
    if (outboxBusy || !outboxQueue.length) return;
    outboxBusy = true;
    var job = outboxQueue.shift();
    var started = window.performance.now();
    /* Posted like htmx posts the other forms; the parts that come back go in through htmx. */
    fetch(job.action, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: job.csrf, text: job.text }),
      credentials: 'same-origin',
      headers: { accept: 'text/html', 'HX-Request': 'true', 'HX-Current-URL': location.href },
    })
      .then(function (res) {
        return res.text().then(function (html) {
          if (res.ok && res.headers.get('HX-Retarget') === null) {
            /* Now in the transcript, as sent; the half-written next reply stays in the box. */
            job.item.remove();
            var atEnd = transcriptAtEnd();
            swapping = { form: null };
            window.htmx.swap(document.getElementById('notices'), html, { swapStyle: 'none' });
            swapping = null;
            if (atEnd) scrollTranscript();
            updateTitle();
            filterFacets();
            announce('返信を送信しました');
            body.setAttribute('data-action-ms', String(Math.round(window.performance.now() - started)));
          } else {
            /* Not with staff any more (closed meanwhile): the server's reason says more than "failed". */
            var notice = new DOMParser().parseFromString(html, 'text/html').querySelector('.notice');
            failed(job, res.status === 409 && notice ? notice.textContent : null);
          }
        });
      })
      .catch(function () {
        failed(job, null);
      })
      .then(function () {
        outboxBusy = false;
        pump();
      });
  }
  function failed(job, why) {
    setState(job, 'failed', why || '送信できませんでした（保護者には届いていません）');
    var buttons = document.createElement('div');
    buttons.className = 'msg__buttons';
    var retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'button';
    retry.textContent = '再送する';
    retry.addEventListener('click', function () {
      enqueue(job);
    });
    var back = document.createElement('button');
    back.type = 'button';
    back.className = 'button';
    back.textContent = '入力欄に戻す';
    back.addEventListener('click', function () {
      var box = document.getElementById('reply-text');
      if (!box) return;
      box.value = job.text + (box.value ? '\n' + box.value : '');
      job.item.remove();
      box.focus();
    });
    buttons.appendChild(retry);
    buttons.appendChild(back);
    job.item.appendChild(buttons);
    announce('返信を送信できませんでした。再送するか、入力欄に戻してください。');
  }
  /* Leaving with a reply not yet sent would lose it. */
  window.addEventListener('beforeunload', function (e) {
    if (document.querySelector('#outbox > li')) e.preventDefault();
  });

  /* A canned reply goes into the reply box where the cursor was (replacing a selection), ready to be edited. */
  function insertTemplate(form) {
    var select = form.querySelector('select');
    var box = document.getElementById('reply-text');
    var chosen = select && select.options[select.selectedIndex];
    if (!box || !chosen) return false;
    var text = chosen.getAttribute('data-text') || '';
    var start = box.selectionStart;
    var end = box.selectionEnd;
    box.setRangeText(text, start, end, 'end');
    box.focus();
    box.dispatchEvent(new window.Event('input', { bubbles: true }));
    return true;
  }

  function showError(text) {
    var box = document.getElementById('notices');
    if (!box) return;
    var div = document.createElement('div');
    div.className = 'notice notice--error';
    div.setAttribute('role', 'alert');
    div.textContent = text;
    box.replaceChildren(div);
  }

  /* Where the next keystroke goes: after an error, back to what was being written; otherwise the reply box (or the
     claim button), or on the queue the first conversation. */
  function placeFocus(form, ok) {
    var target = null;
    if (!ok) {
      var field = form.querySelector('textarea[id], select[id]');
      target = (field && document.getElementById(field.id)) || document.querySelector('#notices .notice');
    }
    if (!target) target = document.querySelector('#composer [data-focus-first]');
    if (!target) target = document.querySelector('.queue .item__link');
    if (!target) target = document.getElementById('main');
    if (target) {
      if (target.classList.contains('notice')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }

  /* Keyboard: the common moves without the mouse (the help dialog lists them). */
  var selected = -1;
  function queueItems() {
    return Array.prototype.slice.call(document.querySelectorAll('.queue > li'));
  }
  function select(step) {
    var items = queueItems();
    if (!items.length) return;
    var current = items.indexOf(document.activeElement && document.activeElement.closest ? document.activeElement.closest('.queue > li') : null);
    var from = current !== -1 ? current : selected;
    selected = Math.max(0, Math.min(items.length - 1, from === -1 ? 0 : from + step));
    items.forEach(function (li, i) {
      li.classList.toggle('item--selected', i === selected);
    });
    var link = items[selected].querySelector('.item__link');
    if (link) link.focus();
  }
  function focusField(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    el.focus();
    if (typeof el.setSelectionRange === 'function') el.setSelectionRange(el.value.length, el.value.length);
    return true;
  }
  function openHelp() {
    var help = document.getElementById('shortcuts');
    if (help && typeof help.showModal === 'function' && !help.open) help.showModal();
  }

  document.addEventListener('keydown', function (e) {
    if (e.isComposing || e.keyCode === 229) return; /* the Japanese input method is converting */
    var t = e.target;
    var tag = t && t.tagName;
    var typing = tag === 'TEXTAREA' || tag === 'INPUT' || tag === 'SELECT' || (t && t.isContentEditable);
    if (typing) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && tag === 'TEXTAREA' && t.form) {
        e.preventDefault();
        t.form.requestSubmit();
      } else if (e.key === 'Escape' && !t.closest('dialog')) {
        t.blur();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector('dialog[open]')) return;
    var done = true;
    if (e.key === '?') openHelp();
    else if (e.key === 'j') select(1);
    else if (e.key === 'k') select(-1);
    else if (e.key === 'r') done = focusField('reply-text');
    else if (e.key === 'n') done = focusField('note-text');
    else if (e.key === 'c') {
      var claim =
        live() === 'queue'
          ? document.querySelector('.queue > li.item--selected form[action$="/claim"]')
          : document.querySelector('#composer form[action$="/claim"]');
      if (claim) claim.requestSubmit();
      else done = false;
    } else if (e.key === 'Escape' && live() === 'handoff') {
      var draft = document.getElementById('reply-text');
      if (!draft || !draft.value.trim() || window.confirm('書きかけの返信があります。受付一覧へ戻りますか？')) location.assign('/console/');
    } else done = false;
    if (done) e.preventDefault();
  });

  /* A sound and a desktop notification for new and urgent handoffs, once the staff member has asked for them with
     the header button (the browser's permission is never asked for otherwise). The event carries ids only, so the
     notification says that something came, never what. */
  var NOTIFY_KEY = 'kc-console-notify';
  var notifyButton = document.getElementById('notify-toggle');
  var audio = null;
  function notifyOn() {
    try {
      return window.localStorage.getItem(NOTIFY_KEY) === 'on' && window.Notification.permission === 'granted';
    } catch {
      return false;
    }
  }
  function showNotifyState() {
    if (!notifyButton) return;
    var on = notifyOn();
    notifyButton.textContent = on ? '通知: オン' : '通知をオンにする';
    notifyButton.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  /* Browsers let a page make sound only after the person has interacted with it: the context is made or resumed then. */
  function wakeAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!audio) audio = new Ctx();
    if (audio.state === 'suspended') audio.resume().catch(function () {});
  }
  function beep(times) {
    if (!audio) return;
    for (var i = 0; i < times; i++) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var at = audio.currentTime + i * 0.3;
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.25);
    }
  }
  function alertStaff(event) {
    if (!notifyOn()) return;
    beep(event.urgent ? 3 : 1);
    try {
      var n = new window.Notification(event.urgent ? '至急の相談が届きました' : '新しい相談が届きました', {
        body: '担当者コンソールの受付一覧で確認してください。',
        tag: 'kc-' + event.handoffId,
        requireInteraction: !!event.urgent,
      });
      n.onclick = function () {
        window.focus();
        location.assign('/console/handoffs/' + event.handoffId);
      };
    } catch {
      /* Notifications unavailable here (the sound has played). */
    }
  }
  if (notifyButton && typeof window.Notification === 'function') {
    notifyButton.hidden = false;
    showNotifyState();
    notifyButton.addEventListener('click', function () {
      wakeAudio();
      if (notifyOn()) {
        window.localStorage.setItem(NOTIFY_KEY, 'off');
        showNotifyState();
        return;
      }
      window.Notification.requestPermission().then(function (permission) {
        if (permission === 'granted') {
          window.localStorage.setItem(NOTIFY_KEY, 'on');
          beep(1);
        } else {
          announce('通知が許可されませんでした。ブラウザのサイトの設定で、通知を許可してください。');
        }
        showNotifyState();
      });
    });
    var wakeIfOn = function () {
      if (notifyOn()) wakeAudio();
    };
    document.addEventListener('pointerdown', wakeIfOn);
    document.addEventListener('keydown', wakeIfOn);
  }

  var helpButton = document.getElementById('shortcuts-open');
  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener('click', openHelp);
  }

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

  remember();
  updateTitle();
  filterFacets();
  scrollTranscript();
  if (live() && window.htmx && typeof EventSource === 'function') {
    connect();
    setInterval(updateDurations, 30000);
  }
})();
