import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage } from '../spec/index.js';
import { TINY_PNG_BASE64 } from '../testing/auto-images.js';
import type { downloadRemoteMedia } from './download-remote-media.js';
import {
  isDownloadableMediaUrl,
  prefetchRemoteMedia,
  resolveFetchRemoteMedia,
} from './prefetch-remote-media.js';
import { type Loopback, startLoopback } from './test-support/loopback.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function imageServer(): Promise<Loopback> {
  server = await startLoopback((request, res) => {
    if (request.url.startsWith('/missing')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/octet-stream');
    res.end(Buffer.from(TINY_PNG_BASE64, 'base64'));
  });
  return server;
}

const ALLOW = { allowPrivateNetworks: true };

describe('prefetchRemoteMedia', () => {
  it('downloads each distinct URL once and inlines it where used, leaving other messages untouched', async () => {
    const { url, requests } = await imageServer();
    const cat = `${url}/cat`;
    const messages: LLMMessage[] = [
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', url: cat, mimeType: 'image/jpeg' },
        ],
      },
      { role: 'assistant', content: 'a cat' },
      {
        role: 'user',
        content: [
          { type: 'image', url: cat },
          { type: 'image', data: TINY_PNG_BASE64 },
        ],
      },
    ];
    const before = structuredClone(messages);
    const sent = await prefetchRemoteMedia(messages, ALLOW);
    expect(requests).toHaveLength(1);
    const inline = { type: 'image', data: TINY_PNG_BASE64, mimeType: 'image/png' };
    expect(sent[1]?.content).toEqual([{ type: 'text', text: 'look' }, inline]);
    expect(sent[3]?.content).toEqual([inline, { type: 'image', data: TINY_PNG_BASE64 }]);
    expect(sent[0]).toBe(messages[0]);
    expect(sent[2]).toBe(messages[2]);
    expect(messages).toEqual(before);
  });

  it('does nothing when off, or when nothing needs downloading', async () => {
    const messages: LLMMessage[] = [
      { role: 'user', content: [{ type: 'image', url: 'https://example.com/a.png' }] },
    ];
    expect(await prefetchRemoteMedia(messages, undefined)).toBe(messages);
    const byReference: LLMMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'file', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc-123' },
          { type: 'video', url: 'https://www.youtube.com/watch?v=9hE5-98ZeCg' },
          { type: 'image', url: 'gs://bucket/cat.png' },
          { type: 'text', text: 'https://example.com/not-media.png' },
        ],
      },
    ];
    const download = () => Promise.reject(new Error('must not download'));
    expect(await prefetchRemoteMedia(byReference, {}, { download })).toBe(byReference);
  });

  it('refuses the loopback server by default (setting `true`), reaching it with allowPrivateNetworks', async () => {
    const { url, requests } = await imageServer();
    const messages: LLMMessage[] = [{ role: 'user', content: [{ type: 'image', url: `${url}/a.png` }] }];
    const error = await prefetchRemoteMedia(messages, resolveFetchRemoteMedia(true)).catch((e: unknown) => e);
    expect(LLMError.isInstance(error) && error.code).toBe('INVALID_PARAMETER');
    expect((error as LLMError).message).toMatch(
      /^messages\[0\]\.content\[0\]: media download .*loopback address/,
    );
    expect((error as LLMError).details).toMatchObject({ path: 'messages[0].content[0]', reason: 'loopback' });
    expect(requests).toHaveLength(0);
    const sent = await prefetchRemoteMedia(messages, resolveFetchRemoteMedia(true, ALLOW));
    expect(sent[0]?.content).toEqual([{ type: 'image', data: TINY_PNG_BASE64, mimeType: 'image/png' }]);
  });

  it('fails on the first failed download, naming its part, and stops the others', async () => {
    const { url } = await imageServer();
    const messages: LLMMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'image', url: `${url}/ok.png` },
          { type: 'image', url: `${url}/missing.png` },
        ],
      },
    ];
    const error = (await prefetchRemoteMedia(messages, ALLOW).catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.details).toMatchObject({ path: 'messages[0].content[1]', status: 404 });

    const aborted: string[] = [];
    const slow: typeof downloadRemoteMedia = (target, _options, context) => {
      if (target.endsWith('/bad')) return Promise.reject(new LLMError('API_REQUEST_FAILED', 'boom'));
      return new Promise((_resolve, reject) => {
        context?.signal?.addEventListener('abort', () => {
          aborted.push(target);
          reject(context.signal?.reason);
        });
      });
    };
    const many: LLMMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'image', url: 'https://a.test/slow' },
          { type: 'image', url: 'https://a.test/bad' },
        ],
      },
    ];
    const first = (await prefetchRemoteMedia(many, {}, { download: slow }).catch(
      (e: unknown) => e,
    )) as LLMError;
    expect(first.message).toBe('messages[0].content[1]: boom');
    expect(aborted).toEqual(['https://a.test/slow']);
  });

  it("passes the caller's signal and deadline to every download", async () => {
    const seen: unknown[] = [];
    const download: typeof downloadRemoteMedia = async (target, _options, context) => {
      seen.push([target, context?.deadline, context?.signal?.aborted]);
      return { data: new Uint8Array([1, 2, 3]), mimeType: 'audio/ogg', sniffed: false };
    };
    const messages: LLMMessage[] = [
      { role: 'user', content: [{ type: 'audio', url: 'https://a.test/x', mimeType: 'audio/mpeg' }] },
    ];
    const sent = await prefetchRemoteMedia(
      messages,
      {},
      { download, deadline: 1234, signal: new AbortController().signal },
    );
    expect(seen).toEqual([['https://a.test/x', 1234, false]]);
    // Not sniffed: the part's own type wins over the server's header.
    expect(sent[0]?.content).toEqual([{ type: 'audio', mimeType: 'audio/mpeg', data: 'AQID' }]);
  });
});

describe('resolveFetchRemoteMedia', () => {
  it('merges the call over the config', () => {
    expect(resolveFetchRemoteMedia(undefined)).toBeUndefined();
    expect(resolveFetchRemoteMedia(false)).toBeUndefined();
    expect(resolveFetchRemoteMedia(true)).toEqual({});
    expect(resolveFetchRemoteMedia({ maxBytes: 5 }, true)).toEqual({ maxBytes: 5 });
    expect(resolveFetchRemoteMedia({ maxBytes: 5 }, false)).toBeUndefined();
    expect(resolveFetchRemoteMedia(false, { allowPrivateNetworks: true })).toEqual({
      allowPrivateNetworks: true,
    });
    expect(resolveFetchRemoteMedia({ maxBytes: 5 }, { allowPrivateNetworks: true })).toEqual({
      maxBytes: 5,
      allowPrivateNetworks: true,
    });
  });

  it('names a bad field', () => {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as LLMError).message;
      }
      return 'no error';
    };
    expect(message(() => resolveFetchRemoteMedia({ maxBytes: -1 }))).toMatch(
      /^fetchRemoteMedia\.maxBytes: must be/,
    );
    expect(message(() => resolveFetchRemoteMedia(true, { allowPrivateNetworks: 'yes' } as never))).toMatch(
      /^options\.fetchRemoteMedia\.allowPrivateNetworks: must be a boolean/,
    );
    expect(message(() => resolveFetchRemoteMedia({ maxbytes: 1 } as never))).toMatch(
      /fetchRemoteMedia\.maxbytes: unknown option/,
    );
    expect(message(() => resolveFetchRemoteMedia('yes' as never))).toMatch(/must be a boolean or/);
  });
});

describe('isDownloadableMediaUrl', () => {
  it('is true for http(s) media, false for references Gemini reads itself', () => {
    expect(isDownloadableMediaUrl('https://example.com/a.png')).toBe(true);
    expect(isDownloadableMediaUrl('http://example.com/a.png')).toBe(true);
    expect(isDownloadableMediaUrl('https://youtu.be/abc')).toBe(false);
    expect(isDownloadableMediaUrl('https://generativelanguage.googleapis.com/v1beta/files/x')).toBe(false);
    expect(isDownloadableMediaUrl('gs://b/x.png')).toBe(false);
    expect(isDownloadableMediaUrl(undefined)).toBe(false);
  });
});
