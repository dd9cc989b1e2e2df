import { mkdtempSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMError } from '../errors/llm-error.js';
import { freePort, type ReceivedRequest, startLoopback } from '../http/test-support/loopback.js';
import { createTransport, type Transport } from '../http/transport.js';
import { FileKeyStore } from '../keys/file-key-store.js';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import { createInternalLogger, resolveDebugLog } from '../logging/internal-logger.js';
import type { Logger } from '../spec/index.js';
import { keyIdOf } from '../util/key-id.js';
import { type HarnessOptions, harness } from './test-support/harness.js';
import { testRequest } from './test-support/scripted-transport.js';
import { releaseBody } from './timeout.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

type Handler = (request: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

async function server(handler: Handler) {
  const loopback = await startLoopback(handler);
  cleanups.push(() => loopback.close());
  return loopback;
}

function realTransport(): Transport {
  const transport = createTransport({
    config: { providers: [{ name: 'OpenAI', proxy: undefined }] },
    closeGraceMs: 10,
  });
  cleanups.push(() => transport.close());
  return transport;
}

function setup(url: string, options: Omit<HarnessOptions, 'transport'> = {}) {
  const built = harness({ transport: realTransport(), ...options });
  const call = (overrides: Parameters<typeof testRequest>[0] = {}) =>
    built.pipeline(testRequest({ url, deadline: Date.now() + 10_000, ...overrides }));
  return { ...built, call };
}

const keyOf = (request: ReceivedRequest) =>
  String(request.headers.authorization ?? request.headers['x-goog-api-key'] ?? '').replace(/^Bearer /, '');
const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const ok = (res: ServerResponse) => reply(res, 200, { choices: [{ message: { content: 'hi' } }] });

describe('pipeline over HTTP: hints, timeouts, aborts', () => {
  it('honours the Gemini RetryInfo of the recorded 429: cools that key for that model, retries at once elsewhere', async () => {
    const fixture = JSON.parse(
      readFileSync(
        new URL(
          '../../fixtures/providers/gemini/error-429-resource-exhausted.exchange.json',
          import.meta.url,
        ),
        'utf8',
      ),
    );
    const recorded = fixture.interactions[0].response;
    const keys = ['test-key-gemini-0001', 'test-key-gemini-0002'];
    const s = await server((request, res) => {
      if (keyOf(request) === keys[0])
        reply(res, recorded.status, recorded.body, { 'content-type': recorded.headers['content-type'] });
      else reply(res, 200, { candidates: [{ content: { parts: [{ text: 'hi' }] } }] });
    });
    // A manual clock: the cooldown is exact, and any backoff wait would be recorded in clock.sleeps.
    const clock = new ManualClock(1_000_000, true);
    const { call, pool } = setup(s.url, { keys, provider: 'Gemini', clock });
    const response = await call({
      provider: 'Gemini',
      model: 'Gemini/gemini-2.5-flash',
      modelId: 'gemini-2.5-flash',
      auth: { scheme: 'header', name: 'x-goog-api-key' },
    });
    expect(clock.sleeps).toEqual([]);
    expect(response.attempts.map((a) => [a.keyId, a.status, a.code, a.waitMs])).toEqual([
      [keyIdOf(keys[0]!), 429, 'API_RATE_LIMITED', 0],
      [keyIdOf(keys[1]!), 200, undefined, 0],
    ]);
    const cooled = pool.stats()[0]!;
    expect(cooled.status).toBe('cooldown');
    expect(cooled.cooldownSecondsLeft).toBe(48);
    expect(pool.select('gemini-2.5-flash')?.key).toBe(keys[1]);
    expect(pool.select('gemini-2.5-pro')?.key).toBe(keys[0]);
  });

  // The server never answers and the provider timeout is 60 s: only the 300 ms deadline can end these calls
  // before the test times out, so no upper bound on the elapsed time is needed (or safe on a busy machine).
  it('a hung server ends with API_TIMEOUT at the deadline, not before', async () => {
    const s = await server(() => {});
    const { call } = setup(s.url);
    const started = performance.now();
    const error = (await call({ deadline: Date.now() + 300 }).catch((e: unknown) => e)) as LLMError;
    const elapsed = performance.now() - started;
    console.log(`[deadline] hung server, deadline 300 ms → API_TIMEOUT after ${elapsed.toFixed(1)} ms`);
    expect(error.code).toBe('API_TIMEOUT');
    expect(error.attempts).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it('a stream body read after the pipeline returned is still bounded by the deadline', async () => {
    const s = await server((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n'); // then stalls
    });
    const { call } = setup(s.url);
    const started = performance.now();
    const response = await call({ stream: true, deadline: Date.now() + 300 });
    const chunks: string[] = [];
    const error = await (async () => {
      for await (const chunk of response.body!) chunks.push(Buffer.from(chunk).toString());
    })().catch((e: unknown) => e as LLMError);
    const elapsed = performance.now() - started;
    console.log(`[deadline] stalled stream, deadline 300 ms → API_TIMEOUT after ${elapsed.toFixed(1)} ms`);
    expect(chunks).toEqual(['data: {"n":1}\n\n']);
    expect(error).toMatchObject({ code: 'API_TIMEOUT', provider: 'OpenAI' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  // Each wait below can only end by the abort: a server that never answers, a stream that stalls, a 20 s
  // backoff and a 5 s key cooldown on a manual clock that never advances, all under a 10 s+ deadline. So
  // "still pending before the abort, ABORTED after it" proves the abort ended it, whatever the machine's speed.
  it('abort → ABORTED: during the request, mid-stream, in backoff, waiting for a key', async () => {
    const hung = await server(() => {});
    const timings: Record<string, number> = {};
    const measure = async (name: string, run: (signal: AbortSignal) => Promise<unknown>) => {
      const controller = new AbortController();
      let settled = false;
      const pending = run(controller.signal).then(
        (value) => {
          settled = true;
          return value;
        },
        (error: unknown) => {
          settled = true;
          return error;
        },
      );
      // Let the call reach its wait (event-loop turns, not a duration).
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect({ name, settled }).toEqual({ name, settled: false });
      const abortedAt = performance.now();
      controller.abort();
      const error = (await pending) as LLMError;
      timings[name] = performance.now() - abortedAt;
      expect({ name, code: error.code }).toEqual({ name, code: 'ABORTED' });
    };
    const http = setup(hung.url);
    await measure('request', (signal) => http.call({ signal }));

    const stalled = await server((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
    });
    const streaming = setup(stalled.url);
    await measure('stream body', async (signal) => {
      const response = await streaming.call({ stream: true, signal });
      for await (const _chunk of response.body!) {
        // read until aborted
      }
    });

    const failing = await server((_r, res) => reply(res, 500, { error: { message: 'boom' } }));
    const backoffClock = new ManualClock();
    const backoff = setup(failing.url, {
      clock: backoffClock,
      retry: { baseDelayMs: 20_000, maxDelayMs: 20_000 },
    });
    await measure('backoff', (signal) => backoff.call({ signal, deadline: backoffClock.now() + 60_000 }));
    expect(backoffClock.sleeps).toHaveLength(1);

    const fine = await server((_r, res) => ok(res));
    const keyClock = new ManualClock();
    const waiting = setup(fine.url, { keys: ['test-key-0001'], clock: keyClock });
    waiting.pool.report('test-key-0001', 'test-model', {
      kind: 'failure',
      code: 'API_RATE_LIMITED',
      retryAfterMs: 5000,
    });
    await measure('key wait', (signal) => waiting.call({ signal, deadline: keyClock.now() + 60_000 }));
    expect(fine.requests).toHaveLength(0);

    console.log(
      `[abort] abort → ABORTED: ${Object.entries(timings)
        .map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`)
        .join(', ')}`,
    );
  });

  it('connection refused → API_REQUEST_FAILED, retried, failure counted without cooldown', async () => {
    const port = await freePort();
    const { call, pool } = setup(`http://127.0.0.1:${port}/v1/chat/completions`, {
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const error = (await call().catch((e: unknown) => e)) as LLMError;
    expect(error).toMatchObject({ code: 'API_REQUEST_FAILED', networkCause: 'refused' });
    expect(error.attempts).toHaveLength(3);
    const stats = pool.stats();
    expect(stats.map((s) => s.failureCount)).toEqual([1, 1, 1]);
    expect(stats.every((s) => s.cooldownSecondsLeft === 0 && s.status === 'error')).toBe(true);
    expect(pool.select('test-model')).toBeDefined();
  });

  it('a connection cut mid-stream ends the body read with API_REQUEST_FAILED', async () => {
    const s = await server((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const { call } = setup(s.url);
    const response = await call({ stream: true });
    const chunks: string[] = [];
    const error = await (async () => {
      for await (const chunk of response.body!) chunks.push(Buffer.from(chunk).toString());
    })().catch((e: unknown) => e as LLMError);
    expect(chunks).toEqual(['data: 1\n\n']);
    expect(error).toMatchObject({
      code: 'API_REQUEST_FAILED',
      provider: 'OpenAI',
      keyId: keyIdOf('test-key-0001'),
    });
  });

  it('releaseBody stops reading an unwanted stream', async () => {
    const s = await server((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
    });
    const { call } = setup(s.url);
    const response = await call({ stream: true });
    await releaseBody(response.body);
    await releaseBody(undefined);
  });
});

describe('pipeline over HTTP: persistence and secrecy', () => {
  // Coalescing, stated without machine speed: a write needs a flush interval to pass since the change that
  // scheduled it, so the writes during the run are bounded by the intervals that elapsed (however long the
  // 300 calls took); a store writing per change would make ~300. Plus at most one write on close.
  it('300 calls write the state file at most once per flush interval (not per call)', async () => {
    const s = await server((_r, res) => ok(res));
    const counts: string[] = [];
    for (const flushIntervalMs of [60_000, 1000, 50]) {
      const path = join(mkdtempSync(join(tmpdir(), 'switchboard-pipe-')), 'keys.json');
      const store = new FileKeyStore({ path, flushIntervalMs });
      const { call } = setup(s.url, { store });
      const started = performance.now();
      for (let i = 0; i < 300; i++) await call();
      await store.close();
      const elapsed = performance.now() - started;
      counts.push(`interval ${flushIntervalMs} ms: ${store.writeCount} writes in ${elapsed.toFixed(0)} ms`);
      // Timer writes: each needs a full interval after the previous one fired; plus one write on close.
      expect(store.writeCount).toBeLessThanOrEqual(Math.floor(elapsed / flushIntervalMs) + 1);
      expect(store.writeCount).toBeGreaterThanOrEqual(1);
      const saved = JSON.parse(readFileSync(path, 'utf8'));
      const successes = Object.values(
        saved.providers.OpenAI as Record<string, { successCount: number }>,
      ).reduce((sum, state) => sum + state.successCount, 0);
      expect(successes).toBe(300);
    }
    console.log(`[persistence] 300 calls → ${counts.join('; ')}`);
  });

  it('with debugLog on, no log line, error, serialized error or state file contains a key', async () => {
    const keys = ['test-key-secret-bad-0001', 'test-key-secret-good-0002'];
    const s = await server((request, res) => {
      const key = keyOf(request);
      if (key === keys[0]) {
        reply(res, 401, {
          error: { message: `Incorrect API key provided: ${key}.`, code: 'invalid_api_key' },
        });
      } else {
        reply(res, 200, { echo: `you sent ${key}`, choices: [] });
      }
    });
    const lines: unknown[] = [];
    const record = (level: string) => (obj: unknown, msg?: string) => lines.push({ level, obj, msg });
    const userLogger: Logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      isLevelEnabled: () => true,
    };
    const logger = createInternalLogger(userLogger, resolveDebugLog(true));
    const path = join(mkdtempSync(join(tmpdir(), 'switchboard-secret-')), 'keys.json');
    const store = new FileKeyStore({ path, logger });
    const { call } = setup(s.url, { keys, logger, debugLog: true, store });
    const response = await call();
    expect(response.attempts.map((a) => a.code)).toEqual(['API_KEY_INVALID', undefined]);

    const onlyBad = setup(s.url, { keys: [keys[0]!], logger, debugLog: true });
    const error = (await onlyBad.call().catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('API_KEY_INVALID');
    await store.close();

    const debugLines = lines.filter((line) => (line as { level: string }).level === 'debug');
    const infoLines = lines.filter((line) => (line as { level: string }).level === 'info');
    expect(debugLines.length).toBe(3); // one per attempt: bad, good, bad
    expect(infoLines.length).toBe(2); // one per call
    const everything = [
      JSON.stringify(lines),
      error.message,
      JSON.stringify(error),
      String(error.stack),
      readFileSync(path, 'utf8'),
    ].join('\n');
    for (const key of keys) expect(everything).not.toContain(key);
    expect(JSON.stringify(infoLines)).toContain(keyIdOf(keys[1]!));
  });
});
