/* script.c - the store's Lua script (store_script.h). It runs inside Redis: ARGV is this
 * node's name followed by records, each a kind letter and that kind's arguments (record.h);
 * every record is handled under pcall so that one malformed record fails alone. A vehicle's
 * latest state (fw:veh HSET) is written once per batch, from its newest position in the
 * batch (its static fields only from a refreshing position, position.h), and the GEO points
 * of the batch with one GEOADD at the end. Every key and field name comes from redis_schema.h
 * (string literals joined at compile time, L() quotes one for Lua); docs/redis-schema.md
 * describes what they hold.
 */
#include "store_script.h"

#define L(name) "'" name "'"

#define FW_LUA_NARGS(name, letter, nargs) #letter "=" #nargs ","
/* ", '<field>', a[i+<arg>]" for the fw:veh fields a position carries, by who writes them */
#define FW_LUA_VEH_ARG(field, arg)                       ", " L(field) ", a[i+" #arg "]"
#define FW_LUA_STATIC_STATIC(field, arg)                 FW_LUA_VEH_ARG(field, arg)
#define FW_LUA_STATIC_DYNAMIC(field, arg)                ""
#define FW_LUA_STATIC_SCRIPT(field, arg)                 ""
#define FW_LUA_DYNAMIC_STATIC(field, arg)                ""
#define FW_LUA_DYNAMIC_DYNAMIC(field, arg)               FW_LUA_VEH_ARG(field, arg)
#define FW_LUA_DYNAMIC_SCRIPT(field, arg)                ""
#define FW_LUA_STATIC(field, format, by, arg, api_name)  FW_LUA_STATIC_##by(field, arg)
#define FW_LUA_DYNAMIC(field, format, by, arg, api_name) FW_LUA_DYNAMIC_##by(field, arg)

/* clang-format off */
const char fw_store_lua[] =
    "local NARGS = {" FW_REC_KIND_LIST(FW_LUA_NARGS) "}\n"
    "local MAXSEQ = '18446744073709551615'\n"
    "local NODE = ARGV[1]\n"
    "local function errtext(e) return type(e) == 'table' and (e.err or 'error') or tostring(e) end\n"
    /* per phone of this batch, in first-seen order (phones): its newest stream position
     * {arg index, out index} and whether it may enter the GEO set, and its newest refreshing
     * record; fw:veh and the GEO point are written once per phone, after all records */
    "local newest, newest_geo, refresh, phones = {}, {}, {}, {}\n"
    /* a position into the track's late set (score: its id ms); `status` unless it is already
     * there (2) */
    "local function to_late(late, ms, cut, pb, status)\n"
    "  if redis.call('ZADD', late, ms, pb) == 0 then return 2 end\n"
    "  if cut ~= '' then redis.call('ZREMRANGEBYSCORE', late, '-inf', '(' .. cut) end\n"
    "  return status\n"
    "end\n"
    /* P/Q: phone, id ms, cutoff ms ('' unless refreshing), placement (FW_REC_PLACE_FUTURE,
     * '1' live and GEO, '0' live), pb, then the fw:veh values (FW_VEH_FIELD_LIST:
     * the static ones, then the dynamic ones); a future one goes to the late set at its receive
     * time and touches no position state, but when refreshing (a session's first) its static fields
     * (online, node, plate) still count; Q (replayed from the spool) first looks for the same
     * entry at the same ms */
    "local function refreshing(phone, i, cut)\n"
    "  if not (newest[phone] or refresh[phone]) then phones[#phones+1] = phone end\n"
    "  if cut ~= '' then refresh[phone] = i end\n"
    "end\n"
    "local function position(a, i, checked, out_index)\n"
    "  local phone, ms, cut, pb = a[i], a[i+1], a[i+2], a[i+4]\n"
    "  local track = " L(FW_KEY_TRACK) " .. phone\n"
    "  if a[i+3] == '" FW_REC_PLACE_FUTURE "' then\n"
    "    local status = to_late(track .. " L(FW_KEY_TRACK_LATE_SUFFIX) ", ms, cut, pb, 4)\n"
    "    if status == 4 and cut ~= '' then refreshing(phone, i, cut) end\n"
    "    return status\n"
    "  end\n"
    "  if checked then\n"
    "    for _, e in ipairs(redis.call('XRANGE', track, ms .. '-0', ms .. '-' .. MAXSEQ)) do\n"
    "      if e[2][2] == pb then return 2 end\n"
    "    end\n"
    "  end\n"
    "  refreshing(phone, i, cut)\n"
    "  local id\n"
    "  if cut == '' then id = redis.pcall('XADD', track, ms .. '-*', " L(FW_FIELD_PB) ", pb)\n"
    "  else id = redis.pcall('XADD', track, 'MINID', '~', cut, ms .. '-*', " L(FW_FIELD_PB)
    ", pb) end\n"
    "  if type(id) == 'table' and id.err then\n"
    "    if not string.find(id.err, 'smaller', 1, true) then error(id.err) end\n"
    "    return to_late(track .. " L(FW_KEY_TRACK_LATE_SUFFIX) ", ms, cut, pb, 3)\n"
    "  end\n"
    "  newest[phone] = {i, out_index}\n"
    "  if a[i+3] == '1' then newest_geo[phone] = i end\n"
    "  return 1\n"
    "end\n"
    /* fw:veh:<phone> from the newest position */
    "local function vehicle(a, phone, i)\n"
    "  redis.call('HSET', " L(FW_KEY_VEHICLE) " .. phone" FW_VEH_FIELD_LIST(FW_LUA_DYNAMIC) ")\n"
    "end\n"
    /* the static fields from a refreshing position, and fw:plate:<plate> -> phone for
     * lookups by plate (police API) */
    "local function vehicle_static(a, phone, i)\n"
    "  redis.call('HSET', " L(FW_KEY_VEHICLE) " .. phone" FW_VEH_FIELD_LIST(FW_LUA_STATIC)
    "    , " L(FW_VEH_FIELD_ONLINE) ", '1', " L(FW_VEH_FIELD_NODE) ", NODE)\n"
    "  if a[i+5] ~= '' then redis.call('SET', " L(FW_KEY_PLATE) " .. a[i+5], phone) end\n"
    "end\n"
    /* V: id, type, state, phone, plate, severity, pb, start s, end s, event order,
     *    cutoff s, expire-at s, value, limit, unit */
    "local function violation(a, i)\n"
    "  local id, typ, state, phone, plate, sev, pb = a[i], a[i+1], a[i+2], a[i+3], a[i+4],\n"
    "    a[i+5], a[i+6]\n"
    "  local start, order, cutoff = a[i+7], a[i+9], a[i+10]\n"
    "  local key = " L(FW_KEY_VIOLATION) " .. id\n"
    "  local prev, prev_sev = unpack(redis.call('HMGET', key, " L(FW_VIO_FIELD_EV_ORDER) ", "
    L(FW_VIO_FIELD_SEVERITY) "))\n"
    "  if prev and tonumber(prev) >= tonumber(order) then return 2 end\n"
    "  redis.call('XADD', " L(FW_KEY_VIOLATIONS) ", 'MINID', '~', cutoff .. '000', '*', "
    L(FW_VIO_FIELD_TYPE) ", typ,\n"
    "    " L(FW_VIO_FIELD_STATE) ", state, " L(FW_VIO_FIELD_PHONE) ", phone, " L(FW_VIO_FIELD_PLATE)
    ", plate, " L(FW_VIO_FIELD_SEVERITY) ", sev, " L(FW_FIELD_PB) ", pb)\n"
    "  redis.call('HSET', key, " L(FW_VIO_FIELD_ID) ", id, " L(FW_VIO_FIELD_TYPE) ", typ, "
    L(FW_VIO_FIELD_STATE) ", state, " L(FW_VIO_FIELD_PHONE) ", phone,\n"
    "    " L(FW_VIO_FIELD_PLATE) ", plate, " L(FW_VIO_FIELD_SEVERITY) ", sev, "
    L(FW_VIO_FIELD_START_TIME) ", start, " L(FW_VIO_FIELD_END_TIME) ", a[i+8],\n"
    "    " L(FW_VIO_FIELD_VALUE) ", a[i+12], " L(FW_VIO_FIELD_LIMIT) ", a[i+13], "
    L(FW_VIO_FIELD_UNIT) ", a[i+14], " L(FW_VIO_FIELD_EV_ORDER) ", order, " L(FW_FIELD_PB)
    ", pb)\n"
    "  redis.call('EXPIREAT', key, a[i+11])\n"
    /* an episode is in one severity index, its latest severity's: /v1/stats counts it once */
    "  if prev_sev and prev_sev ~= sev then\n"
    "    redis.call('ZREM', " L(FW_KEY_VIO_BY_SEVERITY) " .. prev_sev, id)\n"
    "  end\n"
    "  local idx = {" L(FW_KEY_VIO_BY_TIME) ", " L(FW_KEY_VIO_BY_VEHICLE) " .. phone, "
    L(FW_KEY_VIO_BY_TYPE) " .. typ,\n"
    "    " L(FW_KEY_VIO_BY_SEVERITY) " .. sev}\n"
    "  if plate ~= '' then idx[#idx+1] = " L(FW_KEY_VIO_BY_PLATE) " .. plate end\n"
    "  for _, k in ipairs(idx) do\n"
    "    redis.call('ZADD', k, start, id)\n"
    "    redis.call('ZREMRANGEBYSCORE', k, '-inf', '(' .. cutoff)\n"
    "  end\n"
    "  return 1\n"
    "end\n"
    /* S: phone, pb RuleState, ttl ms */
    "local function rstate(a, i)\n"
    "  redis.call('SET', " L(FW_KEY_RSTATE) " .. a[i], a[i+1], 'PX', a[i+2])\n"
    "  return 1\n"
    "end\n"
    /* O: phone, node, time s; not when another node owns the vehicle, nor when a position
     * received after the disconnect is already there (a reconnect got in first) */
    "local function offline(a, i)\n"
    "  local key = " L(FW_KEY_VEHICLE) " .. a[i]\n"
    "  local node, recv = unpack(redis.call('HMGET', key, " L(FW_VEH_FIELD_NODE) ", "
    L(FW_VEH_FIELD_RECV_TIME) "))\n"
    "  if node and node ~= a[i+1] then return 2 end\n"
    "  if (tonumber(recv) or 0) > tonumber(a[i+2]) then return 2 end\n"
    "  redis.call('HSET', key, " L(FW_VEH_FIELD_ONLINE) ", '0', " L(FW_VEH_FIELD_OFFLINE_TIME) ", a[i+2])\n"
    "  return 1\n"
    "end\n"
    "local HANDLERS = {P = position, Q = position, V = violation, S = rstate, O = offline}\n"
    "local out, i, argc = {}, 2, #ARGV\n"
    "while i <= argc do\n"
    "  local kind = ARGV[i]\n"
    "  local fn, n = HANDLERS[kind], NARGS[kind]\n"
    "  if not fn or i + n > argc then out[#out+1] = 'bad record kind or length'; break end\n"
    "  local ok, res = pcall(fn, ARGV, i + 1, kind == 'Q', #out + 1)\n"
    "  if not ok then res = errtext(res) end\n"
    "  out[#out+1] = res\n"
    "  i = i + 1 + n\n"
    "end\n"
    "local geo = {}\n"
    "for _, phone in ipairs(phones) do\n"
    "  local at, r = newest[phone], refresh[phone]\n"
    "  if at then\n"
    "    local ok, err = pcall(vehicle, ARGV, phone, at[1])\n"
    "    if not ok then out[at[2]] = errtext(err) end\n"
    "    local g = newest_geo[phone]\n"
    "    if g then\n"
    "      local n = #geo\n"
    "      geo[n+1], geo[n+2], geo[n+3] = ARGV[g+" FW_VEH_ARG_LON "], ARGV[g+" FW_VEH_ARG_LAT "], phone\n"
    "    end\n"
    "  end\n"
    "  if r then pcall(vehicle_static, ARGV, phone, r) end\n"
    "end\n"
    "if #geo > 0 then pcall(redis.call, 'GEOADD', " L(FW_KEY_GEO) ", unpack(geo)) end\n"
    "return out\n";
/* clang-format on */
