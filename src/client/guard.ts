import { LLMError } from '../errors/llm-error.js';
import type { Locale } from '../spec/index.js';

/** Every error leaving a public method is an `LLMError` in the client's locale. */
export function localise(error: unknown, locale: Locale): LLMError {
  const llmError = LLMError.from(error, 'GENERATION_FAILED');
  llmError.locale = locale;
  return llmError;
}

/** Runs `run`, turning what it throws into a localised `LLMError`. */
export function guard<T>(locale: Locale, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw localise(error, locale);
  }
}

/** `guard` for async work. */
export async function guardAsync<T>(locale: Locale, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw localise(error, locale);
  }
}
