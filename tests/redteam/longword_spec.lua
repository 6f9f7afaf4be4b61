-- Issue 12 item 7: one very long word through the text tables. The tables
-- trimmed each line with gsub("%s+$", ""), which costs the square of the
-- padding a wide column puts inside the header: `lexis wordlist` on one
-- 50 KB word took 19 s, 200 KB over 2 minutes; collocates too. Each table
-- has to come back within a few seconds with the word cut to the cell
-- width (40 columns, or opts.width) ending in "…" in every text table (one
-- rule, src/encode.c and lexis.report), and whole in TSV, CSV and JSON.

local h = require "helper"
local lib = require "redteam.lib"

local LEN = lib.size(50000, 200000)
local GUARD = 10          -- seconds; linear layout takes well under one
local word = ("a"):rep(LEN - 1) .. "z"
local path = os.tmpname()
h.write(path, "node " .. word .. " node\n")

-- Runs `lexis ARGS FILE`, or a Lua script given as code (run as
-- `lexis SCRIPT FILE`: the word never goes into a message).
local function run(args, code)
  local script
  if code then
    script = os.tmpname()
    h.write(script, "local path = ...\n" .. code)
    args = h.quote(script)
  end
  local out, err, status, _, secs = lib.run_capped(string.format("%s %s %s", h.quote(lib.bin), args, h.quote(path)), GUARD)
  if script then os.remove(script) end
  assert.equal(0, status, string.format("%s: exit %s after %s s: %s", code and "script" or args,
    tostring(status), tostring(secs), err:sub(1, 300)))
  return out
end

-- The line of out that holds the word, and the word as it appears there.
local function row_of(out)
  for line in out:gmatch("[^\n]+") do
    local from, to = line:find("aaaaaaaaaa+z?")     -- no backtracking: linear
    if from then
      if line:sub(to + 1, to + 3) == "…" then to = to + 3 end
      return line, line:sub(from, to)
    end
  end
end

describe("a word of " .. LEN .. " bytes", function()
  teardown(function() os.remove(path) end)

  for _, args in ipairs { "wordlist", "freq", "collocates node" } do
    it("lexis " .. args .. " prints it cut to 40 columns in its text table", function()
      local out = run(args)
      local line, w = row_of(out)
      assert.is_string(line, "no row with the word")
      assert.equal(("a"):rep(39) .. "…", w)
      assert.is_nil(line:find("%s$"), "no trailing white space")
    end)
    it("lexis " .. args .. " --format tsv carries it whole", function()
      local out = run(args .. " --format tsv")
      local _, w = row_of(out)
      assert.is_true(w == word, "the word whole")
    end)
  end

  it("lexis.report cuts it to the cell width, ending in …", function()
    local out = run(nil, [[
      local r = lexis.wordlist({ path })
      io.write(lexis.report(r, "text"), "\n--\n", lexis.report(r, "text", { width = 12 }))]])
    local default, narrow = out:match("^(.-)\n%-%-\n(.*)$")
    local _, w40 = row_of(default)
    local _, w12 = row_of(narrow)
    assert.equal(("a"):rep(39) .. "…", w40 and w40:sub(1, 60))
    assert.equal(("a"):rep(11) .. "…", w12 and w12:sub(1, 60))
  end)

  it("r:format('text') cuts it, and tsv, csv and json carry it whole", function()
    local out = run(nil, string.format([[
      local r = lexis.wordlist({ path })
      for _, f in ipairs { "text", "tsv", "csv", "json" } do io.write(f, "=", #r:format(f), "\n") end
      io.write("whole=", tostring(r:format("text"):find(" " .. ("a"):rep(%d) .. "z ", 1, true) ~= nil), "\n")]], LEN - 1))
    assert.matches("whole=false", out, 1, true)
    for _, f in ipairs { "tsv", "csv", "json" } do
      local n = tonumber(out:match(f .. "=(%d+)"))
      assert.is_true(n and n > LEN, f)
    end
    assert.is_true(tonumber(out:match("text=(%d+)")) < 1000, "text: cut")
  end)
end)
