import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { LLMConfig } from '../spec/index.js';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import { createLLM, type LLM } from './llm.js';

let fake: FakeProvider;
let llm: LLM;

function config(fakeUrl: string): LLMConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: `${fakeUrl}/v1`,
        apiKeys: ['test-key-openai-1', 'test-key-openai-2'],
        models: ['gpt-4o-mini', { name: 'text-embedding-3-small', embedding: true }],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fakeUrl,
        apiKeys: ['test-key-gemini-1'],
        models: ['gemini-2.5-flash', { name: 'gemini-embedding-001', embedding: true }],
      },
      {
        name: 'Images',
        apiType: 'openai_image',
        apiBase: fakeUrl,
        apiKeys: ['test-key-img'],
        models: ['gpt-image-1'],
      },
    ],
    defaultModel: 'OpenAI/gpt-4o-mini',
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  };
}

beforeAll(async () => {
  fake = await startFakeProvider();
  llm = createLLM(config(fake.url));
});

afterAll(async () => {
  await llm.close();
  await fake.close();
});

describe('createLLM against the fake provider', () => {
  it('chats through the OpenAI dialect with the instruction as the system prompt', async () => {
    const response = await llm.chat('hello there', { instruction: 'be brief' });
    expect(response.text).toBe('echo: hello there');
    expect(response.model).toBe('OpenAI/gpt-4o-mini');
    expect(response.finishReason).toBe('stop');
    expect(response.attempts).toHaveLength(1);
    expect(response.message).toMatchObject({ role: 'assistant', content: 'echo: hello there' });
    const request = fake.lastRequest!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toMatch(/^Bearer test-key-openai-/);
    expect((request.body as { messages: unknown[] }).messages[0]).toEqual({
      role: 'system',
      content: 'be brief',
    });
  });

  it('chats through the Gemini dialect with the key only in x-goog-api-key', async () => {
    const response = await llm.chat('bonjour', { model: 'gemini/GEMINI-2.5-FLASH' });
    expect(response.text).toBe('echo: bonjour');
    expect(response.model).toBe('Gemini/gemini-2.5-flash');
    const request = fake.lastRequest!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('test-key-gemini-1');
    expect(JSON.stringify(request.query)).not.toContain('key');
  });

  it('streams text deltas, then a finish event with the same response chat would give', async () => {
    const stream = llm.stream('one two three four');
    const deltas: string[] = [];
    let finish: unknown;
    for await (const event of stream) {
      if (event.type === 'text-delta') deltas.push(event.text);
      if (event.type === 'finish') finish = event.response;
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: one two three four');
    const response = await stream.response;
    expect(response).toBe(finish);
    expect(response.text).toBe('echo: one two three four');
    expect(response.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('streams Gemini with textStream and awaits response alone', async () => {
    const stream = llm.stream('streaming gemini', { model: 'Gemini/gemini-2.5-flash' });
    let text = '';
    for await (const piece of stream.textStream) text += piece;
    expect(text).toBe('echo: streaming gemini');
    expect((await stream.response).finishReason).toBe('stop');
    const alone = await llm.stream('just the response').response;
    expect(alone.text).toBe('echo: just the response');
  });

  it('embeds with both dialects, vectors in input order', async () => {
    const openai = await llm.embed(['a', 'b', 'c']);
    expect(openai).toHaveLength(3);
    expect(openai[0]).toHaveLength(8);
    expect((fake.lastRequest!.body as { encoding_format?: string }).encoding_format).toBe('base64');
    const again = await llm.embed('b');
    expect(again[0]).toEqual(openai[1]);
    const gemini = await llm.embedDocuments(['x', 'y'], {
      model: 'Gemini/gemini-embedding-001',
      dimensions: 8,
    });
    expect(gemini).toHaveLength(2);
    const query = await llm.embedQuery('x', { model: 'Gemini/gemini-embedding-001' });
    expect(query).toEqual(gemini[0]);
  });

  it('creates images with the images endpoint', async () => {
    const response = await llm.createImage('a red square', { model: 'Images/gpt-image-1' });
    expect(response.images).toHaveLength(1);
    expect(response.images[0]?.mimeType).toBe('image/png');
    expect(response.images[0]?.data.byteLength).toBeGreaterThan(0);
  });

  it('reports an unknown model with the configured names', async () => {
    const error = await llm.chat('x', { model: 'Nope/none' }).catch((caught: unknown) => caught);
    expect(LLMError.isInstance(error) && error.code).toBe('MODEL_NOT_FOUND');
    expect((error as LLMError).message).toContain('OpenAI/gpt-4o-mini');
  });

  it('rejects unknown options and bad input with INVALID_PARAMETER naming the field', async () => {
    const badOption = await llm.chat('x', { temperature: 1 } as never).catch((caught: unknown) => caught);
    expect((badOption as LLMError).code).toBe('INVALID_PARAMETER');
    expect((badOption as LLMError).message).toContain('options.temperature');
    const badInput = await llm.chat(42 as never).catch((caught: unknown) => caught);
    expect((badInput as LLMError).code).toBe('INVALID_PARAMETER');
    const badConfig = await llm
      .chat('x', { config: { core: { temperature: 7 } } })
      .catch((caught: unknown) => caught);
    expect((badConfig as LLMError).message).toContain('temperature');
  });

  it('lists models and changes the default on the next call', async () => {
    expect(llm.models.list().map((m) => m.name)).toContain('Gemini/gemini-2.5-flash');
    expect(llm.models.listEmbedding().map((m) => m.name)).toContain('OpenAI/text-embedding-3-small');
    llm.models.setDefault('Gemini/gemini-2.5-flash');
    expect((await llm.chat('who')).model).toBe('Gemini/gemini-2.5-flash');
    llm.models.setDefault('OpenAI/gpt-4o-mini');
    expect(llm.models.getDefault()).toBe('OpenAI/gpt-4o-mini');
  });
});

describe('generateStructured through the client', () => {
  it('uses the native json_schema mode for OpenAI and repairs a fenced answer locally (one request)', async () => {
    const { z } = await import('zod');
    fake.clearRequests();
    fake.enqueue({ json: openaiBody('```json\n{"city": "Paris", "tempC": 21,}\n```') });
    const value = await llm.generateStructured('weather?', z.object({ city: z.string(), tempC: z.number() }));
    expect(value).toEqual({ city: 'Paris', tempC: 21 });
    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body as {
      response_format: { type: string; json_schema: { strict: boolean } };
    };
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
  });

  it('re-asks on Gemini with the issue path and the first answer', async () => {
    const { z } = await import('zod');
    fake.clearRequests();
    fake.enqueue({ json: geminiBody('{"qty": "three"}') }, { json: geminiBody('{"qty": 3}') });
    const value = await llm.generateStructured('how many?', z.object({ qty: z.number() }), {
      model: 'Gemini/gemini-2.5-flash',
    });
    expect(value).toEqual({ qty: 3 });
    expect(fake.requests).toHaveLength(2);
    const first = fake.requests[0]!.body as { generationConfig: Record<string, unknown> };
    expect(first.generationConfig.responseMimeType).toBe('application/json');
    const second = JSON.stringify(fake.requests[1]!.body);
    expect(second).toContain('qty');
    expect(second).toContain('three');
  });
});

function openaiBody(content: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function geminiBody(text: string) {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
  };
}

describe('sessions through the client', () => {
  it('sends history back on the next turn and forgets after clear()', async () => {
    const session = llm.session({ instruction: 'You help {{name}}.', templateVars: { name: 'Ada' } });
    await session.chat('first question');
    fake.clearRequests();
    const second = await session.chat('second question');
    expect(second.text).toBe('echo: second question');
    const body = fake.lastRequest!.body as { messages: { role: string; content: unknown }[] };
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(body.messages[0]?.content).toBe('You help Ada.');
    expect(body.messages[2]?.content).toBe('echo: first question');
    const history = await session.history();
    expect(history).toHaveLength(4);
    expect(history[1]).toMatchObject({ role: 'assistant', model: 'OpenAI/gpt-4o-mini' });
    await session.clear();
    expect(await session.history()).toEqual([]);
  });

  it('never shares memory between two sessions', async () => {
    const a = llm.session();
    const b = llm.session();
    await a.chat('only in a');
    expect(await b.history()).toEqual([]);
    expect(await a.history()).toHaveLength(2);
  });
});

describe('provider headers', () => {
  it('are sent with every request, in every dialect', async () => {
    const client = createLLM({
      providers: [
        {
          name: 'O',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: ['test-key-h1'],
          models: ['m', { name: 'e', embedding: true }],
          headers: { 'x-tenant': 'o' },
        },
        {
          name: 'G',
          apiType: 'gemini',
          apiBase: fake.url,
          apiKeys: ['test-key-h2'],
          models: ['gemini-2.5-flash'],
          headers: { 'x-tenant': 'g' },
        },
        {
          name: 'R',
          apiType: 'openai_responses',
          apiBase: fake.url,
          apiKeys: ['test-key-h3'],
          models: ['gpt-4.1'],
          headers: { 'x-tenant': 'r' },
        },
        {
          name: 'I',
          apiType: 'openai_image',
          apiBase: fake.url,
          apiKeys: ['test-key-h4'],
          models: ['gpt-image-1'],
          headers: { 'x-tenant': 'i' },
        },
      ],
    });
    await client.chat('a', { model: 'O/m' });
    expect(fake.lastRequest?.headers['x-tenant']).toBe('o');
    await client.embed('a', { model: 'O/e' });
    expect(fake.lastRequest?.headers['x-tenant']).toBe('o');
    await client.chat('a', { model: 'G/gemini-2.5-flash' });
    expect(fake.lastRequest?.headers['x-tenant']).toBe('g');
    await client.chat('a', { model: 'R/gpt-4.1' });
    expect(fake.lastRequest?.headers['x-tenant']).toBe('r');
    await client.createImage('a', { model: 'I/gpt-image-1' });
    expect(fake.lastRequest?.headers['x-tenant']).toBe('i');
    await client.close();
  });
});
