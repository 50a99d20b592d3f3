/**
 * The Lua scripts of the batched queue. Each runs atomically in Redis, which is what makes the
 * per-object states exclusive: an object is in at most one of waiting / delayed, and at most
 * once in active (plus at most one dirty entry while active).
 *
 * KEYS (all scripts): 1 waiting, 2 data, 3 active, 4 dirty, 5 delayed, 6 leases, 7 seq,
 * 8 failed, 9 completed. Lease sets are `<base>obj:lease:<leaseId>` (ARGV[1] = base).
 */

/** ARGV: base, then pairs (refKey, json). Returns how many objects became waiting. */
export const ENQUEUE = `
local added = 0
for i = 2, #ARGV, 2 do
  local ref, json = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', KEYS[3], ref) == 1 then
    redis.call('HSET', KEYS[4], ref, json)
  elseif not redis.call('ZSCORE', KEYS[1], ref) and not redis.call('ZSCORE', KEYS[5], ref) then
    redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[7]), ref)
    redis.call('HSET', KEYS[2], ref, json)
    added = added + 1
  end
end
return added
`;

/**
 * ARGV: base, leaseId, limit, now. Promotes due retries, then moves up to \`limit\` waiting
 * objects to active under the lease. Returns pairs (refKey, json).
 */
export const TAKE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ARGV[4], 'LIMIT', 0, 1000)
for _, ref in ipairs(due) do
  redis.call('ZREM', KEYS[5], ref)
  redis.call('ZADD', KEYS[1], 0, ref)
end
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[3]))
local out = {}
local lease = ARGV[1] .. 'obj:lease:' .. ARGV[2]
for i = 1, #popped, 2 do
  local ref = popped[i]
  redis.call('HSET', KEYS[3], ref, ARGV[2])
  redis.call('SADD', lease, ref)
  out[#out + 1] = ref
  out[#out + 1] = redis.call('HGET', KEYS[2], ref) or '{}'
end
if #out > 0 then redis.call('SADD', KEYS[6], ARGV[2]) end
return out
`;

/**
 * ARGV: base, leaseId, keepFailed, then quadruples (refKey, outcome, due, json) with outcome
 * \`ok\`, \`retry\` (json: the next attempt's data, due: when) or \`fail\` (json: the failure
 * record). Objects no longer under this lease (reclaimed meanwhile) are skipped. An object
 * changed while active goes back to waiting with the change's data (which also serves as the
 * retry). Returns { waiting count, earliest due retry or -1 }.
 */
export const FINISH = `
local lease = ARGV[1] .. 'obj:lease:' .. ARGV[2]
local keep = tonumber(ARGV[3])
for i = 4, #ARGV, 4 do
  local ref, outcome, due, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('HGET', KEYS[3], ref) == ARGV[2] then
    redis.call('HDEL', KEYS[3], ref)
    redis.call('SREM', lease, ref)
    if outcome == 'ok' then redis.call('INCR', KEYS[9]) end
    if outcome == 'fail' then
      redis.call('LPUSH', KEYS[8], json)
      redis.call('LTRIM', KEYS[8], 0, keep - 1)
    end
    local dirty = redis.call('HGET', KEYS[4], ref)
    if dirty then
      redis.call('HDEL', KEYS[4], ref)
      redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[7]), ref)
      redis.call('HSET', KEYS[2], ref, dirty)
    elseif outcome == 'retry' then
      redis.call('ZADD', KEYS[5], tonumber(due), ref)
      redis.call('HSET', KEYS[2], ref, json)
    else
      redis.call('HDEL', KEYS[2], ref)
    end
  end
end
if redis.call('SCARD', lease) == 0 then
  redis.call('DEL', lease)
  redis.call('SREM', KEYS[6], ARGV[2])
end
local first = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
return { redis.call('ZCARD', KEYS[1]), first[2] or '-1' }
`;

// Lua function shared by RECLAIM and SWEEP: puts the objects of lease `leaseId` that are still
// held by it back at the front of waiting (with the newer data of a change made meanwhile),
// deletes the lease; returns how many objects came back.
const RECLAIM_LEASE = `
local function reclaimLease(base, leaseId)
  local lease = base .. 'obj:lease:' .. leaseId
  local moved = 0
  for _, ref in ipairs(redis.call('SMEMBERS', lease)) do
    if redis.call('HGET', KEYS[3], ref) == leaseId then
      redis.call('HDEL', KEYS[3], ref)
      local dirty = redis.call('HGET', KEYS[4], ref)
      if dirty then
        redis.call('HDEL', KEYS[4], ref)
        redis.call('HSET', KEYS[2], ref, dirty)
      end
      redis.call('ZADD', KEYS[1], 0, ref)
      moved = moved + 1
    end
  end
  redis.call('DEL', lease)
  redis.call('SREM', KEYS[6], leaseId)
  return moved
end
`;

/**
 * ARGV: base, leaseId. Puts the objects of a lease whose carrier died back at the front of
 * waiting (with the newer data of a change made meanwhile). Returns how many.
 */
export const RECLAIM = `${RECLAIM_LEASE}
return reclaimLease(ARGV[1], ARGV[2])
`;

/**
 * ARGV: base, carrier base (\`<prefix>:<name>-carriers:\`). Reclaims the leases whose carrier job
 * holds no BullMQ lock any more (its worker died and the lock expired). Lease ids are carrier job
 * ids. Returns how many objects came back.
 */
export const SWEEP = `${RECLAIM_LEASE}
local moved = 0
for _, leaseId in ipairs(redis.call('SMEMBERS', KEYS[6])) do
  if redis.call('EXISTS', ARGV[2] .. leaseId .. ':lock') == 0 then
    moved = moved + reclaimLease(ARGV[1], leaseId)
  end
end
return moved
`;

/** Returns { waiting, dirty, active, delayed, failed, completed }. */
export const COUNTS = `
return {
  redis.call('ZCARD', KEYS[1]), redis.call('HLEN', KEYS[4]), redis.call('HLEN', KEYS[3]),
  redis.call('ZCARD', KEYS[5]), redis.call('LLEN', KEYS[8]), tonumber(redis.call('GET', KEYS[9]) or '0')
}
`;
