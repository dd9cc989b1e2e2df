import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { streamStructured } from './stream-structured.js';
import type { PartialStructured } from './structured-types.js';
import { fakeRunner, serverError, testModel } from './test-support/fake-runner.js';

const user = [{ role: 'user' as const, content: 'List the order' }];
const Order = z.object({ items: z.array(z.object({ name: z.string(), qty: z.number() })) });
const GOOD = '{"items":[{"name":"apple","qty":2}]}';
const deepseek = () => testModel('deepseek-chat', 'deepseek');

async function collect<T>(stream: AsyncIterable<PartialStructured<T>>): Promise<PartialStructured<T>[]> {
  const events: PartialStructured<T>[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('streamStructured', () => {
  it('yields partial values as text arrives, then resolves the validated value', async () => {
    const chunks = ['Sure:\n```json\n{"items": [', '{"name": "app', 'le", "qty"', ': 2}', ']}', '\n```'];
    const { runner, requests } = fakeRunner(deepseek(), [{ chunks }], { streaming: true });
    const stream = streamStructured(runner, user, Order);
    const events = await collect(stream);
    expect(events.map((e) => (e.type === 'partial' ? e.partial : e.type))).toEqual([
      { items: [] },
      { items: [{ name: 'app' }] },
      { items: [{ name: 'apple' }] },
      { items: [{ name: 'apple', qty: 2 }] },
    ]);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'partial', delta: ': 2}', attempt: 1 });
    expect(last?.type === 'partial' ? last.text : '').toBe(chunks.slice(0, 4).join(''));
    expect(await stream.value).toEqual({ items: [{ name: 'apple', qty: 2 }] });
    expect(await stream.result).toMatchObject({ attempts: 1, repaired: true, strategy: 'prompt' });
    expect(requests).toHaveLength(1);
  });

  it('a re-ask restarts the stream after a restart marker carrying the issues', async () => {
    const bad = ['{"items": [{"name": "apple", ', '"qty": "two"}]}'];
    const { runner, requests } = fakeRunner(deepseek(), [{ chunks: bad }, { chunks: [GOOD] }], {
      streaming: true,
    });
    const stream = streamStructured(runner, user, Order);
    const events = await collect(stream);
    expect(events).toEqual([
      expect.objectContaining({ type: 'partial', attempt: 1, partial: { items: [{ name: 'apple' }] } }),
      expect.objectContaining({
        type: 'partial',
        attempt: 1,
        partial: { items: [{ name: 'apple', qty: 'two' }] },
      }),
      {
        type: 'restart',
        attempt: 2,
        issues: [{ path: 'items[0].qty', message: 'Invalid input: expected number, received string' }],
      },
      expect.objectContaining({
        type: 'partial',
        attempt: 2,
        partial: { items: [{ name: 'apple', qty: 2 }] },
      }),
    ]);
    expect(await stream.value).toEqual({ items: [{ name: 'apple', qty: 2 }] });
    expect(requests[1]?.messages.at(-2)).toMatchObject({ role: 'assistant', content: bad.join('') });
  });

  it('exhaustion fails the iterator and value with RESPONSE_PARSE_ERROR after 1 + N requests', async () => {
    const { runner, requests } = fakeRunner(deepseek(), ['{}', '{}', GOOD], { streaming: true });
    const stream = streamStructured(runner, user, Order, { maxValidationRetries: 1 });
    await expect(collect(stream)).rejects.toMatchObject({
      code: 'RESPONSE_PARSE_ERROR',
      details: { attempts: 2 },
    });
    await expect(stream.value).rejects.toMatchObject({ code: 'RESPONSE_PARSE_ERROR' });
    expect(requests).toHaveLength(2);
  });

  it('a transport error propagates at once, without a re-ask', async () => {
    const { runner, requests } = fakeRunner(deepseek(), [serverError(), GOOD], { streaming: true });
    const stream = streamStructured(runner, user, Order);
    const error = await collect(stream).catch((e: unknown) => e);
    expect(LLMError.isInstance(error) && error.code).toBe('API_SERVER_ERROR');
    await expect(stream.value).rejects.toBe(error);
    expect(requests).toHaveLength(1);
  });

  it('value works without iterating', async () => {
    const { runner } = fakeRunner(deepseek(), [{ chunks: ['{"items": [', '{"name":"a","qty":1}]}'] }], {
      streaming: true,
    });
    expect(await streamStructured(runner, user, Order).value).toEqual({ items: [{ name: 'a', qty: 1 }] });
  });

  it('falls back to runner.call (one partial per answer) when the runner cannot stream', async () => {
    const { runner } = fakeRunner(deepseek(), [GOOD]);
    const stream = streamStructured(runner, user, Order);
    const events = await collect(stream);
    expect(events).toEqual([
      expect.objectContaining({ type: 'partial', partial: { items: [{ name: 'apple', qty: 2 }] } }),
    ]);
    expect(await stream.value).toEqual({ items: [{ name: 'apple', qty: 2 }] });
  });

  it('tool_call: the arguments arrive whole, one partial', async () => {
    const { runner } = fakeRunner(
      testModel('gpt-4o', 'openai'),
      [{ toolCall: { name: 'return_structured_response', raw: GOOD } }],
      { streaming: true },
    );
    const stream = streamStructured(runner, user, Order, { strategy: 'tool_call' });
    const events = await collect(stream);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'partial', partial: { items: [{ name: 'apple', qty: 2 }] } });
    expect(await stream.value).toEqual({ items: [{ name: 'apple', qty: 2 }] });
  });

  it('AutoCoT: partials are the result part, with the reasoning so far', async () => {
    const chunks = [
      '{"reasoning": "two apples were ordered"',
      ', "result": {"items": [{"name": "apple", "qty": 2}]}}',
    ];
    const { runner } = fakeRunner(deepseek(), [{ chunks }], { streaming: true });
    const stream = streamStructured(runner, user, Order, { autoThinking: true });
    const events = await collect(stream);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'partial',
        partial: { items: [{ name: 'apple', qty: 2 }] },
        reasoning: 'two apples were ordered',
      }),
    ]);
    expect(await stream.result).toMatchObject({ reasoning: 'two apples were ordered' });
  });

  it('strict native: optional fields answered null are absent in partials and in the value', async () => {
    const Person = z.object({ name: z.string(), nickname: z.string().optional() });
    const chunks = ['{"name": "Ann", "nickname": nu', 'll}'];
    const { runner } = fakeRunner(testModel('gpt-4o', 'openai'), [{ chunks }], { streaming: true });
    const stream = streamStructured(runner, user, Person);
    const events = await collect(stream);
    for (const event of events)
      expect(event.type === 'partial' && Object.hasOwn(event.partial, 'nickname')).toBe(false);
    expect(await stream.value).toEqual({ name: 'Ann' });
  });

  it('a consumer that stops iterating early still gets the value', async () => {
    const chunks = ['{"items": [', '{"name": "a", "qty": 1}', ', {"name": "b", "qty": 2}]}'];
    const { runner } = fakeRunner(deepseek(), [{ chunks }], { streaming: true });
    const stream = streamStructured(runner, user, Order);
    for await (const event of stream) {
      expect(event).toMatchObject({ type: 'partial', partial: { items: [] } });
      break;
    }
    expect(await stream.value).toEqual({
      items: [
        { name: 'a', qty: 1 },
        { name: 'b', qty: 2 },
      ],
    });
  });

  it('can be iterated only once', async () => {
    const { runner } = fakeRunner(deepseek(), [{ chunks: [GOOD] }], { streaming: true });
    const stream = streamStructured(runner, user, Order);
    await collect(stream);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('bad options reject value and fail the iterator (nothing is sent)', async () => {
    const { runner, requests } = fakeRunner(deepseek(), [GOOD], { streaming: true });
    const stream = streamStructured(runner, user, Order, { maxValidationRetries: 1.5 });
    await expect(collect(stream)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(stream.value).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(requests).toHaveLength(0);
  });
});
