// Classifies evaluation cases through the same core the webhook uses and prints one decision per line,
// in the format ../shared/eval/score.mjs reads. Conversation state is kept per `user`, in file order.
//   npm run -s classify -- FILE.jsonl > decisions.jsonl
import { readFileSync } from 'node:fs';
import { loadCore } from '../src/bootstrap.js';
import { ConversationService } from '../src/dialogue/service.js';
import { MemoryStateStore } from '../src/storage/memory-store.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run -s classify -- FILE.jsonl');
  process.exit(2);
}
const cases = readFileSync(file, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('//'))
  .map((l) => JSON.parse(l) as { id: string; user?: string; text: string });

const core = await loadCore();
let clock = Date.parse('2026-04-01T01:00:00Z');
const store = new MemoryStateStore({ ttlSeconds: 1800, now: () => clock });
const service = new ConversationService(() => core.concierge, store, () => clock);
const out: string[] = [];
for (const c of cases) {
  clock += 20_000;
  const { decision } = await service.handle(c.user ?? c.id, { kind: 'text', text: c.text });
  out.push(JSON.stringify({ id: c.id, ...decision }));
}
await store.close();
process.stdout.write(out.join('\n') + '\n');
