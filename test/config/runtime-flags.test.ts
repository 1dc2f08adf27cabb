import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NODE_FLAGS } from '../../src/runtime-flags.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the V8 flags the server runs with', () => {
  it('are the same for npm start and the Docker image (the bench measures with them too)', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    expect(cmd).toBeDefined();
    const dockerArgs = JSON.parse(cmd!) as string[];
    for (const flag of APP_NODE_FLAGS) {
      expect(start.split(' ')).toContain(flag);
      expect(dockerArgs).toContain(flag);
    }
    // Both run the compiled server (npm start builds it first; the image builds it in its first stage).
    expect(start).toMatch(/^node scripts\/build\.mjs && node .*dist\/src\/main\.js$/);
    expect(dockerArgs.at(-1)).toBe('dist/src/main.js');
    expect(read('Dockerfile')).toMatch(/^RUN node scripts\/build\.mjs$/m);
  });
});
