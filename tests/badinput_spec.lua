-- Bad and unusual input, through the commands as users run them: each
-- `describe` is a row of the table "Bad and unusual input" in README.md. Big files (1 GiB,
-- a 5 GiB sparse file, 20,000 small files) are made in a temporary
-- directory and removed; under the sanitizers (LEXIS_SANITIZED) they
-- shrink so the suite stays quick.

local h = require "helper"

local sanitized = os.getenv("LEXIS_SANITIZED") ~= nil
local root = io.popen("id -u"):read("l") == "0"

-- A fresh temporary directory, and a way to remove it.
local tmpdir = h.tmpdir
local rmdir = h.rmdir

-- sh(cmd) -> its standard output (for shell pipelines the helper does not cover).
local function sh(cmd)
  local p = io.popen(cmd)
  local out = p:read("a")
  p:close()
  return out
end

-- The names in a directory, sorted, one a line.
local function listing(d) return sh("ls -A " .. h.quote(d)) end

local COMMANDS = {
  { "freq" }, { "tokens" }, { "sentences" }, { "ngrams" }, { "kwic", "the" },
}

describe("invalid UTF-8", function()
  -- mostly invalid, so --encoding utf-8 keeps the bytes (without it, the
  -- encoding would be detected and the text converted: encoding_spec)
  local text = "caf\xE9 au lait \xC3\x28 na\xC3\xAFve \xED\xA0\x80 end"

  it("counts the words around it and says how many bytes were bad, and where", function()
    local out, err, code = h.run({ "freq", "--encoding", "utf-8", "--format", "tsv", "--no-header" }, text)
    assert.equal(0, code)
    assert.matches("stdin: 5 invalid UTF%-8 bytes, the first at byte 4", err)
    assert.matches("\tcaf\t", out)
    assert.matches("\tna\xC3\xAFve\t", out)
  end)

  it("prints each bad byte as a token of its own, escaped", function()
    local out, _, code = h.run({ "tokens", "--encoding", "utf-8" }, "caf\xE9!")
    assert.equal(0, code)
    assert.equal("caf\n\\xE9\n!\n", out)
  end)

  it("keeps the bytes in sentences and concordances", function()
    local out, _, code = h.run({ "sentences", "--encoding", "utf-8" }, "Un caf\xE9. Deux.")
    assert.equal(0, code)
    assert.equal("Un caf\xE9.\nDeux.\n", out)
    out, _, code = h.run({ "kwic", "deux", "--tokens", "--encoding", "utf-8" }, "Un caf\xE9. Deux.")
    assert.equal(0, code)
    assert.matches("caf\xE9%.%s+Deux", out)
  end)
end)

describe("NUL bytes", function()
  -- The input layer's binary rule (src/input.h): a NUL in the first 8 KB
  -- skips the input in every command, with a warning; one later is data.
  it("in the first 8 KB skip the input in every command, saying so", function()
    for _, c in ipairs({ { "freq" }, { "tokens" }, { "sentences" }, { "ngrams" }, { "kwic", "a" } }) do
      local out, err, code = h.run(c, "a\0b c")
      assert.equal(0, code, c[1])
      assert.matches("stdin: a binary file, skipped %(a NUL byte at byte 2%)", err, 1, false, c[1])
      assert.not_matches("%f[%w]b%f[%W]", out, 1, false, c[1])
    end
  end)

  it("after the first 8 KB are tokens of their own to freq, tokens and sentences", function()
    local pad = (" "):rep(8192)
    local out, _, code = h.run({ "freq", "--format", "tsv", "--no-header" }, pad .. "a\0b c")
    assert.equal(0, code)
    assert.equal("1\ta\t1\t333333.3333333333\n2\tb\t1\t333333.3333333333\n3\tc\t1\t333333.3333333333\n", out)
    out = h.run({ "tokens" }, pad .. "a\0b")
    assert.equal("a\n\\x00\nb\n", out)
    out = h.run({ "sentences" }, pad .. "One\0two. Three.")
    assert.equal("One\0two.\nThree.\n", out)
  end)

  it("make kwic and index skip a file as binary, saying so", function()
    local d = tmpdir()
    local f = h.write(d .. "/nul.txt", "the a\0b the")
    local _, err, code = h.run({ "kwic", "the", f })
    assert.equal(0, code)
    assert.matches("nul.txt: a binary file, skipped", err)
    _, err, code = h.run({ "index", "-o", d .. "/x.lexis", f })
    assert.equal(0, code)
    assert.matches("nul.txt: a binary file, skipped", err)
    rmdir(d)
  end)
end)

describe("a UTF-8 byte-order mark", function()
  local text = "\xEF\xBB\xBFHello world. Bye."

  it("is no word: freq and ngrams leave it out", function()
    local out, err, code = h.run({ "freq", "--format", "tsv", "--no-header" }, text)
    assert.equal(0, code)
    assert.equal("", err)
    assert.equal("1\tBye\t1\t333333.3333333333\n2\tHello\t1\t333333.3333333333\n3\tworld\t1\t333333.3333333333\n", out)
    out = h.run({ "ngrams", "-n", "1", "--format", "tsv" }, text)
    assert.not_matches("\xEF\xBB\xBF", out)
  end)

  it("is a symbol token of its own to tokens", function()
    local out = h.run({ "tokens", "--offsets" }, text)
    assert.equal("\xEF\xBB\xBF\t1\t3\tsymbol\nHello\t4\t8\tword\n", out:match("^[^\n]*\n[^\n]*\n"))
  end)

  it("is not part of the first sentence", function()
    local out = h.run({ "sentences" }, text)
    assert.equal("Hello world.\nBye.\n", out)
  end)
end)

describe("UTF-16 and UTF-32 files", function()
  local d
  setup(function()
    d = tmpdir()
    h.write(d .. "/le.txt", "\xFF\xFEH\0i\0 \0t\0h\0e\0r\0e\0\n\0")
    h.write(d .. "/be.txt", "\xFE\xFF\0H\0i\0 \0t\0h\0e\0r\0e\0\n")
    h.write(d .. "/nobom.txt", "H\0i\0 \0t\0h\0e\0r\0e\0 \0a\0g\0a\0i\0n\0\n\0")
    h.write(d .. "/utf32.txt", "\xFF\xFE\0\0H\0\0\0i\0\0\0")
  end)
  teardown(function() rmdir(d) end)

  it("with a byte-order mark are converted by every command; an index refuses them", function()
    for _, name in ipairs { "le", "be", "utf32" } do
      local f = d .. "/" .. name .. ".txt"
      local out, err, code = h.run({ "tokens", f })
      assert.equal(0, code, name .. ": " .. err)
      assert.equal("Hi\n" .. (name == "utf32" and "" or "there\n"), out, name)
      for _, c in ipairs({ { "freq" }, { "sentences" }, { "wordlist" }, { "kwic", "Hi" } }) do
        local args = { table.unpack(c) }
        args[#args + 1] = f
        out, err, code = h.run(args)
        assert.equal(0, code, c[1] .. " " .. name .. ": " .. err)
        assert.matches("Hi", out, 1, true)
      end
      out, err, code = h.run({ "index", "-o", d .. "/x.lexis", f })
      assert.equal(2, code)
      assert.matches("^lexis: index: " .. f:gsub("%p", "%%%0") .. ": UTF%-%d%d[LB]E text with a byte%-order mark; "
        .. "an index shows its hits by reading its files again", err)
    end
    assert.is_nil(io.open(d .. "/x.lexis"))
  end)

  it("without one (UTF-16: NUL at every other byte) are converted, with a note; an index refuses them", function()
    local f = d .. "/nobom.txt"
    for _, c in ipairs({ { "freq" }, { "tokens" }, { "sentences" }, { "ngrams" }, { "kwic", "there" } }) do
      local args = { table.unpack(c) }
      args[#args + 1] = f
      local out, err, code = h.run(args)
      assert.equal(0, code, c[1])
      assert.matches("there", out, 1, true)
      assert.equal("lexis: " .. f .. ": not UTF-8 (a NUL at every other byte of its first 30: UTF-16LE without "
        .. "a byte-order mark); read as UTF-16LE (--encoding NAME to choose another)\n", err)
    end
    local out, err, code = h.run({ "freq", "--encoding", "UTF-16LE", "--format", "tsv", "--no-header", f })
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.equal("1\tHi\t1\t333333.3333333333\n2\tagain\t1\t333333.3333333333\n3\tthere\t1\t333333.3333333333\n", out)
    _, err, code = h.run({ "index", "-o", d .. "/x.lexis", f })
    assert.equal(2, code)
    assert.matches("in UTF-16LE; an index shows its hits", err, 1, true)
    assert.is_nil(io.open(d .. "/x.lexis"))
  end)
end)

describe("CRLF line endings", function()
  local text = "The cat sat.\r\nA dog ran.\r\n\r\nNew paragraph here.\r\n"

  it("leave no carriage return in words, sentences or concordances", function()
    local out, _, code = h.run({ "freq", "--format", "tsv", "--no-header", "--top", "3" }, text)
    assert.equal(0, code)
    assert.not_matches("\r", out)
    out = h.run({ "sentences" }, text)
    assert.equal("The cat sat.\nA dog ran.\nNew paragraph here.\n", out)
    out = h.run({ "kwic", "ran", "--tokens", "--format", "tsv" }, text)
    assert.not_matches("\r", out)
  end)

  it("count a blank CRLF line as a paragraph break and CRLF as one token", function()
    local out = h.run({ "sentences", "--newlines", "line" }, "one\r\ntwo\r\n")
    assert.equal("one\ntwo\n", out)
    out = h.run({ "tokens", "-k", "space" }, "a\r\nb")
    assert.equal("\\r\\n\n", out)
  end)
end)

describe("Latin-1 text", function()
  it("is detected and converted, with a note naming what it is read as (--encoding utf-8: the bytes)", function()
    local out, err, code = h.run({ "freq", "--format", "tsv", "--no-header" }, "caf\xE9 na\xEFve")
    assert.equal(0, code)
    assert.equal("lexis: stdin: not UTF-8 (2 of the 2 non-ASCII bytes in its first 10 are invalid); read as "
      .. "ISO-8859-1 (detected by uchardet; --encoding NAME to choose another)\n", err)
    assert.matches("\tcaf\xC3\xA9\t", out)
    out, err = h.run({ "freq", "--format", "tsv", "--no-header", "--encoding", "utf-8" }, "caf\xE9 na\xEFve")
    assert.equal("lexis: freq: stdin: 2 invalid UTF-8 bytes, the first at byte 4\n", err)
    assert.matches("\tcaf\t", out)
    out, err = h.run({ "freq", "--format", "tsv", "--no-header", "--encoding", "latin1" }, "caf\xE9 na\xEFve")
    assert.equal("", err)
    assert.matches("\tcaf\xC3\xA9\t", out)
    local conv = sh("printf 'caf\\351 na\\357ve' | iconv -f LATIN1 -t UTF-8")
    out, err = h.run({ "freq", "--format", "tsv", "--no-header" }, conv)
    assert.equal("", err)
    assert.matches("\tcaf\xC3\xA9\t", out)
  end)
end)

describe("a compressed file", function()
  it("is read by its magic bytes; a damaged or truncated one is an error naming the file and byte", function()
    local d = tmpdir()
    finally(function() rmdir(d) end)
    local f = h.write(d .. "/a.txt", ("the cat sat on the mat\n"):rep(2000))
    sh("gzip -c " .. h.quote(f) .. " > " .. h.quote(d .. "/a.gz"))
    local want = h.run({ "freq", f })
    for _, c in ipairs(COMMANDS) do
      local args = { table.unpack(c) }
      args[#args + 1] = d .. "/a.gz"
      local _, err, code = h.run(args)
      assert.equal(0, code, c[1] .. ": " .. err)
    end
    assert.equal(want, (h.run({ "freq", d .. "/a.gz" })))
    local z = h.read(d .. "/a.gz")
    h.write(d .. "/cut.gz", z:sub(1, #z - 9))
    local out, err, code = h.run({ "freq", d .. "/cut.gz" })
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("^lexis: freq: " .. (d .. "/cut.gz"):gsub("%p", "%%%0")
      .. ": gzip data ends early %(truncated%) at compressed byte %d+, after %d+ bytes of text\n$", err)
  end)
end)

describe("malformed XML", function()
  it("is an error naming the file and libxml2's line, from every command; broken HTML is read", function()
    local d = tmpdir()
    finally(function() rmdir(d) end)
    local f = h.write(d .. "/a.xml", '<?xml version="1.0"?>\n<doc>\n<p>the cat</p>\n<p>sat <b>on</p>\n</doc>\n')
    for _, c in ipairs(COMMANDS) do
      local args = { table.unpack(c) }
      args[#args + 1] = f
      local _, err, code = h.run(args)
      assert.equal(1, code, c[1] .. ": " .. err)
      assert.matches("^lexis: " .. c[1] .. ": " .. f:gsub("%p", "%%%0")
        .. ": malformed XML at line 4: Opening and ending tag mismatch: b line 4 and p\n$", err)
    end
    local out = h.run({ "freq", f })
    assert.equal("", out)
    local page = h.write(d .. "/a.html", "<html><body><p>the cat <b>sat <i>on</b> the mat<div>unclosed")
    local _, err, code = h.run({ "freq", page })
    assert.equal(0, code)
    assert.equal("", err)
  end)
end)

describe("an empty file", function()
  it("gives empty results and exit 0 from every command, a list saying why it is empty", function()
    local d = tmpdir()
    local f = h.write(d .. "/empty.txt", "")
    for _, c in ipairs(COMMANDS) do
      local args = { table.unpack(c) }
      args[#args + 1] = f
      local _, err, code = h.run(args)
      assert.equal(0, code, c[1])
      -- no silent zero: a list says why it is empty, in one line; the rest say nothing
      if err ~= "" then
        assert.matches("^lexis: " .. c[1] .. ": [^\n]*empty[^\n]*\n$", err, nil, false, c[1])
      end
    end
    assert.matches("the input is empty", select(2, h.run({ "freq", f })))
    assert.equal("", (h.run({ "tokens", f })))
    assert.equal("", (h.run({ "sentences", f })))
    assert.equal("0\n", (h.run({ "sentences", "--count", f })))
    local _, _, code = h.run({ "index", "-q", "-o", d .. "/e.lexis", f })
    assert.equal(0, code)
    local out = h.run({ "kwic", "x", "--count", d .. "/e.lexis" })
    assert.equal("0\n", out)
    rmdir(d)
  end)
end)

describe("a directory", function()
  it("is read as the files under it by every command (the input layer's one walk)", function()
    local d = tmpdir()
    h.write(d .. "/a.txt", "the cat")
    for _, c in ipairs(COMMANDS) do
      local args = { table.unpack(c) }
      args[#args + 1] = d
      local out, err, code = h.run(args)
      assert.equal(0, code, c[1])
      assert.equal("", err, c[1])
      assert.matches("the", out, 1, true, c[1])
    end
    assert.matches("cat", (h.run({ "kwic", "cat", d })))
    local _, _, code = h.run({ "index", "-q", "-o", d .. ".lexis", d })
    assert.equal(0, code)
    assert.equal("1\n", (h.run({ "kwic", "cat", "--count", d .. ".lexis" })))
    os.remove(d .. ".lexis")
    rmdir(d)
  end)
end)

describe("a missing or unreadable file", function()
  it("is an error that names the file, exit 1, from every command", function()
    local cmds = { { "freq" }, { "tokens" }, { "sentences" }, { "ngrams" }, { "kwic", "the" },
                   { "index", "-o", "/tmp/lexis-never.lexis" }, { "collocates", "the" } }
    for _, c in ipairs(cmds) do
      local args = { table.unpack(c) }
      args[#args + 1] = "/nonexistent/file.txt"
      local out, err, code = h.run(args)
      assert.equal(1, code, c[1])
      assert.equal("", out)
      assert.equal("lexis: " .. c[1] .. ": /nonexistent/file.txt: No such file or directory\n", err)
    end
  end)

  it("that cannot be read is an error naming it (a read error: /proc/self/mem)", function()
    for _, c in ipairs({ "freq", "tokens", "sentences", "ngrams" }) do
      local _, err, code = h.run({ c, "/proc/self/mem" })
      assert.equal(1, code, c)
      assert.equal("lexis: " .. c .. ": /proc/self/mem: Input/output error\n", err)
    end
  end)

  it("without read permission is an error naming it (not as root, who may read it)", function()
    if root then return end
    local d = tmpdir()
    local f = h.write(d .. "/secret.txt", "the cat")
    os.execute("chmod 000 " .. h.quote(f))
    for _, c in ipairs(COMMANDS) do
      local args = { table.unpack(c) }
      args[#args + 1] = f
      local _, err, code = h.run(args)
      assert.equal(2, code, c[1])
      assert.matches("secret.txt: Permission denied", err)
    end
    rmdir(d)
  end)
end)

describe("a binary file given by mistake", function()
  it("is skipped by every command with a message", function()
    local d = tmpdir()
    local f = d .. "/prog"
    os.execute("head -c 20000 " .. h.bin .. " > " .. h.quote(f))
    for _, c in ipairs({ { "kwic", "the" }, { "index", "-o", d .. "/x.lexis" }, { "freq" }, { "tokens" },
                         { "sentences", "--count" }, { "ngrams" }, { "wordlist" }, { "collocates", "the" } }) do
      local args = { table.unpack(c) }
      args[#args + 1] = f
      local _, err, code = h.run(args)
      assert.equal(0, code, c[1])
      assert.matches("prog: a binary file, skipped", err, 1, false, c[1])
    end
    rmdir(d)
  end)
end)

describe("a 1 GiB file with no newline", function()
  it("is read in bounded memory: a token is cut at 16 MiB, a sentence at 1 MiB", function()
    local d = tmpdir()
    finally(function() rmdir(d) end)
    local f = d .. "/big.txt"
    local mib = sanitized and 64 or 1024
    -- one word of `mib` MiB: 'a' bytes, no space, no newline
    assert(os.execute(string.format("head -c %dM /dev/zero | tr '\\0' a > %s", mib, h.quote(f))))
    local timed = sh("command -v /usr/bin/time") ~= ""
    local pre = timed and "/usr/bin/time -f %M -o " .. h.quote(d .. "/rss") .. " " or ""
    local out = sh(pre .. h.quote(h.bin) .. " freq --format tsv --no-header " .. h.quote(f) .. " | cut -c1-40")
    assert.equal(("1\t" .. ("a"):rep(38) .. "\n"), out)
    local count = sh(h.quote(h.bin) .. " freq --format tsv --no-header " .. h.quote(f) .. " | awk -F'\\t' '{print $3}'")
    assert.equal(tostring(mib // 16) .. "\n", count)
    if timed and not sanitized then
      local kb = tonumber(h.read(d .. "/rss"))
      assert.is_true(kb < 200 * 1024, "freq took " .. kb .. " KB")
    end
    out = sh(h.quote(h.bin) .. " sentences --count " .. h.quote(f))
    assert.equal(tostring(mib) .. "\n", out)
    rmdir(d)
  end)
end)

describe("a file over 4 GiB", function()
  it("gives true offsets past 4 GiB (a 5 GiB sparse file)", function()
    local d = tmpdir()
    finally(function() rmdir(d) end)
    local f = d .. "/sparse.txt"
    h.write(f, "hello " .. (" "):rep(8192))   -- no NUL in the first 8 KB: text, not binary
    local size = sanitized and "1G" or "5G"
    assert(os.execute("truncate -s " .. size .. " " .. h.quote(f)))
    local fh = io.open(f, "ab")
    fh:write(" world\n")
    fh:close()
    local base = sanitized and 1 << 30 or 5 << 30
    local out, _, code = h.run({ "tokens", "--offsets", "-k", "word", f })
    assert.equal(0, code)
    assert.equal(string.format("hello\t1\t5\tword\nworld\t%d\t%d\tword\n", base + 2, base + 6), out)
    rmdir(d)
  end)
end)

describe("many tiny files", function()
  -- A million files take about two minutes to make here; CI uses 20,000
  -- (2,000 under the sanitizers), in 100 directories.
  it("index (a directory), kwic over the index, and freq over the list", function()
    local d = tmpdir()
    finally(function() rmdir(d) end)
    local n = sanitized and 2000 or 20000
    local make = string.format([[
      for i = 0, 99 do os.execute("mkdir -p %s/" .. string.format("%%02d", i)) end
      for i = 1, %d do
        local f = assert(io.open(string.format("%s/%%02d/f%%06d.txt", i %% 100, i), "w"))
        f:write("word", i %% 7, " tiny file ", i, "\n")
        f:close()
      end]], d .. "/many", n, d .. "/many")
    h.eval(make)
    local _, err, code = h.run({ "index", "-q", "-o", d .. "/many.lexis", d .. "/many" })
    assert.equal(0, code, err)
    assert.equal(n .. "\n", (h.run({ "kwic", "tiny", "--count", d .. "/many.lexis" })))
    local out = sh("cd " .. h.quote(d) .. " && " .. h.quote(h.bin) .. " freq --format tsv --no-header many/*/*.txt | head -n 2")
    assert.equal(string.format("1\tfile\t%d\t250000\n2\ttiny\t%d\t250000\n", n, n), out)
    rmdir(d)
  end)
end)

describe("a Lua script error", function()
  it("exits 1 with the message and a traceback", function()
    local d = tmpdir()
    local f = h.write(d .. "/bad.lua", "local function f(x)\n  return x.y\nend\nf(nil)\n")
    local _, err, code = h.run({ f })
    assert.equal(1, code)
    assert.matches("^lexis: [^\n]*bad%.lua:2: attempt to index a nil value %(local 'x'%)\n", err)
    assert.matches("stack traceback:", err)
    assert.matches("bad%.lua:4: in main chunk", err)
    rmdir(d)
  end)
end)

describe("a query that is not a valid regular expression", function()
  it("is a usage error (exit 2) with PCRE2's message and the offset", function()
    local _, err, code = h.run({ "kwic", "--regex", "ab(c", "-" }, "abc")
    assert.equal(2, code)
    assert.equal("lexis: kwic: bad regular expression 'ab(c' at offset 4: missing closing parenthesis\n"
                 .. "Try 'lexis help kwic'.\n", err)
    _, err, code = h.run({ "kwic", "the /[z-a]/" }, "the abc")
    assert.equal(2, code)
    assert.matches("bad regular expression '%[z%-a%]' at offset 3: range out of order in character class", err)
  end)

  it("shows at most 60 bytes of a long one, so the reason stays", function()
    local _, err, code = h.run({ "kwic", "--regex", ("x"):rep(300) .. "(" }, "x")
    assert.equal(2, code)
    assert.matches("'" .. ("x"):rep(60) .. "%.%.%.' at offset 301: missing closing parenthesis", err)
  end)
end)

describe("a regular expression that hits PCRE2's limits", function()
  -- (a|a)*[cd] backtracks through 2^40 paths on 40 a's: the match limit
  -- (more cases in tests/regex_limits_spec.lua)
  local text = "one " .. ("a"):rep(40) .. "b two"
  it("is an error naming the pattern and where, never fewer hits", function()
    local out, err, code = h.run({ "kwic", "/(a|a)*[cd]/", "-" }, text)
    assert.equal(1, code)
    assert.equal("", out)
    assert.equal("lexis: kwic: (stdin): pattern '(a|a)*[cd]' hit PCRE2's match limit at byte 4\n", err)
    out, err, code = h.run({ "freq", "--pattern", "(a|a)*[cd]|\\w+", "-" }, text)
    assert.are_not.equal(0, code)
    assert.equal("", out)
    assert.equal("lexis: freq: stdin: pattern '(a|a)*[cd]|\\w+' hit PCRE2's match limit at byte 3\n", err)
  end)
end)

describe("a word of 200 KB", function()
  -- the full-size case is tests/redteam/longword_spec.lua
  it("comes out cut to 40 columns in a text table and whole in TSV, in linear time", function()
    local word = ("x"):rep(200000)
    for _, cmd in ipairs { "wordlist", "freq" } do
      local out, err, code = h.run({ cmd, "-" }, word .. " y\n")
      assert.equal(0, code, err)
      assert.is_truthy(out:find(" " .. ("x"):rep(39) .. "… ", 1, true), cmd)
      out = h.run({ cmd, "--format", "tsv", "-" }, word .. " y\n")
      assert.is_truthy(out:find("\t" .. word .. "\t", 1, true), cmd)
    end
  end)
end)

describe("a full disk", function()
  it("is an error (exit 1) for output to standard output", function()
    for _, c in ipairs(COMMANDS) do
      local args = { table.unpack(c) }
      local cmd = h.quote(h.bin) .. " " .. table.concat(args, " ") .. " corpus/*.txt 2>&1 >/dev/full; echo $?"
      local out = sh(cmd)
      assert.matches("^lexis: .*No space left on device\n.*1\n$", out, nil, c[1])
      assert.not_matches("corpus", out, nil, c[1])   -- the input is not to blame
    end
  end)

  it("is an error for -o, and /dev/full stays a device", function()
    local _, err, code = h.run({ "kwic", "the", "corpus/", "-o", "/dev/full" })
    assert.equal(1, code)
    assert.equal("lexis: kwic: /dev/full: No space left on device\n", err)
    _, err, code = h.run({ "index", "-q", "corpus/", "-o", "/dev/full" })
    assert.equal(1, code)
    assert.equal("lexis: index: /dev/full: No space left on device\n", err)
    assert.equal("c", sh("stat -c %F /dev/full"):sub(1, 1))
  end)
end)

describe("output into a missing directory", function()
  it("is an error naming the path, and leaves nothing behind", function()
    local d = tmpdir()
    local _, err, code = h.run({ "kwic", "the", "corpus/", "-o", d .. "/no/out.txt" })
    assert.equal(1, code)
    assert.equal("lexis: kwic: " .. d .. "/no/out.txt: No such file or directory\n", err)
    _, err, code = h.run({ "index", "-q", "corpus/", "-o", d .. "/no/x.lexis" })
    assert.equal(1, code)
    assert.equal("lexis: index: " .. d .. "/no/x.lexis: No such file or directory\n", err)
    assert.equal("", listing(d))
    rmdir(d)
  end)

  it("an error after -o was opened keeps the old file and leaves no temporary file", function()
    local d = tmpdir()
    local f = h.write(d .. "/out.txt", "old\n")
    local _, _, code = h.run({ "kwic", "--regex", "a(", "corpus/", "-o", f })
    assert.equal(2, code)
    assert.equal("old\n", h.read(f))
    assert.equal("out.txt\n", listing(d))
    rmdir(d)
  end)
end)

describe("SIGINT during a long write", function()
  -- A big input (the corpus many times over) makes kwic -o and index -o run
  -- long enough to be interrupted; afterwards neither the target nor a
  -- temporary file may exist.
  local d, big
  setup(function()
    d = tmpdir()
    big = d .. "/big.txt"
    -- the corpus doubled 13 times (90 MB; 2^10 under the sanitizers)
    local twice = sanitized and 11 or 13
    assert(os.execute(string.format("cat corpus/*.txt > %s && for i in $(seq %d); do cat %s %s > %s.2 && mv %s.2 %s; done",
      h.quote(big), twice, h.quote(big), h.quote(big), h.quote(big), h.quote(big), h.quote(big))))
  end)
  teardown(function() rmdir(d) end)

  -- Sends SIGINT as soon as the temporary output file appears.
  local function interrupted(args, target)
    local cmd = string.format("%s %s >/dev/null 2>%s & pid=$!; "
      .. "while kill -0 $pid 2>/dev/null; do "
      .. "if ls %s.tmp-* >/dev/null 2>&1; then kill -INT $pid; break; fi; sleep 0.005; done; "
      .. "wait $pid; echo $?", h.quote(h.bin), args, h.quote(d .. "/err"), h.quote(target))
    local status = tonumber(sh(cmd))
    assert.is_true(status ~= 0, "it finished before the signal: make the input bigger")
    assert.is_nil(io.open(target), "a partial " .. target .. " was left")
    assert.equal("big.txt\nerr\n", listing(d))
  end

  it("leaves no file from kwic -o", function()
    interrupted("kwic the " .. h.quote(big) .. " --tokens --format tsv -o " .. h.quote(d .. "/out.tsv"), d .. "/out.tsv")
  end)

  it("leaves no file from index -o", function()
    interrupted("index -q " .. h.quote(big) .. " -o " .. h.quote(d .. "/big.lexis"), d .. "/big.lexis")
  end)
end)

describe("an index file from another version, truncated or corrupted", function()
  local d, idx
  setup(function()
    d = tmpdir()
    idx = d .. "/c.lexis"
    local _, err, code = h.run({ "index", "-q", "corpus/", "-o", idx })
    assert(code == 0, err)
  end)
  teardown(function() rmdir(d) end)

  local function damaged(name, edit)
    local s = h.read(idx)
    return h.write(d .. "/" .. name, edit(s))
  end

  it("from another version: the header says so, and to rebuild it", function()
    local f = damaged("v.lexis", function(s) return s:sub(1, 8) .. "\99\0\0\0" .. s:sub(13) end)
    local _, err, code = h.run({ "kwic", "the", f })
    assert.equal(1, code)
    assert.equal("lexis: kwic: " .. f .. ": made by another version of lexis; rebuild it with 'lexis index'\n", err)
  end)

  it("truncated: its size differs from its header's", function()
    local f = damaged("t.lexis", function(s) return s:sub(1, #s // 2) end)
    local _, err, code = h.run({ "kwic", "the", f })
    assert.equal(1, code)
    assert.matches("t%.lexis: truncated or extended %(size differs from its header%); rebuild it with 'lexis index'", err)
    f = damaged("t2.lexis", function(s) return s:sub(1, 20) end)
    _, err, code = h.run({ "kwic", "the", f })
    assert.equal(1, code)
    assert.matches("t2%.lexis: too short to be a lexis index; rebuild it", err)
  end)

  it("not an index at all: kwic reads it as text, index --verify says so", function()
    local f = h.write(d .. "/n.lexis", ("x"):rep(200))
    local _, err, code = h.run({ "index", "--verify", f })
    assert.equal(1, code)
    assert.matches("n%.lexis: not a lexis index; rebuild it", err)
  end)

  it("corrupted: the header checksum, or --verify for the sections", function()
    local f = damaged("h.lexis", function(s) return s:sub(1, 30) .. "\255" .. s:sub(32) end)
    local _, err, code = h.run({ "kwic", "the", f })
    assert.equal(1, code)
    assert.matches("h%.lexis: damaged header %(checksum mismatch%); rebuild it with 'lexis index'", err)
    f = damaged("s.lexis", function(s)
      local i = #s // 2
      return s:sub(1, i - 1) .. string.char(s:byte(i) ~ 0xFF) .. s:sub(i + 1)
    end)
    -- kwic maps the index without reading it all, and must not crash
    local _
    _, _, code = h.run({ "kwic", "the", f, "--count" })
    assert.is_true(code == 0 or code == 1)
    _, err, code = h.run({ "index", "--verify", f })
    assert.equal(1, code)
    assert.matches("s%.lexis: damaged %(.- fails its checksum%); rebuild it with 'lexis index'", err)
  end)
end)
