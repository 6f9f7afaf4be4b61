-- Partial counts of pieces of one file (lexis ngrams/freq --partial --doc,
-- lexis merge): the merged list is byte for byte the list of the whole,
-- n-grams across every cut and ranges by document included.

local h = require "helper"

local dir, kjv
setup(function()
  dir = h.tmpdir()
  kjv = h.kjv(dir)                 -- the King James Bible, one verse a line
end)
teardown(function() h.rmdir(dir) end)

local function sh(cmd)
  assert(os.execute(cmd), "failed: " .. cmd)
end

-- Writes the lines of text (a path) before line `at` and from it on to two
-- files; returns their paths.
local function cut_at(path, at, name)
  local a, b = {}, {}
  local i = 0
  for line in io.lines(path) do
    i = i + 1
    local t = i < at and a or b
    t[#t + 1] = line .. "\n"
  end
  return h.write(string.format("%s/%s.1", dir, name), table.concat(a)),
         h.write(string.format("%s/%s.2", dir, name), table.concat(b))
end

-- Counts each piece with --partial (--doc doc, unless nil) and merges
-- them in order; returns merge's output, stderr and status.
local function merged(cmd, opts, pieces, doc, mergeopts)
  local parts = {}
  for i, p in ipairs(pieces) do
    local args = { cmd, "--partial" }
    for _, o in ipairs(opts) do args[#args + 1] = o end
    if doc then args[#args + 1] = "--doc"; args[#args + 1] = doc end
    args[#args + 1] = p
    local out, err, code = h.run(args)
    assert.equal(0, code, err)
    parts[i] = h.write(p .. ".part", out)
  end
  local args = { "merge", "--format", "tsv" }
  for _, o in ipairs(mergeopts or {}) do args[#args + 1] = o end
  for _, p in ipairs(parts) do args[#args + 1] = p end
  return h.run(args)
end

local function whole(cmd, opts, files)
  local args = { cmd, "--format", "tsv" }
  for _, o in ipairs(opts) do args[#args + 1] = o end
  for _, f in ipairs(files) do args[#args + 1] = f end
  local out, err, code = h.run(args)
  assert.equal(0, code, err)
  return out
end

local CONFIGS = {
  { "-n", "2", "--lower" }, { "-n", "3", "--lower" },
  { "-n", "2", "--lower", "--across-sentences" }, { "-n", "3", "--lower", "--across-sentences" },
}

describe("pieces of the KJV merged", function()
  it("cut after line 17 (a comma, mid-sentence) give the n-grams of the whole", function()
    local a, b = cut_at(kjv, 18, "kjv17")
    for _, opts in ipairs(CONFIGS) do
      local want = whole("ngrams", opts, { kjv })
      local got, err, code = merged("ngrams", opts, { a, b }, "kjv")
      assert.equal(0, code, err)
      assert.equal("", err)
      assert.equal(want, got)
    end
    -- the n-grams across the cut, and the two pieces one document, are what
    -- --doc adds: without it they are lost and ranges count pieces
    local without = merged("ngrams", CONFIGS[2], { a, b }, nil)
    assert.is_nil(without:find("\tthe earth ge1\t", 1, true))
    assert.matches("\tthe midst of\t%d+\t2\t", without)
    local with = merged("ngrams", CONFIGS[2], { a, b }, "kjv")
    assert.matches("\tthe midst of\t%d+\t1\t", with)
    assert.truthy(with:find("\tthe earth ge1\t1\t1\t", 1, true))
    assert.truthy(with:find("\tearth ge1 18\t1\t1\t", 1, true))
  end)

  it("in four (split -n l/4) give the n-grams and word counts of the whole", function()
    sh(string.format("cd %s && split -n l/4 kjv.txt kjv.", h.quote(dir)))
    local pieces = {}
    for _, s in ipairs({ "aa", "ab", "ac", "ad" }) do pieces[#pieces + 1] = dir .. "/kjv." .. s end
    for _, opts in ipairs(CONFIGS) do
      local want = whole("ngrams", opts, { kjv })
      local got, err, code = merged("ngrams", opts, pieces, "kjv")
      assert.equal(0, code, err)
      assert.equal(want, got)
    end
    local got, err, code = merged("freq", { "--lower" }, pieces, "kjv")
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.equal(whole("freq", { "--lower" }, { kjv }), got)
  end)

  it("merge in stages, between whole files, with the same result", function()
    local other = "corpus/red-book-1936-excerpt.txt"
    sh(string.format("cd %s && split -n l/4 kjv.txt st.", h.quote(dir)))
    for _, opts in ipairs({ CONFIGS[2], CONFIGS[4] }) do
      local function part(path, doc)
        local args = { "ngrams", "--partial" }
        for _, o in ipairs(opts) do args[#args + 1] = o end
        if doc then args[#args + 1] = "--doc"; args[#args + 1] = doc end
        args[#args + 1] = path
        local out, err, code = h.run(args)
        assert.equal(0, code, err)
        return h.write(h.tmpname(), out)
      end
      local o1, o2 = part(other), part(other)
      local p = {}
      for i, s in ipairs({ "aa", "ab", "ac", "ad" }) do p[i] = part(dir .. "/st." .. s, "kjv") end
      -- two sums of several documents whose last and first are pieces of one
      local s1 = h.write(h.tmpname(), (h.run({ "merge", "--partial", o1, p[1], p[2] })))
      local s2 = h.write(h.tmpname(), (h.run({ "merge", "--partial", p[3], p[4], o2 })))
      assert.truthy(h.read(s1):find("\n#last\tkjv\t", 1, true))
      local got, err, code = h.run({ "merge", "--format", "tsv", s1, s2 })
      assert.equal(0, code, err)
      assert.equal(whole("ngrams", opts, { other, kjv, other }), got)
      for _, f in ipairs({ o1, o2, s1, s2, table.unpack(p) }) do os.remove(f) end
    end
  end)
end)

describe("cuts at a sentence's edge", function()
  -- Each text is cut before the given lines; merged pieces must equal the whole.
  local CASES = {
    { "after a full stop", "It rained all day.\nThe river rose. We left\nat dawn and walked.\n", { 2 } },
    { "mid-sentence", "we walked along the\nriver bank and then\nwe rested by the bridge.\n", { 2, 3 } },
    { "before a blank line", "a heading without a stop\n\nthe text of it goes on\nhere.\n", { 2 } },
    { "after a blank line", "a heading without a stop\n\nthe text of it goes on\nhere.\n", { 3 } },
    { "a piece shorter than n-1 words", "one two three\nfour\nfive six seven\n", { 2, 3 } },
    { "an empty piece between", "one two three\nfour five six\n", { 2, 2 } },
    -- (a cut before item 2 is not exact: that the list goes on is state
    -- the splitter of the second piece cannot see; docs/stats.md)
    { "a list item", "the list follows\n1. first item here\n2. second item there\n", { 2 } },
    { "an abbreviation", "They met Mr.\nSmith at noon and left.\n", { 2 } },
  }
  for _, case in ipairs(CASES) do
    it(case[1], function()
      local path = h.write(dir .. "/case.txt", case[2])
      local lines = {}
      for line in io.lines(path) do lines[#lines + 1] = line .. "\n" end
      local pieces, from = {}, 1
      local cuts = { table.unpack(case[3]) }
      cuts[#cuts + 1] = #lines + 1
      for i, at in ipairs(cuts) do
        pieces[i] = h.write(string.format("%s/case.%02d", dir, i), table.concat(lines, "", from, at - 1))
        from = at
      end
      for _, opts in ipairs(CONFIGS) do
        local got, err, code = merged("ngrams", opts, pieces, "case")
        assert.equal(0, code, err)
        assert.equal(whole("ngrams", opts, { path }), got)
      end
    end)
  end
end)

describe("lexis merge of pieces", function()
  local function pieces3()
    local a = h.write(dir .. "/p.1", "one two three\n")
    local b = h.write(dir .. "/p.2", "four five six\n")
    local c = h.write(dir .. "/p.3", "seven eight\n")
    local out = {}
    for i, p in ipairs({ a, b, c }) do
      out[i] = h.write(p .. ".ng", (h.run({ "ngrams", "-n", "3", "--partial", "--doc", "p", p })))
    end
    return out
  end

  it("refuses pieces out of order, or apart", function()
    local p = pieces3()
    local _, err, code = h.run({ "merge", p[1], p[3], p[2] })
    assert.equal(1, code)
    assert.matches("the piece '.*p%.2' of 'p' comes after '.*p%.3'", err)
    local other = h.write(h.tmpname(), (h.run({ "ngrams", "-n", "3", "--partial", "corpus/red-book-1936-excerpt.txt" })))
    _, err, code = h.run({ "merge", p[1], other, p[2] })
    assert.equal(1, code)
    assert.matches("a piece of 'p' that does not follow the piece before it", err)
    os.remove(other)
  end)

  it("says when a cut may fall inside a word (split by bytes)", function()
    sh(string.format("cd %s && split -n 4 kjv.txt bytes.", h.quote(dir)))
    local pieces = {}
    for _, s in ipairs({ "aa", "ab", "ac", "ad" }) do pieces[#pieces + 1] = dir .. "/bytes." .. s end
    local _, err, code = merged("freq", { "--lower" }, pieces, "kjv")
    assert.equal(0, code, err)
    assert.matches("the cut before it may fall inside a word", err)
  end)

  it("reads version 1 and refuses an unknown version clearly", function()
    local v1 = h.write(h.tmpname(), "#lexis-partial 1 ngrams-2 tokens=3 docs=1\n2\t1\ta b\n")
    local v9 = h.write(h.tmpname(), "#lexis-partial 9 ngrams-2 tokens=3 docs=1\n2\t1\ta b\n")
    local out, err, code = h.run({ "merge", "--format", "tsv", v1, v1 })
    assert.equal(0, code, err)
    assert.equal("rank\tngram\tcount\trange\tper_million\n1\ta b\t4\t2\t666666.6666666666\n", out)
    _, err, code = h.run({ "merge", v9 })
    assert.equal(1, code)
    assert.matches(":1: a partial%-counts header of an unknown version %(this lexis reads versions 1 to 2%)", err)
    local bad = h.write(h.tmpname(), "#lexis-partial 2 ngrams-2 tokens=3 docs=1\n#first\tp\tp.1\tajar\tspace\n")
    _, err, code = h.run({ "merge", bad })
    assert.equal(1, code)
    assert.matches(":2: expected #first or #last", err)
    for _, f in ipairs({ v1, v9, bad }) do os.remove(f) end
  end)

  it("wants --doc with --partial, one file and no --contains", function()
    local _, err, code = h.run({ "ngrams", "--doc", "x", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(2, code)
    assert.matches("%-%-doc goes with %-%-partial", err)
    _, err, code = h.run({ "freq", "--partial", "--doc", "x", "corpus/red-book-1936-excerpt.txt", kjv })
    assert.equal(2, code)
    assert.matches("give one file, not 2", err)
    _, err, code = h.run({ "ngrams", "--partial", "--doc", "x", "--contains", "the", kjv })
    assert.equal(2, code)
    assert.matches("%-%-contains", err)
  end)
end)
