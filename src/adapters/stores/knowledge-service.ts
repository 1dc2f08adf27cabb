import type { RedisClient as Redis } from './redis-client.js';
import { sharedTokenizerLoad, type Core } from '../../core/build-core.js';
import type { Logger } from '../../app/log.js';
import { readKnowledgeFolders, type KnowledgeFiles } from '../../core/knowledge/files.js';
import { defaultDirs } from '../../core/knowledge/load.js';
import { LiveKnowledge } from '../../app/publishing/live.js';
import { MemoryKnowledgeStore } from '../../app/publishing/memory-knowledge-store.js';
import { KnowledgePublisher } from '../../app/publishing/publisher.js';
import { RedisKnowledgeStore } from './redis-knowledge-store.js';
import type { KnowledgeService } from '../../app/publishing/service.js';
import type { KnowledgeStore } from '../../app/publishing/store.js';

export type { KnowledgeService };

export interface StartKnowledgeOptions {
  /** Shared by every instance; without it versions live in this process only. */
  redis?: Redis;
  prefix?: string;
  logger: Logger;
  evalFile: string;
  /** The repository root whose knowledge/ and intents/ seed an empty store. */
  root?: string;
  pollMs?: number;
  prebuilt?: { files: KnowledgeFiles; core: Core };
}

/** The live knowledge base of one instance and the way to publish to it (the composition root calls this). */
export async function startKnowledge(opts: StartKnowledgeOptions): Promise<KnowledgeService> {
  const store: KnowledgeStore = opts.redis
    ? new RedisKnowledgeStore({ redis: opts.redis, prefix: opts.prefix, logger: opts.logger })
    : new MemoryKnowledgeStore();
  const live = await LiveKnowledge.start({
    store,
    seed: () => readKnowledgeFolders(defaultDirs(opts.root)),
    logger: opts.logger,
    pollMs: opts.pollMs ?? 30_000,
    ...(opts.prebuilt ? { prebuilt: opts.prebuilt } : {}),
  });
  const publisher = new KnowledgePublisher({ store, tokenizer: sharedTokenizerLoad, evalFile: opts.evalFile, live: () => live.core(), logger: opts.logger });
  return { store, live, publisher, close: () => live.close() };
}
