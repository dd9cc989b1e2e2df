import { type FixtureState, replayFixture } from './fixture-replay.js';
import type { Reply, ReplyCompression, ReplyHeaders } from './reply-types.js';
import { compressBody, type ResponseLife } from './response-life.js';
import type { Route } from './route-match.js';
import { writeSse } from './write-sse.js';

const REPLY_KINDS = ['json', 'text', 'sse', 'fixture', 'stall', 'reset'] as const;

/** Not a type guard on purpose: narrowing by `in` below must keep working. */
function isValidReply(reply: Reply): boolean {
  return typeof reply === 'object' && reply !== null && REPLY_KINDS.some((kind) => kind in reply);
}

function setHeaders(
  life: ResponseLife,
  status: number,
  defaults: ReplyHeaders,
  headers: ReplyHeaders | undefined,
) {
  life.res.statusCode = status;
  for (const source of [defaults, headers ?? {}]) {
    for (const [name, value] of Object.entries(source)) {
      life.res.setHeader(name, typeof value === 'number' ? String(value) : (value as string | string[]));
    }
  }
}

function sendBody(
  life: ResponseLife,
  body: string | Uint8Array,
  compression: ReplyCompression | undefined,
): void {
  let sent = body;
  if (compression != null) {
    sent = compressBody(body, compression);
    life.res.setHeader('content-encoding', compression === 'deflate-raw' ? 'deflate' : compression);
  }
  life.res.setHeader('content-length', typeof sent === 'string' ? Buffer.byteLength(sent) : sent.byteLength);
  life.res.end(sent);
}

/** Sends `reply` on the response: waits `delayMs`, applies faults, replays fixtures. Throws on an invalid reply. */
export async function writeReply(
  life: ResponseLife,
  reply: Reply,
  route: Route,
  fixtures: FixtureState,
): Promise<void> {
  if (!isValidReply(reply)) {
    throw new Error(`invalid reply: expected an object with one of ${REPLY_KINDS.join(', ')}`);
  }
  if (reply.delayMs != null && !(await life.sleep(reply.delayMs))) return;
  if ('reset' in reply) return life.reset();
  if ('stall' in reply) return life.whenClosed;
  const plain = 'fixture' in reply ? await replayFixture(reply, fixtures) : reply;
  if (life.closed) return;
  const status = plain.status ?? 200;
  if ('sse' in plain) {
    const defaults = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
    setHeaders(life, status, defaults, plain.headers);
    const gemini = route.dialect === 'gemini';
    return writeSse(life, plain, { framing: gemini ? 'crlf' : 'lf', done: route.kind === 'openai.chat' });
  }
  if ('json' in plain) {
    setHeaders(life, status, { 'content-type': 'application/json' }, plain.headers);
    return sendBody(life, JSON.stringify(plain.json) ?? 'null', plain.compress);
  }
  setHeaders(
    life,
    status,
    { 'content-type': plain.contentType ?? 'text/plain; charset=utf-8' },
    plain.headers,
  );
  sendBody(life, plain.text, plain.compress);
}
