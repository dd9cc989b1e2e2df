import { packageInfo } from '../util/package-info.js';
import { ACCEPT_ENCODING } from './content-encoding.js';

/** This package's version (`'unknown'` when the code runs without its package.json). */
export const PACKAGE_VERSION = packageInfo().version ?? 'unknown';

/** The `user-agent` of every request unless the provider's `headers` set one (API.md §5). */
export const USER_AGENT = `switchboard-llm/${PACKAGE_VERSION}`;

/** How the request's content type is set: only when the headers lack one, or always (a multipart boundary). */
export interface ContentTypeRule {
  value: string;
  replace: boolean;
}

/**
 * The headers sent on the wire: a copy of the request's (the provider's `headers` are merged in by the
 * dialect) plus `user-agent` and `accept-encoding` (`gzip, deflate, br`) when not set in any letter case,
 * and the content type per `contentType`. Never mutates `headers` (it may be the caller's object).
 */
export function outgoingHeaders(
  headers: Record<string, string>,
  contentType?: ContentTypeRule,
): Record<string, string> {
  const out: Record<string, string> = {};
  let hasAgent = false;
  let hasEncoding = false;
  let hasContentType = false;
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-type') {
      if (contentType?.replace === true) continue;
      hasContentType = true;
    } else if (lower === 'user-agent') hasAgent = true;
    else if (lower === 'accept-encoding') hasEncoding = true;
    out[name] = headers[name]!;
  }
  if (!hasAgent) out['user-agent'] = USER_AGENT;
  if (!hasEncoding) out['accept-encoding'] = ACCEPT_ENCODING;
  if (contentType != null && !hasContentType) out['content-type'] = contentType.value;
  return out;
}
