import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKnowledgeFolders } from '../../../src/core/knowledge/files.js';
import { japanDate, staleEntries } from '../../../src/core/knowledge/freshness.js';
import { defaultDirs, loadKnowledgeBase } from '../../../src/core/knowledge/load.js';
import { validUntilDate } from '../../../src/core/knowledge/schema.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../..')));

describe('freshness', () => {
  it('reads a fiscal year as ending on 31 March of the next year', () => {
    expect(validUntilDate('2026年度')).toBe('2027-03-31');
    expect(validUntilDate('2027-01-15')).toBe('2027-01-15');
  });

  it('uses the date in Japan', () => expect(japanDate(Date.parse('2026-03-31T15:30:00Z'))).toBe('2026-04-01'));

  it('lists entries past their valid-until or with unconfirmed answers, oldest checked first', () => {
    const edited = {
      ...files,
      'knowledge/birth-money.yaml': files['knowledge/birth-money.yaml']!.replace(/checked: 2026-11-29/, 'checked: 2025-04-01\n    validUntil: 2025年度'),
    };
    const { kb, problems } = loadKnowledgeBase({ files: edited });
    expect(problems).toEqual([]);
    const list = staleEntries(kb!, '2026-11-30');
    expect(list[0]).toMatchObject({ id: 'birth-money', oldestChecked: '2025-04-01', expired: [expect.objectContaining({ validUntil: '2025年度' })] });
    expect(list.find((e) => e.id === 'sick-child-care')).toMatchObject({ unconfirmed: ['料金', '場所・日時'] });
    expect(staleEntries(kb!, '2026-03-31').find((e) => e.id === 'birth-money')?.expired ?? []).toEqual([]);
  });

  it('lists dated statements that change within 60 days or whose date has passed', () => {
    const yaml = files['knowledge/medical-subsidy.yaml']!;
    const at = yaml.indexOf('    sources: [kasaoka-1699]\n', yaml.indexOf('  who:'));
    const edited = { ...files, 'knowledge/medical-subsidy.yaml': `${yaml.slice(0, at)}    statements:\n      - text: つぎの決まり\n        from: 2027-04-01\n${yaml.slice(at)}` };
    const { kb } = loadKnowledgeBase({ files: edited });
    const of = (today: string) => staleEntries(kb!, today).find((e) => e.id === 'medical-subsidy')?.dated ?? [];
    expect(of('2026-12-06')).toEqual([]);
    expect(of('2027-03-01')).toEqual([{ facet: '対象', text: 'つぎの決まり', kind: 'starts', date: '2027-04-01', passed: false }]);
    expect(of('2027-04-01')).toMatchObject([{ passed: true }]);
  });

  it('refuses a valid-until that is neither a fiscal year nor a date', () => {
    const { problems } = loadKnowledgeBase({ files: { ...files, 'knowledge/birth-money.yaml': files['knowledge/birth-money.yaml']!.replace(/checked: 2026-11-29/, 'checked: 2026-11-29\n    validUntil: 来年') } });
    expect(problems).toContainEqual(expect.objectContaining({ file: 'knowledge/birth-money.yaml', message: expect.stringContaining('2026年度') }));
  });
});
