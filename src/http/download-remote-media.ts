import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import type { Agent } from 'undici';
import { LLMError } from '../errors/llm-error.js';
import type { FetchRemoteMediaSetting, LLMErrorCode } from '../spec/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { mimeFromFileName, sniffMimeType } from '../util/mime.js';
import { nonPublicReason } from './address-policy.js';
import { loadUndici } from './load-undici.js';

/** The user-facing knobs of media downloads: the object form of the `fetchRemoteMedia` setting. */
export type RemoteMediaOptions = Exclude<FetchRemoteMediaSetting, boolean>;

/** One resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Where and how long one download may run. */
export interface DownloadContext {
  /** The caller's signal: aborting it stops the download with its reason (an `LLMError`) or `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** The call's deadline on `clock` (ms); the download ends with `API_TIMEOUT` at the earlier of it and `timeoutMs`. */
  deadline?: number | undefined;
  /** Most time one download may take. @default 30000 */
  timeoutMs?: number | undefined;
  /** @default the system clock */
  clock?: Clock | undefined;
  /** Resolves a host name to every address (tests inject one). @default `dns.lookup(host, { all: true })` */
  resolveHost?: ((hostname: string) => Promise<ResolvedAddress[]>) | undefined;
}

/** A downloaded body. */
export interface DownloadedMedia {
  data: Uint8Array;
  /** Sniffed from the bytes, else the `content-type` header (when not generic), else the URL's extension. */
  mimeType: string | undefined;
  /** True when `mimeType` comes from the bytes themselves. */
  sniffed: boolean;
}

export const DEFAULT_MEDIA_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/**
 * Downloads one http(s) media URL for a provider that needs inline data. Guards (API.md §3):
 * - only `http:`/`https:`; no redirects (a 3xx fails naming its target);
 * - unless `allowPrivateNetworks`, the host and every address it resolves to must be public (no loopback,
 *   RFC 1918, CGNAT, ULA, link-local, metadata, unspecified, multicast or reserved address), and the
 *   connection goes to exactly the addresses checked (no second DNS lookup, so no DNS-rebinding gap);
 * - at most `maxBytes`, enforced from `content-length` and while reading;
 * - bounded by `timeoutMs` and the call's `deadline`; the caller's `signal` aborts it.
 * Downloads go directly to the host (not through a provider's proxy).
 *
 * Errors (`LLMError`): `INVALID_PARAMETER` for a refused URL (scheme, address, redirect, size, 4xx answer);
 * `API_REQUEST_FAILED` for DNS, connection and 5xx failures; `API_TIMEOUT`; `ABORTED` (or the signal's
 * `LLMError` reason). `details.url` is the URL without query or credentials.
 * @example const { data, mimeType } = await downloadRemoteMedia('https://example.com/cat.png', { maxBytes: 5e6 })
 */
export async function downloadRemoteMedia(
  url: string,
  options: RemoteMediaOptions = {},
  context: DownloadContext = {},
): Promise<DownloadedMedia> {
  const target = parseMediaUrl(url);
  const shown = displayUrl(target);
  const fail = (code: LLMErrorCode, message: string, extra: Record<string, unknown> = {}, cause?: unknown) =>
    new LLMError(code, `media download ${shown}: ${message}`, {
      details: { url: shown, ...extra },
      ...(cause !== undefined ? { cause } : {}),
    });
  const maxBytes = checkMaxBytes(options.maxBytes);
  const allowPrivate = options.allowPrivateNetworks === true;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate) {
    const reason = nonPublicReason(host);
    if (reason != null) throw refused(fail, host, reason);
  }

  const clock = context.clock ?? systemClock;
  const remaining = Math.min(
    context.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    context.deadline != null ? context.deadline - clock.now() : Number.POSITIVE_INFINITY,
  );
  if (context.signal?.aborted) throw abortError(context.signal.reason, shown);
  if (!(remaining > 0)) throw fail('API_TIMEOUT', 'the call deadline passed before the download started');

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, remaining);
  const onAbort = () => controller.abort();
  context.signal?.addEventListener('abort', onAbort, { once: true });
  let agent: Agent | undefined;
  try {
    const addresses = await resolvedAddresses(host, allowPrivate, context, controller.signal, fail);
    const undici = await loadUndici();
    agent = new undici.Agent({ connect: { timeout: remaining, lookup: pinnedLookup(addresses) } });
    const response = await undici.request(target, {
      method: 'GET',
      dispatcher: agent,
      signal: controller.signal,
      headers: { accept: '*/*', 'accept-encoding': 'identity', 'user-agent': 'switchboard-llm' },
      headersTimeout: remaining,
      bodyTimeout: remaining,
    });
    const { statusCode, headers, body } = response;
    if (statusCode < 200 || statusCode >= 300) {
      discard(body);
      throw statusError(fail, statusCode, headerOf(headers.location));
    }
    const declared = Number(headerOf(headers['content-length']));
    if (Number.isFinite(declared) && declared > maxBytes) {
      discard(body);
      throw fail('INVALID_PARAMETER', `the body is ${declared} bytes, over the limit of ${maxBytes}`, {
        limit: maxBytes,
        size: declared,
      });
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        discard(body);
        throw fail('INVALID_PARAMETER', `the body is over the limit of ${maxBytes} bytes`, {
          limit: maxBytes,
        });
      }
      chunks.push(chunk);
    }
    const data = new Uint8Array(Buffer.concat(chunks, size));
    return { data, ...mimeOf(data, headerOf(headers['content-type']), target.pathname) };
  } catch (error) {
    if (context.signal?.aborted) throw abortError(context.signal.reason, shown);
    if (timedOut) throw fail('API_TIMEOUT', `no complete answer within ${Math.round(remaining)} ms`);
    if (LLMError.isInstance(error)) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('UND_ERR_') && code.endsWith('TIMEOUT')) {
      throw fail('API_TIMEOUT', 'the host did not answer in time', {}, error);
    }
    const message = error instanceof Error ? error.message : String(error);
    throw fail('API_REQUEST_FAILED', `the download failed: ${message}`, {}, error);
  } finally {
    clearTimeout(timer);
    context.signal?.removeEventListener('abort', onAbort);
    void agent?.destroy().catch(() => undefined);
  }
}

type Fail = (
  code: LLMErrorCode,
  message: string,
  extra?: Record<string, unknown>,
  cause?: unknown,
) => LLMError;

function parseMediaUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed == null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const shown = typeof url === 'string' ? url.slice(0, 100) : typeof url;
    throw new LLMError(
      'INVALID_PARAMETER',
      `media download: only http(s) URLs can be downloaded (got ${shown})`,
      {
        details: { url: shown },
      },
    );
  }
  return parsed;
}

/** The URL as shown in errors: no credentials, no query (signed URLs carry tokens there). */
function displayUrl(url: URL): string {
  const text = `${url.protocol}//${url.host}${url.pathname}`;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function checkMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_MEDIA_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `fetchRemoteMedia.maxBytes: must be a whole number ≥ 1 (got ${maxBytes})`,
      {
        details: { path: 'fetchRemoteMedia.maxBytes' },
      },
    );
  }
  return maxBytes;
}

function refused(fail: Fail, address: string, reason: string): LLMError {
  return fail(
    'INVALID_PARAMETER',
    `refused: ${address} is a ${reason} address (set fetchRemoteMedia.allowPrivateNetworks: true to allow it)`,
    { address, reason },
  );
}

/**
 * Resolves the host (an IP literal is its own address); unless `allowPrivate`, refuses it when any address
 * is not public. The connection then goes to exactly these addresses.
 */
async function resolvedAddresses(
  host: string,
  allowPrivate: boolean,
  context: DownloadContext,
  signal: AbortSignal,
  fail: Fail,
): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  if (family === 4 || family === 6) return [{ address: host, family }];
  let addresses: ResolvedAddress[];
  try {
    addresses = await untilAborted((context.resolveHost ?? resolveAll)(host), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw fail('API_REQUEST_FAILED', `could not resolve ${host}: ${message}`, {}, error);
  }
  if (addresses.length === 0) throw fail('API_REQUEST_FAILED', `could not resolve ${host}: no address`);
  if (allowPrivate) return addresses;
  for (const { address } of addresses) {
    const reason = nonPublicReason(address);
    if (reason != null) throw refused(fail, `${host} (${address})`, reason);
  }
  return addresses;
}

async function resolveAll(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** @internal A `net.connect` lookup that answers with the addresses already checked, never asking DNS again. */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = typeof options === 'object' && options != null ? options : {};
    const family = wanted.family === 4 || wanted.family === 6 ? wanted.family : undefined;
    const usable = family == null ? addresses : addresses.filter((entry) => entry.family === family);
    const list = usable.length > 0 ? usable : addresses;
    if (wanted.all === true) {
      (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, list);
    } else {
      const [first] = list as [ResolvedAddress];
      callback(null, first.address, first.family);
    }
  };
}

/** Stops reading a body (destroying it emits an error nobody else listens to). */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function statusError(fail: Fail, status: number, location: string | undefined): LLMError {
  if (status >= 300 && status < 400) {
    let target = location ?? 'an unknown location';
    try {
      if (location != null) target = displayUrl(new URL(location));
    } catch {
      // a relative or malformed Location is shown as sent
    }
    return fail(
      'INVALID_PARAMETER',
      `the host answered ${status}, a redirect to ${target}; redirects are not followed`,
      {
        status,
        location: target,
      },
    );
  }
  const code: LLMErrorCode = status >= 500 ? 'API_REQUEST_FAILED' : 'INVALID_PARAMETER';
  return fail(code, `the host answered HTTP ${status}`, { status });
}

function mimeOf(
  data: Uint8Array,
  contentType: string | undefined,
  path: string,
): { mimeType: string | undefined; sniffed: boolean } {
  const sniffed = sniffMimeType(data.subarray(0, 4096));
  if (sniffed != null) return { mimeType: sniffed, sniffed: true };
  const header = contentType?.split(';')[0]?.trim().toLowerCase();
  if (header != null && header !== '' && !GENERIC_TYPES.has(header))
    return { mimeType: header, sniffed: false };
  return { mimeType: mimeFromFileName(path), sniffed: false };
}

function abortError(reason: unknown, url: string): LLMError {
  if (LLMError.isInstance(reason)) return reason;
  return new LLMError('ABORTED', `media download ${url}: aborted by the caller`, {
    details: { url },
    ...(reason !== undefined ? { cause: reason } : {}),
  });
}
