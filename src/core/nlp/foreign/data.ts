import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { EmergencyKind, FACETS, type Facet } from '../../knowledge/schema.js';
import type { Labelled } from '../learned/training-data.js';
import { FOREIGN_CODES, type ForeignCode } from './route.js';

// Numbers (a temperature: 39) are phrases too.
const Phrases = z.array(z.union([z.string().min(1), z.number()]).transform(String));

/**
 * languages/<code>/_examples.yaml: what a parent writing this language asks, per catalog id (or `id#facet` for a question
 * about one facet; @emergency, @handoff and @none for the kinds of message). Written in the language, not translated
 * from the Japanese examples, and kept apart from them: the Japanese models never see these.
 */
export const ExamplesFile = z.object({ examples: z.record(z.string(), Phrases) }).strict();
export type ExamplesFile = z.infer<typeof ExamplesFile>;

/**
 * languages/<code>/_cues.yaml: the words of this language that decide without a model. Safety first: an emergency rule
 * (any: one phrase; all: one phrase of each group) gives the emergency card; `calm` (past, prevention, news) and
 * `over` (it has passed) temper it as in intents/_emergency.yaml; `handoff` asks for a person; `facets` name what is
 * asked, tried in `order`. A phrase matches whole words (Vietnamese also without its diacritics); a trailing * matches
 * the start of a word (breath*); Chinese phrases match anywhere.
 */
export const CuesFile = z
  .object({
    emergency: z.array(
      z
        .object({ kind: EmergencyKind, any: Phrases.optional(), all: z.array(Phrases).optional() })
        .strict()
        .refine((r) => !!r.any !== !!r.all, 'a rule has either any or all'),
    ),
    calm: Phrases.default([]),
    over: Phrases.default([]),
    handoff: Phrases,
    facets: z
      .object({
        order: z.array(z.enum(FACETS)),
        cues: z.partialRecord(z.enum(FACETS), Phrases),
      })
      .strict(),
    /**
     * How much the Japanese models' reading of the same text counts (0–1). They learned some of this language from
     * training/written/ and the corpus: English gains from them (0.3, chosen on the corpus's English, not on the
     * evaluation sets); Vietnamese and Chinese lose (0).
     */
    japaneseWeight: z.number().min(0).max(1).default(0),
  })
  .strict();
export type CuesFile = z.infer<typeof CuesFile>;

export interface ForeignLanguageData {
  code: ForeignCode;
  examples: Labelled[];
  cues: CuesFile;
}

/** The examples as labelled items: `id#facet` teaches the facet, a plain id the overview, @kinds no facet. */
export function examplesToItems(file: ExamplesFile): Labelled[] {
  const items: Labelled[] = [];
  for (const [key, texts] of Object.entries(file.examples)) {
    const [label, facet] = key.split('#') as [string, string | undefined];
    if (facet !== undefined && !(FACETS as readonly string[]).includes(facet)) throw new Error(`${key}: unknown facet ${facet}`);
    for (const text of texts) items.push({ text, label, ...(label.startsWith('@') ? {} : { facet: (facet ?? 'overview') as Facet }) });
  }
  return items;
}

/** Reads languages/<code>/_examples.yaml and _cues.yaml for each language that has both (the loader of answers skips `_` files). */
export function readForeignData(dir: string): ForeignLanguageData[] {
  const out: ForeignLanguageData[] = [];
  for (const code of FOREIGN_CODES) {
    let examples: string;
    let cues: string;
    try {
      examples = readFileSync(path.join(dir, code, '_examples.yaml'), 'utf8');
      cues = readFileSync(path.join(dir, code, '_cues.yaml'), 'utf8');
    } catch {
      continue;
    }
    const where = (f: string) => `languages/${code}/${f}`;
    const ex = ExamplesFile.safeParse(YAML.parse(examples));
    if (!ex.success) throw new Error(`${where('_examples.yaml')}: ${ex.error.message}`);
    const cu = CuesFile.safeParse(YAML.parse(cues));
    if (!cu.success) throw new Error(`${where('_cues.yaml')}: ${cu.error.message}`);
    out.push({ code, examples: examplesToItems(ex.data), cues: cu.data });
  }
  return out;
}

let cached: { dir: string; data: ForeignLanguageData[] } | undefined;
/** The repository's per-language data, read once per process. */
export function defaultForeignData(dir = path.resolve('languages')): ForeignLanguageData[] {
  if (cached?.dir !== dir) cached = { dir, data: readForeignData(dir) };
  return cached.data;
}
