// The gateway benchmark: the same requests direct to a fake provider, through `switchboard serve`, through
// Portkey's gateway (@portkey-ai/gateway) and through a 24-line node:http proxy (the floor), side by side in
// one run. Measures the proxy process's CPU per request, added p50/p99 latency at concurrency 1 and 64,
// added time to first byte on streams, and peak RSS with 64 streams open. Medians over rounds; every
// reply is checked. See bench/README.md ("Gateway").
//
//   node bench/gateway.mjs [--rounds N] [--quick] [--targets a,b] [--budget] [--baseline DIR] [--out DIR]
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { CHAT_TEXT, STREAM_CHUNKS } from './payloads.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    targets: { type: 'string' },
    budget: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`node bench/gateway.mjs [options]
  --rounds N      rounds (default 5; 1 with --quick)
  --quick         small counts, 1 round (a smoke run)
  --targets a,b   only these besides direct (floor, switchboard, portkey)
  --budget        switchboard with a priced model and a token with budgetUsdPerDay (the budget path)
  --baseline DIR  also measure the switchboard built in DIR (DIR/dist/cli/main.js; DIR needs package.json
                  and node_modules) as target "baseline", to compare two builds in the same run
  --out DIR       where gateway.json and gateway.md go (default: bench/results)`);
  process.exit(0);
}

const ROUNDS = Number(args.rounds ?? (args.quick ? 1 : 5));
const COUNTS = args.quick
  ? { warmup: 300, sequential: 200, concurrent: 1000, streams: 40, openStreams: 64 }
  : { warmup: 2000, sequential: 1000, concurrent: 5000, streams: 200, openStreams: 64 };
const CONCURRENCY = 64;
const TOKEN = 'bench-gateway-token-9f3c2d1e';
const CLK_TCK = 100; // Linux user-space clock ticks per second (getconf CLK_TCK)

const GOALS = { cpuUs: 250, p50c1: 0.25, p99c1: 2, ttfb: 1, rssMb: 150 };

// ------------------------------------------------------------------------------------------------
// Processes

function forkWithPort(script, argv = []) {
  return new Promise((resolveStart, reject) => {
    const child = fork(here(script), argv, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit');
      resolveStart({ child, port });
    });
  });
}

function waitForPort(port, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  return new Promise((resolveWait, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolveWait();
      });
      socket.once('error', () => {
        if (Date.now() > until) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function stop(child) {
  return new Promise((done) => {
    if (child.exitCode != null || child.signalCode != null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function startSwitchboard(upstreamPort, root = repo) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const config = {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: `http://127.0.0.1:${upstreamPort}/v1`,
        apiKeys: ['bench-key-a-0000000001', 'bench-key-b-0000000002'],
        models: [
          args.budget
            ? { name: 'gpt-4o-mini', pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 } }
            : 'gpt-4o-mini',
        ],
      },
    ],
    gateway: { tokens: [{ name: 'bench', token: TOKEN, ...(args.budget ? { budgetUsdPerDay: 1e9 } : {}) }] },
  };
  writeFileSync(join(dir, 'switchboard.yaml'), JSON.stringify(config));
  // Access log on (the default): its lines go to a pipe this process drains.
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve', '--port', '0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWITCHBOARD_CONFIG: '' },
  });
  child.stdout.resume();
  const port = await new Promise((resolveStart, reject) => {
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(err);
      if (match != null) resolveStart(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`switchboard serve exited (${code}): ${err}`)));
  });
  child.removeAllListeners('exit');
  return { child, port, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function startPortkey() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [
      '--import',
      here('./portkey-node20-shim.mjs'),
      join(repo, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
      `--port=${port}`,
      '--headless',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  await waitForPort(port);
  return { child, port };
}

const TARGETS = {
  floor: async (upstreamPort) => ({ ...(await forkWithPort('./floor-proxy.mjs', [String(upstreamPort)])) }),
  switchboard: (upstreamPort) => startSwitchboard(upstreamPort),
  baseline: (upstreamPort) => startSwitchboard(upstreamPort, resolve(args.baseline)),
  portkey: startPortkey,
};

// ------------------------------------------------------------------------------------------------
// Requests

function requestFor(target, upstreamPort, stream, prompt = 'Tell me about Galaxy Day.') {
  const body = (model) =>
    JSON.stringify({
      model,
      messages: [{ role: 'user', content: prompt }],
      ...(stream ? { stream: true } : {}),
    });
  switch (target.name) {
    case 'direct':
      return {
        url: `http://127.0.0.1:${upstreamPort}/v1/chat/completions`,
        headers: { authorization: 'Bearer bench-key-a-0000000001', 'content-type': 'application/json' },
        body: body('gpt-4o-mini'),
      };
    case 'floor':
      return {
        url: `http://127.0.0.1:${target.port}/v1/chat/completions`,
        headers: { authorization: 'Bearer bench-key-a-0000000001', 'content-type': 'application/json' },
        body: body('gpt-4o-mini'),
      };
    case 'switchboard':
    case 'baseline':
      return {
        url: `http://127.0.0.1:${target.port}/v1/chat/completions`,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: body('OpenAI/gpt-4o-mini'),
      };
    case 'portkey':
      return {
        url: `http://127.0.0.1:${target.port}/v1/chat/completions`,
        headers: {
          authorization: 'Bearer bench-key-a-0000000001',
          'content-type': 'application/json',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `http://127.0.0.1:${upstreamPort}/v1`,
        },
        body: body('gpt-4o-mini'),
      };
    default:
      throw new Error(`unknown target ${target.name}`);
  }
}

/** One request; resolves with its latency and time to first byte (ms). Throws when the reply is wrong. */
async function once(dispatcher, spec, stream) {
  const started = performance.now();
  const answer = await request(spec.url, {
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
    dispatcher,
  });
  let firstByte;
  let text = '';
  for await (const chunk of answer.body) {
    firstByte ??= performance.now();
    text += chunk;
  }
  const ended = performance.now();
  if (answer.statusCode !== 200) throw new Error(`HTTP ${answer.statusCode}: ${text.slice(0, 200)}`);
  if (stream) {
    const frames = text
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]');
    if (!text.trimEnd().endsWith('data: [DONE]')) throw new Error('stream without [DONE]');
    const deltas = frames.filter((frame) => frame.includes('"content":"') && !frame.includes('"content":""'));
    if (deltas.length < STREAM_CHUNKS && !spec.body.includes('slow-stream'))
      throw new Error(`stream with ${deltas.length} deltas`);
  } else if (!text.includes(CHAT_TEXT.slice(0, 40))) throw new Error('wrong answer');
  return { latency: ended - started, ttfb: (firstByte ?? ended) - started };
}

async function run(count, concurrency, make, dispatcher, stream) {
  const latencies = [];
  const ttfbs = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const { latency, ttfb } = await once(dispatcher, make(), stream);
      latencies.push(latency);
      ttfbs.push(ttfb);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, ttfbs };
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => quantile(values, 0.5);

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Every measure of one target in one round. */
async function measure(target, upstreamPort) {
  const dispatcher = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 60_000, pipelining: 1 });
  const chat = () => requestFor(target, upstreamPort, false);
  const stream = () => requestFor(target, upstreamPort, true);
  try {
    await run(COUNTS.warmup, CONCURRENCY, chat, dispatcher, false);
    await run(Math.ceil(COUNTS.warmup / 10), 4, stream, dispatcher, true);
    const seq = await run(COUNTS.sequential, 1, chat, dispatcher, false);
    const pid = target.child?.pid;
    const before = pid != null ? cpuTicks(pid) : 0;
    const conc = await run(COUNTS.concurrent, CONCURRENCY, chat, dispatcher, false);
    const after = pid != null ? cpuTicks(pid) : 0;
    const streams = await run(COUNTS.streams, 1, stream, dispatcher, true);
    let peak = 0;
    if (pid != null) {
      const slow = () => requestFor(target, upstreamPort, true, 'slow-stream please');
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(pid));
      }, 50);
      await run(COUNTS.openStreams, COUNTS.openStreams, slow, dispatcher, true);
      clearInterval(sampler);
    }
    return {
      ok: true,
      cpuUs: pid != null ? (((after - before) / CLK_TCK) * 1e6) / COUNTS.concurrent : undefined,
      p50c1: median(seq.latencies),
      p99c1: quantile(seq.latencies, 0.99),
      p50c64: median(conc.latencies),
      p99c64: quantile(conc.latencies, 0.99),
      ttfb: median(streams.ttfbs),
      rssMb: pid != null ? peak : undefined,
    };
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  } finally {
    await dispatcher.close();
  }
}

// ------------------------------------------------------------------------------------------------
// Rounds

const names = ['floor', 'switchboard', 'portkey']
  .filter((name) => args.targets == null || args.targets.split(',').includes(name))
  .concat(args.baseline != null ? ['baseline'] : []);
const upstream = await forkWithPort('./gateway-upstream.mjs');
const rounds = [];
try {
  // This process's own warm-up (JIT of the client): a direct run that is not recorded.
  await measure({ name: 'direct' }, upstream.port);
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    const results = {};
    results.direct = await measure({ name: 'direct' }, upstream.port);
    for (const name of order) {
      const started = await TARGETS[name](upstream.port);
      try {
        results[name] = await measure({ name, ...started }, upstream.port);
      } finally {
        await stop(started.child);
        started.cleanup?.();
      }
    }
    results['direct#2'] = await measure({ name: 'direct' }, upstream.port);
    rounds.push(results);
    console.error(`round ${round + 1}/${ROUNDS}: ${JSON.stringify(results)}`);
  }
} finally {
  await stop(upstream.child);
}

// ------------------------------------------------------------------------------------------------
// Report: per-round differences against direct (same round), then medians over rounds.

const labels = ['direct', ...names, 'direct#2'];
const okRounds = (label) => rounds.filter((round) => round[label]?.ok && round.direct?.ok);
const med = (label, pick) => {
  const values = okRounds(label)
    .map(pick)
    .filter((value) => value != null && Number.isFinite(value));
  return values.length > 0 ? median(values) : undefined;
};
const summary = {};
for (const label of labels) {
  const failed = rounds.find((round) => !round[label]?.ok);
  summary[label] = {
    failed: failed?.[label]?.error,
    cpuUs: med(label, (round) => round[label].cpuUs),
    p50c1: med(label, (round) => round[label].p50c1 - round.direct.p50c1),
    p99c1: med(label, (round) => round[label].p99c1 - round.direct.p99c1),
    p50c64: med(label, (round) => round[label].p50c64 - round.direct.p50c64),
    p99c64: med(label, (round) => round[label].p99c64 - round.direct.p99c64),
    ttfb: med(label, (round) => round[label].ttfb - round.direct.ttfb),
    rssMb: med(label, (round) => round[label].rssMb),
    abs: {
      p50c1: med(label, (round) => round[label].p50c1),
      p50c64: med(label, (round) => round[label].p50c64),
      ttfb: med(label, (round) => round[label].ttfb),
    },
  };
}

const fmt = (value, digits = 2, sign = false) =>
  value == null ? '–' : `${sign && value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
const ratio = (a, b) => (a == null || b == null || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
const rows = [
  ['proxy CPU per request (µs)', 'cpuUs', 0, false, `≤ ${GOALS.cpuUs}`],
  ['added p50, concurrency 1 (ms)', 'p50c1', 3, true, `≤ +${GOALS.p50c1}`],
  ['added p99, concurrency 1 (ms)', 'p99c1', 3, true, `≤ +${GOALS.p99c1}`],
  ['added p50, concurrency 64 (ms)', 'p50c64', 2, true, ''],
  ['added p99, concurrency 64 (ms)', 'p99c64', 2, true, ''],
  ['added time to first byte, stream (ms)', 'ttfb', 3, true, `≤ +${GOALS.ttfb}`],
  ['peak RSS, 64 open streams (MB)', 'rssMb', 0, false, `≤ ${GOALS.rssMb}`],
];
const shown = [...names, 'direct#2'];
const header = `| measure | ${shown.join(' | ')} | goal (switchboard) | switchboard ÷ portkey | switchboard ÷ floor |`;
const lines = [
  `# Gateway benchmark (${new Date().toISOString()})`,
  '',
  `${ROUNDS} round(s), medians of per-round values; latency rows are differences from direct in the same round.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
  `Requests per round and target: ${COUNTS.concurrent} at concurrency ${CONCURRENCY} (CPU), ${COUNTS.sequential} sequential, ${COUNTS.streams} streams of ${STREAM_CHUNKS} chunks, ${COUNTS.openStreams} paced streams open at once.`,
  `direct p50: ${fmt(summary.direct.abs.p50c1, 3)} ms (c=1), ${fmt(summary.direct.abs.p50c64, 2)} ms (c=64); direct TTFB ${fmt(summary.direct.abs.ttfb, 3)} ms. direct#2 is direct measured again at the end of each round: its distance from 0 is the noise.`,
  '',
  header,
  `|${' --- |'.repeat(shown.length + 4)}`,
];
for (const [title, key, digits, sign, goal] of rows) {
  const cells = shown.map((label) =>
    summary[label].failed ? 'FAILED' : fmt(summary[label][key], digits, sign),
  );
  const sw = summary.switchboard?.[key];
  const pk = summary.portkey?.[key];
  const fl = summary.floor?.[key];
  const over = (a, b) =>
    key === 'cpuUs' || key === 'rssMb'
      ? ratio(a, b)
      : a == null || b == null
        ? '–'
        : `${fmt(a - b, digits, true)} ms`;
  lines.push(`| ${title} | ${cells.join(' | ')} | ${goal} | ${over(sw, pk)} | ${over(sw, fl)} |`);
}
for (const label of shown)
  if (summary[label].failed) lines.push('', `${label} FAILED: ${summary[label].failed}`);
const sw = summary.switchboard;
if (sw != null && !sw.failed) {
  const checks = [
    ['CPU', sw.cpuUs != null && sw.cpuUs <= GOALS.cpuUs],
    ['p50 c=1', sw.p50c1 != null && sw.p50c1 <= GOALS.p50c1],
    ['p99 c=1', sw.p99c1 != null && sw.p99c1 <= GOALS.p99c1],
    ['TTFB', sw.ttfb != null && sw.ttfb <= GOALS.ttfb],
    ['RSS', sw.rssMb != null && sw.rssMb <= GOALS.rssMb],
  ];
  const pk = summary.portkey;
  if (pk != null && !pk.failed) {
    for (const [title, key] of rows.map(([t, k]) => [t, k])) {
      if (sw[key] != null && pk[key] != null) checks.push([`below Portkey: ${title}`, sw[key] < pk[key]]);
    }
  }
  lines.push('', `Goals: ${checks.map(([name, ok]) => `${name} ${ok ? 'met' : 'MISSED'}`).join('; ')}.`);
}
const markdown = lines.join('\n');
console.log(markdown);
const outDir = resolve(args.out ?? join(repo, 'bench/results'));
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'gateway.md'), `${markdown}\n`);
writeFileSync(join(outDir, 'gateway.json'), JSON.stringify({ counts: COUNTS, rounds, summary }, null, 2));
