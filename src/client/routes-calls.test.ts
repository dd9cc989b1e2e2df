import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiReply, geminiStreamReply, openaiChatReply } from '../testing/index.js';
import { rejectionOf } from './test-support/e2e-kit.js';
import { GEMINI, OPENAI, type RouteKit, routeKit } from './test-support/route-kit.js';

// API.md §14: routes in generateStructured, streamStructured, embed, createImage and llm.models.

let kit: RouteKit | undefined;
afterEach(async () => {
  await kit?.close();
  expect(kit?.fake.errors ?? []).toEqual([]);
  kit = undefined;
});

const unavailable = () => ({ json: { error: { message: 'overloaded', type: 'server_error' } }, status: 503 });
const City = z.object({ city: z.string(), population: z.number() });

describe('routes: generateStructured', () => {
  it('a transport failure falls back; the next target runs the whole structured generation', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: { openai: unavailable, gemini: () => geminiReply('{"city":"Paris","population":2100000}') },
    });
    const result = await kit.llm.generateStructuredResult('Paris?', City, { model: 'r' });
    expect(result.value).toEqual({ city: 'Paris', population: 2_100_000 });
    expect(result.response.model).toBe(GEMINI);
    expect(result.response.attempts.map((a) => a.model)).toEqual([OPENAI, OPENAI, OPENAI, OPENAI, GEMINI]);
    // Gemini's own strategy: its native JSON schema mode.
    const body = kit.requests('gemini')[0]?.body as { generationConfig?: Record<string, unknown> };
    expect(body.generationConfig?.responseMimeType).toBe('application/json');
  });

  it('validation exhaustion (RESPONSE_PARSE_ERROR) is not in the default fallbackOn: it ends the call', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: { openai: () => openaiChatReply('not json at all') },
    });
    const error = await rejectionOf(
      kit.llm.generateStructured('Paris?', City, { model: 'r', maxValidationRetries: 1 }),
    );
    expect(error.code).toBe('RESPONSE_PARSE_ERROR');
    expect(error.details?.targets).toEqual([{ model: OPENAI, code: 'RESPONSE_PARSE_ERROR' }]);
    expect(kit.requests('gemini')).toEqual([]);
  });

  it('streamStructured falls back before the first partial value', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: {
        openai: unavailable,
        gemini: () => geminiStreamReply(['{"city":"Par', 'is","population":2}']),
      },
    });
    const stream = kit.llm.streamStructured('Paris?', City, { model: 'r' });
    const partials: unknown[] = [];
    for await (const event of stream) if (event.type === 'partial') partials.push(event.partial);
    expect(await stream.value).toEqual({ city: 'Paris', population: 2 });
    expect(partials.at(-1)).toEqual({ city: 'Paris', population: 2 });
    expect((await stream.result).response.model).toBe(GEMINI);
  });
});

describe('routes: embeddings', () => {
  const EMB_OPENAI = 'OpenAI/text-embedding-3-small';
  const EMB_GEMINI = 'Gemini/gemini-embedding-001';

  it('an embedding route falls back; the target config is the base of the call config', async () => {
    kit = await routeKit({
      models: {
        openai: [{ name: 'text-embedding-3-small', embedding: true }],
        gemini: [{ name: 'gemini-embedding-001', embedding: true }],
      },
      routes: [
        {
          name: 'vec',
          targets: [
            EMB_OPENAI,
            { model: EMB_GEMINI, config: { outputDimensionality: 8, taskType: 'CLUSTERING' } },
          ],
        },
      ],
      config: { defaultEmbeddingModel: 'vec' },
      handlers: { openai: unavailable },
    });
    const vectors = await kit.llm.embed(['a', 'b'], { config: { taskType: 'RETRIEVAL_DOCUMENT' } });
    expect(vectors).toHaveLength(2);
    const body = kit.requests('gemini')[0]?.body as { requests: Record<string, unknown>[] };
    expect(body.requests[0]).toMatchObject({ taskType: 'RETRIEVAL_DOCUMENT', outputDimensionality: 8 });
    const [query] = [await kit.llm.embedQuery('q', { model: 'vec' })];
    expect(Array.isArray(query)).toBe(true);
    expect(kit.llm.models.listEmbedding().map((info) => info.name)).toContain('vec');
  });

  it('a chat route in embed() and an embedding route in chat() are INVALID_PARAMETER naming the route', async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'text-embedding-3-small', embedding: true }] },
      routes: [
        { name: 'chatty', targets: [OPENAI, GEMINI] },
        { name: 'vec', targets: [EMB_OPENAI] },
      ],
    });
    const embed = await rejectionOf(kit.llm.embed('x', { model: 'chatty' }));
    expect(embed.code).toBe('INVALID_PARAMETER');
    expect(embed.message).toBe('Route "chatty" is of chat models; llm.embed() needs embedding models.');
    const chat = await rejectionOf(kit.llm.chat('x', { model: 'vec' }));
    expect(chat.code).toBe('INVALID_PARAMETER');
    const list = await rejectionOf(kit.llm.embed('x', { model: [OPENAI, GEMINI] }));
    expect(list.message).toBe('The model list is of chat models; llm.embed() needs embedding models.');
    expect(kit.fake.requests).toEqual([]);
  });
});

describe('routes: images', () => {
  it('createImage over a route of image models falls back like chat', async () => {
    kit = await routeKit({
      models: {
        openai: [
          { name: 'gpt-image-1', apiType: 'openai_image' },
          { name: 'dall-e-3', apiType: 'openai_image' },
        ],
      },
      routes: [{ name: 'pics', targets: ['OpenAI/gpt-image-1', 'OpenAI/dall-e-3'] }],
      handlers: {
        openai: (request) => (request.model === 'gpt-image-1' ? unavailable() : undefined),
      },
    });
    const response = await kit.llm.createImage('a red dot', { model: 'pics' });
    expect(response.images).toHaveLength(1);
    expect(response.model).toBe('OpenAI/dall-e-3');
    expect(response.attempts[0]?.model).toBe('OpenAI/gpt-image-1');
  });
});

describe('routes: llm.models', () => {
  it('list() shows routes with kind "route" and their targets; resolve() and setDefault() take a route', async () => {
    kit = await routeKit({
      routes: [{ name: 'smart', strategy: 'round_robin', targets: [OPENAI, GEMINI] }],
      handlers: { openai: () => openaiChatReply('from OpenAI'), gemini: () => geminiReply('from Gemini') },
    });
    const info = kit.llm.models.list().find((model) => model.kind === 'route');
    expect(info).toMatchObject({
      name: 'smart',
      kind: 'route',
      provider: '',
      strategy: 'round_robin',
      targets: [OPENAI, GEMINI],
      targetKind: 'chat',
      available: true,
    });
    expect(kit.llm.models.resolve('SMART')).toEqual(info);
    kit.llm.models.setDefault('smart');
    expect(kit.llm.models.getDefault()).toBe('smart');
    expect(kit.llm.models.resolve()).toEqual(info);
    const answers = [await kit.llm.chat('a'), await kit.llm.chat('b')].map((r) => r.model);
    expect(answers).toEqual([OPENAI, GEMINI]);
  });
});
