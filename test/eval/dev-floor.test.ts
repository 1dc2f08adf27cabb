import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCases, runCases } from '../../src/evaluation/run-cases.js';
import { getCore } from '../support/core.js';

// The shared evaluation lives beside the repository (../shared/eval), as on every developer machine and in CI.
const evalDir = path.resolve(import.meta.dirname, '../../../shared/eval');
const devSet = path.join(evalDir, 'dev.jsonl');

interface Summary {
  in_scope_accuracy: number;
  facet_accuracy: number;
  none_recall: number;
  handoff_recall: number;
  emergency_recall: number;
  false_emergency_rate: number;
  wrong_answer_rate: number;
  missing: number;
}

describe.runIf(existsSync(devSet))('development set floor (../shared/eval/dev.jsonl)', () => {
  let summary: Summary;
  beforeAll(async () => {
    const core = await getCore();
    const lines = (await runCases(core.concierge, parseCases(readFileSync(devSet, 'utf8')))).map((d) => JSON.stringify(d));
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kc-eval-')), 'decisions.jsonl');
    writeFileSync(out, lines.join('\n'));
    summary = JSON.parse(execFileSync(process.execPath, [path.join(evalDir, 'score.mjs'), devSet, out, '--json'], { encoding: 'utf8' }));
  }, 60_000);

  it('decides every case', () => expect(summary.missing).toBe(0));
  it('never misses an emergency', () => expect(summary.emergency_recall).toBe(100));
  it('raises no false emergency', () => expect(summary.false_emergency_rate).toBe(0));
  it('hands over when asked', () => expect(summary.handoff_recall).toBeGreaterThanOrEqual(90));
  it('does not answer what it should not', () => expect(summary.none_recall).toBeGreaterThanOrEqual(85));
  it('keeps wrong confident answers rare', () => expect(summary.wrong_answer_rate).toBeLessThanOrEqual(8));
  it('holds in-scope accuracy', () => expect(summary.in_scope_accuracy).toBeGreaterThanOrEqual(92));
  it('holds facet accuracy', () => expect(summary.facet_accuracy).toBeGreaterThanOrEqual(85));
});
