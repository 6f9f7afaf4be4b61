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
