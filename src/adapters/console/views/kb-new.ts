import type { NewEntryInput } from '../../../core/knowledge/editing/new-entry.js';
import { NEW_ENTRY_MIN_EXAMPLES } from '../../../core/knowledge/editing/new-entry.js';
import { TOPIC_LABELS } from '../../../core/knowledge/labels.js';
import type { CheckReport } from '../../../app/publishing/publisher.js';
import { NEED_LABELS, NEEDS, TOPICS } from '../../../core/knowledge/schema.js';
import { html, rawHtml, type Html } from '../html.js';
import { csrfField, page, type PageOptions } from './layout.js';
import { kbNav } from './kb-entries.js';
import { floorTable, problemList } from './kb-report.js';

export interface NewEntryView {
  input: Partial<NewEntryInput>;
  errors: string[];
  report?: CheckReport;
  staff: NonNullable<PageOptions['staff']>;
}

const input = (name: string, label: string, value: string | undefined, extra: Html | string = '', hint = '') =>
  html`<div class="field"><label for="${name}">${label}</label>${hint && html`<p class="hint" id="${name}-hint">${hint}</p>`}<input id="${name}" name="${name}" value="${value ?? ''}"${hint ? rawHtml(` aria-describedby="${name}-hint"`) : ''} ${extra}></div>`;

/** Starting a new entry from a question: the essentials; the rest is said to be unconfirmed until staff fill it in. */
export function newEntryPage(v: NewEntryView): Html {
  const i = v.input;
  return page({
    title: '新しい項目を作る',
    staff: v.staff,
    body: html`${kbNav('')}
<h1>新しい項目を作る</h1>
<p>答えられなかった質問から、知識ベースに新しい項目を作ります。概要の答えと、その出典を書いてください。料金・申込方法・対象・場所・問い合わせは「まだ確認できていません。子育て支援課にお問い合わせください」と答える状態で作られます。公開のあと、項目の編集画面で確かめた情報に書き換えてください。公開の前に、ほかの項目と同じように確認（例文の行き先・回答の正確さ）をします。</p>
${v.errors.length > 0 && html`<div class="notice notice--error" role="alert"><ul>${v.errors.map((e) => html`<li>${e}</li>`)}</ul></div>`}
${v.report && !v.report.ok && html`<div class="notice notice--error" role="alert"><p>公開できませんでした。次の点を直してください。</p>${problemList(v.report.problems)}${floorTable(v.report.floor)}</div>`}
<form method="post" action="/console/kb/new" class="form">
  ${csrfField(v.staff.csrfToken)}
  ${input('title', 'タイトル（20文字まで）', i.title, 'required maxlength="20"')}
  ${input('summary', 'ひとことで言うと（120文字まで）', i.summary, 'required maxlength="120"')}
  <div class="field"><label for="topic">メニューの分類</label><select id="topic" name="topic">${TOPICS.filter((t) => t !== 'smalltalk').map((t) => html`<option value="${t}"${i.topic === t ? rawHtml(' selected') : ''}>${TOPIC_LABELS[t] ?? t}</option>`)}</select></div>
  <div class="field"><label for="need">どんな困りごとに合うか</label><select id="need" name="need">${NEEDS.map((n) => html`<option value="${n}"${i.need === n ? rawHtml(' selected') : ''}>${NEED_LABELS[n]}</option>`)}</select></div>
  <div class="field"><label for="overview">概要の答え</label><textarea id="overview" name="overview" rows="5" required maxlength="1200">${i.overview ?? ''}</textarea></div>
  ${input('sourceUrl', '出典のURL', i.sourceUrl, 'required type="url"')}
  ${input('sourceTitle', '出典の名前', i.sourceTitle, 'required')}
  ${input('checked', '出典を確認した日', i.checked, 'required type="date"')}
  <div class="field"><label for="examples">この項目に来る質問の例（1行に1つ、${NEW_ENTRY_MIN_EXAMPLES}個以上）</label><p class="hint" id="examples-hint">保護者が実際に書きそうな言い方で。ひらがなだけ・方言・短い言い方も混ぜてください。</p><textarea id="examples" name="examples" rows="12" aria-describedby="examples-hint" required>${(i.examples ?? []).join('\n')}</textarea></div>
  <div class="field"><label for="message">変更のメモ（公開の履歴に残ります）</label><input id="message" name="message" required></div>
  <button type="submit" class="button">確認して公開する</button>
</form>`,
  });
}
