import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import { createLLM } from './llm.js';
import { collect } from './test-support/e2e-kit.js';

// API.md §5 (Transport): the headers every request carries on the wire.

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

let fake: FakeProvider;
beforeEach(async () => {
  fake = await startFakeProvider();
});
afterEach(async () => {
  await fake.close();
  expect(fake.errors).toEqual([]);
});

function client(headers?: Record<string, string>) {
  return createLLM({
    providers: [
      {
        name: 'O',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1'],
        models: ['m', { name: 'e', embedding: true }],
        ...(headers != null ? { headers } : {}),
      },
      {
        name: 'G',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-2'],
        models: ['gemini-2.5-flash'],
        ...(headers != null ? { headers } : {}),
      },
    ],
  });
}

describe('user-agent', () => {
  it('is switchboard-llm/<package version> on chat, stream and embedding requests of every dialect', async () => {
    const llm = client();
    await llm.chat('a', { model: 'O/m' });
    await collect(llm.stream('a', { model: 'O/m' }));
    await llm.embed('a', { model: 'O/e' });
    await llm.chat('a', { model: 'G/gemini-2.5-flash' });
    await collect(llm.stream('a', { model: 'G/gemini-2.5-flash' }));
    await llm.close();
    expect(fake.requests).toHaveLength(5);
    for (const request of fake.requests) {
      expect(request.headers['user-agent']).toBe(`switchboard-llm/${pkg.version}`);
    }
  });

  it("a provider's headers set it instead, in any letter case", async () => {
    const llm = client({ 'User-Agent': 'relay-client/2' });
    await llm.chat('a', { model: 'O/m' });
    await collect(llm.stream('a', { model: 'G/gemini-2.5-flash' }));
    await llm.close();
    expect(fake.requests.map((request) => request.headers['user-agent'])).toEqual([
      'relay-client/2',
      'relay-client/2',
    ]);
  });
});
