import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLLM, type LLM, registerProvider } from '../index.js';
import { defineProviderConformance, type FakeProvider, startFakeProvider } from '../testing/index.js';
import { unregisterProvider } from './provider-registry.js';
import { toyTarget } from './test-support/toy-conformance.js';
import { toyProvider } from './test-support/toy-provider.js';

// The worked example of docs/providers.md: a provider added from outside, end to end. Its behaviour (chat,
// streams, tools, structured output, every error class, faults, abort, deadline) is checked by the conformance
// suite, on the Toy server of toy-conformance.ts; the tests below pin the Toy wire format itself.

const DOC = new URL('../../docs/providers.md', import.meta.url);
const EXAMPLES = [
  new URL('./test-support/toy-provider.ts', import.meta.url),
  new URL('./test-support/toy-conformance.ts', import.meta.url),
];

beforeAll(() => {
  registerProvider(toyProvider);
});
afterAll(() => {
  unregisterProvider('toy');
});

defineProviderConformance(toyTarget, { describe, it });

describe('the Toy provider (docs/providers.md)', () => {
  let fake: FakeProvider;
  let llm: LLM;

  beforeAll(async () => {
    fake = await startFakeProvider();
    llm = createLLM({
      providers: [
        { name: 'Toy', apiType: 'toy', apiKeys: ['test-key-1'], apiBase: fake.url, models: ['toy-1'] },
      ],
    });
  });
  afterAll(async () => {
    await llm.close();
    await fake.close();
  });

  it('the doc lists the example files as a user would write them', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const example of EXAMPLES) {
      const code = readFileSync(example, 'utf8')
        .replace("from '../../index.js';", "from 'switchboard-llm';")
        .replace("from '../../testing/index.js';", "from 'switchboard-llm/testing';");
      expect(doc).toContain(`\`\`\`ts\n${code}\`\`\``);
    }
  });

  it('chats: the Toy wire format, its key header and version header, the parsed answer', async () => {
    fake.enqueue({ json: { text: 'Hi!', stop: 'end', usage: { input: 3, output: 2 } } });
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
    expect(request?.headers['x-toy-key']).toBe('test-key-1');
    expect(request?.headers['toy-version']).toBe('2024-01-01');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('asks for a stream with stream: true', async () => {
    fake.enqueue({ sse: [{ delta: 'Hi' }, { stop: 'end' }] });
    expect((await llm.stream('Hi').response).text).toBe('Hi');
    expect(fake.lastRequest?.body).toMatchObject({ stream: true });
  });

  it('structured output: one forced tool in the Toy format; native is refused (Toy declares no builder)', async () => {
    fake.enqueue({
      json: {
        text: '',
        tool_calls: [
          { id: 'c1', name: 'return_structured_response', arguments: '{"city":"Paris","days":3}' },
        ],
        stop: 'tool',
      },
    });
    const Trip = z.object({ city: z.string(), days: z.number() });
    expect(await llm.generateStructured('Plan a trip', Trip)).toEqual({ city: 'Paris', days: 3 });
    const body = fake.lastRequest?.body as { tools: { name: string }[]; tool_choice: unknown };
    expect(body.tools.map((tool) => tool.name)).toEqual(['return_structured_response']);
    expect(body.tool_choice).toEqual({ name: 'return_structured_response' });
    await expect(llm.generateStructured('Plan', Trip, { strategy: 'native' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
  });
});
