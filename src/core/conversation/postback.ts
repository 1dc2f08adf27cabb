import { z } from 'zod';
import { Facet } from '../knowledge/schema.js';

/**
 * Everything a button can tell the bot, as a typed vocabulary. Buttons carry it as a short query string
 * (`a=facet&i=sick-child-care&f=cost`); LINE limits postback data to 300 characters.
 */
export const Postback = z.discriminatedUnion('a', [
  /** Another facet of an answer card. */
  z.object({ a: z.literal('facet'), i: z.string().min(1), f: Facet }),
  /** A candidate chosen from a clarify question. */
  z.object({ a: z.literal('pick'), i: z.string().min(1), f: Facet }),
  /** 「担当者と話す」, from an answer card about `i` or from anywhere. */
  z.object({ a: z.literal('handoff'), i: z.string().min(1).optional() }),
  /** Withdraw a handoff nobody has taken yet. */
  z.object({ a: z.literal('cancel') }),
  /** A main-menu topic (rich menu and quick replies). */
  z.object({ a: z.literal('menu'), t: z.string().min(1) }),
  /** The guided consultation: start it, or answer one of its questions. */
  z.object({ a: z.literal('guide'), s: z.enum(['start', 'who', 'need', 'special']), v: z.string().min(1).max(20).optional() }),
  /** Confirmed: erase everything stored about me. */
  z.object({ a: z.literal('erase') }),
  /** 「この情報はまちがっている」 on the card for facet `f` of entry `i`. */
  z.object({ a: z.literal('wrong'), i: z.string().min(1), f: Facet }),
  /** 「書かずに終える」: the report stays as it is, nothing more to add. */
  z.object({ a: z.literal('wrong-done') }),
  /** 「Language / 言語」: the list of languages (no `l`), or the parent's choice of one. */
  z.object({ a: z.literal('lang'), l: z.string().min(2).max(12).optional() }),
  /** 役に立った / 役に立たなかった on an answer. */
  z.object({ a: z.literal('fb'), i: z.string().min(1), v: z.enum(['up', 'down']) }),
]);
export type Postback = z.infer<typeof Postback>;

export const MAX_POSTBACK_DATA = 300;

// The same buttons recur on every answer (each entry's facets, feedback, handoff), so each distinct postback is
// validated and encoded once; bounded, since a guide answer's value is free text.
const encoded = new Map<string, string>();
const MAX_ENCODED = 5000;

export function encodePostback(p: Postback): string {
  const key = JSON.stringify(p);
  const known = encoded.get(key);
  if (known !== undefined) return known;
  const data = new URLSearchParams(Postback.parse(p) as Record<string, string>).toString();
  if (data.length > MAX_POSTBACK_DATA) throw new RangeError(`postback data longer than ${MAX_POSTBACK_DATA} characters: ${data.slice(0, 40)}…`);
  if (encoded.size >= MAX_ENCODED) encoded.clear();
  encoded.set(key, data);
  return data;
}

/** The postback, or undefined for data the bot never sent (old buttons, forged events). */
export function decodePostback(data: string): Postback | undefined {
  if (data.length > MAX_POSTBACK_DATA) return undefined;
  const parsed = Postback.safeParse(Object.fromEntries(new URLSearchParams(data)));
  return parsed.success ? parsed.data : undefined;
}
