-- The one error contract (issue 13 §4, issue 12 item 15), table-driven:
--   every public Lua function: a missing file returns nil, "path: reason",
--   errno; a bad argument raises, naming the caller's line (not a file
--   under lua/lexis/); a path holding a NUL byte raises
--   every command: a missing file exits 1 with "lexis: CMD: path: reason";
--   a bad option value exits 2 naming the option; no tracebacks

local h = require "helper"
local lexis = require "lexis"

local MISSING = "/nonexistent/errors-spec.txt"
local ENOENT = 2
local CORPUS = "corpus/red-book-1936-excerpt.txt"

-- Calls fn(...) protected from this function's line and checks the error
-- names that line of this file.
local function raises_here(fn, ...)
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(fn, ...)
  assert.is_false(ok, "did not raise")
  assert.is_string(err)
  assert.matches("^[^:]*errors_spec%.lua:" .. line .. ": ", err)
  assert.not_matches("lexis/[%w_]+%.lua", err)
  return err
end

describe("the public functions", function()
  -- name, call with a missing file
  local missing = {
    { "kwic", function() return lexis.kwic({ MISSING }, "x") end },
    { "corpus", function() return lexis.corpus({ MISSING }) end },
    { "open", function() return lexis.open(MISSING) end },
    { "count", function() return lexis.count({ MISSING }) end },
    { "ngrams", function() return lexis.ngrams({ MISSING }) end },
    { "collocates", function() return lexis.collocates({ MISSING }, "x") end },
    { "wordstream", function() return lexis.wordstream({ MISSING }) end },
    { "keywords (target)", function() return lexis.keywords({ MISSING }, "a b") end },
    { "keywords (reference)", function() return lexis.keywords("a b", { MISSING }) end },
    { "keywords (list)", function() return lexis.keywords("a b", { list = MISSING }) end },
    { "wordlist", function() return lexis.wordlist({ MISSING }) end },
    { "wordlist (lemmas)", function() return lexis.wordlist("a b", { lemmas = MISSING }) end },
    { "file_sentences", function() return lexis.file_sentences(MISSING) end },
    { "learn_abbreviations", function() return lexis.learn_abbreviations({ MISSING }) end },
  }
  for _, case in ipairs(missing) do
    it(case[1] .. " returns nil, path: reason, errno for a missing file", function()
      local v, err, code = case[2]()
      assert.is_nil(v)
      assert.equal(MISSING .. ": No such file or directory", err)
      assert.equal(ENOENT, code)
    end)
  end

  -- name, function, bad arguments
  local bad = {
    { "kwic", lexis.kwic, 42, "x" },
    { "kwic (query)", lexis.kwic, "text", 42 },
    { "kwic (options)", lexis.kwic, "text", "x", 42 },
    { "kwic (sort key)", lexis.kwic, "text", "x", { sort = "R9" } },
    { "corpus", lexis.corpus, 42 },
    { "open", lexis.open, {} },
    { "count", lexis.count, 42 },
    { "count (option)", lexis.count, "text", { nonsense = 1 } },
    { "ngrams", lexis.ngrams, 42 },
    { "ngrams (n, checked in C)", lexis.ngrams, "a b c", { n = 9 } },
    { "collocates", lexis.collocates, "text", 42 },
    { "collocates (node, checked in C)", lexis.collocates, "text", "a b c d e f g h i j" },
    { "wordstream", lexis.wordstream, 42 },
    { "keywords", lexis.keywords, "a", "b", { by = "nonsense" } },
    { "wordlist", lexis.wordlist, 42 },
    { "wordlist (parts)", lexis.wordlist, "a b", { parts = 0 } },
    { "tokens", lexis.tokens, 42 },
    { "words", lexis.words, 42 },
    { "sentences", lexis.sentences, 42 },
    { "splitter", lexis.splitter, { newlines = "nonsense" } },
    { "file_sentences", lexis.file_sentences, {} },
    { "learn_abbreviations", lexis.learn_abbreviations, 42 },
    { "help", lexis.help, "no_such_function" },
  }
  for _, case in ipairs(bad) do
    it(case[1] .. " raises misuse at the caller's line", function()
      raises_here(table.unpack(case, 2))
    end)
  end

  it("methods raise at the caller's line too (c:kwic, conc:sort, a corpus's c:save)", function()
    local c = assert(lexis.corpus({ CORPUS }))
    raises_here(c.kwic, c, 42)
    raises_here(c.kwic, c, "/(/", { regex = true })
    local k = lexis.kwic("the cat", "cat")
    raises_here(k.sort, k, "R9")
    raises_here(c.save, c, {})
    c:close()
  end)
end)

describe("a path holding a NUL byte", function()
  local d
  before_each(function() d = h.tmpdir() end)
  after_each(function() h.rmdir(d) end)

  -- Each would have opened or written the name cut at the NUL.
  local cases = {
    { "c:save", function(p) local c = assert(lexis.corpus({ CORPUS })); return c:save(p) end },
    { "lexis.open", function(p) return lexis.open(p) end },
    { "lexis.atomic_open", function(p) return lexis.atomic_open(p) end },
    { "lexis.kwic", function(p) return lexis.kwic({ p }, "x") end },
    { "lexis.corpus", function(p) return lexis.corpus({ p }) end },
    { "lexis.corpus output", function(p) return lexis.corpus({ CORPUS }, { output = p }) end },
    { "lexis.count", function(p) return lexis.count({ p }) end },
    { "lexis.ngrams", function(p) return lexis.ngrams({ p }) end },
    { "lexis.collocates", function(p) return lexis.collocates({ p }, "x") end },
    { "lexis.wordlist", function(p) return lexis.wordlist({ p }) end },
    { "lexis.keywords list", function(p) return lexis.keywords("a", { list = p }) end },
    { "lexis.file_sentences", function(p) return lexis.file_sentences(p) end },
    { "c:write", function(p) return lexis.kwic("a cat", "cat"):write(p) end },
  }
  for _, case in ipairs(cases) do
    it("is refused by " .. case[1], function()
      local cut = d .. "/a"
      h.write(cut, "the cat sat\n")       -- what the cut name would have read
      local before = h.read(cut)
      local ok, err = pcall(case[2], cut .. "\0b")
      assert.is_false(ok, "accepted")
      assert.matches("NUL byte", err)
      assert.equal(before, h.read(cut))
    end)
  end
end)

describe("the commands", function()
  -- command words before the files
  local commands = {
    { "freq" }, { "tokens" }, { "sentences" }, { "ngrams" }, { "kwic", "the" },
    { "collocates", "the" }, { "wordlist" }, { "keywords", "--ref-list", "/dev/null" },
    { "merge" }, { "index", "-o", "/tmp/lexis-errors-never.lexis" },
  }
  for _, c in ipairs(commands) do
    it(c[1] .. ": a missing file exits 1 naming it", function()
      local args = { table.unpack(c) }
      args[#args + 1] = MISSING
      local out, err, code = h.run(args)
      assert.equal("", out)
      assert.equal("lexis: " .. c[1] .. ": " .. MISSING .. ": No such file or directory\n", err)
      assert.equal(1, code)
    end)
  end

  it("keywords: a missing reference exits 1 naming it", function()
    local _, err, code = h.run({ "keywords", "--ref", MISSING, CORPUS })
    assert.equal("lexis: keywords: " .. MISSING .. ": No such file or directory\n", err)
    assert.equal(1, code)
  end)

  -- args, the option the message must name
  local bad = {
    { { "freq", "--top", "abc" }, "--top" },
    { { "freq", "--min=-1" }, "--min" },
    { { "tokens", "--threads=-1" }, "--threads" },
    { { "sentences", "--threads", "many" }, "--threads" },
    { { "ngrams", "-n", "9" }, "-n" },
    { { "ngrams", "--top", "1.5" }, "--top" },
    { { "kwic", "--limit", "abc", "the" }, "--limit" },
    { { "kwic", "--width", "1000000", "the" }, "--width" },
    { { "kwic", "--sort", "R9", "the" }, "--sort" },
    { { "kwic", "--left=-3", "the" }, "--left" },
    { { "collocates", "--left", "101", "the" }, "--left" },
    { { "collocates", "--by", "nonsense", "the" }, "--by" },
    { { "wordlist", "--parts", "0" }, "--parts" },
    { { "keywords", "--p", "2", "--ref-list", "/dev/null" }, "--p" },
    { { "keywords", "--smooth", "0", "--ref-list", "/dev/null" }, "--smooth" },
    { { "merge", "--min", "x" }, "--min" },
    { { "index", CORPUS }, "-o" },
  }
  for _, case in ipairs(bad) do
    local args, option = case[1], case[2]
    it(args[1] .. " " .. args[2] .. " " .. (args[3] or "") .. ": exit 2 naming " .. option, function()
      local a = { table.unpack(args) }
      a[#a + 1] = CORPUS
      local out, err, code = h.run(a, "")
      assert.equal("", out)
      assert.equal(2, code)
      assert.matches("^lexis: " .. args[1] .. ": ", err)
      assert.is_truthy(err:find(option, 1, true), err)
      assert.not_matches("traceback", err)
      assert.not_matches("%.lua:%d+:", err)
    end)
  end

  it("a bad query is a usage error without a file:line", function()
    local _, err, code = h.run({ "collocates", "a b c d e f g h i j", CORPUS })
    assert.equal(2, code)
    assert.equal("lexis: collocates: the node must be a word or a phrase of up to 8 words, got "
                 .. "'a b c d e f g h i j'\nTry 'lexis help collocates'.\n", err)
  end)
end)

describe("item 15's messages", function()
  it("kwic with standard input closed says so", function()
    local p = io.popen(h.quote(h.bin) .. " kwic cat <&- 2>&1; echo $?")
    local all = p:read("a")
    p:close()
    assert.equal("lexis: kwic: stdin: Bad file descriptor\n1\n", all)   -- the input layer's name for -
  end)

  it("kwic --width 1000000 is a usage error naming --width, not _write", function()
    local _, err, code = h.run({ "kwic", "--width", "1000000", "the", CORPUS })
    assert.equal(2, code)
    assert.equal("lexis: kwic: --width wants a whole number from 0 to 1000, not '1000000'\n"
                 .. "Try 'lexis help kwic'.\n", err)
  end)

  it("ngrams out of memory says so, exit 1, no traceback", function()
    if os.getenv("LEXIS_SANITIZED") == "1" then return end   -- ASan needs its address space
    local d = h.tmpdir()
    local big = d .. "/big.txt"
    -- distinct words, so the n-gram table outgrows a 100 MB address space
    local f = assert(io.open(big, "wb"))
    for i = 1, 400000 do f:write("w", i, " x", i % 977, " y", i % 313, ". ") end
    f:close()
    local cmd = string.format("ulimit -v 100000; %s ngrams -n 3 %s 2>&1 >/dev/null", h.quote(h.bin), h.quote(big))
    local p = io.popen(cmd .. "; echo $?")
    local all = p:read("a")
    p:close()
    h.rmdir(d)
    assert.equal("lexis: ngrams: out of memory\n1\n", all)
  end)

  it("wordlist, collocates and keywords give the real reason for a directory", function()
    local d = h.tmpdir()
    for _, c in ipairs({ { "wordlist" }, { "collocates", "the" }, { "keywords", "--ref-list", "/dev/null" } }) do
      local args = { table.unpack(c) }
      args[#args + 1] = d
      local _, err, code = h.run(args)
      assert.equal(1, code, c[1])
      assert.equal("lexis: " .. c[1] .. ": " .. d .. ": a directory with no files in it\n", err)
    end
    h.rmdir(d)
  end)

  it("keywords --ref takes one reference, and the target is not read from standard input", function()
    local ref = h.write(h.tmpname(), "the the cat cat dog\n")
    local target = h.write(h.tmpname(), "the cat zebra zebra\n")
    local out, err, code = h.run({ "keywords", "--min", "1", "--ref", ref, target }, "stdinword stdinword\n")
    os.remove(ref); os.remove(target)
    assert.equal(0, code, err)
    assert.matches("zebra", out)
    assert.not_matches("stdinword", out)
  end)

  it("lexis.help(name) prints that function only", function()
    local out = h.eval('lexis.help("kwic")')
    assert.equal(1, select(2, out:gsub("\n", "")))
    assert.matches("^lexis%.kwic ", out)
  end)
end)

describe("keywords on a terminal", function()
  it("says it is reading the target from the terminal", function()
    local cmd = string.format("(printf 'the cat\\n'; sleep 0.3; printf '\\004') | TERM=dumb script -qefc %s /dev/null 2>&1",
                              h.quote(h.bin .. " keywords --ref-list /dev/null"))
    local p = io.popen(cmd)
    local out = p:read("a"):gsub("\r", "")
    p:close()
    assert.matches("lexis: keywords: reading the target from the terminal (end it with Ctrl-D)", out, 1, true)
  end)
end)
