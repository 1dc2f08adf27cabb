// Publishes the LINE rich menu (src/adapters/richmenu/richmenu.ts) with a freshly drawn image.
//   npm run richmenu                                  validate → create → upload image → set default → delete our older menus
//   npm run richmenu -- --dry-run                     print the definition and let LINE validate it; nothing is created
//   npm run richmenu -- --image-only --out FILE.png   only draw the image (no token needed)
//   npm run richmenu -- --language en                 the same for one language's menu (languages/<code>/_copy.yaml): not
//                                                     the default; the bot links it to the parents who speak the language
// Environment: LINE_CHANNEL_ACCESS_TOKEN (not for --image-only), LINE_API_BASE_URL, LINE_DATA_API_BASE_URL, CHROMIUM_PATH.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { messagingApi } from '@line/bot-sdk';
import { z } from 'zod';
import { richMenuRequest, richMenuTiles, type MenuLanguage } from '../src/adapters/richmenu/richmenu.js';
import { richMenuHtml } from '../src/adapters/richmenu/richmenu-html.js';
import { loadKnowledgeBase } from '../src/core/knowledge/load.js';
import { BASE_LANGUAGE } from '../src/core/knowledge/languages/schema.js';
import { copyLookupFor } from '../src/core/conversation/voice.js';
import { renderRichMenuImage, type RichMenuImage } from '../src/adapters/richmenu/richmenu-image.js';
import { describeLineError, publishRichMenu, validateRichMenu, type PublishLogger } from '../src/adapters/richmenu/richmenu-publish.js';

const USAGE = `usage: npm run richmenu [-- --dry-run | -- --image-only --out FILE] [--out FILE] [--language CODE]`;

/** `FOO=` in a .env file means "not set". */
const optional = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

// The SDK builds URLs with new URL(path, baseURL) and silently drops any path in the base (docs/line-platform.md 2.4).
const origin = (name: string, fallback: string) =>
  optional.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const url = URL.canParse(v) ? new URL(v) : undefined;
    if (!url || !/^https?:$/.test(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
      ctx.addIssue({ code: 'custom', message: `${name} must be scheme, host and port only, e.g. ${fallback} (got "${v}")` });
      return z.NEVER;
    }
    return url.origin;
  });

const EnvSchema = z.object({
  LINE_CHANNEL_ACCESS_TOKEN: optional,
  LINE_API_BASE_URL: origin('LINE_API_BASE_URL', 'https://api.line.me'),
  LINE_DATA_API_BASE_URL: origin('LINE_DATA_API_BASE_URL', 'https://api-data.line.me'),
  CHROMIUM_PATH: optional,
});

export const MISSING_TOKEN =
  'LINE_CHANNEL_ACCESS_TOKEN が設定されていません。LINE Developers コンソールの Messaging API タブで発行したチャネルアクセストークンを設定してください（画像だけなら --image-only --out FILE はトークン不要です）。\n' +
  'LINE_CHANNEL_ACCESS_TOKEN is not set. Set the channel access token from the Messaging API tab of the LINE Developers console (--image-only --out FILE needs no token).';

export type RichMenuEnv = z.infer<typeof EnvSchema>;

/** Throws one message listing every bad variable; values that may be secret are never echoed. */
export function parseRichMenuEnv(env: Record<string, string | undefined>, needsToken: boolean): RichMenuEnv {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  if (needsToken && parsed.success && !parsed.data.LINE_CHANNEL_ACCESS_TOKEN) problems.push(MISSING_TOKEN);
  if (!parsed.success || problems.length) throw new Error(problems.join('\n'));
  return parsed.data;
}

type Mode = 'publish' | 'dry-run' | 'image-only';

export function parseRichMenuArgs(argv: string[]): { mode: Mode; out?: string; language?: string } {
  let values: { 'dry-run'?: boolean; 'image-only'?: boolean; out?: string; language?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'dry-run': { type: 'boolean' }, 'image-only': { type: 'boolean' }, out: { type: 'string' }, language: { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
  if (values['dry-run'] && values['image-only']) throw new Error(`--dry-run and --image-only exclude each other\n${USAGE}`);
  if (values['image-only'] && !values.out) throw new Error(`--image-only needs --out FILE\n${USAGE}`);
  return {
    mode: values['image-only'] ? 'image-only' : values['dry-run'] ? 'dry-run' : 'publish',
    ...(values.out ? { out: values.out } : {}),
    ...(values.language ? { language: values.language } : {}),
  };
}

const print = (msg: string, fields: object = {}) =>
  console.log([msg, ...Object.entries(fields).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') || '-' : String(v)}`)].join('  '));
const logger: PublishLogger = { info: (fields, msg) => print(msg, fields), warn: (fields, msg) => print(`WARNING: ${msg}`, fields) };

/** Writes the image, fixing a .png/.jpg extension that does not match what was actually encoded. */
function save(image: RichMenuImage, out: string): string {
  const ext = image.format === 'png' ? '.png' : '.jpg';
  const path =
    /\.(png|jpe?g)$/i.test(out) && !out.toLowerCase().endsWith(ext) && !(ext === '.jpg' && /\.jpeg$/i.test(out)) ? out.replace(/\.(png|jpe?g)$/i, ext) : out;
  writeFileSync(path, image.data);
  return path;
}

/** The words of a language's menu, from the knowledge base's languages/ (日本語, the default menu, without one). */
function menuLanguage(code: string | undefined): MenuLanguage | undefined {
  if (code === undefined || code === BASE_LANGUAGE) return undefined;
  const { kb, problems } = loadKnowledgeBase();
  if (!kb) throw new Error(`the knowledge base has ${problems.length} problems: run npm run kb:check`);
  if (!kb.languages.has(code)) throw new Error(`no language "${code}" in languages/ (${[...kb.languages.keys()].join(', ')})`);
  return { code, t: copyLookupFor(kb, code) };
}

async function draw(chromiumPath: string | undefined, out: string | undefined, language?: MenuLanguage): Promise<RichMenuImage> {
  const html = richMenuHtml(richMenuTiles(language));
  const image = await renderRichMenuImage({ ...(chromiumPath ? { executablePath: chromiumPath } : {}), html });
  print('rich menu image drawn', { format: image.format, width: image.width, height: image.height, imageBytes: image.data.length });
  if (out) print('image written', { path: save(image, out) });
  return image;
}

async function main(argv: string[]): Promise<number> {
  const { mode, out, language: code } = parseRichMenuArgs(argv);
  const env = parseRichMenuEnv(process.env, mode !== 'image-only');
  const language = menuLanguage(code);
  if (mode === 'image-only') {
    await draw(env.CHROMIUM_PATH, out, language);
    return 0;
  }
  const channelAccessToken = env.LINE_CHANNEL_ACCESS_TOKEN!;
  const client = new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: env.LINE_API_BASE_URL });
  const menu = richMenuRequest(language);
  if (mode === 'dry-run') {
    console.log(JSON.stringify(menu, null, 2));
    await validateRichMenu(client, menu);
    print('LINE accepted the definition (nothing was created)', { name: menu.name ?? '', api: env.LINE_API_BASE_URL });
    return 0;
  }
  // Draw first: a browser problem must not leave a created menu without its image.
  const image = await draw(env.CHROMIUM_PATH, out, language);
  const blobClient = new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: env.LINE_DATA_API_BASE_URL });
  const result = await publishRichMenu({ client, blobClient, image: image.data, logger, menu, ...(language ? { language: language.code } : {}) });
  print('done', { richMenuId: result.richMenuId, name: result.name, imageBytes: result.imageBytes, contentType: result.contentType, deleted: result.deleted });
  if (result.notDeleted.length) print('WARNING: older menus left in place; delete them by hand', { notDeleted: result.notDeleted });
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : describeLineError(e));
      process.exit(1);
    },
  );
}
