import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { assemble } from '../../src/assemble.js';
import type { Core } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { createRedisClient } from '../../src/storage/index.js';
import type { FromSimulator, PlannedEvent, RoundResult, ToSimulator } from './protocol.js';
import { mb, median, round as roundTo } from './stats.js';

const round3 = (n: number) => roundTo(n, 3);

export interface WebhookOptions {
  core: Core;
  /** Texts the people send (ones that would open a handoff are left out: the bot then goes silent by design). */
  texts: readonly string[];
  redisUrl: string;
  users: number;
  eventsPerRound: number;
  rounds: number;
  warmupEvents: number;
  concurrency: number;
  /** The app logs as in production (info, one JSON line per event and per reply) into /dev/null. */
  logLevel: string;
  /** What-if: RedisUserOrder's settle wait (default 15 ms, its own default). */
  settleMs?: number;
  /** What-if: no Redis at all (memory state, in-process user order), to see what the Redis layer costs. */
  memoryStore?: boolean;
  /** Writes a V8 CPU profile of the app's process over the measured rounds (not the warm-up) to this path. */
  cpuProfile?: string;
}

export interface WebhookResult {
  /** Anything but the defaults is a what-if, not the service as deployed. */
  settings: { logLevel: string; settleMs: number | 'default'; store: 'redis' | 'memory' };
  users: number;
  concurrency: number;
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
  rssAfterLoadMb: number;
  heapAfterLoadMb: number;
}

const CHANNEL_SECRET = 'bench-channel-secret';

/** The whole service as `npm start` wires it (assemble), on a real Redis, driven by the LINE simulator child. */
export async function benchWebhook(o: WebhookOptions): Promise<WebhookResult> {
  const sim = fork(new URL('./line-sim.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: FromSimulator[] = [];
  let wake: (() => void) | undefined;
  sim.on('message', (m: FromSimulator) => {
    inbox.push(m);
    wake?.();
  });
  let gone = false;
  const exited = new Promise<void>((r) =>
    sim.once('exit', () => {
      gone = true;
      wake?.();
      r();
    }),
  );
  async function receive(): Promise<FromSimulator> {
    while (!inbox.length) {
      if (gone) throw new Error('LINE simulator exited');
      await new Promise<void>((r) => (wake = r));
    }
    const m = inbox.shift()!;
    if (m.type === 'error') throw new Error(`LINE simulator: ${m.message}`);
    return m;
  }
  const tell = (m: ToSimulator) => sim.send(m);

  const prefix = `kc-bench-${randomBytes(6).toString('hex')}:`;
  let server: Server | undefined;
  let service: ReturnType<typeof assemble> | undefined;
  let result: Omit<WebhookResult, 'redisKeysCleaned'>;
  let cleaned = 0;
  let redisForInfo: Redis | undefined;
  let reachable = false;
  try {
    const hello = await receive();
    if (hello.type !== 'stub') throw new Error('LINE simulator did not start its stub');
    const config = loadConfig({ PORT: '0', REDIS_URL: o.redisUrl, LINE_CHANNEL_SECRET: CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'bench-token', LINE_API_BASE_URL: hello.baseURL, LOG_LEVEL: o.logLevel });
    const logger = createLogger({ level: config.logLevel, destination: pino.destination({ dest: '/dev/null', sync: true }) });
    const redis = createRedisClient(o.redisUrl, logger);
    redisForInfo = redis;
    // Without Redis the app would fall back to processing locally and the figures would describe something else.
    await redis.ping().catch((e: Error) => {
      throw new Error(`Redis at ${o.redisUrl} does not answer (${e.message}); set REDIS_URL or run --only core,startup`);
    });
    reachable = true;
    const commands = countCommands(redis);
    service = assemble({
      config,
      core: () => o.core,
      logger,
      ...(o.memoryStore ? {} : { redis }),
      prefix,
      sweepIntervalMs: 0,
      ...(o.settleMs !== undefined ? { userOrderSettleMs: o.settleMs } : {}),
    });
    const app = service.app;
    server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const userIds = Array.from({ length: o.users }, () => `U${randomBytes(16).toString('hex')}`);
    let sent = 0;
    const plan = (n: number): PlannedEvent[] =>
      Array.from({ length: n }, () => {
        const i = sent++;
        // Each person works through the texts from a different starting point, so follow-ups mix.
        const user = i % o.users;
        return { userId: userIds[user]!, text: o.texts[(user * 31 + Math.floor(i / o.users)) % o.texts.length]! };
      });
    const round = async (n: number): Promise<RoundResult> => {
      const cpu = process.cpuUsage();
      const redisCpu = await redisCpuMs(redis);
      const sentCommands = commands.count;
      tell({ type: 'run', appUrl, channelSecret: CHANNEL_SECRET, concurrency: o.concurrency, events: plan(n), replyTimeoutMs: 10_000 });
      const m = await receive();
      if (m.type !== 'result') throw new Error(`unexpected message from the LINE simulator: ${m.type}`);
      const used = process.cpuUsage(cpu);
      return {
        ...m.result,
        appCpuMsPerEvent: round3((used.user + used.system) / 1000 / n),
        // Redis's whole CPU: other clients of the same server count too (the bench notes the load average).
        redisCpuMsPerEvent: round3(((await redisCpuMs(redis)) - redisCpu) / n),
        redisCommandsPerEvent: round3((commands.count - sentCommands) / n),
      };
    };

    const warmup = await round(o.warmupEvents);
    const rounds: RoundResult[] = [];
    const profiler = o.cpuProfile ? await startProfiler() : undefined;
    for (let r = 0; r < o.rounds; r++) rounds.push(await round(o.eventsPerRound));
    if (profiler && o.cpuProfile) await profiler.stop(o.cpuProfile);
    await app.drain();
    const mem = process.memoryUsage();
    const all = [warmup, ...rounds];
    const total = (k: 'lost' | 'doubled' | 'non200' | 'pushes') => all.reduce((s, r) => s + r[k], 0);
    result = {
      settings: { logLevel: o.logLevel, settleMs: o.settleMs ?? 'default', store: o.memoryStore ? 'memory' : 'redis' },
      users: o.users,
      concurrency: o.concurrency,
      rounds,
      warmup,
      eventsPerSecond: median(rounds.map((r) => r.eventsPerSecond)),
      p50Ms: median(rounds.map((r) => r.p50Ms)),
      p99Ms: median(rounds.map((r) => r.p99Ms)),
      lost: total('lost'),
      doubled: total('doubled'),
      non200: total('non200'),
      pushes: total('pushes'),
      rssAfterLoadMb: mb(mem.rss),
      heapAfterLoadMb: mb(mem.heapUsed),
    };
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server!.close(r));
    }
    await service?.close();
    // The service owns (and has quit) the client it was given; otherwise it is still ours.
    if (!service || o.memoryStore) redisForInfo?.disconnect();
    if (sim.connected) tell({ type: 'exit' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (sim.exitCode === null) sim.kill();
    if (reachable) cleaned = await deleteKeys(o.redisUrl, prefix);
  }
  return { ...result, redisKeysCleaned: cleaned };
}

async function startProfiler() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Counts the commands the app sends (ioredis funnels every command, MULTI blocks included, through sendCommand). */
function countCommands(redis: Redis): { count: number } {
  const counter = { count: 0 };
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...a: Parameters<Redis['sendCommand']>) => {
    counter.count++;
    return send(...a);
  }) as Redis['sendCommand'];
  return counter;
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
