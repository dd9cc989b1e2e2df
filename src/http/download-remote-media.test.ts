import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { TINY_PNG_BASE64 } from '../testing/auto-images.js';
import { downloadRemoteMedia, pinnedLookup } from './download-remote-media.js';
import { type Loopback, startLoopback } from './test-support/loopback.js';

const PNG = Buffer.from(TINY_PNG_BASE64, 'base64');
const ALLOW = { allowPrivateNetworks: true } as const;
let server: Loopback | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: (res: ServerResponse, url: string) => void | Promise<void>): Promise<Loopback> {
  server = await startLoopback((request, res) => handler(res, request.url));
  return server;
}

async function failure(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const png = (res: ServerResponse) => {
  res.setHeader('content-type', 'application/octet-stream');
  res.end(PNG);
};

describe('downloadRemoteMedia: the SSRF guard', () => {
  it('refuses a server on 127.0.0.1 by default without connecting, and reaches it with allowPrivateNetworks', async () => {
    const { url, requests } = await serve(png);
    const error = await failure(downloadRemoteMedia(`${url}/cat.png`));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback address.*allowPrivateNetworks/);
    expect(error.details).toMatchObject({ reason: 'loopback', url: `${url}/cat.png` });
    expect(requests).toHaveLength(0);

    const media = await downloadRemoteMedia(`${url}/cat.png`, ALLOW);
    expect(Buffer.from(media.data)).toEqual(PNG);
    expect(media).toMatchObject({ mimeType: 'image/png', sniffed: true });
    expect(requests).toHaveLength(1);
  });

  it('refuses a host name that resolves to a private address (localhost, or a public-looking name)', async () => {
    const { port, requests } = await serve(png);
    const viaLocalhost = await failure(downloadRemoteMedia(`http://localhost:${port}/a.png`));
    expect(viaLocalhost.details?.reason).toBe('loopback');
    const rebound = await failure(
      downloadRemoteMedia(
        `http://images.example.com:${port}/a.png`,
        {},
        {
          resolveHost: async () => [
            { address: '93.184.215.14', family: 4 },
            { address: '10.0.0.7', family: 4 },
          ],
        },
      ),
    );
    expect(rebound.code).toBe('INVALID_PARAMETER');
    expect(rebound.message).toMatch(/images\.example\.com \(10\.0\.0\.7\) is a private address/);
    expect(requests).toHaveLength(0);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://[fd00:ec2::254]/latest/', 'metadata'],
    ['http://[::1]:9/x.png', 'loopback'],
    ['http://192.168.0.1/router.png', 'private'],
    ['http://100.100.100.200/latest/', 'carrier-grade NAT'],
    ['http://[fe80::1]/x', 'link-local'],
    ['http://0.0.0.0:80/x', 'unspecified'],
  ])('refuses %s (%s) before any network access', async (url, reason) => {
    const error = await failure(
      downloadRemoteMedia(
        url,
        {},
        {
          resolveHost: () => {
            throw new Error('must not resolve');
          },
        },
      ),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.details?.reason).toBe(reason);
  });

  it('refuses redirects, naming the target, and never follows them', async () => {
    const { url, requests } = await serve((res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://169.254.169.254/latest/meta-data/?token=secret');
      res.end();
    });
    const error = await failure(downloadRemoteMedia(`${url}/img.png`, ALLOW));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(
      /302, a redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/; redirects are not followed/,
    );
    expect(error.message).not.toMatch(/secret/);
    expect(requests).toHaveLength(1);
  });

  it('accepts only http(s) URLs', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/a.png',
      'data:image/png;base64,AAAA',
      'not a url',
    ]) {
      const error = await failure(downloadRemoteMedia(url));
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(/only http\(s\) URLs/);
    }
  });

  it('connects to the address it resolved (and checked), keeping the host name for the Host header', async () => {
    const { port, requests } = await serve(png);
    const lookedUp: string[] = [];
    const media = await downloadRemoteMedia(`http://media.invalid:${port}/cat.png`, ALLOW, {
      resolveHost: async (hostname) => {
        lookedUp.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(media.mimeType).toBe('image/png');
    expect(lookedUp).toEqual(['media.invalid']);
    expect(requests[0]?.headers.host).toBe(`media.invalid:${port}`);
  });

  it('pins the connection to the checked addresses (no second DNS lookup)', () => {
    const lookup = pinnedLookup([
      { address: '203.0.113.9', family: 4 },
      { address: '2001:db8::9', family: 6 },
    ]);
    const seen: unknown[] = [];
    lookup('example.com', { all: true }, (_error, addresses) => seen.push(addresses));
    lookup('example.com', { family: 6 }, (_error, address, family) => seen.push([address, family]));
    lookup('example.com', {}, (_error, address, family) => seen.push([address, family]));
    expect(seen).toEqual([
      [
        { address: '203.0.113.9', family: 4 },
        { address: '2001:db8::9', family: 6 },
      ],
      ['2001:db8::9', 6],
      ['203.0.113.9', 4],
    ]);
  });
});

describe('downloadRemoteMedia: limits and types', () => {
  it('refuses a declared oversize body without reading it', async () => {
    const { url } = await serve((res) => {
      res.setHeader('content-length', String(10_000));
      res.end(Buffer.alloc(10_000));
    });
    const error = await failure(downloadRemoteMedia(`${url}/big.bin`, { ...ALLOW, maxBytes: 1000 }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.details).toMatchObject({ limit: 1000, size: 10_000 });
  });

  it('stops reading an endless body at the limit (the server sees the connection close)', async () => {
    let sent = 0;
    let closed!: () => void;
    const serverStopped = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const chunk = Buffer.alloc(64 * 1024, 1);
    const { url } = await serve(async (res) => {
      res.setHeader('content-type', 'image/png');
      res.on('close', closed);
      // 1 GiB if nobody stops it; writes wait for the socket to drain.
      while (!res.destroyed && sent < 1024 ** 3) {
        sent += chunk.length;
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
      res.end();
    });
    const error = await failure(
      downloadRemoteMedia(`${url}/endless.png`, { ...ALLOW, maxBytes: 256 * 1024 }),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/over the limit of 262144 bytes/);
    await serverStopped;
    // Only what socket buffers hold was sent past the limit, nowhere near the gigabyte.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('types by sniffing, then by content-type, then by extension', async () => {
    const { url } = await serve((res, path) => {
      if (path === '/typed') res.setHeader('content-type', 'video/mp4; codecs="avc1"');
      else res.setHeader('content-type', 'application/octet-stream');
      res.end(path === '/mislabelled.jpg' ? PNG : Buffer.from('not sniffable bytes'));
    });
    expect(await downloadRemoteMedia(`${url}/mislabelled.jpg`, ALLOW)).toMatchObject({
      mimeType: 'image/png',
      sniffed: true,
    });
    expect(await downloadRemoteMedia(`${url}/typed`, ALLOW)).toMatchObject({
      mimeType: 'video/mp4',
      sniffed: false,
    });
    expect(await downloadRemoteMedia(`${url}/clip.wav?sig=1`, ALLOW)).toMatchObject({
      mimeType: 'audio/wav',
      sniffed: false,
    });
    expect((await downloadRemoteMedia(`${url}/unknown`, ALLOW)).mimeType).toBeUndefined();
  });

  it('maps answers: 4xx → INVALID_PARAMETER, 5xx → API_REQUEST_FAILED; details never hold the query', async () => {
    const { url } = await serve((res, path) => {
      res.statusCode = path.startsWith('/missing') ? 404 : 503;
      res.end('no');
    });
    const missing = await failure(downloadRemoteMedia(`${url}/missing.png?X-Amz-Signature=abc`, ALLOW));
    expect(missing).toMatchObject({
      code: 'INVALID_PARAMETER',
      details: { status: 404, url: `${url}/missing.png` },
    });
    expect(JSON.stringify({ m: missing.message, d: missing.details })).not.toMatch(/Signature/);
    const down = await failure(downloadRemoteMedia(`${url}/down.png`, ALLOW));
    expect(down).toMatchObject({ code: 'API_REQUEST_FAILED', details: { status: 503 } });
  });

  it('checks maxBytes', async () => {
    const error = await failure(downloadRemoteMedia('https://example.com/a.png', { maxBytes: 0 }));
    expect(error.message).toMatch(/fetchRemoteMedia\.maxBytes/);
  });
});

describe('downloadRemoteMedia: deadline and abort', () => {
  const hang = () => undefined; // never answers

  it('fails with API_TIMEOUT at once when the call deadline has passed', async () => {
    const { url, requests } = await serve(png);
    const clock = { now: () => 10_000, sleep: async () => undefined };
    const error = await failure(downloadRemoteMedia(`${url}/a.png`, ALLOW, { clock, deadline: 9_000 }));
    expect(error.code).toBe('API_TIMEOUT');
    expect(requests).toHaveLength(0);
  });

  it('fails with API_TIMEOUT when the host does not answer within timeoutMs', async () => {
    const { url } = await serve(hang);
    const error = await failure(downloadRemoteMedia(`${url}/a.png`, ALLOW, { timeoutMs: 50 }));
    expect(error.code).toBe('API_TIMEOUT');
  });

  it("ends with ABORTED (or the signal's LLMError) when the caller aborts", async () => {
    const { url } = await serve(hang);
    const controller = new AbortController();
    const pending = downloadRemoteMedia(`${url}/a.png`, ALLOW, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect((await failure(pending)).code).toBe('ABORTED');
    const reason = new LLMError('API_TIMEOUT', 'deadline');
    expect(
      await failure(downloadRemoteMedia(`${url}/a.png`, ALLOW, { signal: AbortSignal.abort(reason) })),
    ).toBe(reason);
  });
});
