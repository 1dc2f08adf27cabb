import type { Core } from '../../src/core/build-core.js';
import { emptyState } from '../../src/core/conversation/types.js';
import { median, percentile, round } from './stats.js';

export interface CoreResult {
  texts: number;
  repetitions: number;
  passesPerRepetition: number;
  /** Medians over the repetitions of each repetition's figure. */
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * p99 and max over the texts of each text's fastest repetition: what the code costs, without the moments the
   * process was descheduled (on a busy machine those dominate the plain p99 of 265 samples).
   */
  bestOfRepsP99Ms: number;
  bestOfRepsMaxMs: number;
  slowestTexts: { ms: number; chars: number }[];
  perRepetition: { decisionsPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number }[];
}

/**
 * core.concierge.respond over every text, each from a fresh conversation (the pure decision: analysis, matching,
 * policy, reply composition; no I/O). One unmeasured pass first so the JIT has seen every path.
 */
export function benchCore(core: Core, texts: readonly string[], repetitions: number, passesPerRepetition = 4): CoreResult {
  const now = Date.parse('2026-04-01T01:00:00Z');
  const best = texts.map(() => Number.POSITIVE_INFINITY);
  // Several passes per repetition, so one repetition's p99 rests on ~1000 samples rather than on the 3rd-slowest of 265.
  const pass = () => {
    const samples: number[] = [];
    const started = performance.now();
    for (let p = 0; p < passesPerRepetition; p++)
      texts.forEach((text, i) => {
        const t0 = performance.now();
        core.concierge.respond({ kind: 'text', text }, emptyState(), now);
        const ms = performance.now() - t0;
        samples.push(ms);
        best[i] = Math.min(best[i]!, ms);
      });
    const total = performance.now() - started;
    return {
      decisionsPerSecond: round(samples.length / (total / 1000), 0),
      p50Ms: round(percentile(samples, 50), 3),
      p99Ms: round(percentile(samples, 99), 3),
      maxMs: round(Math.max(...samples), 3),
    };
  };
  pass();
  const runs = Array.from({ length: repetitions }, pass);
  return {
    texts: texts.length,
    repetitions,
    passesPerRepetition,
    decisionsPerSecond: median(runs.map((r) => r.decisionsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    maxMs: median(runs.map((r) => r.maxMs)),
    bestOfRepsP99Ms: round(percentile(best, 99), 3),
    bestOfRepsMaxMs: round(Math.max(...best), 3),
    slowestTexts: best
      .map((ms, i) => ({ ms: round(ms, 3), chars: texts[i]!.length }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
    perRepetition: runs,
  };
}
