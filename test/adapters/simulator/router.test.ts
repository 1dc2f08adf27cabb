import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/adapters/config/env.js';
import { guideStartButton } from '../../../src/core/conversation/guide.js';
import { MENU_TOPICS, handoffButton } from '../../../src/core/conversation/replies.js';
import type { ConversationHandler } from '../../../src/app/conversation/service-types.js';
import type { OutputChannel } from '../../../src/app/conversation/output-channel.js';
import { emptyState, type Incoming, type Response as CoreResponse } from '../../../src/core/conversation/types.js';
import { createLogger } from '../../../src/app/log.js';
import { MemoryStateStore } from '../../../src/app/conversation/memory-state-store.js';
import { createApp, type ConciergeApp } from '../../../src/adapters/http/app.js';
import { LocalLineApi } from '../../../src/adapters/line/local-api.js';
import type { TimelineEntry } from '../../../src/adapters/simulator/timeline.js';
import { newUserId } from '../../support/webhook-client.js';

/** Answers every message with one text naming what came in, plus one quick reply. */
class EchoHandler implements ConversationHandler {
  readonly calls: { userId: string; message: Incoming }[] = [];
  readonly forgotten: string[] = [];

  async handle(userId: string, message: Incoming, _meta?: unknown, output?: OutputChannel): Promise<CoreResponse> {
    this.calls.push({ userId, message });
    const response: CoreResponse = {
      decision: { action: 'smalltalk' },
      replies: [{ type: 'text', text: `受け取りました: ${message.kind}` }],
      quickReplies: [handoffButton],
      state: emptyState(),
    };
    await output?.send(response);
    return response;
  }

  async forget(userId: string): Promise<void> {
    this.forgotten.push(userId);
  }

  async unsend(): Promise<void> {}
}

interface Running {
  url: string;
  app: ConciergeApp;
  handler: EchoHandler;
  logs: string[];
}

let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((ok) => server!.close(ok));
  server = undefined;
});

async function start(env: Record<string, string> = {}, opts: { lineClient?: LocalLineApi } = {}): Promise<Running> {
  const handler = new EchoHandler();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void logs.push(s) } });
  const store = new MemoryStateStore({ ttlSeconds: 60 });
  const app = createApp({ handler, store, config: loadConfig(env), logger, ...opts });
  server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, app, handler, logs };
}

const post = (url: string, body: unknown, contentType = 'application/json') =>
  fetch(`${url}/simulator/api/send`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Reads a text/event-stream response frame by frame. */
function sseReader(res: globalThis.Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(timeoutMs = 3000): Promise<{ event: string; data: unknown }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) return { event, data: JSON.parse(data) };
          continue; // retry: / comments
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no server-sent event in time');
        const chunk = await Promise.race([reader.read(), new Promise<never>((_, no) => setTimeout(() => no(new Error('no server-sent event in time')), left))]);
        if (chunk.done) throw new Error('stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('the /simulator routes', () => {
  it('exist only in local mode with the built-in LocalLineApi', async () => {
    let r = await start({ LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' });
    for (const path of ['/simulator', '/simulator/api/menu', '/simulator/assets/simulator.js']) expect((await fetch(r.url + path)).status).toBe(404);
    expect((await post(r.url, { userId: newUserId(), kind: 'follow' })).status).toBe(404);
    server!.closeAllConnections();
    await new Promise((ok) => server!.close(ok));

    r = await start({}, { lineClient: new LocalLineApi() });
    expect((await fetch(`${r.url}/simulator`)).status).toBe(404);
  });

  it('serves the page and its scripts with a strict content security policy', async () => {
    const { url } = await start();
    const page = await fetch(`${url}/simulator`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('/simulator/assets/simulator.js');
    for (const asset of ['simulator.js', 'flex.js', 'simulator.css', 'sticker.svg']) {
      const res = await fetch(`${url}/simulator/assets/${asset}`);
      expect(res.status, asset).toBe(200);
    }
    expect((await fetch(`${url}/simulator/assets/simulator.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('gives the rich menu from the dialogue layer’s own guide button, topics and handoff button', async () => {
    const { url } = await start();
    const { items } = (await (await fetch(`${url}/simulator/api/menu`)).json()) as {
      items: { label: string; data: string; displayText: string; wide?: boolean; sub?: string }[];
    };
    expect(items.map((i) => i.label)).toEqual(['あなたに合うサービスをさがす', ...MENU_TOPICS.map((m) => m.label), handoffButton.label, 'Language / 言語']);
    // The guide banner comes first, full width, and sends exactly what the bot's own start button sends.
    expect(items[0]).toMatchObject({ wide: true, sub: '3つの質問でご案内します' });
    expect(guideStartButton).toMatchObject({ postback: items[0]!.data, displayText: items[0]!.displayText });
    expect(items.filter((i) => i.wide)).toHaveLength(1);
    expect(items[1]).toMatchObject({ data: `a=menu&t=${MENU_TOPICS[0].topic}`, displayText: MENU_TOPICS[0].label });
    expect(items.at(-2)).toMatchObject({ data: 'a=handoff' });
    // 「Language / 言語」, beside the banner as on the rich menu, opens the language choice as the quick reply does.
    expect(items.at(-1)).toMatchObject({ data: 'a=lang', displayText: 'Language / 言語', corner: true });
  });

  it('turns each action into a signed webhook event the bot handles, and streams both sides of the chat', async () => {
    const { url, app, handler } = await start();
    const userId = newUserId();
    const res = await fetch(`${url}/simulator/api/stream?userId=${userId}`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(res);
    expect(await sse.next()).toEqual({ event: 'history', data: { entries: [] } });

    const sent = await post(url, { userId, kind: 'text', text: 'ほいくえん' });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ ok: true, webhookStatus: 200, webhookEventId: expect.stringMatching(/^[0-9A-Z]{26}$/) });
    await app.drain();
    expect(handler.calls).toEqual([{ userId, message: { kind: 'text', text: 'ほいくえん' } }]);

    const mine = (await sse.next()).data as TimelineEntry;
    expect(mine).toMatchObject({ from: 'user', echo: { type: 'text', text: 'ほいくえん' } });
    const reply = (await sse.next()).data as TimelineEntry;
    expect(reply).toMatchObject({
      from: 'bot',
      via: 'reply',
      message: { type: 'text', text: '受け取りました: text', quickReply: { items: [{ action: { type: 'postback', data: 'a=handoff' } }] } },
    });

    for (const body of [
      { kind: 'postback', data: 'a=handoff', displayText: '担当者と話したい' },
      { kind: 'sticker' },
      { kind: 'image' },
      { kind: 'location' },
      { kind: 'follow' },
    ])
      expect((await post(url, { userId, ...body })).status).toBe(200);
    await app.drain();
    expect(handler.calls.slice(1).map((c) => c.message)).toEqual([
      { kind: 'postback', data: 'a=handoff' },
      { kind: 'unsupported', what: 'sticker' },
      { kind: 'unsupported', what: 'image' },
      { kind: 'unsupported', what: 'location' },
      { kind: 'follow' },
    ]);
    await sse.cancel();

    // A new connection (a reload) starts with the whole conversation, oldest first, the person's side included.
    const again = sseReader(await fetch(`${url}/simulator/api/stream?userId=${userId}`));
    const { entries } = (await again.next()).data as { entries: TimelineEntry[] };
    expect(entries.map((e) => (e.from === 'user' ? `user:${e.echo.type}` : 'bot'))).toEqual([
      'user:text',
      'bot',
      'user:text',
      'bot',
      'user:sticker',
      'bot',
      'user:image',
      'bot',
      'user:location',
      'bot',
      'user:system',
      'bot',
    ]);
    await again.cancel();
  });

  it('sends unfollow without a reply token, and the bot forgets the person', async () => {
    const { url, app, handler } = await start();
    const userId = newUserId();
    expect((await post(url, { userId, kind: 'unfollow' })).status).toBe(200);
    await app.drain();
    expect(handler.forgotten).toEqual([userId]);
    expect(handler.calls).toEqual([]);
  });

  it('refuses bad requests with 400 and oversized bodies with 413', async () => {
    const { url, handler } = await start();
    const userId = newUserId();
    const bad = [
      { userId, kind: 'text', text: 'あ'.repeat(5001) },
      { userId, kind: 'text', text: '  ' },
      { userId: 'U123', kind: 'text', text: 'こんにちは' },
      { userId: userId.toUpperCase(), kind: 'follow' },
      { userId, kind: 'video' },
      { userId, kind: 'postback' },
      { userId, kind: 'postback', data: 'x'.repeat(301) },
      [],
    ];
    for (const body of bad) expect((await post(url, body)).status, JSON.stringify(body).slice(0, 60)).toBe(400);
    expect((await post(url, { userId, kind: 'text', text: 'あ'.repeat(5000) })).status).toBe(200);
    expect((await post(url, '{"userId": "U', 'application/json')).status).toBe(400);
    expect((await post(url, JSON.stringify({ userId, kind: 'follow' }), 'text/plain')).status).toBe(400);
    expect((await post(url, { userId, kind: 'text', text: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await fetch(`${url}/simulator/api/stream?userId=nobody`)).status).toBe(400);
    expect((await fetch(`${url}/simulator/api/stream`)).status).toBe(400);
    expect(handler.calls).toHaveLength(1);
  });

  it('never logs what was typed, even in rejected requests', async () => {
    const { url, app, logs } = await start();
    const userId = newUserId();
    const secret = '息子の熱が下がらない';
    expect((await post(url, { userId, kind: 'text', text: secret })).status).toBe(200);
    expect((await post(url, { userId, kind: 'postback', data: 'a=handoff', displayText: secret })).status).toBe(200);
    expect((await post(url, { userId, kind: 'text', text: secret.repeat(600) })).status).toBe(400);
    expect((await post(url, `{"userId":"${userId}","kind":"text","text":"${secret}`)).status).toBe(400);
    await app.drain();
    const all = logs.join('');
    expect(all).toContain('simulator event sent');
    expect(all).toContain('simulator request rejected');
    expect(all).not.toContain(secret);
  });
});
