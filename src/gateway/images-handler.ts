import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LLMResponse } from '../spec/index.js';
import { admit, authorizeModel, noteError, noteResponse, settle } from './admission.js';
import { readRequestJson } from './body-reader.js';
import { callOptions } from './call-options.js';
import type { Exchange } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';
import { imagesResponse, parseImagesRequest } from './images.js';
import { sendJson } from './respond.js';

/** `POST /v1/images/generations`. */
export async function handleImages(
  context: GatewayContext,
  exchange: Exchange,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readRequestJson(context, exchange, req);
  const request = parseImagesRequest(body);
  authorizeModel(context, exchange, request.model);
  const lease = await admit(context, exchange);
  let response: LLMResponse | undefined;
  try {
    response = await context.llm.createImage(request.prompt, {
      ...callOptions(context, exchange, request.model),
      ...(Object.keys(request.config).length > 0 ? { config: request.config } : {}),
    });
    noteResponse(exchange, response);
    sendJson(
      exchange,
      res,
      200,
      imagesResponse(response, request.responseFormat, Math.floor(exchange.startedAt / 1000)),
    );
  } catch (error) {
    noteError(exchange, error);
    throw error;
  } finally {
    settle(context, exchange, lease, response);
  }
}
