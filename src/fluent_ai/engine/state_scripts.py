"""The Lua scripts that keep a deployment's shared state in Redis, each run atomically.

A deployment's state is three keys under the router state's prefix: a hash (the
cooldown's end, the circuit's state, the rpm and tpm buckets' levels and stamps), a
sorted set of the calls in flight scored by when their lease ends, and a sorted set of
recent failure times (the cooldown's window). :data:`ADMIT` checks everything one call
needs and takes it only when all of it is there, so concurrent processes never
overshoot a limit or let through more circuit probes than allowed; :data:`ENDED`
records how a call ended. Both mirror :mod:`fluent_ai.engine.health` and
:mod:`fluent_ai.engine.limits` rule for rule, and both reply with the shared health
(circuit, cooldown left, seconds since the circuit opened, failures in a row) so each
process's :meth:`Router.health` shows what it last saw.

Times are passed in (seconds on the state's clock, wall time by default, so every
process agrees) and numbers are written with ``%.17g``, losing nothing.
"""

from __future__ import annotations

_COMMON = """
local function num(v) return string.format('%.17g', v) end
local h, flight, fails = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
local f = redis.call('HMGET', h, 'until', 'circuit', 'opened_at', 'probes', 'failures',
  'successes', 'rpm_level', 'rpm_stamp', 'tpm_level', 'tpm_stamp')
local cd_until = tonumber(f[1]) or 0
local circuit = f[2] or 'closed'
local opened_at = tonumber(f[3]) or 0
local probes = tonumber(f[4]) or 0
local failures = tonumber(f[5]) or 0
local successes = tonumber(f[6]) or 0
local function level(value, stamp, limit)
  local l = tonumber(value)
  if l == nil then return limit end
  return math.min(limit, l + math.max(0, now - tonumber(stamp)) * limit / 60)
end
local function health()
  return {circuit, num(math.max(0, cd_until - now)), num(now - opened_at), failures}
end
local function keep(ttl)
  redis.call('PEXPIRE', h, ttl)
  redis.call('PEXPIRE', flight, ttl)
  redis.call('PEXPIRE', fails, ttl)
end
"""

ADMIT = (
    _COMMON
    + """
-- ARGV: now, call id, lease, max_in_flight, rpm, tpm, tokens, open_for, probes, ttl ms
local function refuse(why, detail) return {why, num(detail), 0, health()} end
if now < cd_until then return refuse('cooling', cd_until - now) end
redis.call('ZREMRANGEBYSCORE', flight, '-inf', now)
local busy = redis.call('ZCARD', flight)
if ARGV[4] ~= '' and busy >= tonumber(ARGV[4]) then return refuse('full', busy) end
if circuit == 'open' then
  local open_for = tonumber(ARGV[8])
  if now - opened_at < open_for then return refuse('open', opened_at + open_for - now) end
  circuit, probes, failures, successes = 'half_open', 0, 0, 0
  redis.call('HSET', h, 'circuit', circuit, 'probes', 0, 'failures', 0, 'successes', 0)
end
if circuit == 'half_open' and probes >= tonumber(ARGV[9]) then
  return refuse('probing', probes)
end
local rpm, tpm, tokens
if ARGV[5] ~= '' then
  local limit = tonumber(ARGV[5])
  rpm = level(f[7], f[8], limit)
  if rpm < 1 - 1e-9 then return refuse('rpm', (1 - rpm) * 60 / limit) end
end
if ARGV[6] ~= '' then
  local limit = tonumber(ARGV[6])
  tokens = math.min(tonumber(ARGV[7]), limit)
  tpm = level(f[9], f[10], limit)
  if tpm < tokens - 1e-9 then return refuse('tpm', (tokens - tpm) * 60 / limit) end
end
if rpm then redis.call('HSET', h, 'rpm_level', num(rpm - 1), 'rpm_stamp', num(now)) end
if tpm then redis.call('HSET', h, 'tpm_level', num(tpm - tokens), 'tpm_stamp', num(now)) end
redis.call('ZADD', flight, num(now + tonumber(ARGV[3])), ARGV[2])
local probe = 0
if circuit == 'half_open' then
  probe = 1
  redis.call('HINCRBY', h, 'probes', 1)
end
keep(ARGV[10])
return {'ok', num(busy + 1), probe, health()}
"""
)

ENDED = (
    _COMMON
    + """
-- ARGV: now, call id, outcome (ok|fault|rate|none), probe (0|1), tpm, tokens back,
-- retry after, allowed_failures, window, cooldown, breaker_failures, close_after,
-- ttl ms, channel, failure id
local outcome, probe = ARGV[3], ARGV[4] == '1'
local freed = redis.call('ZREM', flight, ARGV[2])
local back = tonumber(ARGV[6])
if ARGV[5] ~= '' and back ~= 0 then
  local limit = tonumber(ARGV[5])
  local tpm = math.min(limit, level(f[9], f[10], limit) + back)
  redis.call('HSET', h, 'tpm_level', num(tpm), 'tpm_stamp', num(now))
end
if probe then probes = math.max(0, probes - 1) end
local function move(state)
  circuit, failures, successes = state, 0, 0
  if state == 'open' then opened_at = now end
end
local function failure()
  redis.call('ZADD', fails, num(now), ARGV[15])
  redis.call('ZREMRANGEBYSCORE', fails, '-inf', num(now - tonumber(ARGV[9])))
  if redis.call('ZCARD', fails) >= tonumber(ARGV[8]) then
    redis.call('DEL', fails)
    cd_until = math.max(cd_until, now + tonumber(ARGV[10]))
  end
end
if outcome == 'ok' then
  if probe then
    if circuit == 'half_open' then
      successes = successes + 1
      if successes >= tonumber(ARGV[12]) then move('closed') end
    end
  elseif circuit == 'closed' then
    failures = 0
  end
elseif outcome == 'fault' then
  failure()
  if probe then
    if circuit == 'half_open' then move('open') end
  elseif circuit == 'closed' then
    failures = failures + 1
    if failures >= tonumber(ARGV[11]) then move('open') end
  end
elseif outcome == 'rate' then
  if ARGV[7] ~= '' then
    cd_until = math.max(cd_until, now + tonumber(ARGV[7]))
  else
    failure()
  end
end
redis.call('HSET', h, 'until', num(cd_until), 'circuit', circuit, 'opened_at', num(opened_at),
  'probes', probes, 'failures', failures, 'successes', successes)
keep(ARGV[13])
if freed == 1 or back > 0 then redis.call('PUBLISH', ARGV[14], h) end
return health()
"""
)
