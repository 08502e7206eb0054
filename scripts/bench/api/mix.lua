-- mix.lua - wrk request mix for scripts/bench_api.sh and scripts/bench_stats.sh: the two main
-- API queries over random vehicles of the benchmark fleet (bench_api_populate.c names vehicle i:
-- phone 13000000000+i, plate 苏<letter><5 digits>), or /v1/stats over every violation.
--   API_BENCH_MODE      violations | vehicle | stats
--   API_BENCH_DAYS      stats: the range starts this many days (+1) ago, before the oldest
--   API_BENCH_TOKEN     bearer token (police role)
--   API_BENCH_VEHICLES  fleet size
--   API_BENCH_RATE      requests/s to hold over all threads (0 = back to back); each
--                       connection pauses between requests, the pause re-computed every
--                       second from the rate reached (wrk is closed-loop: without pauses it
--                       measures saturation, not latency at a given rate)
--   API_BENCH_THREADS, API_BENCH_CONNS  wrk's -t and -c, for the pacing arithmetic
local mode = os.getenv("API_BENCH_MODE") or "violations"
local token = os.getenv("API_BENCH_TOKEN") or ""
local vehicles = tonumber(os.getenv("API_BENCH_VEHICLES") or "10000")
local days = tonumber(os.getenv("API_BENCH_DAYS") or "30")
local rate = tonumber(os.getenv("API_BENCH_RATE") or "0")
local threads = tonumber(os.getenv("API_BENCH_THREADS") or "2")
local conns = tonumber(os.getenv("API_BENCH_CONNS") or "50") / threads
local letters = "ABCDEFGHJKLMN"
local types = {"speeding", "overload", "route_deviation", "forbidden_zone", "night_ban",
               "fatigue", "fatigue_daily", "terminal_alarm"}
local thread_no = 0

wrk.headers["Authorization"] = "Bearer " .. token

function setup(thread)
  thread_no = thread_no + 1
  thread:set("seed", thread_no)
end

function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end

local function phone(i)
  return string.format("%d", 13000000000 + i)
end

local function plate(i) -- "苏" percent-encoded
  local k = math.floor(i / 100000) % 13 + 1
  return string.format("%%E8%%8B%%8F%s%05d", letters:sub(k, k), i % 100000)
end

local function violations_path(i)
  local r = math.random(4)
  if r == 1 then return "/v1/violations?limit=20" end
  if r == 2 then return "/v1/violations?limit=20&phone=" .. phone(i) end
  if r == 3 then return "/v1/violations?limit=20&plate=" .. plate(i) end
  return "/v1/violations?limit=20&type=" .. types[math.random(#types)]
end

request = function()
  local i = math.random(0, vehicles - 1)
  local path
  if mode == "vehicle" then
    path = "/v1/vehicles/" .. (math.random(2) == 1 and phone(i) or plate(i))
  elseif mode == "stats" then
    path = "/v1/stats?from=" .. (os.time() - (days + 1) * 86400)
  else
    path = violations_path(i)
  end
  return wrk.format("GET", path)
end

-- Pacing: each connection cycles through latency + pause, so per thread
-- rate = conns / (latency + pause); the latency is estimated from the last second's count.
if rate > 0 then
  local target = rate / threads -- responses/s this thread aims at
  local want_cycle_ms = conns * 1000 / target
  local pause_ms = math.max(0, want_cycle_ms - 1)
  local count, second = 0, nil

  delay = function() return math.floor(pause_ms + 0.5) end

  response = function(status, headers, body)
    local now = os.time()
    if second == nil then second = now end
    if now ~= second then
      if count > 0 then
        local latency_ms = math.max(0, conns * 1000 / count - pause_ms)
        pause_ms = 0.5 * pause_ms + 0.5 * math.max(0, want_cycle_ms - latency_ms)
      end
      count, second = 0, now
    end
    count = count + 1
  end
end
