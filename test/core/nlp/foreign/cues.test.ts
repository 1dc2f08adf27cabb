import { describe, expect, it } from 'vitest';
import { ForeignCues } from '../../../../src/core/nlp/foreign/cues.js';
import { CuesFile } from '../../../../src/core/nlp/foreign/data.js';
import { foreignFeatures } from '../../../../src/core/nlp/foreign/features.js';

const cues = (emergency: unknown[], more: Record<string, unknown> = {}) =>
  CuesFile.parse({ emergency, handoff: ['nhân viên'], facets: { order: ['cost'], cues: { cost: ['học phí'] } }, ...more });

describe('ForeignCues', () => {
  const vi = new ForeignCues(cues([{ kind: 'medical', any: ['hóc xương'] }]), 'vi');
  it('matches Vietnamese typed without diacritics on the folded phrase', () => {
    expect(vi.read('con bi hoc xuong ca').named).toBe('medical');
    expect(vi.read('gap nhan vien').handoff).toBe(true);
  });
  it('keeps the diacritics apart when the message has them (học is not hóc)', () => {
    expect(vi.read('con học xương rồng').named).toBeUndefined();
    expect(vi.read('Học phí bao nhiêu').facet).toBe('cost');
  });
  it('matches English whole words, and word starts with *', () => {
    const en = new ForeignCues(cues([{ kind: 'medical', any: ['seizure*', 'fee'] }], { handoff: ['a human'] }), 'en');
    expect(en.read('he is having seizures').named).toBe('medical');
    expect(en.read('I need coffee').named).toBeUndefined();
    expect(en.read('can I talk to a human').handoff).toBe(true);
  });
  it('needs one phrase of every group of an all rule; Chinese matches anywhere', () => {
    const zh = new ForeignCues(cues([{ kind: 'medical', all: [['吞'], ['电池']] }], { handoff: ['真人'] }), 'zh');
    expect(zh.read('孩子吞了电池').named).toBe('medical');
    expect(zh.read('电池在哪里买').named).toBeUndefined();
  });
  it('hears the danger is over, unless a danger is named after the words that say so', () => {
    const f = cues([{ kind: 'medical', any: ['not breathing', '不呼吸'] }], { over: ['found him', 'calmed down', '找到了'] });
    const en = new ForeignCues(f, 'en');
    expect(en.read('we found him, he is fine').settled).toBe(true);
    expect(en.read('we found him in the pool and he is not breathing')).toMatchObject({ named: 'medical', settled: false });
    expect(en.read('he was not breathing for a moment but he calmed down')).toMatchObject({ named: 'medical', settled: true });
    expect(new ForeignCues(f, 'zh').read('找到了，但是孩子不呼吸')).toMatchObject({ named: 'medical', settled: false });
    // The same danger told again after it is over is not a new one.
    expect(en.read('he was not breathing, then he calmed down. not breathing for a minute, it was scary')).toMatchObject({ settled: true });
  });
  it('reads numbers in a phrase list as phrases (a temperature)', () => {
    const f = cues([{ kind: 'medical', all: [['newborn'], [39]] }]);
    expect(new ForeignCues(f, 'en').read('newborn 39 degrees').named).toBe('medical');
  });
});

describe('foreignFeatures', () => {
  it('lets Vietnamese with and without diacritics share their syllables', () => {
    const a = foreignFeatures('vi', 'Nhà trẻ');
    const b = foreignFeatures('vi', 'nha tre');
    expect(a).toEqual(expect.arrayContaining(b.filter((f) => !f.startsWith('len:'))));
  });
  it('reads Chinese as characters and character pairs', () => {
    expect(foreignFeatures('zh', '保育园')).toEqual(expect.arrayContaining(['h:保', 'hh:保育', 'hh:育园']));
  });
  it('lets English inflections and typos share stems and trigrams', () => {
    expect(foreignFeatures('en', 'swallowed')).toContain('w:swallow');
    const typo = foreignFeatures('en', 'unconcious').filter((f) => f.startsWith('g:'));
    const right = foreignFeatures('en', 'unconscious').filter((f) => f.startsWith('g:'));
    expect(typo.filter((g) => right.includes(g)).length).toBeGreaterThanOrEqual(5);
  });
});
