import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { monthOf } from '../../src/app/insights/usage-stats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFaults, type Fault } from '../support/line-ledger.js';
import { PUSH, REPLY, type Call } from '../support/line-stub.js';
import { findOnPath } from '../support/processes.js';
import { startProductionRig, type ProductionRig } from '../support/production-rig.js';
import { newUserId, sendEventsOnNewConnection, type WebhookEvent } from '../support/webhook-client.js';

// Issue 17 item 14, with the compiled server as production starts it and a redis-server of its own. The LINE API hangs;
// SIGTERM must not wait for it past the drain budget (SHUTDOWN_DRAIN_SECONDS), and what the stopped instance leaves
// — the events it had started and those queued behind them — must be finished by the next instance at its start-up:
// each answered once. Half of the hung replies were in fact taken by LINE (answered late), as can happen.
const SECRET = 'budget-secret';
const redisServer = findOnPath('redis-server');
const QUESTIONS = ['病児保育について教えて', '一時預かりの料金は？', '保育園の申し込み方法を教えて', '児童手当の金額は？'];

describe.skipIf(!redisServer)('SIGTERM while the LINE API hangs', () => {
  let rig: ProductionRig;
  let mode: 'hang' | 'slow' | 'ok' = 'hang';

  beforeAll(async () => {
    rig = await startProductionRig({
      name: 'budget',
      secret: SECRET,
      redisServer: redisServer!,
      env: { SHUTDOWN_DRAIN_SECONDS: '2' },
      fault: (c: Call): Fault | undefined => {
        if (mode === 'ok' || (c.path !== REPLY && c.path !== PUSH)) return undefined;
        if (mode === 'slow') return { kind: 'late', ms: 1500 };
        const label = rig.labelOfReply(c) ?? '';
        // Users 0–2: nothing delivered, no answer. Users 3–4: delivered, but the answer never comes back in time.
        return label.startsWith('user3') || label.startsWith('user4') ? { kind: 'late', ms: 30_000 } : { kind: 'hang', ms: 30_000 };
      },
    });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('exits after the drain budget, and the next instance answers every event left behind once, storing each once', async () => {
    const { stub, ledger } = rig;
    const first = await rig.start();
    // Five parents, four questions each: the first of each hangs at LINE, the other three wait behind it.
    const events: { label: string; event: WebhookEvent }[] = [];
    const users: string[] = [];
    for (let u = 0; u < 5; u++) {
      const userId = newUserId();
      users.push(userId);
      QUESTIONS.forEach((q, i) => {
        const label = `user${u}-q${i}`;
        events.push({ label, event: rig.labelled(q, userId, label) });
      });
    }
    for (const { event } of events) {
      expect(await sendEventsOnNewConnection(first.url, [event], SECRET)).toBe(200);
      await sleep(5);
    }
    await stub.waitForCalls(5, { path: REPLY, timeoutMs: 15_000 });

    const t0 = Date.now();
    const code = await first.stop();
    const stopMs = Date.now() - t0;
    rig.stopped(first);
    const budgetLine = first.logs.find((l) => l.msg === 'drain budget spent: unfinished events stay queued in Redis for the next instance');
    const shutdown = { code, withinBudget: stopMs < 2000 + 3000, leftInRedis: budgetLine?.inRedis };

    mode = 'ok';
    const second = await rig.start();
    const labels = events.map((e) => e.label);
    for (const until = Date.now() + 30_000; Date.now() < until && ledger.tally(labels).lost > 0;) await sleep(250);
    await sleep(1000);
    const tally = ledger.tally(labels);
    // What was stored: each question once in its parent's transcript, each decision counted once in the month's figures.
    const redis = new Redis(rig.redis.url);
    const parentEntries = await Promise.all(
      users.map(async (u) => (await redis.xrange(`kc:{${u}}:log`, '-', '+')).filter(([, f]) => JSON.parse(f[1]!).from === 'parent').length),
    );
    const counts = await redis.hgetall(`kc:stats:${monthOf(Date.now())}`);
    redis.disconnect();
    const decisionsCounted = Object.entries(counts)
      .filter(([k]) => k.startsWith('action:'))
      .reduce((n, [, v]) => n + Number(v), 0);
    reportFaults('SIGTERM while LINE hangs, then a new instance', {
      ...tally,
      exit: code,
      stopMs,
      replies: ledger.accepted.reply,
      pushes: ledger.accepted.push,
      storedTwice: parentEntries.reduce((n, e) => n + Math.max(0, e - QUESTIONS.length), 0),
      decisionsCounted,
    });
    const takenOver = second.logs.some((l) => l.msg === 'taking over event queues left in Redis');
    expect({ shutdown, tally, takenOver, parentEntries, decisionsCounted }).toEqual({
      shutdown: { code: 0, withinBudget: true, leftInRedis: 5 },
      tally: { sent: 20, once: 20, twice: 0, lost: 0 },
      takenOver: true,
      parentEntries: [4, 4, 4, 4, 4],
      decisionsCounted: 20,
    });
  }, 180_000);

  it('SIGTERM in the middle of 150 events/s with LINE slow: every event acknowledged is answered once, by one instance or the next', async () => {
    mode = 'slow';
    const { ledger } = rig;
    const first = await rig.start();
    const users = Array.from({ length: 30 }, () => newUserId());
    const acked: string[] = [];
    const posts: Promise<void>[] = [];
    const t0 = Date.now();
    let stopping: Promise<number | null> | undefined;
    for (let n = 0; n < 150 * 3; n++) {
      const due = t0 + (n * 1000) / 150;
      if (due > Date.now()) await sleep(due - Date.now());
      if (!stopping && Date.now() - t0 >= 1500) stopping = first.stop();
      const label = `load-${n}`;
      const event = rig.labelled(QUESTIONS[n % QUESTIONS.length]!, users[n % users.length]!, label);
      // Only what the instance acknowledged counts as sent: LINE redelivers the rest (503 or refused) elsewhere.
      posts.push(
        sendEventsOnNewConnection(first.url, [event], SECRET).then(
          (status) => void (status === 200 && acked.push(label)),
          () => undefined,
        ),
      );
    }
    await Promise.all(posts);
    const code = await stopping!;
    rig.stopped(first);
    const left = first.logs.find((l) => l.msg === 'drain budget spent: unfinished events stay queued in Redis for the next instance');
    mode = 'ok';
    await rig.start();
    for (const until = Date.now() + 40_000; Date.now() < until && ledger.tally(acked).lost > 0;) await sleep(250);
    await sleep(1000);
    const tally = ledger.tally(acked);
    reportFaults('SIGTERM mid-load (LINE slow), then a new instance', { ...tally, exit: code, leftInRedis: left?.inRedis ?? 0 });
    // How many the instance acknowledged before SIGTERM depends on how busy the machine is; some must have been.
    expect({ code, tookOver: !!left, someAcknowledged: acked.length >= 5, tally }).toEqual({
      code: 0,
      tookOver: true,
      someAcknowledged: true,
      tally: { sent: acked.length, once: acked.length, twice: 0, lost: 0 },
    });
  }, 180_000);
});
