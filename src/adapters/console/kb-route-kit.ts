import type { Request, Response } from 'express';
import type { KnowledgeStore, KnowledgeVersion } from '../../app/publishing/store.js';
import { signedIn } from './auth.js';
import { messagePage } from './views/layout.js';

/** What every knowledge-base page needs of a request: its form fields, who is signed in, the version edits start from. */

export const formField = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The note a publish is recorded with (one line, at most 200 characters). */
export const publishNote = (req: Request): string => formField(req, 'message').replace(/\s+/g, ' ').trim().slice(0, 200);

export const pageStaff = (res: Response) => ({ name: signedIn(res).account.name, csrfToken: signedIn(res).session.csrfToken });

/** The version edits start from: the store's current one (this instance may be a moment behind). */
export async function currentVersionOf(store: KnowledgeStore): Promise<KnowledgeVersion> {
  const n = await store.current();
  const v = n ? await store.get(n) : undefined;
  if (!v) throw new Error('no knowledge-base version');
  return v;
}

/** A 404 page with the way back to the list it belongs to. */
export function sendNotFound(res: Response, title: string, text: string, back: { href: string; label: string }): void {
  res
    .status(404)
    .type('html')
    .send(messagePage(title, text, back, pageStaff(res)).value);
}
