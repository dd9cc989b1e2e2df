import type { MultipartBody, MultipartFile } from './fake-provider-types.js';

/** The boundary of a `multipart/form-data` content type, or `undefined` for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType == null || !/^\s*multipart\/form-data/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  const quoted = match?.[1];
  return quoted != null ? quoted.replace(/\\(.)/g, '$1') : match?.[2];
}

function addField(body: MultipartBody, name: string, value: string | MultipartFile): void {
  const existing = body[name];
  if (existing === undefined) body[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else body[name] = [existing, value];
}

/** Parses a `multipart/form-data` body: text fields as strings, files with name, type, size and bytes. */
export function parseMultipart(raw: Buffer, boundary: string): MultipartBody {
  const body: MultipartBody = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is "\r\n<headers>\r\n\r\n<data>\r\n" between two delimiters.
    const part = raw.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const data = part.subarray(headerEnd + 4, Math.max(headerEnd + 4, part.length - 2));
      const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
      const name = headerParam(disposition, 'name');
      if (name != null) {
        const filename = headerParam(disposition, 'filename');
        const contentType = /^content-type:\s*(.*?)\s*$/im.exec(headers)?.[1];
        if (filename != null || (contentType != null && !contentType.startsWith('text/plain'))) {
          const file: MultipartFile = {
            name,
            filename: filename ?? '',
            contentType: contentType ?? 'application/octet-stream',
            size: data.length,
            data: Buffer.from(data),
          };
          addField(body, name, file);
        } else {
          addField(body, name, data.toString('utf8'));
        }
      }
    }
    start = next;
  }
  return body;
}
