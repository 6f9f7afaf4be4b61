-- Ctrl-C (issue 12, item 12): every command stops soon after SIGINT, in
-- whatever long loop it is, says "lexis: interrupted" without a traceback,
-- exits 130 and leaves no partial output file.
--
-- At full size each command reads a big file (a few hundred MB: seconds of
-- work), so the signal lands inside the C loops and their threads. At the
-- small size a file that big is too slow to make on every run, so the
-- commands that read standard input get an endless slow stream instead (the
-- signal lands in a blocked or short read), and the file-only index a file
-- big enough to outlast a shorter delay. Either way a command that ignored
-- the signal would run on until the hang guard kills it.

local h = require "helper"
local lib = require "redteam.lib"

local DELAY = 0.5                 -- seconds before SIGINT
local GUARD = 3                   -- seconds it may take to stop after it

-- One line, repeated: English with sentence ends, a few types.
local LINE = "The cat sat on the mat. Then the dog, who was tired, lay down by the door.\n"

local big                         -- the big file, made once
local function big_file(bytes)
  if big then return big end
  big = h.tmpname()
  local f = assert(io.open(big, "wb"))
  local block = LINE:rep(math.max(1, (1 << 20) // #LINE))
  for _ = 1, math.max(1, bytes // #block) do f:write(block) end
  f:close()
  return big
end

-- Runs `lexis ARGS` with SIGINT after delay seconds; input is a file path or
-- nil for the endless slow stream on standard input.
local function interrupt(args, input, delay)
  local cmd = string.format("timeout --preserve-status -s INT %s %s %s", delay, h.quote(lib.bin), args)
  if input then
    -- the file four times: the fastest jobs read 300 MB in under a second,
    -- and the signal must come while they work, not after
    local q = h.quote(input)
    cmd = cmd .. " " .. (args:find("^index") and q or table.concat({ q, q, q, q }, " ")) .. " >/dev/null"
  else
    cmd = string.format("while :; do printf %%s %s; done | %s >/dev/null", h.quote(LINE), cmd)
  end
  local _, err, code, _, secs = lib.run_capped(cmd, math.ceil(delay + GUARD) + 30)
  return err, code, secs
end

local function check(delay, err, code, secs)
  assert.are.equal("lexis: interrupted\n", err)
  assert.are.equal(130, code)
  assert.is_true(secs < delay + GUARD, string.format("stopped after %.2f s", secs))
end

describe("Ctrl-C", function()
  teardown(function() if big then os.remove(big) end end)

  local commands = {
    { "ngrams", "ngrams -n 3" },
    { "ngrams in threads", "ngrams -n 3 --threads 0" },
    { "sentences in threads", "sentences --threads 2" },
    { "freq", "freq" },
    { "sentences", "sentences" },
    { "tokens", "tokens" },
    { "kwic", "kwic cat" },
    { "collocates", "collocates cat" },
    { "wordlist", "wordlist" },
    { "keywords", "keywords --ref-list /dev/null" },
  }
  for _, c in ipairs(commands) do
    it("stops " .. c[1] .. " with exit 130 and no traceback", function()
      local input = lib.full and big_file(300 << 20) or nil
      check(DELAY, interrupt(c[2], input, DELAY))
    end)
  end

  -- Full size only: the signal late in the job (at 3/5 of how long it runs
  -- uninterrupted, which varies on a busy machine), where the index is
  -- sorted and written after the text was read.
  if lib.full then
    for _, c in ipairs { { "index", "index -q -o %s" } } do
      it("stops " .. c[1] .. " late in its work", function()
        local dir = h.tmpdir()
        local out = dir .. "/out"
        local args = c[2]:format(h.quote(out))
        local input = big_file(300 << 20)
        local _, _, code, _, whole = lib.run_capped(string.format("%s %s %s >/dev/null",
          h.quote(lib.bin), args, h.quote(input)), 120)
        assert.are.equal(0, code)
        os.remove(out)
        local delay = string.format("%.2f", whole * 0.6)
        check(tonumber(delay), interrupt(args, input, delay))
        assert.is_nil(io.open(out, "rb"))
        h.rmdir(dir)
      end)
    end
  end

  -- Full size only: n-grams of a text where almost every trigram is new
  -- (words drawn at random from 200,000), so sorting them for the list
  -- takes most of the run (before the sort checked for Ctrl-C, it ran to
  -- its end, seconds after the signal); --top 10 keeps the writing short.
  if lib.full then
    it("stops ngrams -n 3 late, while it sorts", function()
      local file = h.tmpname()
      local f = assert(io.open(file, "wb"))
      local x, words = 12345, {}
      for _ = 1, 80 do                -- 80 blocks of 100,000 words: 8 M words
        for i = 1, 100000 do
          x = (x * 1103515245 + 12345) % 2147483648
          words[i] = "w" .. (x >> 8) % 200000 .. (i % 12 == 0 and "\n" or " ")
        end
        f:write(table.concat(words))
      end
      f:close()
      local args = "ngrams -n 3 --top 10 " .. h.quote(file)
      local _, _, code, _, whole = lib.run_capped(string.format("%s %s >/dev/null", h.quote(lib.bin), args), 120)
      assert.are.equal(0, code)
      local delay = string.format("%.2f", whole * 0.7)
      local cmd = string.format("timeout --preserve-status -s INT %s %s %s >/dev/null", delay, h.quote(lib.bin), args)
      local _, err, code2, _, secs = lib.run_capped(cmd, 120)
      os.remove(file)
      check(tonumber(delay), err, code2, secs)
    end)
  end

  it("stops kwic -o and leaves no output file", function()
    local dir = h.tmpdir()
    local out = dir .. "/out.txt"
    local input = lib.full and big_file(300 << 20) or nil
    check(DELAY, interrupt("kwic cat -o " .. h.quote(out), input, DELAY))
    assert.is_nil(io.open(out, "rb"))
    h.rmdir(dir)
  end)

  it("stops index and leaves no index", function()
    -- index reads files only: at the small size a file that outlasts a
    -- shorter delay (the release build indexes about 35 MB a second)
    local dir = h.tmpdir()
    local out = dir .. "/c.lexis"
    local delay = lib.full and DELAY or 0.2
    check(delay, interrupt("index -q -o " .. h.quote(out), big_file(lib.size(40 << 20, 300 << 20)), delay))
    assert.is_nil(io.open(out, "rb"))
    local left = io.popen("ls -A " .. h.quote(dir)):read("a")
    assert.are.equal("", left)
    h.rmdir(dir)
  end)
end)

-- The merge of two count tables (freq's threads, c:merge) is one long C
-- loop over millions of slots: Ctrl-C must stop it in the middle, not after.
describe("Ctrl-C in a merge of counts", function()
  it("stops it at once", function()
    local dir = h.tmpdir()
    finally(function() h.rmdir(dir) end)
    local n = lib.size(1000000, 8000000)
    local q = h.quote
    for _, p in ipairs { "a", "b" } do
      assert(os.execute(string.format("seq 1 %d | sed 's/^/%s/' > %s", n, p, q(dir .. "/" .. p))))
    end
    -- one merge timed, then the same merge with SIGINT early in it
    local script = dir .. "/merge.lua"
    h.write(script, [[
      local lexis = require "lexis"
      local dir = ...
      local b = lexis.count({ dir .. "/b" })
      local a = lexis.count({ dir .. "/a" })
      local function now()                 -- wall time, as the stop is timed
        local p = io.popen("date +%s.%N")
        local t = tonumber(p:read("l"))
        p:close()
        return t
      end
      local t = now()
      a:merge(b)
      t = now() - t
      a = lexis.count({ dir .. "/a" })
      io.stdout:write(string.format("%.3f\n", t)):flush()
      local pid = assert(io.open("/proc/self/stat")):read("a"):match("^(%d+)")
      -- soon after the merge starts (its time varies threefold on a busy machine)
      os.execute(string.format("(sleep %.3f; date +%%s.%%N > %s/sent; kill -INT %s) &", math.min(t / 8, 0.03), dir, pid))
      a:merge(b)
      os.execute("sleep 10")   -- not reached: Ctrl-C stops the merge
    ]])
    local out, err, code = lib.run_capped(string.format("%s %s %s; rc=$?; date +%%s.%%N > %s; exit $rc",
      q(lib.bin), q(script), q(dir), q(dir .. "/end")), 120)
    assert.are.equal("lexis: interrupted\n", err)
    assert.are.equal(130, code)
    local took = tonumber(out)
    assert.is_true(took >= 0.1, "the merge took " .. took .. " s: too quick to interrupt")
    local late = tonumber(h.read(dir .. "/end")) - tonumber(h.read(dir .. "/sent"))
    assert.is_true(late < took / 2, string.format("stopped %.3f s after SIGINT; the merge takes %.3f s", late, took))
  end)
end)
