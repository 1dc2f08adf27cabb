import { fieldLabel } from '../../../core/knowledge/messages.js';
import type { RecordField } from '../record-translation.js';
import { html, type Html } from '../html.js';
import { cardPreview, checkOutcome, type CheckedForm } from './kb-report.js';
import { kbFormPage, publishSection } from './kb-entries.js';
import { row, stalePanel, type StalePart } from './kb-translation.js';
import type { Notice, PageOptions } from './layout.js';
import { csrfField } from './layout.js';

type Staff = NonNullable<PageOptions['staff']>;

export interface RecordTranslationView extends CheckedForm {
  /** The form's address (`/console/kb/facilities/<id>/translations/<code>`). */
  action: string;
  back: { href: string; label: string };
  /** 「連絡先」「施設」 */
  noun: string;
  /** The record's Japanese name. */
  name: string;
  language: string;
  base: number;
  fields: RecordField[];
  draft: Record<string, string>;
  exists: boolean;
  stale: StalePart[];
  /** The form control of a problem, when it is one of this record's. */
  control: (field: string) => string | undefined;
  staff: Staff;
  csrfToken: string;
  message?: string;
  preview?: { label: string; messages: unknown[] }[];
  notice?: Notice;
}

/** A contact's or a facility's words in one language, each beside its Japanese, with the same check and publish. */
export function recordTranslationPage(v: RecordTranslationView): Html {
  return kbFormPage({
    heading: `${v.noun}「${v.name}」の${v.language}の訳`,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    back: v.back,
    body: html`<p class="lead">日本語を見ながら訳を書きます。電話番号・住所・地区・出典は日本語のものがそのまま使われます。文の中の数字（時刻・年齢・日付）は日本語と同じものを数字で書いてください（合わないと公開できません）。${v.exists ? '' : `この${v.noun}はまだ${v.language}に訳されていません。`}すべて空欄にすると、代わりの言語で出します。（版${v.base} をもとに編集）</p>
${checkOutcome(
  v,
  (p) => (v.control(p.field) ? `#${v.control(p.field)}` : undefined),
  () => `${v.language}の訳`,
  // The field as this form names it (「内容 4件目」), not by the record's place in the ledger.
  (field) => v.fields.find((f) => f.key === v.control(field))?.label ?? fieldLabel(field),
)}
${stalePanel(v.stale)}
${cardPreview(`プレビュー（${v.language}を選んだ保護者にLINEで届くカード）`, v.preview)}
<form method="post" action="${v.action}" class="stack entry-form">
  ${csrfField(v.csrfToken)}
  <input type="hidden" name="base" value="${v.base}">
  <section class="card stack" aria-labelledby="record-heading">
    <h2 id="record-heading">${v.noun}の訳</h2>
    ${v.fields.map((f) => row(f.key, f.label, f.japanese, v.draft[f.key] ?? '', f.long ? { rows: 3 } : { input: true }))}
  </section>
  ${publishSection(v.message, `例: ${v.noun}の${v.language}の名前を直した`)}
</form>`,
  });
}

/** A record's translation into one language, as its page links to it. */
export interface TranslationLink {
  name: string;
  href: string;
  exists: boolean;
  stale: number;
}

/** The links from a contact's or a facility's page to its translation in each language. */
export function recordTranslationLinks(list: readonly TranslationLink[] | undefined): Html | '' {
  if (!list?.length) return '';
  return html`<section class="card stack" aria-labelledby="record-translations-heading">
  <h2 id="record-translations-heading">ほかの言語での名前と説明</h2>
  <p class="hint">外国語・やさしい日本語を選んだ保護者のカードに出る言葉です。番号や住所は日本語のものがそのまま使われます。</p>
  <ul class="item__actions translation__actions">${list.map(
    (t) =>
      html`<li><a class="button${t.stale ? ' button--primary' : ''}" href="${t.href}">${t.name}の${t.stale ? '訳のずれを直す' : t.exists ? '訳を直す' : '訳を書く'}</a>${t.stale ? html` <span class="badge badge--urgent">訳のずれ ${t.stale}件</span>` : ''}</li>`,
  )}</ul>
</section>`;
}
