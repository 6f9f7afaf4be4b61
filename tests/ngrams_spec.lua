-- N-grams: lexis.ngrams against a plain-Lua count over lexis.words and
-- lexis.sentences, the options (contains, at, min, top, sentences), range
-- over files, the output formats and the `lexis ngrams` command.

local h = require "helper"
local stats = require "lexis.stats"
local tokenize = require "lexis.tokenize"
local sentences = require "lexis.sentences"

local CORPUS = "corpus/red-book-1936-excerpt.txt"

-- The n-grams of text counted in Lua: within each sentence, or across all.
local function lua_ngrams(text, n, within, lower)
  local counts = {}
  local function count(words)
    for i = 1, #words - n + 1 do
      local key = table.concat(words, " ", i, i + n - 1)
      counts[key] = (counts[key] or 0) + 1
    end
  end
  if within then
    for s in sentences.sentences(text) do count(tokenize.words(s, { lower = lower })) end
  else
    count(tokenize.words(text, { lower = lower }))
  end
  return counts
end

local function as_map(result)
  local t = {}
  for _, row in ipairs(result) do t[row.ngram] = row.count end
  return t
end

describe("lexis.ngrams", function()
  local text = h.read(CORPUS)

  it("counts as a plain-Lua count does, within sentences and across them", function()
    for _, n in ipairs({ 2, 3, 5, 8 }) do
      assert.same(lua_ngrams(text, n, true, true), as_map(stats.ngrams(text, { n = n, lower = true })))
      assert.same(lua_ngrams(text, n, false, false),
                  as_map(stats.ngrams(text, { n = n, sentences = false })))
    end
  end)

  it("reads files in chunks as it reads the same text in memory", function()
    assert.same(as_map(stats.ngrams(text, { n = 3 })), as_map(stats.ngrams({ CORPUS }, { n = 3 })))
  end)

  it("sorts by count, then bytes, and cuts at min and top", function()
    local s = "Red fox. Red fox. Blue sky. Big dog. Big dog. Big dog."
    local r = stats.ngrams(s, { n = 2 })
    assert.same({ "Big dog", "Red fox", "Blue sky" }, { r[1].ngram, r[2].ngram, r[3].ngram })
    assert.same({ 3, 2, 1 }, { r[1].count, r[2].count, r[3].count })
    assert.equal(2, #stats.ngrams(s, { n = 2, min = 2 }))
    assert.equal(1, #stats.ngrams(s, { n = 2, top = 1 }))
    assert.equal(1, r[1].rank)
  end)

  it("keeps only n-grams holding a word, at a place if asked (clusters)", function()
    local s = "the cat sat. A cat ran. The dog sat."
    assert.same({ ["the cat"] = 1, ["A cat"] = 1, ["cat sat"] = 1, ["cat ran"] = 1 },
                as_map(stats.ngrams(s, { n = 2, contains = "cat" })))
    assert.same({ ["cat sat"] = 1, ["cat ran"] = 1 },
                as_map(stats.ngrams(s, { n = 2, contains = "cat", at = 1 })))
    assert.same({ ["The cat"] = 1 },
                as_map(stats.ngrams("The cat. But the cat", { n = 2, contains = "The", at = 1, case = true })))
    assert.same({ ["The cat"] = 1, ["the cat"] = 1 },      -- plain words match case-folded, as in kwic
                as_map(stats.ngrams("The cat. But the cat", { n = 2, contains = "The", at = 1 })))
    assert.same({ ["the cat"] = 2, ["but the"] = 1 },
                as_map(stats.ngrams("The cat. But the cat", { n = 2, contains = "THE", lower = true })))
  end)

  it("gives the range: how many files hold each n-gram", function()
    local a = h.write(h.tmpname(), "one two three. one two.")
    local b = h.write(h.tmpname(), "one two four.")
    local r = stats.ngrams({ a, b }, { n = 2 })
    local range = {}
    for _, row in ipairs(r) do range[row.ngram] = row.range end
    assert.equal(2, range["one two"])
    assert.equal(1, range["two three"])
    assert.equal(3, r[1].count)
    os.remove(a); os.remove(b)
  end)

  it("takes the token kinds as a string, a list or all", function()
    assert.same({ ["a ,"] = 1, [", b"] = 1 }, as_map(stats.ngrams("a, b", { n = 2, kinds = "word, punct" })))
    assert.same({ ["a ,"] = 1, [", b"] = 1 }, as_map(stats.ngrams("a, b", { n = 2, kinds = { "word", "punct" } })))
    assert.same({ ["a ,"] = 1, [", b"] = 1 }, as_map(stats.ngrams("a, b", { n = 2, kinds = "all" })))
    assert.has_error(function() stats.ngrams("a, b", { kinds = "bogus" }) end)
  end)

  it("handles empty text, short text and bad options", function()
    assert.equal(0, #stats.ngrams("", { n = 3 }))
    assert.equal(0, #stats.ngrams("one two", { n = 3 }))
    assert.has_error(function() stats.ngrams("x", { n = 9 }) end)
    assert.has_error(function() stats.ngrams("x", { nn = 2 }) end)
    assert.has_error(function() stats.ngrams("x", { contains = "two words" }) end)
    local r, err, code = stats.ngrams({ "/nonexistent/file" })   -- a failure, not misuse: returned
    assert.is_nil(r)
    assert.equal("/nonexistent/file: No such file or directory", err)
    assert.equal(2, code)
  end)

  it("prints as a table and writes text, tsv, csv, json", function()
    local r = stats.ngrams('say "hi", Bob. say "hi", Bob.', { n = 2 })
    assert.matches("rank%s+ngram%s+count", tostring(r))
    assert.equal("rank\tngram\tcount\trange\tper_million\n1\tBob say\t1\t1\t500000\n",
                 stats.ngrams("Bob say", { n = 2 }):format("tsv"))
    local csv = r:format("csv")
    assert.matches('^rank,ngram,count,range,per_million\r\n1,hi Bob,2,1,', csv)
    assert.matches('\n1,", b",1,', stats.ngrams("a, b", { n = 2, kinds = "word,punct" }):format("csv"))
    local json = require("cjson").decode(r:format("json"))
    assert.equal("hi Bob", json[1].ngram)
    local path = h.tmpname() .. ".tsv"
    assert(r:write(path))
    assert.matches("^rank\tngram", h.read(path))
    os.remove(path)
  end)
end)

describe("lexis ngrams", function()
  it("prints the n-grams of files in every format", function()
    local out, err, code = h.run({ "ngrams", "-n", "3", "--lower", "--top", "3", "--format", "tsv", CORPUS })
    assert.equal(0, code, err)
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    assert.equal("rank\tngram\tcount\trange\tper_million", lines[1])
    assert.equal(4, #lines)
    local top = stats.ngrams({ CORPUS }, { n = 3, lower = true, top = 3 })
    assert.equal(string.format("1\t%s\t%d\t1", top[1].ngram, top[1].count), lines[2]:match("^(.-)\t[%d.]+$"))
    out, err, code = h.run({ "ngrams", "-n", "2", "--format", "json", CORPUS })
    assert.equal(0, code, err)
    assert.is_table(require("cjson").decode(out))
    out = h.run({ "ngrams", "--format", "csv", "--no-header", "-" }, "A b. A b")
    assert.equal('1,A b,2,1,500000\r\n', out)             -- RFC 4180: quoted only when needed
  end)

  it("filters with --contains, --at and --min", function()
    local out = h.run({ "ngrams", "-n", "2", "--contains", "b", "--at", "2", "--format", "tsv",
                       "--no-header", "--min", "2", "-" }, "A b. A b. C b. B d")
    assert.equal("1\tA b\t2\t1\t250000\n", out)
  end)

  it("rejects bad arguments with status 2", function()
    local _, err, code = h.run({ "ngrams", "-n", "9", CORPUS })
    assert.equal(2, code)
    assert.matches("from 2 to 8", err)
    _, err, code = h.run({ "ngrams", "/nonexistent/x" })
    assert.equal(1, code)
    assert.matches("nonexistent", err)
    _, _, code = h.run({ "ngrams", "--at", "1", CORPUS })
    assert.equal(2, code)
  end)
end)

describe("lexis.ngrams on several threads", function()
  it("counts a large file exactly as one thread does, within sentences or across", function()
    local text = h.read(CORPUS)
    local path = h.tmpname()
    local f = assert(io.open(path, "wb"))
    local size = 0
    while size < 9 * 1024 * 1024 do   -- ranges are 4 MB at least
      f:write(text, "\n\n")
      size = size + #text + 2
    end
    f:close()
    for _, sentences in ipairs({ true, false }) do
      for _, n in ipairs({ 2, 5 }) do
        local one = stats.ngrams({ path }, { n = n, sentences = sentences, threads = 1 })
        local three = stats.ngrams({ path }, { n = n, sentences = sentences, threads = 3 })
        assert.equal(one.info.tokens, three.info.tokens)
        assert.equal(one.info.total, three.info.total)
        assert.equal(one:format("tsv"), three:format("tsv"))
      end
    end
    local one = stats.ngrams({ path }, { n = 3, contains = "Stalin", threads = 1, sentences = false })
    local two = stats.ngrams({ path }, { n = 3, contains = "Stalin", threads = 2, sentences = false })
    assert.equal(one:format("tsv"), two:format("tsv"))
    os.remove(path)
  end)
end)

-- The counter sorts n-grams in batches and merges them, packing each into
-- 64 bits while the word ids fit (64/n bits each) and moving to a hash
-- table when they outgrow it. A tiny batch (_keys) makes every merge path
-- run on small texts: counts and ranges must match a plain count whatever
-- the batch, across many texts, and for n = 8 (8-bit ids) past 256 words.
describe("the n-gram counter's batches", function()
  local core = require "lexis.core"

  -- texts of words w1..wV, each word drawn from a skewed distribution so
  -- that n-grams repeat within and across texts
  local function texts(ndocs, vocab, len, seed)
    math.randomseed(seed)
    local docs = {}
    for d = 1, ndocs do
      local words = {}
      for i = 1, math.random(0, len) do
        local r = math.random()
        words[i] = "w" .. math.floor(r * r * r * vocab)
      end
      docs[d] = table.concat(words, " ")
    end
    return docs
  end

  local function plain(docs, n)
    local count, range = {}, {}
    for _, text in ipairs(docs) do
      local words, seen = {}, {}
      for w in text:gmatch("%S+") do words[#words + 1] = w end
      for i = 1, #words - n + 1 do
        local key = table.concat(words, " ", i, i + n - 1)
        count[key] = (count[key] or 0) + 1
        if not seen[key] then seen[key] = true; range[key] = (range[key] or 0) + 1 end
      end
    end
    return count, range
  end

  for _, case in ipairs({ { n = 2, vocab = 40 }, { n = 3, vocab = 300 }, { n = 8, vocab = 12 },
                          { n = 8, vocab = 600 }, { n = 4, vocab = 2000 } }) do
    it(string.format("counts %d-grams over %d words exactly, in batches of 1 to 5000", case.n,
                     case.vocab), function()
      local docs = texts(60, case.vocab, 120, case.n * 1000 + case.vocab)
      local count, range = plain(docs, case.n)
      for _, keys in ipairs({ 1, 7, 100, 5000 }) do
        local g = core.ngrams(case.n, { kinds = "word,number", _keys = keys })
        for _, text in ipairs(docs) do assert(g:add(text)) end
        local got_count, got_range, total = {}, {}, 0
        for _, row in ipairs(g:top(0, 1)) do
          got_count[row.ngram], got_range[row.ngram] = row.count, row.range
          total = total + row.count
        end
        assert.same(count, got_count)
        assert.same(range, got_range)
        assert.equal(total, g:total())
      end
    end)
  end

  it("refuses a batch size below 1", function()
    assert.has_error(function() core.ngrams(2, { _keys = 0 }) end)
  end)
end)
