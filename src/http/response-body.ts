import type { Dispatcher } from 'undici';

/** undici's headers with multi-valued ones joined, in place (no copy on the hot path). */
export function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in raw) {
    const value = raw[name];
    if (typeof value !== 'string') {
      if (value === undefined) delete raw[name];
      else raw[name] = value.join(', ');
    }
  }
  return raw as Record<string, string>;
}

/** `application/json` or any `+json` type (`application/problem+json`), parameters ignored. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header == null) return false;
  const semicolon = header.indexOf(';');
  const type = (semicolon >= 0 ? header.slice(0, semicolon) : header).trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** A body already read, as the one-chunk stream a stream reader expects. */
export async function* bodyOfText(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

/** Releases an answer that arrived after its attempt was aborted. */
export function discardResponse(response: Dispatcher.ResponseData): void {
  discard(response.body);
}

/** Drops a body without reading it (the connection is closed); the abort it causes is nobody's error. */
export function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}
