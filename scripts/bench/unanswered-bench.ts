// How long the unanswered page's grouping takes, and how long it holds up everything else in the process.
//   npx tsx scripts/bench/unanswered-bench.ts [--items 5000] [--runs 5]
// Items: the repository's labelled messages, each in a few variants, so that all are distinct (as in the issue's
// attack: 5,000 distinct entries). Terms come from the real analyzer, as on the page.
import { parseArgs } from 'node:util';
import { groupUnanswered, groupUnansweredInSlices, type UnansweredItem } from '../../src/app/insights/unanswered.js';
import { loadCore } from '../../src/core/build-core.js';
import { defaultTrainingSets } from '../../src/core/nlp/learned/training-data.js';
import { median, round } from './stats.js';

const { values: args } = parseArgs({ options: { items: { type: 'string', default: '5000' }, runs: { type: 'string', default: '5' } } });
const core = await loadCore();
// The dev set and the writers' corpus, as the models read them (not the hand-written language sets).
const texts = defaultTrainingSets()
  .filter((set) => !set.name.startsWith('written/'))
  .flatMap((set) => set.items.map((item) => item.text));
const suffixes = ['', ' 至急', ' 教えて', ' お願いします', ' わかりますか', ' 困っています'];
const items: UnansweredItem[] = [];
for (let i = 0; items.length < Number(args.items); i++)
  items.push({
    at: 1_000_000 + i,
    kind: 'fallback',
    text: `${texts[i % texts.length]}${suffixes[Math.floor(i / texts.length) % suffixes.length]}`,
    intents: [],
  });
const termsOf = (t: string) => core.analyzer.analyze(t).terms;

/** Wall time, and the longest gap between ticks of a 1 ms timer: how long anything else in the process had to wait. */
async function measure(run: () => Promise<unknown> | unknown) {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 5));
  last = performance.now();
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  return { ms, blockMs: longest };
}

const rows: Record<string, { ms: number; blockMs: number }[]> = { 'indexed, in one go': [], 'indexed, in 8 ms slices (the page)': [] };
for (let r = 0; r < Number(args.runs); r++) {
  rows['indexed, in one go']!.push(await measure(() => groupUnanswered(items, termsOf)));
  rows['indexed, in 8 ms slices (the page)']!.push(await measure(() => groupUnansweredInSlices(items, termsOf)));
}
const groups = groupUnanswered(items, termsOf).length;
console.log(`${items.length} distinct items → ${groups} groups; medians of ${args.runs} runs`);
console.log('| grouping | wall ms | longest event-loop block ms |\n|---|---:|---:|');
for (const [name, runs] of Object.entries(rows))
  console.log(`| ${name} | ${round(median(runs.map((x) => x.ms)), 0)} | ${round(median(runs.map((x) => x.blockMs)), 1)} |`);
