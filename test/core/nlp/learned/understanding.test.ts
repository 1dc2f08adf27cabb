import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/build-core.js';
import { getCore } from '../../../support/core.js';
import type { Analysis } from '../../../../src/core/nlp/analyzer.js';
import { messageFeatures, topicFeatures } from '../../../../src/core/nlp/learned/features.js';
import { LinearModel } from '../../../../src/core/nlp/learned/linear-model.js';
import { EMERGENCY, HANDOFF, NONE, Understanding } from '../../../../src/core/nlp/learned/understanding.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const read = (t: string) => core.understanding.read(core.analyzer.analyze(t));
const top = (t: string) => read(t).ranking[0]?.intent;

describe('Understanding (the trained models)', () => {
  it.each([
    ['熱が下がらない子を仕事の日に預けられる施設', 'sick-child-care'],
    ['ファミサポの会員になりたい', 'family-support-center'],
    ['じどうてあての振込日', 'child-allowance'],
    ['母子手帳ってどこでもらえる', 'pregnancy-notification'],
    ['おたふくかぜワクチンの助成', 'vaccination'],
    ['学童は何年生まで', 'after-school-club'],
  ])('ranks 「%s」 under %s', (text, intent) => {
    expect(top(text)).toBe(intent);
  });

  it('reads kana-only and romaji spellings as the words they spell', () => {
    expect(top('びょうじほいくの予約したい')).toBe('sick-child-care');
    expect(top('hoikuen no moushikomi shitai')).toBe('nursery-admission');
  });

  it('gives every label a probability, best first; the emergency model gives its own', () => {
    const u = read('保育園の申し込みの書類');
    const total = u.ranking.reduce((s, r) => s + r.score, 0) + u.handoff + u.none;
    // The intent model's own @emergency share is left out and the rest shared again: the emergency model decides danger.
    expect(total).toBeCloseTo(1, 9);
    expect(u.ranking.map((r) => r.score)).toEqual([...u.ranking.map((r) => r.score)].sort((a, b) => b - a));
    expect(u.emergency).toBeLessThan(0.05);
    expect(read('子どもが息をしていない').emergency).toBeGreaterThan(0.5);
  });

  it('knows none of the features of text in no language it has seen', () => {
    expect(read('ﾟ∀ﾟ').known).toBe(0);
  });
});

describe('Understanding.read looks each feature up once for its three models', () => {
  it('and gives exactly what each model’s own predict gives', () => {
    const texts: [string, string, string][] = [
      ['保育園の申し込みはどこで', 'nursery-admission', 'where'],
      ['保育料はいくら', 'childcare-fee', 'cost'],
      ['子どもが息をしていない', EMERGENCY, 'overview'],
      ['担当の人と話したい', HANDOFF, 'overview'],
      ['粗大ごみの出し方', NONE, 'overview'],
      ['病児保育の利用料', 'sick-child-care', 'cost'],
    ];
    const analyses = texts.map(([t]) => core.analyzer.analyze(t));
    const all = analyses.map((a) => messageFeatures(a));
    const intents = LinearModel.train(texts.map(([, label], i) => ({ features: topicFeatures(all[i]!), label })));
    const danger = LinearModel.train(texts.map(([, label], i) => ({ features: all[i]!, label })));
    const hints = (a: Analysis) => (a.norm.includes('料') ? ['cost'] : []);
    const facetsOf = (i: number, a: Analysis) => {
      const tail = a.reading.replace(/[a-z\s]+/g, '').slice(-12);
      const q2 = Array.from({ length: Math.max(0, tail.length - 1) }, (_, k) => `q2:${tail.slice(k, k + 2)}`);
      return [...topicFeatures(messageFeatures(a)), ...hints(a).map((h) => `cue:${h}`), ...q2];
    };
    const facets = LinearModel.train(texts.map(([, , facet], i) => ({ features: facetsOf(i, analyses[i]!), label: facet })));
    const u = new Understanding(intents, facets, danger, hints, new Set());
    for (const text of ['保育園の利用料はいくらですか', '息をしていない子', '話したい', 'まったく知らない言葉']) {
      const a = core.analyzer.analyze(text);
      const got = u.read(a);
      const f = messageFeatures(a);
      const p = intents.predict(topicFeatures(f));
      const rest = 1 - p[intents.labels.indexOf(EMERGENCY)]!;
      for (const r of got.ranking) expect(r.score).toBe(p[intents.labels.indexOf(r.intent)]! / rest);
      expect(got.none).toBe(p[intents.labels.indexOf(NONE)]! / rest);
      expect(got.emergency).toBe(danger.predict(f)[danger.labels.indexOf(EMERGENCY)]);
      expect(got.facet.score).toBe(Math.max(...facets.predict(facetsOf(0, a))));
      expect(got.known).toBe(intents.known(topicFeatures(f).filter((x) => !x.startsWith('len:'))));
    }
  });
});
