-- One query model (issue 13): collocates, n-grams --contains and kwic take
-- the same queries from the one parser of src/query.c: a word, a glob by
-- character (* any run, ? one character), a /regex/, a phrase; plain
-- queries match case-folded everywhere, --case (case = true) exactly.

local h = require "helper"
local stats = require "lexis.stats"

local RED = "corpus/red-book-1936-excerpt.txt"

local function words_of(rows)
  local t = {}
  for _, r in ipairs(rows) do t[r.word or r.ngram] = r.observed or r.count end
  return t
end

describe("one query model", function()
  it("finds a node in any case, as kwic does; case = true keeps case", function()
    local kwic_hits = #lexis.kwic({ RED }, "stalin")
    assert.is_true(kwic_hits > 0)
    local lower = stats.collocates({ RED }, "stalin")
    local upper = stats.collocates({ RED }, "STALIN")
    assert.equal(kwic_hits, lower.info.hits)
    assert.same(words_of(lower), words_of(upper))
    assert.equal(0, stats.collocates({ RED }, "stalin", { case = true }).info.hits)
    assert.equal(kwic_hits, stats.collocates({ RED }, "Stalin", { case = true }).info.hits)
  end)

  it("gives the same collocates from the index as from the text, for words and patterns", function()
    local c = lexis.corpus({ RED }, { progress = false })
    assert.is_true(stats._index_serves(c, { fold = true }))     -- counted from the index, not the text
    for _, node in ipairs({ "stalin", "Stalin", "stal*", "/stal.n/", "the party" }) do
      local a = stats.collocates({ RED }, node, { fold = true })   -- a corpus's methods fold words
      local b = c:collocates(node)
      assert.equal(a.info.hits, b.info.hits, node)
      assert.same(words_of(a), words_of(b), node)
    end
  end)

  it("matches ? as one character, not one byte, and takes /regex/", function()
    local text = "un café noir. un cafe noir. un caff noir. un cafés noir."
    local r = stats.collocates(text, "caf?", { left = 1, right = 0 })
    assert.equal(3, r.info.hits)                -- café, cafe, caff: not cafés
    assert.equal(2, stats.collocates(text, "/caf[eé]/", { left = 1, right = 0 }).info.hits)
    assert.equal(4, stats.collocates(text, "caf*", { left = 1, right = 0 }).info.hits)
  end)

  it("counts a phrase whose words match in any case", function()
    local text = "The Party line. the party line. THE PARTY. a party."
    assert.equal(3, stats.collocates(text, "the party").info.hits)
    assert.equal(1, stats.collocates(text, "The Party", { case = true }).info.hits)
    assert.equal(3, lexis.wordstream(text):collocates("the party").info.hits)
  end)

  it("takes a glob or a regex for n-grams' contains, with no character dropped", function()
    local text = "Stalin ruled. The Stalinist state. Stalingrad fell."
    local got = words_of(stats.ngrams(text, { n = 2, contains = "stalin*" }))
    assert.same({ ["Stalin ruled"] = 1, ["The Stalinist"] = 1, ["Stalinist state"] = 1, ["Stalingrad fell"] = 1 }, got)
    got = words_of(stats.ngrams(text, { n = 2, contains = "stal*", at = 2 }))
    assert.same({ ["The Stalinist"] = 1 }, got)
    got = words_of(stats.ngrams(text, { n = 2, contains = "/stalin(ist)?/" }))
    assert.same({ ["Stalin ruled"] = 1, ["The Stalinist"] = 1, ["Stalinist state"] = 1 }, got)
    assert.same({}, words_of(stats.ngrams(text, { n = 2, contains = "stalin", case = true })))
  end)

  it("says on standard error when a command's node or contains finds nothing", function()
    local out, err, code = h.run({ "collocates", "zzzz", RED })
    assert.equal(0, code)
    assert.truthy(err:find("'zzzz' does not occur", 1, true), err)
    out, err, code = h.run({ "ngrams", "--contains", "zzz*", RED })
    assert.equal(0, code)
    assert.truthy(err:find("no 2-gram holds 'zzz*'", 1, true), err)
    out, err = h.run({ "collocates", "stalin", RED })
    assert.equal("", err)
    assert.truthy(select(2, out:gsub("\n", "")) > 5)
    out, err = h.run({ "ngrams", "-n", "2", "--contains", "stalin", RED })
    assert.truthy(out:find("Stalin", 1, true), out)
  end)
end)
