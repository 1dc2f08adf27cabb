#!/usr/bin/env node
// `npm run faults`: replays the delivery fault runs of issue 17 and prints one table — per scenario, events sent and
// how many were answered once, twice or not at all. Loopback only and bounded (≈ 3 minutes, at most 150 events/s):
// the scenarios are the fault tests themselves (run through scripts/run-tests.mjs, with a redis-server and a LINE
// stub of their own), each reporting its figures to the file named by FAULTS_REPORT.
//   Redis frozen 5 s and killed under load          test/adapters/line/redis-freeze.test.ts
//   LINE reply/push answering 429, 5xx, hanging, late  test/adapters/line/reply-fallback.test.ts
//   SIGTERM with LINE hanging, mid-load, and a restart test/e2e/shutdown-budget.test.ts
// Exit code: vitest's (non-zero when any scenario lost or doubled an answer).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['test/adapters/line/redis-freeze.test.ts', 'test/adapters/line/reply-fallback.test.ts', 'test/e2e/shutdown-budget.test.ts'];

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

const header = ['scenario', 'sent', 'answered once', 'twice', 'lost'];
const table = [header, ...rows.map((r) => [r.scenario, r.sent, r.once, r.twice, r.lost].map(String))];
const widths = header.map((_, i) => Math.max(...table.map((row) => [...row[i]].length)));
const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
const total = rows.reduce((t, r) => ({ sent: t.sent + r.sent, once: t.once + r.once, twice: t.twice + r.twice, lost: t.lost + r.lost }), {
  sent: 0,
  once: 0,
  twice: 0,
  lost: 0,
});
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
console.log(line(['all', total.sent, total.once, total.twice, total.lost].map(String)));
if (code !== 0) console.log(`\nsome scenarios failed (vitest exit ${code}); see above`);
process.exit(code);
