import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The knowledge base as files: repository-relative path (`knowledge/sick-child-care.yaml`, `intents/_catalog.tsv`)
 * → text. The same shape whether it comes from disk, a stored version or a spreadsheet import, so one loader and one
 * validator serve them all.
 */
export type KnowledgeFiles = Readonly<Record<string, string>>;

export const KB_FOLDERS = ['knowledge', 'intents'] as const;

/** Only flat YAML/TSV files in the two folders: a stored version can never name a path outside them. */
export const KB_FILE_PATH = /^(knowledge|intents)\/[A-Za-z0-9_][A-Za-z0-9_-]{0,80}\.(yaml|tsv)$/;

export const KnowledgeFilesSchema = z
  .record(z.string().regex(KB_FILE_PATH, 'knowledge/ か intents/ の .yaml / .tsv ファイルだけを置けます'), z.string().max(1_000_000))
  .refine((f) => Object.keys(f).length > 0 && Object.keys(f).length <= 1000, { message: 'ファイルがありません（または多すぎます）' });

const isKbFile = (name: string) => /\.(yaml|tsv)$/.test(name) && KB_FILE_PATH.test(`knowledge/${name}`);

/** Reads `<root>/knowledge/*` and `<root>/intents/*` (YAML and TSV), sorted by path. */
export function readKnowledgeFolders(dirs: { knowledgeDir: string; intentsDir: string }): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [folder, dir] of [['knowledge', dirs.knowledgeDir], ['intents', dirs.intentsDir]] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter(isKbFile).sort()) files[`${folder}/${name}`] = readFileSync(path.join(dir, name), 'utf8');
  }
  return files;
}

/**
 * Writes files under `root` so the folders mirror them exactly: YAML/TSV files of the two folders that are not in
 * `files` are removed (an entry deleted in the console disappears from git too). Returns what was written/removed.
 */
export function writeKnowledgeFolders(root: string, files: KnowledgeFiles): { written: string[]; removed: string[] } {
  const removed: string[] = [];
  for (const folder of KB_FOLDERS) {
    const dir = path.join(root, folder);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).filter(isKbFile))
      if (!(`${folder}/${name}` in files)) {
        rmSync(path.join(dir, name));
        removed.push(`${folder}/${name}`);
      }
  }
  const written = Object.keys(files).sort();
  for (const p of written) {
    if (!KB_FILE_PATH.test(p)) throw new Error(`not a knowledge-base path: ${p}`);
    writeFileSync(path.join(root, p), files[p]!);
  }
  return { written, removed };
}

/** Same paths, same texts. */
export function sameFiles(a: KnowledgeFiles, b: KnowledgeFiles): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}
