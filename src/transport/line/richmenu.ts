import { createHash } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import { HANDOFF_DISPLAY_TEXT, HANDOFF_LABEL, MENU_TOPICS, postback } from '../../dialogue/replies.js';

/**
 * The main rich menu: the same six entry points as the menu quick replies, built from the dialogue's own
 * vocabulary (MENU_TOPICS, postback(), HANDOFF_*) so the menu can never send a postback the bot does not handle.
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
const COLUMNS = 3;
const ROWS = 2;

export interface RichMenuTile {
  /** The menu topic (`azuketai`, …) or `handoff`; the image picks its icon and colour by it. */
  key: string;
  kind: 'topic' | 'handoff';
  label: string;
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

function grid(): messagingApi.RichMenuBounds[] {
  const xs = edges(RICH_MENU_SIZE.width, COLUMNS);
  const ys = edges(RICH_MENU_SIZE.height, ROWS);
  const cells: messagingApi.RichMenuBounds[] = [];
  for (let r = 0; r < ROWS; r++)
    for (let c = 0; c < COLUMNS; c++) cells.push({ x: xs[c]!, y: ys[r]!, width: xs[c + 1]! - xs[c]!, height: ys[r + 1]! - ys[r]! });
  return cells;
}

/** The six tiles in reading order (left to right, top row first). */
export function richMenuTiles(): RichMenuTile[] {
  const cells = grid();
  const items: Omit<RichMenuTile, 'bounds'>[] = [
    ...MENU_TOPICS.map((m) => ({ key: m.topic, kind: 'topic' as const, label: m.label, displayText: m.label, data: postback({ a: 'menu', t: m.topic }) })),
    { key: 'handoff', kind: 'handoff', label: HANDOFF_LABEL, displayText: HANDOFF_DISPLAY_TEXT, data: postback({ a: 'handoff' }) },
  ];
  if (items.length !== cells.length) throw new Error(`rich menu has ${cells.length} cells but ${items.length} tiles: change the grid with the menu`);
  return items.map((item, i) => ({ ...item, bounds: cells[i]! }));
}

/** The request body for validate/create. The name's hash changes whenever anything a user would notice changes. */
export function richMenuRequest(): messagingApi.RichMenuRequest {
  const areas: messagingApi.RichMenuArea[] = richMenuTiles().map((t) => ({
    bounds: t.bounds,
    action: { type: 'postback', label: t.label, data: t.data, displayText: t.displayText } satisfies messagingApi.PostbackAction,
  }));
  const body = { size: { ...RICH_MENU_SIZE }, selected: true, chatBarText: 'メニュー', areas };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  return { ...body, name: `${RICH_MENU_NAME_PREFIX}-${hash}` };
}

export const isOurRichMenu = (name: string | undefined) => typeof name === 'string' && name.startsWith(`${RICH_MENU_NAME_PREFIX}-`);
