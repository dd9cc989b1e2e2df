import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeProvider, type SseItem, startFakeProvider } from '../testing/index.js';
import {
  disposeGateway,
  eventually,
  type GatewayProcess,
  startGatewayProcess,
} from './test-support/gateway-process.js';

const TOKEN = 'gw-life-token-4d8e2f6a';
const KEYS = ['test-key-gw-life-0001', 'test-key-gw-life-0002'];
const cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

function config(fake: FakeProvider, gateway: object = {}): object {
  return {
    providers: [
      { name: 'OpenAI', apiType: 'openai', apiBase: fake.openaiBase, apiKeys: KEYS, models: ['gpt-4o-mini'] },
    ],
    retry: { maxRetries: 0 },
    gateway: { tokens: [{ name: 'main', token: TOKEN }], ...gateway },
  };
}

const chunk = (delta: object, finish: string | null = null) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/**
 * Streams `count` word deltas (then the finish chunk); `onClosed` runs when the fake stops: end or socket close,
 * with how many deltas it had produced.
 */
async function* words(count: number, onClosed?: (produced: number) => void): AsyncGenerator<SseItem> {
  let produced = 0;
  try {
    for (let i = 0; i < count; i++) {
      produced++;
      yield chunk(i === 0 ? { role: 'assistant', content: 'w0 ' } : { content: `w${i} ` });
    }
    yield chunk({}, 'stop');
  } finally {
    onClosed?.(produced);
  }
}

/** POSTs a stream request; resolves with the whole SSE text. `onFirstData` gets the request to cut it. */
function streamRequest(
  gateway: GatewayProcess,
  onFirstData?: (destroy: () => void) => void,
): Promise<{ status: number; text: string; firstDataAt?: number }> {
  const body = JSON.stringify({
    model: 'OpenAI/gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'go' }],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    let firstDataAt: number | undefined;
    const req = httpRequest(
      `${gateway.baseURL}/chat/completions`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        agent: false,
      },
      (res) => {
        res.on('data', (data: Buffer) => {
          text += data.toString();
          if (firstDataAt == null) {
            firstDataAt = performance.now();
            onFirstData?.(() => req.destroy());
          }
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, ...(firstDataAt != null ? { firstDataAt } : {}) }),
        );
        res.on('error', () =>
          resolve({ status: res.statusCode ?? 0, text, ...(firstDataAt != null ? { firstDataAt } : {}) }),
        );
      },
    );
    req.on('error', (error) =>
      onFirstData != null
        ? resolve({ status: 0, text, ...(firstDataAt != null ? { firstDataAt } : {}) })
        : reject(error),
    );
    req.end(body);
  });
}

describe('switchboard serve: client disconnects and SIGTERM', { timeout: 120_000 }, () => {
  it('a client that disconnects mid-stream aborts the upstream request (the fake sees its socket close)', async () => {
    const TOTAL = 1_000_000;
    let closedAt = 0;
    let producedAtClose = TOTAL;
    let closed: () => void = () => undefined;
    const fakeClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    // An endless stream (a delta every 20 ms: over 5 hours in all): only a closed socket ends it early.
    const fake = await startFakeProvider(() => ({
      sse: words(TOTAL, (produced) => {
        closedAt = performance.now();
        producedAtClose = produced;
        closed();
      }),
      eventDelayMs: 20,
    }));
    cleanup.push(() => fake.close());
    const gateway = await startGatewayProcess(config(fake));
    cleanup.push(() => disposeGateway(gateway));

    let cutAt = 0;
    const result = await streamRequest(gateway, (destroy) => {
      cutAt = performance.now();
      destroy();
    });
    expect(result.text).toContain('w0');
    // The upstream stream ends because the gateway closed its socket, long before its own end: no elapsed-time
    // bound (that would measure the machine); the time is printed.
    await fakeClosed;
    expect(producedAtClose).toBeLessThan(TOTAL);
    console.info(
      `disconnect → upstream socket closed in ${(closedAt - cutAt).toFixed(1)} ms, after ${producedAtClose} deltas`,
    );
    // The access log names the cut request.
    await eventually(() => gateway.accessLines().length > 0, 10_000, 'the access-log line');
    expect(gateway.accessLines().at(-1)).toMatchObject({
      status: 200,
      stream: true,
      error: 'client_closed_request',
    });
  });

  it('SIGTERM with 20 streams in flight: all complete, new connections are refused, exit 0, key state flushed', async () => {
    const fake = await startFakeProvider(() => ({ sse: words(30), eventDelayMs: 30 }));
    cleanup.push(() => fake.close());
    const gateway = await startGatewayProcess(config(fake));
    cleanup.push(() => disposeGateway(gateway));

    let started = 0;
    let allStarted: () => void = () => undefined;
    const whenStarted = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const streams = Array.from({ length: 20 }, () =>
      streamRequest(gateway, () => {
        if (++started === 20) allStarted();
      }),
    );
    await whenStarted;
    gateway.child.kill('SIGTERM');
    // Once the gateway says it is draining, its listener is closed.
    await eventually(() => gateway.stderr().includes('draining'), 10_000, 'the drain to start');
    const port = Number(new URL(gateway.url).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    const results = await Promise.all(streams);
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(result.text).toContain('"content":"w29 "');
    }
    expect(await gateway.exited).toBe(0);
    expect(gateway.stderr()).toContain('switchboard gateway: stopped');

    const state = JSON.parse(
      await readFile(join(gateway.dir, '.switchboard', 'switchboard.yaml.keys.json'), 'utf8'),
    ) as {
      providers: { OpenAI: Record<string, { successCount: number }> };
    };
    const successes = Object.values(state.providers.OpenAI).reduce((sum, key) => sum + key.successCount, 0);
    expect(successes).toBe(20);
    expect(gateway.accessLines().filter((line) => line.status === 200)).toHaveLength(20);
  });
});
