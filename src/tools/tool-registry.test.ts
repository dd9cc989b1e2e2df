import { describe, expect, it, vi } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { FunctionToolSpec, ToolProvider } from '../spec/index.js';
import { ToolProviderRegistry } from './tool-registry.js';

function tool(name: string, from = 'test'): FunctionToolSpec {
  return {
    kind: 'function',
    name,
    description: `from ${from}`,
    parameters: { type: 'object', properties: {} },
    execute: () => name,
  };
}

/** A provider whose tool list can change, counting its calls. */
function listProvider(name: string, names: string[]) {
  const provider = {
    name,
    names,
    initialize: vi.fn(async () => undefined),
    discoverTools: vi.fn(async () => provider.names.map((n) => tool(n, name))),
  };
  return provider;
}

async function rejection(promise: Promise<unknown>): Promise<LLMError> {
  try {
    await promise;
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('ToolProviderRegistry', () => {
  it('asks providers in registration order; the first that has the name wins', async () => {
    const registry = new ToolProviderRegistry();
    const first = listProvider('first', ['search']);
    const second = listProvider('second', ['search', 'fetch']);
    registry.register(first);
    registry.register(second);
    const [search, fetch] = (await registry.resolve(['search', 'fetch'])) as FunctionToolSpec[];
    expect(search).toMatchObject({ name: 'search', description: 'from first' });
    expect(await search?.execute?.({}, { scope: {}, extra: {} })).toBe('search');
    expect(fetch).toMatchObject({ name: 'fetch', description: 'from second' });
  });

  it('uses getTool(name) when a provider has it', async () => {
    const registry = new ToolProviderRegistry();
    const getTool = vi.fn(async (name: string) => (name === 'lookup' ? tool('lookup') : undefined));
    const discoverTools = vi.fn(async () => [tool('lookup')]);
    registry.register({ name: 'adhoc', getTool, discoverTools });
    expect((await registry.resolve(['lookup']))[0]).toMatchObject({ name: 'lookup' });
    expect(getTool).toHaveBeenCalledWith('lookup');
    expect(discoverTools).not.toHaveBeenCalled();
  });

  it('initializes each provider once, before first use', async () => {
    const registry = new ToolProviderRegistry();
    const provider = listProvider('p', ['a', 'b']);
    registry.register(provider);
    await Promise.all([registry.resolve(['a']), registry.resolve(['b']), registry.resolve(['a', 'b'])]);
    await registry.resolve(['a']);
    expect(provider.initialize).toHaveBeenCalledTimes(1);
    expect(provider.initialize.mock.invocationCallOrder[0]!).toBeLessThan(
      provider.discoverTools.mock.invocationCallOrder[0]!,
    );
  });

  it('isolates a failing provider (initialize, discover or getTool) and logs it', async () => {
    const warn = vi.fn();
    const registry = new ToolProviderRegistry({ logger: { warn } });
    registry.register({
      name: 'broken-init',
      initialize: async () => {
        throw new Error('server not reachable');
      },
      discoverTools: async () => [tool('ok')],
    });
    registry.register({
      name: 'broken-discover',
      discoverTools: async () => {
        throw new Error('list failed');
      },
    });
    registry.register({
      name: 'broken-get',
      discoverTools: async () => [],
      getTool: async () => {
        throw new Error('lookup failed');
      },
    });
    registry.register(listProvider('healthy', ['ok']));
    const [ok] = await registry.resolve(['ok']);
    expect(ok?.kind).toBe('function');
    const logged = warn.mock.calls.map(([obj]) => obj as { provider: string; error: string });
    expect(logged).toEqual(
      expect.arrayContaining([
        { provider: 'broken-init', error: 'server not reachable' },
        { provider: 'broken-discover', error: 'list failed' },
        { provider: 'broken-get', error: 'lookup failed' },
      ]),
    );
  });

  it('retries a failed initialize on a later use', async () => {
    const registry = new ToolProviderRegistry();
    let attempts = 0;
    registry.register({
      name: 'flaky',
      initialize: async () => {
        attempts++;
        if (attempts === 1) throw new Error('not yet');
      },
      discoverTools: async () => [tool('later')],
    });
    await expect(registry.resolve(['later'])).rejects.toThrow(LLMError);
    expect((await registry.resolve(['later']))[0]).toMatchObject({ name: 'later' });
    expect(attempts).toBe(2);
  });

  it('finds tools a provider gains later (the seed cached the first list forever)', async () => {
    let now = 0;
    const registry = new ToolProviderRegistry({ clock: { now: () => now, sleep: async () => undefined } });
    const provider = listProvider('dynamic', ['old']);
    registry.register(provider);
    await registry.resolve(['old']);
    await registry.resolve(['old']);
    expect(provider.discoverTools).toHaveBeenCalledTimes(1); // cached within the TTL
    provider.names = ['old', 'new'];
    expect((await registry.resolve(['new']))[0]).toMatchObject({ name: 'new' });
    expect(provider.discoverTools).toHaveBeenCalledTimes(2); // the miss refreshed the list
    provider.names = ['renamed'];
    now = 60_000; // past the TTL: the cached 'old' is not trusted any more
    await expect(registry.resolve(['old'])).rejects.toThrow("unknown tool 'old'");
  });

  it('finds providers registered later, and forgets unregistered ones', async () => {
    const registry = new ToolProviderRegistry();
    await expect(registry.resolve(['late'])).rejects.toThrow("unknown tool 'late'");
    const provider = listProvider('late-provider', ['late']);
    registry.register(provider);
    expect((await registry.resolve(['late']))[0]).toMatchObject({ name: 'late' });
    expect(registry.unregister('late-provider')).toBe(provider);
    expect(registry.unregister('late-provider')).toBeUndefined();
    await expect(registry.resolve(['late'])).rejects.toThrow("unknown tool 'late'");
  });

  it('lists the known tools when a name is unknown', async () => {
    const registry = new ToolProviderRegistry();
    registry.register(listProvider('p', ['search_docs', 'fetch_page']));
    const error = await rejection(registry.resolve(['search_docs', 'serch', 'x']));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe(
      "unknown tools 'serch', 'x'; known tools: search_docs, fetch_page, google_search, code_execution, url_context",
    );
  });

  it('resolves the Gemini native tool names before any provider', async () => {
    const registry = new ToolProviderRegistry();
    const provider = listProvider('p', ['google_search']);
    registry.register(provider);
    expect(await registry.resolve(['google_search', 'code_execution', 'url_context'])).toEqual([
      { kind: 'provider', provider: 'gemini', type: 'google_search' },
      { kind: 'provider', provider: 'gemini', type: 'code_execution' },
      { kind: 'provider', provider: 'gemini', type: 'url_context' },
    ]);
    expect(provider.discoverTools).not.toHaveBeenCalled();
    await expect(registry.resolve(['toString'])).rejects.toThrow("unknown tool 'toString'");
  });

  it('replaces a provider registered again under the same name, and closes all', async () => {
    const warn = vi.fn();
    const registry = new ToolProviderRegistry({ logger: { warn } });
    const a = listProvider('same', ['a']);
    const b = { ...listProvider('same', ['b']), close: vi.fn(async () => undefined) };
    registry.register(a);
    registry.register(a);
    expect(warn).not.toHaveBeenCalled();
    registry.register(b);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(registry.list()).toEqual([b]);
    await registry.close();
    expect(b.close).toHaveBeenCalledTimes(1);
    expect(registry.list()).toEqual([]);
    expect(() => registry.register({ name: '' } as unknown as ToolProvider)).toThrow(LLMError);
  });
});

describe('ToolProviderRegistry.registerTools', () => {
  it('resolves registered function tools by name, before any provider and after native tools', async () => {
    const registry = new ToolProviderRegistry();
    const provider = listProvider('mcp', ['search']);
    registry.register(provider);
    const search = tool('search', 'registered');
    registry.registerTools(search, { name: 'plain', parameters: { type: 'object', properties: {} } });
    const [found, plain, native] = await registry.resolve(['search', 'plain', 'google_search']);
    expect(found).toMatchObject({ name: 'search', description: 'from registered' });
    expect(plain).toMatchObject({ kind: 'function', name: 'plain' });
    expect(native).toMatchObject({ kind: 'provider', type: 'google_search' });
    expect(provider.discoverTools).not.toHaveBeenCalled();
    expect(await registry.knownNames()).toEqual(expect.arrayContaining(['search', 'plain', 'google_search']));
  });

  it('re-registering the same object is a no-op; another tool under a taken name is refused until unregistered', async () => {
    const registry = new ToolProviderRegistry();
    const first = tool('lookup', 'first');
    registry.registerTools(first);
    registry.registerTools(first);
    const second = tool('lookup', 'second');
    expect(() => registry.registerTools(second)).toThrow(
      /tools\[0\]: the name 'lookup' is already registered for another tool; call unregisterTools\('lookup'\) first/,
    );
    expect((await registry.resolve(['lookup']))[0]).toMatchObject({ description: 'from first' });
    expect(registry.unregisterTools('lookup', 'missing')).toEqual(['lookup']);
    registry.registerTools(second);
    expect((await registry.resolve(['lookup']))[0]).toMatchObject({ description: 'from second' });
  });

  it('checks every tool before adding any', async () => {
    const registry = new ToolProviderRegistry();
    const cases: [unknown[], RegExp][] = [
      [[tool('a'), tool('a', 'other')], /tools\[1\]: the name 'a' is twice in this call/],
      [[tool('ok'), 'get_weather'], /tools\[1\]: is a name; register the tool object itself/],
      [[{ name: 'bad name!' }], /tools\[0\]: .*name/],
      [[{ kind: 'provider', provider: 'gemini', type: 'google_search' }], /tools\[0\]: provider tools/],
      [[tool('google_search')], /'google_search' is the name of a Gemini native tool/],
    ];
    for (const [tools, message] of cases) {
      const error = (() => {
        try {
          registry.registerTools(...(tools as FunctionToolSpec[]));
        } catch (caught) {
          return caught as LLMError;
        }
        throw new Error('expected an error');
      })();
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(message);
    }
    expect(await registry.knownNames()).toEqual(['google_search', 'code_execution', 'url_context']);
  });
});
