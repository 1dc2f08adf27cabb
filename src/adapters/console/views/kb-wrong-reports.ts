import type { WrongReport } from '../../../app/insights/wrong-reports.js';
import { FACET_LABELS } from '../../../core/knowledge/labels.js';
import { html, type Html } from '../html.js';
import { kbNav } from './kb-entries.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';

type Staff = NonNullable<PageOptions['staff']>;

const jst = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Parents' 「この情報はまちがっている」 reports still open, newest first: the card (entry, facet, the version that
 * answered), what they said (masked), a link to edit the entry, and 対応済みにする.
 */
export function wrongReportsPage(v: {
  reports: WrongReport[];
  titles: (intent: string) => string | undefined;
  liveVersion: number | undefined;
  staff: Staff;
  csrfToken: string;
  notice?: Notice;
}): Html {
  return page({
    title: 'まちがいの報告',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>まちがいの報告</h1>
${kbNav('/console/kb/reports')}
<p class="lead">回答のカードで「この情報はまちがっている」が押されたものです（新しい順）。保護者が書いた内容は、電話番号や名前を伏せて残しています。出典と見比べて、必要なら項目を直して公開し、「対応済みにする」を押してください。${v.liveVersion ? `いま公開中なのは 版${v.liveVersion} です。` : ''}</p>
${
  v.reports.length
    ? html`<ol class="stale reports">${v.reports.map((r) => {
        const title = v.titles(r.intent);
        return html`<li class="card" id="report-${r.id}">
  <p><strong>${title ?? r.intent}</strong>（${FACET_LABELS[r.facet]}）</p>
  <p>報告 ${jst(r.at)}・${r.version !== undefined ? `版${r.version} の回答` : 'リポジトリの回答'}</p>
  ${r.text !== undefined ? html`<blockquote class="report-text">${r.text}</blockquote>` : html`<p class="empty">（どこがまちがっているかは書かれていません）</p>`}
  <p>${title ? html`<a href="/console/kb/entries/${r.intent}">この項目を編集する</a>` : '（この項目はいまの知識ベースにありません）'}</p>
  <form method="post" action="/console/kb/reports/${r.id}/handled" class="inline">
    ${csrfField(v.csrfToken)}
    <button type="submit" class="button">対応済みにする</button>
  </form>
</li>`;
      })}</ol>`
    : html`<p class="empty">未対応の報告はありません。</p>`
}`,
  });
}
