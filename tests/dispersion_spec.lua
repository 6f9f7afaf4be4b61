-- The dispersion measures beside Juilland's D and Gries' DP (docs/stats.md,
-- "Dispersion"): against the numbers their sources print for their worked
-- examples, against an independent Python implementation of the published
-- formulas (tests/tools/dispersion_ref.py wrote tests/data/stats/
-- dispersion_ref.lua and dispersion_text*), and through lexis.wordlist,
-- lexis wordlist --measures and every output format.

local core = require "lexis.core"
local h = require "helper"
local stats = require "lexis.stats"

local REF = dofile("tests/data/stats/dispersion_ref.lua")
local TEXT = dofile("tests/data/stats/dispersion_text.lua")
local DOCS = { "tests/data/stats/dispersion_text/doc1.txt", "tests/data/stats/dispersion_text/doc2.txt",
               "tests/data/stats/dispersion_text/doc3.txt", "tests/data/stats/dispersion_text/doc4.txt" }
local PARTS = { "d", "dp", "dp_norm", "u", "d2", "s", "af", "kld", "dkl", "da" }

local function near(want, got, what, tol)
  tol = tol or 1e-12
  assert(math.abs(got - want) <= tol * math.max(1, math.abs(want)),
         string.format("%s: expected %.15g, got %.15g", what, want, got))
end

local function round(x, digits)
  local m = 10 ^ digits
  return math.floor(x * m + 0.5) / m
end

describe("dispersion measures", function()
  -- Gries 2008's 50-word corpus (p. 406: five parts of ten words, "a" 1, 2,
  -- 3, 4, 5 times) and the figures the sources print for it and for their
  -- own examples, to the digits printed: Gries 2008 pp. 407-410 (S, AF,
  -- ARF, ALDF), Carroll 1970 pp. 13-14 (D2, D, U), Rosengren 1971 p. 117
  -- (AF), as Wordless's tests cite them with their pages.
  local GRIES = "b a m n i b e u p k b a s a t b e w q n b c a g a b e s t a b a g h a b e a a t b a h a a b e a x a"

  it("gives the published figures of the worked examples", function()
    local tens = { 10, 10, 10, 10, 10 }
    local r = core.dispersion({ 1, 2, 3, 4, 5 }, tens)
    assert.equal(0.937, round(r.s, 3))                 -- Rosengren's S
    assert.equal(14.053, round(r.af, 3))               -- Rosengren's AF (his KF)
    assert.equal(0.8277, round(core.dispersion({ 2, 1, 1, 1, 0 }, tens).d2, 4))   -- Carroll's D2
    r = core.dispersion({ 0, 4, 3, 2, 1 }, tens)
    assert.equal(0.6464, round(r.d, 4))                -- Juilland's D
    assert.equal(6.46, round(r.u, 2))                  -- and U = D f
    assert.equal(4.609, round(core.dispersion({ 4, 2, 1, 1, 0 }, tens).u, 3))
    assert.equal(5.863, round(core.dispersion({ 4, 2, 1, 1, 0 }, tens).af, 3))
    assert.equal(8.86, round(core.dispersion({ 2, 2, 2, 2, 1 }, tens).af, 2))
    -- ARF and ALDF from the positions of "a" in the corpus
    local pos, i = {}, 0
    for w in GRIES:gmatch("%S+") do
      i = i + 1
      if w == "a" then pos[#pos + 1] = i end
    end
    assert.equal(50, i)
    r = core.dispersion({ 1, 2, 3, 4, 5 }, tens, pos)
    assert.equal(10.8, round(r.arf, 1))
    assert.equal(11.764, round(r.aldf, 3))
    -- the same through lexis.wordlist, from the text itself
    local wl = stats.wordlist(GRIES, { parts = 5, measures = "all" })
    for _, row in ipairs(wl) do
      if row.word == "a" then
        assert.equal(15, row.freq)
        for _, m in ipairs({ "s", "af", "d2", "d", "u", "arf", "aldf", "da", "kld", "dkl" }) do
          near(r[m], row[m], "wordlist a " .. m)
        end
      end
    end
  end)

  it("agree with the independent implementation over frequency vectors", function()
    assert.is_true(#REF.vectors >= 20)
    for i, c in ipairs(REF.vectors) do
      local r = core.dispersion(c.f, c.size)
      assert.equal(c.range, r.range, "vector " .. i .. " range")
      for _, m in ipairs(PARTS) do near(c[m], r[m], "vector " .. i .. " " .. m) end
      r = stats.dispersion(c.f, c.size)
      near(c.da, r.da, "lexis.dispersion vector " .. i)
    end
  end)

  it("agree with the independent implementation over positions", function()
    for i, c in ipairs(REF.positions) do
      local f = #c.pos
      local r = core.dispersion({ f }, { c.n }, c.pos)
      near(c.arf, r.arf, "positions " .. i .. " arf")
      near(c.aldf, r.aldf, "positions " .. i .. " aldf")
    end
    -- even spread: ARF = ALDF = f; all together at one end: both near 1
    local r = core.dispersion({ 4 }, { 100 }, { 0, 25, 50, 75 })
    near(4, r.arf, "even arf"); near(4, r.aldf, "even aldf")
    r = core.dispersion({ 1 }, { 100 }, { 42 })
    near(1, r.arf, "one arf"); near(1, r.aldf, "one aldf")
  end)

  it("never give NaN or an infinity, and follow the rules for empty input", function()
    for _, c in ipairs({ { {}, {} }, { { 0, 0 }, { 0, 0 } }, { { 3, 0 }, { 0, 5 } }, { { 1e15, 1 }, { 1e15, 1e15 } } }) do
      for k, v in pairs(core.dispersion(c[1], c[2])) do
        assert(v == v and v ~= math.huge and v ~= -math.huge, k)
      end
    end
    local r = core.dispersion({ 0, 0 }, { 5, 5 }, {})
    assert.same({ 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 },
                { r.d, r.dp, r.dp_norm, r.u, r.d2, r.s, r.af, r.kld, r.dkl, r.da, r.arf, r.aldf })
    r = core.dispersion({ 3 }, { 5 })
    assert.same({ 1, 0, 1, 0, 1 }, { r.d, r.dp, r.d2, r.kld, r.da })
    near(1, r.s, "one part s")
  end)

  it("reject positions that cannot be the word's", function()
    assert.has_error(function() core.dispersion({ 2 }, { 10 }, { 5, 3 }) end, nil)
    assert.has_error(function() core.dispersion({ 2 }, { 10 }, { 1 }) end)
    assert.has_error(function() core.dispersion({ 2 }, { 10 }, { 0, 10 }) end)
    assert.has_error(function() core.dispersion({ 1 }, { 10 }, { "x" }) end)
    assert.has_error(function() stats.wordlist("a b", { measures = "arf,nope" }) end)
  end)
end)

describe("lexis.wordlist with measures", function()
  -- Every word of the made-up corpus, by document and by three equal parts,
  -- against what the Python implementation computed from the same words.
  local function check(want, result)
    local n = 0
    for _, row in ipairs(result) do
      n = n + 1
      local e = want[row.word]
      assert(e, "unexpected word " .. row.word)
      assert.equal(e.freq, row.freq, row.word)
      assert.equal(e.range, row.range, row.word)
      for _, m in ipairs(PARTS) do near(e[m], row[m], row.word .. " " .. m, 1e-11) end
      near(e.arf, row.arf, row.word .. " arf", 1e-11)
      near(e.aldf, row.aldf, row.word .. " aldf", 1e-11)
    end
    local m = 0
    for _ in pairs(want) do m = m + 1 end
    assert.equal(m, n)
  end

  it("gives every word the independent implementation's figures", function()
    local r = stats.wordlist(DOCS, { measures = "all" })
    assert.equal(TEXT.tokens, r.info.tokens)
    check(TEXT.docs, r)
    check(TEXT.parts3, stats.wordlist(DOCS, { parts = 3, measures = { "all" } }))
  end)

  it("adds only the columns asked for, in one order", function()
    local r = stats.wordlist(DOCS, { measures = "aldf,d2", top = 2 })
    local names = {}
    for i, c in ipairs(r.columns) do names[i] = c[1] end
    assert.equal("rank word freq per_million range d dp dp_norm d2 aldf", table.concat(names, " "))
    assert.is_nil(r[1].arf)
    r = stats.wordlist(DOCS, { top = 2 })
    assert.equal(8, #r.columns)
    assert.is_nil(r[1].da)
  end)

  it("gives a lemma the positions of all its words", function()
    local text = "x cat y z cats w cat v cats"
    local r = stats.wordlist(text, { lemmas = { cats = "cat" }, measures = "arf,aldf" })
    local pos = { 2, 5, 7, 9 }
    local want = core.dispersion({ 4 }, { 9 }, pos)
    for _, row in ipairs(r) do
      if row.word == "cat" then
        near(want.arf, row.arf, "lemma arf")
        near(want.aldf, row.aldf, "lemma aldf")
      end
    end
  end)

  it("keeps the conventions for a word a corpus never holds", function()
    local c = require("lexis").corpus(DOCS)
    local d = c:dispersion({ "burst", "zebra" }, { measures = "all" })
    assert.equal("burst", d[1].word)
    near(TEXT.docs.burst.aldf, d[1].aldf, "corpus aldf")
    assert.same({ 0, 1, 0, 0, 1 }, { d[2].freq, d[2].dp, d[2].arf, d[2].da, d[2].dkl })
    assert.equal(8 + 9, #d.columns)
  end)
end)

describe("lexis wordlist --measures", function()
  it("writes the columns in every format, and says how in --help", function()
    for _, fmt in ipairs({ "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }) do
      local out, err, code = h.run({ "wordlist", "--measures", "all", "--top", "3", "--format", fmt,
                                     table.unpack(DOCS) })
      assert.equal(0, code, err)
      local want = stats.wordlist(DOCS, { measures = "all", top = 3 }):format(fmt)
      if fmt == "html" then          -- the command writes a whole page around the table
        assert.is_truthy(out:find(want, 1, true))
      else
        assert.equal(want, out, fmt)
      end
      assert.matches("aldf", out)
    end
    local out, _, code = h.run({ "wordlist", "--help" })
    assert.equal(0, code)
    assert.matches("%-%-measures", out)
    assert.matches("arf", out)
  end)

  it("keeps the default table as it was", function()
    local out = h.run({ "wordlist", "--format", "tsv", "--top", "1", DOCS[1] })
    assert.matches("^rank\tword\tfreq\tper_million\trange\td\tdp\tdp_norm\n", out)
  end)

  it("rejects an unknown measure with status 2", function()
    local _, err, code = h.run({ "wordlist", "--measures", "arf,zz", DOCS[1] })
    assert.equal(2, code)
    assert.matches("unknown measure 'zz'", err)
  end)
end)
