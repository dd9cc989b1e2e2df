import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLLM, type LLM } from '../client/llm.js';
import type { LLMConfig, LLMMessage, ModelDetail } from '../spec/index.js';
import {
  type FakeProvider,
  openaiChatReply,
  openaiErrorReply,
  openaiStreamReply,
  openaiToolCallReply,
  startFakeProvider,
} from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import { setOtelApiForTests } from './load-otel-api.js';

let fake: FakeProvider;
const clients: LLM[] = [];
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((llm) => llm.close()));
  expect(fake.pendingReplies).toBe(0);
});

// Prices (USD per million tokens) used for the hand computations below.
const GPT_4O_MINI = { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 };
const DEEPSEEK = { inputPerMTok: 0.27, outputPerMTok: 1.1, cachedInputPerMTok: 0.07 };
const GROK = { inputPerMTok: 0.3, outputPerMTok: 0.5, cachedInputPerMTok: 0.075 };
const GEMINI_FLASH = { inputPerMTok: 0.3, outputPerMTok: 2.5, cachedInputPerMTok: 0.075 };
const HAIKU = { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1 };

function client(extra: Partial<LLMConfig> = {}, models: Record<string, (string | ModelDetail)[]> = {}): LLM {
  const llm = createLLM({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-cost-1'],
        models: models.OpenAI ?? [{ name: 'gpt-4o-mini', pricing: GPT_4O_MINI }, 'unpriced-model'],
      },
      {
        name: 'DeepSeek',
        apiType: 'deepseek',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-cost-2'],
        models: [{ name: 'deepseek-chat', pricing: DEEPSEEK }],
      },
      {
        name: 'xAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-cost-3'],
        models: [{ name: 'grok-3-mini', pricing: GROK }],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-cost-4'],
        models: [{ name: 'gemini-2.5-flash', pricing: GEMINI_FLASH }],
      },
      {
        name: 'Anthropic',
        apiType: 'anthropic',
        apiBase: fake.anthropicBase,
        apiKeys: ['test-key-cost-5'],
        models: [{ name: 'claude-haiku-4-5', pricing: HAIKU }],
      },
    ],
    retry: { maxRetries: 0 },
    ...extra,
  });
  clients.push(llm);
  return llm;
}

describe('response.cost from recorded usage (hand-computed)', () => {
  it('OpenAI: prompt 16 (0 cached), completion 363', async () => {
    fake.enqueue({ fixture: 'openai/chat-text.json' });
    const { cost } = await client().chat('hi');
    // 16 × 0.15 / 1e6 = 0.0000024; 363 × 0.6 / 1e6 = 0.0002178
    expect(cost?.inputUsd).toBeCloseTo(0.0000024, 12);
    expect(cost?.outputUsd).toBeCloseTo(0.0002178, 12);
    expect(cost?.totalUsd).toBeCloseTo(0.0002202, 12);
  });

  it('OpenAI shape with cached and reasoning tokens (DeepSeek): prompt 495 of which 320 cached, completion 144', async () => {
    fake.enqueue({ fixture: 'deepseek/chat-json.json' });
    const { cost } = await client().chat('hi', { model: 'DeepSeek/deepseek-chat' });
    // (175 × 0.27 + 320 × 0.07) / 1e6 = 0.00006965; 144 × 1.1 / 1e6 = 0.0001584 (118 reasoning included)
    expect(cost?.inputUsd).toBeCloseTo(0.00006965, 12);
    expect(cost?.outputUsd).toBeCloseTo(0.0001584, 12);
    expect(cost?.totalUsd).toBeCloseTo(0.00022805, 12);
  });

  it('OpenAI shape with reasoning outside completion_tokens (xAI): output = total − prompt = 281', async () => {
    fake.enqueue({ fixture: 'xai/chat-tool-call-reasoning.json' });
    const { cost } = await client().chat('weather?', {
      model: 'xAI/grok-3-mini',
      tools: [{ name: 'weather', parameters: { type: 'object', properties: {} } }],
    });
    // (63 × 0.3 + 244 × 0.075) / 1e6 = 0.0000372; 281 × 0.5 / 1e6 = 0.0001405
    expect(cost?.inputUsd).toBeCloseTo(0.0000372, 12);
    expect(cost?.outputUsd).toBeCloseTo(0.0001405, 12);
  });

  it('Gemini: promptTokenCount 12013 of which 11243 cached, candidates 15 + thoughts 73', async () => {
    fake.enqueue({ fixture: 'gemini/generate-implicit-cache-usage.json' });
    const { cost } = await client().chat('hi', { model: 'Gemini/gemini-2.5-flash' });
    // (770 × 0.3 + 11243 × 0.075) / 1e6 = 0.001074225; 88 × 2.5 / 1e6 = 0.00022
    expect(cost?.inputUsd).toBeCloseTo(0.001074225, 12);
    expect(cost?.outputUsd).toBeCloseTo(0.00022, 12);
    expect(cost?.totalUsd).toBeCloseTo(0.001294225, 12);
  });

  it('Anthropic: a cache write (at the input price) then a cache read (at the cached price)', async () => {
    const file = 'anthropic/messages-prompt-cache.exchange.json';
    fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
    const llm = client();
    const messages: LLMMessage[] = [{ role: 'user', content: 'Reply with exactly: OK' }];
    const write = await llm.generate(messages, { model: 'Anthropic/claude-haiku-4-5' });
    const read = await llm.generate(messages, { model: 'Anthropic/claude-haiku-4-5' });
    // write: input 10 + cache creation 7351 = 7361 × 1 / 1e6; output 4 × 5 / 1e6
    expect(write.cost?.inputUsd).toBeCloseTo(0.007361, 12);
    expect(write.cost?.outputUsd).toBeCloseTo(0.00002, 12);
    // read: (10 × 1 + 7351 × 0.1) / 1e6 = 0.0007451
    expect(read.cost?.inputUsd).toBeCloseTo(0.0007451, 12);
    expect(read.cost?.totalUsd).toBeCloseTo(0.0007651, 12);
  });

  it('no pricing → no cost; a tool loop is priced on its total usage; a stream carries the cost on its finish event', async () => {
    const llm = client();
    fake.enqueue(openaiChatReply('free', { usage: { promptTokens: 1000, completionTokens: 1000 } }));
    expect((await llm.chat('hi', { model: 'OpenAI/unpriced-model' })).cost).toBeUndefined();

    fake.enqueue(
      openaiToolCallReply([{ name: 'noop' }], { usage: { promptTokens: 1000, completionTokens: 100 } }),
      openaiChatReply('done', { usage: { promptTokens: 2000, completionTokens: 200 } }),
    );
    const noop = functionTool({ name: 'noop', parameters: z.object({}), execute: () => 'ok' });
    const looped = await llm.chat('hi', { tools: [noop] });
    expect(looped.usage).toMatchObject({ promptTokens: 3000, completionTokens: 300 });
    // 3000 × 0.15 / 1e6 + 300 × 0.6 / 1e6
    expect(looped.cost?.totalUsd).toBeCloseTo(0.00045 + 0.00018, 12);

    fake.enqueue(openaiStreamReply(['a', 'b'], { usage: { promptTokens: 100, completionTokens: 10 } }));
    const stream = llm.stream('hi');
    let finishCost: number | undefined;
    for await (const event of stream) if (event.type === 'finish') finishCost = event.response.cost?.totalUsd;
    expect(finishCost).toBeCloseTo((100 * 0.15 + 10 * 0.6) / 1e6, 12);
    expect((await stream.response).cost?.totalUsd).toBe(finishCost);
  });
});

describe('llm.usage()', () => {
  it('totals since start by model: calls, errors, tokens by kind, cost (absent without pricing)', async () => {
    const llm = client();
    fake.enqueue(
      { fixture: 'deepseek/chat-json.json' },
      { fixture: 'deepseek/chat-json.json' },
      openaiErrorReply(400, { message: 'bad request' }),
      openaiChatReply('free', { usage: { promptTokens: 7, completionTokens: 3 } }),
    );
    await llm.chat('a', { model: 'DeepSeek/deepseek-chat' });
    await llm.chat('b', { model: 'DeepSeek/deepseek-chat' });
    await expect(llm.chat('c', { model: 'DeepSeek/deepseek-chat' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
    await llm.chat('d', { model: 'OpenAI/unpriced-model' });
    const usage = llm.usage();
    expect(usage).toEqual({
      'DeepSeek/deepseek-chat': {
        calls: 3,
        errors: 1,
        promptTokens: 990,
        completionTokens: 288,
        totalTokens: 1278,
        cachedTokens: 640,
        reasoningTokens: 236,
        cost: {
          inputUsd: expect.closeTo(2 * 0.00006965, 12),
          outputUsd: expect.closeTo(2 * 0.0001584, 12),
          totalUsd: expect.closeTo(2 * 0.00022805, 12),
        },
      },
      'OpenAI/unpriced-model': {
        calls: 1,
        errors: 0,
        promptTokens: 7,
        completionTokens: 3,
        totalTokens: 10,
        cachedTokens: 0,
        reasoningTokens: 0,
      },
    });
    // A snapshot: later calls do not change it.
    usage['OpenAI/unpriced-model']!.calls = 99;
    expect(llm.usage()['OpenAI/unpriced-model']?.calls).toBe(1);
  });

  it('sessions and streamStructured are counted like the client calls (cost on their responses too)', async () => {
    const llm = client();
    fake.enqueue(
      openaiChatReply('hi', { usage: { promptTokens: 100, completionTokens: 10 } }),
      openaiStreamReply(['{"n": ', '1}'], { usage: { promptTokens: 200, completionTokens: 20 } }),
    );
    const turn = await llm.session().chat('hello');
    expect(turn.cost?.totalUsd).toBeCloseTo((100 * 0.15 + 10 * 0.6) / 1e6, 12);
    const structured = llm.streamStructured('one', z.object({ n: z.number() }));
    expect(await structured.value).toEqual({ n: 1 });
    expect((await structured.result).response.cost?.totalUsd).toBeCloseTo((200 * 0.15 + 20 * 0.6) / 1e6, 12);
    expect(llm.usage()['OpenAI/gpt-4o-mini']).toMatchObject({
      calls: 2,
      promptTokens: 300,
      completionTokens: 30,
    });
  });

  it('works without @opentelemetry/api installed (nothing to load, no spans, the same accounting)', async () => {
    setOtelApiForTests(null);
    try {
      const llm = client();
      fake.enqueue(openaiChatReply('hi', { usage: { promptTokens: 10, completionTokens: 2 } }));
      const response = await llm.chat('hi');
      expect(response.cost?.totalUsd).toBeCloseTo((10 * 0.15 + 2 * 0.6) / 1e6, 12);
      expect(llm.usage()['OpenAI/gpt-4o-mini']?.calls).toBe(1);
      expect(llm.context.telemetry.tracing).toBe(false);
    } finally {
      setOtelApiForTests(undefined);
    }
  });
});

describe('spend recorded in the key store', () => {
  it('file store: each call by day and model, written at close (library calls: no client)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-cost-')), 'state.json');
    const llm = client({ keyStore: { type: 'file', path } });
    fake.enqueue({ fixture: 'deepseek/chat-json.json' }, openaiErrorReply(400, { message: 'bad' }));
    await llm.chat('a', { model: 'DeepSeek/deepseek-chat' });
    await llm.chat('b', { model: 'DeepSeek/deepseek-chat' }).catch(() => undefined);
    await llm.close();
    const file = JSON.parse(readFileSync(path, 'utf8')) as { spend: Record<string, unknown>[] };
    const today = new Date().toISOString().slice(0, 10);
    expect(file.spend).toEqual([
      {
        day: today,
        model: 'DeepSeek/deepseek-chat',
        calls: 2,
        errors: 1,
        promptTokens: 495,
        completionTokens: 144,
        cachedTokens: 320,
        reasoningTokens: 118,
        costUsd: expect.closeTo(0.00022805, 12),
      },
    ]);
  });

  it('memory store, or recordSpend: false: nothing is recorded', async () => {
    const llm = client();
    fake.enqueue(openaiChatReply('x'));
    await llm.chat('a');
    expect(await llm.context.keyPools.store.spend?.totals()).toEqual([]);

    const path = join(mkdtempSync(join(tmpdir(), 'sb-cost-')), 'state.json');
    const quiet = createLLM(
      {
        providers: [
          {
            name: 'OpenAI',
            apiType: 'openai',
            apiBase: fake.openaiBase,
            apiKeys: ['test-key-q'],
            models: ['gpt-4o-mini'],
          },
        ],
        keyStore: { type: 'file', path },
      },
      { recordSpend: false },
    );
    fake.enqueue(openaiChatReply('y'));
    await quiet.chat('b');
    await quiet.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).spend).toBeUndefined();
  });
});
