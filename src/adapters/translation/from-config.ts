import type { MachineTranslator, TranslationProvider } from '../../app/translation/machine-translator.js';
import { DeepLTranslator } from './deepl.js';
import { GOOGLE_TRANSLATE_BASE_URL, GoogleTranslator } from './google.js';

export interface TranslationSettings {
  translationProvider?: TranslationProvider;
  translationApiKey?: string;
  translationApiUrl?: string;
}

/** The machine translator TRANSLATION_PROVIDER names, or none. The key is only ever handed to the provider. */
export function translatorFromConfig(config: TranslationSettings): MachineTranslator | undefined {
  const { translationProvider: provider, translationApiKey: apiKey, translationApiUrl: url } = config;
  if (!provider || !apiKey) return undefined;
  if (provider === 'deepl') return new DeepLTranslator({ apiKey, baseUrl: url ?? DeepLTranslator.baseUrlFor(apiKey) });
  return new GoogleTranslator({ apiKey, baseUrl: url ?? GOOGLE_TRANSLATE_BASE_URL });
}
