import type { CaseSpec } from './case-spec.js';
import {
  check,
  collect,
  equal,
  fail,
  failureOf,
  finalError,
  like,
  textsOf,
  typesOf,
} from './conformance-assert.js';

const HEAD = ['Par', 'tial', ' answer'] as const;

export const streamFaultCases: readonly CaseSpec[] = [
  {
    name: 'stream: a cut connection ends with an error event and a rejected response, never a silent truncation',
    capability: 'stream',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      server.enqueue(chat.cutStream(HEAD), chat.cutStream(HEAD));
      const stream = llm.stream('Cut', { model: model('chat') });
      const events = await collect(stream);
      equal(textsOf(events), [...HEAD], 'the deltas before the cut');
      const error = finalError(events, 'cut stream');
      check(
        error.code === 'API_REQUEST_FAILED' || error.code === 'API_RESPONSE_INVALID',
        `cut stream: code API_REQUEST_FAILED or API_RESPONSE_INVALID, got ${error.code}`,
      );
      check(
        (await failureOf(stream.response, 'cut stream: response')) === error,
        'response rejects with the same error',
      );
      const texts: string[] = [];
      const again = llm.stream('Cut', { model: model('chat') });
      const thrown = await failureOf(
        (async () => {
          for await (const text of again.textStream) texts.push(text);
        })(),
        'cut stream: textStream',
      );
      equal(texts, [...HEAD], 'textStream texts before the cut');
      check(
        (await failureOf(again.response, 'cut stream: response')) === thrown,
        'textStream throws the response error',
      );
    },
  },
  {
    name: 'stream: a body that ends without the end marker → error event API_RESPONSE_INVALID',
    capability: 'stream',
    needs: [{ model: 'chat' }, { kit: 'endedStream' }],
    async run({ server, llm, wire, model }) {
      server.enqueue(wire.endedStream?.(HEAD) ?? fail('endedStream'));
      const stream = llm.stream('Ended', { model: model('chat') });
      const events = await collect(stream);
      equal(textsOf(events), [...HEAD], 'the deltas before the end');
      equal(finalError(events, 'stream without end marker').code, 'API_RESPONSE_INVALID', 'error code');
      await failureOf(stream.response, 'stream without end marker: response');
    },
  },
  {
    name: 'stream: an error object mid-stream → the earlier deltas, then one error event with an LLMError',
    capability: 'stream',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      const message = 'conformance: upstream failed mid-stream';
      server.enqueue(chat.streamError(HEAD, message));
      const stream = llm.stream('Fail', { model: model('chat') });
      const events = await collect(stream);
      equal(textsOf(events), [...HEAD], 'the deltas before the error');
      const error = finalError(events, 'in-stream error');
      check(error.message.includes(message), `the error message quotes the provider's: ${error.message}`);
      check(
        (await failureOf(stream.response, 'in-stream error: response')) === error,
        'response rejects with it',
      );
    },
  },
  {
    name: 'stream: a malformed event → the deltas before it, then API_RESPONSE_INVALID',
    capability: 'stream',
    needs: [{ model: 'chat' }, { kit: 'malformedStream' }],
    async run({ server, llm, wire, model }) {
      server.enqueue(wire.malformedStream?.(HEAD) ?? fail('malformedStream'));
      const stream = llm.stream('Malformed', { model: model('chat') });
      const events = await collect(stream);
      equal(textsOf(events), [...HEAD], 'the deltas before the malformed event');
      equal(finalError(events, 'malformed event').code, 'API_RESPONSE_INVALID', 'error code');
    },
  },
  {
    name: 'stream: a rate limit before the first event is retried at once on the other key',
    capability: 'stream',
    needs: [{ model: 'chat' }, { kit: 'errors.rateLimit' }],
    async run({ server, llm, wire, chat, model }) {
      const limited = wire.errors.rateLimit?.({ retryAfterSeconds: 30 }) ?? fail('errors.rateLimit');
      server.enqueue(limited, chat.textStream(HEAD));
      const stream = llm.stream('Limited', { model: model('chat') });
      const events = await collect(stream);
      equal(typesOf(events), ['text-delta', 'text-delta', 'text-delta', 'finish'], 'event types');
      const { attempts } = await stream.response;
      like(attempts, [{ code: 'API_RATE_LIMITED' }, { status: 200 }], 'response.attempts');
      check(attempts[0]?.keyId !== attempts[1]?.keyId, 'the retry used the other key');
    },
  },
  {
    name: 'stream: a 4xx before the first event is not retried: one error event with its code',
    capability: 'stream',
    needs: [{ model: 'chat' }, { kit: 'errors.invalidParameter' }],
    async run({ server, llm, wire, model }) {
      server.enqueue(
        wire.errors.invalidParameter?.({ retryAfterSeconds: 0 }) ?? fail('errors.invalidParameter'),
      );
      const stream = llm.stream('Bad', { model: model('chat') });
      const events = await collect(stream);
      equal(typesOf(events), ['error'], 'event types');
      const error = finalError(events, '4xx stream');
      equal(error.code, 'INVALID_PARAMETER', 'error code');
      equal(error.attempts?.length, 1, 'attempts');
      equal(server.requests.length, 1, 'requests sent');
    },
  },
];
