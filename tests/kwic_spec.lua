-- Concordances without an index: lexis.kwic and `lexis kwic QUERY FILE...`.
-- The command cases are data: tests/data/kwic/cases.txt holds arguments and
-- the exact output they must give.

local h = require "helper"
local kwic = require "lexis.kwic"

local D = "tests/data/kwic/texts/"

local function nodes(conc)
  local t = {}
  for _, hit in conc:hits() do t[#t + 1] = hit.node end
  return table.concat(t, " ")
end

describe("lexis.kwic queries", function()
  local text = "The cat sat on the mat. A Cat is not a dog, said the CAT. Catalogue, scat."

  it("matches a word in any case by default", function()
    assert.equal("cat Cat CAT", nodes(kwic.kwic(text, "cat")))
    assert.equal("cat Cat CAT", nodes(kwic.kwic(text, "CAT")))
  end)

  it("matches exact case with case = true", function()
    assert.equal("Cat", nodes(kwic.kwic(text, "Cat", { case = true })))
  end)

  it("matches whole tokens only", function()
    assert.equal(0, #kwic.kwic(text, "at"))
  end)

  it("matches globs: * any run, ? one character, \\ escapes", function()
    assert.equal("cat Cat CAT Catalogue", nodes(kwic.kwic(text, "cat*")))
    assert.equal("cat sat mat Cat CAT", nodes(kwic.kwic(text, "?at")))
    assert.equal("scat", nodes(kwic.kwic(text, "*?cat")))
    assert.equal("a*b", nodes(kwic.kwic("a*b ab axb", "a \\* b")))
  end)

  it("matches regular expressions against whole tokens", function()
    assert.equal("cat sat mat Cat CAT", nodes(kwic.kwic(text, "[cms]at|cat", { regex = true })))
    assert.equal("Cat CAT", nodes(kwic.kwic(text, "/C[aA][tT]/", { case = true })))
    assert.equal("1936 2024", nodes(kwic.kwic("in 1936 and 2024 and 12345", "/[0-9]{4}/")))
  end)

  it("raises on a bad regular expression", function()
    assert.has_error(function() kwic.kwic(text, "(", { regex = true }) end)
  end)

  it("matches phrases with a pattern per position", function()
    assert.equal("The cat the mat the CAT", nodes(kwic.kwic(text, "the ?at")))
    assert.equal("The cat sat", nodes(kwic.kwic(text, "the * sat")))
    assert.equal("dog, said", nodes(kwic.kwic(text, "dog , /s.*/")))
  end)

  it("filters hits with a Lua predicate", function()
    local c = kwic.kwic(text, "cat", { where = function(hit) return hit.node ~= "cat" end })
    assert.equal("Cat CAT", nodes(c))
  end)

  it("folds case and composes accents, so é matches e + U+0301", function()
    local c = kwic.kwic("Cafe\u{301} and CAFÉ and cafe", "café")
    assert.equal(2, #c)
  end)
end)

describe("lexis.kwic apostrophes", function()
  local text = "Stalin’s speech. Stalin spoke. Stalin's aide. Don't."

  it("keeps Stalin’s whole by default, and splits it with apostrophes = false", function()
    assert.equal("Stalin", nodes(kwic.kwic(text, "stalin")))
    assert.equal("Stalin Stalin Stalin", nodes(kwic.kwic(text, "stalin", { apostrophes = false })))
    assert.equal(3, kwic._count(text, "stalin", { apostrophes = false }))
    -- the scanning path (context in tokens) and a phrase over the pieces
    assert.equal("Stalin Stalin Stalin",
      nodes(kwic.kwic(text, "stalin", { apostrophes = false, context = "tokens" })))
    assert.equal("Don't", nodes(kwic.kwic(text, "don ' t", { apostrophes = false })))
    -- sort keys come from the split tokens: R1 of each is ’, spoke, '
    local k = kwic.kwic(text, "stalin", { apostrophes = false, sort = "R1" })
    local r1 = {}
    for _, hit in k:hits() do r1[#r1 + 1] = hit.right:match("^%S+") end
    assert.same({ "'s", "spoke.", "’s" }, r1)
  end)

  it("lexis kwic --split-apostrophes finds Stalin in Stalin’s; on an index it says the index's setting rules", function()
    local f = h.write(os.tmpname(), text .. "\n")
    local x = os.tmpname()
    finally(function() os.remove(f) os.remove(x) end)
    local out, err, code = h.run({ "kwic", "--count", "stalin", f, "--split-apostrophes" })
    assert.equal(0, code, err)
    assert.equal("3\n", out)
    assert.equal("1\n", (h.run({ "kwic", "--count", "stalin", f })))
    local _, ierr, icode = h.run({ "index", "-q", "-o", x, f })
    assert.equal(0, icode, ierr)
    out, err, code = h.run({ "kwic", "--count", "stalin", x, "--split-apostrophes" })
    assert.equal(0, code, err)
    assert.matches("^lexis: kwic: %-%-split%-apostrophes: .* is an index; the tokens it was built with are used", err)
  end)
end)

describe("lexis.kwic hits", function()
  it("carry document, token position and byte range", function()
    local s = "one two three two"
    local c = kwic.kwic(s, "two", { left = 1, right = 1 })
    local hit = c:hit(2)
    assert.equal("(text)", hit.doc)
    assert.equal(4, hit.position)
    assert.equal("two", s:sub(hit.start, hit.stop))
    assert.equal("three", hit.left)
    assert.equal("", hit.right)
  end)

  it("find hits at the very start and end of a document", function()
    local c = kwic.kwic("word in the middle word", "word", { left = 3, right = 3 })
    assert.equal(2, #c)
    assert.same({ "", "in the middle" }, { c:hit(1).left, c:hit(1).right })
    assert.same({ "in the middle", "" }, { c:hit(2).left, c:hit(2).right })
  end)

  it("count hits per document for dispersion", function()
    local c = kwic.kwic({ D .. "cats.txt", D .. "dogs.txt" }, "the")
    assert.same({ { doc = D .. "cats.txt", hits = 3 }, { doc = D .. "dogs.txt", hits = 1 } }, c:counts())
  end)

  it("read directories recursively and skip empty files", function()
    local c = kwic.kwic({ D }, "sat")
    assert.equal(2, #c)
  end)

  it("is a closable userdata with a length and a name", function()
    local c = kwic.kwic("a b a", "a")
    assert.equal(2, #c)
    assert.matches("^lexis.Concordance %(2 hits in 1 documents%)$", tostring(c))
    c:close()
    c:close()
    assert.matches("closed", tostring(c))
    assert.has_error(function() return #c end)
  end)
end)

describe("lexis.kwic one-word fast path", function()
  -- A one-word ASCII query without token context skips the tokenizer except
  -- around candidates; it must find exactly the tokens a full scan finds.
  local tricky = "is this is? It's isn't is. e.g.is is_x x_is 1,000 is1 IS\n"
    .. "\u{E9}is is\u{301} is\u{E9} \u{201C}is\u{201D} (is) is.is is:is is's is'\n"
    .. "1,000,000 1000 1,000. 3.14 x1000 -1000- is"
  local function sig(conc)
    local t = {}
    for _, hit in conc:hits() do t[#t + 1] = hit.position .. ":" .. hit.start .. ":" .. hit.node end
    return table.concat(t, " ")
  end
  for _, word in ipairs { "is", "IS", "it", "1000", "e", "g", "x" } do
    it("finds what the tokenizer finds: " .. word, function()
      for _, case in ipairs { false, true } do
        local fast = kwic.kwic(tricky, word, { left = 0, right = 0, case = case })
        local full = kwic.kwic(tricky, word, { left = 1, right = 1, case = case })
        assert.equal(sig(full), sig(fast))
      end
    end)
  end

  it("finds words inside long runs without white space", function()
    local t = string.rep("x,", 3000) .. "is," .. string.rep("y,", 3000) .. " is. " .. string.rep("is.", 500)
    for _, sort in ipairs { "position", "L1,R1", "L3,R3" } do
      local fast = kwic.kwic(t, "is", { left = 0, right = 0, sort = sort })
      local full = kwic.kwic(t, "is", { left = 1, right = 1, sort = sort })
      assert.equal(sig(full), sig(fast))
    end
  end)

  it("finds what the tokenizer finds in the sample text, sorted by keys", function()
    local files = { "corpus/red-book-1936-excerpt.txt" }
    for _, word in ipairs { "the", "stalin", "1932", "a" } do
      local fast = kwic.kwic(files, word, { left = 0, right = 0, sort = "R1,L1" })
      local full = kwic.kwic(files, word, { left = 3, right = 3, sort = "R1,L1" })
      assert.equal(sig(full), sig(fast))
    end
  end)
end)

describe("lexis.kwic sentences", function()
  local text = "Dr. Smith saw a cat. The cat sat on the mat! Did the dog see it? No. Cats sleep."

  it("number each hit's sentence and cut the context at its ends", function()
    local c = kwic.kwic(text, "cat*", { sentence = true, left = 5, right = 5 })
    assert.equal(3, #c)
    assert.same({ 1, 2, 5 }, { c:hit(1).sentence, c:hit(2).sentence, c:hit(3).sentence })
    assert.same({ "Dr. Smith saw a", "." }, { c:hit(1).left, c:hit(1).right })
    assert.same({ "The", "sat on the mat!" }, { c:hit(2).left, c:hit(2).right })
    assert.same({ "", "sleep." }, { c:hit(3).left, c:hit(3).right })
  end)

  it("cut character context too", function()
    local c = kwic.kwic(text, "dog", { sentence = true, context = "chars", width = 30 })
    assert.same({ "Did the", "see it?" }, { c:hit(1).left, c:hit(1).right })
  end)

  it("give the whole sentence as context", function()
    local c = kwic.kwic(text, "mat", { context = "sentence" })
    assert.same({ "The cat sat on the", "!" }, { c:hit(1).left, c:hit(1).right })
  end)

  it("are counted on demand when not asked for at first", function()
    local c = kwic.kwic(text, "cat*", { left = 0, right = 0 })
    assert.same({ 1, 2, 5 }, { c:hit(1).sentence, c:hit(2).sentence, c:hit(3).sentence })
  end)

  it("are in the JSON Lines output", function()
    local out = h.run({ "kwic", "dog", "--sentence", "--format", "jsonl" }, text)
    assert.matches('"sentence":3,"left":"Did the","node":"dog","right":"see it%?"', out)
  end)
end)

describe("lexis.kwic sorting, limit and sample", function()
  local text = "b x1 a. c x2 b. a x3 c. d x4 a."

  local function order(conc)
    local t = {}
    for _, hit in conc:hits() do t[#t + 1] = hit.node end
    return table.concat(t, " ")
  end

  it("sorts by the token right or left of the node", function()
    assert.equal("x1 x4 x2 x3", order(kwic.kwic(text, "x*", { sort = "R1" })))
    assert.equal("x3 x1 x2 x4", order(kwic.kwic(text, "x*", { sort = "L1" })))
  end)

  it("sorts by several keys, stable, each reversible", function()
    assert.equal("x4 x1 x2 x3", order(kwic.kwic(text, "x*", { sort = "R1,-L1" })))
    assert.equal("x3 x2 x1 x4", order(kwic.kwic(text, "x*", { sort = "R1", reverse = true })))
    assert.equal("x1 x4 x2 x3", order(kwic.kwic(text, "x*", { sort = { "R1", "position" } })))
  end)

  it("sorts by L3 L2 R2 R3, node, document and position", function()
    local t = "a1 q w k3 e r | a2 q w k1 e r | a3 q w k2 e r"
    assert.equal("k3 k1 k2", order(kwic.kwic(t, "k*", { sort = "L3" })))
    assert.equal("k1 k2 k3", order(kwic.kwic(t, "k*", { sort = "node" })))
    assert.equal("k2 k1 k3", order(kwic.kwic(t, "k*", { sort = "-position" })))
    local u = "k1 x a z | k2 y b y | k3 z c x"
    assert.equal("k1 k2 k3", order(kwic.kwic(u, "k*", { sort = "R2" })))
    assert.equal("k3 k2 k1", order(kwic.kwic(u, "k*", { sort = "R3" })))
    assert.equal("k1 k3 k2", order(kwic.kwic(u, "k*", { sort = "L2" })))
    local c = kwic.kwic({ D .. "dogs.txt", D .. "cats.txt" }, "sat", { sort = "doc", reverse = true })
    assert.equal(D .. "cats.txt", c:hit(1).doc)
  end)

  it("sorts case-folded", function()
    assert.equal("k2 k1 k3", order(kwic.kwic("k1 B k2 a k3 c", "k*", { sort = "L1" }):sort("R1")))
  end)

  it("rejects an unknown sort key", function()
    assert.has_error(function() kwic.kwic(text, "x*", { sort = "R9" }) end)
  end)

  it("limits after sorting", function()
    assert.equal("x1 x4", order(kwic.kwic(text, "x*", { sort = "R1", limit = 2 })))
    assert.equal("x1 x2", order(kwic.kwic(text, "x*", { limit = 2 })))
  end)

  it("keeps, with a limit, the first hits of the whole sort, from text and from an index", function()
    -- a few of many are picked (quickselect) before they are sorted; a tie
    -- of the first key at the edge is settled by the other keys, so the
    -- hits kept are those the whole sort puts first
    local corpus = require "lexis.corpus"
    local dir = h.tmpdir()
    local idx = dir .. "/c.lexis"
    assert(corpus.corpus({ "corpus/" }):save(idx))
    local ix = assert(lexis.open(idx))
    local function rows(c) local t = {} for i = 1, #c do t[i] = c:hit(i).position .. "/" .. c:hit(i).doc end return t end
    for _, sort in ipairs { "R1", "R1,R2", "L1,R1", "R2,L2,node", "node" } do
      for _, rev in ipairs { false, true } do
        local all = rows(kwic.kwic({ "corpus/" }, "the", { sort = sort, reverse = rev }))
        assert.is_true(#all > 8 * 20)
        for _, k in ipairs { 1, 3, 10, 20 } do
          local want = { table.unpack(all, 1, k) }
          local what = sort .. (rev and " reversed" or "") .. " limit " .. k
          assert.same(want, rows(kwic.kwic({ "corpus/" }, "the", { sort = sort, reverse = rev, limit = k })), what)
          assert.same(want, rows(ix:kwic("the", { sort = sort, reverse = rev, limit = k })), what .. " (index)")
        end
      end
    end
    ix:close()
    h.rmdir(dir)
  end)

  it("samples the same hits for the same seed, in text order", function()
    local big = string.rep("w ", 1000)
    local a = kwic.kwic(big, "w", { sample = 10, seed = 42 })
    local b = kwic.kwic(big, "w", { sample = 10, seed = 42 })
    local c = kwic.kwic(big, "w", { sample = 10, seed = 43 })
    local pa, pb, pc = {}, {}, {}
    for i = 1, 10 do pa[i], pb[i], pc[i] = a:hit(i).position, b:hit(i).position, c:hit(i).position end
    assert.same(pa, pb)
    assert.are_not.same(pa, pc)
    for i = 2, 10 do assert.is_true(pa[i] > pa[i - 1]) end
  end)
end)

describe("lexis.kwic layout", function()
  it("measures character context in display columns", function()
    local c = kwic.kwic("東京は日本の首都です。東京タワーは高い。", "は",
                        { context = "chars", width = 6 })
    assert.equal("タワー", c:hit(2).left)              -- 3 wide characters = 6 columns
    assert.equal("高い。", c:hit(2).right)
    assert.equal(6, require("lexis.core").displaywidth(c:hit(1).right))
  end)

  it("never cuts a combining mark off its base", function()
    local c = kwic.kwic("xe\u{301}e\u{301}e\u{301} node e\u{301}e\u{301}e\u{301}y", "node",
                        { context = "chars", width = 2 })
    assert.equal("e\u{301}e\u{301}", c:hit(1).left:gsub(" ", ""))
    assert.equal("e\u{301}e\u{301}", c:hit(1).right)
  end)

  it("skips a wide character that would overflow the width", function()
    local c = kwic.kwic("東京 node 京都", "node", { context = "chars", width = 3 })
    assert.equal("京", c:hit(1).left)
    assert.equal("京", c:hit(1).right)
  end)

  it("aligns the node column by display width in the text view", function()
    local out = h.run({ "kwic", "x", D .. "wide.txt", "--width", "4" })
    assert.equal("", out)       -- no x in that file: nothing printed
    local f = h.write(h.tmpname(), "東京 x a\nab x b\n")
    out = h.run({ "kwic", "x", f, "--width", "4" })
    os.remove(f)
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    local core = require "lexis.core"
    local function col(line) return core.displaywidth(line:match("^(.-)x")) end
    assert.equal(col(lines[1]), col(lines[2]))
  end)

  it("writes TSV, CSV, JSON, JSON Lines, Markdown and HTML", function()
    local c = kwic.kwic('say "hi", <b> & go', "hi", { left = 2, right = 2 })
    local path = h.tmpname()
    c:write(path, "csv")                                       -- RFC 4180: CRLF
    assert.equal('doc,position,left,node,right\r\n(text),3,"say """,hi,""","\r\n', h.read(path))
    c:write(path, "csv", { header = false })
    assert.equal('(text),3,"say """,hi,""","\r\n', h.read(path))
    c:write(path, "tsv", { header = false })
    assert.equal('(text)\t3\tsay "\thi\t",\n', h.read(path))
    local c3 = kwic.kwic('a\\b c\\d', "c", { left = 1, right = 1 })
    c3:write(path, "tsv", { header = false })                  -- TSV escapes its backslashes
    assert.equal('(text)\t4\tb\tc\t\\\\\n', h.read(path))        -- the right context is one \
    c:write(path, "jsonl")
    local rec = '{"doc":"(text)","position":3,"start":6,"end":7,"sentence":1,"left":"say \\"","node":"hi",'
                .. '"right":"\\","}'
    assert.equal(rec .. "\n", h.read(path))
    c:write(path, "json")
    assert.equal("[\n" .. rec .. "\n]\n", h.read(path))
    c:write(path, "markdown")
    assert.equal('| doc | position | left | node | right |\n|---|---:|---:|---|---|\n'
                 .. '| (text) | 3 | say " | hi | ", |\n', h.read(path))
    local c2 = kwic.kwic('say "hi", <b> & go', "b", { left = 1, right = 2 })
    c2:write(path, "html")
    local html = h.read(path)
    assert.matches("^<!DOCTYPE html>", html)
    assert.matches('<td class="left">&lt;</td><td>b</td><td>&gt; &amp;</td>', html, 1, true)
    os.remove(path)
  end)

  it("writes the bytes lexis.report writes for the same concordance", function()
    local report = require "lexis.report"
    local c = kwic.kwic({ "corpus/" }, "the", { sort = "R1", limit = 40, context = "tokens", left = 3, right = 3 })
    for _, fmt in ipairs { "tsv", "csv", "json", "jsonl", "markdown", "html" } do
      local a, b = h.tmpname(), h.tmpname()
      assert(c:write(a, fmt))
      assert(report.write(c, b, fmt, { page = fmt == "html" or nil }))
      assert.equal(h.read(b), h.read(a), fmt)
      os.remove(a)
      os.remove(b)
    end
  end)

  it("picks the format from the file name", function()
    local c = kwic.kwic("a b c", "b", { left = 1, right = 1 })
    local path = h.tmpname() .. ".jsonl"
    c:write(path)
    assert.matches('^{"doc"', h.read(path))
    os.remove(path)
  end)
end)

-- Mostly ASCII text with now and then a piece the ASCII layout path must
-- leave to the general one: wide, combining, invisible, stray bytes.
local PIECES = {
  "node", "node", "a", "Zq", "7", " ", "  ", ".", ",", "'", "_", "\t", "\n", "\r\n", "\v", "\0",
  "\x7f", "word", "the", "é", "e\u{301}", "\u{200D}", "日本", "😀", "\u{A0}", "\xff", "\xe2\x82",
}

-- Plain prose with a rare odd piece: runs of sixteen bytes and more that the
-- ASCII path takes at once.
local PROSE = { "node", "in", "the", "beginning", "God", "created", "heaven,", "earth.", "Ge1:2", "\n" }

local function random_text(n, prose)
  local t = {}
  for i = 1, n do
    t[i] = prose and math.random(12) > 1 and PROSE[math.random(#PROSE)] or PIECES[math.random(#PIECES)]
    if prose or math.random(3) > 1 then t[i] = t[i] .. " " end
  end
  return table.concat(t)
end

describe("lexis.kwic character layout, ASCII path", function()
  it("lays out exactly as the general path on random mixed text", function()
    math.randomseed(20261125)
    local out = h.tmpname()
    local function written(c, format, general)
      assert(c:write(out, format, { general = general }))
      return h.read(out)
    end
    local hits = 0
    for round = 1, 400 do
      local prose = round % 2 == 0
      local text = random_text(math.random(1, prose and 120 or 60), prose)
      local lw, rw = math.random(0, prose and 60 or 12), math.random(0, prose and 60 or 12)
      if round % 10 == 1 then lw, rw = 40, 40 end
      for _, sentence in ipairs { false, true } do
        local c = kwic.kwic(text, "node", { context = "chars", lwidth = lw, rwidth = rw,
                                            sentence = sentence or nil })
        hits = hits + #c
        for _, format in ipairs { "text", "tsv" } do
          assert.equal(written(c, format, true), written(c, format, false),
                       ("%q, widths %d %d, sentence %s"):format(text, lw, rw, sentence))
        end
      end
    end
    os.remove(out)
    assert.is_true(hits > 1000)
  end)
end)

describe("lexis.kwic on hostile input", function()
  -- Random bytes (invalid UTF-8, NULs, controls, wide and combining
  -- characters) and random queries: never a crash, and JSON Lines stays
  -- valid UTF-8 with one object a line.
  local pieces = { "a", "A", "is", " ", "\n", "\t", "\0", "\xff", "\xc3", "\xe2\x80", "\u{301}", "東",
                   "\u{1F600}", ".", ",", "'", "-", "1", "_", "\r\n", "\x1b[1m", "é" }
  local queries = { "a", "is", "*", "?", "a *", "* *", "/./", "/[^a]+/", "東", "\\*", "a?", "A", "é" }
  it("survives random texts and queries", function()
    math.randomseed(7)
    for _ = 1, 60 do
      local t = {}
      for i = 1, math.random(0, 400) do t[i] = pieces[math.random(#pieces)] end
      local text = table.concat(t)
      for _, q in ipairs(queries) do
        local opts = { left = math.random(0, 4), right = math.random(0, 4), sort = ({ nil, "R1", "L2,-node", "position" })[math.random(4)],
                       context = math.random(2) == 1 and "chars" or "tokens", width = math.random(0, 12),
                       sentence = math.random(3) == 1 }
        local conc = kwic.kwic(text, q, opts)
        local path = h.tmpname()
        conc:write(path, "jsonl")
        local out = h.read(path)
        os.remove(path)
        assert.is_true(utf8.len(out) ~= nil, "invalid UTF-8 in JSON Lines")
        local lines = 0
        for line in out:gmatch("[^\n]+") do
          lines = lines + 1
          assert.matches('^{"doc":"%(text%)","position":%d+,', line)
        end
        assert.equal(#conc, lines)
      end
    end
  end)
end)

-- tests/data/kwic/cases.txt: "## ARGS" then the exact standard output.
describe("lexis kwic (cases file)", function()
  local cases, current = {}, nil
  for line in io.lines("tests/data/kwic/cases.txt") do
    local args = line:match("^## (.*)$")
    if args then
      current = { args = args, out = {} }
      cases[#cases + 1] = current
    elseif current then
      current.out[#current.out + 1] = line
    end
  end
  for _, case in ipairs(cases) do
    it(case.args, function()
      local out, err, code = h.run("kwic " .. case.args)
      assert.equal(0, code, err)
      local want = table.concat(case.out, "\n")
      if want ~= "" then want = want .. "\n" end
      assert.equal(want, out)
    end)
  end
end)

describe("lexis kwic errors", function()
  it("exits 1 with a message for a missing file", function()
    local _, err, code = h.run({ "kwic", "x", "/nonexistent/file.txt" })
    assert.equal(1, code)
    assert.matches("/nonexistent/file.txt: No such file", err)
  end)

  it("exits 2 for a bad regular expression (a usage error)", function()
    local _, err, code = h.run({ "kwic", "--regex", "(", D .. "cats.txt" })
    assert.equal(2, code)
    assert.matches("bad regular expression", err)
  end)

  it("exits 2 for a bad option value", function()
    local _, err, code = h.run({ "kwic", "x", "--format", "xml", D .. "cats.txt" })
    assert.equal(2, code)
    assert.matches("Try 'lexis help kwic'", err)
  end)

  it("reads standard input", function()
    local out = h.run({ "kwic", "b", "--tokens", "--left", "1", "--right", "1", "--format", "tsv" }, "a b c\n")
    assert.equal("doc\tposition\tleft\tnode\tright\n(stdin)\t2\ta\tb\tc\n", out)
  end)

  it("counts hits", function()
    assert.equal("3\n", (h.run({ "kwic", "cat", "--count", D .. "cats.txt" })))
  end)
end)
