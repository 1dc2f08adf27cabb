import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount } from '../../../src/adapters/console/accounts.js';
import { bootstrapAccount } from '../../../src/adapters/console/setup.js';
import { createLogger } from '../../../src/app/log.js';
import { ConsoleClient, SECRET, STAFF, csrfOf, ensureStaff, startInstance, type Instance } from '../../support/console.js';
import { PUSH, REPLY, startLineStub, type LineStub } from '../../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';

const redis = connectTestRedis();
const prefix = uniquePrefix();
let stub: LineStub;
let app: Instance;
let failPushes = false;
const logLines: string[] = [];

beforeAll(async () => {
  stub = await startLineStub((call) => (failPushes && call.path === PUSH ? { status: 500, body: { message: 'stub failure' } } : undefined));
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  app = await startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix, logger });
  await ensureStaff(app.stores);
});
afterAll(async () => {
  await app.close();
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

/** A parent asks for a person through the signed webhook; returns the open handoff. */
async function openHandoff(userId = newUserId(), ...then: string[]) {
  for (const text of ['担当者と話したい', ...then]) {
    const before = stub.callsTo(REPLY).length;
    expect((await sendEvents(app.url, [textEvent(text, { userId })], SECRET)).status).toBe(200);
    await app.parts.app.drain();
    if (text === '担当者と話したい') await stub.waitForCalls(before + 1, { path: REPLY });
  }
  const h = await app.parts.handoff.openFor(userId);
  expect(h).toBeDefined();
  return h!;
}

async function signedInClient() {
  const c = new ConsoleClient(app.url);
  expect((await c.signIn(STAFF.username, STAFF.password)).status).toBe(303);
  return c;
}

describe('before sign-in', () => {
  it('sends pages to the sign-in form, and refuses the event stream and form posts', async () => {
    const c = new ConsoleClient(app.url);
    const queue = await c.get('/console/');
    expect(queue.res.status).toBe(303);
    expect(queue.res.headers.get('location')).toBe('/console/login');
    const page = await c.get('/console/handoffs/0b0c9d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f');
    expect(page.res.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fhandoffs%2F0b0c9d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f');
    expect((await c.get('/console/events')).res.status).toBe(401);
    expect((await c.post('/console/handoffs/0b0c9d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f/claim', { _csrf: 'x' })).res.status).toBe(401);
  });

  it('serves an accessible Japanese sign-in form with strict security headers and a form-token cookie', async () => {
    const { res, text } = await new ConsoleClient(app.url).get('/console/login');
    expect(res.status).toBe(200);
    expect(text).toContain('<html lang="ja">');
    expect(text).toMatch(/<label for="username">ユーザー名<\/label>/);
    expect(text).toMatch(/<label for="password">パスワード<\/label>/);
    expect(text).not.toMatch(/<script(?![^>]*src=)/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.getSetCookie().join()).toMatch(/kc_console_login=[\w-]{43}; .*Path=\/console\/login; .*HttpOnly; SameSite=Strict/);
  });

  it('serves the client script and stylesheet as static files', async () => {
    const js = await fetch(`${app.url}/console/static/console.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain("new EventSource('/console/events')");
    expect((await fetch(`${app.url}/console/static/console.css`)).headers.get('content-type')).toMatch(/text\/css/);
    // htmx, pinned in package.json, from its package under the same strict policy (no CDN, nothing inline).
    const htmx = await fetch(`${app.url}/console/static/vendor/htmx.min.js`);
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toMatch(/javascript/);
    expect(htmx.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await htmx.text()).toContain('htmx');
    expect((await fetch(`${app.url}/console/static/nothing.js`)).status).toBe(404);
  });
});

describe('sign-in', () => {
  it('signs in with the right password: a new HttpOnly, SameSite=Strict session cookie and the queue', async () => {
    const c = new ConsoleClient(app.url);
    const res = await c.signIn(STAFF.username, STAFF.password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/');
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('kc_console='))!;
    expect(cookie).toMatch(/^kc_console=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    const { res: queue, text } = await c.get('/console/');
    expect(queue.status).toBe(200);
    expect(text).toContain('受付一覧');
    expect(text).toContain('田中 さん');
  });

  it('goes back to the page asked for, but never off the console', async () => {
    const c = new ConsoleClient(app.url);
    const form = await c.get('/console/login?next=/console/handoffs/abc');
    expect(form.text).toContain('name="next" value="/console/handoffs/abc"');
    const res = await c.post('/console/login', { _csrf: csrfOf(form.text), username: STAFF.username, password: STAFF.password, next: '/console/handoffs/abc' });
    expect(res.res.headers.get('location')).toBe('/console/handoffs/abc');
    const evil = new ConsoleClient(app.url);
    const f2 = await evil.get('/console/login');
    const r2 = await evil.post('/console/login', {
      _csrf: csrfOf(f2.text),
      username: STAFF.username,
      password: STAFF.password,
      next: '//evil.example/console/',
    });
    expect(r2.res.headers.get('location')).toBe('/console/');
  });

  it('refuses a wrong password and an unknown user with the same message', async () => {
    const c = new ConsoleClient(app.url);
    const form = await c.get('/console/login');
    const wrong = await c.post('/console/login', { _csrf: csrfOf(form.text), username: STAFF.username, password: 'not-the-password' });
    expect(wrong.res.status).toBe(401);
    expect(wrong.text).toContain('ユーザー名またはパスワードが違います。');
    expect(wrong.res.headers.getSetCookie().some((s) => s.startsWith('kc_console='))).toBe(false);
    const unknown = await c.post('/console/login', { _csrf: csrfOf(wrong.text), username: 'nobody-here', password: STAFF.password });
    expect(unknown.res.status).toBe(401);
    expect(unknown.text).toContain('ユーザー名またはパスワードが違います。');
    expect((await c.get('/console/')).res.status).toBe(303);
  });

  it('refuses a sign-in post without the form token (403)', async () => {
    const c = new ConsoleClient(app.url);
    await c.get('/console/login');
    const res = await c.post('/console/login', { _csrf: null, username: STAFF.username, password: STAFF.password });
    expect(res.res.status).toBe(403);
    expect(res.res.headers.getSetCookie().some((s) => s.startsWith('kc_console='))).toBe(false);
    const noCookie = await new ConsoleClient(app.url).post('/console/login', { _csrf: 'made-up', username: STAFF.username, password: STAFF.password });
    expect(noCookie.res.status).toBe(403);
  });

  it('checks at most 5 passwords of a burst of 150 parallel sign-ins for one name from one address', async () => {
    // An instance with counts of its own: the burst uses up this address's budget.
    const own = uniquePrefix();
    const burst = await startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix: own });
    try {
      await addAccount(burst.stores.accounts, { username: 'takahashi', name: '高橋', password: 'takahashi-password-1' });
      const c = new ConsoleClient(burst.url);
      const token = csrfOf((await c.get('/console/login')).text);
      const statuses = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          c
            .post('/console/login', { _csrf: token, username: 'takahashi', password: i === 149 ? 'takahashi-password-1' : `guess-${i}-xxxxx` })
            .then((r) => r.res.status),
        ),
      );
      const count = (s: number) => statuses.filter((x) => x === s).length;
      // Counted before the password is checked: only 5 were tried (before, 149 × 401 and then the right one got in).
      expect(count(401) + count(303)).toBe(5);
      expect(count(429)).toBe(145);
    } finally {
      await burst.close();
      await deleteKeysWithPrefix(redis, own);
    }
  });

  it('answers 429 with a Japanese message after 5 failed attempts for one user name, even with the right password', async () => {
    await addAccount(app.stores.accounts, { username: 'suzuki', name: '鈴木', password: 'suzuki-password-1' });
    const c = new ConsoleClient(app.url);
    let page = (await c.get('/console/login')).text;
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/console/login', { _csrf: csrfOf(page), username: 'suzuki', password: `guess-${i}-xxxxx` });
      expect(r.res.status).toBe(401);
      page = r.text;
    }
    const blocked = await c.post('/console/login', { _csrf: csrfOf(page), username: 'suzuki', password: 'suzuki-password-1' });
    expect(blocked.res.status).toBe(429);
    expect(blocked.text).toContain('サインインの失敗が続いたため、しばらくサインインできません。');
    expect(Number(blocked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another instance shares the count through Redis.
    const other = await startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix });
    try {
      expect((await new ConsoleClient(other.url).signIn('suzuki', 'suzuki-password-1')).status).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('signed in', () => {
  it('refuses state-changing posts without the session form token, a wrong one, or from another site (403)', async () => {
    const h = await openHandoff();
    const c = await signedInClient();
    const path = `/console/handoffs/${h.id}/note`;
    const missing = await c.post(path, { _csrf: null, text: 'メモ' });
    expect(missing.res.status).toBe(403);
    expect(missing.text).toContain('送信できませんでした');
    expect((await c.post(path, { _csrf: 'x'.repeat(43), text: 'メモ' })).res.status).toBe(403);
    expect((await c.post(path, { text: 'メモ' }, { 'sec-fetch-site': 'cross-site' })).res.status).toBe(403);
    expect((await c.post('/console/logout', { _csrf: null })).res.status).toBe(403);
    expect((await app.parts.transcript.list(h.userId)).some((e) => e.from === 'note')).toBe(false);

    // The token from the page, as a form field or as a header, is accepted.
    expect((await c.post(path, { text: '折り返し電話の希望あり' })).res.status).toBe(303);
    expect((await c.post(path, { _csrf: null, text: '二つ目' }, { 'x-csrf-token': c.csrf })).res.status).toBe(303);
    expect((await app.parts.transcript.list(h.userId)).filter((e) => e.from === 'note').map((e) => [e.text, e.staff])).toEqual([
      ['折り返し電話の希望あり', '田中'],
      ['二つ目', '田中'],
    ]);
  });

  it("answers htmx with the changed parts, or the next page's main part, and the same posts without it with redirects", async () => {
    const h = await openHandoff();
    const c = await signedInClient();
    const here = `/console/handoffs/${h.id}`;
    const hx = (page: string) => ({ 'hx-request': 'true', 'hx-current-url': `${app.url}${page}?m=claimed` });
    await c.get(here);

    // On the conversation: the outcome and the four parts, each replacing its namesake; no page, no redirect.
    const claimed = await c.post(`${here}/claim`, {}, hx(here));
    expect(claimed.res.status).toBe(200);
    expect(claimed.res.headers.get('vary')).toMatch(/HX-Request/i);
    expect(claimed.res.headers.get('hx-push-url')).toBeNull();
    expect(claimed.text).not.toContain('<html');
    expect(claimed.text).toMatch(/^<div id="notices" hx-swap-oob="true"><div class="notice notice--ok" role="status">対応を始めました。/);
    for (const id of ['summary', 'transcript', 'composer', 'actions'])
      expect(claimed.text).toContain(`<section id="${id}" data-live-region hx-swap-oob="true"`);
    expect(claimed.text).toContain('<textarea id="reply-text"');

    // A refusal comes back in place too, with its status and the reason.
    const empty = await c.post(`${here}/reply`, { text: ' ' }, hx(here));
    expect(empty.res.status).toBe(400);
    expect(empty.text).toContain('返信は1〜5000文字で入力してください。');
    expect(empty.text).toContain('<section id="composer" data-live-region hx-swap-oob="true"');

    // A live update: the parts, the last outcome left alone.
    const live = await c.get(here, hx(here));
    expect(live.text).not.toContain('id="notices"');
    expect(live.text).toContain('<section id="transcript" data-live-region hx-swap-oob="true"');
    const queue = await c.get('/console/', hx('/console/'));
    expect(queue.text).toMatch(/^<div id="queue" data-live-region hx-swap-oob="true" data-waiting="\d+">/);

    // Closing leads to the queue: its title and main part in place of this page's, its address for the history.
    const closed = await c.post(`${here}/close`, {}, hx(here));
    expect(closed.res.status).toBe(200);
    expect(closed.res.headers.get('hx-retarget')).toBe('#main');
    expect(closed.res.headers.get('hx-reswap')).toBe('outerHTML');
    expect(closed.res.headers.get('hx-push-url')).toBe('/console/');
    expect(closed.text).toMatch(/^<title>受付一覧 \| 子育てコンシェルジュ 担当者コンソール<\/title>\s*<main id="main" tabindex="-1" data-live="queue">/);
    expect(closed.text).toContain('対応を終了しました。');
    expect((await app.parts.handoff.get(h.id))?.status).toBe('closed');

    // Refused without the token (htmx sends it as X-CSRF-Token): the reason in Japanese, in place of the main part.
    const forged = await c.post(`${here}/note`, { _csrf: null, text: 'メモ' }, hx(here));
    expect(forged.res.status).toBe(403);
    expect(forged.res.headers.get('hx-retarget')).toBe('#main');
    expect(forged.text).toContain('ページを開いてから時間がたったか、正しくない送信です。');
    // Dead ends too: the whole message page, its main part in place of this one's.
    const gone = await c.post('/console/handoffs/0b0c9d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f/note', { text: 'メモ' }, hx(here));
    expect(gone.res.status).toBe(404);
    expect(gone.res.headers.get('hx-retarget')).toBe('#main');
    expect(gone.res.headers.get('hx-reselect')).toBe('#main');
    expect(gone.text).toContain('この相談は見つかりませんでした。');
    const withHeader = await c.post(`${here}/note`, { _csrf: null, text: 'メモ' }, { ...hx(here), 'x-csrf-token': c.csrf });
    expect(withHeader.res.status).toBe(200);
    expect(withHeader.text).toContain('内部メモを残しました。');

    // The page itself sets htmx up without eval or inline style, and gives it the token.
    const page = await c.get(here);
    const config = JSON.parse(/<meta name="htmx-config" content="([^"]+)">/.exec(page.text)![1]!.replaceAll('&quot;', '"')) as Record<string, unknown>;
    expect(config).toMatchObject({ allowEval: false, allowScriptTags: false, includeIndicatorStyles: false, historyCacheSize: 0 });
    expect(config.attributesToSettle).not.toContain('style');
    expect(page.text).toContain(`<body hx-headers="{&quot;X-CSRF-Token&quot;:&quot;${c.csrf}&quot;}">`);
    expect(page.text).not.toMatch(/hx-on|hx-vars|js:/);
  });

  it("escapes a parent's <script> in the transcript and the queue", async () => {
    const attack = '<script>alert("x")</script><img src=x onerror="alert(1)">';
    const h = await openHandoff(newUserId(), attack);
    const c = await signedInClient();
    const { res, text } = await c.get(`/console/handoffs/${h.id}`);
    expect(res.status).toBe(200);
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(text).not.toContain('<script>alert');
    expect(text).not.toContain('<img src=x');
    // Only the console's own script and the pinned htmx.
    expect(text.match(/<script[^>]*>/g)).toEqual([
      '<script src="/console/static/vendor/htmx.min.js" defer>',
      '<script src="/console/static/console.js" defer>',
    ]);
  });

  it('shows a clear error and keeps the text when the reply could not be delivered to LINE', async () => {
    const h = await openHandoff();
    const c = await signedInClient();
    await c.get(`/console/handoffs/${h.id}`);
    expect((await c.post(`/console/handoffs/${h.id}/claim`)).res.status).toBe(303);
    failPushes = true;
    try {
      const r = await c.post(`/console/handoffs/${h.id}/reply`, { text: '明日お電話します' });
      expect(r.res.status).toBe(502);
      expect(r.text).toContain('LINEへの送信に失敗しました。保護者には届いていません。');
      expect(r.text).toMatch(/<textarea id="reply-text"[^>]*>明日お電話します<\/textarea>/);
    } finally {
      failPushes = false;
    }
    expect((await app.parts.transcript.list(h.userId)).some((e) => e.from === 'staff')).toBe(false);
    const ok = await c.post(`/console/handoffs/${h.id}/reply`, { text: '明日お電話します' });
    expect(ok.res.headers.get('location')).toBe(`/console/handoffs/${h.id}?m=sent`);
    expect((await c.get(ok.res.headers.get('location')!)).text).toContain('保護者に送信しました。');
  });

  it('sends a knowledge-base answer card chosen by entry and facet', async () => {
    const h = await openHandoff();
    const c = await signedInClient();
    await c.get(`/console/handoffs/${h.id}`);
    await c.post(`/console/handoffs/${h.id}/claim`);
    const page = (await c.get(`/console/handoffs/${h.id}`)).text;
    expect(page).toContain('<option value="sick-child-care" data-facets="overview');
    const before = stub.callsTo(PUSH).length;
    const r = await c.post(`/console/handoffs/${h.id}/answer`, { intent: 'sick-child-care', facet: 'contact' });
    expect(r.res.headers.get('location')).toBe(`/console/handoffs/${h.id}?m=answer-sent`);
    const push = (await stub.waitForCalls(before + 1, { path: PUSH })).at(-1)!;
    expect(JSON.stringify(push.body)).toContain('tel:0865670211');
    expect((await c.post(`/console/handoffs/${h.id}/answer`, { intent: 'no-such-entry', facet: 'cost' })).res.status).toBe(400);
    expect(stub.invalid).toEqual([]);
  });

  it('signs out: the session is deleted, the cookie cleared, and the old cookie no longer works', async () => {
    const c = await signedInClient();
    const sid = c.cookies.get('kc_console')!;
    const out = await c.post('/console/logout');
    expect(out.res.status).toBe(303);
    expect(out.res.headers.get('location')).toBe('/console/login?m=signed-out');
    expect(out.res.headers.getSetCookie().join()).toMatch(/kc_console=; Path=\/console; Expires=Thu, 01 Jan 1970/);
    const replay = await fetch(`${app.url}/console/`, { redirect: 'manual', headers: { cookie: `kc_console=${sid}` } });
    expect(replay.status).toBe(303);
    expect((await c.get('/console/login?m=signed-out')).text).toContain('サインアウトしました。');
  });

  it('ends the sessions of a removed account at once', async () => {
    await addAccount(app.stores.accounts, { username: 'leaving', name: '退職', password: 'leaving-password' });
    const c = new ConsoleClient(app.url);
    await c.signIn('leaving', 'leaving-password');
    expect((await c.get('/console/')).res.status).toBe(200);
    await app.stores.accounts.remove('leaving');
    expect((await c.get('/console/')).res.status).toBe(303);
  });
});

describe('logs', () => {
  // Runs after the tests above, which typed passwords, parents' messages, replies and notes.
  it('record sign-ins and staff actions by id, never passwords, user names typed at a failed sign-in or any message text', async () => {
    const all = logLines.join('');
    expect(all).toContain('"console":"sign-in","outcome":"ok","staff":"tanaka"');
    expect(all).toContain('"outcome":"bad_credentials"');
    expect(all).toMatch(/"console":"reply","handoffId":"[0-9a-f-]{36}","staff":"tanaka"/);
    for (const secret of [
      STAFF.password,
      'not-the-password',
      'suzuki-password-1',
      'nobody-here',
      '明日お電話します',
      '折り返し電話の希望あり',
      '担当者と話したい',
      '<script>',
      'kc_console=',
    ])
      expect(all).not.toContain(secret);
  });
});

describe('without Redis (local mode)', () => {
  it('signs in with the bootstrap account and marks the cookie Secure behind a trusted https proxy', async () => {
    const local = await startInstance({
      lineApiBaseUrl: stub.baseURL,
      env: { CONSOLE_BOOTSTRAP_USER: 'admin', CONSOLE_BOOTSTRAP_PASSWORD: 'local-admin-pass', TRUST_PROXY: '1' },
    });
    try {
      await bootstrapAccount(
        local.stores.accounts,
        { consoleBootstrap: { username: 'admin', password: 'local-admin-pass' } },
        createLogger({ level: 'silent' }),
      );
      const c = new ConsoleClient(local.url);
      const form = await c.get('/console/login');
      const res = await c.post(
        '/console/login',
        { _csrf: csrfOf(form.text), username: 'admin', password: 'local-admin-pass' },
        { 'x-forwarded-proto': 'https' },
      );
      expect(res.res.status).toBe(303);
      expect(res.res.headers.getSetCookie().find((s) => s.startsWith('kc_console='))).toMatch(/; Secure;|; Secure$/);
      expect((await c.get('/console/')).text).toContain('admin さん');
    } finally {
      await local.close();
    }
  });
});
