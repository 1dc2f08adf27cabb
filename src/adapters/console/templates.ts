import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RedisClient } from '../stores/redis-client.js';
import { parseStored } from '../stores/stored-json.js';

/**
 * Canned replies staff write once and insert into the reply box. They hold no one's data, so they are kept until
 * removed; the number of them is bounded instead.
 */
export const MAX_TEMPLATES = 50;
export const TITLE_MAX = 30;
export const TEXT_MAX = 1000;

export const Template = z.object({
  id: z.string().uuid(),
  title: z.string().min(1).max(TITLE_MAX),
  text: z.string().min(1).max(TEXT_MAX),
  updatedAt: z.number(),
  /** Account id of who wrote or last changed it. */
  updatedBy: z.string(),
});
export type Template = z.infer<typeof Template>;

/** What a staff member submits; the same checks for a new template and a change. */
export const TemplateInput = z.object({
  title: z.string().trim().min(1, 'タイトルを入力してください。').max(TITLE_MAX, `タイトルは${TITLE_MAX}文字までです。`),
  // Line endings from a form are CRLF; the reply box and LINE want LF.
  text: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v),
    z.string().trim().min(1, '本文を入力してください。').max(TEXT_MAX, `本文は${TEXT_MAX}文字までです。`),
  ),
});
export type TemplateInput = z.infer<typeof TemplateInput>;

export interface TemplateStore {
  /** By title. */
  list(): Promise<Template[]>;
  get(id: string): Promise<Template | undefined>;
  /** False when there are already MAX_TEMPLATES. */
  create(input: TemplateInput, by: string, at: number): Promise<Template | undefined>;
  update(id: string, input: TemplateInput, by: string, at: number): Promise<Template | undefined>;
  remove(id: string): Promise<boolean>;
}

const byTitle = (a: Template, b: Template) => a.title.localeCompare(b.title, 'ja') || a.id.localeCompare(b.id);

export class MemoryTemplateStore implements TemplateStore {
  private readonly items = new Map<string, Template>();

  async list() {
    return [...this.items.values()].sort(byTitle);
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async create(input: TemplateInput, by: string, at: number) {
    if (this.items.size >= MAX_TEMPLATES) return undefined;
    const t: Template = { id: randomUUID(), ...input, updatedAt: at, updatedBy: by };
    this.items.set(t.id, t);
    return t;
  }
  async update(id: string, input: TemplateInput, by: string, at: number) {
    if (!this.items.has(id)) return undefined;
    const t: Template = { id, ...input, updatedAt: at, updatedBy: by };
    this.items.set(id, t);
    return t;
  }
  async remove(id: string) {
    return this.items.delete(id);
  }
}

// Adds a template only while fewer than the limit exist, atomically (two instances cannot both add the last one).
const CREATE = `if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;
// Changes a template only if it still exists (not re-created after another staff member removed it).
const UPDATE = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** One hash of every template, shared by all instances; a single key, so one Cluster slot. */
export class RedisTemplateStore implements TemplateStore {
  private readonly key: string;

  constructor(private readonly opts: { redis: RedisClient; prefix?: string }) {
    this.key = `${opts.prefix ?? 'kc:'}console:templates`;
  }

  async list() {
    const raw = await this.opts.redis.hvals(this.key);
    return raw
      .map((r) => parseStored(Template, r))
      .filter((t): t is Template => !!t)
      .sort(byTitle);
  }
  async get(id: string) {
    return parseStored(Template, await this.opts.redis.hget(this.key, id));
  }
  async create(input: TemplateInput, by: string, at: number) {
    const t: Template = { id: randomUUID(), ...input, updatedAt: at, updatedBy: by };
    const ok = await this.opts.redis.eval(CREATE, 1, this.key, t.id, JSON.stringify(t), String(MAX_TEMPLATES));
    return ok === 1 ? t : undefined;
  }
  async update(id: string, input: TemplateInput, by: string, at: number) {
    const t: Template = { id, ...input, updatedAt: at, updatedBy: by };
    const ok = await this.opts.redis.eval(UPDATE, 1, this.key, id, JSON.stringify(t));
    return ok === 1 ? t : undefined;
  }
  async remove(id: string) {
    return (await this.opts.redis.hdel(this.key, id)) > 0;
  }
}
