import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import type { LLMResponse } from '../spec/index.js';
import { openaiChatReply } from '../testing/index.js';
import { dialectKits, type FakeClient, startFakeClient } from './test-support/dialect-kit.js';
import { collect, rejectionOf, textsOf } from './test-support/e2e-kit.js';
import { requireImage } from './validate-response.js';

// validateResponse (API.md §2; the seed's response_validator, without its bug of cooling a healthy key):
// a refused final answer is asked again on the same model, then GENERATION_FAILED with the last reason.

let client: FakeClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

/** Refuses answers containing "draft". */
const noDrafts = (response: LLMResponse) => {
  if (response.text.includes('draft')) throw new Error(`"${response.text}" is only a draft`);
};

describe.each(dialectKits)('validateResponse ($name)', (kit) => {
  it('chat: a refused answer is asked again with the same messages; the accepted one is returned', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(kit.text('a draft'), kit.text('The final answer.'));
    const seen: string[] = [];
    const response = await llm.chat('Answer please', {
      model: kit.model,
      instruction: 'Be final.',
      validateResponse: async (answer) => {
        seen.push(answer.text);
        noDrafts(answer);
      },
    });
    expect(response.text).toBe('The final answer.');
    expect(seen).toEqual(['a draft', 'The final answer.']);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.body).toEqual(fake.requests[0]?.body);
    expect(response.attempts).toHaveLength(2);
    expect(response.message.content).toBe('The final answer.');
  });

  it('generate: after retry.maxRetries re-asks, GENERATION_FAILED with the last reason; keys stay healthy', async () => {
    client = await startFakeClient({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    const { fake, llm } = client;
    fake.enqueue(kit.text('draft 1'), kit.text('draft 2'), kit.text('draft 3'));
    const error = await rejectionOf(
      llm.generate([{ role: 'user', content: 'Answer please' }], {
        model: kit.model,
        validateResponse: noDrafts,
      }),
    );
    expect(error.code).toBe('GENERATION_FAILED');
    expect(error.message).toContain('"draft 3" is only a draft');
    expect(error.details).toMatchObject({
      reason: '"draft 3" is only a draft',
      rejections: 3,
      text: 'draft 3',
    });
    expect(error.model).toBe(kit.model);
    expect(error.attempts).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);
    const provider = kit.model.split('/')[0] as string;
    const stats = await llm.keys.stats(provider);
    expect(stats.every((key) => key.failureCount === 0 && key.status !== 'cooldown')).toBe(true);
  });

  it('with the tool loop, only the final answer is checked and a re-ask does not run the tools again', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    let runs = 0;
    const lookup = {
      name: 'lookup',
      description: 'Look a word up',
      parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
      execute: ({ word }: { word: string }) => {
        runs++;
        return { word, meaning: 'a greeting' };
      },
    };
    fake.enqueue(
      kit.toolCalls([{ name: 'lookup', args: { word: 'hello' } }]),
      kit.text('a draft meaning'),
      kit.text('It is a greeting.'),
    );
    const checked: LLMResponse[] = [];
    const response = await llm.chat('What does hello mean?', {
      model: kit.model,
      tools: [lookup],
      validateResponse: (answer) => {
        checked.push(answer);
        noDrafts(answer);
      },
    });
    expect(response.text).toBe('It is a greeting.');
    expect(runs).toBe(1);
    expect(checked.map((answer) => answer.toolCalls.length)).toEqual([0, 0]);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests[2]?.body).toEqual(fake.requests[1]?.body);
    expect(kit.toolResults(fake.requests[2]?.body).map((result) => result.content)).toEqual([
      { word: 'hello', meaning: 'a greeting' },
    ]);
    expect(response.toolResults).toHaveLength(1);
  });

  it('stream: a refused answer is never shown; the events and textStream carry the accepted one only', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(kit.textStream(['a ', 'draft']), kit.textStream(['Final ', 'words.']));
    const stream = llm.stream('Answer please', { model: kit.model, validateResponse: noDrafts });
    const events = await collect(stream);
    expect(textsOf(events)).toEqual(['Final ', 'words.']);
    expect(events.at(-1)).toMatchObject({ type: 'finish' });
    expect((await stream.response).text).toBe('Final words.');
    expect(fake.requests).toHaveLength(2);

    fake.enqueue(kit.textStream(['a ', 'draft']), kit.textStream(['Final ', 'words.']));
    const texts: string[] = [];
    for await (const text of llm.stream('Again', { model: kit.model, validateResponse: noDrafts })
      .textStream) {
      texts.push(text);
    }
    expect(texts.join('')).toBe('Final words.');
  });

  it('stream: tool rounds go out as they end; exhaustion ends with an error event, no refused text', async () => {
    client = await startFakeClient({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    const { fake, llm } = client;
    const lookup = {
      name: 'lookup',
      description: 'Look up',
      parameters: { type: 'object', properties: {} },
      execute: () => ({ ok: true }),
    };
    fake.enqueue(
      kit.toolCallStream([{ name: 'lookup', args: {} }]),
      kit.textStream(['draft one']),
      kit.textStream(['draft two']),
    );
    const stream = llm.stream('Go', { model: kit.model, tools: [lookup], validateResponse: noDrafts });
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual(['tool-call', 'tool-result', 'error']);
    const error = await rejectionOf(stream.response);
    expect(error.code).toBe('GENERATION_FAILED');
    expect(error.details).toMatchObject({ reason: '"draft two" is only a draft', rejections: 2 });
  });
});

describe('validateResponse details', () => {
  it('a call whose deadline passed while validating fails with GENERATION_FAILED instead of asking again', async () => {
    const clock = new ManualClock();
    client = await startFakeClient({}, { clock });
    const { fake, llm } = client;
    fake.enqueue(openaiChatReply('draft'));
    const error = await rejectionOf(
      llm.chat('x', {
        timeoutMs: 10_000,
        validateResponse: async (answer) => {
          await clock.advance(10_001);
          noDrafts(answer);
        },
      }),
    );
    expect(error.code).toBe('GENERATION_FAILED');
    expect(error.details).toMatchObject({ deadline: true, rejections: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('requireImage refuses an answer without images, naming what it said', () => {
    const text = { images: [], text: 'I cannot draw.' } as unknown as LLMResponse;
    expect(() => requireImage(text)).toThrow(/no image \(it answered: I cannot draw\.\)/);
    const image = {
      images: [{ mimeType: 'image/png', data: new Uint8Array(1) }],
      text: '',
    } as unknown as LLMResponse;
    expect(() => requireImage(image)).not.toThrow();
  });

  it('a validator that is not a function is INVALID_PARAMETER before anything is sent', async () => {
    client = await startFakeClient();
    const error = await rejectionOf(client.llm.chat('x', { validateResponse: 'yes' as never }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/options\.validateResponse/);
    expect(client.fake.requests).toHaveLength(0);
  });
});
