import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/build-core.js';
import { FileModelCache } from '../../../../src/core/nlp/learned/model-cache.js';
import { trainUnderstanding, type TrainingContext } from '../../../../src/core/nlp/learned/understanding.js';
import { getCore } from '../../../support/core.js';

let core: Core;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-cache-'));
beforeAll(async () => {
  core = await getCore();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const items = [
  { text: '病気の子どもを預けたい', label: 'sick-child-care', facet: 'overview' as const },
  { text: '病児保育の料金', label: 'sick-child-care', facet: 'cost' as const },
  { text: '保育園に入りたい', label: 'nursery-admission', facet: 'overview' as const },
  { text: '保育園の申し込み方法', label: 'nursery-admission', facet: 'how' as const },
  { text: '粗大ごみの出し方', label: '@none' },
];

describe('trained models kept on disk (FileModelCache)', () => {
  const context = (cache: FileModelCache): TrainingContext => ({ analyze: (t) => core.analyzer.analyze(t), analysisKey: 'test', cache });
  const kana = () => core.analyzer.analyze('びょうき の こ');

  it('gives back the same understanding, kana words with their kanji included', () => {
    const fresh = trainUnderstanding(items, context(new FileModelCache(dir)));
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(3);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const loaded = trainUnderstanding(items, context(new FileModelCache(dir)));
    expect(loaded.read(kana())).toEqual(fresh.read(kana()));
  });

  it('makes the spellings again when their file is damaged', () => {
    const fresh = trainUnderstanding(items, context(new FileModelCache(dir)));
    const json = fs.readdirSync(dir).find((f) => f.endsWith('.json'))!;
    fs.writeFileSync(path.join(dir, json), '{not json');
    const again = trainUnderstanding(items, context(new FileModelCache(dir)));
    expect(again.read(kana())).toEqual(fresh.read(kana()));
    expect(JSON.parse(fs.readFileSync(path.join(dir, json), 'utf8'))).toContainEqual(['びょうき', '病気']);
  });

  it('trains again instead of loading a truncated or overlong model file', () => {
    const fresh = trainUnderstanding(items, context(new FileModelCache(dir)));
    const bins = fs.readdirSync(dir).filter((f) => f.endsWith('.bin'));
    for (const [i, bin] of bins.entries()) {
      const file = path.join(dir, bin);
      const bytes = fs.readFileSync(file);
      // One file loses its last byte, one gains a byte, one is cut inside its header.
      fs.writeFileSync(file, i === 0 ? bytes.subarray(0, -1) : i === 1 ? Buffer.concat([bytes, Buffer.from([0])]) : bytes.subarray(0, 10));
      expect(new FileModelCache(dir).get(bin.replace(/\.bin$/, ''))).toBeUndefined();
    }
    const again = trainUnderstanding(items, context(new FileModelCache(dir)));
    expect(again.read(kana())).toEqual(fresh.read(kana()));
    // Trained again and written back whole: loaded from the files now.
    for (const bin of bins) expect(new FileModelCache(dir).get(bin.replace(/\.bin$/, ''))?.labels.length).toBeGreaterThan(0);
  });
});
