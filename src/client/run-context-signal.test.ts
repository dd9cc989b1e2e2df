import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunContext } from '../spec/index.js';
import { type FakeProvider, openaiToolCallReply, startFakeProvider } from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import type { LLM } from './llm.js';
import { clientFor, collect, rejectionOf } from './test-support/e2e-kit.js';

// API.md §2: `runContext.signal`, when the caller sets it, is honoured alongside the call's own signal
// (either aborts the tool).

let fake: FakeProvider;
let llm: LLM;

beforeEach(async () => {
  fake = await startFakeProvider();
  llm = clientFor([
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: fake.openaiBase,
      apiKeys: ['test-key-1'],
      models: ['gpt-4o-mini'],
    },
  ]);
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.errors).toEqual([]);
});

/** A tool that waits until its signal aborts (or 5 s), reporting what it saw. */
function waitingTool() {
  const seen: { started: Promise<void>; signal?: AbortSignal; reason?: unknown; aborted?: boolean } = {
    started: Promise.resolve(),
  };
  let markStarted!: () => void;
  seen.started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const tool = functionTool({
    name: 'wait',
    description: 'Waits for an abort',
    parameters: z.object({}),
    execute: async (_args, context: RunContext) => {
      seen.signal = context.signal;
      markStarted();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        context.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      seen.aborted = context.signal?.aborted ?? false;
      seen.reason = context.signal?.reason;
      return 'done';
    },
  });
  return { tool, seen };
}

describe('runContext.signal alongside the call signal', () => {
  it("aborting the caller's runContext.signal aborts the tool, though the call's own signal is set too", async () => {
    const { tool, seen } = waitingTool();
    fake.enqueue(openaiToolCallReply([{ name: 'wait' }]));
    const own = new AbortController();
    const context = new AbortController();
    const pending = llm.chat('go', {
      tools: [tool],
      signal: own.signal,
      runContext: { signal: context.signal },
    });
    await seen.started;
    context.abort('user left the room');
    await pending;
    expect(seen.aborted).toBe(true);
    expect(seen.reason).toBe('user left the room');
    // The call ended: nothing is left listening on either signal.
    expect(getEventListeners(own.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(context.signal, 'abort')).toHaveLength(0);
  });

  it("aborting the call's own signal still reaches the tool when runContext.signal is set", async () => {
    const { tool, seen } = waitingTool();
    fake.enqueue(openaiToolCallReply([{ name: 'wait' }]));
    const own = new AbortController();
    const context = new AbortController();
    const pending = llm.chat('go', {
      tools: [tool],
      signal: own.signal,
      runContext: { signal: context.signal },
    });
    await seen.started;
    own.abort();
    const error = await rejectionOf(pending);
    expect(error.code).toBe('ABORTED');
    expect(seen.aborted).toBe(true);
    expect(getEventListeners(context.signal, 'abort')).toHaveLength(0);
  });

  it('stream.abort() reaches the tool when runContext.signal is set', async () => {
    const { tool, seen } = waitingTool();
    fake.enqueue(openaiToolCallReply([{ name: 'wait' }]));
    const context = new AbortController();
    const stream = llm.stream('go', { tools: [tool], runContext: { signal: context.signal } });
    const events = collect(stream);
    await seen.started;
    stream.abort();
    await events;
    expect(seen.aborted).toBe(true);
    expect(getEventListeners(context.signal, 'abort')).toHaveLength(0);
  });

  it('with only runContext.signal, the tool gets it as is', async () => {
    const { tool, seen } = waitingTool();
    fake.enqueue(openaiToolCallReply([{ name: 'wait' }]));
    const context = new AbortController();
    const pending = llm.chat('go', { tools: [tool], runContext: { signal: context.signal } });
    await seen.started;
    context.abort();
    await pending;
    expect(seen.aborted).toBe(true);
  });

  it('a runContext.signal that is not an AbortSignal is INVALID_PARAMETER naming it', async () => {
    const { tool } = waitingTool();
    fake.enqueue(openaiToolCallReply([{ name: 'wait' }]));
    const error = await rejectionOf(
      llm.chat('go', { tools: [tool], runContext: { signal: 'soon' as unknown as AbortSignal } }),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('runContext.signal');
  });
});
