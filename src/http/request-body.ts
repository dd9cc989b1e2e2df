import type { Dispatcher } from 'undici';
import { loadUndici } from './load-undici.js';
import type { ContentTypeRule } from './request-headers.js';

function isFormData(value: unknown): value is FormData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData'
  );
}

const JSON_CONTENT_TYPE: ContentTypeRule = { value: 'application/json', replace: false };

/**
 * Multipart encoding of a FormData. undici only encodes its own FormData class; the global one (Node's
 * bundled undici) is encoded by the global `Response`. Image uploads are in memory already.
 */
async function encodeMultipart(form: FormData): Promise<{ body: Uint8Array; contentType: string }> {
  const undici = await loadUndici();
  if (form instanceof undici.FormData) {
    const encoded = new undici.Response(form);
    return {
      body: new Uint8Array(await encoded.arrayBuffer()),
      contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
    };
  }
  const encoded = new Response(form);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
  };
}

/** A request body in its wire form, and how it sets the content type. */
export interface EncodedBody {
  body: Dispatcher.DispatchOptions['body'];
  contentType?: ContentTypeRule;
}

async function encodeForm(form: FormData): Promise<EncodedBody> {
  const encoded = await encodeMultipart(form);
  return { body: encoded.body, contentType: { value: encoded.contentType, replace: true } };
}

/**
 * The wire form of a request body: strings and bytes as they are, FormData as multipart (its boundary
 * replaces any content type; the only asynchronous case), anything else as JSON (`application/json`
 * unless the headers set a type). Nothing is sent for `GET`.
 */
export function encodeRequestBody(raw: unknown, method: string): EncodedBody | Promise<EncodedBody> {
  if (raw === undefined || method === 'GET') return { body: undefined };
  if (typeof raw === 'string' || raw instanceof Uint8Array) return { body: raw };
  if (isFormData(raw)) return encodeForm(raw);
  return { body: JSON.stringify(raw), contentType: JSON_CONTENT_TYPE };
}
