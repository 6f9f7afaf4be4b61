-- Collocates: window counts against a plain-Lua count over lexis.words,
-- the measures against lexis.core.assoc (itself checked by hand in
-- stats_spec), sorting, filters, and the `lexis collocates` command.

local h = require "helper"
local core = require "lexis.core"
local stats = require "lexis.stats"
local tokenize = require "lexis.tokenize"
local sentences = require "lexis.sentences"

local CORPUS = "corpus/red-book-1936-excerpt.txt"

-- Counts in Lua: the union of the windows of every occurrence of node in
-- each segment (up to left words before and right after it), each position
-- once: a position the right window of an earlier occurrence covers counts
-- as right, else as left of the first occurrence whose left window covers
-- it; an occurrence never counts in its own window. Returns counts, hits,
-- window size.
local function lua_collocates(segments, node, left, right)
  local counts, hits, window = {}, 0, 0
  for _, words in ipairs(segments) do
    local counted = {}
    local function count(j, side)
      if counted[j] then return end
      counted[j] = true
      local c = counts[words[j]] or { left = 0, right = 0 }
      c[side] = c[side] + 1
      counts[words[j]] = c
      window = window + 1
    end
    for i, w in ipairs(words) do
      if w == node then
        hits = hits + 1
        for j = math.max(1, i - left), i - 1 do count(j, "left") end
        for j = i + 1, math.min(#words, i + right) do count(j, "right") end
      end
    end
  end
  return counts, hits, window
end

describe("lexis.collocates", function()
  local text = h.read(CORPUS)
  local all = tokenize.words(text, { lower = true })

  it("counts the words in each window as a plain-Lua count does", function()
    for _, span in ipairs({ { 5, 5 }, { 0, 3 }, { 4, 0 }, { 1, 1 }, { 12, 7 } }) do
      local want, hits, window = lua_collocates({ all }, "the", span[1], span[2])
      local r = stats.collocates(text, "the", { lower = true, left = span[1], right = span[2] })
      assert.equal(hits, r.info.hits)
      assert.equal(window, r.info.window)
      local got = {}
      for _, row in ipairs(r) do got[row.word] = { left = row.left, right = row.right } end
      assert.same(want, got)
    end
  end)

  it("stops windows at sentence ends with sentences = true", function()
    local segs = {}
    for s in sentences.sentences(text) do segs[#segs + 1] = tokenize.words(s, { lower = true }) end
    local want, hits = lua_collocates(segs, "of", 3, 3)
    local r = stats.collocates(text, "of", { lower = true, span = 3, sentences = true })
    local got = {}
    for _, row in ipairs(r) do got[row.word] = { left = row.left, right = row.right } end
    assert.same(want, got)
    assert.equal(hits, r.info.hits)
  end)

  it("scores each collocate with the measures of lexis.core.assoc", function()
    local r = stats.collocates({ CORPUS }, "the", { lower = true })
    local fx = 0
    for _, w in ipairs(all) do if w == "the" then fx = fx + 1 end end
    for _, row in ipairs(r) do
      local want = core.assoc(row.observed, r.info.window, fx, row.freq, r.info.tokens)
      for _, m in ipairs(stats.MEASURES) do
        assert.near(want[m], row[m], 1e-9, row.word .. " " .. m)
      end
    end
    -- Fisher's test is computed for the rows kept only: the same numbers with top
    local top = stats.collocates({ CORPUS }, "the", { lower = true, top = 5 })
    assert.equal(5, #top)
    for i, row in ipairs(top) do
      assert.equal(r[i].word, row.word)
      assert.equal(core.assoc(row.observed, r.info.window, fx, row.freq, r.info.tokens).fisher, row.fisher)
    end
  end)

  it("sorts by any measure, and filters by min, min_freq and top", function()
    for _, by in ipairs(stats.MEASURES) do
      local r = stats.collocates({ CORPUS }, "the", { lower = true, by = by })
      for i = 2, #r do
        if by == "fisher" then   -- a p-value: the smallest (strongest) first
          assert.is_true(r[i - 1][by] <= r[i][by], by)
        else
          assert.is_true(r[i - 1][by] >= r[i][by], by)
        end
      end
    end
    -- with top, the rows kept are chosen apart from the full sort (a bounded
    -- heap): the same rows in the same order, ties (same score and
    -- observed, broken by the words' bytes) included
    for _, by in ipairs(stats.MEASURES) do
      local all = stats.collocates({ CORPUS }, "of", { by = by })
      for _, k in ipairs { 1, 7, 40, #all - 1 } do
        local top = stats.collocates({ CORPUS }, "of", { by = by, top = k })
        assert.equal(k, #top)
        for i = 1, k do assert.equal(all[i].word, top[i].word, by .. " top " .. k .. " row " .. i) end
      end
    end
    local r = stats.collocates({ CORPUS }, "the", { lower = true, min = 3, min_freq = 10, top = 7 })
    assert.equal(7, #r)
    for _, row in ipairs(r) do
      assert.is_true(row.observed >= 3 and row.freq >= 10)
    end
    assert.has_error(function() stats.collocates("x", "x", { by = "nonsense" }) end)
    assert.equal(0, #stats.collocates("x", "two words"))   -- a phrase never seen
  end)

  it("takes several words as one node, and gives nothing for a word never seen", function()
    local r = stats.collocates("a cat. a dog. the cow", { "cat", "dog" }, { span = 1 })
    local got = {}
    for _, row in ipairs(r) do got[row.word] = row.observed end
    -- windows cross the periods (no sentences); the second "a" stands in both
    -- windows and counts once
    assert.same({ a = 2, the = 1 }, got)
    assert.equal(0, #stats.collocates("a cat", "zebra"))
    assert.equal(0, #stats.collocates("", "zebra"))
  end)

  it("counts each position once for a frequent node: O11 <= f(collocate), window <= N", function()
    local text = h.read(CORPUS)
    for _, span in ipairs({ { 5, 5 }, { 10, 10 } }) do
      for _, node in ipairs({ "the", "of", "and" }) do
        local r = stats.collocates(text, node, { lower = true, left = span[1], right = span[2] })
        assert.is_true(r.info.window <= r.info.tokens, node)
        for _, row in ipairs(r) do
          assert.is_true(row.observed <= row.freq, node .. ": " .. row.word)
          assert.is_true(row.expected <= row.freq, node .. ": " .. row.word)
        end
      end
    end
  end)

  it("prints and exports", function()
    local r = stats.collocates("the cat sat on the mat", "cat", { span = 2 })
    assert.matches("collocates of cat: 1 hits", tostring(r))
    assert.matches("^rank\tword\tfreq\tleft\tright\tobserved", r:format("tsv"))
    local rows = require("cjson").decode(r:format("json"))
    assert.equal(3, #rows)
  end)
end)

describe("lexis collocates", function()
  it("prints the collocates of a word", function()
    local out, err, code = h.run({ "collocates", "--lower", "--by", "observed", "--top", "3",
                                   "--format", "tsv", "of", CORPUS })
    assert.equal(0, code, err)
    local r = stats.collocates({ CORPUS }, "of", { lower = true, by = "observed", top = 3 })
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    assert.equal(4, #lines)
    assert.matches("^1\t" .. r[1].word .. "\t" .. r[1].freq .. "\t", lines[2])
    out, err, code = h.run({ "collocates", "--left", "0", "--right", "1", "--format", "csv",
                             "--no-header", "b", "-" }, "a b c b c")
    assert.equal(0, code, err)
    assert.matches("^1,c,2,0,2,2,", out)
  end)

  it("rejects bad arguments with status 2", function()
    local _, err, code = h.run({ "collocates", "--left", "101", "the", CORPUS })
    assert.equal(2, code)
    assert.matches("0 to 100", err)
    _, _, code = h.run({ "collocates", "--by", "nonsense", "the", CORPUS })
    assert.equal(2, code)
    _, err, code = h.run({ "collocates", "the", "/nonexistent/x" })
    assert.equal(1, code)
    assert.matches("nonexistent", err)
  end)
end)

describe("lexis.wordstream", function()
  local text = h.read(CORPUS)

  it("gives the collocates reading the text gives, within texts or sentences", function()
    for _, sentences in ipairs({ false, true }) do
      local ws = stats.wordstream({ CORPUS, CORPUS }, { lower = true, sentences = sentences })
      for _, span in ipairs({ { 5, 5 }, { 0, 2 }, { 3, 0 } }) do
        local want = stats.collocates({ CORPUS, CORPUS }, "the",
                                      { lower = true, left = span[1], right = span[2], sentences = sentences })
        local got = ws:collocates("THE", { left = span[1], right = span[2] })
        assert.equal(want:format("tsv"), got:format("tsv"))
        assert.equal(want.info.window, got.info.window)
      end
    end
  end)

  it("sorts and filters as lexis.collocates does, and knows its size", function()
    local ws = stats.wordstream(text, { lower = true })
    assert.equal(#tokenize.words(text), #ws)
    assert.matches("lexis.WordStream", tostring(ws))
    local want = stats.collocates(text, { "of", "in" }, { lower = true, by = "mi3", min = 2, top = 5 })
    assert.equal(want:format("csv"), ws:collocates({ "of", "in" }, { by = "mi3", min = 2, top = 5 }):format("csv"))
    assert.equal(0, #ws:collocates("zebra"))
  end)
end)

describe("collocates of a pattern", function()
  it("counts around every word the pattern matches, as a list of them", function()
    local words, seen = {}, {}
    for _, w in ipairs(tokenize.words(h.read(CORPUS), { lower = true })) do
      if w:match("^stalin") and not seen[w] then seen[w] = true; words[#words + 1] = w end
    end
    assert.is_true(#words >= 2)
    local want = stats.collocates({ CORPUS }, words, { lower = true })
    assert.equal(want:format("tsv"), stats.collocates({ CORPUS }, "Stalin*", { lower = true }):format("tsv"))
    local ws = stats.wordstream({ CORPUS }, { lower = true })
    assert.equal(want:format("tsv"), ws:collocates("stalin*"):format("tsv"))
    assert.equal(want:format("tsv"), ws:collocates({ "stalin?*", "stalin" }):format("tsv"))
    assert.equal(0, #stats.collocates({ CORPUS }, "zz*"))
  end)

  it("takes a pattern on the command line", function()
    local out, err, code = h.run({ "collocates", "--lower", "--format", "tsv", "stalin*", CORPUS })
    assert.equal(0, code, err)
    assert.equal(stats.collocates({ CORPUS }, "stalin*", { lower = true }):format("tsv"), out)
  end)
end)

describe("collocates of a phrase", function()
  -- Windows before the phrase's first word and after its last, in Lua.
  local function lua_phrase(words, phrase, left, right)
    local counts, hits, window = {}, 0, 0
    local k = #phrase
    for i = 1, #words - k + 1 do
      local match = true
      for j = 1, k do match = match and words[i + j - 1] == phrase[j] end
      if match then
        hits = hits + 1
        local function add(j, side)
          local c = counts[words[j]] or { left = 0, right = 0 }
          c[side] = c[side] + 1
          counts[words[j]] = c
          window = window + 1
        end
        for j = math.max(1, i - left), i - 1 do add(j, "left") end
        for j = i + k, math.min(#words, i + k - 1 + right) do add(j, "right") end
      end
    end
    return counts, hits, window
  end

  it("counts around every occurrence of the phrase, reading or from a stream", function()
    local words = tokenize.words(h.read(CORPUS), { lower = true })
    for _, span in ipairs({ { 5, 5 }, { 2, 0 }, { 0, 3 } }) do
      local want, hits, window = lua_phrase(words, { "left", "opposition" }, span[1], span[2])
      assert.is_true(hits > 1)
      local r = stats.collocates({ CORPUS }, "Left Opposition", { lower = true, left = span[1], right = span[2] })
      assert.equal(hits, r.info.hits)
      assert.equal(window, r.info.window)
      local got = {}
      for _, row in ipairs(r) do got[row.word] = { left = row.left, right = row.right } end
      assert.same(want, got)
      local ws = stats.wordstream({ CORPUS }, { lower = true })
      assert.equal(r:format("tsv"), ws:collocates("left opposition", { left = span[1], right = span[2] }):format("tsv"))
    end
  end)

  it("refuses a phrase among other nodes, or one too long", function()
    assert.has_error(function() stats.collocates("a b c", { "a b", "c" }) end)
    assert.has_error(function() stats.collocates("a b c", "a b c d e f g h i") end)
  end)
end)
