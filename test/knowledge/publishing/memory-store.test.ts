import { MemoryKnowledgeStore } from '../../../src/knowledge/publishing/memory-store.js';
import { storeContract } from './store-contract.js';

storeContract('memory', async () => ({ store: new MemoryKnowledgeStore() }));
