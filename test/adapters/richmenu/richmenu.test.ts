import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messagingApi } from '@line/bot-sdk';
import { guideStartButton } from '../../../src/core/conversation/guide.js';
import { menuQuickReplies } from '../../../src/core/conversation/replies.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import { graphemeLength } from '../../../src/adapters/line/render.js';
import {
  GUIDE_BANNER,
  RICH_MENU_BANNER_HEIGHT,
  RICH_MENU_LANGUAGE_WIDTH,
  RICH_MENU_NAME_PREFIX,
  RICH_MENU_SIZE,
  isOurRichMenu,
  richMenuLanguage,
  richMenuRequest,
  richMenuTiles,
} from '../../../src/adapters/richmenu/richmenu.js';
import { copyLookupFor } from '../../../src/core/conversation/voice.js';
import { publishRichMenu, RichMenuPublishError, type PublishLogger } from '../../../src/adapters/richmenu/richmenu-publish.js';
import { getCore } from '../../support/core.js';
import { fakeJpeg, fakePng } from '../../support/fake-images.js';
import { lineRequestProblems } from '../../support/line-openapi.js';
import { newRichMenuState, seedRichMenu, startLineStub, type LineStub, type RichMenuState, type StubRoute } from '../../support/line-stub.js';

const TOKEN = 'test-richmenu-token-5f3a9c';
const { width: W, height: H } = RICH_MENU_SIZE;
const menu = richMenuRequest();
const postbacks = () => (menu.areas ?? []).map((a) => a.action as messagingApi.PostbackAction);

describe('rich menu definition', () => {
  it('is valid for LINE: OpenAPI RichMenuRequest schema plus the documented rich menu rules', () => {
    expect(lineRequestProblems('RichMenuRequest', menu)).toEqual([]);
    // The guide banner's action is part of what was validated.
    expect(menu.areas![0]!.action).toMatchObject({ type: 'postback', data: 'a=guide&s=start' });
    expect(menu).toMatchObject({ size: { width: 2500, height: 1686 }, selected: true, chatBarText: 'メニュー' });
  });

  it('the validator does catch broken menus (so the test above means something)', () => {
    const broken = structuredClone(menu);
    broken.chatBarText = 'メニューメニューメニューメニュー';
    (broken.areas![0]!.action as messagingApi.PostbackAction).data = 'x'.repeat(301);
    (broken.areas![1]!.action as messagingApi.PostbackAction).label = 'あ'.repeat(21);
    broken.areas![2]!.bounds = { x: 2000, y: 0, width: 833, height: 843 };
    const problems = lineRequestProblems('RichMenuRequest', broken).join('\n');
    expect(problems).toMatch(/chatBarText/);
    expect(problems).toMatch(/areas\/0\/action\/data/);
    expect(problems).toMatch(/areas\/1\/action\/label/);
    expect(problems).toMatch(/areas\/2\/bounds/);
    expect(lineRequestProblems('RichMenuRequest', { ...menu, areas: Array(21).fill(menu.areas![0]) }).join()).toMatch(/21 areas/);
  });

  it('has a stable name: our prefix plus a hash of the definition', () => {
    expect(menu.name).toMatch(new RegExp(`^${RICH_MENU_NAME_PREFIX}-[0-9a-f]{12}$`));
    expect(richMenuRequest().name).toBe(menu.name);
    expect(isOurRichMenu(menu.name)).toBe(true);
    expect(isOurRichMenu('kosodate-mainframe')).toBe(false);
    expect(isOurRichMenu('campaign-2026')).toBe(false);
    expect(isOurRichMenu(undefined)).toBe(false);
  });

  it('tiles the whole 2500×1686 canvas: the banner and 「Language / 言語」 on top, then 3 columns × 2 rows, without gaps or overlaps', () => {
    const boxes = (menu.areas ?? []).map((a) => a.bounds!);
    expect(boxes).toHaveLength(8);
    for (const b of boxes) {
      expect(b.x! >= 0 && b.y! >= 0 && b.x! + b.width! <= W && b.y! + b.height! <= H, JSON.stringify(b)).toBe(true);
      expect(Number.isInteger(b.x) && Number.isInteger(b.y) && Number.isInteger(b.width) && Number.isInteger(b.height)).toBe(true);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlap = a.x! < b.x! + b.width! && b.x! < a.x! + a.width! && a.y! < b.y! + b.height! && b.y! < a.y! + a.height!;
        expect(overlap, `areas ${i} and ${j} overlap`).toBe(false);
      }
    // Inside the canvas and disjoint, so covering it whole is a matter of area.
    expect(boxes.reduce((sum, b) => sum + b.width! * b.height!, 0)).toBe(W * H);

    const [banner, ...rest] = boxes;
    const grid = rest.slice(0, 6);
    expect(banner).toEqual({ x: 0, y: 0, width: W - RICH_MENU_LANGUAGE_WIDTH, height: RICH_MENU_BANNER_HEIGHT });
    // The language cell ends the banner's row, a square a thumb finds at the top right.
    expect(rest[6]).toEqual({ x: W - RICH_MENU_LANGUAGE_WIDTH, y: 0, width: RICH_MENU_LANGUAGE_WIDTH, height: RICH_MENU_BANNER_HEIGHT });
    expect(RICH_MENU_LANGUAGE_WIDTH).toBe(RICH_MENU_BANNER_HEIGHT);
    expect([...new Set(grid.map((b) => b.x))]).toEqual([0, 833, 1667]);
    expect(grid.map((b) => b.width)).toEqual([833, 834, 833, 833, 834, 833]);
    expect([...new Set(grid.map((b) => b.y))]).toEqual([RICH_MENU_BANNER_HEIGHT, RICH_MENU_BANNER_HEIGHT + 633]);
    expect(new Set(grid.map((b) => b.height))).toEqual(new Set([633]));
  });

  it('has postback actions with labels and displayText within LINE limits', () => {
    for (const a of postbacks()) {
      expect(a.type).toBe('postback');
      expect(a.data!.length).toBeGreaterThan(0);
      expect(a.data!.length).toBeLessThanOrEqual(300);
      expect(graphemeLength(a.label!)).toBeGreaterThan(0);
      expect(graphemeLength(a.label!)).toBeLessThanOrEqual(20);
      expect(a.displayText!.length).toBeGreaterThan(0);
      expect(a.displayText!.length).toBeLessThanOrEqual(300);
    }
    expect(postbacks().map((a) => a.label)).toEqual([
      'あなたに合うサービス',
      '預けたい',
      'お金・手当',
      '健診・予防接種',
      '妊娠・出産',
      '相談したい',
      '担当者と話す',
      'Language / 言語',
    ]);
  });

  it('offers the guide first, then exactly what the menu quick replies offer, then the language quick reply (one vocabulary, no drift)', async () => {
    const asAction = (q: ReturnType<typeof menuQuickReplies>[number]) =>
      'postback' in q ? { label: q.label, data: q.postback, displayText: q.displayText } : q;
    const [guide, ...rest] = postbacks().map((a) => ({ label: a.label, data: a.data, displayText: a.displayText }));
    // The guide is the menu's extra: the bot's own start button, word for word.
    expect(guide).toEqual(asAction(guideStartButton));
    expect(guide).toEqual({ label: 'あなたに合うサービス', data: 'a=guide&s=start', displayText: '自分に合うサービスを知りたい' });
    const language = (await getCore()).concierge.voiceFor(undefined).languageButton;
    expect(rest).toEqual([...menuQuickReplies(), language].map(asAction));
    expect(rest.at(-1)).toEqual({ label: 'Language / 言語', data: 'a=lang', displayText: 'Language / 言語' });
    expect(richMenuTiles().map((t) => t.kind)).toEqual(['guide', 'topic', 'topic', 'topic', 'topic', 'topic', 'handoff', 'language']);
  });

  it('draws what the action says: each tile title starts with its label; the banner promises as many questions as the guide asks', () => {
    for (const t of richMenuTiles()) expect(t.title.startsWith(t.label), t.title).toBe(true);
    expect(richMenuTiles()[0]).toMatchObject({ title: 'あなたに合うサービスをさがす', sub: '3つの質問でご案内します' });
    expect(GUIDE_BANNER.sub).toBe('3つの質問でご案内します');
  });

  it('every postback is understood by the real conversation core', async () => {
    const { concierge } = await getCore();
    for (const a of postbacks()) {
      const p = new URLSearchParams(a.data!);
      const turn = concierge.respond({ kind: 'postback', data: a.data! }, emptyState(), Date.now());
      if (p.get('a') === 'handoff') {
        expect(turn.decision.action, a.label).toBe('handoff');
        continue;
      }
      if (p.get('a') === 'guide') {
        // The banner starts the guided consultation: its first question, with the answers as buttons.
        expect(turn.decision, a.label).toMatchObject({ action: 'answer', intent: 'concierge', reason: 'guide:start' });
        expect(turn.state.guide, a.label).toMatchObject({ step: 'who' });
        expect(turn.quickReplies.length, a.label).toBeGreaterThan(1);
        continue;
      }
      if (p.get('a') === 'lang') {
        // 「Language / 言語」 lists the languages, each in its own name, as the quick reply does.
        expect(turn.decision, a.label).toMatchObject({ action: 'smalltalk', reason: 'language_menu' });
        expect(turn.quickReplies.map((q) => q.label)).toEqual(['日本語', 'やさしい にほんご', 'English', 'Tiếng Việt', '中文（简体）']);
        continue;
      }
      expect(p.get('a'), a.label).toBe('menu');
      // A topic with no knowledge entries would fall through to "unknown_postback".
      expect(turn.decision, a.label).toMatchObject({ action: 'clarify', reason: 'menu' });
      expect(turn.decision.candidates!.length, a.label).toBeGreaterThan(0);
      expect(turn.quickReplies.length, a.label).toBeGreaterThan(0);
    }
    expect(postbacks().filter((a) => new URLSearchParams(a.data!).get('a') === 'handoff')).toHaveLength(1);
    expect(postbacks().filter((a) => new URLSearchParams(a.data!).get('a') === 'guide')).toHaveLength(1);
    expect(postbacks().filter((a) => new URLSearchParams(a.data!).get('a') === 'lang')).toHaveLength(1);
  });
});

describe('a rich menu per language', () => {
  it('is drawn from the language’s copy, valid for LINE, with the same postbacks as the Japanese menu', async () => {
    const core = await getCore();
    for (const code of ['ja-easy', 'en', 'vi', 'zh']) {
      const request = richMenuRequest({ code, t: copyLookupFor(core.kb, code) });
      expect(lineRequestProblems('RichMenuRequest', request), code).toEqual([]);
      expect(request.name, code).toMatch(new RegExp(`^${RICH_MENU_NAME_PREFIX}@${code}-[0-9a-f]{12}$`));
      expect(richMenuLanguage(request.name), code).toBe(code);
      // Publishing the Japanese default never deletes a language's menu, and one language's never another's.
      expect(isOurRichMenu(request.name), code).toBe(false);
      expect(isOurRichMenu(request.name, code), code).toBe(true);
      const actions = (request.areas ?? []).map((a) => a.action as messagingApi.PostbackAction);
      expect(actions.map((a) => a.data)).toEqual(postbacks().map((a) => a.data));
      for (const a of actions) expect(graphemeLength(a.label!), `${code} ${a.label}`).toBeLessThanOrEqual(20);
      expect(graphemeLength(request.chatBarText ?? ''), code).toBeLessThanOrEqual(14);
    }
    const en = richMenuTiles({ code: 'en', t: copyLookupFor(core.kb, 'en') });
    expect(en.map((t) => t.title)).toEqual([
      'Find services for you',
      'Childcare',
      'Money & allowances',
      'Check-ups & vaccines',
      'Pregnancy & birth',
      'Get advice',
      'Talk to staff',
      'Language / 言語',
    ]);
    expect(en[0]!.sub).toBe('3 questions to guide you');
    expect(richMenuLanguage(menu.name)).toBe('ja');
    expect(richMenuLanguage('campaign-2026')).toBeUndefined();
  });
});

describe('publishRichMenu against the LINE API stub (api.line.me + api-data.line.me)', () => {
  const state: RichMenuState = newRichMenuState();
  let api: LineStub;
  let data: LineStub;
  let script: StubRoute | undefined;
  let client: messagingApi.MessagingApiClient;
  let blobClient: messagingApi.MessagingApiBlobClient;
  const logs: string[] = [];
  const logger: PublishLogger = {
    info: (f, m) => void logs.push(`${m} ${JSON.stringify(f)}`),
    warn: (f, m) => void logs.push(`WARN ${m} ${JSON.stringify(f)}`),
  };
  const png = fakePng(W, H);
  /** The rich menu calls in order, across both hosts, e.g. 'POST data /v2/bot/richmenu/<id>/content'. */
  const sequence = () => state.log.map((l) => `${l.method} ${l.host} ${l.path}`);

  beforeAll(async () => {
    api = await startLineStub((c, all) => script?.(c, all), { host: 'api', richMenus: state });
    data = await startLineStub((c, all) => script?.(c, all), { host: 'data', richMenus: state });
    client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: api.baseURL });
    blobClient = new messagingApi.MessagingApiBlobClient({ channelAccessToken: TOKEN, baseURL: data.baseURL });
  });

  beforeEach(() => {
    script = undefined;
    state.menus.clear();
    state.log.length = 0;
    state.defaultId = undefined;
    for (const s of [api, data]) {
      s.calls.length = 0;
      s.invalid.length = 0;
    }
    logs.length = 0;
  });

  afterAll(async () => {
    await api.close();
    await data.close();
  });

  /** Two menus of ours (one of them the current default) and one made by someone else. */
  function seed() {
    const current = seedRichMenu(state, { ...menu, name: `${RICH_MENU_NAME_PREFIX}-000000000000` }, { isDefault: true });
    const stale = seedRichMenu(state, { ...menu, name: `${RICH_MENU_NAME_PREFIX}-111111111111` });
    const foreign = seedRichMenu(state, { ...menu, name: 'campaign-2026' });
    return { current, stale, foreign };
  }

  it('validates, creates, uploads the image to the data API, sets the default, then deletes only our older menus', async () => {
    const { current, stale, foreign } = seed();
    const result = await publishRichMenu({ client, blobClient, image: png, logger });
    const id = result.richMenuId;

    expect(sequence()).toEqual([
      'POST api /v2/bot/richmenu/validate',
      'POST api /v2/bot/richmenu',
      `POST data /v2/bot/richmenu/${id}/content`,
      `POST api /v2/bot/user/all/richmenu/${id}`,
      'GET api /v2/bot/richmenu/list',
      `DELETE api /v2/bot/richmenu/${current}`,
      `DELETE api /v2/bot/richmenu/${stale}`,
    ]);
    expect(state.log.every((l) => l.status === 200)).toBe(true);
    expect(result).toEqual({ richMenuId: id, name: menu.name, imageBytes: png.length, contentType: 'image/png', deleted: [current, stale], notDeleted: [] });

    const upload = data.calls[0]!;
    expect(upload.headers['content-type']).toBe('image/png');
    expect(upload.bytes.equals(png)).toBe(true);
    expect(api.calls.find((c) => c.path === '/v2/bot/richmenu')!.body).toEqual(menu);
    for (const c of [...api.calls, ...data.calls]) expect(c.headers.authorization).toBe(`Bearer ${TOKEN}`);

    expect(state.defaultId).toBe(id);
    expect([...state.menus.keys()].sort()).toEqual([foreign, id].sort());
    expect(state.menus.get(id)!.image).toEqual({ contentType: 'image/png', bytes: png.length });
    expect([...api.invalid, ...data.invalid]).toEqual([]);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('publishes a language’s menu without making it the default, deleting only that language’s older menus', async () => {
    const { current, stale, foreign } = seed();
    const enOld = seedRichMenu(state, { ...menu, name: `${RICH_MENU_NAME_PREFIX}@en-000000000000` });
    const viMenu = seedRichMenu(state, { ...menu, name: `${RICH_MENU_NAME_PREFIX}@vi-000000000000` });
    const enMenu = { ...menu, name: `${RICH_MENU_NAME_PREFIX}@en-222222222222` };
    const result = await publishRichMenu({ client, blobClient, image: png, logger, menu: enMenu, language: 'en' });
    expect(sequence()).not.toContain(`POST api /v2/bot/user/all/richmenu/${result.richMenuId}`);
    expect(state.defaultId).toBe(current);
    expect(result.deleted).toEqual([enOld]);
    expect([...state.menus.keys()].sort()).toEqual([current, stale, foreign, viMenu, result.richMenuId].sort());
  });

  it('sends a JPEG as image/jpeg', async () => {
    const jpeg = fakeJpeg(W, H);
    const result = await publishRichMenu({ client, blobClient, image: jpeg, logger });
    expect(result.contentType).toBe('image/jpeg');
    expect(data.calls[0]!.headers['content-type']).toBe('image/jpeg');
    expect(state.defaultId).toBe(result.richMenuId);
  });

  it('when the upload fails: the new menu is deleted, never made default, and the old one stays default', async () => {
    const { current, stale, foreign } = seed();
    script = (c) => (c.path.endsWith('/content') ? { status: 500, body: { message: 'Internal error' } } : undefined);

    const error = await publishRichMenu({ client, blobClient, image: png, logger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RichMenuPublishError);
    expect(error).toMatchObject({ step: 'upload', leftOver: undefined });
    expect(String((error as Error).message)).toMatch(/upload failed: HTTP 500/);

    const id = /^\/v2\/bot\/richmenu\/(richmenu-[0-9a-f]+)\/content$/.exec(data.calls[0]!.path)![1]!;
    expect(sequence()).toEqual([
      'POST api /v2/bot/richmenu/validate',
      'POST api /v2/bot/richmenu',
      `POST data /v2/bot/richmenu/${id}/content`,
      `DELETE api /v2/bot/richmenu/${id}`,
    ]);
    expect(sequence().some((s) => s.includes('/v2/bot/user/all/richmenu'))).toBe(false);
    expect(state.defaultId).toBe(current);
    expect([...state.menus.keys()].sort()).toEqual([current, stale, foreign].sort());
  });

  it('when setting the default fails: the new menu is deleted and nothing else changes', async () => {
    const { current, stale, foreign } = seed();
    script = (c) => (c.path.startsWith('/v2/bot/user/all/richmenu/') ? { status: 429, body: { message: 'Too many requests' } } : undefined);

    await expect(publishRichMenu({ client, blobClient, image: png, logger })).rejects.toMatchObject({ step: 'setDefault' });
    expect(sequence().map((s) => s.replace(/richmenu-[0-9a-f]+/, 'NEW'))).toEqual([
      'POST api /v2/bot/richmenu/validate',
      'POST api /v2/bot/richmenu',
      'POST data /v2/bot/richmenu/NEW/content',
      'POST api /v2/bot/user/all/richmenu/NEW',
      'DELETE api /v2/bot/richmenu/NEW',
    ]);
    expect(state.defaultId).toBe(current);
    expect([...state.menus.keys()].sort()).toEqual([current, stale, foreign].sort());
  });

  it('reports a half-made menu it could not delete', async () => {
    script = (c) => (c.path.endsWith('/content') || c.method === 'DELETE' ? { status: 500, body: { message: 'Internal error' } } : undefined);
    const error = (await publishRichMenu({ client, blobClient, image: png, logger }).catch((e: unknown) => e)) as RichMenuPublishError;
    expect(error.leftOver).toMatch(/^richmenu-/);
    expect(error.message).toContain(error.leftOver!);
  });

  it('keeps going when an older menu cannot be deleted: the new one is live', async () => {
    const { current, stale } = seed();
    script = (c) => (c.method === 'DELETE' && c.path.endsWith(current) ? { status: 500, body: { message: 'Internal error' } } : undefined);
    const result = await publishRichMenu({ client, blobClient, image: png, logger });
    expect(result.deleted).toEqual([stale]);
    expect(result.notDeleted).toEqual([current]);
    expect(state.defaultId).toBe(result.richMenuId);
    expect(logs.some((l) => l.startsWith('WARN could not delete rich menu'))).toBe(true);
  });

  it('stops at validation when LINE rejects the definition; nothing is created', async () => {
    const bad = { ...menu, chatBarText: 'とても長いチャットバーのテキストです' };
    await expect(publishRichMenu({ client, blobClient, image: png, logger, menu: bad })).rejects.toMatchObject({ step: 'validate' });
    expect(sequence()).toEqual(['POST api /v2/bot/richmenu/validate']);
    expect(api.invalid.join()).toMatch(/chatBarText/);
  });

  it('refuses an image of the wrong size or format before calling LINE at all', async () => {
    await expect(publishRichMenu({ client, blobClient, image: fakePng(2500, 843), logger })).rejects.toThrow(/2500×843, the menu is 2500×1686/);
    await expect(publishRichMenu({ client, blobClient, image: Buffer.from('GIF89a'), logger })).rejects.toThrow(/neither PNG nor JPEG/);
    expect(state.log).toEqual([]);
  });
});

describe('npm run richmenu (CLI)', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const tsx = `${root}node_modules/.bin/tsx`;

  function run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
    return new Promise((resolve, reject) => {
      const child = spawn(tsx, ['scripts/richmenu.ts', ...args], { cwd: root, env: childEnv });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('explains in Japanese and English when the token is missing', async () => {
    const r = await run(['--dry-run'], { LINE_CHANNEL_ACCESS_TOKEN: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LINE_CHANNEL_ACCESS_TOKEN が設定されていません');
    expect(r.stderr).toContain('LINE_CHANNEL_ACCESS_TOKEN is not set');
  });

  it('--dry-run prints the definition and only validates it', async () => {
    const stub = await startLineStub();
    try {
      const r = await run(['--dry-run'], { LINE_CHANNEL_ACCESS_TOKEN: TOKEN, LINE_API_BASE_URL: stub.baseURL, LINE_DATA_API_BASE_URL: stub.baseURL });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`"name": "${menu.name}"`);
      expect(r.stdout).toContain('LINE accepted the definition');
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(stub.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /v2/bot/richmenu/validate']);
      expect(stub.invalid).toEqual([]);
    } finally {
      await stub.close();
    }
  });
});
