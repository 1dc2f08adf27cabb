// Starts the bot: validated config, the live knowledge base (the current published version, seeded from the
// repository's files when none exists; an invalid one stops start-up with the report), kuromoji loaded once, the state
// store (Redis or memory) and the HTTP server.
import { loadConfigOrExit } from './adapters/config/env.js';
import { KnowledgeBaseError, formatProblems, sharedTokenizerLoad } from './core/build-core.js';
import { assembleServices, serve } from './assemble.js';
import { createConsole } from './adapters/console/router.js';
import { bootstrapAccount, consoleStores } from './adapters/console/setup.js';
import { addExample, checkExample } from './app/publishing/add-example.js';
import { startKnowledge, type KnowledgeService } from './adapters/stores/knowledge-service.js';
import { createLogger } from './app/log.js';
import { redisFromConfig } from './adapters/stores/index.js';
import { sourceWatchParts } from './adapters/stores/redis-source-watch.js';
import { DEFAULT_WATCH_USER_AGENT, SourceWatch } from './app/sources/watch.js';
import { citedSources } from './core/knowledge/source-urls.js';

const started = performance.now();
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel });

// One Redis server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES), shared by every instance.
const redis = redisFromConfig(config, logger);
if (!redis)
  logger.info(
    { store: 'memory' },
    'REDIS_URL is not set: conversations, handoffs, transcripts and knowledge-base versions are kept in memory (lost on restart, not shared between instances)',
  );

let knowledge: KnowledgeService;
try {
  knowledge = await startKnowledge({ redis, logger, evalFile: config.kbEvalFile });
} catch (e) {
  if (e instanceof KnowledgeBaseError) {
    console.error(`知識ベースに問題があるため起動できません（npm run kb:check で確認できます）:\n${formatProblems(e.problems)}`);
    process.exit(1);
  }
  throw e;
}
const dictionary = await sharedTokenizerLoad();
logger.info(
  { tokenizerMs: dictionary.ms, dictionary: dictionary.source, version: knowledge.live.version(), entries: knowledge.live.core().kb.entries.size },
  'knowledge base and kuromoji dictionary loaded',
);
// Still running (the dictionary was decoded from kuromoji's gzip files), only slower and without the cache next time.
if (dictionary.cacheProblem)
  logger.warn({ problem: dictionary.cacheProblem }, 'kuromoji dictionary cache not used; run `npm run dict:prepare` where node_modules is writable');
// The holder, not a core: a publish on any instance swaps what every request sees next.
const liveCore = () => knowledge.live.core();
const stores = consoleStores({ redis, config });
if (config.consoleBootstrap && redis)
  logger.warn(
    { console: 'bootstrap' },
    'CONSOLE_BOOTSTRAP_USER / CONSOLE_BOOTSTRAP_PASSWORD are ignored with Redis (REDIS_URL / REDIS_CLUSTER_NODES): create accounts with npm run staff:add',
  );
else await bootstrapAccount(stores.accounts, config, logger);
// The services first, then the staff console over them, then one HTTP app serving the webhook and the console.
const wiring = { config, core: liveCore, knowledgeVersion: () => knowledge.live.version(), logger, redis };
const services = assembleServices(wiring);
// Every page the live knowledge base cites, fetched once per SOURCE_WATCH_HOURS by one instance at a time.
const watchParts = sourceWatchParts({ redis, retentionSeconds: config.transcriptRetentionDays * 86_400 });
const sourceWatch = new SourceWatch({
  ...watchParts,
  urls: () => citedSources(liveCore().kb).map((s) => s.url),
  timeoutMs: config.sourceWatchTimeoutSeconds * 1000,
  concurrency: config.sourceWatchConcurrency,
  userAgent: config.publicBaseUrl ? DEFAULT_WATCH_USER_AGENT.replace(/\)$/, `; +${config.publicBaseUrl})`) : DEFAULT_WATCH_USER_AGENT,
  logger,
});
if (config.sourceWatchHours > 0) sourceWatch.start(config.sourceWatchHours * 3_600_000);
const staffConsole = createConsole({
  ...stores,
  sourceWatch: { store: watchParts.store, enabled: config.sourceWatchHours > 0 },
  reports: services.reports,
  handoff: services.handoff,
  events: services.events,
  core: liveCore,
  knowledge,
  logger,
  insights: {
    stats: services.stats,
    unanswered: services.unanswered,
    examples: {
      check: (intent, text) => checkExample(knowledge, liveCore().concierge, intent, text),
      add: (intent, text, staff, base) => addExample(knowledge, liveCore().concierge, intent, text, staff, base),
    },
  },
});
const service = serve(wiring, services, [staffConsole.router]);
const { app, store } = service;

const server = app.listen(config.port, config.host, () => {
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  logger.info(
    { port: config.port, host: config.host, mode: config.lineMode, store: store.kind, startupMs: Math.round(performance.now() - started), rssMb },
    'ready',
  );
  if (config.lineMode === 'local') {
    logger.info(`LINE credentials are not set: running locally. Webhook: http://localhost:${config.port}/webhook (signed with the local secret)`);
    if (app.localLineApi) logger.info(`Simulator: http://localhost:${config.port}/simulator`);
  }
  logger.info(`Staff console: http://localhost:${config.port}/console/`);
  // Events an instance left queued when it died or ran out of its shutdown budget, and promises to parents it kept in
  // the spool: nobody else would look at them until that person writes again (and then every RESCAN_SECONDS).
  void service.rescan().then(({ queues, promises }) => {
    if (queues) logger.info({ queues }, 'taking over event queues left in Redis');
    if (promises) logger.info({ promises }, 'taking over promises to parents left in the spool');
  });
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down: no new webhooks, finishing the ones in flight');
  app.stopAccepting();
  staffConsole.stream.closeAll();
  server.close();
  server.closeIdleConnections();
  // Never hang forever: a stuck LINE call must not keep a deploy waiting. Events get the drain budget (what they leave
  // stays queued in Redis); closing the rest gets 5 s more (by default 15 s in all, inside compose's stop_grace_period).
  const budgetMs = config.shutdownDrainSeconds * 1000;
  const deadline = setTimeout(() => {
    logger.error({ ms: budgetMs + 5000 }, 'shutdown took too long; exiting');
    process.exit(1);
  }, budgetMs + 5000);
  deadline.unref();
  await sourceWatch.stop();
  await knowledge.close();
  const left = await service.close({ drainBudgetMs: budgetMs });
  if (left.local) {
    // Handled outside Redis (it was away): nothing can take these over.
    logger.error({ unfinished: left.local }, 'events handled without Redis were not finished');
    process.exit(1);
  }
  logger.info(left.inRedis ? { leftInRedis: left.inRedis } : {}, 'stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
