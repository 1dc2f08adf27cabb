import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../../src/adapters/richmenu/image-header.js';
import { renderRichMenuImage } from '../../../src/adapters/richmenu/richmenu-image.js';
import { TILE_COLOURS, richMenuHtml } from '../../../src/adapters/richmenu/richmenu-html.js';
import { RICH_MENU_IMAGE_MAX_BYTES, richMenuRequest, richMenuTiles } from '../../../src/adapters/richmenu/richmenu.js';
import { checkImage } from '../../../src/adapters/richmenu/richmenu-publish.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../support/chromium.js';
import { copyLookupFor } from '../../../src/core/conversation/voice.js';
import { getCore } from '../../support/core.js';

const hasChromium = chromiumAvailable;
if (!hasChromium) console.warn(`[richmenu-image.test] SKIPPING the Chromium image tests: no browser at ${CHROMIUM} (install chromium or set CHROMIUM_PATH)`);

/** WCAG 2 contrast ratio of two #RRGGBB colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('rich menu page (HTML)', () => {
  const tiles = richMenuTiles();
  const html = richMenuHtml(tiles);

  it('shows every title and sub-line, one inline SVG icon per tile, and loads nothing from the network', () => {
    // 「Language / 言語」 is drawn as its two sides, one line each.
    for (const t of tiles) for (const line of t.kind === 'language' ? t.title.split(' / ') : [t.title]) expect(html).toContain(`>${line}</div>`);
    expect(html).toContain('>3つの質問でご案内します</div>');
    expect(html).toContain('>子育てコンシェルジュへ</div>');
    expect(html.match(/<svg class="icon" /g)).toHaveLength(tiles.length);
    expect(html).not.toMatch(/(src|href)=|url\(|@import/);
  });

  it('places each card exactly on its tap area', () => {
    for (const t of tiles) expect(html).toContain(`left:${t.bounds.x}px;top:${t.bounds.y}px;width:${t.bounds.width}px;height:${t.bounds.height}px`);
  });

  it('has a colour scheme for every tile, labels at WCAG AAA contrast (≥ 7:1), the guide banner and the handoff tile set apart', () => {
    for (const t of tiles) {
      const c = TILE_COLOURS[t.key];
      expect(c, t.key).toBeDefined();
      expect(contrast(c!.text, c!.background), `${t.label} label`).toBeGreaterThanOrEqual(7);
      expect(contrast(c!.icon, c!.badge), `${t.label} icon`).toBeGreaterThanOrEqual(3);
    }
    const topicBackgrounds = tiles.filter((t) => t.kind === 'topic').map((t) => TILE_COLOURS[t.key]!.background);
    // Light tints for topics; the handoff tile is a dark solid that no topic uses.
    for (const bg of topicBackgrounds) expect(contrast(bg, '#FFFFFF')).toBeLessThan(1.3);
    expect(contrast(TILE_COLOURS.handoff!.background, '#FFFFFF')).toBeGreaterThan(4.5);
    // The banner is the strongest shape: dark, and unlike both the tints and the handoff tile.
    const guide = TILE_COLOURS.guide!;
    expect(contrast(guide.background, '#FFFFFF')).toBeGreaterThan(7);
    expect(contrast(guide.background, TILE_COLOURS.handoff!.background)).toBeGreaterThan(1.2);
    expect(topicBackgrounds).not.toContain(guide.background);
  });

  it('lays the banner out across the top, its title larger than the tile labels', () => {
    const guide = tiles.find((t) => t.kind === 'guide')!;
    expect(guide.bounds).toMatchObject({ x: 0, y: 0, width: 2500 - 420 });
    expect(tiles.at(-1)!.bounds).toMatchObject({ x: 2500 - 420, y: 0, width: 420 });
    const px = (re: RegExp) => Number(re.exec(html)![1]);
    const bannerTitle = px(/<div class="label" style="font-size:(\d+)px">あなたに合うサービスをさがす</);
    const tileLabel = px(/<div class="label" style="font-size:(\d+)px">預けたい</);
    expect(bannerTitle).toBeGreaterThan(tileLabel);
    expect(tileLabel).toBeGreaterThanOrEqual(90);
  });
});

describe.skipIf(!hasChromium)(hasChromium ? 'rich menu image (Chromium)' : `rich menu image (SKIPPED: no Chromium at ${CHROMIUM})`, () => {
  it('renders a PNG of exactly 2500×1686 within 1 MB, drawn with the Japanese font', async () => {
    const image = await renderRichMenuImage({ executablePath: CHROMIUM });
    expect(readImageHeader(image.data)).toEqual({ format: 'png', width: 2500, height: 1686 });
    expect(image).toMatchObject({ format: 'png', contentType: 'image/png', width: 2500, height: 1686 });
    expect(image.data.length).toBeLessThanOrEqual(RICH_MENU_IMAGE_MAX_BYTES);
    // A flat design compresses well; a much smaller file would mean the labels or icons are missing.
    expect(image.data.length).toBeGreaterThan(50_000);
    expect(checkImage(image.data, richMenuRequest())).toEqual({ contentType: 'image/png' });
  });

  it('fits every text inside its card on one line, clear of the banner badge and arrow, in every language’s menu', async () => {
    const core = await getCore();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 2500, height: 1686 }, deviceScaleFactor: 1 });
      for (const code of [undefined, 'ja-easy', 'en', 'vi', 'zh']) {
        await page.setContent(richMenuHtml(richMenuTiles(code ? { code, t: copyLookupFor(core.kb, code) } : undefined)), { waitUntil: 'load' });
        await page.evaluate('document.fonts.ready.then(() => true)');
        const problems = await page.evaluate(`(() => {
        const problems = [];
        const inside = (a, b) => a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
        const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        for (const card of document.querySelectorAll('.card')) {
          const box = card.getBoundingClientRect();
          const others = [...card.querySelectorAll('.badge, .go')].map((e) => e.getBoundingClientRect());
          for (const text of card.querySelectorAll('.label, .note, .sub')) {
            const r = document.createRange();
            r.selectNodeContents(text);
            const lines = r.getClientRects().length;
            const t = r.getBoundingClientRect();
            if (lines !== 1) problems.push(text.textContent + ': ' + lines + ' lines');
            if (!inside(t, box)) problems.push(text.textContent + ': outside its card');
            if (!others.every((o) => apart(t, o))) problems.push(text.textContent + ': overlaps an icon');
          }
        }
        return problems;
      })()`);
        expect(problems, code ?? 'ja').toEqual([]);
      }
    } finally {
      await browser.close();
    }
  });

  it('falls back to a JPEG that fits when the PNG is over the limit', async () => {
    // A limit just under this PNG's size (the real one is far below 1 MB); a JPEG of this flat picture is smaller.
    const png = await renderRichMenuImage({ executablePath: CHROMIUM });
    const maxBytes = Math.floor(png.data.length * 0.9);
    const image = await renderRichMenuImage({ executablePath: CHROMIUM, maxBytes });
    expect(readImageHeader(image.data)).toEqual({ format: 'jpeg', width: 2500, height: 1686 });
    expect(image.contentType).toBe('image/jpeg');
    expect(image.data.length).toBeLessThanOrEqual(maxBytes);
  });

  it('refuses a page whose labels are not drawn in Noto Sans CJK JP (missing font → fallback glyphs)', async () => {
    const html = richMenuHtml(richMenuTiles())
      .replace('<body>', '<body style="font-family: \'Noto Serif CJK JP\'">')
      .replace(/font-family: '[^']+', sans-serif;/, '');
    await expect(renderRichMenuImage({ executablePath: CHROMIUM, html })).rejects.toThrow(/not drawn in Noto Sans CJK JP.*Noto Serif CJK JP.*fonts-noto-cjk/s);
  });
});
