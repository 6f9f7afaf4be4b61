-- The example scripts run on the sample corpus and print what they promise.

local h = require "helper"

describe("scripts/demo.lua (make demo)", function()
  it("prints a word list and a concordance of the sample corpus", function()
    local out, err, code = h.run({ "scripts/demo.lua", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(0, code, err)
    assert.matches("The 15 most frequent words", out)
    assert.matches("\n   1  stalin +16\n", out)
    assert.matches("Keyword in context: \"stalin\"", out)
    assert.matches("capitulated to  Stalin  and", out)
  end)

  it("says how to use it when given no file", function()
    local _, err, code = h.run({ "scripts/demo.lua" })
    assert.equal(2, code)
    assert.matches("usage: lexis scripts/demo.lua FILE", err)
  end)
end)
