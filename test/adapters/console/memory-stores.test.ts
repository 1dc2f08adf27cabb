import { MemoryAccountStore } from '../../../src/adapters/console/accounts.js';
import { MemorySessionStore } from '../../../src/adapters/console/sessions.js';
import { accountStoreContract, sessionStoreContract } from './store-contract.js';

let clock = 1_700_000_000_000;
accountStoreContract('memory', () => new MemoryAccountStore());
sessionStoreContract(
  'memory',
  (ttlSeconds) => new MemorySessionStore({ ttlSeconds, now: () => clock }),
  async (ms) => {
    clock += ms;
  },
);
