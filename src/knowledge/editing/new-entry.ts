import YAML from 'yaml';
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

const UNCONFIRMED =
  'この点は、まだ確認できていません。詳しくは子育て支援課（子育てコンシェルジュ）TEL 0865-69-2132 にお問い合わせください。';

// The concierge's own contact, cited for the facets the new entry does not yet answer.
const CONCIERGE_SOURCE = {
  id: 'kosodate-shien-tel',
  url: 'http://kasaoka.city-hc.jp/open_announcement/guidance_subsidy/m1nbn5rrtroztx4w',
  title: '笠岡市 子育て支援課の連絡先',
  asOf: '掲載時期不明',
};

/**
 * The files of a new entry: the overview as staff wrote it with its source, every other facet saying it is not yet
 * confirmed and giving the concierge's contact (never a guessed fact), the examples, and the catalog line. The
 * result goes through the same publish checks as any edit.
 */
export function newEntryFiles(base: KnowledgeFiles, input: NewEntryInput): KnowledgeFiles {
  const topic = (TOPICS as readonly string[]).includes(input.topic) ? input.topic : 'soudan';
  const need: Need = (NEEDS as readonly string[]).includes(input.need) ? (input.need as Need) : 'soudan';
  const unconfirmed = { text: UNCONFIRMED, sources: ['kosodate-shien-tel'], phones: ['kosodate-shien'], unconfirmed: true };
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
      contact: { text: '詳しくは子育て支援課（子育てコンシェルジュ）TEL 0865-69-2132 にお問い合わせください。', sources: ['kosodate-shien-tel'], phones: ['kosodate-shien'] },
    },
    eligibility: { needs: [need], sources: ['main'], confirm: '対象になる条件' },
    sources: [
      { id: 'main', url: input.sourceUrl, title: input.sourceTitle, checked: input.checked },
      { ...CONCIERGE_SOURCE, checked: input.checked },
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
