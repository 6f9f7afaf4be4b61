-- Breakdowns and sorts of CQL hits (src/cqlcount.c; lexis count, kwic --cql
-- --sort, lexis.cql.count), compared row for row with cqp's count by, group
-- and sort: the expected rows in tests/data/cql/expected/*.breakdowns.tsv
-- come from CWB 3.4.33's cqp on the same files (tests/tools/cql-breakdowns.sh
-- regenerates them).

local core = require "lexis.core"
local h = require "helper"

local D = "tests/data/cql/"
local KJV = "bench/data/kjv.vrt"
-- the declarations cwb-encode gets in tests/tools/cql-breakdowns.sh
local S = { "text:0+id+year", "p:0", "s:1" }
local DECL = { p = { "lemma", "pos" }, s = S }

-- { {what=, query=, cqp=, keys=, rows={...}}, ... }
local function expected(name)
  local out, lines = {}, {}
  for line in io.lines(D .. "expected/" .. name .. ".breakdowns.tsv") do lines[#lines + 1] = line end
  local i = 1
  while i <= #lines do
    local what, q, cqp, keys, n = lines[i]:match("^C\t(%a+)\t(.-)\t(.-)\t(.-)\t(%d+)$")
    assert(what, "a case line expected: " .. lines[i])
    local case = { what = what, query = q, cqp = cqp, keys = keys, rows = {} }
    for k = 1, tonumber(n) do case.rows[k] = lines[i + k] end
    out[#out + 1] = case
    i = i + tonumber(n) + 1
  end
  return out
end

-- lexis's rows of a case, as cqp prints them (max: the first max).
local function rows_of(view, case, max)
  local r = assert(core.cql_run(view, case.query))
  local rows = {}
  if case.what == "sort" then
    assert(r:sort(case.keys, max or 0))
    for _, x in ipairs(r:hits()) do rows[#rows + 1] = x.start .. "\t" .. (x["end"] - 1) end
  else
    local c = assert(r:count(case.keys))
    for _, row in ipairs(c:rows(max or 0)) do
      rows[#rows + 1] = table.concat(row, "\t") .. "\t" .. row.freq
    end
    c:free()
  end
  r:free()
  return rows
end

local function against_cqp(name, view, max)
  for _, case in ipairs(expected(name)) do
    it(case.what .. " " .. case.cqp .. ": " .. case.query, function()
      assert.same(case.rows, rows_of(view(), case, max))
    end)
  end
end

for _, name in ipairs { "small", "nested", "synth" } do
  describe("breakdowns of " .. name .. ".vrt against cqp", function()
    local view
    setup(function() view = assert(core.cql_view(D .. name .. ".vrt", DECL)) end)
    teardown(function() view:close() end)
    against_cqp(name, function() return view end)
  end)
  describe("breakdowns over an index of " .. name .. ".vrt against cqp", function()
    local view, idx
    setup(function()
      idx = h.tmpname()
      local _, err, code = h.run({ "index", "-q", D .. name .. ".vrt", "-o", idx, "-P", "lemma", "-P", "pos",
                                   "-S", S[1], "-S", S[2], "-S", S[3] })
      assert(code == 0, err)
      view = core.cql_index_view(assert(core.open(idx)))
    end)
    teardown(function() view:close(); os.remove(idx) end)
    against_cqp(name, function() return view end)
  end)
end

describe("breakdowns of the tagged KJV against cqp (first 100 rows)", function()
  local f = io.open(KJV)
  if not f then
    io.stderr:write("count_spec: no ", KJV, " (bench/apertium2vrt.lua makes it): the KJV cases are skipped\n")
    return
  end
  f:close()
  local view
  setup(function() view = assert(core.cql_view(KJV, { s = S })) end)
  teardown(function() view:close() end)
  against_cqp("kjv", function() return view end, 100)
end)

describe("lexis count", function()
  local V = D .. "small.vrt"

  it("writes the rows cqp's count gives, in every format, the same from the file and its index", function()
    local out, err, code = h.run({ "count", '[pos="DT"] []', V, "--by", "lemma%c", "--format", "tsv" })
    assert.equal(0, code, err)
    assert.equal("lemma%c\tfreq\na b\t3\nthe dog\t2\nthe lord\t2\na a\t1\nthe cat\t1\nthe old\t1\n"
      .. "the very\t1\nthe young\t1\n", out)
    out = h.run({ "count", '[pos="DT"] []', V, "--by", "lemma@match,pos@matchend", "--format", "json", "--limit", "2" })
    assert.equal('[\n{"lemma@match":"a","pos@matchend":"NN","freq":3},\n'
      .. '{"lemma@match":"the","pos@matchend":"NN","freq":3}\n]\n', out)
    out = h.run({ "count", '[pos="DT"] []', V, "--by", "pos@matchend", "--format", "csv", "--no-header" })
    assert.equal("NN,6\r\nJJ,2\r\nNP,2\r\nDT,1\r\nRB,1\r\n", out)
    out = h.run({ "count", '[pos="DT"] []', V, "--by", "pos@matchend" })
    assert.equal("pos@matchend  freq\nNN               6\nJJ               2\nNP               2\n"
      .. "DT               1\nRB               1\n", out)
    local idx = h.tmpname()
    assert.equal(0, select(3, h.run({ "index", "-q", V, "-o", idx })))
    for _, fmt in ipairs { "text", "tsv", "csv", "json", "jsonl", "markdown", "html" } do
      local a = h.run({ "count", '[pos="DT"] []', V, "--by", "word%c@matchend[1]", "--format", fmt })
      local b = h.run({ "count", '[pos="DT"] []', idx, "--by", "word%c@matchend[1]", "--format", fmt })
      assert.equal(a, b, fmt)
      assert.is_true(#a > 0)
    end
    os.remove(idx)
  end)

  it("sums the rows of several files", function()
    local one = h.run({ "count", '[pos="DT"] []', V, "--by", "lemma", "--format", "tsv", "--no-header" })
    local two = h.run({ "count", '[pos="DT"] []', V, V, "--by", "lemma", "--format", "tsv", "--no-header" })
    local doubled = one:gsub("(%d+)\n", function(n) return (2 * tonumber(n)) .. "\n" end)
    assert.equal(doubled, two)
  end)

  it("takes a plain query (any case unless --case), and CQL when it looks like CQL", function()
    local out = h.run({ "count", "the *", V, "--by", "word", "--format", "tsv", "--no-header" })
    local cql = h.run({ "count", '[word="the" %c] []', V, "--by", "word", "--format", "tsv", "--no-header" })
    assert.equal(cql, out)
    assert.truthy(out:find("The old\t1", 1, true))
    out = h.run({ "count", "the *", V, "--by", "word", "--case", "--format", "tsv", "--no-header" })
    assert.is_nil(out:find("The old", 1, true))
    out = h.run({ "count", "caf?", V, "--by", "word", "--format", "tsv", "--no-header" })
    assert.equal("CAFE\t1\nCafé\t1\ncafe\t1\n", out)
    out = h.run({ "count", "/b|a/", V, "--by", "word", "--format", "tsv", "--no-header" })
    assert.equal("a\t4\nb\t4\n", out)
    -- a plain query is asked of word; the same text with --cql is CQL
    local _, err, code = h.run({ "count", "--cql", "the", V, "--by", "word" })
    assert.equal(2, code)
    assert.truthy(err:find("lexis: count: cql:", 1, true), err)
  end)

  it("says why on stderr when nothing is found, and writes the header", function()
    local out, err, code = h.run({ "count", '"zebra"', V, "--by", "lemma" })
    assert.equal(0, code)
    assert.equal("lemma  freq\n", out)
    assert.truthy(err:find("no hits for the CQL query in 1 file", 1, true), err)
    _, err = h.run({ "count", "zebra", V, "--by", "lemma" })
    assert.truthy(err:find("no hits for 'zebra' (as CQL: [word=\"zebra\" %c])", 1, true), err)
  end)

  it("refuses bad keys: an unknown attribute named with those that exist, a bad offset, anchor or flag", function()
    local cases = {
      { "lema", "--by: no attribute lema: the corpus has word, lemma, pos" },
      { "pos@matchend[x]", "bad offset" },
      { "pos@matchend[1", "bad offset" },
      { "pos@matchend[1]x", "bad offset" },
      { "pos@end", "unknown anchor (match, matchend, target, keyword)" },
      { "pos%x", "unknown flag %x" },
      { "pos@match[99999999]", "at most a million" },
      { "", "an empty key" },
      { "pos,,lemma", "an empty key" },
      { "L1", "no attribute L1" },    -- a sort key only
    }
    for _, c in ipairs(cases) do
      local out, err, code = h.run({ "count", '[pos="DT"]', V, "--by", c[1] })
      assert.equal(2, code, c[1])
      assert.equal("", out)
      assert.truthy(err:find(c[2], 1, true), c[1] .. ": " .. err)
    end
    local _, err, code = h.run({ "count", '[pos="DT"]', V })
    assert.equal(2, code)
    assert.truthy(err:find("--by KEYS is needed", 1, true))
    _, err, code = h.run({ "count", '[pos="DT"]', D .. "missing.vrt", "--by", "pos" })
    assert.equal(1, code)
    assert.truthy(err:find("missing.vrt", 1, true))
    _, err, code = h.run({ "count", '[pos="DT"', V, "--by", "pos" })
    assert.equal(2, code)
    assert.truthy(err:find("cql: 1:", 1, true), err)
  end)

  it("gives the empty string where an anchor is missing or outside the corpus", function()
    local out = h.run({ "count", '[]', V, "--by", "word@match[-1000]", "--format", "tsv", "--no-header" })
    local n = 0
    for line in io.lines(V) do if line:find("\t") then n = n + 1 end end
    assert.equal("\t" .. n .. "\n", out)
    out = h.run({ "count", '"the" @[pos="JJ"]? [pos="NN"]', V, "--by", "word@target", "--format", "tsv", "--no-header" })
    assert.truthy(out:find("^\t%d+\n"), out)
  end)
end)

describe("lexis kwic --cql --sort", function()
  local V = D .. "small.vrt"

  it("sorts as cqp sorts, a limit keeping the same first hits as the whole sort", function()
    local all = h.run({ "kwic", "--cql", '[pos="DT"] []', V, "--sort", "word%c@matchend[1]", "--format", "tsv",
                        "--no-header" })
    local pos = {}
    for p in all:gmatch("\t(%d+)\t") do pos[#pos + 1] = p end
    assert.equal("62 52 38 54 57 22 41 0 58 10 35 4", table.concat(pos, " "))
    local first = h.run({ "kwic", "--cql", '[pos="DT"] []', V, "--sort", "word%c@matchend[1]", "--format", "tsv",
                          "--no-header", "--limit", "5" })
    local want = {}
    for line in all:gmatch("[^\n]+\n") do if #want < 5 then want[#want + 1] = line end end
    assert.equal(table.concat(want), first)
  end)

  it("reads L1, R1, node, position and -KEY, and --reverse turns every key", function()
    local function order(...)
      local out = h.run({ "kwic", "--cql", '[pos="DT"] []', V, "--format", "tsv", "--no-header", ... })
      local pos = {}
      for p in out:gmatch("\t(%d+)\t") do pos[#pos + 1] = p end
      return table.concat(pos, " ")
    end
    assert.equal(order("--sort", "word@matchend[1]"), order("--sort", "R1"))
    assert.equal(order("--sort", "word@match[-1]"), order("--sort", "L1"))
    assert.equal(order("--sort", "word"), order("--sort", "node"))
    assert.equal("62 58 57 54 52 41 38 35 22 10 4 0", order("--sort=-position"))
    assert.equal(order("--sort=-lemma,position"), order("--sort", "lemma,-position", "--reverse"))
    assert.equal("4 22 0 10 62", order("--sort=-lemma", "--limit", "5"))
  end)

  it("refuses what it cannot do, naming it", function()
    local cases = {
      { { "--sort", "lema" }, "--sort: no attribute lema: the corpus has word, lemma, pos" },
      { { "--sort", "doc" }, "doc does not go with --cql" },
      { { "--sort", "lemma@matchend[-]" }, "bad offset" },
      { { "--reverse" }, "--reverse goes with --sort" },
    }
    for _, c in ipairs(cases) do
      local args = { "kwic", "--cql", '[pos="DT"] []', V }
      for _, a in ipairs(c[1]) do args[#args + 1] = a end
      local _, err, code = h.run(args)
      assert.equal(2, code, c[2])
      assert.truthy(err:find(c[2], 1, true), err)
    end
    local _, err, code = h.run({ "kwic", "--cql", '[pos="DT"]', V, V, "--sort", "lemma" })
    assert.equal(2, code)
    assert.truthy(err:find("takes one file, one index or a set of indexes", 1, true), err)
    -- without --cql, a key of attributes is named as such
    _, err, code = h.run({ "kwic", "the", "corpus/", "--sort", "lemma@matchend[1]" })
    assert.equal(2, code)
    assert.truthy(err:find("go with --cql", 1, true), err)
  end)
end)

describe("lexis.cql.count and lexis.cql's sort", function()
  local lexis = require "lexis"
  local V = D .. "small.vrt"

  it("gives rows of strings and freq, and sorted hits", function()
    local rows = lexis.cql.count('[pos="DT"] []', V, { by = "lemma@match,pos@matchend", limit = 2 })
    assert.same({ { "a", "NN", freq = 3 }, { "the", "NN", freq = 3 } }, rows)
    local hits = lexis.cql('[pos="DT"] []', V, { sort = "word%c@matchend[1]", limit = 3 })
    assert.same({ 62, 52, 38 }, { hits[1].start, hits[2].start, hits[3].start })
    assert.equal(3, #hits)
    local view = lexis.cql.open(V)
    assert.equal(5, #lexis.cql.count('[pos="DT"] []', view, { by = "pos@matchend" }))
    view:close()
  end)

  it("raises on a bad key, naming the attributes", function()
    local ok, err = pcall(lexis.cql.count, '[pos="DT"]', V, { by = "lema" })
    assert.is_false(ok)
    assert.truthy(err:find("no attribute lema: the corpus has word, lemma, pos", 1, true), err)
    ok, err = pcall(lexis.cql.count, '[pos="DT"]', V, {})
    assert.is_false(ok)
    assert.truthy(err:find("opts.by", 1, true), err)
    ok, err = pcall(lexis.cql, '[pos="DT"]', V, { sort = "pos@x" })
    assert.is_false(ok)
    assert.truthy(err:find("unknown anchor", 1, true), err)
  end)
end)
