import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLLM, type LLM, LLMError, registerProvider } from '../index.js';
import type { StreamEvent } from '../spec/index.js';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import { unregisterProvider } from './provider-registry.js';
import { toyProvider } from './test-support/toy-provider.js';

// The worked example of docs/providers.md: a provider added from outside, end to end.

const DOC = new URL('../../docs/providers.md', import.meta.url);
const EXAMPLE = new URL('./test-support/toy-provider.ts', import.meta.url);

let fake: FakeProvider;
let llm: LLM;

beforeAll(async () => {
  registerProvider(toyProvider);
  fake = await startFakeProvider();
  llm = createLLM({
    providers: [
      {
        name: 'Toy',
        apiType: 'toy',
        apiKeys: ['test-key-1', 'test-key-2'],
        apiBase: fake.url,
        models: ['toy-1'],
      },
    ],
    retry: { maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0 },
  });
});
afterEach(() => {
  fake.clearRequests();
});
afterAll(async () => {
  await llm.close();
  await fake.close();
  unregisterProvider('toy');
});

function serve(...replies: Parameters<FakeProvider['enqueue']>): void {
  fake.enqueue(...replies);
}

async function failure(run: () => Promise<unknown>): Promise<LLMError> {
  const error = await run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

describe('the Toy provider (docs/providers.md)', () => {
  it('the doc lists the example file as a user would write it', () => {
    const code = readFileSync(EXAMPLE, 'utf8').replace("from '../../index.js';", "from 'switchboard-llm';");
    expect(readFileSync(DOC, 'utf8')).toContain(`\`\`\`ts\n${code}\`\`\``);
  });

  it('chats: the Toy wire format, its key header and version header, the parsed answer', async () => {
    serve({ json: { text: 'Hi!', stop: 'end', usage: { input: 3, output: 2 } } });
    const response = await llm.chat('Hello', {
      instruction: 'Be brief.',
      config: { core: { maxTokens: 50 } },
    });
    expect(response).toMatchObject({
      text: 'Hi!',
      finishReason: 'stop',
      model: 'Toy/toy-1',
      usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
    });
    const request = fake.lastRequest;
    expect(request?.path).toBe('/v1/generate');
    expect(request?.body).toEqual({
      model: 'toy-1',
      system: 'Be brief.',
      messages: [{ role: 'user', text: 'Hello' }],
      max_tokens: 50,
    });
    expect(request?.headers['x-toy-key']).toMatch(/^test-key-[12]$/);
    expect(request?.headers['toy-version']).toBe('2024-01-01');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('streams deltas in order and ends with the same response chat would give', async () => {
    serve({ sse: [{ delta: 'Hel' }, { delta: 'lo' }, { stop: 'end', usage: { input: 1, output: 2 } }] });
    const stream = llm.stream('Hi');
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
    ]);
    expect((await stream.response).text).toBe('Hello');
    expect(fake.lastRequest?.body).toMatchObject({ stream: true });
  });

  it('a cut stream ends with an error, never a silent truncation', async () => {
    serve({ sse: [{ delta: 'Hel' }, { delta: 'lo' }, { stop: 'end' }], cutAfter: 1 });
    const stream = llm.stream('Hi');
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.at(-1)?.type).toBe('error');
    await expect(stream.response).rejects.toBeInstanceOf(LLMError);
  });

  it('reads Toy errors with its own hints: a 400 quota_exhausted is a quota error, moved to the other key', async () => {
    const quota = { status: 400, json: { error: { type: 'quota_exhausted', message: 'out of credit' } } };
    serve(quota, quota);
    const error = await failure(() => llm.chat('Hello'));
    expect(error.code).toBe('API_QUOTA_EXCEEDED');
    expect(error.status).toBe(400);
    // API_QUOTA_EXCEEDED is retried on a different key only: both keys were tried once.
    const keys = fake.requests.map((request) => request.headers['x-toy-key']);
    expect(new Set(keys)).toEqual(new Set(['test-key-1', 'test-key-2']));
    await llm.keys.reset('Toy');
  });

  it.each([
    ['a 503', { status: 503, json: { error: { type: 'overloaded', message: 'busy' } } }],
    ['an error inside a 200 body', { json: { error: { type: 'overloaded', message: 'busy' } } }],
  ])('retries %s on the other key, like any provider', async (_name, reply) => {
    serve(reply, { json: { text: 'ok', stop: 'end' } });
    const response = await llm.chat('Hello');
    expect(response.text).toBe('ok');
    expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
      'API_SERVER_ERROR',
      200,
    ]);
    expect(new Set(fake.requests.map((request) => request.headers['x-toy-key'])).size).toBe(2);
    await llm.keys.reset('Toy');
  });

  it('structured output uses the declared strategy: a forced tool call', async () => {
    serve({
      json: {
        text: '',
        tool_calls: [
          { id: 'c1', name: 'return_structured_response', arguments: '{"city":"Paris","days":3}' },
        ],
        stop: 'tool',
      },
    });
    const Trip = z.object({ city: z.string(), days: z.number() });
    const result = await llm.generateStructuredResult('Plan a trip', Trip);
    expect(result).toMatchObject({ strategy: 'tool_call', value: { city: 'Paris', days: 3 } });
    const body = fake.lastRequest?.body as { tools: { name: string }[]; tool_choice: unknown };
    expect(body.tools.map((tool) => tool.name)).toEqual(['return_structured_response']);
    expect(body.tool_choice).toEqual({ name: 'return_structured_response' });
    await expect(llm.generateStructured('Plan', Trip, { strategy: 'native' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
  });
});
