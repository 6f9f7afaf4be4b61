-- Snowball stemming (src/stem.c, libstemmer loaded on first use) as the
-- word option stem / --stem, lexis.stem, and the stop lists of
-- lua/lexis/data/stop/. The expected stems are the algorithms' own
-- (snowballstem.org's descriptions and sample vocabularies).
local lexis = require "lexis"
local h = require "tests.helper"

local function counts_of(c)
  local t = {}
  for w, n in pairs(c) do t[w] = n end
  return t
end

describe("lexis.stem", function()
  local cases = {
    en = { connection = "connect", connected = "connect", connecting = "connect",
           connections = "connect", consigned = "consign", consignment = "consign",
           running = "run", runs = "run", generously = "generous", knackered = "knacker" },
    porter = { generous = "gener", connection = "connect" },   -- Porter's first algorithm
    english = { consisting = "consist" },
    de = { ["häuser"] = "haus", laufen = "lauf", gelaufen = "gelauf" },
    fr = { continuation = "continu", continuellement = "continuel" },
    es = { corriendo = "corr" },
    it = { abbandonata = "abbandon" },
    ru = { ["говорили"] = "говор", ["говорить"] = "говор" },
  }
  for lang, words in pairs(cases) do
    it("stems " .. lang .. " as Snowball does", function()
      for w, want in pairs(words) do assert.equal(want, lexis.stem(w, lang), w) end
    end)
  end

  it("lower-cases first, as the stemmers expect", function()
    assert.equal("connect", lexis.stem("CONNECTIONS", "en"))
    assert.equal("haus", lexis.stem("HÄUSER", "de"))
  end)

  it("raises on an unknown language, listing those libstemmer has", function()
    local ok, err = pcall(lexis.stem, "word", "klingon")
    assert.is_false(ok)
    assert.matches("no stemmer for 'klingon'", err)
    assert.matches("english", err)
    assert.matches("german", err)
  end)

  it("refuses a word that is not UTF-8", function()
    local ok, err = pcall(lexis.stem, "caf\xe9", "fr")
    assert.is_false(ok)
    assert.matches("invalid UTF%-8", err)
  end)
end)

describe("the stem option", function()
  local text = "The connection connected. Connecting connections run; running runs!"

  it("stems the words of lexis.words and lexis.tokens", function()
    assert.same({ "the", "connect", "connect", "connect", "connect", "run", "run", "run" },
                lexis.words(text, { stem = "en" }))
    local kinds = {}
    for t, _, _, kind in lexis.tokens("Runs, running.", { stem = "en" }) do kinds[#kinds + 1] = t .. "/" .. kind end
    assert.same({ "run/word", ",/punct", "run/word", "./punct" }, kinds)
  end)

  it("counts the stems of the lower-cased words, whatever the path", function()
    -- the stems of a lower-cased count, summed, are the stemmed count
    local files = { "corpus/" }
    local lower = assert(lexis.count(files, { lower = true }))
    local want = {}
    for w, n in pairs(lower) do
      local s = lexis.words(w, { stem = "en" })[1]
      want[s] = (want[s] or 0) + n
    end
    local whole = counts_of(assert(lexis.count(files, { stem = "en" })))
    assert.same(want, whole)
    -- a file read a few bytes at a time and in threads, and a text
    assert.same(want, counts_of(assert(lexis.count(files, { stem = "en", chunk = 7 }))))
    assert.same(want, counts_of(assert(lexis.count(files, { stem = "en", threads = 3 }))))
    local s = ""
    for _, f in ipairs(require("lexis.core").expand(files)) do s = s .. h.read(f) .. "\n" end
    assert.same(want, counts_of(assert(lexis.count(s, { stem = "en" }))))
  end)

  it("stems after folding under fold", function()
    assert.same({ "strass" }, lexis.words("STRASSEN", { stem = "de", fold = true }))
  end)

  it("merges forms in freq, wordlist, ngrams and collocates", function()
    local out, err, code = h.run({ "freq", "--stem", "en", "--format", "tsv" }, text)
    assert.equal(0, code, err)
    assert.matches("\n1\tconnect\t4\t", out)
    assert.matches("\n2\trun\t3\t", out)
    out, err, code = h.run({ "wordlist", "--stem", "en", "--format", "tsv" }, text)
    assert.equal(0, code, err)
    assert.matches("\n1\tconnect\t4\t", out)
    out, err, code = h.run({ "ngrams", "-n", "2", "--stem", "en", "--format", "tsv" }, text)
    assert.equal(0, code, err)
    assert.matches("connect connect\t2\t", out)
    -- the node is stemmed as the words are: "connections" finds connect
    out, err, code = h.run({ "collocates", "--stem", "en", "--format", "tsv", "Connections", "-" }, text)
    assert.equal(0, code, err)
    assert.matches("\n%d\trun\t3\t", out)
    out, err, code = h.run({ "ngrams", "-n", "2", "--stem", "en", "--contains", "running", "--format", "tsv" }, text)
    assert.equal(0, code, err)
    assert.matches("connect run\t1\t", out)
    assert.not_matches("connect connect", out)
  end)

  it("rejects an unknown language with the list, as a usage error", function()
    local _, err, code = h.run({ "freq", "--stem", "klingon" }, text)
    assert.equal(2, code)
    assert.matches("no stemmer for 'klingon'", err)
    assert.matches("english", err)
    local ok, msg = pcall(lexis.words, text, { stem = "xx" })
    assert.is_false(ok)
    assert.matches("no stemmer for 'xx'", msg)
  end)

  it("says which Debian package is missing when libstemmer cannot be loaded", function()
    local env = { LEXIS_TEST_NO_STEMMER = "1" }
    for _, cmd in ipairs { "freq", "wordlist", "ngrams" } do
      local out, err, code = h.run({ cmd, "--stem", "en" }, text, env)
      assert.equal(1, code, cmd)
      assert.equal("", out)
      assert.matches("libstemmer0d", err)
      assert.not_matches("traceback", err)
    end
    local out, _, code = h.run({ "-e", "print(pcall(lexis.stem, 'x', 'en'))" }, nil, env)
    assert.equal(0, code)
    assert.matches("false.*libstemmer0d", out)
    -- without --stem nothing loads it
    local _, err, c2 = h.run({ "freq" }, text, env)
    assert.equal(0, c2, err)
  end)
end)

describe("stop lists", function()
  local tokenize = require "lexis.tokenize"
  local langs = tokenize._stoplists()

  it("has a list for each language with an abbreviation list, and more", function()
    local have = {}
    for _, l in ipairs(langs) do have[l] = true end
    for _, l in ipairs { "en", "de", "fr", "es", "it", "ru", "pt", "nl", "sv", "da", "no", "fi", "pl",
                         "cs", "tr", "el", "ar", "hi" } do
      assert.is_true(have[l], l)
    end
  end)

  it("holds lower-case words, each one token, no duplicates", function()
    for _, lang in ipairs(langs) do
      local list = require("lexis.data.stop." .. lang)
      assert.is_true(#list >= 100, lang)
      local seen = {}
      for _, w in ipairs(list) do
        assert.same({ w }, lexis.words(w, { lower = true }), lang .. ": " .. w)
        assert.is_nil(seen[w], lang .. ": " .. w .. " twice")
        seen[w] = true
      end
    end
  end)

  it("drops German function words from a German text", function()
    local de = "Der Hund und die Katze sind im Garten. Sie spielen mit dem Ball, " ..
               "aber der Ball ist nicht in dem Garten, sondern auf der Straße.\n"
    local out, err, code = h.run({ "freq", "--stop", "de", "--format", "tsv", "--no-header" }, de)
    assert.equal(0, code, err)
    local words = {}
    for line in out:gmatch("[^\n]+") do words[#words + 1] = line:match("^%d+\t([^\t]+)\t") end
    table.sort(words)
    assert.same({ "Ball", "Garten", "Hund", "Katze", "Straße", "spielen" }, words)
  end)

  it("drops the stems of stop words under --stem", function()
    local out, err, code = h.run({ "freq", "--stem", "en", "--stop", "en", "--format", "tsv",
                                   "--no-header" }, "Does he run? He does, running.\n")
    assert.equal(0, code, err)
    assert.equal("1\trun\t2\t", out:sub(1, 8))
    assert.not_matches("doe", out)
  end)

  it("names the lists it has when a name is neither a list nor a file", function()
    local _, err, code = h.run({ "freq", "--stop", "xx" }, "a b\n")
    assert.equal(1, code)
    assert.matches("no stop list for 'xx'", err)
    assert.matches("de, el, en", err)
  end)
end)
