import { createHash } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import { GUIDE_QUESTIONS, guideStartButton } from '../../core/conversation/guide.js';
import { HANDOFF_DISPLAY_TEXT, HANDOFF_LABEL, MENU_TOPICS, postback } from '../../core/conversation/replies.js';
import type { QuickReply } from '../../core/conversation/types.js';
import { fill, JA_COPY, lookupIn, type CopyLookup } from '../../core/conversation/copy/ja.js';

/**
 * The main rich menu: a full-width banner that starts the guided consultation (guideStartButton), above the same
 * six entry points as the menu quick replies. Everything is built from the dialogue's own vocabulary (MENU_TOPICS,
 * postback(), HANDOFF_*, guideStartButton) so the menu can never send a postback the bot does not handle.
 * Pure: no I/O. scripts/richmenu.ts publishes it; richmenu-image.ts draws its picture from the same tiles.
 */

/**
 * Every menu this bot creates is named `<prefix>-<hash>`; publishing deletes older menus with this prefix only,
 * so menus made by hand in the LINE Official Account Manager (or by another bot on the channel) are left alone.
 */
export const RICH_MENU_NAME_PREFIX = 'kosodate-main';

/** LINE's "large" size; the image must have exactly these pixel dimensions. */
export const RICH_MENU_SIZE = { width: 2500, height: 1686 } as const;
/** LINE's limit for the image (PNG or JPEG): 1 MB. */
export const RICH_MENU_IMAGE_MAX_BYTES = 1024 * 1024;
/** The guide banner across the top; the six tiles share the rest (2 × 633). */
export const RICH_MENU_BANNER_HEIGHT = 420;
/**
 * 「Language / 言語」 at the right end of the banner's row, a square: the way to another language for a parent who
 * cannot read the menu's, where LINE users look first. The banner keeps the rest of the row.
 */
export const RICH_MENU_LANGUAGE_WIDTH = RICH_MENU_BANNER_HEIGHT;
const COLUMNS = 3;
const ROWS = 2;

export interface RichMenuTile {
  /** `guide`, the menu topic (`azuketai`, …), `handoff` or `language`; the image picks its icon and colour by it. */
  key: string;
  kind: 'guide' | 'topic' | 'handoff' | 'language';
  /** The action's label (screen readers, LINE's limit 20 characters). */
  label: string;
  /** What the picture shows in large type; starts with the label (the label may be a shorter form). */
  title: string;
  /** A smaller line under the title, if any. */
  sub?: string;
  /** Shown in the chat as the user's own message when the tile is tapped. */
  displayText: string;
  /** Postback data, parsed by Concierge.onPostback. */
  data: string;
  bounds: messagingApi.RichMenuBounds;
}

/**
 * Column and row edges rounded from exact fractions, so the cells tile the canvas with no gap or overlap
 * (2500 / 3 is not whole: the widths come out 833, 834, 833).
 */
const edges = (total: number, parts: number) => Array.from({ length: parts + 1 }, (_, i) => Math.round((i * total) / parts));

/** The banner (top, left), the grid cells below it left to right, top row first, then the language cell (top, right). */
function layout(): messagingApi.RichMenuBounds[] {
  const { width, height } = RICH_MENU_SIZE;
  const xs = edges(width, COLUMNS);
  const ys = edges(height - RICH_MENU_BANNER_HEIGHT, ROWS).map((y) => y + RICH_MENU_BANNER_HEIGHT);
  const bannerWidth = width - RICH_MENU_LANGUAGE_WIDTH;
  const cells: messagingApi.RichMenuBounds[] = [{ x: 0, y: 0, width: bannerWidth, height: RICH_MENU_BANNER_HEIGHT }];
  for (let r = 0; r < ROWS; r++)
    for (let c = 0; c < COLUMNS; c++) cells.push({ x: xs[c]!, y: ys[r]!, width: xs[c + 1]! - xs[c]!, height: ys[r + 1]! - ys[r]! });
  cells.push({ x: bannerWidth, y: 0, width: RICH_MENU_LANGUAGE_WIDTH, height: RICH_MENU_BANNER_HEIGHT });
  return cells;
}

function postbackOf(q: QuickReply): { label: string; data: string; displayText: string } {
  if (!('postback' in q)) throw new Error(`rich menu button "${q.label}" must be a postback`);
  return { label: q.label, data: q.postback, displayText: q.displayText ?? q.label };
}

/**
 * The banner's words, in the picture only: the tap area's label, data and displayText are guideStartButton's own.
 * The title starts with that label (tested), so the picture and the screen-reader name say the same thing.
 */
export const GUIDE_BANNER = {
  title: 'あなたに合うサービスをさがす',
  sub: `${Object.keys(GUIDE_QUESTIONS).length}つの質問でご案内します`,
} as const;

/**
 * The menu in another language: its words from that language's copy (`labels.*`, `richMenu.*`, falling back along
 * the language's chain), the same postbacks. `code` names the menu (see richMenuName).
 */
export interface MenuLanguage {
  code: string;
  t: CopyLookup;
}

/**
 * The guide banner, the six tiles in reading order (left to right, top row first), then 「Language / 言語」, which
 * opens the list of languages exactly as the quick reply does; 日本語 without `language`.
 */
export function richMenuTiles(language?: MenuLanguage): RichMenuTile[] {
  const cells = layout();
  const t = language?.t;
  const guide = t
    ? { label: t('labels.guideStart'), data: postback({ a: 'guide', s: 'start' }), displayText: t('labels.guideStartSaid') }
    : postbackOf(guideStartButton);
  const banner = t ? { title: t('richMenu.bannerTitle'), sub: fill(t('richMenu.bannerSub'), { count: Object.keys(GUIDE_QUESTIONS).length }) } : GUIDE_BANNER;
  const languageLabel = (t ?? lookupIn(JA_COPY))('labels.language');
  const handoff = t ? { label: t('labels.handoff'), displayText: t('labels.handoffSaid'), sub: t('richMenu.handoffSub') } : JAPANESE_HANDOFF;
  const items: Omit<RichMenuTile, 'bounds'>[] = [
    { key: 'guide', kind: 'guide', ...guide, ...banner },
    ...MENU_TOPICS.map((m) => {
      const label = t ? t(`labels.menu.${m.topic}`) : m.label;
      return { key: m.topic, kind: 'topic' as const, label, title: label, displayText: label, data: postback({ a: 'menu', t: m.topic }) };
    }),
    {
      key: 'handoff',
      kind: 'handoff',
      label: handoff.label,
      title: handoff.label,
      sub: handoff.sub,
      displayText: handoff.displayText,
      data: postback({ a: 'handoff' }),
    },
    { key: 'language', kind: 'language', label: languageLabel, title: languageLabel, displayText: languageLabel, data: postback({ a: 'lang' }) },
  ];
  if (items.length !== cells.length) throw new Error(`rich menu has ${cells.length} areas but ${items.length} tiles: change the layout with the menu`);
  return items.map((item, i) => ({ ...item, bounds: cells[i]! }));
}

const JAPANESE_HANDOFF = { label: HANDOFF_LABEL, displayText: HANDOFF_DISPLAY_TEXT, sub: '子育てコンシェルジュへ' };

/**
 * The request body for validate/create, in 日本語 (the default menu) or in `language` (linked to the parents who speak
 * it). The name's hash changes whenever anything a user would notice changes.
 */
export function richMenuRequest(language?: MenuLanguage): messagingApi.RichMenuRequest {
  const areas: messagingApi.RichMenuArea[] = richMenuTiles(language).map((t) => ({
    bounds: t.bounds,
    action: { type: 'postback', label: t.label, data: t.data, displayText: t.displayText } satisfies messagingApi.PostbackAction,
  }));
  const body = { size: { ...RICH_MENU_SIZE }, selected: true, chatBarText: language ? language.t('richMenu.chatBar') : 'メニュー', areas };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  return { ...body, name: `${richMenuNamePrefix(language?.code)}${hash}` };
}

/**
 * `kosodate-main-<hash>` for the Japanese default menu, `kosodate-main@<code>-<hash>` for a language's: publishing one
 * language replaces only that language's older menus, and the bot finds a language's menu by its name.
 */
export const richMenuNamePrefix = (code?: string) => (code === undefined || code === 'ja' ? `${RICH_MENU_NAME_PREFIX}-` : `${RICH_MENU_NAME_PREFIX}@${code}-`);

/** Ours, and of that language (the Japanese default menu without `code`). */
export const isOurRichMenu = (name: string | undefined, code?: string) => typeof name === 'string' && name.startsWith(richMenuNamePrefix(code));

/** The language a menu of ours is for (`ja` for the default menu); undefined for anyone else's menu. */
export function richMenuLanguage(name: string | undefined): string | undefined {
  if (isOurRichMenu(name)) return 'ja';
  const m = typeof name === 'string' ? new RegExp(`^${RICH_MENU_NAME_PREFIX}@([a-z]{2,3}(?:-[a-z0-9]+)*)-[0-9a-f]+$`).exec(name) : null;
  return m?.[1];
}
