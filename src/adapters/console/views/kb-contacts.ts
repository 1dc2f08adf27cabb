import type { ContactValue } from '../../../core/knowledge/editing/contact-patch.js';
import type { Problem } from '../../../core/knowledge/load.js';
import type { Contact, Facet } from '../../../core/knowledge/schema.js';
import { html, rawHtml, type Html } from '../html.js';
import { page, csrfField, type Notice, type PageOptions } from './layout.js';
import { kbFormPage, kbNav, publishSection, textField } from './kb-entries.js';
import { cardPreview, checkOutcome, type CheckedForm } from './kb-report.js';
import { recordTranslationLinks, type TranslationLink } from './kb-record-translation.js';

type Staff = NonNullable<PageOptions['staff']>;

export type ContactUse =
  | { kind: 'answer'; label: string; href: string; intent: string; facet: Facet }
  | { kind: 'facility'; label: string; href: string; id: string }
  | { kind: 'emergency'; label: string };

export function contactListPage(v: { rows: (Contact & { uses: number })[]; version: number | undefined; staff: Staff; notice?: Notice }): Html {
  return page({
    title: '連絡先の台帳',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>連絡先の台帳</h1>
${kbNav('/console/kb/contacts')}
<p class="lead">ボットが案内してよい電話番号の一覧です。回答や施設に書く番号は、出典つきでここに載っている必要があります。${v.version ? `いま公開中なのは 版${v.version} です。` : ''}<a href="/console/kb/contacts/new">新しい連絡先を追加する</a></p>
<div class="table-wrap"><table class="entries">
  <caption class="visually-hidden">連絡先の一覧（${v.rows.length}件）</caption>
  <thead><tr><th scope="col">名前</th><th scope="col">電話番号</th><th scope="col">番号の時点</th><th scope="col">確認日</th><th scope="col">使われている所</th></tr></thead>
  <tbody>${v.rows.map(
    (c) => html`<tr>
    <td><a href="/console/kb/contacts/${c.id}">${c.name}</a>${c.thirdParty ? html` <span class="badge">市以外の情報源</span>` : ''}</td>
    <td>${c.tel}</td>
    <td>${c.asOf ?? '—'}</td>
    <td>${c.checked}</td>
    <td>${c.uses ? `${c.uses}か所` : html`<span class="muted">なし</span>`}</td>
  </tr>`,
  )}</tbody>
</table></div>`,
  });
}

export interface ContactFormView extends CheckedForm {
  /** Empty for a new contact. */
  id: string;
  base: number;
  draft: ContactValue;
  /** The contact's place in the ledger (problems name it as `contacts.<index>`). */
  index: number | undefined;
  uses: ContactUse[];
  staff: Staff;
  csrfToken: string;
  message?: string;
  /** The cards that give the number, as LINE messages (JSON the browser renders with flex.js). */
  preview?: { label: string; messages: unknown[] }[];
  notice?: Notice;
  /** The contact's translation in each language, for the links to their forms (on the page as opened). */
  translations?: TranslationLink[];
}

const CONTROLS = new Set(['id', 'name', 'tel', 'asOf', 'note', 'source', 'checked']);

/** The form control a problem of this contact belongs to (`contacts.3.tel` → `tel`). */
export function contactControl(p: Problem, index: number | undefined): string | undefined {
  const m = /^contacts\.(\d+)\.(\w+)/.exec(p.field);
  return m && Number(m[1]) === index && CONTROLS.has(m[2]!) ? m[2] : undefined;
}

const input = textField;

export function contactFormPage(v: ContactFormView): Html {
  const c = v.draft;
  const heading = v.id ? `${c.name || v.id} を編集` : '新しい連絡先を追加';
  return kbFormPage({
    heading,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    back: { href: '/console/kb/contacts', label: '連絡先の台帳へ戻る' },
    body: html`<p class="lead">番号は出典のページに書かれているとおりに、出典のURLと確認した日を添えて登録します。市外局番から始まる番号には、出典がその番号を載せた時点（例: 2020年時点、掲載時期不明）も書いてください。カードでは番号の横に出ます。（版${v.base} をもとに編集）</p>
${checkOutcome(
  v,
  (p) => (contactControl(p, v.index) ? `#${contactControl(p, v.index)}` : undefined),
  (file) => (file === 'knowledge/_contacts.yaml' ? '連絡先の台帳' : file),
)}
${cardPreview('プレビュー（この番号を案内するカード）', v.preview)}
${
  v.id
    ? html`<section class="card" aria-labelledby="uses-heading"><h2 id="uses-heading">この番号を使っているところ</h2>${
        v.uses.length
          ? html`<ul>${v.uses.map((u) => html`<li>${'href' in u ? html`<a href="${u.href}">${u.label}</a>` : u.label}</li>`)}</ul>`
          : html`<p class="muted">まだどの回答・施設でも使われていません。項目の編集の「電話」で選べます。</p>`
      }</section>`
    : ''
}
<form method="post" action="${v.id ? `/console/kb/contacts/${v.id}` : '/console/kb/contacts/new'}" class="stack entry-form">
  ${csrfField(v.csrfToken)}
  <input type="hidden" name="base" value="${v.base}">
  <section class="card stack" aria-labelledby="contact-heading">
    <h2 id="contact-heading">連絡先</h2>
    ${input('name', '名前（カードの電話ボタンに出ます）', c.name)}
    ${input('tel', '電話番号（例: 0865-69-2132、#8000）', c.tel, rawHtml(' inputmode="tel"'))}
    ${input('asOf', '番号の時点（出典がその番号を載せた時点。例: 2020年時点、掲載時期不明）', c.asOf)}
    ${input('note', '補足（住所・受付時間など、出典にあること）', c.note)}
    ${input('source', '出典のURL', c.source, rawHtml(' type="url"'))}
    ${input('checked', '確認日（この番号と出典を見比べた日）', c.checked, rawHtml(' type="date"'))}
    <label class="check"><input type="checkbox" name="thirdParty"${c.thirdParty ? rawHtml(' checked') : ''}> 市や国以外のページ（ボットは断定しません）</label>
  </section>
  ${publishSection(v.message, '例: こども家庭センターの番号を追加')}
</form>
${recordTranslationLinks(v.translations)}`,
  });
}
