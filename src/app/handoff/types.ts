import { z } from 'zod';

export const HandoffStatus = z.enum(['waiting', 'active', 'closed']);
export type HandoffStatus = z.infer<typeof HandoffStatus>;

/** Why the conversation went to a person. */
export const HandoffReason = z.enum(['requested', 'judgment', 'repeated_misses', 'emergency']);
export type HandoffReason = z.infer<typeof HandoffReason>;

/**
 * The decision on a parent's message while the conversation is with staff and the bot does not answer it: a message
 * to staff, not a question to the bot and not a new handoff (the figures count it apart).
 */
export const WITH_STAFF = 'with_staff';

export const CloseReason = z.enum(['staff', 'cancelled', 'idle', 'erased']);
export type CloseReason = z.infer<typeof CloseReason>;

/** What staff see at the top of the transcript: why, what the bot considered, and what the parent told us. */
export const HandoffSummary = z.object({
  // Redis' Lua cjson writes an empty array as {}; read anything but an array as none.
  topics: z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(z.string())),
  childAge: z.string().optional(),
  area: z.string().optional(),
  emergencyKind: z.string().optional(),
  /** The parent's language (a code of languages/), when not 日本語: what the bot says to them on staff's behalf is in it. */
  language: z.string().optional(),
});
export type HandoffSummary = z.infer<typeof HandoffSummary>;

export const Handoff = z.object({
  id: z.string(),
  /** The conversation key (LINE user id). */
  userId: z.string(),
  /** Where pushes go (the user, or the group/room the conversation happens in). */
  chatId: z.string(),
  status: HandoffStatus,
  reason: HandoffReason,
  urgent: z.boolean().default(false),
  openedAt: z.number(),
  lastActivityAt: z.number(),
  claimedAt: z.number().optional(),
  claimedBy: z.string().optional(),
  closedAt: z.number().optional(),
  closedBy: z.string().optional(),
  closeReason: CloseReason.optional(),
  summary: HandoffSummary,
});
export type Handoff = z.infer<typeof Handoff>;

export const TranscriptEntry = z.object({
  /** Store-assigned, increasing within one conversation. */
  id: z.string(),
  at: z.number(),
  from: z.enum(['parent', 'bot', 'staff', 'note', 'system']),
  text: z.string(),
  /** The platform's message id, so an unsent message can be removed. */
  messageId: z.string().optional(),
  /** Staff account for staff replies and notes. */
  staff: z.string().optional(),
  /** A staff reply sent machine-translated: what the parent received, in their language (`text` stays the Japanese). */
  translated: z.object({ language: z.string(), text: z.string() }).optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
export type NewTranscriptEntry = Omit<TranscriptEntry, 'id'>;

/** Broadcast to every app instance so each console sees changes live. Carries ids only, never text. */
export interface HandoffEvent {
  type: 'opened' | 'claimed' | 'message' | 'closed' | 'updated';
  handoffId: string;
  urgent?: boolean;
  at: number;
}
