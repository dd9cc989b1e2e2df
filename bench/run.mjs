// `npm run bench` (builds first): switchboard against raw undici, the openai SDK, the AI SDK and (Anthropic
// scenarios) the Anthropic SDK.
//
//   node bench/run.mjs [--rounds N] [--quick] [--scenario a,b] [--clients a,b] [--compare DIR] [--dist DIR]
//                      [--out DIR]
//
// A fake provider runs in its own process (bench/server.mjs); every client runs in a FRESH process per
// scenario and round (bench/client.mjs), in the order raw, <others rotated per round>, raw#2 (the A/A
// check). Every reply is checked. Results: markdown tables on stdout, bench/results/latest.{json,md}.
// See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runClient, startServer } from './harness.mjs';
import { evaluateGoals, goalsTable, scenarioTable, summarize } from './report.mjs';
import { CLIENTS, clientsFor, SCENARIOS } from './scenarios.mjs';
import { runStartup, startupGoals, startupTable } from './startup.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    clients: { type: 'string' },
    compare: { type: 'string' },
    dist: { type: 'string' },
    out: { type: 'string' },
    warmup: { type: 'string' },
    'startup-runs': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`node bench/run.mjs [options]
  --rounds N       rounds per scenario (default 5; 1 with --quick)
  --quick          small request counts, 1 round: a smoke run under a minute
  --scenario a,b   only these scenarios (${SCENARIOS.map((s) => s.name).join(', ')}, startup)
  --clients a,b    exactly these clients besides raw and raw#2 (${Object.keys(CLIENTS).join(', ')})
  --compare DIR    also run switchboard built in DIR (a dist/ folder) as "switchboard@alt"
  --dist DIR       the switchboard build to measure (default: dist/)
  --out DIR        where latest.json and latest.md go (default: bench/results)
  --warmup N       unmeasured requests before measuring, every scenario (default: per scenario, ~10%)
  --startup-runs N fresh processes per client in the startup scenario (default 15; 5 with --quick)`);
  process.exit(0);
}

const rounds = Number(args.rounds ?? (args.quick ? 1 : 5));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number ≥ 1');
const wanted = args.scenario?.split(',').map((name) => name.trim());
const warmup = args.warmup != null ? Number(args.warmup) : undefined;
if (warmup !== undefined && !(Number.isInteger(warmup) && warmup >= 0))
  throw new Error('--warmup: a whole number ≥ 0');
const scenarios = SCENARIOS.filter((scenario) => wanted == null || wanted.includes(scenario.name)).map(
  (scenario) => ({
    ...scenario,
    ...(args.quick ? scenario.quick : {}),
    ...(warmup !== undefined ? { warmup } : {}),
  }),
);
const startupWanted = wanted == null || wanted.includes('startup');
const startupRuns = Number(args['startup-runs'] ?? (args.quick ? 5 : 15));
if (!Number.isInteger(startupRuns) || startupRuns < 1) throw new Error('--startup-runs: a whole number ≥ 1');
if (scenarios.length === 0 && !startupWanted)
  throw new Error(`--scenario: none of ${wanted} (known: ${SCENARIOS.map((s) => s.name)}, startup)`);
const only = args.clients?.split(',').map((name) => name.trim());
const dist = resolve(args.dist ?? `${repo}/dist`);
const altDist = args.compare != null ? resolve(args.compare) : undefined;
const outDir = resolve(args.out ?? `${repo}/bench/results`);

const startedAt = new Date();
const server = await startServer();
const results = {};
let startup;
let seq = 0;
try {
  for (const scenario of scenarios) {
    const perRound = [];
    for (let round = 0; round < rounds; round++) {
      const byLabel = {};
      for (const label of clientsFor(scenario, round, { compare: altDist != null, only })) {
        const spec = CLIENTS[label];
        const config = {
          label,
          module: spec.module,
          variant: spec.variant,
          dist: spec.alt ? altDist : dist,
          base: server.base,
          scenario: scenario.name,
          op: scenario.op,
          n: scenario.n,
          warmup: scenario.warmup,
          concurrency: scenario.concurrency,
          runId: `${process.pid}-${seq++}-${label}`,
        };
        const result = await runClient(config);
        result.round = round;
        byLabel[label] = result;
        const line = result.ok
          ? `${result.cpuUsPerReq.toFixed(1)} µs/req, ${result.reqPerSec.toFixed(0)} req/s`
          : `FAILED: ${String(result.error).split('\n')[0]}`;
        process.stderr.write(`[${scenario.name} round ${round + 1}/${rounds}] ${label.padEnd(18)} ${line}\n`);
      }
      perRound.push(byLabel);
    }
    results[scenario.name] = { scenario, rounds: perRound, summary: summarize(perRound) };
  }
  if (startupWanted) {
    startup = await runStartup({
      base: server.base,
      dist,
      altDist,
      runs: startupRuns,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  }
} finally {
  await server.stop();
}

const summaries = Object.fromEntries(Object.entries(results).map(([name, entry]) => [name, entry.summary]));
const goals = [...evaluateGoals(summaries), ...(startup != null ? startupGoals(startup) : [])];
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const header = [
  `## switchboard-llm benchmark (${startedAt.toISOString()}, ${rounds} round${rounds === 1 ? '' : 's'}${args.quick ? ', --quick' : ''})`,
  '',
  `Node ${process.version}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; fake provider in its own process on 127.0.0.1; ` +
    'each client in a fresh process per scenario and round; CPU = process.cpuUsage (user+system) after a warm-up. ' +
    'Treat differences under the A/A row (raw#2) spread as noise.',
  '',
].join('\n');
const tables = scenarios.map((scenario) => {
  const skipped =
    scenario.gemini && (only == null || only.includes('openai'))
      ? ['openai']
      : scenario.anthropic && only == null
        ? ['openai', 'vercel']
        : [];
  return scenarioTable(scenario, results[scenario.name].summary, rounds, skipped);
});
if (startup != null) tables.push(startupTable(startup));
const markdown = [header, goalsTable(goals), ...tables].join('\n');
console.log(markdown);

mkdirSync(outDir, { recursive: true });
const json = {
  meta: {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu,
    rounds,
    quick: args.quick,
    argv: process.argv.slice(2),
    dist,
    compare: altDist,
  },
  goals,
  scenarios: results,
  startup,
};
writeFileSync(`${outDir}/latest.json`, `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(`${outDir}/latest.md`, `${markdown}\n`);
process.stderr.write(
  `wrote ${outDir}/latest.json and latest.md (${((Date.now() - startedAt) / 1000).toFixed(0)} s)\n`,
);
const failed =
  Object.values(summaries).some((summary) => Object.values(summary).some((entry) => entry.failures > 0)) ||
  Object.values(startup?.load ?? {}).some((entry) => entry.failures > 0);
process.exitCode = failed ? 1 : 0;
