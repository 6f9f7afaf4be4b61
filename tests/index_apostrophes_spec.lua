-- `lexis index --split-apostrophes` (issue 13 §3): an index whose words are
-- cut at apostrophes finds Stalin’s as Stalin; it keeps the setting, so its
-- queries, --update and the corpus methods cut words the same way.

local h = require "helper"
local lexis = require "lexis"

local RED = "corpus/red-book-1936-excerpt.txt"   -- "Stalin" 16 times, "Stalin’s" once

-- The count `lexis kwic` prints for query on path, asserting it exited 0.
local function count(query, path)
  local out, err, code = h.run({ "kwic", query, path, "--count" })
  assert.equal(0, code, err)
  return tonumber(out)
end

describe("lexis index --split-apostrophes", function()
  local plain, split = h.tmpname(), h.tmpname()
  setup(function()
    assert.equal(0, select(3, h.run({ "index", "-q", RED, "-o", plain })))
    assert.equal(0, select(3, h.run({ "index", "-q", "--split-apostrophes", RED, "-o", split })))
  end)
  teardown(function()
    os.remove(plain)
    os.remove(split)
  end)

  it("finds Stalin’s as Stalin only in the index built with it", function()
    assert.equal(16, count("Stalin", plain))
    assert.equal(17, count("Stalin", split))
    local out = h.run({ "kwic", "Stalin", split, "--format", "tsv", "--sort", "R1" })
    assert.matches("\tStalin\t’s genius", out, 1, true)
  end)

  it("cuts a query as the index cut its words", function()
    -- one position against the plain index, three (Stalin ’ s) against the split one
    assert.equal(1, count("Stalin’s", plain))
    assert.equal(1, count("Stalin’s", split))
    assert.equal(1, count("stalin ’ s", split))
    assert.equal(0, count("stalin ’ s", plain))
    -- globs and regexes: a glob is cut too, a /regex/ is one token as written
    assert.equal(1, count("stal*’s", split))
    assert.equal(0, count("/stalin’s/", split))
    assert.equal(1, count("/stalin’s/", plain))
  end)

  it("is kept by the index: shown, kept by --update, refused as a source otherwise", function()
    local out, _, code = h.run({ "index", "--verify", split })
    assert.equal(0, code)
    assert.matches("split at apostrophes", out, 1, true)
    out = h.run({ "index", "--verify", plain })
    assert.no.matches("apostrophes", out, 1, true)
    -- --update without the flag keeps the index's setting: the file is copied
    local copy = h.write(h.tmpname(), h.read(split))
    local _, err
    _, err, code = h.run({ "index", "--update", RED, "-o", copy })
    assert.equal(0, code, err)
    assert.matches("1 files unchanged", err, 1, true)
    assert.equal(h.read(split), h.read(copy))
    -- --update with it on a plain index reads every file again, and says so
    h.write(copy, h.read(plain))
    _, err, code = h.run({ "index", "--update", "--split-apostrophes", RED, "-o", copy })
    assert.equal(0, code, err)
    assert.matches("built without --split-apostrophes: every file is read again", err, 1, true)
    assert.matches("0 files unchanged", err, 1, true)
    assert.equal(h.read(split), h.read(copy))
    os.remove(copy)
  end)

  it("is lexis.corpus's apostrophes = false, and the corpus methods follow it", function()
    local c = lexis.corpus({ RED }, { apostrophes = false, progress = false })
    assert.equal(17, #c:kwic("Stalin"))
    assert.same({ apostrophes = false }, c:_tokopts())
    local o = assert(lexis.open(split))
    assert.equal(tostring(o), tostring(c))
    assert.equal(lexis.report(o:kwic("stalin", { sort = "R1" }), "tsv"),
                 lexis.report(c:kwic("stalin", { sort = "R1" }), "tsv"))
    -- collocates from the index are those of the text cut the same way
    assert.equal(lexis.report(lexis.collocates({ RED }, "stalin", { apostrophes = false, fold = true, top = 10 }), "tsv"),
                 lexis.report(o:collocates("stalin", { top = 10 }), "tsv"))
    -- and the word list reads its files cut as the index is
    assert.equal(lexis.report(lexis.wordlist({ RED }, { apostrophes = false, fold = true, top = 10 }), "tsv"),
                 lexis.report(o:wordlist({ top = 10 }), "tsv"))
    assert.same({}, assert(lexis.open(plain)):_tokopts())
    o:close()
    c:close()
  end)
end)
