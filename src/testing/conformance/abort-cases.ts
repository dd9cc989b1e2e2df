import type { StreamEvent } from '../../spec/index.js';
import type { CaseSpec } from './case-spec.js';
import { check, collect, equal, failureOf, finalError, textsOf, waitFor } from './conformance-assert.js';
import { primaryCall } from './primary-call.js';

const HEAD = ['Hel', 'lo'] as const;
/** Short enough to keep the suite fast; nothing asserts how long the call took. */
const DEADLINE_MS = 500;

export const abortCases: readonly CaseSpec[] = [
  {
    name: "abort: the caller's signal aborts a stalled request → ABORTED; an aborted signal sends nothing",
    capability: 'abort',
    needs: [{ primary: true }],
    async run(run, target) {
      const primary = primaryCall(run, target);
      const early = await failureOf(primary.call({ signal: AbortSignal.abort() }), 'already aborted');
      equal(early.code, 'ABORTED', 'code of a call whose signal was already aborted');
      equal(run.server.requests.length, 0, 'requests sent with an aborted signal');
      run.server.enqueue(run.wire.stall());
      const controller = new AbortController();
      const pending = failureOf(primary.call({ signal: controller.signal }), 'aborted call');
      // Abort only once the server holds the request: the abort must end a request in flight.
      await waitFor(() => run.server.requests.length === 1, 'the request to reach the server');
      controller.abort();
      const error = await pending;
      equal(error.code, 'ABORTED', 'code of the aborted call');
      equal(error.retryable, false, 'retryable');
    },
  },
  {
    name: "abort: the caller's signal aborts a stalled stream → the deltas, then one error event ABORTED",
    capability: 'abort',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      server.enqueue(chat.stalledStream(HEAD));
      const controller = new AbortController();
      const stream = llm.stream('Stall', { model: model('chat'), signal: controller.signal });
      const events: StreamEvent[] = [];
      for await (const event of stream) {
        events.push(event);
        if (textsOf(events).length === HEAD.length) controller.abort();
      }
      equal(textsOf(events), [...HEAD], 'the deltas before the stall');
      equal(finalError(events, 'aborted stream').code, 'ABORTED', 'error code');
      equal((await failureOf(stream.response, 'aborted stream: response')).code, 'ABORTED', 'response code');
    },
  },
  {
    name: 'deadline: timeoutMs on a server that never answers → API_TIMEOUT',
    capability: 'abort',
    needs: [{ primary: true }],
    async run(run, target) {
      run.server.enqueue(run.wire.stall());
      const error = await failureOf(
        primaryCall(run, target).call({ timeoutMs: DEADLINE_MS }),
        'stalled call',
      );
      equal(error.code, 'API_TIMEOUT', 'error.code');
      check(error.retryable, 'API_TIMEOUT is retryable');
    },
  },
  {
    name: 'deadline: a stream that stalls past timeoutMs → the deltas, then one error event API_TIMEOUT',
    capability: 'abort',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      server.enqueue(chat.stalledStream(HEAD));
      const stream = llm.stream('Stall', { model: model('chat'), timeoutMs: DEADLINE_MS });
      const events = await collect(stream);
      equal(textsOf(events), [...HEAD], 'the deltas before the stall');
      equal(finalError(events, 'stalled stream').code, 'API_TIMEOUT', 'error code');
      await failureOf(stream.response, 'stalled stream: response');
    },
  },
];
