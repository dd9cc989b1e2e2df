import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openaiChatReply, startFakeProvider } from './index.js';
import { fixtureUrl, postJson } from './test-support/http.js';

const recordedBody = (path: string) =>
  JSON.parse(JSON.parse(readFileSync(fixtureUrl(path), 'utf8')).interactions[0].response.body);

describe('invalid-key answers', () => {
  it('answers an invalid OpenAI key with the real 401 invalid_api_key body, masking the key', async () => {
    await using fake = await startFakeProvider({ keys: { invalid: ['test-key-bad-123'] } });
    const res = await postJson(
      `${fake.openaiBase}/chat/completions`,
      {},
      { authorization: 'Bearer test-key-bad-123' },
    );
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    const recorded = recordedBody('openai/error-401-invalid-api-key.exchange.json');
    expect(Object.keys(body.error)).toEqual(Object.keys(recorded.error));
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
    expect(body.error.message).toMatch(/^Incorrect API key provided: tes\*+-123\. You can find your API key/);
    expect(body.error.message).not.toContain('test-key-bad-123');
  });

  it('answers an invalid Gemini key with HTTP 400 INVALID_ARGUMENT and ErrorInfo API_KEY_INVALID', async () => {
    await using fake = await startFakeProvider({ keys: { invalid: ['test-key-bad'] } });
    const recorded = recordedBody('gemini/error-400-api-key-invalid.exchange.json');
    const attempts: { headers: Record<string, string>; query: string }[] = [
      { headers: { 'x-goog-api-key': 'test-key-bad' }, query: '' },
      { headers: {}, query: '?key=test-key-bad' },
    ];
    for (const init of attempts) {
      const res = await postJson(
        `${fake.url}/v1beta/models/g:generateContent${init.query}`,
        {},
        init.headers,
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(recorded);
    }
  });

  it('with a valid list, rejects other keys and missing keys in each dialect', async () => {
    await using fake = await startFakeProvider({ keys: { valid: ['test-key-1'] } });
    const ok = await postJson(
      `${fake.openaiBase}/chat/completions`,
      {},
      { authorization: 'Bearer test-key-1' },
    );
    expect(ok.status).toBe(200);
    const other = await postJson(
      `${fake.openaiBase}/chat/completions`,
      {},
      { authorization: 'Bearer test-key-2' },
    );
    expect(other.status).toBe(401);
    const missing = await postJson(`${fake.openaiBase}/chat/completions`, {});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as any).error.message).toContain("You didn't provide an API key");
    const geminiMissing = await postJson(`${fake.url}/v1beta/models/g:generateContent`, {});
    expect(geminiMissing.status).toBe(403);
    expect(((await geminiMissing.json()) as any).error.status).toBe('PERMISSION_DENIED');
    const geminiOk = await postJson(
      `${fake.url}/v1beta/models/g:generateContent`,
      {},
      { 'x-goog-api-key': 'test-key-1' },
    );
    expect(geminiOk.status).toBe(200);
  });

  it('checks keys before scripts: a rejected request consumes no scripted reply but is recorded', async () => {
    await using fake = await startFakeProvider({
      keys: { invalid: ['test-key-bad'] },
      replies: [openaiChatReply('kept')],
    });
    await postJson(`${fake.openaiBase}/chat/completions`, {}, { authorization: 'Bearer test-key-bad' });
    expect(fake.pendingReplies).toBe(1);
    expect(fake.lastRequest?.apiKey).toBe('test-key-bad');
    const res = await postJson(
      `${fake.openaiBase}/chat/completions`,
      {},
      { authorization: 'Bearer test-key-good' },
    );
    expect(((await res.json()) as any).choices[0].message.content).toBe('kept');
  });
});
