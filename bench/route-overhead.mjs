// The CPU a route adds to a call, measured in ONE process so machine noise hits both sides alike: blocks of
// direct calls and of calls over a two-target `fallback` route (the first target answers) alternate
// (direct, route, direct), and the middle block is compared with the mean of the two around it.
// Rounds alternate the order (route in the middle, then direct in the middle). Two setups: over HTTP against bench/server.mjs (what a call costs), and with the pipeline stubbed by a
// middleware (the client's own work only, where the route's share is largest).
//
//   npm run build && node bench/route-overhead.mjs [--rounds 15] [--block 400]
//
// Prints medians of the per-round ratios and differences, and the A/A (direct block vs direct block).
import { parseArgs } from 'node:util';
import { startServer } from './harness.mjs';
import { CHAT_TEXT, GEMINI_MODEL, OPENAI_CHAT_MODEL } from './payloads.mjs';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '15' }, block: { type: 'string', default: '400' } },
});
const rounds = Number(args.rounds);
const block = Number(args.block);
const { createLLM } = await import(new URL('../dist/index.js', import.meta.url).href);

const ROUTE = { name: 'bench-route', targets: [`OpenAI/${OPENAI_CHAT_MODEL}`, `Gemini/${GEMINI_MODEL}`] };

function clientFor(base, middlewares = []) {
  return createLLM({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: `${base}/v1`,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: [OPENAI_CHAT_MODEL],
      },
      { name: 'Gemini', apiType: 'gemini', apiBase: base, apiKeys: ['test-key-1'], models: [GEMINI_MODEL] },
    ],
    defaultModel: `OpenAI/${OPENAI_CHAT_MODEL}`,
    logger: false,
    middlewares,
    routes: [ROUTE],
  });
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function measure(llm, label, size) {
  const run = async (options, n) => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const response = await llm.chat(`Tell me about a made-up holiday (${i}).`, options);
      if (response.text !== CHAT_TEXT) throw new Error(`wrong text: ${response.text.slice(0, 60)}`);
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  const route = { model: 'bench-route' };
  await run(undefined, size * 2);
  await run(route, size * 2);
  const ratios = [];
  const diffs = [];
  const aa = [];
  for (let round = 0; round < rounds; round++) {
    // Even rounds: direct, route, direct; odd rounds: route, direct, route (no side gains from its position).
    const [outer, inner] = round % 2 === 0 ? [undefined, route] : [route, undefined];
    const before = await run(outer, size);
    const middle = await run(inner, size);
    const after = await run(outer, size);
    const [direct, routed] =
      round % 2 === 0 ? [(before + after) / 2, middle] : [middle, (before + after) / 2];
    ratios.push(routed / direct);
    diffs.push(routed - direct);
    aa.push(after / before);
  }
  console.log(
    `${label}: route ${median(ratios).toFixed(3)}× direct (${median(diffs) >= 0 ? '+' : ''}${median(diffs).toFixed(1)} µs/call), ` +
      `A/A (outer blocks) ${median(aa).toFixed(3)}; per round ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
  );
}

const server = await startServer();
try {
  const http = clientFor(server.base);
  await measure(http, `HTTP (bench server), ${rounds} rounds × ${block} calls`, block);
  await http.close();
  const data = {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    model: OPENAI_CHAT_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: CHAT_TEXT }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
  };
  const stub = async (request) => ({
    status: 200,
    headers: {},
    data,
    attempts: [{ attempt: 1, model: request.model, status: 200, durationMs: 0, waitMs: 0 }],
    durationMs: 0,
  });
  const stubbed = clientFor(server.base, [stub]);
  await measure(
    stubbed,
    `pipeline stubbed (client work only), ${rounds} rounds × ${block * 10} calls`,
    block * 10,
  );
  await stubbed.close();
} finally {
  await server.stop();
}
