import { translatorFromConfig } from './adapters/translation/from-config.js';
import { handoffTranslation } from './app/translation/machine-translator.js';
import type { Router } from 'express';
import type { RedisClient } from './adapters/stores/redis-client.js';
import type { Core } from './core/build-core.js';
import { BASE_LANGUAGE } from './core/knowledge/languages/schema.js';
import { copyLookupFor } from './core/conversation/voice.js';
import type { Config } from './adapters/config/env.js';
import { ConversationService } from './app/conversation/service.js';
import type { HandoffEvents, HandoffStore, TranscriptStore } from './app/handoff/handoff-store.js';
import { MemoryHandoffEvents, MemoryHandoffStore, MemoryTranscriptStore } from './app/handoff/memory-handoff-store.js';
import { DEFAULT_OFFICE_HOURS, OfficeHours } from './core/calendar/office-hours.js';
import { RedisHandoffEvents, RedisHandoffStore, RedisTranscriptStore } from './adapters/stores/redis-handoff-store.js';
import { HandoffService } from './app/handoff/service.js';
import { MemoryUnansweredLog, type UnansweredLog } from './app/insights/unanswered.js';
import { MemoryUsageStats, type UsageStats } from './app/insights/usage-stats.js';
import { RedisUnansweredLog } from './adapters/stores/redis-unanswered-log.js';
import { MemoryWrongReportStore, type WrongReportStore } from './app/insights/wrong-reports.js';
import { RedisWrongReportStore } from './adapters/stores/redis-wrong-reports.js';
import { RedisUsageStats } from './adapters/stores/redis-usage-stats.js';
import type { Logger } from './app/log.js';
import { Metrics } from './adapters/observability/metrics.js';
import { MemoryStateStore } from './app/conversation/memory-state-store.js';
import { RedisStateStore } from './adapters/stores/redis-store.js';
import type { StateStore } from './adapters/stores/state-store.js';
import { createApp, lineConnection, type AppDeps, type ConciergeApp, type LineConnection } from './adapters/http/app.js';
import { LineParentChannel, LineStaffAlert } from './adapters/line/parent-channel.js';
import { LinePusher } from './adapters/line/push.js';
import { logPseudonym } from './adapters/observability/log-privacy.js';
import { LineHttpClient } from './adapters/line/http-client.js';
import { RedisUserOrder } from './adapters/line/user-order.js';
import { FilePromiseSpool } from './adapters/stores/file-promise-spool.js';
import type { LineClient } from './adapters/line/webhook.js';

export interface AssembleOptions {
  config: Config;
  /** The live core (a knowledge-base publish swaps it). */
  core: () => Core;
  /** The knowledge-base version the live core was built from, reported by /readyz. */
  knowledgeVersion?: () => number | undefined;
  logger: Logger;
  /** Shared Redis client (owned by the result: close() quits it); without one everything is kept in memory. */
  redis?: RedisClient;
  /** Redis key prefix (tests use one per file). */
  prefix?: string;
  lineClient?: LineClient;
  webhook?: AppDeps['webhook'];
  /** Process metrics (CPU, memory, event loop) in /metrics; default true. */
  defaultMetrics?: boolean;
  /** Overrides RedisUserOrder's settle wait (the benchmark measures what it costs); default: its own. */
  userOrderSettleMs?: number;
  /** How often open handoffs are checked for idleness; 0 disables the timer (tests call sweepIdle). */
  sweepIntervalMs?: number;
  /** How often to look for what stopped instances left (default RESCAN_SECONDS); 0 disables the timer. */
  rescanIntervalMs?: number;
  now?: () => number;
}

/** The stores and services, before any HTTP: what the staff console is built from (see src/main.ts). */
export interface Services {
  line: LineConnection;
  store: StateStore;
  handoff: HandoffService;
  handoffStore: HandoffStore;
  transcript: TranscriptStore;
  events: HandoffEvents;
  conversations: ConversationService;
  stats: UsageStats;
  unanswered: UnansweredLog;
  /** Parents' 「この情報はまちがっている」 reports (masked), kept as long as transcripts. */
  reports: WrongReportStore;
  metrics: Metrics;
}

export interface Assembled extends Services {
  app: ConciergeApp;
  /**
   * Takes over what stopped or dead instances left: event queues in Redis and promises in the spool. Run at
   * start-up, then every RESCAN_SECONDS.
   */
  rescan(): Promise<{ queues: number; promises: number }>;
  /**
   * Waits for the events in flight (at most `drainBudgetMs` when given: then this instance takes nothing more and
   * leaves what is unfinished queued in Redis), and closes everything. Says what was left unfinished.
   */
  close(opts?: { drainBudgetMs?: number }): Promise<{ inRedis: number; local: number }>;
}

/** Wires the whole service from its parts: the same wiring for `npm start`, the end-to-end tests and the benchmark. */
export function assemble(opts: AssembleOptions): Assembled {
  return serve(opts, assembleServices(opts));
}

/** The stores (Redis, or memory without it) and the services over them. */
export function assembleServices(opts: AssembleOptions): Services {
  const { config, logger, redis } = opts;
  const retentionSeconds = config.transcriptRetentionDays * 86_400;
  const store: StateStore = redis
    ? new RedisStateStore({ redis, ttlSeconds: config.stateTtlSeconds, prefix: opts.prefix, logger })
    : new MemoryStateStore({ ttlSeconds: config.stateTtlSeconds });
  const handoffStore = redis
    ? new RedisHandoffStore({ redis, prefix: opts.prefix, retentionSeconds, logger })
    : new MemoryHandoffStore({ retentionMs: retentionSeconds * 1000, now: opts.now });
  const transcript = redis
    ? new RedisTranscriptStore({ redis, prefix: opts.prefix, retentionSeconds, logger })
    : new MemoryTranscriptStore({ retentionMs: retentionSeconds * 1000, now: opts.now });
  const events = redis ? new RedisHandoffEvents({ redis, prefix: opts.prefix, retentionSeconds, logger }) : new MemoryHandoffEvents();

  const stats: UsageStats = redis ? new RedisUsageStats(redis, opts.prefix) : new MemoryUsageStats();
  const line = lineConnection(config, opts.lineClient, opts.webhook?.apiTimeoutMs);
  const pusher = new LinePusher({
    client: line.client,
    logger,
    ...(opts.webhook?.pushRetryDelaysMs ? { retryDelaysMs: opts.webhook.pushRetryDelaysMs } : {}),
    ...(opts.webhook?.apiTimeoutMs ? { apiTimeoutMs: opts.webhook.apiTimeoutMs } : {}),
  });
  const translator = translatorFromConfig(config);
  const handoff = new HandoffService({
    store: handoffStore,
    transcript,
    events,
    parent: new LineParentChannel(pusher, logPseudonym(line.channelSecret)),
    ...(config.lineStaffGroupId ? { staffAlert: new LineStaffAlert(pusher, config.lineStaffGroupId, config.publicBaseUrl) } : {}),
    hours: new OfficeHours({ ...DEFAULT_OFFICE_HOURS, ...config.officeHours }),
    idleMs: config.handoffIdleMinutes * 60_000,
    stats,
    answer: (intent, facet, language) =>
      opts.core().kb.entries.has(intent) ? opts.core().concierge.answerCard(intent, facet, (opts.now ?? Date.now)(), language) : undefined,
    voice: (language) => opts.core().concierge.voiceFor(language),
    ...(translator ? { translation: handoffTranslation(translator, () => opts.core().kb.languages) } : {}),
    logger,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const unanswered: UnansweredLog = redis
    ? new RedisUnansweredLog(redis, retentionSeconds, opts.prefix)
    : new MemoryUnansweredLog(retentionSeconds * 1000, opts.now);
  const reports: WrongReportStore = redis
    ? new RedisWrongReportStore(redis, retentionSeconds, opts.prefix)
    : new MemoryWrongReportStore(retentionSeconds * 1000, opts.now);
  const metrics = new Metrics({ handoffQueueLength: async () => (await handoffStore.listOpen()).length, defaultMetrics: opts.defaultMetrics ?? true });
  const conversations = new ConversationService({
    concierge: () => opts.core().concierge,
    store,
    handoff,
    stats,
    unanswered,
    reports,
    ...(opts.knowledgeVersion ? { knowledgeVersion: opts.knowledgeVersion } : {}),
    metrics,
    logger,
    ...(config.spoolDir ? { spool: new FilePromiseSpool({ dir: config.spoolDir, logger }) } : {}),
    promiseMaxAgeMs: config.spoolRetentionHours * 3_600_000,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { line, store, handoff, handoffStore, transcript, events, conversations, stats, unanswered, reports, metrics };
}

/** The HTTP app over the services: probes, metrics, the LINE webhook, then `routers` (the staff console). */
export function serve(opts: AssembleOptions, services: Services, routers: Router[] = []): Assembled {
  const { config, logger, redis } = opts;
  const { line, store, handoff, conversations, events, metrics } = services;
  const app = createApp({
    handler: conversations,
    store,
    config,
    logger,
    line,
    kbReady: () => !!opts.core(),
    menuLanguages: () => {
      const { kb } = opts.core();
      return [...kb.languages.keys()].filter((code) => code !== BASE_LANGUAGE).map((code) => ({ code, t: copyLookupFor(kb, code) }));
    },
    metrics,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...(opts.knowledgeVersion ? { kbVersion: opts.knowledgeVersion } : {}),
    routers,
    webhook: {
      ...opts.webhook,
      // Behind a load balancer one person's messages may reach different instances: order them through Redis.
      ...(redis
        ? {
            userOrder: (process, onDuplicate) =>
              new RedisUserOrder(process, {
                redis,
                prefix: opts.prefix,
                logger,
                ...(onDuplicate ? { onDuplicate } : {}),
                ...(opts.userOrderSettleMs !== undefined ? { settleMs: opts.userOrderSettleMs } : {}),
              }),
          }
        : {}),
    },
  });

  const interval = opts.sweepIntervalMs ?? 60_000;
  const sweeper =
    interval > 0
      ? setInterval(() => {
          handoff.sweepIdle().catch((err: Error) => logger.warn({ err: err.message }, 'idle handoff sweep failed'));
        }, interval)
      : undefined;
  sweeper?.unref();

  const rescan = async () => {
    const [queues, promises] = await Promise.all([
      app.rescan().catch((err: Error) => {
        logger.warn({ err: err.message }, 'event queue rescan failed');
        return 0;
      }),
      conversations.takeOverPromises().catch((err: Error) => {
        logger.warn({ err: err.message }, 'spool rescan failed');
        return 0;
      }),
    ]);
    return { queues, promises };
  };
  const rescanEvery = opts.rescanIntervalMs ?? config.rescanSeconds * 1000;
  const rescanner = rescanEvery > 0 ? setInterval(() => void rescan(), rescanEvery) : undefined;
  rescanner?.unref();

  return {
    app,
    ...services,
    rescan,
    async close({ drainBudgetMs }: { drainBudgetMs?: number } = {}) {
      clearInterval(sweeper);
      clearInterval(rescanner);
      let budget: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        app.drain().then(
          () => true,
          () => true,
        ),
        ...(drainBudgetMs === undefined ? [] : [new Promise<boolean>((resolve) => (budget = setTimeout(() => resolve(false), drainBudgetMs)))]),
      ]);
      clearTimeout(budget);
      const left = drained ? { inRedis: 0, local: 0 } : await app.stop();
      if (!drained) logger.warn({ budgetMs: drainBudgetMs, ...left }, 'drain budget spent: unfinished events stay queued in Redis for the next instance');
      await conversations.close().catch(() => undefined);
      await events.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      if (line.client instanceof LineHttpClient) line.client.close();
      return left;
    },
  };
}
