import type { messagingApi } from '@line/bot-sdk';
import type { LocalLineApi, RecordedMessage } from '../line/local-api.js';
import { SAMPLE_LOCATION, SAMPLE_STICKER, type SimulatorInput } from './events.js';

/**
 * One simulated chat as the page shows it: what the person sent (kept here, because LINE's API — and so
 * LocalLineApi — only ever sees the bot's side) merged with what the bot sent (LocalLineApi). In memory and
 * bounded like LocalLineApi: the last `perChat` entries of at most `maxChats` people.
 */

/** What the person's side of the chat shows for one action. */
export type UserEcho =
  | { type: 'text'; text: string }
  | { type: 'sticker'; packageId: string; stickerId: string }
  | { type: 'image' }
  | { type: 'location'; title: string; address: string }
  /** Not a message: a note in the middle of the chat (友だち追加, ブロック). */
  | { type: 'system'; text: string };

export type TimelineEntry =
  { from: 'user'; at: number; echo: UserEcho } | { from: 'bot'; at: number; via: RecordedMessage['via']; message: messagingApi.Message };

export type TimelineListener = (entry: TimelineEntry) => void;

/** What the chat shows for an action; undefined when LINE shows nothing (a postback without displayText). */
export function echoOf(input: SimulatorInput): UserEcho | undefined {
  switch (input.kind) {
    case 'text':
      return { type: 'text', text: input.text };
    case 'postback':
      return input.displayText ? { type: 'text', text: input.displayText } : undefined;
    case 'sticker':
      return { type: 'sticker', ...SAMPLE_STICKER };
    case 'image':
      return { type: 'image' };
    case 'location':
      return { type: 'location', title: SAMPLE_LOCATION.title, address: SAMPLE_LOCATION.address };
    case 'follow':
      return { type: 'system', text: '友だち追加しました' };
    case 'unfollow':
      return { type: 'system', text: 'ブロックしました（会話の記録は消去されます）' };
  }
}

const botEntry = (r: RecordedMessage): TimelineEntry => ({ from: 'bot', at: r.at, via: r.via, message: r.message });

export interface TimelineOptions {
  perChat?: number;
  maxChats?: number;
  now?: () => number;
}

export class Timeline {
  private readonly perChat: number;
  private readonly maxChats: number;
  private readonly now: () => number;
  private readonly sent = new Map<string, { at: number; echo: UserEcho }[]>();
  private readonly listeners = new Map<string, Set<TimelineListener>>();

  constructor(
    private readonly api: LocalLineApi,
    opts: TimelineOptions = {},
  ) {
    this.perChat = opts.perChat ?? 50;
    this.maxChats = opts.maxChats ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  /** Records what the person sent and tells the chat's listeners. Call it before posting the event. */
  addUser(userId: string, echo: UserEcho): void {
    const list = this.sent.get(userId) ?? [];
    this.sent.delete(userId);
    const entry = { at: this.now(), echo };
    list.push(entry);
    if (list.length > this.perChat) list.splice(0, list.length - this.perChat);
    this.sent.set(userId, list);
    if (this.sent.size > this.maxChats) this.sent.delete(this.sent.keys().next().value as string);
    for (const listener of [...(this.listeners.get(userId) ?? [])]) {
      // One broken stream must not stop the event from being sent.
      try {
        listener({ from: 'user', ...entry });
      } catch {
        /* the listener's own problem */
      }
    }
  }

  /**
   * Both sides, oldest first, at most `perChat`. On equal timestamps the person's entry comes first: it is
   * recorded before the event is posted, so it cannot follow the answer to it.
   */
  history(userId: string): TimelineEntry[] {
    const mine: TimelineEntry[] = (this.sent.get(userId) ?? []).map((e) => ({ from: 'user', ...e }));
    const bots = this.api.messages(userId).map(botEntry);
    return [...mine, ...bots].sort((a, b) => a.at - b.at).slice(-this.perChat);
  }

  /** Follows one chat from now on (both sides). Returns the unsubscribe. */
  subscribe(userId: string, listener: TimelineListener): () => void {
    let set = this.listeners.get(userId);
    if (!set) this.listeners.set(userId, (set = new Set()));
    const entry: TimelineListener = (e) => listener(e);
    set.add(entry);
    const offBot = this.api.onRecord(userId, (r) => entry(botEntry(r)));
    return () => {
      offBot();
      set.delete(entry);
      if (!set.size && this.listeners.get(userId) === set) this.listeners.delete(userId);
    };
  }
}
