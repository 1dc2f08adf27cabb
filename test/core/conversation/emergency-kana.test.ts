import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { EmergencyDetector } from '../../../src/core/conversation/cues.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

let core: Core;
let detector: EmergencyDetector;
beforeAll(async () => {
  core = await getCore();
  const { emergency, guards } = core.kb;
  detector = new EmergencyDetector(emergency, guards.about_a_child, (p) => core.analyzer.spokenForm(p));
});

// The danger rules of intents/_emergency.yaml are written in kanji; children and people in a panic type kana.
describe('EmergencyDetector: a rule’s phrase typed in kana', () => {
  it('names the danger the phrase names, spaced or not', () => {
    expect(detector.read('ぱぱが ままを けってる こわい').named).toBe('violence');
    expect(detector.read('あかちゃんが いきしてない').named).toBe('medical');
    expect(detector.read('おとうとがいきしてないどうしよう').named).toBe('medical');
  });

  it('only where a word can start: 蹴られて is not read in しめつけられて, nor in あずけられて', () => {
    expect(detector.read('胸がしめつけられて苦しい').named).not.toBe('violence');
    expect(detector.read('今日は子どもをあずけられて助かりました').named).toBeUndefined();
    expect(detector.read('友だちにたすけられてばかりです').named).toBeUndefined();
  });

  it('is what the spoken forms add: without them the kana goes unnamed', () => {
    const written = new EmergencyDetector(core.kb.emergency, core.kb.guards.about_a_child);
    expect(written.read('ぱぱが ままを けってる こわい').named).toBeUndefined();
  });

  it('says the rule was met only in kana, where the calm words (去年, 夢) are not read: the models must agree', () => {
    expect(detector.read('きょねん こどもが いきしてない ゆめを みた')).toMatchObject({ named: 'medical', spoken: true, calm: false });
    // Met as written, a rule is no less sure than before.
    expect(detector.read('子どもが息してない').spoken).toBeUndefined();
  });
});

describe('Concierge: danger typed in kana', () => {
  const decide = (text: string) => core.concierge.respond({ kind: 'text', text }, emptyState(), Date.parse('2026-06-01T03:00:00Z')).decision;
  it('gets the card of the danger the rule names: the police for violence now, not only 119', () => {
    expect(decide('ぱぱが ままを けってる こわい')).toMatchObject({ action: 'emergency', reason: 'violence' });
  });
});

describe('Analyzer.spokenForm', () => {
  it('gives the kana of a phrase with kanji, four characters or more', () => {
    expect(core.analyzer.spokenForm('蹴ってる')).toBe('けってる');
    expect(core.analyzer.spokenForm('息してない')).toBe('いきしてない');
    // Three characters or fewer hide inside other words (飲んだ → のんだ); kana phrases need none.
    expect(core.analyzer.spokenForm('飲んだ')).toBeUndefined();
    expect(core.analyzer.spokenForm('たすけて')).toBeUndefined();
  });
});
