import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import { keyIdOf } from '../util/key-id.js';
import type { PipelineLogger } from './logging.js';
import { harness } from './test-support/harness.js';
import { scriptedTransport, testRequest } from './test-support/scripted-transport.js';

function recorder(requestLog: boolean) {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  let built = 0;
  const logger: PipelineLogger = {
    info: (obj, msg) =>
      lines.push({ level: 'info', obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) }),
    warn: (obj, msg) =>
      lines.push({ level: 'warn', obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) }),
    isEnabled: () => true,
    isRequestLogEnabled: () => requestLog,
    logResponse: (attempt, response, request) => {
      built++;
      lines.push({ level: 'debug', obj: { attempt, response, request } });
    },
  };
  return { logger, lines, built: () => built };
}

describe('logging middleware', () => {
  it('writes one info line per call outcome with attempts, duration and key id', async () => {
    const { logger, lines } = recorder(false);
    let n = 0;
    const transport = scriptedTransport(() =>
      n++ === 0 ? new LLMError('API_SERVER_ERROR', 'boom', { status: 500 }) : {},
    );
    const { pipeline } = harness({ transport, logger, clock: new ManualClock(0, true) });
    await pipeline(testRequest());
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'LLM call succeeded',
        obj: {
          provider: 'OpenAI',
          model: 'OpenAI/test-model',
          operation: 'chat',
          status: 200,
          attempts: 2,
          durationMs: 500,
          keyId: keyIdOf('test-key-0002'),
        },
      },
    ]);
    const failing = harness({
      transport: scriptedTransport(() => new LLMError('INVALID_PARAMETER', 'bad input', { status: 400 })),
      logger,
      clock: new ManualClock(0, true),
    });
    await failing.pipeline(testRequest()).catch(() => {});
    expect(lines[1]).toMatchObject({
      level: 'info',
      msg: 'LLM call failed',
      obj: { code: 'INVALID_PARAMETER', status: 400, attempts: 1, keyId: keyIdOf('test-key-0001') },
    });
  });

  it('logs one debug line per attempt only with debugLog and debug enabled; nothing is built otherwise', async () => {
    for (const [debugLog, enabled, expected] of [
      [true, true, 2],
      [true, false, 0],
      [false, true, 0],
    ] as const) {
      const { logger, built, lines } = recorder(enabled);
      let n = 0;
      const transport = scriptedTransport(() => (n++ === 0 ? new LLMError('API_RESPONSE_INVALID', 'x') : {}));
      const { pipeline } = harness({ transport, logger, debugLog, clock: new ManualClock(0, true) });
      await pipeline(
        testRequest({ headers: { 'content-type': 'application/json', Authorization: 'Bearer mine' } }),
      );
      expect(built()).toBe(expected);
      if (expected > 0) {
        const debug = lines.filter((line) => line.level === 'debug');
        expect(debug[0]!.obj).toMatchObject({
          attempt: { attempt: 1, keyId: keyIdOf('test-key-0001') },
          response: { error: expect.objectContaining({ code: 'API_RESPONSE_INVALID' }) },
          request: { method: 'POST', headers: { Authorization: '[REDACTED]' } },
        });
        expect(debug[1]!.obj).toMatchObject({ response: { status: 200, body: { ok: true } } });
      }
    }
  });
});
