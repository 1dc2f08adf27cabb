import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JA } from '../../src/core/conversation/copy/ja.js';
import { reportFaults } from '../support/line-ledger.js';
import { PUSH, REPLY } from '../support/line-stub.js';
import { findOnPath } from '../support/processes.js';
import { startProductionRig, type ProductionRig } from '../support/production-rig.js';
import { newUserId, postbackEvent, sendEventsOnNewConnection, textEvent, type WebhookEvent } from '../support/webhook-client.js';

// Issue 17 items 12 and 13, with the compiled server as production starts it. Redis goes down (connections refused);
// three parents ask for a person and are told 「おつなぎします」, and one confirms the erase of their data and is told it
// will be done. Then SIGTERM, Redis back (with its data), a new server: every promised handoff must be stored once, and
// the erase done (and the parent told) — nothing promised may be lost with the process, nor done twice.
const SECRET = 'promise-secret';
const redisServer = findOnPath('redis-server');

/** Handoff records per person, open or closed (keys as src/adapters/stores/redis-handoff-store.ts writes them). */
async function handoffsPerPerson(redis: Redis): Promise<Map<string, number>> {
  const ids = [...new Set([...(await redis.zrange('kc:{ho}:open', 0, -1)), ...(await redis.zrange('kc:{ho}:closed', 0, -1))])];
  const raws = ids.length ? await redis.mget(...ids.map((id) => `kc:{ho}:${id}`)) : [];
  const per = new Map<string, number>();
  for (const raw of raws) {
    if (!raw) continue;
    const { userId } = JSON.parse(raw) as { userId: string };
    per.set(userId, (per.get(userId) ?? 0) + 1);
  }
  return per;
}

describe.skipIf(!redisServer)('promises made while Redis is down, across SIGTERM and a restart', () => {
  let rig: ProductionRig;
  let spool: string;

  beforeAll(async () => {
    spool = path.join(mkdtempSync(path.join(os.tmpdir(), 'kc-spool-')), 'spool');
    rig = await startProductionRig({
      name: 'promises',
      secret: SECRET,
      redisServer: redisServer!,
      persist: true,
      env: { SPOOL_DIR: spool, SHUTDOWN_DRAIN_SECONDS: '3', RESCAN_SECONDS: '1' },
      // Pushes (the outcome of an erase) are counted by whom they went to.
      labelCall: (c, byKey) =>
        c.path === REPLY ? (byKey(String((c.body as { replyToken?: unknown }).replyToken)) ?? '?') : `push:${String((c.body as { to?: unknown }).to)}`,
    });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    if (spool) rmSync(path.dirname(spool), { recursive: true, force: true });
  });

  /** The promise files in the spool, and their permissions. */
  const spoolFiles = () => {
    const files = existsSync(spool) ? readdirSync(spool).filter((f) => f.startsWith('promises-')) : [];
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    return { files: files.length, ...(files[0] ? { fileMode: mode(path.join(spool, files[0])), dirMode: mode(spool) } : {}) };
  };
  const replyText = (label: string) =>
    rig.stub
      .callsTo(REPLY)
      .filter((c) => rig.labelOfReply(c) === label)
      .flatMap((c) => (c.body as { messages: { type: string; text?: string }[] }).messages.map((m) => m.text ?? ''))
      .join('\n');
  const send = async (url: string, label: string, event: WebhookEvent) => {
    expect(await sendEventsOnNewConnection(url, [rig.label(event, label)], SECRET)).toBe(200);
  };

  /**
   * Redis goes down; `asking` parents ask for a person and one confirms an erase; the instance is stopped (SIGTERM) or
   * dies (SIGKILL); Redis comes back and a new instance starts. Returns what the parents were told and what was stored.
   */
  async function promisedThenStopped(how: 'SIGTERM' | 'SIGKILL', asking: number) {
    const { redis, stub, ledger } = rig;
    const first = await rig.start();
    const parents = Array.from({ length: asking }, () => newUserId());
    const eraser = newUserId();
    const label = (what: string) => `${how}:${what}`;
    const replied = stub.callsTo(REPLY).length;
    await send(first.url, label('eraser-question'), textEvent('病児保育について教えて', { userId: eraser }));
    await stub.waitForCalls(replied + 1, { path: REPLY, timeoutMs: 15_000 });
    // The erase must have something to erase: the conversation and its transcript are stored before Redis goes down.
    const check = new Redis(redis.url);
    let hadData = false;
    for (const until = Date.now() + 10_000; !hadData && Date.now() < until; await sleep(50))
      hadData = (await check.exists(`kc:{${eraser}}:state`, `kc:{${eraser}}:log`)) === 2;
    check.disconnect();

    await redis.down();
    const before = stub.callsTo(REPLY).length;
    for (const [i, userId] of parents.entries()) await send(first.url, label(`parent${i}`), textEvent('担当者と話したい', { userId }));
    await send(first.url, label('eraser-erase'), postbackEvent('a=erase', { userId: eraser }));
    await stub.waitForCalls(before + asking + 1, { path: REPLY, timeoutMs: 20_000 });
    const told = {
      handoff: parents.map((_, i) => replyText(label(`parent${i}`)).includes('おつなぎします')),
      erase: replyText(label('eraser-erase')).includes(JA.erase.delayed),
    };
    // Kept on disk while they wait, readable by the app's user only.
    const kept = spoolFiles();

    const code = how === 'SIGTERM' ? await first.stop() : await first.kill().then(() => undefined);
    rig.stopped(first);
    await redis.up();
    const second = await rig.start();
    const client = new Redis(redis.url);
    try {
      const stored = async () => {
        const per = await handoffsPerPerson(client);
        return parents.map((u) => per.get(u) ?? 0);
      };
      const eraserKeys = () => client.exists(`kc:{${eraser}}:state`, `kc:{${eraser}}:log`);
      // A dead instance's file is taken once it has not been renewed for 30 s.
      for (const until = Date.now() + 50_000; Date.now() < until; await sleep(250)) {
        if ((await stored()).every((n) => n >= 1) && (await eraserKeys()) === 0 && ledger.delivered.get(`push:${eraser}`)) break;
      }
      await sleep(1000);
      const perParent = await stored();
      const toEraser = stub.callsTo(PUSH).filter((c) => (c.body as { to: string }).to === eraser);
      const erasedTold = toEraser.some((c) => JSON.stringify(c.body).includes(JA.erase.doneLater));
      const failedTold = toEraser.some((c) => !JSON.stringify(c.body).includes(JA.erase.doneLater));
      const erased = (await eraserKeys()) === 0;
      const tally = ledger.tally(['eraser-question', ...parents.map((_, i) => `parent${i}`), 'eraser-erase'].map(label));
      reportFaults(`Redis down: ${asking} ask for a person, 1 erases; ${how}; restart`, {
        ...tally,
        promised: parents.length,
        stored: perParent.filter((n) => n >= 1).length,
        storedTwice: perParent.filter((n) => n > 1).length,
        erases: 1,
        erasesDoneOrReported: erased || failedTold ? 1 : 0,
      });
      const logs = JSON.stringify([...first.logs, ...second.logs]);
      return {
        hadData,
        told,
        kept,
        code,
        perParent,
        erased,
        erasedTold,
        tally,
        spoolLeft: spoolFiles().files,
        named: [...parents, eraser].filter((u) => logs.includes(u)),
      };
    } finally {
      client.disconnect();
    }
  }

  it('three handoffs promised while Redis is down are stored once each by the next instance after SIGTERM, and a confirmed erase is done and told', async () => {
    expect(await promisedThenStopped('SIGTERM', 3)).toEqual({
      hadData: true,
      told: { handoff: [true, true, true], erase: true },
      kept: { files: 1, fileMode: '600', dirMode: '700' },
      code: 0,
      perParent: [1, 1, 1],
      erased: true,
      erasedTold: true,
      tally: { sent: 5, once: 5, twice: 0, lost: 0 },
      spoolLeft: 0,
      // Nothing in the logs names a parent.
      named: [],
    });
  }, 240_000);

  it('survives a crash too (SIGKILL: nothing runs at exit): the file is taken over once its owner stops renewing it', async () => {
    expect(await promisedThenStopped('SIGKILL', 2)).toEqual({
      hadData: true,
      told: { handoff: [true, true], erase: true },
      kept: { files: 1, fileMode: '600', dirMode: '700' },
      code: undefined,
      perParent: [1, 1],
      erased: true,
      erasedTold: true,
      tally: { sent: 4, once: 4, twice: 0, lost: 0 },
      spoolLeft: 0,
      named: [],
    });
  }, 240_000);
});
