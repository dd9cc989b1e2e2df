import type { LLMErrorCode, Locale } from '../spec/index.js';

type Messages = Record<LLMErrorCode, string>;

const en: Messages = {
  MODEL_INIT_FAILED:
    'The AI model could not be initialised; ask the administrator to check the configuration.',
  MODEL_NOT_FOUND: 'The AI model was not found; check the configuration or contact the administrator.',
  API_REQUEST_FAILED:
    'The request to the AI service failed; check the network or proxy settings and try again later.',
  API_RESPONSE_INVALID: 'The AI service returned an abnormal response; please try again later.',
  API_KEY_INVALID: 'The API key is invalid; ask the administrator to update the configuration.',
  API_QUOTA_EXCEEDED: 'The API quota is used up; try again later or contact the administrator.',
  API_TIMEOUT: 'The AI service timed out; please try again later.',
  API_RATE_LIMITED: 'Too many requests: the AI service is rate limiting us; please try again later.',
  NO_AVAILABLE_KEYS: 'All API keys are currently unavailable; try again later or contact the administrator.',
  UNKNOWN_API_TYPE: 'This type of AI service is not supported; contact the administrator.',
  CONFIGURATION_ERROR: 'The AI service is misconfigured; contact the administrator.',
  RESPONSE_PARSE_ERROR: 'The AI service response could not be understood; please try again later.',
  CONTEXT_LENGTH_EXCEEDED: 'The input is too long; shorten it and try again.',
  CONTENT_FILTERED: 'The content was blocked by the safety filter; change it and try again.',
  USER_LOCATION_NOT_SUPPORTED:
    'Your network location is not supported by this AI model (e.g. Gemini/OpenAI).\n' +
    'Cause: the region of your proxy exit node (e.g. Hong Kong, mainland China or another unsupported region) is blocked by the provider.\n' +
    'Suggestion: switch the proxy node to a supported region (e.g. the US, Japan or Singapore).',
  GENERATION_FAILED: 'The AI could not complete the answer; please try again.',
  EMBEDDING_FAILED: 'Creating the text embeddings failed; please try again later.',
  INVALID_PARAMETER: 'The request parameters are invalid; check the input.',
  API_SERVER_ERROR: 'The AI service had an internal error; please try again later.',
  ABORTED: 'The request was cancelled.',
};

// The seed's texts (seed-spec §10.1), with the same meaning for the codes it lacked.
const zh: Messages = {
  MODEL_INIT_FAILED: 'AI模型初始化失败，请联系管理员检查配置。',
  MODEL_NOT_FOUND: 'AI模型未找到，请检查配置或联系管理员。',
  API_REQUEST_FAILED: 'AI服务请求失败，请检查网络连接或代理设置后稍后再试。',
  API_RESPONSE_INVALID: 'AI服务响应异常，请稍后再试。',
  API_KEY_INVALID: 'API密钥无效，请联系管理员更新配置。',
  API_QUOTA_EXCEEDED: 'API使用配额已用尽，请稍后再试或联系管理员。',
  API_TIMEOUT: 'AI服务响应超时，请稍后再试。',
  API_RATE_LIMITED: '请求过于频繁，已被AI服务限流，请稍后再试。',
  NO_AVAILABLE_KEYS: '当前所有API密钥均不可用，请稍后再试或联系管理员。',
  UNKNOWN_API_TYPE: '不支持的AI服务类型，请联系管理员。',
  CONFIGURATION_ERROR: 'AI服务配置错误，请联系管理员。',
  RESPONSE_PARSE_ERROR: 'AI服务响应解析失败，请稍后再试。',
  CONTEXT_LENGTH_EXCEEDED: '输入内容过长，请缩短后重试。',
  CONTENT_FILTERED: '内容被安全过滤，请修改后重试。',
  USER_LOCATION_NOT_SUPPORTED:
    '当前网络环境不支持此 AI 模型 (如 Gemini/OpenAI)。\n' +
    '原因: 代理节点所在地区（如香港/国内/非支持区）被服务商屏蔽。\n' +
    '建议: 请尝试更换代理节点至支持的地区（如美国/日本/新加坡）。',
  GENERATION_FAILED: 'AI生成回答失败，请稍后再试。',
  EMBEDDING_FAILED: '文本嵌入失败，请稍后再试。',
  INVALID_PARAMETER: '请求参数错误，请检查输入内容。',
  API_SERVER_ERROR: 'AI服务内部错误，请稍后再试。',
  ABORTED: '请求已取消。',
};

/** Likely causes of a network failure, named in the friendly message of `API_REQUEST_FAILED`. */
export type NetworkCause = 'refused' | 'reset' | 'dns' | 'tls' | 'proxy' | 'timeout' | 'other';

const networkHints: Record<Locale, Record<NetworkCause, string>> = {
  en: {
    refused: 'Cannot connect to the AI provider (connection refused); check the address, network or proxy.',
    reset: 'The connection to the AI provider was reset; check the network or proxy and try again.',
    dns: 'The AI provider host name could not be resolved; check the address and DNS.',
    tls: 'TLS/SSL certificate verification failed; check the network environment or proxy.',
    proxy: 'The proxy connection failed; check that the proxy server is running.',
    timeout: 'The network request timed out; check the server network or proxy connection.',
    other: en.API_REQUEST_FAILED,
  },
  zh: {
    refused: '无法连接到 AI 服务商（连接被拒绝），请检查地址、网络连接或代理设置。',
    reset: '与 AI 服务商的连接被重置，请检查网络或代理后重试。',
    dns: '无法解析 AI 服务商的域名，请检查地址和 DNS 设置。',
    tls: 'SSL 证书验证失败，请检查网络环境或代理。',
    proxy: '代理连接失败，请检查代理服务器是否正常运行。',
    timeout: '网络请求超时，请检查服务器网络或代理连接。',
    other: zh.API_REQUEST_FAILED,
  },
};

const tables: Record<Locale, Messages> = { en, zh };

/** The end-user message of a code, in `locale` (English unless `zh`). */
export function friendlyMessageOf(
  code: LLMErrorCode,
  locale: Locale = 'en',
  networkCause?: NetworkCause,
): string {
  const table = locale === 'zh' ? 'zh' : 'en';
  if (code === 'API_REQUEST_FAILED' && networkCause != null) return networkHints[table][networkCause];
  return tables[table][code];
}
