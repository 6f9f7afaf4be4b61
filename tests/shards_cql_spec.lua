-- CQL over shards (src/cqlshards.c): lexis kwic --cql, lexis count and
-- lexis.open{ ... }:query over several indexes built apart must give the
-- bytes one index of the same files gives; and lexis index --merge makes
-- that one index from the shards. tests/data/cql/synth.vrt (five texts) is
-- cut at its texts into three files; the tagged KJV (bench/data/kjv.vrt,
-- made by bench/apertium2vrt.lua) into four, when it is there.

local h = require "helper"
local lexis = require "lexis"

local SYNTH = "tests/data/cql/synth.vrt"
local KJV = "bench/data/kjv.vrt"

local dir

local function run_ok(args)
  local out, err, code = h.run(args)
  assert(code == 0, table.concat(args, " ") .. ": " .. err)
  return out, err
end

local function index(files, out, extra)
  local args = { "index", "-q" }
  for _, x in ipairs(extra or {}) do args[#args + 1] = x end
  for _, f in ipairs(files) do args[#args + 1] = f end
  args[#args + 1] = "-o"
  args[#args + 1] = out
  run_ok(args)
  return out
end

-- path's lines cut into n .vrt files at the starts of its units (<text or
-- <s lines), the header comment at the top of each, the first file also
-- taking what comes before the first unit; a unit left open at a cut (the
-- KJV's one <text>) is closed and opened again as <text id="partN">.
local function cut_vrt(path, n, unit, name)
  local lines = {}
  for line in io.lines(path) do lines[#lines + 1] = line end
  local header = lines[1]
  local starts = {}
  for i, l in ipairs(lines) do
    if l:sub(1, #unit + 1) == unit .. " " or l == unit .. ">" then starts[#starts + 1] = i end
  end
  local cuts = { 2 }                    -- first line of each part
  for k = 1, n - 1 do cuts[#cuts + 1] = starts[math.floor(#starts * k / n) + 1] end
  cuts[#cuts + 1] = #lines + 1
  local files = {}
  local reopen = unit == "<s"           -- the KJV: one text around every sentence
  for k = 1, n do
    local t = { header }
    if reopen and k > 1 then t[#t + 1] = string.format('<text id="part%d">', k) end
    for i = cuts[k] + (reopen and k == 1 and 1 or 0), cuts[k + 1] - 1 do
      if not (reopen and i == #lines) then t[#t + 1] = lines[i] end
    end
    if reopen then
      if k == 1 then table.insert(t, 2, '<text id="part1">') end
      t[#t + 1] = "</text>"
    end
    files[k] = h.write(string.format("%s/%s%d.vrt", dir, name, k), table.concat(t, "\n") .. "\n")
  end
  return files
end

-- { whole = index of all the files, shards = { an index of each } }
local function corpus_of(files, name)
  local c = { shards = {} }
  for i, f in ipairs(files) do c.shards[i] = index({ f }, string.format("%s/%s%d.lexis", dir, name, i)) end
  c.whole = index(files, dir .. "/" .. name .. ".lexis")
  return c
end

-- lexis ARGS... over the whole index and over the shards: the same bytes,
-- on standard output and standard error, and the same status
local function same(c, args, ok_status)
  local a = table.move(args, 1, #args, 1, {})
  a[#a + 1] = c.whole
  local b = table.move(args, 1, #args, 1, {})
  for _, s in ipairs(c.shards) do b[#b + 1] = s end
  local o1, e1, s1 = h.run(a)
  local o2, e2, s2 = h.run(b)
  local what = table.concat(args, " ")
  assert.equal(ok_status or 0, s1, what .. ": " .. e1)
  assert.equal(s1, s2, what .. ": " .. e2)
  assert.equal(o1, o2, what)
  assert.equal(e1, e2, what)
  return o1
end

setup(function() dir = h.tmpdir() end)

-- corpus/'s text cut by lines into three files in dir
local function corpus_parts(name)
  local lines = {}
  for line in io.lines("corpus/red-book-1936-excerpt.txt") do lines[#lines + 1] = line end
  local files, per = {}, math.ceil(#lines / 3)
  for i = 1, 3 do
    local t = table.move(lines, (i - 1) * per + 1, math.min(i * per, #lines), 1, {})
    files[i] = h.write(string.format("%s/%s%d.txt", dir, name, i), table.concat(t, "\n") .. "\n")
  end
  return files
end
teardown(function() h.rmdir(dir) end)

local FORMATS = { "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }

-- queries whose matches stay inside a text (as a shard ends one)
local function check_corpus(c, queries, keys)
  for _, q in ipairs(queries) do
    for _, fmt in ipairs(FORMATS) do
      same(c, { "kwic", "--cql", q, "--format", fmt, "--show", "word,pos" })
    end
    same(c, { "kwic", "--cql", q, "--count" })
    same(c, { "kwic", "--cql", q, "--limit", "7", "--format", "tsv" })
    same(c, { "kwic", "--cql", q, "--sample", "9", "--seed", "4", "--format", "tsv" })
    for _, k in ipairs(keys) do
      same(c, { "kwic", "--cql", q, "--sort=" .. k, "--limit", "25", "--format", "tsv" })
      same(c, { "kwic", "--cql", q, "--sort=" .. k, "--format", "csv", "--left", "2", "--right", "3" })
      same(c, { "kwic", "--cql", q, "--sort=" .. k, "--reverse", "--limit", "3", "--format", "jsonl" })
    end
    for _, by in ipairs { "lemma", "word%c", "pos@matchend[1]", "lemma@match,pos@matchend", "text_id" } do
      same(c, { "count", q, "--by", by, "--format", "tsv" })
    end
  end
end

describe("CQL over shards (synth.vrt cut at its texts)", function()
  local c
  setup(function() c = corpus_of(cut_vrt(SYNTH, 3, "<text", "synth"), "synth") end)

  it("gives the bytes of one index of the same files: every format, sorts with limits, samples, counts", function()
    check_corpus(c, { '[pos="JJ"]+ [pos="NN"]', '"the" []{0,2} [pos="NN.*"] within s', '<s> [pos="NP"]',
                      '[lemma="be"] [pos="RB"]? [pos="VB.*"]', 'a:[] [pos="CC"] b:[] :: a.pos = b.pos' },
                 { "R1", "lemma%c@matchend[1],-L1", "position", "-text_year,node" })
    local out, err, code = h.run { "kwic", "--cql", '"zzzz"', c.shards[1], c.shards[2], c.shards[3] }
    assert.equal(0, code)
    assert.equal("", out)
    assert.matches("no hits for the CQL query in 3 files", err)
  end)

  it("counts positions across the shards and numbers their texts as one list", function()
    local one = lexis.open(c.whole)
    local many = lexis.open(c.shards)
    assert.equal(#one, #many)
    local r1, r2 = one:query('[pos="NP"]+'), many:query('[pos="NP"]+')
    assert.is_true(r1:n() > 100)
    assert.same(r1:hits(), r2:hits())
    local texts = {}
    for _, row in ipairs(many:query("<text> []"):count("text_id"):rows()) do texts[#texts + 1] = row[1] end
    assert.equal(5, #texts)
    -- set operations between results of one set of shards, as of one index
    local a1, b1 = one:query('[pos="NN"]'), one:query('[lemma="man"]')
    local a2, b2 = many:query('[pos="NN"]'), many:query('[lemma="man"]')
    assert.same(a1:intersect(b1):hits(), a2:intersect(b2):hits())
    assert.same(a1:difference(b1):hits(), a2:difference(b2):hits())
    assert.same(a1:union(b1):hits(), a2:union(b2):hits())
    assert.has_error(function() a2:union(b1) end, "bad argument #1 to 'union' (a result of another corpus)")
    -- sort, count and write as one index's
    a1:sort("R1,-L2", 30)
    a2:sort("R1,-L2", 30)
    assert.same(a1:hits(), a2:hits())
    assert.same(one:query('[pos="JJ"]'):count("lemma"):rows(), many:query('[pos="JJ"]'):count("lemma"):rows())
    local f1, f2 = h.tmpname(), h.tmpname()
    for i, r in ipairs { a1, a2 } do
      local out <close> = assert(io.open(i == 1 and f1 or f2, "w"))
      assert(r:write(out, { format = "tsv", show = { "word", "lemma" }, left = 3, right = 3 }))
    end
    assert.equal(h.read(f1), h.read(f2))
    os.remove(f1); os.remove(f2)
    -- lexis.cql over a list of indexes
    assert.same(lexis.cql('[pos="NP"]+', { c.whole }), lexis.cql('[pos="NP"]+', c.shards))
    one:close()
    many:close()
  end)

  it("never lets a match cross from one shard to the next", function()
    local one, many = lexis.open(c.whole), lexis.open(c.shards)
    -- in one index a match may run over the end of a text (as in cqp); a shard ends it
    local n1, n2 = one:query("[] []"):n(), many:query("[] []"):n()
    assert.equal(#one - 1, n1)
    assert.equal(#many - #c.shards, n2)
    assert.equal(one:query("[] [] within text"):n(), n2 - (5 - #c.shards))   -- five texts
    one:close()
    many:close()
  end)
end)

describe("shards whose attributes differ", function()
  it("are refused with the shard and the attribute named", function()
    local a = h.write(dir .. "/attr-a.vrt", "<!-- #vrt positional-attributes: word lemma pos -->\n<text id=\"a\">\n<s>\nx\tx\tN\n</s>\n</text>\n")
    local b = h.write(dir .. "/attr-b.vrt", "<!-- #vrt positional-attributes: word pos -->\n<text id=\"b\">\n<s>\ny\tN\n</s>\n</text>\n")
    local s = h.write(dir .. "/attr-s.vrt", "<!-- #vrt positional-attributes: word lemma pos -->\n<doc id=\"c\">\n<s>\nz\tz\tN\n</s>\n</doc>\n")
    local ia, ib, is = index({ a }, dir .. "/attr-a.lexis"), index({ b }, dir .. "/attr-b.lexis"), index({ s }, dir .. "/attr-s.lexis")
    local _, err, code = h.run { "kwic", "--cql", "[]", ia, ib }
    assert.equal(1, code)
    assert.matches("attr%-b%.lexis: no attribute lemma, which .*attr%-a%.lexis has: shards of one corpus must have the same attributes", err)
    _, err, code = h.run { "count", "[]", ib, ia, "--by", "word" }
    assert.equal(1, code)
    assert.matches("attr%-a%.lexis: attribute lemma, which .*attr%-b%.lexis lacks", err)
    _, err, code = h.run { "kwic", "--cql", "[]", ia, is }
    assert.equal(1, code)
    assert.matches("attr%-s%.lexis: no structural attribute text, which .*attr%-a%.lexis has", err)
    local many = lexis.open { ia, ib }
    local r, msg = many:query("[]")   -- a failure, not a misuse
    assert.is_nil(r)
    assert.matches("attr%-b%.lexis: no attribute lemma", msg)
    many:close()
  end)
end)

describe("lexis index --merge", function()
  it("makes the index all the files would make: plain shards, with kept text, with metadata", function()
    local files = corpus_parts("m")
    for _, extra in ipairs { {}, { "--store-text" }, { "--no-sentences", "--split-apostrophes" } } do
      local shards = {}
      for i, f in ipairs(files) do shards[i] = index({ f }, string.format("%s/m%d.lexis", dir, i), extra) end
      local whole = index(files, dir .. "/m-whole.lexis", extra)
      local merged = dir .. "/m-merged.lexis"
      local args = { "index", "-q", "--merge" }
      for _, s in ipairs(shards) do args[#args + 1] = s end
      args[#args + 1] = "-o"
      args[#args + 1] = merged
      run_ok(args)
      assert.equal(h.read(whole), h.read(merged), table.concat(extra, " "))
      local c = { whole = whole, shards = { merged } }
      same(c, { "kwic", "the", "--sort", "R1", "--limit", "20", "--format", "tsv" })
      same(c, { "collocates", "the", "--top", "10", "--format", "tsv" })
    end
  end)

  it("carries document metadata, and refuses shards of other fields", function()
    local files = corpus_parts("meta")   -- beside the table, which names them
    local meta = h.write(dir .. "/meta.tsv", "path\tyear\n" .. files[1]:match("[^/]+$") .. "\t1917\n"
      .. files[2]:match("[^/]+$") .. "\t1936\n")
    local a = index({ files[1] }, dir .. "/meta-a.lexis", { "--meta", meta })
    local b = index({ files[2] }, dir .. "/meta-b.lexis", { "--meta", meta })
    local plain = index({ files[2] }, dir .. "/meta-plain.lexis")
    local whole = index({ files[1], files[2] }, dir .. "/meta-whole.lexis", { "--meta", meta })
    run_ok { "index", "-q", "--merge", a, b, "-o", dir .. "/meta-merged.lexis" }
    assert.equal(h.read(whole), h.read(dir .. "/meta-merged.lexis"))
    local _, err, code = h.run { "index", "-q", "--merge", a, plain, "-o", dir .. "/meta-bad.lexis" }
    assert.equal(1, code)
    assert.matches("meta%-plain%.lexis: its documents' metadata have the fields %(none%), but .*meta%-a%.lexis's have year", err)
  end)

  it("indexes annotated shards again from their files, and says so when they are gone", function()
    local files = cut_vrt(SYNTH, 3, "<text", "msynth")
    local shards = {}
    for i, f in ipairs(files) do shards[i] = index({ f }, string.format("%s/msynth%d.lexis", dir, i)) end
    local whole = index(files, dir .. "/msynth.lexis")
    local merged = dir .. "/msynth-merged.lexis"
    run_ok { "index", "-q", "--merge", shards[1], shards[2], shards[3], "-o", merged }
    assert.equal(h.read(whole), h.read(merged))
    os.remove(files[2])
    local _, err, code = h.run { "index", "-q", "--merge", shards[1], shards[2], shards[3], "-o", dir .. "/gone.lexis" }
    assert.equal(1, code)
    assert.matches("msynth2%.lexis: .*msynth2%.vrt: gone since it was indexed: annotated shards are merged by "
      .. "indexing their %.vrt and %.conllu files again", err)
    assert.is_nil(io.open(dir .. "/gone.lexis"))
  end)

  it("refuses what is not an index, and options the shards keep", function()
    local _, err, code = h.run { "index", "--merge", SYNTH, "-o", dir .. "/x.lexis" }
    assert.equal(2, code)
    assert.matches("%-%-merge: .*synth%.vrt is not an index made by lexis index", err)
    _, err, code = h.run { "index", "--merge", "--store-text", dir .. "/msynth.lexis", "-o", dir .. "/x.lexis" }
    assert.equal(2, code)
    assert.matches("%-%-store%-text does not go with %-%-merge", err)
  end)
end)

describe("CQL over shards of the tagged KJV", function()
  local have = io.open(KJV) ~= nil
  if not have then
    io.stderr:write("shards_cql_spec: no ", KJV, " (bench/apertium2vrt.lua makes it): the KJV cases are skipped\n")
    return
  end
  local c
  setup(function() c = corpus_of(cut_vrt(KJV, 4, "<s", "kjv"), "kjv") end)

  it("gives the bytes of one index of the four files", function()
    check_corpus(c, { '[pos="det"] [pos="adj"]+ [pos="n"]', '[lemma="lord"]', '"And" []{0,3} "God" within s' },
                 { "lemma@matchend[1],R2", "word%c@match[-1]" })
  end)

  it("merges into that index", function()
    local merged = dir .. "/kjv-merged.lexis"
    local args = { "index", "-q", "--merge" }
    for _, s in ipairs(c.shards) do args[#args + 1] = s end
    args[#args + 1] = "-o"
    args[#args + 1] = merged
    run_ok(args)
    assert.equal(h.read(c.whole), h.read(merged))
  end)
end)
