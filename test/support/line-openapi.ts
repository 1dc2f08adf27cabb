import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

/**
 * Validates JSON we send to LINE against LINE's own OpenAPI spec (test/fixtures/line-openapi/messaging-api.yml), with the
 * discriminator adapter of docs/line-platform.md 5.3, plus the documented limits the spec cannot express
 * (UTF-16 text length, grapheme-counted labels, bubble size). Webhook bodies as LINE sends them (the local
 * simulator builds those) are checked against test/fixtures/line-openapi/webhook.yml the same way. The specs are
 * copied unchanged from line/line-openapi with their Apache-2.0 licence (see SOURCE.txt there), so a fresh clone
 * tests against them without anything beside the repository.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/** The repository root (test/support → ../../). */
const REPO_ROOT = new URL('../../', import.meta.url);
export const MESSAGING_API_SPEC = fileURLToPath(new URL('test/fixtures/line-openapi/messaging-api.yml', REPO_ROOT));
export const WEBHOOK_SPEC = fileURLToPath(new URL('test/fixtures/line-openapi/webhook.yml', REPO_ROOT));

// ajv-formats is CommonJS; depending on interop its function sits at .default or .default.default.
type AddFormats = (ajv: Ajv) => Ajv;
const fm = ajvFormats as unknown as { default: AddFormats & { default?: AddFormats } };
const addFormats: AddFormats = fm.default.default ?? fm.default;

const P = '#/components/schemas/';
const OPENAPI_ONLY = new Set(['example', 'examples', 'externalDocs', 'discriminator', 'xml', 'nullable']);

const isSchema = (n: Json | undefined): n is Schema => typeof n === 'object' && n !== null && !Array.isArray(n);

function clean(n: Json): Json {
  if (Array.isArray(n)) return n.map(clean);
  if (!isSchema(n)) return n;
  return Object.fromEntries(
    Object.entries(n)
      .filter(([k]) => !OPENAPI_ONLY.has(k) && !k.startsWith('x-'))
      .map(([k, v]) => [k, clean(v)]),
  );
}

function child(s: Json | undefined, ...path: (string | number)[]): Schema {
  let cur: Json | undefined = s;
  for (const key of path) cur = Array.isArray(cur) ? cur[key as number] : isSchema(cur) ? cur[key as string] : undefined;
  if (!isSchema(cur)) throw new Error(`spec has no object at ${path.join('/')}`);
  return cur;
}

/**
 * Compiles every schema of an OpenAPI file into ajv, turning each `discriminator` into explicit
 * `if type == X then $ref X` branches. `closed`: unknown discriminator values fail (use for what we send).
 */
export function lineSchemaValidator(specFile: string, closed = true): (schema: string) => ValidateFunction {
  const doc = YAML.parse(readFileSync(specFile, 'utf8')) as Json;
  const src = child(doc, 'components', 'schemas');
  const out: Schema = Object.fromEntries(Object.entries(src).map(([k, v]) => [k, clean(v)]));
  for (const [name, s] of Object.entries(src)) {
    if (!isSchema(s) || !isSchema(s.discriminator) || !isSchema(s.discriminator.mapping)) continue;
    const propertyName = String(s.discriminator.propertyName);
    const mapping = s.discriminator.mapping as Record<string, string>;
    out[`${name}__base`] = out[name]!;
    for (const target of Object.values(mapping)) {
      const allOf = child(out, target.slice(P.length)).allOf;
      if (Array.isArray(allOf)) for (const part of allOf) if (isSchema(part) && part.$ref === P + name) part.$ref = `${P}${name}__base`;
    }
    const branches: Json[] = Object.entries(mapping).map(([v, t]) => ({
      if: { properties: { [propertyName]: { const: v } }, required: [propertyName] },
      then: { $ref: t },
    }));
    out[name] = {
      allOf: [{ $ref: `${P}${name}__base` }, ...branches, ...(closed ? [{ properties: { [propertyName]: { enum: Object.keys(mapping) } } }] : [])],
    };
  }
  if (out.TextMessage) {
    // Documented limits the spec does not carry (docs section 4). Text length is re-checked in UTF-16 below.
    child(out, 'TextMessage', 'allOf', 1, 'properties', 'text').maxLength = 5000;
    child(out, 'FlexMessage', 'allOf', 1, 'properties', 'altText').maxLength = 1500;
    child(out, 'FlexCarousel', 'allOf', 1, 'properties', 'contents').maxItems = 12;
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: Number.isInteger });
  ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('binary', () => true);
  ajv.addSchema({ $id: 'line', components: { schemas: out } });
  return (schema: string) => {
    const v = ajv.getSchema(`line${P}${schema}`);
    if (!v) throw new Error(`no schema ${schema} in ${specFile}`);
    return v;
  };
}

let cached: ((schema: string) => ValidateFunction) | undefined;
/** The messaging-api.yml validator, compiled once per test file (≈0.7 s). */
export function messagingApiValidator(): (schema: string) => ValidateFunction {
  cached ??= lineSchemaValidator(MESSAGING_API_SPEC, true);
  return cached;
}

let cachedWebhook: ((schema: string) => ValidateFunction) | undefined;
/** The webhook.yml validator (what LINE sends us), compiled once per test file. */
export function webhookValidator(): (schema: string) => ValidateFunction {
  cachedWebhook ??= lineSchemaValidator(WEBHOOK_SPEC, true);
  return cachedWebhook;
}

const segmenter = new Intl.Segmenter('ja', { granularity: 'grapheme' });
const graphemeCount = (s: string) => [...segmenter.segment(s)].length;

/** Limits LINE documents but ajv cannot check (UTF-16 units, grapheme labels, bubble bytes). */
function documentedLimits(message: Json, at: string): string[] {
  const problems: string[] = [];
  if (!isSchema(message)) return problems;
  if (message.type === 'text' && typeof message.text === 'string' && message.text.length > 5000)
    problems.push(`${at}/text: ${message.text.length} UTF-16 units > 5000`);
  const items = isSchema(message.quickReply) && Array.isArray(message.quickReply.items) ? message.quickReply.items : [];
  items.forEach((item, i) => {
    const label = isSchema(item) && isSchema(item.action) ? item.action.label : undefined;
    if (typeof label !== 'string' || graphemeCount(label) < 1 || graphemeCount(label) > 20)
      problems.push(`${at}/quickReply/items/${i}/action/label: must be 1–20 graphemes, got ${JSON.stringify(label)}`);
  });
  if (message.type === 'flex' && isSchema(message.contents)) {
    const bytes = Buffer.byteLength(JSON.stringify(message.contents), 'utf8');
    if (message.contents.type === 'bubble' && bytes > 30 * 1024) problems.push(`${at}/contents: bubble is ${bytes} bytes > 30 KB`);
    const walk = (n: Json, path: string) => {
      if (Array.isArray(n)) n.forEach((x, i) => walk(x, `${path}/${i}`));
      else if (isSchema(n)) {
        if (n.type === 'button' && isSchema(n.action) && typeof n.action.label === 'string' && graphemeCount(n.action.label) > 40)
          problems.push(`${path}/action/label: ${graphemeCount(n.action.label)} graphemes > 40`);
        for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
      }
    };
    walk(message.contents, `${at}/contents`);
  }
  return problems;
}

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);

/**
 * Rich menu rules from LINE's "Rich menu object" reference that the spec leaves out: every top-level field is
 * required, the size range and aspect ratio, at most 20 areas each inside the menu, rich-menu action labels of at
 * most 20 graphemes, displayText ≤ 300.
 */
export function richMenuProblems(body: unknown): string[] {
  if (!isSchema(body as Json)) return ['/: rich menu must be an object'];
  const m = body as Schema;
  const problems = ['size', 'selected', 'name', 'chatBarText', 'areas'].filter((k) => m[k] === undefined).map((k) => `/${k}: required`);
  const size = isSchema(m.size) ? m.size : undefined;
  const w = typeof size?.width === 'number' ? size.width : 0;
  const h = typeof size?.height === 'number' ? size.height : 0;
  if (size && (w < 800 || w > 2500 || h < 250 || w / h < 1.45)) problems.push(`/size: ${w}×${h} must be 800–2500 wide, ≥ 250 high, width/height ≥ 1.45`);
  const areas = Array.isArray(m.areas) ? m.areas : [];
  if (Array.isArray(m.areas) && (areas.length < 1 || areas.length > 20)) problems.push(`/areas: ${areas.length} areas, must be 1–20`);
  areas.forEach((area, i) => {
    const b = isSchema(area) && isSchema(area.bounds) ? area.bounds : undefined;
    const n = (k: string) => (typeof b?.[k] === 'number' ? (b[k] as number) : Number.NaN);
    if (!b || !(n('x') + n('width') <= w && n('y') + n('height') <= h)) problems.push(`/areas/${i}/bounds: missing or outside the ${w}×${h} menu`);
    const action = isSchema(area) && isSchema(area.action) ? area.action : undefined;
    if (!action) problems.push(`/areas/${i}/action: required`);
    if (typeof action?.label === 'string' && graphemeCount(action.label) > 20)
      problems.push(`/areas/${i}/action/label: ${graphemeCount(action.label)} graphemes > 20`);
    if (typeof action?.displayText === 'string' && action.displayText.length > 300)
      problems.push(`/areas/${i}/action/displayText: ${action.displayText.length} chars > 300`);
  });
  return problems;
}

/** Problems with one request body for a schema such as 'ReplyMessageRequest'; [] when LINE would accept it. */
export function lineRequestProblems(schema: string, body: unknown): string[] {
  const v = messagingApiValidator()(schema);
  const problems = v(body) ? [] : describe(v.errors);
  const messages = isSchema(body as Json) ? (body as Schema).messages : undefined;
  if (Array.isArray(messages)) messages.forEach((m, i) => problems.push(...documentedLimits(m, `/messages/${i}`)));
  if (schema === 'RichMenuRequest') problems.push(...richMenuProblems(body));
  return problems;
}

/** Problems with a list of messages as they would be sent in a reply; [] when LINE would accept them. */
export function lineMessagesProblems(messages: unknown[]): string[] {
  return lineRequestProblems('ReplyMessageRequest', { replyToken: 'x'.repeat(32), messages });
}

/**
 * Problems with a webhook request body as LINE would send it ('CallbackRequest' by default); [] when it matches
 * webhook.yml, including the discriminated event, source and message-content types.
 */
export function webhookProblems(body: unknown, schema = 'CallbackRequest'): string[] {
  const v = webhookValidator()(schema);
  return v(body) ? [] : describe(v.errors);
}
