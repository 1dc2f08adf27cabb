import { describe, expect, it } from 'vitest';
import { LocalLineApi } from '../../../src/adapters/line/local-api.js';
import { Timeline, echoOf, type TimelineEntry } from '../../../src/adapters/simulator/timeline.js';

const USER = `U${'ab'.repeat(16)}`;
const kinds = (entries: TimelineEntry[]) =>
  entries.map((e) => (e.from === 'user' ? `user:${e.echo.type === 'text' ? e.echo.text : e.echo.type}` : `bot:${(e.message as { text: string }).text}`));

describe('Timeline', () => {
  it('merges both sides in time order, the person first when the clock did not move', async () => {
    const clock = { now: 1000 };
    const api = new LocalLineApi({ now: () => clock.now });
    const timeline = new Timeline(api, { now: () => clock.now });
    timeline.addUser(USER, { type: 'text', text: 'こんにちは' });
    await api.pushMessage({ to: USER, messages: [{ type: 'text', text: 'こんにちは！' }] });
    clock.now = 2000;
    timeline.addUser(USER, { type: 'sticker', packageId: '446', stickerId: '1988' });
    await api.pushMessage({ to: USER, messages: [{ type: 'text', text: 'スタンプありがとう' }] });
    expect(kinds(timeline.history(USER))).toEqual(['user:こんにちは', 'bot:こんにちは！', 'user:sticker', 'bot:スタンプありがとう']);
    expect(timeline.history(`U${'cd'.repeat(16)}`)).toEqual([]);
  });

  it('streams both sides to subscribers until they unsubscribe, and survives a failing one', async () => {
    const api = new LocalLineApi();
    const timeline = new Timeline(api);
    const seen: TimelineEntry[] = [];
    timeline.subscribe(USER, () => {
      throw new Error('stream gone');
    });
    const off = timeline.subscribe(USER, (e) => seen.push(e));
    timeline.addUser(USER, { type: 'text', text: '保育園' });
    await api.pushMessage({ to: USER, messages: [{ type: 'text', text: '保育園のご案内' }] });
    off();
    timeline.addUser(USER, { type: 'text', text: 'もう見ていない' });
    expect(kinds(seen)).toEqual(['user:保育園', 'bot:保育園のご案内']);
  });

  it('keeps at most perChat entries of maxChats people', () => {
    const timeline = new Timeline(new LocalLineApi(), { perChat: 3, maxChats: 2 });
    for (let i = 0; i < 5; i++) timeline.addUser(USER, { type: 'text', text: String(i) });
    expect(kinds(timeline.history(USER))).toEqual(['user:2', 'user:3', 'user:4']);
    timeline.addUser(`U${'01'.repeat(16)}`, { type: 'image' });
    timeline.addUser(`U${'02'.repeat(16)}`, { type: 'image' });
    expect(timeline.history(USER)).toEqual([]);
  });

  it('shows what LINE shows for each action: a postback only through its displayText', () => {
    expect(echoOf({ kind: 'postback', data: 'a=handoff', displayText: '担当者と話したい' })).toEqual({ type: 'text', text: '担当者と話したい' });
    expect(echoOf({ kind: 'postback', data: 'a=handoff' })).toBeUndefined();
    expect(echoOf({ kind: 'location' })).toMatchObject({ type: 'location', title: '笠岡市役所' });
    expect(echoOf({ kind: 'follow' })).toMatchObject({ type: 'system' });
    expect(echoOf({ kind: 'unfollow' })).toMatchObject({ type: 'system' });
  });
});
