import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMError } from '../errors/llm-error.js';
import { registerSecrets } from '../logging/secrets.js';
import type { PipelineRequest } from '../spec/index.js';
import { type Loopback, startLoopback } from './test-support/loopback.js';
import { createTransport } from './transport.js';

// A configured key (registered as every client registers its keys) that a broken gateway echoes back.
const secret = 'test-key-echoed-0123456789abcdef';
registerSecrets([secret]);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function serve(status: number, body: string, contentType: string): Promise<Loopback> {
  const loopback = await startLoopback((_request, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  cleanups.push(() => loopback.close());
  return loopback;
}

async function failureOf(url: string): Promise<LLMError> {
  const transport = createTransport({
    config: { providers: [{ name: 'OpenAI' }] },
  });
  cleanups.push(() => transport.close());
  const request: PipelineRequest = {
    operation: 'chat',
    provider: 'OpenAI',
    model: 'OpenAI/test-model',
    modelId: 'test-model',
    apiType: 'openai',
    method: 'POST',
    url,
    headers: { authorization: 'Bearer test-key-1' },
    body: { model: 'test-model', messages: [] },
    stream: false,
    auth: { scheme: 'bearer' },
    deadline: Date.now() + 10_000,
    attempt: 1,
    context: {},
  };
  return (await transport.send(request).catch((error: unknown) => error)) as LLMError;
}

/** Every 8-character piece of the key found in `text` (a partial key is still a leak). */
function keyPieces(text: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + 8 <= secret.length; start++) {
    const piece = secret.slice(start, start + 8);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}

describe('provider bodies in errors', () => {
  it('a key straddling the 200-character preview cut of a non-JSON 2xx body never appears, even in part', async () => {
    for (const before of [190, 185, 180]) {
      const body = `${'<'.repeat(before)}${secret} trailing text`;
      const s = await serve(200, body, 'text/html');
      const error = await failureOf(s.url);
      expect(error.code).toBe('API_RESPONSE_INVALID');
      const preview = String(error.details?.bodyPreview);
      expect(preview.startsWith('<<<<')).toBe(true);
      expect(keyPieces(preview)).toEqual([]);
      expect(keyPieces(inspect(error, { depth: 10 }))).toEqual([]);
    }
  });

  it('the cause of an unparsable body holds no body text', async () => {
    const body = 'UNIQUEBODYMARKER and the rest of an HTML page';
    const s = await serve(200, body, 'text/html');
    const error = await failureOf(s.url);
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    const cause = error.cause as SyntaxError;
    expect(cause.message).not.toContain('UNIQUE');
    expect(inspect(cause, { depth: 10 })).not.toContain('UNIQUE');
  });

  it('a key straddling the 500-character cut of a non-JSON error body is not in the message', async () => {
    const body = `${'e'.repeat(490)}${secret} more`;
    const s = await serve(502, body, 'text/plain');
    const error = await failureOf(s.url);
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(keyPieces(inspect(error, { depth: 10 }))).toEqual([]);
  });
});
