-- The CQL evaluator (src/cqlrun.c, src/cqlrun_walk.c) over the in-memory
-- view of a .vrt file (src/cqlmem.c), compared hit for hit with cqp: the
-- expected rows in tests/data/cql/expected/ come from CWB 3.4.33's cqp on
-- the same files (tests/tools/cql-expected.sh regenerates them).

local core = require "lexis.core"

local D = "tests/data/cql/"
-- the declarations cwb-encode gets in tests/tools/cql-expected.sh
local DECL = { p = { "lemma", "pos" }, s = { "text:0+id+year", "p:0", "s:1" } }

-- { {query=, hits=n|"error", rows={"m\te\tt", ...}}, ... }
local function expected(name)
  local out, cur = {}, nil
  for line in io.lines(D .. "expected/" .. name .. ".tsv") do
    local q, n = line:match("^Q\t(.*)\t([^\t]*)$")
    if q then
      cur = { query = q, hits = tonumber(n) or n, rows = {} }
      out[#out + 1] = cur
    else
      cur.rows[#cur.rows + 1] = line
    end
  end
  return out
end

local function rows_of(result, with_target)
  local rows = {}
  for _, h in ipairs(result:hits()) do
    rows[#rows + 1] = string.format("%d\t%d\t%d", h.start, h["end"] - 1, with_target and (h.target or -1) or -1)
  end
  return rows
end

-- Each expected query of a file against cqp, over a view of it.
local function against_cqp(name, view)
  for _, case in ipairs(expected(name)) do
    it(case.query, function()
      local r, err = core.cql_run(view, case.query)
      if case.hits == "error" then
        assert.is_nil(r, "cqp refuses this query; lexis gave hits")
        assert.is_string(err)
      else
        assert(r, err)
        assert.same(case.rows, rows_of(r, case.query:find("@", 1, true)))
      end
    end)
  end
end

-- The file read into memory, and an annotated index of it (lexis index with
-- the same declarations) read in place through lx_corpus_view.
for _, name in ipairs { "small", "nested", "synth" } do
  local f = io.open(D .. name .. ".vrt")
  if f then
    f:close()
    describe("cql " .. name .. ".vrt against cqp", function()
      local view = assert(core.cql_view(D .. name .. ".vrt", DECL))
      teardown(function() view:close() end)
      against_cqp(name, view)
    end)
    describe("cql over an index of " .. name .. ".vrt against cqp", function()
      local idx = os.tmpname()
      local args = { "./lexis", "index", "-q", D .. name .. ".vrt", "-o", idx }
      for _, p in ipairs(DECL.p) do args[#args + 1] = "-P"; args[#args + 1] = p end
      for _, s in ipairs(DECL.s) do args[#args + 1] = "-S"; args[#args + 1] = s end
      assert(os.execute(table.concat(args, " ") .. " 2>/dev/null"))
      local view = core.cql_index_view(assert(core.open(idx)))
      teardown(function() view:close(); os.remove(idx) end)
      against_cqp(name, view)
    end)
  end
end

describe("cql over a plain index", function()
  it("has word, s, text and text_id; the doc column is the file; context stays in it", function()
    local h = require "helper"
    local dir = h.tmpdir()
    h.write(dir .. "/a.txt", "The cat sat. A dog ran.\n")
    h.write(dir .. "/b.txt", "Dogs bark. The cat slept.\n")
    local idx = dir .. "/x.lexis"
    local _, err, code = h.run({ "index", "-q", dir .. "/a.txt", dir .. "/b.txt", "-o", idx })
    assert.equal(0, code, err)
    local v = assert(require("lexis").cql.open(idx))
    assert.same({ "word" }, v:info().pattrs)
    local hits = require("lexis").cql('"cat" []', v)
    assert.equal(2, #hits)
    assert.equal(4, #require("lexis").cql('<s> []', v))           -- the splitter's sentences
    assert.equal(2, #require("lexis").cql('"the" %c "cat"', v))
    v:close()
    local out = h.run({ "kwic", "--cql", '"Dogs"', idx, "--format", "tsv", "--left", "3" })
    -- the hit opens b.txt: no context from a.txt, and doc names the file
    assert.truthy(out:find(dir .. "/b.txt\t", 1, true), out)
    assert.falsy(out:find("ran", 1, true), out)
    h.rmdir(dir)
  end)
end)

describe("cql evaluator", function()
  local h = require "helper"
  local lexis = require "lexis"
  local small = D .. "small.vrt"

  it("returns hits with start, end (exclusive), target, keyword and labels", function()
    local hits = assert(lexis.cql('a:[pos="JJ"] @[pos="NN"]', small))
    assert.same({ start = 1, ["end"] = 3, target = 2, labels = { a = 1 } }, hits[1])
    assert.equal(3, #hits)
    hits = assert(lexis.cql('"the" @1[pos="JJ"] [pos="NN"]', small))
    assert.equal(5, hits[1].keyword)
  end)

  it("runs many queries over one view", function()
    local v = assert(lexis.cql.open(small))
    assert.equal(65, v:info().tokens)
    assert.same({ "word", "lemma", "pos" }, v:info().pattrs)
    assert.equal(3, #lexis.cql('"dog"', v))
    assert.equal(2, #lexis.cql('[lemma="go"]', v))
    v:close()
  end)

  it("names the attributes that exist when a query asks for another", function()
    local ok, err = pcall(lexis.cql, '[lema="go"]', small)
    assert.is_false(ok)
    assert.matches("no attribute lema: the corpus has word, lemma, pos", err, 1, true)
    ok, err = pcall(lexis.cql, '<sentence> []', small)
    assert.matches("no structural attribute sentence: the corpus has text, text_id, text_year, p, s", err, 1, true)
    ok, err = pcall(lexis.cql, '"a" within sentence', small)
    assert.matches("within sentence", err, 1, true)
  end)

  it("refuses a malformed query, a bad regex and a query matching the empty sequence", function()
    local ok, err = pcall(lexis.cql, '[word="a"', small)
    assert.matches("1:10: expected ']'", err, 1, true)
    ok, err = pcall(lexis.cql, '"a(("', small)
    assert.is_false(ok)
    assert.matches('cql: "a(("', err, 1, true)
    ok, err = pcall(lexis.cql, '"a"?', small)
    assert.matches("matches the empty sequence", err, 1, true)
  end)

  it("fails on a missing file and on an index, with the path", function()
    local hits, err = lexis.cql('"a"', "tests/data/cql/none.vrt")
    assert.is_nil(hits)
    assert.matches("none.vrt", err, 1, true)
  end)

  it("caps the hits a query keeps", function()
    local hits, err = lexis.cql("[]", small, { max_hits = 10 })
    assert.is_nil(hits)
    assert.matches("more than 10 hits", err, 1, true)
    assert.equal(10, #assert(lexis.cql("[] cut 10", small, { max_hits = 10 })))
  end)

  it("reads CoNLL-U", function()
    local hits = assert(lexis.cql('[upos="VERB"] [lemma="\\."] :: match.s_sent_id = "s1"', "tests/data/vrt/sample.conllu"))
    assert.same({ { start = 3, ["end"] = 5 } }, hits)
  end)

  it("lexis kwic --cql prints the hits with context, every format", function()
    local out, err, code = h.run { "kwic", "--cql", '[pos="JJ"]+ [pos="NN"]', small, "--format", "tsv",
      "--left", "2", "--right", "1", "--show", "word,pos" }
    assert.equal(0, code, err)
    assert.equal("doc\tposition\tleft\tnode\tright\n"
      .. small .. "\t1\tThe/DT\told/JJ man/NN\tand/CC\n"
      .. small .. "\t5\tand/CC the/DT\tyoung/JJ woman/NN\twalked/VBD\n"
      .. small .. "\t24\tthe/DT very/RB\tbig/JJ red/JJ dog/NN\t./SENT\n", out)
    out = h.run { "kwic", "--cql", '"dog"', small, "--count" }
    assert.equal("3\n", out)
    out = h.run { "kwic", "--cql", '"dog"', small, "--format", "json", "--left", "1", "--right", "0" }
    assert.matches('"left":"red","node":"dog","right":""', out, 1, true)
    out = h.run { "kwic", "--cql", '"dog"', small, "--left", "1", "--right", "1" }
    assert.equal("red  dog  .\nthe  dog  saw\nthe  dog  and\n", out)
    out = h.run { "kwic", "--cql", '"dog"', small, small, "--count", "--limit", "4" }
    assert.equal("4\n", out)
  end)

  it("lexis kwic --cql: errors and no hits are said", function()
    local _, err, code = h.run { "kwic", "--cql", '[lema="x"]', small }
    assert.equal(2, code)
    assert.matches("no attribute lema", err, 1, true)
    _, err, code = h.run { "kwic", "--cql", '"zzz"', small }
    assert.equal(0, code)
    assert.matches("no hits", err, 1, true)
    _, err, code = h.run { "kwic", "--cql", '"a"', small, "--show", "lema" }
    assert.equal(2, code)
    assert.matches("no attribute lema", err, 1, true)
    _, err, code = h.run { "kwic", "--cql", '"a"', small, small, "--format", "json" }
    assert.equal(2, code)
  end)
end)
