-- Issue 12 item 9: a regular expression that hits one of PCRE2's limits
-- (match, depth, heap, JIT stack) used to count as "no match": freq
-- --pattern, lexis.words{pattern=} and kwic /regex/ gave fewer or no
-- results and exit 0. Every such failure must now be an error naming the
-- pattern, the file (or index) and where.
--
-- (a|a)*[cd] against a run of 40 a's backtracks through 2^40 paths and
-- hits the match limit with or without JIT; [cd] is a class, so PCRE2's
-- "required character" check cannot reject the token before trying.

local h = require "helper"

local RUN = ("a"):rep(40) .. "b"
local BAD = "(a|a)*[cd]"

describe("a regular expression that hits PCRE2's match limit", function()
  local dir, text, index
  setup(function()
    dir = h.tmpdir()
    text = dir .. "/t.txt"
    h.write(text, "hello world\n" .. ("filler words here\n"):rep(10) .. RUN .. " the end\n")
    index = dir .. "/t.lexis"
    local _, err, code = h.run({ "index", "-q", text, "-o", index })
    assert.equal(0, code, err)
  end)
  teardown(function() h.rmdir(dir) end)

  -- The run starts here; the tokenizer's failing search began one byte
  -- before, where the token before it ended.
  local offset = #("hello world\n" .. ("filler words here\n"):rep(10))

  it("fails lexis freq --pattern with the pattern, file and byte offset", function()
    local out, err, code = h.run({ "freq", "--pattern", BAD .. "|\\w+", text })
    assert.are_not.equal(0, code)
    assert.equal("", out)
    assert.matches("pattern '" .. BAD .. "|\\w+' hit PCRE2's match limit", err, 1, true)
    assert.matches(text .. ": ", err, 1, true)
    assert.matches("at byte " .. offset - 1 .. "\n", err, 1, true)
  end)

  it("fails lexis freq --pattern on a file cut for threads too", function()
    local big = dir .. "/big.txt"
    local f = assert(io.open(big, "wb"))
    local line = ("many plain words on a line\n")
    f:write(line:rep(9 * 1024 * 1024 // #line), RUN, "\n", line:rep(1000))
    f:close()
    local _, err, code = h.run({ "freq", "--threads", "2", "--pattern", BAD .. "|\\w+", big })
    os.remove(big)
    assert.are_not.equal(0, code)
    assert.matches("hit PCRE2's match limit at byte " .. (9 * 1024 * 1024 // #line) * #line - 1 .. "\n", err, 1, true)
  end)

  it("raises in lexis.words, lexis.tokens and lexis.count", function()
    local s = string.format("%q", "one two " .. RUN .. " three")
    for _, call in ipairs {
      "lexis.words(" .. s .. ", { pattern = P })",
      "for _ in lexis.tokens(" .. s .. ", { pattern = P }) do end",
      "lexis.count(" .. s .. ", { pattern = P })",
    } do
      local out = h.eval(string.format([[
        local P = %q
        local ok, err = pcall(function() %s end)
        print(ok, err)]], BAD .. "|\\w+", call))
      assert.matches("^false\t", out, nil, false)
      assert.matches("hit PCRE2's match limit at byte 7\n", out, 1, true)
    end
  end)

  it("still counts with a pattern that does not backtrack", function()
    local out = h.eval(string.format("print(#lexis.words(%q, { pattern = '[ab]+|\\\\w+' }))", "one " .. RUN .. " two"))
    assert.equal("3\n", out)
  end)

  it("fails lexis kwic /regex/ on a text file", function()
    local out, err, code = h.run({ "kwic", "/" .. BAD .. "/", text })
    assert.are_not.equal(0, code)
    assert.equal("", out)
    assert.matches(text .. ": pattern '" .. BAD .. "' hit PCRE2's match limit at byte " .. offset, err, 1, true)
  end)

  it("fails lexis kwic /regex/ on an index, folded or --case", function()
    for _, case in ipairs { {}, { "--case" } } do
      local args = { "kwic" }
      for _, a in ipairs(case) do args[#args + 1] = a end
      args[#args + 1] = "/" .. BAD .. "/"
      args[#args + 1] = index
      local out, err, code = h.run(args)
      assert.are_not.equal(0, code)
      assert.equal("", out)
      assert.matches("pattern '" .. BAD .. "' hit PCRE2's match limit on the word '" .. RUN .. "'", err, 1, true)
    end
  end)

  it("lexis.kwic raises or returns the error, never an empty concordance", function()
    local out = h.eval(string.format([[
      local ok, k, err = pcall(lexis.kwic, { %q }, %q)
      print(ok and k and #k or "error", ok and err or k)]], text, "/" .. BAD .. "/"))
    assert.matches("^error\t", out)
    assert.matches("hit PCRE2's match limit", out, 1, true)
  end)
  -- collocates matches its node against each word of the lexicon: the
  -- failure there was reported as "out of memory".
  it("fails lexis collocates /regex/ on a text file and on an index, naming the pattern and the word", function()
    for _, src in ipairs { text, index } do
      for _, extra in ipairs { {}, { "--sentences" } } do
        local args = { "collocates" }
        for _, a in ipairs(extra) do args[#args + 1] = a end
        args[#args + 1] = "/" .. BAD .. "/"
        args[#args + 1] = src
        local out, err, code = h.run(args)
        assert.equal(1, code)
        assert.equal("", out)
        -- windows within sentences read the index's documents again
        local read = extra[1] and text or src
        assert.equal("lexis: collocates: " .. read .. ": pattern '" .. BAD .. "' hit PCRE2's match limit on the word '"
                     .. RUN .. "'\n", err)
      end
    end
  end)

  it("lexis.collocates and a word stream's collocates return the failure", function()
    local out = h.eval(string.format([[
      local r, err, code = lexis.collocates({ %q }, %q)
      print(r, err, code)
      local s = lexis.wordstream({ %q })
      print(pcall(s.collocates, s, %q))
      local c = lexis.open(%q)
      print(c:collocates(%q, { hyphens = true }))]], text, "/" .. BAD .. "/", text, "/" .. BAD .. "/", index,
      "/" .. BAD .. "/"))
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    assert.equal(3, #lines, out)
    assert.matches("^nil\t" .. text:gsub("%p", "%%%0") .. ": pattern '", lines[1])
    assert.matches("^false\tpattern '", lines[2])
    assert.matches("^nil\tpattern '", lines[3])
    for _, line in ipairs(lines) do
      assert.matches("hit PCRE2's match limit on the word '" .. RUN .. "'", line, 1, true)
      assert.not_matches("memory", line)
    end
  end)

  it("fails lexis ngrams --contains /regex/ and returns the failure from lexis.ngrams", function()
    local out, err, code = h.run({ "ngrams", "-n", "2", "--contains", "/" .. BAD .. "/", text })
    assert.equal(1, code)
    assert.equal("", out)
    assert.equal("lexis: ngrams: pattern '" .. BAD .. "' hit PCRE2's match limit on the word '" .. RUN .. "'\n", err)
    local got = h.eval(string.format("print(lexis.ngrams({ %q }, { n = 2, contains = %q }))", text, "/" .. BAD .. "/"))
    assert.matches("^nil\tpattern '", got)
    assert.matches("match limit on the word '" .. RUN .. "'\t22\n$", got)
  end)
end)
