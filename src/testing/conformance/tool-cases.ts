import type { FunctionToolSpec, StreamEvent } from '../../spec/index.js';
import type { CaseSpec } from './case-spec.js';
import { concurrencyGate, makeTools } from './case-tools.js';
import { check, collect, equal, fail, like, show, typesOf } from './conformance-assert.js';
import type { Run } from './conformance-run.js';
import type { SentToolResult, WireKit } from './conformance-types.js';

/** The tool results of the follow-up request (the second one received). */
function sentResults<R>(run: Run<R>): SentToolResult[] {
  equal(run.server.requests.length, 2, 'requests sent (the call, then the tool results)');
  return run.wire.read.toolResults(run.bodies()[1]);
}

/** When the format carries ids or names, each result must answer its own call. */
function checkAnswers(results: SentToolResult[], calls: { id: string; name: string }[], what: string): void {
  results.forEach((result, index) => {
    const call = calls[index];
    if (result.id != null) equal(result.id, call?.id, `${what}[${index}] answers the call id`);
    if (result.name != null) equal(result.name, call?.name, `${what}[${index}] names the tool`);
  });
}

function checkDeclared(wire: WireKit<unknown>, body: unknown, names: string[]): void {
  const declared = wire.read.declaredTools?.(body);
  if (declared != null) equal([...declared].sort(), [...names].sort(), 'tools declared in the first request');
}

export const toolCases: readonly CaseSpec[] = [
  {
    name: 'tools: a call without execute comes back to the caller (finish "tool_calls", arguments parsed, in the message)',
    capability: 'tools',
    needs: [{ model: 'tools' }],
    async run(run) {
      const { server, llm, wire, chat, model } = run;
      const declared: FunctionToolSpec = {
        name: 'book_table',
        description: 'Books a table',
        parameters: { type: 'object', properties: { people: { type: 'integer' } }, required: ['people'] },
      };
      server.enqueue(
        chat.toolCalls([{ id: 'call_conformance_book', name: 'book_table', arguments: { people: 4 } }]),
      );
      const response = await llm.chat('Book for four', { model: model('tools'), tools: [declared] });
      equal(response.finishReason, 'tool_calls', 'response.finishReason');
      like(response.toolCalls, [{ name: 'book_table', arguments: { people: 4 } }], 'response.toolCalls');
      const call = response.toolCalls[0];
      equal(JSON.parse(call?.rawArguments ?? 'null'), { people: 4 }, 'rawArguments');
      check(typeof call?.id === 'string' && call.id !== '', `the call has an id, got ${show(call?.id)}`);
      equal(response.message.toolCalls, response.toolCalls, 'response.message.toolCalls');
      equal(response.toolResults, undefined, 'response.toolResults');
      checkDeclared(wire as WireKit<unknown>, run.bodies()[0], ['book_table']);
    },
  },
  {
    name: 'tools: round trip — the tool runs, its result goes back in the provider format, the final text returns',
    capability: 'tools',
    needs: [{ model: 'tools' }],
    async run(run) {
      const { server, llm, wire, chat, model } = run;
      const ran: string[] = [];
      const { weather } = await makeTools(ran);
      server.enqueue(
        chat.toolCalls([{ id: 'call_conformance_1', name: 'get_weather', arguments: { city: 'Paris' } }]),
        chat.text('It is 21 °C in Paris.'),
      );
      const response = await llm.chat('Weather in Paris?', { model: model('tools'), tools: [weather] });
      equal(ran, ['get_weather Paris'], 'tool runs');
      equal(response.text, 'It is 21 °C in Paris.', 'response.text');
      equal(response.finishReason, 'stop', 'response.finishReason');
      equal(response.toolCalls, [], 'response.toolCalls (all ran)');
      like(
        response.toolResults,
        [
          {
            call: { name: 'get_weather', arguments: { city: 'Paris' } },
            output: { city: 'Paris', tempC: 21 },
          },
        ],
        'response.toolResults',
      );
      equal(response.attempts.length, 2, 'response.attempts');
      checkDeclared(wire as WireKit<unknown>, run.bodies()[0], ['get_weather']);
      const results = sentResults(run);
      equal(
        results.map((result) => result.content),
        [{ city: 'Paris', tempC: 21 }],
        'tool results sent back',
      );
      const call = response.toolResults?.[0]?.call;
      checkAnswers(results, [{ id: call?.id ?? '', name: 'get_weather' }], 'tool results');
    },
  },
  {
    name: 'tools: parallel calls run concurrently in one round; their results go back in call order',
    capability: 'tools',
    needs: [{ model: 'tools' }],
    async run(run) {
      const { server, llm, chat, model } = run;
      const ran: string[] = [];
      // Each tool waits until both are running: the calls of one round run concurrently.
      const { weather, time } = await makeTools(ran, concurrencyGate(2));
      const calls = [
        { id: 'call_conformance_a', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_conformance_b', name: 'local_time', arguments: { city: 'Lima' } },
      ];
      server.enqueue(chat.toolCalls(calls), chat.text('Paris 21 °C; Lima 09:30.'));
      const response = await llm.chat('Paris weather and Lima time?', {
        model: model('tools'),
        tools: [weather, time],
      });
      equal([...ran].sort(), ['get_weather Paris', 'local_time Lima'], 'tool runs');
      equal(response.text, 'Paris 21 °C; Lima 09:30.', 'response.text');
      equal(
        response.toolResults?.map((result) => result.call.name),
        ['get_weather', 'local_time'],
        'response.toolResults order',
      );
      const results = sentResults(run);
      equal(
        results.map((result) => result.content),
        [
          { city: 'Paris', tempC: 21 },
          { city: 'Lima', time: '09:30' },
        ],
        'tool results sent back, in call order',
      );
      const ids = response.toolResults?.map((result) => result.call.id) ?? [];
      checkAnswers(
        results,
        calls.map((c, index) => ({ id: ids[index] ?? '', name: c.name })),
        'tool results',
      );
    },
  },
  {
    name: 'tools: streamed — tool-call events, tool-result events, then the next round’s text, then finish',
    capability: 'tools',
    needs: [{ model: 'tools' }, { kit: 'toolCallStream' }],
    async run(run) {
      const { server, llm, wire, chat, model } = run;
      const { weather } = await makeTools();
      const calls = [
        { id: 'call_conformance_s1', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_conformance_s2', name: 'get_weather', arguments: { city: 'Lima' } },
      ];
      server.enqueue(
        wire.toolCallStream?.(calls) ?? fail('toolCallStream'),
        chat.textStream(['Both ', '21 °C.']),
      );
      const stream = llm.stream('Weather twice', { model: model('tools'), tools: [weather] });
      const events = await collect(stream);
      equal(
        typesOf(events),
        ['tool-call', 'tool-call', 'tool-result', 'tool-result', 'text-delta', 'text-delta', 'finish'],
        'event types',
      );
      const streamed = events.flatMap((event: StreamEvent) =>
        event.type === 'tool-call' ? [event.toolCall] : [],
      );
      equal(
        streamed.map((call) => call.arguments),
        [{ city: 'Paris' }, { city: 'Lima' }],
        'tool-call arguments',
      );
      const response = await stream.response;
      equal(response.text, 'Both 21 °C.', 'response.text');
      equal(
        sentResults(run).map((result) => result.content),
        [
          { city: 'Paris', tempC: 21 },
          { city: 'Lima', tempC: 21 },
        ],
        'tool results sent back',
      );
    },
  },
  {
    name: 'tools: invalid arguments, an unknown tool, a thrown error and a timeout go back to the model as structured results',
    capability: 'tools',
    needs: [{ model: 'tools' }],
    async run(run) {
      const { server, llm, chat, model } = run;
      const { weather, explode, slow } = await makeTools();
      const calls = [
        { id: 'call_conformance_bad', name: 'get_weather', arguments: { city: 42 } },
        { id: 'call_conformance_unknown', name: 'no_such_tool', arguments: {} },
        { id: 'call_conformance_throws', name: 'explode', arguments: {} },
        { id: 'call_conformance_slow', name: 'slow_lookup', arguments: {} },
      ];
      server.enqueue(chat.toolCalls(calls), chat.text('Nothing worked.'));
      const response = await llm.chat('Try everything', {
        model: model('tools'),
        tools: [weather, explode, slow],
      });
      equal(response.text, 'Nothing worked.', 'response.text');
      const results = sentResults(run);
      const contents = results.map((result) => result.content as Record<string, unknown>);
      like(
        contents,
        [
          { error_type: 'InvalidArguments', is_retryable: true },
          { error_type: 'ToolNotFound', is_retryable: false },
          { error_type: 'ExecutionError', message: 'disk on fire', is_retryable: false },
          { error_type: 'ExecutionError', is_retryable: true },
        ],
        'structured tool errors sent back',
      );
      const [badArgs, unknown, , timedOut] = contents.map((content) => String(content.message));
      check(badArgs?.includes('city') === true, `InvalidArguments names the field: ${badArgs}`);
      check(
        unknown?.includes('no_such_tool') === true && unknown.includes('get_weather'),
        `ToolNotFound names the tool and the known ones: ${unknown}`,
      );
      check(timedOut?.includes('timed out') === true, `the timeout says so: ${timedOut}`);
      const ids = response.toolResults?.map((result) => result.call.id) ?? [];
      checkAnswers(
        results,
        calls.map((call, index) => ({ id: ids[index] ?? '', name: call.name })),
        'tool results',
      );
    },
  },
];
