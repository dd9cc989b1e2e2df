import { describe, expect, it } from 'vitest';
import { compileRouteKey, recognizeRoute, routeMatches } from './route-match.js';

describe('recognizeRoute', () => {
  it.each([
    ['POST', '/v1/chat/completions', 'openai.chat', '/v1/chat/completions'],
    ['POST', '/chat/completions', 'openai.chat', '/v1/chat/completions'],
    ['POST', '/v1beta/openai/chat/completions/', 'openai.chat', '/v1/chat/completions'],
    ['POST', '/v1beta/openai/embeddings', 'openai.embeddings', '/v1/embeddings'],
    ['POST', '/images/edits', 'openai.images.edits', '/v1/images/edits'],
    ['POST', '/v1/responses', 'openai.responses', '/v1/responses'],
    ['GET', '/v1/models', 'openai.models', '/v1/models'],
    ['GET', '/v1beta/models', 'gemini.models', '/v1beta/models'],
    [
      'POST',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      'gemini.streamGenerateContent',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
    ],
    [
      'POST',
      '/models/m:batchEmbedContents',
      'gemini.batchEmbedContents',
      '/v1beta/models/m:batchEmbedContents',
    ],
    [
      'POST',
      '/v1alpha/models/m:generateContent',
      'gemini.generateContent',
      '/v1beta/models/m:generateContent',
    ],
    ['GET', '/v1/chat/completions', 'unknown', '/v1/chat/completions'],
    ['POST', '/v1/messages', 'anthropic.messages', '/v1/messages'],
    ['POST', '/messages/', 'anthropic.messages', '/v1/messages'],
    ['POST', '/v1/messages/count_tokens', 'anthropic.countTokens', '/v1/messages/count_tokens'],
  ])('%s %s → %s', (method, path, kind, canonicalPath) => {
    expect(recognizeRoute(method, path)).toMatchObject({ kind, canonicalPath });
  });

  it('names the dialect of unknown paths and the model of Gemini paths', () => {
    expect(recognizeRoute('POST', '/v1beta/models/m:countTokens')).toEqual({
      kind: 'unknown',
      dialect: 'gemini',
      canonicalPath: '/v1beta/models/m:countTokens',
      model: 'm',
    });
    expect(recognizeRoute('POST', '/v1/other').dialect).toBe('openai');
  });
});

describe('route keys', () => {
  it('match method and path, as sent or canonical, with * inside one segment', () => {
    const key = compileRouteKey('POST /v1beta/models/*:generateContent')!;
    const route = recognizeRoute('POST', '/models/gemini-x:generateContent');
    expect(routeMatches(key, 'POST', '/models/gemini-x:generateContent', route)).toBe(true);
    expect(routeMatches(key, 'GET', '/models/gemini-x:generateContent', route)).toBe(false);
    const anyMethod = compileRouteKey('/v1/chat/completions')!;
    expect(
      routeMatches(anyMethod, 'PUT', '/chat/completions', recognizeRoute('PUT', '/chat/completions')),
    ).toBe(false);
    expect(
      routeMatches(anyMethod, 'PUT', '/v1/chat/completions', recognizeRoute('PUT', '/v1/chat/completions')),
    ).toBe(true);
    const star = compileRouteKey('POST /v1/*')!;
    expect(routeMatches(star, 'POST', '/v1/a/b', recognizeRoute('POST', '/v1/a/b'))).toBe(false);
    expect(compileRouteKey('chat/completions')).toBeUndefined();
  });
});
