import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LLMError } from '../errors/llm-error.js';
import { checkApiKey } from './auth.js';
import { type AutoContext, automaticReply } from './auto-reply.js';
import type {
  FakeProvider,
  FakeProviderOptions,
  FakeProviderScript,
  RecordedRequest,
} from './fake-provider-types.js';
import { checkFixtureReply, DEFAULT_FIXTURES_DIR, type FixtureState } from './fixture-replay.js';
import { recordRequest } from './record-request.js';
import { ReplyScript } from './reply-script.js';
import type { Reply } from './reply-types.js';
import { ResponseLife } from './response-life.js';
import { recognizeRoute } from './route-match.js';
import { writeReply } from './write-reply.js';

const OPTION_KEYS = new Set(['replies', 'handler', 'routes', 'keys', 'fixturesDir']);

function isReplyList(script: FakeProviderScript): script is readonly Reply[] {
  return Array.isArray(script);
}

function normalizeScript(script: FakeProviderScript | undefined): FakeProviderOptions {
  if (script == null) return {};
  if (typeof script === 'function') return { handler: script };
  if (isReplyList(script)) return { replies: script };
  for (const key of Object.keys(script)) {
    if (OPTION_KEYS.has(key)) continue;
    const hint = ['json', 'text', 'sse', 'fixture', 'stall', 'reset'].includes(key)
      ? ' (a single reply? pass [reply])'
      : '';
    throw new LLMError('CONFIGURATION_ERROR', `startFakeProvider: unknown option "${key}"${hint}`);
  }
  return script;
}

function isRecordLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts a loopback HTTP server (127.0.0.1, random port) speaking the OpenAI, Gemini and Anthropic wire formats, with
 * scripted replies, fixture replay and faults; it records every request. Close it at the end of the test.
 * Fixture replies in the script (`replies`, `routes`) are checked at once: a missing file, an unknown format
 * or an interaction that does not exist rejects with `CONFIGURATION_ERROR` naming the resolved path.
 * @example
 * const fake = await startFakeProvider([openaiChatReply('Paris')]);
 * // point a provider's apiBase at fake.openaiBase (or fake.geminiBase, fake.anthropicBase), call it, then:
 * expect(fake.lastRequest?.body).toMatchObject({ model: 'gpt-4o-mini' });
 * await fake.close();
 */
export async function startFakeProvider(script?: FakeProviderScript): Promise<FakeProvider> {
  const options = normalizeScript(script);
  const dir = options.fixturesDir;
  const fixtures: FixtureState = {
    fixturesDir: dir == null ? DEFAULT_FIXTURES_DIR : dir instanceof URL ? fileURLToPath(dir) : dir,
    nextInteraction: new Map(),
  };
  // Fixture replies are checked now, when scripted: a missing file throws here, not as a 500 later.
  const replies = new ReplyScript(options, (reply) => {
    if (isRecordLike(reply) && 'fixture' in reply) checkFixtureReply(reply, fixtures.fixturesDir);
  });
  const requests: RecordedRequest[] = [];
  const errors: Error[] = [];
  const sockets = new Set<Socket>();
  let requestCount = 0;
  let idCount = 0;
  const autoContext: AutoContext = { url: '', nextId: () => ++idCount };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const life = new ResponseLife(res);
    try {
      const { request, route } = await recordRequest(req, recognizeRoute);
      requests.push(request);
      const index = requestCount++;
      const automatic = (): Reply => automaticReply(request, route, autoContext);
      const reply =
        checkApiKey(options.keys, request.apiKey, route.dialect) ??
        (await replies.next(request, route, { automatic, index })) ??
        automatic();
      await writeReply(life, reply, route, fixtures);
    } catch (error) {
      if (life.closed) return;
      const problem = error instanceof Error ? error : new Error(String(error));
      errors.push(problem);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 500;
      res.removeHeader('content-length');
      res.removeHeader('content-encoding');
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`fake provider error: ${problem.message}`);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  autoContext.url = url;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return {
    url,
    port,
    openaiBase: `${url}/v1`,
    geminiBase: url,
    anthropicBase: url,
    requests,
    get lastRequest() {
      return requests.at(-1);
    },
    requestsTo: (pathFragment) => requests.filter((request) => request.path.includes(pathFragment)),
    clearRequests: () => {
      requests.length = 0;
    },
    enqueue: (...more) => replies.enqueue(more),
    setHandler: (handler) => replies.setHandler(handler),
    get pendingReplies() {
      return replies.pending;
    },
    errors,
    close,
    [Symbol.asyncDispose]: close,
  };
}
