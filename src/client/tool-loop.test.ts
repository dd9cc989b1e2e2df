import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { FunctionToolSpec, RunContext, StreamEvent, ToolProvider } from '../spec/index.js';
import type { FakeProvider } from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import { registerToolProvider, unregisterToolProvider } from '../tools/tool-registry.js';
import {
  chatBodies,
  type DialectKit,
  dialectKits,
  type FakeClient,
  geminiKit,
  openaiKit,
  startFakeClient,
} from './test-support/dialect-kit.js';

let client: FakeClient;
let fake: FakeProvider;

beforeAll(async () => {
  client = await startFakeClient();
  fake = client.fake;
});

afterAll(async () => {
  await client.close();
});

beforeEach(() => {
  client.fake.clearRequests();
});

afterEach(() => {
  client.fake.setHandler(undefined);
  // A test that leaves scripted replies behind would answer the next test's requests.
  expect(client.fake.pendingReplies).toBe(0);
  expect(client.fake.errors).toEqual([]);
});

function weatherTool(calls: Array<{ city: string; unit?: string }> = []) {
  return functionTool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string().describe('City name'), unit: z.enum(['c', 'f']).optional() }),
    execute: async (args) => {
      calls.push(args);
      return { city: args.city, tempC: 21 };
    },
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
/**
 * A tool body that never finishes by itself: only `signal` ends it (calling `onAbort`, rejecting with the
 * reason). Tests then need no elapsed-time bound: if the abort did not reach the tool, the test would hang.
 */
function untilAborted(signal: AbortSignal | undefined, onAbort: () => void = () => undefined) {
  return new Promise<string>((_resolve, reject) => {
    signal?.addEventListener(
      'abort',
      () => {
        onAbort();
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A gate that opens once `count` tools are running at the same time. */
function concurrencyGate(count: number) {
  let running = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    /** Counts this tool as running and waits until `count` are. */
    async enter(): Promise<void> {
      running++;
      if (running >= count) open();
      await opened;
    },
  };
}

async function caught(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

// The round trip, parallel and concurrent calls, streamed calls and structured tool errors are checked for every
// provider by the conformance suite (src/providers/conformance/); these runs cover the loop's own rules.
describe.each(dialectKits)('the automatic tool loop ($name)', (kit: DialectKit) => {
  it('stops a model that keeps calling tools after exactly maxToolRounds + 1 requests with GENERATION_FAILED', async () => {
    let round = 0;
    fake.setHandler(() => kit.toolCalls([{ name: 'get_weather', args: { city: `City ${++round}` } }]));
    const ran: Array<{ city: string }> = [];
    const error = await caught(
      client.llm.chat('loop forever', { model: kit.model, tools: [weatherTool(ran)], maxToolRounds: 2 }),
    );
    expect(error.code).toBe('GENERATION_FAILED');
    expect(error.message).toContain('maxToolRounds = 2');
    expect(chatBodies(fake)).toHaveLength(3);
    expect(ran).toHaveLength(2);

    // The client-wide setting bounds it the same way.
    fake.clearRequests();
    const bounded = await startFakeClient({ maxToolRounds: 1 });
    try {
      bounded.fake.setHandler(() => kit.toolCalls([{ name: 'get_weather', args: { city: 'Rome' } }]));
      const again = await caught(bounded.llm.chat('loop', { model: kit.model, tools: [weatherTool()] }));
      expect(again.code).toBe('GENERATION_FAILED');
      expect(again.message).toContain('maxToolRounds = 1');
      expect(chatBodies(bounded.fake)).toHaveLength(2);
    } finally {
      await bounded.close();
    }
  });

  it('returns the calls unrun with maxToolRounds: 0, and for tools without execute (one request each)', async () => {
    const ran: Array<{ city: string }> = [];
    fake.enqueue(kit.toolCalls([{ name: 'get_weather', args: { city: 'Oslo' }, id: 'call_o' }]));
    const first = await client.llm.chat('weather?', {
      model: kit.model,
      tools: [weatherTool(ran)],
      maxToolRounds: 0,
    });
    expect(ran).toEqual([]);
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([
      expect.objectContaining({ name: 'get_weather', arguments: { city: 'Oslo' } }),
    ]);
    expect(first.toolResults).toBeUndefined();
    expect(first.message.toolCalls).toEqual(first.toolCalls);
    expect(chatBodies(fake)).toHaveLength(1);

    fake.clearRequests();
    const declared = functionTool({ name: 'book_table', parameters: z.object({ people: z.number().int() }) });
    const plain = {
      name: 'send_mail',
      description: 'Sends a mail',
      parameters: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] },
    };
    fake.enqueue(
      kit.toolCalls([
        { name: 'book_table', args: { people: 4 }, id: 'call_b' },
        { name: 'send_mail', args: { to: 'a@example.com' }, id: 'call_m' },
      ]),
    );
    const second = await client.llm.chat('book and mail', { model: kit.model, tools: [declared, plain] });
    expect(second.toolCalls.map((call) => [call.name, call.arguments])).toEqual([
      ['book_table', { people: 4 }],
      ['send_mail', { to: 'a@example.com' }],
    ]);
    expect(second.toolResults).toBeUndefined();
    expect(chatBodies(fake)).toHaveLength(1);
  });

  it('forces a tool call only in the first round: later rounds send tool choice auto, so the loop can end', async () => {
    // OpenAI `tool_choice`; Gemini `toolConfig.functionCallingConfig.mode`.
    const choiceOf = (body: unknown): unknown =>
      kit.name === 'openai'
        ? (body as { tool_choice?: unknown }).tool_choice
        : (body as { toolConfig?: { functionCallingConfig?: { mode?: string } } }).toolConfig
            ?.functionCallingConfig?.mode;
    const cases = [
      { toolChoice: 'required' as const, openai: 'required' },
      {
        toolChoice: { name: 'get_weather' },
        openai: { type: 'function', function: { name: 'get_weather' } },
      },
      { config: { toolConfig: { mode: 'ANY' as const } }, openai: 'required' },
    ];
    for (const { openai, ...options } of cases) {
      fake.clearRequests();
      fake.enqueue(
        kit.toolCalls([{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_f' }]),
        kit.text('21 °C'),
      );
      const response = await client.llm.chat('Weather in Paris?', {
        model: kit.model,
        tools: [weatherTool()],
        ...options,
      });
      expect(response.text).toBe('21 °C');
      const [first, second] = chatBodies(fake);
      expect(choiceOf(first)).toEqual(kit.name === 'openai' ? openai : 'ANY');
      expect(choiceOf(second)).toBe(kit.name === 'openai' ? 'auto' : 'AUTO');
    }
    // 'none' and 'auto' are kept as they are.
    fake.clearRequests();
    fake.enqueue(kit.toolCalls([{ name: 'get_weather', args: { city: 'Oslo' } }]), kit.text('3 °C'));
    await client.llm.chat('x', { model: kit.model, tools: [weatherTool()], toolChoice: 'auto' });
    expect(chatBodies(fake).map(choiceOf)).toEqual(
      kit.name === 'openai' ? ['auto', 'auto'] : ['AUTO', 'AUTO'],
    );
    fake.clearRequests();
    fake.enqueue(kit.text('no tools then'));
    await client.llm.chat('x', { model: kit.model, tools: [weatherTool()], toolChoice: 'none' });
    expect(choiceOf(chatBodies(fake)[0])).toBe(kit.name === 'openai' ? 'none' : 'NONE');
  });

  it('lets toolHooks.onToolStart rewrite a call and answer another without running the tool', async () => {
    const ran: Array<{ city: string }> = [];
    const ended: Array<[string, unknown]> = [];
    fake.enqueue(
      kit.toolCalls([
        { name: 'get_weather', args: { city: 'Pariss' }, id: 'call_rewrite' },
        { name: 'get_weather', args: { city: 'Cached City' }, id: 'call_cached' },
      ]),
      kit.text('ok'),
    );
    const response = await client.llm.chat('two cities', {
      model: kit.model,
      tools: [weatherTool(ran)],
      toolHooks: {
        onToolStart: (_call, { args }) => {
          if (args.city === 'Pariss') return { args: { city: 'Paris' } };
          if (args.city === 'Cached City') return { output: { city: 'Cached City', tempC: 5, cached: true } };
          return undefined;
        },
        onToolEnd: (result, _error, call) => {
          ended.push([String(call.arguments.city), result]);
        },
      },
    });
    expect(response.text).toBe('ok');
    expect(ran).toEqual([{ city: 'Paris' }]);
    const results = kit.toolResults(chatBodies(fake)[1]);
    expect(results.map((result) => result.content)).toEqual([
      { city: 'Paris', tempC: 21 },
      { city: 'Cached City', tempC: 5, cached: true },
    ]);
    expect(ended).toEqual(
      expect.arrayContaining([
        ['Paris', { city: 'Paris', tempC: 21 }],
        ['Cached City', { city: 'Cached City', tempC: 5, cached: true }],
      ]),
    );
  });

  it('ends a stream whose model keeps calling tools with an error event (GENERATION_FAILED) and a rejected response', async () => {
    fake.setHandler(() => kit.toolCallStream([{ name: 'get_weather', args: { city: 'Loop' } }]));
    const stream = client.llm.stream('loop', { model: kit.model, tools: [weatherTool()], maxToolRounds: 1 });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['tool-call', 'tool-result', 'tool-call', 'error']);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.code).toBe('GENERATION_FAILED');
    const error = await caught(stream.response);
    expect(error.message).toContain('maxToolRounds = 1');
    expect(chatBodies(fake)).toHaveLength(2);
  });

  it('stops a running tool when a stream is aborted mid-loop: ABORTED', async () => {
    let toolStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      toolStarted = resolve;
    });
    let sawAbort = false;
    const waiting = functionTool({
      name: 'wait_for_it',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        toolStarted();
        return untilAborted(ctx.signal, () => {
          sawAbort = true;
        });
      },
    });
    fake.enqueue(kit.toolCallStream([{ name: 'wait_for_it', id: 'call_wait' }]));
    const stream = client.llm.stream('wait', { model: kit.model, tools: [waiting] });
    const events: StreamEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) events.push(event);
    })();
    await started;
    stream.abort();
    await reading;
    expect(sawAbort).toBe(true);
    expect(events.map((event) => event.type)).toEqual(['tool-call', 'error']);
    expect((await caught(stream.response)).code).toBe('ABORTED');
    expect(chatBodies(fake)).toHaveLength(1);
  });

  it('carries strings, undefined and unserialisable outputs to the model faithfully', async () => {
    const text = functionTool({ name: 'say', parameters: z.object({}), execute: () => 'plain words' });
    const nothing = functionTool({ name: 'nothing', parameters: z.object({}), execute: () => undefined });
    const map = functionTool({
      name: 'a_map',
      parameters: z.object({}),
      execute: () => ({ m: new Map([[1, 2]]) }),
    });
    fake.enqueue(
      kit.toolCalls([
        { name: 'say', id: 'c1' },
        { name: 'nothing', id: 'c2' },
        { name: 'a_map', id: 'c3' },
      ]),
      kit.text('fine'),
    );
    const response = await client.llm.chat('outputs', { model: kit.model, tools: [text, nothing, map] });
    expect(response.toolResults?.map((result) => result.output)).toEqual([
      'plain words',
      null,
      expect.objectContaining({ error_type: 'ExecutionError' }),
    ]);
    const contents = kit.toolResults(chatBodies(fake)[1]).map((result) => result.content);
    if (kit.name === 'openai') {
      expect(contents.slice(0, 2)).toEqual(['plain words', null]);
    } else {
      expect(contents.slice(0, 2)).toEqual([{ result: 'plain words' }, { result: null }]);
    }
    expect(contents[2]).toMatchObject({ error_type: 'ExecutionError', is_retryable: false });
    expect((contents[2] as { message: string }).message).toContain('Map');
  });

  it('aborts a running tool through ctx.signal when the caller aborts: ABORTED (the tool never ends otherwise)', async () => {
    let toolStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      toolStarted = resolve;
    });
    let sawAbort = false;
    const waiting = functionTool({
      name: 'wait_for_it',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        toolStarted();
        return untilAborted(ctx.signal, () => {
          sawAbort = true;
        });
      },
    });
    fake.enqueue(kit.toolCalls([{ name: 'wait_for_it', id: 'call_wait' }]));
    const controller = new AbortController();
    const pending = client.llm.chat('wait', {
      model: kit.model,
      tools: [waiting],
      signal: controller.signal,
    });
    await started;
    controller.abort();
    const error = await caught(pending);
    expect(error.code).toBe('ABORTED');
    expect(sawAbort).toBe(true);
    expect(chatBodies(fake)).toHaveLength(1);
  });

  it('aborts a running tool at the call deadline: API_TIMEOUT', async () => {
    let sawAbort = false;
    const waiting = functionTool({
      name: 'wait_for_it',
      parameters: z.object({}),
      execute: (_args, ctx) =>
        untilAborted(ctx.signal, () => {
          sawAbort = true;
        }),
    });
    fake.enqueue(kit.toolCalls([{ name: 'wait_for_it', id: 'call_wait' }]));
    const error = await caught(
      client.llm.chat('wait', { model: kit.model, tools: [waiting], timeoutMs: 300 }),
    );
    expect(error.code).toBe('API_TIMEOUT');
    expect(sawAbort).toBe(true);
  });

  it('sends a nested zod schema without $ref and validates real nested arguments', async () => {
    const address = z.object({ street: z.string(), zip: z.string().optional() });
    const order = z.object({
      customer: z.object({ name: z.string(), home: address, work: address.optional() }),
      items: z.array(
        z.object({
          sku: z.string().describe('Stock keeping unit'),
          kind: z.enum(['book', 'toy']),
          gift: z.object({ wrap: z.boolean(), note: z.string().optional() }).optional(),
        }),
      ),
      priority: z.enum(['low', 'high']).optional(),
    });
    const received: unknown[] = [];
    const placeOrder = functionTool({
      name: 'place_order',
      parameters: order,
      execute: (args) => {
        received.push(args);
        return { ok: true };
      },
    });
    const good = {
      customer: { name: 'Ada', home: { street: '1 Loop Rd' } },
      items: [
        { sku: 'B-1', kind: 'book', gift: { wrap: true } },
        { sku: 'T-9', kind: 'toy' },
      ],
    };
    const bad = {
      customer: { name: 'Bob', home: { street: '2 Main St' } },
      items: [{ sku: 'X', kind: 'car' }],
    };
    fake.enqueue(
      kit.toolCalls([
        { name: 'place_order', args: good, id: 'call_good' },
        { name: 'place_order', args: bad, id: 'call_bad' },
      ]),
      kit.text('ordered'),
    );
    const response = await client.llm.chat('order', { model: kit.model, tools: [placeOrder] });
    expect(response.text).toBe('ordered');

    const [first, second] = chatBodies(fake);
    const declared = kit.declaredTools(first);
    expect(declared).toHaveLength(1);
    const schemaText = JSON.stringify(declared[0]?.parameters);
    expect(schemaText).not.toContain('$ref');
    expect(schemaText).not.toContain('$defs');
    expect(schemaText).not.toContain('definitions');
    const parameters = declared[0]?.parameters as {
      properties: {
        items: { items: { properties: Record<string, { enum?: string[] }>; required?: string[] } };
      };
    };
    const item = parameters.properties.items.items;
    expect(item.properties.kind?.enum).toEqual(['book', 'toy']);
    expect(item.required).toEqual(expect.arrayContaining(['sku', 'kind']));
    expect(item.required).not.toContain('gift');
    expect(JSON.stringify(item.properties.sku)).toContain('Stock keeping unit');

    expect(received).toEqual([good]);
    const results = kit.toolResults(second);
    expect(results[0]?.content).toEqual({ ok: true });
    const invalid = results[1]?.content as {
      error_type: string;
      message: string;
      issues?: { path: string }[];
    };
    expect(invalid.error_type).toBe('InvalidArguments');
    expect(invalid.issues?.map((issue) => issue.path)).toEqual(['items[0].kind']);
  });

  it('injects runContext into execute and never sends it to the provider', async () => {
    const seen: RunContext[] = [];
    const whoAmI = functionTool({
      name: 'who_am_i',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        seen.push(ctx);
        return { user: ctx.sessionId };
      },
    });
    fake.enqueue(kit.toolCalls([{ name: 'who_am_i', id: 'call_who' }]), kit.text('you are you'));
    const db = { handle: 'db-handle-7f3a' };
    await client.llm.chat('who am I?', {
      model: kit.model,
      tools: [whoAmI],
      runContext: { sessionId: 'session-91c2', scope: { db }, extra: { tier: 'tier-gold-55' } },
    });
    expect(seen).toHaveLength(1);
    const ctx = seen[0] as RunContext;
    expect(ctx.sessionId).toBe('session-91c2');
    expect(ctx.scope.db).toBe(db);
    expect(ctx.extra).toEqual({ tier: 'tier-gold-55' });
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    const requests = fake.requests.filter((request) =>
      request.path.includes(kit.name === 'openai' ? 'chat' : 'models/'),
    );
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.rawBody).not.toContain('db-handle-7f3a');
      expect(request.rawBody).not.toContain('tier-gold-55');
      expect(request.rawBody).not.toMatch(/runContext|sessionId/);
    }
    // The tool's own output is what the model sees.
    expect(requests[1]?.rawBody).toContain('session-91c2');
  });

  it('resolves tools passed by name through a provider registered with registerToolProvider', async () => {
    const lookups: string[] = [];
    const stockTool = functionTool({
      name: `stock_level_${kit.name}`,
      description: 'Units in stock',
      parameters: z.object({ sku: z.string() }),
      execute: ({ sku }) => ({ sku, units: 7 }),
    }) as FunctionToolSpec;
    const provider: ToolProvider = {
      name: `inventory-${kit.name}`,
      discoverTools: async () => [stockTool],
      getTool: async (name) => {
        lookups.push(name);
        return name === stockTool.name ? stockTool : undefined;
      },
    };
    registerToolProvider(provider);
    try {
      fake.enqueue(
        kit.toolCalls([{ name: stockTool.name, args: { sku: 'A-1' }, id: 'call_stock' }]),
        kit.text('7 left'),
      );
      const response = await client.llm.chat('stock of A-1?', { model: kit.model, tools: [stockTool.name] });
      expect(response.text).toBe('7 left');
      expect(lookups).toEqual([stockTool.name]);
      const [first, second] = chatBodies(fake);
      expect(kit.declaredTools(first).map((tool) => tool.name)).toEqual([stockTool.name]);
      expect(kit.toolResults(second)[0]?.content).toEqual({ sku: 'A-1', units: 7 });
      const unknown = await caught(
        client.llm.chat('x', { model: kit.model, tools: ['nobody_has_this_tool'] }),
      );
      expect(unknown.code).toBe('INVALID_PARAMETER');
      expect(unknown.message).toContain('nobody_has_this_tool');
    } finally {
      expect(unregisterToolProvider(provider.name)).toBe(provider);
    }
  });
});

describe('Gemini thought signatures in the tool loop', () => {
  it('replays a signed functionCall with its signature on the same part', async () => {
    fake.enqueue(
      geminiKit.toolCalls([
        { name: 'get_weather', args: { city: 'Paris' }, thoughtSignature: 'c2lnbmF0dXJlLTE=' },
        { name: 'get_weather', args: { city: 'Rome' } },
      ]),
      geminiKit.text('Both are 21 °C.'),
    );
    const response = await client.llm.chat('Paris and Rome?', {
      model: 'Gemini/gemini-2.5-flash',
      tools: [weatherTool()],
    });
    expect(response.text).toBe('Both are 21 °C.');
    expect(response.toolResults?.[0]?.call.thoughtSignature).toBe('c2lnbmF0dXJlLTE=');
    const second = chatBodies(fake)[1] as {
      contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    };
    const modelTurn = second.contents.find((content) => content.role === 'model');
    expect(modelTurn?.parts).toHaveLength(2);
    expect(modelTurn?.parts[0]).toMatchObject({
      functionCall: { name: 'get_weather', args: { city: 'Paris' } },
      thoughtSignature: 'c2lnbmF0dXJlLTE=',
    });
    expect(modelTurn?.parts[1]).toMatchObject({
      functionCall: { name: 'get_weather', args: { city: 'Rome' } },
    });
    expect(modelTurn?.parts[1]?.thoughtSignature).toBeUndefined();
    const responses = second.contents.at(-1)?.parts.map((part) => part.functionResponse);
    expect(responses).toEqual([
      expect.objectContaining({ name: 'get_weather', response: { city: 'Paris', tempC: 21 } }),
      expect.objectContaining({ name: 'get_weather', response: { city: 'Rome', tempC: 21 } }),
    ]);
  });
});

describe('recorded tool-call exchanges replayed through the loop', () => {
  const weather = (answer: string) =>
    functionTool({
      name: 'weather',
      description: 'Gets current weather for a location',
      parameters: z.object({
        latitude: z.string().describe('Latitude (e.g., 52.5200)'),
        longitude: z.string().describe('Longitude (e.g., 13.4050)'),
      }),
      execute: ({ latitude, longitude }) => `Current weather at ${latitude}, ${longitude}: ${answer}`,
    });
  const bestLanguage = functionTool({
    name: 'best_language_to_learn',
    description: 'Gets the best language to learn',
    parameters: z.object({}),
    execute: () => 'Ruby',
  });
  const prompt = "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?";

  it('OpenAI parallel tool calls: the second request matches the recorded one', async () => {
    fake.enqueue(
      { fixture: 'openai/chat-parallel-tool-calls.exchange.json', interaction: 0 },
      { fixture: 'openai/chat-parallel-tool-calls.exchange.json', interaction: 1 },
    );
    const response = await client.llm.chat(prompt, {
      model: 'OpenAI/gpt-5-nano',
      tools: [weather('15°C, Wind: 10 km/h'), bestLanguage],
    });
    expect(response.text).toContain('Best language to learn: Ruby.');
    expect(response.toolResults?.map((result) => result.output)).toEqual([
      'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
      'Ruby',
    ]);
    const second = chatBodies(fake)[1] as { messages: Array<Record<string, unknown>> };
    expect(second.messages.slice(2)).toEqual([
      {
        role: 'tool',
        tool_call_id: 'call_GOotzq3y3C45fdLNjm8SXXRo',
        content: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
      },
      { role: 'tool', tool_call_id: 'call_6IvZGzhTPoSUAGUWnRx0po6X', content: 'Ruby' },
    ]);
    expect(openaiKit.replayedCalls(second)).toEqual([
      {
        id: 'call_GOotzq3y3C45fdLNjm8SXXRo',
        name: 'weather',
        args: { latitude: '52.5200', longitude: '13.4050' },
      },
      { id: 'call_6IvZGzhTPoSUAGUWnRx0po6X', name: 'best_language_to_learn', args: {} },
    ]);
    // The call's total over both rounds (449 + 550), not the last round's 550 (API.md §16).
    expect(response.usage).toEqual({
      promptTokens: 194 + 294,
      completionTokens: 255 + 256,
      totalTokens: 449 + 550,
      reasoningTokens: 192 + 192,
      cachedTokens: 0,
    });
  });

  it('Gemini parallel function calls: the signature stays on the first call, the answers go back by name', async () => {
    fake.enqueue(
      { fixture: 'gemini/generate-parallel-function-calls.exchange.json', interaction: 0 },
      { fixture: 'gemini/generate-parallel-function-calls.exchange.json', interaction: 1 },
    );
    const response = await client.llm.chat(prompt, {
      model: 'Gemini/gemini-2.5-flash',
      tools: [weather('15°C, Wind: 10 km/h'), bestLanguage],
    });
    expect(response.text).toContain('The best language to learn is Ruby.');
    // Summed over both rounds; only the first reported thoughts.
    expect(response.usage).toEqual({
      promptTokens: 143 + 277,
      completionTokens: 44 + 109 + 47,
      totalTokens: 296 + 324,
      reasoningTokens: 109,
    });
    const second = chatBodies(fake)[1];
    const calls = geminiKit.replayedCalls(second);
    expect(calls.map((call) => [call.name, call.args])).toEqual([
      ['weather', { latitude: '52.5200', longitude: '13.4050' }],
      ['best_language_to_learn', {}],
    ]);
    expect(calls[0]?.thoughtSignature).toMatch(/^CpEDARFNMg9f55m3/);
    expect(calls[1]?.thoughtSignature).toBeUndefined();
    expect(geminiKit.toolResults(second).map((result) => [result.name, result.content])).toEqual([
      ['weather', { result: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' }],
      ['best_language_to_learn', { result: 'Ruby' }],
    ]);
  });

  it('Gemini thought summary + signed functionCall (unary and streamed): replayed with the signature on its part', async () => {
    const now = functionTool({
      name: 'now',
      parameters: z.object({}),
      execute: () => '2025-12-29T10:00:00Z',
    });
    fake.enqueue({ fixture: 'gemini/generate-thinking-function-call.json' }, geminiKit.text('2 days.'));
    const response = await client.llm.chat('How many days until New Year’s Eve?', {
      model: 'Gemini/gemini-2.5-flash',
      tools: [now],
    });
    expect(response.text).toBe('2 days.');
    const replayTurn = (body: unknown) =>
      (body as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> }).contents.find(
        (content) => content.role === 'model',
      );
    const unaryTurn = replayTurn(chatBodies(fake)[1]);
    const unaryCall = unaryTurn?.parts.find((part) => part.functionCall != null);
    expect(unaryCall).toMatchObject({ functionCall: { name: 'now', args: {} } });
    expect(unaryCall?.thoughtSignature).toMatch(/^CtQOAVSoXO74PmYr/);
    expect(unaryTurn?.parts.filter((part) => part.thoughtSignature != null)).toHaveLength(1);

    fake.clearRequests();
    fake.enqueue(
      { fixture: 'gemini/stream-thinking-function-call.sse.txt' },
      geminiKit.textStream(['2 ', 'days.']),
    );
    const stream = client.llm.stream('How many days until New Year’s Eve?', {
      model: 'Gemini/gemini-2.5-flash',
      tools: [now],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.filter((type) => type !== 'reasoning-delta')).toEqual([
      'tool-call',
      'tool-result',
      'text-delta',
      'text-delta',
      'finish',
    ]);
    const streamedTurn = replayTurn(chatBodies(fake)[1]);
    const streamedCall = streamedTurn?.parts.find((part) => part.functionCall != null);
    expect(streamedCall).toMatchObject({ functionCall: { name: 'now', args: {} } });
    expect(streamedCall?.thoughtSignature).toMatch(/^CiIBVKhc7vB/);
    expect((await stream.response).toolResults?.[0]?.output).toBe('2025-12-29T10:00:00Z');
  });
});

describe('tool concurrency across calls of one client', () => {
  // Every tool waits until all ten are running: with one client-wide pool of 8 slots the ninth and tenth
  // could never start, and the two chats would never finish.
  it('two concurrent chats do not share one concurrency bound (5 + 5 tools all running at once)', async () => {
    const gate = concurrencyGate(10);
    const slow = functionTool({
      name: 'slow',
      parameters: z.object({}),
      execute: async () => {
        await gate.enter();
        return 'slow';
      },
    });
    fake.setHandler((request) => {
      const messages = (request.body as { messages: Array<{ role: string }> }).messages;
      return messages.at(-1)?.role === 'tool'
        ? openaiKit.text('done')
        : openaiKit.toolCalls(Array.from({ length: 5 }, (_, i) => ({ name: 'slow', id: `call_${i}` })));
    });
    const responses = await Promise.all([
      client.llm.chat('first', { tools: [slow] }),
      client.llm.chat('second', { tools: [slow] }),
    ]);
    expect(responses.map((response) => response.toolResults?.length)).toEqual([5, 5]);
  });

  it('a tool that runs its own chat with tools (an agent as a tool) does not deadlock a full round', async () => {
    const leaf = functionTool({ name: 'leaf', parameters: z.object({}), execute: () => 'leaf result' });
    const agent = functionTool({
      name: 'agent',
      parameters: z.object({ task: z.string() }),
      execute: async ({ task }, ctx) => {
        const inner = await client.llm.chat(`inner ${task}`, {
          tools: [leaf],
          ...(ctx.signal != null ? { signal: ctx.signal } : {}),
        });
        return inner.text;
      },
    });
    fake.setHandler((request) => {
      const messages = (request.body as { messages: Array<{ role: string; content: unknown }> }).messages;
      const last = messages.at(-1);
      const first = String(messages[0]?.content);
      if (last?.role === 'tool')
        return openaiKit.text(first.startsWith('inner') ? `${first} done` : 'all done');
      if (first.startsWith('inner')) return openaiKit.toolCalls([{ name: 'leaf' }]);
      return openaiKit.toolCalls(
        Array.from({ length: 10 }, (_, i) => ({ name: 'agent', args: { task: `t${i}` } })),
      );
    });
    // No deadline: a deadlock would hang (and fail the test) rather than race a clock on a busy machine.
    const response = await client.llm.chat('outer', { tools: [agent] });
    expect(response.text).toBe('all done');
    expect(response.toolResults?.map((result) => result.output)).toEqual(
      Array.from({ length: 10 }, (_, i) => `inner t${i} done`),
    );
  });
});

describe('strict OpenAI tools', () => {
  it('sends a strict tool with optional fields as required + nullable, and runs it with the nulls turned back into absent fields', async () => {
    const received: unknown[] = [];
    const search = functionTool({
      name: 'search_flights',
      strict: true,
      parameters: z.object({
        from: z.string(),
        to: z.string(),
        date: z.string().optional(),
        cabin: z.enum(['economy', 'business']).optional(),
      }),
      execute: (args) => {
        received.push(args);
        return { flights: 3 };
      },
    });
    // In strict mode the model must send every field; optional ones come as null.
    fake.enqueue(
      openaiKit.toolCalls([
        {
          name: 'search_flights',
          args: { from: 'OSL', to: 'CDG', date: null, cabin: null },
          id: 'call_strict',
        },
      ]),
      openaiKit.text('3 flights'),
    );
    const response = await client.llm.chat('flights OSL→CDG', { tools: [search] });
    expect(response.text).toBe('3 flights');
    const [first, second] = chatBodies(fake);
    const declared = (
      first as { tools: Array<{ function: { strict?: boolean; parameters: Record<string, unknown> } }> }
    ).tools[0]?.function;
    expect(declared?.strict).toBe(true);
    expect(declared?.parameters.required).toEqual(['from', 'to', 'date', 'cabin']);
    expect(response.toolResults?.[0]?.error).toBeUndefined();
    expect(received).toEqual([{ from: 'OSL', to: 'CDG' }]);
    expect(openaiKit.toolResults(second)[0]?.content).toEqual({ flights: 3 });
  });
});
