-- Allocation failure, in the manner of Lua's own testes/memerr.lua: every
-- command runs on the sample corpus with the N-th core allocation failing
-- (LEXIS_TEST_ALLOC_FAIL=N, src/alloc.h: that call and every later one),
-- then with the N-th allocation of the Lua state failing
-- (LEXIS_TEST_LUA_ALLOC_FAIL=N). LEXIS_TEST_ALLOC_COUNT=1 says how many of
-- each a run makes, so N covers them all (core) or a spread (Lua: thousands).
-- Each run must either succeed with the output of a run with memory to
-- spare, or end cleanly: exit 1 (never 2, a signal or LeakSanitizer's 23),
-- one line on stderr ("lexis: CMD: ...out of memory", or "lexis: not enough
-- memory" when the report itself finds no memory), no traceback; and no
-- index half-written. Under `make asan` (LEXIS_SANITIZED) a leak fails the
-- exit status; the spread is thinner there, to keep the spec near a minute.

local h = require "helper"

local sanitized = os.getenv("LEXIS_SANITIZED") ~= nil
-- At most this many N per command (core allocations, Lua allocations), so
-- the spec takes ~20 s in `make test` and ~1 min in `make asan`;
-- LEXIS_MEMERR_ALL=1 tries every core N and 100 Lua N.
local all = os.getenv("LEXIS_MEMERR_ALL") == "1"
local CORE_RUNS = all and math.huge or sanitized and 20 or 40
local LUA_RUNS = all and 100 or sanitized and 5 or 10

local CORPUS = "corpus/"
local TEXT = "corpus/red-book-1936-excerpt.txt"

-- The API calls of the `lexis -e` case; got() turns a nil, msg return (the
-- contract's failure) into an error naming it, so a memory failure returned
-- instead of raised shows up as a wrong message.
local SCRIPT = [[
local l = require "lexis"
local function got(r, err) if r == nil then error("returned nil: " .. tostring(err), 0) end return r end
print(#got(l.words(got(io.open("]] .. TEXT .. [[")):read("a"))))
got(l.kwic({ "]] .. CORPUS .. [[" }, "the")):write(io.stdout, "tsv")
local c = got(l.corpus({ "]] .. CORPUS .. [[" }, { progress = false }))
print(got(c:collocates("the")):format("tsv"))
got(c:kwic("the opposition")):write(io.stdout, "tsv")
print(got(l.ngrams({ "]] .. CORPUS .. [[" })):format("tsv"))
print(got(l.count({ "]] .. CORPUS .. [[" })):total())
]]

-- 1 .. count when that is at most k numbers, else k spread over it, both
-- ends included.
local function spread(count, k)
  local list, seen = {}, {}
  for i = 0, math.min(count, k) - 1 do
    local n = count <= k and i + 1 or 1 + (i * (count - 1)) // (k - 1)
    if not seen[n] then seen[n] = true; list[#list + 1] = n end
  end
  return list
end

describe("allocation failure", function()
  local dir, index
  setup(function()
    dir = h.tmpdir()
    index = dir .. "/corpus.lexis"
    local _, err, code = h.run({ "index", "-q", CORPUS, "-o", index })
    assert.equal(0, code, err)
    -- two pieces of the text, counted for merge to join (--doc)
    local lines = {}
    for line in io.lines(TEXT) do lines[#lines + 1] = line .. "\n" end
    local half = #lines // 2
    for i, range in ipairs({ { 1, half }, { half + 1, #lines } }) do
      local piece = h.write(string.format("%s/piece.%d", dir, i), table.concat(lines, "", range[1], range[2]))
      local out
      out, err, code = h.run({ "ngrams", "-n", "3", "--partial", "--doc", "red", piece })
      assert.equal(0, code, err)
      h.write(piece .. ".ng", out)
    end
  end)
  teardown(function() h.rmdir(dir) end)

  local function out_file() return dir .. "/out/new.lexis" end

  local cases = {
    { "tokens", CORPUS }, { "freq", CORPUS }, { "sentences", CORPUS }, { "kwic", "the", CORPUS },
    { "ngrams", CORPUS }, { "wordlist", CORPUS }, { "collocates", "the", CORPUS },
    { "keywords", "--ref", TEXT, CORPUS },
    { "index", "-q", CORPUS, "-o", out_file },
    { "kwic", "the opposition", function() return index end },
    { "collocates", "the", function() return index end },
    { "kwic", "--cql", '[pos="JJ"]+ [pos="NN"] within s', "tests/data/cql/small.vrt", "--format", "tsv", "--show", "word,pos" },
    { "kwic", "--cql", '[pos="DT"] []', "tests/data/cql/small.vrt", "--format", "tsv", "--sort", "word%c@matchend[1]",
      "--limit", "5" },
    { "count", '[pos="DT"] []', "tests/data/cql/small.vrt", "tests/data/cql/small.vrt", "--format", "tsv",
      "--by", "lemma%c,pos@matchend" },
    { "collocates", "--cql", '[pos="NN"]', "tests/data/cql/small.vrt", "--attr", "lemma", "--format", "tsv" },
    { "-e", SCRIPT },
    { "ngrams", "-n", "3", "--partial", "--doc", "red", TEXT },
    { "merge", function() return dir .. "/piece.1.ng" end, function() return dir .. "/piece.2.ng" end },
  }

  for _, case in ipairs(cases) do
    local name = case[1]
    local words = {}
    for i, a in ipairs(case) do words[i] = type(a) == "function" and "INDEX" or a end
    local title = table.concat(words, " "):gsub("\n.*", " ...")
    it(title .. " ends cleanly or as with memory to spare", function()
      local args = {}
      for i, a in ipairs(case) do args[i] = type(a) == "function" and a() or a end
      local writes = name == "index"
      local function run(env)
        if writes then h.rmdir(dir .. "/out"); os.execute("mkdir " .. h.quote(dir .. "/out")) end
        return h.run(args, nil, env)
      end
      local out0, err0, code0 = run()
      assert.equal(0, code0, err0)
      local index0 = writes and h.read(out_file())
      local _, counted = run({ LEXIS_TEST_ALLOC_COUNT = "1" })
      local ncore, nlua = counted:match("(%d+) core allocations, (%d+) Lua allocations")
      assert.is_truthy(ncore, counted)
      ncore, nlua = tonumber(ncore), tonumber(nlua)
      assert.is_true(ncore > 0)     -- the cores allocate through src/alloc.h

      local command = name == "-e" and nil or name
      local function check(var, n)
        local what = var .. "=" .. n
        local out, err, code = run({ [var] = tostring(n) })
        if code == 0 then
          assert.equal(out0, out, what .. ": succeeded with other output")
          assert.equal(err0, err, what)
          if writes then assert.equal(index0, h.read(out_file()), what .. ": another index") end
          return
        end
        assert.equal(1, code, what .. ": " .. err)
        local clean = err == "lexis: not enough memory\n"
          or command and err:match("^lexis: " .. command .. ": [^\n]*out of memory\n$")
        assert.is_truthy(clean, what .. ": " .. err)
        if writes then
          -- the index is written whole or not at all, with no temporary
          -- left (memory may run out after the commit, opening it again)
          local p = io.popen("ls -A " .. h.quote(dir .. "/out"))
          local left = p:read("a")
          p:close()
          if left ~= "" then
            assert.equal("new.lexis\n", left, what .. ": left in the output directory")
            assert.equal(index0, h.read(out_file()), what .. ": a partial index")
          end
        end
      end
      -- N past the count fails nothing: the run must succeed
      for _, n in ipairs(spread(ncore + 1, CORE_RUNS)) do check("LEXIS_TEST_ALLOC_FAIL", n) end
      for _, n in ipairs(spread(nlua + 1, LUA_RUNS)) do check("LEXIS_TEST_LUA_ALLOC_FAIL", n) end
    end)
  end

  -- once an out-of-memory error in a core was taken for misuse: exit 2, "Try
  -- 'lexis help freq'"; in `lexis -e`, a traceback
  it("reports a core's first allocation failing as out of memory, exit 1", function()
    local out, err, code = h.run({ "freq", CORPUS }, nil, { LEXIS_TEST_ALLOC_FAIL = "1" })
    assert.equal("", out)
    assert.equal("lexis: freq: out of memory\n", err)
    assert.equal(1, code)
    out, err, code = h.run({ "-e", "print(#require('lexis').words('a b c'))" }, nil, { LEXIS_TEST_ALLOC_FAIL = "1" })
    assert.equal("lexis: not enough memory\n", err)
    assert.equal(1, code)
  end)

  it("LEXIS_TEST_ALLOC_COUNT counts without failing anything", function()
    local out0 = h.run({ "freq", CORPUS })
    local out, err, code = h.run({ "freq", CORPUS }, nil, { LEXIS_TEST_ALLOC_COUNT = "1" })
    assert.equal(0, code)
    assert.equal(out0, out)
    assert.matches("^lexis: test: %d+ core allocations, %d+ Lua allocations\n$", err)
  end)
end)
