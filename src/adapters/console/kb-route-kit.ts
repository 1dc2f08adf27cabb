import type { Request, Response } from 'express';
import type { CheckOptions, CheckReport, KnowledgePublisher } from '../../app/publishing/publisher.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../core/knowledge/load.js';
import type { KnowledgeStore, KnowledgeVersion } from '../../app/publishing/store.js';
import type { FormError } from './kb-form.js';
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

/** A stored version's knowledge base, parsed once: what every page of an edit needs of its base. */
export type ParsedVersions = (v: { n: number; files: KnowledgeFiles }) => KnowledgeBase | undefined;

/**
 * Parsed stored versions, the newest few (versions never change). One is shared by all the knowledge-base pages of a
 * console (router.ts), so an edit's base is parsed once whichever page reads it.
 */
export function versionParser(keep = 4): ParsedVersions {
  const parsed = new Map<number, KnowledgeBase | undefined>();
  return (v) => {
    if (!parsed.has(v.n)) {
      parsed.set(v.n, loadKnowledgeBase({ files: v.files }).kb);
      if (parsed.size > keep) parsed.delete(parsed.keys().next().value!);
    }
    return parsed.get(v.n);
  };
}

/** A 404 page with the way back to the list it belongs to. */
export function sendNotFound(res: Response, title: string, text: string, back: { href: string; label: string }): void {
  res
    .status(404)
    .type('html')
    .send(messagePage(title, text, back, pageStaff(res)).value);
}

/** How a form comes back when its publish did not go live: what its page adds, the status, and whether cards are shown. */
export interface FormAgain {
  add: { formErrors: FormError[] } | { check: CheckReport };
  status: 400 | 409 | 422;
  /** The preview cards belong beside a missing note or a refusal, not beside "published meanwhile". */
  preview: boolean;
}

/**
 * Publishes what a form made as a new version, the same way on every knowledge-base form: without a note nothing is
 * sent; published goes to the new version, unchanged back to `unchangedHref`; a version published meanwhile or a refusal
 * come back as the form, said in staff words. Returns undefined once the response is sent.
 */
export async function publishFromForm(
  res: Response,
  publisher: Pick<KnowledgePublisher, 'publish'>,
  edit: { files: KnowledgeFiles; author: string; message: string; base: number; held?: CheckOptions['held']; unchangedHref: string },
): Promise<FormAgain | undefined> {
  if (!edit.message)
    return { add: { formErrors: [{ field: 'message', message: '何を変えたかを書いてください（公開の履歴に残ります）。' }] }, status: 400, preview: true };
  const result = await publisher.publish(edit.files, edit.author, edit.message, { base: edit.base, ...(edit.held ? { held: edit.held } : {}) });
  if (result.status === 'published') return void res.redirect(303, `/console/kb/versions/${result.version.n}?m=published`);
  if (result.status === 'unchanged') return void res.redirect(303, `${edit.unchangedHref}?m=unchanged`);
  if (result.status === 'stale')
    return {
      add: { formErrors: [{ field: 'message', message: '確認している間に別の版が公開されました。もう一度「公開する」を押してください。' }] },
      status: 409,
      preview: false,
    };
  return { add: { check: result.report }, status: 422, preview: true };
}
