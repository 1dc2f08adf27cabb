import type { RedisClient as Redis } from '../../storage/redis-client.js';
import { sharedTokenizerLoad, type Core } from '../../bootstrap.js';
import type { Logger } from '../../log.js';
import { readKnowledgeFolders, type KnowledgeFiles } from '../files.js';
import { defaultDirs } from '../load.js';
import { LiveKnowledge } from './live.js';
import { MemoryKnowledgeStore } from './memory-store.js';
import { KnowledgePublisher } from './publisher.js';
import { RedisKnowledgeStore } from './redis-store.js';
import type { KnowledgeService } from './service.js';
import type { KnowledgeStore } from './store.js';

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
  const store: KnowledgeStore = opts.redis ? new RedisKnowledgeStore({ redis: opts.redis, prefix: opts.prefix, logger: opts.logger }) : new MemoryKnowledgeStore();
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
