import type { IncomingMessage } from 'node:http';
import { sanitizeForLog } from '../logging/sanitize.js';
import { safeParseJson } from '../util/safe-json.js';
import { GatewayError } from './gateway-error.js';

/** Bounds of a request body. */
export interface BodyLimits {
  /** Largest body, in bytes. */
  bodyLimitBytes: number;
  /** Time the whole body may take once reading starts. */
  bodyTimeoutMs: number;
}

export function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    413,
    'invalid_request_error',
    'request_too_large',
    `The request body is larger than the gateway's limit of ${limit} bytes (gateway.bodyLimitBytes).`,
  );
}

function tooSlow(ms: number): GatewayError {
  return new GatewayError(
    408,
    'invalid_request_error',
    'request_timeout',
    `The request body did not arrive within ${ms} ms (gateway.bodyTimeoutMs).`,
    { headers: { connection: 'close' } },
  );
}

/**
 * Reads a request body within `limits`. A declared `content-length` over the limit is refused before reading
 * (nothing is read: Node discards the body once the answer is sent, so the client sees the 413); a chunked
 * body is counted as it arrives and, past the limit, the rest is read and discarded, never buffered. A body
 * slower than `bodyTimeoutMs` gets 408 and the connection is closed.
 * @throws GatewayError 413 or 408; a connection that breaks rejects with its error.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared != null && Number(declared) > limits.bodyLimitBytes) {
    return Promise.reject(tooLarge(limits.bodyLimitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.bodyLimitBytes) {
        cleanup();
        chunks.length = 0;
        req.resume(); // the rest flows in and is dropped
        reject(tooLarge(limits.bodyLimitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(tooSlow(limits.bodyTimeoutMs));
    }, limits.bodyTimeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Reads and parses a JSON body (whatever its content type: `curl -d` sends form encoding).
 * @throws GatewayError 400 `invalid_json` for an empty or malformed body, or `readBody`'s errors.
 */
export async function readJsonBody(
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<{ value: unknown; bytes: number }> {
  const buffer = await readBody(req, limits);
  if (buffer.length === 0) {
    throw new GatewayError(400, 'invalid_request_error', 'invalid_json', 'The request needs a JSON body.');
  }
  const parsed = safeParseJson(buffer.toString('utf8'));
  if (!parsed.ok) {
    throw new GatewayError(
      400,
      'invalid_request_error',
      'invalid_json',
      `The request body is not valid JSON (${parsed.error.message}).`,
    );
  }
  return { value: parsed.value, bytes: buffer.length };
}

/**
 * The JSON body of a handler's request, noted on the exchange: its size (access log, metrics) and, with
 * `debugLog`, a sanitized copy for the access log.
 */
export async function readRequestJson(
  context: { config: BodyLimits; debugLog: boolean },
  exchange: { bytesIn: number; debugBody?: unknown },
  req: IncomingMessage,
): Promise<unknown> {
  const body = await readJsonBody(req, context.config);
  exchange.bytesIn = body.bytes;
  if (context.debugLog) exchange.debugBody = sanitizeForLog(body.value);
  return body.value;
}
