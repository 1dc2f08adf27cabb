import { describe, expect, it } from 'vitest';
import { stillOver } from '../../../src/core/nlp/danger-over.js';

// Danger words of a toy rule list: the text's words that are in it.
const DANGER = ['意識がない', 'けいれん'];
const wordsIn = (t: string) => DANGER.filter((w) => t.includes(w));
const namedIn = (t: string) => wordsIn(t).length > 0;
const over = (text: string, phrase: string) => stillOver(text, text.includes(phrase) ? text.lastIndexOf(phrase) + phrase.length : -1, namedIn, wordsIn);

describe('stillOver', () => {
  it('is over when nothing after the settled phrase names a danger', () => {
    expect(over('けいれんしたけど落ち着きました。今は寝ています', '落ち着きました')).toBe(true);
  });
  it('is danger now when a new danger is named after it', () => {
    expect(over('見つかりました。でも意識がない', '見つかりました')).toBe(false);
  });
  it('is still over when the danger after it was told before it too', () => {
    expect(over('けいれんは止まりました。3分くらいけいれんしてました', '止まりました')).toBe(true);
  });
  it('is not over without a settled phrase, and a danger it cannot place counts as new', () => {
    expect(over('意識がない', '落ち着きました')).toBe(false);
    expect(
      stillOver(
        '落ち着きました。でも変',
        7,
        () => true,
        () => [],
      ),
    ).toBe(false);
  });
});
