import type { ResolvedModel } from '../../config/resolved-config.js';
import { LLMError } from '../../errors/llm-error.js';
import { lookupCapabilities } from '../../models/capability-registry.js';
import '../../providers/builtin-providers.js';
import { getProviderDefinition } from '../../providers/provider-registry.js';
import type { LLMResponse, LLMToolCall, LLMUsage, ModelCapabilities, StreamEvent } from '../../spec/index.js';
import type { StructuredModelCall, StructuredModelStream, StructuredRunner } from '../structured-types.js';

/** A resolved model with the registry's capabilities for `id` (provider `Test`, key `test-key-1`). */
export function testModel(
  id: string,
  dialect: string,
  capabilities: Partial<ModelCapabilities> = {},
): ResolvedModel {
  const definition = getProviderDefinition(dialect);
  if (definition === undefined) throw new Error(`testModel: apiType ${dialect} is not registered`);
  return {
    id,
    fullName: `Test/${id}`,
    provider: {
      name: 'Test',
      apiType: dialect,
      apiKeys: ['test-key-1'],
      apiBase: 'http://127.0.0.1:1',
      timeoutMs: 1000,
      headers: {},
      models: [],
    },
    apiType: dialect,
    definition,
    available: true,
    kind: 'chat',
    capabilities: { ...lookupCapabilities(id), ...capabilities },
    defaults: {},
  };
}

/** One scripted answer: text, a tool call, a thrown error, or text streamed in the given pieces. */
export type ScriptStep =
  | string
  | {
      text?: string;
      chunks?: string[];
      toolCall?: { name: string; raw: string };
      finishReason?: LLMResponse['finishReason'];
      usage?: LLMUsage;
    }
  | Error;

/** A response as a dialect would build it. */
export function testResponse(text: string, extra: Partial<LLMResponse> = {}): LLMResponse {
  const toolCalls = extra.toolCalls ?? [];
  return {
    text,
    contentParts: text === '' ? [] : [{ type: 'text', text }],
    toolCalls,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    images: [],
    model: 'Test/model',
    attempts: [{ attempt: 1, model: 'Test/model', keyId: 'key#1', status: 200, durationMs: 1, waitMs: 0 }],
    warnings: [],
    message: {
      role: 'assistant',
      content: text,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      model: 'Test/model',
    },
    ...extra,
  };
}

function toResponse(step: Exclude<ScriptStep, Error>, index: number): LLMResponse {
  if (typeof step === 'string') return testResponse(step);
  const text = step.text ?? step.chunks?.join('') ?? '';
  const extra: Partial<LLMResponse> = {};
  if (step.toolCall != null) {
    let args: Record<string, unknown> = {};
    try {
      args = JSON.parse(step.toolCall.raw) as Record<string, unknown>;
    } catch {}
    const call: LLMToolCall = {
      id: `call_${index}`,
      name: step.toolCall.name,
      arguments: args,
      rawArguments: step.toolCall.raw,
    };
    extra.toolCalls = [call];
  }
  if (step.finishReason != null) extra.finishReason = step.finishReason;
  if (step.usage != null) extra.usage = step.usage;
  return testResponse(text, extra);
}

/** A runner that records every request (deep-copied) and answers from `script`, in order. */
export function fakeRunner(
  model: ResolvedModel,
  script: ScriptStep[],
  options: { streaming?: boolean } = {},
) {
  const requests: StructuredModelCall[] = [];
  let next = 0;
  const take = (request: StructuredModelCall): Exclude<ScriptStep, Error> => {
    const { signal, ...rest } = request;
    requests.push(structuredClone(rest));
    const step = script[next++];
    if (step === undefined) throw new Error(`fake runner: no scripted answer for request ${next}`);
    if (step instanceof Error) throw step;
    return step;
  };
  const runner: StructuredRunner = {
    model,
    call: async (request) => toResponse(take(request), next),
  };
  if (options.streaming === true) {
    runner.stream = (request): StructuredModelStream => {
      let step: Exclude<ScriptStep, Error> | undefined;
      let failure: unknown;
      try {
        step = take(request);
      } catch (error) {
        failure = error;
      }
      const index = next;
      const response =
        step === undefined ? Promise.reject(failure) : Promise.resolve(toResponse(step, index));
      response.catch(() => undefined);
      async function* events(): AsyncGenerator<StreamEvent> {
        if (step === undefined) throw failure;
        const final = await response;
        if (typeof step !== 'string' && step.toolCall != null) {
          for (const call of final.toolCalls) yield { type: 'tool-call', toolCall: call };
        } else {
          const chunks = typeof step === 'string' ? [step] : (step.chunks ?? [final.text]);
          for (const text of chunks) yield { type: 'text-delta', text };
        }
        yield { type: 'finish', response: final };
      }
      return Object.assign(events(), { response });
    };
  }
  return { runner, requests };
}

/** `LLMError('API_SERVER_ERROR')` as the pipeline throws it after its own retries. */
export function serverError(): LLMError {
  return new LLMError('API_SERVER_ERROR', 'upstream 503', { status: 503, provider: 'Test' });
}
