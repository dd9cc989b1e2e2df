import { describe, expect, it } from 'vitest';
import { outgoingHeaders, USER_AGENT } from './request-headers.js';

describe('outgoingHeaders', () => {
  it('adds the user-agent and the content type to a copy, never to the given object', () => {
    const given = { authorization: 'Bearer test-key-1' };
    const sent = outgoingHeaders(given, { value: 'application/json', replace: false });
    expect(sent).toEqual({
      authorization: 'Bearer test-key-1',
      'user-agent': USER_AGENT,
      'accept-encoding': 'gzip, deflate, br',
      'content-type': 'application/json',
    });
    expect(given).toEqual({ authorization: 'Bearer test-key-1' });
    expect(USER_AGENT).toMatch(/^switchboard-llm\/\d+\.\d+\.\d+/);
  });

  it('keeps a user-agent, accept-encoding or content type set in any letter case; a replacing content type wins', () => {
    expect(
      outgoingHeaders(
        { 'USER-AGENT': 'mine/1', 'Accept-Encoding': 'identity', 'Content-Type': 'text/plain' },
        { value: 'application/json', replace: false },
      ),
    ).toEqual({
      'USER-AGENT': 'mine/1',
      'Accept-Encoding': 'identity',
      'Content-Type': 'text/plain',
    });
    expect(
      outgoingHeaders(
        { 'Content-Type': 'application/json' },
        { value: 'multipart/form-data; boundary=x', replace: true },
      ),
    ).toEqual({
      'user-agent': USER_AGENT,
      'accept-encoding': 'gzip, deflate, br',
      'content-type': 'multipart/form-data; boundary=x',
    });
  });
});
