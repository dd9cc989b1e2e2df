import type { ModelInfo } from './library-types';
import type { Texts } from './texts';

/** `available` is reported by newer library versions; a model without the field is available. */
function isAvailable(model: ModelInfo): boolean {
  return (model as ModelInfo & { available?: boolean }).available !== false;
}

/**
 * `llm.list`: the models grouped by provider, one line each with its kind, `*` before the default model and
 * `unavailable` after a model configured as unavailable.
 * @example
 * Models (default: OpenAI/gpt-4o-mini):
 * OpenAI
 *   * gpt-4o-mini · chat
 *     text-embedding-3-small · embedding
 */
export function formatModelList(models: readonly ModelInfo[], defaultModel: string, texts: Texts): string {
  if (models.length === 0) return texts.noModels;
  const byProvider = new Map<string, ModelInfo[]>();
  for (const model of models) {
    const list = byProvider.get(model.provider) ?? [];
    list.push(model);
    byProvider.set(model.provider, list);
  }
  const lines = [texts.models(defaultModel)];
  const defaultKey = defaultModel.toLowerCase();
  for (const [provider, list] of byProvider) {
    lines.push(provider);
    for (const model of list) {
      const marker = model.name.toLowerCase() === defaultKey ? '*' : ' ';
      const unavailable = isAvailable(model) ? '' : ` · ${texts.unavailable}`;
      lines.push(`  ${marker} ${model.model} · ${model.kind}${unavailable}`);
    }
  }
  return lines.join('\n');
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** `llm.info`: a model's name, kind, dialect and capabilities, one per line. */
export function formatModelInfo(model: ModelInfo, defaultModel: string): string {
  const c = model.capabilities;
  const isDefault = model.name.toLowerCase() === defaultModel.toLowerCase();
  return [
    `${model.name}${isDefault ? ' (default)' : ''}`,
    `kind: ${model.kind}${isAvailable(model) ? '' : ' (unavailable)'}`,
    `api type: ${model.apiType}`,
    `input: ${c.inputModalities.join(', ')}`,
    `output: ${c.outputModalities.join(', ')}`,
    `tool calling: ${yesNo(c.toolCalling)}`,
    `JSON schema output: ${yesNo(c.jsonSchema)}`,
    `reasoning: ${c.reasoningMode} (${c.reasoningVisibility})`,
    `native tools: ${yesNo(c.nativeTools)}`,
  ].join('\n');
}
