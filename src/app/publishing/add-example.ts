import YAML from 'yaml';
import type { Concierge } from '../../core/conversation/concierge.js';
import type { Decision } from '../../core/conversation/types.js';
import { SMALLTALK_IDS } from '../../core/knowledge/schema.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { patchIntentYaml } from '../../core/knowledge/editing/yaml-patch.js';
import { runCases } from '../evaluation/run-cases.js';
import type { CheckReport } from './publisher.js';
import type { KnowledgeService } from './service.js';

type Knowledge = Pick<KnowledgeService, 'store' | 'publisher'>;

/** How the bot meets a question: what it does with it, in one word the console can put into staff's language. */
export async function decideOne(concierge: Concierge, text: string): Promise<Decision> {
  const [decision] = await runCases(concierge, [{ id: 'q', text }]);
  return decision!;
}

/**
 * Why a question must never become an example phrase, or undefined when it may: a call for help (emergency), a
 * request for a person, or small talk would teach an answer intent to swallow exactly the messages that must not be
 * answered with a card.
 */
export function exampleRefusal(decision: Decision): string | undefined {
  if (decision.action === 'emergency') return '緊急の相談として扱われる言葉なので、例文にはできません';
  if (decision.action === 'handoff' && decision.reason === 'requested') return '担当者への取り次ぎを頼む言葉なので、例文にはできません';
  if (decision.action === 'smalltalk' || (SMALLTALK_IDS as readonly string[]).includes(decision.intent ?? ''))
    return 'あいさつ・お礼などの言葉なので、例文にはできません';
  return undefined;
}

/** The knowledge base with `text` added to `intent`'s examples, on top of the newest version. */
async function withExample(knowledge: Knowledge, intent: string, text: string): Promise<{ base: number; files: KnowledgeFiles } | { error: string }> {
  const n = await knowledge.store.current();
  const version = n === undefined ? undefined : await knowledge.store.get(n);
  const path = `intents/${intent}.yaml`;
  const file = version?.files[path];
  if (!version || file === undefined) return { error: '追加先のサービスが見つかりません' };
  const examples = (YAML.parse(file) as { examples?: string[] }).examples ?? [];
  if (examples.includes(text)) return { error: 'この例文はすでに登録されています' };
  return { base: version.n, files: { ...version.files, [path]: patchIntentYaml(file, { examples: [...examples, text] }) } };
}

export interface ExampleCheck {
  ok: boolean;
  /** Why it cannot be added at all (already there, an emergency phrase, …). */
  refusal?: string;
  /** The version the check was made on: publishing sends it back, and is refused if another went live meanwhile. */
  base?: number;
  /** What the bot does with the question today, and would do with the example added. */
  now?: Decision;
  after?: Decision;
  report?: CheckReport;
}

/**
 * Step one of learning from an unanswered question: the same checks as any edit, and how the bot would answer the
 * question afterwards — shown to staff before anything goes live.
 */
export async function checkExample(knowledge: Knowledge, live: Concierge, intent: string, text: string): Promise<ExampleCheck> {
  const now = await decideOne(live, text);
  const refusal = exampleRefusal(now);
  if (refusal) return { ok: false, refusal, now };
  const draft = await withExample(knowledge, intent, text);
  if ('error' in draft) return { ok: false, refusal: draft.error, now };
  const report = await knowledge.publisher.check(draft.files);
  const after = report.core ? await decideOne(report.core.concierge, text) : undefined;
  return { ok: report.ok, base: draft.base, now, ...(after ? { after } : {}), report };
}

/**
 * Step two: publishes the example through the same checks, on the version staff saw checked (`base`); if another
 * version went live meanwhile, nothing is published and staff check again.
 */
export async function addExample(
  knowledge: Knowledge,
  live: Concierge,
  intent: string,
  text: string,
  staff: { id: string; name: string },
  base: number,
): Promise<{ ok: boolean; message: string }> {
  const refusal = exampleRefusal(await decideOne(live, text));
  if (refusal) return { ok: false, message: refusal };
  const draft = await withExample(knowledge, intent, text);
  if ('error' in draft) return { ok: false, message: draft.error };
  if (draft.base !== base) return { ok: false, message: '確認している間に別の版が公開されました。もう一度確認してください' };
  const result = await knowledge.publisher.publish(draft.files, staff.id, `答えられなかった質問を「${intent}」の例文に追加`, { base });
  if (result.status === 'published') return { ok: true, message: `第${result.version.n}版として公開しました` };
  if (result.status === 'refused')
    return {
      ok: false,
      message:
        result.report.problems
          .map((p) => p.message)
          .slice(0, 3)
          .join(' / ') || '開発用の質問で正解率が下がるため公開できませんでした',
    };
  if (result.status === 'stale') return { ok: false, message: '確認している間に別の版が公開されました。もう一度確認してください' };
  return { ok: false, message: '変更がありませんでした' };
}
