import type { StaleEntry } from '../../../core/knowledge/freshness.js';
import type { Problem } from '../../../core/knowledge/load.js';
import type { FloorReport } from '../../../app/publishing/floor.js';
import type { RowError } from '../../../core/knowledge/spreadsheet/rows.js';
import { html, type Html } from '../html.js';
import { kbNav } from './kb-entries.js';
import { floorTable, problemList } from './kb-report.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';

type Staff = NonNullable<PageOptions['staff']>;

/** A translation set aside because it no longer matches its Japanese: what it is, and where it is fixed. */
export interface SetAsideRow {
  /** 「英語の訳：病児・病後児保育」 */
  label: string;
  parts: number;
  href?: string;
}

/** Translations parents get in another language until someone fixes them, each with the way to its form. */
function setAsideSection(rows: readonly SetAsideRow[] | undefined): Html | '' {
  if (!rows?.length) return '';
  return html`<section class="card stack" aria-labelledby="set-aside-heading">
  <h2 id="set-aside-heading">日本語と合わなくなった訳（${rows.length}件）</h2>
  <p class="hint">日本語が変わって数字などが合わなくなった訳です。直るまで、その部分は代わりの言語で保護者に届いています。</p>
  <ul>${rows.map((r) => html`<li>${r.href ? html`<a href="${r.href}">${r.label}</a>` : r.label}（${r.parts}か所）</li>`)}</ul>
</section>`;
}

export function freshnessPage(v: { entries: StaleEntry[]; today: string; staff: Staff; watched?: Html; notice?: Notice; translations?: SetAsideRow[] }): Html {
  return page({
    title: '確認が必要な情報',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>確認が必要な情報</h1>
${kbNav('/console/kb/freshness')}
${v.watched ?? ''}
${setAsideSection(v.translations)}
<h2>出典と回答の期限</h2>
<p class="lead">出典の有効期限（${v.today} 時点）を過ぎたもの、「詳細は未確認」になっている回答、日付を過ぎたか60日以内に変わる期間つきの文がある項目です。確認日の古い順に並んでいます。出典のページを見直したら、項目の編集で確認日を更新してください。</p>
${
  v.entries.length
    ? html`<ol class="stale">${v.entries.map(
        (e) => html`<li class="card">
  <p><a href="/console/kb/entries/${e.id}"><strong>${e.title}</strong></a>（いちばん古い確認日 ${e.oldestChecked}）</p>
  ${e.expired.length ? html`<p>有効期限を過ぎた出典:</p><ul>${e.expired.map((s) => html`<li>${s.title}（有効期限 ${s.validUntil}、確認日 ${s.checked}）<a href="${s.url}" rel="noopener noreferrer" target="_blank">ページを開く</a></li>`)}</ul>` : ''}
  ${e.unconfirmed.length ? html`<p>未確認の回答: ${e.unconfirmed.join('、')}</p>` : ''}
  ${e.dated.length ? html`<p>期間つきの文:</p><ul>${e.dated.map((d) => html`<li>${d.facet}「${d.text}」${d.date}${d.kind === 'starts' ? 'から' : 'まで'}${d.passed ? '（日付を過ぎています。本文に書き直すか削除してください）' : '（まもなくです。出典と見比べてください）'}</li>`)}</ul>` : ''}
</li>`,
      )}</ol>`
    : html`<p class="empty">いま確認が必要な情報はありません。</p>`
}`,
  });
}

export interface CsvImportOutcome {
  encoding?: string;
  rowErrors?: RowError[];
  problems?: (Problem & { row?: number })[];
  floor?: FloorReport;
  error?: string;
}

export function csvPage(v: { version: number | undefined; csrfToken: string; staff: Staff; outcome?: CsvImportOutcome; notice?: Notice }): Html {
  const o = v.outcome;
  return page({
    title: '表計算ソフトで編集',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>表計算ソフトで編集</h1>
${kbNav('/console/kb/csv')}
${
  o
    ? html`<section class="card error-summary" role="alert" aria-labelledby="import-errors" tabindex="-1" id="errors">
  <h2 id="import-errors">取り込めませんでした。何も変更していません。</h2>
  ${o.error ? html`<p>${o.error}</p>` : ''}
  ${
    o.rowErrors?.length
      ? html`<div class="table-wrap"><table><caption>表の中の問題（${o.rowErrors.length}件${o.encoding ? `、文字コード ${o.encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8'} として読みました` : ''}）</caption>
    <thead><tr><th scope="col">行</th><th scope="col">列</th><th scope="col">内容</th></tr></thead>
    <tbody>${o.rowErrors.map((e) => html`<tr><td>${e.row}行目</td><td>${e.column}</td><td>${e.message}</td></tr>`)}</tbody></table></div>`
      : ''
  }
  ${o.problems?.length ? html`<p>公開前の確認で見つかった問題:</p>${problemList(o.problems)}` : ''}
  ${floorTable(o.floor)}
</section>`
    : ''
}
<section class="card stack" aria-labelledby="export-heading">
  <h2 id="export-heading">1. 書き出す</h2>
  <p>いま公開中の${v.version ? ` 版${v.version} の` : ''}内容を表として書き出します。Excel でそのまま開けます（UTF-8・BOM付きCSV）。</p>
  <p><a class="button" href="/console/kb/csv/export" download>回答の表を書き出す</a> 1行に1つの回答（項目×側面）</p>
  <p><a class="button" href="/console/kb/csv/facilities/export" download>施設の表を書き出す</a> 1行に1つの施設（施設の一覧と同じ項目）</p>
</section>
<section class="card stack" aria-labelledby="import-heading">
  <h2 id="import-heading">2. 直して取り込む</h2>
  <p>どちらの表かは1行目の見出しで見分けます。</p>
  <p>回答の表で直せる列: 回答、出典ID・出典名・出典URL・確認日・有効期限（出典1つにつき1行、出典IDと同じ順）、未確認（「はい」か空欄）、電話。「質問」「カテゴリ」の列は参照用で、取り込みでは変わりません。表にない回答はそのままです。</p>
  <p>施設の表では、施設IDのほかのすべての列を直せます。別名・内容・関係する項目は1行に1つ、出典の列は出典1つにつき1行です。新しい施設IDの行は施設の追加になります。表にない施設はそのままです。</p>
  <p class="hint">保存は「CSV UTF-8（コンマ区切り）」がおすすめです。「CSV（コンマ区切り）」（Shift_JIS）も読めますが、絵文字など一部の文字は保存されません。</p>
  <form method="post" action="/console/kb/csv/import" enctype="multipart/form-data" class="stack">
    ${csrfField(v.csrfToken)}
    <div class="field"><label for="csv-file">CSVファイル</label><input id="csv-file" name="file" type="file" accept=".csv,text/csv" required></div>
    <div class="field"><label for="csv-message">何を変えたか（公開の履歴に残ります）</label><input id="csv-message" name="message" maxlength="200"></div>
    <div><button type="submit" class="button button--primary">確認して公開する</button></div>
  </form>
</section>`,
  });
}
