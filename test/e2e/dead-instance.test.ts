import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFaults, type Fault } from '../support/line-ledger.js';
import { PUSH, REPLY, type Call } from '../support/line-stub.js';
import { findOnPath, type ServerProcess } from '../support/processes.js';
import { startProductionRig, type ProductionRig } from '../support/production-rig.js';
import { newUserId, sendEventsOnNewConnection } from '../support/webhook-client.js';

// Issue 17, what was left of item 14: an instance that dies (SIGKILL: no shutdown, its locks left to expire) while
// it drains a parent's queue. Another live instance must take the queue over by itself — not only at its own next
// start-up, or when that parent writes again — and answer each event once. Two live instances rescanning all the
// time must never both take one queue. The compiled server as production starts it, two of them on one Redis.
const SECRET = 'dead-secret';
const redisServer = findOnPath('redis-server');
const QUESTIONS = ['病児保育について教えて', '一時預かりの料金は？', '保育園の申し込み方法を教えて'];

describe.skipIf(!redisServer)('an instance killed while it drains a queue', () => {
  let rig: ProductionRig;
  let mode: 'hang' | 'slow' | 'ok' = 'hang';

  beforeAll(async () => {
    rig = await startProductionRig({
      name: 'dead',
      secret: SECRET,
      redisServer: redisServer!,
      env: { RESCAN_SECONDS: '1' },
      fault: (c: Call): Fault | undefined => {
        if (mode === 'ok' || (c.path !== REPLY && c.path !== PUSH)) return undefined;
        return mode === 'slow' ? { kind: 'late', ms: 400 } : { kind: 'hang', ms: 60_000 };
      },
    });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('a live instance takes over the queues of one that was killed, once its lock expires, and answers each event once', async () => {
    const { stub, ledger, labelled } = rig;
    const [doomed, survivor] = await Promise.all([rig.start(), rig.start()]);
    // Two parents write to the instance that will die; it starts on their first questions, and LINE hangs.
    const labels: string[] = [];
    for (const p of [0, 1]) {
      const userId = newUserId();
      for (const [q, text] of QUESTIONS.entries()) {
        const label = `parent${p}-q${q}`;
        labels.push(label);
        expect(await sendEventsOnNewConnection(doomed.url, [labelled(text, userId, label)], SECRET)).toBe(200);
      }
    }
    await stub.waitForCalls(2, { path: REPLY, timeoutMs: 20_000 });
    // The 200s came once the events were queued in Redis (the next test holds that): the kill may come at once.
    await doomed.kill();
    rig.stopped(doomed);
    const killedAt = Date.now();
    mode = 'ok';

    // The lock a dead drainer held lasts 30 s; then the next rescan (every second here) finds the queue free.
    for (const until = Date.now() + 50_000; Date.now() < until && ledger.tally(labels).lost > 0;) await sleep(250);
    const tookMs = Date.now() - killedAt;
    await sleep(1000);
    const tally = ledger.tally(labels);
    reportFaults('instance SIGKILLed while draining (LINE hung), a live one takes over', { ...tally, tookMs });
    expect({ tally, withinLockAndRescan: tookMs < 30_000 + 10_000, survivorUp: survivor.logs.some((l) => l.msg === 'ready') }).toEqual({
      tally: { sent: 6, once: 6, twice: 0, lost: 0 },
      withinLockAndRescan: true,
      survivorUp: true,
    });
  }, 180_000);

  it('two live instances rescanning every second never both take a queue: 300 events across both, each answered once', async () => {
    mode = 'slow';
    const { ledger, labelled } = rig;
    while (rig.servers.length < 2) await rig.start();
    const [a, b] = rig.servers as [ServerProcess, ServerProcess];
    const users = Array.from({ length: 20 }, () => newUserId());
    const labels: string[] = [];
    const posts: Promise<number>[] = [];
    for (let n = 0; n < 300; n++) {
      const label = `load-${n}`;
      labels.push(label);
      // One person's messages reach both instances, as behind a load balancer.
      posts.push(sendEventsOnNewConnection((n % 2 ? a : b).url, [labelled(QUESTIONS[n % 3]!, users[n % users.length]!, label)], SECRET));
      await sleep(10);
    }
    expect((await Promise.all(posts)).every((s) => s === 200)).toBe(true);
    for (const until = Date.now() + 60_000; Date.now() < until && ledger.tally(labels).lost > 0;) await sleep(250);
    await sleep(1500);
    const tally = ledger.tally(labels);
    reportFaults('two live instances rescanning every second (LINE slow)', { ...tally });
    expect(tally).toEqual({ sent: 300, once: 300, twice: 0, lost: 0 });
  }, 180_000);

  it('an event acknowledged while Redis is slow to queue it is answered once, though the instance dies right after the 200', async () => {
    mode = 'ok';
    const { ledger, labelled } = rig;
    while (rig.servers.length < 2) await rig.start();
    const doomed = rig.servers[0]!;
    // Redis holds every write (the queueing script among them) for 700 ms: LINE's 200 must wait for the event to be
    // queued, or the instance killed just after the 200 takes the event with it (LINE never sends it again).
    const admin = new Redis(rig.redis.url, { lazyConnect: true });
    await admin.connect();
    const labels = ['paused-0', 'paused-1'];
    let ackMs: number;
    try {
      await admin.call('CLIENT', 'PAUSE', '700', 'WRITE');
      const t0 = Date.now();
      const userId = newUserId();
      const status = await sendEventsOnNewConnection(
        doomed.url,
        labels.map((l, i) => labelled(QUESTIONS[i]!, userId, l)),
        SECRET,
      );
      ackMs = Date.now() - t0;
      expect(status).toBe(200);
      await doomed.kill();
      rig.stopped(doomed);
    } finally {
      admin.disconnect();
    }
    for (const until = Date.now() + 50_000; Date.now() < until && ledger.tally(labels).lost > 0;) await sleep(250);
    await sleep(1000);
    const tally = ledger.tally(labels);
    reportFaults('Redis pauses writes for 700 ms; the instance is SIGKILLed right after its 200', { ...tally, ackMs });
    expect({ tally, ackWithinLineLimit: ackMs < 2000 }).toEqual({ tally: { sent: 2, once: 2, twice: 0, lost: 0 }, ackWithinLineLimit: true });
  }, 120_000);
});
