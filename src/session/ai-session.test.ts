import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage, MemoryStore, StreamEvent } from '../spec/index.js';
import { AI } from './ai-session.js';
import { createInMemoryStore } from './in-memory-store.js';
import { createSqliteMemory } from './sqlite-memory.js';
import { FakeBackend } from './test-support/fake-backend.js';
import { windowPolicy } from './window-policy.js';

const texts = (messages: LLMMessage[]) =>
  messages.map(
    (m) =>
      `${m.role}:${typeof m.content === 'string' ? m.content : m.content.map((p) => ('text' in p ? p.text : p.type)).join('')}`,
  );

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('AI session', () => {
  it('grows the history and sends it back on the next turn', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.chat('hi');
    await ai.chat('again');
    expect(texts(backend.calls[0]!.messages)).toEqual(['user:hi']);
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:hi', 'assistant:reply 1', 'user:again']);
    expect(texts(await ai.history())).toEqual([
      'user:hi',
      'assistant:reply 1',
      'user:again',
      'assistant:reply 2',
    ]);
    expect(ai.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the instruction first on every call, rendered per call, and never stores it', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend, {
      instruction: 'You help {{ user.name }} in {{lang}}.',
      templateVars: { user: { name: 'Ada' }, lang: 'English' },
    });
    await ai.chat('one');
    await ai.chat('two', { templateVars: { lang: 'French' } });
    await ai.chat('three', { instruction: 'Be brief.' });
    expect(backend.calls[0]!.messages[0]).toEqual({ role: 'system', content: 'You help Ada in English.' });
    expect(backend.calls[1]!.messages[0]).toEqual({ role: 'system', content: 'You help Ada in French.' });
    expect(backend.calls[2]!.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect((await ai.history()).some((m) => m.role === 'system')).toBe(false);
    // Without template variables the instruction is sent verbatim.
    const plain = new FakeBackend();
    await new AI(plain, { instruction: 'Keep \\{{this}} as is' }).chat('x');
    expect(plain.calls[0]!.messages[0]!.content).toBe('Keep \\{{this}} as is');
  });

  it('clear() forgets the history', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.chat('remember me');
    await ai.clear();
    expect(await ai.history()).toEqual([]);
    await ai.chat('who am I?');
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:who am I?']);
  });

  it('stores the tool rounds of a turn in order, keeping model and thought signatures', async () => {
    const backend = new FakeBackend();
    const call = {
      id: 'call_1',
      name: 'weather',
      arguments: { city: 'Paris' },
      rawArguments: '{"city":"Paris"}',
      thoughtSignature: 'sig-call',
    };
    backend.script.push({
      text: 'It is 21°C.',
      signature: 'sig-final',
      toolRounds: [{ calls: [call], results: ['{"tempC":21}'] }],
    });
    const ai = new AI(backend);
    const response = await ai.chat('Weather in Paris?');
    expect(response.text).toBe('It is 21°C.');
    expect(await ai.history()).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [call], model: 'Gemini/gemini-2.5-flash' },
      { role: 'tool', toolCallId: 'call_1', name: 'weather', content: '{"tempC":21}' },
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'It is 21°C.', thoughtSignature: 'sig-final' }],
        model: 'Gemini/gemini-2.5-flash',
      },
    ]);
    await ai.chat('And tomorrow?');
    expect(backend.calls[1]!.messages).toHaveLength(5);
  });

  it('gives assistant turns without `model` the response model', async () => {
    const backend = new FakeBackend();
    const original = backend.generate.bind(backend);
    backend.generate = async (messages, options) => {
      const result = await original(messages, options);
      const { model: _model, ...message } = result.response.message;
      return { response: { ...result.response, message } };
    };
    const ai = new AI(backend);
    await ai.chat('hi');
    expect((await ai.history())[1]).toEqual({
      role: 'assistant',
      content: 'reply 1',
      model: 'Gemini/gemini-2.5-flash',
    });
  });

  it('holds the window at 50 over many tool turns without orphaning tool results', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    for (let n = 0; n < 40; n++) {
      const calls = Array.from({ length: (n % 3) + 1 }, (_, i) => ({
        id: `c${n}_${i}`,
        name: 't',
        arguments: {},
        rawArguments: '{}',
      }));
      backend.script.push({
        text: `answer ${n}`,
        toolRounds: n % 2 === 0 ? [{ calls, results: calls.map(() => 'ok') }] : [],
      });
      await ai.chat(`question ${n}`);
      const history = await ai.history();
      expect(history.length).toBeLessThanOrEqual(50);
      expect(
        history[0]!.role === 'user' ||
          (history[0]!.role === 'assistant' && history[0]!.toolCalls === undefined) ||
          history[0]!.toolCalls !== undefined,
      ).toBe(true);
      expect(history[0]!.role).not.toBe('tool');
      history.forEach((message, i) => {
        if (message.role !== 'tool') return;
        const owner = history
          .slice(0, i)
          .reverse()
          .find((m) => m.role !== 'tool');
        expect(owner?.toolCalls?.some((c) => c.id === message.toolCallId)).toBe(true);
      });
    }
    const stored = await ai.memory.load(ai.sessionId);
    expect(stored.length).toBeLessThanOrEqual(50);
    expect(stored.length).toBeGreaterThan(44);
    // What is sent is the trimmed history plus the new turn.
    expect(backend.calls.at(-1)!.messages.length).toBeLessThanOrEqual(51);
  });

  it('applies a custom policy', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend, { policy: windowPolicy(2) });
    await ai.chat('a');
    await ai.chat('b');
    expect(texts(await ai.history())).toEqual(['user:b', 'assistant:reply 2']);
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:a', 'assistant:reply 1', 'user:b']);
  });

  it('never shares memory between two sessions', async () => {
    const shared = createInMemoryStore();
    const backend = new FakeBackend();
    backend.memory = shared;
    const a = new AI(backend);
    const b = new AI(backend);
    await a.chat('secret of a');
    await b.chat('hello from b');
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:hello from b']);
    expect(texts(await b.history())).toEqual(['user:hello from b', 'assistant:reply 2']);
    // Same session id, different stores: still separate.
    const plain = new FakeBackend();
    const c = new AI(plain, { sessionId: 'same', memory: createInMemoryStore() });
    const d = new AI(plain, { sessionId: 'same', memory: createInMemoryStore() });
    await c.chat('c1');
    await d.chat('d1');
    expect(texts(plain.calls[1]!.messages)).toEqual(['user:d1']);
    // Same session id on the client's default store: one conversation.
    const e = new AI(backend, { sessionId: 'conv' });
    const f = new AI(backend, { sessionId: 'conv' });
    await e.chat('first');
    await f.chat('second');
    expect(texts(backend.calls.at(-1)!.messages)).toEqual(['user:first', 'assistant:reply 3', 'user:second']);
  });

  it('stores nothing when the call fails, and the error passes unchanged', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.chat('ok');
    const failure = new LLMError('API_RATE_LIMITED', 'slow down');
    backend.script.push({ fail: failure });
    await expect(ai.chat('lost?')).rejects.toBe(failure);
    expect(texts(await ai.history())).toEqual(['user:ok', 'assistant:reply 1']);
    backend.script.push({ fail: new Error('plain failure') });
    await expect(ai.chat('x')).rejects.toMatchObject({ code: 'GENERATION_FAILED', message: 'plain failure' });
    await ai.chat('retry');
    expect(texts(backend.calls.at(-1)!.messages)).toEqual(['user:ok', 'assistant:reply 1', 'user:retry']);
  });

  it('runs processors: beforeSend rewrites what is sent, afterReceive sees what was stored', async () => {
    const backend = new FakeBackend();
    const seen: { sessionId: string; stored: LLMMessage[] }[] = [];
    const ai = new AI(backend, {
      sessionId: 'p1',
      instruction: 'sys',
      processors: [
        {
          beforeSend: (_id, messages) =>
            messages.map((m) =>
              typeof m.content === 'string' ? { ...m, content: m.content.replace(/\d{4}/g, '####') } : m,
            ),
        },
        {
          beforeSend: async (_id, messages) => [{ role: 'user', content: 'summary' }, ...messages.slice(-1)],
        },
        { afterReceive: (sessionId, stored) => void seen.push({ sessionId, stored }) },
      ],
    });
    await ai.chat('card 1234');
    await ai.chat('card 5678');
    expect(texts(backend.calls[1]!.messages)).toEqual(['system:sys', 'user:summary', 'user:card ####']);
    // Stored as given, not as rewritten.
    expect(texts(await ai.history())).toEqual([
      'user:card 1234',
      'assistant:reply 1',
      'user:card 5678',
      'assistant:reply 2',
    ]);
    expect(seen).toEqual([
      {
        sessionId: 'p1',
        stored: [
          { role: 'user', content: 'card 1234' },
          { role: 'assistant', content: 'reply 1', model: 'Gemini/gemini-2.5-flash' },
        ],
      },
      {
        sessionId: 'p1',
        stored: [
          { role: 'user', content: 'card 5678' },
          { role: 'assistant', content: 'reply 2', model: 'Gemini/gemini-2.5-flash' },
        ],
      },
    ]);
  });

  it('logs a failing afterReceive and does not fail the call', async () => {
    const backend = new FakeBackend();
    const after: string[] = [];
    const ai = new AI(backend, {
      processors: [
        { afterReceive: () => Promise.reject(new Error('summariser down')) },
        { afterReceive: () => void after.push('second ran') },
      ],
    });
    const response = await ai.chat('hi');
    expect(response.text).toBe('reply 1');
    expect(await ai.history()).toHaveLength(2);
    expect(after).toEqual(['second ran']);
    expect(backend.warnings).toEqual([expect.objectContaining({ processor: 0, error: 'summariser down' })]);
  });

  it('a failing beforeSend fails the call and stores nothing', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend, { processors: [{ beforeSend: () => 'nope' as unknown as LLMMessage[] }] });
    await expect(ai.chat('hi')).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: /processors\[0\]/,
    });
    expect(backend.calls).toHaveLength(0);
    expect(await ai.history()).toEqual([]);
  });

  it('serialises concurrent calls on one session so turns never interleave', async () => {
    const backend = new FakeBackend();
    const first = deferred();
    let calls = 0;
    backend.gate = async () => {
      calls++;
      if (calls === 1) await first.promise;
    };
    const ai = new AI(backend, { sessionId: 's' });
    const other = new AI(backend, { sessionId: 's', memory: ai.memory });
    const one = ai.chat('one');
    const two = other.chat('two');
    const three = ai.chat('three');
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.calls).toHaveLength(1);
    first.resolve();
    await Promise.all([one, two, three]);
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:one', 'assistant:reply 1', 'user:two']);
    expect(texts(await ai.history())).toEqual([
      'user:one',
      'assistant:reply 1',
      'user:two',
      'assistant:reply 2',
      'user:three',
      'assistant:reply 3',
    ]);
  });

  it('a failed call does not block the next one', async () => {
    const backend = new FakeBackend();
    backend.script.push({ fail: new LLMError('API_TIMEOUT', 'late') });
    const ai = new AI(backend);
    const [failed, ok] = await Promise.allSettled([ai.chat('a'), ai.chat('b')]);
    expect(failed.status).toBe('rejected');
    expect(ok.status).toBe('fulfilled');
    expect(texts(await ai.history())).toEqual(['user:b', 'assistant:reply 2']);
  });

  it('merges session and call options for the backend', async () => {
    const backend = new FakeBackend();
    const tool = { name: 'lookup', parameters: { type: 'object' } };
    const ai = new AI(backend, {
      sessionId: 'opts',
      model: 'Gemini/gemini-2.5-flash',
      tools: [tool],
      config: { core: { temperature: 0.2, maxTokens: 100 } },
      runContext: { scope: { db: 'handle' } },
      timeoutMs: 5000,
    });
    await ai.chat('a');
    await ai.chat('b', {
      model: 'OpenAI/gpt-4o-mini',
      config: { build: () => ({ core: { temperature: 1 } }) },
      tools: [],
    });
    expect(backend.calls[0]!.options).toEqual({
      model: 'Gemini/gemini-2.5-flash',
      tools: [tool],
      timeoutMs: 5000,
      config: { core: { temperature: 0.2, maxTokens: 100 } },
      runContext: { sessionId: 'opts', scope: { db: 'handle' } },
    });
    expect(backend.calls[1]!.options).toMatchObject({
      model: 'OpenAI/gpt-4o-mini',
      tools: [],
      config: { core: { temperature: 1, maxTokens: 100 } },
    });
    expect(backend.calls[1]!.options).not.toHaveProperty('instruction');
    expect(backend.calls[1]!.options).not.toHaveProperty('templateVars');
  });

  it('accepts content parts, a message, or several messages as the turn; refuses system turns', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.chat([{ type: 'text', text: 'parts' }]);
    await ai.chat({ role: 'user', content: 'message' });
    await ai.chat([
      { role: 'user', content: 'm1' },
      { role: 'user', content: 'm2' },
    ]);
    expect(texts(backend.calls[2]!.messages).slice(-2)).toEqual(['user:m1', 'user:m2']);
    await expect(ai.chat({ role: 'system', content: 'x' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: /instruction/,
    });
    await expect(ai.chat([])).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(ai.chat(42 as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(backend.calls).toHaveLength(3);
  });

  it('checks its options', () => {
    const backend = new FakeBackend();
    expect(() => new AI(backend, { sessionId: '' })).toThrow(/sessionId/);
    expect(() => new AI(backend, { memory: {} as MemoryStore })).toThrow(
      /memory: must be a MemoryStore \(no load\(\)\)/,
    );
    expect(() => new AI(backend, { policy: {} as never })).toThrow(/policy/);
    expect(() => new AI(backend, { processors: {} as never })).toThrow(/processors/);
  });

  it('without a backend default memory, each session gets its own store', async () => {
    const backend = new FakeBackend();
    const bare = {
      generate: backend.generate.bind(backend),
      stream: backend.stream.bind(backend),
      generateStructured: backend.generateStructured.bind(backend),
    };
    const a = new AI(bare, { sessionId: 'same' });
    const b = new AI(bare, { sessionId: 'same' });
    expect(a.memory).not.toBe(b.memory);
    await a.chat('a');
    await b.chat('b');
    expect(texts(backend.calls[1]!.messages)).toEqual(['user:b']);
  });

  describe('stream', () => {
    it('stores the turn when the stream finishes, before response resolves', async () => {
      const backend = new FakeBackend();
      backend.script.push({ text: 'streamed answer here' });
      const ai = new AI(backend);
      const stream = ai.stream('tell me');
      const events: StreamEvent['type'][] = [];
      for await (const event of stream) events.push(event.type);
      expect(events).toEqual(['text-delta', 'text-delta', 'text-delta', 'finish']);
      const chunks: string[] = [];
      for await (const text of stream.textStream) chunks.push(text);
      expect(chunks).toEqual(['streamed', 'answer', 'here']);
      expect((await stream.response).text).toBe('streamed answer here');
      expect(texts(await ai.history())).toEqual(['user:tell me', 'assistant:streamed answer here']);
    });

    it('stores the tool transcript a stream reports', async () => {
      const backend = new FakeBackend();
      const call = { id: 'k', name: 't', arguments: {}, rawArguments: '{}' };
      backend.script.push({ text: 'done', toolRounds: [{ calls: [call], results: ['r'] }] });
      const ai = new AI(backend);
      await ai.stream('go').response;
      expect((await ai.history()).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    });

    it('stores nothing when the stream fails', async () => {
      const backend = new FakeBackend();
      backend.script.push({ fail: new LLMError('API_REQUEST_FAILED', 'connection reset') });
      const ai = new AI(backend);
      const stream = ai.stream('hello');
      const events: StreamEvent[] = [];
      for await (const event of stream) events.push(event);
      expect(events.map((e) => e.type)).toEqual(['text-delta', 'error']);
      await expect(stream.response).rejects.toMatchObject({ code: 'API_REQUEST_FAILED' });
      expect(await ai.history()).toEqual([]);
    });

    it('finishes on its own (the next call is not blocked by an unread stream) and serialises with chat', async () => {
      const backend = new FakeBackend();
      const ai = new AI(backend);
      ai.stream('unread');
      await ai.chat('next');
      expect(texts(backend.calls[1]!.messages)).toEqual(['user:unread', 'assistant:reply 1', 'user:next']);
    });

    it('abort before it starts ends with ABORTED and stores nothing', async () => {
      const backend = new FakeBackend();
      const gate = deferred();
      backend.gate = () => gate.promise;
      const ai = new AI(backend);
      const busy = ai.chat('busy');
      const stream = ai.stream('aborted');
      stream.abort();
      gate.resolve();
      await busy;
      await expect(stream.response).rejects.toMatchObject({ code: 'ABORTED' });
      expect(backend.calls).toHaveLength(1);
      expect(texts(await ai.history())).toEqual(['user:busy', 'assistant:reply 1']);
    });

    it('a stream stopped by the reader still rejects the text stream on error', async () => {
      const backend = new FakeBackend();
      backend.script.push({ fail: new LLMError('CONTENT_FILTERED', 'blocked') });
      const ai = new AI(backend);
      const stream = ai.stream('x');
      const read = async () => {
        for await (const _text of stream.textStream) {
          // consume
        }
      };
      await expect(read()).rejects.toMatchObject({ code: 'CONTENT_FILTERED' });
    });
  });

  describe('generateStructured', () => {
    const schema = z.object({ city: z.string() });

    it('returns the value and stores the question and the answer', async () => {
      const backend = new FakeBackend();
      backend.script.push({ json: '{"city":"Paris"}' });
      const ai = new AI(backend, { instruction: 'Extract.', config: { core: { temperature: 0 } } });
      const value = await ai.generateStructured('I live in Paris', schema, {
        maxValidationRetries: 1,
        model: 'X/y',
      });
      expect(value).toEqual({ city: 'Paris' });
      expect(backend.calls[0]!.messages[0]).toEqual({ role: 'system', content: 'Extract.' });
      expect(backend.calls[0]!.options).toEqual({
        maxValidationRetries: 1,
        model: 'X/y',
        config: { core: { temperature: 0 } },
      });
      expect(texts(await ai.history())).toEqual(['user:I live in Paris', 'assistant:{"city":"Paris"}']);
    });

    it('stores a tool_call-strategy answer as text, never as an unanswered tool call', async () => {
      const backend = new FakeBackend();
      backend.script.push({ json: '{"city":"Rome"}', toolCall: true });
      const ai = new AI(backend);
      await ai.generateStructured('Rome', schema);
      const history = await ai.history();
      expect(history[1]).toEqual({
        role: 'assistant',
        content: '{"city":"Rome"}',
        model: 'Gemini/gemini-2.5-flash',
      });
    });

    it('stores nothing when it fails', async () => {
      const backend = new FakeBackend();
      backend.script.push({ fail: new LLMError('RESPONSE_PARSE_ERROR', 'bad') });
      const ai = new AI(backend);
      await expect(ai.generateStructured('x', schema)).rejects.toMatchObject({
        code: 'RESPONSE_PARSE_ERROR',
      });
      expect(await ai.history()).toEqual([]);
    });
  });

  it('continues a conversation from SQLite after a restart (new store, new session object)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-session-'));
    const path = join(dir, 'chat.db');
    let store: MemoryStore & { close(): Promise<void> } = createSqliteMemory(path);
    try {
      const backend = new FakeBackend();
      backend.script.push({ text: 'Hello Ada', signature: 'sig-1' });
      await new AI(backend, { sessionId: 'ada', memory: store }).chat('I am Ada');
      await store.close();
      store = createSqliteMemory(path);
      const again = new AI(backend, { sessionId: 'ada', memory: store });
      await again.chat('Who am I?');
      expect(backend.calls[1]!.messages).toEqual([
        { role: 'user', content: 'I am Ada' },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Hello Ada', thoughtSignature: 'sig-1' }],
          model: 'Gemini/gemini-2.5-flash',
        },
        { role: 'user', content: 'Who am I?' },
      ]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
