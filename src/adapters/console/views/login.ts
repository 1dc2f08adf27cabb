import { html, type Html } from '../html.js';
import { page, type Notice } from './layout.js';

export interface LoginView {
  /** The double-submit token (see csrf.ts). */
  token: string;
  username?: string;
  next?: string;
  notice?: Notice;
}

export function loginPage(v: LoginView): Html {
  return page({
    title: 'サインイン',
    ...(v.notice ? { notice: v.notice } : {}),
    body: html`<section class="card narrow">
  <h1>サインイン</h1>
  <p>担当者のユーザー名とパスワードを入力してください。</p>
  <form method="post" action="/console/login" class="stack">
    <input type="hidden" name="_csrf" value="${v.token}">
    ${v.next && html`<input type="hidden" name="next" value="${v.next}">`}
    <div class="field">
      <label for="username">ユーザー名</label>
      <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${v.username ?? ''}">
    </div>
    <div class="field">
      <label for="password">パスワード</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
    </div>
    <button type="submit" class="button button--primary">サインイン</button>
  </form>
</section>`,
  });
}
