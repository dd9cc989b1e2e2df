import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../spec/index.js';
import { createInternalLogger, type LogLevel, resolveDebugLog, silentLogger } from './internal-logger.js';
import { registerSecrets } from './secrets.js';
import {
  ALL_EXCHANGES,
  ALL_SECRETS,
  geminiGenerateExchange,
  openaiChatExchange,
  PNG_B64,
  REGISTERED_GEMINI_KEY,
  REGISTERED_OPENAI_KEY,
  SECRET_MIDDLES,
} from './test-support/fake-exchanges.js';

interface Line {
  level: LogLevel;
  args: unknown[];
}

function recordingLogger(extra: Partial<Logger> = {}): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: LogLevel) =>
    (...args: unknown[]) => {
      lines.push({ level, args });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), ...extra };
}

const everything = resolveDebugLog(true);
const attempt = {
  provider: 'OpenAI',
  model: 'OpenAI/gpt-4o-mini',
  operation: 'chat',
  attempt: 1,
  keyId: 'test…enai',
};

beforeAll(() => registerSecrets([REGISTERED_OPENAI_KEY, REGISTERED_GEMINI_KEY]));

describe('createInternalLogger: request/response logging', () => {
  it.each(Object.entries(ALL_EXCHANGES))(
    '%s: a whole exchange logged with debugLog: true contains no key, shortened payloads',
    (_name, make) => {
      const user = recordingLogger();
      const log = createInternalLogger(user, everything);
      const { request, response } = make();
      log.logRequest(attempt, request);
      log.logResponse(attempt, response, request);
      log.logResponse(
        { ...attempt, attempt: 2 },
        { durationMs: 5, error: new Error(`boom ${REGISTERED_OPENAI_KEY}`) },
      );
      expect(user.lines).toHaveLength(3);
      expect(user.lines.every((line) => line.level === 'debug')).toBe(true);
      const text = JSON.stringify(user.lines);
      for (const secret of [...ALL_SECRETS, ...SECRET_MIDDLES]) expect(text).not.toContain(secret);
      expect(text).not.toContain(PNG_B64.slice(0, 300));
      expect(text.length).toBeLessThan(20_000);
    },
  );

  it('one line per attempt carries method, masked URL, masked headers, sanitized body, status and duration', () => {
    const user = recordingLogger();
    const log = createInternalLogger(user, everything);
    const { request, response } = geminiGenerateExchange();
    log.logResponse({ ...attempt, provider: 'Gemini', model: 'Gemini/gemini-2.5-flash' }, response, request);
    const [line] = user.lines;
    const [obj, msg] = line!.args as [any, string];
    expect(msg).toBe(
      '← 200 POST https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?alt=json&key=[REDACTED] in 640 ms (Gemini/gemini-2.5-flash, attempt 1)',
    );
    expect(obj).toMatchObject({
      provider: 'Gemini',
      attempt: 1,
      keyId: 'test…enai',
      request: { method: 'POST', headers: { 'x-goog-api-key': '[REDACTED]' } },
      response: { status: 200, durationMs: 640 },
    });
    expect(obj.request.url).toContain('key=[REDACTED]');
    expect(obj.request.body.contents[0].parts[1].inlineData.data).toBe(
      `[base64 omitted, ${PNG_B64.length} chars]`,
    );
    expect(obj.response.body.candidates[0].finishReason).toBe('STOP');
  });

  it('applies the hide options of debugLog', () => {
    const user = recordingLogger();
    const log = createInternalLogger(
      user,
      resolveDebugLog({ showTools: false, showSchema: false, showSafety: false }),
    );
    const { request } = openaiChatExchange();
    log.logRequest(attempt, request);
    const body = (user.lines[0]!.args[0] as any).request.body;
    expect(body.tools).toBe('<2 tools hidden: get_weather, search_web>');
    expect(body.response_format.json_schema).toBe('<JSON Schema hidden>');
  });

  it('does not mutate the logged request and response', () => {
    const log = createInternalLogger(recordingLogger(), everything);
    const exchange = openaiChatExchange();
    const before = structuredClone(exchange);
    log.logRequest(attempt, exchange.request);
    log.logResponse(attempt, exchange.response, exchange.request);
    expect(exchange).toEqual(before);
  });

  it('writes nothing and reads nothing when debugLog is off, debug is off, or the logger is false', () => {
    const read = vi.fn(() => []);
    const body = {
      get messages() {
        return read();
      },
    };
    const request = { method: 'POST', url: 'https://x.test', body };
    const cases = [
      createInternalLogger(recordingLogger(), false),
      createInternalLogger(recordingLogger({ level: 'info' }), everything),
      createInternalLogger(recordingLogger({ isLevelEnabled: (level) => level !== 'debug' }), everything),
      createInternalLogger(false, everything),
    ];
    for (const log of cases) {
      expect(log.isRequestLogEnabled()).toBe(false);
      log.logRequest(attempt, request);
      log.logResponse(attempt, { status: 200, durationMs: 1, body }, request);
    }
    expect(read).not.toHaveBeenCalled();
    // Sanity: with debug on, the same body is read (so the spy can fail).
    createInternalLogger(recordingLogger({ level: 'debug' }), everything).logRequest(attempt, request);
    expect(read).toHaveBeenCalled();
  });
});

describe('createInternalLogger: levels and laziness', () => {
  it('never calls the thunk when the level is off or the logger is false', () => {
    const build = vi.fn(() => ({ big: 'x' }));
    createInternalLogger(false, everything).debugLazy(build, 'm');
    createInternalLogger(false, false).lazy('error', build, 'm');
    createInternalLogger(recordingLogger({ level: 'info' }), everything).debugLazy(build, 'm');
    createInternalLogger(recordingLogger({ level: 'silent' }), everything).lazy('error', build, 'm');
    createInternalLogger(recordingLogger({ isLevelEnabled: () => false }), false).lazy('warn', build, 'm');
    silentLogger.debugLazy(build, 'm');
    expect(build).not.toHaveBeenCalled();

    const user = recordingLogger({ level: 'debug' });
    createInternalLogger(user, false).debugLazy(build, 'm');
    expect(build).toHaveBeenCalledTimes(1);
    expect(user.lines).toEqual([{ level: 'debug', args: [{ big: 'x' }, 'm'] }]);
  });

  it('a pino-style logger with level info drops debug lines without building them, keeps info and above', () => {
    const user = recordingLogger({ level: 'info' });
    const log = createInternalLogger(user, everything);
    expect(log.isDebugEnabled()).toBe(false);
    expect(log.isEnabled('info')).toBe(true);
    expect(log.isEnabled('error')).toBe(true);
    log.debug({ a: 1 }, 'dropped');
    log.info({ a: 2 }, 'kept');
    log.warn('plain message');
    expect(user.lines).toEqual([
      { level: 'info', args: [{ a: 2 }, 'kept'] },
      { level: 'warn', args: ['plain message'] },
    ]);
  });

  it('follows a level changed at run time, and numeric pino levels', () => {
    const user = recordingLogger({ level: 'warn' });
    const log = createInternalLogger(user, false);
    expect(log.isEnabled('info')).toBe(false);
    user.level = 'debug';
    expect(log.isEnabled('debug')).toBe(true);
    const numeric = createInternalLogger({ ...recordingLogger(), level: 30 as unknown as string }, false);
    expect(numeric.isEnabled('debug')).toBe(false);
    expect(numeric.isEnabled('info')).toBe(true);
  });

  it('isLevelEnabled wins over level; loggers without either log everything; missing methods are off', () => {
    const log = createInternalLogger(recordingLogger({ level: 'error', isLevelEnabled: () => true }), false);
    expect(log.isDebugEnabled()).toBe(true);
    expect(createInternalLogger(recordingLogger(), false).isDebugEnabled()).toBe(true);
    const noDebug = { ...recordingLogger(), debug: undefined } as unknown as Logger;
    expect(createInternalLogger(noDebug, false).isDebugEnabled()).toBe(false);
  });

  it('sanitizes every object and message of ordinary lines', () => {
    const user = recordingLogger();
    const log = createInternalLogger(user, false);
    log.warn(
      { url: `https://x.test/?key=${REGISTERED_GEMINI_KEY}`, data: PNG_B64 },
      `retrying ${REGISTERED_OPENAI_KEY}`,
    );
    log.error(`failed: Bearer ${REGISTERED_OPENAI_KEY}, then Bearer unregistered-token`);
    expect(user.lines).toEqual([
      {
        level: 'warn',
        args: [
          { url: 'https://x.test/?key=[REDACTED]', data: `[base64 omitted, ${PNG_B64.length} chars]` },
          'retrying test…enai',
        ],
      },
      { level: 'error', args: ['failed: Bearer test…enai, then Bearer [REDACTED]'] },
    ]);
  });

  it('keeps the logger as `this` (pino methods need it)', () => {
    const seen: unknown[] = [];
    const pinoLike = {
      level: 'debug',
      prefix: 'P',
      debug(this: { prefix: string }, obj: unknown) {
        seen.push(this.prefix, obj);
      },
      info() {},
      warn() {},
      error() {},
    };
    createInternalLogger(pinoLike, false).debug({ a: 1 });
    expect(seen).toEqual(['P', { a: 1 }]);
  });
});

describe('createInternalLogger: never throws', () => {
  it('a throwing logger, level check, thunk or logged getter does not throw out', () => {
    const boom = () => {
      throw new Error('logger down');
    };
    const throwing: Logger = { debug: boom, info: boom, warn: boom, error: boom };
    const log = createInternalLogger(throwing, everything);
    const { request, response } = openaiChatExchange();
    expect(() => {
      log.debug({ a: 1 }, 'm');
      log.info('m');
      log.warn({}, 'm');
      log.error({}, 'm');
      log.debugLazy(() => ({}), 'm');
      log.logRequest(attempt, request);
      log.logResponse(attempt, response, request);
    }).not.toThrow();

    const badLevel = createInternalLogger(
      recordingLogger({
        isLevelEnabled: () => {
          throw new Error('x');
        },
      }),
      everything,
    );
    const hostile = {
      get field() {
        throw new Error('getter');
      },
    };
    expect(() => {
      badLevel.debug(hostile, 'm');
      badLevel.debugLazy(() => {
        throw new Error('thunk');
      }, 'm');
    }).not.toThrow();
  });
});

describe('resolveDebugLog', () => {
  it('maps config values to the options object', () => {
    expect(resolveDebugLog(undefined)).toBe(false);
    expect(resolveDebugLog(false)).toBe(false);
    expect(resolveDebugLog(true)).toEqual({ showTools: true, showSchema: true, showSafety: true });
    expect(resolveDebugLog({ showSafety: false })).toEqual({
      showTools: true,
      showSchema: true,
      showSafety: false,
    });
  });
});
