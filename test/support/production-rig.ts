import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../scripts/build.mjs';
import { pushRetryKey } from '../../src/adapters/line/push.js';
import { lineLedger, type Fault, type LineLedger } from './line-ledger.js';
import { REPLY, startLineStub, type Call, type LineStub } from './line-stub.js';
import { startOwnRedis, startServerProcess, type OwnRedis, type ServerProcess } from './processes.js';
import { textEvent, type WebhookEvent } from './webhook-client.js';

/**
 * What the fault tests with the compiled server share: the server built as production runs it, a redis-server of its
 * own, a LINE stub keeping LINE's delivery rules (a ledger counting what each event's parent was shown), and servers
 * started with the LINE credentials pointed at the stub.
 */
export interface ProductionRig {
  redis: OwnRedis;
  stub: LineStub;
  ledger: LineLedger;
  /** Servers started and not stopped (stop or kill one through `stopped`). */
  servers: ServerProcess[];
  /** Starts one more server with the rig's environment and `env`. */
  start(env?: Record<string, string>): Promise<ServerProcess>;
  /** Forgets a server the test stopped or killed itself. */
  stopped(server: ServerProcess): void;
  /** A text event whose answer (reply, or push by its retry key) the ledger counts under `label`. */
  labelled(text: string, userId: string, label: string): WebhookEvent;
  /** Counts the answer to `event` (by its reply token and retry key) under `label`. */
  label(event: WebhookEvent, label: string): WebhookEvent;
  /** The label of a reply by its token (undefined for others). */
  labelOfReply(call: Call): string | undefined;
  close(): Promise<void>;
}

export async function startProductionRig(opts: {
  name: string;
  secret: string;
  redisServer: string;
  persist?: boolean;
  env?: Record<string, string>;
  fault?: (call: Call) => Fault | undefined;
  /** How the ledger labels a call; default: the event the reply token or push retry key belongs to. */
  labelCall?: (call: Call, byKey: (key: string) => string | undefined) => string;
}): Promise<ProductionRig> {
  const labelOf = new Map<string, string>();
  const byKey = (key: string) => labelOf.get(key);
  const replyLabel = (c: Call) => byKey(String((c.body as { replyToken?: unknown }).replyToken));
  const ledger = lineLedger({
    label: (c) => opts.labelCall?.(c, byKey) ?? (c.path === REPLY ? replyLabel(c) : byKey(String(c.headers['x-line-retry-key']))) ?? '?',
    ...(opts.fault ? { fault: opts.fault } : {}),
  });
  const [{ outdir }, redis, stub] = await Promise.all([
    buildApp({ outdir: `dist/test-${opts.name}-${process.pid}` }),
    startOwnRedis(opts.redisServer, { persist: !!opts.persist }),
    startLineStub((c, all) => ledger.route(c, all)),
  ]);
  const entry = path.join(outdir as string, 'src/main.js');
  const rig: ProductionRig = {
    redis,
    stub,
    ledger,
    servers: [],
    async start(env = {}) {
      const s = await startServerProcess(
        entry,
        { LINE_CHANNEL_SECRET: opts.secret, LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_API_BASE_URL: stub.baseURL, REDIS_URL: redis.url, ...opts.env, ...env },
        90_000,
      );
      rig.servers.push(s);
      return s;
    },
    stopped(server) {
      rig.servers = rig.servers.filter((s) => s !== server);
    },
    label(event, label) {
      if (event.replyToken) labelOf.set(String(event.replyToken), label);
      labelOf.set(pushRetryKey(event.webhookEventId), label);
      return event;
    },
    labelled: (text, userId, label) => rig.label(textEvent(text, { userId }), label),
    labelOfReply: replyLabel,
    async close() {
      await Promise.all(rig.servers.map((s) => s.stop()));
      await Promise.all([redis.stop(), stub.close()]);
      rmSync(outdir as string, { recursive: true, force: true });
    },
  };
  return rig;
}
