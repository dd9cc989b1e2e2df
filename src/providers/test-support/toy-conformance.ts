import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ConformanceRequest,
  ConformanceServer,
  ConformanceTarget,
  ConformanceToolCall,
  ConformanceUsage,
  WireKit,
} from '../../testing/index.js';

// The Toy API's own loopback server and wire kit, so the conformance suite can script it.

/** One scripted answer of the Toy server. */
export type ToyReply =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  /** `data:` events (objects as JSON, strings as they are), then the body ends, the connection is cut, or nothing. */
  | { events: unknown[]; ending?: 'end' | 'cut' | 'stall' }
  | { stall: true }
  | { reset: true };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(reply: ToyReply, req: IncomingMessage, res: ServerResponse): void {
  if ('stall' in reply) return;
  if ('reset' in reply) {
    req.socket.destroy();
    return;
  }
  if ('json' in reply) {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.json));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const text = reply.events.map(
    (event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`,
  );
  // A cut connection closes once the events are out (destroying at once would drop them).
  if (reply.ending === 'cut') res.write(text.join(''), () => res.socket?.destroy());
  else if (reply.ending === 'stall') res.write(text.join(''));
  else res.end(text.join(''));
}

/** A loopback Toy server: answers from a queue, records every request. */
export async function startToyServer(): Promise<ConformanceServer<ToyReply>> {
  const queue: ToyReply[] = [];
  const requests: ConformanceRequest[] = [];
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: recorded as text.
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
    );
    requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', headers, body });
    const unscripted: ToyReply = {
      status: 500,
      json: { error: { type: 'internal', message: 'nothing scripted' } },
    };
    answer(queue.shift() ?? unscripted, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    enqueue: (...replies) => queue.push(...replies),
    requests,
    get pendingReplies() {
      return queue.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const usageOf = (usage: ConformanceUsage | undefined) =>
  usage == null ? { input: 10, output: 5 } : { input: usage.promptTokens, output: usage.completionTokens };

const toolCallsOf = (calls: readonly ConformanceToolCall[]) =>
  calls.map((call) => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) }));

const error = (
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): ToyReply => ({
  status,
  json: { error: { type, message } },
  ...(headers != null ? { headers } : {}),
});

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function json(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return text;
  }
}

/** How the conformance suite writes Toy answers and reads Toy requests. */
export const toyWireKit: WireKit<ToyReply> = {
  name: 'Toy',
  text: (text, options) => ({ json: { text, stop: 'end', usage: usageOf(options?.usage) } }),
  textStream: (deltas, options) => ({
    events: [...deltas.map((delta) => ({ delta })), { stop: 'end', usage: usageOf(options?.usage) }],
  }),
  toolCalls: (calls) => ({
    json: { text: '', tool_calls: toolCallsOf(calls), stop: 'tool', usage: usageOf(undefined) },
  }),
  toolCallStream: (calls) => ({
    events: [...toolCallsOf(calls).map((call) => ({ tool_call: call })), { stop: 'tool' }],
  }),
  errors: {
    invalidKey: () => error(401, 'bad_key', 'unknown key'),
    location: () => error(403, 'forbidden', 'Toy is not available in your country'),
    contextLength: () => error(400, 'too_long', 'maximum context length is 4096 tokens'),
    quota: () => error(400, 'quota_exhausted', 'out of credit'),
    invalidParameter: () => error(400, 'bad_request', 'max_tokens must be positive'),
    modelNotFound: () => error(404, 'no_model', 'no model toy-9'),
    rateLimit: ({ retryAfterSeconds }) =>
      error(429, 'slow_down', 'too many requests', { 'retry-after': String(retryAfterSeconds) }),
    serverError: () => error(500, 'internal', 'boom'),
    overloaded: () => error(503, 'overloaded', 'busy'),
    errorIn200: () => error(200, 'internal', 'an error inside a 200'),
  },
  cutStream: (deltas) => ({ events: deltas.map((delta) => ({ delta })), ending: 'cut' }),
  endedStream: (deltas) => ({ events: deltas.map((delta) => ({ delta })) }),
  streamError: (deltas, message) => ({
    events: [...deltas.map((delta) => ({ delta })), { error: { type: 'internal', message } }],
  }),
  malformedStream: (deltas) => ({ events: [...deltas.map((delta) => ({ delta })), '{"malformed":'] }),
  stall: () => ({ stall: true }),
  stalledStream: (deltas) => ({ events: deltas.map((delta) => ({ delta })), ending: 'stall' }),
  reset: () => ({ reset: true }),
  read: {
    // The tool messages that end the request, their text read back as JSON.
    toolResults: (body) => {
      const messages = list((body as Json).messages);
      let start = messages.length;
      while (start > 0 && messages[start - 1]?.role === 'tool') start--;
      return messages
        .slice(start)
        .map((message) => ({ id: String(message.tool_call_id), content: json(message.text) }));
    },
    declaredTools: (body) => list((body as Json).tools).map((tool) => String(tool.name)),
  },
  unsupported: {
    'errors.contentFiltered': 'Toy has no safety filter',
    reasoning: 'Toy has no reasoning',
    'read.imageInputs': 'Toy takes text only',
  },
};

/** The Toy provider as a conformance target, on its own server. */
export const toyTarget: ConformanceTarget<ToyReply> = {
  name: 'Toy',
  apiType: 'toy',
  models: { chat: 'toy-1' },
  structuredStrategy: 'tool_call',
  wire: toyWireKit,
  startServer: startToyServer,
};
