import { REASON_LABELS } from '../../../app/handoff/service.js';
import type { Handoff } from '../../../app/handoff/types.js';
import { CLOSE_REASON_LABELS, EMERGENCY_LABELS, elapsedText, isoTime, jpDateTime, previewText } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, inPlace, liveRegion, noticesRegion, page, pageFragment, type Notice, type PageOptions } from './layout.js';

export interface QueueView {
  open: Handoff[];
  closed: Handoff[];
  /** Display name of a staff account id (claimedBy, closedBy). */
  staffName: (username: string | undefined) => string;
  /** Knowledge-base entry title of a topic id. */
  topicTitle: (id: string) => string;
  now: number;
  csrfToken: string;
  /** The parent's newest message per handoff id (full text; shortened and masked here). */
  lastMessages?: ReadonlyMap<string, { text: string; at: number }>;
  /** Handoffs with a parent message the signed-in staff member has not seen in the conversation yet. */
  unread?: ReadonlySet<string>;
  /** The name in Japanese of a parent's language (a code of languages/), shown when it is not 日本語. */
  languageName?: (code: string) => string;
}

/** Urgent first, then those nobody has taken, each oldest first. */
export function queueOrder(open: readonly Handoff[]): Handoff[] {
  const rank = (h: Handoff) => (h.urgent ? 0 : 2) + (h.status === 'waiting' ? 0 : 1);
  return [...open].sort((a, b) => rank(a) - rank(b) || a.openedAt - b.openedAt);
}

/** A duration that console.js keeps current between page updates. */
export const since = (from: number, now: number, suffix: string): Html =>
  html`<span class="since" data-since="${from}" data-suffix="${suffix}">${elapsedText(now - from)}${suffix}</span>`;

function item(h: Handoff, v: QueueView): Html {
  const kind = h.summary.emergencyKind;
  // What the bot recognised says most: the danger for an emergency, else the services it was talking about.
  const about = [...(kind ? [EMERGENCY_LABELS[kind] ?? kind] : []), ...h.summary.topics.map(v.topicTitle)];
  const href = `/console/handoffs/${h.id}`;
  const last = v.lastMessages?.get(h.id);
  const unread = v.unread?.has(h.id) ?? false;
  return html`<li class="item${h.urgent ? ' item--urgent' : ''} item--${h.status}${unread ? ' item--unread' : ''}">
  <div class="item__head">
    ${unread && html`<span class="badge badge--unread">未読</span>`}
    ${h.urgent && html`<span class="badge badge--urgent">至急</span>`}
    <span class="badge badge--${h.status}">${h.status === 'waiting' ? '待機中' : '対応中'}</span>
    ${h.summary.language && html`<span class="badge badge--language">${v.languageName?.(h.summary.language) ?? h.summary.language}</span>`}
    <a class="item__link" href="${href}">${REASON_LABELS[h.reason]}${about.length ? `：${about.join('、')}` : ''}</a>
  </div>
  ${last && html`<p class="item__last"><span class="visually-hidden">保護者の最新のメッセージ：</span><span class="item__text">「${previewText(last.text)}」</span> <span class="item__ago">${since(last.at, v.now, '前')}</span></p>`}
  <p class="item__meta">
    ${h.status === 'waiting' ? html`<strong class="item__wait">${since(h.openedAt, v.now, '待ち')}</strong>` : html`対応: ${v.staffName(h.claimedBy)} さん ／ 最後のやりとり ${since(h.lastActivityAt, v.now, '前')}`}
    ／ 受付 <time datetime="${isoTime(h.openedAt)}">${jpDateTime(h.openedAt)}</time>
  </p>
  <div class="item__actions">
    <a class="button" href="${href}">開く</a>
    ${h.status === 'waiting' && html`<form method="post" action="${href}/claim" class="inline"${inPlace(`${href}/claim`)}>${csrfField(v.csrfToken)}<button type="submit" class="button button--primary">対応を始める</button></form>`}
  </div>
</li>`;
}

/** The part of the page that live updates replace. */
export function queueRegion(v: QueueView, oob = false): Html {
  const open = queueOrder(v.open);
  const waiting = open.filter((h) => h.status === 'waiting').length;
  return html`<div id="queue"${liveRegion(oob)} data-waiting="${waiting}">
  <h2 id="open-heading">対応待ち・対応中 <span class="count">待機中 ${waiting}件 ／ 対応中 ${open.length - waiting}件</span></h2>
  ${open.length ? html`<ul class="queue" aria-labelledby="open-heading">${open.map((h) => item(h, v))}</ul>` : html`<p class="empty">いま対応を待っている相談はありません。</p>`}
  <h2>最近終了した相談</h2>
  ${
    v.closed.length
      ? html`<div class="table-wrap"><table class="closed">
    <thead><tr><th scope="col">受付</th><th scope="col">終了</th><th scope="col">引き継ぎの理由</th><th scope="col">終了の理由</th><th scope="col"><span class="visually-hidden">操作</span></th></tr></thead>
    <tbody>${v.closed.map(
      (h) => html`<tr>
      <td><time datetime="${isoTime(h.openedAt)}">${jpDateTime(h.openedAt)}</time></td>
      <td>${h.closedAt ? html`<time datetime="${isoTime(h.closedAt)}">${jpDateTime(h.closedAt)}</time>` : '—'}</td>
      <td>${h.urgent ? '至急・' : ''}${REASON_LABELS[h.reason]}</td>
      <td>${h.closeReason ? CLOSE_REASON_LABELS[h.closeReason] : '—'}${h.closeReason === 'staff' && h.closedBy ? `（${v.staffName(h.closedBy)} さん）` : ''}</td>
      <td><a href="/console/handoffs/${h.id}">記録を見る</a></td>
    </tr>`,
    )}</tbody>
  </table></div>`
      : html`<p class="empty">最近終了した相談はありません。</p>`
  }
</div>`;
}

function queueOptions(v: QueueView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): PageOptions {
  return {
    title: '受付一覧',
    staff,
    live: { kind: 'queue' },
    ...(notice ? { notice } : {}),
    body: html`<h1>受付一覧</h1>
<p class="lead">LINEで担当者への引き継ぎを希望した保護者の一覧です。新しい相談は自動で表示されます。</p>
${queueRegion(v)}`,
  };
}

export const queuePage = (v: QueueView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): Html => page(queueOptions(v, staff, notice));

/** Coming from another page (a conversation just closed) with htmx: this page's title and main part. */
export const queueMain = (v: QueueView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): Html => pageFragment(queueOptions(v, staff, notice));

/** On the queue already: the list, replacing its namesake, and after an action its outcome. */
export const queueParts = (v: QueueView, notice?: Notice | 'keep'): Html => html`${notice !== 'keep' && noticesRegion(notice)}${queueRegion(v, true)}`;
