import type { Problem } from '../../../core/knowledge/load.js';
import { fieldLabel } from '../../../core/knowledge/messages.js';
import type { FloorReport } from '../../../app/publishing/floor.js';
import type { KnowledgeBase } from '../../../core/knowledge/load.js';
import { SETTING_FILES, fileSubject } from '../../../core/knowledge/diff.js';
import { html, type Html } from '../html.js';
import type { FormError } from '../kb-form.js';

/** The refusal of a number that is not in the contact ledger (load.ts, facilities/check.ts). */
const UNKNOWN_TEL = /電話番号 (\S+) は knowledge\/_contacts\.yaml にない番号です/;

// A path is set off by spaces in a message; a name in Japanese is not.
const SETTING_PATH = new RegExp(
  ` ?(${Object.keys(SETTING_FILES)
    .map((f) => f.replace(/[.]/g, '\\.'))
    .join('|')}) ?`,
  'g',
);

/** A check's message with the knowledge base's file paths put into staff's words (「連絡先の台帳にない番号です」). */
export const inStaffWords = (message: string) => message.replace(SETTING_PATH, (_, f: string) => SETTING_FILES[f]!);

/** A check's outcome: what is wrong, by file and field in staff's words, and the development-set figures. */
export function problemList(
  problems: readonly (Problem & { row?: number })[],
  link?: (p: Problem) => string | undefined,
  fileLabel: (file: string) => string = (f) => f,
  fieldName: (field: string) => string = fieldLabel,
): Html {
  if (!problems.length) return html``;
  return html`<ul class="problems">${problems.map((p) => {
    const href = link?.(p);
    const where = `${p.row ? `${p.row}行目 ／ ` : ''}${inStaffWords(fileLabel(p.file))} ／ ${fieldName(p.field)}`;
    const tel = UNKNOWN_TEL.exec(p.message)?.[1];
    // A new number is added to the ledger with its source first; in a new tab, so the draft here stays as it is.
    const add = tel
      ? html` <a href="/console/kb/contacts/new?tel=${encodeURIComponent(tel)}" target="_blank" rel="noopener">この番号を連絡先の台帳に追加する（新しいタブ）</a>`
      : '';
    return html`<li>${href ? html`<a href="${href}">${where}</a>` : html`<span class="problems__where">${where}</span>`}：${inStaffWords(p.message)}${add}</li>`;
  })}</ul>`;
}

export function floorTable(floor: FloorReport | undefined): Html {
  if (!floor) return html``;
  if (floor.status === 'skipped') return html`<p class="notice notice--warn" role="status">${floor.note}</p>`;
  return html`<div class="floor">
  <p class="form-title">回答の正確さ（開発用の質問 ${floor.cases}件で確認）：${floor.status === 'passed' ? '基準を満たしています' : '基準を下回っています'}</p>
  <div class="table-wrap"><table class="floor__table">
    <thead><tr><th scope="col">確認したこと</th><th scope="col">結果</th><th scope="col">基準</th><th scope="col"><span class="visually-hidden">判定</span></th></tr></thead>
    <tbody>${floor.metrics.map(
      (m) =>
        html`<tr class="${m.ok ? 'is-ok' : 'is-ng'}"><td>${m.label}</td><td>${m.value === null ? '—' : m.key === 'missing' ? `${m.value}件` : `${m.value}%`}</td><td>${m.limit}</td><td>${m.ok ? '✓ 満たす' : '✗ 下回る'}</td></tr>`,
    )}</tbody>
  </table></div>
  ${
    floor.regressions.length
      ? html`<p class="form-title">いま正しく答えていて、この変更で答えられなくなる質問</p>
  <ul>${floor.regressions.map((r) => html`<li>「${r.text}」（正しくは ${r.expect}、変更後は ${r.got}）</li>`)}</ul>`
      : ''
  }
</div>`;
}

/** What a knowledge-base form shows after 確認とプレビュー or a refused 公開する. */
export interface CheckedForm {
  /** Problems found by the form itself (a new id, a missing note). */
  formErrors?: FormError[];
  /** The knowledge-base check of the draft. */
  check?: { problems: Problem[]; floor?: FloorReport; ok: boolean; setAside?: Problem[]; core?: { kb: KnowledgeBase } };
}

/** `languages/en/sick-child-care.yaml` → 「英語の訳：病児・病後児保育」, in staff's words rather than a path. */
export const translationFileLabel = (file: string, kb: KnowledgeBase | undefined): string =>
  fileSubject(
    file,
    (id) => kb?.entries.get(id)?.title ?? id,
    (code) => kb?.languages.get(code)?.meta.nameJa ?? code,
  );

/** Translations a change leaves behind: a warning, not a refusal (the Japanese goes live; they fall back). */
function setAsideNotice(setAside: readonly Problem[] | undefined, kb: KnowledgeBase | undefined): Html {
  if (!setAside?.length) return html``;
  return html`<section class="notice notice--warn" role="status" aria-labelledby="set-aside-heading">
  <h2 id="set-aside-heading">この変更で、外国語・やさしい日本語の訳 ${setAside.length}件が日本語と合わなくなります</h2>
  <p>公開はできます。訳が直るまで、その部分は代わりの言語（やさしい日本語か日本語）で出します。翻訳の担当に知らせてください。</p>
  ${problemList(setAside, undefined, (f) => translationFileLabel(f, kb))}
</section>`;
}

/**
 * The top of a checked form: what to fix, each linked to its field, or that all is well; then the development-set
 * figures. `link` finds a problem's field on this form; `fileLabel` and `fieldName` name the file and field in staff's words.
 */
export function checkOutcome(
  v: CheckedForm,
  link: (p: Problem) => string | undefined,
  fileLabel: (file: string) => string,
  fieldName: (field: string) => string = fieldLabel,
): Html {
  const formErrors = v.formErrors ?? [];
  const problems = v.check?.problems ?? [];
  const count = formErrors.length + problems.length;
  const top = count
    ? html`<section class="card error-summary" role="alert" aria-labelledby="errors-heading" tabindex="-1" id="errors">
  <h2 id="errors-heading">直す必要があるところ（${count}件）。公開中の内容は変わっていません。</h2>
  ${formErrors.length ? html`<ul class="problems">${formErrors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul>` : ''}
  ${problemList(problems, link, fileLabel, fieldName)}
</section>`
    : v.check?.ok
      ? html`<p class="notice notice--ok" role="status">確認しました。問題は見つかりませんでした。このまま公開できます。</p>`
      : html``;
  return html`${top}
${v.check ? html`${setAsideNotice(v.check.setAside, v.check.core?.kb)}${floorTable(v.check.floor)}` : ''}`;
}

/** The LINE cards a draft makes, as the parent will see them (drawn in the page by the simulator's flex.js). */
export function cardPreview(heading: string, items: readonly { label: string; messages: unknown[] }[] | undefined): Html {
  if (!items?.length) return html``;
  return html`<section class="card preview" aria-labelledby="preview-heading">
  <h2 id="preview-heading">${heading}</h2>
  <div class="preview__list">${items.map(
    (pv) =>
      html`<figure class="preview__item"><figcaption>${pv.label}</figcaption><div class="preview__card" data-line-messages="${JSON.stringify(pv.messages)}"><p class="muted">プレビューを表示するには JavaScript を有効にしてください。</p></div></figure>`,
  )}</div>
</section>`;
}
