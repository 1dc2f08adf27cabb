import type { Contact, Facet } from '../../../core/knowledge/schema.js';
import { FACET_LABELS, TOPIC_LABELS } from '../../../core/knowledge/labels.js';
import type { Problem } from '../../../core/knowledge/load.js';
import { exampleLine, type EntryDraft } from '../kb-form.js';
import { html, rawHtml, type Html } from '../html.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';
import { cardPreview, checkOutcome, type CheckedForm } from './kb-report.js';

type Staff = NonNullable<PageOptions['staff']>;

export interface EntryRow {
  id: string;
  title: string;
  topic: string;
  summary: string;
  facets: number;
  oldestChecked: string;
  unconfirmed: number;
  expired: number;
}

/** The end of every knowledge-base form: check and preview, what changed (for the history), publish. */
export const publishSection = (message: string | undefined, example: string): Html =>
  html`<section class="card stack" aria-labelledby="publish-heading">
    <h2 id="publish-heading">確認と公開</h2>
    <div><button type="submit" name="action" value="preview" class="button">確認とプレビュー</button></div>
    <div class="field">
      <label for="message">何を変えたか（公開の履歴に残ります）</label>
      <input id="message" name="message" value="${message ?? ''}" maxlength="200" placeholder="${example}">
    </div>
    <div><button type="submit" name="action" value="publish" class="button button--primary">公開する</button></div>
  </section>`;

/** One labelled text input of a knowledge-base form; its id is its name. */
export const textField = (id: string, label: string, value: string | undefined, extra: Html | string = '') =>
  html`<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" value="${value ?? ''}"${extra}></div>`;

/** A page with a knowledge-base form: the way back to its list, its heading, and the scripts that draw card previews. */
export const kbFormPage = (o: { heading: string; staff: Staff; notice?: Notice; back: { href: string; label: string }; body: Html }): Html =>
  page({
    title: o.heading,
    staff: o.staff,
    modules: ['/console/static/kb-preview.js'],
    styles: ['/console/static/flex/flex.css'],
    ...(o.notice ? { notice: o.notice } : {}),
    body: html`<p class="back"><a href="${o.back.href}">← ${o.back.label}</a></p>
<h1>${o.heading}</h1>
${o.body}`,
  });

export const kbNav = (current: string): Html => {
  const links: [string, string][] = [
    ['/console/kb', '項目の一覧'],
    ['/console/kb/new', '新しい項目を作る'],
    ['/console/kb/facilities', '施設の一覧'],
    ['/console/kb/contacts', '連絡先の台帳'],
    ['/console/kb/copy', '決まった文の訳'],
    ['/console/kb/emergency', '緊急時の案内の訳'],
    ['/console/kb/freshness', '確認が必要な情報'],
    ['/console/kb/reports', 'まちがいの報告'],
    ['/console/kb/versions', '公開の履歴'],
    ['/console/kb/csv', '表計算ソフトで編集'],
  ];
  return html`<nav class="subnav" aria-label="知識ベース">${links.map(([href, label]) => html`<a href="${href}"${href === current ? rawHtml(' aria-current="page"') : ''}>${label}</a>`)}</nav>`;
};

export function entryListPage(v: { rows: EntryRow[]; q: string; version: number | undefined; staff: Staff; notice?: Notice }): Html {
  return page({
    title: '知識ベース',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>知識ベース</h1>
${kbNav('/console/kb')}
<p class="lead">ボットが答える内容です。${v.version ? `いま公開中なのは 版${v.version} です。` : ''}項目を選ぶと、回答の文章・出典・例文を直して、確認してから公開できます。</p>
<form method="get" action="/console/kb" class="search" role="search">
  <label for="q">項目をさがす</label>
  <input id="q" name="q" type="search" value="${v.q}" placeholder="例: 病児保育、料金、予約">
  <button type="submit" class="button">さがす</button>
</form>
${
  v.rows.length
    ? html`<div class="table-wrap"><table class="entries">
  <caption class="visually-hidden">項目の一覧（${v.rows.length}件）</caption>
  <thead><tr><th scope="col">項目</th><th scope="col">分類</th><th scope="col">いちばん古い確認日</th><th scope="col">注意</th></tr></thead>
  <tbody>${v.rows.map(
    (r) => html`<tr>
    <td><a href="/console/kb/entries/${r.id}">${r.title}</a><br><span class="muted">${r.summary}</span></td>
    <td>${TOPIC_LABELS[r.topic] ?? r.topic}</td>
    <td>${r.oldestChecked || '—'}</td>
    <td>${r.expired ? html`<span class="badge badge--urgent">期限切れの出典 ${r.expired}</span> ` : ''}${r.unconfirmed ? html`<span class="badge badge--waiting">未確認 ${r.unconfirmed}</span>` : ''}</td>
  </tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="empty">「${v.q}」に当てはまる項目はありません。</p>`
}`,
  });
}

export interface EntryFormView extends CheckedForm {
  id: string;
  base: number;
  draft: EntryDraft;
  contacts: Contact[];
  staff: Staff;
  csrfToken: string;
  message?: string;
  /** LINE messages per facet, for the preview (JSON the browser renders with flex.js). */
  preview?: { facet: Facet; messages: unknown[] }[];
  notice?: Notice;
  /** The entry as each other language shows it now, for staff to review, each with the way to its translation form. */
  translations?: TranslationReview[];
}

export interface TranslationReview {
  /** The language's name in Japanese (英語). */
  name: string;
  /** The form that edits the entry's translation into the language. */
  href: string;
  /** Its title and summary, or undefined when the entry is not translated into it (the fallback is shown). */
  title?: string;
  summary?: string;
  /** Per facet the Japanese has: the words a parent reading this language gets, and in which language they are. */
  facets: { facet: Facet; text: string; shownIn: string; translated: boolean }[];
  /** Parts set aside because they no longer match the Japanese (numbers, writing rules). */
  stale: string[];
}

/** Each language's version of the entry: what a parent reading it receives, what falls back, and the way to fix it. */
function translationsSection(list: readonly TranslationReview[] | undefined): Html | '' {
  if (!list?.length) return '';
  return html`<section class="card stack" aria-labelledby="translations-heading">
  <h2 id="translations-heading">ほかの言語での答え</h2>
  <p class="hint">外国語・やさしい日本語を選んだ保護者に届く内容です。電話番号・日付・出典は日本語のものがそのまま使われます。訳は下のボタンから、日本語を見ながら直して公開できます。日本語を直して数字が変わると、その部分の訳は自動で外れ、直るまで代わりの言語で届きます。</p>
  <ul class="item__actions translation__actions">${list.map(
    (t) =>
      html`<li><a class="button${t.stale.length ? ' button--primary' : ''}" href="${t.href}">${t.name}の${t.stale.length ? '訳のずれを直す' : t.title === undefined ? '訳を書く' : '訳を直す'}</a></li>`,
  )}</ul>
  ${list.map(
    (t) => html`<details class="translation"${t.stale.length ? rawHtml(' open') : ''}>
    <summary><strong>${t.name}</strong>${t.title === undefined ? '（未訳）' : `：${t.title}`}${t.stale.length ? html` <span class="badge badge--urgent">訳のずれ ${t.stale.length}件</span>` : ''}</summary>
    ${t.stale.length ? html`<ul class="problems">${t.stale.map((s) => html`<li>${s}</li>`)}</ul>` : ''}
    ${t.summary !== undefined ? html`<p>${t.summary}</p>` : ''}
    <dl class="facts">${t.facets.map(
      (f) =>
        html`<div class="facts__row"><dt>${FACET_LABELS[f.facet]}${f.translated ? '' : html`<br><span class="muted">（${f.shownIn}で表示）</span>`}</dt><dd class="msg__text">${f.text}</dd></div>`,
    )}</dl>
  </details>`,
  )}
</section>`;
}

/** The form control a problem belongs to, so the error summary can link to it. */
export function controlFor(p: Problem, v: Pick<EntryFormView, 'id' | 'draft'>): string | undefined {
  if (p.file === `intents/${v.id}.yaml`) return p.field.startsWith('keywords') ? 'keywords' : 'examples';
  if (p.file !== `knowledge/${v.id}.yaml`) return undefined;
  const st = /^facets\.(\w+)\.statements\.(\d+)(?:\.(from|until))?/.exec(p.field);
  if (st) return `f.${st[1]}.st.${st[2]}.${st[3] ?? 'text'}`;
  const f = /^facets\.(\w+)(?:\.(text|sources|phones|unconfirmed))?/.exec(p.field);
  if (f) return `f.${f[1]}.${f[2] === 'sources' || f[2] === 'phones' ? `${f[2]}-fieldset` : 'text'}`;
  const s = /^sources\.(\d+)(?:\.(\w+))?/.exec(p.field);
  if (s) return `s.${s[1]}.${s[2] && ['title', 'url', 'checked', 'validUntil', 'asOf'].includes(s[2]) ? s[2] : 'title'}`;
  if (p.field === 'title' || p.field === 'summary') return p.field;
  return undefined;
}

function facetFields(f: Facet, v: EntryFormView): Html {
  const x = v.draft.facets[f]!;
  const p = `f.${f}.`;
  return html`<fieldset class="card stack facet" id="facet-${f}">
  <legend>${FACET_LABELS[f]}</legend>
  <div class="field">
    <label for="${p}text">${FACET_LABELS[f]}の回答</label>
    <p class="hint" id="${p}text-hint">保護者に届く文章です（1200文字まで）。電話番号は、下の「電話」で選んだ連絡先の番号だけを書けます。</p>
    <textarea id="${p}text" name="${p}text" rows="6" maxlength="1200" aria-describedby="${p}text-hint">${x.text}</textarea>
  </div>
  <fieldset class="choices" id="${p}sources-fieldset">
    <legend>出典（1つ以上）</legend>
    ${v.draft.sources.map((s) => html`<label><input type="checkbox" name="${p}sources" value="${s.id}"${x.sources.includes(s.id) ? rawHtml(' checked') : ''}> ${s.title}</label>`)}
  </fieldset>
  <details class="choices-wrap"${x.phones.length ? '' : rawHtml(' open')}>
    <summary>電話: ${x.phones.length ? x.phones.map((id) => v.contacts.find((c) => c.id === id)?.name ?? id).join('、') : 'なし'}（変えるときは開いてください）</summary>
    <fieldset class="choices" id="${p}phones-fieldset">
      <legend>電話（カードにタップで電話できるボタンを出す連絡先）</legend>
      ${v.contacts.map((c) => html`<label><input type="checkbox" name="${p}phones" value="${c.id}"${x.phones.includes(c.id) ? rawHtml(' checked') : ''}> ${c.name} ${c.tel}</label>`)}
    </fieldset>
  </details>
  <label class="check"><input type="checkbox" name="${p}unconfirmed"${x.unconfirmed ? rawHtml(' checked') : ''}> 詳細は未確認（回答に「※ 詳細は未確認です」と子育て支援課への問い合わせ先を添えます）</label>
  <details class="choices-wrap"${x.statements?.length ? rawHtml(' open') : ''}>
    <summary>期間つきの文: ${x.statements?.length ? `${x.statements.length}件` : 'なし'}（制度が変わる日が決まっているとき）</summary>
    <p class="hint">開始日からは今の決まりとして、開始日の60日前からは「【◯年◯月◯日から】」をつけて、回答の後ろに添えます。終了日を過ぎた文は案内しません。文は決まりそのものとして書いてください（「高校生までが対象です」）。</p>
    ${[...(x.statements ?? []), undefined].map((st, i) => statementRow(`${p}st.${i}.`, st))}
  </details>
</fieldset>`;
}

function statementRow(p: string, st: { text: string; from?: string; until?: string } | undefined): Html {
  return html`<fieldset class="card statement">
  <legend>${st ? '期間つきの文' : '期間つきの文を追加（使うときだけ書いてください）'}</legend>
  <div class="field"><label for="${p}text">文</label><textarea id="${p}text" name="${p}text" rows="2" maxlength="600">${st?.text ?? ''}</textarea></div>
  <div class="grid2">
    <div class="field"><label for="${p}from">開始日（この日から）</label><input id="${p}from" name="${p}from" type="date" value="${st?.from ?? ''}"></div>
    <div class="field"><label for="${p}until">終了日（この日まで）</label><input id="${p}until" name="${p}until" type="date" value="${st?.until ?? ''}"></div>
  </div>
  ${st ? html`<label class="check"><input type="checkbox" name="${p}remove"> この文を削除する</label>` : ''}
</fieldset>`;
}

function sourceRow(s: EntryDraft['sources'][number] | undefined, i: number, isNew: boolean): Html {
  const p = `s.${i}.`;
  const val = (k: 'title' | 'url' | 'checked' | 'validUntil' | 'asOf') => s?.[k] ?? '';
  return html`<fieldset class="card source">
  <legend>${isNew ? '新しい出典を追加（使うときだけ書いてください）' : html`出典「${s!.title || s!.id}」`}</legend>
  ${isNew ? html`<div class="field"><label for="${p}id">出典ID（英小文字・数字・ハイフン）</label><input id="${p}id" name="${p}id" value="${s?.id ?? ''}" pattern="[a-z0-9][a-z0-9\\-]*"></div>` : ''}
  <div class="field"><label for="${p}title">名前</label><input id="${p}title" name="${p}title" value="${val('title')}"></div>
  <div class="field"><label for="${p}url">URL</label><input id="${p}url" name="${p}url" type="url" value="${val('url')}"></div>
  <div class="grid2">
    <div class="field"><label for="${p}checked">確認日（この内容とページを見比べた日）</label><input id="${p}checked" name="${p}checked" type="date" value="${val('checked')}"></div>
    <div class="field"><label for="${p}validUntil">有効期限（例: 2026年度 / 2027-03-31）</label><input id="${p}validUntil" name="${p}validUntil" value="${val('validUntil')}"></div>
  </div>
  <div class="field"><label for="${p}asOf">情報の時点（例: 2024年4月更新、掲載時期不明）</label><input id="${p}asOf" name="${p}asOf" value="${val('asOf')}"></div>
  <label class="check"><input type="checkbox" name="${p}thirdParty"${s?.thirdParty ? rawHtml(' checked') : ''}> 市や国以外のページ（ボットは断定しません）</label>
  ${isNew ? '' : html`<label class="check"><input type="checkbox" name="${p}remove"> この出典を削除する</label>`}
</fieldset>`;
}

export function entryFormPage(v: EntryFormView, original: { sourceIds: string[] }): Html {
  const facets = (Object.keys(v.draft.facets) as Facet[]).filter((f) => v.draft.facets[f]);
  // Existing sources keep their row number (the form's s.N fields); removed ones are still shown, ticked.
  const rows = original.sourceIds.map((id, i) => ({ i, s: v.draft.sources.find((s) => s.id === id) ?? { id, title: '', url: '', checked: '' } }));
  const added = v.draft.sources.find((s) => !original.sourceIds.includes(s.id));
  return page({
    title: `${v.draft.title || v.id} を編集`,
    staff: v.staff,
    modules: ['/console/static/kb-preview.js'],
    styles: ['/console/static/flex/flex.css'],
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<p class="back"><a href="/console/kb">← 項目の一覧へ戻る</a></p>
<h1>${v.draft.title || v.id} を編集</h1>
<p class="lead">直したら「確認とプレビュー」で、問題がないか・保護者にどう見えるかを確かめてから、「公開する」を押してください。公開すると数秒ですべてのボットに反映されます。（版${v.base} をもとに編集）</p>
${checkOutcome(
  v,
  (p) => (controlFor(p, v) ? `#${controlFor(p, v)}` : undefined),
  (f) => (f === `knowledge/${v.id}.yaml` ? 'この項目' : f === `intents/${v.id}.yaml` ? 'この項目の聞かれ方' : f),
)}
${cardPreview(
  'プレビュー（LINEで保護者に届くカード）',
  v.preview?.map((pv) => ({ label: `${FACET_LABELS[pv.facet]}を聞かれたとき`, messages: pv.messages })),
)}
<form method="post" action="/console/kb/entries/${v.id}" class="stack entry-form">
  ${csrfField(v.csrfToken)}
  <input type="hidden" name="base" value="${v.base}">
  <section class="card stack" aria-labelledby="basic-heading">
    <h2 id="basic-heading">基本</h2>
    <div class="field"><label for="title">タイトル（20文字まで。LINEの選択ボタンにも出ます）</label><input id="title" name="title" value="${v.draft.title}" maxlength="20"></div>
    <div class="field"><label for="summary">要約（120文字まで）</label><textarea id="summary" name="summary" rows="2" maxlength="120">${v.draft.summary}</textarea></div>
  </section>
  <h2>回答</h2>
  ${facets.map((f) => facetFields(f, v))}
  <h2>出典</h2>
  ${rows.map(({ i, s }) => sourceRow(s, i, false))}
  ${sourceRow(added, original.sourceIds.length, true)}
  <section class="card stack" aria-labelledby="examples-heading">
    <h2 id="examples-heading">聞かれ方（例文とキーワード）</h2>
    <div class="field">
      <label for="examples">例文（1行に1つ。保護者が実際に送りそうな文。10件以上）</label>
      <p class="hint" id="examples-hint">例文がほかの項目に判定されると公開できません。その場合は言い換えてください。1つの例文の中の改行は「\n」と書きます。</p>
      <textarea id="examples" name="examples" rows="10" aria-describedby="examples-hint">${v.draft.examples.map(exampleLine).join('\n')}</textarea>
    </div>
    <div class="field"><label for="keywords">キーワード（1行に1つ）</label><textarea id="keywords" name="keywords" rows="4">${v.draft.keywords.join('\n')}</textarea></div>
  </section>
  ${publishSection(v.message, '例: 料金を2026年度の額に更新')}
</form>
${translationsSection(v.translations)}`,
  });
}
