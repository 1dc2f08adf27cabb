import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { LineClient } from './webhook.js';

/**
 * A stand-in for api.line.me used in local mode (no LINE credentials): it accepts reply/push calls like LINE and
 * keeps the sent messages in memory per chat so a local web simulator can show them. Bounded: the last
 * `perChat` messages of each chat, and at most `maxChats` chats (the least recently written is forgotten first).
 *
 * Reply tokens are issued by whoever plays LINE's platform (the simulator, for the events it posts:
 * `issueReplyToken`) and, as on LINE, work once; an unknown or used token is answered with 400 "Invalid reply
 * token", so the webhook's push fallback runs as it would in production.
 *
 * `onRecord` lets the simulator page follow a chat live (Server-Sent Events) instead of polling.
 */

export interface RecordedMessage {
  /** Epoch milliseconds. */
  at: number;
  via: 'reply' | 'push';
  message: messagingApi.Message;
}

export type RecordListener = (recorded: RecordedMessage) => void;

export interface LocalLineApiOptions {
  perChat?: number;
  maxChats?: number;
  maxTokens?: number;
  now?: () => number;
}

const fetchError = (status: number, message: string) =>
  new HTTPFetchError(`local LINE API: ${status}`, {
    status,
    statusText: message,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ message }),
  });

export class LocalLineApi implements LineClient {
  private readonly perChat: number;
  private readonly maxChats: number;
  private readonly maxTokens: number;
  private readonly now: () => number;
  private readonly chats = new Map<string, RecordedMessage[]>();
  /** reply token → chat id (user, group or room) */
  private readonly tokens = new Map<string, string>();
  private readonly acceptedRetryKeys = new Set<string>();
  private readonly listeners = new Map<string, Set<RecordListener>>();
  /** The LINE language the simulator gives a user's profile (set just before their follow event). */
  private readonly profileLanguages = new Map<string, string>();
  /** The rich menu linked to each user, as LINE would keep it (the simulator shows that menu). */
  private readonly userMenus = new Map<string, string>();
  private menus: () => { richMenuId: string; name: string }[] = () => [];
  private sent = 0;

  constructor(opts: LocalLineApiOptions = {}) {
    this.perChat = opts.perChat ?? 50;
    this.maxChats = opts.maxChats ?? 1000;
    this.maxTokens = opts.maxTokens ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Issues a reply token for an event sent to `chatId`, as LINE's platform does with every event it sends. Here the
   * simulator plays the platform: it issues the token of each event it posts, before posting it.
   */
  issueReplyToken(token: string, chatId: string): void {
    this.tokens.set(token, chatId);
    if (this.tokens.size > this.maxTokens) this.tokens.delete(this.tokens.keys().next().value as string);
  }

  /** The recorded messages of one chat, oldest first (at most `perChat`). */
  messages(chatId: string): RecordedMessage[] {
    return [...(this.chats.get(chatId) ?? [])];
  }

  /** Calls `listener` with every message recorded for `chatId` from now on, in order. Returns the unsubscribe. */
  onRecord(chatId: string, listener: RecordListener): () => void {
    let set = this.listeners.get(chatId);
    if (!set) this.listeners.set(chatId, (set = new Set()));
    // A wrapper, so subscribing the same function twice gives two independent subscriptions.
    const entry: RecordListener = (m) => listener(m);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (!set.size && this.listeners.get(chatId) === set) this.listeners.delete(chatId);
    };
  }

  clear(chatId?: string): void {
    if (chatId === undefined) this.chats.clear();
    else this.chats.delete(chatId);
  }

  async replyMessage(req: messagingApi.ReplyMessageRequest): Promise<messagingApi.ReplyMessageResponse> {
    const chatId = this.tokens.get(req.replyToken);
    if (chatId === undefined) throw fetchError(400, 'Invalid reply token');
    this.tokens.delete(req.replyToken);
    return this.record(chatId, 'reply', req.messages);
  }

  async pushMessage(req: messagingApi.PushMessageRequest, xLineRetryKey?: string): Promise<messagingApi.PushMessageResponse> {
    if (xLineRetryKey) {
      if (this.acceptedRetryKeys.has(xLineRetryKey)) throw fetchError(409, 'The retry key is already accepted');
      this.acceptedRetryKeys.add(xLineRetryKey);
      if (this.acceptedRetryKeys.size > this.maxTokens) this.acceptedRetryKeys.delete(this.acceptedRetryKeys.values().next().value as string);
    }
    return this.record(req.to, 'push', req.messages);
  }

  /** Sets the language of a user's LINE profile (BCP 47), as the simulator's 「LINEの言語」 chooses it. */
  setProfileLanguage(userId: string, language: string | undefined): void {
    if (language === undefined) this.profileLanguages.delete(userId);
    else this.profileLanguages.set(userId, language);
    if (this.profileLanguages.size > this.maxChats) this.profileLanguages.delete(this.profileLanguages.keys().next().value as string);
  }

  async getProfile(userId: string): Promise<messagingApi.UserProfileResponse> {
    const language = this.profileLanguages.get(userId);
    return { userId, displayName: 'シミュレーター', ...(language ? { language } : {}) };
  }

  /** The rich menus this stand-in holds (the simulator offers one per language); none by default. */
  offerRichMenus(menus: () => { richMenuId: string; name: string }[]): void {
    this.menus = menus;
  }

  async getRichMenuList(): Promise<messagingApi.RichMenuListResponse> {
    return { richmenus: this.menus().map((m) => ({ ...m, size: { width: 2500, height: 1686 }, selected: true, chatBarText: '', areas: [] })) };
  }

  async linkRichMenuIdToUser(userId: string, richMenuId: string): Promise<object> {
    this.userMenus.set(userId, richMenuId);
    if (this.userMenus.size > this.maxChats) this.userMenus.delete(this.userMenus.keys().next().value as string);
    return {};
  }

  async unlinkRichMenuIdFromUser(userId: string): Promise<object> {
    this.userMenus.delete(userId);
    return {};
  }

  /** The rich menu linked to a user; undefined for the default menu. */
  richMenuOf(userId: string): string | undefined {
    return this.userMenus.get(userId);
  }

  async showLoadingAnimation(_req: messagingApi.ShowLoadingAnimationRequest): Promise<object> {
    return {};
  }

  private record(chatId: string, via: RecordedMessage['via'], messages: messagingApi.Message[]): { sentMessages: messagingApi.SentMessage[] } {
    if (messages.length < 1 || messages.length > 5) throw fetchError(400, 'The request body has 1 error(s)');
    const list = this.chats.get(chatId) ?? [];
    this.chats.delete(chatId); // re-insert: Map order = least recently written first
    const at = this.now();
    const recorded: RecordedMessage[] = messages.map((message) => ({ at, via, message: structuredClone(message) }));
    list.push(...recorded);
    if (list.length > this.perChat) list.splice(0, list.length - this.perChat);
    this.chats.set(chatId, list);
    if (this.chats.size > this.maxChats) this.chats.delete(this.chats.keys().next().value as string);
    this.notify(chatId, recorded);
    return { sentMessages: messages.map(() => ({ id: `local-${++this.sent}` })) };
  }

  private notify(chatId: string, recorded: RecordedMessage[]): void {
    const set = this.listeners.get(chatId);
    if (!set) return;
    for (const r of recorded) {
      for (const listener of [...set]) {
        // A failing listener must not fail the API call: the webhook would then push the same answer again.
        try {
          listener(structuredClone(r));
        } catch {
          /* the listener's own problem */
        }
      }
    }
  }
}
