import { richMenuTiles, type MenuLanguage } from '../richmenu/richmenu.js';

/**
 * The simulator's stand-in for the rich menu: the same eight entries in the same order — the guide banner first,
 * then the six tiles, then 「Language / 言語」 (drawn beside the banner, as on the rich menu) — taken from the rich menu definition itself (which builds them from the dialogue layer's
 * vocabulary), so the page never carries its own copy of labels or postback data.
 */

export interface MenuItem {
  /** What the entry shows: the rich menu picture's title. */
  label: string;
  data: string;
  displayText: string;
  /** One character drawn in a circle; decoration only (the real rich menu is an image). */
  icon: string;
  /** The guide banner: drawn across the whole menu above the other entries, with its sub-line. */
  wide?: true;
  sub?: string;
  /** 「Language / 言語」: drawn at the right end of the banner's row, as on the real rich menu. */
  corner?: true;
}

// Characters every Japanese font has: emoji fonts are often missing on office PCs and CI machines.
const ICONS: Record<string, string> = {
  guide: '探',
  azuketai: '預',
  okane: '¥',
  kenshin: '健',
  ninshin: '妊',
  soudan: '相',
  handoff: '人',
  language: '文',
};

/** The menu in 日本語, or in the language of the menu linked to the simulated user. */
// In another language the kanji would be a riddle: symbols every font has.
const LATIN_ICONS: Record<string, string> = { guide: '?', azuketai: '♡', okane: '¥', kenshin: '+', ninshin: '○', soudan: '…', handoff: '☎', language: 'A' };

export function richMenuItems(language?: MenuLanguage): MenuItem[] {
  return richMenuTiles(language).map((t) => ({
    label: t.title,
    data: t.data,
    displayText: t.displayText,
    icon: language ? (LATIN_ICONS[t.key] ?? t.title.slice(0, 1)) : (ICONS[t.key] ?? t.title.slice(0, 1)),
    ...(t.kind === 'guide' ? { wide: true as const, ...(t.sub ? { sub: t.sub } : {}) } : {}),
    ...(t.kind === 'language' ? { corner: true as const } : {}),
  }));
}
