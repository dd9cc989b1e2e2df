/** What an incoming request is, by method and path. */
export type RouteKind =
  | 'openai.chat'
  | 'openai.embeddings'
  | 'openai.images.generations'
  | 'openai.images.edits'
  | 'openai.responses'
  | 'openai.models'
  | 'gemini.generateContent'
  | 'gemini.streamGenerateContent'
  | 'gemini.embedContent'
  | 'gemini.batchEmbedContents'
  | 'gemini.models'
  | 'anthropic.messages'
  | 'anthropic.countTokens'
  | 'fake.image'
  | 'unknown';

/** A recognised route. */
export interface Route {
  kind: RouteKind;
  dialect: 'openai' | 'gemini' | 'anthropic';
  /**
   * `/v1/<resource>` for OpenAI and Anthropic routes, `/v1beta/models/<model>:<method>` for Gemini; else the path
   * as sent.
   */
  canonicalPath: string;
  /** Model from a Gemini path. */
  model?: string;
}

/** Path of the tiny PNG served for `response_format: 'url'` image answers. */
export const FAKE_IMAGE_PATH = '/fake-images/image.png';

const OPENAI_RESOURCES: Record<string, RouteKind> = {
  'POST /chat/completions': 'openai.chat',
  'POST /embeddings': 'openai.embeddings',
  'POST /images/generations': 'openai.images.generations',
  'POST /images/edits': 'openai.images.edits',
  'POST /responses': 'openai.responses',
  'GET /models': 'openai.models',
};

const GEMINI_METHODS: Record<string, RouteKind> = {
  generateContent: 'gemini.generateContent',
  streamGenerateContent: 'gemini.streamGenerateContent',
  embedContent: 'gemini.embedContent',
  batchEmbedContents: 'gemini.batchEmbedContents',
};

const PREFIX = /^\/(?:v1beta\/openai|v1beta|v1alpha|v1)(?=\/)/;
const GEMINI_MODEL_METHOD = /^\/models\/([^:]+):([A-Za-z]+)$/;

const ANTHROPIC_RESOURCES: Record<string, RouteKind> = {
  'POST /messages': 'anthropic.messages',
  'POST /messages/count_tokens': 'anthropic.countTokens',
};

/**
 * Recognises OpenAI, Gemini and Anthropic (`/v1/messages`, `/v1/messages/count_tokens`) routes, with or without
 * the `/v1`, `/v1beta` or `/v1beta/openai` prefix.
 */
export function recognizeRoute(method: string, path: string): Route {
  if (method === 'GET' && path === FAKE_IMAGE_PATH)
    return { kind: 'fake.image', dialect: 'openai', canonicalPath: path };
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const prefix = PREFIX.exec(trimmed)?.[0];
  const rest = prefix != null ? trimmed.slice(prefix.length) : trimmed;
  const geminiNative = prefix === '/v1beta' || prefix === '/v1alpha';
  const anthropicKind = geminiNative ? undefined : ANTHROPIC_RESOURCES[`${method} ${rest}`];
  if (anthropicKind != null)
    return { kind: anthropicKind, dialect: 'anthropic', canonicalPath: `/v1${rest}` };
  const openaiKind = OPENAI_RESOURCES[`${method} ${rest}`];
  if (openaiKind != null && !(geminiNative && rest === '/models')) {
    return { kind: openaiKind, dialect: 'openai', canonicalPath: `/v1${rest}` };
  }
  const geminiCall = GEMINI_MODEL_METHOD.exec(rest);
  if (geminiCall != null && method === 'POST') {
    const [, model = '', name = ''] = geminiCall;
    const kind = GEMINI_METHODS[name] ?? 'unknown';
    return { kind, dialect: 'gemini', canonicalPath: `/v1beta/models/${model}:${name}`, model };
  }
  if (method === 'GET' && rest === '/models' && geminiNative) {
    return { kind: 'gemini.models', dialect: 'gemini', canonicalPath: '/v1beta/models' };
  }
  const dialect =
    geminiNative || rest.startsWith('/models/')
      ? 'gemini'
      : rest.startsWith('/messages/')
        ? 'anthropic'
        : 'openai';
  return { kind: 'unknown', dialect, canonicalPath: path };
}

/** A compiled route-script key (`'POST /v1/chat/completions'`, `'/v1beta/models/*:generateContent'`). */
export interface RouteMatcher {
  method: string | undefined;
  pattern: RegExp;
}

/** Compiles a route-script key; `undefined` when it is not `'[METHOD ]/path'`. */
export function compileRouteKey(key: string): RouteMatcher | undefined {
  const match = /^\s*(?:([A-Za-z]+)\s+)?(\/\S*)\s*$/.exec(key);
  if (match == null) return undefined;
  const [, method, path = '/'] = match;
  const source = path
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return { method: method?.toUpperCase(), pattern: new RegExp(`^${source}/?$`) };
}

/** True when the request (as sent or canonical) matches the key. */
export function routeMatches(matcher: RouteMatcher, method: string, path: string, route: Route): boolean {
  if (matcher.method != null && matcher.method !== method) return false;
  return matcher.pattern.test(path) || matcher.pattern.test(route.canonicalPath);
}
