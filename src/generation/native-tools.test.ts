import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { geminiCodeExecution, geminiGoogleSearch, geminiUrlContext } from './native-tools.js';

function errorOf(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('native tool factories', () => {
  it('build Gemini provider tool specs, a new object each time', () => {
    expect(geminiCodeExecution()).toEqual({ kind: 'provider', provider: 'gemini', type: 'code_execution' });
    expect(geminiGoogleSearch()).toEqual({ kind: 'provider', provider: 'gemini', type: 'google_search' });
    expect(geminiCodeExecution()).not.toBe(geminiCodeExecution());
  });

  it('geminiUrlContext keeps a copy of 1 to 20 http(s) URLs', () => {
    const urls = ['https://example.com/a', 'http://example.org/b?q=1'];
    const tool = geminiUrlContext(urls);
    expect(tool).toEqual({ kind: 'provider', provider: 'gemini', type: 'url_context', urls });
    urls.push('https://later.example');
    expect(tool.urls).toHaveLength(2);
    const twenty = Array.from({ length: 20 }, (_, i) => `https://example.com/${i}`);
    expect(geminiUrlContext(twenty).urls).toHaveLength(20);
  });

  it('geminiUrlContext rejects empty, oversized and non-http lists by path', () => {
    expect(errorOf(() => geminiUrlContext([])).message).toContain('urls: must hold 1 to 20 URLs (got 0)');
    const many = Array.from({ length: 21 }, (_, i) => `https://example.com/${i}`);
    expect(errorOf(() => geminiUrlContext(many)).message).toContain('(got 21)');
    const bad = errorOf(() => geminiUrlContext(['ftp://example.com/x', 'not a url', 'https://ok.example']));
    expect(bad.code).toBe('INVALID_PARAMETER');
    expect(bad.details?.issues).toEqual([
      { path: 'urls[0]', message: "must be an http(s) URL (got 'ftp://example.com/x')" },
      { path: 'urls[1]', message: "must be an http(s) URL (got 'not a url')" },
    ]);
    expect(errorOf(() => geminiUrlContext('https://example.com' as unknown as string[])).code).toBe(
      'INVALID_PARAMETER',
    );
  });
});
