import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresFor } from '../../src/app/insights/figures.js';
import { monthOf } from '../../src/app/insights/usage-stats.js';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../support/console.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, sendEvents, textEvent } from '../support/webhook-client.js';

// The yearly review's figures count what parents asked the bot. What a parent writes to staff during a handoff is
// neither a question to the bot nor a new handoff: two parents, known messages, through signed webhooks into an
// instance on Redis, and the rates come out as counted by hand.
const redis = connectTestRedis();
const prefix = uniquePrefix();
let app: Instance;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startStaffedInstance({ redis: redis.duplicate(), prefix }));
});
afterAll(async () => {
  await close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

async function says(userId: string, ...texts: string[]) {
  for (const text of texts) {
    expect((await sendEvents(app.url, [textEvent(text, { userId })], SECRET)).status).toBe(200);
    await app.parts.app.drain();
  }
}
const tanaka = { id: STAFF.username, name: STAFF.name };

describe('figures while conversations are with staff', () => {
  it('counts a parent’s messages to staff as neither questions nor handoffs, and shows the rates on the page and in the CSV', async () => {
    const months = [monthOf(Date.now())];
    const a = newUserId();
    const b = newUserId();
    // A: two questions answered, then a person asked for (handoff 1).
    await says(a, '病児保育の料金はいくら？', '予防接種のスケジュールを知りたい', '担当者と話したい');
    // Waiting: an ordinary question is still answered by the bot (a question); asking for a call is for staff.
    await says(a, '児童手当はいつ振り込まれますか', '折り返し電話してほしいです');
    await app.parts.handoff.claim((await app.parts.handoff.openFor(a))!.id, tanaka);
    // Claimed: four messages to staff.
    await says(a, 'はい、0歳の子です', '来週の月曜日は空いてますか', 'ありがとうございます', '急ぎでお願いします');
    // B: one the bot cannot answer, then a person (handoff 2); claimed; two messages to staff, one of them a
    // question the bot could have answered, but staff have the conversation.
    await says(b, '市民プールは何時まで開いてますか', '担当者と話したい');
    await app.parts.handoff.claim((await app.parts.handoff.openFor(b))!.id, tanaka);
    await says(b, '保育園の申し込みはいつから？', 'はい、0歳の子です');

    if (monthOf(Date.now()) !== months[0]) months.push(monthOf(Date.now()));
    const figures = await figuresFor(app.parts.stats, months);
    const sum = (k: 'questions' | 'answers' | 'fallback' | 'handoff' | 'toStaff' | 'claims') => figures.reduce((n, m) => n + m[k], 0);
    expect({
      questions: sum('questions'),
      answers: sum('answers'),
      fallback: sum('fallback'),
      handoff: sum('handoff'),
      toStaff: sum('toStaff'),
      claims: sum('claims'),
    }).toEqual({
      questions: 6,
      answers: 3,
      fallback: 1,
      handoff: 2,
      toStaff: 7,
      claims: 2,
    });
    if (months.length > 1) return; // the rates below are of one month
    expect(figures[0]).toMatchObject({ answerRate: 50, fallbackRate: 16.7, handoffRate: 33.3 });

    // The page and the spreadsheet say the same.
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const { text } = await c.get('/console/insights/figures');
    const row = new RegExp(`<th scope="row">${months[0]}</th><td>6</td><td>50%</td><td>0%</td><td>16.7%</td><td>33.3%（2件）</td><td>7件</td>`);
    expect(text).toMatch(row);
    const csv = await (await fetch(`${app.url}/console/insights/figures.csv`, { headers: { cookie: c.cookieHeader() } })).text();
    expect(csv).toContain('引き継ぎ件数,引き継ぎ中に担当者へ届いたメッセージ数');
    expect(csv).toMatch(new RegExp(`${months[0]},（全体）,6,3,50,0,16.7,33.3,2,7,`));
  }, 60_000);
});
