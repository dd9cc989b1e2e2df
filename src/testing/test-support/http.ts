/** Test helpers for the fake provider's own tests: plain `fetch` calls and SSE splitting. */

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The `data:` payloads of an event-stream body (any framing). */
export function sseData(text: string): string[] {
  return text
    .split(/\r\n\r\n|\n\n/)
    .filter((block) => block.length > 0)
    .flatMap((block) =>
      block
        .split(/\r\n|\n/)
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6)),
    );
}

/** The JSON `data:` payloads (everything but `[DONE]`). */
export function sseJson(text: string): Record<string, unknown>[] {
  return sseData(text)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

export const fixtureUrl = (path: string): URL =>
  new URL(`../../../fixtures/providers/${path}`, import.meta.url);
