import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPFetchError } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineHttpClient } from '../../../src/adapters/line/http-client.js';
import { errorSummary } from '../../../src/adapters/line/api-call.js';
import { LOADING, PUSH, REPLY, seedRichMenu, startLineStub, type LineStub } from '../../support/line-stub.js';

const TOKEN = 'test-channel-access-token';
let stub: LineStub;
let client: LineHttpClient;
let failNext: { status: number; body: string; headers?: Record<string, string> } | undefined;

beforeAll(async () => {
  stub = await startLineStub(() => {
    const f = failNext;
    failNext = undefined;
    return f && { status: f.status, body: JSON.parse(f.body) as unknown, ...(f.headers ? { headers: f.headers } : {}) };
  });
  client = new LineHttpClient({ channelAccessToken: TOKEN, baseURL: stub.baseURL });
});
afterAll(async () => {
  client.close();
  await stub.close();
});

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('LineHttpClient: the webhook’s calls to the Messaging API', () => {
  it('sends a reply with the channel token as LINE’s spec describes it and returns LINE’s answer', async () => {
    const before = stub.callsTo(REPLY).length;
    const out = await client.replyMessage({ replyToken: 'r'.repeat(32), messages: [text('こんにちは')] });
    expect(out).toHaveProperty('sentMessages');
    const call = stub.callsTo(REPLY)[before]!;
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.body).toEqual({ replyToken: 'r'.repeat(32), messages: [{ type: 'text', text: 'こんにちは' }] });
    expect(stub.invalid).toEqual([]);
  });

  it('sends a push with its retry key, and the loading animation', async () => {
    await client.pushMessage({ to: 'U'.padEnd(33, '0'), messages: [text('お知らせ')] }, '123e4567-e89b-12d3-a456-426614174000');
    await client.showLoadingAnimation({ chatId: 'U'.padEnd(33, '0'), loadingSeconds: 20 });
    expect(stub.callsTo(PUSH).at(-1)!.headers['x-line-retry-key']).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(stub.callsTo(LOADING).at(-1)!.body).toEqual({ chatId: 'U'.padEnd(33, '0'), loadingSeconds: 20 });
    expect(stub.invalid).toEqual([]);
  });

  it('reads a profile, lists the rich menus, and links and unlinks a person’s menu', async () => {
    const userId = `U${'a'.repeat(32)}`;
    const profile = await client.getProfile(userId);
    expect(profile).toMatchObject({ userId, displayName: 'テスト' });
    expect(stub.calls.at(-1)).toMatchObject({ method: 'GET', path: `/v2/bot/profile/${userId}` });
    const id = seedRichMenu(stub.richMenus, {
      size: { width: 2500, height: 1686 },
      selected: true,
      name: 'kosodate-main@en-0',
      chatBarText: 'Menu',
      areas: [],
    });
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toContain(id);
    await client.linkRichMenuIdToUser(userId, id);
    expect(stub.richMenus.links.get(userId)).toBe(id);
    await client.unlinkRichMenuIdFromUser(userId);
    expect(stub.richMenus.links.has(userId)).toBe(false);
    expect(stub.calls.slice(-2).map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v2/bot/user/${userId}/richmenu/${id}`,
      `DELETE /v2/bot/user/${userId}/richmenu`,
    ]);
    await expect(client.linkRichMenuIdToUser(userId, 'richmenu-unknown')).rejects.toMatchObject({ status: 404 });
  });

  it('reuses its connections instead of opening one per call', async () => {
    const sockets = new Set<string>();
    const server = http.createServer((req, res) => {
      sockets.add(`${req.socket.remotePort}`);
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const local = new LineHttpClient({ channelAccessToken: TOKEN, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    for (let i = 0; i < 5; i++) await local.replyMessage({ replyToken: 't', messages: [text('a')] });
    local.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    expect(sockets.size).toBe(1);
  });

  it('throws the SDK’s HTTPFetchError with status, LINE’s message and request id, so retries and logs treat it alike', async () => {
    failNext = { status: 400, body: JSON.stringify({ message: 'Invalid reply token' }), headers: { 'x-line-request-id': 'req-1' } };
    const err = await client.replyMessage({ replyToken: 'x'.repeat(32), messages: [text('a')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPFetchError);
    expect((err as HTTPFetchError).status).toBe(400);
    expect(errorSummary(err)).toEqual({ status: 400, lineMessage: 'Invalid reply token', requestId: 'req-1' });
  });

  it('gives up on a call LINE does not answer, closing its connection', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const slow = new LineHttpClient({ channelAccessToken: TOKEN, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 100 });
    const t0 = Date.now();
    await expect(slow.replyMessage({ replyToken: 't', messages: [text('a')] })).rejects.toThrow(/longer than 100 ms/);
    expect(Date.now() - t0).toBeLessThan(2000);
    slow.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('counts waiting for a free connection in the deadline: a call given up on while queued is never sent later', async () => {
    let received = 0;
    const server = http.createServer(() => void received++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const one = new LineHttpClient({
      channelAccessToken: TOKEN,
      baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      timeoutMs: 200,
      maxSockets: 1,
    });
    const t0 = Date.now();
    const calls = [0, 1].map((i) =>
      one.replyMessage({ replyToken: `t${i}`, messages: [text('a')] }).then(
        () => 'sent',
        () => Date.now() - t0,
      ),
    );
    const ms = (await Promise.all(calls)) as number[];
    await new Promise((r) => setTimeout(r, 500));
    one.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    expect({ bothWithinDeadline: ms.every((m) => m < 350), received }).toEqual({ bothWithinDeadline: true, received: 1 });
  });

  it('reports an unreachable LINE as a network error (which the pusher retries), not as an HTTP status', async () => {
    const nowhere = new LineHttpClient({ channelAccessToken: TOKEN, baseURL: 'http://127.0.0.1:1' });
    const err = await nowhere.pushMessage({ to: 'U', messages: [text('a')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(HTTPFetchError);
    nowhere.close();
  });
});
