-- The measures of src/stats.c against contingency tables worked out by hand
-- (tests/data/stats/tables.lua shows the arithmetic), and the promise that
-- no input gives NaN or an infinity.

local core = require "lexis.core"
local T = dofile("tests/data/stats/tables.lua")

local function close(expected, got, what)
  local ok = math.abs(got - expected) <= T.tol * math.max(1, math.abs(expected))
  assert(ok, string.format("%s: expected %.10g, got %.10g", what, expected, got))
end

-- Checks every field of `case` that `result` has too.
local function check(case, result, label)
  for k, v in pairs(case) do
    if result[k] ~= nil then close(v, result[k], label .. " " .. k) end
  end
end

local function finite(x)
  return x == x and x ~= math.huge and x ~= -math.huge
end

describe("stats measures", function()
  it("keyness figures match the hand-worked tables", function()
    for i, c in ipairs(T.keyness) do
      check(c, core.keyness(c.a, c.n1, c.b, c.n2, c.smooth), "keyness case " .. i)
    end
  end)

  it("association measures match the hand-worked tables", function()
    for i, c in ipairs(T.assoc) do
      check(c, core.assoc(c.o11, c.r1, c.fx, c.fy, c.n), "assoc case " .. i)
    end
  end)

  it("gives the published one-sided p-values of Fisher's exact test", function()
    for i, c in ipairs(T.fisher) do
      local o11, o12, o21, o22 = c[1], c[2], c[3], c[4]
      local r1, c1 = o11 + o12, o11 + o21
      close(c.p, core.assoc(o11, r1, 1, c1, o11 + o12 + o21 + o22).fisher, "fisher case " .. i)
      -- the same table as keyness: o11 of r1 in the target, o21 of the rest in the reference
      close(c.p, core.keyness(o11, r1, o21, o21 + o22).fisher, "keyness fisher case " .. i)
    end
  end)

  -- Fisher's test written out on its own: P(X >= o11) for X hypergeometric,
  -- summed in exact integers (Pascal's triangle; every term and the total
  -- C(n, r1) fit in 64 bits for n < 60), one division at the end.
  it("agrees with an exact hypergeometric sum for every table of some small totals", function()
    local C = { [0] = { [0] = 1 } }
    for n = 1, 59 do
      C[n] = { [0] = 1, [n] = 1 }
      for k = 1, n - 1 do C[n][k] = C[n - 1][k - 1] + C[n - 1][k] end
    end
    local function exact(o11, r1, c1, n)
      local num = 0
      for k = o11, math.min(r1, c1) do num = num + C[c1][k] * C[n - c1][r1 - k] end
      return num / C[n][r1]
    end
    local tables = 0
    for _, n in ipairs({ 1, 2, 5, 12, 31, 59 }) do
      for r1 = 0, n do
        for c1 = 0, n, (n > 12 and 3 or 1) do
          for o11 = math.max(0, r1 + c1 - n), math.min(r1, c1) do
            local want = exact(o11, r1, c1, n)
            local got = core.assoc(o11, r1, 1, c1, n).fisher
            assert(math.abs(got - want) <= 1e-12 * want,
                   string.format("fisher(%d, %d, %d, %d): expected %.17g, got %.17g", o11, r1, c1, n,
                                 want, got))
            tables = tables + 1
          end
        end
      end
    end
    assert.is_true(tables > 10000)
  end)

  -- Bigger tables, where the core stops summing early: against every term of
  -- the tail summed in log space from a table of ln k! (sums of logarithms).
  it("agrees with a full hypergeometric tail sum for bigger tables", function()
    local lfact, acc = { [0] = 0 }, 0
    for k = 1, 300000 do acc = acc + math.log(k); lfact[k] = acc end
    local function lchoose(a, b) return lfact[a] - lfact[b] - lfact[a - b] end
    local function tail(o11, r1, c1, n)   -- ln P(X >= o11), every term
      local terms, top = {}, -math.huge
      for k = o11, math.min(r1, c1) do
        local t = lchoose(c1, k) + lchoose(n - c1, r1 - k) - lchoose(n, r1)
        terms[#terms + 1] = t
        if t > top then top = t end
      end
      local s = 0
      for _, t in ipairs(terms) do s = s + math.exp(t - top) end
      return top + math.log(s)
    end
    -- (o11, r1, c1, n): attraction, strong attraction, at the mean, repulsion, big margins
    local cases = { { 8, 400, 100, 100000 }, { 300, 5000, 2000, 100000 }, { 100, 5000, 2000, 100000 },
                    { 101, 5000, 2000, 100000 }, { 60, 5000, 2000, 100000 },
                    { 9000, 60000, 120000, 300000 }, { 24500, 60000, 120000, 300000 } }
    for _, c in ipairs(cases) do
      local want = math.exp(tail(c[1], c[2], c[3], c[4]))
      local got = core.assoc(c[1], c[2], 1, c[3], c[4]).fisher
      assert(math.abs(got - want) <= 1e-7 * want + 1e-300,
             string.format("fisher(%d, %d, %d, %d): expected %.12g, got %.12g", c[1], c[2], c[3], c[4],
                           want, got))
    end
  end)

  it("keeps Fisher's p in [0, 1] and fast for corpora of a billion tokens", function()
    local t0 = os.clock()
    for i = 1, 200 do
      local f = core.assoc(2e6 + i * 1000, 5e7, 1, 4e7, 1e9).fisher   -- the mean is 2e6
      assert.is_true(f >= 0 and f <= 1)
    end
    assert.equal(0, core.assoc(3e6, 5e7, 1, 4e7, 1e9).fisher)      -- below the smallest double
    assert.is_true(os.clock() - t0 < 5, "200 tables took " .. (os.clock() - t0) .. " s")
  end)

  it("dispersion matches the hand-worked tables", function()
    for i, c in ipairs(T.dispersion) do
      local r = core.dispersion(c.f, c.size)
      check({ d = c.d, dp = c.dp, dp_norm = c.dp_norm }, r, "dispersion case " .. i)
      assert.equal(c.range, r.range)
    end
  end)

  it("never gives NaN or an infinity, whatever the counts", function()
    local values = { 0, 1, 2, 1e6, 1e15 }
    for _, a in ipairs(values) do
      for _, n1 in ipairs(values) do
        for _, b in ipairs(values) do
          for _, n2 in ipairs(values) do
            for k, v in pairs(core.keyness(a, n1, b, n2)) do
              assert(finite(v), string.format("keyness(%g,%g,%g,%g).%s = %s", a, n1, b, n2, k, v))
            end
            for k, v in pairs(core.assoc(a, n1, b, n2, a + b)) do
              assert(finite(v), string.format("assoc(%g,%g,%g,%g).%s = %s", a, n1, b, n2, k, v))
            end
          end
        end
      end
    end
    for k, v in pairs(core.dispersion({ 0, 5, 0 }, { 0, 0, 10 })) do
      assert(finite(v), "dispersion " .. k)
    end
  end)

  it("gives p-values from the chi-square distribution with one degree of freedom", function()
    -- 3.841459 is the 5% critical value, 6.634897 the 1%, 10.827566 the 0.1%.
    close(0.05, core.p_chi2(3.841459), "p(3.84)")
    close(0.01, core.p_chi2(6.634897), "p(6.63)")
    close(0.001, core.p_chi2(10.827566), "p(10.83)")
    assert.equal(1, core.p_chi2(0))
    assert.equal(1, core.p_chi2(-1))
  end)

  it("rejects negative counts", function()
    assert.has_error(function() core.keyness(-1, 10, 1, 10) end)
    assert.has_error(function() core.assoc(1, -10, 1, 10, 100) end)
    assert.has_error(function() core.dispersion({ 1, 2 }, { 1 }) end)
  end)
end)

-- Scaling out: counts of pieces, written with --partial (here by GNU
-- parallel, as docs/stats.md's recipe does), sum to the counts of the whole.
describe("lexis merge", function()
  local h = require "helper"
  local CORPUS = "corpus/red-book-1936-excerpt.txt"

  -- Splits the corpus into four files at line ends; returns their paths.
  local function pieces(dir)
    local lines = {}
    for line in io.lines(CORPUS) do lines[#lines + 1] = line end
    local paths = {}
    for k = 1, 4 do
      local part = {}
      for i = k, #lines, 4 do part[#part + 1] = lines[i] end
      paths[k] = h.write(string.format("%s/piece%d.txt", dir, k), table.concat(part, "\n") .. "\n")
    end
    return paths
  end

  local function sh(cmd)
    local ok = os.execute(cmd)
    assert(ok, "failed: " .. cmd)
  end

  it("sums word counts made by GNU parallel to those of the whole", function()
    if not os.execute("command -v parallel >/dev/null 2>&1") then
      error("GNU parallel is not installed: run make test-deps")
    end
    local dir = os.tmpname()
    os.remove(dir)
    sh("mkdir -p " .. h.quote(dir))
    local paths = pieces(dir)
    local bin = h.quote(h.bin)
    sh(string.format("cd %s && parallel --will-cite -j 4 %s freq --lower --partial {} '>' {}.part ::: piece*.txt",
                     h.quote(dir), bin))
    sh(string.format("cd %s && parallel --will-cite -j 4 %s ngrams -n 3 --lower --partial {} '>' {}.ng ::: piece*.txt",
                     h.quote(dir), bin))
    local merged, err, code = h.run(string.format("merge --format tsv %s/*.part", h.quote(dir)))
    assert.equal(0, code, err)
    local whole = h.run({ "freq", "--lower", "--format", "tsv", table.unpack(paths) })
    assert.equal(whole, merged)
    merged, err, code = h.run(string.format("merge --format tsv --min 2 %s/*.ng", h.quote(dir)))
    assert.equal(0, code, err)
    local direct = h.run({ "ngrams", "-n", "3", "--lower", "--format", "tsv", "--min", "2", table.unpack(paths) })
    assert.equal(direct, merged)                 -- counts, ranges and per million alike
    for _, format in ipairs({ "text", "csv", "json" }) do
      merged = h.run(string.format("merge --format %s --top 7 %s/*.ng", format, h.quote(dir)))
      direct = h.run({ "ngrams", "-n", "3", "--lower", "--format", format, "--top", "7", table.unpack(paths) })
      assert.equal(direct, merged)
    end
    -- Merging in stages gives the same sums.
    sh(string.format("cd %s && %s merge --partial piece1.txt.part piece2.txt.part > a.sum && " ..
                     "%s merge --partial piece3.txt.part piece4.txt.part > b.sum", h.quote(dir), bin, bin))
    local staged = h.run(string.format("merge --format tsv %s/a.sum %s/b.sum", h.quote(dir), h.quote(dir)))
    assert.equal(whole, staged)
    os.execute("rm -rf " .. h.quote(dir))
  end)

  it("refuses parts of different kinds and files that are not partial counts", function()
    local a = h.write(h.tmpname(), "#lexis-partial 1 freq tokens=2 docs=1\n2\t1\tword\n")
    local b = h.write(h.tmpname(), "#lexis-partial 1 ngrams-2 tokens=2 docs=1\n1\t1\ta b\n")
    local c = h.write(h.tmpname(), "word\t3\n")
    local d = h.write(h.tmpname(), "#lexis-partial 1 freq tokens=2 docs=1\nnot a row\n")
    local _, err, code = h.run({ "merge", a, b })
    assert.equal(1, code)
    assert.matches("ngrams%-2", err)
    _, err, code = h.run({ "merge", c })
    assert.equal(1, code)
    assert.matches("not partial counts", err)
    _, err, code = h.run({ "merge", d })
    assert.equal(1, code)
    assert.matches(":2: expected COUNT", err)
    local out = h.run({ "merge", "--format", "csv", a, a })
    assert.equal("rank,word,count,per_million\r\n1,word,4,1000000\r\n", out)
    for _, f in ipairs({ a, b, c, d }) do os.remove(f) end
  end)
end)

-- Word lists: frequencies against a plain-Lua count, range and dispersion
-- against lexis.core.dispersion over per-part counts made in Lua.
describe("lexis.wordlist", function()
  local h = require "helper"
  local stats = require "lexis.stats"
  local tokenize = require "lexis.tokenize"
  local text = h.read("corpus/red-book-1936-excerpt.txt")

  -- Per-part counts in Lua: parts is a list of word lists.
  local function expected(parts)
    local sizes, per = {}, {}
    for i, words in ipairs(parts) do
      sizes[i] = #words
      for _, w in ipairs(words) do
        per[w] = per[w] or {}
        per[w][i] = (per[w][i] or 0) + 1
      end
    end
    local out = {}
    for w, counts in pairs(per) do
      local f, freq = {}, 0
      for i = 1, #parts do f[i] = counts[i] or 0; freq = freq + f[i] end
      local d = core.dispersion(f, sizes)
      out[w] = { freq = freq, range = d.range, d = d.d, dp = d.dp, dp_norm = d.dp_norm }
    end
    return out
  end

  local function check(want, result)
    local n = 0
    for _, row in ipairs(result) do
      n = n + 1
      local e = want[row.word]
      assert(e, "unexpected word " .. row.word)
      assert.equal(e.freq, row.freq)
      assert.equal(e.range, row.range)
      for _, m in ipairs({ "d", "dp", "dp_norm" }) do assert.near(e[m], row[m], 1e-9, row.word .. " " .. m) end
    end
    local m = 0
    for _ in pairs(want) do m = m + 1 end
    assert.equal(m, n)
  end

  it("gives range and dispersion over documents", function()
    local a = h.write(h.tmpname(), text:sub(1, 3000))
    local b = h.write(h.tmpname(), text:sub(3001, 5000))
    local c = h.write(h.tmpname(), text:sub(5001))
    local parts = {}
    for i, p in ipairs({ a, b, c }) do parts[i] = tokenize.words(h.read(p), { lower = true }) end
    check(expected(parts), stats.wordlist({ a, b, c }, { lower = true }))
    os.remove(a); os.remove(b); os.remove(c)
  end)

  it("gives range and dispersion over k equal parts", function()
    local words = tokenize.words(text)
    for _, k in ipairs({ 1, 2, 7, 10 }) do
      local parts = {}
      for i = 1, k do parts[i] = {} end
      for i, w in ipairs(words) do
        local p = (i - 1) * k // #words + 1
        table.insert(parts[p], w)
      end
      check(expected(parts), stats.wordlist(text, { parts = k }))
    end
  end)

  it("groups words by lemma from a table or a file, and leaves out stop words", function()
    local s = "The cats sat. A cat sat. Cats ran and the dog ran."
    local r = stats.wordlist(s, { lower = true, lemmas = { cats = "cat", ran = "run", sat = "sit" } })
    local got = {}
    for _, row in ipairs(r) do got[row.word] = row.freq end
    assert.same({ cat = 3, sit = 2, run = 2, the = 2, a = 1, ["and"] = 1, dog = 1 }, got)
    local file = h.write(h.tmpname(), "# word\tlemma\ncats\tcat\nran\trun\n")
    r = stats.wordlist(s, { lower = true, lemmas = file, stop = "en", min = 2 })
    got = {}
    for _, row in ipairs(r) do got[row.word] = row.freq end
    assert.same({ cat = 3, run = 2, sat = 2 }, got)
    os.remove(file)
    r = stats.wordlist(s, { stop = { "the", "a" }, top = 2 })
    assert.equal(2, #r)
    for _, row in ipairs(r) do assert.is_not.equal("The", row.word) end
  end)

  it("prints, exports, and rejects bad options", function()
    local r = stats.wordlist("one two two", {})
    assert.matches("^word list: 3 words in 1 documents\nrank", tostring(r))
    assert.equal("rank,word,freq,per_million,range,d,dp,dp_norm\r\n1,two,2,666666.6666666666,1,1,0,0\r\n"
                 .. "2,one,1,333333.3333333333,1,1,0,0\r\n", r:format("csv"))
    assert.has_error(function() stats.wordlist("x", { parts = 0 }) end)
    assert.has_error(function() stats.wordlist("x", { part = 2 }) end)
    assert.equal(0, #stats.wordlist("", {}))
  end)
end)

-- The corpus methods read the indexed documents through the same counters.
describe("corpus statistics methods", function()
  local stats = require "lexis.stats"
  local lexis = require "lexis"
  local FILES = { "corpus/red-book-1936-excerpt.txt" }

  it("give what the functions give over the corpus's files, case folded", function()
    local c = lexis.corpus(FILES)
    assert.same(stats.ngrams(FILES, { n = 3, fold = true }):format("tsv"), c:ngrams({ n = 3 }):format("tsv"))
    assert.same(stats.collocates(FILES, "stalin", { fold = true }):format("tsv"),
                c:collocates("stalin"):format("tsv"))
    -- Later calls use the corpus's word stream, with any options.
    assert.same(stats.collocates(FILES, "stalin*", { fold = true, sentences = true, span = 3, by = "mi" }):format("tsv"),
                c:collocates("stalin*", { sentences = true, span = 3, by = "mi" }):format("tsv"))
    assert.same(stats.collocates(FILES, "Stalin", { left = 2, right = 0 }):format("tsv"),
                c:collocates("Stalin", { fold = false, left = 2, right = 0 }):format("tsv"))
    assert.same(stats.wordlist(FILES, { fold = true, parts = 3 }):format("tsv"),
                c:wordlist({ parts = 3 }):format("tsv"))
    assert.same(c:wordlist():format("tsv"), c:freq():format("tsv"))
    assert.equal(16, c:freq("stalin"))                -- the index's own count stays
    local other = lexis.corpus { "README.md" }
    assert.same(stats.keywords(FILES, { "README.md" }, { fold = true }):format("tsv"),
                c:keywords(other):format("tsv"))
    local d = c:dispersion({ "Stalin", "zebra" }, { parts = 4 })
    assert.equal("stalin", d[1].word)
    assert.equal(16, d[1].freq)
    assert.same({ word = "zebra", freq = 0, range = 0, dp = 1 },
                { word = d[2].word, freq = d[2].freq, range = d[2].range, dp = d[2].dp })
  end)
end)

describe("lexis wordlist", function()
  local h = require "helper"
  local stats = require "lexis.stats"
  local CORPUS = "corpus/red-book-1936-excerpt.txt"

  it("prints the word list with dispersion in every format", function()
    local out, err, code = h.run({ "wordlist", "--lower", "--parts", "4", "--top", "3", "--format", "tsv", CORPUS })
    assert.equal(0, code, err)
    assert.equal(stats.wordlist({ CORPUS }, { lower = true, parts = 4, top = 3 }):format("tsv"), out)
    local lemmas = h.write(h.tmpname(), "cats\tcat\n")
    out, err, code = h.run({ "wordlist", "--lemmas", lemmas, "--format", "csv", "--no-header", "-" }, "cats cat dog")
    assert.equal(0, code, err)
    assert.matches("^1,cat,2,", out)
    os.remove(lemmas)
  end)

  it("rejects bad arguments with status 2", function()
    local _, err, code = h.run({ "wordlist", "--parts", "0", CORPUS })
    assert.equal(2, code)
    assert.matches("parts", err)
    _, _, code = h.run({ "wordlist", "--parts", "2", "-" }, "a b")
    assert.equal(2, code)
    _, _, code = h.run({ "wordlist", "/nonexistent/x" })
    assert.equal(1, code)
  end)
end)

describe("text tables of the statistics commands", function()
  local h = require "helper"
  local dir
  setup(function()
    dir = h.tmpdir()
    -- wide (katakana, hangul, CJK: two columns a character) and combining
    -- (e + U+0301: one column, two characters) words, each near "word"
    local line = "コンピュータ word 한국어 word e\u{301}te\u{301} word cafe\u{301} word 東京 word x\n"
    h.write(dir .. "/w.txt", line:rep(3))
    h.write(dir .. "/ref.txt", "word the a an of\n")
  end)
  teardown(function() h.rmdir(dir) end)

  -- Where the column after the words starts and ends on each line, in
  -- display columns: on every line the same start (left-aligned) or the
  -- same end (right-aligned) when the words are padded by display width.
  local function aligned(text)
    local starts, ends = {}, {}
    for line in text:gmatch("[^\n]+") do
      local before, field = line:match("^(%s*%S+  .-  +)(%S+)")
      assert(before, line)
      starts[#starts + 1] = core.displaywidth(before)
      ends[#ends + 1] = core.displaywidth(before .. field)
    end
    local function same(list)
      for i = 2, #list do if list[i] ~= list[1] then return false end end
      return true
    end
    return #starts >= 5 and (same(starts) or same(ends))
  end

  it("line up whatever the words' scripts", function()
    assert.equal(12, core.displaywidth("コンピュータ"))
    assert.equal(3, core.displaywidth("e\u{301}te\u{301}"))
    local w, ref = dir .. "/w.txt", dir .. "/ref.txt"
    local p1, p2 = dir .. "/p1", dir .. "/p2"
    h.write(p1, (h.run({ "freq", "--partial", w })))
    h.write(p2, (h.run({ "ngrams", "--partial", w })))
    for _, args in ipairs({ { "freq", w }, { "ngrams", w }, { "ngrams", "-n", "3", w }, { "merge", p1 },
                            { "merge", p2 }, { "wordlist", w }, { "keywords", w, "--ref", ref },
                            { "collocates", "word", w } }) do
      local out, err, code = h.run(args)
      assert.equal(0, code, err)
      assert.truthy(out:find("コンピュータ", 1, true), table.concat(args, " "))
      assert.truthy(out:find("e\u{301}te\u{301}", 1, true), table.concat(args, " "))
      assert(aligned(out), table.concat(args, " ") .. ": columns out of line:\n" .. out)
    end
  end)
end)

-- Sketch Engine's expected frequency (docs/stats.md, "Expected frequency"):
-- E11 = f(node) f(collocate) / N, the same from text, a word stream and an
-- index, each row's table checked against the four cells written out here.
describe("collocates with --expected sketch", function()
  local h = require "helper"
  local stats = require "lexis.stats"
  local lexis = require "lexis"
  local FILES = { "corpus/red-book-1936-excerpt.txt" }

  local function oln(o, e) return o > 0 and o * math.log(o / e) or 0 end

  it("puts f(node) f(collocate) / N in E11 and the node's occurrences in the sample row", function()
    local r = stats.collocates(FILES, "the", { lower = true, expected = "sketch" })
    local fx, n = r.info.hits, r.info.tokens
    assert.is_true(#r > 100)
    assert.matches("expected f%(node%) f%(collocate%) / N", r.info.title)
    local checked = 0
    for _, row in ipairs(r) do
      local e = fx * row.freq / n
      assert.near(e, row.expected, 1e-9 * e, row.word)
      assert.near(math.log(row.observed / e, 2), row.mi, 1e-9, row.word .. " mi")
      assert.near((row.observed - e) / math.sqrt(row.observed), row.t, 1e-9, row.word .. " t")
      if row.observed <= fx then
        -- the four cells: O11, f(node) - O11, f(coll) - O11, the rest
        local o = { row.observed, fx - row.observed, row.freq - row.observed, n - fx - row.freq + row.observed }
        local ex = { e, fx * (n - row.freq) / n, (n - fx) * row.freq / n, (n - fx) * (n - row.freq) / n }
        local g = 0
        for i = 1, 4 do g = g + oln(o[i], ex[i]) end
        g = 2 * g
        if row.observed < e then g = -g end
        assert.near(g, row.g2, 1e-7 * math.max(1, math.abs(g)), row.word .. " g2")
        assert.near(row.observed / fx - o[3] / (n - fx), row.delta_p, 1e-12, row.word .. " delta_p")
        checked = checked + 1
      end
    end
    assert.is_true(checked > 100)
  end)

  it("gives the same rows from text, a word stream and an index; window stays the default", function()
    local c = lexis.corpus(FILES)
    local ws = stats.wordstream(FILES, { fold = true })
    for _, o in ipairs({ { expected = "sketch", by = "g2" }, { expected = "sketch", span = 2, by = "mi" },
                         { expected = "window" } }) do
      local text = stats.collocates(FILES, "the", { fold = true, expected = o.expected, by = o.by, span = o.span })
      assert.equal(text:format("tsv"), stats.collocates(c, "the", { fold = true, expected = o.expected,
                                                                 by = o.by, span = o.span }):format("tsv"))
      assert.equal(text:format("tsv"), ws:collocates("the", { expected = o.expected, by = o.by, span = o.span })
                                         :format("tsv"))
    end
    assert.equal(stats.collocates(FILES, "the"):format("tsv"),
                 stats.collocates(FILES, "the", { expected = "window" }):format("tsv"))
    assert.has_error(function() stats.collocates(FILES, "the", { expected = "sketchy" }) end)
  end)

  it("says so when a collocate outnumbers the node, and zeroes its four-cell measures", function()
    local r = stats.collocates("x y y y y z", "x", { expected = "sketch" })
    local y = r[1].word == "y" and r[1] or r[2]
    assert.equal(4, y.observed)
    assert.same({ 0, 1, 0, 0, 1 }, { y.g2, y.p, y.chi2, y.jaccard, y.fisher })
    assert.near(math.log(4 / (1 * 4 / 6), 2), y.mi, 1e-12)
    local out, err, code = h.run({ "collocates", "--expected", "sketch", "x", "-" }, "x y y y y z")
    assert.equal(0, code, err)
    assert.matches("1 collocate stands more often in the windows than the node occurs", err)
    assert.matches("y", out)
    _, err, code = h.run({ "collocates", "--expected", "nope", "x", "-" }, "x y")
    assert.equal(2, code)
  end)
end)
