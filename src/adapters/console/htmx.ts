import type { Request, Response } from 'express';
import type { Html } from './html.js';

/**
 * Answers for htmx (the live pages' partial updates). A request htmx makes says so in `HX-Request` and names the page
 * it was made on in `HX-Current-URL`; it gets only what changes. Every other request (no script, the tests' plain
 * HTTP clients) gets whole pages and redirects, as before.
 */
export const fromHtmx = (req: Request): boolean => req.get('hx-request') === 'true';

/** The path of the page an htmx request was made on. */
function currentPath(req: Request): string | undefined {
  try {
    return new URL(req.get('hx-current-url') ?? '').pathname;
  } catch {
    return undefined;
  }
}

/** One page in its three forms: whole, its title and main part (arriving from another page), its changed parts. */
export interface PageForms {
  whole: () => Html;
  main: () => Html;
  parts: () => Html;
}

/**
 * Sends the page at `path`: whole without htmx; on that page already, the parts (each replaces its namesake); from
 * another page, the main part in place of that page's, with this page's address put in the browser's history.
 */
export function sendPage(req: Request, res: Response, path: string, status: number, forms: PageForms): void {
  // The same address answers with a whole page or with parts: a cache must keep them apart (pages are no-store too).
  res.vary('HX-Request').status(status).type('html');
  if (!fromHtmx(req)) {
    res.send(forms.whole().value);
  } else if (currentPath(req) === path) {
    res.send(forms.parts().value);
  } else {
    res.set({ 'HX-Retarget': '#main', 'HX-Reswap': 'outerHTML', 'HX-Push-Url': path }).send(forms.main().value);
  }
}

/** A whole page (an error, a dead end) sent to htmx too: its main part takes this page's place. */
export function sendWholePage(req: Request, res: Response, status: number, page: Html): void {
  if (fromHtmx(req)) res.set({ 'HX-Retarget': '#main', 'HX-Reswap': 'outerHTML', 'HX-Reselect': '#main' });
  res.status(status).type('html').send(page.value);
}
