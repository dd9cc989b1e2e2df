import { getEventListeners } from 'node:events';
import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import type { LLM } from './llm.js';
import { clientFor } from './test-support/e2e-kit.js';

// Issue 13 item 7: 1,000 calls aborted at once must all settle promptly, a shared AbortSignal must not
// print MaxListenersExceededWarning, and nothing may stay attached to it afterwards.
//
// Speed-independent criteria: abort() does no connection teardown itself (no socket is destroyed while it
// runs), every call has settled before the event loop runs any macrotask after abort() (nothing queues
// behind I/O or timers) and before the first socket is torn down; wall-clock latencies are only printed.

const CALLS = 1000;

let fake: FakeProvider;
let llm: LLM;
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.name);

beforeEach(async () => {
  warnings.length = 0;
  process.on('warning', onWarning);
  fake = await startFakeProvider(() => ({ stall: true }));
  llm = clientFor(
    [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: ['gpt-4o-mini'],
      },
    ],
    { timeoutMs: 60_000 },
  );
});

afterEach(async () => {
  process.off('warning', onWarning);
  await llm.close();
  await fake.close();
});

interface Storm {
  kind: 'chat' | 'stream';
  shared: boolean;
}

async function storm({ kind, shared }: Storm) {
  const sharedController = new AbortController();
  const controllers: AbortController[] = [];
  let settled = 0;
  const settledAt: number[] = [];
  const outcomes: string[] = [];
  const calls: Promise<void>[] = [];
  for (let i = 0; i < CALLS; i++) {
    const controller = shared ? sharedController : new AbortController();
    controllers.push(controller);
    const options = { signal: controller.signal };
    const call = kind === 'stream' ? llm.stream('hi', options).response : llm.chat('hi', options);
    calls.push(
      call.then(
        () => {
          outcomes.push('ok');
        },
        (error: { code?: string }) => {
          settled++;
          settledAt.push(performance.now());
          outcomes.push(error.code ?? 'other');
        },
      ),
    );
  }
  while (fake.requests.length < CALLS) await new Promise((resolve) => setTimeout(resolve, 5));
  const listenersBeforeAbort = getEventListeners(sharedController.signal, 'abort').length;

  // Every socket teardown (client and fake alike) from here on, and how many calls had settled by the first.
  const original = Socket.prototype.destroy;
  let teardowns = 0;
  let settledAtFirstTeardown = -1;
  Socket.prototype.destroy = function (this: Socket, ...args: Parameters<Socket['destroy']>) {
    teardowns++;
    if (settledAtFirstTeardown < 0) settledAtFirstTeardown = settled;
    return original.apply(this, args);
  };
  const abortedAt = performance.now();
  // Calls settled when the event loop first gets to run a macrotask after abort().
  const firstMacrotask = new Promise<number>((resolve) => setImmediate(() => resolve(settled)));
  try {
    if (shared) sharedController.abort();
    else for (const controller of controllers) controller.abort();
    const teardownsDuringAbort = teardowns;
    const abortMs = performance.now() - abortedAt;
    await Promise.all(calls);
    const settledAtFirstMacrotask = await firstMacrotask;
    const latencies = settledAt.map((at) => at - abortedAt).sort((a, b) => a - b);
    console.log(
      `[abort storm] ${CALLS} ${kind} calls, ${shared ? 'one shared signal' : 'one signal each'}: abort() ${abortMs.toFixed(0)} ms; settled after p50 ${latencies[CALLS / 2]?.toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`,
    );
    return {
      teardownsDuringAbort,
      settledAtFirstMacrotask,
      settledAtFirstTeardown,
      outcomes,
      controllers,
      listenersBeforeAbort,
    };
  } finally {
    Socket.prototype.destroy = original;
  }
}

describe('abort storm: 1,000 stalled calls aborted at once', () => {
  for (const kind of ['chat', 'stream'] as const) {
    for (const shared of [true, false]) {
      it(`${kind}, ${shared ? 'one shared AbortSignal' : 'one AbortSignal per call'}: every call settles before any teardown or macrotask`, async () => {
        const result = await storm({ kind, shared });
        expect(result.outcomes).toHaveLength(CALLS);
        expect(new Set(result.outcomes)).toEqual(new Set(['ABORTED']));
        expect(result.teardownsDuringAbort).toBe(0);
        expect(result.settledAtFirstMacrotask).toBe(CALLS);
        expect(result.settledAtFirstTeardown === -1 || result.settledAtFirstTeardown === CALLS).toBe(true);
        expect(warnings).not.toContain('MaxListenersExceededWarning');
        // A thousand calls on one signal: one listener on it.
        if (shared) expect(result.listenersBeforeAbort).toBe(1);
        // Nothing stays attached to any caller signal once the calls are over.
        for (const controller of shared ? result.controllers.slice(0, 1) : result.controllers) {
          expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
        }
      }, 60_000);
    }
  }
});

describe('a shared AbortSignal while calls wait', () => {
  it('50 calls in retry backoff on one signal: one listener, no warning, all ABORTED at once, none left', async () => {
    const waiting = clientFor(
      [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: ['test-key-1'],
          models: ['gpt-4o-mini'],
        },
      ],
      { retry: { maxRetries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 }, timeoutMs: 120_000 },
    );
    fake.setHandler(() => ({ status: 500, json: { error: { message: 'down' } } }));
    const controller = new AbortController();
    const calls = Array.from({ length: 50 }, () =>
      waiting.chat('hi', { signal: controller.signal }).catch((error: { code?: string }) => error.code),
    );
    while (fake.requests.length < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['ABORTED']));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    await waiting.close();
  });
});
