// Aggregation and markdown of the benchmark: medians over rounds, and ×raw / +raw as the MEDIAN OF
// PER-ROUND ratios / differences against the `raw` client of the same round (perf-baseline.md).
import { CLIENTS } from './scenarios.mjs';

const ORDER = [
  'raw',
  'raw-b64',
  'openai',
  'anthropic',
  'vercel',
  'switchboard',
  'switchboard-float',
  'switchboard-otel',
  'switchboard-otel-off',
  'switchboard@alt',
  'switchboard-route',
  'switchboard#2',
  'switchboard-transport',
  'switchboard-transport+timer',
  'raw#2',
];

export function median(values) {
  const list = values
    .filter((value) => typeof value === 'number' && Number.isFinite(value))
    .sort((a, b) => a - b);
  if (list.length === 0) return undefined;
  const mid = list.length >> 1;
  return list.length % 2 === 1 ? list[mid] : (list[mid - 1] + list[mid]) / 2;
}

const METRICS = [
  'reqPerSec',
  'p50Ms',
  'p99Ms',
  'cpuUsPerReq',
  'peakRssMB',
  'peakHeapMB',
  'loadMs',
  'ttftP50Ms',
  'kChunksPerSec',
  'cpuUsPerChunk',
  'attemptsPerReq',
];

/** Per-label summary of one scenario: `rounds` is an array of `{ label → result }`. */
export function summarize(rounds) {
  const labels = ORDER.filter((label) => rounds.some((round) => round[label] !== undefined));
  const summary = {};
  for (const label of labels) {
    const results = rounds.map((round) => round[label]).filter((result) => result !== undefined);
    const failures = results.filter((result) => !result.ok);
    const entry = { rounds: results.length, failures: failures.length };
    if (failures.length > 0) {
      entry.error = failures[0].error;
      summary[label] = entry;
      continue;
    }
    for (const metric of METRICS) {
      const value = median(results.map((result) => result[metric]));
      if (value !== undefined) entry[metric] = value;
    }
    entry.retried = results.every((result) => result.retried !== false);
    entry.version = results[0]?.version;
    // Per-round comparisons with raw (and with openai) of the same round.
    const ratio = (other, metric) =>
      median(
        rounds.map((round) => {
          const mine = round[label];
          const theirs = round[other];
          return mine?.ok && theirs?.ok ? mine[metric] / theirs[metric] : undefined;
        }),
      );
    const diff = (other, metric) =>
      median(
        rounds.map((round) => {
          const mine = round[label];
          const theirs = round[other];
          return mine?.ok && theirs?.ok ? mine[metric] - theirs[metric] : undefined;
        }),
      );
    entry.cpuXRaw = ratio('raw', 'cpuUsPerReq');
    entry.cpuPlusRaw = diff('raw', 'cpuUsPerReq');
    entry.reqPerSecXRaw = ratio('raw', 'reqPerSec');
    if (entry.cpuUsPerChunk !== undefined) entry.cpuPerChunkPlusRaw = diff('raw', 'cpuUsPerChunk');
    entry.cpuXOpenai = ratio('openai', 'cpuUsPerReq');
    entry.cpuXAnthropic = ratio('anthropic', 'cpuUsPerReq');
    entry.cpuXVercel = ratio('vercel', 'cpuUsPerReq');
    // Telemetry overhead (API.md §16): against telemetry off, and off against the plain client (no provider).
    entry.cpuXOtelOff = ratio('switchboard-otel-off', 'cpuUsPerReq');
    entry.cpuXSwitchboard = label === 'switchboard' ? undefined : ratio('switchboard', 'cpuUsPerReq');
    entry.roundCpuXRaw = rounds.map((round) =>
      round[label]?.ok && round.raw?.ok ? round[label].cpuUsPerReq / round.raw.cpuUsPerReq : null,
    );
    summary[label] = entry;
  }
  return summary;
}

function fmt(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return '';
  return value.toFixed(digits);
}

function signed(value, digits = 0) {
  if (value === undefined) return '';
  const text = value.toFixed(digits);
  return value > 0 ? `+${text}` : text;
}

export function scenarioTable(scenario, summary, roundsCount, skipped) {
  const isStream = scenario.stream === true;
  const isRetry = scenario.op === 'retry';
  const head = [
    'client',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'CPU ×raw',
    'CPU µs +raw',
    'req/s ×raw',
    'peak RSS MB',
    'peak heap MB',
    'load ms',
  ];
  if (isStream) head.push('TTFT p50 ms', 'k chunks/s', 'CPU µs/chunk', 'µs/chunk +raw');
  if (isRetry) head.push('attempts/req', 'retried?');
  const isRoute = scenario.route === true;
  if (isRoute) head.push('CPU ×switchboard');
  const lines = [
    `### ${scenario.name}: ${scenario.title}; ${scenario.n} req @${scenario.concurrency} (median of ${roundsCount} rounds; ×raw and +raw = median of per-round ratio / difference)`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  const versions = [];
  for (const [label, entry] of Object.entries(summary)) {
    if (entry.failures > 0) {
      const reason = String(entry.error ?? '').split('\n')[0];
      lines.push(
        `| ${label} | FAILED in ${entry.failures}/${entry.rounds} rounds: ${reason.replace(/\|/g, '/')} |`,
      );
      continue;
    }
    const cells = [
      label,
      fmt(entry.reqPerSec, 0),
      fmt(entry.p50Ms, 3),
      fmt(entry.p99Ms, 3),
      fmt(entry.cpuUsPerReq, 1),
      fmt(entry.cpuXRaw, 2),
      signed(entry.cpuPlusRaw),
      fmt(entry.reqPerSecXRaw, 2),
      fmt(entry.peakRssMB, 0),
      fmt(entry.peakHeapMB, 0),
      fmt(entry.loadMs, 0),
    ];
    if (isStream) {
      cells.push(
        fmt(entry.ttftP50Ms, 3),
        fmt(entry.kChunksPerSec, 1),
        fmt(entry.cpuUsPerChunk, 2),
        signed(entry.cpuPerChunkPlusRaw, 2),
      );
    }
    if (isRetry) cells.push(fmt(entry.attemptsPerReq, 2), entry.retried ? 'yes' : 'NO');
    if (isRoute) cells.push(fmt(entry.cpuXSwitchboard, 3));
    lines.push(`| ${cells.join(' | ')} |`);
    const note = CLIENTS[label]?.note;
    versions.push(`${label} = ${entry.version}${note ? ` (${note})` : ''}`);
  }
  for (const label of skipped) {
    const why = scenario.anthropic ? 'no Anthropic dialect installed' : 'no Gemini dialect';
    lines.push(`| ${label} | skipped (${why}) |`);
  }
  const on = summary['switchboard-otel'];
  const off = summary['switchboard-otel-off'];
  if (on?.failures === 0 || off?.failures === 0) {
    lines.push(
      '',
      `Telemetry CPU/req (median of per-round ratios): on ÷ off = ${fmt(on?.cpuXOtelOff, 3)}×, ` +
        `on ÷ no provider = ${fmt(on?.cpuXSwitchboard, 3)}×, off ÷ no provider = ${fmt(off?.cpuXSwitchboard, 3)}×; ` +
        `A/A raw#2 ÷ raw = ${fmt(summary['raw#2']?.cpuXRaw, 3)}×.`,
    );
  }
  lines.push('', versions.join('; '), '');
  return lines.join('\n');
}

/** The goals of the benchmark, judged on switchboard's medians of per-round ratios. */
export function evaluateGoals(summaries) {
  const goals = [];
  const noise = (name) => summaries[name]?.['raw#2']?.cpuXRaw;
  const add = (name, goal, value, limit, extra = {}) => {
    if (summaries[name]?.[extra.label ?? 'switchboard'] === undefined) return;
    goals.push({
      scenario: name,
      goal,
      value,
      limit,
      noise: noise(name),
      met: value === undefined ? false : value <= limit,
      ...extra,
    });
  };
  const sb = (name, label = 'switchboard') => summaries[name]?.[label];
  for (const name of ['chat-seq', 'chat-conc', 'gemini-chat', 'anthropic-chat']) {
    add(name, 'CPU/req ≤ 1.5× raw', sb(name)?.cpuXRaw, 1.5);
  }
  for (const name of ['stream', 'gemini-stream', 'anthropic-stream']) {
    add(name, 'CPU/chunk ≤ 2.0× raw', sb(name)?.cpuXRaw, 2.0);
  }
  add(
    'embed',
    'CPU/req ≤ 1.0× raw (raw: float JSON; switchboard: default base64)',
    sb('embed')?.cpuXRaw,
    1.0,
  );
  if (sb('embed', 'switchboard-float') !== undefined) {
    add(
      'embed',
      "CPU/req ≤ 1.0× raw, switchboard with encodingFormat 'float' (same wire as raw)",
      sb('embed', 'switchboard-float')?.cpuXRaw,
      1.0,
      {
        label: 'switchboard-float',
      },
    );
  }
  add('retry', 'CPU/req ≤ 1.5× raw', sb('retry')?.cpuXRaw, 1.5);
  // A route adds its ordering and a loop: ≤ 5 % CPU over the same model called directly, in the same round.
  add(
    'route',
    'route CPU/req ≤ 1.05× the same model direct',
    sb('route', 'switchboard-route')?.cpuXSwitchboard,
    1.05,
    { label: 'switchboard-route', vs: 'switchboard', aa: sb('route', 'switchboard#2')?.cpuXSwitchboard },
  );
  for (const name of Object.keys(summaries)) {
    if (summaries[name].openai === undefined || sb(name) === undefined) continue;
    add(name, 'CPU/req below the openai SDK', sb(name)?.cpuXOpenai, 1.0, { vs: 'openai' });
    goals[goals.length - 1].met = (sb(name)?.cpuXOpenai ?? Number.POSITIVE_INFINITY) < 1.0;
  }
  for (const name of Object.keys(summaries)) {
    if (summaries[name].anthropic === undefined || sb(name) === undefined) continue;
    add(name, 'CPU/req below the Anthropic SDK', sb(name)?.cpuXAnthropic, 1.0, { vs: 'anthropic' });
    goals[goals.length - 1].met = (sb(name)?.cpuXAnthropic ?? Number.POSITIVE_INFINITY) < 1.0;
  }
  for (const name of Object.keys(summaries)) {
    const on = sb(name, 'switchboard-otel');
    if (on !== undefined && sb(name, 'switchboard-otel-off') !== undefined) {
      add(name, 'CPU/req with telemetry on ≤ 1.10× telemetry off', on.cpuXOtelOff, 1.1, {
        label: 'switchboard-otel',
        vs: 'off',
      });
    }
  }
  for (const goal of goals) {
    const entry = sb(goal.scenario, goal.label ?? 'switchboard');
    if (entry === undefined || entry.failures > 0) {
      goal.met = false;
      goal.failed = true;
    }
  }
  return goals;
}

export function goalsTable(goals) {
  const lines = [
    '### Goals (switchboard; median of per-round ratios)',
    '',
    '| scenario | goal | measured | A/A (raw#2 ×raw; route: switchboard#2 ×switchboard; startup: the baseline again) | met? |',
    '|---|---|---|---|---|',
  ];
  for (const goal of goals) {
    const measured = goal.failed ? 'FAILED' : `${fmt(goal.value, 2)}×${goal.vs ? ` ${goal.vs}` : ' raw'}`;
    lines.push(
      `| ${goal.scenario} | ${goal.goal} | ${measured} | ${fmt(goal.aa ?? goal.noise, 2)} | ${goal.met ? 'yes' : '**no**'} |`,
    );
  }
  const met = goals.filter((goal) => goal.met).length;
  lines.push('', `${met}/${goals.length} goals met.`, '');
  return lines.join('\n');
}
