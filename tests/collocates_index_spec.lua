-- Collocates counted from a corpus index (lexis collocates WORD X.lexis,
-- c:collocates, lexis.collocates(corpus, ...)) against reading the same
-- files with the same options: the results must be identical. A stale or
-- damaged index is a clear error.

local h = require "helper"
local corpus = require "lexis.corpus"
local stats = require "lexis.stats"

local D = "tests/data/kwic/texts/"

-- Text that makes the index's tokens and the words differ: punctuation
-- between words, numbers, case, letters that fold or normalize into
-- others, an invalid byte, sentence ends and a paragraph break.
local TRICKY = table.concat({
  "The THE the. Über ÜBER über straße STRASSE Straße Strasse; ΣΊΣΥΦΟΣ σίσυφος.",
  "ﬁsh fish FISH ① 1 ２ 2 İstanbul istanbul café cafe\u{301} CAFÉ e\255x the.",
  "well-known don't 3.14 1,000 $5 ... -- !!! the end of the line, of the day.",
  "",
  "New paragraph. The dog is here. Mr. Smith is the one of the dogs (the big one).",
  "The the the the the. Of the, of the: of -- the.",
  "It is the end.Next is the one.",       -- a sentence ends inside a token
}, "\n")

local function files_of(dir)
  local t = { D .. "cats.txt", D .. "dogs.txt", D .. "wide.txt", D .. "empty.txt",
              "corpus/red-book-1936-excerpt.txt" }
  t[#t + 1] = h.write(dir .. "/tricky.txt", TRICKY)
  t[#t + 1] = h.write(dir .. "/punct.txt", "... !!! ??? -- ,,,\n")
  t[#t + 1] = h.write(dir .. "/again.txt", TRICKY:upper() .. "\n" .. TRICKY)
  return t
end

local OPTIONS = {
  {}, { lower = true }, { fold = true }, { normalize = "nfc" }, { normalize = "nfkc" },
  { fold = true, normalize = "nfkc" }, { lower = true, normalize = "nfc" },
  { kinds = "word" }, { kinds = "all" }, { kinds = "word,number,invalid" }, { kinds = "punct,symbol" },
  { left = 0, right = 3 }, { left = 12, right = 7 }, { span = 0 }, { left = 1, right = 0 },
  { by = "mi", min = 2 }, { by = "t", min_freq = 3, top = 7 },
}

local NODES = {
  "the", "The", "is", "of", "th*", "[Tt]he", "?", { "the", "a" }, { "dog*", "cat" },
  "of the", "the the", "the end of", "zzzz", "1", "straße", "fish", "σίσυφος", "café",
  "東京", "Über",
}

local function describe_opts(o)
  local parts = {}
  for k, v in pairs(o) do parts[#parts + 1] = k .. "=" .. tostring(v) end
  table.sort(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

local function same(want, got, what)
  assert.equal(want.info.hits, got.info.hits, what .. ": hits")
  assert.equal(want.info.window, got.info.window, what .. ": window")
  assert.equal(want.info.tokens, got.info.tokens, what .. ": tokens")
  assert.equal(want:format("tsv"), got:format("tsv"), what)
end

describe("collocates from an index", function()
  local dir = h.tmpdir()
  local files = files_of(dir)
  local path = dir .. "/c.lexis"
  local built = corpus.corpus(files)
  assert(built:save(path))
  local opened = assert(lexis.open(path))

  it("are those of reading the files, for every option and node", function()
    for _, o in ipairs(OPTIONS) do
      for _, node in ipairs(NODES) do
        local what = string.format("%s %s", type(node) == "table" and table.concat(node, "|") or node,
                                   describe_opts(o))
        local ok, want = pcall(stats.collocates, files, node, o)
        if not ok then
          -- a node that is no word under these options is refused either way
          assert.has_error(function() stats.collocates(opened, node, o) end)
        else
          same(want, stats.collocates(opened, node, o), what .. " (opened)")
          same(want, stats.collocates(built, node, o), what .. " (built)")
        end
      end
    end
  end)

  it("serve c:collocates (case folded by default) without the files", function()
    -- texts with no file behind them: only the index can answer
    local b = require("lexis.core").builder()
    b:addtext("one", "The cat sat on the mat. The dog sat on the cat.")
    b:addtext("two", "A cat, a dog; the cat!")
    local c = b:finish()
    local r = c:collocates("cat", { span = 2, by = "observed" })
    assert.equal(4, r.info.hits)
    assert.equal(18, r.info.tokens)           -- words, without the punctuation
    local got = {}
    for _, row in ipairs(r) do got[row.word] = row.observed end
    -- no window runs from the first text into the second; "dog" stands in
    -- both windows of "a cat, a dog; the cat" and counts once
    assert.same({ the = 3, on = 2, a = 2, dog = 1, sat = 1 }, got)
    same(stats.collocates(files, "the", { fold = true }), opened:collocates("the"), "c:collocates")
    same(stats.collocates(files, "The", { span = 2 }), opened:collocates("The", { fold = false, span = 2 }),
         "c:collocates, case kept")
  end)

  it("read the files for what the index cannot give", function()
    -- hyphens and split apostrophes cut tokens as the index did not; a
    -- sentence can end inside a token ("end.Next"), which a reader going
    -- sentence by sentence reads as two words
    for _, o in ipairs { { hyphens = true }, { apostrophes = false }, { kinds = "word,space" },
                         { sentences = true }, { sentences = true, lower = true, span = 8 },
                         { sentences = true, kinds = "all", left = 3, right = 2 } } do
      for _, node in ipairs { "the", "is", "of the" } do
        same(stats.collocates(files, node, o), stats.collocates(opened, node, o), describe_opts(o))
        same(stats.collocates(files, node, o), stats.collocates(built, node, o), describe_opts(o))
      end
    end
    local flat = corpus.corpus(files, { sentences = false })
    same(stats.collocates(files, "the", { sentences = true }),
         stats.collocates(flat, "the", { sentences = true }), "sentences from the files")
  end)

  it("are what lexis collocates prints for an index", function()
    for _, args in ipairs {
      { "--top", "10", "the" }, { "--lower", "--left", "2", "--right", "0", "of" },
      { "--by", "mi3", "--format", "tsv", "-k", "all", "the" }, { "--fold", "th*" },
    } do
      local a = { "collocates" }
      for _, x in ipairs(args) do a[#a + 1] = x end
      local want, err, code = h.run((function()
        local t = { table.unpack(a) }
        for _, f in ipairs(files) do t[#t + 1] = f end
        return t
      end)())
      assert.equal(0, code, err)
      a[#a + 1] = path
      local got, err2, code2 = h.run(a)
      assert.equal(0, code2, err2)
      assert.equal(want, got)
    end
  end)

  it("are the same when the nodes are walked in two halves at once", function()
    -- en-100M's frequent nodes are walked by two threads, each half
    -- marking the windows of the other that reach into its own; here every
    -- node list is split (LEXIS_TEST_WALK_SPLIT), phrases and overlapping
    -- windows included
    for _, args in ipairs {
      { "the" }, { "--left", "10", "--right", "10", "the" }, { "--lower", "of the" },
      { "--left", "0", "--right", "1", "the" }, { "--fold", "th*" }, { "the the" },
      { "--left", "3", "--right", "3", "-k", "all", "the" }, { "--by", "mi", "is" },
    } do
      local a = { "collocates", "--top", "0" }
      for _, x in ipairs(args) do a[#a + 1] = x end
      a[#a + 1] = path
      local want, err, code = h.run(a)
      assert.equal(0, code, err)
      local got, err2, code2 = h.run(a, nil, { LEXIS_TEST_WALK_SPLIT = "2" })
      assert.equal(0, code2, err2)
      assert.equal(want, got, table.concat(args, " "))
      -- each walker keeps 32-bit counts and adds them to the 64-bit ones
      -- before they could overflow: here every few positions
      got, err2, code2 = h.run(a, nil, { LEXIS_TEST_WALK_SPLIT = "2", LEXIS_TEST_WALK_FLUSH = "5" })
      assert.equal(0, code2, err2)
      assert.equal(want, got, table.concat(args, " ") .. " (flushed)")
    end
  end)

  it("refuse a stale index with a clear message", function()
    local d2 = h.tmpdir()
    local f = h.write(d2 .. "/t.txt", "the cat and the dog\n")
    local idx = d2 .. "/t.lexis"
    local _, err, code = h.run({ "index", "-q", f, "-o", idx })
    assert.equal(0, code, err)
    assert.equal(0, select(3, h.run({ "collocates", "the", idx })))
    h.write(f, "the cat and the dog and more\n")
    local out
    out, err, code = h.run({ "collocates", "the", idx })
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("t.txt: changed since it was indexed; rebuild the index", err, 1, true)
    local c = assert(lexis.open(idx))
    local r, msg = c:collocates("the")     -- a failure, returned
    assert.is_nil(r)
    assert.matches("changed since it was indexed", msg)
    h.rmdir(d2)
  end)

  it("refuse a damaged index with a clear message, never crashing", function()
    local bytes = h.read(path)
    -- the section table: after 32 bytes, 24 per section (offset, size, checksum)
    local function section(i)
      local off, size = string.unpack("<I8I8", bytes, 32 + 24 * i + 1)
      return off, size
    end
    local bad = dir .. "/bad.lexis"
    -- lexicon offsets, case folding, posting offsets, frequencies, postings, token ids
    for _, sec in ipairs { 3, 5, 10, 11, 12, 13 } do
      local off, size = section(sec)
      assert.is_true(size > 0)
      h.write(bad, bytes:sub(1, off) .. string.rep("\255", size) .. bytes:sub(off + size + 1))
      -- an offset table that does not end where its data does is refused
      -- when opened; other damage when counting
      local c, oerr = lexis.open(bad)
      if not c then
        assert.matches("bad.lexis: damaged (", oerr, 1, true)
        assert.matches("); rebuild it with 'lexis index'", oerr, 1, true)
      else
        for _, node in ipairs { "the", "th*", "of the" } do
          local r, msg, code = stats.collocates(c, node, {})   -- a failure, returned
          assert.is_nil(r, "section " .. sec .. " " .. node)
          assert.matches("bad.lexis: damaged (", msg, 1, true)
          assert.matches("fails its checksum); rebuild it with 'lexis index'", msg, 1, true)
          assert.equal(74, code)   -- EBADMSG
        end
        c:close()
      end
    end
    local out, err, code = h.run({ "collocates", "the", bad })
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("damaged %(.-%); rebuild it", err)
  end)

  teardown(function()
    opened:close()
    h.rmdir(dir)
  end)
end)
