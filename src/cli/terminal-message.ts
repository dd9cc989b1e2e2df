import type { LLMError } from '../errors/llm-error.js';
import type { LLMErrorCode, Locale } from '../spec/index.js';

// The library's friendly messages speak to an application's end user ("contact the administrator"). At the
// terminal the reader *is* the administrator: these say what to do, and which command does it.
// `{provider}` is the provider's name when the error names one, else a placeholder.
type Messages = Partial<Record<LLMErrorCode, string>>;

const en: Messages = {
  MODEL_INIT_FAILED:
    'The model could not be set up; check its entry in your config (`switchboard doctor` checks it).',
  MODEL_NOT_FOUND:
    'That model is not in your config; `switchboard models` lists the ones you can use (pick one with -m Provider/model).',
  API_KEY_INVALID:
    'The provider rejected the API key; replace it in your config, then run `switchboard keys reset {provider} [keyId]`.',
  API_QUOTA_EXCEEDED:
    "The key's quota is used up; wait for the provider to reset it, add another key, or raise the quota with the provider.",
  NO_AVAILABLE_KEYS:
    'No API key of {provider} can be used right now (all cooling down or disabled); wait, or see why with `switchboard keys {provider}` and re-enable with `switchboard keys reset {provider} [keyId]`.',
  UNKNOWN_API_TYPE: 'This apiType is not supported; check the apiType in your config.',
  CONFIGURATION_ERROR:
    'Your configuration has a problem; fix what is listed below (`switchboard doctor` checks the whole file).',
};

const zh: Messages = {
  MODEL_INIT_FAILED: '模型初始化失败，请检查配置中该模型的设置（`switchboard doctor` 可检查）。',
  MODEL_NOT_FOUND: '配置中没有该模型；`switchboard models` 列出可用的模型（用 -m 服务商/模型 选择）。',
  API_KEY_INVALID:
    '服务商拒绝了该 API 密钥；请在配置中替换它，然后运行 `switchboard keys reset {provider} [keyId]`。',
  API_QUOTA_EXCEEDED: '该密钥的配额已用尽；请等待服务商重置配额、添加其他密钥，或向服务商提高配额。',
  NO_AVAILABLE_KEYS:
    '{provider} 当前没有可用的 API 密钥（都在冷却或已禁用）；请稍后再试，或用 `switchboard keys {provider}` 查看原因，用 `switchboard keys reset {provider} [keyId]` 重新启用。',
  UNKNOWN_API_TYPE: '不支持该 apiType；请检查配置中的 apiType。',
  CONFIGURATION_ERROR: '配置有问题；请修正下面列出的各项（`switchboard doctor` 可检查整个文件）。',
};

const MESSAGES: Record<Locale, Messages> = { en, zh };

/** What the person at the terminal should read for `error`: a CLI-specific text, else its friendly message. */
export function terminalMessageOf(error: LLMError, locale: Locale = error.locale): string {
  const text = MESSAGES[locale][error.code];
  if (text == null) return error.friendlyMessage;
  return text.replaceAll('{provider}', error.provider ?? '<provider>');
}

/** A technical message with library calls turned into the commands that do the same at the terminal. */
export function forTheTerminal(message: string): string {
  return message.replace(/\bllm\.keys\.reset(\([^)]*\))?/g, '`switchboard keys reset <provider> [keyId]`');
}
