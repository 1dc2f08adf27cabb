// Starts the bot: validated config, the knowledge base (an invalid one stops start-up with the report),
// kuromoji loaded once, the state store (Redis or memory) and the HTTP server.
import { loadConfig } from './config/env.js';
import { KnowledgeBaseError, formatProblems, loadCore, sharedTokenizerLoad } from './bootstrap.js';
import { assemble } from './assemble.js';
import { createLogger } from './log.js';
import { createRedisClient } from './storage/index.js';

const started = performance.now();
let config;
try {
  config = loadConfig();
} catch (e) {
  console.error(`設定エラー / configuration error:\n${(e as Error).message}`);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel });

let core;
try {
  core = await loadCore();
} catch (e) {
  if (e instanceof KnowledgeBaseError) {
    console.error(`知識ベースに問題があるため起動できません（npm run kb:check で確認できます）:\n${formatProblems(e.problems)}`);
    process.exit(1);
  }
  throw e;
}
const dictionary = await sharedTokenizerLoad();
logger.info({ tokenizerMs: core.timings.tokenizerMs, dictionary: dictionary.source, indexMs: core.timings.indexMs, entries: core.kb.entries.size }, 'knowledge base and kuromoji dictionary loaded');
// Still running (the dictionary was decoded from kuromoji's gzip files), only slower and without the cache next time.
if (dictionary.cacheProblem) logger.warn({ problem: dictionary.cacheProblem }, 'kuromoji dictionary cache not used; run `npm run dict:prepare` where node_modules is writable');

const liveCore = core;
let redis;
if (config.redisUrl) redis = createRedisClient(config.redisUrl, logger);
else logger.info({ store: 'memory' }, 'REDIS_URL is not set: conversations, handoffs and transcripts are kept in memory (lost on restart, not shared between instances)');
const service = assemble({ config, core: () => liveCore, logger, redis });
const { app, store } = service;

const server = app.listen(config.port, () => {
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  logger.info({ port: config.port, mode: config.lineMode, store: store.kind, startupMs: Math.round(performance.now() - started), rssMb }, 'ready');
  if (config.lineMode === 'local')
    logger.info(`LINE credentials are not set: running locally. Webhook: http://localhost:${config.port}/webhook (signed with the local secret)`);
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  await service.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
