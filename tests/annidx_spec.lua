-- The annotated index (issue 14): `lexis index` of .vrt and .conllu files,
-- what the index holds (read back through the CQL evaluator's view,
-- c:_view), c:attributes(), the plain concordance of such an index, and
-- bad input. The hand-written files are in tests/data/vrt/; NAME.cwb beside
-- some of them is what cwb-encode 3.4.33 made of them (bench/vrt-cwb.sh).

local h = require "helper"
local lexis = require "lexis"
local corpus = require "lexis.corpus"

local D = "tests/data/vrt/"

local function build(files, opts)
  local path = h.tmpname()
  opts = opts or {}
  opts.output = path
  opts.progress = false
  local c = assert(corpus.corpus(files, opts))
  c:close()
  return path
end

-- The index rendered as a .cwb file renders cwb-encode's output: tokens
-- with every positional attribute, then the regions of every structural
-- attribute (end included, as CWB counts), sorted by name and start.
local function as_cwb(c)
  local a = c:attributes()
  local cols, lines = {}, {}
  for i, p in ipairs(a.positional) do cols[i] = c:_view("ids", p, 0, #c) end
  for t = 1, #c do
    local v = {}
    for i = 1, #cols do v[i] = cols[i][t] end
    lines[#lines + 1] = "token\t" .. table.concat(v, "\t")
  end
  local names = {}
  for _, s in ipairs(a.structural) do names[#names + 1] = s end
  table.sort(names)
  for _, s in ipairs(names) do
    for _, r in ipairs(c:_view("regions", s)) do
      lines[#lines + 1] = "region\t" .. s .. "\t" .. r[1] .. "\t" .. (r[2] - 1) .. (r[3] and "\t" .. r[3] or "")
    end
  end
  return table.concat(lines, "\n")
end

local function cwb_opts(want)
  local flags = want:match("^# cwb%-encode ([^\n]*)")
  local opts, words = { p = {}, s = {} }, {}
  for w in flags:gmatch("%S+") do words[#words + 1] = w end
  for i = 1, #words do
    if words[i] == "-P" then table.insert(opts.p, words[i + 1]) end
    if words[i] == "-S" then table.insert(opts.s, words[i + 1]) end
  end
  for k, v in want:match("\n# lexis ([^\n]*)"):gmatch("(%w+)=(%w+)") do opts[k] = v end
  if #opts.p == 0 then opts.p = nil end
  return opts
end

describe("an annotated index holds what cwb-encode makes of the file", function()
  for _, name in ipairs { "nesting", "basic", "undeclared", "quotes", "emptytext" } do
    it(name .. ".vrt, written to a file and in memory", function()
      local want = h.read(D .. name .. ".cwb")
      local body = want:gsub("^#[^\n]*\n#[^\n]*\n", ""):gsub("\n$", "")
      local path = build({ D .. name .. ".vrt" }, cwb_opts(want))
      local c = assert(lexis.open(path))
      assert.is_true(c:annotated())
      assert.equal(body, as_cwb(c))
      assert.is_true(c:verify())
      c:close()
      local opts = cwb_opts(want)
      opts.progress = false
      local m = assert(corpus.corpus({ D .. name .. ".vrt" }, opts))
      assert.equal(body, as_cwb(m))
      m:close()
      os.remove(path)
    end)
  end
end)

describe("an annotated index read back", function()
  local path, c
  setup(function()
    path = build { D .. "annidx-a.vrt", D .. "annidx-b.vrt" }
    c = assert(lexis.open(path))
  end)
  teardown(function()
    c:close()
    os.remove(path)
  end)

  it("names its attributes, CWB's way", function()
    local a = c:attributes()
    assert.same({ "word", "lemma", "pos" }, a.positional)
    assert.same({ "text", "text_id", "text_year", "p", "s", "s_id" }, a.structural)
    -- how many regions of each; the sentences are the s regions
    for _, name in ipairs(a.structural) do
      assert.equal(#c:_view("regions", name), a.regions[name], name)
    end
    assert.equal(a.regions.s, c:sentences())
    assert.is_true(c:sentences() > 0)
  end)

  it("answers CQL through c:query, as lexis.cql does", function()
    local r = c:query('[pos="N.*"]')
    local want = lexis.cql('[pos="N.*"]', path)
    assert.equal(#want, r:n())
    assert.same(want, r:hits())
    local k = assert(r:count("lemma"))
    local sum = 0
    for _, row in ipairs(k:rows()) do sum = sum + row.freq end
    assert.equal(#want, sum)
    r:free()
    -- cqp's join, inter and diff: ranges compared whole, in corpus order,
    -- a range in both once with the first result's target
    local A, B = '[pos="N.*"] | @[pos="JJ"]', '[pos="N.*"] | [pos="VB.*"]'
    local a, b = c:query(A), c:query(B)
    local function key(h) return h.start .. ":" .. h["end"] end
    local ha, hb = a:hits(), b:hits()
    local ina, inb = {}, {}
    for _, h in ipairs(ha) do ina[key(h)] = h end
    for _, h in ipairs(hb) do inb[key(h)] = h end
    local function want(pick)
      local out, seen = {}, {}
      for _, list in ipairs { ha, hb } do
        for _, h in ipairs(list) do
          local k = key(h)
          if not seen[k] and pick(ina[k], inb[k]) then seen[k] = true; out[#out + 1] = ina[k] or h end
        end
      end
      table.sort(out, function(x, y) return x.start < y.start or x.start == y.start and x["end"] < y["end"] end)
      return out
    end
    local u, i, d = a:union(b):hits(), a:intersect(b):hits(), a:difference(b):hits()
    assert.same(want(function() return true end), u)
    assert.same(want(function(x, y) return x and y end), i)
    assert.same(want(function(x, y) return x and not y end), d)
    assert.is_true(#i > 0 and #d > 0 and #u > #ha)
    a:sort("-position")                 -- a sorted result is taken in corpus order all the same
    assert.same(i, a:intersect(b):hits())
    assert.has_error(function() a:union(42) end)
    assert.has_error(function() c:query("[pos=") end)
    assert.has_error(function() c:query(42) end)
  end)

  it("numbers the tokens of several files as one corpus", function()
    assert.equal(12, #c)
    assert.same({ "The", "red", "book", "It", "was", "read", ".", "books", "were", "red", "The", "end" },
                c:_view("ids", "word", 0, 12))
    assert.same({ "be", "read", ".", "book" }, c:_view("ids", "lemma", 4, 4))
    local docs = c:docs(false)
    assert.equal(2, #docs)
    assert.equal(10, docs[1].tokens)
    assert.equal(2, docs[2].tokens)
  end)

  it("keeps regions with their values; an empty region is dropped, as cwb-encode drops it", function()
    assert.same({ { 0, 7, "A1" }, { 7, 10, "A3" }, { 10, 12, "B1" } }, c:_view("regions", "text_id"))
    assert.same({ { 0, 7, "1936" }, { 7, 10, "1937" }, { 10, 12, "1938" } }, c:_view("regions", "text_year"))
    assert.same({ { 0, 3 }, { 3, 7 }, { 7, 10 }, { 10, 12 } }, c:_view("regions", "s"))
    assert.same({ { 0, 7 } }, c:_view("regions", "p"))
  end)

  it("finds the region holding a position, or none", function()
    assert.equal(1, c:_view("region_at", "s", 5))
    assert.equal(3, c:_view("region_at", "s", 11))
    assert.equal(0, c:_view("region_at", "p", 6))
    assert.is_false(c:_view("region_at", "p", 7))
    assert.is_false(c:_view("region_at", "s", 12))
  end)

  it("gives each value's postings and frequency, the same as the id stream says", function()
    for _, attr in ipairs(c:attributes().positional) do
      local ids = c:_view("ids", attr, 0, #c)
      local want = {}
      for t, v in ipairs(ids) do
        want[v] = want[v] or {}
        table.insert(want[v], t - 1)
      end
      local lexicon = c:_view("lexicon", attr)
      local seen = 0
      for _, v in ipairs(lexicon) do
        assert.same(want[v], c:_view("postings", attr, v))
        assert.equal(#want[v], c:_view("freq", attr, v))
        seen = seen + 1
      end
      local n = 0
      for _ in pairs(want) do n = n + 1 end
      assert.equal(n, seen)
      assert.is_nil(c:_view("postings", attr, "absent"))
      assert.equal(0, c:_view("freq", attr, "absent"))
    end
    assert.same({ 0, 10 }, c:_view("postings", "word", "The"))
    assert.same({ 2, 7 }, c:_view("postings", "lemma", "book"))
  end)

  it("answers word queries and counts as a plain index does", function()
    assert.equal(2, c:freq("the"))
    assert.equal(2, c:_count("red"))
    assert.equal(2, c:_count("the"))
  end)

  it("shows its hits as the words joined by one space", function()
    local rows = {}
    for _, hit in c:kwic("red", { left = 2, right = 2 }):hits() do
      rows[#rows + 1] = table.concat({ hit.doc, hit.position, hit.left, hit.node, hit.right }, "|")
    end
    assert.same({ D .. "annidx-a.vrt|2|The|red|book It", D .. "annidx-a.vrt|10|books were|red|" }, rows)
    local out, err, code = h.run { "kwic", "end", path }
    assert.equal(0, code, err)
    assert.truthy(out:find("The  end", 1, true) or out:find("The end", 1, true), out)
  end)

  it("is fresh until its files change", function()
    assert.same({}, c:stale())
  end)
end)

describe("a CoNLL-U index", function()
  it("keeps the ten columns, the multiword tokens' surface and the comments as regions", function()
    local path = build { D .. "sample.conllu" }
    local c = assert(lexis.open(path))
    local a = c:attributes()
    assert.same({ "word", "id", "lemma", "upos", "xpos", "feats", "head", "deprel", "deps", "misc", "mwt" },
                a.positional)
    assert.same({ "I", "do", "n't", "know", ".", "_", "Bye" }, c:_view("ids", "word", 0, 7))
    assert.same({ "", "don't", "don't", "", "", "", "" }, c:_view("ids", "mwt", 0, 7))
    assert.same({ { 0, 5, "s1" }, { 5, 6, "s2" }, { 6, 7, "" } }, c:_view("regions", "s_sent_id"))
    assert.same({ { 0, 6, "doc1" }, { 6, 7, "" } }, c:_view("regions", "text_id"))
    c:close()
    os.remove(path)
  end)
end)

describe("a plain-text index through the same view", function()
  it("shows word, s from its sentences, and text / text_id from its documents", function()
    local files = { "tests/data/kwic/texts/cats.txt", "tests/data/kwic/texts/dogs.txt" }
    local c = assert(corpus.corpus(files))
    local a = c:attributes()
    assert.same({ "word" }, a.positional)
    assert.same({ "s", "text", "text_id" }, a.structural)
    local docs = c:docs(false)
    local regions = c:_view("regions", "text_id")
    assert.equal(#docs, #regions)
    for i, d in ipairs(docs) do
      assert.same({ d.first - 1, d.first - 1 + d.tokens, require("lexis.core").abspath(d.path) }, regions[i])
    end
    local s = c:_view("regions", "s")
    assert.equal(c:sentences(), #s)
    for i, r in ipairs(s) do
      assert.is_true(r[1] < r[2])
      if i > 1 then assert.is_true(s[i - 1][2] <= r[1]) end
      assert.equal(i - 1, c:_view("region_at", "s", r[1]))
      assert.equal(i - 1, c:_view("region_at", "s", r[2] - 1))
    end
    local words = c:_view("ids", "word", 0, #c)
    local the = {}
    for t, w in ipairs(words) do if w == "the" then the[#the + 1] = t - 1 end end
    assert.same(the, c:_view("postings", "word", "the"))
    assert.equal(#the, c:_view("freq", "word", "the"))
    c:close()
  end)
end)

describe("lexis index of annotated files", function()
  it("takes -P and -S as cwb-encode does and prints the attributes", function()
    local out = h.tmpname()
    local _, err, code = h.run { "index", "-P", "pos", "-S", "text+id", "-S", "s:1", "-S", "a", "-S", "b",
                                 "-S", "pb+n", "-S", "q", D .. "nesting.vrt", "-o", out }
    assert.equal(0, code, err)
    assert.truthy(err:find("attributes: word pos; regions: text text_id s s1 a b pb pb_n q", 1, true), err)
    local info, err2, code2 = h.run { "index", "--verify", out }
    assert.equal(0, code2, err2)
    assert.truthy(info:find("attributes: word pos;", 1, true), info)
    os.remove(out)
  end)

  it("stops at a malformed line with its file and line, and keeps the index that was there", function()
    local out = h.tmpname()
    local _, err, code = h.run { "index", "-q", D .. "basic.vrt", "-o", out }
    assert.equal(0, code, err)
    local before = h.read(out)
    local _, err2, code2 = h.run { "index", "-q", D .. "annidx-bad.vrt", "-o", out }
    assert.equal(2, code2)             -- (malformed input is refused input, as for an encoding)
    assert.truthy(err2:find("annidx-bad.vrt:3: 2 tab-separated columns, expected 3", 1, true), err2)
    assert.equal(before, h.read(out))
    os.remove(out)
  end)

  it("refuses files of other columns, and text mixed with annotated files", function()
    local out = h.tmpname()
    local _, err, code = h.run { "index", "-q", D .. "annidx-a.vrt", D .. "annidx-c.vrt", "-o", out }
    assert.equal(1, code)
    assert.truthy(err:find("annidx-c.vrt: its positional attributes (word pos) differ from the first file's (word lemma pos)", 1, true), err)
    local _, err2, code2 = h.run { "index", "-q", D .. "annidx-a.vrt", "corpus/", "-o", out }
    assert.is_true(code2 ~= 0)
    assert.truthy(err2:find("either annotated files", 1, true), err2)
    os.remove(out)
  end)

  it("reads a .vrt file under another name with --format vrt", function()
    local src = h.tmpname()
    h.write(src, h.read(D .. "annidx-b.vrt"))
    local out = h.tmpname()
    local _, err, code = h.run { "index", "-q", "--format", "vrt", src, "-o", out }
    assert.equal(0, code, err)
    local c = assert(lexis.open(out))
    assert.same({ "word", "lemma", "pos" }, c:attributes().positional)
    c:close()
    os.remove(src)
    os.remove(out)
  end)

  it("fails cleanly when an allocation fails, at each of its allocations", function()
    local code = 'local c = require "lexis.corpus"; '
      .. 'local x = c.corpus({"tests/data/vrt/annidx-a.vrt", "tests/data/vrt/annidx-b.vrt"}, {progress = false}); '
      .. 'io.write(#x)'
    for n = 1, 60, 3 do
      local out, err, status = h.run({ "-e", code }, nil, { LEXIS_TEST_ALLOC_FAIL = tostring(n) })
      assert.truthy(status == 0 or err:find("out of memory", 1, true) or err:find("not enough memory", 1, true),
                    n .. ": " .. err)
      if status == 0 then assert.equal("12", out) end
    end
  end)
end)
