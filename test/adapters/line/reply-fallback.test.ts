import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/adapters/config/env.js';
import type { ConversationHandler } from '../../../src/app/conversation/service-types.js';
import type { OutputChannel } from '../../../src/app/conversation/output-channel.js';
import { emptyState, type Incoming, type Response } from '../../../src/core/conversation/types.js';
import { createLogger } from '../../../src/app/log.js';
import { MemoryStateStore } from '../../../src/app/conversation/memory-state-store.js';
import { createApp, type ConciergeApp } from '../../../src/adapters/http/app.js';
import { LineHttpClient } from '../../../src/adapters/line/http-client.js';
import { lineLedger, reportFaults, type Fault, type LineLedger } from '../../support/line-ledger.js';
import { PUSH, REPLY, startLineStub, type Call, type LineStub } from '../../support/line-stub.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';

// Issue 17 item 11. LINE's reply endpoint refuses (429, 5xx), hangs, or takes the reply and answers too late; an
// expired token is refused with 400. Each parent must get the answer once: by reply when LINE took it, else by a
// push carrying a retry key. The stub refuses reused reply tokens and repeated retry keys, as LINE does.
const SECRET = 'fallback-secret';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class Echo implements ConversationHandler {
  async handle(_userId: string, message: Incoming, _meta?: unknown, output?: OutputChannel): Promise<Response> {
    const text = message.kind === 'text' ? message.text : message.kind;
    const response: Response = {
      decision: { action: 'smalltalk' } as Response['decision'],
      replies: [{ type: 'text', text }],
      quickReplies: [],
      state: emptyState(),
    };
    await output?.send(response);
    return response;
  }
  async unsend(): Promise<void> {}
  async forget(): Promise<void> {}
}

const token = (c: Call) => String((c.body as { replyToken?: unknown }).replyToken);

/** Scenario name → the fault LINE shows a call (`first`: whether it is the first call with this reply token / retry key). */
const scenarios: Record<string, (c: Call, first: boolean) => Fault | undefined> = {
  'reply refused with 429': (c) => (c.path === REPLY ? { kind: 'refuse', status: 429 } : undefined),
  'reply refused with 500 every time': (c) => (c.path === REPLY ? { kind: 'refuse', status: 500 } : undefined),
  'reply refused with 503 once': (c, first) => (c.path === REPLY && first ? { kind: 'refuse', status: 503 } : undefined),
  'reply hanging every time': (c) => (c.path === REPLY ? { kind: 'hang' } : undefined),
  'reply taken but answered too late': (c, first) => (c.path === REPLY && first ? { kind: 'late', ms: 1500 } : undefined),
  'reply token expired (400)': (c) => (c.path === REPLY ? { kind: 'refuse', status: 400 } : undefined),
  'reply refused with 500, push refused with 500 once': (c, first) =>
    c.path === REPLY ? { kind: 'refuse', status: 500 } : c.path === PUSH && first ? { kind: 'refuse', status: 500 } : undefined,
  'reply hanging, push taken but answered too late': (c, first) =>
    c.path === REPLY ? { kind: 'hang' } : c.path === PUSH && first ? { kind: 'late', ms: 1500 } : undefined,
};

describe('a reply LINE refuses, hangs or answers late is answered once', () => {
  let stub: LineStub;
  let ledger: LineLedger;
  let fault: (c: Call, first: boolean) => Fault | undefined = () => undefined;
  let app: ConciergeApp;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    stub = await startLineStub((call, all) => ledger.route(call, all));
    const config = loadConfig({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_API_BASE_URL: stub.baseURL });
    // A deadline of 400 ms per LINE call (10 s in production, where the client closes a call it gives up on at the same
    // time), short waits between attempts.
    const lineClient = new LineHttpClient({ channelAccessToken: 't', baseURL: stub.baseURL, timeoutMs: 400 });
    app = createApp({
      handler: new Echo(),
      store: new MemoryStateStore({ ttlSeconds: 60 }),
      config,
      lineClient,
      logger: createLogger({ level: 'silent' }),
      webhook: { loadingAfterMs: Infinity, apiTimeoutMs: 400, pushRetryDelaysMs: [50, 200], replyRetryDelaysMs: [50, 200] },
    });
    server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    const seen = new Set<string>();
    ledger = lineLedger({
      fault: (c) => {
        const id = c.path === REPLY ? `r:${token(c)}` : `p:${String(c.headers['x-line-retry-key'])}`;
        const first = !seen.has(id);
        seen.add(id);
        return fault(c, first);
      },
    });
    stub.calls.length = 0;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((ok) => server?.close(ok));
    await stub?.close();
  });

  it.each(Object.keys(scenarios))(
    '%s: 20 sent, 20 answered once, none twice, none lost',
    async (name) => {
      fault = scenarios[name]!;
      const labels = Array.from({ length: 20 }, (_, i) => `${name} #${i}`);
      for (const text of labels) expect((await sendEvents(url, [textEvent(text, { userId: newUserId() })], SECRET)).status).toBe(200);
      await app.drain();
      // A late answer may still be on its way to the app; nothing it does may deliver again.
      await new Promise((r) => setTimeout(r, 1600));
      const tally = ledger.tally(labels);
      reportFaults(`LINE ${name}`, { ...tally, replies: ledger.accepted.reply, pushes: ledger.accepted.push });
      expect(tally).toEqual({ sent: 20, once: 20, twice: 0, lost: 0 });
      for (const push of stub.callsTo(PUSH)) expect(push.headers['x-line-retry-key']).toMatch(UUID);
    },
    30_000,
  );
});

describe('a LINE API that hangs, with the client production builds from the configuration', () => {
  it('frees each connection when the app gives up on the call, not seconds later', async () => {
    const stub = await startLineStub(() => ({ status: 503, body: { message: 'Service unavailable' }, delayMs: 120_000 }));
    const config = loadConfig({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_API_BASE_URL: stub.baseURL });
    // No client handed in: the app makes LINE's client from the configuration, as in production.
    const app = createApp({
      handler: new Echo(),
      store: new MemoryStateStore({ ttlSeconds: 60 }),
      config,
      logger: createLogger({ level: 'silent' }),
      webhook: { loadingAfterMs: Infinity, apiTimeoutMs: 300, pushRetryDelaysMs: [50], replyRetryDelaysMs: [50] },
    });
    const server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (let i = 0; i < 5; i++) expect((await sendEvents(url, [textEvent(`hung #${i}`, { userId: newUserId() })], SECRET)).status).toBe(200);
      // Each event: two replies and two pushes, each abandoned by the app after 300 ms.
      await app.drain();
      await new Promise((r) => setTimeout(r, 100));
      expect({ calls: stub.calls.length, stillHeld: stub.held() }).toEqual({ calls: 20, stillHeld: 0 });
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await stub.close();
    }
  }, 30_000);
});
