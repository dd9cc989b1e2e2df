import { connect } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, type Reply, startFakeProvider } from '../testing/index.js';
import { disposeGateway, type GatewayProcess, startGatewayProcess } from './test-support/gateway-process.js';

// Abuse and load against `switchboard serve` in a child process. Assertions are on outcomes and memory,
// never on durations.

const TOKEN = 'gw-abuse-token-2b7d9f0c';
const KEYS = ['test-key-gw-abuse-0001', 'test-key-gw-abuse-0002'];
const MB = 1024 * 1024;

let fake: FakeProvider;
let gateway: GatewayProcess;

/** Deterministic faults for 10 % of the requests: 500s, 503s with retry-after 0, resets, cut streams. */
function faultOf(index: number, stream: boolean): Reply | undefined {
  const slot = (index * 7919) % 100;
  if (slot >= 10) return undefined;
  if (stream && slot < 3)
    return { sse: [{ choices: [{ index: 0, delta: { content: 'cut' } }] }], cutAfter: 1 };
  if (slot < 5) return { json: { error: { message: 'boom', type: 'server_error' } }, status: 500 };
  if (slot < 8) return { json: { error: { message: 'busy' } }, status: 503, headers: { 'retry-after': '0' } };
  return { reset: true };
}

beforeAll(async () => {
  fake = await startFakeProvider((recorded, context) => {
    const stream = (recorded.body as { stream?: boolean } | undefined)?.stream === true;
    return faultOf(context.index, stream);
  });
  gateway = await startGatewayProcess(
    {
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: KEYS,
          models: ['gpt-4o-mini'],
        },
      ],
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 },
      gateway: { headersTimeoutMs: 2000, tokens: [{ name: 'load', token: TOKEN }], accessLog: false },
    },
    { inspect: true },
  );
}, 60_000);

afterAll(async () => {
  const output = `${gateway?.stdout() ?? ''}${gateway?.stderr() ?? ''}`;
  await disposeGateway(gateway);
  await fake?.close();
  for (const secret of [TOKEN, ...KEYS]) expect(output).not.toContain(secret);
});

/** Sends `size` bytes of body (declared, or chunked) and resolves with the status line the gateway answered. */
function hugeBody(size: number, chunked: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (data) => {
      answer += data.toString();
    });
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
    const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`;
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n${framing}\r\nConnection: close\r\n\r\n`,
    );
    const piece = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const data = chunked
          ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
          : piece;
        sent += piece.length;
        if (!socket.write(data)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (chunked) socket.end('0\r\n\r\n');
      else socket.end();
    };
    pump();
  });
}

describe('switchboard serve under abuse', { timeout: 300_000 }, () => {
  it('a 50 MB body gets 413 without being buffered (declared and chunked)', async () => {
    // Memory is read after a full collection (through the process's inspector): what the gateway holds, not
    // the garbage the discarded chunks leave until the next collection.
    expect(await hugeBody(50 * MB, false)).toBe('HTTP/1.1 413 Payload Too Large');
    const before = await gateway.collectedMemory();
    for (const chunked of [false, true, false, true]) {
      expect(await hugeBody(50 * MB, chunked)).toBe('HTTP/1.1 413 Payload Too Large');
    }
    const after = await gateway.collectedMemory();
    // 200 MB went through; a gateway that buffered even one body would hold 50 MB more (heap or array
    // buffers). RSS is printed, not asserted: on a busy machine the allocator keeps freed pages for a while.
    console.info(
      `after four more 50 MB bodies: RSS ${(before.rss / MB).toFixed(1)} → ${(after.rss / MB).toFixed(1)} MB, held by JS ${(before.held / MB).toFixed(1)} → ${(after.held / MB).toFixed(1)} MB`,
    );
    expect(after.held - before.held).toBeLessThan(20 * MB);
  });

  it('a client sending its headers one byte per second is cut off', async () => {
    const result = await new Promise<{ sent: number; total: number }>((resolve) => {
      const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
      const head = `GET /health HTTP/1.1\r\nHost: x\r\nUser-Agent: ${'slow'.repeat(20)}\r\n\r\n`;
      let sent = 0;
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ sent, total: head.length });
      });
      const timer = setInterval(() => {
        if (sent < head.length && !socket.destroyed) socket.write(head[sent++] as string);
      }, 1000);
    });
    // 100 bytes at 1 byte/s would take 100 s; the gateway closed the connection first.
    expect(result.sent).toBeLessThan(result.total);
  });

  it('10,000 requests with 10 % upstream faults: each gets a success or an OpenAI-shaped error; RSS flat', async () => {
    const agent = new Agent({ connections: 32, pipelining: 1 });
    const outcomes = { ok: 0, error: 0, lost: 0, streams: 0 };
    const errorCodes = new Map<string, number>();
    const one = async (index: number): Promise<void> => {
      const stream = index % 10 === 0;
      if (stream) outcomes.streams++;
      try {
        const answer = await request(`${gateway.baseURL}/chat/completions`, {
          method: 'POST',
          dispatcher: agent,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'OpenAI/gpt-4o-mini',
            stream,
            messages: [{ role: 'user', content: `n${index}` }],
          }),
        });
        const text = await answer.body.text();
        if (answer.statusCode === 200 && !stream) {
          const body = JSON.parse(text) as { choices: { message: { content: string } }[] };
          if (body.choices[0]?.message.content === `echo: n${index}`) outcomes.ok++;
          else outcomes.lost++;
          return;
        }
        if (answer.statusCode === 200 && stream) {
          if (text.endsWith('data: [DONE]\n\n')) outcomes.ok++;
          else {
            const last = text.trimEnd().split('\n\n').at(-1) ?? '';
            const error = (JSON.parse(last.slice(6)) as { error?: { type?: string; code?: string } }).error;
            if (error?.type != null) {
              outcomes.error++;
              errorCodes.set(`stream:${error.code}`, (errorCodes.get(`stream:${error.code}`) ?? 0) + 1);
            } else outcomes.lost++;
          }
          return;
        }
        const error = (JSON.parse(text) as { error?: { type?: string; code?: string } }).error;
        if (error?.type != null && typeof error.code === 'string') {
          outcomes.error++;
          errorCodes.set(
            `${answer.statusCode}:${error.code}`,
            (errorCodes.get(`${answer.statusCode}:${error.code}`) ?? 0) + 1,
          );
        } else outcomes.lost++;
      } catch {
        outcomes.lost++;
      }
    };
    const runBatch = async (from: number, count: number) => {
      let next = from;
      const worker = async () => {
        while (next < from + count) await one(next++);
      };
      await Promise.all(Array.from({ length: 32 }, worker));
    };
    // Warm-up (JIT, connection pools), then memory every 1,000 requests, each read after a full collection
    // (through the process's inspector), so garbage waiting for the next collection does not count.
    await runBatch(0, 2000);
    const samples = [await gateway.collectedMemory()];
    for (let from = 2000; from < 10_000; from += 1000) {
      await runBatch(from, 1000);
      samples.push(await gateway.collectedMemory());
    }
    const rss = samples.map((sample) => sample.rss);
    const spread = Math.max(...rss) - Math.min(...rss);
    await agent.close();
    console.info(
      `10,000 requests: ${JSON.stringify(outcomes)}; errors ${JSON.stringify(Object.fromEntries(errorCodes))}; RSS ${rss.map((value) => (value / MB).toFixed(0)).join(' ')} MB, heap ${samples.map((sample) => (sample.heapUsed / MB).toFixed(0)).join(' ')} MB`,
    );
    expect(outcomes.lost).toBe(0);
    expect(outcomes.ok + outcomes.error).toBe(10_000);
    expect(outcomes.ok).toBeGreaterThan(9000);
    // Flat: every sample after the warm-up within 20 MB of the others.
    expect(spread).toBeLessThan(20 * MB);
  });
});
