-- wrk script for `oasst bench tasks`: each thread is one contributor on one connection: ask for a task,
-- open it, submit an answer, open the task the submit hands out next, and so on. The bench prepends
-- `cookies` and `csrfs`, one entry per thread, and `pause_ms`, the wait before each request. Latency is
-- taken per kind of request with a monotonic clock (LuaJIT's ffi), because wrk's own histogram mixes the three.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } oasst_timespec;
int clock_gettime(int clock, oasst_timespec *tp);
]]
local clock = ffi.new("oasst_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("me", count)
  table.insert(threads, thread)
end

-- wrk hands only strings and numbers from a thread to `done` (a table crashes it), so each thread keeps its
-- latencies as comma-separated text per kind (a few kilobytes per thread in a run).
local kinds = { ["next task"] = "next", ["open task"] = "open", ["submit"] = "submit" }
latency_next, latency_open, latency_submit = "", "", ""
failures_next, failures_open, failures_submit = 0, 0, 0
local function record(step, elapsed, failed)
  local key = kinds[step]
  _G["latency_" .. key] = _G["latency_" .. key] .. string.format("%.3f,", elapsed)
  if failed then _G["failures_" .. key] = _G["failures_" .. key] + 1 end
end
local step, location, form, started, written = "next task", nil, nil, 0, 0
local headers

local first_request = true
function init(args)
  headers = { ["Cookie"] = "oasst_session=" .. cookies[me], ["Content-Type"] = "application/x-www-form-urlencoded" }
  -- Every thread's Lua starts with the same random sequence; without a seed of its own, paced contributors
  -- would pause alike and arrive together.
  math.randomseed(me * 7919 + os.time())
end

-- Paced contributors pause for pause_ms on average, within ±50%, and each starts at a random moment of its
-- first pause: people do not click in step, and a load that does measures its own bursts.
function delay()
  if pause_ms <= 0 then return 0 end
  if first_request then
    first_request = false
    return math.random(0, pause_ms)
  end
  return math.random(math.floor(pause_ms / 2), math.floor(pause_ms * 3 / 2))
end

function request()
  started = now_ms()
  if step == "next task" then
    return wrk.format("POST", "/tasks/new", headers, "kind=&csrf=" .. csrfs[me])
  elseif step == "open task" then
    return wrk.format("GET", location, headers)
  else
    return wrk.format("POST", location, headers, form .. "&csrf=" .. csrfs[me])
  end
end

function response(status, response_headers, body)
  local elapsed = now_ms() - started
  if step == "next task" then
    -- No task to hand out (or a limit reached) counts as an error of "next task".
    local target = response_headers["location"] or response_headers["Location"]
    local found = status == 303 and target and target:sub(1, 7) == "/tasks/" and not target:find("notice")
    record(step, elapsed, not found)
    if found then location, step = target, "open task" end
    return
  end
  record(step, elapsed, status >= 500 or (step == "submit" and status ~= 303))
  if step == "open task" and status ~= 200 then
    step = "next task"
  elseif step == "open task" then
    local kind = body:match('data%-kind="([^"]*)"') or ""
    if kind == "initial_prompt" or kind == "prompter_reply" or kind == "assistant_reply" then
      written = written + 1
      form = "text=Benchmark+text+" .. me .. "+" .. written .. "+" .. math.random(1000000000)
    elseif kind:sub(1, 5) == "rank_" then
      local fields, place = {}, 1
      for id in body:gmatch('name="rank_([^"]+)"') do
        fields[#fields + 1] = "rank_" .. id .. "=" .. place
        place = place + 1
      end
      form = table.concat(fields, "&")
    else
      form = "label_spam=0&label_quality=0.75"
    end
    step = "submit"
  else
    -- A submit answers with the next task of the same kind, as it does for a person: open that one next.
    -- A new random task is asked for only when that kind has run out.
    local target = response_headers["location"] or response_headers["Location"]
    if status == 303 and target and target:sub(1, 7) == "/tasks/" and target:find("done=1", 1, true) then
      location, step = target, "open task"
    else
      step = "next task"
    end
  end
end

function done(summary, latency, requests)
  for _, name in ipairs({ "next task", "open task", "submit" }) do
    local all, failed = {}, 0
    for _, thread in ipairs(threads) do
      for value in thread:get("latency_" .. kinds[name]):gmatch("[^,]+") do all[#all + 1] = tonumber(value) end
      failed = failed + thread:get("failures_" .. kinds[name])
    end
    table.sort(all)
    local function percentile(p)
      if #all == 0 then return 0 end
      return all[math.min(#all, math.floor(#all * p) + 1)]
    end
    io.write(string.format('\nWRK {"name":"%s","requests":%d,"errors":%d,"p50":%f,"p99":%f,"micros":%d}\n',
      name, #all, failed, percentile(0.5), percentile(0.99), summary.duration))
  end
end
