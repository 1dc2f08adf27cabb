import { graphemeLength } from '../line/render.js';
import { RICH_MENU_SIZE, type RichMenuTile } from './richmenu.js';

/**
 * The rich menu picture as a self-contained HTML page (no network, no emoji: icons are inline SVG, text is
 * Noto Sans CJK JP), laid out from the same tile bounds as the tap areas so a tap always lands on what it shows.
 * Pure; richmenu-image.ts screenshots it.
 */

export const RICH_MENU_FONT = 'Noto Sans CJK JP';

export interface TileColours {
  /** Card background. */
  background: string;
  /** The round icon badge. */
  badge: string;
  /** Icon strokes inside the badge. */
  icon: string;
  /** The label; must contrast strongly with `background` (tested: WCAG ≥ 7:1). */
  text: string;
}

/**
 * Soft tints with dark labels for the topics; the person-to-person tile is a solid, darker shade of the Flex replies'
 * brand green (#2E7D6B), dark enough for white text at 7:1. The guide banner, the one thing to try first, is a calm
 * deep navy with white type and a warm yellow badge: the strongest shape on the menu without being loud.
 */
export const TILE_COLOURS: Record<string, TileColours> = {
  guide: { background: '#1F3A5C', badge: '#FFD36B', icon: '#1F3A5C', text: '#FFFFFF' },
  azuketai: { background: '#FFF0DE', badge: '#D8660E', icon: '#FFFFFF', text: '#5A2A00' },
  okane: { background: '#E5F5EA', badge: '#2E9455', icon: '#FFFFFF', text: '#0F3D20' },
  kenshin: { background: '#E4F0FB', badge: '#2672BD', icon: '#FFFFFF', text: '#0B2F52' },
  ninshin: { background: '#FDE8EF', badge: '#D5527A', icon: '#FFFFFF', text: '#5E1029' },
  soudan: { background: '#EFEAFA', badge: '#7452BE', icon: '#FFFFFF', text: '#2E1A5C' },
  handoff: { background: '#1B5E50', badge: '#FFFFFF', icon: '#1B5E50', text: '#FFFFFF' },
  // Quiet beside the banner: a light grey-blue, found by whoever looks for it.
  language: { background: '#EDF1F5', badge: '#37474F', icon: '#FFFFFF', text: '#1B232B' },
};
const FALLBACK_COLOURS: TileColours = { background: '#F1F3F5', badge: '#4A5560', icon: '#FFFFFF', text: '#1B232B' };

/** 120×120 line icons drawn with currentColor. */
const ICONS: Record<string, string> = {
  // A magnifier with a heart in the lens: looking for what fits the family.
  guide: `<circle cx="50" cy="50" r="34"/><path d="M75 75 L104 104" stroke-width="14"/>
    <path d="M50 66 C39 58 34 52 37 45 C40 39 47 40 50 46 C53 40 60 39 63 45 C66 52 61 58 50 66Z" fill="currentColor" stroke-width="4"/>`,
  // A house with a heart: a safe place to leave the child.
  azuketai: `<path d="M14 60 L60 20 L106 60"/><path d="M28 48 V102 H92 V48"/>
    <path d="M60 92 C46 82 40 74 44 66 C48 58 57 59 60 67 C63 59 72 58 76 66 C80 74 74 82 60 92Z" fill="currentColor" stroke-width="4"/>`,
  // A coin with a yen sign drawn as strokes (a text ¥ would depend on the font).
  okane: `<circle cx="60" cy="60" r="44"/><path d="M42 34 L60 60 L78 34"/><path d="M60 60 V90"/><path d="M44 64 H76"/><path d="M44 78 H76"/>`,
  // A syringe: check-ups and vaccinations.
  kenshin: `<g transform="rotate(45 60 60)"><rect x="47" y="34" width="26" height="50" rx="5"/><path d="M40 34 H80"/>
    <path d="M60 34 V16"/><path d="M48 16 H72"/><path d="M60 84 V106"/><path d="M47 50 H59"/><path d="M47 66 H59"/></g>`,
  // A baby's face with a curl of hair.
  ninshin: `<circle cx="60" cy="64" r="40"/><path d="M60 24 C50 20 50 8 60 8 C66 8 68 14 63 17"/>
    <circle cx="46" cy="62" r="5" fill="currentColor" stroke="none"/><circle cx="74" cy="62" r="5" fill="currentColor" stroke="none"/>
    <path d="M48 78 Q60 90 72 78"/>`,
  // Two speech bubbles: a conversation.
  soudan: `<path d="M20 16 H74 A10 10 0 0 1 84 26 V56 A10 10 0 0 1 74 66 H46 L28 82 V66 H20 A10 10 0 0 1 10 56 V26 A10 10 0 0 1 20 16Z"/>
    <circle cx="31" cy="41" r="5" fill="currentColor" stroke="none"/><circle cx="47" cy="41" r="5" fill="currentColor" stroke="none"/>
    <circle cx="63" cy="41" r="5" fill="currentColor" stroke="none"/>
    <path d="M94 42 H100 A10 10 0 0 1 110 52 V84 A10 10 0 0 1 100 94 H96 V108 L80 94 H60 A10 10 0 0 1 50 84 V78"/>`,
  // A person with a headset: a real member of staff.
  handoff: `<circle cx="60" cy="50" r="20"/><path d="M24 108 C24 86 40 76 60 76 C80 76 96 86 96 108"/>
    <path d="M34 54 V46 C34 30 46 20 60 20 C74 20 86 30 86 46 V54"/><rect x="28" y="44" width="12" height="20" rx="5" fill="currentColor"/>
    <rect x="80" y="44" width="12" height="20" rx="5" fill="currentColor"/><path d="M86 62 C86 72 78 76 68 76"/>`,
  // A globe: the sign for languages that needs no words.
  language: `<circle cx="60" cy="60" r="44"/><ellipse cx="60" cy="60" rx="20" ry="44"/><path d="M16 60 H104"/><path d="M24 36 H96"/><path d="M24 84 H96"/>`,
};
const FALLBACK_ICON = `<circle cx="60" cy="60" r="40"/>`;

/** Space between neighbouring cards, and between the cards and the canvas edge. */
const GUTTER = 28;
const CARD_PAD = 40;
const MAX_LABEL_PX = 124;
/** The banner, left to right: padding, badge, gap, text, gap, arrow, padding. */
const BANNER = { padLeft: 64, badge: 220, gap: 48, arrow: 130, padRight: 56, maxTitlePx: 118, subPx: 64, letterSpacingEm: 0.02 };
/** 「Language / 言語」: each side of the slash on a line of its own, under a small globe. */
const LANGUAGE = { badge: 120, px: 64 };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One size for every tile title, the largest at which the longest still fits on one line: CJK glyphs are 1em
 * wide, so a title of n characters needs n em. Equal sizes read calmer than titles that shrink one by one.
 */
function labelPx(tiles: readonly RichMenuTile[]): number {
  const narrowest = Math.min(...tiles.map((t) => t.bounds.width ?? 0)) - 1.5 * GUTTER - 2 * CARD_PAD;
  const longest = Math.max(...tiles.map((t) => graphemeLength(t.title)));
  return Math.min(MAX_LABEL_PX, Math.floor(narrowest / longest));
}

/** The banner title's size: as large as allowed while one line still fits between the badge and the arrow. */
function bannerTitlePx(t: RichMenuTile): number {
  const room = (t.bounds.width ?? 0) - 2 * GUTTER - BANNER.padLeft - BANNER.badge - 2 * BANNER.gap - BANNER.arrow - BANNER.padRight;
  return Math.min(BANNER.maxTitlePx, Math.floor(room / (graphemeLength(t.title) * (1 + BANNER.letterSpacingEm))));
}

const icon = (key: string, size: number) =>
  `<svg class="icon" viewBox="0 0 120 120" width="${size}" height="${size}" fill="none" stroke="currentColor" stroke-width="8" stroke-linecap="round" stroke-linejoin="round">${ICONS[key] ?? FALLBACK_ICON}</svg>`;

/**
 * The outer box sits exactly on the tap area; the card inside keeps half a gutter towards a neighbour and a whole
 * one at the canvas edge, so all gaps look equal while the tap area still covers the gap.
 */
function cell(t: RichMenuTile, inner: string): string {
  const c = TILE_COLOURS[t.key] ?? FALLBACK_COLOURS;
  const b = t.bounds;
  const { width, height } = RICH_MENU_SIZE;
  const x = b.x ?? 0,
    y = b.y ?? 0,
    w = b.width ?? 0,
    h = b.height ?? 0;
  const edge = (outer: boolean) => (outer ? GUTTER : GUTTER / 2);
  const padding = [y === 0, x + w === width, y + h === height, x === 0].map((outer) => `${edge(outer)}px`).join(' ');
  return `<div class="tile ${t.kind}" style="left:${x}px;top:${y}px;width:${w}px;height:${h}px;padding:${padding}">
  <div class="card" style="background:${c.background};color:${c.text};--badge:${c.badge};--icon:${c.icon}">${inner}
  </div>
</div>`;
}

function tileHtml(t: RichMenuTile, px: number): string {
  const sub = t.sub ? `<div class="note">${escapeHtml(t.sub)}</div>` : '';
  return cell(
    t,
    `
    <div class="badge">${icon(t.key, t.kind === 'handoff' ? 165 : 170)}</div>
    <div class="label" style="font-size:${px}px">${escapeHtml(t.title)}</div>${sub}`,
  );
}

/** The language cell: a globe, then 「Language」 and 「言語」 (the title's two sides) on lines of their own. */
function languageHtml(t: RichMenuTile): string {
  const lines = t.title.split(/\s*\/\s*/).map((line) => `<div class="label" style="font-size:${LANGUAGE.px}px">${escapeHtml(line)}</div>`);
  return cell(
    t,
    `
    <div class="badge">${icon(t.key, 80)}</div>
    <div class="lines">${lines.join('')}</div>`,
  );
}

/** The guide: badge on the left, title and sub-line beside it, an arrow saying "tap to start" on the right. */
function bannerHtml(t: RichMenuTile): string {
  const sub = t.sub ? `<div class="sub">${escapeHtml(t.sub)}</div>` : '';
  return cell(
    t,
    `
    <div class="badge">${icon(t.key, 190)}</div>
    <div class="text"><div class="label" style="font-size:${bannerTitlePx(t)}px">${escapeHtml(t.title)}</div>${sub}</div>
    <div class="go"><svg viewBox="0 0 120 120" width="90" height="90" fill="none" stroke="currentColor" stroke-width="12" stroke-linecap="round" stroke-linejoin="round"><path d="M48 30 L78 60 L48 90"/></svg></div>`,
  );
}

export function richMenuHtml(tiles: readonly RichMenuTile[]): string {
  const { width, height } = RICH_MENU_SIZE;
  const px = labelPx(tiles.filter((t) => t.kind === 'topic' || t.kind === 'handoff'));
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; margin: 0; padding: 0; }
  html, body { width: ${width}px; height: ${height}px; overflow: hidden; }
  body { position: relative; background: #FFFFFF; font-family: '${RICH_MENU_FONT}', sans-serif; }
  .tile { position: absolute; }
  .card { width: 100%; height: 100%; border-radius: 48px; padding: ${CARD_PAD}px; display: flex; flex-direction: column;
    align-items: center; justify-content: center; gap: 30px; }
  .badge { flex: none; width: 260px; height: 260px; border-radius: 50%; display: flex; align-items: center; justify-content: center;
    background: var(--badge); color: var(--icon); }
  .label { font-weight: 700; line-height: 1.15; white-space: nowrap; letter-spacing: 0; }
  .handoff .card { gap: 20px; }
  .handoff .badge { width: 220px; height: 220px; }
  .note { font-size: 54px; font-weight: 700; line-height: 1.2; opacity: 0.95; margin-top: -4px; white-space: nowrap; }
  .guide .card { flex-direction: row; justify-content: flex-start; gap: ${BANNER.gap}px; padding: 0 ${BANNER.padRight}px 0 ${BANNER.padLeft}px; }
  .guide .badge { width: ${BANNER.badge}px; height: ${BANNER.badge}px; }
  .guide .text { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 20px; }
  .guide .label { letter-spacing: ${BANNER.letterSpacingEm}em; }
  .guide .sub { font-size: ${BANNER.subPx}px; font-weight: 700; line-height: 1.2; white-space: nowrap; opacity: 0.92; }
  .language .card { padding: 16px; gap: 14px; }
  .language .badge { width: ${LANGUAGE.badge}px; height: ${LANGUAGE.badge}px; }
  .language .lines { display: flex; flex-direction: column; align-items: center; gap: 4px; }
  .language .label { line-height: 1.1; }
  .guide .go { flex: none; width: ${BANNER.arrow}px; height: ${BANNER.arrow}px; border-radius: 50%; border: 8px solid currentColor;
    display: flex; align-items: center; justify-content: center; }
</style></head>
<body>
${tiles.map((t) => (t.kind === 'guide' ? bannerHtml(t) : t.kind === 'language' ? languageHtml(t) : tileHtml(t, px))).join('\n')}
</body></html>
`;
}
