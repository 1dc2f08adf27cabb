import { FACILITY_KINDS, FACILITY_KIND_LABELS } from '../../../core/knowledge/facilities/schema.js';
import type { Problem } from '../../../core/knowledge/load.js';
import type { FacilityDraft } from '../facility-form.js';
import { html, rawHtml, type Html } from '../html.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';
import { kbFormPage, kbNav, publishSection, textField } from './kb-entries.js';
import { cardPreview, checkOutcome, type CheckedForm } from './kb-report.js';
import { recordTranslationLinks, type TranslationLink } from './kb-record-translation.js';

type Staff = NonNullable<PageOptions['staff']>;

export interface FacilityRow {
  id: string;
  name: string;
  kind: string;
  area?: string;
  missing: string[];
  oldestChecked: string;
}

export function facilityListPage(v: { rows: FacilityRow[]; version: number | undefined; staff: Staff; notice?: Notice }): Html {
  return page({
    title: '施設の一覧',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>施設の一覧</h1>
${kbNav('/console/kb/facilities')}
<p class="lead">「どこ・何時まで・電話は」の質問に、ボットがカードで案内する施設です。${v.version ? `いま公開中なのは 版${v.version} です。` : ''}施設を選ぶと、住所・電話・時間・出典を直して、確認してから公開できます。<a href="/console/kb/facilities/new">新しい施設を追加する</a></p>
<div class="table-wrap"><table class="entries">
  <caption class="visually-hidden">施設の一覧（${v.rows.length}件）</caption>
  <thead><tr><th scope="col">施設</th><th scope="col">種類</th><th scope="col">地区</th><th scope="col">いちばん古い確認日</th><th scope="col">確認できていない項目</th></tr></thead>
  <tbody>${v.rows.map(
    (r) => html`<tr>
    <td><a href="/console/kb/facilities/${r.id}">${r.name}</a></td>
    <td>${FACILITY_KIND_LABELS[r.kind as keyof typeof FACILITY_KIND_LABELS] ?? r.kind}</td>
    <td>${r.area ?? '—'}</td>
    <td>${r.oldestChecked || '—'}</td>
    <td>${r.missing.length ? html`<span class="badge badge--waiting">${r.missing.join('・')}</span>` : ''}</td>
  </tr>`,
  )}</tbody>
</table></div>`,
  });
}

export interface FacilityFormView extends CheckedForm {
  /** Empty for a new facility. */
  id: string;
  base: number;
  draft: FacilityDraft;
  areas: string[];
  topics: { id: string; title: string }[];
  today: string;
  staff: Staff;
  csrfToken: string;
  message?: string;
  /** LINE messages of the card, for the preview (JSON the browser renders with flex.js). */
  preview?: unknown[];
  notice?: Notice;
  /** The facility's translation in each language, for the links to their forms (on the page as opened). */
  translations?: TranslationLink[];
}

/** The form control a problem of this facility belongs to (`facilities.3.tel` → `tel`). */
export function facilityControl(p: Problem, index: number | undefined): string | undefined {
  const m = /^facilities\.(\d+)\.([a-zA-Z]+)(?:\.(\w+))?/.exec(p.field);
  if (!m || Number(m[1]) !== index) return undefined;
  if (m[2] === 'hours' || m[2] === 'ages') return `${m[2]}.${m[3] && m[3] !== '0' ? m[3] : 'text'}`;
  return m[2];
}

const input = textField;

export function facilityFormPage(v: FacilityFormView, index: number | undefined): Html {
  const f = v.draft.facility;
  const action = v.id ? `/console/kb/facilities/${v.id}` : '/console/kb/facilities/new';
  const heading = v.id ? `${f.name || v.id} を編集` : '新しい施設を追加';
  return kbFormPage({
    heading,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    back: { href: '/console/kb/facilities', label: '施設の一覧へ戻る' },
    body: html`<p class="lead">事実集（出典）にある値だけを書いてください。わからない項目は空欄のままにします（カードに「確認できていません」と出て、子育て支援課の番号を案内します）。直したら「確認とプレビュー」で確かめてから「公開する」を押してください。（版${v.base} をもとに編集）</p>
${checkOutcome(
  v,
  (p) => (facilityControl(p, index) ? `#${facilityControl(p, index)}` : undefined),
  (file) => (file === 'knowledge/_facilities.yaml' ? '施設の台帳' : file),
)}
${cardPreview('プレビュー（LINEで保護者に届くカード）', v.preview ? [{ label: 'この施設を聞かれたとき', messages: v.preview }] : undefined)}
<form method="post" action="${action}" class="stack entry-form">
  ${csrfField(v.csrfToken)}
  <input type="hidden" name="base" value="${v.base}">
  <section class="card stack" aria-labelledby="basic-heading">
    <h2 id="basic-heading">施設</h2>
    ${input('name', '名前（カードの見出し）', f.name, rawHtml(' maxlength="40"'))}
    ${input('reading', '読み（ひらがな。かなだけの質問でも見つかるように）', f.reading)}
    <div class="field"><label for="aliases">別名（1行に1つ。通称・旧名など）</label><textarea id="aliases" name="aliases" rows="2">${f.aliases.join('\n')}</textarea></div>
    <div class="grid2">
      <div class="field"><label for="kind">種類</label><select id="kind" name="kind">${FACILITY_KINDS.map((k) => html`<option value="${k}"${k === f.kind ? rawHtml(' selected') : ''}>${FACILITY_KIND_LABELS[k]}</option>`)}</select></div>
      <div class="field"><label for="public">公立・私立</label><select id="public" name="public">
        <option value=""${f.public === undefined ? rawHtml(' selected') : ''}>出典に書いていない</option>
        <option value="true"${f.public === true ? rawHtml(' selected') : ''}>公立</option>
        <option value="false"${f.public === false ? rawHtml(' selected') : ''}>私立</option>
      </select></div>
    </div>
    <div class="field"><label for="area">地区（島は島の名前）</label><input id="area" name="area" value="${f.area ?? ''}" list="areas"><datalist id="areas">${v.areas.map((a) => html`<option value="${a}"></option>`)}</datalist></div>
    ${input('address', '住所（出典にあるとおり。地図のリンクはここから作ります）', f.address)}
    ${input('addressNote', '住所の補足（〒・建物など）', f.addressNote)}
    ${input('tel', '電話（連絡先の台帳にある番号だけ）', f.tel, rawHtml(' inputmode="tel"'))}
    <div class="grid2">
      ${input('hours.text', '時間（カードに出る文）', f.hours?.text)}
      <div class="grid2">
        ${input('hours.opens', '開く時刻（HH:MM）', f.hours?.opens, rawHtml(' placeholder="07:30"'))}
        ${input('hours.closes', '閉まる時刻（HH:MM）', f.hours?.closes, rawHtml(' placeholder="18:30"'))}
      </div>
    </div>
    <div class="grid2">
      ${input('ages.text', '対象年齢（カードに出る文）', f.ages?.text)}
      <div class="grid2">
        ${input('ages.from', '何歳から（例: 0歳）', f.ages?.from)}
        ${input('ages.to', '何歳まで（例: 就学前、小6）', f.ages?.to)}
      </div>
    </div>
    <div class="field"><label for="offers">内容（1行に1つ。6件まで）</label><textarea id="offers" name="offers" rows="4">${f.offers.join('\n')}</textarea></div>
    ${input('note', '注意書き（古い情報・要確認など）', f.note, rawHtml(' maxlength="200"'))}
    <fieldset class="field choices" id="topics"><legend>関係するサービス（この施設を、そのサービスの答えのあとにも案内します）</legend>
      ${v.topics.map((t) => html`<label class="check"><input type="checkbox" name="topics" value="${t.id}"${f.topics.includes(t.id) ? rawHtml(' checked') : ''}> ${t.title}</label>`)}
    </fieldset>
  </section>
  <h2>出典（この施設が使っているもの。直すと、同じ出典を使うほかの施設にも反映されます）</h2>
  ${v.draft.sources.map(
    (s, i) => html`<fieldset class="card source"><legend>出典「${s.title || s.id}」</legend>
    <label class="check"><input type="checkbox" name="sources" value="${s.id}"${f.sources.includes(s.id) ? rawHtml(' checked') : ''}> この施設の出典として使う（外すと、この施設の出典から外れます）</label>
    ${input(`s.${i}.title`, '名前', s.title)}
    ${input(`s.${i}.url`, 'URL', s.url, rawHtml(' type="url"'))}
    <div class="grid2">${input(`s.${i}.checked`, '確認日（この内容とページを見比べた日）', s.checked, rawHtml(' type="date"'))}${input(`s.${i}.asOf`, '情報の時点（例: 2024年2月時点、掲載時期不明）', s.asOf)}</div>
    <label class="check"><input type="checkbox" name="s.${i}.thirdParty"${s.thirdParty ? rawHtml(' checked') : ''}> 市や国以外のページ</label>
  </fieldset>`,
  )}
  <fieldset class="card source"><legend>新しい出典を追加（使うときだけ書いてください）</legend>
    ${input('s.new.title', '名前', '')}
    ${input('s.new.url', 'URL', '', rawHtml(' type="url"'))}
    <div class="grid2">${input('s.new.checked', '確認日', v.today, rawHtml(' type="date"'))}${input('s.new.asOf', '情報の時点', '')}</div>
    <label class="check"><input type="checkbox" name="s.new.thirdParty"> 市や国以外のページ</label>
  </fieldset>
  ${publishSection(v.message, '例: 新川こども園の開園時間を確認')}
</form>
${recordTranslationLinks(v.translations)}`,
  });
}
