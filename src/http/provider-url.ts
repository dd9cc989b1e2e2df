const VERSION_SEGMENT = /^v\d+[a-z0-9]*$/i;

/**
 * Joins a provider base URL and an endpoint. `versionPrefix` (`/v1`, `/v1beta`, `/api/v3`,
 * `/api/paas/v4`) is added only when the base does not already carry a version segment, so
 * `https://api.openai.com` and `https://api.openai.com/v1` reach the same URL, and
 * `…/v1beta/openai` (Gemini's OpenAI endpoint) is kept as given.
 *
 * @example buildProviderUrl('https://api.openai.com/v1/', '/v1', '/chat/completions') // https://api.openai.com/v1/chat/completions
 */
export function buildProviderUrl(base: string, versionPrefix: string, resourcePath: string): string {
  // Called on every request with the same few arguments: remember the answers (bounded).
  const key = `${base}\n${versionPrefix}\n${resourcePath}`;
  let url = urlCache.get(key);
  if (url === undefined) {
    url = computeProviderUrl(base, versionPrefix, resourcePath);
    if (urlCache.size >= URL_CACHE_SIZE) urlCache.clear();
    urlCache.set(key, url);
  }
  return url;
}

const URL_CACHE_SIZE = 256;
const urlCache = new Map<string, string>();

function computeProviderUrl(base: string, versionPrefix: string, resourcePath: string): string {
  const trimmed = base.replace(/\/+$/, '');
  const pathStart = trimmed.indexOf('/', trimmed.indexOf('//') + 2);
  const basePath = pathStart === -1 ? '' : trimmed.slice(pathStart);
  const hasVersion = basePath.split('/').some((segment) => VERSION_SEGMENT.test(segment));
  return hasVersion ? trimmed + resourcePath : trimmed + versionPrefix + resourcePath;
}

/**
 * Joins a base URL and an explicit path override (`ModelDetail.endpoint`), dropping the part of the
 * path the base already ends with (`https://x/v1` + `/v1/chat/completions` → `https://x/v1/chat/completions`).
 */
export function joinEndpoint(base: string, endpoint: string): string {
  if (/^https?:\/\//i.test(endpoint)) return endpoint;
  const trimmed = base.replace(/\/+$/, '');
  const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
  const pathStart = trimmed.indexOf('/', trimmed.indexOf('//') + 2);
  const baseSegments = pathStart === -1 ? [] : trimmed.slice(pathStart + 1).split('/');
  const pathSegments = path.slice(1).split('/');
  for (let overlap = Math.min(baseSegments.length, pathSegments.length); overlap > 0; overlap--) {
    const tail = baseSegments.slice(-overlap).join('/');
    if (tail === pathSegments.slice(0, overlap).join('/')) {
      return `${trimmed}/${pathSegments.slice(overlap).join('/')}`;
    }
  }
  return trimmed + path;
}
