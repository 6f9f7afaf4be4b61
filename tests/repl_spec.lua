-- The REPL, driven through piped input and through a pseudo-terminal
-- (util-linux `script`), as a person at a terminal would drive it.

local h = require "helper"

-- Runs the REPL on a pseudo-terminal; `feed` is a shell command whose
-- output is typed in (with sleeps where timing matters).
-- Returns what it printed and the history file it left.
local function on_terminal(feed)
  local state = h.tmpdir()
  local cmd = string.format("(%s) | env XDG_STATE_HOME=%s TERM=dumb script -qefc %s /dev/null 2>&1",
                            feed, h.quote(state), h.quote(h.bin))
  local p = io.popen(cmd)
  local out = p:read("a")
  p:close()
  local f = io.open(state .. "/lexis/history", "rb")
  local history = f and f:read("a")
  if f then f:close() end
  h.rmdir(state)
  return (out:gsub("\r", "")), history
end

describe("the REPL on piped input", function()
  it("prints the values of expressions without '=' or 'return'", function()
    local out = h.run({ "-i" }, "1 + 1\n'text'\nnil, true\n")
    assert.equal('2\n"text"\nnil\ntrue\n', out)
  end)

  it("runs statements and continues a chunk over several lines", function()
    local out = h.run({ "-i" }, "local t = {}\nfor i = 1, 3 do\n  t[#t+1] = i * i\nend\nx = 5\nx\n")
    assert.equal("5\n", out)
    out = h.run({ "-i" }, "t = {\n1,\n2}\nt\n")
    assert.equal("{ 1, 2 }\n", out)
  end)

  it("reports an error and goes on", function()
    local out, err, code = h.run({ "-i" }, "error('oops')\n40 + 2\n")
    assert.equal(0, code)
    assert.equal("42\n", out)
    assert.matches("lexis: stdin:1: oops", err)
  end)

  it("has lexis as a global", function()
    assert.matches('^"%d+%.%d+%.%d+"\n$', (h.run({ "-i" }, "lexis.version\n")))
  end)

  it("enters the REPL after a script with -i", function()
    local script = h.write(h.tmpname(), "greeting = 'hello'")
    local out = h.run({ "-i", script }, "greeting\n")
    assert.equal('"hello"\n', out)
    os.remove(script)
  end)
end)

describe("pretty-printing", function()
  local pretty = require("lexis.pretty").pretty

  it("shows short tables on one line and nested ones indented", function()
    assert.equal("{ 1, 2, a = { b = true } }", pretty({ 1, 2, a = { b = true } }))
    local long = {}
    for i = 1, 12 do long["key" .. i] = "a fairly long value " .. i end
    local text = pretty(long)
    assert.matches("^{\n  key1 = \"a fairly long value 1\",\n", text)
  end)

  it("truncates long tables and says how many are left", function()
    local t = {}
    for i = 1, 100 do t[i] = i end
    local text = pretty(t)
    assert.matches("^{\n  1, 2, 3, 4,", text)
    assert.matches(" 30, %.%.%. 70 more\n}$", text)
  end)

  it("cuts long strings on a character boundary", function()
    local s = string.rep("é", 150)              -- 300 bytes
    local text = pretty(s)
    assert.equal('"' .. string.rep("é", 100) .. '"...(300 bytes)', text)
  end)

  it("survives cycles and goes only so deep", function()
    local t = { name = "loop" }
    t.self = t
    assert.equal('{ name = "loop", self = <cycle> }', pretty(t))
    assert.equal("{ { {...} } }", pretty({ { { {} } } }, { depth = 1 }))
  end)

  it("uses __tostring for objects", function()
    local obj = setmetatable({}, { __tostring = function() return "<lexis.Thing 3 items>" end })
    assert.equal("{ <lexis.Thing 3 items> }", pretty({ obj }))
  end)

  it("escapes control characters in strings", function()
    assert.equal('"a\\nb\\0c\\"d"', pretty("a\nb\0c\"d"))
  end)
end)

describe("completion", function()
  local complete = require("lexis.repl").complete

  it("completes globals", function()
    assert.same({ "string." }, complete("strin"))
  end)

  it("completes fields after '.', including lexis functions not yet loaded", function()
    local names = complete("lexis.")
    assert.truthy(#names > 3)
    local found = {}
    for _, n in ipairs(names) do found[n] = true end
    assert.truthy(found["lexis.version"])
    assert.truthy(found["lexis.pretty("])
  end)

  it("completes methods after ':'", function()
    _G.sample_text = "abc"
    assert.same({ "sample_text:upper(" }, complete("sample_text:upp"))
    _G.sample_text = nil
  end)

  it("completes the attributes of the corpora in globals inside a string (a CQL query, a key)", function()
    local h = require "helper"
    local path = h.tmpname()
    local _, err, code = h.run({ "index", "-q", "tests/data/cql/synth.vrt", "-o", path })
    assert.equal(0, code, err)
    _G.sample_corpus = assert(lexis.open(path))
    assert.same({ "lemma" }, complete("le", "r = sample_corpus:query('["))
    assert.same({ "text", "text_id", "text_year" }, complete("te", 'r:count("pos,'))
    assert.same({ "lexis." }, complete("le", "x = 'done' .. "))   -- the string is closed: a global
    assert.same({}, complete("zz", "q = \"["))
    sample_corpus:close()
    _G.sample_corpus = nil
    os.remove(path)
  end)

  it("offers nothing for an unknown path", function()
    assert.same({}, complete("no_such_table.x"))
  end)

  it("offers only public names of a lexis object, never internals or metamethods", function()
    _G.sample_conc = lexis.kwic("the cat sat on the mat", "the")
    local names = complete("sample_conc:")
    _G.sample_conc = nil
    assert.truthy(#names > 3)
    for _, n in ipairs(names) do
      assert.is_nil(n:match(":_"), n)
    end
    assert.same({}, complete("lexis._"))
    assert.truthy(#complete("_G") > 0)           -- Lua's own _G and _VERSION stay
  end)
end)

describe("printing results", function()
  it("shows a concordance's first hits and says how many more there are", function()
    local text = string.rep("the cat sat. ", 30)
    local out = h.run({ "-i" }, "k = lexis.kwic(" .. string.format("%q", text) .. ", 'cat')\nk\n")
    assert.truthy(out:find("lexis.Concordance (30 hits", 1, true), out)
    local _, rows = out:gsub("\n[^\n]*cat  ", "")
    assert.equal(10, rows, out)
    assert.truthy(out:find("... 20 more", 1, true), out)
  end)
end)

describe("the REPL on a terminal", function()
  it("edits lines, completes with Tab and keeps history across sessions", function()
    local out, history = on_terminal([[printf 'x = 21\nx * 2\nlexis.vers\t\n'; sleep 0.3; printf '\004']])
    assert.matches("lexis %d+%.%d+%.%d+", out)     -- the banner
    assert.matches("\n42\n", out)
    assert.matches('"%d+%.%d+%.%d+"', out)
    assert.matches("x\\040%*\\0402", history)
  end)

  it("interrupts a long computation with Ctrl-C and returns to the prompt", function()
    local out = on_terminal([[printf 'while true do end\n'; sleep 0.5; printf '\003'; sleep 0.3; printf 'print("still here")\n'; sleep 0.3; printf '\004']])
    assert.matches("lexis: interrupted\r?\n", out)
    assert.not_matches("traceback", out)
    assert.matches("still here", out)
  end)

  it("drops the line being typed on Ctrl-C at the prompt", function()
    local out = on_terminal([[printf 'error("typed")'; sleep 0.3; printf '\003'; sleep 0.3; printf '1 + 2\n'; sleep 0.3; printf '\004']])
    assert.matches("\n3\n", out)
    assert.not_matches("lexis: stdin:1: typed", out)
  end)
end)
