import { describe, expect, it } from 'vitest';
import { statusFromErrorBody } from './error-status.js';

const body = (error: object) => JSON.stringify({ error });

describe('statusFromErrorBody', () => {
  it.each([
    [body({ code: 429, status: 'RESOURCE_EXHAUSTED' }), 429],
    [body({ status: 'PERMISSION_DENIED' }), 403],
    [JSON.stringify([{ error: { code: 400, status: 'INVALID_ARGUMENT' } }]), 400],
    [body({ type: 'invalid_request_error', code: 'invalid_api_key' }), 401],
    [body({ type: 'authentication_error', code: 'invalid_request_error' }), 401],
    [body({ type: 'invalid_request_error', code: 'model_not_found' }), 404],
    [body({ type: 'tokens', code: 'rate_limit_exceeded' }), 429],
    [body({ type: 'insufficient_quota', code: 'insufficient_quota' }), 429],
    [body({ type: 'server_error', code: null }), 500],
    [body({ type: 'invalid_request_error', code: 'context_length_exceeded' }), 400],
    [JSON.stringify({ choices: [] }), 200],
    ['not json', 200],
  ])('%s → %i', (text, status) => {
    expect(statusFromErrorBody(text)).toBe(status);
  });
});
