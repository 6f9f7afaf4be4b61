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
    local h = hints.query("東京")
    assert.equal(1, #h)
    assert.truthy(h[1]:find("'東 京'", 1, true), h[1])
    h = hints.query("the 東京")
    assert.truthy(h[1] and h[1]:find("'東 京'", 1, true))
    assert.same({}, hints.query("東 京"))
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
    _, err = h.run({ "kwic", "東京" }, "東京は大きい\n")
    assert.truthy(err:find("'東 京'", 1, true), err)
    local out
    out, err = h.run({ "kwic", "--count", "東 京" }, "東京は大きい\n")
    assert.equal("1\n", out)
    assert.equal("", err)
  end)
end)
