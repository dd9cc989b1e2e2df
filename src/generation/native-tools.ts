import { isPlainObject } from '../schema/copy-plain.js';
import type { ProviderToolSpec } from '../spec/index.js';
import { type ConfigIssue, describe, failOnIssues } from './field-checks.js';

/** Most URLs Gemini's URL context tool reads per request. */
export const MAX_URL_CONTEXT_URLS = 20;

const PROVIDER_TOOL_TYPES: readonly ProviderToolSpec['type'][] = [
  'code_execution',
  'google_search',
  'url_context',
];

/**
 * Gemini code execution: the model writes and runs Python; its code and results come back as
 * `executable_code` and `code_execution_result` parts. Other dialects warn and send nothing.
 * @example llm.chat('Sum of the first 50 primes?', { tools: [geminiCodeExecution()] })
 */
export function geminiCodeExecution(): ProviderToolSpec {
  return { kind: 'provider', provider: 'gemini', type: 'code_execution' };
}

/**
 * Gemini grounding with Google Search; sources come back as `grounding` parts.
 * @example llm.chat('Who won yesterday?', { tools: [geminiGoogleSearch()] })
 */
export function geminiGoogleSearch(): ProviderToolSpec {
  return { kind: 'provider', provider: 'gemini', type: 'google_search' };
}

/**
 * Gemini URL context: the model reads the given pages (1–20 `http(s)` URLs).
 * @throws LLMError `INVALID_PARAMETER` naming each bad URL, or when there are none or more than 20.
 * @example geminiUrlContext(['https://example.com/changelog'])
 */
export function geminiUrlContext(urls: readonly string[]): ProviderToolSpec {
  const issues: ConfigIssue[] = [];
  checkUrls(urls, 'urls', issues);
  failOnIssues(issues, 'geminiUrlContext arguments');
  return { kind: 'provider', provider: 'gemini', type: 'url_context', urls: [...urls] };
}

/** Validates one `ProviderToolSpec` (pushes issues; used for `nativeTools` entries). */
export function checkProviderTool(value: unknown, path: string, issues: ConfigIssue[]): void {
  if (!isPlainObject(value)) {
    issues.push({
      path,
      message: `must be a provider tool such as geminiCodeExecution() (got ${describe(value)})`,
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'kind' && key !== 'provider' && key !== 'type' && key !== 'urls') {
      issues.push({ path: `${path}.${key}`, message: 'unknown field (expected kind, provider, type, urls)' });
    }
  }
  if (value.kind !== 'provider') {
    issues.push({ path: `${path}.kind`, message: `must be 'provider' (got ${describe(value.kind)})` });
  }
  if (value.provider !== 'gemini') {
    issues.push({ path: `${path}.provider`, message: `must be 'gemini' (got ${describe(value.provider)})` });
  }
  if (!PROVIDER_TOOL_TYPES.includes(value.type as ProviderToolSpec['type'])) {
    issues.push({
      path: `${path}.type`,
      message: `must be one of ${PROVIDER_TOOL_TYPES.join(', ')} (got ${describe(value.type)})`,
    });
  }
  if (value.type === 'url_context') {
    checkUrls(value.urls, `${path}.urls`, issues);
  } else if (value.urls !== undefined) {
    issues.push({ path: `${path}.urls`, message: 'only a url_context tool takes urls' });
  }
}

function checkUrls(urls: unknown, path: string, issues: ConfigIssue[]): void {
  if (!Array.isArray(urls)) {
    issues.push({
      path,
      message: `must be an array of 1 to ${MAX_URL_CONTEXT_URLS} URLs (got ${describe(urls)})`,
    });
    return;
  }
  if (urls.length === 0 || urls.length > MAX_URL_CONTEXT_URLS) {
    issues.push({ path, message: `must hold 1 to ${MAX_URL_CONTEXT_URLS} URLs (got ${urls.length})` });
  }
  urls.forEach((url, i) => {
    if (!isHttpUrl(url))
      issues.push({ path: `${path}[${i}]`, message: `must be an http(s) URL (got ${describe(url)})` });
  });
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
