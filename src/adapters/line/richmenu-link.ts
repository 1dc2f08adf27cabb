import type { messagingApi } from '@line/bot-sdk';
import { richMenuLanguage } from '../richmenu/richmenu.js';

/** The rich menu calls the link needs; each optional (LocalLineApi has no menus: everyone sees the default). */
export type RichMenuLinkClient = Partial<Pick<messagingApi.MessagingApiClient, 'getRichMenuList' | 'linkRichMenuIdToUser' | 'unlinkRichMenuIdFromUser'>>;

/**
 * Shows each parent the rich menu of their language: the menus `npm run richmenu -- --language <code>` published
 * (found by name, src/adapters/richmenu/richmenu.ts) are linked to the person; 日本語, or a language without a menu of
 * its own, unlinks them back to the default (Japanese) menu. The list of menus is read at most once per `ttlMs`.
 */
export class RichMenuLinks {
  private cache: { at: number; byLanguage: Map<string, string> } | undefined;

  constructor(
    private readonly client: RichMenuLinkClient,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this client can link menus at all. */
  get enabled(): boolean {
    return !!this.client.linkRichMenuIdToUser && !!this.client.getRichMenuList;
  }

  /** The id of the menu published for `code`, if any. */
  async menuFor(code: string): Promise<string | undefined> {
    if (!this.client.getRichMenuList) return undefined;
    if (!this.cache || this.now() - this.cache.at >= this.ttlMs) {
      const { richmenus } = await this.client.getRichMenuList();
      const byLanguage = new Map<string, string>();
      for (const m of richmenus) {
        const language = richMenuLanguage(m.name);
        if (language) byLanguage.set(language, m.richMenuId);
      }
      this.cache = { at: this.now(), byLanguage };
    }
    return code === 'ja' ? undefined : this.cache.byLanguage.get(code);
  }

  /** Links the menu of `code` to the person; 'linked', 'default' (unlinked) or 'none' (this client cannot). */
  async show(userId: string, code: string): Promise<'linked' | 'default' | 'none'> {
    if (!this.enabled) return 'none';
    const id = await this.menuFor(code);
    if (id) {
      await this.client.linkRichMenuIdToUser!(userId, id);
      return 'linked';
    }
    if (!this.client.unlinkRichMenuIdFromUser) return 'none';
    await this.client.unlinkRichMenuIdFromUser(userId);
    return 'default';
  }
}
