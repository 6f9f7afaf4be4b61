-- lexis.hints: the reasons printed when a query finds nothing.
local hints = require "lexis.hints"

describe("hints for a query that found nothing", function()
  it("spots CQP syntax in a plain query", function()
    for _, q in ipairs { '[lemma="go"]', '[pos = "JJ.*"] [pos="NN"]', '<s> [word="and"]',
                         '"the" within s', '"x" %c', 'a:[] "and"' } do
      local h = hints.query(q)
      assert.truthy(h[1] and h[1]:find("CQP", 1, true), q)
    end
    for _, q in ipairs { "opposition", "the * of", "/[0-9]{4}/", "caf?" } do
      assert.same({}, hints.query(q), q)
    end
  end)

  it("spells a word that the tokenizer cuts in several tokens as a phrase", function()
    local h = hints.query("e-mail")
    assert.equal(1, #h)
    assert.truthy(h[1]:find("'e - mail'", 1, true), h[1])
    h = hints.query("the e-mail")
    assert.truthy(h[1] and h[1]:find("'e - mail'", 1, true))
    assert.same({}, hints.query("e - mail"))
    -- words of Chinese, Japanese, Thai: the query cuts them as the text is
    assert.same({}, hints.query("東京に"))
    assert.same({}, hints.query("Stalin’s"))
    assert.same({}, hints.query("/東京/"))
    assert.same({}, hints.query("東京", { regex = true }))
  end)
end)

describe("lexis kwic with no hits", function()
  local h = require "helper"
  it("says why it may have found nothing", function()
    local _, err, code = h.run({ "kwic", "--case", "stalin", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(0, code)
    assert.truthy(err:find("no hits with --case; 16 case-folded", 1, true), err)
    _, err = h.run({ "kwic", '[lemma="go"]', "corpus/red-book-1936-excerpt.txt" })
    assert.truthy(err:find("CQP syntax", 1, true), err)
    _, err = h.run({ "kwic", "e-mail" }, "an e-mail\n")
    assert.truthy(err:find("'e - mail'", 1, true), err)
    _, err = h.run({ "kwic", "zyzzyva" }, "an e-mail\n")
    assert.truthy(err:find("'zyzzyva' occurs nowhere", 1, true), err)
    local out
    out, err = h.run({ "kwic", "--count", "東京" }, "東京は大きい\n")
    assert.equal("1\n", out)
    assert.equal("", err)
  end)
end)

describe("a list that comes out empty says why on standard error", function()
  local h = require "helper"
  local punct = "... !!! ---\n"
  local cases = {
    { { "freq" }, punct, "no words in the input %(12 bytes%): only tokens of kinds not counted" },
    { { "freq" }, "", "the input is empty" },
    { { "freq", "--min", "5" }, "a b a\n", "no word occurs %-%-min 5 times %(the most frequent occurs 2 times%)" },
    { { "freq", "--stop", "en" }, "the of and\n", "every word counted is in the stop list" },
    { { "ngrams", "-n", "2" }, punct, "no words in the input" },
    { { "ngrams", "-n", "3" }, "one two\n", "no 3%-gram: the input has 2 words" },
    { { "wordlist" }, punct, "no words in the input" },
    { { "keywords", "--ref", "corpus/red-book-1936-excerpt.txt", "corpus/red-book-1936-excerpt.txt" },
      nil, "no keywords %(no word's frequency differs" },
  }
  for _, c in ipairs(cases) do
    it(table.concat(c[1], " ") .. " on " .. string.format("%q", c[2] or "the same text"), function()
      local out, err, code = h.run(c[1], c[2])
      assert.equal(0, code, err)
      assert.truthy(err:find(c[3]), err)
      assert.is_nil(out:find("\n.", 1) and out:match("^[^\n]*\n(.)"))   -- a header at most
    end)
  end
  it("says nothing when there are rows", function()
    local _, err = h.run({ "freq", "corpus/" })
    assert.equal("", err)
  end)
end)
