-- Valgrind memcheck over a representative set of commands and a script: no
-- invalid read or write, no use of uninitialised memory, no definite leak.
-- Runs when valgrind is installed (.ci/run installs it) and the binary is
-- not a sanitizer build (ASan and valgrind do not mix).

local h = require "helper"

local have = os.execute("command -v valgrind >/dev/null 2>&1")
local usable = have and not os.getenv("LEXIS_SANITIZED")

local function memcheck(args, stdin)
  local log = os.tmpname()
  local words = {}
  for i, a in ipairs(args) do words[i] = h.quote(a) end
  local input = stdin and h.write(os.tmpname(), stdin) or "/dev/null"
  local cmd = string.format("valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "
    .. "--track-origins=yes --log-file=%s %s %s <%s >/dev/null 2>&1",
    h.quote(log), h.quote(h.bin), table.concat(words, " "), input)
  local _, _, code = os.execute(cmd)
  local report = h.read(log)
  os.remove(log)
  if stdin then os.remove(input) end
  return code, report
end

describe("valgrind memcheck", function()
  if not usable then
    pending("valgrind is not installed, or this is a sanitizer build")
    return
  end

  local d = os.tmpname()
  setup(function()
    os.remove(d)
    os.execute("mkdir -p " .. h.quote(d))
  end)
  teardown(function() os.execute("rm -rf " .. h.quote(d)) end)

  local cases = {
    { "freq", "--lower", "--stop", "en", "corpus/" .. "red-book-1936-excerpt.txt" },
    { "tokens", "--offsets", "--fold", "corpus/red-book-1936-excerpt.txt" },
    { "sentences", "--offsets", "corpus/red-book-1936-excerpt.txt" },
    { "ngrams", "-n", "2", "--top", "20", "corpus/red-book-1936-excerpt.txt" },
    { "kwic", "the *", "--sort", "R1", "corpus/red-book-1936-excerpt.txt" },
    -- No regular expression here: PCRE2's JIT reads ahead of the subject in
    -- 16-byte blocks, which memcheck reports as a use of uninitialised bytes
    -- (JIT frames have no name to suppress); make asan covers regexes.
    { "kwic", "*tion", "--format", "jsonl", "--sentence", "corpus/red-book-1936-excerpt.txt" },
    { "collocates", "the", "corpus/red-book-1936-excerpt.txt" },
  }
  for _, args in ipairs(cases) do
    it("is clean for lexis " .. table.concat(args, " "), function()
      local code, report = memcheck(args)
      assert.equal(0, code, report)
    end)
  end

  it("is clean for index, verify and kwic over the index", function()
    local idx = d .. "/c.lexis"
    local code, report = memcheck({ "index", "-q", "-o", idx, "corpus/" })
    assert.equal(0, code, report)
    code, report = memcheck({ "index", "--verify", "-q", idx })
    assert.equal(0, code, report)
    code, report = memcheck({ "kwic", "the", "--sort", "L1", "--format", "tsv", idx })
    assert.equal(0, code, report)
  end)

  it("is clean for bad input: invalid UTF-8, NUL bytes, a bad regex, a damaged index", function()
    local code, report = memcheck({ "freq" }, "caf\xE9 a\0b \xED\xA0\x80 end")
    assert.equal(0, code, report)
    code, report = memcheck({ "kwic", "--regex", "a(" }, "a b")
    assert.equal(2, code, report)   -- a bad query: a usage error
    local bad = h.write(d .. "/bad.lexis", "LEXISIDX" .. ("\1"):rep(100))
    code, report = memcheck({ "kwic", "the", bad })
    assert.equal(1, code, report)
  end)

  it("is clean for a script using the Lua API", function()
    local code, report = memcheck({ "-e", [[
      local c = lexis.count({ "corpus/red-book-1936-excerpt.txt" }, { lower = true })
      assert(#c > 0)
      for _, e in ipairs(c:top(5)) do local _ = e.word end
      local n = 0
      for tok in lexis.tokens("Don't panic, 42 times. Caf\xC3\xA9!") do n = n + 1 end
      assert(n > 0)
      c:close()
    ]] })
    assert.equal(0, code, report)
  end)
end)
