import type { ServerResponse } from 'node:http';
import type { Exchange } from './exchange.js';
import type { GatewayError } from './gateway-error.js';

/** Sends a JSON answer with `x-request-id` and `content-length`; counts the bytes on the exchange. */
export function sendJson(
  exchange: Exchange,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  sendText(exchange, res, status, JSON.stringify(body), 'application/json', headers);
}

/** Sends a text answer (`content-type` given) with `x-request-id` and `content-length`. */
export function sendText(
  exchange: Exchange,
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers?: Record<string, string>,
): void {
  const length = Buffer.byteLength(text);
  exchange.status = status;
  exchange.bytesOut += length;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': length,
    'x-request-id': exchange.id,
    ...headers,
  });
  res.end(text); // Node sends no body for HEAD
}

/** `retry-after` (whole seconds, rounded up) and `retry-after-ms` for a wait. */
export function retryHeaders(retryAfterMs: number): Record<string, string> {
  const ms = Math.max(0, Math.ceil(retryAfterMs));
  return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
}

/** Sends an OpenAI-shaped error (with `retry-after` when it has a wait), unless the answer has started. */
export function sendError(exchange: Exchange, res: ServerResponse, error: GatewayError): void {
  exchange.errorCode = error.code ?? error.type;
  if (error.options.libraryCode != null) exchange.libraryCode = error.options.libraryCode;
  if (res.headersSent || res.destroyed) {
    exchange.status ||= error.status;
    return;
  }
  const headers: Record<string, string> = { ...error.options.headers };
  if (error.options.retryAfterMs != null) Object.assign(headers, retryHeaders(error.options.retryAfterMs));
  sendJson(exchange, res, error.status, error.body(), headers);
}
