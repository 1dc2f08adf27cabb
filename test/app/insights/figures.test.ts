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

  it('leaves messages to staff during handoffs out of questions and handoffs, also in months counted before they had a counter', () => {
    const now = figuresOf({ month: '2026-12', counts: { 'action:answer': 3, 'action:handoff': 1, to_staff: 5 } });
    expect(now).toMatchObject({ questions: 4, handoff: 1, handoffRate: 25, toStaff: 5 });
    // Before: each such message was recorded as a handoff with the reason with_staff.
    const before = figuresOf({
      month: '2026-11',
      counts: { 'action:answer': 3, 'action:handoff': 6, 'reason:handoff:with_staff': 5, 'reason:handoff:requested': 1 },
    });
    expect(before).toMatchObject({ questions: 4, handoff: 1, handoffRate: 25, toStaff: 5 });
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
