import type { CopyGroup, SentenceSet } from '../copy-translation.js';
import { copyField } from '../copy-translation.js';
import { html, rawHtml, type Html } from '../html.js';
import { checkOutcome, type CheckedForm } from './kb-report.js';
import { kbFormPage, kbNav, publishSection } from './kb-entries.js';
import { row } from './kb-translation.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';

type Staff = NonNullable<PageOptions['staff']>;

export interface CopyLanguageRow {
  name: string;
  href: string;
  translated: number;
  total: number;
  stale: number;
}

/** The languages' fixed sentences: how many are translated, how many set aside, and the way to each form. */
const LEADS: Record<SentenceSet['path'], string> = {
  copy: 'あいさつ・ボタンの文字・担当者への取り次ぎなど、ボットがいつも同じ言葉で送る文の、外国語・やさしい日本語の訳です。訳のない文は代わりの言語で出します。',
  emergency:
    '緊急の言葉が届いたときに、ほかの答えより先に出す案内の、外国語・やさしい日本語の訳です。電話番号と出典は日本語のものを使います。訳のない案内は代わりの言語で出します。',
};

export function copyListPage(v: { rows: CopyLanguageRow[]; set: SentenceSet; staff: Staff; notice?: Notice }): Html {
  return page({
    title: `${v.set.name}の訳`,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>${v.set.name}の訳</h1>
${kbNav(`/console/kb/${v.set.path}`)}
<p class="lead">${LEADS[v.set.path]}</p>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">言語</th><th scope="col">訳のある文</th><th scope="col">注意</th></tr></thead>
  <tbody>${v.rows.map(
    (r) =>
      html`<tr><td><a href="${r.href}">${r.name}</a></td><td>${r.translated} ／ ${r.total}</td><td>${r.stale ? html`<span class="badge badge--urgent">訳のずれ ${r.stale}件</span>` : ''}</td></tr>`,
  )}</tbody>
</table></div>`,
  });
}

export interface CopyFormView extends CheckedForm {
  set: SentenceSet;
  code: string;
  language: string;
  base: number;
  groups: CopyGroup[];
  draft: Record<string, string>;
  /** Set-aside sentences by key, with what is wrong. */
  stale: Map<string, string>;
  staff: Staff;
  csrfToken: string;
  message?: string;
  notice?: Notice;
}

/** All of a language's fixed sentences, group by group, each beside its Japanese. */
export function copyFormPage(v: CopyFormView): Html {
  const labels = new Map(v.groups.flatMap((g) => g.rows.map((r) => [r.key, r.label] as const)));
  const problemKeys = new Set((v.check?.problems ?? []).map((p) => p.field));
  return kbFormPage({
    heading: `${v.set.name}の${v.language}の訳`,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    back: { href: `/console/kb/${v.set.path}`, label: `${v.set.name}の訳へ戻る` },
    body: html`<p class="lead">日本語を見ながら訳を書きます。{ } で囲んだところ（差し込み）は、日本語と同じものをそのまま残してください。数字は日本語と同じものを数字で書き、ボタンの文字は20文字までにしてください（合わないと公開できません）。空欄の文は代わりの言語で出します。（版${v.base} をもとに編集）</p>
${checkOutcome(
  v,
  (p) => (labels.has(p.field) ? `#${copyField(p.field)}` : undefined),
  () => `${v.language}の訳`,
  (field) => labels.get(field) ?? v.set.name,
)}
${
  v.stale.size
    ? html`<section class="notice notice--warn" aria-labelledby="stale-heading">
  <h2 id="stale-heading">日本語と合わなくなった訳（${v.stale.size}件）</h2>
  <p>この文の訳はいま使われていません（代わりの言語で出しています）。日本語と見比べて直してください。</p>
  <ul class="problems">${[...v.stale].map(([key, text]) => html`<li>${labels.has(key) ? html`<a href="#${copyField(key)}">${labels.get(key)}</a>` : v.set.name}：${text}</li>`)}</ul>
</section>`
    : ''
}
<form method="post" action="/console/kb/${v.set.path}/${v.code}" class="stack entry-form">
  ${csrfField(v.csrfToken)}
  <input type="hidden" name="base" value="${v.base}">
  ${v.groups.map((g) => {
    const open = g.rows.some((r) => v.stale.has(r.key) || problemKeys.has(r.key));
    return html`<details class="card stack"${open ? rawHtml(' open') : ''}>
    <summary><strong>${g.name}</strong>（${g.rows.filter((r) => v.draft[r.key]).length} ／ ${g.rows.length}）</summary>
    ${g.rows.map((r) => row(copyField(r.key), r.label, r.japanese, v.draft[r.key] ?? '', { rows: r.japanese.includes('\n') ? 4 : 2 }))}
  </details>`;
  })}
  ${publishSection(v.message, `例: ${v.language}の${v.set.name}の訳を直した`)}
</form>`,
  });
}
