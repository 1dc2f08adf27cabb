import { describe, expect, it } from 'vitest';
import type { Handoff, TranscriptEntry } from '../../../src/app/handoff/types.js';
import { elapsedText, jpDateTime } from '../../../src/adapters/console/format.js';
import { escapeHtml, html, rawHtml } from '../../../src/adapters/console/html.js';
import { conversationPage, type ConversationView } from '../../../src/adapters/console/views/conversation.js';
import { loginPage } from '../../../src/adapters/console/views/login.js';
import { queueOrder, queueRegion } from '../../../src/adapters/console/views/queue.js';

const XSS = `<script>alert('x')</script>"><img src=x onerror=alert(1)>&amp;`;

const handoff = (o: Partial<Handoff> = {}): Handoff => ({
  id: '0b0c9d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f',
  userId: 'U1',
  chatId: 'U1',
  status: 'waiting',
  reason: 'requested',
  urgent: false,
  openedAt: Date.UTC(2025, 4, 1, 1, 5),
  lastActivityAt: Date.UTC(2025, 4, 1, 1, 5),
  summary: { topics: [] },
  ...o,
});

describe('escapeHtml and the html tag', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(XSS)).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;');
    expect(escapeHtml('保育園　2歳')).toBe('保育園　2歳');
  });

  it('escapes every interpolated value, in text and attributes, but not nested html', () => {
    const name = XSS;
    const out = html`<p title="${name}">${name}${html`<b>${name}</b>`}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('<b>&lt;script&gt;');
    expect(out.startsWith('<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;')).toBe(true);
  });

  it('renders arrays, numbers and leaves out false, null and undefined', () => {
    const items = ['<a>', 'b'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${0}|${false}|${null}|${undefined}|${[XSS]}`.value).toBe(`0||||${escapeHtml(XSS)}`);
    expect(html`${rawHtml('<br>')}`.value).toBe('<br>');
  });
});

describe('views escape what parents and staff wrote', () => {
  const entries: TranscriptEntry[] = [
    { id: '1', at: 1, from: 'parent', text: XSS },
    { id: '2', at: 2, from: 'staff', text: XSS, staff: XSS },
    { id: '3', at: 3, from: 'note', text: XSS, staff: '佐藤' },
  ];
  const view = (o: Partial<ConversationView> = {}): ConversationView => ({
    handoff: handoff({ status: 'active', claimedBy: 'sato', summary: { topics: ['sick-child-care', XSS], childAge: XSS, area: XSS, emergencyKind: XSS } }),
    entries,
    staffName: () => XSS,
    topicTitle: (id) => (id === 'sick-child-care' ? '病児・病後児保育' : id),
    answers: [{ id: 'sick-child-care', title: '病児・病後児保育', facets: ['overview', 'cost'] }],
    now: Date.UTC(2025, 4, 1, 1, 10),
    csrfToken: 'tok"en',
    draft: { reply: `</textarea>${XSS}`, note: XSS },
    ...o,
  });

  it('the conversation page: transcript, summary, staff names and a refilled draft', () => {
    const page = conversationPage(view(), { name: XSS, csrfToken: 'tok"en' }).value;
    // Only the console's own script and the pinned htmx, both from the console's static files.
    expect(page.match(/<script[^>]*>/g)).toEqual([
      '<script src="/console/static/vendor/htmx.min.js" defer>',
      '<script src="/console/static/console.js" defer>',
    ]);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('</textarea><script');
    expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;');
    expect(page).toContain('value="tok&quot;en"');
    expect(page).toContain('<li>病児・病後児保育</li>');
    expect(page).toContain('<html lang="ja">');
  });

  it('the queue and the sign-in page', () => {
    const queue = queueRegion({
      open: [handoff({ status: 'active', claimedBy: 'x', summary: { topics: [XSS] } })],
      closed: [],
      staffName: () => XSS,
      topicTitle: (id) => id,
      now: Date.now(),
      csrfToken: 't',
    }).value;
    expect(queue).not.toContain('<script');
    expect(queue).toContain('&lt;script&gt;');
    const login = loginPage({ token: 't', username: XSS, next: '/console/"><script>' }).value;
    expect(login.match(/<script/g)).toHaveLength(1);
    expect(login).toContain(`value="${escapeHtml(XSS)}"`);
  });

  it('marks the three kinds of message so they look different', () => {
    const page = conversationPage(view({ handoff: handoff({ status: 'active', claimedBy: 'sato' }) }), { name: '佐藤', csrfToken: 't' }).value;
    expect(page).toContain('<li class="msg msg--parent">');
    expect(page).toContain('<li class="msg msg--staff">');
    expect(page).toMatch(/<li class="msg msg--note">\s*<p class="msg__meta"><span class="msg__who">内部メモ（佐藤・保護者には届きません）<\/span>/);
  });
});

describe('the queue order and times', () => {
  it('puts urgent conversations on top, then the waiting ones, each oldest first', () => {
    const list = [
      handoff({ id: 'active-old', status: 'active', openedAt: 1 }),
      handoff({ id: 'waiting-new', openedAt: 30 }),
      handoff({ id: 'urgent-active', status: 'active', urgent: true, openedAt: 50 }),
      handoff({ id: 'waiting-old', openedAt: 10 }),
      handoff({ id: 'urgent-waiting', urgent: true, openedAt: 60 }),
    ];
    expect(queueOrder(list).map((h) => h.id)).toEqual(['urgent-waiting', 'urgent-active', 'waiting-old', 'waiting-new', 'active-old']);
  });

  it('says how long someone has waited, in Japanese', () => {
    expect(elapsedText(30_000)).toBe('1分未満');
    expect(elapsedText(5 * 60_000 + 59_000)).toBe('5分');
    expect(elapsedText(60 * 60_000)).toBe('1時間');
    expect(elapsedText(80 * 60_000)).toBe('1時間20分');
    expect(elapsedText(50 * 3600_000)).toBe('2日');
    expect(elapsedText(-5)).toBe('1分未満');
    const region = queueRegion({
      open: [handoff()],
      closed: [],
      staffName: () => '',
      topicTitle: (id) => id,
      now: handoff().openedAt + 5 * 60_000,
      csrfToken: 't',
    }).value;
    expect(region).toContain('5分待ち');
  });

  it('shows times in Japan time whatever the server zone is', () => {
    expect(jpDateTime(Date.UTC(2025, 4, 1, 15, 30))).toBe('5/2 00:30');
  });
});
