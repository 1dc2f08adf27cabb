import type { messagingApi } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { LocalLineApi, type RecordedMessage } from '../../../src/adapters/line/local-api.js';

const text = (t: string): messagingApi.TextMessage => ({ type: 'text', text: t });

describe('LocalLineApi.onRecord', () => {
  it('tells a chat’s listeners about each recorded message, in order, and only that chat’s', async () => {
    let clock = 1000;
    const api = new LocalLineApi({ now: () => clock++ });
    const seen: RecordedMessage[] = [];
    const other: RecordedMessage[] = [];
    api.onRecord('U1', (m) => seen.push(m));
    api.onRecord('U2', (m) => other.push(m));
    api.issueReplyToken('token-1', 'U1');
    await api.replyMessage({ replyToken: 'token-1', messages: [text('a'), text('b')] });
    await api.pushMessage({ to: 'U1', messages: [text('c')] });
    expect(seen.map((m) => [m.via, (m.message as messagingApi.TextMessage).text])).toEqual([
      ['reply', 'a'],
      ['reply', 'b'],
      ['push', 'c'],
    ]);
    expect(other).toEqual([]);
    expect(seen).toEqual(api.messages('U1'));
  });

  it('stops after unsubscribing, and keeps two subscriptions of one function apart', async () => {
    const api = new LocalLineApi();
    const seen: string[] = [];
    const listener = (m: RecordedMessage) => seen.push((m.message as messagingApi.TextMessage).text);
    const offA = api.onRecord('U1', listener);
    const offB = api.onRecord('U1', listener);
    await api.pushMessage({ to: 'U1', messages: [text('both')] });
    offA();
    await api.pushMessage({ to: 'U1', messages: [text('one')] });
    offB();
    offB();
    await api.pushMessage({ to: 'U1', messages: [text('none')] });
    expect(seen).toEqual(['both', 'both', 'one']);
  });

  it('does not let a failing or meddling listener break the API call or the record', async () => {
    const api = new LocalLineApi();
    api.onRecord('U1', () => {
      throw new Error('listener bug');
    });
    api.onRecord('U1', (m) => {
      (m.message as messagingApi.TextMessage).text = 'changed';
    });
    await expect(api.pushMessage({ to: 'U1', messages: [text('kept')] })).resolves.toMatchObject({ sentMessages: [{}] });
    expect((api.messages('U1')[0]!.message as messagingApi.TextMessage).text).toBe('kept');
  });
});

describe('LocalLineApi reply tokens', () => {
  it('takes a reply only with a token it issued, once, for the chat it was issued for; anything else is 400 as on LINE', async () => {
    const api = new LocalLineApi();
    await expect(api.replyMessage({ replyToken: 'never-issued', messages: [text('a')] })).rejects.toMatchObject({ status: 400 });
    api.issueReplyToken('token-1', 'U1');
    await api.replyMessage({ replyToken: 'token-1', messages: [text('b')] });
    await expect(api.replyMessage({ replyToken: 'token-1', messages: [text('c')] })).rejects.toMatchObject({ status: 400 });
    expect(api.messages('U1').map((m) => [m.via, (m.message as messagingApi.TextMessage).text])).toEqual([['reply', 'b']]);
    expect(api.messages('U2')).toEqual([]);
  });
});
