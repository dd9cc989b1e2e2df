import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { ChatDialect, ProviderDefinition } from '../spec/index.js';
import './builtin-providers.js';
import {
  getProviderDefinition,
  registeredApiTypes,
  registerProvider,
  unregisterProvider,
} from './provider-registry.js';

const chat = (): ChatDialect => ({
  buildChatRequest: () => {
    throw new Error('not called');
  },
  parseChatResponse: () => {
    throw new Error('not called');
  },
  createStreamParser: () => {
    throw new Error('not called');
  },
});

function issuesOf(run: () => void): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    expect((error as LLMError).code).toBe('CONFIGURATION_ERROR');
    return ((error as LLMError).details as { issues: { path: string; message: string }[] }).issues;
  }
  throw new Error('expected registerProvider to throw');
}

afterEach(() => {
  unregisterProvider('reg_test');
});

describe('registerProvider', () => {
  it('registers every built-in apiType, in the documented order', () => {
    expect(registeredApiTypes()).toEqual([
      'openai',
      'deepseek',
      'zhipu',
      'ark',
      'openrouter',
      'openai_responses',
      'gemini',
      'openai_image',
      'nano_banana',
      'anthropic',
      'smart',
    ]);
    expect(getProviderDefinition('gemini')?.auth).toEqual({ scheme: 'header', name: 'x-goog-api-key' });
  });

  it('adds a type, keeps a frozen copy, and refuses a second registration unless replace: true', () => {
    const definition: ProviderDefinition = { apiType: 'reg_test', chat };
    registerProvider(definition);
    const stored = getProviderDefinition('reg_test');
    expect(stored).not.toBe(definition);
    expect(Object.isFrozen(stored)).toBe(true);
    expect(registeredApiTypes()).toContain('reg_test');

    expect(issuesOf(() => registerProvider({ apiType: 'reg_test', chat }))).toEqual([
      { path: 'apiType', message: '"reg_test" is already registered (pass { replace: true } to replace it)' },
    ]);
    registerProvider({ apiType: 'reg_test', chat, defaultApiBase: 'https://b.example' }, { replace: true });
    expect(getProviderDefinition('reg_test')?.defaultApiBase).toBe('https://b.example');
  });

  it('refuses to register a built-in name twice by accident', () => {
    expect(issuesOf(() => registerProvider({ apiType: 'openai', chat }))[0]?.message).toMatch(
      /already registered/,
    );
  });

  it('reports every problem of a bad definition by path', () => {
    const bad = {
      apiType: 'Bad Type',
      defaultApiBase: 'ftp://x',
      auth: { scheme: 'header', name: 'bad header' },
      headers: { 'x-ok': 1 },
      chat: 'not a function',
      imageOnly: 'yes',
      structuredOutput: { fallback: 'native', extra: true },
      colour: 'blue',
    } as unknown as ProviderDefinition;
    expect(issuesOf(() => registerProvider(bad))).toEqual([
      {
        path: 'apiType',
        message: 'must be lower-case letters, digits, _ or -, starting with a letter (got "Bad Type")',
      },
      { path: 'colour', message: 'unknown field' },
      { path: 'defaultApiBase', message: 'must be an absolute http(s) URL' },
      { path: 'auth.name', message: 'must be a header name such as x-api-key' },
      { path: 'headers.x-ok', message: 'must be a string' },
      { path: 'chat', message: 'must be a function' },
      { path: 'imageOnly', message: 'must be a boolean' },
      { path: 'structuredOutput.extra', message: 'unknown field' },
      { path: 'structuredOutput.fallback', message: "must be 'tool_call' or 'prompt'" },
    ]);
    expect(issuesOf(() => registerProvider(undefined as unknown as ProviderDefinition))).toEqual([
      { path: '', message: 'must be an object { apiType, … }' },
    ]);
  });

  it('needs a dialect, and a router has none of its own', () => {
    expect(issuesOf(() => registerProvider({ apiType: 'reg_test' }))).toEqual([
      {
        path: '',
        message: 'declares no dialect: give chat, embedding or image (or resolveApiType for a router)',
      },
    ]);
    expect(
      issuesOf(() => registerProvider({ apiType: 'reg_test', resolveApiType: () => 'openai', chat })),
    ).toEqual([{ path: 'chat', message: 'a router (resolveApiType) has no dialects of its own' }]);
    expect(registeredApiTypes()).not.toContain('reg_test');
  });
});
