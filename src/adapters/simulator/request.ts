import { z } from 'zod';
import { USER_ID_PATTERN, type SimulatorInput } from './events.js';

/**
 * The JSON the simulator page posts to /simulator/api/send. Limits are LINE's: a person cannot send a text over
 * 5000 UTF-16 units, and postback data / displayText come from buttons whose payloads are at most 300.
 */

export const MAX_TEXT = 5000;
export const MAX_POSTBACK = 300;

const userId = z.string().regex(USER_ID_PATTERN, 'userId must be U followed by 32 lowercase hex digits');

const SendRequest = z.discriminatedUnion('kind', [
  z.object({
    userId,
    kind: z.literal('text'),
    text: z
      .string()
      .max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`)
      .refine((t) => t.trim() !== '', 'text must not be empty'),
  }),
  z.object({ userId, kind: z.literal('postback'), data: z.string().min(1).max(MAX_POSTBACK), displayText: z.string().max(MAX_POSTBACK).optional() }),
  z.object({ userId, kind: z.literal('sticker') }),
  z.object({ userId, kind: z.literal('image') }),
  z.object({ userId, kind: z.literal('location') }),
  // `language`: the LINE profile's language the simulated user has (BCP 47), read by the bot at follow.
  z.object({
    userId,
    kind: z.literal('follow'),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
      .optional(),
  }),
  z.object({ userId, kind: z.literal('unfollow') }),
]);

export type ParsedSend = { ok: true; userId: string; input: SimulatorInput } | { ok: false; problems: string[] };

/** Checks a request body. Problems name fields and rules only, never the values (they may be what someone wrote). */
export function parseSendRequest(body: unknown): ParsedSend {
  const r = SendRequest.safeParse(body);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) };
  const { userId: id, ...input } = r.data;
  return { ok: true, userId: id, input };
}

export const isUserId = (v: unknown): v is string => typeof v === 'string' && USER_ID_PATTERN.test(v);
