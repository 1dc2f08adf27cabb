import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The knowledge base as files: repository-relative path (`knowledge/sick-child-care.yaml`, `intents/_catalog.tsv`,
 * `languages/en/sick-child-care.yaml`) → text. The same shape whether it comes from disk, a stored version or a spreadsheet import, so one loader and one
 * validator serve them all.
 */
export type KnowledgeFiles = Readonly<Record<string, string>>;

export const KB_FOLDERS = ['knowledge', 'intents'] as const;

/** The folder of translations: one sub-folder per language code (`languages/en/`, `languages/ja-easy/`). */
export const LANGUAGES_FOLDER = 'languages';
export const LANGUAGE_CODE_RE = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

/**
 * Only flat YAML/TSV files in the two folders, and flat YAML files one level down in `languages/<code>/`: a stored
 * version can never name a path outside them.
 */
export const KB_FILE_PATH = /^((knowledge|intents)\/[A-Za-z0-9_][A-Za-z0-9_-]{0,80}\.(yaml|tsv)|languages\/[a-z]{2,3}(-[a-z0-9]{2,8})?\/[A-Za-z0-9_][A-Za-z0-9_-]{0,80}\.yaml)$/;

export const KnowledgeFilesSchema = z
  .record(z.string().regex(KB_FILE_PATH, 'knowledge/ か intents/ の .yaml / .tsv、languages/<言語>/ の .yaml ファイルだけを置けます'), z.string().max(1_000_000))
  .refine((f) => Object.keys(f).length > 0 && Object.keys(f).length <= 1000, { message: 'ファイルがありません（または多すぎます）' });

const isKbFile = (name: string) => /\.(yaml|tsv)$/.test(name) && KB_FILE_PATH.test(`knowledge/${name}`);

const languageFolders = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && LANGUAGE_CODE_RE.test(d.name))
        .map((d) => d.name)
        .sort()
    : [];

/** Reads `<root>/knowledge/*`, `<root>/intents/*` (YAML and TSV) and `<root>/languages/<code>/*.yaml`, sorted by path. */
export function readKnowledgeFolders(dirs: { knowledgeDir: string; intentsDir: string; languagesDir?: string }): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [folder, dir] of [['knowledge', dirs.knowledgeDir], ['intents', dirs.intentsDir]] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter(isKbFile).sort()) files[`${folder}/${name}`] = readFileSync(path.join(dir, name), 'utf8');
  }
  if (dirs.languagesDir)
    for (const code of languageFolders(dirs.languagesDir)) {
      const dir = path.join(dirs.languagesDir, code);
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml') && isKbFile(n)).sort())
        files[`${LANGUAGES_FOLDER}/${code}/${name}`] = readFileSync(path.join(dir, name), 'utf8');
    }
  return files;
}

/**
 * Writes files under `root` so the folders mirror them exactly: YAML/TSV files of the two folders that are not in
 * `files` are removed (an entry deleted in the console disappears from git too). Returns what was written/removed.
 */
export function writeKnowledgeFolders(root: string, files: KnowledgeFiles): { written: string[]; removed: string[] } {
  const removed: string[] = [];
  const folders: string[] = [...KB_FOLDERS, ...languageFolders(path.join(root, LANGUAGES_FOLDER)).map((c) => `${LANGUAGES_FOLDER}/${c}`)];
  for (const folder of folders) {
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
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), files[p]!);
  }
  return { written, removed };
}

/** Same paths, same texts. */
export function sameFiles(a: KnowledgeFiles, b: KnowledgeFiles): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}
