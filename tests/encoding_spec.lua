-- Encodings detected and converted by the input layer (src/input.c,
-- src/charset.c, src/recode.c): a file clearly not UTF-8 is read in the
-- encoding uchardet names (or a Latin-1/Windows-1252 guess without it), with
-- one note on stderr; UTF-16 without a byte-order mark likewise. The texts
-- are made here with iconv from the UTF-8 samples in tests/data/encoding/.

local h = require "helper"
local q = h.quote

local DATA = "tests/data/encoding/"

local function sh(cmd)
  assert(os.execute(cmd), cmd)
end

-- The sample `src` (UTF-8) in encoding `enc`, written to d/name.
local function made(d, src, enc, name)
  local f = d .. "/" .. name
  sh(string.format("iconv -f UTF-8 -t %s %s > %s", enc, q(DATA .. src), q(f)))
  return f
end

local function freq(f, env, extra)
  local args = { "freq", "--format", "tsv", "--no-header" }
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  args[#args + 1] = f
  return h.run(args, nil, env)
end

local function esc(s)
  return (s:gsub("%p", "%%%0"))
end

describe("a file clearly not UTF-8", function()
  local d
  setup(function() d = h.tmpdir() end)
  teardown(function() h.rmdir(d) end)

  -- sample, iconv's name to make it, the name uchardet gives
  local CASES = {
    { "fr.txt", "LATIN1", "ISO-8859-1" },
    { "cp1252.txt", "CP1252", "WINDOWS-1252" },
    { "ru.txt", "KOI8-R", "KOI8-R" },
    { "ja.txt", "SHIFT_JIS", "SHIFT_JIS" },
    { "ja.txt", "EUC-JP", "EUC-JP" },
    { "zh-hans.txt", "GB18030", "GB18030" },
    { "zh-hant.txt", "BIG5", "BIG5" },
  }

  for _, c in ipairs(CASES) do
    local src, enc, named = c[1], c[2], c[3]
    it(enc .. ": the words of the UTF-8 original, and one note naming the encoding", function()
      local want, werr, wcode = freq(DATA .. src)
      assert.equal(0, wcode, werr)
      assert.equal("", werr)
      local f = made(d, src, enc, enc .. ".txt")
      local out, err, code = freq(f)
      assert.equal(0, code, err)
      assert.equal(want, out)
      assert.matches("^lexis: " .. esc(f) .. ": not UTF%-8 %(%d+ of the %d+ non%-ASCII bytes in its first %d+ "
        .. "are invalid%); read as " .. esc(named) .. " %(detected by uchardet; %-%-encoding NAME to choose "
        .. "another%)\n$", err)
    end)
  end

  it("Latin-1: kwic café finds its hits; Windows-1252's curly quotes come out as quotes", function()
    local f = made(d, "fr.txt", "LATIN1", "l1.txt")
    local want = h.run({ "kwic", "café", DATA .. "fr.txt" })
    local out, err, code = h.run({ "kwic", "café", f })
    assert.equal(0, code, err)
    assert.equal(want, out)
    assert.equal(3, select(2, out:gsub("\n", "")))
    f = made(d, "cp1252.txt", "CP1252", "w.txt")
    out, err, code = h.run({ "tokens", "-k", "punct", f })
    assert.equal(0, code, err)
    assert.matches("\n“\n", "\n" .. out, 1, true)
    assert.matches("\n—\n", out, 1, true)
  end)

  it("UTF-16LE and UTF-16BE without a byte-order mark: the words, with a note (NUL at every other byte)", function()
    local want = freq(DATA .. "fr.txt")
    for _, enc in ipairs { "UTF-16LE", "UTF-16BE" } do
      local f = made(d, "fr.txt", enc, enc .. ".txt")
      local out, err, code = freq(f)
      assert.equal(0, code, err)
      assert.equal(want, out, enc)
      assert.matches("^lexis: " .. esc(f) .. ": not UTF%-8 %(a NUL at every other byte of its first %d+: "
        .. esc(enc) .. " without a byte%-order mark%); read as " .. esc(enc) .. " %(%-%-encoding NAME to choose another%)\n$", err)
    end
  end)

  it("compressed: converted after decompression", function()
    local want = freq(DATA .. "ru.txt")
    local f = made(d, "ru.txt", "KOI8-R", "ru.koi")
    sh("gzip -kf " .. q(f))
    local out, err, code = freq(f .. ".gz")
    assert.equal(0, code, err)
    assert.equal(want, out)
    assert.matches("read as KOI8-R (detected by uchardet", err, 1, true)
  end)

  it("a UTF-8 file with 3 stray bytes among many valid non-ASCII letters is not converted", function()
    local text = h.read(DATA .. "fr.txt")
    text = text:gsub("Hélène", "H\xE9lène", 1):gsub("matin", "mat\xEEn", 1):gsub("élèves", "\xE9lèves", 1)
    local f = h.write(d .. "/stray.txt", text)
    local out, err, code = freq(f)
    assert.equal(0, code, err)
    assert.not_matches("read as", err, 1, true)
    assert.not_matches("not UTF-8", err, 1, true)
    assert.matches("3 invalid UTF%-8 bytes", err)
    assert.matches("\ncafé\t", "\n" .. out:gsub("\n%d+\t", "\n"), 1, true)
  end)

  it("without uchardet: the Latin-1 or Windows-1252 guess, saying so; anything else read as UTF-8, saying so", function()
    local env = { LEXIS_TEST_NO_UCHARDET = "1" }
    local f = made(d, "fr.txt", "LATIN1", "l1.txt")
    local out, err, code = h.run({ "kwic", "café", f }, nil, env)
    assert.equal(0, code, err)
    assert.equal(h.run({ "kwic", "café", DATA .. "fr.txt" }), out)
    assert.matches("; read as ISO-8859-1 (a guess: uchardet (Debian package libuchardet0) could not be loaded: "
      .. "LEXIS_TEST_NO_UCHARDET is set; --encoding NAME to choose another)\n", err, 1, true)
    f = made(d, "cp1252.txt", "CP1252", "w.txt")
    out, err, code = freq(f, env)
    assert.equal(0, code, err)
    assert.equal(freq(DATA .. "cp1252.txt"), out)
    assert.matches("; read as WINDOWS-1252 (a guess: uchardet", err, 1, true)
    -- Shift-JIS has bytes Windows-1252 leaves undefined: no guess fits
    f = made(d, "ja.txt", "SHIFT_JIS", "sjis.txt")
    out, err, code = freq(f, env)
    assert.equal(0, code, err)
    assert.matches(esc(f) .. ": not UTF%-8 %(.-%), in an encoding not known %(uchardet %(Debian package "
      .. "libuchardet0%) could not be loaded: LEXIS_TEST_NO_UCHARDET is set, and it is not Latin%-1 or "
      .. "Windows%-1252%): read as UTF%-8, its invalid bytes counted; give %-%-encoding NAME\n", err)
    assert.matches("invalid UTF%-8 bytes", err)
    out, err, code = freq(f, env, { "--encoding", "shift-jis" })
    assert.equal(0, code, err)
    assert.equal(freq(DATA .. "ja.txt"), out)
    assert.equal("", err)
  end)

  it("--encoding forces one, without a note; --encoding utf-8 reads the bytes as they are", function()
    local f = made(d, "ru.txt", "KOI8-R", "ru.txt")
    local out, err, code = freq(f, nil, { "--encoding", "cp1251" })
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.not_equal(freq(DATA .. "ru.txt"), out)          -- forced, and wrong
    out, err, code = freq(f, nil, { "--encoding", "utf-8" })
    assert.equal(0, code, err)
    assert.not_matches("read as", err, 1, true)
    assert.matches("invalid UTF%-8 bytes, the first at byte 1", err)
    -- UTF-16 without a mark is then bytes with NULs: skipped as binary
    local g = made(d, "fr.txt", "UTF-16LE", "u16.txt")
    _, err = h.run({ "freq", "--encoding", "UTF-8", g })
    assert.matches("u16.txt: a binary file, skipped", err, 1, true)
  end)

  it("an index refuses converted text unless it keeps the text (--store-text), naming the encoding", function()
    local f = made(d, "ru.txt", "KOI8-R", "ru.txt")
    local x = d .. "/ru.lexis"
    local _, err, code = h.run({ "index", "-o", x, f })
    assert.equal(2, code)
    assert.matches("^lexis: index: " .. esc(f) .. ": not UTF%-8 %(.-%), in KOI8%-R; an index shows its hits by "
      .. "reading its files again .- give %-%-store%-text", err)
    assert.is_nil(io.open(x, "rb"))
    local g = made(d, "fr.txt", "UTF-16BE", "u16.txt")
    _, err, code = h.run({ "index", "-o", x, g })
    assert.equal(2, code)
    assert.matches("in UTF-16BE; an index shows its hits", err, 1, true)
    _, err, code = h.run({ "index", "--store-text", "-o", x, f })
    assert.equal(0, code, err)
    local out = h.run({ "kwic", "учитель", x })
    assert.equal(h.run({ "kwic", "учитель", DATA .. "ru.txt" }):gsub("[^\n]", ""), out:gsub("[^\n]", ""))
    assert.matches("учитель", out, 1, true)
  end)
end)
