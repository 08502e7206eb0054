/* script.c - the store's Lua script (store_script.h). It runs inside Redis: ARGV is this
 * node's name followed by records, each a kind letter and that kind's arguments (record.h);
 * every record is handled under pcall so that one malformed record fails alone. A vehicle's
 * latest state (fw:veh HSET) is written once per batch, from its newest position in the
 * batch (its static fields only from a refreshing position, position.h), and the GEO points
 * of the batch with one GEOADD at the end. Key names and fields are
 * documented in docs/redis-schema.md; change both together.
 */
#include "store_script.h"

#define FW_LUA_NARGS(name, letter, nargs) #letter "=" #nargs ","
#define FW_LUA_VEH(name, arg)             ", '" #name "', a[i+" #arg "]"

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
     * '1' live and GEO, '0' live), pb, then the fw:veh values (FW_VEH_STATIC_FIELD_LIST,
     * FW_VEH_DYNAMIC_FIELD_LIST); a future one goes to the late set at its receive time and
     * touches no position state, but when refreshing (a session's first) its static fields
     * (online, node, plate) still count; Q (replayed from the spool) first looks for the same
     * entry at the same ms */
    "local function refreshing(phone, i, cut)\n"
    "  if not (newest[phone] or refresh[phone]) then phones[#phones+1] = phone end\n"
    "  if cut ~= '' then refresh[phone] = i end\n"
    "end\n"
    "local function position(a, i, checked, out_index)\n"
    "  local phone, ms, cut, pb = a[i], a[i+1], a[i+2], a[i+4]\n"
    "  local track = 'fw:track:' .. phone\n"
    "  if a[i+3] == '" FW_REC_PLACE_FUTURE "' then\n"
    "    local status = to_late(track .. ':late', ms, cut, pb, 4)\n"
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
    "  if cut == '' then id = redis.pcall('XADD', track, ms .. '-*', 'pb', pb)\n"
    "  else id = redis.pcall('XADD', track, 'MINID', '~', cut, ms .. '-*', 'pb', pb) end\n"
    "  if type(id) == 'table' and id.err then\n"
    "    if not string.find(id.err, 'smaller', 1, true) then error(id.err) end\n"
    "    return to_late(track .. ':late', ms, cut, pb, 3)\n"
    "  end\n"
    "  newest[phone] = {i, out_index}\n"
    "  if a[i+3] == '1' then newest_geo[phone] = i end\n"
    "  return 1\n"
    "end\n"
    /* fw:veh:<phone> from the newest position */
    "local function vehicle(a, phone, i)\n"
    "  redis.call('HSET', 'fw:veh:' .. phone" FW_VEH_DYNAMIC_FIELD_LIST(FW_LUA_VEH) ")\n"
    "end\n"
    /* the static fields from a refreshing position, and fw:plate:<plate> -> phone for
     * lookups by plate (police API) */
    "local function vehicle_static(a, phone, i)\n"
    "  redis.call('HSET', 'fw:veh:' .. phone" FW_VEH_STATIC_FIELD_LIST(FW_LUA_VEH)
    "    , 'online', '1', 'node', NODE)\n"
    "  if a[i+5] ~= '' then redis.call('SET', 'fw:plate:' .. a[i+5], phone) end\n"
    "end\n"
    /* V: id, type, state, phone, plate, severity, pb, start s, end s, event order,
     *    cutoff s, expire-at s, value, limit, unit */
    "local function violation(a, i)\n"
    "  local id, typ, state, phone, plate, sev, pb = a[i], a[i+1], a[i+2], a[i+3], a[i+4],\n"
    "    a[i+5], a[i+6]\n"
    "  local start, order, cutoff = a[i+7], a[i+9], a[i+10]\n"
    "  local key = 'fw:vio:' .. id\n"
    "  local prev, prev_sev = unpack(redis.call('HMGET', key, 'ev_order', 'severity'))\n"
    "  if prev and tonumber(prev) >= tonumber(order) then return 2 end\n"
    "  redis.call('XADD', 'fw:violations', 'MINID', '~', cutoff .. '000', '*', 'type', typ,\n"
    "    'state', state, 'phone', phone, 'plate', plate, 'severity', sev, 'pb', pb)\n"
    "  redis.call('HSET', key, 'id', id, 'type', typ, 'state', state, 'phone', phone,\n"
    "    'plate', plate, 'severity', sev, 'start_time', start, 'end_time', a[i+8],\n"
    "    'value', a[i+12], 'limit', a[i+13], 'unit', a[i+14], 'ev_order', order, 'pb', pb)\n"
    "  redis.call('EXPIREAT', key, a[i+11])\n"
    /* an episode is in one severity index, its latest severity's: /v1/stats counts it once */
    "  if prev_sev and prev_sev ~= sev then\n"
    "    redis.call('ZREM', 'fw:vio:by_severity:' .. prev_sev, id)\n"
    "  end\n"
    "  local idx = {'fw:vio:by_time', 'fw:vio:by_vehicle:' .. phone, 'fw:vio:by_type:' .. typ,\n"
    "    'fw:vio:by_severity:' .. sev}\n"
    "  if plate ~= '' then idx[#idx+1] = 'fw:vio:by_plate:' .. plate end\n"
    "  for _, k in ipairs(idx) do\n"
    "    redis.call('ZADD', k, start, id)\n"
    "    redis.call('ZREMRANGEBYSCORE', k, '-inf', '(' .. cutoff)\n"
    "  end\n"
    "  return 1\n"
    "end\n"
    /* S: phone, pb RuleState, ttl ms */
    "local function rstate(a, i)\n"
    "  redis.call('SET', 'fw:rstate:' .. a[i], a[i+1], 'PX', a[i+2])\n"
    "  return 1\n"
    "end\n"
    /* O: phone, node, time s; not when another node owns the vehicle, nor when a position
     * received after the disconnect is already there (a reconnect got in first) */
    "local function offline(a, i)\n"
    "  local key = 'fw:veh:' .. a[i]\n"
    "  local node, recv = unpack(redis.call('HMGET', key, 'node', 'recv_time'))\n"
    "  if node and node ~= a[i+1] then return 2 end\n"
    "  if (tonumber(recv) or 0) > tonumber(a[i+2]) then return 2 end\n"
    "  redis.call('HSET', key, 'online', '0', 'offline_time', a[i+2])\n"
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
    "if #geo > 0 then pcall(redis.call, 'GEOADD', 'fw:geo', unpack(geo)) end\n"
    "return out\n";
/* clang-format on */
