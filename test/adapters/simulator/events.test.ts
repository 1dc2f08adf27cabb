import { validateSignature, type webhook } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { routeEvent } from '../../../src/adapters/line/events.js';
import {
  SIMULATOR_BOT_USER_ID,
  buildEvent,
  callbackBody,
  lineSignature,
  signedRequest,
  ulid,
  type SimulatorInput,
} from '../../../src/adapters/simulator/events.js';
import { webhookProblems } from '../../support/line-openapi.js';

const USER = `U${'0123456789abcdef'.repeat(2)}`;
const SECRET = 'local-simulator-secret';

const INPUTS: SimulatorInput[] = [
  { kind: 'text', text: '病児保育について教えて' },
  { kind: 'postback', data: 'a=menu&t=azuketai', displayText: '預けたい' },
  { kind: 'postback', data: 'a=handoff' },
  { kind: 'sticker' },
  { kind: 'image' },
  { kind: 'location' },
  { kind: 'follow' },
  { kind: 'unfollow' },
];

/** Deterministic randomness: bytes 0, 1, 2, … */
const counting = () => {
  let next = 0;
  return (n: number) => Uint8Array.from({ length: n }, () => next++ % 256);
};

describe('simulator webhook events', () => {
  it.each(INPUTS)('builds a $kind event that matches LINE’s webhook schema', (input) => {
    const event = buildEvent(input, { userId: USER });
    expect(webhookProblems(JSON.parse(callbackBody([event])))).toEqual([]);
    expect(event).toMatchObject({ mode: 'active', deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: USER } });
    expect(event.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Math.abs(event.timestamp - Date.now())).toBeLessThan(5000);
  });

  it('gives every event that can be answered a fresh 32-hex reply token, and unfollow none (as LINE does)', () => {
    const tokens = INPUTS.map((input) => (buildEvent(input, { userId: USER }) as { replyToken?: string }).replyToken);
    for (const [i, token] of tokens.entries()) {
      if (INPUTS[i]!.kind === 'unfollow') expect(token).toBeUndefined();
      else expect(token).toMatch(/^[0-9a-f]{32}$/);
    }
    const defined = tokens.filter(Boolean);
    expect(new Set(defined).size).toBe(defined.length);
  });

  it('routes each kind to what the bot does with it, like a phone’s event would be', () => {
    const route = (input: SimulatorInput) => routeEvent(buildEvent(input, { userId: USER }), { botUserId: SIMULATOR_BOT_USER_ID });
    expect(route({ kind: 'text', text: '保育園' })).toMatchObject({ kind: 'handle', key: USER, userChat: true, incoming: { kind: 'text', text: '保育園' } });
    expect(route({ kind: 'postback', data: 'a=handoff', displayText: '担当者と話したい' })).toMatchObject({
      incoming: { kind: 'postback', data: 'a=handoff' },
    });
    expect(route({ kind: 'sticker' })).toMatchObject({ incoming: { kind: 'unsupported', what: 'sticker' } });
    expect(route({ kind: 'image' })).toMatchObject({ incoming: { kind: 'unsupported', what: 'image' } });
    expect(route({ kind: 'location' })).toMatchObject({ incoming: { kind: 'unsupported', what: 'location' } });
    expect(route({ kind: 'follow' })).toMatchObject({ incoming: { kind: 'follow' } });
    expect(route({ kind: 'unfollow' })).toEqual({ kind: 'forget', key: USER });
  });

  it('sends a postback’s data only: the displayText is what the chat shows, not part of the event', () => {
    const event = buildEvent({ kind: 'postback', data: 'a=facet&i=sick-child-care&f=cost', displayText: '料金' }, { userId: USER }) as webhook.PostbackEvent;
    expect(event.postback).toEqual({ data: 'a=facet&i=sick-child-care&f=cost' });
    expect(JSON.stringify(event)).not.toContain('料金');
  });

  it('signs the exact body bytes the way LINE does, verifiable with the SDK', () => {
    const { body, signature, event } = signedRequest({ kind: 'text', text: 'こんにちは👶' }, { userId: USER, channelSecret: SECRET });
    expect(validateSignature(body, SECRET, signature)).toBe(true);
    expect(validateSignature(Buffer.from(body, 'utf8'), SECRET, signature)).toBe(true);
    expect(validateSignature(body, 'another-secret', signature)).toBe(false);
    expect(validateSignature(body.replace('こんにちは', 'こんばんは'), SECRET, signature)).toBe(false);
    expect(JSON.parse(body)).toEqual({ destination: SIMULATOR_BOT_USER_ID, events: [event] });
    expect(webhookProblems(JSON.parse(body))).toEqual([]);
  });

  it('computes the documented HMAC-SHA256/Base64 signature', () => {
    // Known answer: echo -n '{"destination":"x","events":[]}' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(lineSignature('{"destination":"x","events":[]}', 'secret')).toBe('wVfB5t0lqPHpx38QyQOGp7ObRShYSU1OOvaBooe7I0c=');
  });

  it('is deterministic given the clock and randomness', () => {
    const a = buildEvent({ kind: 'sticker' }, { userId: USER, now: 1_700_000_000_000, random: counting() });
    const b = buildEvent({ kind: 'sticker' }, { userId: USER, now: 1_700_000_000_000, random: counting() });
    expect(a).toEqual(b);
    expect(a.timestamp).toBe(1_700_000_000_000);
  });

  it('makes ULIDs that sort by time', () => {
    const random = () => new Uint8Array(10).fill(255);
    expect(ulid(0, () => new Uint8Array(10))).toBe('0'.repeat(26));
    expect(ulid(1_700_000_000_000, random)).toMatch(/^01HF.{6}Z{16}$/);
    expect(ulid(1_700_000_000_000, random) < ulid(1_700_000_000_001, random)).toBe(true);
  });

  it('the schema check itself catches malformed bodies', () => {
    const event = buildEvent({ kind: 'follow' }, { userId: USER }) as unknown as Record<string, unknown>;
    const { replyToken: _dropped, ...noToken } = event;
    expect(webhookProblems({ destination: SIMULATOR_BOT_USER_ID, events: [noToken] })).not.toEqual([]);
    expect(webhookProblems({ destination: 'Ubot', events: [event] })).not.toEqual([]);
    expect(webhookProblems({ destination: SIMULATOR_BOT_USER_ID, events: [{ ...event, mode: 'sleeping' }] })).not.toEqual([]);
    const sticker = buildEvent({ kind: 'sticker' }, { userId: USER }) as webhook.MessageEvent;
    const { stickerResourceType: _t, ...badSticker } = sticker.message as webhook.StickerMessageContent;
    expect(webhookProblems({ destination: SIMULATOR_BOT_USER_ID, events: [{ ...sticker, message: badSticker }] })).not.toEqual([]);
  });
});
