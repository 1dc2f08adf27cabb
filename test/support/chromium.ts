import { existsSync } from 'node:fs';
import { DEFAULT_CHROMIUM_PATH } from '../../src/adapters/richmenu/richmenu-image.js';

export { launchChromium } from '../../src/adapters/richmenu/richmenu-image.js';

/** The browser the browser tests drive (CI installs Debian's chromium); they are skipped, loudly, without it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
export const chromiumAvailable = existsSync(CHROMIUM);
