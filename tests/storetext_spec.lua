-- lexis index --store-text (issue 15, "Self-contained indexes"): the text
-- kept in the index in zstd blocks, hits shown from it, so the index works
-- moved and without its sources; damage to the kept text is an error naming
-- the index; an index of an older version still opens.

local h = require "helper"
local craft = require "redteam.craft"

local function lexis(args)
  local out, err, code = h.run(args)
  return out, err, code
end

local function ok(args)
  local out, err, code = lexis(args)
  assert(code == 0, table.concat(args, " ") .. ": " .. err)
  return out, err
end

-- A corpus that goes through every path of the layout: the sample text,
-- several blocks of it (a 100 KB file), non-ASCII words, runs of white
-- space longer than any context window, an empty file.
local function make_corpus(dir)
  os.execute("mkdir -p " .. h.quote(dir))
  local sample = h.read("corpus/red-book-1936-excerpt.txt")
  h.write(dir .. "/a.txt", sample)
  local big = {}
  for i = 1, 60 do big[i] = sample:sub(1 + (i * 37) % 2000, 1700 + (i * 37) % 2000) end
  h.write(dir .. "/big.txt", table.concat(big, "\n\n"))
  h.write(dir .. "/u.txt", "Café naïve 東京 the end.\n" .. string.rep(" ", 3000) .. "the\n\n"
    .. string.rep("\n", 200) .. "The   last    the\tof it " .. string.rep("x ", 2000) .. "the")
  h.write(dir .. "/empty.txt", "")
end

describe("lexis index --store-text", function()
  local dir, src
  setup(function()
    dir = h.tmpdir()
    src = dir .. "/src"
    make_corpus(src)
    ok({ "index", "-q", src, "-o", dir .. "/plain.lexis" })
    ok({ "index", "-q", "--store-text", src, "-o", dir .. "/text.lexis" })
    ok({ "index", "-q", "--no-sentences", src, "-o", dir .. "/plain-ns.lexis" })
    ok({ "index", "-q", "--no-sentences", "--store-text", src, "-o", dir .. "/text-ns.lexis" })
  end)
  teardown(function() h.rmdir(dir) end)

  it("shows every hit as the index without the text does, in every format and layout", function()
    local layouts = {
      {}, { "--tokens" }, { "--sentence" }, { "--whole-sentence" }, { "--width", "200" },
      { "--sort", "R1", "--limit", "40" }, { "--left", "3", "--right", "3" },
    }
    local n = 0
    for _, fmt in ipairs({ "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }) do
      for _, extra in ipairs(layouts) do
        for _, pair in ipairs({ { "plain", "text" }, { "plain-ns", "text-ns" } }) do
          local function run(which)
            local args = { "kwic", "the", dir .. "/" .. which .. ".lexis", "--format", fmt }
            for _, a in ipairs(extra) do args[#args + 1] = a end
            return ok(args)
          end
          local a, b = run(pair[1]), run(pair[2])
          assert.is_true(#a > 1000)
          assert.are.equal(a, b, fmt .. " " .. table.concat(extra, " "))
          n = n + 1
        end
      end
    end
    assert.are.equal(98, n)
  end)

  it("says the index keeps the text, and makes it bigger by less than the text", function()
    local plain, text = #h.read(dir .. "/plain.lexis"), #h.read(dir .. "/text.lexis")
    local bytes = 0
    for _, f in ipairs({ "a.txt", "big.txt", "u.txt" }) do bytes = bytes + #h.read(src .. "/" .. f) end
    assert.is_true(text > plain and text - plain < bytes * 0.6, plain .. " " .. text .. " " .. bytes)
    local out = ok({ "index", "--verify", dir .. "/text.lexis" })
    assert.matches("its text is kept in the index and checked with it", out)
    assert.is_nil(ok({ "index", "--verify", dir .. "/plain.lexis" }):find("kept in the index"))
    local t = h.eval(string.format("local c = assert(lexis.open(%q)); io.write(tostring(c:stored()))", dir .. "/text.lexis"))
    assert.are.equal("true", t)
  end)

  it("works moved to another directory, its sources gone", function()
    local before = ok({ "kwic", "the", dir .. "/text.lexis", "--format", "json", "--sentence" })
    local moved = h.tmpdir()
    finally(function() h.rmdir(moved) end)
    os.execute("cp -r " .. h.quote(src) .. " " .. h.quote(moved .. "/src"))
    ok({ "index", "-q", "--store-text", moved .. "/src", "-o", moved .. "/m.lexis" })
    ok({ "index", "-q", moved .. "/src", "-o", moved .. "/p.lexis" })
    os.execute("mkdir -p " .. h.quote(moved .. "/elsewhere"))
    os.execute("mv " .. h.quote(moved .. "/m.lexis") .. " " .. h.quote(moved .. "/elsewhere/m.lexis"))
    local hits = ok({ "kwic", "Stalin", moved .. "/p.lexis", "--count" })
    h.rmdir(moved .. "/src")
    local after = ok({ "kwic", "the", moved .. "/elsewhere/m.lexis", "--format", "json", "--sentence" })
    -- the same hits, named by the paths they had
    assert.are.equal(before:gsub(h.quote(src):sub(2, -2), ""), after:gsub(moved .. "/src", ""))
    ok({ "index", "--verify", moved .. "/elsewhere/m.lexis" })
    local code = string.format([[
      local c = assert(lexis.open(%q))
      assert(#c:stale() == 0 and c:docs()[1].stale == false)
      io.write(c:text(1, 1, 24), "|", #c:kwic("Stalin"), "|", c:text(1, 25, 24), "\n")
    ]], moved .. "/elsewhere/m.lexis")
    local sample = h.read("corpus/red-book-1936-excerpt.txt")
    assert.are.equal(sample:sub(1, 24) .. "|" .. hits:match("%d+") .. "|\n", h.eval(code))
    -- the index without its text cannot show hits without its files, and says why
    local out, err, c2 = lexis({ "kwic", "the", moved .. "/p.lexis" })
    assert.are.equal(1, c2)
    assert.are.equal("", out)
    assert.matches("the index needs its source files", err)
  end)

  it("serves a document's text from the index, its sources gone", function()
    local sh = require "serve_helper"
    local cjson = require "cjson"
    local d = h.tmpdir()
    finally(function() h.rmdir(d) end)
    h.write(d .. "/a.txt", h.read("corpus/red-book-1936-excerpt.txt"))
    ok({ "index", "-q", "--store-text", d .. "/a.txt", "-o", d .. "/s.lexis" })
    os.remove(d .. "/a.txt")
    local server = sh.start({ "serve", d .. "/s.lexis", "--port", "0" })
    finally(function() if server.pid then sh.stop(server) end end)
    assert(not server.failed, server.err)
    local _, body = sh.get(server, "/api/kwic?q=opposition&limit=1")
    local hit = cjson.decode(body).hits[1]
    local code, doc = sh.get(server, string.format("/api/doc?doc=1&start=%d&end=%d&around=100", hit.start, hit["end"]))
    assert.are.equal(200, code, doc)
    local t = cjson.decode(doc)
    assert.are.equal(hit.node, t.hit)
    local text = h.read("corpus/red-book-1936-excerpt.txt")
    assert.truthy(text:find(t.before .. t.hit .. t.after, 1, true))
    assert.are.equal(math.min(100, hit.start - 1), #t.before)
  end)

  it("reports a flipped byte of the kept text as damage, naming the index", function()
    local path = dir .. "/text.lexis"
    local bytes = h.read(path)
    local secs = assert(require("lexis.core")._index_sections(path))
    local at = bytes:find(secs[craft.S.text], 1, true)
    assert.is_truthy(at)
    local i = at + 100                 -- inside the first block's frame
    local bad = dir .. "/flipped.lexis"
    h.write(bad, bytes:sub(1, i - 1) .. string.char(bytes:byte(i) ~ 0x10) .. bytes:sub(i + 1))
    local out, err, code = lexis({ "kwic", "the", bad })
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.are.equal("lexis: kwic: " .. bad .. ": damaged (stored text, the block at byte 0 of the "
                     .. "section fails its checksum); rebuild it with 'lexis index'\n", err)
    local _, verr, vcode = lexis({ "index", "--verify", bad })
    assert.are.equal(1, vcode)
    assert.matches("damaged %(stored text", verr)
    -- a query whose hits lie in other blocks still answers
    local c = assert(require("lexis").open(bad))
    assert.are.equal(#h.read(src .. "/u.txt"), #c:text(4, 1, #h.read(src .. "/u.txt")))
    local t, msg = c:text(1, 1, 10)
    assert.is_nil(t)
    assert.matches("damaged %(stored text", msg)
  end)

  it("indexes compressed files, HTML and converted text, whose hits it shows from the text kept", function()
    local d = h.tmpdir()
    finally(function() h.rmdir(d) end)
    h.write(d .. "/a.txt", h.read("corpus/red-book-1936-excerpt.txt"))
    assert(os.execute("gzip -k " .. h.quote(d .. "/a.txt")))
    h.write(d .. "/p.html", "<html><head><title>T</title><style>p{}</style></head><body><p>The cat &amp; "
      .. "the dog.</p><script>var the = 1</script><p>Another the.</p></body></html>")
    local _, err, code = lexis({ "index", d .. "/a.txt.gz", "-o", d .. "/no.lexis" })
    assert.are.equal(2, code)
    assert.matches("gzip%-compressed", err)
    ok({ "index", "-q", "--store-text", d .. "/a.txt.gz", d .. "/p.html", "-o", d .. "/gz.lexis" })
    os.remove(d .. "/a.txt.gz")
    local want = ok({ "kwic", "opposition", d .. "/a.txt", "--format", "tsv", "--no-header" })
    local got = ok({ "kwic", "opposition", d .. "/gz.lexis", "--format", "tsv", "--no-header" })
    assert.are.equal(want:gsub("[^\n]*/a%.txt\t", ""), got:gsub("[^\n]*/a%.txt%.gz\t", ""))
    local html = ok({ "kwic", "the", d .. "/gz.lexis", "--format", "tsv", "--no-header" })
    local n = 0
    for line in html:gmatch("p%.html[^\n]*") do
      n = n + 1
      assert.is_nil(line:find("<"), line)
      assert.is_nil(line:find("var"), line)
    end
    assert.are.equal(3, n)
  end)

  it("keeps the text on --update, copying the unchanged files' text", function()
    local d = h.tmpdir()
    finally(function() h.rmdir(d) end)
    make_corpus(d .. "/src")
    ok({ "index", "-q", "--store-text", d .. "/src", "-o", d .. "/u.lexis" })
    h.write(d .. "/src/u.txt", "A new text, the last one.\n")
    local _, err = ok({ "index", "--update", d .. "/src", "-o", d .. "/u.lexis" })
    assert.matches("3 files unchanged %(copied from the index%), 1 read", err)
    ok({ "index", "-q", d .. "/src", "-o", d .. "/p.lexis" })
    local a = ok({ "kwic", "the", d .. "/u.lexis", "--format", "jsonl" })
    assert.are.equal(ok({ "kwic", "the", d .. "/p.lexis", "--format", "jsonl" }), a)
    h.rmdir(d .. "/src")
    assert.are.equal(a, ok({ "kwic", "the", d .. "/u.lexis", "--format", "jsonl" }))
  end)

  it("says an annotated index keeps no text", function()
    local _, err = ok({ "index", "-q", "--store-text", "tests/data/vrt/sample.conllu", "-o", dir .. "/ann.lexis" })
    assert.matches("an annotated index %(.vrt, .conllu%) shows its words, not its files, so it keeps no text", err)
    assert.are.equal("false", h.eval(string.format("io.write(tostring(assert(lexis.open(%q)):stored()))", dir .. "/ann.lexis")))
  end)

  it("still opens an index of version 5 (no stored text), and shows its hits from the files", function()
    -- the fuzz harness's seed: two files it writes with fixed bytes and times
    local seed = "tests/fuzz/seeds/index_open/two-docs.lexis"
    assert.are.equal(5, string.unpack("<I4", h.read(seed), 9))
    local fd = "/tmp/lexis-fuzz-index"
    os.execute("mkdir -p " .. fd)
    h.write(fd .. "/cats.txt", "The cat sat on the mat. A Cat is not a dog, said the CAT.\n"
      .. "Catalogue, scat. The cat came back; the dog did not.\n")
    h.write(fd .. "/more.txt", "Mr. Smith went to Washington. He saw the cat there.\n"
      .. "Caf\u{e9} na\u{ef}ve \u{65e5}\u{672c} the end.\n")
    assert(os.execute("touch -d @1000000000 " .. fd .. "/cats.txt " .. fd .. "/more.txt"))
    local out = ok({ "kwic", "cat", seed, "--format", "tsv", "--no-header" })
    assert.are.equal(5, select(2, out:gsub("\n", "")))
    assert.matches("there%. Café", out)
    local r = h.eval(string.format("local c = assert(lexis.open(%q)); io.write(tostring(c:stored()), ' ', c:text(2, 1, 9))", seed))
    assert.are.equal("false Mr. Smith", r)
    -- and a version 6 file is what lexis index writes now
    assert.are.equal(6, string.unpack("<I4", h.read(dir .. "/plain.lexis"), 9))
  end)
end)
