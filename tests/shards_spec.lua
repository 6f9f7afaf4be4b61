-- A corpus of several indexes built apart (shards): lexis kwic and lexis
-- collocates over them, and lexis.open{ ... }, must give the bytes one
-- index of the same files gives (src/corpus_shards.c). The KJV is cut into
-- four files by lines, each indexed alone, and all four indexed together.
-- Shards built otherwise, and a damaged or stale shard, are errors that
-- name the shard or its file.

local h = require "helper"
local lexis = require "lexis"

local KJV                        -- the King James Bible (h.kjv: Debian's bible-kjv)

local dir, parts, shards, whole

-- the KJV's lines cut into n files of about equal lines, as split -n l/n would
local function cut(n)
  local lines = {}
  for line in io.lines(KJV) do lines[#lines + 1] = line end
  local files, per = {}, math.ceil(#lines / n)
  for i = 1, n do
    local t = table.move(lines, (i - 1) * per + 1, math.min(i * per, #lines), 1, {})
    files[i] = h.write(string.format("%s/part%d.txt", dir, i), table.concat(t, "\n") .. "\n")
  end
  return files
end

local function run_ok(args)
  local out, err, code = h.run(args)
  assert(code == 0, table.concat(args, " ") .. ": " .. err)
  return out
end

setup(function()
  dir = h.tmpdir()
  KJV = h.kjv(dir)
  parts = cut(4)
  shards = {}
  for i, f in ipairs(parts) do
    shards[i] = dir .. "/part" .. i .. ".lexis"
    run_ok { "index", "-q", f, "-o", shards[i] }
  end
  whole = dir .. "/whole.lexis"
  local args = { "index", "-q" }
  for _, f in ipairs(parts) do args[#args + 1] = f end
  args[#args + 1] = "-o"
  args[#args + 1] = whole
  run_ok(args)
end)

teardown(function() h.rmdir(dir) end)

-- lexis ARGS... INPUTS... for the whole index and for the shards
local function both(args)
  local a = table.move(args, 1, #args, 1, {})
  a[#a + 1] = whole
  local b = table.move(args, 1, #args, 1, {})
  for _, s in ipairs(shards) do b[#b + 1] = s end
  local o1, e1, c1 = h.run(a)
  local o2, e2, c2 = h.run(b)
  return { o1, e1, c1 }, { o2, e2, c2 }
end

local function same(args)
  local one, many = both(args)
  local what = table.concat(args, " ")
  assert.equal(0, one[3], what .. ": " .. one[2])
  assert.equal(0, many[3], what .. ": " .. many[2])
  assert.equal(one[1], many[1], what)
  return one[1]
end

describe("lexis kwic over shards", function()
  local FORMATS = { "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }
  local VARIANTS = {
    {},
    { "--sort", "R1,L1", "--limit", "50" },
    { "--sort=-node,R2", "--limit", "7" },
    { "--tokens", "--sort", "L1" },
    { "--sample", "20", "--seed", "3" },
    { "--limit", "30" },                       -- no sort: the first shards only
    { "--sentence", "--sort", "R1", "--limit", "40" },
  }

  it("gives the hits of one index of the same files, in every format, sorted and cut alike", function()
    for _, q in ipairs { "LORD", "the * of", "begat" } do
      for _, fmt in ipairs(FORMATS) do
        for _, v in ipairs(VARIANTS) do
          local args = { "kwic", q, "--format", fmt, "--width", "30" }
          for _, x in ipairs(v) do args[#args + 1] = x end
          local out = same(args)
          assert.is_true(#out > 0)
        end
      end
    end
  end)

  it("counts what one index counts, with --case, globs and regular expressions", function()
    for _, a in ipairs { { "LORD" }, { "Lord", "--case" }, { "lov*" }, { "beg.t+", "--regex" }, { "the * of" } } do
      local args = { "kwic", a[1], "--count", a[2] }
      local n = same(args)
      assert.is_true(tonumber(n) > 0, table.concat(args, " "))
    end
    local out = same { "kwic", "the", "--sort", "R1,R2,R3", "--limit", "2000", "--format", "tsv" }
    assert.equal(2001, select(2, out:gsub("\n", "")))
  end)

  it("numbers the documents of the shards as one list (doc key, positions)", function()
    same { "kwic", "Amen", "--sort=-doc,-position", "--format", "jsonl", "--tokens" }
    local out = same { "kwic", "Amen", "--sort", "doc", "--format", "tsv", "--no-header" }
    local seen = {}
    for doc in out:gmatch("([^\t\n]+)\t[^\n]*\n") do seen[doc] = true end
    for _, f in ipairs(parts) do assert.is_true(seen[f] or seen[f:match("[^/]+$")] or false, f) end
  end)

  it("says why when nothing is found", function()
    local _, many = both { "kwic", "zzzzqx" }
    assert.equal(0, many[3])
    assert.matches("no hits: 'zzzzqx' occurs nowhere in .*part1%.lexis", many[2])
  end)
end)

describe("lexis collocates over shards", function()
  it("adds the shards' counts: the rows of one index", function()
    for _, a in ipairs {
      { "LORD" }, { "god", "--by", "mi", "--min", "3" }, { "the * of" },
      { "Lord", "--case", "--top", "10", "--format", "tsv" },
      { "love", "--left", "2", "--right", "0", "--expected", "sketch" },
      { "lord", "--lower", "--format", "json" },
      { "lord", "--sentences", "--top", "5" },     -- read from the shards' files
    } do
      local args = { "collocates" }
      for _, x in ipairs(a) do args[#args + 1] = x end
      local out = same(args)
      assert.is_true(#out > 200, table.concat(args, " "))
    end
  end)
end)

describe("lexis.open{ ... }", function()
  it("queries the shards as one corpus: kwic, collocates, sizes", function()
    local one = assert(lexis.open(whole))
    local many = assert(lexis.open(shards))
    assert.equal(#one, #many)
    assert.equal(#one:docs(), #many:docs())
    assert.equal(one:freq("lord"), many:freq("lord"))
    for _, o in ipairs { { sort = "R1,R2", limit = 100 }, { context = "chars", width = 20 }, {} } do
      assert.equal(lexis.report(one:kwic("the LORD", o), "tsv"), lexis.report(many:kwic("the LORD", o), "tsv"))
    end
    assert.equal(one:collocates("love", { top = 30 }):format("tsv"),
                 many:collocates("love", { top = 30 }):format("tsv"))
    local same_api = assert(require("lexis.corpus").open_many(shards))
    assert.equal(#many, #same_api)
    same_api:close()
    many:close()
    one:close()
  end)

  it("returns nil and the shard that does not open", function()
    local c, err = lexis.open { shards[1], dir .. "/nothere.lexis" }
    assert.is_nil(c)
    assert.matches("nothere%.lexis", err)
  end)
end)

describe("shards that cannot be one corpus", function()
  it("refuses shards tokenized otherwise, naming them", function()
    local apos = dir .. "/apos.lexis"
    run_ok { "index", "-q", "--split-apostrophes", parts[2], "-o", apos }
    for _, cmd in ipairs { "kwic", "collocates" } do
      local _, err, code = h.run { cmd, "LORD", shards[1], apos }
      assert.equal(1, code)
      assert.matches("apos%.lexis: built with words split at apostrophes", err)
      assert.matches("must be built alike", err)
    end
    local c, err = lexis.open { apos, shards[1] }
    assert.is_nil(c)
    assert.matches("part1%.lexis: built without words split at apostrophes", err)
  end)

  it("refuses an annotated shard among plain ones", function()
    local vrt = h.write(dir .. "/small.vrt", "<text id=\"a\">\n<s>\nIn\nthe\nbeginning\n</s>\n</text>\n")
    local ann = dir .. "/ann.lexis"
    run_ok { "index", "-q", vrt, "-o", ann }
    local _, err, code = h.run { "kwic", "the", shards[1], ann }
    assert.equal(1, code)
    assert.matches("ann%.lexis: annotated", err)
  end)

  it("names a damaged shard", function()
    local bad = dir .. "/bad.lexis"
    local bytes = h.read(shards[3])
    -- the token ids section: the one of 4 bytes a token; a byte flipped at
    -- the first hit of LORD, which a sort by node reads
    local c = assert(lexis.open(shards[3]))
    local ntok, pos = #c, nil
    for _, hit in c:kwic("LORD", { limit = 1 }):hits() do pos = hit.position end
    c:close()
    assert.truthy(pos)
    local ids
    for _, s in ipairs(assert(require("lexis.core")._index_sections(shards[3]))) do
      if #s == 4 * ntok then ids = s end
    end
    local at = assert(bytes:find(ids, 1, true)) + 4 * (pos - 1)
    local flipped = string.char(bytes:byte(at) ~ 0x55)
    h.write(bad, bytes:sub(1, at - 1) .. flipped .. bytes:sub(at + 1))
    local _, err, code = h.run { "kwic", "LORD", shards[1], shards[2], bad, "--sort", "node", "--limit", "3" }
    assert.equal(1, code)
    assert.matches("bad%.lexis: damaged", err)
    _, err, code = h.run { "kwic", "LORD", shards[1], dir .. "/nothere.lexis" }
    assert.is_not.equal(0, code)
    assert.matches("nothere%.lexis", err)
  end)

  it("names the file of a stale shard", function()
    local src = h.write(dir .. "/stale.txt", "In the beginning God created the heaven and the earth.\n")
    local idx = dir .. "/stale.lexis"
    run_ok { "index", "-q", src, "-o", idx }
    h.write(src, "In the beginning God created the HEAVEN and the earth.\n")   -- the same size
    os.execute("touch -d '2001-01-01' " .. h.quote(src))
    local _, err, code = h.run { "kwic", "heaven", shards[1], idx }
    assert.equal(1, code)
    assert.matches("stale%.txt: changed since it was indexed", err)
    _, err, code = h.run { "collocates", "heaven", shards[1], idx }
    assert.equal(1, code)
    assert.matches("stale%.txt: changed since it was indexed", err)
  end)
end)
