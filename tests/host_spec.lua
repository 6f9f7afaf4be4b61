-- The lexis host: command line, scripts, exit statuses, the embedded library.

local h = require "helper"

describe("the lexis command line", function()
  it("prints its version", function()
    local out, _, code = h.run({ "--version" })
    assert.equal(0, code)
    assert.matches("^lexis %d+%.%d+%.%d+ %(Lua 5%.4", out)
  end)

  it("runs -e code with lexis as a global", function()
    local out = h.eval("print(lexis.version, type(lexis.help))")
    assert.matches("^%d+%.%d+%.%d+\tfunction\n$", out)
  end)

  it("runs -e chunks in order", function()
    assert.equal("1\n2\n", h.eval("x = 1") .. h.eval("print(1) print(2)"))
  end)

  it("runs a script with arg and ... as lua does", function()
    local script = h.write(h.tmpname(), "print(arg[0] ~= nil, arg[1], arg[2], select('#', ...), ...)")
    local out, err, code = h.run({ script, "a", "b c" })
    assert.equal(0, code, err)
    assert.equal("true\ta\tb c\t2\ta\tb c\n", out)
    os.remove(script)
  end)

  it("runs a script from standard input with -", function()
    local out, _, code = h.run({ "-", "x" }, "print('stdin', ...)")
    assert.equal(0, code)
    assert.equal("stdin\tx\n", out)
  end)

  it("runs standard input when given no argument and no terminal", function()
    local out, _, code = h.run({}, "print(6 * 7)")
    assert.equal(0, code)
    assert.equal("42\n", out)
  end)

  it("reports a script error with file, line and traceback, and exits 1", function()
    local script = h.write(h.tmpname(), "local x = 1\nerror('broken here')\n")
    local _, err, code = h.run({ script })
    assert.equal(1, code)
    assert.matches("^lexis: " .. script:gsub("%p", "%%%0") .. ":2: broken here\n", err)
    assert.matches("stack traceback:", err)
    os.remove(script)
  end)

  it("reports a syntax error and exits 1", function()
    local _, err, code = h.run({ "-e", "x = = 1" })
    assert.equal(1, code)
    assert.matches("^lexis: %(command line%):1:", err)
  end)

  it("reports a missing script and exits 1", function()
    local _, err, code = h.run({ "/nonexistent/script.lua" })
    assert.equal(1, code)
    assert.matches("cannot open /nonexistent/script.lua", err)
  end)

  it("rejects an unknown option with exit status 2", function()
    local _, err, code = h.run({ "--frobnicate" })
    assert.equal(2, code)
    assert.matches("unknown option '%-%-frobnicate'", err)
  end)

  it("rejects -e without code with exit status 2", function()
    local _, err, code = h.run({ "-e" })
    assert.equal(2, code)
    assert.matches("needs an argument", err)
  end)

  it("says when a word is neither a command nor a file, exit 2", function()
    local _, err, code = h.run({ "frequencies" })
    assert.equal(2, code)
    assert.matches("'frequencies' is neither a command nor a file", err)
  end)

  it("requires a library into a global with -l", function()
    assert.equal("table\n", h.eval("print(type(string))"))
    local out, _, code = h.run({ "-l", "lexis.pretty", "-e", "print(type(pretty))" })
    assert.equal(0, code)
    assert.equal("nil\n", out)   -- the global is named after the whole module name
  end)

  it("exits with the status os.exit asks for", function()
    local _, _, code = h.run({ "-e", "os.exit(7)" })
    assert.equal(7, code)
  end)

  it("reports a write error on standard output and exits non-zero", function()
    local cmd = string.format("%s -e %s 2>&1 >/dev/full", h.quote(h.bin), h.quote("print('x')"))
    local p = io.popen(cmd)
    local msg = p:read("a")
    local _, _, code = p:close()
    assert.equal(1, code)
    assert.matches("lexis: error writing output", msg)
  end)
end)

describe("built-in commands", function()
  it("lexis help lists the commands with a summary each", function()
    local out, _, code = h.run({ "help" })
    assert.equal(0, code)
    assert.matches("Commands:\n", out)
    assert.matches("\n  help +list the commands", out)
  end)

  it("lexis help COMMAND shows the command's options", function()
    local out, _, code = h.run({ "help", "help" })
    assert.equal(0, code)
    assert.matches("Usage: lexis help", out)
  end)

  it("lexis help NOSUCH is a usage error", function()
    local _, err, code = h.run({ "help", "nosuch" })
    assert.equal(2, code)
    assert.matches("no command 'nosuch'", err)
  end)

  it("a bad option to a command is a usage error naming the command", function()
    local _, err, code = h.run({ "help", "--bogus" })
    assert.equal(2, code)
    assert.matches("^lexis: help: unknown option '%-%-bogus'\nTry 'lexis help help'", err)
  end)

  it("COMMAND --help prints help and exits 0", function()
    local out, _, code = h.run({ "help", "--help" })
    assert.equal(0, code)
    assert.matches("Usage: lexis help", out)
  end)

  it("a script file named like a command runs when given as a path", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. h.quote(dir)))
    h.write(dir .. "/help", "print('the script')")
    local out = h.run({ dir .. "/help" })
    assert.equal("the script\n", out)
    os.execute("rm -rf " .. h.quote(dir))
  end)
end)

describe("the embedded library", function()
  it("names chunks after their files, so tracebacks point into lua/", function()
    local out = h.eval([[print(debug.getinfo(require("lexis.pretty").pretty, "S").source)]])
    assert.equal("@lua/lexis/pretty.lua\n", out)
  end)

  it("has lua-argparse compiled in: commands parse options with no Lua path at all", function()
    local out, err, code = h.run({ "kwic", "--help" }, nil, { LUA_PATH_5_4 = "/nonexistent/?.lua" })
    assert.equal(0, code, err)
    assert.matches("^Usage: lexis kwic", out)
    out = h.eval([[print(debug.getinfo(getmetatable(require("argparse")).__call, "S").source)]])
    assert.matches("argparse%.lua\n$", out)
  end)

  it("loads lua/ from disk when LEXIS_LUA_DIR is set", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. h.quote(dir .. "/lexis")))
    os.execute("cp -r lua/lexis/. " .. h.quote(dir .. "/lexis/"))
    h.write(dir .. "/lexis/pretty.lua", "return { pretty = function() return 'from disk' end, show = print }")
    local out, err, code = h.run({ "-e", "print(require('lexis.pretty').pretty(1))" }, nil, { LEXIS_LUA_DIR = dir })
    assert.equal(0, code, err)
    assert.equal("from disk\n", out)
    os.execute("rm -rf " .. h.quote(dir))
  end)

  it("lists every public function in lexis.help()", function()
    local out = h.eval("lexis.help()")
    for name in pairs(lexis._api) do
      assert.matches("lexis%." .. name .. " ", out)
    end
  end)

  it("is loadable from a stock lua5.4 as lexis.so", function()
    local module = os.getenv("LEXIS_MODULE")
    if not module or os.getenv("LEXIS_SANITIZED") then
      pending("needs the lexis.so of a normal build (make test)")
      return
    end
    local dir = module:match("^(.*)/[^/]*$")
    local cmd = string.format("LUA_CPATH=%s lua5.4 -e %s 2>&1", h.quote(dir .. "/?.so"),
                              h.quote("local l = require 'lexis' print(l.version, l.pretty({1}))"))
    local p = io.popen(cmd)
    local out = p:read("a")
    p:close()
    assert.matches("^%d+%.%d+%.%d+\t{ 1 }\n$", out)
  end)
end)

describe("memory", function()
  it("leaks nothing under valgrind for a trivial run", function()
    if os.getenv("LEXIS_SANITIZED") then return pending("valgrind does not run sanitized builds") end
    local p = io.popen("command -v valgrind")
    local found = p:read("a")
    p:close()
    if found == "" then return pending("valgrind not installed") end
    p = io.popen("valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 "
                 .. h.quote(h.bin) .. " -e 'print(1)' 2>&1")
    local out = p:read("a")
    local _, _, code = p:close()
    assert.equal(0, code, out)
    assert.matches("ERROR SUMMARY: 0 errors", out)
  end)
end)

describe("start-up", function()
  -- ICU (src/dictseg.c), libxml2 (src/markup.c), poppler-glib with GLib (src/pdf.c),
  -- libstemmer (src/stem.c), uchardet (src/charset.c) and libmicrohttpd with GnuTLS (src/serve.c) are
  -- loaded when a job needs them: linked, they would be loaded at every start
  -- (bench/rows/startup.sh measures the time; this keeps them out of the link)
  it("links no heavy library", function()
    local p = io.popen("ldd ./lexis 2>&1")
    local out = p:read("a")
    p:close()
    for _, lib in ipairs { "libicu", "libxml2", "libpoppler", "libglib", "libgobject", "libstemmer",
                           "libuchardet", "libmicrohttpd", "libgnutls" } do
      assert.falsy(out:find(lib, 1, true), lib .. " is linked:\n" .. out)
    end
  end)
end)
