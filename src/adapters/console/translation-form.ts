import YAML from 'yaml';
import { z } from 'zod';
import { patchEntryTranslationYaml, type EntryTranslationValue } from '../../core/knowledge/editing/translation-patch.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import type { Problem } from '../../core/knowledge/load.js';
import { FACETS, type KnowledgeEntry } from '../../core/knowledge/schema.js';

/** Where an entry's translation into a language is kept. */
export const translationFile = (code: string, id: string) => `languages/${code}/${id}.yaml`;

/**
 * What the translation form shows: the words as written in the file, not as the live pack holds them — a part set
 * aside because it no longer matches the Japanese is missing from the pack, and is exactly what the translator fixes.
 */
export function translationDraftOf(text: string | undefined, entry: KnowledgeEntry): EntryTranslationValue {
  let doc: Record<string, unknown> = {};
  try {
    const v: unknown = text === undefined ? undefined : YAML.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) doc = v as Record<string, unknown>;
  } catch {
    // A file that does not parse is shown empty; the check names what is wrong with it.
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const facets = (doc.facets && typeof doc.facets === 'object' ? doc.facets : {}) as Record<string, Record<string, unknown> | undefined>;
  return {
    title: str(doc.title),
    summary: str(doc.summary),
    facets: Object.fromEntries(
      FACETS.filter((f) => entry.facets[f]).map((f) => {
        const own = facets[f];
        const statements = Array.isArray(own?.statements) ? own.statements.map(str) : [];
        return [f, { text: str(own?.text), statements: entry.facets[f]!.statements.map((_, i) => statements[i] ?? '') }];
      }),
    ),
  };
}

const Body = z.record(z.string(), z.union([z.string().max(20_000), z.array(z.string().max(200)).max(50)]));
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const paragraph = (s: string) => s.replace(/\r\n?/g, '\n').trim();

/**
 * Reads the translation form: the title, the summary and, for each facet the Japanese has, its text and one line per
 * dated statement. Whether the words carry the Japanese numbers is the knowledge-base check's to judge.
 */
export function translationDraftFromForm(raw: unknown, entry: KnowledgeEntry): EntryTranslationValue | undefined {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const get = (k: string, max: number) => (typeof b[k] === 'string' ? b[k].slice(0, max) : '');
  return {
    title: oneLine(get('title', 200)),
    summary: paragraph(get('summary', 1000)),
    facets: Object.fromEntries(
      FACETS.filter((f) => entry.facets[f]).map((f) => [
        f,
        {
          text: paragraph(get(`f.${f}.text`, 5000)),
          // Statements stay in the Japanese order: a blank one is kept blank, for the check to point at.
          statements: entry.facets[f]!.statements.map((_, i) => paragraph(get(`f.${f}.st.${i}`, 2000))),
        },
      ]),
    ),
  };
}

/** The files with the entry's translation into `code` written as the draft says (started when there was none). */
export function applyTranslationDraft(files: KnowledgeFiles, code: string, id: string, draft: EntryTranslationValue): Record<string, string> {
  const out: Record<string, string> = { ...files };
  const file = translationFile(code, id);
  const text = patchEntryTranslationYaml(files[file], id, {
    ...draft,
    // No statement lines at all: none written (the facet's text alone falls back nowhere; the check counts them).
    facets: Object.fromEntries(Object.entries(draft.facets).map(([f, v]) => [f, { text: v.text, statements: v.statements.some(Boolean) ? v.statements : [] }])),
  });
  if (text === undefined) delete out[file];
  else out[file] = text;
  return out;
}

/** The fields of a translation the draft changes (`title`, `facets.cost.text`, `facets.cost.statements.0`). */
export function changedFields(before: EntryTranslationValue, after: EntryTranslationValue): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push('title');
  if (before.summary !== after.summary) out.push('summary');
  for (const f of FACETS) {
    const [b, a] = [before.facets[f], after.facets[f]];
    if (!a) continue;
    if (b?.text !== a.text) out.push(`facets.${f}.text`);
    a.statements.forEach((s, i) => {
      if (b?.statements[i] !== s) out.push(`facets.${f}.statements.${i}`);
    });
  }
  return out;
}

/**
 * The problems that refuse this edit: those in the parts the staff member changed (a title or summary problem sets
 * the whole entry aside, so it always counts). Parts left as they were and already set aside stay set aside.
 */
export function heldBy(file: string, changed: readonly string[]): (p: Problem) => boolean {
  return (p) => {
    if (p.file !== file) return false;
    if (p.field === 'title' || p.field === 'summary' || p.field === '-' || p.field === 'id') return changed.length > 0;
    const facet = /^facets\.(\w+)/.exec(p.field)?.[1];
    return facet !== undefined && changed.some((c) => c.startsWith(`facets.${facet}.`));
  };
}
