import { FACET_LABELS } from '../../../core/conversation/replies.js';
import { REASON_LABELS } from '../../../app/handoff/service.js';
import type { Handoff, TranscriptEntry } from '../../../app/handoff/types.js';
import { FACETS, type Facet } from '../../../core/knowledge/schema.js';
import { CLOSE_REASON_LABELS, EMERGENCY_LABELS, SPEAKER_LABELS, isoTime, jpDateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, inPlace, liveRegion, noticesRegion, page, pageFragment, type Notice, type PageOptions } from './layout.js';
import { since } from './queue.js';

/** A knowledge-base entry staff may send as a card, with the facets it has. */
export interface AnswerOption {
  id: string;
  title: string;
  facets: Facet[];
}

export interface ConversationView {
  handoff: Handoff;
  entries: TranscriptEntry[];
  staffName: (username: string | undefined) => string;
  topicTitle: (id: string) => string;
  answers: AnswerOption[];
  now: number;
  csrfToken: string;
  /** Canned replies with their placeholders filled in for now and this staff member. */
  templates?: { id: string; title: string; text: string }[];
  /**
   * The parent's language when it is not 日本語: its name, whether replies go out machine-translated, and the parent's
   * latest messages in Japanese (by entry id) when they could be translated.
   */
  language?: { name: string; translates: boolean; translations?: ReadonlyMap<string, string>; translationFailed?: boolean };
  /** What the staff member wrote, shown again when it could not be sent so nothing is lost. */
  draft?: { reply?: string; note?: string; intent?: string; facet?: string };
}

function status(h: Handoff, v: ConversationView): Html {
  if (h.status === 'waiting') return html`<strong>待機中</strong>（${since(h.openedAt, v.now, '待ち')}）`;
  if (h.status === 'active') return html`<strong>対応中</strong>（${v.staffName(h.claimedBy)} さん）`;
  const reason = h.closeReason ? CLOSE_REASON_LABELS[h.closeReason] : '';
  return html`<strong>終了</strong>${h.closedAt ? html`（<time datetime="${isoTime(h.closedAt)}">${jpDateTime(h.closedAt)}</time>、${reason}${h.closeReason === 'staff' && h.closedBy ? `：${v.staffName(h.closedBy)} さん` : ''}）` : ''}`;
}

const fact = (term: string, value: Html | string) => html`<div class="facts__row"><dt>${term}</dt><dd>${value}</dd></div>`;

export function summaryRegion(v: ConversationView, oob = false): Html {
  const h = v.handoff;
  const s = h.summary;
  return html`<section id="summary"${liveRegion(oob)} class="card summary${h.urgent ? ' summary--urgent' : ''}" aria-labelledby="summary-heading">
  <h2 id="summary-heading">${h.urgent && html`<span class="badge badge--urgent">至急</span> `}相談の概要</h2>
  <dl class="facts">
    ${fact('状態', status(h, v))}
    ${fact('引き継ぎの理由', REASON_LABELS[h.reason])}
    ${v.language && fact('保護者の言語', html`<strong class="badge badge--language">${v.language.name}</strong>${v.language.translates ? '（返信は機械翻訳して届きます）' : ''}`)}
    ${s.emergencyKind && fact('緊急の内容', EMERGENCY_LABELS[s.emergencyKind] ?? s.emergencyKind)}
    ${fact('ボットが考えた話題', s.topics.length ? html`<ul class="plain">${s.topics.map((t) => html`<li>${v.topicTitle(t)}</li>`)}</ul>` : 'なし')}
    ${s.childAge && fact('お子さんの年齢', s.childAge)}
    ${s.area && fact('お住まいの地域', s.area)}
    ${fact('受付', html`<time datetime="${isoTime(h.openedAt)}">${jpDateTime(h.openedAt)}</time>`)}
  </dl>
</section>`;
}

function speaker(e: TranscriptEntry): string {
  if (e.from === 'staff') return `${SPEAKER_LABELS.staff}（${e.staff ?? '—'}）`;
  if (e.from === 'note') return `${SPEAKER_LABELS.note}（${e.staff ?? '—'}・保護者には届きません）`;
  return SPEAKER_LABELS[e.from];
}

/** Beside a message in another language, its Japanese; beside a translated staff reply, what the parent received. */
function translationOf(e: TranscriptEntry, v: ConversationView): Html | '' {
  if (e.from === 'staff' && e.translated)
    return html`<p class="msg__translation"><span class="badge">保護者に届いた文（機械翻訳）</span> ${e.translated.text}</p>`;
  const ja = e.from === 'parent' ? v.language?.translations?.get(e.id) : undefined;
  return ja === undefined ? '' : html`<p class="msg__translation" lang="ja"><span class="badge">機械翻訳</span> ${ja}</p>`;
}

export function transcriptRegion(v: ConversationView, oob = false): Html {
  return html`<section id="transcript"${liveRegion(oob)} aria-labelledby="transcript-heading">
  <h2 id="transcript-heading">やりとり <span class="count">${v.entries.length}件</span></h2>
  ${v.language?.translationFailed ? html`<p class="notice notice--warn" role="status">保護者のメッセージを機械翻訳できませんでした（翻訳サービスが答えませんでした）。原文のまま表示しています。</p>` : ''}
  ${
    v.entries.length
      ? html`<ol class="transcript" tabindex="0" aria-labelledby="transcript-heading">${v.entries.map(
          (e) => html`<li class="msg msg--${e.from}">
    <p class="msg__meta"><span class="msg__who">${speaker(e)}</span> <time datetime="${isoTime(e.at)}">${jpDateTime(e.at)}</time>${e.from === 'staff' && html` <span class="msg__state">送信済み</span>`}</p>
    <p class="msg__text">${e.text}</p>
    ${translationOf(e, v)}
  </li>`,
        )}</ol>`
      : html`<p class="empty">記録されたやりとりはありません（保存期間を過ぎたか、削除されました）。</p>`
  }
</section>`;
}

function replyForm(v: ConversationView, action: string): Html {
  return replyFormFor(v, action);
}

function replyHint(v: ConversationView): string {
  const sent = '送信するとLINEで保護者に届きます。送信後は取り消せません。';
  if (!v.language) return sent;
  if (v.language.translates)
    return `${sent}この保護者は${v.language.name}で読みます。日本語で書くと機械翻訳して届き、「機械翻訳」と表示されます（日本語の文も記録に残ります）。`;
  return `${sent}この保護者は${v.language.name}で読みます。機械翻訳は設定されていないため、書いたまま届きます。回答カードは${v.language.name}で届きます。定型文の「文例（${v.language.name}）」も使えます。`;
}

/** console.js sends a reply in the background (data-background); htmx posts only what it leaves, e.g. an empty box. */
function replyFormFor(v: ConversationView, action: string): Html {
  return html`<form method="post" action="${action}/reply" class="card stack composer__form"${inPlace(`${action}/reply`)} data-background>
  ${csrfField(v.csrfToken)}
  <div class="field">
    <label for="reply-text">保護者への返信</label>
    <p class="hint" id="reply-hint">${replyHint(v)}</p>
    <textarea id="reply-text" name="text" rows="3" maxlength="5000" required aria-describedby="reply-hint" data-focus-first>${v.draft?.reply ?? ''}</textarea>
  </div>
  ${v.language?.translates ? html`<label class="check"><input type="checkbox" name="asIs"> 翻訳せずにそのまま送る（${v.language.name}で書いたときなど）</label>` : ''}
  <div><button type="submit" class="button button--primary">送信する</button> <span class="keys"><kbd>Ctrl</kbd>+<kbd>Enter</kbd></span></div>
</form>`;
}

function answerForm(v: ConversationView, action: string): Html {
  return html`<form method="post" action="${action}/answer" class="card stack"${inPlace(`${action}/answer`)}>
  ${csrfField(v.csrfToken)}
  <p class="form-title">知識ベースの回答をカードで送る</p>
  <div class="field">
    <label for="answer-intent">項目</label>
    <select id="answer-intent" name="intent" required>
      <option value="">選んでください</option>
      ${v.answers.map((a) => html`<option value="${a.id}" data-facets="${a.facets.join(' ')}"${v.draft?.intent === a.id ? html` selected` : ''}>${a.title}</option>`)}
    </select>
  </div>
  <div class="field">
    <label for="answer-facet">内容</label>
    <select id="answer-facet" name="facet">
      ${FACETS.map((f) => html`<option value="${f}"${(v.draft?.facet ?? 'overview') === f ? html` selected` : ''}>${FACET_LABELS[f]}</option>`)}
    </select>
  </div>
  <div><button type="submit" class="button">回答カードを送る</button></div>
</form>`;
}

/** With the script the chosen text goes into the reply box where the cursor is; without, the page comes back with it. */
function templateForm(v: ConversationView, action: string): Html {
  const list = v.templates ?? [];
  return html`<form method="post" action="${action}/template" class="card stack" data-insert>
  ${csrfField(v.csrfToken)}
  <p class="form-title">定型文</p>
  ${
    list.length
      ? html`<div class="field">
    <label for="template-id">返信の入力欄に入れる文</label>
    <select id="template-id" name="template" required>
      ${list.map((t) => html`<option value="${t.id}" data-text="${t.text}">${t.title}</option>`)}
    </select>
  </div>
  <div><button type="submit" class="button">返信欄に入れる</button> <a href="/console/templates">定型文を編集</a></div>`
      : html`<p class="muted">まだ定型文はありません。<a href="/console/templates">定型文を作る</a></p>`
  }
</form>`;
}

function noteForm(v: ConversationView, action: string): Html {
  return html`<form method="post" action="${action}/note" class="card stack card--note"${inPlace(`${action}/note`)}>
  ${csrfField(v.csrfToken)}
  <div class="field">
    <label for="note-text">内部メモ</label>
    <p class="hint" id="note-hint">担当者どうしの記録です。保護者には送られません。</p>
    <textarea id="note-text" name="text" rows="2" maxlength="2000" required aria-describedby="note-hint">${v.draft?.note ?? ''}</textarea>
  </div>
  <div><button type="submit" class="button">メモを残す</button></div>
</form>`;
}

/** Where the next keystroke goes: the claim button while nobody has taken the conversation, then the reply box. */
export function composerRegion(v: ConversationView, oob = false): Html {
  const h = v.handoff;
  const action = `/console/handoffs/${h.id}`;
  let body: Html;
  if (h.status === 'closed') body = html`<p class="empty">この相談は終了しています。保護者には自動応答がお答えしています。</p>`;
  else if (h.status === 'waiting')
    body = html`<form method="post" action="${action}/claim" class="card stack"${inPlace(`${action}/claim`)}>
  ${csrfField(v.csrfToken)}
  <p>まだ誰も対応していません。対応を始めると、保護者に担当者からお返事することがLINEで伝わります。</p>
  <div><button type="submit" class="button button--primary" data-focus-first>この相談の対応を始める</button> <span class="keys">キー: <kbd>c</kbd></span></div>
</form>`;
  else body = replyForm(v, action);
  return html`<section id="composer"${liveRegion(oob)} class="composer" aria-label="返信">${body}</section>`;
}

export function actionsRegion(v: ConversationView, oob = false): Html {
  const h = v.handoff;
  const action = `/console/handoffs/${h.id}`;
  if (h.status === 'closed') return html`<section id="actions"${liveRegion(oob)}></section>`;
  return html`<section id="actions"${liveRegion(oob)} aria-labelledby="actions-heading">
  <h2 id="actions-heading" class="visually-hidden">そのほかの対応</h2>
  ${h.status === 'active' && templateForm(v, action)}
  ${h.status === 'active' && answerForm(v, action)}
  ${noteForm(v, action)}
  <form method="post" action="${action}/close" class="card stack"${inPlace(`${action}/close`)} hx-confirm="この相談を終了して、自動応答に戻しますか？（保護者にもLINEでお知らせします）">
    ${csrfField(v.csrfToken)}
    <p>対応が終わったら、会話を自動応答に戻します。保護者にはLINEでお知らせします。</p>
    <div><button type="submit" class="button button--danger">対応を終了して自動応答に戻す</button></div>
  </form>
</section>`;
}

function conversationOptions(v: ConversationView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): PageOptions {
  const h = v.handoff;
  return {
    title: `相談（${jpDateTime(h.openedAt)} 受付）`,
    staff,
    live: { kind: 'handoff', id: h.id },
    ...(notice ? { notice } : {}),
    body: html`<p class="back"><a href="/console/">← 受付一覧へ戻る</a></p>
<h1>相談（${jpDateTime(h.openedAt)} 受付）</h1>
<div class="convo">
  <div class="convo__chat">
    ${transcriptRegion(v)}
    <ol id="outbox" class="outbox" aria-label="送信中の返信" aria-live="polite"></ol>
    ${composerRegion(v)}
  </div>
  <div class="convo__side">
    ${summaryRegion(v)}
    ${actionsRegion(v)}
  </div>
</div>`,
  };
}

export const conversationPage = (v: ConversationView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): Html =>
  page(conversationOptions(v, staff, notice));

/** Coming from another page (the queue) with htmx: this page's title and main part. */
export const conversationMain = (v: ConversationView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): Html =>
  pageFragment(conversationOptions(v, staff, notice));

/**
 * On this page already: the parts, each replacing its namesake, and after an action its outcome. The outbox and the
 * rest of the page stay as they are.
 */
export const conversationParts = (v: ConversationView, notice?: Notice | 'keep'): Html =>
  html`${notice !== 'keep' && noticesRegion(notice)}${summaryRegion(v, true)}${transcriptRegion(v, true)}${composerRegion(v, true)}${actionsRegion(v, true)}`;
