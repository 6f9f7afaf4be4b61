-- Scripts written without spaces between words (Chinese, Japanese, Thai,
-- Lao, Khmer, Myanmar): cut into words by ICU's dictionaries (src/dictseg.c),
-- the rest of the text by UAX #29. The expected words are ICU's own, over
-- the same lines (tests/data/dict/*.icu, made by icu-words.py there).
local lexis = require "lexis"

local DIR = "tests/data/dict/"

local function lines(path)
  local out = {}
  for l in io.lines(path) do out[#out + 1] = l end
  return out
end

-- ICU's words, one list per input line.
local function expected(name)
  local out, cur = {}, {}
  for l in io.lines(DIR .. name .. ".icu") do
    if l == "" then out[#out + 1] = cur; cur = {} else cur[#cur + 1] = l end
  end
  return out
end

local function words(s, opts)
  local out = {}
  opts = opts or {}
  opts.kinds = "all"
  for t in lexis.tokens(s, opts) do out[#out + 1] = t end
  return out
end

local function run(args, input)
  local cmd = "./lexis " .. args .. " 2>&1"
  if input then
    local tmp = os.tmpname()
    local f = assert(io.open(tmp, "wb")); f:write(input); f:close()
    cmd = "./lexis " .. args .. " < " .. tmp .. " 2>&1"
    local p = io.popen(cmd); local out = p:read("a"); p:close(); os.remove(tmp)
    return out
  end
  local p = io.popen(cmd); local out = p:read("a"); p:close()
  return out
end

describe("dictionary scripts", function()
  for _, name in ipairs { "ja", "zh", "th" } do
    it("cuts " .. name .. " as ICU's word break iterator does", function()
      local text, want = lines(DIR .. name .. ".txt"), expected(name)
      assert.equal(#want, #text)
      for i, l in ipairs(text) do
        assert.same(want[i], words(l), "line " .. i .. ": " .. l)
      end
    end)
  end

  it("gives the same words through every path: fast, general, counting, files in chunks", function()
    local text = io.open(DIR .. "ja.txt"):read("a") .. io.open(DIR .. "zh.txt"):read("a")
    local want = words(text)
    assert.same(want, words(text, { general = true }))
    -- the counting kernel (lexis.count) and a file read 7 bytes at a time
    local counts = {}
    for _, w in ipairs(want) do counts[w] = (counts[w] or 0) + 1 end
    local got = lexis.count(text, { kinds = "all" })
    for w, n in pairs(counts) do assert.equal(n, got:get(w), w) end
    local tmp = os.tmpname()
    local f = assert(io.open(tmp, "wb")); f:write(text); f:close()
    local streamed = {}
    for line in run("tokens -k all --chunk 7 " .. tmp):gmatch("[^\n]+") do streamed[#streamed + 1] = line end
    os.remove(tmp)
    assert.same(want, streamed)
  end)

  it("keeps UAX #29's cut with dictionary = false and --no-dictionary", function()
    assert.same({ "東", "京", "は", "日", "本", "の", "首", "都" }, words("東京は日本の首都", { dictionary = false }))
    assert.equal("東\n京\n", run("tokens --no-dictionary", "東京\n"))
    assert.same({ "東京", "は" }, words("東京は"))
  end)

  it("finds a word and a phrase typed without spaces, as the text is cut", function()
    local out = run("kwic --no-header --format tsv 東京 " .. DIR .. "ja.txt")
    local n = select(2, out:gsub("\n", ""))
    assert.equal(2, n, out)
    out = run("kwic --no-header --format tsv 東京の " .. DIR .. "ja.txt")
    assert.truthy(out:find("東京の", 1, true), out)
    -- without the dictionaries the query is cut as the text is: 東 京
    out = run("kwic --count --no-dictionary 東京 " .. DIR .. "ja.txt")
    assert.equal("2\n", out)
  end)

  it("says so when ICU cannot be loaded, and cuts as UAX #29 does", function()
    local p = io.popen("printf '東京に\\n' | LEXIS_TEST_NO_ICU=1 ./lexis tokens 2>&1")
    local out = p:read("a")
    p:close()
    assert.truthy(out:find("東\n京\nに\n", 1, true), out)
    assert.truthy(out:find("ICU could not be loaded (LEXIS_TEST_NO_ICU is set)", 1, true), out)
    p = io.popen("printf 'plain text\\n' | LEXIS_TEST_NO_ICU=1 ./lexis tokens 2>&1")
    out = p:read("a")
    p:close()
    assert.equal("plain\ntext\n", out)      -- ICU is never asked for where no text needs it
  end)

  it("is kept by an index, whose queries are cut as its text was", function()
    local text = os.tmpname()
    local f = assert(io.open(text, "wb")); f:write("東京に行きます。\n"); f:close()
    local a, b = os.tmpname(), os.tmpname()
    run("index -q " .. text .. " -o " .. a)
    run("index -q --no-dictionary " .. text .. " -o " .. b)
    assert.equal("1\n", run("kwic --count 東京に " .. a))
    assert.equal("1\n", run("kwic --count 東京に " .. b))      -- 東 京 に
    assert.equal("1\n", run("kwic --count 行き " .. a))
    assert.is_nil(lexis.open(a):_tokopts().dictionary)
    assert.is_false(lexis.open(b):_tokopts().dictionary)
    -- --update keeps the index's setting
    run("index -q --update " .. text .. " -o " .. b)
    assert.is_false(lexis.open(b):_tokopts().dictionary)
    os.remove(text); os.remove(a); os.remove(b)
  end)

  it("cuts a run longer than 64 KiB in pieces, the same however the file is read", function()
    local t = {}
    for i = 1, 30000 do t[i] = utf8.char(0x4E00 + (i * 7) % 2000) end
    local tmp = os.tmpname()
    local f = assert(io.open(tmp, "wb")); f:write(table.concat(t), "\n"); f:close()
    local whole = run("tokens --count " .. tmp)
    assert.truthy(tonumber(whole) > 1000, whole)
    assert.equal(whole, run("tokens --count --chunk 1000 " .. tmp))
    assert.equal(whole, run("tokens --count --chunk 70001 " .. tmp))
    os.remove(tmp)
  end)

  it("counts Thai words, not letters", function()
    local out = run("freq --no-header --format tsv", "กรุงเทพ คือ เมืองหลวง\n")
    assert.truthy(out:find("กรุงเทพ\t1", 1, true), out)
    assert.truthy(out:find("หลวง\t1", 1, true), out)
  end)
end)
