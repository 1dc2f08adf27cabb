import type { Concierge } from '../../core/conversation/concierge.js';
import { ConversationService } from '../conversation/service.js';
import type { Decision } from '../../core/conversation/types.js';
import { MemoryStateStore } from '../conversation/memory-state-store.js';

export interface EvalCase {
  id: string;
  user?: string;
  text: string;
}

export const parseCases = (jsonl: string): EvalCase[] =>
  jsonl
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'))
    .map((l) => JSON.parse(l) as EvalCase);

/**
 * Runs evaluation cases through the same service the webhook uses, keeping state per `user` in file order.
 * A simulated clock advances 20 s per case, so follow-ups stay inside the context window.
 */
export async function runCases(concierge: Concierge, cases: readonly EvalCase[]): Promise<({ id: string } & Decision)[]> {
  let clock = Date.parse('2026-04-01T01:00:00Z');
  const store = new MemoryStateStore({ ttlSeconds: 1800, now: () => clock });
  const service = new ConversationService({ concierge: () => concierge, store, now: () => clock });
  const out: ({ id: string } & Decision)[] = [];
  try {
    for (const c of cases) {
      clock += 20_000;
      const { decision } = await service.handle(c.user ?? c.id, { kind: 'text', text: c.text });
      out.push({ id: c.id, ...decision });
    }
  } finally {
    await store.close();
  }
  return out;
}
