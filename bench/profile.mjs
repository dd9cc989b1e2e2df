// CPU profile of one bench client on one scenario, cut to the measured phase (after warm-up):
//
//   node bench/profile.mjs --client switchboard --scenario stream [--dist DIR] [--n N] [--top 25]
//                          [--interval 250] [--out DIR]
//
// Runs the fake server, runs the client under `node --cpu-prof`, then prints self time by area (node
// internals, undici, switchboard files, GC, …), the top functions by self time, and switchboard's
// functions by inclusive time. The .cpuprofile is kept in --out (default bench/results/profiles) for
// Chrome DevTools or speedscope.
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runClient, startServer } from './harness.mjs';
import { CLIENTS, SCENARIOS } from './scenarios.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    client: { type: 'string', default: 'switchboard' },
    scenario: { type: 'string', default: 'chat-seq' },
    dist: { type: 'string' },
    n: { type: 'string' },
    top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '250' },
    out: { type: 'string' },
  },
});

const scenario = SCENARIOS.find((entry) => entry.name === args.scenario);
if (scenario == null) throw new Error(`unknown scenario ${args.scenario}`);
const spec = CLIENTS[args.client];
if (spec == null) throw new Error(`unknown client ${args.client}`);
const dist = resolve(args.dist ?? `${repo}/dist`);
const outDir = resolve(args.out ?? `${repo}/bench/results/profiles`);
mkdirSync(outDir, { recursive: true });
const name = `${args.client.replace(/[^a-z0-9-]/gi, '_')}-${scenario.name}-${Date.now()}`;

const server = await startServer();
let result;
try {
  result = await runClient(
    {
      label: args.client,
      module: spec.module,
      variant: spec.variant,
      dist,
      base: server.base,
      scenario: scenario.name,
      op: scenario.op,
      n: Number(args.n ?? scenario.n),
      warmup: scenario.warmup,
      concurrency: scenario.concurrency,
      runId: `profile-${process.pid}`,
    },
    { execArgv: ['--cpu-prof', `--cpu-prof-dir=${outDir}/${name}`, `--cpu-prof-interval=${args.interval}`] },
  );
} finally {
  await server.stop();
}
if (!result.ok) throw new Error(`the client failed: ${result.error}`);
const file = readdirSync(`${outDir}/${name}`).find((entry) => entry.endsWith('.cpuprofile'));
const profilePath = `${outDir}/${name}.cpuprofile`;
renameSync(`${outDir}/${name}/${file}`, profilePath);

const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

function area(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 3).join('/')}`;
  const distAt = url.indexOf('/dist/');
  if (url.includes(dist) || (distAt !== -1 && !url.includes('node_modules'))) {
    return `switchboard:${url.slice(distAt + 6).split('/')[0]}`;
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/bench/')) return 'bench';
  return url;
}

function keyOf(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.includes('/dist/')
    ? url.slice(url.indexOf('/dist/') + 1)
    : url.replace(/^.*node_modules\//, '');
  return `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`;
}

const [from, to] = result.windowUs;
let time = profile.startTime;
const self = new Map();
const inclusive = new Map();
const areas = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  time += profile.timeDeltas[i];
  if (time < from || time > to) continue;
  const delta = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i];
  const node = nodes.get(profile.samples[i]);
  if (node.callFrame.functionName === '(idle)') continue;
  total += delta;
  const key = keyOf(node);
  self.set(key, (self.get(key) ?? 0) + delta);
  const where = area(node.callFrame.url, node.callFrame.functionName);
  areas.set(where, (areas.get(where) ?? 0) + delta);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const ancestor = nodes.get(id);
    if (!ancestor.callFrame.url.includes('/dist/') || ancestor.callFrame.url.includes('node_modules'))
      continue;
    const ancestorKey = keyOf(ancestor);
    if (seen.has(ancestorKey)) continue;
    seen.add(ancestorKey);
    inclusive.set(ancestorKey, (inclusive.get(ancestorKey) ?? 0) + delta);
  }
}

const top = Number(args.top);
const ms = (us) => (us / 1000).toFixed(1).padStart(8);
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const perReq = (us) => `${(us / result.n).toFixed(1).padStart(8)} µs/req`;
const print = (title, map, limit) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${ms(us)} ms ${pct(us)} ${perReq(us)}  ${key}`);
  }
};
console.log(
  `${args.client} / ${scenario.name}: ${result.n} req, ${result.cpuUsPerReq.toFixed(1)} µs CPU/req (process.cpuUsage, ` +
    `all threads); main-thread profile of the measured phase: ${(total / 1000).toFixed(0)} ms busy = ` +
    `${(total / result.n).toFixed(1)} µs/req. Profile: ${profilePath}`,
);
print('Self time by area', areas, 40);
print(`Top ${top} functions by self time`, self, top);
print(`switchboard functions by inclusive time (top ${top})`, inclusive, top);
