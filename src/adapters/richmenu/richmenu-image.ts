import { chromium, type Page } from 'playwright-core';
import { contentTypeOf, readImageHeader, type ImageFormat } from './image-header.js';
import { RICH_MENU_FONT, richMenuHtml } from './richmenu-html.js';
import { RICH_MENU_IMAGE_MAX_BYTES, RICH_MENU_SIZE, richMenuTiles } from './richmenu.js';

/**
 * Draws the rich menu picture: the HTML of richmenu-html.ts, screenshotted by headless Chromium at exactly the
 * menu's size. PNG keeps the text crisp; JPEG is the fallback only when the PNG exceeds LINE's 1 MB limit.
 */

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's headless Chromium (CHROMIUM_PATH, else the default path), quiet: no network of its own, no GPU, no sandbox. */
export const launchChromium = (executablePath = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH) => chromium.launch({ executablePath, args: CHROMIUM_ARGS });
// Tried in order until the file fits; below 60 the edges of the large labels start to smear.
const JPEG_QUALITIES = [92, 85, 78, 70, 60];

export interface RichMenuImage {
  data: Buffer;
  format: ImageFormat;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

export interface RenderOptions {
  /** Defaults to $CHROMIUM_PATH, then /usr/bin/chromium. */
  executablePath?: string;
  maxBytes?: number;
  html?: string;
}

export async function renderRichMenuImage(opts: RenderOptions = {}): Promise<RichMenuImage> {
  const maxBytes = opts.maxBytes ?? RICH_MENU_IMAGE_MAX_BYTES;
  const browser = await launchChromium(opts.executablePath);
  try {
    const page = await browser.newPage({ viewport: { ...RICH_MENU_SIZE }, deviceScaleFactor: 1 });
    // Everything is inline; a request would mean the page depends on the network.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(opts.html ?? richMenuHtml(richMenuTiles()), { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready.then(() => true)');
    await assertJapaneseFont(page);
    const image = await encodeWithinLimit(page, maxBytes);
    const header = readImageHeader(image.data);
    if (!header || header.width !== RICH_MENU_SIZE.width || header.height !== RICH_MENU_SIZE.height)
      throw new Error(`screenshot is ${header ? `${header.width}×${header.height}` : 'unreadable'}, expected ${RICH_MENU_SIZE.width}×${RICH_MENU_SIZE.height}`);
    return { ...image, width: header.width, height: header.height };
  } finally {
    await browser.close();
  }
}

async function encodeWithinLimit(page: Page, maxBytes: number): Promise<Pick<RichMenuImage, 'data' | 'format' | 'contentType'>> {
  const png = await page.screenshot({ type: 'png' });
  if (png.length <= maxBytes) return { data: png, format: 'png', contentType: contentTypeOf('png') };
  for (const quality of JPEG_QUALITIES) {
    const jpeg = await page.screenshot({ type: 'jpeg', quality });
    if (jpeg.length <= maxBytes) return { data: jpeg, format: 'jpeg', contentType: contentTypeOf('jpeg') };
  }
  throw new Error(
    `rich menu image does not fit in ${maxBytes} bytes (PNG ${png.length} bytes, and JPEG down to quality ${JPEG_QUALITIES.at(-1)} is still too large)`,
  );
}

/**
 * Chromium silently falls back to another font (or empty boxes) when Noto Sans CJK JP is missing, and the picture
 * would still "work". Ask Chromium which font actually drew each label and refuse anything else.
 */
async function assertJapaneseFont(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '.label, .note, .sub' });
    if (nodeIds.length === 0) throw new Error('rich menu page has no labels');
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const other = fonts.filter((f) => f.familyName !== RICH_MENU_FONT && !f.familyName.startsWith('Noto Sans CJK'));
      if (fonts.length === 0 || other.length)
        throw new Error(
          `rich menu labels are not drawn in ${RICH_MENU_FONT} (got ${fonts.map((f) => f.familyName).join(', ') || 'no font'}). ` +
            'Install it (Debian/Ubuntu: apt-get install fonts-noto-cjk) — 日本語フォント（fonts-noto-cjk）をインストールしてください。',
        );
    }
  } finally {
    await cdp.detach();
  }
}
