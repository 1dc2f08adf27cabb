import { describe, expect, it } from 'vitest';
import { figuresOf, fiscalYearOf, monthsBetween } from '../../../src/app/insights/figures.js';

describe('monthly figures for the yearly review', () => {
  it('derives rates, claim time and feedback per service from the counters', () => {
    const f = figuresOf({
      month: '2026-11',
      counts: {
        'action:answer': 6,
        'action:clarify': 2,
        'action:fallback': 1,
        'action:handoff': 1,
        'action:smalltalk': 9,
        'answer:sick-child-care': 4,
        'answer:vaccination': 2,
        'feedback:sick-child-care:up': 3,
        'feedback:sick-child-care:down': 1,
        'claim:count': 2,
        'claim:minutesTotal': 50,
        'claim:within5m': 1,
        'claim:over2h': 1,
      },
    });
    expect(f).toMatchObject({
      questions: 10,
      answerRate: 60,
      clarifyRate: 20,
      fallbackRate: 10,
      handoffRate: 10,
      claims: 2,
      claimMinutesAvg: 25,
      claimWithin30m: 1,
      feedbackUp: 3,
      feedbackDown: 1,
    });
    expect(f.services['sick-child-care']).toEqual({ answers: 4, up: 3, down: 1 });
  });

  it('counts nothing as zero, not as a division error', () => {
    const empty = figuresOf({ month: '2026-05', counts: {} });
    expect(empty).toMatchObject({ questions: 0, answerRate: 0 });
    expect(empty.claimMinutesAvg).toBeUndefined();
  });

  it('works in Japanese fiscal years (April to March)', () => {
    expect(fiscalYearOf('2027-02')).toEqual({ from: '2026-04', to: '2027-03', label: '2026年度' });
    expect(monthsBetween('2026-04', '2027-03')).toHaveLength(12);
    expect(monthsBetween('2026-11', '2027-01')).toEqual(['2026-11', '2026-12', '2027-01']);
  });
});
