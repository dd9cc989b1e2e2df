import type { ServerResponse } from 'node:http';
import type { ModelInfo } from '../spec/index.js';
import type { Exchange } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';
import { GatewayError } from './gateway-error.js';
import { sendJson } from './respond.js';

function modelJson(info: ModelInfo): Record<string, unknown> {
  return { id: info.name, object: 'model', created: 0, owned_by: info.provider || 'switchboard' };
}

/**
 * What the client may use: every available entry of `llm.models.list()` (models and routes alike; a route is
 * available while any target is) its globs allow. A model configured `available: false` fails every call, so it
 * is not offered.
 */
function visible(context: GatewayContext, exchange: Exchange): ModelInfo[] {
  const matcher = exchange.client?.models;
  return context.llm.models
    .list()
    .filter((info) => info.available && (matcher == null || matcher.allows(info.name)));
}

/** `GET /v1/models`. */
export function handleModels(context: GatewayContext, exchange: Exchange, res: ServerResponse): void {
  sendJson(exchange, res, 200, { object: 'list', data: visible(context, exchange).map(modelJson) });
}

/** `GET /v1/models/{id}`: 404 `model_not_found` for a model the client cannot see (or that is unavailable). */
export function handleModel(
  context: GatewayContext,
  exchange: Exchange,
  res: ServerResponse,
  id: string,
): void {
  const wanted = id.toLowerCase();
  const info = visible(context, exchange).find((model) => model.name.toLowerCase() === wanted);
  if (info == null) {
    throw new GatewayError(
      404,
      'invalid_request_error',
      'model_not_found',
      `The model "${id}" does not exist.`,
      {
        param: 'model',
      },
    );
  }
  sendJson(exchange, res, 200, modelJson(info));
}
