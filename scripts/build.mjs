// npm run build (npm start runs it first): src/ as plain JavaScript in dist/src/, which the server runs with node
// alone. Running the TypeScript through tsx's loader instead cost ≈ 40 MB of RSS for the life of the process (the
// loader, esbuild's transform service, and a source map per module). Scripts (staff:add, kb:check, …) still use tsx.
//   node scripts/build.mjs                   # → dist/src/main.js
// Plain JavaScript so that it runs before anything is compiled.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every file under `dir`, as absolute paths. */
export function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Compiles the `.ts` files under each folder of `include` (paths kept: `src/x/y.ts` → `<outdir>/src/x/y.js`) and
 * copies every other file (the console's and the simulator's pages), so modules find their assets and each other as
 * they do in src/. Packages resolve from the repository's node_modules, so `outdir` must lie inside the repository.
 * Each file is transpiled on its own, not bundled: the code is what tsc type-checks, minus the types.
 */
export async function buildApp({ outdir = 'dist', include = ['src'], root = ROOT } = {}) {
  const out = path.resolve(root, outdir);
  if (path.relative(root, out).startsWith('..')) throw new Error(`outdir must be inside ${root}: ${out}`);
  for (const dir of include) rmSync(path.join(out, dir), { recursive: true, force: true });
  const files = include.flatMap((dir) => filesUnder(path.join(root, dir)));
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await build({
    entryPoints: sources,
    outdir: out,
    outbase: root,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces point into dist/; the maps beside each file lead back to the TypeScript when reading one.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    const target = path.join(out, path.relative(root, file));
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(file, target);
  }
  return { outdir: out, modules: sources.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { outdir, modules } = await buildApp();
  console.log(`built ${modules} modules into ${path.relative(process.cwd(), outdir) || '.'} in ${Math.round(performance.now() - started)} ms`);
}
