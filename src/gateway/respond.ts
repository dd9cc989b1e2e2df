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
  endAfterBody(exchange, res, text, headers?.connection === 'close');
}

/**
 * Ends the answer. When the request body has not been read (an early 401, 404, 413), the answer is written
 * at once but the connection stays open while the rest of the body is read and discarded (at most
 * `discardMs`): closing it with unread data would reset it, and the client would never see the answer.
 * `closeNow` (408, shutting down) skips the wait.
 */
function endAfterBody(exchange: Exchange, res: ServerResponse, text: string, closeNow: boolean): void {
  const req = exchange.request;
  if (closeNow || req == null || req.complete || req.destroyed) {
    res.end(text); // Node sends no body for HEAD
    return;
  }
  res.write(text);
  const timer = setTimeout(() => res.destroy(), exchange.discardMs);
  const done = () => {
    clearTimeout(timer);
    req.off('end', done);
    req.off('close', done);
    res.end();
  };
  req.on('end', done);
  req.on('close', done);
  req.resume();
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
