// Everything the bot does with the repository's labelled messages — decision, replies, quick replies and the next
// state, turn by turn, conversations kept per `user` — reduced to one SHA-256 per file. A refactoring that must not
// change behaviour prints the same digests before and after; `--out DIR` also writes each file's turns as JSON
// lines, to diff when a digest moves.
//   npm run -s decisions:digest [-- --out DIR]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCore } from '../src/core/build-core.js';
import { ConversationService } from '../src/app/conversation/service.js';
import { parseCases } from '../src/app/evaluation/run-cases.js';
import { MemoryStateStore } from '../src/app/conversation/memory-state-store.js';

const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
const files = [
  'training/dev.jsonl',
  ...readdirSync('training/corpus')
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => `training/corpus/${f}`),
  'test/eval/probes.jsonl',
];

const core = await loadCore();
const all = createHash('sha256');
for (const file of files) {
  let clock = Date.parse('2026-04-01T01:00:00Z');
  const store = new MemoryStateStore({ ttlSeconds: 1800, now: () => clock });
  const service = new ConversationService({ concierge: () => core.concierge, store, now: () => clock });
  const lines: string[] = [];
  for (const c of parseCases(readFileSync(file, 'utf8'))) {
    clock += 20_000;
    lines.push(JSON.stringify({ id: c.id, ...(await service.handle(c.user ?? c.id, { kind: 'text', text: c.text })) }));
  }
  await store.close();
  const text = lines.join('\n') + '\n';
  const digest = createHash('sha256').update(text).digest('hex');
  all.update(digest);
  console.log(`${digest.slice(0, 16)}  ${lines.length.toString().padStart(4)} turns  ${file}`);
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `${path.basename(file, '.jsonl')}.jsonl`), text);
  }
}
console.log(`${all.digest('hex').slice(0, 16)}  all`);
