import type { FieldChange } from '../../../core/knowledge/diff.js';
import type { EntryTranslationValue } from '../../../core/knowledge/editing/translation-patch.js';
import { FACET_LABELS } from '../../../core/knowledge/labels.js';
import type { Problem } from '../../../core/knowledge/load.js';
import type { Facet, KnowledgeEntry } from '../../../core/knowledge/schema.js';
import { html, type Html } from '../html.js';
import { cardPreview, checkOutcome, type CheckedForm } from './kb-report.js';
import { kbFormPage, publishSection } from './kb-entries.js';
import { changeParts } from './kb-versions.js';
import type { Notice, PageOptions } from './layout.js';
import { csrfField } from './layout.js';

type Staff = NonNullable<PageOptions['staff']>;

/** A part of the translation set aside because it no longer matches the Japanese, and what changed in the Japanese. */
export interface StalePart {
  /** 「料金 › 本文：数字が日本語と合いません（…）」, in staff's words. */
  text: string;
  /** The control to fix it in. */
  control: string | undefined;
  /** The Japanese changes since the translation was written (word by word), when the history still holds them. */
  japaneseChanges: FieldChange[];
}

export interface TranslationFormView extends CheckedForm {
  id: string;
  base: number;
  /** The language's name in Japanese (英語). */
  language: string;
  /** The language's code, only for the form's address. */
  code: string;
  /** The Japanese entry the translation translates, shown beside each field. */
  japanese: KnowledgeEntry;
  draft: EntryTranslationValue;
  /** Whether the entry had a translation into the language before this form. */
  exists: boolean;
  stale: StalePart[];
  staff: Staff;
  csrfToken: string;
  message?: string;
  preview?: { facet: Facet; messages: unknown[] }[];
  notice?: Notice;
}

/** The form control a problem of this translation belongs to (`facets.cost.statements.1` → `f.cost.st.1`). */
export function translationControl(p: Pick<Problem, 'field'>): string | undefined {
  if (p.field === 'title' || p.field === 'summary') return p.field;
  const st = /^facets\.(\w+)\.statements\.(\d+)/.exec(p.field);
  if (st) return `f.${st[1]}.st.${st[2]}`;
  const f = /^facets\.(\w+)/.exec(p.field);
  return f ? `f.${f[1]}.text` : undefined;
}

/** The Japanese being translated, beside the box the translation is written in. */
const japaneseBeside = (id: string, label: string, text: string) =>
  html`<div class="translation-source"><p class="form-title" id="${id}-ja-label">日本語（${label}）</p><p class="msg__text" aria-labelledby="${id}-ja-label">${text}</p></div>`;

/** One translated field: its Japanese, then the box its translation is written in. */
export function row(
  id: string,
  label: string,
  japanese: string,
  value: string,
  o: { rows?: number; maxlength?: number; hint?: string; input?: boolean } = {},
): Html {
  return html`<div class="grid2 translation-row">
  ${japaneseBeside(id, label, japanese)}
  <div class="field">
    <label for="${id}">${label}の訳</label>
    ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
    ${
      o.input
        ? html`<input id="${id}" name="${id}" value="${value}"${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}>`
        : // A browser drops one line break right after <textarea>: this one, so a sentence that starts with a break keeps it.
          html`<textarea id="${id}" name="${id}" rows="${o.rows ?? 6}"${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}>
${value}</textarea>`
    }
  </div>
</div>`;
}

/** The parts set aside, each with the Japanese that changed since it was translated. */
export function stalePanel(stale: readonly StalePart[]): Html | '' {
  if (!stale.length) return '';
  return html`<section class="notice notice--warn" aria-labelledby="stale-heading">
  <h2 id="stale-heading">日本語と合わなくなった訳（${stale.length}件）</h2>
  <p>日本語が変わったため、この部分の訳はいま使われていません（代わりの言語で出しています）。下の欄に前の訳が入っています。変わった日本語に合わせて直し、確認してから公開してください。</p>
  <ul class="problems">${stale.map(
    (s) => html`<li>${s.control ? html`<a href="#${s.control}">${s.text}</a>` : s.text}
    ${
      s.japaneseChanges.length
        ? html`<div class="stack">${s.japaneseChanges.map(
            (c) => html`<div class="diff"><p class="diff__where">変わった日本語：${c.field}</p><div class="diff__text">${changeParts(c)}</div></div>`,
          )}</div>`
        : ''
    }</li>`,
  )}</ul>
</section>`;
}

export function translationFormPage(v: TranslationFormView): Html {
  const ja = v.japanese;
  const facets = (Object.keys(v.draft.facets) as Facet[]).filter((f) => ja.facets[f]);
  const heading = `「${ja.title}」の${v.language}の訳`;
  const action = `/console/kb/entries/${v.id}/translations/${v.code}`;
  return kbFormPage({
    heading,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    back: { href: `/console/kb/entries/${v.id}`, label: `「${ja.title}」の編集へ戻る` },
    body: html`<p class="lead">日本語を見ながら訳を書きます。電話番号・金額・年齢・日付・時刻・URLは、日本語と同じものを数字で書いてください（合わないと公開できません）。${v.exists ? '' : `この項目はまだ${v.language}に訳されていません。訳のない部分は代わりの言語で出します。`}直したら「確認とプレビュー」で確かめてから「公開する」を押してください。（版${v.base} をもとに編集）</p>
${checkOutcome(
  v,
  (p) => (p.file.startsWith('languages/') && translationControl(p) ? `#${translationControl(p)}` : undefined),
  () => `${v.language}の訳`,
)}
${stalePanel(v.stale)}
${cardPreview(
  `プレビュー（${v.language}を選んだ保護者にLINEで届くカード）`,
  v.preview?.map((pv) => ({ label: `${FACET_LABELS[pv.facet]}を聞かれたとき`, messages: pv.messages })),
)}
<form method="post" action="${action}" class="stack entry-form">
  ${csrfField(v.csrfToken)}
  <input type="hidden" name="base" value="${v.base}">
  <section class="card stack" aria-labelledby="basic-heading">
    <h2 id="basic-heading">基本</h2>
    ${row('title', 'タイトル', ja.title, v.draft.title, { input: true, maxlength: 20, hint: '20文字まで。LINEの選択ボタンにも出ます。' })}
    ${row('summary', '要約', ja.summary, v.draft.summary, { rows: 3 })}
  </section>
  <h2>回答</h2>
  ${facets.map(
    (f) => html`<fieldset class="card stack facet" id="facet-${f}">
    <legend>${FACET_LABELS[f]}</legend>
    ${row(`f.${f}.text`, `${FACET_LABELS[f]}の回答`, ja.facets[f]!.text, v.draft.facets[f]!.text, { hint: '空欄にすると、この回答は代わりの言語で出します。' })}
    ${ja.facets[f]!.statements.map((st, i) =>
      row(`f.${f}.st.${i}`, `期間つきの文 ${i + 1}件目`, st.text, v.draft.facets[f]!.statements[i] ?? '', {
        rows: 2,
        hint: '日付は日本語のものを使います。文だけを訳してください。',
      }),
    )}
  </fieldset>`,
  )}
  ${publishSection(v.message, `例: ${v.language}の料金の訳を日本語に合わせて直した`)}
</form>`,
  });
}
