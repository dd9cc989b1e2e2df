import { buildProviderUrl, joinEndpoint } from '../../http/provider-url.js';
import type { ProviderAuth, ProviderModel } from '../../spec/index.js';

/** The key travels only in this header, never as `?key=` (keys in URLs end up in logs and traces). */
export const GEMINI_AUTH: ProviderAuth = Object.freeze({
  scheme: 'header',
  name: 'x-goog-api-key',
});

export type GeminiMethod =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'embedContent'
  | 'batchEmbedContents';

/** `models/<id>` (ids already carrying `models/` or `tunedModels/` are kept). */
export function geminiModelName(id: string): string {
  return id.startsWith('models/') || id.startsWith('tunedModels/') ? id : `models/${id}`;
}

/**
 * `{base}/v1beta/models/<id>:<method>` (`?alt=sse` for streams). A `ModelDetail.endpoint` naming a
 * `:generateContent` path is honoured for chat (its stream twin is derived); otherwise it is ignored.
 */
export function geminiUrl(model: ProviderModel, method: GeminiMethod): { url: string; warning?: string } {
  const base = model.provider.apiBase;
  const query = method === 'streamGenerateContent' ? '?alt=sse' : '';
  const endpoint = model.endpoint;
  if (endpoint != null && (method === 'generateContent' || method === 'streamGenerateContent')) {
    if (endpoint.includes(':generateContent')) {
      return { url: joinEndpoint(base, endpoint.replace(':generateContent', `:${method}`)) + query };
    }
    const warning = `endpoint ${endpoint} is not a :generateContent path; the standard Gemini URL is used`;
    return {
      url: buildProviderUrl(base, '/v1beta', `/${geminiModelName(model.id)}:${method}`) + query,
      warning,
    };
  }
  return { url: buildProviderUrl(base, '/v1beta', `/${geminiModelName(model.id)}:${method}`) + query };
}

/** JSON content type plus the provider's configured extra headers (authentication is added per attempt). */
export function geminiHeaders(model: ProviderModel): Record<string, string> {
  return { 'content-type': 'application/json', ...model.provider.headers };
}
