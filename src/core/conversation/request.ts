import type { Understood } from '../nlp/learned/understanding.js';

/** A message told as a story, then a question: 「去年、娘が救急搬送されました。今は落ち着いています。…相談できますか」. */
export interface StoryAndRequest {
  /** Everything before the question. */
  story: string;
  /** The last sentence, which asks. */
  request: string;
}

// Sentences end at 。！？ and line breaks, and at a laugh mark followed by a space (「魂抜けた笑 買い物の間だけ…」).
const SENTENCE_END = /(?<=[。．！？!?\n]|笑\s)/u;
// Too short to be a sentence of its own (「はい。」「笑」).
const MIN_SENTENCE = 4;
// How a question ends in the writing parents use: a question mark, or か・かね・かな・ますか・でしょう.
const ASKS = /[?？]|か$|かね$|かな$|ますか|でしょう/u;

/** The story and the question of a message of two sentences or more that ends by asking; undefined otherwise. */
export function splitRequest(text: string): StoryAndRequest | undefined {
  const sentences = text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.replace(/[\p{P}\p{S}\s]/gu, '').length >= MIN_SENTENCE);
  if (sentences.length < 2) return undefined;
  const request = sentences[sentences.length - 1]!;
  if (!ASKS.test(request)) return undefined;
  return { story: text.slice(0, text.lastIndexOf(request)), request };
}

/**
 * The question is read again only when the whole message gives other business at least this much: below it, the most
 * readByRequest could do is scale the services by 1/(1 − none) < 1.06, and reading a second text is what makes these
 * messages the slowest the core answers. At 0.05 not one decision on the dev set, the corpus or the probes moved
 * (npm run decisions:digest: only scores in their third decimal).
 */
export const REREAD_FROM_NONE = 0.05;

/**
 * The models' reading of a message about a child whose story ends in a question: whether it is other business is read
 * from the question. A story's words (a past trip to hospital, a scene on TV, 笑, 死ぬかと思った) are what chat and
 * other business are made of in training, and across writers they made the models call a parent's real question
 * other business (npm run eval: safety-c, 4 in-scope questions). The services keep their order; they share what
 * other business gives back.
 */
export function readByRequest(whole: Understood, request: Understood): Understood {
  if (request.none >= whole.none) return whole;
  const scale = (1 - request.none) / (1 - whole.none);
  return { ...whole, none: request.none, ranking: whole.ranking.map((r) => ({ ...r, score: r.score * scale })) };
}
