import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { Logger } from '../spec/index.js';
import {
  type FakeProvider,
  geminiErrorReply,
  openaiErrorReply,
  startFakeProvider,
} from '../testing/index.js';
import { createLLM, type LLM } from './llm.js';

// Keys that look like real ones (built at run time so the source holds no key-shaped literal).
const OPENAI_KEYS = [`sk-${'proj'}-${'A1b2C3d4'.repeat(5)}`, `sk-${'proj'}-${'Z9y8X7w6'.repeat(5)}`];
const GEMINI_KEYS = [`AIza${'Sy'}${'Q1w2E3r4T5'.repeat(3)}xyz`];
const SHORT_KEY = 'tiny-key-42';
const ALL_KEYS = [...OPENAI_KEYS, ...GEMINI_KEYS, SHORT_KEY];

const lines: string[] = [];
const recordingLogger: Logger = {
  debug: (obj, msg) => lines.push(JSON.stringify([obj, msg])),
  info: (obj, msg) => lines.push(JSON.stringify([obj, msg])),
  warn: (obj, msg) => lines.push(JSON.stringify([obj, msg])),
  error: (obj, msg) => lines.push(JSON.stringify([obj, msg])),
};

let fake: FakeProvider;
let llm: LLM;
let stateDir: string;
const errors: unknown[] = [];

beforeAll(async () => {
  fake = await startFakeProvider({ keys: { invalid: [OPENAI_KEYS[0] as string] } });
  stateDir = mkdtempSync(join(tmpdir(), 'sb-secrecy-'));
  llm = createLLM({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: OPENAI_KEYS,
        models: ['gpt-4o-mini'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.url,
        apiKeys: GEMINI_KEYS,
        models: ['gemini-2.5-flash'],
      },
      { name: 'Short', apiType: 'openai', apiBase: fake.openaiBase, apiKeys: [SHORT_KEY], models: ['m'] },
    ],
    logger: { ...recordingLogger, level: 'debug' },
    debugLog: true,
    keyStore: { type: 'file', path: join(stateDir, 'keys.json') },
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
});

afterAll(async () => {
  await fake.close();
});

describe('no key ever leaves the library', () => {
  it('runs a session of calls, failures included', async () => {
    // The first OpenAI key is invalid (401 echoing the key): disabled, the call moves to the second key.
    expect((await llm.chat('hello', { model: 'OpenAI/gpt-4o-mini' })).text).toBe('echo: hello');
    expect((await llm.chat('hallo', { model: 'Gemini/gemini-2.5-flash' })).text).toBe('echo: hallo');
    let text = '';
    for await (const piece of llm.stream('stream me', { model: 'Gemini/gemini-2.5-flash' }).textStream)
      text += piece;
    expect(text).toBe('echo: stream me');

    // Provider errors that echo the key back in their message.
    fake.enqueue(
      openaiErrorReply(401, {
        code: 'invalid_api_key',
        message: `Incorrect API key provided: ${SHORT_KEY}.`,
      }),
    );
    errors.push(await llm.chat('x', { model: 'Short/m' }).catch((error: unknown) => error));
    fake.enqueue(
      geminiErrorReply(400, 'INVALID_ARGUMENT', `API key not valid: ${GEMINI_KEYS[0]}`, [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
      ]),
    );
    errors.push(await llm.chat('y', { model: 'Gemini/gemini-2.5-flash' }).catch((error: unknown) => error));
    for (const error of errors) expect(LLMError.isInstance(error)).toBe(true);
    expect((errors[0] as LLMError).code).toBe('API_KEY_INVALID');

    const stats = await llm.keys.stats('OpenAI');
    expect(stats.map((s) => s.status)).toContain('disabled');
    await llm.close();
  });

  it('log lines, error messages, JSON of errors, key stats and the state file contain no key', async () => {
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((line) => line.includes('authorization') && line.includes('REDACTED'))).toBe(true);
    const stateFiles = readdirSync(stateDir).map((file) => readFileSync(join(stateDir, file), 'utf8'));
    expect(stateFiles.length).toBeGreaterThan(0);
    const haystacks = [
      ...lines,
      ...errors.map((error) => (error as Error).message),
      ...errors.map((error) => JSON.stringify(error)),
      ...errors.map((error) => (error as LLMError).friendlyMessage),
      ...stateFiles,
    ];
    for (const key of ALL_KEYS) {
      for (const haystack of haystacks)
        expect(haystack.includes(key), `a key leaked into: ${haystack.slice(0, 200)}`).toBe(false);
    }
    // The keys did travel to the provider (so the scan above is meaningful).
    expect(fake.requests.some((request) => request.apiKey === OPENAI_KEYS[1])).toBe(true);
  });
});
