import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../src/core/conversation/policy.js';
import { answerThresholds, compose, TEXT_STEPS, type Step, type TurnContext } from '../../../src/core/conversation/text-steps.js';
import type { Analysis } from '../../../src/core/nlp/analyzer.js';
import type { Turn } from '../../../src/core/conversation/turn.js';
import { emptyState } from '../../../src/core/conversation/types.js';

const turn = (reason: string, ctx: TurnContext): Turn => ({ decision: { action: 'smalltalk', reason }, replies: [], quickReplies: [], state: ctx.state });
const ctx = { r: {}, state: emptyState(), now: 0, kit: {} } as unknown as TurnContext;

describe('compose (the turn as an ordered list of steps)', () => {
  it('lets the first step that answers end the turn, in list order', () => {
    const seen: string[] = [];
    const pass =
      (name: string): Step =>
      (c, next) => (seen.push(name), next());
    const answer =
      (name: string): Step =>
      (c) => (seen.push(name), turn(name, c));
    const decide = compose([pass('a'), answer('b'), answer('c')], (c) => turn('last', c));
    expect(decide(ctx).decision.reason).toBe('b');
    expect(seen).toEqual(['a', 'b']);
  });

  it('answers with `last` when no step does', () => {
    expect(compose([(c, next) => next()], (c) => turn('last', c))(ctx).decision.reason).toBe('last');
    expect(compose([], (c) => turn('last', c))(ctx).decision.reason).toBe('last');
  });

  it('passes a changed context on to the steps after it', () => {
    const clear: Step = (c, next) => next({ ...c, state: { ...c.state, misses: 7 } });
    const decide = compose([clear], (c) => turn(`misses ${c.state.misses}`, c));
    expect(decide(ctx).decision.reason).toBe('misses 7');
  });

  it('tries safety first: the emergency step leads the text rules', () => {
    expect(TEXT_STEPS[0]!.name).toBe('emergency');
  });
});

describe('answerThresholds (the answer threshold a message is judged by)', () => {
  const t = { ...DEFAULT_THRESHOLDS, answer: 0.37, foreignAnswer: 0.35, longAnswer: 0.3, longChars: 60 };
  const reading = (norm: string, foreign?: boolean) => ({ a: { norm } as Analysis, ...(foreign ? { foreign } : {}) });
  it('keeps the usual threshold for a message of ordinary length', () => {
    expect(answerThresholds(reading('保育園の申し込みはいつから？'), t).answer).toBe(0.37);
    expect(answerThresholds(reading('あ'.repeat(60)), t).answer).toBe(0.37);
  });
  it('lowers it for a long message, whose best reading scores lower at the same reliability', () => {
    expect(answerThresholds(reading('あ'.repeat(61)), t).answer).toBe(0.3);
  });
  it('gives another language’s models their own, whatever the length', () => {
    expect(answerThresholds(reading('a'.repeat(100), true), t).answer).toBe(0.35);
  });
  it('lowers it for spaced writing about a child, as for a long message', () => {
    expect(answerThresholds({ ...reading('孫 保育園 お金'), spaced: true }, t).answer).toBe(0.3);
  });
});
