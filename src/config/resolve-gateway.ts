import { hashKey } from '../util/key-id.js';
import { GATEWAY_DEFAULTS, type ParsedGateway } from './gateway-schema.js';
import type { ResolvedGateway, ResolvedGatewayToken } from './resolved-config.js';

/**
 * The `gateway` group with its defaults applied and every token replaced by its SHA-256 (the plain token is
 * not kept). `undefined` (no group) gives the defaults: no tokens.
 *
 * @example resolveGateway({ tokens: [{ name: 'web', token: 'a-long-client-token-1' }] }).tokens[0].tokenHash // 64 hex digits
 */
export function resolveGateway(parsed: ParsedGateway | undefined): ResolvedGateway {
  const group = parsed ?? {};
  const resolved: ResolvedGateway = {
    port: group.port ?? GATEWAY_DEFAULTS.port,
    host: group.host ?? GATEWAY_DEFAULTS.host,
    tokens: (group.tokens ?? []).map(resolveToken),
    bodyLimitBytes: group.bodyLimitBytes ?? GATEWAY_DEFAULTS.bodyLimitBytes,
    allowUnauthenticatedLoopback: group.allowUnauthenticatedLoopback ?? false,
    headersTimeoutMs: group.headersTimeoutMs ?? GATEWAY_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: group.bodyTimeoutMs ?? GATEWAY_DEFAULTS.bodyTimeoutMs,
    drainTimeoutMs: group.drainTimeoutMs ?? GATEWAY_DEFAULTS.drainTimeoutMs,
    accessLog: group.accessLog ?? true,
  };
  if (group.requestTimeoutMs != null) resolved.requestTimeoutMs = group.requestTimeoutMs;
  return resolved;
}

function resolveToken(entry: NonNullable<ParsedGateway['tokens']>[number]): ResolvedGatewayToken {
  const token: ResolvedGatewayToken = { name: entry.name, tokenHash: hashKey(entry.token.trim()) };
  if (entry.models != null) token.models = [...entry.models];
  if (entry.rpm != null) token.rpm = entry.rpm;
  if (entry.tpm != null) token.tpm = entry.tpm;
  if (entry.maxConcurrent != null) token.maxConcurrent = entry.maxConcurrent;
  if (entry.budgetUsdPerDay != null) token.budgetUsdPerDay = entry.budgetUsdPerDay;
  if (entry.expiresAt != null) token.expiresAt = Date.parse(entry.expiresAt.trim());
  return token;
}
