import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/core/nlp/language.js';

describe('detectLanguage: the language a message is written in, from its script', () => {
  it.each([
    ['病児保育の料金は？', 'ja'],
    ['びょうき の こども を あずけたい', 'ja'],
    ['病児保育料金', 'ja'],
    ['孩子发烧了，哪里可以看病？', 'zh'],
    ['请问儿童津贴怎么申请', 'zh'],
    ['Con tôi bị sốt, tôi nên đi đâu?', 'vi'],
    ['How much is the child allowance?', 'en'],
    ['hoikuen ni hairitai desu', 'ja'],
  ])('%s → %s', (text, code) => {
    expect(detectLanguage(text)?.code).toBe(code);
  });

  it('says nothing of digits and emoji, and is not confident about one word', () => {
    expect(detectLanguage('123 👍')).toBeUndefined();
    expect(detectLanguage('ok')?.confident).toBe(false);
  });
});
