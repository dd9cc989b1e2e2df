import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registerSecrets } from '../logging/secrets.js';
import { GeminiStreamParser } from './gemini/gemini-stream.js';
import { OpenAIStreamParser } from './openai/openai-stream.js';
import { ResponsesStreamParser } from './openai-responses/responses-stream.js';

const secret = 'test-key-chunk-0123456789abcdefgh';
registerSecrets([secret]);

function keyPieces(text: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + 8 <= secret.length; start++) {
    if (text.includes(secret.slice(start, start + 8))) found.push(secret.slice(start, start + 8));
  }
  return found;
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const noop = () => {};

describe('malformed stream chunks in errors', () => {
  it('a key straddling the excerpt cut never survives in part (every dialect)', () => {
    const cases: [string, () => unknown][] = [
      [
        'openai',
        () =>
          new OpenAIStreamParser({ provider: 'P', model: 'P/m' }).push(
            `${'{'.repeat(490)}${secret}`,
            undefined,
            noop,
          ),
      ],
      [
        'openai trailing',
        () => new OpenAIStreamParser({ provider: 'P', model: 'P/m' }).finish(`${'x'.repeat(490)}${secret}`),
      ],
      ['gemini', () => new GeminiStreamParser({}).push(`${'{'.repeat(190)}${secret}`, undefined, noop)],
      [
        'gemini error event',
        () => new GeminiStreamParser({}).push(`${'{'.repeat(190)}${secret}`, 'error', noop),
      ],
      ['responses', () => new ResponsesStreamParser({}).push(`${'{'.repeat(190)}${secret}`, undefined, noop)],
    ];
    for (const [name, run] of cases) {
      const error = thrownBy(run);
      expect({ name, pieces: keyPieces(inspect(error, { depth: 10 })) }).toEqual({ name, pieces: [] });
    }
  });
});
