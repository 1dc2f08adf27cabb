import YAML from 'yaml';
import { conciergeContactIn, conciergeLine } from '../concierge-contact.js';
import type { KnowledgeFiles } from '../files.js';
import { NEEDS, TOPICS, type Need } from '../schema.js';

/** What staff fill in to start a new knowledge-base entry from a question parents asked. */
export interface NewEntryInput {
  id: string;
  title: string;
  summary: string;
  topic: string;
  need: string;
  overview: string;
  sourceUrl: string;
  sourceTitle: string;
  /** YYYY-MM-DD */
  checked: string;
  /** One per line; at least ten, the first usually the question that went unanswered. */
  examples: string[];
}

export const NEW_ENTRY_MIN_EXAMPLES = 10;

/**
 * The facets a new entry does not answer yet say so and give the concierge's line, with the ledger's own source, so
 * the number is never written anywhere but knowledge/_contacts.yaml. Without that contact the ledger itself is
 * invalid, and the publish checks say so.
 */
function conciergeFacets(base: KnowledgeFiles) {
  const c = conciergeContactIn(base);
  const ask = c ? `詳しくは${conciergeLine(c)} にお問い合わせください。` : '詳しくは子育て支援課にお問い合わせください。';
  const cite = { sources: ['kosodate-shien-tel'], phones: c ? [c.id] : [] };
  return {
    unconfirmed: { text: `この点は、まだ確認できていません。${ask}`, ...cite, unconfirmed: true },
    contact: { text: ask, ...cite },
    source: { id: 'kosodate-shien-tel', url: c?.source ?? 'https://www.city.kasaoka.okayama.jp/', title: '笠岡市 子育て支援課の連絡先', asOf: '掲載時期不明' },
  };
}

/**
 * The files of a new entry: the overview as staff wrote it with its source, every other facet saying it is not yet
 * confirmed and giving the concierge's contact (never a guessed fact), the examples, and the catalog line. The
 * result goes through the same publish checks as any edit.
 */
export function newEntryFiles(base: KnowledgeFiles, input: NewEntryInput): KnowledgeFiles {
  const topic = (TOPICS as readonly string[]).includes(input.topic) ? input.topic : 'soudan';
  const need: Need = (NEEDS as readonly string[]).includes(input.need) ? (input.need as Need) : 'soudan';
  const concierge = conciergeFacets(base);
  const unconfirmed = concierge.unconfirmed;
  const entry = {
    id: input.id,
    title: input.title,
    summary: input.summary,
    topic,
    facets: {
      overview: { text: input.overview, sources: ['main'] },
      cost: unconfirmed,
      how: unconfirmed,
      who: unconfirmed,
      where: unconfirmed,
      contact: concierge.contact,
    },
    eligibility: { needs: [need], sources: ['main'], confirm: '対象になる条件' },
    sources: [
      { id: 'main', url: input.sourceUrl, title: input.sourceTitle, checked: input.checked },
      { ...concierge.source, checked: input.checked },
    ],
  };
  const intents = { id: input.id, examples: input.examples, keywords: [input.title] };
  const catalog = base['intents/_catalog.tsv'] ?? '';
  const line = `${input.id}\t${input.title}\t${input.summary.replace(/\s+/g, ' ')}`;
  return {
    ...base,
    [`knowledge/${input.id}.yaml`]: YAML.stringify(entry, { lineWidth: 0 }),
    [`intents/${input.id}.yaml`]: YAML.stringify(intents, { lineWidth: 0 }),
    'intents/_catalog.tsv': `${catalog.replace(/\n*$/, '\n')}${line}\n`,
  };
}
