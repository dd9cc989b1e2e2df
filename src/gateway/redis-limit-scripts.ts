/**
 * Redis layout of the gateway's limits. `C` = `<prefix>gw:{<token name, URI-encoded>}:` (the braces keep a
 * client's keys in one Redis Cluster slot, as the scripts need):
 *
 * | key | type | holds |
 * |---|---|---|
 * | `C rpm` | sorted set, `PEXPIRE` 60 s | one member per admitted request (its lease), scored by admission time |
 * | `C tpm` | hash, `PEXPIRE` 61 s | tokens used, by second (field = epoch ms of the second) |
 * | `C inflight` | sorted set, `PEXPIRE` | leases in flight, scored by when they expire (a crashed process's leases lapse) |
 */
export function limitKeys(prefix: string, client: string): [rpm: string, tpm: string, inflight: string] {
  const base = `${prefix}gw:{${encodeURIComponent(client)}}:`;
  return [`${base}rpm`, `${base}tpm`, `${base}inflight`];
}

/**
 * Admits one request, atomically. KEYS: rpm, tpm, inflight. ARGV: now (ms), rpm, tpm, maxConcurrent (0 =
 * none), lease, lease TTL (ms), window (ms). Checks every limit before counting anything; returns `{1}`, or
 * `{0, limit, retryAfterMs}`: for `tpm` when enough of the minute's tokens have left it, for `rpm` when the
 * oldest admission leaves it, 1000 for `maxConcurrent`.
 */
export const ACQUIRE_LUA = `
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local conc = tonumber(ARGV[4])
local lease = ARGV[5]
local ttl = tonumber(ARGV[6])
local window = tonumber(ARGV[7])
if tpm > 0 then
  local fields = redis.call('HGETALL', KEYS[2])
  local sum = 0
  local buckets = {}
  for i = 1, #fields, 2 do
    local t = tonumber(fields[i])
    local n = tonumber(fields[i + 1])
    if t <= now - window then
      redis.call('HDEL', KEYS[2], fields[i])
    else
      sum = sum + n
      buckets[#buckets + 1] = { t, n }
    end
  end
  if sum >= tpm then
    table.sort(buckets, function(a, b) return a[1] < b[1] end)
    local wait = 1000
    for _, bucket in ipairs(buckets) do
      sum = sum - bucket[2]
      if sum < tpm then
        wait = bucket[1] + window - now
        break
      end
    end
    if wait < 1 then wait = 1 end
    return { 0, 'tpm', wait }
  end
end
if conc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) >= conc then return { 0, 'maxConcurrent', 1000 } end
end
if rpm > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[1])
  if count >= rpm then
    local leaving = redis.call('ZRANGE', KEYS[1], count - rpm, count - rpm, 'WITHSCORES')
    local wait = tonumber(leaving[2]) + window - now
    if wait < 1 then wait = 1 end
    return { 0, 'rpm', wait }
  end
  redis.call('ZADD', KEYS[1], now, lease)
  redis.call('PEXPIRE', KEYS[1], window)
end
if conc > 0 then
  redis.call('ZADD', KEYS[3], now + ttl, lease)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return { 1 }
`;

/**
 * Ends a request. KEYS: tpm, inflight. ARGV: lease, tokens (0 = none), now (ms), window (ms). Frees the lease's
 * slot and adds the tokens to the current second's bucket.
 */
export const RELEASE_LUA = `
redis.call('ZREM', KEYS[2], ARGV[1])
local tokens = tonumber(ARGV[2])
if tokens > 0 then
  local now = tonumber(ARGV[3])
  local bucket = now - (now % 1000)
  redis.call('HINCRBY', KEYS[1], bucket, tokens)
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + 1000)
end
return 1
`;
