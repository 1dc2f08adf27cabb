import { z } from 'zod';
import { ACTIONS, type ConversationState, type Response } from '../../core/conversation/types.js';

/**
 * What one webhook event was answered, kept with the person's state: an event another instance takes over after
 * its drainer stopped in the middle (see the webhook's per-person queue) is then answered again without being
 * handled again — its state, transcript and counts are written once.
 */
export interface AppliedTurn {
  eventId: string;
  response: Pick<Response, 'decision' | 'replies' | 'quickReplies'>;
}

/** An applied turn read back from storage: written by this app, so its outline is checked, not every reply's fields. */
export const StoredTurn = z
  .object({
    eventId: z.string(),
    response: z.object({
      decision: z.object({ action: z.enum(ACTIONS) }).passthrough(),
      replies: z.array(z.object({ type: z.string() }).passthrough()),
      quickReplies: z.array(z.object({ label: z.string() }).passthrough()),
    }),
  })
  .transform((turn) => turn as unknown as AppliedTurn);

/**
 * Where conversation state lives between messages. Memory and Redis implement the same contract; every
 * value expires after the store's TTL so nothing a parent wrote is kept longer than the retention limit.
 */
export interface StateStore {
  get(userId: string): Promise<ConversationState | undefined>;
  /** Stores the state; with `turn`, in the same atomic write, what the event that led to it was answered. */
  set(userId: string, state: ConversationState, turn?: AppliedTurn): Promise<void>;
  /** Notes what an event was answered when it left the state as it was. */
  recordTurn(userId: string, turn: AppliedTurn): Promise<void>;
  /** What this event was answered if it was handled already (only the person's latest handled event is kept). */
  appliedTurn(userId: string, eventId: string): Promise<AppliedTurn | undefined>;
  delete(userId: string): Promise<void>;
  /** Marks an event id as seen; false when it was already seen (duplicate delivery). */
  markEvent(eventId: string): Promise<boolean>;
  /** Readiness: true when the store can serve requests now (Redis answers PING; memory is always ready). Never throws. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
  readonly kind: 'memory' | 'redis';
}
