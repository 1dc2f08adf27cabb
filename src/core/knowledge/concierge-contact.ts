import YAML from 'yaml';
import type { KnowledgeFiles } from './files.js';
import { ContactsFile, type Contact } from './schema.js';

/**
 * The contact in knowledge/_contacts.yaml that is the concierge's own line: the bot names it in its fixed sentences
 * and in the facets a new entry cannot answer yet. The ledger is the only place its number is written.
 */
export const CONCIERGE_CONTACT_ID = 'kosodate-shien';

export interface ContactLine {
  name: string;
  tel: string;
}

/** 「子育て支援課（子育てコンシェルジュ）TEL 0865-69-2132」: inside the city's own account the city's name goes without saying. */
export const conciergeLine = (c: ContactLine): string => `${c.name.replace(/^笠岡市\s*/, '')}TEL ${c.tel}`;

/** The concierge's contact in a loaded knowledge base (load.ts refuses one without it). */
export function conciergeContact(kb: { contacts: ReadonlyMap<string, Contact> }): Contact {
  const c = kb.contacts.get(CONCIERGE_CONTACT_ID);
  if (!c) throw new Error(`knowledge/_contacts.yaml has no ${CONCIERGE_CONTACT_ID}`);
  return c;
}

/** The concierge's contact read straight from a knowledge base's files; undefined when the ledger lacks it. */
export function conciergeContactIn(files: KnowledgeFiles): Contact | undefined {
  const text = files['knowledge/_contacts.yaml'];
  if (text === undefined) return undefined;
  const parsed = ContactsFile.safeParse(YAML.parse(text));
  return parsed.success ? parsed.data.contacts.find((c) => c.id === CONCIERGE_CONTACT_ID) : undefined;
}
