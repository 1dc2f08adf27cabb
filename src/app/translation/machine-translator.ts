import type { Languages } from '../../core/knowledge/languages/load.js';
import { BASE_LANGUAGE } from '../../core/knowledge/languages/schema.js';

export const TRANSLATION_PROVIDERS = ['deepl', 'google'] as const;
export type TranslationProvider = (typeof TRANSLATION_PROVIDERS)[number];

/**
 * A machine-translation service (DeepL, Google Cloud Translation). Staff write in Japanese; a parent who reads
 * another language receives the translation labelled 「機械翻訳」, and staff see the parent's messages translated
 * beside the original. The codes are the provider's own (from each language's `_language.yaml`).
 */
export interface MachineTranslator {
  readonly provider: TranslationProvider;
  /** One translation per text, in order. Throws MachineTranslationError. */
  translate(texts: readonly string[], target: string, source?: string): Promise<string[]>;
}

/** Why a translation did not come back; `retryable` for timeouts, 429 and 5xx. Never carries the texts. */
export class MachineTranslationError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'MachineTranslationError';
  }
}

/**
 * Translates between two of the bot's languages (codes such as `ja`, `vi`) with the provider's codes for them, or
 * says why it cannot: no provider configured, or the provider has no code for one of the languages (やさしい日本語 has
 * none: staff write it themselves, with the templates).
 */
export async function translateBetween(
  translator: MachineTranslator | undefined,
  languages: Languages,
  texts: readonly string[],
  from: string,
  to: string,
): Promise<{ ok: true; texts: string[] } | { ok: false; why: 'no_provider' | 'unsupported' | 'failed'; error?: MachineTranslationError }> {
  if (!translator) return { ok: false, why: 'no_provider' };
  const target = languages.get(to)?.meta.machineTranslation[translator.provider];
  const source = languages.get(from)?.meta.machineTranslation[translator.provider];
  if (!target || !source) return { ok: false, why: 'unsupported' };
  try {
    return { ok: true, texts: await translator.translate(texts, target, source) };
  } catch (e) {
    if (e instanceof MachineTranslationError) return { ok: false, why: 'failed', error: e };
    throw e;
  }
}

/** Translation for the handoff loop: by the bot's language codes, over whichever languages the knowledge base has now. */
export function handoffTranslation(translator: MachineTranslator, languages: () => Languages) {
  const code = (language: string) => languages().get(language)?.meta.machineTranslation[translator.provider];
  return {
    supports: (language: string) => code(language) !== undefined && code(BASE_LANGUAGE) !== undefined,
    async translate(texts: readonly string[], from: string, to: string): Promise<string[]> {
      const [source, target] = [code(from), code(to)];
      if (!source || !target) throw new MachineTranslationError(`no ${translator.provider} code for ${source ? to : from}`, undefined, false);
      return translator.translate(texts, target, source);
    },
  };
}
