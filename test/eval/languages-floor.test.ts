import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/build-core.js';
import { scoreDecisions } from '../../src/core/evaluation/score.js';
import { runCases } from '../../src/app/evaluation/run-cases.js';
import { readEvalCases } from '../../src/app/publishing/floor.js';
import { getCore } from '../support/core.js';

// One set per language a parent may write in (English, Tiếng Việt, 中文, romaji), written before and apart from the
// per-language examples (languages/<code>/_examples.yaml): casual, typos, Vietnamese without diacritics, emergencies,
// requests for a person and other business. The floor of issue 20: in-scope ≥ 85 %, @emergency 100 %, @handoff ≥ 90 %.
const dir = path.resolve(import.meta.dirname, 'languages');
// ja-easy.jsonl (spaced やさしい日本語) is read by the Japanese models, so it is checked on its own below, against the same
// floor (91.3 % in-scope at the time of writing: words spelled in kana are found with their reading and their kanji).
const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f !== 'ja-easy.jsonl');

let core: Core;
beforeAll(async () => {
  core = await getCore();
}, 60_000);

describe.each(files)('questions in one language (test/eval/languages/%s)', (file) => {
  const score = async () => {
    const cases = readEvalCases(path.join(dir, file)).cases!;
    expect(cases.length).toBeGreaterThanOrEqual(60);
    return scoreDecisions(cases, await runCases(core.concierge, cases));
  };
  it('never misses an emergency, hands over when asked, answers what it is asked', async () => {
    const s = await score();
    expect(s.missing).toBe(0);
    expect(s.emergency_recall).toBe(100);
    expect(s.false_emergency_rate).toBeLessThanOrEqual(2);
    expect(s.handoff_recall).toBeGreaterThanOrEqual(90);
    expect(s.in_scope_accuracy).toBeGreaterThanOrEqual(85);
    expect(s.none_recall).toBeGreaterThanOrEqual(80);
    expect(s.wrong_answer_rate).toBeLessThanOrEqual(8);
  });
});

describe('spaced やさしい日本語 (test/eval/languages/ja-easy.jsonl), read by the Japanese models', () => {
  it('never misses an emergency, hands over when asked, answers what it is asked (issue 20: 85 %)', async () => {
    const cases = readEvalCases(path.join(dir, 'ja-easy.jsonl')).cases!;
    const s = scoreDecisions(cases, await runCases(core.concierge, cases));
    expect(s.emergency_recall).toBe(100);
    expect(s.false_emergency_rate).toBeLessThanOrEqual(1);
    expect(s.handoff_recall).toBeGreaterThanOrEqual(90);
    expect(s.in_scope_accuracy).toBeGreaterThanOrEqual(85);
    expect(s.wrong_answer_rate).toBeLessThanOrEqual(5);
  });
});
