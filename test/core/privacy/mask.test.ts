import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/core/privacy/mask.js';

describe('maskPersonalData', () => {
  it.each([
    ['電話は090-1234-5678です', '電話は［電話番号］です'],
    ['０８６５６９２１３２にかけました', '［電話番号］にかけました'],
    ['0865 69 2132', '［電話番号］'],
    ['連絡は taro.yamada@example.co.jp まで', '連絡は ［メール］ まで'],
    ['マイナンバーは1234-5678-9012', 'マイナンバーは［番号］'],
    ['番号 123456789012 です', '番号 ［番号］ です'],
    ['田中さんに聞きました', '〇〇さんに聞きました'],
    ['ゆいちゃんが熱を出した', '〇〇ちゃんが熱を出した'],
    ['けんたくんの予防接種', '〇〇くんの予防接種'],
    ['佐藤花子様あて', '〇〇様あて'],
  ])('%s → %s', (input, masked) => {
    expect(maskPersonalData(input)).toBe(masked);
  });

  it.each([['保健師さんに相談したい'], ['お母さんと赤ちゃんの健診'], ['助産師さんに来てほしい'], ['保育士さんに言われた'], ['おばあちゃんが見てくれる']])(
    'keeps roles and family words: %s',
    (text) => {
      expect(maskPersonalData(text)).toBe(text);
    },
  );
});
