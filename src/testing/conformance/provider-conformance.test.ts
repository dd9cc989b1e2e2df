import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProvider, unregisterProvider } from '../../providers/provider-registry.js';
import { toyTarget } from '../../providers/test-support/toy-conformance.js';
import { createToyChatDialect, toyProvider } from '../../providers/test-support/toy-provider.js';
import type { ChatDialect, ProviderDefinition, StreamDelta } from '../../spec/index.js';
import type { ConformanceCase, ConformanceTarget, TestRegistrar } from './conformance-types.js';
import { openaiChatWireKit } from './kits/openai-chat-kit.js';
import { defineProviderConformance, providerConformanceCases } from './provider-conformance.js';

// The suite itself: skip reasons, registration with a framework, and — the point of it — that a provider
// breaking the contract fails the case that covers it, with a message saying what differed.

function named(cases: ConformanceCase[], prefix: string): ConformanceCase {
  const found = cases.find((c) => c.name.startsWith(prefix));
  if (found == null) throw new Error(`no case starting with "${prefix}"`);
  return found;
}

async function failureOf(conformanceCase: ConformanceCase): Promise<string> {
  return conformanceCase.run().then(
    () => 'passed',
    (error: unknown) => String((error as Error).message),
  );
}

describe('providerConformanceCases', () => {
  it('lists every case once, each with a capability, and skips what the target lacks with the reason', () => {
    const cases = providerConformanceCases(openaiChatTargetWithout());
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(35);
    expect(named(cases, 'text:').skip).toBe('the target has no models.chat');
    expect(named(cases, 'embeddings:').skip).toBe('the target has no models.embedding');
    expect(named(cases, 'reasoning:').skip).toBe(openaiChatWireKit.unsupported?.reasoning);
    expect(named(cases, 'errors: invalid key').skip).toBe(
      'the target has neither models.chat with chat builders nor models.image with images()',
    );
    expect(cases.every((c) => c.skip != null)).toBe(true);
  });

  it('names the missing builder, or the kit’s own reason, when the kit lacks one', () => {
    const { reasoning: _none, ...unsupported } = openaiChatWireKit.unsupported ?? {};
    const target: ConformanceTarget = {
      name: 'partial',
      apiType: 'openai',
      models: { chat: 'gpt-4o-mini', reasoning: 'gpt-4o-mini' },
      wire: { ...openaiChatWireKit, unsupported, endedStream: undefined as never },
    };
    const cases = providerConformanceCases(target);
    expect(named(cases, 'reasoning:').skip).toBe('the wire kit OpenAI chat completions has no reasoning');
    expect(named(cases, 'stream: a body that ends').skip).toBe(
      'the wire kit OpenAI chat completions has no endedStream',
    );
    expect(named(cases, 'structured:').skip).toBe('the target declares no structuredStrategy');
    expect(named(cases, 'text:').skip).toBeUndefined();
  });

  it('running a skipped case rejects, naming why it does not apply', async () => {
    const skipped = named(providerConformanceCases(openaiChatTargetWithout()), 'text:');
    expect(await failureOf(skipped)).toBe(
      'nothing: "text: chat returns the text, finish reason "stop", the model and the assistant message" does not apply: the target has no models.chat',
    );
  });
});

describe('defineProviderConformance', () => {
  function recorder(withSkip: boolean) {
    const log: string[] = [];
    const it = Object.assign(
      (name: string, _run: () => Promise<void>) => {
        log.push(`it ${name}`);
      },
      withSkip ? { skip: (name: string) => log.push(`skip ${name}`) } : {},
    );
    const registrar: TestRegistrar = {
      describe: (name, body) => {
        log.push(`describe ${name}`);
        body();
      },
      it,
    };
    return { log, registrar };
  }

  it('registers one describe per target, one test per case, skipped cases with their reason in the title', () => {
    const { log, registrar } = recorder(true);
    defineProviderConformance({ ...openaiChatTargetWithout(), models: { embedding: 'e' } }, registrar);
    expect(log[0]).toBe('describe provider conformance: nothing');
    expect(log).toContain('it embeddings: embed returns one vector per input, in input order');
    expect(log).toContain(
      'skip vision: an image part of the user turn reaches the provider, with no warning (skipped: the target has no models.vision)',
    );
    expect(log).toHaveLength(1 + providerConformanceCases(openaiChatTargetWithout()).length);
  });

  it('without it.skip, a skipped case is still registered, its title carrying the reason', () => {
    const { log, registrar } = recorder(false);
    defineProviderConformance(openaiChatTargetWithout(), registrar);
    expect(log.filter((line) => line.startsWith('it ')).every((line) => line.includes('(skipped: '))).toBe(
      true,
    );
  });
});

function openaiChatTargetWithout(): ConformanceTarget {
  return { name: 'nothing', apiType: 'openai', models: {}, wire: openaiChatWireKit };
}

/** The Toy provider with one defect, registered as `toy_broken`. */
function brokenToy(
  change: (dialect: ChatDialect) => ChatDialect,
  classify?: ProviderDefinition['classifyError'],
) {
  const definition: ProviderDefinition = {
    ...toyProvider,
    apiType: 'toy_broken',
    chat: () => change(createToyChatDialect()),
  };
  if (classify != null) definition.classifyError = classify;
  return definition;
}

describe('a provider that breaks the contract fails the case that covers it', () => {
  const target = { ...toyTarget, apiType: 'toy_broken' };
  afterAll(() => {
    unregisterProvider('toy_broken');
  });

  async function caseFails(definition: ProviderDefinition, prefix: string): Promise<string> {
    registerProvider(definition, { replace: true });
    return failureOf(named(providerConformanceCases(target), prefix));
  }

  beforeAll(() => {
    registerProvider(brokenToy((dialect) => dialect));
  });

  it('the unbroken copy passes those cases (the failures below come from the defects)', async () => {
    for (const prefix of [
      'stream: one text-delta',
      'tools: round trip',
      'errors: invalid key',
      'errors: rate limit',
    ]) {
      expect(
        await caseFails(
          brokenToy((dialect) => dialect),
          prefix,
        ),
      ).toBe('passed');
    }
  });

  it('merged stream deltas', async () => {
    const merging = brokenToy((dialect) => ({
      ...dialect,
      createStreamParser(input) {
        const parser = dialect.createStreamParser(input);
        const held: string[] = [];
        return {
          push: (data, event, emit) => {
            parser.push(data, event, (delta: StreamDelta) => {
              if (delta.type === 'text-delta') held.push(delta.text);
              else emit(delta);
            });
            if (data.includes('"stop"') && held.length > 0)
              emit({ type: 'text-delta', text: held.splice(0).join('') });
          },
          finish: (trailing) => parser.finish(trailing),
        };
      },
    }));
    expect(await caseFails(merging, 'stream: one text-delta')).toMatch(/^event types: expected/);
  });

  it('tool results dropped from the follow-up request', async () => {
    const forgetful = brokenToy((dialect) => ({
      ...dialect,
      buildChatRequest(input) {
        return dialect.buildChatRequest({
          ...input,
          messages: input.messages.filter((m) => m.role !== 'tool'),
        });
      },
    }));
    expect(await caseFails(forgetful, 'tools: round trip')).toMatch(/^tool results sent back: expected/);
  });

  it('an invalid key read as a bad parameter', async () => {
    const lenient = brokenToy(
      (dialect) => dialect,
      () => 'INVALID_PARAMETER',
    );
    expect(await caseFails(lenient, 'errors: invalid key')).toBe(
      "error.code: expected 'API_KEY_INVALID', got 'INVALID_PARAMETER'",
    );
  });

  it('a rate-limit hint ignored (the key cools for the default minute)', async () => {
    const deaf = brokenToy(
      (dialect) => dialect,
      (failure) => {
        // Drops the header the generic rules read the hint from.
        delete (failure.headers as Record<string, string>)['retry-after'];
        return undefined;
      },
    );
    expect(await caseFails(deaf, 'errors: rate limit')).toMatch(/the key cools for the 30 s hint, got 6\d s/);
  });
});
