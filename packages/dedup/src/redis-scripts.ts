// Lua run atomically by Redis. KEYS[1] = etl:processed:{key} (JSON record), KEYS[2] =
// etl:status:{key} (status string). ARGV[1] = clock in epoch ms, or "-1" for the server's TIME.
// cjson keeps 14 significant digits: epoch ms (13 digits) survive exactly.

const NOW = `
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

const TERMINAL = `
local terminal = { completed = true, quarantined = true, dead_lettered = true }
`;

/**
 * ARGV: now, owner, leaseMs, retentionMs, message JSON (messageId, correlationId, userId,
 * recordType, s3Key). Returns {"claimed", attempts} | {"duplicate", recordJson} | {"busy", remainingMs}.
 */
export const CLAIM_SCRIPT = `${NOW}${TERMINAL}
local owner = ARGV[2]
local leaseMs = tonumber(ARGV[3])
local retentionMs = tonumber(ARGV[4])
local message = cjson.decode(ARGV[5])
local raw = redis.call('GET', KEYS[1])
local rec
if raw then
  rec = cjson.decode(raw)
  if terminal[rec.status] then return { 'duplicate', raw } end
  if rec.status == 'processing' and type(rec.leaseExpiresAt) == 'number' and rec.leaseExpiresAt > now then
    return { 'busy', tostring(math.max(1, rec.leaseExpiresAt - now)) }
  end
  rec.attempts = (tonumber(rec.attempts) or 0) + 1
else
  rec = { attempts = 1, createdAt = now, errorMessage = cjson.null, errorType = cjson.null,
          processingTimeSeconds = cjson.null, recordsProcessed = cjson.null, qualityScore = cjson.null,
          narrativePreview = cjson.null }
end
rec.idempotencyKey = message.idempotencyKey
rec.messageId = message.messageId
rec.correlationId = message.correlationId
rec.userId = message.userId
rec.recordType = message.recordType
rec.s3Key = message.s3Key
rec.status = 'processing'
rec.owner = owner
rec.leaseExpiresAt = now + leaseMs
rec.startedAt = now
rec.completedAt = cjson.null
rec.expiresAt = now + retentionMs
redis.call('SET', KEYS[1], cjson.encode(rec), 'PX', retentionMs)
redis.call('SET', KEYS[2], 'processing', 'PX', retentionMs)
return { 'claimed', tostring(rec.attempts) }
`;

/** ARGV: now, owner, leaseMs, retentionMs. Returns 1 when renewed, 0 when the owner lost the lease. */
export const RENEW_SCRIPT = `${NOW}
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local rec = cjson.decode(raw)
if rec.owner ~= ARGV[2] or rec.status ~= 'processing' then return 0 end
local retentionMs = tonumber(ARGV[4])
rec.leaseExpiresAt = now + tonumber(ARGV[3])
rec.expiresAt = now + retentionMs
redis.call('SET', KEYS[1], cjson.encode(rec), 'PX', retentionMs)
redis.call('SET', KEYS[2], rec.status, 'PX', retentionMs)
return 1
`;

/**
 * ARGV: now, owner, retentionMs, new status, patch JSON, "1" to stamp completedAt.
 * Returns 1 when written, 0 when the owner lost the lease.
 */
export const FINISH_SCRIPT = `${NOW}
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local rec = cjson.decode(raw)
if rec.owner ~= ARGV[2] or rec.status ~= 'processing' then return 0 end
local retentionMs = tonumber(ARGV[3])
for k, v in pairs(cjson.decode(ARGV[5])) do rec[k] = v end
rec.status = ARGV[4]
rec.leaseExpiresAt = cjson.null
if ARGV[6] == '1' then rec.completedAt = now else rec.completedAt = cjson.null end
rec.expiresAt = now + retentionMs
redis.call('SET', KEYS[1], cjson.encode(rec), 'PX', retentionMs)
redis.call('SET', KEYS[2], rec.status, 'PX', retentionMs)
return 1
`;

/**
 * ARGV: (none). A dead-lettered record goes back to `failed` (claimable, owner and lease
 * cleared), keeping its TTL. Returns 1 when reopened, 0 otherwise (missing or other status).
 */
export const REOPEN_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local rec = cjson.decode(raw)
if rec.status ~= 'dead_lettered' then return 0 end
rec.status = 'failed'
rec.owner = cjson.null
rec.leaseExpiresAt = cjson.null
redis.call('SET', KEYS[1], cjson.encode(rec), 'KEEPTTL')
redis.call('SET', KEYS[2], 'failed', 'KEEPTTL')
return 1
`;
