import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, authorizeModel, noteError, settle } from './admission.js';
import { readRequestJson } from './body-reader.js';
import { callOptions } from './call-options.js';
import { embeddingsResponse, estimateTokens, parseEmbeddingsRequest } from './embeddings.js';
import type { Exchange } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';
import { sendJson } from './respond.js';

/** `POST /v1/embeddings`: vectors as float arrays or base64 (little-endian float32). */
export async function handleEmbeddings(
  context: GatewayContext,
  exchange: Exchange,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readRequestJson(context, exchange, req);
  const request = parseEmbeddingsRequest(body);
  authorizeModel(context, exchange, request.model);
  const lease = await admit(context, exchange);
  let vectors: number[][] | undefined;
  try {
    const options = callOptions(context, exchange, request.model);
    vectors = await context.llm.embed(request.input, {
      ...options,
      ...(Object.keys(request.config).length > 0 ? { config: request.config } : {}),
    });
    const tokens = estimateTokens(request.input);
    exchange.usage = { promptTokens: tokens, completionTokens: 0, totalTokens: tokens };
    exchange.answered = exchange.requested;
    sendJson(
      exchange,
      res,
      200,
      embeddingsResponse(vectors, request.encoding, exchange.requested ?? '', tokens),
    );
  } catch (error) {
    noteError(exchange, error);
    throw error;
  } finally {
    settle(context, exchange, lease, undefined, vectors == null);
  }
}
