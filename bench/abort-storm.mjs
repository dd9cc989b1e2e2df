// Abort storm: N concurrent calls stalled at the fake provider, all aborted at once; prints how long after
// `abort()` each call settled (distribution). Diagnostic for issue 13 item 7; not part of `npm run bench`.
//
//   node bench/abort-storm.mjs [--dist DIR] [--calls 1000] [--signal shared|own] [--kind chat|stream]
//                              [--rounds 3] [--profile FILE.cpuprofile]
//
// `--profile`: a CPU profile of the last round's window from abort() to the last settle.
//
// `--signal shared`: one AbortController for every call; `own`: one per call, aborted in a loop.
// The fake provider runs in this process (like a test would); run `npm run build` first.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    dist: { type: 'string' },
    calls: { type: 'string', default: '1000' },
    signal: { type: 'string', default: 'shared' },
    kind: { type: 'string', default: 'chat' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
const dist = resolve(args.dist ?? `${repo}/dist`);
const calls = Number(args.calls);
const { createLLM } = await import(`${dist}/index.js`);
const { startFakeProvider } = await import(`${dist}/testing/index.js`);

let profiler;
if (args.profile != null) {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
}

const warnings = [];
process.on('warning', (warning) => warnings.push(warning.name));

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function round() {
  const fake = await startFakeProvider(() => ({ stall: true }));
  const llm = createLLM({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: ['gpt-4o-mini'],
      },
    ],
    timeoutMs: 120_000,
  });
  const shared = new AbortController();
  const controllers = [];
  const settledAt = new Array(calls);
  const outcomes = new Map();
  const promises = [];
  for (let i = 0; i < calls; i++) {
    const controller = args.signal === 'shared' ? shared : new AbortController();
    controllers.push(controller);
    const options = { signal: controller.signal };
    const call = args.kind === 'stream' ? llm.stream('hi', options).response : llm.chat('hi', options);
    promises.push(
      call
        .then(
          () => 'ok',
          (error) => error.code ?? String(error),
        )
        .then((outcome) => {
          settledAt[i] = performance.now();
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }),
    );
  }
  while (fake.requests.length < calls) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  if (profiler != null) await profiler.post('Profiler.start');
  const abortAt = performance.now();
  if (args.signal === 'shared') shared.abort();
  else for (const controller of controllers) controller.abort();
  const loopMs = performance.now() - abortAt;
  await Promise.all(promises);
  if (profiler != null) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(args.profile, JSON.stringify(profile));
  }
  const latencies = settledAt.map((t) => t - abortAt).sort((a, b) => a - b);
  await llm.close();
  await fake.close();
  return { latencies, loopMs, outcomes: Object.fromEntries(outcomes) };
}

const rounds = Number(args.rounds);
console.log(`abort storm: ${calls} ${args.kind} calls, signal ${args.signal}, dist ${dist}`);
for (let r = 0; r < rounds; r++) {
  const { latencies, loopMs, outcomes } = await round();
  const over = latencies.filter((ms) => ms > 500).length;
  const fmt = (ms) => `${ms.toFixed(0)}`;
  console.log(
    `round ${r + 1}: abort() ${fmt(loopMs)} ms; settle ms p50 ${fmt(percentile(latencies, 50))} p90 ${fmt(
      percentile(latencies, 90),
    )} p99 ${fmt(percentile(latencies, 99))} max ${fmt(latencies.at(-1))}; > 500 ms: ${over} (${(
      (100 * over) / calls
    ).toFixed(1)} %); outcomes ${JSON.stringify(outcomes)}`,
  );
}
console.log(`warnings: ${warnings.length === 0 ? 'none' : [...new Set(warnings)].join(', ')}`);
