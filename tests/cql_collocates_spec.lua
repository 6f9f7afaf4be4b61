-- Collocates of CQL hits over any attribute (lexis.cql.collocates, lexis
-- collocates --cql --attr): the windows of all the hits as one region,
-- each position counted once, inside the hit's text, checked against a
-- count made here position by position.

local h = require "helper"
local cql = require "lexis.cql"

describe("collocates of CQL hits", function()
  local path, c

  setup(function()
    path = h.tmpname()
    local _, err, code = h.run({ "index", "-q", "tests/data/cql/synth.vrt", "-o", path })
    assert.equal(0, code, err)
    c = assert(lexis.open(path))
  end)
  teardown(function()
    c:close()
    os.remove(path)
  end)

  -- The counts by hand: every hit's windows, a position once.
  local function by_hand(query, attr, left, right)
    local texts = c:_view("regions", "text")
    local all = c:_view("ids", attr, 0, #c)
    local freq = {}
    for _, v in ipairs(all) do freq[v] = (freq[v] or 0) + 1 end
    local hits = cql.run(query, path)
    table.sort(hits, function(a, b) return a.start < b.start or a.start == b.start and a["end"] < b["end"] end)
    local counted, rows, window = {}, {}, 0
    for _, hit in ipairs(hits) do
      local lo, hi = 0, #c
      for _, t in ipairs(texts) do
        if t[1] <= hit.start and hit.start < t[2] then lo, hi = t[1], t[2] end
      end
      local function count(q, side)
        if q < lo or q >= hi or counted[q] then return end
        counted[q] = true
        local v = all[q + 1]
        rows[v] = rows[v] or { left = 0, right = 0, freq = freq[v] }
        rows[v][side] = rows[v][side] + 1
        window = window + 1
      end
      for q = hit.start - left, hit.start - 1 do count(q, "left") end
      for q = hit["end"], hit["end"] + right - 1 do count(q, "right") end
    end
    return rows, window, #hits
  end

  it("count each position of the hits' windows once, by the attribute asked for", function()
    for _, case in ipairs {
      { '[pos="JJ"]', "lemma", 5, 5 }, { '[pos="NN.*"]', "pos", 1, 0 }, { '"the" []', "word", 3, 3 },
      { '[pos="JJ"]+ [pos="NN.*"]', "lemma", 10, 10 }, { '[lemma="be"]', "pos", 0, 4 },
    } do
      local query, attr, left, right = table.unpack(case)
      local want, window, hits = by_hand(query, attr, left, right)
      local r = cql.collocates(query, path, { attr = attr, left = left, right = right })
      local what = query .. " by " .. attr
      assert.equal(hits, r.info.hits, what)
      assert.equal(window, r.info.window, what)
      assert.equal(#c, r.info.tokens, what)
      local n = 0
      for _ in pairs(want) do n = n + 1 end
      assert.equal(n, #r, what)
      for _, row in ipairs(r) do
        local w = want[row.word]
        assert.truthy(w, what .. ": " .. row.word)
        assert.equal(w.left, row.left, what .. ": " .. row.word)
        assert.equal(w.right, row.right, what .. ": " .. row.word)
        assert.equal(w.freq, row.freq, what .. ": " .. row.word)
        assert.is_true(row.observed <= row.freq)
      end
      -- best first by the measure, ties by observed then the bytes
      for i = 2, #r do
        local a, b = r[i - 1], r[i]
        assert.is_true(a.logdice > b.logdice or a.logdice == b.logdice and
                       (a.observed > b.observed or a.observed == b.observed and a.word < b.word), what)
      end
    end
  end)

  it("are what lexis collocates --cql --attr prints", function()
    local r = cql.collocates('[pos="JJ"]', path, { attr = "lemma", by = "mi", min = 2, top = 7 })
    assert.is_true(#r > 0 and #r <= 7)
    local out, err, code = h.run({ "collocates", "--cql", '[pos="JJ"]', path, "--attr", "lemma", "--by", "mi",
                                   "--min", "2", "--top", "7", "--format", "tsv" })
    assert.equal(0, code, err)
    assert.equal(r:format("tsv"), out)
  end)

  it("refuse a malformed query, an unknown attribute and --attr without --cql, with exit 2", function()
    for _, args in ipairs {
      { "collocates", "--cql", '[pos="JJ"', path }, { "collocates", "--cql", '[pos="JJ"]', "--attr", "nope", path },
      { "collocates", "--attr", "lemma", "red", path },
    } do
      local out, err, code = h.run(args)
      assert.equal(2, code, err)
      assert.equal("", out)
    end
    local _, err = h.run({ "collocates", "--cql", '[pos="JJ"]', "--attr", "nope", path })
    assert.matches("no attribute nope: the corpus has word, lemma, pos", err, 1, true)
  end)
end)
