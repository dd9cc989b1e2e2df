import type { PipelineRequest, PipelineResponse } from '../../spec/index.js';

/** What a scripted transport answers: a response, or an error to throw. */
export type ScriptedAnswer = Partial<PipelineResponse> | Error;

export interface SentRequest {
  request: PipelineRequest;
  /** The key the request carried (bearer or named auth header). */
  key: string | undefined;
}

/**
 * A transport for pipeline tests: records each request and the key it carried, and answers with
 * `answer(request, key, index)` (a response, or an error to throw; may be async).
 */
export function scriptedTransport(
  answer: (
    request: PipelineRequest,
    key: string | undefined,
    index: number,
  ) => ScriptedAnswer | Promise<ScriptedAnswer>,
) {
  const sent: SentRequest[] = [];
  return {
    sent,
    async send(request: PipelineRequest): Promise<PipelineResponse> {
      const auth = request.auth;
      const header =
        auth.scheme === 'bearer'
          ? request.headers.authorization?.replace(/^Bearer /, '')
          : request.headers[auth.name];
      sent.push({ request, key: header });
      const result = await answer(request, header, sent.length - 1);
      if (result instanceof Error) throw result;
      return { status: 200, headers: {}, data: { ok: true }, attempts: [], durationMs: 0, ...result };
    },
  };
}

/** A PipelineRequest for tests (OpenAI-style chat, bearer auth). */
export function testRequest(overrides: Partial<PipelineRequest> = {}): PipelineRequest {
  return {
    operation: 'chat',
    provider: 'OpenAI',
    model: 'OpenAI/test-model',
    modelId: 'test-model',
    apiType: 'openai',
    method: 'POST',
    url: 'http://127.0.0.1:9/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
    body: { model: 'test-model', messages: [{ role: 'user', content: 'hi' }] },
    stream: false,
    auth: { scheme: 'bearer' },
    deadline: Number.MAX_SAFE_INTEGER,
    attempt: 1,
    context: {},
    ...overrides,
  };
}
