import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lineRequestProblems } from './line-openapi.js';

/**
 * A local stand-in for api.line.me (docs/line-platform.md 5.2). Point the SDK client's `baseURL` at `baseURL`.
 * Records every call; `route` can script responses (return undefined for the default). Every reply/push/loading
 * body is validated against LINE's OpenAPI spec; failures collect in `invalid`, which tests assert is empty.
 */

export type Call = { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown };
export type StubReply = { status: number; body?: unknown; headers?: Record<string, string> };
export type StubRoute = (call: Call, all: Call[]) => StubReply | undefined;

export interface LineStub {
  baseURL: string;
  calls: Call[];
  /** Validation failures, one string per problem, prefixed with the call's path. */
  invalid: string[];
  /** Calls to one path, e.g. '/v2/bot/message/reply'. */
  callsTo(path: string): Call[];
  /** Resolves once at least `n` calls (optionally to `path`) were recorded; rejects after `timeoutMs`. */
  waitForCalls(n: number, opts?: { path?: string; timeoutMs?: number }): Promise<Call[]>;
  close(): Promise<void>;
}

export const REPLY = '/v2/bot/message/reply';
export const PUSH = '/v2/bot/message/push';
export const LOADING = '/v2/bot/chat/loading/start';

const SCHEMA_BY_PATH: Record<string, string> = {
  [REPLY]: 'ReplyMessageRequest',
  [PUSH]: 'PushMessageRequest',
  [LOADING]: 'ShowLoadingAnimationRequest',
};

export function defaultReply(c: Call): StubReply {
  if (c.path === REPLY || c.path === PUSH) return { status: 200, body: { sentMessages: [{ id: '1' }] } };
  if (c.path === LOADING) return { status: 202, body: {} };
  if (c.path === '/v2/bot/chat/markAsRead') return { status: 200, body: {} };
  if (c.path.startsWith('/v2/bot/profile/')) return { status: 200, body: { userId: c.path.split('/').pop(), displayName: 'テスト' } };
  return { status: 404, body: { message: 'Not found' } };
}

export async function startLineStub(route: StubRoute = () => undefined): Promise<LineStub> {
  const calls: Call[] = [];
  const invalid: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
        invalid.push(`${req.url}: body is not JSON`);
      }
      const call: Call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      const schema = SCHEMA_BY_PATH[call.path];
      if (schema) invalid.push(...lineRequestProblems(schema, body).map((p) => `${call.path}: ${p}`));
      calls.push(call);
      const r = route(call, calls) ?? defaultReply(call);
      res.writeHead(r.status, { 'content-type': 'application/json', 'x-line-request-id': `stub-${calls.length}`, ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  const callsTo = (path: string) => calls.filter((c) => c.path === path);
  async function waitForCalls(n: number, { path, timeoutMs = 3000 }: { path?: string; timeoutMs?: number } = {}): Promise<Call[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = path ? callsTo(path) : calls;
      if (seen.length >= n) return seen;
      if (Date.now() > deadline) throw new Error(`expected ${n} call(s)${path ? ` to ${path}` : ''} within ${timeoutMs} ms, got ${seen.length}: ${calls.map((c) => c.path).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  return {
    baseURL: `http://127.0.0.1:${port}`,
    calls,
    invalid,
    callsTo,
    waitForCalls,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
