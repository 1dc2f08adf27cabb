// The simulator page: every action is posted to /simulator/api/send, which turns it into a signed LINE webhook
// event; the chat itself (both sides) arrives over Server-Sent Events from /simulator/api/stream, so what is shown
// is exactly what the bot sent through the LINE API stand-in.
import { actionButton, locationCard, renderMessage, stickerImage } from './flex.js';

const USER_ID_KEY = 'kosodate-simulator:userId';
const USER_ID = /^U[0-9a-f]{32}$/;
const MAX_TEXT = 5000;
/** How long the "typing" dots wait for an answer before giving up. */
const TYPING_TIMEOUT_MS = 10_000;

const $ = (id) => document.getElementById(id);
const ui = {
  chat: $('chat'),
  scroller: $('scroller'),
  typing: $('typing'),
  quick: $('quick-replies'),
  status: $('status'),
  connection: $('connection'),
  userId: $('user-id'),
  form: $('composer'),
  input: $('message'),
  menuToggle: $('richmenu-toggle'),
  menuItems: $('richmenu-items'),
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// The simulated person

function newUserId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `U${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function loadUserId() {
  let id = null;
  try {
    id = localStorage.getItem(USER_ID_KEY);
  } catch {
    /* storage disabled: a fresh id per visit */
  }
  if (id && USER_ID.test(id)) return id;
  return saveUserId(newUserId());
}

function saveUserId(id) {
  try {
    localStorage.setItem(USER_ID_KEY, id);
  } catch {
    /* storage disabled */
  }
  return id;
}

let userId = loadUserId();

// ---------------------------------------------------------------------------------------------------------------
// Status line and connection

let statusTimer;
function showStatus(message) {
  clearTimeout(statusTimer);
  ui.status.textContent = message;
  statusTimer = setTimeout(() => (ui.status.textContent = ''), 6000);
}

function setConnection(state, label) {
  ui.connection.dataset.state = state;
  ui.connection.textContent = label;
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

let typingTimer;
function showTyping(on) {
  clearTimeout(typingTimer);
  ui.typing.hidden = !on;
  if (on) {
    typingTimer = setTimeout(() => (ui.typing.hidden = true), TYPING_TIMEOUT_MS);
    scrollToBottom();
  }
}

async function send(payload) {
  clearQuickReplies();
  if (payload.kind !== 'unfollow') showTyping(true);
  try {
    const res = await fetch('/simulator/api/send', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, ...payload }),
    });
    if (!res.ok) {
      showTyping(false);
      const body = await res.json().catch(() => ({}));
      showStatus(
        res.status === 400
          ? `送信できませんでした（${(body.problems ?? []).join(' / ') || '入力を確認してください'}）`
          : `送信できませんでした（HTTP ${res.status}${body.webhookStatus ? `, webhook ${body.webhookStatus}` : ''}）`,
      );
    }
    return res.ok;
  } catch {
    showTyping(false);
    showStatus('送信できませんでした（サーバーに接続できません）');
    return false;
  }
}

/** What tapping a button, chip or tappable Flex element does. uri actions are links and never get here. */
function onAction(action) {
  switch (action?.type) {
    case 'postback':
      if (action.inputOption === 'openKeyboard') {
        ui.input.value = action.fillInText ?? '';
        ui.input.focus();
      }
      return void send({
        kind: 'postback',
        data: action.data,
        ...(action.displayText || action.text ? { displayText: action.displayText ?? action.text } : {}),
      });
    case 'message':
      return void send({ kind: 'text', text: action.text });
    case 'location':
      return void send({ kind: 'location' });
    case 'camera':
    case 'cameraRoll':
      return void send({ kind: 'image' });
    case 'clipboard':
      navigator.clipboard?.writeText(action.clipboardText ?? '').then(
        () => showStatus('コピーしました'),
        () => showStatus('コピーできませんでした'),
      );
      return;
    default:
      showStatus(`この操作（${action?.type ?? '不明'}）はシミュレーターでは使えません`);
  }
}
const ctx = { onAction };

// ---------------------------------------------------------------------------------------------------------------
// The chat

let lastEntry;
let lastRow;

const timeFormat = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit' });

function userContent(echo) {
  switch (echo.type) {
    case 'text':
      return el('div', 'bubble bubble-text', echo.text);
    case 'sticker':
      return stickerImage();
    case 'image': {
      const img = el('img', 'bubble-image');
      img.src = '/simulator/assets/image.svg';
      img.alt = '画像（サンプル）';
      return img;
    }
    case 'location':
      return locationCard(echo.title, echo.address);
    default:
      return el('div', 'bubble bubble-text', echo.text ?? '');
  }
}

function renderEntry(entry) {
  if (entry.from === 'user' && entry.echo.type === 'system') {
    const note = el('div', 'system-note');
    note.append(el('span', '', entry.echo.text));
    return note;
  }
  const mine = entry.from === 'user';
  const row = el('div', `row ${mine ? 'user' : 'bot'}`);
  const continued = !mine && lastEntry?.from === 'bot';
  if (!mine) {
    const avatar = el('div', 'avatar small', continued ? '' : '子');
    avatar.setAttribute('aria-hidden', 'true');
    if (continued) avatar.classList.add('is-blank');
    row.append(avatar);
  }
  const column = el('div', 'column');
  const who = el('span', mine || continued ? 'visually-hidden' : 'name', mine ? 'あなた:' : '子育てコンシェルジュ');
  column.append(who);
  const line = el('div', 'line');
  let content;
  try {
    content = mine ? userContent(entry.echo) : renderMessage(entry.message, ctx);
  } catch {
    content = el('div', 'bubble bubble-placeholder', '［表示できないメッセージ］');
  }
  const time = el('time', 'time', timeFormat.format(new Date(entry.at)));
  time.dateTime = new Date(entry.at).toISOString();
  line.append(content, time);
  column.append(line);
  row.append(column);
  if (continued) row.classList.add('continued');
  return row;
}

function appendEntry(entry) {
  ui.chat.querySelector('.empty')?.remove();
  lastRow = renderEntry(entry);
  ui.chat.append(lastRow);
  lastEntry = entry;
  if (entry.from === 'bot') showTyping(false);
  updateQuickReplies();
  scrollToBottom();
}

function renderHistory(entries) {
  ui.chat.setAttribute('aria-busy', 'true');
  ui.chat.replaceChildren();
  lastEntry = undefined;
  if (!entries.length) ui.chat.append(el('p', 'empty', '「友だち追加」を押すか、下の欄にメッセージを入力して送ってみてください。メニューからも選べます。'));
  for (const entry of entries) appendEntry(entry);
  ui.chat.removeAttribute('aria-busy');
  showTyping(false);
  updateQuickReplies();
  scrollToBottom();
}

/** LINE shows quick replies only while the message carrying them is the latest in the chat. */
function updateQuickReplies() {
  const items = lastEntry?.from === 'bot' ? lastEntry.message?.quickReply?.items : undefined;
  if (!Array.isArray(items) || !items.length) return clearQuickReplies();
  ui.quick.replaceChildren(...items.map((item) => actionButton(item.action, 'chip', ctx)));
  ui.quick.hidden = false;
}

function clearQuickReplies() {
  // Keep keyboard users somewhere sensible when the chip they pressed disappears.
  const hadFocus = ui.quick.contains(document.activeElement);
  ui.quick.replaceChildren();
  ui.quick.hidden = true;
  if (hadFocus) ui.input.focus({ preventScroll: true });
}

function scrollToBottom() {
  requestAnimationFrame(() => (ui.scroller.scrollTop = ui.scroller.scrollHeight));
}

// ---------------------------------------------------------------------------------------------------------------
// The stream

let source;
function connect() {
  source?.close();
  ui.userId.textContent = userId;
  setConnection('connecting', '接続中…');
  source = new EventSource(`/simulator/api/stream?userId=${encodeURIComponent(userId)}`);
  source.addEventListener('open', () => setConnection('open', '接続済み'));
  source.addEventListener('history', (e) => renderHistory(JSON.parse(e.data).entries ?? []));
  source.addEventListener('entry', (e) => {
    const entry = JSON.parse(e.data);
    appendEntry(entry);
    // The bot links the rich menu of the parent's language right after answering: show the one LINE would.
    if (entry.from === 'bot') reloadMenuSoon();
  });
  // EventSource retries by itself; the history sent on reconnect fills any gap.
  source.addEventListener('error', () => setConnection('error', '再接続中…'));
}

// ---------------------------------------------------------------------------------------------------------------
// Composer, attachments, controls

function autosize() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 140)}px`;
}

ui.input.addEventListener('input', autosize);
ui.input.addEventListener('keydown', (e) => {
  // While an IME is composing (Japanese input), Enter confirms the conversion; it must not send. keyCode 229 is
  // what Safari reports for that Enter.
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
  e.preventDefault();
  ui.form.requestSubmit();
});
ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = ui.input.value;
  if (!text.trim()) return;
  if (text.length > MAX_TEXT) return showStatus(`メッセージは${MAX_TEXT}文字までです`);
  ui.input.value = '';
  autosize();
  void send({ kind: 'text', text });
});

$('btn-sticker').addEventListener('click', () => void send({ kind: 'sticker' }));
$('btn-image').addEventListener('click', () => void send({ kind: 'image' }));
$('btn-location').addEventListener('click', () => void send({ kind: 'location' }));
// The bot reads the LINE profile's language at follow: the page plays that profile.
$('btn-follow').addEventListener('click', () => {
  const language = /** @type {HTMLSelectElement} */ ($('profile-language')).value;
  void send(language ? { kind: 'follow', language } : { kind: 'follow' });
});
$('btn-reset').addEventListener('click', async () => {
  if (!window.confirm('会話をリセットしますか？\nブロック（unfollow）を送ってから、新しいユーザーIDで始めます。')) return;
  await send({ kind: 'unfollow' });
  userId = saveUserId(newUserId());
  connect();
  showStatus('新しいユーザーIDで会話を始めました');
  ui.input.focus();
});

// ---------------------------------------------------------------------------------------------------------------
// Rich menu

ui.menuToggle.addEventListener('click', () => {
  const open = ui.menuToggle.getAttribute('aria-expanded') !== 'true';
  ui.menuToggle.setAttribute('aria-expanded', String(open));
  ui.menuToggle.querySelector('span').textContent = open ? '▼' : '▲';
  ui.menuItems.hidden = !open;
});

let menuTimer;
function reloadMenuSoon() {
  clearTimeout(menuTimer);
  menuTimer = setTimeout(() => void loadMenu(), 300);
}

async function loadMenu() {
  try {
    const res = await fetch(`/simulator/api/menu?userId=${encodeURIComponent(userId)}`);
    const { items } = await res.json();
    ui.menuItems.replaceChildren(
      ...items.map((item) => {
        const b = el('button', item.wide ? 'richmenu-item wide' : item.corner ? 'richmenu-item corner' : 'richmenu-item');
        b.type = 'button';
        const icon = el('span', 'icon', item.icon);
        icon.setAttribute('aria-hidden', 'true');
        const label = el('span', 'label', item.label);
        if (item.sub) {
          // The sub-line is a description, not part of the button's name.
          const text = el('span', 'text');
          const sub = el('span', 'sub', item.sub);
          sub.setAttribute('aria-hidden', 'true');
          text.append(label, sub);
          b.append(icon, text);
          b.title = item.sub;
        } else b.append(icon, label);
        b.addEventListener('click', () => void send({ kind: 'postback', data: item.data, displayText: item.displayText }));
        return b;
      }),
    );
  } catch {
    ui.menuItems.replaceChildren(el('p', 'empty', 'メニューを読み込めませんでした'));
  }
}

connect();
void loadMenu();
