import { afterEach, describe, expect, it } from 'vitest';
import { fromFileLayout } from '../config/file-layout.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { LLMConfig } from '../spec/index.js';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import { createLLM, type LLM } from './llm.js';
import { rejectionOf, sentBody } from './test-support/e2e-kit.js';

// Issue 17 item 6: `available: false` (seed `is_available: false`) keeps a model listed but out of service.

let fake: FakeProvider | undefined;
let llm: LLM | undefined;
afterEach(async () => {
  await llm?.close();
  await fake?.close();
  llm = undefined;
  fake = undefined;
});

function config(url: string, extra: Partial<LLMConfig> = {}): LLMConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: url,
        apiKeys: ['test-key-1'],
        models: [
          { name: 'gpt-4o', available: false, unavailableReason: 'quota used up until June' },
          'gpt-4o-mini',
          { name: 'text-embedding-3-large', embedding: true, available: false },
          { name: 'text-embedding-3-small', embedding: true },
        ],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: url,
        apiKeys: ['test-key-2'],
        models: [{ name: 'gemini-2.5-flash', available: false }],
      },
    ],
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  };
}

async function start(extra: Partial<LLMConfig> = {}): Promise<{ fake: FakeProvider; llm: LLM }> {
  fake = await startFakeProvider();
  llm = createLLM(config(fake.url, extra));
  return { fake, llm };
}

describe('available: false', () => {
  it('is listed as unavailable (with the reason); the others say available: true', async () => {
    const { llm } = await start();
    const listed = llm.models.list().map((info) => [info.name, info.available, info.unavailableReason]);
    expect(listed).toEqual([
      ['OpenAI/gpt-4o', false, 'quota used up until June'],
      ['OpenAI/gpt-4o-mini', true, undefined],
      ['OpenAI/text-embedding-3-large', false, undefined],
      ['OpenAI/text-embedding-3-small', true, undefined],
      ['Gemini/gemini-2.5-flash', false, undefined],
    ]);
    expect(llm.models.listEmbedding().map((info) => info.available)).toEqual([false, true]);
    // Describing it is not calling it.
    expect(llm.models.resolve('openai/GPT-4O')).toMatchObject({ available: false, kind: 'chat' });
  });

  it('a call to it fails with MODEL_NOT_FOUND saying it is unavailable and why; nothing is sent', async () => {
    const { fake, llm } = await start();
    const chat = await rejectionOf(llm.chat('hi', { model: 'OpenAI/gpt-4o' }));
    expect(chat.code).toBe('MODEL_NOT_FOUND');
    expect(chat.message).toMatch(/"OpenAI\/gpt-4o" is unavailable .*quota used up until June/);
    expect(chat.message).toContain('OpenAI/gpt-4o-mini');
    expect(chat.details).toMatchObject({ unavailable: true, reason: 'quota used up until June' });
    expect(chat.model).toBe('OpenAI/gpt-4o');

    const gemini = await rejectionOf(
      llm.generate([{ role: 'user', content: 'hi' }], { model: 'Gemini/gemini-2.5-flash' }),
    );
    expect(gemini.code).toBe('MODEL_NOT_FOUND');
    expect(gemini.message).toMatch(/unavailable/);
    const stream = await rejectionOf(llm.stream('hi', { model: 'Gemini/gemini-2.5-flash' }).response);
    expect(stream.code).toBe('MODEL_NOT_FOUND');
    const embed = await rejectionOf(llm.embed('x', { model: 'OpenAI/text-embedding-3-large' }));
    expect(embed.code).toBe('MODEL_NOT_FOUND');
    expect(embed.message).toContain('OpenAI/text-embedding-3-small');
    expect(fake.requests).toHaveLength(0);
  });

  it('default choices skip unavailable models; setDefault to one is a clear error', async () => {
    const { fake, llm } = await start();
    expect(llm.models.getDefault()).toBe('OpenAI/gpt-4o-mini');
    await llm.chat('hi');
    expect(sentBody<{ model: string }>(fake).model).toBe('gpt-4o-mini');
    await llm.embed('x');
    expect(sentBody<{ model: string }>(fake).model).toBe('text-embedding-3-small');

    let error: unknown;
    try {
      llm.models.setDefault('OpenAI/gpt-4o');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect((error as Error).message).toMatch(/unavailable/);
    expect(llm.models.getDefault()).toBe('OpenAI/gpt-4o-mini');
  });

  it('a configured defaultModel that is unavailable is a configuration problem by path', () => {
    let error: unknown;
    try {
      resolveConfig(config('http://127.0.0.1:1', { defaultModel: 'OpenAI/gpt-4o' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR' });
    expect((error as { details: { issues: unknown[] } }).details.issues).toEqual([
      { path: 'defaultModel', message: expect.stringMatching(/available: false/) },
    ]);
  });

  it('the seed layout: is_available: false (also as the string "false" from an env reference)', () => {
    const layout = fromFileLayout({
      AI: {
        PROVIDERS: [
          {
            name: 'A',
            api_key: 'test-key-1',
            api_type: 'openai',
            models: [
              { model_name: 'm1', is_available: false },
              { model_name: 'm2', is_available: 'false', unavailable_reason: 'retired' },
              { model_name: 'm3', is_available: true },
            ],
          },
        ],
      },
    });
    expect(layout.issues).toEqual([]);
    const resolved = resolveConfig(layout.config);
    const models = resolved.providers[0]?.models ?? [];
    expect(models.map((model) => [model.id, model.available, model.unavailableReason])).toEqual([
      ['m1', false, undefined],
      ['m2', false, 'retired'],
      ['m3', true, undefined],
    ]);
  });

  it('bad values are reported by path', () => {
    let error: unknown;
    try {
      resolveConfig({
        providers: [
          { name: 'A', apiType: 'openai', apiKeys: ['k'], models: [{ name: 'm', available: 'no' }] },
        ],
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path)).toEqual([
      'providers[0].models[0].available',
    ]);
  });
});
