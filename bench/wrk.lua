-- One wrk script for every scenario of bench/run. Environment:
--   BENCH_SCENARIO  catalog | module | dashboard | leaderboard | heartbeat | quiz
--   BENCH_TARGETS   the Lua file bench/prepare.py wrote (signed-in learners)
--   BENCH_MODULES   module ids separated by spaces (for "module")
--   BENCH_ORIGIN    the server's origin (server functions check it)
-- Each connection takes the next learner, so writes spread over learners
-- the way real traffic does instead of queueing on one learner's lock.

local scenario = os.getenv("BENCH_SCENARIO")
local origin = os.getenv("BENCH_ORIGIN")
local targets = dofile(os.getenv("BENCH_TARGETS"))
local modules = {}
for id in string.gmatch(os.getenv("BENCH_MODULES") or "", "%S+") do
  modules[#modules + 1] = id
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  threads[#threads + 1] = thread
end

local learners = {}
local next_learner = 0
local sent = 0

function init(args)
  -- Learners usable for this scenario, each thread starting at its own offset.
  for _, t in ipairs(targets) do
    if (scenario ~= "heartbeat" or t.beat) and (scenario ~= "quiz" or t.quiz) then
      learners[#learners + 1] = t
    end
  end
  next_learner = (thread_id or 1) * 7919
end

local function learner()
  next_learner = next_learner + 1
  return learners[(next_learner % #learners) + 1]
end

local function urlencode(s)
  return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  sent = sent + 1
  if scenario == "catalog" then
    return wrk.format("GET", "/catalog")
  elseif scenario == "leaderboard" then
    return wrk.format("GET", "/leaderboard")
  elseif scenario == "module" then
    return wrk.format("GET", "/modules/" .. modules[(sent % #modules) + 1])
  elseif scenario == "dashboard" then
    return wrk.format("GET", "/dashboard", { Cookie = learner().cookie })
  elseif scenario == "heartbeat" then
    local l = learner()
    local body = '{"content_id":"' .. l.beat .. '","beat":{"position":1.0,"segment":null,"length":null,'
      .. '"speed":1.0,"pauses":0,"seeks":0,"replays":0}}'
    return wrk.format("POST", "/api/learn/heartbeat",
      { Cookie = l.cookie, Origin = origin, ["Content-Type"] = "application/json", Accept = "application/json" }, body)
  elseif scenario == "quiz" then
    local l = learner()
    -- A new attempt id every time: a repeated one is answered without a write.
    local attempt = string.format("bench-%d-%d-%d", thread_id or 0, sent, math.random(1, 1e9))
    local body = "content_id=" .. l.quiz .. "&attempt=" .. urlencode(attempt) .. "&" .. urlencode("answers[q1]") .. "=1"
    return wrk.format("POST", "/api/learn/game",
      { Cookie = l.cookie, Origin = origin, ["Content-Type"] = "application/x-www-form-urlencoded",
        Accept = "application/json" }, body)
  end
  error("unknown BENCH_SCENARIO " .. tostring(scenario))
end
