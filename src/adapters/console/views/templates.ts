import { PLACEHOLDERS } from '../template-fill.js';
import { MAX_TEMPLATES, TEXT_MAX, TITLE_MAX, type Template } from '../templates.js';
import { jpDateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';

export interface TemplatesView {
  templates: Template[];
  staffName: (username: string) => string;
  csrfToken: string;
  /** The form that was refused, shown again with what was written (id of the template, or 'new'). */
  draft?: { id: string; title: string; text: string };
}

function fields(prefix: string, title: string, text: string): Html {
  return html`<div class="field">
    <label for="${prefix}-title">タイトル（一覧に出る名前）</label>
    <input type="text" id="${prefix}-title" name="title" maxlength="${TITLE_MAX}" required value="${title}">
  </div>
  <div class="field">
    <label for="${prefix}-text">本文</label>
    <textarea id="${prefix}-text" name="text" rows="4" maxlength="${TEXT_MAX}" required>${text}</textarea>
  </div>`;
}

export function templatesPage(v: TemplatesView, staff: NonNullable<PageOptions['staff']>, notice?: Notice): Html {
  const draftFor = (id: string) => (v.draft?.id === id ? v.draft : undefined);
  const fresh = draftFor('new');
  return page({
    title: '定型文',
    staff,
    ...(notice ? { notice } : {}),
    body: html`<h1>定型文</h1>
<p class="lead">相談の画面で、返信の入力欄に入れられる文です。入れたあとで書き直してから送れます。担当者全員で共有します（最大${MAX_TEMPLATES}件）。</p>
<section class="card" aria-labelledby="placeholders-heading">
  <h2 id="placeholders-heading">差し込み</h2>
  <p>本文に次のように書くと、入力欄に入れるときに置き換わります。</p>
  <dl class="facts">${Object.entries(PLACEHOLDERS).map(([name, what]) => html`<div class="facts__row"><dt><code>{${name}}</code></dt><dd>${what}</dd></div>`)}</dl>
</section>
<h2>定型文を追加する</h2>
<form method="post" action="/console/templates" class="card stack">
  ${csrfField(v.csrfToken)}
  ${fields('new', fresh?.title ?? '', fresh?.text ?? '')}
  <div><button type="submit" class="button button--primary">追加する</button></div>
</form>
<h2>登録済みの定型文 <span class="count">${v.templates.length}件</span></h2>
${
  v.templates.length
    ? html`<ul class="queue">${v.templates.map((t) => {
        const d = draftFor(t.id);
        return html`<li class="item">
  <form method="post" action="/console/templates/${t.id}" class="stack">
    ${csrfField(v.csrfToken)}
    ${fields(`t-${t.id}`, d?.title ?? t.title, d?.text ?? t.text)}
    <p class="muted">最終更新：${jpDateTime(t.updatedAt)}（${v.staffName(t.updatedBy)} さん）</p>
    <div><button type="submit" class="button">保存する</button></div>
  </form>
  <form method="post" action="/console/templates/${t.id}/delete" class="stack" data-confirm="定型文「${t.title}」を削除しますか？">
    ${csrfField(v.csrfToken)}
    <div><button type="submit" class="button button--danger">削除する</button></div>
  </form>
</li>`;
      })}</ul>`
    : html`<p class="empty">まだ定型文はありません。</p>`
}`,
  });
}
