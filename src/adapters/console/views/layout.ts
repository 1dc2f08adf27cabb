import { html, type Html } from '../html.js';

export interface Notice {
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

export interface PageOptions {
  title: string;
  body: Html;
  /** Signed in: shows the header navigation and the sign-out button. */
  staff?: { name: string; csrfToken: string };
  /** Which live updates the client script listens for. */
  live?: { kind: 'queue' } | { kind: 'handoff'; id: string };
  notice?: Notice;
  /** Extra module scripts of this page (our own files under /console/static). */
  modules?: string[];
  /** Extra stylesheets of this page. */
  styles?: string[];
}

export const APP_NAME = '子育てコンシェルジュ 担当者コンソール';

export const csrfField = (token: string): Html => html`<input type="hidden" name="_csrf" value="${token}">`;

/**
 * A form htmx posts without a page load (its action stays for a browser without the script). The answer carries the
 * parts that changed, each marked to replace its namesake (hx-swap-oob), or another page's main part; the button is
 * disabled while the request is on its way, so one click sends once.
 */
export const inPlace = (action: string): Html => html` hx-post="${action}" hx-swap="none" hx-disabled-elt="find button"`;

/** A part of a live page: refreshed on live updates; `oob` when it is sent alone to replace its namesake. */
export const liveRegion = (oob: boolean): Html => html` data-live-region${oob ? html` hx-swap-oob="true"` : ''}`;

/** The outcome of an action, sent with the parts it changed. */
export const noticesRegion = (notice: Notice | undefined): Html => html`<div id="notices" hx-swap-oob="true">${noticeBox(notice)}</div>`;

export function noticeBox(notice: Notice | undefined): Html {
  if (!notice) return html``;
  // Errors interrupt a screen reader at once; confirmations wait for a pause.
  return html`<div class="notice notice--${notice.kind}" role="${notice.kind === 'ok' ? 'status' : 'alert'}">${notice.text}</div>`;
}

/** The keys console.js answers to; the button that opens this is shown only when the script runs. */
const shortcutsHelp = html`<dialog id="shortcuts" aria-labelledby="shortcuts-heading" class="help">
<h2 id="shortcuts-heading">キー操作</h2>
<dl class="keys-list">
  <div><dt><kbd>j</kbd> ／ <kbd>k</kbd></dt><dd>受付一覧で次 ／ 前の相談を選ぶ</dd></div>
  <div><dt><kbd>Enter</kbd></dt><dd>選んだ相談を開く</dd></div>
  <div><dt><kbd>c</kbd></dt><dd>この相談の対応を始める</dd></div>
  <div><dt><kbd>r</kbd></dt><dd>返信の入力欄へ移る</dd></div>
  <div><dt><kbd>n</kbd></dt><dd>内部メモの入力欄へ移る</dd></div>
  <div><dt><kbd>Ctrl</kbd>+<kbd>Enter</kbd></dt><dd>入力中の返信・メモを送る</dd></div>
  <div><dt><kbd>Esc</kbd></dt><dd>入力欄から出る。入力欄の外では受付一覧へ戻る</dd></div>
  <div><dt><kbd>?</kbd></dt><dd>この説明を開く</dd></div>
</dl>
<form method="dialog"><button type="submit" class="button">閉じる</button></form>
</dialog>`;

/**
 * htmx's settings, read from this meta tag when it starts (so no inline script is needed under the console's CSP):
 * nothing evaluated from attributes, no style element and no style attribute of its own (settling copies `style` from
 * the old element to its new twin by default, which the CSP refuses), no history snapshots (going back loads the page
 * afresh), and error answers (a refused reply with its reason and the draft) are put in place like any other.
 */
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  attributesToSettle: ['class', 'width', 'height'],
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  historyRestoreAsHxRequest: false,
  defaultSettleDelay: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[2345]..', swap: true },
  ],
});

const titleOf = (o: PageOptions) => `${o.title} | ${APP_NAME}`;

/** The part of a page that changes from one page to another; the live-update settings travel with it. */
function mainPart(o: PageOptions): Html {
  const live = o.live ? html` data-live="${o.live.kind}"${o.live.kind === 'handoff' ? html` data-handoff-id="${o.live.id}"` : ''}` : '';
  return html`<main id="main" tabindex="-1"${live}>
<div id="notices">${noticeBox(o.notice)}</div>
${o.body}
</main>`;
}

/** What an htmx request that leads to another page gets: its title and main part, put in place of this page's. */
export const pageFragment = (o: PageOptions): Html => html`<title>${titleOf(o)}</title>
${mainPart(o)}`;

export function page(o: PageOptions): Html {
  // The live pages (queue, conversation) update in place with htmx; the token goes with every htmx request.
  const htmx = o.live && o.staff;
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${titleOf(o)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/static/console.css">
${(o.styles ?? []).map((h) => html`<link rel="stylesheet" href="${h}">`)}
${
  htmx &&
  html`<meta name="htmx-config" content="${HTMX_CONFIG}">
<script src="/console/static/vendor/htmx.min.js" defer></script>`
}
<script src="/console/static/console.js" defer></script>
${(o.modules ?? []).map((m) => html`<script type="module" src="${m}"></script>`)}
</head>
<body${htmx ? html` hx-headers="${JSON.stringify({ 'X-CSRF-Token': o.staff!.csrfToken })}"` : ''}>
<a class="skip" href="#main">本文へ移動</a>
<header class="top">
  <p class="top__name">${APP_NAME}</p>
  ${
    o.staff &&
    html`<nav class="top__nav" aria-label="メニュー">
    <a href="/console/">受付一覧</a>
    <a href="/console/templates">定型文</a>
    <a href="/console/insights/unanswered">答えられなかった質問</a>
    <a href="/console/insights/figures">利用状況</a>
    <a href="/console/kb">知識ベース</a>
    <span class="top__who">${o.staff.name} さん</span>
    ${o.live && html`<button type="button" class="button button--quiet" id="notify-toggle" aria-pressed="false" hidden>通知をオンにする</button>`}
    ${o.live && html`<button type="button" class="button button--quiet" id="shortcuts-open" aria-haspopup="dialog" hidden>キー操作 <kbd>?</kbd></button>`}
    <form method="post" action="/console/logout" class="inline">${csrfField(o.staff.csrfToken)}<button type="submit" class="button button--quiet">サインアウト</button></form>
  </nav>`
  }
</header>
${mainPart(o)}
${o.live && html`<p class="connection" id="connection" role="status" aria-live="polite"></p>`}
${o.live && shortcutsHelp}
</body>
</html>`;
}

/** A short page for errors and dead ends, with a way back. */
export function messagePage(title: string, text: string, back: { href: string; label: string }, staff?: PageOptions['staff']): Html {
  return page({ title, ...(staff ? { staff } : {}), body: html`<h1>${title}</h1><p>${text}</p><p><a href="${back.href}">${back.label}</a></p>` });
}
