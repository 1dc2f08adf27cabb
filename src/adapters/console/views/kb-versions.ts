import type { KbDiff } from '../../../core/knowledge/diff.js';
import type { VersionMeta } from '../../../app/publishing/store.js';
import { isoTime, jpDateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { kbNav } from './kb-entries.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';

type Staff = NonNullable<PageOptions['staff']>;

export function versionListPage(v: {
  versions: VersionMeta[];
  current: number | undefined;
  serving: number | undefined;
  staffName: (u: string) => string;
  csrfToken: string;
  staff: Staff;
  notice?: Notice;
}): Html {
  return page({
    title: '公開の履歴',
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<h1>公開の履歴</h1>
${kbNav('/console/kb/versions')}
<p class="lead">新しい順です。「この版に戻す」を押すと、その版の内容を新しい版として公開します（履歴は消えません）。</p>
${
  v.versions.length
    ? html`<ol class="versions" reversed>${v.versions.map(
        (x) => html`<li class="card version${x.n === v.current ? ' version--current' : ''}">
  <p class="version__head"><strong>版${x.n}</strong>${x.n === v.current ? html` <span class="badge badge--active">公開中</span>` : ''}
    <time datetime="${isoTime(x.at)}">${jpDateTime(x.at)}</time> ／ ${v.staffName(x.author)}</p>
  <p class="version__message">${x.message || '（説明なし）'}</p>
  <p class="muted">${x.rollbackOf ? `版${x.rollbackOf}に戻しました。` : ''}${x.summary}</p>
  <div class="item__actions">
    <a class="button" href="/console/kb/versions/${x.n}">変更を見る</a>
    ${
      x.n !== v.current
        ? html`<form method="post" action="/console/kb/versions/${x.n}/rollback" class="inline" data-confirm="版${x.n}の内容に戻して公開しますか？（数秒ですべてのボットに反映されます）">${csrfField(v.csrfToken)}<button type="submit" class="button button--danger">この版に戻す</button></form>`
        : ''
    }
  </div>
</li>`,
      )}</ol>`
    : html`<p class="empty">まだ公開された版はありません。</p>`
}`,
  });
}

/** A change's words, with what was added and removed marked (also shown to translators: the Japanese that changed). */
export function changeParts(p: KbDiff['changes'][number]): Html {
  if (!p.parts) return html`${p.kind === 'added' ? html`<ins>${p.after ?? ''}</ins>` : html`<del>${p.before ?? ''}</del>`}`;
  return html`${p.parts.map((x) => (x.added ? html`<ins>${x.value}</ins>` : x.removed ? html`<del>${x.value}</del>` : html`<span>${x.value}</span>`))}`;
}

const KIND = { added: '追加', removed: '削除', changed: '変更' } as const;

export function versionDiffPage(v: {
  meta: VersionMeta;
  previous: number | undefined;
  diff: KbDiff;
  staffName: (u: string) => string;
  staff: Staff;
  notice?: Notice;
}): Html {
  const m = v.meta;
  return page({
    title: `版${m.n}の変更`,
    staff: v.staff,
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<p class="back"><a href="/console/kb/versions">← 公開の履歴へ戻る</a></p>
<h1>版${m.n}の変更</h1>
<p class="lead"><time datetime="${isoTime(m.at)}">${jpDateTime(m.at)}</time> ／ ${v.staffName(m.author)} ／ ${m.message || '（説明なし）'}${m.rollbackOf ? `（版${m.rollbackOf}に戻した版）` : ''}</p>
${
  !v.previous
    ? html`<p>最初の版です。これより前の版がないので、比べる変更はありません。</p>`
    : html`<p>版${v.previous}からの変更です。<span class="legend"><ins>追加された文字</ins> <del>削除された文字</del></span></p>`
}
${
  !v.previous
    ? ''
    : v.diff.changes.length
      ? html`<ul class="diff">${v.diff.changes.map(
          (c) => html`<li class="card diff__item">
  <p class="diff__where"><strong>${c.subject}</strong> › ${c.field} <span class="badge">${KIND[c.kind]}</span></p>
  <div class="diff__text">${changeParts(c)}</div>
</li>`,
        )}</ul>`
      : html`<p class="empty">変更はありません。</p>`
}`,
  });
}
