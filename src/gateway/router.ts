import { GatewayError } from './gateway-error.js';

/** The gateway's endpoints. */
export type RouteName =
  | 'chat'
  | 'embeddings'
  | 'images'
  | 'models'
  | 'model'
  | 'health'
  | 'ready'
  | 'metrics';

/** A matched request: the endpoint, and for `model` the id in the path. */
export interface RouteMatch {
  name: RouteName;
  /** `GET /v1/models/{id}`: the id (may contain `/`). */
  modelId?: string;
}

const ROUTES: Record<string, { name: RouteName; methods: readonly string[] }> = {
  '/v1/chat/completions': { name: 'chat', methods: ['POST'] },
  '/v1/embeddings': { name: 'embeddings', methods: ['POST'] },
  '/v1/images/generations': { name: 'images', methods: ['POST'] },
  '/v1/models': { name: 'models', methods: ['GET'] },
  '/health': { name: 'health', methods: ['GET', 'HEAD'] },
  '/ready': { name: 'ready', methods: ['GET', 'HEAD'] },
  '/metrics': { name: 'metrics', methods: ['GET'] },
};

function methodNotAllowed(path: string, methods: readonly string[]): GatewayError {
  return new GatewayError(
    405,
    'invalid_request_error',
    'method_not_allowed',
    `${path} accepts ${methods.join(', ')}.`,
    { headers: { allow: methods.join(', ') } },
  );
}

/**
 * The endpoint of `method` + `url` (query ignored). OpenAI paths work with and without the `/v1` prefix
 * (clients configured with a base URL lacking it). `GET /v1/models/{id}` names one model.
 * @throws GatewayError 404 `unknown_url` for an unknown path, 405 (with `allow`) for a wrong method.
 */
export function matchRoute(method: string | undefined, url: string | undefined): RouteMatch {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  let path = query === -1 ? raw : raw.slice(0, query);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const route = ROUTES[path] ?? (path.startsWith('/v1/') ? undefined : ROUTES[`/v1${path}`]);
  if (route != null) {
    if (!route.methods.includes(method ?? '')) throw methodNotAllowed(path, route.methods);
    return { name: route.name };
  }
  const models = path.startsWith('/v1/models/') ? 11 : path.startsWith('/models/') ? 8 : -1;
  if (models !== -1 && path.length > models) {
    if (method !== 'GET') throw methodNotAllowed(path, ['GET']);
    let modelId: string;
    try {
      modelId = decodeURIComponent(path.slice(models));
    } catch {
      modelId = path.slice(models);
    }
    return { name: 'model', modelId };
  }
  throw new GatewayError(
    404,
    'invalid_request_error',
    'unknown_url',
    `Unknown request URL: ${method ?? 'GET'} ${path}.`,
  );
}
