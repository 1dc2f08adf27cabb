import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { messagingApi } from '@line/bot-sdk';
import { readImageHeader } from '../../src/adapters/richmenu/image-header.js';
import { lineRequestProblems, messagingApiValidator } from './line-openapi.js';

/**
 * A local stand-in for api.line.me (docs/line-platform.md 5.2). Point the SDK client's `baseURL` at `baseURL`.
 * Records every call; `route` can script responses (return undefined for the default). Every reply/push/loading
 * and rich menu body is validated against LINE's OpenAPI spec; failures collect in `invalid`, which tests assert
 * is empty.
 *
 * It also keeps rich menus like LINE does (create, image upload, default, list, delete). The image upload lives on
 * api-data.line.me: start a second stub with `host: 'data'` sharing the same `richMenus` state to check that the
 * upload goes to the data host (a stub with the default `host: 'both'` answers everything).
 */

/** `body` is the parsed JSON; binary uploads (image/*, application/octet-stream) leave it undefined: see `bytes`. */
export type Call = { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown; bytes: Buffer };
/**
 * `delayMs`: answer this much later (a slow LINE; the call is recorded at once). `until`: answer only once it settles
 * (a LINE call the test holds in flight for as long as it needs).
 */
export type StubReply = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number; until?: Promise<unknown> };
export type StubRoute = (call: Call, all: Call[]) => StubReply | undefined;

export interface LineStub {
  baseURL: string;
  calls: Call[];
  richMenus: RichMenuState;
  /** Validation failures, one string per problem, prefixed with the call's path. */
  invalid: string[];
  /** Calls to one path, e.g. '/v2/bot/message/reply'. */
  callsTo(path: string): Call[];
  /** Calls not answered yet whose connection the caller still holds open (a hung call the caller has not let go of). */
  held(): number;
  /** Resolves once at least `n` calls (optionally to `path`) were recorded; rejects after `timeoutMs` (default 10 s). */
  waitForCalls(n: number, opts?: { path?: string; timeoutMs?: number }): Promise<Call[]>;
  close(): Promise<void>;
}

export const REPLY = '/v2/bot/message/reply';
export const PUSH = '/v2/bot/message/push';
export const LOADING = '/v2/bot/chat/loading/start';
export const RICHMENU = '/v2/bot/richmenu';
export const RICHMENU_VALIDATE = '/v2/bot/richmenu/validate';
export const RICHMENU_LIST = '/v2/bot/richmenu/list';
export const richMenuContentPath = (id: string) => `/v2/bot/richmenu/${id}/content`;
export const richMenuPath = (id: string) => `/v2/bot/richmenu/${id}`;
export const defaultRichMenuPath = (id: string) => `/v2/bot/user/all/richmenu/${id}`;

const SCHEMA_BY_PATH: Record<string, string> = {
  [REPLY]: 'ReplyMessageRequest',
  [PUSH]: 'PushMessageRequest',
  [LOADING]: 'ShowLoadingAnimationRequest',
  [RICHMENU]: 'RichMenuRequest',
  [RICHMENU_VALIDATE]: 'RichMenuRequest',
};

export type StubHost = 'api' | 'data' | 'both';

export interface StubRichMenu {
  request: messagingApi.RichMenuRequest;
  image?: { contentType: string; bytes: number };
}

/** Rich menus as LINE would hold them for one channel; share one between an 'api' and a 'data' stub. */
export interface RichMenuState {
  menus: Map<string, StubRichMenu>;
  defaultId?: string;
  /** Per-user links (linkRichMenuIdToUser): user id → rich menu id. */
  links: Map<string, string>;
  /** Every rich menu call in arrival order, across all stubs sharing this state. */
  log: { host: StubHost; method: string; path: string; contentType?: string; status: number }[];
}

export const newRichMenuState = (): RichMenuState => ({ menus: new Map(), links: new Map(), log: [] });

/** Puts a menu into the state as if created earlier (with its image uploaded, optionally as the default). */
export function seedRichMenu(state: RichMenuState, request: messagingApi.RichMenuRequest, opts: { isDefault?: boolean; image?: boolean } = {}): string {
  const id = `richmenu-${randomBytes(16).toString('hex')}`;
  state.menus.set(id, { request: structuredClone(request), ...(opts.image === false ? {} : { image: { contentType: 'image/png', bytes: 1 } }) });
  if (opts.isDefault) state.defaultId = id;
  return id;
}

const IMAGE_MAX_BYTES = 1024 * 1024;
const BINARY = /^(image\/|application\/octet-stream)/;
const isRichMenuPath = (path: string) => path.startsWith('/v2/bot/richmenu') || /^\/v2\/bot\/user\/[^/]+\/richmenu/.test(path);
const badRequest = (message: string): StubReply => ({ status: 400, body: { message } });
const notFound: StubReply = { status: 404, body: { message: 'Not found' } };

/** LINE's rich menu behaviour, as far as publishing needs it; undefined for paths it does not cover. */
function richMenuReply(c: Call, host: StubHost, state: RichMenuState, problems: string[]): StubReply | undefined {
  const content = /^\/v2\/bot\/richmenu\/([^/]+)\/content$/.exec(c.path);
  if (content) {
    // The image endpoints exist on api-data.line.me only.
    if (host === 'api' || c.method !== 'POST') return notFound;
    const menu = state.menus.get(content[1]!);
    if (!menu) return notFound;
    const type = String(c.headers['content-type'] ?? '');
    if (type !== 'image/png' && type !== 'image/jpeg') return { status: 415, body: { message: `Unsupported content type: ${type}` } };
    if (c.bytes.length > IMAGE_MAX_BYTES) return badRequest('Image file size is too large');
    const header = readImageHeader(c.bytes);
    if (!header || `image/${header.format}` !== type) return badRequest('Invalid image');
    if (header.width !== menu.request.size?.width || header.height !== menu.request.size?.height) return badRequest('Image size must match the rich menu size');
    if (menu.image) return badRequest('An image has already been uploaded to the richmenu');
    menu.image = { contentType: type, bytes: c.bytes.length };
    return { status: 200, body: {} };
  }
  if (host === 'data') return undefined;
  const rejected = problems.length
    ? { status: 400, body: { message: `The request body has ${problems.length} error(s)`, details: problems.map((message) => ({ message })) } }
    : undefined;
  if (c.method === 'POST' && c.path === RICHMENU_VALIDATE) return rejected ?? { status: 200, body: {} };
  if (c.method === 'POST' && c.path === RICHMENU) {
    if (rejected) return rejected;
    const id = `richmenu-${randomBytes(16).toString('hex')}`;
    state.menus.set(id, { request: c.body as messagingApi.RichMenuRequest });
    return { status: 200, body: { richMenuId: id } };
  }
  if (c.method === 'GET' && c.path === RICHMENU_LIST)
    return { status: 200, body: { richmenus: [...state.menus].map(([richMenuId, m]) => ({ richMenuId, ...m.request })) } };
  const one = /^\/v2\/bot\/richmenu\/([^/]+)$/.exec(c.path);
  if (one && (c.method === 'GET' || c.method === 'DELETE')) {
    const menu = state.menus.get(one[1]!);
    if (!menu) return notFound;
    if (c.method === 'GET') return { status: 200, body: { richMenuId: one[1], ...menu.request } };
    state.menus.delete(one[1]!);
    if (state.defaultId === one[1]) state.defaultId = undefined;
    return { status: 200, body: {} };
  }
  const setDefault = /^\/v2\/bot\/user\/all\/richmenu\/([^/]+)$/.exec(c.path);
  if (setDefault && c.method === 'POST') {
    const menu = state.menus.get(setDefault[1]!);
    if (!menu) return notFound;
    if (!menu.image) return badRequest('must upload richmenu image before applying it to user');
    state.defaultId = setDefault[1];
    return { status: 200, body: {} };
  }
  const link = /^\/v2\/bot\/user\/(U[0-9a-f]{32})\/richmenu(?:\/([^/]+))?$/.exec(c.path);
  if (link) {
    const [, userId, id] = link;
    if (id && c.method === 'POST') {
      const menu = state.menus.get(id);
      if (!menu) return notFound;
      if (!menu.image) return badRequest('must upload richmenu image before applying it to user');
      state.links.set(userId!, id);
      return { status: 200, body: {} };
    }
    if (!id && c.method === 'DELETE') {
      state.links.delete(userId!);
      return { status: 200, body: {} };
    }
    if (!id && c.method === 'GET') {
      const linked = state.links.get(userId!) ?? state.defaultId;
      return linked ? { status: 200, body: { richMenuId: linked } } : notFound;
    }
  }
  if (c.path === '/v2/bot/user/all/richmenu') {
    if (c.method === 'GET') return state.defaultId ? { status: 200, body: { richMenuId: state.defaultId } } : notFound;
    if (c.method === 'DELETE') {
      state.defaultId = undefined;
      return { status: 200, body: {} };
    }
  }
  return undefined;
}

export function defaultReply(c: Call): StubReply {
  if (c.path === REPLY || c.path === PUSH) return { status: 200, body: { sentMessages: [{ id: '1' }] } };
  if (c.path === LOADING) return { status: 202, body: {} };
  if (c.path === '/v2/bot/chat/markAsRead') return { status: 200, body: {} };
  if (c.path.startsWith('/v2/bot/profile/')) return { status: 200, body: { userId: c.path.split('/').pop(), displayName: 'テスト' } };
  return { status: 404, body: { message: 'Not found' } };
}

export interface LineStubOptions {
  /** Which LINE host this stub plays; 'both' (default) answers the api.line.me and api-data.line.me paths. */
  host?: StubHost;
  /** Shared rich menu state (see newRichMenuState); a fresh one by default. */
  richMenus?: RichMenuState;
}

export async function startLineStub(route: StubRoute = () => undefined, opts: LineStubOptions = {}): Promise<LineStub> {
  // Compiled now rather than at the first call: that takes seconds on a busy machine, during which the stub could not
  // answer and the app's LINE call could time out.
  messagingApiValidator();
  const calls: Call[] = [];
  const invalid: string[] = [];
  const host = opts.host ?? 'both';
  const richMenus = opts.richMenus ?? newRichMenuState();
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    held.add(res);
    res.once('close', () => held.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const binary = BINARY.test(String(req.headers['content-type'] ?? ''));
      const raw = binary ? '' : bytes.toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
        invalid.push(`${req.url}: body is not JSON`);
      }
      const call: Call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, bytes };
      const schema = call.method === 'POST' ? SCHEMA_BY_PATH[call.path] : undefined;
      const problems = schema ? lineRequestProblems(schema, body) : [];
      invalid.push(...problems.map((p) => `${call.path}: ${p}`));
      calls.push(call);
      const r = route(call, calls) ?? (isRichMenuPath(call.path) ? richMenuReply(call, host, richMenus, problems) : undefined) ?? defaultReply(call);
      if (isRichMenuPath(call.path))
        richMenus.log.push({
          host,
          method: call.method,
          path: call.path,
          status: r.status,
          ...(binary ? { contentType: String(req.headers['content-type']) } : {}),
        });
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(r.status, { 'content-type': 'application/json', 'x-line-request-id': `stub-${calls.length}`, ...r.headers });
        res.end(r.body === undefined ? '' : JSON.stringify(r.body));
      };
      const later = () => (r.delayMs ? setTimeout(answer, r.delayMs) : answer());
      if (r.until) void r.until.finally(later);
      else later();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  const callsTo = (path: string) => calls.filter((c) => c.path === path);
  // The deadline only bounds a failing wait: a passing one returns as soon as the calls are there. The first call to a
  // stub compiles LINE's OpenAPI validators, seconds on a busy machine, hence not less than 10 s.
  async function waitForCalls(n: number, { path, timeoutMs = 10_000 }: { path?: string; timeoutMs?: number } = {}): Promise<Call[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = path ? callsTo(path) : calls;
      if (seen.length >= n) return seen;
      if (Date.now() > deadline)
        throw new Error(`expected ${n} call(s)${path ? ` to ${path}` : ''} within ${timeoutMs} ms, got ${seen.length}: ${calls.map((c) => c.path).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  return {
    baseURL: `http://127.0.0.1:${port}`,
    calls,
    richMenus,
    invalid,
    callsTo,
    held: () => held.size,
    waitForCalls,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
