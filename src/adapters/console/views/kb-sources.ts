import type { CitedSource } from '../../../core/knowledge/source-urls.js';
import type { WatchRecord } from '../../../app/sources/watch-store.js';
import { html, type Html } from '../html.js';
import { csrfField } from './layout.js';

/** A page the watch found changed, moved or unreachable, with what rests on it. */
export interface WatchedRow {
  source: CitedSource;
  record: WatchRecord;
  /** 「田中 さん」, for the last confirmation. */
  confirmedByName?: string;
}

const jst = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

function what(r: WatchRecord): Html {
  if (r.changedAt !== undefined)
    return html`<strong class="watch-status watch-status--changed">内容が変わりました</strong>（${jst(r.changedAt)} に見つけました）`;
  if (r.status === 'moved')
    return html`<strong class="watch-status watch-status--moved">移動しました</strong>${r.location ? html` → <a href="${r.location}" rel="noopener noreferrer" target="_blank">${r.location}</a>` : ''}`;
  return html`<strong class="watch-status watch-status--unreachable">開けません</strong>（${r.error ?? '不明な理由'}）`;
}

/**
 * The source watch's part of the freshness page: pages whose content changed since a person last confirmed them,
 * moved or cannot be reached, oldest 確認日 first, each with the answers, numbers and facilities that rely on it and
 * the 「確認した」 button (which publishes the new 確認日 for every source with that URL).
 */
export function watchedSection(v: { rows: WatchedRow[]; lastRunAt: number | undefined; enabled: boolean; csrfToken: string }): Html {
  return html`<section class="stack" aria-labelledby="watch-heading">
<h2 id="watch-heading">出典のページの変化</h2>
<p class="lead">${
    v.lastRunAt !== undefined
      ? `出典のページを自動で見に行き、前回の確認から内容が変わったもの・移動したもの・開けないものを、確認日の古い順に並べています（最後に見に行ったのは ${jst(v.lastRunAt)}）。`
      : v.enabled
        ? '出典のページを自動で見に行く設定ですが、まだ一度も見に行っていません。'
        : '出典のページの自動確認は、設定で止められています（始めるにはシステムの担当者に頼んでください）。'
  }ページを開いて回答と見比べ、今も正しければ「確認した」を押してください。その出典を使うすべての回答・電話番号・施設の確認日が今日になり、新しい版として公開されます。違っていたら、下の項目を開いて直してください。</p>
${
  v.rows.length
    ? html`<ol class="stale watched">${v.rows.map(
        ({ source: s, record: r, confirmedByName }) => html`<li class="card">
  <p><a href="${s.url}" rel="noopener noreferrer" target="_blank"><strong>${s.title}</strong></a>（確認日 ${s.checked}）</p>
  <p class="url">${s.url}</p>
  <p>${what(r)}</p>
  <p>最後に見に行った日時 ${jst(r.at)}${r.confirmedAt !== undefined ? `。前回の確認 ${jst(r.confirmedAt)}${confirmedByName ? `（${confirmedByName}）` : ''}` : ''}</p>
  <p>この出典を使っているもの:</p>
  <ul>${s.uses.map((u) => html`<li><a href="${u.href}">${u.label}</a></li>`)}</ul>
  <form method="post" action="/console/kb/freshness/sources" class="inline">
    ${csrfField(v.csrfToken)}
    <input type="hidden" name="url" value="${s.url}">
    <button type="submit" class="button button--primary">確認した（内容は今も正しい）</button>
  </form>
</li>`,
      )}</ol>`
    : html`<p class="empty">${v.lastRunAt !== undefined ? '変わった・移動した・開けない出典はありません。' : '記録はまだありません。'}</p>`
}
</section>`;
}
