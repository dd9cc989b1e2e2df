/** A `"Provider/model"` name split on the first `/` (model ids may contain `/`), both halves trimmed. */
export interface ModelName {
  provider: string;
  model: string;
}

/** The format every model name follows, for error messages. */
export const MODEL_NAME_FORMAT = '"Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/")';

/**
 * Splits `"Provider/model"` on the first `/`; undefined when a half is empty or there is no `/`.
 *
 * @example parseModelName(' SiliconFlow / deepseek-ai/DeepSeek-V3 ') // { provider: 'SiliconFlow', model: 'deepseek-ai/DeepSeek-V3' }
 */
export function parseModelName(name: string): ModelName | undefined {
  const slash = name.indexOf('/');
  if (slash === -1) return undefined;
  const provider = name.slice(0, slash).trim();
  const model = name.slice(slash + 1).trim();
  return provider === '' || model === '' ? undefined : { provider, model };
}

/** Case-insensitive lookup key of a provider/model pair. */
export function modelKey(provider: string, model: string): string {
  return `${provider.toLowerCase()}\u0000${model.toLowerCase()}`;
}
