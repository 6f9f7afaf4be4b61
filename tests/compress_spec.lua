-- Compressed files and other encodings, read through the input layer
-- (src/input.c, src/decompress.c, src/recode.c): every reader gets the
-- same text as from the plain UTF-8 file, and damage is an error naming the
-- file and where.

local h = require "helper"
local q = h.quote

local function have(tool)
  return os.execute("command -v " .. tool .. " >/dev/null 2>&1")
end

local function sh(cmd)
  assert(os.execute(cmd), cmd)
end

-- Lines of mixed text, non-ASCII included, long enough (about 3 MB) that
-- the decoder thread fills its ring of buffers several times over.
local function sample()
  local lines = {}
  for i = 1, 40000 do
    lines[i] = string.format("Line %d: the cat sat on the mat. Der Käse kostet %d €, café, Ελλάδα, 東京.", i, i % 97)
  end
  return table.concat(lines, "\n") .. "\n"
end

local CODECS = { { "gzip", "gz" }, { "bzip2", "bz2" }, { "xz", "xz" }, { "zstd", "zst" } }

local COMMANDS = {
  { "freq" }, { "freq", "--lower", "--format", "tsv" }, { "tokens" }, { "tokens", "--count" },
  { "kwic", "café" }, { "kwic", "Käse", "--sort", "R1" }, { "sentences" }, { "ngrams", "-n", "2" },
  { "wordlist" }, { "collocates", "cat" }, { "keywords", "--ref" },
}

local function args(c, file)
  local t = {}
  for i, a in ipairs(c) do t[i] = a end
  if t[#t] == "--ref" then t[#t + 1] = file end   -- keywords: the file against itself
  t[#t + 1] = file
  return t
end

describe("compressed files", function()
  local d, plain
  setup(function()
    d = h.tmpdir()
    plain = h.write(d .. "/t.txt", sample())
    for _, z in ipairs(CODECS) do
      if have(z[1]) then sh(z[1] .. " -c " .. q(plain) .. " > " .. q(plain .. "." .. z[2])) end
    end
  end)
  teardown(function() h.rmdir(d) end)

  it("give every command the same output as the plain file, told apart by content", function()
    for _, c in ipairs(COMMANDS) do
      local want, werr, wcode = h.run(args(c, plain))
      assert.equal(0, wcode, werr)
      for _, z in ipairs(CODECS) do
        if have(z[1]) then
          -- named without its extension: the bytes decide, not the name
          local f = d .. "/" .. z[1] .. "-copy"
          sh("cp " .. q(plain .. "." .. z[2]) .. " " .. q(f))
          local out, err, code = h.run(args(c, f))
          assert.equal(0, code, table.concat(c, " ") .. " " .. z[1] .. ": " .. err)
          assert.equal(want, out, table.concat(c, " ") .. " " .. z[1])
          assert.equal(werr:gsub(q(plain), ""), err:gsub(q(f), ""))   -- no note of its own
        end
      end
    end
  end)

  it("give dfm the same matrix and features", function()
    local _, err, code = h.run({ "dfm", "-o", d .. "/plain", plain })
    assert.equal(0, code, err)
    for _, z in ipairs(CODECS) do
      if have(z[1]) then
        _, err, code = h.run({ "dfm", "-o", d .. "/" .. z[2], plain .. "." .. z[2] })
        assert.equal(0, code, z[1] .. ": " .. err)
        assert.equal(h.read(d .. "/plain.mtx"), h.read(d .. "/" .. z[2] .. ".mtx"), z[1])
        assert.equal(h.read(d .. "/plain.features"), h.read(d .. "/" .. z[2] .. ".features"), z[1])
      end
    end
  end)

  it("are read from standard input too, and through the Lua API", function()
    local want = h.run({ "freq", plain })
    local gz = plain .. ".gz"
    assert.equal(want, (h.run({ "freq" }, h.read(gz))))
    local code = [[
      local rows = {}
      for w, k in pairs(lexis.count({ %q })) do rows[#rows + 1] = w .. "=" .. k end
      table.sort(rows)
      io.write(#rows, " ", table.concat(rows, " "))]]
    local z, p = h.eval(string.format(code, gz)), h.eval(string.format(code, plain))
    assert.matches("^%d+ ", z)
    assert.equal(p, z)
  end)

  it("read concatenated streams as one text, with zero padding after them", function()
    local a = h.write(d .. "/a.txt", "alpha beta\n")
    local b = h.write(d .. "/b.txt", "gamma delta\n")
    sh(string.format("(gzip -c %s; gzip -c %s; printf '\\0\\0\\0') > %s/ab.gz", q(a), q(b), q(d)))
    local out, err, code = h.run({ "tokens", d .. "/ab.gz" })
    assert.equal(0, code, err)
    assert.equal("alpha\nbeta\ngamma\ndelta\n", out)
    if have("zstd") and have("xz") and have("bzip2") then
      for _, z in ipairs { "zstd", "xz", "bzip2" } do
        sh(string.format("(%s -c %s; %s -c %s) > %s/ab.%s", z, q(a), z, q(b), q(d), z))
        out, err, code = h.run({ "tokens", d .. "/ab." .. z })
        assert.equal(0, code, z .. ": " .. err)
        assert.equal("alpha\nbeta\ngamma\ndelta\n", out, z)
      end
    end
  end)

  it("that are truncated or damaged fail naming the file and the compressed byte", function()
    for _, z in ipairs(CODECS) do
      if have(z[1]) then
        local src = h.read(plain .. "." .. z[2])
        local cut = h.write(d .. "/cut." .. z[2], src:sub(1, #src // 2))
        local head = h.write(d .. "/head." .. z[2], src:sub(1, 5))
        -- damage in the middle: bytes flipped a third of the way in
        local at = #src // 3
        local bad = h.write(d .. "/bad." .. z[2], src:sub(1, at) .. "\x55\xAA\x55\xAA" .. src:sub(at + 5))
        for _, c in ipairs { { "freq" }, { "tokens", "--count" }, { "kwic", "cat" }, { "sentences" },
                             { "ngrams" }, { "wordlist" } } do
          for _, f in ipairs { cut, head } do
            local _, err, code = h.run(args(c, f))
            assert.equal(1, code, c[1] .. " " .. f)
            assert.matches(q(f):sub(2, -2):gsub("%p", "%%%0") .. ": " .. z[1]
              .. " data ends early %(truncated%) at compressed byte %d+, after %d+ bytes of text", err)
          end
          local _, err, code = h.run(args(c, bad))
          assert.equal(1, code, c[1] .. " " .. z[1] .. " damaged")
          assert.matches(bad:gsub("%p", "%%%0") .. ": " .. z[1] .. " data damaged %(.+%) near compressed byte %d+", err)
        end
      end
    end
  end)

  it("with other bytes after the stream fail, saying so", function()
    local f = d .. "/junk.gz"
    sh(string.format("(gzip -c %s; printf 'junk') > %s", q(plain), q(f)))
    local _, err, code = h.run({ "freq", f })
    assert.equal(1, code)
    assert.matches("junk.gz: gzip data ends, and bytes that are no stream follow at compressed byte %d+", err)
  end)

  it("holding binary data are skipped, and compressed twice are refused", function()
    local bin = d .. "/bin.gz"
    sh(string.format("printf 'a\\0b' | gzip -c > %s", q(bin)))
    local out, err, code = h.run({ "freq", bin })
    assert.equal(0, code, err)
    assert.matches("bin.gz: a binary file, skipped", err)
    assert.equal("", out:match("\n(.*)$") or "")
    local twice = d .. "/twice.gz"
    sh(string.format("gzip -c %s | gzip -c > %s", q(plain), q(twice)))
    _, err, code = h.run({ "tokens", twice })
    assert.equal(2, code)
    assert.matches("twice.gz: gzip data inside gzip data; lexis undoes one layer", err)
  end)

  it("cannot be indexed: the index is refused, nothing is written", function()
    local out = d .. "/x.lexis"
    local _, err, code = h.run({ "index", "-o", out, plain .. ".gz" })
    assert.equal(2, code)
    assert.matches("t.txt.gz: gzip%-compressed; an index shows its hits by reading its files again at the byte "
      .. "offsets it recorded, which a compressed file does not have: decompress it first %(gzip %-dc", err)
    assert.is_nil(io.open(out, "rb"))
    local r = h.eval(string.format("local c, e, n = lexis.corpus({ %q }); io.write(tostring(c), ' ', n)",
                                   plain .. ".gz"))
    assert.equal("nil 84", r)
  end)
end)

describe("encodings", function()
  local d
  setup(function() d = h.tmpdir() end)
  teardown(function() h.rmdir(d) end)

  local UTF8 = "Un café au lait, un café noir. Ça coûte 2 €.\n"

  it("a Latin-1 file: detected, with a note, and kwic finds café; so it does with --encoding latin1", function()
    local f = d .. "/l1.txt"
    sh(string.format("printf '%%s' %s | iconv -f UTF-8 -t LATIN1//TRANSLIT > %s", q(UTF8:gsub("€", "EUR")), q(f)))
    local out, err, code = h.run({ "kwic", "café", f })
    assert.equal(0, code, err)
    assert.equal(2, select(2, out:gsub("\n", "")))
    assert.matches("l1.txt: not UTF%-8 %(%d+ of the %d+ non%-ASCII bytes in its first %d+ are invalid%); read as "
      .. "ISO%-8859%-1 %(detected by uchardet", err)
    out, err, code = h.run({ "kwic", "café", "--encoding", "latin1", f })
    assert.equal(0, code, err)
    assert.equal(2, select(2, out:gsub("\n", "")))       -- two hits, a line each
    assert.matches("café", out, 1, true)
    assert.equal("", err)
    -- index takes it only to say why not, writing nothing
    _, err, code = h.run({ "index", "--encoding", "latin1", "-o", d .. "/l.lexis", f })
    assert.equal(2, code)
    assert.matches("index: %-%-encoding: an index shows its hits by reading its files again", err)
    assert.is_nil(io.open(d .. "/l.lexis", "rb"))
    -- every text command takes the option
    for _, c in ipairs { "freq", "tokens", "sentences", "ngrams", "wordlist" } do
      out, err, code = h.run({ c, "--encoding", "latin1", f })
      assert.equal(0, code, c .. ": " .. err)
      assert.matches("caf", out, 1, true)
      assert.not_matches("invalid", err, 1, true)
    end
  end)

  it("Windows-1252 is named when its letters are in the file", function()
    local f = h.write(d .. "/w.txt", "It costs 5 \x80 \x96 a \x93quote\x94.\n")
    local out, err = h.run({ "tokens", f })
    assert.matches("w.txt: not UTF%-8 .*; read as WINDOWS%-1252 %(detected by uchardet", err)
    assert.matches("\n€\n", out, 1, true)
    out, err = h.run({ "tokens", "--encoding", "cp1252", f })
    assert.equal("", err)
    assert.matches("\n€\n", out, 1, true)
  end)

  it("a UTF-8 file with a few stray bytes gets no note (today's policy)", function()
    local f = h.write(d .. "/u.txt", ("Ελλάδα café 東京 "):rep(50) .. "\xff\n")
    local _, err = h.run({ "freq", f })
    assert.not_matches("encoding", err, 1, true)
    assert.matches("1 invalid UTF%-8 byte", err)
  end)

  it("UTF-16 and UTF-32 with a byte-order mark are converted; without one too, with a note", function()
    local f = h.write(d .. "/u8.txt", UTF8)
    local want = h.run({ "tokens", f })
    for _, enc in ipairs { "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32" } do
      local g = d .. "/" .. enc .. ".txt"
      local mark = enc == "UTF-16LE" and "\xFF\xFE" or enc == "UTF-16BE" and "\xFE\xFF" or ""
      h.write(g, mark)
      sh(string.format("iconv -f UTF-8 -t %s %s >> %s", enc, q(f), q(g)))
      local out, err, code = h.run({ "tokens", g })
      assert.equal(0, code, enc .. ": " .. err)
      assert.equal(want, out, enc)
    end
    local bare = d .. "/bare.txt"
    sh(string.format("iconv -f UTF-8 -t UTF-16LE %s > %s", q(f), q(bare)))
    local out, err, code = h.run({ "tokens", bare })
    assert.equal(0, code, err)
    assert.equal(want, out)
    assert.matches("bare.txt: not UTF%-8 %(a NUL at every other byte of its first %d+: UTF%-16LE without a "
      .. "byte%-order mark%); read as UTF%-16LE", err)
    out, err, code = h.run({ "tokens", "--encoding", "utf-16le", bare })
    assert.equal(0, code, err)
    assert.equal(want, out)
    -- and compressed: converted after decompression
    sh(string.format("gzip -c %s > %s.gz", q(d .. "/UTF-16.txt"), q(d .. "/UTF-16.txt")))
    out, err, code = h.run({ "tokens", d .. "/UTF-16.txt.gz" })
    assert.equal(0, code, err)
    assert.equal(want, out)
    -- an index records offsets into UTF-8: refused, nothing written
    _, err, code = h.run({ "index", "-o", d .. "/x.lexis", d .. "/UTF-16.txt" })
    assert.equal(2, code)
    assert.matches("UTF%-16.txt: UTF%-16LE text with a byte%-order mark; an index shows its hits", err)
    assert.is_nil(io.open(d .. "/x.lexis", "rb"))
  end)

  it("a wrong --encoding fails naming the file and the byte; an unknown one is a usage error", function()
    local f = h.write(d .. "/u8.txt", UTF8)
    local out, err, code = h.run({ "freq", "--encoding", "ascii", f })
    assert.equal(2, code)                                -- EILSEQ: fix the input (or the option)
    assert.matches("u8.txt: not valid ascii at byte 7 %(0xC3%): is %-%-encoding right%?", err)
    assert.equal("", out)
    _, err, code = h.run({ "freq", "--encoding", "no-such-thing", f })
    assert.equal(2, code)
    assert.matches("%-%-encoding: unknown encoding 'no%-such%-thing'", err)
    -- a file cut inside a character
    local cut = d .. "/cut16.txt"
    sh(string.format("(iconv -f UTF-8 -t UTF-16 %s; printf 'x') > %s", q(f), q(cut)))
    _, err, code = h.run({ "tokens", cut })
    assert.equal(2, code)
    assert.matches("cut16.txt: ends inside a UTF%-16 character %(truncated%) at byte %d+", err)
  end)
end)
