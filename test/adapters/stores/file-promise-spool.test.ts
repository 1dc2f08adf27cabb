import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Promised } from '../../../src/app/conversation/promise-spool.js';
import { FilePromiseSpool } from '../../../src/adapters/stores/file-promise-spool.js';

// Promises to parents kept on disk while Redis is away (issue 17 item 12): one file per instance, taken over by one
// other instance only when its owner released it or stopped renewing it.
const dirs: string[] = [];
const spoolDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kc-spool-test-'));
  dirs.push(d);
  return path.join(d, 'spool');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const handoff = (userId: string): Promised => ({
  kind: 'handoff',
  id: `h-${userId}`,
  at: Date.now(),
  input: { userId, chatId: userId, reason: 'requested', summary: { topics: [] } },
});
const adopter = () => {
  const adopted: Promised[] = [];
  return { adopted, adopt: async (items: Promised[]) => void adopted.push(...items) };
};

describe('the promise spool on disk', () => {
  it('keeps one owner-only file while something waits, and none when nothing does', async () => {
    const dir = spoolDir();
    const spool = new FilePromiseSpool({ dir });
    await spool.keep([handoff('U1'), handoff('U2')]);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect({ file: statSync(path.join(dir, files[0]!)).mode & 0o777, dir: statSync(dir).mode & 0o777 }).toEqual({ file: 0o600, dir: 0o700 });
    await spool.keep([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves a live instance’s file alone, and hands a released one to exactly one of two takers', async () => {
    const dir = spoolDir();
    const owner = new FilePromiseSpool({ dir });
    await owner.keep([handoff('U1')]);
    const [a, b] = [new FilePromiseSpool({ dir }), new FilePromiseSpool({ dir })];
    const [ta, tb] = [adopter(), adopter()];
    expect(await a.takeLeftovers(ta.adopt)).toBe(0);

    await owner.release();
    const taken = await Promise.all([a.takeLeftovers(ta.adopt), b.takeLeftovers(tb.adopt)]);
    expect({ taken: taken.sort(), adopted: [...ta.adopted, ...tb.adopted].map((p) => p.id), left: readdirSync(dir) }).toEqual({
      taken: [0, 1],
      adopted: ['h-U1'],
      left: [],
    });
  });

  it('takes over the file of an instance that died (not renewed for the lease) but not one still renewed', async () => {
    const dir = spoolDir();
    const dead = new FilePromiseSpool({ dir, leaseMs: 60_000 });
    await dead.keep([handoff('U1')]);
    const taker = new FilePromiseSpool({ dir, leaseMs: 60_000 });
    const t = adopter();
    expect(await taker.takeLeftovers(t.adopt)).toBe(0);
    const [file] = readdirSync(dir);
    const old = new Date(Date.now() - 61_000);
    utimesSync(path.join(dir, file!), old, old);
    expect(await taker.takeLeftovers(t.adopt)).toBe(1);
    expect(t.adopted.map((p) => p.id)).toEqual(['h-U1']);
    await dead.release();
  });

  it('keeps a leftover whose adoption failed, for the next try', async () => {
    const dir = spoolDir();
    const owner = new FilePromiseSpool({ dir });
    await owner.keep([handoff('U1')]);
    await owner.release();
    const taker = new FilePromiseSpool({ dir, leaseMs: 0 });
    await expect(taker.takeLeftovers(async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    const t = adopter();
    expect(await taker.takeLeftovers(t.adopt)).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes an unreadable leftover (it may name people and can never be used) and a write that never finished', async () => {
    const dir = spoolDir();
    const spool = new FilePromiseSpool({ dir, leaseMs: 0 });
    await spool.keep([]);
    writeFileSync(path.join(dir, 'promises-0a0a0a0a-0000-4000-8000-000000000000.json'), '{"v":1,"items":[{"kind":"handoff"');
    writeFileSync(path.join(dir, '.partial-0b0b0b0b-0000-4000-8000-000000000000'), '{"v":1');
    const t = adopter();
    expect(await spool.takeLeftovers(t.adopt)).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
