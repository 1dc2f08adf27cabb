import type { LiveKnowledge } from './live.js';
import type { KnowledgePublisher } from './publisher.js';
import type { KnowledgeStore } from './store.js';

/** One instance's knowledge base: its versions, the live one, and the way to publish (what the console uses). */
export interface KnowledgeService {
  store: KnowledgeStore;
  live: LiveKnowledge;
  publisher: KnowledgePublisher;
  close(): Promise<void>;
}
