import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { LLMError } from '../errors/llm-error.js';
import { registerProvider, unregisterProvider } from '../providers/provider-registry.js';
import type { ChatDialect, ImageDialect, ProviderSetup } from '../spec/index.js';
import { createDialects } from './dialects.js';

const settings = { geminiSafetyThreshold: 'BLOCK_ONLY_HIGH', locale: 'en', timeoutMs: 1000 } as const;
const chatDialect = {
  buildChatRequest: () => ({ value: {} as never, warnings: [] }),
  parseChatResponse: () => ({}) as never,
  createStreamParser: () => ({}) as never,
} satisfies ChatDialect;

function modelOf(apiType: string, model = 'm-1') {
  const config = resolveConfig({
    providers: [{ name: 'P', apiType, apiKeys: 'k', apiBase: 'http://127.0.0.1:1', models: [model] }],
  });
  return config.providers[0]!.models[0]!;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return LLMError.isInstance(error) ? `${error.code}: ${error.message}` : String(error);
  }
  return undefined;
}

afterEach(() => {
  unregisterProvider('dia_toy');
});

describe('createDialects', () => {
  it('builds each dialect of a definition once per client, with the client settings', () => {
    const setups: ProviderSetup[] = [];
    registerProvider({
      apiType: 'dia_toy',
      chat: (setup) => {
        setups.push(setup);
        return chatDialect;
      },
    });
    const model = modelOf('dia_toy');
    const dialects = createDialects(settings);
    for (let i = 0; i < 5; i++) expect(dialects.chat(model)).toBe(chatDialect);
    expect(setups).toEqual([{ apiType: 'dia_toy', settings }]);
    // Without an image dialect, images come from the chat dialect; the route is built once too.
    const route = dialects.image(model);
    expect(route).toEqual({ kind: 'chat', dialect: chatDialect });
    expect(dialects.image(model)).toBe(route);
    // Another client builds its own.
    createDialects(settings).chat(model);
    expect(setups).toHaveLength(2);
  });

  it('gives the Gemini dialects the client safety threshold', () => {
    const model = modelOf('gemini', 'gemini-2.5-flash');
    const dialects = createDialects(settings);
    const request = dialects.chat(model).buildChatRequest({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      config: {},
      tools: { functions: [], providerTools: [] },
      stream: false,
    });
    expect(
      (request.value.body as { safetySettings: { threshold: string }[] }).safetySettings[0]?.threshold,
    ).toBe('BLOCK_ONLY_HIGH');
    expect(dialects.image(model).kind).toBe('images');
  });

  it('names what a type cannot do, and a factory that returns no dialect', () => {
    const images = { buildImageRequest: () => ({}) as never, parseImageResponse: () => ({}) as never };
    registerProvider({ apiType: 'dia_toy', imageOnly: true, image: () => images as ImageDialect });
    const model = modelOf('dia_toy');
    const dialects = createDialects(settings);
    expect(codeOf(() => dialects.chat(model))).toBe(
      'INVALID_PARAMETER: P/m-1 (dia_toy) cannot chat; it is an image-generation model: use llm.createImage().',
    );
    expect(codeOf(() => dialects.embedding(model))).toMatch(
      /^INVALID_PARAMETER: P\/m-1 \(dia_toy\) cannot create embeddings/,
    );

    registerProvider({ apiType: 'dia_toy', chat: () => ({}) as ChatDialect }, { replace: true });
    expect(codeOf(() => createDialects(settings).chat(modelOf('dia_toy')))).toBe(
      'CONFIGURATION_ERROR: apiType dia_toy: chat() returned no dialect (missing buildChatRequest, parseChatResponse, createStreamParser)',
    );
  });
});
