import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, type Assembled } from '../../src/assemble.js';
import { loadConfig } from '../../src/adapters/config/env.js';
import { createLogger } from '../../src/app/log.js';
import { createRedisClient } from '../../src/adapters/stores/index.js';
import { getCore } from '../support/core.js';
import { REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { newUserId, sendEvents, textEvent } from '../support/webhook-client.js';

// A Redis of its own, stopped and started again while the bot is answering.
const SECRET = 'outage-secret';
let port = 0;
let redisProcess: ChildProcess | undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-outage-'));
let stub: LineStub;
let service: Assembled;
let server: Server;
let url: string;

const freePort = () =>
  new Promise<number>((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => ok(p));
    });
  });

async function startRedis(): Promise<void> {
  redisProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((ok) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        ok(true);
      });
      c.on('error', () => ok(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}

async function stopRedis(): Promise<void> {
  const p = redisProcess;
  redisProcess = undefined;
  if (!p || p.exitCode !== null) return;
  await new Promise<void>((ok) => {
    p.once('exit', () => ok());
    p.kill('SIGKILL');
  });
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  const core = await getCore();
  stub = await startLineStub();
  const logger = createLogger({ level: 'silent' });
  const config = loadConfig({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_API_BASE_URL: stub.baseURL });
  service = assemble({
    config,
    core: () => core,
    logger,
    redis: createRedisClient(`redis://127.0.0.1:${port}/0`, logger),
    sweepIntervalMs: 0,
    defaultMetrics: false,
    webhook: { loadingAfterMs: Infinity },
  });
  server = await new Promise<Server>((ok) => {
    const s = service.app.listen(0, '127.0.0.1', () => ok(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await service.close();
  await stub.close();
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

async function ask(text: string, userId: string) {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(url, [textEvent(text, { userId })], SECRET)).status).toBe(200);
  const calls = await stub.waitForCalls(before + 1, { path: REPLY, timeoutMs: 15_000 });
  return JSON.stringify(calls.at(-1)!.body);
}

describe('Redis stopped mid-conversation and started again', () => {
  it('keeps answering without context, queues a handoff, reconnects by itself and delivers the handoff', async () => {
    const userId = newUserId();
    expect(await ask('病児保育について教えて', userId)).toContain('病児');

    await stopRedis();
    // Still answered while Redis is away: a full question works, a follow-up has no context to lean on.
    expect(await ask('一時預かりの料金は？', userId)).toContain('一時預かり');
    expect(await ask('担当者と話したい', userId)).toContain('おつなぎします');
    expect(await service.handoff.openFor(userId).catch(() => 'unreachable')).toBe('unreachable');

    await startRedis();
    // The client reconnects on its own; the queued handoff is opened once Redis answers.
    await expect.poll(() => service.store.ready(), { timeout: 15_000, interval: 200 }).toBe(true);
    await expect
      .poll(async () => (await service.conversations.flushPendingHandoffs()) === 0 && (await service.handoff.openFor(userId))?.status, {
        timeout: 15_000,
        interval: 300,
      })
      .toBe('waiting');
    expect(await ask('病児保育の場所は？', newUserId())).toContain('病児');
  }, 60_000);
});
