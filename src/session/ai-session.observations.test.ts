import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage } from '../spec/index.js';
import { AI } from './ai-session.js';
import { FakeBackend } from './test-support/fake-backend.js';

const texts = (messages: LLMMessage[]) =>
  messages.map(
    (m) =>
      `${m.role}:${typeof m.content === 'string' ? m.content : m.content.map((p) => ('text' in p ? p.text : p.type)).join('')}`,
  );

async function rejection(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

describe('AI.addObservation (the observation buffer)', () => {
  it('sends buffered observations after the history and before the turn, in order, and stores them with it', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.chat('hi');
    expect(ai.addObservation('Alice: who has the keys?')).toBe(1);
    expect(ai.addObservation([{ type: 'text', text: 'Bob: on the table' }])).toBe(2);
    expect(backend.calls).toHaveLength(1);
    await ai.chat('Where are the keys?');
    expect(texts(backend.calls[1]!.messages)).toEqual([
      'user:hi',
      'assistant:reply 1',
      'user:Alice: who has the keys?',
      'user:Bob: on the table',
      'user:Where are the keys?',
    ]);
    expect(ai.pendingObservations).toBe(0);
    expect(texts(await ai.history()).slice(2)).toEqual([
      'user:Alice: who has the keys?',
      'user:Bob: on the table',
      'user:Where are the keys?',
      'assistant:reply 2',
    ]);
    await ai.chat('again');
    expect(texts(backend.calls[2]!.messages).filter((t) => t.startsWith('user:Alice'))).toHaveLength(1);
  });

  it('accepts several messages at once and refuses system messages', () => {
    const ai = new AI(new FakeBackend());
    expect(
      ai.addObservation([
        { role: 'user', content: 'Carol: hello' },
        { role: 'assistant', content: 'earlier bot line' },
      ]),
    ).toBe(2);
    expect(() => ai.addObservation({ role: 'system', content: 'x' })).toThrow(/cannot be a system message/);
    expect(() => ai.addObservation([{ type: 'bogus' }] as never)).toThrow(LLMError);
    expect(ai.pendingObservations).toBe(2);
  });

  it('keeps the observations of a failed turn for the next one', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    ai.addObservation('Alice: ping');
    backend.script.push({ fail: new LLMError('API_RATE_LIMITED', 'slow down') });
    await expect(ai.chat('first try')).rejects.toMatchObject({ code: 'API_RATE_LIMITED' });
    expect(ai.pendingObservations).toBe(1);
    expect(await ai.history()).toEqual([]);
    await ai.chat('second try');
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:Alice: ping', 'user:second try']);
    expect(ai.pendingObservations).toBe(0);
  });

  it('an observation added while a turn runs waits for the next turn', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    ai.addObservation('before');
    let release!: () => void;
    backend.gate = () =>
      new Promise<void>((resolve) => {
        release = resolve;
      });
    const pending = ai.chat('q1');
    while (backend.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    ai.addObservation('during');
    backend.gate = undefined;
    release();
    await pending;
    expect(ai.pendingObservations).toBe(1);
    await ai.chat('q2');
    expect(texts(backend.calls[1]!.messages).slice(-2)).toEqual(['user:during', 'user:q2']);
  });

  it('drops the oldest past maxObservations', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend, { maxObservations: 2 });
    ai.addObservation('one');
    ai.addObservation('two');
    expect(ai.addObservation('three')).toBe(2);
    await ai.chat();
    expect(texts(backend.calls[0]!.messages)).toEqual(['user:two', 'user:three']);
    expect(() => new AI(backend, { maxObservations: 0 })).toThrow(/maxObservations: must be a whole number/);
  });

  it('goes with stream and generateStructured turns too, and clear() drops it', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    ai.addObservation('line 1');
    await ai.stream('streamed').response;
    expect(texts(backend.calls[0]!.messages)).toEqual(['user:line 1', 'user:streamed']);
    ai.addObservation('line 2');
    backend.script.push({ json: '{"n":1}' });
    expect(await ai.generateStructured('count', z.object({ n: z.number() }))).toEqual({ n: 1 });
    expect(texts(backend.calls[1]!.messages).slice(-2)).toEqual(['user:line 2', 'user:count']);
    ai.addObservation('line 3');
    await ai.clear();
    expect(ai.pendingObservations).toBe(0);
  });
});

describe('AI.chat() without input (continue from history)', () => {
  it('answers the observations alone (the group-chat pattern)', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend, { instruction: 'You are in a group chat.' });
    ai.addObservation('Alice: bot, are you there?');
    await ai.chat();
    expect(texts(backend.calls[0]!.messages)).toEqual([
      'system:You are in a group chat.',
      'user:Alice: bot, are you there?',
    ]);
    expect(texts(await ai.history())).toEqual(['user:Alice: bot, are you there?', 'assistant:reply 1']);
  });

  it('continues after tool results added by hand; only the answer is stored', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    const call = {
      id: 'call_1',
      name: 'get_weather',
      arguments: { city: 'Paris' },
      rawArguments: '{"city":"Paris"}',
    };
    backend.script.push({ text: '', returnCalls: [call] });
    const first = await ai.chat('Weather in Paris?', { maxToolRounds: 0 });
    expect(first.toolCalls).toEqual([call]);
    await ai.addToHistory({
      role: 'tool',
      toolCallId: 'call_1',
      name: 'get_weather',
      content: '{"tempC":21}',
    });
    backend.script.push({ text: 'It is 21 °C.' });
    const answer = await ai.chat();
    expect(answer.text).toBe('It is 21 °C.');
    expect(texts(backend.calls[1]!.messages)).toEqual([
      'user:Weather in Paris?',
      'assistant:',
      'tool:{"tempC":21}',
    ]);
    expect(texts(await ai.history())).toEqual([
      'user:Weather in Paris?',
      'assistant:',
      'tool:{"tempC":21}',
      'assistant:It is 21 °C.',
    ]);
  });

  it('refuses to continue with nothing to answer, or with tool calls still waiting for results', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    const empty = await rejection(ai.chat());
    expect(empty.code).toBe('INVALID_PARAMETER');
    expect(empty.message).toMatch(/no history and no observations; pass an input/);
    expect((await rejection(ai.stream(null).response)).code).toBe('INVALID_PARAMETER');
    const calls = [
      { id: 'a', name: 'one', arguments: {}, rawArguments: '{}' },
      { id: 'b', name: 'two', arguments: {}, rawArguments: '{}' },
    ];
    backend.script.push({ text: '', returnCalls: calls });
    await ai.chat('go', { maxToolRounds: 0 });
    await ai.addToHistory({ role: 'tool', toolCallId: 'a', name: 'one', content: 'done' });
    const waiting = await rejection(ai.chat());
    expect(waiting.message).toMatch(
      /tool calls that have no results yet: 'b' \(two\); add them with ai\.addToHistory/,
    );
    expect(waiting.details).toMatchObject({ toolCallIds: ['b'] });
    expect(backend.calls).toHaveLength(1);
  });

  it('streams a continuation', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.addToHistory('What is 2 + 2?');
    backend.script.push({ text: 'four' });
    expect((await ai.stream().response).text).toBe('four');
    expect(texts(await ai.history())).toEqual(['user:What is 2 + 2?', 'assistant:four']);
  });
});
