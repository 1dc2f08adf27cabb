import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTokenizerLoad } from '../../../src/core/build-core.js';
import { casesInKana, inKana } from '../../../src/app/evaluation/in-kana.js';
import type { Tokenizer } from '../../../src/core/nlp/tokenizer.js';

let tokenizer: Tokenizer;
beforeAll(async () => {
  ({ tokenizer } = await sharedTokenizerLoad());
}, 60_000);

describe('inKana: a message as someone typing only kana writes it', () => {
  it('spells words with kanji or katakana by their reading, and keeps kana, numbers and punctuation', () => {
    expect(inKana(tokenizer, '子どもが息をしていません！')).toBe('こどもがいきをしていません！');
    expect(inKana(tokenizer, 'ハムスターが2匹います。')).toBe('はむすたーが2ひきいます。');
  });

  it('leaves alone what is not Japanese, and what would not change', () => {
    expect(inKana(tokenizer, 'My baby is not breathing')).toBeUndefined();
    expect(inKana(tokenizer, '我女儿从楼梯上摔下来')).toBeUndefined();
    expect(inKana(tokenizer, 'ほいくえんの もうしこみは？')).toBeUndefined();
  });

  it('respells the cases of a file and keeps their ids and expectations', () => {
    const jsonl = [
      JSON.stringify({ id: 'a1', text: '保育園の申し込みは？', expect: 'nursery-admission#how' }),
      '// a comment stays',
      JSON.stringify({ id: 'b1', text: 'hoikuen no money ikura?', expect: 'childcare-fee#cost' }),
    ].join('\n');
    const lines = casesInKana(jsonl, tokenizer).split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ id: 'a1', text: 'ほいくえんのもうしこみは？', expect: 'nursery-admission#how' });
    expect(lines.slice(1)).toEqual(jsonl.split('\n').slice(1));
  });
});
