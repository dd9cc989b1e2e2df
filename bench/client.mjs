// One benchmark client process: loads one client, runs one scenario (warm-up, then the measured
// requests), CHECKS every reply, and reports its measurements to bench/run.mjs over IPC (or prints
// them when run by hand: `node bench/client.mjs '<json>'`).
import { get } from 'node:http';
import {
  CHAT_TEXT,
  EMBED_DIMS,
  EMBED_INPUTS,
  EMBED_PROBES,
  EMBED_VECTORS,
  RETRY_MARKER,
  STREAM_CHUNKS,
  STREAM_TEXT,
} from './payloads.mjs';

const config = JSON.parse(process.argv[2]);

class CheckError extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckError(message);
}

function checkChat(reply, expectedAttempts) {
  check(reply.text === CHAT_TEXT, `wrong text: ${JSON.stringify(String(reply.text).slice(0, 80))}`);
  if (reply.attempts !== undefined) {
    check(
      reply.attempts === expectedAttempts,
      `expected ${expectedAttempts} attempts, the client reports ${reply.attempts}`,
    );
  }
}

function checkStream(reply) {
  check(reply.deltas === STREAM_CHUNKS, `expected ${STREAM_CHUNKS} text deltas, got ${reply.deltas}`);
  check(reply.text === STREAM_TEXT, 'streamed text differs from the served text');
  check(
    reply.outputTokens === STREAM_CHUNKS,
    `usage: expected ${STREAM_CHUNKS} output tokens, got ${reply.outputTokens}`,
  );
  check(reply.firstAt > 0, 'no time of first token');
}

function checkEmbed(vectors) {
  check(vectors.length === EMBED_INPUTS, `expected ${EMBED_INPUTS} vectors, got ${vectors.length}`);
  for (let v = 0; v < EMBED_INPUTS; v++) {
    const vector = vectors[v];
    check(vector != null && vector.length === EMBED_DIMS, `vector ${v}: expected ${EMBED_DIMS} dims`);
    const expected = EMBED_VECTORS[v];
    for (const p of EMBED_PROBES)
      check(vector[p] === expected[p], `vector ${v}[${p}] = ${vector[p]}, want ${expected[p]}`);
  }
}

function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function main() {
  const { base, scenario, op, n, warmup, concurrency, runId } = config;
  const loadStart = performance.now();
  const { create } = await import(`./clients/${config.module}.mjs`);
  const client = await create({ base, variant: config.variant, dist: config.dist, op });
  const loadMs = performance.now() - loadStart;
  if (typeof client[op === 'retry' ? 'chat' : op] !== 'function') {
    throw new CheckError(`client ${config.label} has no ${op}`);
  }

  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const memory = process.memoryUsage();
    if (memory.rss > peakRss) peakRss = memory.rss;
    if (memory.heapUsed > peakHeap) peakHeap = memory.heapUsed;
  };
  sample();
  const sampler = setInterval(sample, 10);

  const isStream = op === 'stream' || op === 'geminiStream' || op === 'anthropicStream';
  const runOne = async (index) => {
    switch (op) {
      case 'chat':
        return checkChat(await client.chat(`Tell me about a made-up holiday (${index}).`), 1);
      case 'retry':
        return checkChat(
          await client.chat(`Tell me about a made-up holiday. ${RETRY_MARKER}${runId}:${index}`),
          2,
        );
      case 'geminiChat':
        return checkChat(await client.geminiChat(`Tell me about a made-up holiday (${index}).`), 1);
      case 'anthropicChat':
        return checkChat(await client.anthropicChat(`Tell me about a made-up holiday (${index}).`), 1);
      case 'embed':
        return checkEmbed(await client.embed());
      case 'stream':
      case 'geminiStream':
      case 'anthropicStream': {
        const started = performance.now();
        const reply = await client[op](`Tell me a story (${index}).`);
        checkStream(reply);
        return reply.firstAt - started;
      }
      default:
        throw new CheckError(`unknown op ${op}`);
    }
  };

  const latencies = new Float64Array(n);
  const ttfts = isStream ? new Float64Array(n) : undefined;
  const runPhase = async (count, offset, measure) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const started = performance.now();
        const ttft = await runOne(offset + index);
        if (measure) {
          latencies[index] = performance.now() - started;
          if (ttfts !== undefined) ttfts[index] = ttft;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  };

  await runPhase(warmup, 0, false);
  const windowStartUs = Number(process.hrtime.bigint() / 1000n);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await runPhase(n, warmup, true);
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const windowEndUs = Number(process.hrtime.bigint() / 1000n);
  clearInterval(sampler);
  sample();
  await client.close();

  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const cpuUsPerReq = (cpu.user + cpu.system) / n;
  const result = {
    ok: true,
    label: config.label,
    scenario,
    version: client.version,
    n,
    concurrency,
    wallMs,
    reqPerSec: (n * 1000) / wallMs,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    cpuUsPerReq,
    cpuUserUsPerReq: cpu.user / n,
    peakRssMB: peakRss / 2 ** 20,
    peakHeapMB: peakHeap / 2 ** 20,
    loadMs,
    // The measured phase on the monotonic clock (µs), for cutting a --cpu-prof profile to it.
    windowUs: [windowStartUs, windowEndUs],
  };
  if (ttfts !== undefined) {
    result.ttftP50Ms = percentile(
      Array.from(ttfts).sort((a, b) => a - b),
      0.5,
    );
    result.cpuUsPerChunk = cpuUsPerReq / STREAM_CHUNKS;
    result.kChunksPerSec = (n * STREAM_CHUNKS) / wallMs;
  }
  if (op === 'retry') {
    // Every request (warm-up included) must have reached the server exactly twice: 429, then 200.
    const report = await getJson(`${base}/__attempts?prefix=${encodeURIComponent(`${runId}:`)}`);
    const total = warmup + n;
    check(report.ids === total, `the server saw ${report.ids} retry ids, expected ${total}`);
    result.attemptsPerReq = report.attempts / report.ids;
    result.retried = report.histogram[2] === total;
    check(
      result.retried,
      `attempts per request on the server: ${JSON.stringify(report.histogram)} (want all 2)`,
    );
  }
  return result;
}

function report(result) {
  if (process.send != null) process.send(result, () => process.exit(0));
  else {
    console.log(JSON.stringify(result, null, 2));
    process.exit(result.ok ? 0 : 1);
  }
}

main().then(report, (error) => {
  report({
    ok: false,
    label: config.label,
    scenario: config.scenario,
    error: `${error instanceof CheckError ? 'CHECK FAILED: ' : ''}${error?.stack ?? error}`,
  });
});
