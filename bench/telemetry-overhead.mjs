// Telemetry overhead (API.md §16), measured in ONE process so that machine load hits every variant alike:
//
//   node bench/telemetry-overhead.mjs [--rounds 30] [--batch 200] [--op chat|stream] [--processor batch|simple]
//
// Four clients on the same built library (dist/) and the same fake server (bench/server.mjs):
//   on     `telemetry: { tracer }`: a BasicTracerProvider's tracer whose span processor (BatchSpanProcessor by
//          default, as NodeSDK sets up; or SimpleSpanProcessor) hands spans to an exporter that drops them;
//   off    `telemetry: false` (the OpenTelemetry API is never touched: the same path as without the package);
//   plain  the default config with no tracer provider registered (the common case);
//   plain2 the same again: plain2 ÷ plain is the A/A row, i.e. the noise;
//   stub   `telemetry: { tracer }` with a stub tracer whose spans do nothing: switchboard's own telemetry work
//          (deciding, attributes, the span tree walk) without the SDK's;
//   floor  `telemetry: false` plus the same two spans made by hand per call with the same SDK tracer: what
//          any instrumentation of a call (one span, one child) costs in the SDK itself.
// Each round runs `--batch` sequential calls per client, in an order rotated every round, and measures the
// process's CPU (user + system) per call. Reported: the median over rounds of per-round ratios (and the µs).
// The goal: on ≤ 1.10× off; off ≈ plain within the A/A spread.

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startServer } from './harness.mjs';
import { CHAT_TEXT, OPENAI_CHAT_MODEL, STREAM_TEXT } from './payloads.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    batch: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '2000' },
    op: { type: 'string', default: 'chat' },
    processor: { type: 'string', default: 'batch' },
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
  },
});
const rounds = Number(args.rounds);
const batch = Number(args.batch);
const stream = args.op === 'stream';

const server = await startServer();
const { createLLM } = await import(pathToFileURL(`${args.dist}/index.js`).href);
const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
const processor =
  args.processor === 'simple' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
const provider = new BasicTracerProvider({ spanProcessors: [processor] });
let exported = 0;
const counting = exporter.export;
exporter.export = (spans, done) => {
  exported += spans.length;
  counting(spans, done);
};

const config = (telemetry) => ({
  providers: [
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: `${server.base}/v1`,
      apiKeys: ['test-key-1', 'test-key-2'],
      models: [{ name: OPENAI_CHAT_MODEL, pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 } }],
    },
  ],
  logger: false,
  ...(telemetry !== undefined ? { telemetry } : {}),
});
const stubSpan = {
  setAttribute() {},
  setAttributes() {},
  addEvent() {},
  setStatus() {},
  end() {},
  spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
  isRecording: () => false,
};
const clients = {
  on: createLLM(config({ tracer: provider.getTracer('bench') })),
  off: createLLM(config(false)),
  plain: createLLM(config(undefined)),
  plain2: createLLM(config(undefined)),
  stub: createLLM(config({ tracer: { startSpan: () => stubSpan } })),
  floor: createLLM(config(false)),
};
const floorTracer = provider.getTracer('bench-floor');

/** The two spans of a one-attempt call, made by hand (the `floor` variant). */
function handSpans(response) {
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': response.model,
    'gen_ai.provider.name': 'openai',
    'gen_ai.response.model': response.model,
    'gen_ai.response.finish_reasons': [response.finishReason],
    'gen_ai.usage.input_tokens': response.usage?.promptTokens ?? 0,
    'gen_ai.usage.output_tokens': response.usage?.completionTokens ?? 0,
    'switchboard.cost_usd': response.cost?.totalUsd ?? 0,
  };
  const started = Date.now();
  const span = floorTracer.startSpan(
    `chat ${response.model}`,
    { kind: 2, attributes, startTime: started },
    context.active(),
  );
  const attempt = response.attempts[0];
  const child = floorTracer.startSpan(
    `attempt 1 ${response.model}`,
    {
      kind: 2,
      attributes: {
        'switchboard.wait_ms': 0,
        'http.response.status_code': 200,
        'switchboard.key_id': attempt?.keyId ?? '',
      },
      startTime: started,
    },
    trace.setSpan(context.active(), span),
  );
  child.end(Date.now());
  span.end(Date.now());
}
if (trace.getTracerProvider().getDelegate?.() === provider) throw new Error('no provider may be registered');

async function call(llm) {
  if (!stream) {
    const response = await llm.chat('hello');
    if (response.text !== CHAT_TEXT) throw new Error('wrong answer');
    if (llm === clients.floor) handSpans(response);
    return;
  }
  const s = llm.stream('hello');
  for await (const _piece of s.textStream) {
    // read every delta
  }
  const response = await s.response;
  if (response.text !== STREAM_TEXT) throw new Error('wrong streamed answer');
  if (llm === clients.floor) handSpans(response);
}

async function measure(llm, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await call(llm);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const names = Object.keys(clients);
for (const name of names)
  await measure(clients[name], Math.ceil(Number(args.warmup) / (stream ? 20 : 1) / names.length));
const perRound = [];
for (let round = 0; round < rounds; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  const cpu = {};
  for (const name of order)
    cpu[name] = await measure(clients[name], stream ? Math.max(1, batch / 20) : batch);
  perRound.push(cpu);
}
for (const llm of Object.values(clients)) await llm.close();
await provider.shutdown();
await server.stop();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ratio = (a, b) => median(perRound.map((cpu) => cpu[a] / cpu[b]));
const us = (name) => median(perRound.map((cpu) => cpu[name]));
const onOff = ratio('on', 'off');
const lines = [
  `### Telemetry overhead: ${stream ? 'streams (500 chunks)' : 'sequential chat'}, ${rounds} rounds × ${batch} calls per client, ${args.processor} span processor, Node ${process.version}`,
  '',
  '| variant | CPU µs/call (median) | ratio (median of per-round ratios) |',
  '|---|---|---|',
  `| on (tracer, spans dropped by the exporter) | ${us('on').toFixed(1)} | on ÷ off = **${onOff.toFixed(3)}×** |`,
  `| off (\`telemetry: false\`) | ${us('off').toFixed(1)} | off ÷ plain = ${ratio('off', 'plain').toFixed(3)}× |`,
  `| plain (no provider registered) | ${us('plain').toFixed(1)} | on ÷ plain = ${ratio('on', 'plain').toFixed(3)}× |`,
  `| plain2 (A/A) | ${us('plain2').toFixed(1)} | plain2 ÷ plain = ${ratio('plain2', 'plain').toFixed(3)}× |`,
  `| stub (switchboard's own telemetry work, no SDK) | ${us('stub').toFixed(1)} | stub ÷ off = ${ratio('stub', 'off').toFixed(3)}× |`,
  `| floor (off + the same two spans by hand, same SDK) | ${us('floor').toFixed(1)} | floor ÷ off = ${ratio('floor', 'off').toFixed(3)}×; on ÷ floor = ${ratio('on', 'floor').toFixed(3)}× |`,
  '',
  `Spans exported (and dropped): ${exported}. Goal on ÷ off ≤ 1.10×: ${onOff <= 1.1 ? 'met' : '**not met**'}` +
    ` (switchboard's own share, stub ÷ off: ${ratio('stub', 'off').toFixed(3)}×).`,
];
console.log(lines.join('\n'));
