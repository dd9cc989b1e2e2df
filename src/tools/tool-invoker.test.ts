import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { LLMToolCall, RunContext, ToolError } from '../spec/index.js';
import { functionTool } from './function-tool.js';
import { ToolInvoker } from './tool-invoker.js';
import { toToolMessage } from './tool-output.js';

let nextId = 0;
function call(name: string, args: unknown = {}, raw?: string): LLMToolCall {
  const rawArguments = raw ?? JSON.stringify(args);
  return { id: `call_${++nextId}`, name, arguments: {}, rawArguments };
}

/** Never settles by itself: only `signal` (rejecting with its reason) can end it. */
function untilAborted(signal?: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Lets pending callbacks run (event-loop turns, not a duration). */
async function turns(count = 20): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const weather = functionTool({
  name: 'get_weather',
  description: 'Current weather',
  parameters: z.object({
    city: z.string().describe('City name'),
    days: z.array(z.object({ offset: z.number().int() })).optional(),
  }),
  execute: async ({ city }) => ({ city, tempC: 21 }),
});
const boom = functionTool({
  name: 'boom',
  parameters: z.object({}),
  execute: () => {
    throw new TypeError('database unreachable');
  },
});
const slowTool = functionTool({
  name: 'slow',
  parameters: z.object({}),
  timeoutMs: 50,
  execute: (_args, ctx) => sleep(5000, ctx.signal).then(() => 'late'),
});

/** What the model sees for one call. */
async function contentOf(
  invoker: ToolInvoker,
  toolCall: LLMToolCall,
  tools: Parameters<ToolInvoker['execute']>[1],
) {
  const [message] = await invoker.executeBatch([toolCall], tools);
  return message?.content;
}

describe('ToolInvoker results the model sees', () => {
  const invoker = new ToolInvoker();
  const tools = [weather, boom, slowTool];

  it('runs a tool and returns its output as JSON; strings stay as they are', async () => {
    expect(await contentOf(invoker, call('get_weather', { city: 'Paris' }), tools)).toBe(
      '{"city":"Paris","tempC":21}',
    );
    const greet = { name: 'greet', parameters: { type: 'object' }, execute: () => 'Bonjour, ça va ?' };
    expect(await contentOf(invoker, call('greet'), [greet])).toBe('Bonjour, ça va ?');
    const nothing = { name: 'nothing', execute: () => undefined };
    const execution = await invoker.execute(call('nothing'), [nothing]);
    expect(execution).toEqual({ call: execution.call, output: null });
    expect(toToolMessage(execution).content).toBe('null');
  });

  it('arguments that do not parse → InvalidArguments (retryable)', async () => {
    let reason = '';
    try {
      JSON.parse('{{{');
    } catch (error) {
      reason = (error as Error).message;
    }
    expect(await contentOf(invoker, call('get_weather', undefined, '{{{'), tools)).toBe(
      JSON.stringify({
        error_type: 'InvalidArguments',
        message: `tool 'get_weather': arguments are not valid JSON (${reason}); send a JSON object`,
        is_retryable: true,
      }),
    );
    expect(await contentOf(invoker, call('get_weather', undefined, '[1]'), tools)).toBe(
      '{"error_type":"InvalidArguments","message":"tool \'get_weather\': arguments must be a JSON object (got an array); send a JSON object","is_retryable":true}',
    );
  });

  it('repairable arguments run the tool', async () => {
    expect(
      await contentOf(invoker, call('get_weather', undefined, "```json\n{'city': 'Oslo',}\n```"), tools),
    ).toBe('{"city":"Oslo","tempC":21}');
  });

  it('validation failure → InvalidArguments with the issues by path', async () => {
    const content = await contentOf(
      invoker,
      call('get_weather', { city: 7, days: [{ offset: 1.5 }] }),
      tools,
    );
    expect(JSON.parse(content as string)).toEqual({
      error_type: 'InvalidArguments',
      message:
        "invalid arguments for tool 'get_weather': city: Invalid input: expected string, received number; days[0].offset: Invalid input: expected int, received number. Fix the arguments and call the tool again.",
      is_retryable: true,
      issues: [
        { path: 'city', message: 'Invalid input: expected string, received number' },
        { path: 'days[0].offset', message: 'Invalid input: expected int, received number' },
      ],
    });
  });

  it('unknown tool → ToolNotFound listing the available tools', async () => {
    expect(await contentOf(invoker, call('get_wether', { city: 'Paris' }), tools)).toBe(
      '{"error_type":"ToolNotFound","message":"tool \'get_wether\' not found; available tools: get_weather, boom, slow","is_retryable":false}',
    );
    expect(await contentOf(invoker, call('x'), [])).toBe(
      '{"error_type":"ToolNotFound","message":"tool \'x\' not found; no tools are available","is_retryable":false}',
    );
  });

  it('a throwing tool → ExecutionError with the message only (no stack)', async () => {
    const content = await contentOf(invoker, call('boom'), tools);
    expect(content).toBe(
      '{"error_type":"ExecutionError","message":"database unreachable","is_retryable":false}',
    );
    expect(content).not.toContain('at ');
    const retryable = {
      name: 'llm_inside',
      execute: () => {
        throw new LLMError('API_RATE_LIMITED', 'rate limited upstream');
      },
    };
    expect(await contentOf(invoker, call('llm_inside'), [retryable])).toBe(
      '{"error_type":"ExecutionError","message":"rate limited upstream","is_retryable":true}',
    );
  });

  it('per-tool timeout → retryable ExecutionError, and the tool signal fires', async () => {
    let toolSignal: AbortSignal | undefined;
    const timed = {
      name: 'timed',
      timeoutMs: 40,
      // Never finishes by itself: only the 40 ms tool timeout can end it.
      execute: (_args: unknown, ctx: RunContext) => {
        toolSignal = ctx.signal;
        return untilAborted(ctx.signal);
      },
    };
    expect(await contentOf(invoker, call('timed'), [timed])).toBe(
      '{"error_type":"ExecutionError","message":"tool \'timed\' timed out after 40 ms","is_retryable":true}',
    );
    expect(toolSignal?.aborted).toBe(true);
  });

  it('non-serialisable output → ExecutionError, not a crash', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: [string, unknown, string][] = [
      ['big', { n: 10n }, 'a BigInt at output.n'],
      ['cycle', cyclic, 'a circular reference at output.self'],
      ['fn', { items: [1, { run: () => 1 }] }, 'a function at output.items[1].run'],
      ['map', { m: new Map() }, 'a Map at output.m (convert it to an object or array)'],
    ];
    for (const [name, output, where] of cases) {
      const execution = await invoker.execute(call(name), [{ name, execute: () => output }]);
      expect(execution.error).toEqual({
        error_type: 'ExecutionError',
        message: `output is not JSON-serialisable: ${where}`,
        is_retryable: false,
      });
      expect(JSON.parse(toToolMessage(execution).content as string)).toEqual(execution.error);
    }
    const dated = await invoker.execute(call('dated'), [
      { name: 'dated', execute: () => ({ at: new Date(0) }) },
    ]);
    expect(toToolMessage(dated).content).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('a tool without execute is not run', async () => {
    expect(
      await contentOf(invoker, call('manual'), [{ name: 'manual', parameters: { type: 'object' } }]),
    ).toBe(
      '{"error_type":"ExecutionError","message":"tool \'manual\' has no execute function","is_retryable":false}',
    );
  });

  it('scrubs registered secrets out of error messages', async () => {
    const leaky = {
      name: 'leaky',
      execute: () => {
        throw new Error('auth failed for sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD');
      },
    };
    const execution = await invoker.execute(call('leaky'), [leaky]);
    expect(execution.error?.message).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
  });
});

describe('ToolInvoker batches', () => {
  it('runs one round concurrently: all three tools are running before any finishes', async () => {
    let started = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const wait = {
      name: 'wait',
      execute: async () => {
        started++;
        await gate;
        return 'ok';
      },
    };
    const pending = new ToolInvoker().executeAll([call('wait'), call('wait'), call('wait')], [wait]);
    await turns();
    // One at a time would have started one tool, waiting on the gate.
    expect(started).toBe(3);
    release();
    const executions = await pending;
    expect(executions.map((e) => e.output)).toEqual(['ok', 'ok', 'ok']);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const tracked = {
      name: 'tracked',
      execute: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(20);
        inFlight--;
        return inFlight;
      },
    };
    const invoker = new ToolInvoker({ concurrency: 3 });
    const calls = Array.from({ length: 10 }, () => call('tracked'));
    const executions = await invoker.executeAll(calls, [tracked]);
    expect(executions).toHaveLength(10);
    expect(maxInFlight).toBe(3);
    maxInFlight = 0;
    await new ToolInvoker().executeAll(
      Array.from({ length: 20 }, () => call('tracked')),
      [tracked],
    );
    expect(maxInFlight).toBe(8);
  });

  it('executeBatch answers in call order, whatever order the tools finish in', async () => {
    const delayed = {
      name: 'delayed',
      parameters: z.object({ ms: z.number(), tag: z.string() }),
      execute: async ({ ms, tag }: { ms: number; tag: string }) => {
        await sleep(ms);
        return { tag };
      },
    };
    const calls = [
      call('delayed', { ms: 60, tag: 'first' }),
      call('missing'),
      call('delayed', { ms: 5, tag: 'third' }),
      call('delayed', { ms: 30, tag: 'fourth' }),
    ];
    const messages = await new ToolInvoker().executeBatch(calls, { delayed });
    expect(messages.map((m) => m.toolCallId)).toEqual(calls.map((c) => c.id));
    expect(messages[0]).toEqual({
      role: 'tool',
      toolCallId: calls[0]!.id,
      name: 'delayed',
      content: '{"tag":"first"}',
    });
    expect(messages[1]?.content).toContain('ToolNotFound');
    expect(messages.slice(2).map((m) => m.content)).toEqual(['{"tag":"third"}', '{"tag":"fourth"}']);
  });

  it('accepts tools as an array, a record by name, or a Map', async () => {
    const invoker = new ToolInvoker();
    for (const tools of [[weather], { weather }, new Map([['get_weather', weather]])]) {
      const execution = await invoker.execute(call('get_weather', { city: 'Rome' }), tools);
      expect(execution.output).toEqual({ city: 'Rome', tempC: 21 });
    }
  });

  it('uses call.arguments when rawArguments is empty', async () => {
    const execution = await new ToolInvoker().execute(
      { id: 'c1', name: 'get_weather', arguments: { city: 'Lima' }, rawArguments: '' },
      [weather],
    );
    expect(execution.output).toEqual({ city: 'Lima', tempC: 21 });
  });
});

describe('ToolInvoker hooks', () => {
  const echo = {
    name: 'echo',
    execute: (args: Record<string, unknown>) => ({ echoed: args }),
  };
  const shout = {
    name: 'shout',
    execute: (args: Record<string, unknown>) => String(args.text).toUpperCase(),
  };

  it('onToolStart sees the parsed arguments and can rewrite the call', async () => {
    const seen: unknown[] = [];
    const ends: LLMToolCall[] = [];
    const invoker = new ToolInvoker({
      onToolStart: (toolCall, data) => {
        seen.push({ id: toolCall.id, ...data });
        return { name: 'shout', args: { text: `${data.args.text}!` } };
      },
      onToolEnd: (_result, _error, ranCall) => {
        ends.push(ranCall);
      },
    });
    const original = call('echo', { text: 'hi' });
    const execution = await invoker.execute(original, [echo, shout]);
    expect(seen).toEqual([{ id: original.id, name: 'echo', args: { text: 'hi' } }]);
    expect(execution).toEqual({ call: original, output: 'HI!' });
    expect(ends[0]).toEqual({
      ...original,
      name: 'shout',
      arguments: { text: 'hi!' },
      rawArguments: '{"text":"hi!"}',
    });
  });

  it('onToolStart can answer without running the tool', async () => {
    const execute = vi.fn(() => 'ran');
    const invoker = new ToolInvoker({ onToolStart: async () => ({ output: { cached: true } }) });
    const execution = await invoker.execute(call('cached'), [{ name: 'cached', execute }]);
    expect(execution.output).toEqual({ cached: true });
    expect(execution.error).toBeUndefined();
    expect(execute).not.toHaveBeenCalled();
  });

  it('a throwing onToolStart turns that call into an ExecutionError and is logged', async () => {
    const warn = vi.fn();
    const invoker = new ToolInvoker({
      logger: { warn },
      onToolStart: (toolCall) => {
        if (toolCall.name === 'echo') throw new Error('policy denied');
      },
    });
    const [denied, allowed] = await invoker.executeAll(
      [call('echo', { a: 1 }), call('shout', { text: 'ok' })],
      [echo, shout],
    );
    expect(denied?.error).toEqual({
      error_type: 'ExecutionError',
      message: 'onToolStart hook failed: policy denied',
      is_retryable: false,
    });
    expect(allowed?.output).toBe('OK');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ tool: 'echo', error: 'policy denied' }),
      expect.stringContaining('onToolStart'),
    );
  });

  it('onToolEnd sees the result, the error, the call and the duration; its throws are ignored', async () => {
    const ends: { result: unknown; error: ToolError | undefined; name: string; durationMs: number }[] = [];
    const warn = vi.fn();
    const invoker = new ToolInvoker({
      logger: { warn },
      onToolEnd: (result, error, ranCall, durationMs) => {
        ends.push({ result, error, name: ranCall.name, durationMs });
        throw new Error('observer broke');
      },
    });
    const napper = { name: 'napper', execute: () => sleep(80).then(() => 'rested') };
    const executions = await invoker.executeAll([call('napper'), call('boom'), call('nope')], [napper, boom]);
    expect(executions.map((e) => e.output)).toEqual([
      'rested',
      { error_type: 'ExecutionError', message: 'database unreachable', is_retryable: false },
      expect.objectContaining({ error_type: 'ToolNotFound' }),
    ]);
    expect(ends).toHaveLength(3);
    const byName = Object.fromEntries(ends.map((end) => [end.name, end]));
    expect(byName.napper).toMatchObject({ result: 'rested', error: undefined });
    expect(byName.napper!.durationMs).toBeGreaterThanOrEqual(75);
    expect(byName.boom!.error).toEqual({
      error_type: 'ExecutionError',
      message: 'database unreachable',
      is_retryable: false,
    });
    expect(byName.boom!.result).toEqual(byName.boom!.error);
    expect(byName.nope!.error?.error_type).toBe('ToolNotFound');
    expect(warn).toHaveBeenCalledTimes(3);
  });
});

describe('ToolInvoker abort and deadline', () => {
  it("the caller's abort reaches a running tool, and results come back promptly", async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const stubborn = {
      name: 'stubborn',
      // Ignores its signal on purpose and never finishes: the invoker must not wait for it.
      execute: (_args: unknown, ctx: RunContext) => {
        toolSignal = ctx.signal;
        return new Promise<never>(() => {});
      },
    };
    const invoker = new ToolInvoker({ concurrency: 1 });
    setTimeout(() => controller.abort(), 50);
    const executions = await invoker.executeAll([call('stubborn'), call('stubborn')], [stubborn], {
      signal: controller.signal,
    });
    expect(toolSignal?.aborted).toBe(true);
    expect(executions.map((e) => e.error)).toEqual([
      {
        error_type: 'ExecutionError',
        message: "tool 'stubborn' aborted: the call was aborted",
        is_retryable: false,
      },
      {
        error_type: 'ExecutionError',
        message: "tool 'stubborn' aborted: the call was aborted",
        is_retryable: false,
      },
    ]);
  });

  it('an already aborted signal runs nothing', async () => {
    const execute = vi.fn();
    const executions = await new ToolInvoker().executeAll([call('t')], [{ name: 't', execute }], {
      signal: AbortSignal.abort(),
    });
    expect(execute).not.toHaveBeenCalled();
    expect(executions[0]?.error?.message).toBe("tool 't' aborted: the call was aborted");
  });

  it('the call deadline aborts running tools with an API_TIMEOUT reason', async () => {
    let reason: unknown;
    const waiter = {
      name: 'waiter',
      // Never finishes by itself: only the deadline can end it.
      execute: (_args: unknown, ctx: RunContext) =>
        untilAborted(ctx.signal).catch((error: unknown) => {
          reason = error;
          throw error;
        }),
    };
    const execution = await new ToolInvoker().execute(
      call('waiter'),
      [waiter],
      {},
      { deadline: Date.now() + 60 },
    );
    expect(execution.error?.message).toBe("tool 'waiter' aborted: the call deadline passed");
    expect(LLMError.isInstance(reason) && reason.code).toBe('API_TIMEOUT');
  });

  it('passes the RunContext with defaults, never to the model', async () => {
    let seen: RunContext | undefined;
    const spy = {
      name: 'spy',
      execute: (_args: unknown, ctx: RunContext) => {
        seen = ctx;
        return 'ok';
      },
    };
    await new ToolInvoker().execute(call('spy'), [spy]);
    expect(seen).toMatchObject({ scope: {}, extra: {} });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    const db = { query: () => 1 };
    await new ToolInvoker().execute(call('spy'), [spy], {
      sessionId: 'u-1',
      scope: { db },
      extra: { locale: 'fr' },
    });
    expect(seen).toMatchObject({ sessionId: 'u-1', scope: { db }, extra: { locale: 'fr' } });
  });
});
