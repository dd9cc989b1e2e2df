import { hash, timingSafeEqual } from 'node:crypto';
import type { ResolvedGatewayToken } from '../config/resolved-config.js';
import { GatewayError } from './gateway-error.js';
import { ALLOW_ALL, type ModelMatcher, modelMatcher } from './model-globs.js';

/** An authenticated client: its token's name, limits and model globs (never the token). */
export interface GatewayClient {
  /** The token's `name` (`anonymous` in the unauthenticated loopback mode). */
  readonly name: string;
  readonly models: ModelMatcher;
  readonly rpm?: number;
  readonly tpm?: number;
  readonly maxConcurrent?: number;
  readonly budgetUsdPerDay?: number;
  /** Whether any of `rpm`, `tpm`, `maxConcurrent` is set (the limit store is skipped otherwise). */
  readonly limited: boolean;
}

interface Entry {
  client: GatewayClient;
  /** The token's SHA-256 as 64 lowercase hex digits, in bytes (the constant-time confirmation). */
  hash: Buffer;
  expiresAt?: number;
}

/** The client of the unauthenticated loopback mode: every model, no limits. */
export const ANONYMOUS: GatewayClient = { name: 'anonymous', models: ALLOW_ALL, limited: false };

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

function unauthorized(message: string): GatewayError {
  return new GatewayError(401, 'invalid_request_error', 'invalid_api_key', message, {
    headers: { 'www-authenticate': 'Bearer' },
  });
}

/**
 * The client tokens, by SHA-256. `authenticate` hashes the presented token, looks the hash up and confirms it
 * with a constant-time comparison; lookup timing depends only on the hash, which tells nothing about tokens.
 */
export class TokenTable {
  private readonly byHash = new Map<string, Entry>();

  constructor(tokens: readonly ResolvedGatewayToken[]) {
    for (const token of tokens) {
      const limited = token.rpm != null || token.tpm != null || token.maxConcurrent != null;
      const client: GatewayClient = {
        name: token.name,
        models: modelMatcher(token.models),
        limited,
        ...(token.rpm != null ? { rpm: token.rpm } : {}),
        ...(token.tpm != null ? { tpm: token.tpm } : {}),
        ...(token.maxConcurrent != null ? { maxConcurrent: token.maxConcurrent } : {}),
        ...(token.budgetUsdPerDay != null ? { budgetUsdPerDay: token.budgetUsdPerDay } : {}),
      };
      const entry: Entry = { client, hash: Buffer.from(token.tokenHash, 'latin1') };
      if (token.expiresAt != null) entry.expiresAt = token.expiresAt;
      this.byHash.set(token.tokenHash, entry);
    }
  }

  /** Number of tokens configured. */
  get size(): number {
    return this.byHash.size;
  }

  /**
   * The client presenting `authorization` (`Bearer <token>`) at `now`.
   * @throws GatewayError 401 `invalid_api_key` when the header is missing or malformed, the token unknown or expired.
   */
  authenticate(authorization: string | undefined, now: number): GatewayClient {
    const match = authorization != null ? BEARER.exec(authorization) : null;
    if (match == null) {
      throw unauthorized('Missing bearer token: send "Authorization: Bearer <your gateway token>".');
    }
    // One-shot `hash` (no Hash object) straight to hex: about half the cost of createHash().update().digest().
    const digest = hash('sha256', match[1] as string, 'hex');
    const entry = this.byHash.get(digest);
    if (entry == null || !timingSafeEqual(entry.hash, Buffer.from(digest, 'latin1'))) {
      throw unauthorized('Invalid gateway token.');
    }
    if (entry.expiresAt != null && now >= entry.expiresAt) {
      throw unauthorized(`The gateway token "${entry.client.name}" has expired.`);
    }
    return entry.client;
  }
}
