import { z } from 'zod';
import { patchContactYaml, type ContactValue } from '../../core/knowledge/editing/contact-patch.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import type { Contact } from '../../core/knowledge/schema.js';
import type { FormError } from './kb-form.js';

export const CONTACTS_FILE = 'knowledge/_contacts.yaml';
export const CONTACT_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;

export const contactDraftOf = (c: Contact): ContactValue => ({
  id: c.id,
  name: c.name,
  tel: c.tel,
  ...(c.asOf ? { asOf: c.asOf } : {}),
  ...(c.note ? { note: c.note } : {}),
  source: c.source,
  checked: c.checked,
  thirdParty: c.thirdParty,
});

export const emptyContactDraft = (tel = '', checked = ''): ContactValue => ({ id: '', name: '', tel, source: '', checked, thirdParty: false });

// Form bodies come from our own page, but are still requests from outside: shapes and sizes are checked here.
const Body = z.record(z.string(), z.string().max(2000));
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Reads the contact form. Values are taken as written (trimmed; the number in half-width digits); the knowledge-base
 * validation that follows judges them (the number's form, an office number's date, the source URL) and names the
 * field, so the form checks only what it adds itself: a new contact's id.
 */
export function contactDraftFromForm(raw: unknown, original: ContactValue): { draft?: ContactValue; errors: FormError[] } {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) return { errors: [{ field: 'name', message: '送信された内容が大きすぎるか、正しくありません。' }] };
  const get = (k: string) => oneLine(parsed.data[k] ?? '');
  const draft: ContactValue = {
    id: original.id || get('id'),
    name: get('name'),
    tel: get('tel')
      .normalize('NFKC')
      .replace(/[‐－―ー−]/g, '-'),
    ...(get('asOf') ? { asOf: get('asOf') } : {}),
    ...(get('note') ? { note: get('note') } : {}),
    source: get('source'),
    checked: get('checked'),
    thirdParty: parsed.data.thirdParty === 'on',
  };
  const errors: FormError[] = [];
  if (!original.id && draft.id && !CONTACT_ID.test(draft.id))
    errors.push({ field: 'id', message: '連絡先の記号は、英小文字・数字・ハイフンで書いてください（例: kodomo-katei-center）。' });
  return { draft, errors };
}

/** The files with the contact ledger edited to match the draft (other files untouched). */
export const applyContactDraft = (files: KnowledgeFiles, draft: ContactValue): Record<string, string> => ({
  ...files,
  [CONTACTS_FILE]: patchContactYaml(files[CONTACTS_FILE] ?? 'contacts: []\n', draft),
});
