import { describe, expect, it } from 'vitest';
import { ReplyComposer } from '../../../src/core/conversation/replies.js';
import { NOTICE_DAYS, datedStatementReport, facetTextOn, statementState } from '../../../src/core/knowledge/effective.js';
import { readKnowledgeFolders } from '../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../src/core/knowledge/load.js';
import { fieldLabel } from '../../../src/core/knowledge/messages.js';

const files = readKnowledgeFolders(defaultDirs());

/** The real knowledge base with a rule change written into medical-subsidy's who facet, as staff would. */
function withChange(statements: string) {
  const yaml = files['knowledge/medical-subsidy.yaml']!;
  const at = yaml.indexOf('    sources: [kasaoka-1699]\n', yaml.indexOf('  who:'));
  return { ...files, 'knowledge/medical-subsidy.yaml': `${yaml.slice(0, at)}${statements}${yaml.slice(at)}` };
}

const CHANGE = `    statements:
      - text: いまの決まり（通院は中学3年まで）です。
        until: 2027-03-31
      - text: つぎの決まり（通院も高校3年まで）です。
        from: 2027-04-01
`;

describe('statements with effective dates', () => {
  const { kb, problems } = loadKnowledgeBase({ files: withChange(CHANGE) });
  const compose = ReplyComposer.for(kb!);
  const who = (today: string) => {
    const r = compose.answer('medical-subsidy', 'who', today);
    return r.type === 'answer' ? r.text : '';
  };

  it('load and validate', () => {
    expect(problems).toEqual([]);
    expect(kb!.entries.get('medical-subsidy')!.facets.who!.statements).toHaveLength(2);
  });

  it('tell only the rule in force while a change is far off', () => {
    const t = who('2026-12-06');
    expect(t).toContain('いまの決まり（通院は中学3年まで）です。');
    expect(t).not.toContain('2027年3月31日まで');
    expect(t).not.toContain('つぎの決まり（通院も高校3年まで）です。');
  });

  it(`within ${NOTICE_DAYS} days of the change, tell today's rule with its last day and the coming one with its first`, () => {
    const t = who('2027-02-15');
    expect(t).toContain('いまの決まり（通院は中学3年まで）です。（2027年3月31日まで）');
    expect(t).toContain('【2027年4月1日から】つぎの決まり（通院も高校3年まで）です。');
    expect(t.indexOf('（2027年3月31日まで）')).toBeLessThan(t.indexOf('【2027年4月1日から】'));
  });

  it('from the day of the change, tell the new rule alone, as today’s', () => {
    for (const day of ['2027-04-01', '2027-10-01']) {
      const t = who(day);
      expect(t).toContain('つぎの決まり（通院も高校3年まで）です。');
      expect(t).not.toContain('【');
      expect(t).not.toContain('いまの決まり');
    }
  });

  it('count days at the edges exactly', () => {
    const s = { text: 'x', from: '2027-04-01' };
    expect(statementState(s, '2027-01-31')).toBe('coming'); // 60 days before
    expect(statementState(s, '2027-01-30')).toBe('not_yet');
    expect(statementState(s, '2027-04-01')).toBe('in_force');
    expect(statementState({ text: 'x', until: '2027-03-31' }, '2027-03-31')).toBe('in_force');
    expect(statementState({ text: 'x', until: '2027-03-31' }, '2027-04-01')).toBe('ended');
    expect(facetTextOn({ text: '本文', statements: [] }, '2027-01-01')).toBe('本文');
  });

  it('kb:check lists changes within 60 days and fails once a date has passed', () => {
    const { kb } = loadKnowledgeBase({ files: withChange(CHANGE) });
    expect(datedStatementReport(kb!, '2026-12-06')).toEqual({ problems: [], soon: [] });
    const near = datedStatementReport(kb!, '2027-02-15');
    expect(near.problems).toEqual([]);
    expect(near.soon.map((s) => [s.date, s.kind])).toEqual([
      ['2027-03-31', 'ends'],
      ['2027-04-01', 'starts'],
    ]);
    const after = datedStatementReport(kb!, '2027-04-02');
    expect(after.problems.map((p) => [p.file, p.field])).toEqual([
      ['knowledge/medical-subsidy.yaml', 'facets.who.statements.0.until'],
      ['knowledge/medical-subsidy.yaml', 'facets.who.statements.1.from'],
    ]);
    expect(after.problems[1]!.message).toContain('もう始まっています');
    expect(fieldLabel('facets.who.statements.1.from')).toBe('対象 › 期間つきの文 › 2件目 › 開始日');
  });

  it('the real knowledge base has no dated statement whose date has passed today', () => {
    const { kb } = loadKnowledgeBase({ files });
    expect(datedStatementReport(kb!, '2026-12-06').problems).toEqual([]);
  });

  it('refuse a statement without dates, with dates in the wrong order, or with an unknown phone number', () => {
    const bad = (s: string) => loadKnowledgeBase({ files: withChange(s) }).problems.map((p) => p.field);
    expect(bad('    statements:\n      - text: 日付のない文\n')).toEqual(['facets.who.statements.0']);
    expect(bad('    statements:\n      - text: 逆\n        from: 2027-04-01\n        until: 2027-03-31\n')).toEqual(['facets.who.statements.0']);
    expect(bad('    statements:\n      - text: 問い合わせは 0865-00-0000 へ\n        from: 2027-04-01\n')).toEqual(['facets.who.statements.0.text']);
    expect(bad('    statements:\n      - text: x\n        from: 2027/04/01\n')).toEqual(['facets.who.statements.0.from']);
  });
});

describe('medical-subsidy in December 2026', () => {
  it('tells the rule in force: 通院も高校生まで since April 2026, not as a coming change', () => {
    const { kb } = loadKnowledgeBase({ files });
    const compose = ReplyComposer.for(kb!);
    for (const f of ['overview', 'who'] as const) {
      const r = compose.answer('medical-subsidy', f, '2026-12-06');
      const t = r.type === 'answer' ? r.text : '';
      expect(t).toMatch(/高校生/);
      expect(t).not.toMatch(/広がります|拡大されます|からは、入院・通院とも/);
      expect(t).not.toMatch(/通院は中学生までが対象です/);
    }
  });
});
