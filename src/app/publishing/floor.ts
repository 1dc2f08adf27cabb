import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Concierge } from '../../core/conversation/concierge.js';
import { runCases } from '../evaluation/run-cases.js';
import { scoreDecisions, type Score } from '../../core/evaluation/score.js';

/** The development-set floor: the same limits as test/eval/dev-floor.test.ts. */
export const FLOORS = [
  { key: 'in_scope_accuracy', label: '対象の質問に、正しい項目で答えた割合', min: 92 },
  { key: 'facet_accuracy', label: '料金・申込方法などを聞かれて、その内容で答えた割合', min: 85 },
  { key: 'none_recall', label: 'ボットが答えるべきでない質問に、答えなかった割合', min: 85 },
  { key: 'handoff_recall', label: '担当者を希望されたときに、引き継いだ割合', min: 90 },
  { key: 'emergency_recall', label: '緊急の相談に、緊急の案内を出した割合', min: 100 },
  { key: 'false_emergency_rate', label: '緊急でない質問に、緊急の案内を出した割合', max: 0 },
  { key: 'wrong_answer_rate', label: '答えた中で、間違った項目で答えた割合', max: 8 },
] as const satisfies readonly { key: keyof Score; label: string; min?: number; max?: number }[];

export interface FloorMetric {
  key: string;
  label: string;
  value: number | null;
  /** 「92%以上」 / 「8%以下」 */
  limit: string;
  ok: boolean;
}

export interface FloorReport {
  status: 'passed' | 'failed' | 'skipped';
  evalFile: string;
  /** Why it was skipped, in words staff can act on. */
  note?: string;
  cases: number;
  metrics: FloorMetric[];
  /** Development questions this knowledge base gets wrong but the live one gets right (a few, for staff to see). */
  regressions: { text: string; expect: string; got: string }[];
}

const EvalLine = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  user: z.string().optional(),
  text: z.string(),
  expect: z.union([z.string(), z.array(z.string())]),
});
export type EvalCase = z.infer<typeof EvalLine>;

/** The default evaluation file: the repository's copy of the development set (KB_EVAL_FILE overrides). */
export const defaultEvalFile = (root = process.cwd()) => path.resolve(root, 'training/dev.jsonl');

/** The cases of a JSON-lines file, or why they cannot be used. */
export function readEvalCases(file: string): { cases?: EvalCase[]; note?: string } {
  if (!existsSync(file)) return { note: `評価用の質問集（${file}）が見つからないため、回答の正確さは確認していません。` };
  try {
    const cases = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('//'))
      .map((l) => EvalLine.parse(JSON.parse(l)));
    return cases.length ? { cases } : { note: `評価用の質問集（${file}）が空のため、回答の正確さは確認していません。` };
  } catch {
    return { note: `評価用の質問集（${file}）が読めないため、回答の正確さは確認していません。` };
  }
}

/** Runs the cases through a candidate concierge and judges the figures against the floor. */
export async function checkFloor(candidate: Concierge, evalFile: string, live?: Concierge): Promise<FloorReport> {
  const { cases, note } = readEvalCases(evalFile);
  if (!cases) return { status: 'skipped', evalFile, note: note!, cases: 0, metrics: [], regressions: [] };
  const score = scoreDecisions(cases, await runCases(candidate, cases));
  const metrics: FloorMetric[] = [
    { key: 'missing', label: 'すべての質問に判断を返した', value: score.missing, limit: '0件', ok: score.missing === 0 },
    ...FLOORS.map((f) => {
      const value = score[f.key];
      const ok = value !== null && ('min' in f ? value >= f.min : value <= f.max);
      return { key: f.key, label: f.label, value, limit: 'min' in f ? `${f.min}%以上` : `${f.max}%以下`, ok };
    }),
  ];
  let regressions: FloorReport['regressions'] = [];
  if (live) {
    const before = new Set(scoreDecisions(cases, await runCases(live, cases)).misses.map((m) => m.id));
    regressions = score.misses
      .filter((m) => !before.has(m.id))
      .slice(0, 10)
      .map((m) => ({ text: m.text, expect: Array.isArray(m.expect) ? m.expect.join(' / ') : m.expect, got: m.got }));
  }
  return { status: metrics.every((m) => m.ok) ? 'passed' : 'failed', evalFile, cases: cases.length, metrics, regressions };
}
