import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { assess, recommend } from '../../../src/core/conversation/eligibility.js';
import { extractFacts } from '../../../src/core/conversation/facts.js';
import type { Need } from '../../../src/core/knowledge/schema.js';
import { getCore } from '../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});

const ranked = (said: string, need: Need) => recommend(core.kb, { facts: extractFacts(said), needs: [need] });

// Family profiles: what the family said, what they need, the service that should come first, services that must be
// among the suggestions, and services that must not be suggested.
const PROFILES: [string, Need, string | undefined, string[], string[]][] = [
  ['2歳と0歳で共働きです', 'azuketai', 'nursery-admission', ['sick-child-care', 'temporary-care'], ['after-school-club', 'kindergarten']],
  ['小3の子がいて共働きです', 'azuketai', 'after-school-club', ['sick-child-care'], ['nursery-admission', 'temporary-care']],
  ['中学生の子', 'azuketai', undefined, [], ['after-school-club', 'nursery-admission', 'sick-child-care', 'family-support-center']],
  ['妊娠中です', 'kenko', 'prenatal-checkup', ['maternity-class'], ['vaccination', 'infant-checkup']],
  ['妊娠中です', 'tetsuzuki', 'pregnancy-notification', ['birth-registration'], ['school-enrollment']],
  ['妊娠中です', 'okane', 'birth-money', [], ['childcare-fee', 'single-parent']],
  ['ひとり親で5歳の子を育てています', 'okane', 'single-parent', ['child-allowance', 'childcare-fee'], []],
  ['生後2か月の赤ちゃん', 'soudan', 'newborn-visit', ['postpartum-care'], ['school-enrollment']],
  ['北木島に住んでる3歳の子', 'asobi', 'support-hub', ['play-events'], []],
  ['1歳半でことばが遅い気がする', 'soudan', 'development-consultation', ['parenting-consultation'], ['newborn-visit']],
  ['小1の子', 'okane', undefined, ['child-allowance', 'medical-subsidy'], ['childcare-fee', 'birth-money']],
  ['0歳の子', 'kenko', undefined, ['vaccination', 'infant-checkup', 'postpartum-care'], ['prenatal-checkup']],
  ['年中の子', 'azuketai', 'kindergarten', ['temporary-care'], ['after-school-club']],
  ['高校生の子', 'okane', undefined, ['child-allowance', 'medical-subsidy'], ['childcare-fee']],
  ['年長の子', 'tetsuzuki', 'school-enrollment', [], ['pregnancy-notification']],
  ['生後1か月', 'tetsuzuki', 'birth-registration', ['child-allowance'], ['school-enrollment']],
  ['小5で病気がち', 'kenko', undefined, ['medical-subsidy', 'pediatric-emergency'], ['newborn-visit']],
];

describe('recommend: the services that fit a family, best first', () => {
  it.each(PROFILES)('%s / %s → %s first', (said, need, first, includes, excludes) => {
    const ids = ranked(said, need).map((a) => a.intent);
    if (first) expect(ids[0]).toBe(first);
    for (const id of includes) expect(ids, `${id} should be suggested`).toContain(id);
    for (const id of excludes) expect(ids, `${id} should not be suggested`).not.toContain(id);
    expect(ids.length).toBeLessThanOrEqual(5);
  });

  it('never suggests reporting abuse as a service to use', () => {
    for (const need of ['soudan', 'azuketai'] as Need[]) expect(ranked('2歳の子', need).map((a) => a.intent)).not.toContain('abuse-report');
  });
});

describe('assess: one line that says why it fits', () => {
  const entry = (id: string) => core.kb.entries.get(id)!;
  it('names the age and the condition that make a family eligible', () => {
    expect(assess(entry('nursery-admission'), extractFacts('2歳で共働きです'))).toMatchObject({ fit: 'fits', reason: '2歳で、保護者が就労中のため対象です' });
  });
  it('says what to confirm instead of guessing', () => {
    const a = assess(entry('nursery-admission'), extractFacts('2歳の子です'))!;
    expect(a.fit).toBe('maybe');
    expect(a.reason).toContain('保護者の就労など');
    expect(assess(entry('after-school-club'), extractFacts('小2で共働き'))!.reason).toContain('子育て支援課にご確認ください');
  });
  it('says gently when the child is outside the ages', () => {
    expect(assess(entry('after-school-club'), extractFacts('中1の息子'))).toMatchObject({
      fit: 'no',
      reason: '対象は小1〜小6のため、中1のお子さんは対象になりません',
    });
  });
  it('compares school stages by school year: 小1 is never 就学前', () => {
    expect(assess(entry('temporary-care'), extractFacts('小1の子'))!.fit).toBe('no');
    expect(assess(entry('temporary-care'), extractFacts('年長の子'))!.ageFit).toBe('fits');
  });
  it('uses the child that fits when several are named', () => {
    expect(assess(entry('after-school-club'), extractFacts('中2と小4の子がいて共働き'))).toMatchObject({ child: { label: '小4' } });
  });
});
