import { anthropicErrorReply } from './anthropic-replies.js';
import { geminiErrorReply } from './gemini-replies.js';
import { openaiErrorReply } from './openai-replies.js';
import { copyCommon } from './reply-options.js';
import type { JsonReply, ReplyCommon } from './reply-types.js';

/** Options of `rateLimitReply`. */
export interface RateLimitOptions extends Omit<ReplyCommon, 'status'> {
  /**
   * OpenAI and Anthropic: `retry-after: <seconds>` header; Gemini: `RetryInfo.retryDelay`. OpenAI and Gemini also
   * say "try again in Ns" in the message.
   */
  retryAfterSeconds?: number;
  /** OpenAI: `retry-after-ms` header; Anthropic: `retry-after` rounded up to seconds; Gemini: `RetryInfo.retryDelay`. */
  retryAfterMs?: number;
  /** Whose 429 to imitate. Default `'openai'`. */
  dialect?: 'openai' | 'gemini' | 'anthropic';
}

/**
 * A per-minute rate-limit answer (HTTP 429) with the provider's retry hints; without a hint the answer has none.
 * @example fake.enqueue(rateLimitReply({ retryAfterSeconds: 0, dialect: 'openai' }), openaiChatReply('ok'))
 */
export function rateLimitReply(options: RateLimitOptions = {}): JsonReply {
  const seconds =
    options.retryAfterSeconds ?? (options.retryAfterMs != null ? options.retryAfterMs / 1000 : undefined);
  // The status is always 429; only headers and delay pass through.
  const common = copyCommon({ headers: options.headers, delayMs: options.delayMs });
  if (options.dialect === 'anthropic') {
    const message =
      'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits.';
    const headers: Record<string, string> = {
      'x-should-retry': 'true',
      'anthropic-ratelimit-requests-remaining': '0',
    };
    if (seconds != null) headers['retry-after'] = String(Math.ceil(seconds));
    const reply = anthropicErrorReply(429, 'rate_limit_error', message, common);
    return { ...reply, headers: { ...headers, ...options.headers } };
  }
  if (options.dialect === 'gemini') {
    const details: object[] = [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            quotaDimensions: { model: 'fake-model', location: 'global' },
            quotaValue: '10',
          },
        ],
      },
    ];
    if (seconds != null)
      details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` });
    const hint = seconds != null ? `\nPlease retry in ${seconds}s.` : '';
    const message = `You exceeded your current quota, please check your plan and billing details.${hint}`;
    return geminiErrorReply(429, 'RESOURCE_EXHAUSTED', message, details, common);
  }
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds != null)
    headers['retry-after'] = String(Math.ceil(options.retryAfterSeconds));
  if (options.retryAfterMs != null) headers['retry-after-ms'] = String(options.retryAfterMs);
  const hint = seconds != null ? ` Please try again in ${seconds}s.` : '';
  const message = `Rate limit reached for fake-model in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.${hint} Visit https://platform.openai.com/account/rate-limits to learn more.`;
  const reply = openaiErrorReply(429, { message, type: 'requests', code: 'rate_limit_exceeded' }, common);
  return { ...reply, headers: { ...headers, ...options.headers } };
}
