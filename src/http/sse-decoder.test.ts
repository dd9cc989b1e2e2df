import { describe, expect, it } from 'vitest';
import { MAX_SSE_EVENT_CHARS, SseDecoder } from './sse-decoder.js';

function decodeAll(chunks: (string | Uint8Array)[]) {
  const events: { data: string; event: string | undefined }[] = [];
  const decoder = new SseDecoder((data, event) => events.push({ data, event }));
  for (const chunk of chunks) decoder.push(chunk);
  const trailing = decoder.end();
  return { events, trailing };
}

describe('SseDecoder', () => {
  it('splits LF and CRLF framed events, across chunk boundaries', () => {
    const { events } = decodeAll(['data: {"a":1}\n\nda', 'ta: {"a":2}\r\n\r', '\ndata: [DONE]\n\n']);
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', '{"a":2}', '[DONE]']);
  });

  it('joins multi-line data and keeps event names; ignores comments', () => {
    const { events, trailing } = decodeAll([
      ': OPENROUTER PROCESSING\n\nevent: delta\ndata: line1\ndata: line2\n\n',
    ]);
    expect(events).toEqual([{ data: 'line1\nline2', event: 'delta' }]);
    expect(trailing).toBe('');
  });

  it('delivers a last event that lacks its closing blank line', () => {
    const { events } = decodeAll(['data: {"a":1}\r\n\r\ndata: {"a":2}\r\n']);
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', '{"a":2}']);
    expect(decodeAll(['data: {"b":1}']).events.map((e) => e.data)).toEqual(['{"b":1}']);
  });

  it('decodes UTF-8 split across byte chunks', () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo 世界"}\n\n');
    const { events } = decodeAll([bytes.slice(0, 12), bytes.slice(12, 20), bytes.slice(20)]);
    expect(events[0]?.data).toBe('{"t":"héllo 世界"}');
  });

  it('collects non-SSE lines (a bare JSON error after the events) as trailing text', () => {
    const body =
      'data: {"x":1}\r\n\r\n{\n  "error": {\n    "code": 499,\n    "status": "CANCELLED"\n  }\n}\n';
    const { events, trailing } = decodeAll([body]);
    expect(events).toHaveLength(1);
    expect(JSON.parse(trailing)).toEqual({ error: { code: 499, status: 'CANCELLED' } });
  });

  it('returns a whole JSON body served on a streaming request as trailing text', () => {
    const { events, trailing } = decodeAll([
      '{"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}}',
    ]);
    expect(events).toHaveLength(0);
    expect(JSON.parse(trailing).error.code).toBe(400);
  });

  it('an unterminated line past the per-event limit throws API_RESPONSE_INVALID at the limit, not at its end', () => {
    const decoder = new SseDecoder(() => {});
    const chunk = 'x'.repeat(64 * 1024);
    let fed = 0;
    let error: unknown;
    try {
      decoder.push('data: ');
      // 12 MiB offered; the decoder must give up right after 8 MiB.
      for (; fed < 192; fed++) decoder.push(chunk);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({
      code: 'API_RESPONSE_INVALID',
      retryable: false,
      details: { limit: MAX_SSE_EVENT_CHARS },
    });
    // The push that crossed the limit threw: nothing past it was fed (let alone buffered).
    expect((fed + 1) * chunk.length + 'data: '.length).toBeGreaterThan(MAX_SSE_EVENT_CHARS);
    expect(fed * chunk.length).toBeLessThanOrEqual(MAX_SSE_EVENT_CHARS);
  });

  it('a multi-line event whose data adds up past the limit throws too; events under it pass', () => {
    const events: string[] = [];
    const decoder = new SseDecoder((data) => events.push(data), 1000);
    decoder.push(`data: ${'a'.repeat(900)}\n\n`);
    expect(events).toHaveLength(1);
    const line = `data: ${'b'.repeat(300)}\n`;
    expect(() => {
      for (let i = 0; i < 4; i++) decoder.push(line);
    }).toThrow(/per-event limit of 1000 characters/);
    expect(events).toHaveLength(1);
  });
});
