-- Corpora and their index: lexis.corpus, c:save, lexis.open, `lexis index`,
-- and `lexis kwic QUERY INDEX`. An indexed query must give the same hits as
-- the scan of lexis.kwic; a damaged index must give a clear error.

local h = require "helper"
local kwic = require "lexis.kwic"
local corpus = require "lexis.corpus"

local D = "tests/data/kwic/texts/"
local FILES = { D .. "cats.txt", D .. "dogs.txt", D .. "wide.txt", "corpus/red-book-1936-excerpt.txt" }

local function rows(conc)
  local t = {}
  for _, hit in conc:hits() do
    t[#t + 1] = table.concat({ hit.doc, hit.position, hit.start, hit.stop, hit.left, hit.node, hit.right }, "|")
  end
  return t
end

local function index_of(files)
  local path = h.tmpname()
  assert(corpus.corpus(files):save(path))
  return path
end

describe("lexis.corpus", function()
  local c = corpus.corpus(FILES)

  it("keeps documents with their size and token count", function()
    local docs = c:docs()
    assert.equal(4, #docs)
    assert.equal(D .. "cats.txt", docs[1].path)
    assert.equal(#h.read(D .. "cats.txt"), docs[1].size)
    assert.equal(18, docs[1].tokens)            -- The cat sat on the mat . A Cat is ...
    assert.equal(1, docs[1].first)
    assert.equal(19, docs[2].first)
    local total = 0
    for _, d in ipairs(docs) do total = total + d.tokens end
    assert.equal(total, #c)
    assert.matches("^lexis.Corpus %(%d+ tokens, %d+ types, 4 documents%)$", tostring(c))
  end)

  it("counts words in any case", function()
    assert.equal(3, c:freq("cat"))
    assert.equal(3, c:freq("CAT"))
    assert.equal(0, c:freq("unicorn"))
    local exact, folded = c:types()
    assert.is_true(exact > folded)
  end)

  local queries = {
    { "cat" }, { "Cat", { case = true } }, { "c?t" }, { "d*" }, { "/^(cat|dog)s?$/" },
    { "the *" }, { "left opposition" }, { "the * of" }, { "[0-9]+", { regex = true } },
    { "東京" }, { "café" }, { "opposition", { sort = "R1,L1" } }, { "the", { sort = "-L2", limit = 5 } },
    { "the", { context = "chars", width = 12 } }, { "sat", { left = 0, right = 0 } },
    { "the", { sort = "node,R3,L3", reverse = true } }, { "the", { sort = "doc,-position" } },
    { "the", { sentence = true, left = 8, right = 8 } }, { "opposition", { context = "sentence" } },
    { "of", { sentence = true, context = "chars", width = 50 } },
  }
  for _, q in ipairs(queries) do
    it("finds what a scan finds: " .. q[1], function()
      local opts = q[2] or {}
      local want = rows(kwic.kwic(FILES, q[1], opts))
      assert.is_true(#want > 0)
      assert.same(want, rows(c:kwic(q[1], opts)))
    end)
  end

  it("splits sentences: numbers and bounds as a scan gives them", function()
    assert.is_true(c:sentences() > 50)
    for _, q in ipairs { "the", "left opposition", "cat" } do
      local want, got = {}, {}
      for _, hit in kwic.kwic(FILES, q, { sentence = true }):hits() do
        want[#want + 1] = hit.sentence .. "|" .. hit.left .. "|" .. hit.right
      end
      for _, hit in c:kwic(q, { sentence = true }):hits() do
        got[#got + 1] = hit.sentence .. "|" .. hit.left .. "|" .. hit.right
      end
      assert.same(want, got)
    end
    local mem = corpus.corpus({ D .. "cats.txt" }, { sentences = false })
    assert.equal(0, mem:sentences())
    -- without sentences in the index, the text is split when they are asked for
    assert.same({ 1, 2, 2 }, { mem:kwic("cat"):hit(1).sentence, mem:kwic("cat"):hit(2).sentence,
                               mem:kwic("cat"):hit(3).sentence })
  end)

  it("filters with a Lua predicate", function()
    local conc = c:kwic("the", { where = function(hit) return hit.node == "The" end })
    assert.is_true(#conc > 0)
    for _, hit in conc:hits() do assert.equal("The", hit.node) end
  end)

  it("finds nothing for an unknown word, and no phrase across documents", function()
    assert.equal(0, #c:kwic("unicorn"))
    -- cats.txt ends with "CAT ." and dogs.txt starts with "Dogs"
    assert.equal(0, #c:kwic(". dogs"))
  end)

  it("counts hits per document", function()
    assert.same({ { doc = D .. "cats.txt", hits = 1 }, { doc = D .. "dogs.txt", hits = 1 } },
                c:kwic("sat"):counts())
  end)
end)

describe("a sorted query with a limit on an index", function()
  it("keeps the hits a full sort keeps, picking the best in batches", function()
    -- more hits than one batch of lx_corpus_query's pick (40,000)
    local words = { "cat", "dog", "ox", "ant", "eel", "yak" }
    local parts, seed = {}, 7
    for i = 1, 60000 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      parts[i] = "the " .. words[seed % #words + 1] .. (i % 9 == 0 and ".\n" or " ")
    end
    local path = h.write(h.tmpname(), table.concat(parts))
    local idx = index_of({ path })
    local c = assert(corpus.open(idx))
    for _, sort in ipairs { "R1", "-R1,L1", "node,R1" } do
      local all = rows(c:kwic("the", { sort = sort, left = 1, right = 1 }))
      local best = rows(c:kwic("the", { sort = sort, limit = 500, left = 1, right = 1 }))
      assert.equal(500, #best)
      for i = 1, 500 do assert.equal(all[i], best[i], sort .. ": hit " .. i) end
    end
    c:close()
    os.remove(path)
    os.remove(idx)
  end)
end)

describe("a big file", function()
  it("is read by two threads and gives the hits a scan gives", function()
    -- 8 MB or more is split in two at a newline; each half has its own
    -- lexicon, merged after: ids, offsets and postings must line up.
    local para = h.read("corpus/red-book-1936-excerpt.txt") .. h.read(D .. "wide.txt")
    local n = 0
    local parts = {}
    while n < 9 * 1024 * 1024 do
      parts[#parts + 1] = para
      parts[#parts + 1] = "rare" .. #parts .. " word\n"
      n = n + #para + 12
    end
    local path = h.write(h.tmpname(), table.concat(parts))
    local c = corpus.corpus({ path })
    for _, q in ipairs { "rare*", "left opposition", "東京", "word" } do
      local opts = { sort = "R1,position", limit = 50, left = 2, right = 2 }
      assert.same(rows(kwic.kwic({ path }, q, opts)), rows(c:kwic(q, opts)))
      assert.equal(#kwic.kwic({ path }, q), #c:kwic(q))
    end
    -- sentences: each half is split alone when the cut is at a blank line
    local function sents(conc)
      local t = {}
      for _, hit in conc:hits() do t[#t + 1] = hit.sentence .. ":" .. hit.right end
      return table.concat(t, "|")
    end
    assert.equal(sents(kwic.kwic({ path }, "rare*", { sentence = true, right = 3 })),
                 sents(c:kwic("rare*", { sentence = true, right = 3 })))
    local last = kwic.kwic({ path }, "rare*", { sort = "-position", limit = 1 })
    assert.same(rows(last), rows(c:kwic("rare*", { sort = "-position", limit = 1 })))

    -- written as it is built (opts.output), then answered from the mapping:
    -- sections in another order, and a query gives back what it has mapped
    local idx = h.tmpname()
    local mapped = corpus.corpus({ path }, { output = idx })
    assert.is_true(mapped:verify())
    assert.equal(#c, #mapped)
    for _, q in ipairs { "rare*", "left opposition", "word", "the" } do
      local opts = { sort = "R1,position", limit = 50, left = 2, right = 2 }
      assert.same(rows(c:kwic(q, opts)), rows(mapped:kwic(q, opts)))
    end
    assert.equal(sents(c:kwic("rare*", { sentence = true, right = 3 })),
                 sents(mapped:kwic("rare*", { sentence = true, right = 3 })))
    mapped:close()
    local reopened = assert(lexis.open(idx))
    assert.same(rows(c:kwic("the opposition", { sort = "L1" })), rows(reopened:kwic("the opposition", { sort = "L1" })))
    reopened:close()
    os.remove(idx)
    os.remove(path)
  end)

  it("is cut at a blank line off the middle when there is none near it", function()
    -- the only blank line is at 40%: each half is split into sentences by
    -- its own thread, and the numbers must be those of a scan
    local line = "Aa bb cc. Dd ee ff? Gg hh ii!\n"
    local n = (8 * 1024 * 1024 + 4096) // #line + 1
    local k = n * 2 // 5
    local path = h.write(h.tmpname(), string.rep(line, k) .. "\nZz yy. " .. string.rep(line, n - k))
    local c = corpus.corpus({ path })
    assert.equal(3 * n + 1, c:sentences())
    local function sents(conc)
      local t = {}
      for _, hit in conc:hits() do t[#t + 1] = hit.sentence .. ":" .. hit.left .. "|" .. hit.right end
      return table.concat(t, " ")
    end
    for _, q in ipairs { "zz", "yy aa", "ii" } do
      local opts = { sentence = true, sort = "-position", limit = 3 }
      assert.equal(sents(kwic.kwic({ path }, q, opts)), sents(c:kwic(q, opts)))
    end
    os.remove(path)
  end)

  it("copies the unchanged documents of another corpus (opts.reuse)", function()
    local path = index_of(FILES)
    local old = assert(lexis.open(path))
    local c, counts = corpus.corpus(FILES, { reuse = old })
    assert.same({ read = 0, reused = #FILES }, counts)
    local mem = corpus.corpus(FILES)
    for _, q in ipairs { "the", "left opposition", "東京" } do
      local opts = { sort = "R1", sentence = true }
      assert.same(rows(mem:kwic(q, opts)), rows(c:kwic(q, opts)))
    end
    assert.equal(mem:sentences(), c:sentences())
    -- without sentences in the old index, a splitting build reads the files
    local bare = h.tmpname()
    corpus.corpus(FILES, { sentences = false, output = bare }):close()
    local old2 = assert(lexis.open(bare))
    local c2, counts2 = corpus.corpus(FILES, { reuse = old2 })
    assert.same({ read = #FILES, reused = 0 }, counts2)
    assert.equal(mem:sentences(), c2:sentences())
    old:close()
    old2:close()
    os.remove(path)
    os.remove(bare)
  end)

  it("refuses to be written where it cannot", function()
    local c, err, code = corpus.corpus(FILES, { output = "/nonexistent-dir/x.lexis" })
    assert.is_nil(c)
    assert.matches("/nonexistent%-dir/x%.lexis: No such file", err)
    assert.equal(2, code)   -- ENOENT
  end)
end)

describe("a big file without blank lines", function()
  it("is split into sentences in one pass after both halves", function()
    local line = "Aa bb cc. Dd ee ff? Gg hh ii!\n"
    local path = h.write(h.tmpname(), string.rep(line, (8 * 1024 * 1024 + 4096) // #line + 1))
    local c = corpus.corpus({ path })
    assert.equal(3 * ((8 * 1024 * 1024 + 4096) // #line + 1), c:sentences())
    local hit = c:kwic("gg", { sentence = true, sort = "-position", limit = 1 }):hit(1)
    assert.equal(c:sentences(), hit.sentence)
    assert.same({ "", "hh ii!" }, { hit.left, hit.right })
    os.remove(path)
  end)
end)

describe("random texts", function()
  it("give the same hits from the index as from a scan", function()
    local pieces = { "a", "B", "is", " ", " ", "\n", "\n\n", "\t", "\xff", "\xc3", "\u{301}", "東", "京",
                     ".", ",", "'", "-", "1", "Is. ", "é", "A.", "?" }
    math.randomseed(11)
    local files = {}
    for f = 1, 8 do
      local t = {}
      for i = 1, math.random(0, 600) do t[i] = pieces[math.random(#pieces)] end
      files[f] = h.write(h.tmpname(), table.concat(t))
    end
    local c = corpus.corpus(files)
    local function numbers(conc)
      local t = {}
      for _, hit in conc:hits() do t[#t + 1] = hit.position .. ":" .. hit.sentence end
      return t
    end
    for _, q in ipairs { "a", "is", "* is", "東京", "/[0-9]/", "b ?", "é" } do
      for _, opts in ipairs { { sort = "R1,L1" }, { left = 0, right = 0 },
                              { context = "chars", width = 7, sort = "-position" } } do
        assert.same(rows(kwic.kwic(files, q, opts)), rows(c:kwic(q, opts)))
      end
      -- sentence numbers agree; the index cuts a sentence at its first and
      -- last token, a scan at the splitter's bytes (a stray mark may differ)
      local opts = { sentence = true, left = 3, right = 2 }
      assert.same(numbers(kwic.kwic(files, q, opts)), numbers(c:kwic(q, opts)))
    end
    for _, f in ipairs(files) do os.remove(f) end
  end)
end)

describe("index files", function()
  it("save and open round trip, with the same hits", function()
    local path = index_of(FILES)
    local c = assert(lexis.open(path))
    local mem = corpus.corpus(FILES)
    assert.equal(#mem, #c)
    assert.same(mem:docs(), c:docs())
    for _, q in ipairs { "the", "left opposition", "c?t", "東京" } do
      assert.same(rows(mem:kwic(q, { sort = "R1" })), rows(c:kwic(q, { sort = "R1" })))
    end
    assert.is_true(c:verify())
    c:close()
    c:close()
    assert.matches("closed", tostring(c))
    os.remove(path)
  end)

  it("keep a closed corpus alive for the concordances made from it", function()
    local path = index_of(FILES)
    local c = assert(lexis.open(path))
    local conc = c:kwic("the", { sort = "R1" })
    c:close()
    assert.matches("closed", tostring(c))
    assert.has_error(function() c:kwic("the") end)
    assert.equal("the", conc:hit(1).node:lower())      -- still readable, no crash
    conc = nil
    collectgarbage()
    collectgarbage()
    os.remove(path)
  end)

  it("open an empty corpus", function()
    local path = index_of({ D .. "empty.txt" })
    local c = assert(lexis.open(path))
    assert.equal(0, #c)
    assert.equal(0, #c:kwic("x"))
    os.remove(path)
  end)

  it("refuse a file that is no index", function()
    local c, err = lexis.open(D .. "cats.txt")
    assert.is_nil(c)
    assert.matches("cats.txt: not a lexis index; rebuild it with 'lexis index'", err, 1, true)
    c, err = lexis.open("/nonexistent.lexis")
    assert.is_nil(c)
    assert.matches("/nonexistent.lexis: No such file", err, 1, true)
  end)

  it("refuse a truncated index at every length, never crashing", function()
    local path = index_of(FILES)
    local bytes = h.read(path)
    local cut = h.tmpname()
    for _, n in ipairs { 0, 7, 8, 40, 100, #bytes // 2, #bytes - 1 } do
      h.write(cut, bytes:sub(1, n))
      local c, err = lexis.open(cut)
      assert.is_nil(c, "opened a file cut at " .. n)
      assert.matches(cut:gsub("%p", "%%%0") .. ": .*rebuild it with 'lexis index'", err)
    end
    os.remove(cut)
    os.remove(path)
  end)

  it("refuse at opening an offset table that does not end where its data does", function()
    local path = index_of(FILES)
    -- section 11 (posting offsets) rewritten with valid checksums, so the
    -- check of the table's end is what refuses it
    local core = require "lexis.core"
    local secs = assert(core._index_sections(path))
    local p = secs[11]
    secs[11] = p:sub(1, #p - 8) .. string.pack("<I8", string.unpack("<I8", p, #p - 7) + 1)
    local bad = h.tmpname()
    assert(core._index_write(bad, secs))
    local c, err = lexis.open(bad)
    assert.is_nil(c)
    assert.matches("damaged (posting offsets); rebuild it with 'lexis index'", err, 1, true)
    os.remove(bad)
    os.remove(path)
  end)

  it("refuse or report a corrupted index, never crashing", function()
    local path = index_of(FILES)
    local bytes = h.read(path)
    local bad = h.tmpname()
    local opened, refused = 0, 0
    -- flip one byte at a time across the header and the sections
    for pos = 1, #bytes, math.max(1, #bytes // 300) do
      local b = bytes:byte(pos)
      h.write(bad, bytes:sub(1, pos - 1) .. string.char((b + 1 + pos) % 256 ~= b and (b + 1 + pos) % 256 or (b + 1) % 256) .. bytes:sub(pos + 1))
      local c, err = lexis.open(bad)
      if c then
        opened = opened + 1
        -- a damaged big section: queries may fail with a message, never crash
        for _, q in ipairs { "the", "left opposition", "c*" } do
          local ok, qerr = pcall(function()
            local conc, msg = c:kwic(q, { sort = "R1" })   -- damage found: nil, message, errno
            if not conc then error(msg, 0) end
            for _ in conc:hits() do end
          end)
          if not ok then assert.matches("rebuild", tostring(qerr)) end
        end
        local good, verr = c:verify()
        assert.is_nil(good, "verify missed a flipped byte at " .. pos)
        assert.matches("fails its checksum", verr, 1, true)
        c:close()
      else
        refused = refused + 1
        assert.matches("rebuild it with 'lexis index'", err, 1, true)
      end
    end
    assert.is_true(refused > 0)
    assert.is_true(opened > 0)
    os.remove(bad)
    os.remove(path)
  end)

  it("notices source files that changed since indexing", function()
    local dir = h.tmpname()
    os.remove(dir)
    os.execute("mkdir -p " .. h.quote(dir))
    local f = h.write(dir .. "/a.txt", "one two three two\n")
    local path = index_of({ f })
    local c = assert(lexis.open(path))
    assert.same({}, c:stale())
    assert.equal("two", c:kwic("two"):hit(1).node)
    h.write(f, "one two three two and more\n")
    assert.same({ f }, c:stale())
    local ok, err = pcall(function() return c:kwic("two"):hit(1) end)
    assert.is_false(ok)
    assert.matches("a.txt: changed since it was indexed; rebuild the index with 'lexis index'", err, 1, true)
    os.execute("rm -rf " .. h.quote(dir))
    os.remove(path)
  end)
end)

describe("lexis index and lexis kwic INDEX", function()
  it("index files and query the index like the files", function()
    local path = h.tmpname()
    local _, err, code = h.run({ "index", "-q", D, "corpus/", "-o", path })
    assert.equal(0, code, err)
    for _, args in ipairs {
      { "the", "--sort", "R1,R2", "--limit", "5" },
      { "left opposition", "--tokens", "--left", "2", "--right", "2", "--format", "tsv" },
      { "c?t", "--format", "jsonl" },
      { "/^[0-9]{4}$/", "--sort=-node", "--format", "csv", "--no-header" },
      { "東京", "--width", "6" },
    } do
      local want = h.run({ "kwic", args[1], D, "corpus/", table.unpack(args, 2) })
      local got, gerr, gcode = h.run({ "kwic", args[1], path, table.unpack(args, 2) })
      assert.equal(0, gcode, gerr)
      assert.is_true(#want > 0)
      assert.equal(want, got)
    end
    os.remove(path)
  end)

  it("prints a summary and verifies an index", function()
    local path = h.tmpname()
    local _, err, code = h.run({ "index", D, "-o", path })
    assert.equal(0, code)
    assert.matches("4 files, %d+ tokens, %d+ types", err)
    local out, _, vcode = h.run({ "index", "--verify", path })
    assert.equal(0, vcode)
    assert.matches(": ok, lexis.Corpus", out)
    os.remove(path)
  end)

  it("update an index: unchanged files are copied, the index is the one a rebuild makes", function()
    local dir = h.tmpdir()
    local red = h.read("corpus/red-book-1936-excerpt.txt")
    h.write(dir .. "/a.txt", red)
    h.write(dir .. "/b.txt", "The cat sat. The dog ran.\n")
    h.write(dir .. "/c.txt", "Gone tomorrow, said the cat.\n")
    local path, fresh = h.tmpname(), h.tmpname()
    assert.equal(0, select(3, h.run({ "index", "-q", dir, "-o", path })))
    -- one file changed, one removed, one added
    h.write(dir .. "/b.txt", "The cat sat. The dog ran away.\n")
    os.remove(dir .. "/c.txt")
    h.write(dir .. "/d.txt", "A new cat. Left opposition.\n")
    local _, err, code = h.run({ "index", "--update", dir, "-o", path })
    assert.equal(0, code, err)
    assert.matches("1 files unchanged %(copied from the index%), 2 read", err)
    assert.equal(0, select(3, h.run({ "index", "-q", dir, "-o", fresh })))
    assert.equal(h.read(fresh), h.read(path))
    local c = assert(lexis.open(path))
    assert.same({}, c:stale())
    local hit = c:kwic("opposition", { sentence = true, sort = "-position", limit = 1 }):hit(1)
    assert.equal(dir .. "/d.txt", hit.doc)
    assert.equal(2, hit.sentence)
    c:close()
    -- a damaged index is not updated from
    h.write(path, "LEXISIDX\1\0\0\0garbage")
    _, err, code = h.run({ "index", "--update", dir, "-o", path })
    assert.equal(1, code)
    assert.matches("rebuild it without %-%-update", err)
    os.remove(path)
    os.remove(fresh)
    h.rmdir(dir)
  end)

  it("reports a damaged index and exits 1", function()
    local path = h.write(h.tmpname(), "LEXISIDX\1\0\0\0garbage")
    local _, err, code = h.run({ "kwic", "x", path })
    assert.equal(1, code)
    assert.matches("rebuild it with 'lexis index'", err, 1, true)
    os.remove(path)
  end)

  it("needs -o", function()
    local _, err, code = h.run({ "index", D })
    assert.equal(2, code)
    assert.matches("missing %-o", err)
  end)
end)
