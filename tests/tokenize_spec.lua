-- The tokenizer: Unicode's own word-boundary tests, kinds, options, invalid
-- bytes, chunk edges, and the ASCII fast path against the general path.

local h = require "helper"
local core = require "lexis.core"

local WBTEST = "/usr/share/unicode/auxiliary/WordBreakTest.txt"

-- The token list of s as { {start, stop, kind, text}, ... } for a tokenizer.
local function toks(tok, s)
  local out = {}
  for text, a, b, kind in tok:gmatch(s) do out[#out + 1] = { a, b, kind, text } end
  return out
end

local function texts(s, opts)
  local out = {}
  for t in lexis.tokens(s, opts) do out[#out + 1] = t end
  return out
end

local function kinds(s)
  local out = {}
  for t, _, _, k in lexis.tokens(s, { kinds = "all,space" }) do out[#out + 1] = t .. "=" .. k end
  return table.concat(out, " ")
end

-- Parses WordBreakTest.txt: { {text, {stop offsets}, line}, ... }.
local function wordbreak_cases()
  local cases = {}
  local n = 0
  for line in io.lines(WBTEST) do
    n = n + 1
    local body = line:gsub("#.*", "")
    if body:find("÷") then
      local text, stops = {}, {}
      local len = 0
      for field in body:gmatch("%S+") do
        if field == "÷" then
          if len > 0 then stops[#stops + 1] = len end
        elseif field ~= "×" then
          local ch = utf8.char(tonumber(field, 16))
          text[#text + 1] = ch
          len = len + #ch
        end
      end
      cases[#cases + 1] = { table.concat(text), stops, n }
    end
  end
  return cases
end

describe("UAX #29 word boundaries", function()
  local cases = wordbreak_cases()

  it("reads all of WordBreakTest.txt", function()
    assert.is_true(#cases > 1800, "only " .. #cases .. " cases")
  end)

  for _, path in ipairs { "fast", "general" } do
    it("passes every WordBreakTest.txt case (" .. path .. " path)", function()
      local tok = core.tokenizer { kinds = "all,space", general = path == "general" }
      local failed = {}
      for _, c in ipairs(cases) do
        local stops = {}
        for _, t in ipairs(toks(tok, c[1])) do stops[#stops + 1] = t[2] end
        if table.concat(stops, ",") ~= table.concat(c[2], ",") then
          failed[#failed + 1] = string.format("line %d: want %s got %s", c[3],
            table.concat(c[2], ","), table.concat(stops, ","))
        end
      end
      assert.equal(0, #failed, table.concat(failed, "\n", 1, math.min(#failed, 10)))
    end)
  end

  it("passes every case read in chunks of 1 to 7 bytes", function()
    -- One case per line: no boundary rule crosses a line feed.
    local parts, want = {}, {}
    local off = 0
    for _, c in ipairs(cases) do
      for _, s in ipairs(c[2]) do want[#want + 1] = off + s end
      if c[1]:sub(-1) == "\r" then want[#want] = nil end   -- CR + our LF are one token
      parts[#parts + 1] = c[1]
      off = off + #c[1] + 1
      want[#want + 1] = off
    end
    local path = h.write(h.tmpname(), table.concat(parts, "\n") .. "\n")
    local tok = core.tokenizer { kinds = "all,space" }
    for chunk = 1, 7 do
      local out = h.tmpname()
      local f = assert(io.open(out, "wb"))
      assert(tok:scanfile(path, { out = f, offsets = true, chunk = chunk }))
      f:close()
      local stops = {}
      for line in io.lines(out) do stops[#stops + 1] = tonumber(line:match("\t%d+\t(%d+)\t")) end
      os.remove(out)
      local first
      for i = 1, math.max(#want, #stops) do
        if want[i] ~= stops[i] then first = i break end
      end
      assert.is_nil(first, ("chunk %d: token %s ends at %s, not %s"):format(chunk, tostring(first),
        tostring(first and stops[first]), tostring(first and want[first])))
    end
    os.remove(path)
  end)
end)

describe("lexis.tokens", function()
  it("yields token, start, stop (1-based, inclusive) and kind", function()
    local s = "Hi, you 42."
    local got = {}
    for t, a, b, k in lexis.tokens(s) do
      got[#got + 1] = { t, a, b, k }
      assert.equal(t, s:sub(a, b))
    end
    assert.same({ { "Hi", 1, 2, "word" }, { ",", 3, 3, "punct" }, { "you", 5, 7, "word" },
                  { "42", 9, 10, "number" }, { ".", 11, 11, "punct" } }, got)
  end)

  it("tells the kinds apart", function()
    assert.equal("The=word  =space cat’s=word  =space 3.14=number  =space €=symbol  =space"
      .. " .=punct .=punct \n=space x2=word  =space 2x=word", kinds("The cat’s 3.14 € ..\nx2 2x"))
    assert.equal("日本=word", kinds("日本"))     -- a word of ICU's dictionary (dictionary_spec.lua)
    assert.equal("カタカナ=word", kinds("カタカナ"))
    assert.equal("😀=symbol 👍🏽=symbol", kinds("😀👍🏽"))
    assert.equal("½=number", kinds("½"))
    assert.equal("\t=space \t=space", kinds("\t\t"))
    assert.equal("_=punct", kinds("_"))
  end)

  it("keeps only the kinds asked for", function()
    assert.same({ "a", "1" }, texts("a, 1!", { kinds = "word,number" }))
    assert.same({ ",", "!" }, texts("a, 1!", { kinds = { "punct" } }))
    assert.same({ "a", ",", "1", "!" }, texts("a, 1!", { kinds = "all" }))   -- all but space
    assert.same({ "a", ",", " ", "1", "!" }, texts("a, 1!", { kinds = "all,space" }))
    assert.same({ "a", ",", "1", "!" }, texts("a, 1!"))                       -- default: all but space
    assert.has_error(function() lexis.tokens("x", { kinds = "words" }) end)
  end)

  it("keeps words with inner apostrophes and periods whole, as UAX #29 does", function()
    assert.same({ "don't", "didn’t", "e.g", ".", "U.S.A", "." }, texts("don't didn’t e.g. U.S.A."))
  end)

  it("splits at apostrophes on request", function()
    assert.same({ "don", "'", "t", "didn", "’", "t" },
      texts("don't didn’t", { apostrophes = false }))
  end)

  it("joins hyphenated words on request", function()
    assert.same({ "Bolshevik", "-", "Leninists" }, texts("Bolshevik-Leninists"))
    assert.same({ "Bolshevik-Leninists", "mother‐in‐law", "3", "-", "4", "a", "-" },
      texts("Bolshevik-Leninists mother‐in‐law 3-4 a-", { hyphens = true }))
  end)

  it("lower-cases, folds and normalizes the token text, not the offsets", function()
    assert.same({ "straße" }, texts("STRAẞE", { lower = true }))
    assert.same({ "strasse" }, texts("STRASSE", { lower = true }) )
    assert.same({ "strasse" }, texts("Straße", { fold = true }))
    assert.same({ "straße" }, texts("Straße", { lower = true }))
    assert.same({ "é" }, texts("e\u{301}", { normalize = "nfc" }))
    assert.same({ "fi" }, texts("ﬁ", { normalize = "nfkc" }))
    local t, a, b = lexis.tokens("xx ÉTÉ", { lower = true })()
    assert.equal("xx", t)
    for w, s, e in lexis.tokens("ÉTÉ", { lower = true }) do
      assert.same({ "été", 1, 5 }, { w, s, e })
    end
    assert.equal(1, a); assert.equal(2, b)
  end)

  it("uses a PCRE2 pattern instead of the rules on request", function()
    assert.same({ "can", "t", "stop", "3" }, texts("can't stop 3.", { pattern = "\\w+" }))
    assert.same({ "naïve", "日本" }, texts("naïve, 日本", { pattern = "\\w+" }))
    assert.same({ "ab", "\xff", "cd" }, texts("ab\xffcd", { pattern = "\\w+" }))
    assert.has_error(function() lexis.tokens("x", { pattern = "(" }) end)
  end)

  it("makes each invalid byte a token of its own", function()
    local bad = {
      "\xff", "\xc0\xaf", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xf0\x9f\x98",
    }
    for _, b in ipairs(bad) do
      local got = {}
      for t, s, e, k in lexis.tokens("a" .. b .. "z") do got[#got + 1] = k .. ":" .. s .. "-" .. e end
      local want = { "word:1-1" }
      for i = 1, #b do want[#want + 1] = "invalid:" .. (i + 1) .. "-" .. (i + 1) end
      want[#want + 1] = "word:" .. (#b + 2) .. "-" .. (#b + 2)
      assert.same(want, got, ("%q"):format(b))
    end
  end)

  it("treats NUL bytes as text", function()
    assert.same({ "a", "\0", "b" }, texts("a\0b"))
  end)
end)

describe("lexis.words", function()
  it("returns the words and numbers as an array", function()
    assert.same({ "It", "cost", "3.50", "in", "1936" }, lexis.words("It cost $3.50 in 1936!"))
    assert.same({ "it" }, lexis.words("IT", { lower = true }))
    assert.same({}, lexis.words(""))
  end)
end)

-- Random text from pieces that exercise every rule the fast path shortcuts.
local PIECES = {
  "a", "Z", "q", "7", "0", " ", "  ", ".", ",", ":", ";", "'", "\"", "_", "-", "!", "\t", "\n",
  "\r", "\r\n", "\v", "é", "ß", "\u{301}", "\u{200D}", "\u{AD}", "😀", "\u{1F1E6}", "\u{1F1E8}",
  "א", "ש", "カ", "ー", "日", "’", "\u{A0}", "\u{3000}", "\u{2010}", "٣", "\xff", "\xe2\x82",
  "\u{FF0E}", "\u{2060}", "ab", "12", "x.y", "1,2",
}

local function random_text(rng_len)
  local t = {}
  for i = 1, rng_len do t[i] = PIECES[math.random(#PIECES)] end
  return table.concat(t)
end

describe("the ASCII fast path", function()
  it("gives the same tokens as the general path on random mixed text", function()
    math.randomseed(20240229)
    for _, opts in ipairs { {}, { hyphens = true }, { apostrophes = false } } do
      local fast = core.tokenizer { kinds = "all,space", hyphens = opts.hyphens, apostrophes = opts.apostrophes }
      local slow = core.tokenizer { kinds = "all,space", hyphens = opts.hyphens, apostrophes = opts.apostrophes,
                                    general = true }
      for _ = 1, 3000 do
        local s = random_text(math.random(1, 24))
        local a, b = toks(fast, s), toks(slow, s)
        assert.same(b, a, ("%q"):format(s))
      end
    end
  end)

  it("covers every byte of the text exactly once", function()
    math.randomseed(7)
    local tok = core.tokenizer { kinds = "all,space" }
    for _ = 1, 1000 do
      local s = random_text(math.random(0, 30))
      local parts, last = {}, 0
      for t, a, b in tok:gmatch(s) do
        assert.equal(last + 1, a)
        parts[#parts + 1] = s:sub(a, b)
        last = b
      end
      assert.equal(s, table.concat(parts))
    end
  end)
end)

describe("chunked reading", function()
  it("gives the same tokens whatever the chunk size", function()
    math.randomseed(99)
    local tok = core.tokenizer { kinds = "all,space" }
    for _ = 1, 40 do
      local s = random_text(math.random(20, 200))
      local path = h.write(h.tmpname(), s)
      local outs = {}
      for _, chunk in ipairs { 0, 1, 2, 3, 5, 16 } do
        local out = h.tmpname()
        local f = assert(io.open(out, "wb"))
        local st = assert(tok:scanfile(path, { out = f, offsets = true, chunk = chunk }))
        f:close()
        outs[#outs + 1] = h.read(out)
        os.remove(out)
        assert.equal(#s, st.bytes)
      end
      for i = 2, #outs do assert.equal(outs[1], outs[i], ("%q"):format(s)) end
      os.remove(path)
    end
  end)

  it("cuts a token longer than 16 MiB instead of growing without bound", function()
    local path = h.write(h.tmpname(), string.rep("a", 17 * 1024 * 1024))
    local tok = core.tokenizer { kinds = "all,space" }
    local st = assert(tok:scanfile(path, {}))
    assert.equal(2, st.tokens)
    os.remove(path)
  end)
end)
