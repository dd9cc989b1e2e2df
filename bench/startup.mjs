// Start-up cost: import + create of each client, and `switchboard --version` against a bare `node -e 0`.
//
//   node bench/startup.mjs [--runs N] [--dist DIR] [--compare DIR]     (run.mjs runs it as the `startup` scenario)
//
// import + create: every run forks a FRESH process per client (bench/client.mjs with one chat request and no
// warm-up, in the order of the run, rotated per run): `loadMs` is the time from importing the client module
// to a created client (the `load ms` column of the other scenarios), `first chat ms` the first request after
// it (lazily loaded parts land there). `openai#2` is the openai SDK again: the A/A noise check.
// `--version`: wall time of `spawnSync(node, [dist/cli/main.js, '--version'])` against `spawnSync(node,
// ['-e', '0'])`, in alternating order; it must print the version of the package.json above DIST.
// `node -e 0 #2` is the A/A.
// Ratios are medians of per-run ratios (as everywhere in the bench).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runClient, startServer } from './harness.mjs';
import { median } from './report.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The clients of the import + create measurement (bench/clients modules). */
const LOAD_CLIENTS = [
  { label: 'switchboard', module: 'switchboard' },
  { label: 'openai', module: 'openai' },
  { label: 'vercel', module: 'vercel' },
];

function rotate(list, by) {
  const shift = list.length === 0 ? 0 : by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

function wallMs(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

/**
 * Runs the start-up measurements; `log` gets one progress line per run. Returns `{ runs, load: { label →
 * { loadMs, firstChatMs, loadXOpenai, loadXVercel, failures, error, version } }, cli: { label → { wallMs,
 * xNode } } }` (medians; the ratios are medians of per-run ratios).
 */
export async function runStartup({ base, dist, altDist, runs, log = () => {} }) {
  const clients = [...LOAD_CLIENTS];
  if (altDist != null) clients.push({ label: 'switchboard@alt', module: 'switchboard', alt: true });
  const perRun = [];
  for (let run = 0; run < runs; run++) {
    const byLabel = {};
    for (const client of [...rotate(clients, run), { label: 'openai#2', module: 'openai' }]) {
      byLabel[client.label] = await runClient({
        label: client.label,
        module: client.module,
        dist: client.alt ? altDist : dist,
        base,
        scenario: 'startup',
        op: 'chat',
        n: 1,
        warmup: 0,
        concurrency: 1,
        runId: `${process.pid}-startup-${run}-${client.label}`,
      });
    }
    perRun.push(byLabel);
    const line = Object.entries(byLabel)
      .map(([label, result]) => `${label} ${result.ok ? `${result.loadMs.toFixed(0)} ms` : 'FAILED'}`)
      .join(', ');
    log(`[startup ${run + 1}/${runs}] import+create: ${line}`);
  }

  const load = {};
  for (const label of [...clients.map((client) => client.label), 'openai#2']) {
    const results = perRun.map((round) => round[label]);
    const failures = results.filter((result) => !result.ok);
    if (failures.length > 0) {
      load[label] = { failures: failures.length, rounds: results.length, error: failures[0].error };
      continue;
    }
    const ratio = (other) =>
      median(
        perRun.map((round) => (round[other]?.ok ? round[label].loadMs / round[other].loadMs : undefined)),
      );
    load[label] = {
      failures: 0,
      rounds: results.length,
      version: results[0].version,
      loadMs: median(results.map((result) => result.loadMs)),
      firstChatMs: median(results.map((result) => result.p50Ms)),
      loadXOpenai: ratio('openai'),
      loadXVercel: ratio('vercel'),
    };
  }

  // The package.json two levels above the CLI (dist/cli/ → the package), as the CLI reads it.
  const version = JSON.parse(readFileSync(`${dist}/../package.json`, 'utf8')).version;
  const bin = `${dist}/cli/main.js`;
  const pairs = [];
  for (let run = 0; run < runs; run++) {
    const bare = () => wallMs(['-e', '0']).ms;
    const cli = () => {
      const { ms, stdout } = wallMs([bin, '--version']);
      if (stdout.trim() !== version)
        throw new Error(`switchboard --version printed ${JSON.stringify(stdout)}`);
      return ms;
    };
    // Alternating order, so neither side always runs right after the other.
    const pair = {};
    if (run % 2 === 0) {
      pair.node = bare();
      pair.version = cli();
    } else {
      pair.version = cli();
      pair.node = bare();
    }
    pair.node2 = bare();
    pairs.push(pair);
    log(
      `[startup ${run + 1}/${runs}] node -e 0 ${pair.node.toFixed(0)} ms, --version ${pair.version.toFixed(0)} ms`,
    );
  }
  const cli = {
    'node -e 0': { wallMs: median(pairs.map((pair) => pair.node)), xNode: 1 },
    'switchboard --version': {
      wallMs: median(pairs.map((pair) => pair.version)),
      xNode: median(pairs.map((pair) => pair.version / pair.node)),
    },
    'node -e 0 #2': {
      wallMs: median(pairs.map((pair) => pair.node2)),
      xNode: median(pairs.map((pair) => pair.node2 / pair.node)),
    },
  };
  return { runs, load, cli };
}

function fmt(value, digits = 1) {
  return value === undefined || Number.isNaN(value) ? '' : value.toFixed(digits);
}

/** The markdown tables of `runStartup`'s result. */
export function startupTable(startup) {
  const lines = [
    `### startup: import + create in a fresh process, and \`switchboard --version\` (median of ${startup.runs} runs; ratios = median of per-run ratios)`,
    '',
    '| client | import + create ms | ×openai | ×vercel | first chat ms (after create) |',
    '|---|---|---|---|---|',
  ];
  const versions = [];
  for (const [label, entry] of Object.entries(startup.load)) {
    if (entry.failures > 0) {
      const reason = String(entry.error ?? '').split('\n')[0];
      lines.push(
        `| ${label} | FAILED in ${entry.failures}/${entry.rounds} runs: ${reason.replace(/\|/g, '/')} |`,
      );
      continue;
    }
    lines.push(
      `| ${label} | ${fmt(entry.loadMs, 0)} | ${fmt(entry.loadXOpenai, 2)} | ${fmt(entry.loadXVercel, 2)} | ${fmt(entry.firstChatMs, 1)} |`,
    );
    versions.push(`${label} = ${entry.version}`);
  }
  lines.push('', versions.join('; '), '', '| command | wall ms | ×`node -e 0` |', '|---|---|---|');
  for (const [label, entry] of Object.entries(startup.cli)) {
    lines.push(`| \`${label}\` | ${fmt(entry.wallMs, 0)} | ${fmt(entry.xNode, 2)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** The start-up goals, in the shape of `evaluateGoals`' rows (`noise`: the A/A ratio). */
export function startupGoals(startup) {
  const goals = [];
  const sb = startup.load.switchboard;
  const failed = sb == null || sb.failures > 0 || startup.load.openai?.failures > 0;
  goals.push({
    scenario: 'startup',
    goal: 'import + create ≤ the openai SDK',
    value: failed ? undefined : sb.loadXOpenai,
    limit: 1.0,
    noise: startup.load['openai#2']?.loadXOpenai,
    vs: 'openai',
    met: !failed && sb.loadXOpenai <= 1.0,
    ...(failed ? { failed: true } : {}),
  });
  const version = startup.cli['switchboard --version'];
  goals.push({
    scenario: 'startup',
    goal: '`switchboard --version` ≤ 1.8× `node -e 0`',
    value: version.xNode,
    limit: 1.8,
    noise: startup.cli['node -e 0 #2'].xNode,
    vs: 'node -e 0',
    met: version.xNode <= 1.8,
  });
  return goals;
}

if (process.argv[1] != null && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: args } = parseArgs({
    options: {
      runs: { type: 'string', default: '15' },
      dist: { type: 'string' },
      compare: { type: 'string' },
    },
  });
  const runs = Number(args.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a whole number ≥ 1');
  const server = await startServer();
  try {
    const startup = await runStartup({
      base: server.base,
      dist: resolve(args.dist ?? `${repo}/dist`),
      altDist: args.compare != null ? resolve(args.compare) : undefined,
      runs,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    console.log(startupTable(startup));
    for (const goal of startupGoals(startup)) {
      console.log(
        `${goal.met ? 'met' : 'NOT met'}: ${goal.goal}: ${fmt(goal.value, 2)}× ${goal.vs} (A/A ${fmt(goal.noise, 2)})`,
      );
    }
  } finally {
    await server.stop();
  }
}
