import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { registerProvider, unregisterProvider } from '../providers/provider-registry.js';
import type { ChatDialect, LLMConfig } from '../spec/index.js';
import { resolveConfig } from './resolve-config.js';

const chat = {} as ChatDialect;

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    resolveConfig(config);
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return ((error as LLMError).details as { issues: { path: string; message: string }[] }).issues;
  }
  throw new Error('expected a CONFIGURATION_ERROR');
}

afterEach(() => {
  unregisterProvider('cfg_toy');
  unregisterProvider('cfg_router');
});

describe('resolveConfig with registered providers', () => {
  it('accepts a registered type: default base, headers under the configured ones, capabilities adjusted', () => {
    registerProvider({
      apiType: 'cfg_toy',
      defaultApiBase: 'https://api.toy.example/',
      headers: { 'Toy-Version': '1', 'X-Client': 'switchboard' },
      imageOnly: true,
      capabilities: (_id, found) => ({ ...found, outputModalities: ['image'] }),
      chat: () => chat,
    });
    const config: LLMConfig = {
      providers: [
        {
          name: 'Toy',
          apiType: 'cfg_toy',
          apiKeys: 'test-key-1',
          models: ['toy-1'],
          headers: { 'x-client': 'mine' },
        },
      ],
    };
    const [provider] = resolveConfig(config).providers;
    expect(provider?.apiBase).toBe('https://api.toy.example');
    expect(provider?.headers).toEqual({ 'Toy-Version': '1', 'x-client': 'mine' });
    expect(provider?.models[0]).toMatchObject({ apiType: 'cfg_toy', kind: 'image' });
    expect(provider?.models[0]?.capabilities.outputModalities).toEqual(['image']);
    expect(provider?.models[0]?.definition.apiType).toBe('cfg_toy');
  });

  it('lists the registered types, user ones included, for an unknown apiType', () => {
    registerProvider({ apiType: 'cfg_toy', defaultApiBase: 'https://api.toy.example', chat: () => chat });
    const [issue] = issuesOf({ providers: [{ name: 'A', apiType: 'cfg-toy', apiKeys: 'k', models: ['m'] }] });
    expect(issue).toEqual({
      path: 'providers[0].apiType',
      message: expect.stringMatching(/^unknown API type "cfg-toy"; allowed: openai, .*, smart, cfg_toy$/),
    });
  });

  it('requires apiBase for a type without a default base', () => {
    registerProvider({ apiType: 'cfg_toy', chat: () => chat });
    expect(issuesOf({ providers: [{ name: 'A', apiType: 'cfg_toy', apiKeys: 'k', models: ['m'] }] })).toEqual(
      [{ path: 'providers[0].apiBase', message: 'required for apiType cfg_toy' }],
    );
  });

  it('routes with a user router and reports a model routed to an unregistered type', () => {
    registerProvider({ apiType: 'cfg_toy', chat: () => chat });
    registerProvider({
      apiType: 'cfg_router',
      resolveApiType: (id) => (id.startsWith('toy') ? 'cfg_toy' : id.startsWith('g') ? 'gemini' : 'nowhere'),
    });
    const provider = { name: 'R', apiType: 'cfg_router', apiKeys: 'k', apiBase: 'http://127.0.0.1:1' };
    const resolved = resolveConfig({ providers: [{ ...provider, models: ['toy-2', 'gemini-2.5-flash'] }] });
    expect(resolved.providers[0]?.models.map((m) => m.apiType)).toEqual(['cfg_toy', 'gemini']);
    expect(issuesOf({ providers: [{ ...provider, models: ['toy-2', 'other'] }] })).toEqual([
      {
        path: 'providers[0].models[1]',
        message: 'apiType "cfg_router" routes "other" to "nowhere", which is not a registered dialect type',
      },
    ]);
  });

  it('sends OpenRouter attribution; a configured header of another case replaces it', () => {
    const resolved = resolveConfig({
      providers: [
        {
          name: 'OR',
          apiType: 'openrouter',
          apiKeys: 'k',
          models: ['a/b'],
          headers: { 'x-title': 'my-bot' },
        },
      ],
    });
    expect(resolved.providers[0]?.headers).toEqual({
      'HTTP-Referer': 'https://github.com/switchboard-llm/switchboard-llm',
      'x-title': 'my-bot',
    });
  });

  it('gives a model spoken to in a type with its own headers a provider view with them', () => {
    const resolved = resolveConfig({
      providers: [
        {
          name: 'Relay',
          apiType: 'openai',
          apiKeys: 'k',
          models: ['gpt-4o', { name: 'google/gemini-2.5-flash-image', apiType: 'openrouter' }],
        },
      ],
    });
    const provider = resolved.providers[0]!;
    const [plain, banana] = provider.models;
    expect(plain?.provider).toBe(provider);
    expect(provider.headers).toEqual({});
    expect(banana?.provider.headers).toMatchObject({ 'X-Title': 'switchboard-llm' });
    expect(banana?.provider.models).toBe(provider.models);
    expect(banana?.provider.name).toBe('Relay');
  });
});
