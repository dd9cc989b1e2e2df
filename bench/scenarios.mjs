// Scenarios and clients of `npm run bench`.

/**
 * `op`: the client method called per request. `n` requests after `warmup` unmeasured ones, `concurrency`
 * at a time. `quick` overrides for `--quick`. `gemini`: the openai SDK has no Gemini dialect (skipped).
 * `anthropic`: the openai SDK and the AI SDK (no @ai-sdk/anthropic installed) are skipped; the official
 * `@anthropic-ai/sdk` runs instead.
 */
export const SCENARIOS = [
  {
    name: 'chat-seq',
    title: 'sequential non-streaming chat',
    op: 'chat',
    n: 2000,
    warmup: 200,
    concurrency: 1,
    quick: { n: 300, warmup: 50 },
  },
  {
    name: 'chat-conc',
    title: 'concurrent non-streaming chat @64',
    op: 'chat',
    n: 5000,
    warmup: 640,
    concurrency: 64,
    quick: { n: 640, warmup: 128 },
  },
  {
    name: 'stream',
    title: 'streaming chat, 500 chunks each',
    op: 'stream',
    n: 200,
    warmup: 20,
    concurrency: 1,
    stream: true,
    quick: { n: 20, warmup: 5 },
  },
  {
    name: 'embed',
    title: 'embeddings, 16 inputs x 1536 dims',
    op: 'embed',
    n: 500,
    warmup: 50,
    concurrency: 1,
    extraClients: ['switchboard-float', 'raw-b64'],
    quick: { n: 50, warmup: 10 },
  },
  {
    name: 'retry',
    title: '429 (retry-after: 0) on 1st attempt, then 200',
    op: 'retry',
    n: 500,
    warmup: 50,
    concurrency: 1,
    quick: { n: 100, warmup: 20 },
  },
  {
    name: 'gemini-chat',
    title: 'Gemini generateContent, sequential',
    op: 'geminiChat',
    n: 2000,
    warmup: 200,
    concurrency: 1,
    gemini: true,
    quick: { n: 300, warmup: 50 },
  },
  {
    name: 'gemini-stream',
    title: 'Gemini streamGenerateContent, 500 chunks',
    op: 'geminiStream',
    n: 200,
    warmup: 20,
    concurrency: 1,
    stream: true,
    gemini: true,
    quick: { n: 20, warmup: 5 },
  },
  {
    name: 'anthropic-chat',
    title: 'Anthropic Messages, sequential',
    op: 'anthropicChat',
    n: 2000,
    warmup: 200,
    concurrency: 1,
    anthropic: true,
    quick: { n: 300, warmup: 50 },
  },
  {
    name: 'route',
    title: 'chat over a two-target fallback route (first target answers) vs the same model direct',
    op: 'chat',
    n: 2000,
    warmup: 200,
    concurrency: 1,
    route: true,
    quick: { n: 300, warmup: 50 },
  },
  {
    name: 'anthropic-stream',
    title: 'Anthropic Messages stream, 500 text_delta events',
    op: 'anthropicStream',
    n: 200,
    warmup: 20,
    concurrency: 1,
    stream: true,
    anthropic: true,
    quick: { n: 20, warmup: 5 },
  },
];

/** Client label → module in bench/clients and its variant. */
export const CLIENTS = {
  raw: { module: 'raw' },
  'raw-b64': { module: 'raw', variant: 'b64', note: 'raw asking for base64, Float32Array views' },
  openai: { module: 'openai' },
  anthropic: { module: 'anthropic', note: 'the official @anthropic-ai/sdk' },
  vercel: { module: 'vercel' },
  switchboard: { module: 'switchboard' },
  'switchboard-float': {
    module: 'switchboard',
    variant: 'float',
    note: "switchboard with encodingFormat: 'float'",
  },
  'switchboard-otel': {
    module: 'switchboard',
    variant: 'otel',
    note: 'switchboard with an OpenTelemetry tracer provider registered (spans made, then dropped)',
  },
  'switchboard-otel-off': {
    module: 'switchboard',
    variant: 'otel-off',
    note: 'switchboard with telemetry: false',
  },
  'switchboard@alt': { module: 'switchboard', alt: true, note: 'switchboard built from --compare DIR' },
  'switchboard-route': {
    module: 'switchboard',
    variant: 'route',
    note: "switchboard calling a fallback route of two targets (the first answers): model: 'bench-route'",
  },
  'switchboard#2': {
    module: 'switchboard',
    note: 'switchboard direct again (the A/A check of the route ratio)',
  },
  'switchboard-transport': {
    module: 'transport',
    note: "diagnostic: switchboard's HTTP transport alone, no pipeline or client",
  },
  'switchboard-transport+timer': {
    module: 'transport',
    variant: 'timer',
    note: "diagnostic: the transport plus the timeout layer's abort trigger and timer",
  },
  'raw#2': { module: 'raw', note: 'raw again at the end of the round (A/A noise check)' },
};

/** Clients of one round of a scenario, in order: raw first, raw#2 last, the others rotated per round. */
export function clientsFor(scenario, round, { compare, only }) {
  const middle =
    only != null
      ? only.filter((label) => label !== 'raw' && label !== 'raw#2')
      : scenario.route
        ? ['switchboard', 'switchboard-route', 'switchboard#2']
        : scenario.anthropic
          ? ['anthropic', 'switchboard', ...(scenario.extraClients ?? [])]
          : ['openai', 'vercel', 'switchboard', ...(scenario.extraClients ?? [])];
  if (compare && !middle.includes('switchboard@alt')) middle.push('switchboard@alt');
  let list = middle.filter((label) => !(scenario.gemini && label === 'openai'));
  list = list.filter((label) =>
    scenario.anthropic ? label !== 'openai' && label !== 'vercel' : label !== 'anthropic',
  );
  // The diagnostic transport client has no retry and no Gemini or Anthropic stream.
  list = list.filter(
    (label) =>
      !(
        label.startsWith('switchboard-transport') &&
        (scenario.op === 'retry' || scenario.op === 'geminiStream' || scenario.anthropic === true)
      ),
  );
  const shift = list.length === 0 ? 0 : round % list.length;
  list = [...list.slice(shift), ...list.slice(0, shift)];
  return ['raw', ...list, 'raw#2'];
}
