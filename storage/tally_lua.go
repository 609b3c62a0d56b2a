package storage

import "github.com/redis/go-redis/v9"

// The scripts of the tallies' generations (see "Tally generations" in the package comment).
// Every one of them gets the period's generation pointer, P{t:<period>}:gen, as a key and
// derives the names of the generation's keys from it: they share its hash tag, so on Cluster
// they sit in the same slot, where a script may reach keys it was not given (Redis 7). A
// generation's keys are P{t:<period>}:g<n>:…; generation "0" is the tallies kept before
// generations, under the old names P{t:<period>}:tally:…, which keep working until a recount
// replaces them.

// genLua names a generation's keys: gp(base, g) is the prefix of generation g's keys, base
// being P{t:<period>}: (the pointer's name without "gen").
const genLua = `
local function gp(base, g)
  if not g or g == '0' then return base end
  return base .. 'g' .. g .. ':'
end
local function baseOf(key) return string.sub(key, 1, -4) end
local function putCode(p, form, at, state)
  local rank, c = math.floor(state / 2), state % 2 * 2
  if rank > 0 and rank % 2 == 0 then c = c + 1 end
  local key = p .. 'bits:' .. form
  redis.call('SETRANGE', key, at, string.char(c))
  redis.call('SADD', p .. 'tallies', key)
end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`

// tallyLua applies a tallyChange inside a script. KEYS[k0] is the period's generation pointer;
// ARGV from a0 on: the report ("<unit>:<form>"), the rank of the state it moves to (rankOf),
// whether that state is late (0/1), the writer's model fingerprint, its layout (the order of
// the directory's units), the unit's place in it, the form, the number of field, increment
// pairs, the pairs, then the tallies (node:org:form) they go to.
//
// The change goes to the current generation, unless a recount already counted that state (its
// "seen" rank holds it), and records the report's state there: in "state", and, when the
// generation's layout is the writer's, as the unit's byte of "bits:<form>" (statusCode). A new
// period's first write makes its first generation, of the writer's layout. While a recount builds the next
// generation it goes there too, on the same rule, if the recount has counted the report; if
// not, the rank is kept in the build's "pend", so the recount knows the submission it read may
// be older than this. A writer whose fingerprint differs from the one stored marks the period
// to be recounted (the fingerprint goes); one that differs from the build's taints the build.
// A field that comes back to zero is deleted, so an emptied tally reads as the zero Tally.
const tallyLua = genLua + `
local function tally(k0, a0)
  if #KEYS < k0 then return end
  local base = baseOf(KEYS[k0])
  local uf, r1, late, fp = ARGV[a0], tonumber(ARGV[a0 + 1]), tonumber(ARGV[a0 + 2]), ARGV[a0 + 3]
  local layout, at, form = ARGV[a0 + 4], tonumber(ARGV[a0 + 5]), ARGV[a0 + 6]
  local f0 = a0 + 8
  local s0 = f0 + 2 * tonumber(ARGV[a0 + 7])
  local function into(p)
    for i = s0, #ARGV do
      local key = p .. 'tally:' .. ARGV[i]
      for j = f0, s0 - 1, 2 do
        if redis.call('HINCRBY', key, ARGV[j], ARGV[j + 1]) == 0 then redis.call('HDEL', key, ARGV[j]) end
      end
      redis.call('SADD', p .. 'tallies', key)
    end
    if math.floor((tonumber(redis.call('HGET', p .. 'state', uf)) or 0) / 2) < r1 then
      redis.call('HSET', p .. 'state', uf, 2 * r1 + late)
      if at >= 0 and redis.call('GET', p .. 'layout') == layout then
        putCode(p, form, at, 2 * r1 + late)
      end
    end
  end
  local function holds(p)
    local seen = redis.call('HGET', p .. 'seen', uf)
    return seen and tonumber(seen) >= r1
  end
  local g = redis.call('GET', KEYS[k0])
  if not g then
    if redis.call('EXISTS', base .. 'tallies') == 1 then
      g = '0'
    else
      g = tostring(redis.call('INCR', base .. 'gens'))
      redis.call('SET', KEYS[k0], g)
      redis.call('SET', gp(base, g) .. 'layout', layout)
    end
  end
  local cur = gp(base, g)
  if not holds(cur) then into(cur) end
  local stored = redis.call('GET', base .. 'fp')
  if stored and string.sub(stored, 1, #fp) ~= fp then redis.call('DEL', base .. 'fp') end
  local b = redis.call('HMGET', base .. 'build', 'gen', 'fp')
  if not b[1] then return end
  if not b[2] or string.sub(b[2], 1, #fp) ~= fp then redis.call('HSET', base .. 'build', 'tainted', '1') end
  local sh = gp(base, b[1])
  if redis.call('HEXISTS', sh .. 'seen', uf) == 1 then
    if not holds(sh) then into(sh) end
  elseif (tonumber(redis.call('HGET', sh .. 'pend', uf)) or 0) < r1 then
    redis.call('HSET', sh .. 'pend', uf, r1)
  end
end
`

// readTallyScript returns the tallies ARGV names (node:org:form) of the current generation of
// the period whose pointer is KEYS[1], each as HGETALL gives it: one step, so a reader never
// mixes two generations.
var readTallyScript = redis.NewScript(genLua + `
local p = gp(baseOf(KEYS[1]), redis.call('GET', KEYS[1]))
local out = {}
for i = 1, #ARGV do out[i] = redis.call('HGETALL', p .. 'tally:' .. ARGV[i]) end
return out
`)

// statusScript returns, for the reports ARGV names ("<unit>:<form>"), the state the current
// generation of KEYS[1]'s period holds of each (2·rank + late; nil for nothing): HMGET's reply,
// which Redis writes out itself. It returns an empty array when nothing was ever counted in the
// period (nothing is in), and nil when the current generation keeps no states (tallies from
// before generations: the caller reads the submissions instead).
var statusScript = redis.NewScript(genLua + `
local base = baseOf(KEYS[1])
local g = redis.call('GET', KEYS[1])
if not g then
  if redis.call('EXISTS', base .. 'tallies') == 1 then return false end
  return {}
end
return redis.call('HMGET', gp(base, g) .. 'state', unpack(ARGV))
`)

// statusBitsScript returns the status of every unit at once, for the forms ARGV names: the
// current generation's layout, then each form's "bits" string, a byte per unit at its place in
// the layout (statusCode; past the end, or 0: nothing in). The caller uses them when the layout
// is its own. It returns an empty array when nothing was ever counted in the period, nil when
// the current generation keeps no layout (the caller asks statusScript).
var statusBitsScript = redis.NewScript(genLua + `
local base = baseOf(KEYS[1])
local g = redis.call('GET', KEYS[1])
if not g then
  if redis.call('EXISTS', base .. 'tallies') == 1 then return false end
  return {}
end
local p = gp(base, g)
local layout = redis.call('GET', p .. 'layout')
if not layout then return false end
local out = {layout}
for i = 1, #ARGV do out[i + 1] = redis.call('GET', p .. 'bits:' .. ARGV[i]) or '' end
return out
`)

// buildClaimScript starts or resumes the build of the next generation of KEYS[1]'s period for
// ARGV[1] (owner) at fingerprint ARGV[2], with a lease of ARGV[3] ms on the server's clock;
// ARGV[4] "1" builds even when the stored fingerprint is ARGV[2]; ARGV[5] is the layout a new
// generation's status bytes follow. It returns {verdict, gen,
// cursor}: "fresh" (the stored generation is of ARGV[2]: nothing to do), "busy" (another
// owner's lease runs), "start" (gen is new, cursor 0) or "resume" (an abandoned build of the
// same fingerprint, or the owner's own, from its cursor). An abandoned build of another
// fingerprint goes to the trash.
var buildClaimScript = redis.NewScript(genLua + `
local base = baseOf(KEYS[1])
local build = base .. 'build'
local now = nowMs()
local b = redis.call('HMGET', build, 'owner', 'until', 'fp', 'gen', 'cursor')
if b[1] then
  if b[1] ~= ARGV[1] and (tonumber(b[2]) or 0) > now then return {'busy', b[4], '0'} end
  if b[3] == ARGV[2] then
    redis.call('HSET', build, 'owner', ARGV[1], 'until', now + tonumber(ARGV[3]))
    return {'resume', b[4], b[5] or '0'}
  end
  redis.call('SADD', base .. 'trash', b[4])
  redis.call('DEL', build)
end
if ARGV[4] ~= '1' and redis.call('GET', base .. 'fp') == ARGV[2] then return {'fresh', '', '0'} end
local h = tostring(redis.call('INCR', base .. 'gens'))
redis.call('HSET', build, 'owner', ARGV[1], 'gen', h, 'fp', ARGV[2], 'until', now + tonumber(ARGV[3]), 'cursor', '0')
redis.call('SET', gp(base, h) .. 'layout', ARGV[5])
return {'start', h, '0'}
`)

// buildChunkScript counts a chunk of reports into the generation being built. KEYS[1] is the
// period's pointer; ARGV: owner, lease ms, gen, the cursor after this chunk, the number n of
// reports, n groups of the report ("<unit>:<form>"), the state the recount read (2·rank + late),
// the unit's place in the layout and the form, then groups of a tally (node:org:form), a number
// of pairs and the field, increment pairs.
// It returns {-1} when the build is no longer the owner's; {0, report…} when a write has moved
// some report past the state read (the caller reads them again and sends the chunk again),
// counting nothing; {1} when counted. Each call extends the lease.
var buildChunkScript = redis.NewScript(genLua + `
local base = baseOf(KEYS[1])
local build = base .. 'build'
local b = redis.call('HMGET', build, 'owner', 'gen')
if b[1] ~= ARGV[1] or b[2] ~= ARGV[3] then return {-1} end
redis.call('HSET', build, 'until', nowMs() + tonumber(ARGV[2]))
local sh = gp(base, ARGV[3])
local n = tonumber(ARGV[5])
local last = 5 + 4 * n
local stale = {0}
for i = 6, last, 4 do
  if (tonumber(redis.call('HGET', sh .. 'pend', ARGV[i])) or 0) > math.floor(tonumber(ARGV[i + 1]) / 2) then
    stale[#stale + 1] = ARGV[i]
  end
end
if #stale > 1 then return stale end
local seen, state = {}, {}
for i = 6, last, 4 do
  local v = tonumber(ARGV[i + 1])
  seen[#seen + 1] = ARGV[i]
  seen[#seen + 1] = math.floor(v / 2)
  if v > 1 then
    state[#state + 1] = ARGV[i]
    state[#state + 1] = v
    putCode(sh, ARGV[i + 3], tonumber(ARGV[i + 2]), v)
  end
end
if #seen > 0 then redis.call('HSET', sh .. 'seen', unpack(seen)) end
if #state > 0 then redis.call('HSET', sh .. 'state', unpack(state)) end
local i = last + 1
while i <= #ARGV do
  local key = sh .. 'tally:' .. ARGV[i]
  local nf = tonumber(ARGV[i + 1])
  for j = i + 2, i + 1 + 2 * nf, 2 do
    if redis.call('HINCRBY', key, ARGV[j], ARGV[j + 1]) == 0 then redis.call('HDEL', key, ARGV[j]) end
  end
  redis.call('SADD', sh .. 'tallies', key)
  i = i + 2 + 2 * nf
end
redis.call('HSET', build, 'cursor', ARGV[4])
return {1}
`)

// buildSwitchScript makes the built generation ARGV[2] current, if ARGV[1] still owns the build:
// the pointer moves, the fingerprint is stored (dropped if a writer of another model tainted
// the build), and the old generation goes to the trash. It returns 1, or -1 when the build is
// no longer the owner's.
var buildSwitchScript = redis.NewScript(genLua + `
local base = baseOf(KEYS[1])
local build = base .. 'build'
local b = redis.call('HMGET', build, 'owner', 'gen', 'fp', 'tainted')
if b[1] ~= ARGV[1] or b[2] ~= ARGV[2] then return -1 end
local old = redis.call('GET', KEYS[1])
if old then
  redis.call('SADD', base .. 'trash', old)
elseif redis.call('EXISTS', base .. 'tallies') == 1 then
  redis.call('SADD', base .. 'trash', '0')
end
redis.call('SET', KEYS[1], ARGV[2])
if b[4] then redis.call('DEL', base .. 'fp') else redis.call('SET', base .. 'fp', b[3]) end
redis.call('DEL', build, gp(base, ARGV[2]) .. 'pend')
return 1
`)
