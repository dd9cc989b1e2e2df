import { LLMError } from '../errors/llm-error.js';
import type { CallOptions, ConfigBuilderLike } from './options.js';

/** Options each call accepts (a misspelt option is an error, not a silent default). */
export const CHAT_OPTION_KEYS: ReadonlySet<string> = new Set([
  'model',
  'signal',
  'timeoutMs',
  'instruction',
  'tools',
  'toolChoice',
  'config',
  'maxToolRounds',
  'runContext',
  'toolHooks',
  'fetchRemoteMedia',
  'validateResponse',
]);
export const STRUCTURED_OPTION_KEYS: ReadonlySet<string> = new Set([
  'model',
  'signal',
  'timeoutMs',
  'config',
  'strategy',
  'jsonMode',
  'maxValidationRetries',
  'validationCallback',
  'errorPromptTemplate',
  'errorPromptLocale',
  'promptLocale',
  'autoThinking',
  'instruction',
  'schemaName',
  'fetchRemoteMedia',
  'tools',
  'toolChoice',
  'maxToolRounds',
  'runContext',
  'toolHooks',
]);
export const EMBED_OPTION_KEYS: ReadonlySet<string> = new Set(['model', 'signal', 'timeoutMs', 'config']);
export const IMAGE_OPTION_KEYS: ReadonlySet<string> = new Set([
  'model',
  'signal',
  'timeoutMs',
  'images',
  'config',
  'fetchRemoteMedia',
  'validateResponse',
]);

/** Throws `INVALID_PARAMETER` for options that are not an object or name an unknown option. */
export function checkCallOptions(options: unknown, allowed: ReadonlySet<string>, path = 'options'): void {
  if (options == null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new LLMError('INVALID_PARAMETER', `${path}: must be an options object`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `${path}.${key}: unknown option (known: ${[...allowed].join(', ')}); generation settings go in \`config\``,
      );
    }
  }
}

/** A `GenConfigBuilder` (or anything with `build()`), rather than a plain config. */
export function isBuilder(value: unknown): value is ConfigBuilderLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as ConfigBuilderLike).build === 'function'
  );
}

/** Just `model`, `signal` and `timeoutMs` of `options` (for calls made on a caller's behalf). */
export function baseCallOptions(options: CallOptions): CallOptions {
  const out: CallOptions = {};
  if (options.model != null) out.model = options.model;
  if (options.signal != null) out.signal = options.signal;
  if (options.timeoutMs != null) out.timeoutMs = options.timeoutMs;
  return out;
}
