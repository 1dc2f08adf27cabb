import { z } from 'zod';
import { MachineTranslationError, type MachineTranslator } from '../../app/translation/machine-translator.js';
import { postJson, type HttpTranslatorOptions } from './http-translator.js';

export const DEEPL_BASE_URL = 'https://api.deepl.com';
/** Free-plan keys end in `:fx` and must use the free endpoint. */
export const DEEPL_FREE_BASE_URL = 'https://api-free.deepl.com';

const Answer = z.object({ translations: z.array(z.object({ text: z.string() })) });

/** DeepL's /v2/translate (JSON body, `Authorization: DeepL-Auth-Key …`). */
export class DeepLTranslator implements MachineTranslator {
  readonly provider = 'deepl' as const;
  constructor(private readonly opts: HttpTranslatorOptions) {}

  static baseUrlFor(apiKey: string): string {
    return apiKey.endsWith(':fx') ? DEEPL_FREE_BASE_URL : DEEPL_BASE_URL;
  }

  async translate(texts: readonly string[], target: string, source?: string): Promise<string[]> {
    if (!texts.length) return [];
    const raw = await postJson(
      `${this.opts.baseUrl.replace(/\/$/, '')}/v2/translate`,
      { authorization: `DeepL-Auth-Key ${this.opts.apiKey}` },
      // DeepL's source codes have no regional variant (EN, not EN-US; ZH, not ZH-HANS).
      { text: texts, target_lang: target, ...(source ? { source_lang: source.split('-')[0] } : {}) },
      this.opts.timeoutMs ?? 8_000,
    );
    const parsed = Answer.safeParse(raw);
    if (!parsed.success || parsed.data.translations.length !== texts.length)
      throw new MachineTranslationError('DeepL answered in an unexpected shape', 200, false);
    return parsed.data.translations.map((t) => t.text);
  }
}
