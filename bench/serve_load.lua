-- A wrk script (run by wrk's own LuaJIT, not by lexis) for the load rows of
-- bench/rows/serve.sh: what each connection asks `lexis serve`.
--   wrk -t THREADS -s bench/serve_load.lua ... URL -- WORDS MODE THREADS
-- WORDS: a file with a word at the end of each line (bench/data/en-100M.top,
-- the commonest first). MODE:
--   mix   kwic (the first 50 hits sorted by R1), the hits counted by form
--         (/api/freq) and collocates, in turn
--   kwic  only the kwic request
--   same  one kwic request over and over: the answer of the server's cache
-- In mix and kwic every request of a run is a new one (another word, or
-- another kind), so none is answered from the cache.
-- done() prints one line: "LOAD requests seconds failed p50_ms p99_ms".

local made = 0

function setup(thread)
  thread:set("id", made)
  made = made + 1
end

local words, mode, k, stride = {}, "mix", 0, 1

function init(args)
  local f = assert(io.open(args[1]))
  for line in f:lines() do
    local w = line:match("(%S+)%s*$")
    if w then words[#words + 1] = w end
  end
  f:close()
  mode = args[2] or "mix"
  assert(mode == "mix" or mode == "kwic" or mode == "same", "mode: mix, kwic or same")
  stride = tonumber(args[3]) or 1
  k = id                               -- thread id's requests: id, id + stride, ...
end

local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function kwic(w) return "/api/kwic?q=" .. enc(w) .. "&sort=R1&limit=50" end

function request()
  local path
  if mode == "same" then
    path = kwic(words[1])
  else
    local n = k
    k = k + stride
    if mode == "kwic" then
      path = kwic(words[n % #words + 1])
    else
      local w, kind = words[math.floor(n / 3) % #words + 1], n % 3
      if kind == 0 then path = kwic(w)
      elseif kind == 1 then path = "/api/freq?q=" .. enc(w) .. "&by=form"
      else path = "/api/collocates?q=" .. enc(w) end
    end
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LOAD %d %.3f %d %.2f %.2f\n", summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
