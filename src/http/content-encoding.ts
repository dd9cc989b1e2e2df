import type { Readable } from 'node:stream';

/** What `accept-encoding` offers on every request (API.md §5). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** A `content-encoding` this transport decodes. */
export type ContentCoding = 'gzip' | 'deflate' | 'br';

/** `content-encoding` read: the codings in the order they were applied, or the first one not supported. */
export type ContentCodings = readonly ContentCoding[] | { unsupported: string };

const NONE: readonly ContentCoding[] = [];

/** True when every coding is one this transport decodes. */
export function isSupported(codings: ContentCodings): codings is readonly ContentCoding[] {
  return Array.isArray(codings);
}

/**
 * Parses a `content-encoding` header (`gzip`, `x-gzip`, `deflate`, `br`, `identity`, or a list of them).
 * No header → `[]` (no allocation: the usual case).
 */
export function contentCodingsOf(header: string | undefined): ContentCodings {
  if (header == null) return NONE;
  const codings: ContentCoding[] = [];
  for (const raw of header.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    if (name === 'gzip' || name === 'x-gzip') codings.push('gzip');
    else if (name === 'deflate' || name === 'br') codings.push(name);
    else return { unsupported: name.slice(0, 40) };
  }
  return codings.length === 0 ? NONE : codings;
}

/** Marks an error raised while decoding a body, so it is reported as a bad body rather than a network failure. */
export const DECODE_FAILURE: unique symbol = Symbol('switchboard.decodeFailure');

/** The coding whose decoder failed, when `error` came from one. */
export function decodeFailureOf(error: unknown): ContentCoding | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { [DECODE_FAILURE]?: ContentCoding })[DECODE_FAILURE]
    : undefined;
}

let decoders: typeof import('./content-decoders.js') | undefined;

/**
 * Loads the decoders (node:zlib) the first time a response needs them: `undefined` — nothing to wait for —
 * when they are loaded or `codings` need none (the usual, uncompressed answer), else a promise to await
 * before `decodeBody`.
 */
export function prepareDecoding(codings: ContentCodings): Promise<void> | undefined {
  if (decoders !== undefined || !isSupported(codings) || codings.length === 0) return undefined;
  return import('./content-decoders.js').then((module) => {
    decoders = module;
  });
}

/**
 * `body` decoded, incrementally (see `content-decoders.ts`); without codings `body` itself. With codings,
 * `prepareDecoding(codings)` must have resolved first.
 */
export function decodeBody(body: Readable, codings: readonly ContentCoding[]): Readable {
  if (codings.length === 0) return body;
  if (decoders === undefined) throw new Error('decodeBody: await prepareDecoding(codings) first');
  return decoders.decodeBody(body, codings);
}
