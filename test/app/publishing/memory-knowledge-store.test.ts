import { MemoryKnowledgeStore } from '../../../src/app/publishing/memory-knowledge-store.js';
import { storeContract } from './store-contract.js';

storeContract('memory', async () => ({ store: new MemoryKnowledgeStore() }));
