import YAML from 'yaml';
import type { KnowledgeService } from './service.js';
import { patchIntentYaml } from '../../core/knowledge/editing/yaml-patch.js';

/**
 * Adds a question parents asked as an example phrase of an intent, and publishes it through the same checks as any
 * edit (it must still land on that intent; the development-set floor must hold).
 */
export async function addExample(
  knowledge: Pick<KnowledgeService, 'store' | 'publisher'>,
  intent: string,
  text: string,
  staff: { id: string; name: string },
): Promise<{ ok: boolean; message: string }> {
  const n = await knowledge.store.current();
  const version = n === undefined ? undefined : await knowledge.store.get(n);
  const path = `intents/${intent}.yaml`;
  const file = version?.files[path];
  if (!version || file === undefined) return { ok: false, message: `${intent} の例文ファイルがありません` };
  const examples = (YAML.parse(file) as { examples?: string[] }).examples ?? [];
  if (examples.includes(text)) return { ok: false, message: 'この例文はすでに登録されています' };
  const files = { ...version.files, [path]: patchIntentYaml(file, { examples: [...examples, text] }) };
  const result = await knowledge.publisher.publish(files, staff.id, `答えられなかった質問を「${intent}」の例文に追加`, { base: n! });
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
  if (result.status === 'stale') return { ok: false, message: 'ほかの人が同時に更新しました。もう一度お試しください' };
  return { ok: false, message: '変更がありませんでした' };
}
