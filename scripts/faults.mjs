#!/usr/bin/env node
// `npm run faults`: replays the delivery fault runs of issue 17 and prints one table — per scenario, events sent and
// how many were answered once, twice or not at all, what was stored twice, handoffs promised to parents against those
// stored, and erases done or reported to the parent. Loopback only and bounded (≈ 5 minutes, at most 150 events/s):
// the scenarios are the fault tests themselves (run through scripts/run-tests.mjs, with a redis-server and a LINE
// stub of their own), each reporting its figures to the file named by FAULTS_REPORT.
//   Redis frozen 5 s and killed under load                      test/adapters/line/redis-freeze.test.ts
//   LINE reply/push answering 429, 5xx, hanging, late              test/adapters/line/reply-fallback.test.ts
//   SIGTERM with LINE hanging, mid-load, and a restart             test/e2e/shutdown-budget.test.ts
//   an instance SIGKILLed mid-queue; two live ones rescanning      test/e2e/dead-instance.test.ts
//   Redis down while parents ask for a person and to erase, then
//   SIGTERM or SIGKILL, Redis and the app restarted                test/e2e/promises-restart.test.ts
// Exit code: vitest's (non-zero when any scenario lost or doubled anything).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  'test/adapters/line/redis-freeze.test.ts',
  'test/adapters/line/reply-fallback.test.ts',
  'test/e2e/shutdown-budget.test.ts',
  'test/e2e/dead-instance.test.ts',
  'test/e2e/promises-restart.test.ts',
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-faults-'));
const report = path.join(dir, 'report.jsonl');
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [path.join(root, 'scripts/run-tests.mjs'), ...FILES, ...process.argv.slice(2)], {
    cwd: root,
    env: { ...process.env, FAULTS_REPORT: report },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});

let rows = [];
try {
  rows = readFileSync(report, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  // no scenario reported (they were skipped, or failed before measuring)
}
rmSync(dir, { recursive: true, force: true });

// A figure a scenario does not measure is shown as '–'.
const of = (r, k) => (typeof r[k] === 'number' ? r[k] : undefined);
const pair = (a, b) => (a === undefined ? '–' : `${a} / ${b ?? 0}`);
const cells = (r) => [
  r.scenario,
  r.sent,
  r.once,
  r.twice,
  r.lost,
  of(r, 'storedTwice') ?? '–',
  pair(of(r, 'promised'), of(r, 'stored')),
  pair(of(r, 'erases'), of(r, 'erasesDoneOrReported')),
];
const sum = (k) => rows.reduce((n, r) => n + (of(r, k) ?? 0), 0);
const header = ['scenario', 'sent', 'answered once', 'twice', 'lost', 'stored twice', 'handoffs promised / stored', 'erases / done or reported'];
const total = {
  scenario: 'all',
  sent: sum('sent'),
  once: sum('once'),
  twice: sum('twice'),
  lost: sum('lost'),
  storedTwice: sum('storedTwice'),
  promised: sum('promised'),
  stored: sum('stored'),
  erases: sum('erases'),
  erasesDoneOrReported: sum('erasesDoneOrReported'),
};
const table = [header, ...[...rows, total].map((r) => cells(r).map(String))];
const widths = header.map((_, i) => Math.max(...table.map((row) => [...row[i]].length)));
const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
const rule = widths.map((w) => '-'.repeat(w)).join('  ');
console.log(line(header));
console.log(rule);
for (const row of table.slice(1, -1)) console.log(line(row));
console.log(rule);
console.log(line(table.at(-1)));
if (code !== 0) console.log(`\nsome scenarios failed (vitest exit ${code}); see above`);
process.exit(code);
