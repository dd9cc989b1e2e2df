/**
 * Redis layout of the key store. `B` = `<prefix>kp:<provider, URI-encoded>:`, `h` = SHA-256 of the key (hex);
 * nothing else identifies a key.
 *
 * | key | type | holds |
 * |---|---|---|
 * | `B keys` | set | hashes with a record (for `load`) |
 * | `B k:<h>` | hash | `v` version of the availability fields, `dis`, `cf` consecutive failures, `ok`/`fail` counts, `lat` latency sum, `err`/`errAt` last error |
 * | `B cd:<h>` | string, `PX` | whole-key cooldown end (epoch ms); expires with the cooldown |
 * | `B mc:<h>:<model>` | string, `PX` | hard cooldown end for one model; expires with it |
 * | `B mi:<h>` | set, `PEXPIRE` | models that may have a hard cooldown; expires with the longest |
 * | `B sc:<h>:<model>` | string, `PX` | soft cooldown end for one model (server error, timeout); expires with it |
 * | `B si:<h>` | set, `PEXPIRE` | models that may have a soft cooldown; expires with the longest |
 * | `B rr:<model>` | string | shared round-robin cursor (`INCR`) |
 * | `<prefix>kp:events` | channel | `{o: origin, p: provider, h, s: state}` on every availability change |
 */
export function providerBase(prefix: string, provider: string): string {
  return `${prefix}kp:${encodeURIComponent(provider)}:`;
}

export function eventsChannel(prefix: string): string {
  return `${prefix}kp:events`;
}

export function cursorKey(prefix: string, provider: string, model: string): string {
  return `${providerBase(prefix, provider)}rr:${model}`;
}

// A key's record as a table of strings (nil when it has none): the hash fields, `cd`, `m` {model = until}
// (hard cooldowns) and `s` {model = until} (soft cooldowns).
const READ = `
local function cooldowns(B, h, kind)
  local m, n = {}, 0
  for _, model in ipairs(redis.call('SMEMBERS', B .. kind .. 'i:' .. h)) do
    local u = redis.call('GET', B .. kind .. 'c:' .. h .. ':' .. model)
    if u then m[model] = u; n = n + 1 end
  end
  if n > 0 then return m end
  return nil
end
local function read(B, h)
  local raw = redis.call('HGETALL', B .. 'k:' .. h)
  if #raw == 0 then return nil end
  local s = {}
  for i = 1, #raw, 2 do s[raw[i]] = raw[i + 1] end
  local cd = redis.call('GET', B .. 'cd:' .. h)
  if cd then s.cd = cd end
  s.m = cooldowns(B, h, 'm')
  s.s = cooldowns(B, h, 's')
  return s
end
`;

/**
 * Compare-and-set of one key. ARGV: B, h, expected version, changed (0/1), Δok, Δfail, Δlatency, channel,
 * origin, provider, then when changed: dis, cf, err ('' = none), errAt, cooldown until, cooldown PX (0 = none),
 * and (kind, model, until, PX) quads, kind `m` (hard) or `s` (soft). Counters are added (so concurrent reports all count); the availability
 * fields are written only when the stored version is the expected one, else nothing is written and the
 * current record comes back: `{0, json}` (conflict) or `{1, json}` (written). A change is published.
 */
export const UPDATE_LUA = `${READ}
local B, h = ARGV[1], ARGV[2]
local st = B .. 'k:' .. h
local cur = tonumber(redis.call('HGET', st, 'v') or '0')
if cur ~= tonumber(ARGV[3]) then
  local s = read(B, h)
  return {0, s and cjson.encode(s) or 'null'}
end
local v = cur
if v == 0 then
  v = 1
  redis.call('SADD', B .. 'keys', h)
end
if ARGV[5] ~= '0' then redis.call('HINCRBY', st, 'ok', ARGV[5]) end
if ARGV[6] ~= '0' then redis.call('HINCRBY', st, 'fail', ARGV[6]) end
if ARGV[7] ~= '0' then redis.call('HINCRBYFLOAT', st, 'lat', ARGV[7]) end
local changed = ARGV[4] == '1'
if changed then
  v = v + 1
  redis.call('HSET', st, 'dis', ARGV[11], 'cf', ARGV[12])
  if ARGV[13] ~= '' then
    redis.call('HSET', st, 'err', ARGV[13], 'errAt', ARGV[14])
  else
    redis.call('HDEL', st, 'err', 'errAt')
  end
  local cd = B .. 'cd:' .. h
  if tonumber(ARGV[16]) > 0 then
    redis.call('SET', cd, ARGV[15], 'PX', ARGV[16])
  else
    redis.call('DEL', cd)
  end
  local keep, longest = {m = {}, s = {}}, {m = 0, s = 0}
  for i = 17, #ARGV, 4 do
    local kind, model, px = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 3])
    if keep[kind] and px and px > 0 then
      redis.call('SET', B .. kind .. 'c:' .. h .. ':' .. model, ARGV[i + 2], 'PX', px)
      keep[kind][model] = true
      if px > longest[kind] then longest[kind] = px end
    end
  end
  for _, kind in ipairs({'m', 's'}) do
    local index = B .. kind .. 'i:' .. h
    for _, model in ipairs(redis.call('SMEMBERS', index)) do
      if not keep[kind][model] then redis.call('DEL', B .. kind .. 'c:' .. h .. ':' .. model) end
    end
    redis.call('DEL', index)
    for model in pairs(keep[kind]) do redis.call('SADD', index, model) end
    if longest[kind] > 0 then redis.call('PEXPIRE', index, longest[kind]) end
  end
end
if v ~= cur then redis.call('HSET', st, 'v', v) end
local s = read(B, h)
if changed then
  redis.call('PUBLISH', ARGV[8], cjson.encode({o = ARGV[9], p = ARGV[10], h = h, s = s}))
end
return {1, cjson.encode(s)}
`;

/** Every record of a provider, as a JSON array (each with its hash `h`). ARGV: B. */
export const LOAD_LUA = `${READ}
local B = ARGV[1]
local out = {}
for _, h in ipairs(redis.call('SMEMBERS', B .. 'keys')) do
  local s = read(B, h)
  if s then
    s.h = h
    out[#out + 1] = s
  else
    redis.call('SREM', B .. 'keys', h)
  end
end
if #out == 0 then return '[]' end
return cjson.encode(out)
`;
