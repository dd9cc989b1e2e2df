import { Readable } from 'node:stream';
import { brotliCompressSync, constants, createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { contentCodingsOf, decodeBody, decodeFailureOf, prepareDecoding } from './content-encoding.js';
import { readLimitedText } from './read-body.js';

/** A body delivered in `size`-byte chunks, counting how many chunks were pulled. */
function chunked(bytes: Buffer, size: number) {
  const state = { pulled: 0, total: Math.ceil(bytes.length / size) };
  const body = Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += size) {
        state.pulled++;
        yield bytes.subarray(offset, offset + size);
      }
    })(),
    // No read-ahead: `pulled` counts what the decoder asked for.
    { highWaterMark: 1 },
  );
  return { body, state };
}

async function text(body: Readable): Promise<string> {
  return readLimitedText(body, Number.MAX_SAFE_INTEGER, () => new LLMError('API_RESPONSE_INVALID', 'x'));
}

describe('contentCodingsOf', () => {
  it('reads a content-encoding header: none, identity, aliases, lists, unsupported', () => {
    expect(contentCodingsOf(undefined)).toEqual([]);
    expect(contentCodingsOf('identity')).toEqual([]);
    expect(contentCodingsOf('GZIP')).toEqual(['gzip']);
    expect(contentCodingsOf('x-gzip')).toEqual(['gzip']);
    expect(contentCodingsOf('deflate, br')).toEqual(['deflate', 'br']);
    expect(contentCodingsOf('gzip, zstd')).toEqual({ unsupported: 'zstd' });
  });
});

describe('decodeBody', () => {
  beforeAll(async () => {
    // The decoders load on the first compressed answer; none is needed for no coding.
    expect(prepareDecoding([])).toBeUndefined();
    await prepareDecoding(['gzip']);
    expect(prepareDecoding(['br'])).toBeUndefined();
  });

  const json = JSON.stringify({ text: 'héllo wörld '.repeat(50) });

  it('decodes gzip, zlib deflate, raw deflate (labelled deflate) and br', async () => {
    expect(await text(decodeBody(chunked(gzipSync(json), 7).body, ['gzip']))).toBe(json);
    expect(await text(decodeBody(chunked(deflateSync(json), 7).body, ['deflate']))).toBe(json);
    expect(await text(decodeBody(chunked(deflateRawSync(json), 7).body, ['deflate']))).toBe(json);
    expect(await text(decodeBody(chunked(brotliCompressSync(json), 7).body, ['br']))).toBe(json);
  });

  it('undoes stacked codings last first (content-encoding: gzip, br)', async () => {
    const packed = brotliCompressSync(gzipSync(json));
    expect(await text(decodeBody(chunked(packed, 64).body, ['gzip', 'br']))).toBe(json);
  });

  it('returns the body itself when there is nothing to decode', () => {
    const body = Readable.from([Buffer.from('x')]);
    expect(decodeBody(body, [])).toBe(body);
  });

  it('decodes incrementally: a flushed prefix is readable before the rest of the body exists', async () => {
    const gzip = createGzip();
    const packed: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => packed.push(chunk));
    gzip.write('data: {"n":1}\n\n');
    await new Promise<void>((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    // The body so far, and then nothing more: the stream stays open.
    const source = new Readable({ read() {} });
    source.push(Buffer.concat(packed));
    const iterator = decodeBody(source, ['gzip'])[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Buffer).toString()).toBe('data: {"n":1}\n\n');
    await iterator.return?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });

  it('a gzip bomb is cut at the limit: the decoder stops and the body is not read to its end', async () => {
    // 64 MiB of zeros in ~64 KB; the decoder's input buffer (16 KB) is the only read-ahead.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const { body, state } = chunked(bomb, 1024);
    const error = await readLimitedText(
      decodeBody(body, ['gzip']),
      64 * 1024,
      () => new LLMError('API_RESPONSE_INVALID', 'over the limit', { details: { limit: 64 * 1024 } }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'API_RESPONSE_INVALID', details: { limit: 65_536 } });
    expect(state.pulled).toBeLessThan(state.total / 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.destroyed).toBe(true);
  });

  it('marks a decoder failure with its coding, but not a failure of the body itself', async () => {
    const garbage = await text(decodeBody(Readable.from([Buffer.from('not gzip at all')]), ['gzip'])).catch(
      (e: unknown) => e,
    );
    expect(decodeFailureOf(garbage)).toBe('gzip');
    const cut = new Readable({ read() {} });
    cut.push(gzipSync(json).subarray(0, 10));
    const network = Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' });
    setImmediate(() => cut.destroy(network));
    const failure = await text(decodeBody(cut, ['gzip'])).catch((e: unknown) => e);
    expect(failure).toBe(network);
    expect(decodeFailureOf(failure)).toBeUndefined();
  });
});
