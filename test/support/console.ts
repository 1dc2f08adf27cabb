import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { assembleServices, serve, type Assembled } from '../../src/assemble.js';
import { addAccount } from '../../src/adapters/console/accounts.js';
import type { LoginLimits } from '../../src/adapters/console/rate-limit.js';
import { createConsole, type StaffConsole } from '../../src/adapters/console/router.js';
import { consoleStores, type ConsoleStores } from '../../src/adapters/console/setup.js';
import { loadConfig } from '../../src/adapters/config/env.js';
import { createLogger, type Logger } from '../../src/app/log.js';
import { readKnowledgeFolders } from '../../src/core/knowledge/files.js';
import { defaultDirs } from '../../src/core/knowledge/load.js';
import { addExample, checkExample } from '../../src/app/publishing/add-example.js';
import { startKnowledge, type KnowledgeService } from '../../src/adapters/stores/knowledge-service.js';
import { getCore } from './core.js';
import { startLineStub, type LineStub } from './line-stub.js';
import { sourceWatchParts } from '../../src/adapters/stores/redis-source-watch.js';
import type { JobLock, WatchStore } from '../../src/app/sources/watch-store.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export const SECRET = 'console-test-channel-secret';
export const STAFF = { username: 'tanaka', name: '田中', password: 'kasaoka-test-pass-1' };

export interface Instance {
  url: string;
  parts: Assembled;
  console: StaffConsole;
  stores: ConsoleStores;
  knowledge: KnowledgeService;
  /** The source watch's store and lock (the watch itself is started by tests that want it). */
  watch: { store: WatchStore; lock: JobLock };
  close(): Promise<void>;
}

/** One app instance as `npm start` builds it (assemble + console), listening on a free port. */
export async function startInstance(opts: {
  lineApiBaseUrl: string;
  redis?: Redis;
  prefix?: string;
  limits?: Partial<LoginLimits>;
  env?: Record<string, string>;
  logger?: Logger;
  evalFile?: string;
}): Promise<Instance> {
  const core = await getCore();
  const config = loadConfig({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'console-test-token',
    LINE_API_BASE_URL: opts.lineApiBaseUrl,
    ...opts.env,
  });
  const logger = opts.logger ?? createLogger({ level: 'silent' });
  const stores = consoleStores({ redis: opts.redis, prefix: opts.prefix, config, limits: opts.limits });
  // The live knowledge base as npm start has it: versions in the store (Redis under the test's prefix, or memory),
  // seeded from the repository; the shared test core stands in for building the seed again.
  const knowledge = await startKnowledge({
    redis: opts.redis,
    prefix: opts.prefix,
    logger,
    evalFile: opts.evalFile ?? config.kbEvalFile,
    root: REPO_ROOT,
    pollMs: 0,
    prebuilt: { files: readKnowledgeFolders(defaultDirs(REPO_ROOT)), core },
  });
  const wiring = {
    config,
    core: () => knowledge.live.core(),
    knowledgeVersion: () => knowledge.live.version(),
    logger,
    redis: opts.redis,
    prefix: opts.prefix,
    sweepIntervalMs: 0,
    webhook: { pushRetryDelaysMs: [10], loadingAfterMs: 60_000 },
  };
  const services = assembleServices(wiring);
  const watch = sourceWatchParts({ redis: opts.redis, prefix: opts.prefix, retentionSeconds: 86_400 });
  const staffConsole = createConsole({
    ...stores,
    sourceWatch: { store: watch.store, enabled: false },
    reports: services.reports,
    handoff: services.handoff,
    events: services.events,
    core: () => knowledge.live.core(),
    knowledge,
    logger,
    heartbeatMs: 200,
    insights: {
      stats: services.stats,
      unanswered: services.unanswered,
      examples: {
        check: (intent, text) => checkExample(knowledge, knowledge.live.core().concierge, intent, text),
        add: (intent, text, staff, base) => addExample(knowledge, knowledge.live.core().concierge, intent, text, staff, base),
      },
    },
  });
  const parts = serve(wiring, services, [staffConsole.router]);
  const server = await new Promise<Server>((ok) => {
    const s = parts.app.listen(0, '127.0.0.1', () => ok(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    parts,
    console: staffConsole,
    stores,
    knowledge,
    watch,
    async close() {
      staffConsole.stream.closeAll();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await knowledge.close();
      await parts.close();
    },
  };
}

export async function ensureStaff(stores: ConsoleStores, staff = STAFF): Promise<void> {
  if (!(await stores.accounts.get(staff.username))) {
    const r = await addAccount(stores.accounts, staff);
    if (!r.ok) throw new Error(r.problem);
  }
}

/** In a browser on the sign-in form: fills it in as `staff` and submits it (the caller waits for where it leads). */
export async function submitSignIn(page: Page, staff = STAFF): Promise<void> {
  await page.getByLabel('ユーザー名').fill(staff.username);
  await page.getByLabel('パスワード').fill(staff.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

export const csrfOf = (page: string): string => {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
};

/** A browser-like client: keeps cookies (console paths only) and the page's form token. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  private remember(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (!value || /Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private headers(extra: Record<string, string> = {}) {
    const cookie = this.cookieHeader();
    return { ...(cookie ? { cookie } : {}), ...extra };
  }

  async get(path: string, extra: Record<string, string> = {}): Promise<{ res: Response; text: string }> {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: this.headers(extra) });
    this.remember(res);
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m && !path.startsWith('/console/login')) this.csrf = m[1]!;
    return { res, text };
  }

  /** POSTs a form; `_csrf` is added from the last page unless given (or given as null to leave it out). */
  async post(path: string, form: Record<string, string | null> = {}, extra: Record<string, string> = {}): Promise<{ res: Response; text: string }> {
    const body = new URLSearchParams();
    const withToken = '_csrf' in form ? form : { _csrf: this.csrf, ...form };
    for (const [k, v] of Object.entries(withToken)) if (v !== null) body.set(k, v);
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...extra }),
      body,
    });
    this.remember(res);
    return { res, text: await res.text() };
  }

  /** The sign-in form, then the credentials; returns the POST's response. */
  async signIn(username: string, password: string): Promise<Response> {
    const form = await this.get('/console/login');
    const { res } = await this.post('/console/login', { _csrf: csrfOf(form.text), username, password });
    if (res.status === 303) await this.get('/console/');
    return res;
  }
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Reads a text/event-stream response as it arrives; comments (heartbeats) are counted, not returned. */
export function readEvents(res: Response) {
  const events: SseEvent[] = [];
  let comments = 0;
  let buffer = '';
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) comments++;
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: data ?? '' });
      }
    }
  })();
  return {
    events,
    get comments() {
      return comments;
    },
    /** Resolves with the first event (seen or to come) matching `test`. */
    async waitFor(test: (e: SseEvent) => boolean, timeoutMs = 3000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find(test);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    /** Resolves when the server has ended the stream. */
    ended: pump,
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

/** A LINE API stub and one instance talking to it, with the test staff account; `close()` stops both. */
export async function startStaffedInstance(
  opts: Omit<Parameters<typeof startInstance>[0], 'lineApiBaseUrl'> = {},
): Promise<{ stub: LineStub; app: Instance; close(): Promise<void> }> {
  const stub = await startLineStub();
  const app = await startInstance({ ...opts, lineApiBaseUrl: stub.baseURL });
  await ensureStaff(app.stores);
  return {
    stub,
    app,
    async close() {
      await app.close();
      await stub.close();
    },
  };
}
