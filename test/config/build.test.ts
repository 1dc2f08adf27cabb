import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, filesUnder } from '../../scripts/build.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const files = (dir: string) => filesUnder(dir).map((f) => path.relative(dir, f));
let built: string | undefined;

afterAll(() => {
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('compiles every module of src/ and copies every asset beside it (the pages the console and simulator serve)', async () => {
    built = (await buildApp({ outdir: `dist/test-build-${process.pid}` })).outdir;
    const out = new Set(files(path.join(built, 'src')));
    for (const file of files(path.join(root, 'src'))) {
      expect(out, file).toContain(file.endsWith('.ts') ? file.replace(/\.ts$/, '.js') : file);
    }
    // Plain JavaScript: no TypeScript syntax reaches node.
    expect([...out].filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('refuses to write outside the repository (packages resolve from its node_modules)', async () => {
    await expect(buildApp({ outdir: '../elsewhere' })).rejects.toThrow(/inside/);
  });
});
