import type { IncomingMessage } from 'node:http';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import { extractApiKey } from './auth.js';
import type { RecordedRequest } from './fake-provider-types.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import type { Route } from './route-match.js';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value != null) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else query[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function parseBody(raw: Buffer, text: string, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const boundary = multipartBoundary(contentType);
  if (boundary != null) return parseMultipart(raw, boundary);
  const parsed = safeParseJson(text);
  return parsed.ok ? parsed.value : text;
}

/** Reads the whole request body and records the request (method, path, query, headers, parsed body, key). */
export async function recordRequest(
  req: IncomingMessage,
  recognize: (method: string, path: string) => Route,
): Promise<{ request: RecordedRequest; route: Route }> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = flattenHeaders(req);
  const query = queryObject(url.searchParams);
  const rawBody = raw.toString('utf8');
  const body = parseBody(raw, rawBody, headers['content-type']);
  const route = recognize(method, url.pathname);
  const request: RecordedRequest = {
    method,
    path: url.pathname,
    query,
    headers,
    body,
    rawBody,
    receivedAt: Date.now(),
  };
  const apiKey = extractApiKey(headers, query);
  if (apiKey != null) request.apiKey = apiKey;
  const bodyModel = isRecord(body) && typeof body.model === 'string' ? body.model : undefined;
  const model = route.model ?? bodyModel;
  if (model != null) request.model = model;
  return { request, route };
}
