import { describe, expect, it } from 'vitest';
import { MemoryAccountStore, authenticate } from '../../../src/adapters/console/accounts.js';
import { runStaffCommand } from '../../../src/adapters/console/staff-cli.js';

function io(password = 'a-long-password') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), password: async () => password, now: () => 1_700_000_000_000 } };
}

describe('npm run staff:*', () => {
  it('adds an account that can sign in, lists it, changes its password and removes it', async () => {
    const accounts = new MemoryAccountStore();
    const add = io();
    expect(await runStaffCommand(['add', 'Tanaka', '田中'], accounts, add.io)).toBe(0);
    expect(add.out.join()).toContain('作成しました: tanaka（田中）');
    expect(add.out.join()).not.toContain('a-long-password');
    expect((await authenticate(accounts, 'tanaka', 'a-long-password'))?.name).toBe('田中');

    const list = io();
    expect(await runStaffCommand(['list'], accounts, list.io)).toBe(0);
    expect(list.out).toEqual(['tanaka\t田中\t作成 2023-11-14']);

    expect(await runStaffCommand(['passwd', 'tanaka'], accounts, io('another-password').io)).toBe(0);
    expect(await authenticate(accounts, 'tanaka', 'a-long-password')).toBeUndefined();
    expect(await authenticate(accounts, 'tanaka', 'another-password')).toBeDefined();

    expect(await runStaffCommand(['remove', 'tanaka'], accounts, io().io)).toBe(0);
    expect(await accounts.list()).toEqual([]);
  });

  it('explains what is wrong: short password, taken or unknown name, missing arguments', async () => {
    const accounts = new MemoryAccountStore();
    const short = io('short');
    expect(await runStaffCommand(['add', 'sato', '佐藤'], accounts, short.io)).toBe(1);
    expect(short.err.join()).toContain('10文字以上');
    await runStaffCommand(['add', 'sato', '佐藤'], accounts, io().io);
    const taken = io();
    expect(await runStaffCommand(['add', 'SATO', '佐藤'], accounts, taken.io)).toBe(1);
    expect(taken.err.join()).toContain('すでにあります');
    const unknown = io();
    expect(await runStaffCommand(['remove', 'nobody'], accounts, unknown.io)).toBe(1);
    expect(unknown.err.join()).toContain('見つかりません');
    const usage = io();
    expect(await runStaffCommand(['add', 'only-name'], accounts, usage.io)).toBe(2);
    expect(usage.err.join()).toContain('npm run staff:add -- <ユーザー名> "<表示名>"');
  });
});
