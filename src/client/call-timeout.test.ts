import { afterEach, describe, expect, it } from 'vitest';
import { type FakeProvider, openaiChatReply, startFakeProvider } from '../testing/index.js';
import type { LLM } from './llm.js';
import { clientFor, collect, openaiDelta, textsOf } from './test-support/e2e-kit.js';

// API.md §1/§2: a call's `timeoutMs` overrides the provider's, longer or shorter; nothing below the
// pipeline (undici's own header/body timeouts) may cut a call before its deadline.

let fake: FakeProvider | undefined;
let llm: LLM | undefined;

afterEach(async () => {
  await llm?.close();
  await fake?.close();
  expect(fake?.errors ?? []).toEqual([]);
});

async function setup(providerTimeoutMs: number): Promise<{ fake: FakeProvider; llm: LLM }> {
  fake = await startFakeProvider();
  llm = clientFor([
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: fake.openaiBase,
      apiKeys: ['test-key-1'],
      models: ['gpt-4o-mini'],
      timeoutMs: providerTimeoutMs,
    },
  ]);
  return { fake, llm };
}

describe('per-call timeoutMs over the provider timeout', () => {
  it('a call timeoutMs longer than the provider one wins: a server answering after 1.2 s succeeds', async () => {
    const { fake, llm } = await setup(500);
    fake.enqueue(openaiChatReply('late but fine', { delayMs: 1200 }));
    const response = await llm.chat('hi', { timeoutMs: 5000 });
    expect(response.text).toBe('late but fine');
    expect(response.attempts).toHaveLength(1);
  });

  it('a stream pausing longer than the provider timeout between events succeeds within the call timeout', async () => {
    const { fake, llm } = await setup(500);
    const finish = { id: 'chatcmpl-x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
    fake.enqueue({ sse: [openaiDelta('slow'), finish], eventDelayMs: 1200 });
    const events = await collect(llm.stream('hi', { timeoutMs: 5000 }));
    expect(textsOf(events)).toEqual(['slow']);
    expect(events.at(-1)?.type).toBe('finish');
  });

  it('without a call timeoutMs the provider timeout is the deadline', async () => {
    const { fake, llm } = await setup(300);
    fake.setHandler(() => ({ stall: true }));
    const error = await llm.chat('hi').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'API_TIMEOUT' });
  });
});
