import { z } from 'zod';
import { HandoffReason, HandoffSummary } from '../handoff/types.js';

/**
 * Something a parent was promised while the store was away and that is still to be done: a handoff (they were told
 * 「おつなぎします」) or an erase (they were told it will be done and they will hear when). `at`: when it was promised.
 */
export const Promised = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('handoff'),
    id: z.string(),
    at: z.number(),
    input: z.object({ userId: z.string(), chatId: z.string(), reason: HandoffReason, urgent: z.boolean().optional(), summary: HandoffSummary }),
  }),
  /** `chatId`: where the parent is told the outcome; none after an unfollow (nobody to tell). */
  z.object({ kind: z.literal('erase'), id: z.string(), at: z.number(), userId: z.string(), chatId: z.string().optional() }),
]);
export type Promised = z.infer<typeof Promised>;

/**
 * Where promises still to be done are kept so that they outlive the process (a file on this machine's disk: they
 * wait for the store, so they cannot be kept in it). Each instance keeps its own; what a stopped or dead instance
 * left is taken over by exactly one other (or by itself restarted).
 */
export interface PromiseSpool {
  /** Where it is kept, for the log. */
  readonly where: string;
  /** Keeps exactly these, replacing what this instance kept before; an empty list keeps nothing. */
  keep(items: readonly Promised[]): Promise<void>;
  /**
   * What stopped instances left (released at shutdown, or not renewed by a dead one). Each leftover is handed to
   * `adopt`, which must have kept the items itself when it resolves; only then is the leftover removed. Returns how
   * many items were adopted.
   */
  takeLeftovers(adopt: (items: Promised[]) => Promise<void>): Promise<number>;
  /** Shutdown: what this instance keeps may be taken over at once. */
  release(): Promise<void>;
}
