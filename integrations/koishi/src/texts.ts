/** The plugin's own replies and command descriptions, in the configured locale. */
export interface Texts {
  describe: {
    llm: string;
    list: string;
    info: string;
    default: string;
    test: string;
    keys: string;
    resetKey: string;
    ask: string;
  };
  askUsage: string;
  emptyAnswer: string;
  needsDatabase: string;
  lowAuthority: string;
  notReady: string;
  noModels: string;
  models: (defaultModel: string) => string;
  unavailable: string;
  defaultIs: (model: string) => string;
  defaultSet: (model: string) => string;
  testOk: (model: string, ms: number, answer: string) => string;
  testSkipped: (model: string, kind: string) => string;
  keysOf: (provider: string, count: number) => string;
  noKeys: (provider: string) => string;
  keyLine: (fields: { calls: number; success: string; latency: string; cooldown: string }) => string;
  resetDone: (provider: string, keyId: string | undefined) => string;
  unexpected: string;
}

const en: Texts = {
  describe: {
    llm: 'Language models (switchboard)',
    list: 'List the configured models',
    info: 'Show what a model can do',
    default: 'Show or set the default model',
    test: 'Send a tiny request to a model',
    keys: 'Health of the API keys (masked ids)',
    resetKey: 'Re-enable a disabled or cooling API key',
    ask: 'Ask the language model (remembers the conversation)',
  },
  askUsage: 'Usage: ask <text> (images in the message are passed on).',
  emptyAnswer: 'The model returned an empty answer.',
  needsDatabase:
    'This admin command needs user authority, which Koishi only knows with a database plugin (e.g. database-sqlite).',
  lowAuthority: 'You do not have the authority for this command.',
  notReady: 'The language model client is not ready; check the plugin configuration and logs.',
  noModels: 'No models are configured.',
  models: (defaultModel) => `Models (default: ${defaultModel}):`,
  unavailable: 'unavailable',
  defaultIs: (model) => `Default model: ${model}`,
  defaultSet: (model) => `Default model set to ${model} (until restart).`,
  testOk: (model, ms, answer) => `✓ ${model} answered in ${ms} ms: ${answer}`,
  testSkipped: (model, kind) => `${model} is a ${kind} model; llm.test only tests chat and embedding models.`,
  keysOf: (provider, count) => `API keys of ${provider} (${count}):`,
  noKeys: (provider) => `${provider} has no API keys.`,
  keyLine: ({ calls, success, latency, cooldown }) =>
    `calls ${calls}, success ${success}, latency ${latency}, cooldown ${cooldown}`,
  resetDone: (provider, keyId) =>
    keyId != null ? `Key ${keyId} of ${provider} was reset.` : `All keys of ${provider} were reset.`,
  unexpected: 'Something went wrong; the administrator can find the details in the log.',
};

const zh: Texts = {
  describe: {
    llm: '大语言模型（switchboard）',
    list: '查看已配置的模型',
    info: '查看模型的能力',
    default: '查看或设置默认模型',
    test: '向模型发送一次测试请求',
    keys: '查看 API 密钥状态（已脱敏）',
    resetKey: '重置被禁用或冷却中的 API 密钥',
    ask: '向大语言模型提问（会记住对话）',
  },
  askUsage: '用法：ask <文本>（消息中的图片会一并发送）。',
  emptyAnswer: '模型返回了空回答。',
  needsDatabase: '此管理指令需要用户权限，Koishi 只有在安装数据库插件（如 database-sqlite）后才能识别权限。',
  lowAuthority: '权限不足。',
  notReady: '大语言模型客户端尚未就绪，请检查插件配置和日志。',
  noModels: '当前没有配置任何模型。',
  models: (defaultModel) => `模型列表（默认：${defaultModel}）：`,
  unavailable: '不可用',
  defaultIs: (model) => `当前默认模型：${model}`,
  defaultSet: (model) => `默认模型已设置为 ${model}（重启后恢复）。`,
  testOk: (model, ms, answer) => `✓ ${model} 在 ${ms} ms 内回答：${answer}`,
  testSkipped: (model, kind) => `${model} 是 ${kind} 模型；llm.test 只测试对话和嵌入模型。`,
  keysOf: (provider, count) => `${provider} 的 API 密钥（${count} 个）：`,
  noKeys: (provider) => `${provider} 没有配置 API 密钥。`,
  keyLine: ({ calls, success, latency, cooldown }) =>
    `调用 ${calls} 次，成功率 ${success}，延迟 ${latency}，冷却 ${cooldown}`,
  resetDone: (provider, keyId) =>
    keyId != null ? `已重置 ${provider} 的密钥 ${keyId}。` : `已重置 ${provider} 的全部密钥。`,
  unexpected: '出现了意外错误，管理员可在日志中查看详情。',
};

/** The texts of a locale (English unless `zh`). */
export function textsOf(locale: string): Texts {
  return locale === 'zh' ? zh : en;
}
