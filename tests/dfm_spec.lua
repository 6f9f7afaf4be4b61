-- lexis.dfm and lexis dfm: the counts against a plain-Lua count over
-- lexis.words, the three files, the options, and the command's conventions.

local h = require "helper"
local dfm = require "lexis.dfm"
local tokenize = require "lexis.tokenize"

local TEXTS = {
  "The cat sat on the mat. The dog sat too.",
  "",                                   -- an empty document still has its row
  "A dog, a cat; the end. Naïve café, NAÏVE!",
}

local dir
setup(function()
  dir = h.tmpdir()
  os.execute("mkdir -p " .. h.quote(dir .. "/t"))
  for i, t in ipairs(TEXTS) do h.write(string.format("%s/t/%d.txt", dir, i), t) end
end)
teardown(function() h.rmdir(dir) end)

-- Reads a Matrix Market file: rows, cols, { [row] = { [col] = v } }, nnz.
local function read_mtx(path)
  local lines = {}
  for line in io.lines(path) do lines[#lines + 1] = line end
  assert.equal("%%MatrixMarket matrix coordinate integer general", lines[1])
  local i = 2
  while lines[i]:sub(1, 1) == "%" do i = i + 1 end
  local r, c, n = lines[i]:match("^(%d+) (%d+) (%d+)$")
  local m, seen = {}, 0
  for k = i + 1, #lines do
    local a, b, v = lines[k]:match("^(%d+) (%d+) (%d+)$")
    a, b, v = tonumber(a), tonumber(b), tonumber(v)
    assert.is_true(v > 0)
    m[a] = m[a] or {}
    assert.is_nil(m[a][b])            -- each cell once
    m[a][b] = v
    seen = seen + 1
  end
  assert.equal(tonumber(n), seen)
  return tonumber(r), tonumber(c), m, seen
end

local function lines_of(path)
  local t = {}
  for line in io.lines(path) do t[#t + 1] = line end
  return t
end

describe("lexis.dfm", function()
  it("counts each word of each document as a plain-Lua count does", function()
    for _, o in ipairs({ {}, { lower = true }, { fold = true, kinds = "all" } }) do
      local d = dfm.dfm({ dir .. "/t" }, o)
      local docs, feats = d:docs(), d:features()
      assert.equal(#TEXTS, #docs)
      local col, total = {}, 0
      for j, f in ipairs(feats) do col[f.word] = j end
      for i, t in ipairs(TEXTS) do
        local want = {}
        for _, w in ipairs(tokenize.words(t, o)) do want[w] = (want[w] or 0) + 1 end
        for w, n in pairs(want) do
          assert.equal(n, d:get(i, col[w]), docs[i] .. ": " .. w)
          total = total + 1
        end
      end
      assert.equal(total, d:nonzero())
    end
  end)

  it("orders the columns by first occurrence and sums them in the features", function()
    local d = dfm.dfm("b a b c a b", {})
    local got = {}
    for _, f in ipairs(d:features()) do got[#got + 1] = f.word .. "=" .. f.count end
    assert.same({ "b=3", "a=2", "c=1" }, got)
    assert.same({ "text" }, d:docs())
  end)

  it("keeps the words that pass min, min_docs and the stop list", function()
    local d = dfm.dfm({ dir .. "/t" }, { lower = true, min = 2 })
    for _, f in ipairs(d:features()) do assert.is_true(f.count >= 2, f.word) end
    d = dfm.dfm({ dir .. "/t" }, { lower = true, min_docs = 2 })
    local words = {}
    for _, f in ipairs(d:features()) do words[#words + 1] = f.word end
    table.sort(words)
    assert.same({ "cat", "dog", "the" }, words)
    d = dfm.dfm({ dir .. "/t" }, { lower = true, min_docs = 2, stop = { "the" } })
    assert.equal(2, #d:features())
  end)

  it("writes the matrix, the features and the documents", function()
    local d = dfm.dfm({ dir .. "/t" }, { lower = true })
    assert.is_true(d:write(dir .. "/out.mtx"))           -- a .mtx ending is the prefix's
    local rows, cols, m, nnz = read_mtx(dir .. "/out.mtx")
    assert.equal(#TEXTS, rows)
    assert.equal(#d:features(), cols)
    assert.equal(d:nonzero(), nnz)
    assert.is_nil(m[2])                                   -- the empty document
    local feats = lines_of(dir .. "/out.features")
    assert.equal(cols, #feats)
    for j, w in ipairs(feats) do assert.equal(d:features()[j].word, w) end
    assert.same(d:docs(), lines_of(dir .. "/out.docs"))
    local sum = {}
    for _, row in pairs(m) do for j, v in pairs(row) do sum[j] = (sum[j] or 0) + v end end
    for j, f in ipairs(d:features()) do assert.equal(f.count, sum[j], f.word) end
  end)

  it("fails on a missing file and on bad options", function()
    local d, err = dfm.dfm({ dir .. "/none.txt" })
    assert.is_nil(d)
    assert.matches("none.txt", err)
    assert.has_error(function() dfm.dfm("x", { min = -1 }) end)
    assert.has_error(function() dfm.dfm("x", { nonsense = 1 }) end)
  end)
end)

describe("lexis dfm", function()
  it("reads a file, a directory, a glob and standard input alike", function()
    local want
    for _, input in ipairs({ { dir .. "/t/1.txt" }, { "-" } }) do
      local _, err, code = h.run({ "dfm", "--lower", "-o", dir .. "/c", table.unpack(input) }, TEXTS[1])
      assert.equal(0, code, err)
      local got = h.read(dir .. "/c.mtx")
      want = want or got
      assert.equal(want, got, input[1])
    end
    for _, input in ipairs({ dir .. "/t", dir .. "/t/*.txt" }) do
      local _, err, code = h.run({ "dfm", "--lower", "-o", dir .. "/c", input })
      assert.equal(0, code, err)
      assert.matches("3 documents", err)
      assert.equal(3, #lines_of(dir .. "/c.docs"))
    end
  end)

  it("needs -o, fails on a missing file with exit 1, on a bad option with exit 2", function()
    local _, err, code = h.run({ "dfm", dir .. "/t" })
    assert.equal(2, code)
    assert.matches("%-o PREFIX", err)
    _, err, code = h.run({ "dfm", "-o", dir .. "/c", dir .. "/none.txt" })
    assert.equal(1, code)
    assert.equal("lexis: dfm: " .. dir .. "/none.txt: No such file or directory\n", err)
    _, err, code = h.run({ "dfm", "--min", "abc", "-o", dir .. "/c", dir .. "/t" })
    assert.equal(2, code, err)
    assert.matches("%-%-min", err)
  end)

  it("says why a matrix has no columns", function()
    local _, err, code = h.run({ "dfm", "--min", "1000", "-o", dir .. "/c", dir .. "/t" })
    assert.equal(0, code)
    assert.matches("no word passes %-%-min 1000", err)
  end)
end)
