-- Frequency tables: lexis.Counts, and lexis.count checked against a count
-- written in plain Lua.

local h = require "helper"
local core = require "lexis.core"

-- Random text whose words plain Lua can find: letters and digits between
-- separators that no UAX #29 rule joins across (no . ' : , _ inside).
local WORDS = { "the", "The", "THE", "cat", "Cat", "sat", "on", "mat", "42", "7x", "x7", "ÉTÉ", "été",
                "naïve", "Straße", "and", "a", "i", "zebra", "Zebra" }
local SEPS = { " ", "  ", "\n", "\t", "! ", "? ", " (", ") ", " - ", "; ", "\r\n", " \"" }

local function random_text(n)
  local t = {}
  for i = 1, n do t[#t + 1] = WORDS[math.random(#WORDS)] .. SEPS[math.random(#SEPS)] end
  return table.concat(t)
end

-- The independent count: Lua patterns over bytes, lower-casing ASCII only
-- (the word list above has no other upper case to lower but É and ß).
local function lua_count(text, lower)
  local c, total = {}, 0
  for w in text:gmatch("[%w\128-\255]+") do
    if lower then w = w:lower():gsub("É", "é") end
    c[w] = (c[w] or 0) + 1
    total = total + 1
  end
  return c, total
end

local function as_table(counts)
  local t = {}
  for w, n in pairs(counts) do t[w] = n end
  return t
end

describe("lexis.Counts", function()
  it("adds, gets, drops and merges", function()
    local c = core.counts()
    c:add("b"):add("a", 3):add("b")
    assert.equal(2, #c)
    assert.equal(3, c:get("a"))
    assert.equal(2, c:get("b"))
    assert.equal(0, c:get("zzz"))
    assert.equal(5, c:total())
    local d = core.counts():add("a"):add("c", 4)
    c:merge(d)
    assert.same({ a = 4, b = 2, c = 4 }, as_table(c))
    assert.equal(10, c:total())
    assert.equal(4, c:drop("c"))
    assert.same({ a = 4, b = 2 }, as_table(c))
    assert.equal(2, #c)
    assert.equal(10, c:total(), "dropped words stay in the total")
    assert.has_error(function() c:merge(c) end)
  end)

  it("sorts by count, then by the bytes of the word", function()
    local c = core.counts()
    for w, n in pairs { b = 2, a = 2, ab = 2, z = 5, ["é"] = 2, B = 2, y = 1 } do c:add(w, n) end
    local got = {}
    for _, e in ipairs(c:top()) do got[#got + 1] = e.word .. e.count end
    assert.same({ "z5", "B2", "a2", "ab2", "b2", "é2", "y1" }, got)
    assert.equal(2, #c:top(2))
    assert.equal("z", c:top(1)[1].word)
    assert.equal(6, #c:top(0, 2))
  end)

  it("keeps long words and NUL bytes as they are", function()
    local c = core.counts()
    local long = string.rep("x", 1000)
    c:add(long):add(long):add("a\0b"):add("a")
    assert.equal(2, c:get(long))
    assert.equal(1, c:get("a\0b"))
    assert.equal(1, c:get("a"))
    assert.equal(0, c:get("a\0"))
  end)

  it("grows to many words", function()
    local c = core.counts()
    for i = 1, 50000 do c:add("w" .. i, i % 7 + 1) end
    assert.equal(50000, #c)
    for i = 1, 50000, 997 do assert.equal(i % 7 + 1, c:get("w" .. i)) end
  end)

  it("prints readably and closes once", function()
    local c = core.counts():add("the", 3):add("cat")
    assert.equal("lexis.Counts: 2 types, 4 tokens; the 3, cat 1", tostring(c))
    c:close()
    c:close()
    assert.equal("lexis.Counts (closed)", tostring(c))
    assert.has_error(function() return #c end)
  end)

  it("closes at the end of a to-be-closed block", function()
    local c2
    do
      local c <close> = core.counts():add("x")
      c2 = c
    end
    assert.has_error(function() c2:get("x") end)
  end)
end)

describe("lexis.Counts:write", function()
  -- Written into a file and read back: rank, word, count, per million.
  local function rows(c, opts)
    local path = h.tmpname()
    local f = assert(io.open(path, "wb"))
    assert(c:write(f, opts))
    f:close()
    local out = h.read(path)
    os.remove(path)
    return out
  end

  it("prints per million with 6 significant digits for people and every digit for programs", function()
    math.randomseed(1618)
    for round = 1, 40 do
      local c = core.counts()
      for i = 1, math.random(1, 60) do
        c:add(("w%d"):format(i), math.random(1, round % 3 == 0 and 5 or 100000))
      end
      if round % 4 == 0 then   -- near ties of the text rounding
        local rest = 8000000 - c:total() - 4
        c:add("x", 1):add("z", 3):add("y", rest)
      end
      local total = c:total()
      local want = {}
      for rank, e in ipairs(c:top()) do
        local pm = e.count * 1e6 / total
        want[#want + 1] = ("%d\t%s\t%d\t%s\n"):format(rank, e.word, e.count, core.encode_num("tsv", pm))
        assert.equal(pm, tonumber(core.encode_num("tsv", pm)))       -- reads back exactly
      end
      assert.equal(table.concat(want), rows(c, { format = "tsv", header = false }))
      local text = rows(c, { format = "text", header = false })
      local json = rows(c, { format = "json" })
      local k = 0
      for line in text:gmatch("[^\n]+") do
        k = k + 1
        local e = c:top()[k]
        local pm = e.count * 1e6 / total       -- %.6g, without its exponent from 1e6 on
        assert.equal(pm < 1e6 and ("%.6g"):format(pm) or ("%.0f"):format(pm), line:match("(%S+)$"))
      end
      assert.equal(#c:top(), k)
      assert.equal(#c:top(), select(2, json:gsub("per_million", "")))
    end
  end)

  it("sorts by count, then bytes, with shared prefixes and NUL bytes", function()
    local c = core.counts()
    local ws = { "abcdefgh", "abcdefghi", "abcdefgh\0", "abcdefg", "abcdefgha", "b", "a\0", "a",
                 "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyy", "\xff", "" }
    for _, w in ipairs(ws) do c:add(w, #w % 3 + 1) end
    local want = {}
    for _, w in ipairs(ws) do want[#want + 1] = { w, #w % 3 + 1 } end
    table.sort(want, function(x, y)
      if x[2] ~= y[2] then return x[2] > y[2] end
      return x[1] < y[1]
    end)
    local got = {}
    for _, e in ipairs(c:top()) do got[#got + 1] = { e.word, e.count } end
    assert.same(want, got)
    local top3 = {}
    for _, e in ipairs(c:top(3)) do top3[#top3 + 1] = { e.word, e.count } end
    assert.same({ want[1], want[2], want[3] }, top3)
  end)
end)

describe("a long word list", function()
  it("sorts as a short one does: count, then bytes (radix and ties)", function()
    math.randomseed(8128)
    local c, want = core.counts(), {}
    local stems = { "abcdefgh", "abcdefgi", "x", "interna", "internat", "\xc3\xa9t\xc3\xa9", "" }
    for i = 1, 9000 do
      local w = stems[math.random(#stems)] .. ({ "", "a", "ab", "\0", "zz", "\xff" })[math.random(6)]
                .. (math.random(3) > 1 and tostring(i) or "")
      if want[w] == nil and w ~= "" then
        local n = math.random(3) == 1 and math.random(1, 3) or math.random(1, 70000)
        want[w] = n
        c:add(w, n)
      end
    end
    local list = {}
    for w, n in pairs(want) do list[#list + 1] = { w, n } end
    table.sort(list, function(x, y)
      if x[2] ~= y[2] then return x[2] > y[2] end
      return x[1] < y[1]
    end)
    assert.is_true(#list > 4096)
    local got = {}
    for i, e in ipairs(c:top()) do
      got[i] = { e.word, e.count }
    end
    assert.same(list, got)
  end)
end)

describe("lexis.count", function()
  it("agrees with a count written in plain Lua", function()
    math.randomseed(4242)
    for _ = 1, 30 do
      local text = random_text(math.random(0, 300))
      for _, lower in ipairs { false, true } do
        local want, total = lua_count(text, lower)
        local c = lexis.count(text, { lower = lower })
        assert.same(want, as_table(c))
        assert.equal(total, c:total())
      end
    end
  end)

  it("counts files the same as their text, in any chunk size and on every core", function()
    math.randomseed(77)
    local a, b = random_text(2000), random_text(3000)
    local pa, pb = h.write(h.tmpname(), a), h.write(h.tmpname(), b)
    local want = as_table(lexis.count(a .. "\n" .. b))
    for _, chunk in ipairs { 1, 3, 64, 0 } do
      local c, st = lexis.count({ pa, pb }, { chunk = chunk })
      assert.same(want, as_table(c), "chunk " .. chunk)
      assert.equal(#a + #b, st.bytes)
    end
    os.remove(pa)
    os.remove(pb)
  end)

  it("splits a large file between threads without changing the counts", function()
    math.randomseed(5)
    local parts = {}
    for i = 1, 8 do parts[i] = random_text(20000) end
    local size = 0
    for i = 1, 8 do size = size + #parts[i] end
    while size < 9 * 1024 * 1024 do
      parts[#parts + 1] = parts[math.random(8)]
      size = size + #parts[#parts]
    end
    local text = table.concat(parts)
    assert.is_true(#text > 8 * 1024 * 1024)
    local path = h.write(h.tmpname(), text)
    local one = lexis.count({ path }, { threads = 1, lower = true })
    local two = lexis.count({ path }, { threads = 2, lower = true })
    local four = lexis.count({ path }, { threads = 4, lower = true })
    assert.same(as_table(one), as_table(two))
    assert.same(as_table(one), as_table(four))
    assert.equal(one:total(), four:total())
    os.remove(path)
  end)

  it("reports invalid bytes and where the first one was", function()
    local c, st = lexis.count("ok \xff fine \xfe\xfd")
    assert.same({ ok = 1, fine = 1 }, as_table(c))
    assert.equal(3, st.invalid)
    assert.equal(4, st.first_invalid)
    local c2 = lexis.count("a\xffb", { kinds = "word,invalid" })
    assert.same({ a = 1, b = 1, ["\xff"] = 1 }, as_table(c2))
  end)

  it("leaves stop words out but keeps them in the total", function()
    local c = lexis.count("The cat and the hat", { stop = "en" })
    assert.same({ cat = 1, hat = 1 }, as_table(c))
    assert.equal(5, c:total())
    local c2 = lexis.count("The cat and the hat", { stop = { "cat" }, lower = true })
    assert.same({ the = 2, ["and"] = 1, hat = 1 }, as_table(c2))
  end)

  it("returns nil and a message for a missing file", function()
    local c, err = lexis.count({ "/nonexistent/file" })
    assert.is_nil(c)
    assert.matches("/nonexistent/file: No such file", err)
  end)

  it("rejects unknown options", function()
    assert.has_error(function() lexis.count("x", { lowercase = true }) end)
  end)
end)

-- The counting kernel (lx_tok_count) must count exactly the tokens of the
-- general tokenizer: the pieces exercise its 16-byte blocks (words of 15,
-- 16 and 17 letters, a block edge anywhere), every rule it hands over to
-- the full rules, and chunk edges.
local KPIECES = {
  "a", "Z", "q", "7", "0", " ", "  ", "    ", ".", ",", ":", ";", "'", "\"", "_", "-", "!", "\t",
  "\n", "\r", "\r\n", "\v", "\f", "\0", "\127", "é", "ß", "\u{301}", "\u{200D}", "\u{AD}", "😀",
  "\u{1F1E6}", "א", "カ", "日", "’", "\u{A0}", "\u{3000}", "\u{2010}", "٣", "\xff", "\xe2\x82",
  "\u{2060}", "ab", "12", "x.y", "1,2", "3.14", "don't", "e.g.", "U.S.A", "x_y", "Hello", "WORLD",
  "wOrD", "The", "abcdefghijklmno", "ABCDEFGHIJKLMNOP", "abcdefghijklmnopq", "a1b2c3d4e5f6g7h8",
  "Bolshevik-Leninists", "naïve", "ÉTÉ", " the ", ". The", "x\u{301}y", "a.\u{301}b",
  "                ", "\u{903}", "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n",
  "abcdefghijklmno.pq", "abcdefghijklmn'", "123456789012345,6", "abcdefghijklmno:", "ab-cd", "x\u{301}",
}

local function kernel_text(n)
  local t = {}
  for i = 1, n do t[i] = KPIECES[math.random(#KPIECES)] end
  return table.concat(t)
end

describe("the counting kernel", function()
  local OPTS = {
    {}, { lower = true }, { fold = true }, { lower = true, hyphens = true },
    { apostrophes = false }, { kinds = "word" }, { kinds = "number" },
    { kinds = "word,number,invalid", lower = true }, { normalize = "nfkc", lower = true },
  }

  it("counts what the general tokenizer counts, on random mixed text", function()
    math.randomseed(31337)
    for _, opts in ipairs(OPTS) do
      local general = {}
      for k, v in pairs(opts) do general[k] = v end
      general.general = true
      for _ = 1, 300 do
        local text = kernel_text(math.random(1, 150))
        local a, sa = lexis.count(text, opts)
        local b, sb = lexis.count(text, general)
        assert.same(as_table(b), as_table(a), ("%q"):format(text))
        assert.equal(b:total(), a:total())
        assert.same(sb, sa)
      end
    end
  end)

  it("counts tokens without a table as the general tokenizer does", function()
    math.randomseed(4711)
    local KINDS = { "word,number,punct,symbol,invalid", "word,number", "word,number,punct,symbol",
                    "punct,symbol", "invalid", "word,punct" }
    for _, kinds in ipairs(KINDS) do
      for _, o in ipairs { {}, { hyphens = true }, { apostrophes = false } } do
        local fast = core.tokenizer { kinds = kinds, hyphens = o.hyphens, apostrophes = o.apostrophes }
        local slow = core.tokenizer { kinds = kinds, hyphens = o.hyphens, apostrophes = o.apostrophes,
                                      general = true }
        for _ = 1, 100 do
          local text = kernel_text(math.random(1, 150))
          local a, b = assert(fast:scantext(text)), assert(slow:scantext(text))
          assert.same(b, a, ("%s: %q"):format(kinds, text))
        end
      end
    end
    local tok = core.tokenizer { kinds = KINDS[1] }
    local slow = core.tokenizer { kinds = KINDS[1], general = true }
    for _ = 1, 10 do
      -- no NUL: a file with one in its first 8 KB is skipped as binary (src/input.h)
      local text = kernel_text(math.random(20, 300)):gsub("%z", "\1")
      local path = h.write(h.tmpname(), text)
      local want = assert(slow:scantext(text))
      for _, chunk in ipairs { 1, 2, 3, 16, 17, 64, 0 } do
        assert.same(want, assert(tok:scanfile(path, { chunk = chunk })), ("chunk %d: %q"):format(chunk, text))
      end
      os.remove(path)
    end
  end)

  it("gives the same counts at every chunk edge", function()
    math.randomseed(2718)
    for _, opts in ipairs { {}, { lower = true }, { kinds = "word,invalid" } } do
      for _ = 1, 12 do
        local text = kernel_text(math.random(20, 300)):gsub("%z", "\1")   -- no NUL: not binary
        local path = h.write(h.tmpname(), text)
        local general = { general = true }
        for k, v in pairs(opts) do general[k] = v end
        local want, wst = lexis.count(text, general)
        for _, chunk in ipairs { 1, 2, 3, 7, 16, 17, 31, 64, 0 } do
          local o = { chunk = chunk }
          for k, v in pairs(opts) do o[k] = v end
          local got, st = lexis.count({ path }, o)
          assert.same(as_table(want), as_table(got), ("chunk %d: %q"):format(chunk, text))
          assert.equal(wst.tokens, st.tokens)
          assert.equal(wst.invalid, st.invalid)
          assert.equal(wst.first_invalid, st.first_invalid)
        end
        os.remove(path)
      end
    end
  end)
end)

-- Issue 12 item 14: a count or total past math.maxinteger used to wrap
-- negative. Now the add or merge raises, naming the word, and changes nothing.
describe("counts near math.maxinteger", function()
  local MAX = math.maxinteger

  it("c:add raises when the word's count would pass it, and keeps the table", function()
    local c = core.counts():add("cat", MAX)
    assert.equal(MAX, c:get("cat"))
    assert.equal(MAX, c:total())
    local ok, err = pcall(c.add, c, "cat")
    assert.is_false(ok)
    assert.matches("count of 'cat' would overflow", err, 1, true)
    assert.equal(MAX, c:get("cat"))
    assert.equal(MAX, c:total())
    assert.equal(1, #c)
  end)

  it("c:add raises when the total would pass it, for a new word too", function()
    local c = core.counts():add("cat", MAX - 1)
    c:add("dog")                             -- exactly the limit is fine
    assert.equal(MAX, c:total())
    local ok, err = pcall(c.add, c, "emu", 1)
    assert.is_false(ok)
    assert.matches("the total would overflow", err, 1, true)
    assert.equal(0, c:get("emu"))
    assert.equal(2, #c)
    assert.equal(MAX, c:total())
    c:add("emu", 0)                           -- adding nothing is no overflow
  end)

  it("c:add still refuses negative and fractional counts", function()
    local c = core.counts():add("cat", 2)
    assert.has_error(function() c:add("cat", -1) end)
    assert.has_error(function() c:add("cat", 1.5) end)
    assert.equal(2, c:total())
  end)

  it("c:merge raises naming the word, and leaves both tables as they were", function()
    local a = core.counts():add("cat", MAX - 5):add("a_word_longer_than_sixteen_bytes", 2)
    local b = core.counts():add("dog", 1):add("cat", 6)
    local ok, err = pcall(a.merge, a, b)
    assert.is_false(ok)
    assert.matches("count of 'cat' would overflow", err, 1, true)
    assert.same({ cat = MAX - 5, a_word_longer_than_sixteen_bytes = 2 }, as_table(a))
    assert.equal(MAX - 3, a:total())
    assert.same({ dog = 1, cat = 6 }, as_table(b))
  end)

  it("c:merge raises when only the total would overflow", function()
    local a = core.counts():add("cat", MAX - 1)
    local b = core.counts():add("dog", 2)
    local ok, err = pcall(a.merge, a, b)
    assert.is_false(ok)
    assert.matches("the total would overflow", err, 1, true)
    assert.same({ cat = MAX - 1 }, as_table(a))
  end)

  it("counting a text into a table at the limit fails instead of wrapping", function()
    local tok = require("lexis.tokenize")._tokenizer({}, "word")
    for _, text in ipairs { "the cat", ("the "):rep(3000), "naïve été", ("x"):rep(40) } do
      local c = core.counts()
      local first = text:match("^%S+")
      c:add(first, MAX)
      local st, err = tok:scantext(text, { counts = c })
      assert.is_nil(st, text:sub(1, 20))
      assert.is_string(err)
      assert.equal(MAX, c:get(first))
      assert.is_true(c:total() >= 0)
    end
  end)
end)

-- Issue 12 item 6: merging tables filled in hash order used to build long
-- runs of full slots. The result must be the same whatever the sizes.
describe("c:merge of tables of any size", function()
  it("gives the sum of the counts and totals, long keys and dropped keys included", function()
    local function fill(n, prefix, step)
      local c, t = core.counts(), {}
      for i = 1, n, step do
        local w = prefix .. i .. (i % 7 == 0 and "_and_a_tail_past_sixteen_bytes" or "")
        c:add(w, i % 3 + 1)
        t[w] = (t[w] or 0) + i % 3 + 1
      end
      return c, t
    end
    for _, sizes in ipairs { { 10, 50000 }, { 50000, 10 }, { 30000, 30000 }, { 0, 20000 }, { 20000, 0 } } do
      local a, ta = fill(sizes[1], "w", 1)
      local b, tb = fill(sizes[2], "w", 2)
      b:add("gone", 5)
      b:drop("gone")
      local total = a:total() + b:total()
      a:merge(b)
      for w, n in pairs(tb) do ta[w] = (ta[w] or 0) + n end
      assert.same(ta, as_table(a))
      assert.equal(total, a:total())
      local types = 0
      for _ in pairs(ta) do types = types + 1 end
      assert.equal(types, #a)
      assert.equal(0, a:get("gone"))
    end
  end)
end)
