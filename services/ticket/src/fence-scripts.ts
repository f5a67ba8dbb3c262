/**
 * Lua scripts of the Redis fence. Each runs atomically for the seats of ONE hold; its keys
 * share the session's hash tag, so a script stays in one Redis Cluster slot.
 * KEYS[1] is the session's seat map (read model), KEYS[2..] the seats' locks, in seat order.
 */

/**
 * Grants a hold only if no seat is locked by another hold: all or nothing. A lock already
 * holding this hold id counts as ours (a replay after a crash re-runs the same hold).
 * ARGV: holdId, read-model value, lock expiry (unix ms), then the seat ids.
 * Returns the seat ids locked by someone else (empty = granted).
 */
export const HOLD_LUA = `
local conflicts = {}
for i = 2, #KEYS do
  local owner = redis.call('GET', KEYS[i])
  if owner and owner ~= ARGV[1] then conflicts[#conflicts + 1] = ARGV[i + 2] end
end
if #conflicts > 0 then return conflicts end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PXAT', ARGV[3])
  redis.call('HSET', KEYS[1], ARGV[i + 2], ARGV[2])
end
return conflicts
`;

/**
 * Frees the seats of a hold that ended: drops its locks and marks the seats available, but
 * leaves alone any seat whose lock another hold owns. ARGV: holdId, then the seat ids.
 */
export const FREE_LUA = `
for i = 2, #KEYS do
  local owner = redis.call('GET', KEYS[i])
  if owner == ARGV[1] or not owner then
    if owner then redis.call('DEL', KEYS[i]) end
    redis.call('HSET', KEYS[1], ARGV[i], 'a')
  end
end
return 0
`;

/**
 * Marks a hold's seats sold: the lock stays, without expiry, as a permanent fence.
 * ARGV: holdId, then the seat ids. Returns seat ids locked by another hold (never expected).
 */
export const SELL_LUA = `
local conflicts = {}
for i = 2, #KEYS do
  local owner = redis.call('GET', KEYS[i])
  if owner and owner ~= ARGV[1] then
    conflicts[#conflicts + 1] = ARGV[i]
  else
    redis.call('SET', KEYS[i], ARGV[1])
    redis.call('HSET', KEYS[1], ARGV[i], 's')
  end
end
return conflicts
`;

/** Moves the expiry of a hold's locks. KEYS: locks only. ARGV: holdId, new expiry (unix ms). */
export const EXTEND_LUA = `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIREAT', KEYS[i], ARGV[2]) end
end
return 0
`;
