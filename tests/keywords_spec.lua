-- Keywords: lexis.keywords over texts, files, tables and word lists, every
-- figure equal to lexis.core.keyness of the counts (checked by hand in
-- stats_spec), the order of positive and negative keywords, the filters,
-- and the `lexis keywords` command.

local h = require "helper"
local core = require "lexis.core"
local stats = require "lexis.stats"

local TARGET = "the cat sat on the mat and the cat ate the rat and the cat slept"
local REF = "a dog sat on a log and the dog ate a bone while a bird sang on the wall"

local function by_word(r)
  local t = {}
  for _, row in ipairs(r) do t[row.word] = row end
  return t
end

describe("lexis.keywords", function()
  it("scores every word with lexis.core.keyness of its counts", function()
    local r = stats.keywords(TARGET, REF)
    local n1, n2 = #require("lexis.tokenize").words(TARGET), #require("lexis.tokenize").words(REF)
    for _, row in ipairs(r) do
      local want = core.keyness(row.freq, n1, row.freq_ref, n2)
      for _, m in ipairs({ "g2", "p_g2", "chi2", "p_chi2", "log_ratio", "pdiff", "simple", "fpm1",
                           "fpm2", "g2_williams", "bic", "fisher" }) do
        local got = row[m] or row[m == "fpm1" and "fpm" or "fpm_ref"]
        assert.near(want[m], got, 1e-9, row.word .. " " .. m)
      end
      assert.equal(row.g2 > 0 and "+" or "-", row.key)
    end
    local w = by_word(r)
    assert.equal(3, w.cat.freq)
    assert.equal(0, w.cat.freq_ref)          -- absent from the reference: defined figures
    assert.equal("+", w.cat.key)
    assert.equal("-", w.dog.key)
    assert.equal(0, w.dog.freq)
  end)

  it("lists positive keywords strongest first, then negative ones", function()
    local r = stats.keywords(TARGET, REF)
    local seen_negative = false
    for i = 2, #r do
      if r[i].key == "-" then
        if r[i - 1].key == "-" then assert.is_true(r[i - 1].g2 <= r[i].g2) end
        seen_negative = true
      else
        assert.is_false(seen_negative)
        assert.is_true(r[i - 1].g2 >= r[i].g2)
      end
    end
    assert.equal(1, r[1].rank)
    assert.equal("cat", r[1].word)
  end)

  it("sorts by any measure and filters by min, p, top and direction", function()
    for _, by in ipairs(stats.KEY_MEASURES) do
      local r = stats.keywords(TARGET, REF, { by = by, negative = false })
      for i = 2, #r do
        if by == "fisher" then   -- a p-value: the smallest (strongest) first
          assert.is_true(r[i - 1][by] <= r[i][by], by)
        else
          assert.is_true(r[i - 1][by] >= r[i][by], by)
        end
      end
    end
    -- negative keywords by fisher: by their own one-sided p (the word rarer
    -- in the target), which is the fisher of the corpora swapped
    local neg = stats.keywords(TARGET, REF, { by = "fisher", positive = false })
    assert.is_true(#neg >= 2)
    local n1, n2 = neg.info.tokens, neg.info.ref_tokens
    local function rarer(row) return core.keyness(row.freq_ref, n2, row.freq, n1).fisher end
    for i = 2, #neg do assert.is_true(rarer(neg[i - 1]) <= rarer(neg[i]), "negative fisher") end
    local r = stats.keywords(TARGET, REF, { top = 2 })
    assert.equal(4, #r)
    r = stats.keywords(TARGET, REF, { min = 3 })
    for _, row in ipairs(r) do
      assert.is_true((row.key == "+" and row.freq or row.freq_ref) >= 3)
    end
    r = stats.keywords(TARGET, REF, { p = 0.05 })
    for _, row in ipairs(r) do assert.is_true(row.p_g2 <= 0.05) end
    assert.equal(0, #stats.keywords(TARGET, REF, { positive = false, negative = false }))
    assert.has_error(function() stats.keywords(TARGET, REF, { by = "mi" }) end)
  end)

  it("reads the reference from files, a lexis.Counts or a word list", function()
    local ref = h.write(h.tmpname(), REF)
    local list = h.write(h.tmpname(), "word\tcount\n")   -- a header line is skipped
    local f = assert(io.open(list, "ab"))
    local counts = require("lexis.tokenize").count(REF)
    for w, n in pairs(counts) do f:write(w, "\t", n, "\n") end
    f:close()
    local a = stats.keywords(TARGET, { ref })
    local b = stats.keywords(TARGET, counts)
    local c = stats.keywords(TARGET, { list = list })
    assert.same(a:format("tsv"), b:format("tsv"))
    assert.same(a:format("tsv"), c:format("tsv"))
    h.write(list, "word\tcount\nbad line\n")
    local r, err = stats.keywords(TARGET, { list = list })   -- a bad file: returned, not raised
    assert.is_nil(r)
    assert.matches(list:gsub("%p", "%%%0"), err)
    os.remove(ref); os.remove(list)
  end)

  it("gives defined figures for empty corpora", function()
    assert.equal(0, #stats.keywords("", ""))
    -- Against an empty reference nothing is more or less common than
    -- expected: G2 = 0 for every word, and no word is key.
    assert.equal(0, #stats.keywords("word", ""))
    assert.equal(0, #stats.keywords("", "word"))
  end)
end)

describe("lexis keywords", function()
  it("compares target files with --ref files and with --ref-list", function()
    local t, ref = h.write(h.tmpname(), TARGET), h.write(h.tmpname(), REF)
    local out, err, code = h.run({ "keywords", "--ref", ref, "--format", "tsv", "--top", "1", "--", t })
    assert.equal(0, code, err)
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    assert.equal(3, #lines)
    assert.matches("^rank\tword\tkey\tfreq\tfreq_ref", lines[1])
    assert.matches("^1\tcat\t%+\t3\t0\t", lines[2])
    assert.matches("^1\t%a+\t%-\t0\t", lines[3])
    local list = h.write(h.tmpname(), "dog\t2\nthe\t2\n")
    out, err, code = h.run({ "keywords", "--ref-list", list, "--positive", "--format", "csv", t })
    assert.equal(0, code, err)
    assert.matches("\n1,cat,%+,3,0,", out)
    assert.not_matches(",%-,", out)
    os.remove(t); os.remove(ref); os.remove(list)
  end)

  it("needs exactly one kind of reference", function()
    local _, err, code = h.run({ "keywords", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(2, code)
    assert.matches("%-%-ref", err)
    _, _, code = h.run({ "keywords", "--ref-list", "/nonexistent/list", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(1, code)
  end)
end)
