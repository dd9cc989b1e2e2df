import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { geminiCodeExecution, geminiUrlContext } from '../generation/native-tools.js';
import { findRefs } from '../schema/test-support/find-refs.js';
import type { LLMToolCall } from '../spec/index.js';
import { functionTool } from './function-tool.js';
import { prepareTools, splitToolCalls } from './prepare-tools.js';
import { ToolProviderRegistry } from './tool-registry.js';

const weather = functionTool({
  name: 'get_weather',
  description: 'Current weather',
  parameters: z.object({ city: z.string().describe('City name') }),
  execute: async ({ city }, ctx) => ({ city, session: ctx.sessionId }),
});

function registryWith(...names: string[]): ToolProviderRegistry {
  const registry = new ToolProviderRegistry();
  registry.register({
    name: 'docs',
    discoverTools: async () =>
      names.map((name) => ({
        name,
        description: `provider tool ${name}`,
        parameters: {
          type: 'object',
          properties: { q: { $ref: '#/$defs/Query' } },
          $defs: { Query: { type: 'string', description: 'Search text' } },
        },
        execute: () => 'found',
      })),
  });
  return registry;
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

describe('prepareTools', () => {
  it('normalises function tools, keeps provider tools and resolves names through the registry', async () => {
    const manual = {
      name: 'confirm',
      description: 'Ask the user',
      parameters: { type: 'object', properties: {} },
    };
    const { prepared, executables } = await prepareTools(
      [weather, manual, 'search_docs', 'google_search', geminiCodeExecution()],
      registryWith('search_docs'),
    );
    expect(prepared.functions.map((tool) => tool.name)).toEqual(['get_weather', 'confirm', 'search_docs']);
    expect(prepared.providerTools).toEqual([
      { kind: 'provider', provider: 'gemini', type: 'google_search' },
      { kind: 'provider', provider: 'gemini', type: 'code_execution' },
    ]);
    expect(prepared.functions[2]?.parameters).toEqual({
      type: 'object',
      properties: { q: { type: 'string', description: 'Search text' } },
    });
    expect(findRefs(prepared.functions)).toEqual([]);
    expect([...executables.keys()]).toEqual(['get_weather', 'search_docs']);
    expect(executables.get('get_weather')).toBe(weather);
  });

  it('never puts the RunContext into a schema', async () => {
    const { prepared } = await prepareTools([weather], new ToolProviderRegistry());
    expect(prepared.functions[0]?.parameters).toEqual({
      type: 'object',
      properties: { city: { type: 'string', description: 'City name' } },
      required: ['city'],
    });
  });

  it('accepts a record by name (a nameless plain tool takes its key) and no tools at all', async () => {
    const { prepared } = await prepareTools(
      {
        weather,
        lookup: { description: 'Looks up', parameters: { properties: { id: { type: 'string' } } } } as never,
      },
      new ToolProviderRegistry(),
    );
    expect(prepared.functions.map((tool) => [tool.name, tool.parameters.type])).toEqual([
      ['get_weather', 'object'],
      ['lookup', 'object'],
    ]);
    expect(await prepareTools(undefined, new ToolProviderRegistry())).toEqual({
      prepared: { functions: [], providerTools: [] },
      executables: new Map(),
    });
  });

  it('rejects duplicate names, naming the tool and both places', async () => {
    const error = await rejection(
      prepareTools([weather, { name: 'other' }, { name: 'get_weather' }], new ToolProviderRegistry()),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe(
      "tools: duplicate tool name 'get_weather' (tools[0] and tools[2]); tool names must be unique",
    );
    const viaRegistry = await rejection(prepareTools([weather, 'get_weather'], registryWith('get_weather')));
    expect(viaRegistry.message).toContain("duplicate tool name 'get_weather'");
  });

  it('names the position of a bad tool and reports unknown names', async () => {
    const bad = await rejection(prepareTools([weather, { name: 'bad name' }], new ToolProviderRegistry()));
    expect(bad.message).toBe(
      "tools[1]: Invalid tool 'bad name': name must be 1 to 64 letters, digits, underscores or hyphens (^[a-zA-Z0-9_-]{1,64}$)",
    );
    expect(bad.details).toMatchObject({ path: 'tools[1]', tool: 'bad name', field: 'name' });
    const unknown = await rejection(prepareTools(['nope'], registryWith('search_docs')));
    expect(unknown.message).toContain("unknown tool 'nope'; known tools: search_docs");
  });

  it('adds config native tools once', async () => {
    const urls = geminiUrlContext(['https://example.com/a']);
    const { prepared } = await prepareTools([geminiCodeExecution(), urls], new ToolProviderRegistry(), [
      geminiCodeExecution(),
      geminiUrlContext(['https://example.com/b']),
    ]);
    expect(prepared.providerTools).toEqual([
      geminiCodeExecution(),
      urls,
      { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://example.com/b'] },
    ]);
  });
});

describe('splitToolCalls', () => {
  it('returns calls of tools without execute to the caller and runs the rest (unknown names included)', async () => {
    const toolSet = await prepareTools([weather, { name: 'confirm' }], new ToolProviderRegistry());
    const calls: LLMToolCall[] = ['get_weather', 'confirm', 'hallucinated'].map((name, i) => ({
      id: `c${i}`,
      name,
      arguments: {},
      rawArguments: '{}',
    }));
    const { run, returnToCaller } = splitToolCalls(calls, toolSet);
    expect(run.map((c) => c.name)).toEqual(['get_weather', 'hallucinated']);
    expect(returnToCaller.map((c) => c.name)).toEqual(['confirm']);
  });
});
