// The benchmark's fake provider: its own process, loopback only, precomputed bodies, no parsing beyond
// a few substring checks. Started by bench/run.mjs (IPC: sends `{ port }` when listening).
//
// Routes:
//   POST /v1/chat/completions         JSON chat answer; SSE (500 chunks + usage + [DONE]) when the body
//                                     says "stream":true; a prompt holding `bench-retry:<id>` gets a 429
//                                     (retry-after: 0) on its first attempt, then the answer.
//   POST /v1/embeddings               16 × 1536 vectors, float JSON or base64 ("encoding_format":"base64").
//   POST /v1beta/models/<m>:generateContent            Gemini JSON answer.
//   POST /v1beta/models/<m>:streamGenerateContent      Gemini SSE, 500 chunks, CRLF framing.
//   POST /v1/messages                 Anthropic JSON answer; SSE (event: lines, 500 text_delta events) when
//                                     the body says "stream":true.
//   GET  /__attempts?prefix=<id>      attempts seen per retry id with that prefix (then forgotten).
import { createServer } from 'node:http';
import {
  anthropicChatBody,
  anthropicStreamBody,
  geminiChatBody,
  geminiStreamBody,
  openaiChatBody,
  openaiEmbeddingsBody,
  openaiRateLimitBody,
  openaiStreamBody,
  RETRY_MARKER,
} from './payloads.mjs';

const bodies = {
  chat: Buffer.from(openaiChatBody()),
  stream: Buffer.from(openaiStreamBody()),
  embedFloat: Buffer.from(openaiEmbeddingsBody('float')),
  embedBase64: Buffer.from(openaiEmbeddingsBody('base64')),
  rateLimit: Buffer.from(openaiRateLimitBody()),
  geminiChat: Buffer.from(geminiChatBody()),
  geminiStream: Buffer.from(geminiStreamBody()),
  anthropicChat: Buffer.from(anthropicChatBody()),
  anthropicStream: Buffer.from(anthropicStreamBody()),
};

const JSON_HEADERS = { 'content-type': 'application/json', 'x-request-id': 'req_bench' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const RATE_LIMIT_HEADERS = { ...JSON_HEADERS, 'retry-after': '0', 'x-ratelimit-remaining-requests': '0' };

/** Retry id → attempts seen. */
const attempts = new Map();

function send(res, status, headers, body) {
  res.writeHead(status, { ...headers, 'content-length': body.byteLength });
  res.end(body);
}

function sendStream(res, body) {
  // Chunked, like a real event stream; all events are written at once (no server-side pacing).
  res.writeHead(200, SSE_HEADERS);
  res.end(body);
}

function retryIdOf(text) {
  const at = text.indexOf(RETRY_MARKER);
  if (at === -1) return undefined;
  const end = text.indexOf('"', at);
  return text.slice(at + RETRY_MARKER.length, end === -1 ? undefined : end);
}

function attemptsReport(prefix) {
  const report = { ids: 0, attempts: 0, histogram: {} };
  for (const [id, count] of attempts) {
    if (!id.startsWith(prefix)) continue;
    report.ids++;
    report.attempts += count;
    report.histogram[count] = (report.histogram[count] ?? 0) + 1;
    attempts.delete(id);
  }
  return report;
}

function answer(req, res, text) {
  const url = req.url;
  if (url === '/v1/chat/completions') {
    if (text.includes('"stream":true')) return sendStream(res, bodies.stream);
    const id = retryIdOf(text);
    if (id !== undefined) {
      const seen = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, seen);
      if (seen === 1) return send(res, 429, RATE_LIMIT_HEADERS, bodies.rateLimit);
    }
    return send(res, 200, JSON_HEADERS, bodies.chat);
  }
  if (url === '/v1/embeddings') {
    const base64 = text.includes('"encoding_format":"base64"');
    return send(res, 200, JSON_HEADERS, base64 ? bodies.embedBase64 : bodies.embedFloat);
  }
  if (url === '/v1/messages') {
    if (text.includes('"stream":true')) return sendStream(res, bodies.anthropicStream);
    return send(res, 200, JSON_HEADERS, bodies.anthropicChat);
  }
  if (url.startsWith('/v1beta/models/')) {
    if (url.includes(':streamGenerateContent')) return sendStream(res, bodies.geminiStream);
    if (url.includes(':generateContent')) return send(res, 200, JSON_HEADERS, bodies.geminiChat);
  }
  if (url.startsWith('/__attempts?prefix=')) {
    const prefix = decodeURIComponent(url.slice('/__attempts?prefix='.length));
    return send(res, 200, JSON_HEADERS, Buffer.from(JSON.stringify(attemptsReport(prefix))));
  }
  return send(res, 404, JSON_HEADERS, Buffer.from(`{"error":{"message":"no route ${req.method} ${url}"}}`));
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const text =
      chunks.length === 1 ? chunks[0].toString('latin1') : Buffer.concat(chunks).toString('latin1');
    answer(req, res, text);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send != null) process.send({ port });
  else console.log(`bench fake provider on http://127.0.0.1:${port}`);
});

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
