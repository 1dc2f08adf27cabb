import { describe, expect, it } from 'vitest';
import { OfficeHours, parseOfficeWindow } from '../../../src/core/calendar/office-hours.js';

const hours = new OfficeHours();
const jst = (local: string) => Date.parse(`${local}+09:00`);

describe('OfficeHours (子育て支援課: weekdays 8:30–17:15, closed on holidays and 12/29–1/3)', () => {
  it.each([
    ['2026-11-30T08:30:00', true, 'Monday at opening'],
    ['2026-11-30T17:14:59', true, 'just before closing'],
    ['2026-11-30T17:15:00', false, 'at closing'],
    ['2026-11-30T08:29:00', false, 'before opening'],
    ['2026-11-28T10:00:00', false, 'Saturday'],
    ['2026-11-23T10:00:00', false, '勤労感謝の日'],
    ['2027-01-11T10:00:00', false, '成人の日'],
    ['2026-12-29T10:00:00', false, '年末 (a Tuesday)'],
    ['2027-01-04T10:00:00', true, 'first office day of the year'],
  ])('%s → open %s (%s)', (at, open) => {
    expect(hours.isOpen(jst(at))).toBe(open);
  });

  it('names the next opening, skipping weekends, holidays and the new year', () => {
    expect(hours.formatOpening(hours.nextOpening(jst('2026-11-27T18:00:00')))).toBe('11月30日(月) 8:30');
    expect(hours.formatOpening(hours.nextOpening(jst('2026-11-20T18:00:00')))).toBe('11月24日(火) 8:30');
    expect(hours.formatOpening(hours.nextOpening(jst('2026-12-28T17:30:00')))).toBe('1月4日(月) 8:30');
  });

  it('tells the parent what happens next', () => {
    expect(hours.nextStepsText(jst('2026-11-30T10:00:00'))).toContain('受付時間内');
    expect(hours.nextStepsText(jst('2026-11-23T10:00:00'))).toMatch(/祝日.*11月24日\(火\) 8:30 以降/);
    expect(hours.nextStepsText(jst('2027-01-01T10:00:00'))).toMatch(/年末年始.*1月4日\(月\)/);
  });

  it('does not depend on the machine time zone', () => {
    // Dates are computed in Japan time explicitly; the same instant gives the same answer whatever TZ says.
    expect(hours.closedReason(jst('2026-11-23T00:30:00'))).toBe('holiday');
    expect(hours.closedReason(jst('2026-11-22T23:30:00'))).toBe('weekend');
  });

  it('reads a configured window', () => {
    expect(parseOfficeWindow('9:00-16:30')).toEqual({ opensAt: 540, closesAt: 990 });
    expect(parseOfficeWindow('17:00-9:00')).toBeUndefined();
    expect(parseOfficeWindow('nine to five')).toBeUndefined();
  });
});
