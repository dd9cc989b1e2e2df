import { describe, expect, it } from 'vitest';
import type { LLMUsage } from '../spec/index.js';
import { AccessLog, accessLine } from './access-log.js';
import { Exchange } from './exchange.js';
import { ALLOW_ALL } from './model-globs.js';

function exchanges(): Exchange[] {
  const plain = new Exchange('req-1');
  const full = new Exchange('9f1c2d3e-aaaa-bbbb-cccc-000000000000');
  full.client = { name: 'web "team"\n', models: ALLOW_ALL, limited: false };
  full.route = 'chat';
  full.requested = 'OpenAI/gpt-4o-mini';
  full.answered = 'OpenAI/gpt-4o-mini\u2028';
  full.status = 200;
  full.stream = true;
  full.ttfbMs = 1.23456;
  full.bytesIn = 120;
  full.bytesOut = 4567;
  full.attempts = 2;
  full.usage = { promptTokens: 12, completionTokens: 30, totalTokens: 42 } as LLMUsage;
  full.warnings = ['a "quoted" warning'];
  full.debugBody = { messages: [{ role: 'user', content: 'é\\"' }] };
  const failed = new Exchange('req-3');
  failed.status = 499;
  failed.stream = true;
  failed.errorCode = 'client_closed_request';
  failed.libraryCode = 'ABORTED';
  failed.warnings = [];
  return [plain, full, failed];
}

describe('access-log lines', () => {
  it('the text written is the JSON of accessLine, key for key in the same order, one line', () => {
    for (const exchange of exchanges()) {
      for (const remote of [undefined, '::1']) {
        const writes: string[] = [];
        const log = new AccessLog((text) => writes.push(text));
        log.write(exchange, 'POST', '/v1/chat/"x"', remote);
        log.flush();
        const text = writes.join('');
        expect(text.endsWith('}\n')).toBe(true);
        expect(text.slice(0, -1)).not.toContain('\n');
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const expected = accessLine(exchange, 'POST', '/v1/chat/"x"', remote);
        // latencyMs moves with the clock between the two calls.
        expect({ ...parsed, latencyMs: 0 }).toEqual({ ...expected, latencyMs: 0 });
        expect(Object.keys(parsed)).toEqual(Object.keys(expected));
      }
    }
  });

  it('the time is the start as an ISO 8601 UTC date-time, to the millisecond', () => {
    for (const startedAt of [
      Date.UTC(2026, 11, 3, 15, 4, 5, 7),
      Date.UTC(2026, 11, 3, 15, 4, 5, 70),
      Date.UTC(2026, 11, 3, 15, 4, 6, 999),
    ]) {
      const exchange = new Exchange('t');
      Object.assign(exchange, { startedAt });
      const line = accessLine(exchange, 'GET', '/health', undefined);
      expect(line.time).toBe(new Date(startedAt).toISOString());
    }
  });

  it('lines of one turn are written together; flush writes what is queued', () => {
    const writes: string[] = [];
    const log = new AccessLog((text) => writes.push(text));
    for (const exchange of exchanges()) log.write(exchange, 'GET', '/health', undefined);
    expect(writes).toEqual([]);
    log.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.trimEnd().split('\n')).toHaveLength(3);
  });
});
