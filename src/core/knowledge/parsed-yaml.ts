import YAML from 'yaml';
import { modelKey, type ModelCache } from '../nlp/learned/model-cache.js';
import type { KnowledgeFiles } from './files.js';

/** Where parsed files are kept between processes: the model cache's text store (node_modules/.cache/kosodate-model). */
export type TextCache = Pick<ModelCache, 'getText' | 'setText'>;

/** The outcome of parsing one file: its value, or the parser's error. */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: Error };

/**
 * YAML.parse for the files of one knowledge base, remembered across processes. Parsing the 240 YAML files was a quarter
 * of a cold start-up (≈ 300 ms, most of it the parser's code being compiled and warmed); the values of the same files,
 * kept as JSON, read back in milliseconds. The key names every file's text, so an edited file is parsed again, and
 * the parser itself is pinned by the lockfile (its cache lives beside the packages and goes with them).
 */
export class ParsedYaml {
  private readonly cached: Map<string, unknown> | undefined;
  private readonly parsed = new Map<string, unknown>();
  private readonly key: string | undefined;

  constructor(
    private readonly files: KnowledgeFiles,
    private readonly cache?: TextCache,
  ) {
    if (!cache?.getText) return;
    const yaml = Object.entries(files)
      .filter(([file]) => file.endsWith('.yaml'))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    this.key = modelKey({ parsedYaml: 1, files: yaml });
    this.cached = readCached(cache.getText(this.key));
  }

  /** The file's value, or the parser's error (never cached: it is reported again, the same). */
  parse(file: string): Parsed {
    if (this.cached?.has(file)) return { ok: true, value: this.cached.get(file) };
    try {
      const value: unknown = YAML.parse(this.files[file] ?? '');
      this.parsed.set(file, value);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: e as Error };
    }
  }

  /** Keeps what was parsed this time, when anything was (a second load of the same files then parses nothing). */
  save(): void {
    if (!this.key || !this.parsed.size || !this.cache?.setText) return;
    this.cache.setText(this.key, JSON.stringify(Object.fromEntries([...(this.cached ?? []), ...this.parsed])));
  }
}

function readCached(text: string | undefined): Map<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? new Map(Object.entries(value)) : undefined;
  } catch {
    return undefined; // damaged: parsed again
  }
}
