import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { APP_NODE_FLAGS } from '../../src/runtime-flags.js';
import { buildApp } from '../build.mjs';
import type { FromInstance, FromSimulator, PlannedEvent, RoundResult, ToInstance, ToSimulator } from './protocol.js';
import { median, round as roundTo } from './stats.js';

const round3 = (n: number) => roundTo(n, 3);

export interface WebhookOptions {
  /** App processes behind the simulator (it spreads its connections over them, as a load balancer would). */
  instances?: number;
  /** Texts the people send (ones that would open a handoff are left out: the bot then goes silent by design). */
  texts: readonly string[];
  redisUrl: string;
  users: number;
  eventsPerRound: number;
  rounds: number;
  warmupEvents: number;
  concurrency: number;
  /** Open loop: send at this many events per second instead of keeping `concurrency` connections busy. */
  rate?: number;
  /** The app logs as in production (info, one JSON line per event and per reply) into /dev/null. */
  logLevel: string;
  /** What-if: RedisUserOrder's settle wait (default 15 ms, its own default). */
  settleMs?: number;
  /** What-if: no Redis at all (memory state, in-process user order), to see what the Redis layer costs. */
  memoryStore?: boolean;
  /** Writes a V8 CPU profile of the (first) app instance over the measured rounds (not the warm-up) to this path. */
  cpuProfile?: string;
}

export interface WebhookResult {
  /** Anything but the defaults is a what-if, not the service as deployed. */
  settings: { logLevel: string; settleMs: number | 'default'; store: 'redis' | 'memory' };
  instances: number;
  users: number;
  concurrency: number;
  rate?: number;
  rounds: RoundResult[];
  warmup: RoundResult;
  /** Medians over the measured rounds; lost/doubled/non200/pushes are totals over all rounds and the warm-up. */
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  doubled: number;
  non200: number;
  pushes: number;
  redisKeysCleaned: number;
  /** Per instance. */
  rssAfterLoadMb: number[];
  heapAfterLoadMb: number[];
}

const CHANNEL_SECRET = 'bench-channel-secret';

/** A child process's IPC as request/response: each `ask` sends one message and waits for the next one back. */
function channel<In extends { type: string }, Out extends { type: string; message?: string }>(child: ChildProcess, name: string) {
  const inbox: Out[] = [];
  let wake: (() => void) | undefined;
  let gone = false;
  child.on('message', (m: Out) => {
    inbox.push(m);
    wake?.();
  });
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      gone = true;
      wake?.();
      r();
    }),
  );
  async function receive(): Promise<Out> {
    while (!inbox.length) {
      if (gone) throw new Error(`${name} exited`);
      await new Promise<void>((r) => (wake = r));
    }
    const m = inbox.shift()!;
    if (m.type === 'error') throw new Error(`${name}: ${m.message}`);
    return m;
  }
  return {
    receive,
    ask: async (m: In) => {
      child.send(m);
      return receive();
    },
    tell: (m: In) => child.connected && child.send(m),
    async stop(exit: In) {
      if (child.connected) child.send(exit);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill();
    },
  };
}

const tsxChild = (file: string) => fork(new URL(file, import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
/** An app instance runs compiled, as the server does in production (`npm start`, the Docker image): no tsx loader. */
const appChild = (built: string) =>
  fork(path.join(built, 'scripts/bench/app-instance.js'), [], { execArgv: [...APP_NODE_FLAGS], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

/**
 * The whole service as `npm start` wires it (assemble), in `instances` processes on a real Redis, driven by the
 * LINE simulator child.
 */
export async function benchWebhook(o: WebhookOptions): Promise<WebhookResult> {
  const built = (await buildApp({ outdir: `dist/bench-${process.pid}`, include: ['src', 'scripts/bench'] })).outdir;
  const sim = channel<ToSimulator, FromSimulator>(tsxChild('./line-sim.ts'), 'LINE simulator');
  const apps = Array.from({ length: o.instances ?? 1 }, (_, i) => channel<ToInstance, FromInstance>(appChild(built), `app instance ${i + 1}`));
  const prefix = `kc-bench-${randomBytes(6).toString('hex')}:`;
  let result: Omit<WebhookResult, 'redisKeysCleaned'>;
  let cleaned = 0;
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  let reachable = false;
  try {
    // Without Redis the app would fall back to processing locally and the figures would describe something else.
    await redis
      .connect()
      .then(() => redis.ping())
      .catch((e: Error) => {
        throw new Error(`Redis at ${o.redisUrl} does not answer (${e.message}); set REDIS_URL or run --only core,startup`);
      });
    reachable = true;
    const hello = await sim.receive();
    if (hello.type !== 'stub') throw new Error('LINE simulator did not start its stub');
    const start: ToInstance = {
      type: 'start',
      redisUrl: o.redisUrl,
      prefix,
      channelSecret: CHANNEL_SECRET,
      lineApiBaseUrl: hello.baseURL,
      logLevel: o.logLevel,
      ...(o.settleMs !== undefined ? { settleMs: o.settleMs } : {}),
      memoryStore: !!o.memoryStore,
    };
    const appUrls = (await Promise.all(apps.map((a) => a.ask(start)))).map((m) => {
      if (m.type !== 'ready') throw new Error(`app instance answered ${m.type} instead of ready`);
      return m.url;
    });

    const userIds = Array.from({ length: o.users }, () => `U${randomBytes(16).toString('hex')}`);
    let sent = 0;
    const plan = (n: number): PlannedEvent[] =>
      Array.from({ length: n }, () => {
        const i = sent++;
        // Each person works through the texts from a different starting point, so follow-ups mix.
        const user = i % o.users;
        return { userId: userIds[user]!, text: o.texts[(user * 31 + Math.floor(i / o.users)) % o.texts.length]! };
      });
    const totals = async () => {
      const all = await Promise.all(apps.map((a) => a.ask({ type: 'stats' })));
      const stats = all.map((m) => {
        if (m.type !== 'stats') throw new Error(`app instance answered ${m.type} instead of stats`);
        return m;
      });
      return {
        cpuMs: stats.reduce((t, m) => t + m.cpuMs, 0),
        commands: stats.reduce((t, m) => t + m.commands, 0),
        rssMb: stats.map((m) => m.rssMb),
        heapMb: stats.map((m) => m.heapMb),
      };
    };
    const round = async (n: number): Promise<RoundResult> => {
      const before = await totals();
      const redisCpu = await redisCpuMs(redis);
      const m = await sim.ask({
        type: 'run',
        appUrls,
        channelSecret: CHANNEL_SECRET,
        concurrency: o.concurrency,
        ...(o.rate ? { rate: o.rate } : {}),
        events: plan(n),
        replyTimeoutMs: 10_000,
      });
      if (m.type !== 'result') throw new Error(`unexpected message from the LINE simulator: ${m.type}`);
      const after = await totals();
      return {
        ...m.result,
        appCpuMsPerEvent: round3((after.cpuMs - before.cpuMs) / n),
        // Redis's whole CPU: other clients of the same server count too (the bench notes the load average).
        redisCpuMsPerEvent: round3(((await redisCpuMs(redis)) - redisCpu) / n),
        redisCommandsPerEvent: round3((after.commands - before.commands) / n),
      };
    };

    const warmup = await round(o.warmupEvents);
    const rounds: RoundResult[] = [];
    if (o.cpuProfile) await apps[0]!.ask({ type: 'profile-start' });
    for (let r = 0; r < o.rounds; r++) rounds.push(await round(o.eventsPerRound));
    if (o.cpuProfile) await apps[0]!.ask({ type: 'profile-stop', file: o.cpuProfile });
    const end = await totals();
    const all = [warmup, ...rounds];
    const total = (k: 'lost' | 'doubled' | 'non200' | 'pushes') => all.reduce((s, r) => s + r[k], 0);
    result = {
      settings: { logLevel: o.logLevel, settleMs: o.settleMs ?? 'default', store: o.memoryStore ? 'memory' : 'redis' },
      instances: apps.length,
      users: o.users,
      concurrency: o.concurrency,
      ...(o.rate ? { rate: o.rate } : {}),
      rounds,
      warmup,
      eventsPerSecond: median(rounds.map((r) => r.eventsPerSecond)),
      p50Ms: median(rounds.map((r) => r.p50Ms)),
      p99Ms: median(rounds.map((r) => r.p99Ms)),
      lost: total('lost'),
      doubled: total('doubled'),
      non200: total('non200'),
      pushes: total('pushes'),
      rssAfterLoadMb: end.rssMb,
      heapAfterLoadMb: end.heapMb,
    };
  } finally {
    await Promise.all(apps.map((a) => a.stop({ type: 'exit' })));
    await sim.stop({ type: 'exit' });
    rmSync(built, { recursive: true, force: true });
    redis.disconnect();
    if (reachable) cleaned = await deleteKeys(o.redisUrl, prefix);
  }
  return { ...result, redisKeysCleaned: cleaned };
}

/** The Redis server's CPU time so far (INFO cpu), in ms. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** SCAN + DEL of the run's own prefix; never KEYS or FLUSHDB on a Redis others may be using. */
async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
