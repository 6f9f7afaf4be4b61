-- Damaged and crafted indexes (issue 12, items 1, 2, 10 and 11): every
-- damage ends in a clear error naming the index, never a signal, a hang or
-- an answer that differs without a word.
--
-- Small (make test, make asan): every 11th byte of a small index flipped,
-- the crafted cases, the edits. Full (make redteam): every byte of the
-- small index and 400 random bytes of one of about 50,000 tokens (1.2 MB).

local h = require "helper"
local lib = require "redteam.lib"
local craft = require "redteam.craft"

local function sh(cmd) assert(os.execute(cmd)) end

-- Two small files (the fuzz harness's own) and their index.
local function small_corpus(dir)
  h.write(dir .. "/cats.txt", "The cat sat on the mat. A Cat is not a dog, said the CAT.\n"
                           .. "Catalogue, scat. The cat came back; the dog did not.\n")
  h.write(dir .. "/more.txt", "Mr. Smith went to Washington. He saw the cat there.\n"
                           .. "Caf\u{e9} na\u{ef}ve the end. The dig is big.\n")
  local idx = dir .. "/s.lexis"
  local _, err, code = h.run({ "index", "-q", dir .. "/cats.txt", dir .. "/more.txt", "-o", idx })
  assert(code == 0, err)
  return idx
end

-- A bigger one: the sample text many times over, and a vocabulary of
-- made-up words, so each section spans many checksummed blocks.
local function big_corpus(dir, lines)
  local sample = h.read("corpus/red-book-1936-excerpt.txt")
  local f = assert(io.open(dir .. "/big.txt", "wb"))
  f:write(sample, "\n")
  math.randomseed(7)
  for i = 1, lines do
    local w = {}
    for j = 1, 8 do w[j] = string.format("w%x", math.random(1, 40000)) end
    f:write("The cat ", table.concat(w, " "), " sat on the mat", i % 5 == 0 and ".\n" or ",\n")
  end
  f:close()
  local idx = dir .. "/big.lexis"
  local _, err, code = h.run({ "index", "-q", dir .. "/big.txt", "-o", idx })
  assert(code == 0, err)
  return idx
end

-- runs the flip harness; returns its report line and the silent flips
local function flip(idx, which, seconds)
  local out, err, code = lib.run_capped(string.format("cd %s && %s %s/tests/redteam/flip.lua %s %s",
    h.quote(idx:match("^(.*)/")), h.quote(lib.bin), h.quote(os.getenv("PWD") or "."), h.quote(idx), which),
    seconds)
  return out, err, code
end

describe("the flip harness (issue 12, item 11)", function()
  local dir, idx
  setup(function() dir = h.tmpdir(); idx = small_corpus(dir) end)
  teardown(function() h.rmdir(dir) end)

  it("finds no silent wrong answer and no signal over the bytes of a small index", function()
    local out, err, code = flip(idx, lib.size("every:11", "every"), lib.size(300, 120))
    assert.are.equal(0, code, err)
    local flips, same, errors, silent = out:match("flips (%d+) same (%d+) errors (%d+) silent (%d+)")
    assert.is_truthy(flips, out .. err)
    assert.are.equal("0", silent, out)
    assert.is_true(tonumber(errors) > tonumber(flips) / 4, out)   -- the damage is read, not skipped
  end)

  it("finds no silent wrong answer over the bytes of a small annotated index", function()
    local vrt = dir .. "/cats.vrt"
    h.write(vrt, "<text id=\"a\" year=\"1936\">\n<s>\nThe\tthe\tDT\ncat\tcat\tNN\nsat\tsit\tVBD\n</s>\n"
              .. "<s n=\"2\">\non\ton\tIN\nthe\tthe\tDT\nCAT\tcat\tNN\n.\t.\t.\n</s>\n</text>\n"
              .. "<text id=\"b\">\n<s>\nCaf\u{e9}\tcaf\u{e9}\tNN\ndig\tdig\tVB\ncat\tcat\tNN\n</s>\n</text>\n")
    local aidx = dir .. "/a.lexis"
    local _, ierr, icode = h.run({ "index", "-q", vrt, "-o", aidx })
    assert.are.equal(0, icode, ierr)
    local out, err, code = flip(aidx, lib.size("every:7", "every"), lib.size(300, 120))
    assert.are.equal(0, code, err)
    local flips, _, errors, silent = out:match("flips (%d+) same (%d+) errors (%d+) silent (%d+)")
    assert.is_truthy(flips, out .. err)
    assert.are.equal("0", silent, out)
    assert.is_true(tonumber(errors) > tonumber(flips) / 4, out)
  end)

  it("finds none over random bytes of a bigger one", function()
    local bdir = h.tmpdir()
    local big = big_corpus(bdir, lib.size(200, 3000))
    local out, err, code = flip(big, lib.size("random:30", "random:400"), lib.size(300, 150))
    h.rmdir(bdir)
    assert.are.equal(0, code, err)
    assert.is_truthy(out:match("silent 0\n"), out)
  end)

  it("names the section and the byte of a damaged block", function()
    local bytes = h.read(idx)
    local secs = require("lexis.core")._index_sections(idx)
    local at = bytes:find(secs[craft.S.ids], 1, true)      -- where the token ids are in the file
    local i = at + 40
    h.write(dir .. "/d.lexis", bytes:sub(1, i - 1) .. string.char(bytes:byte(i) ~ 1) .. bytes:sub(i + 1))
    local out, err, code = h.run({ "kwic", "*", dir .. "/d.lexis", "--sort", "R1" })
    assert.are.equal(1, code, err)
    assert.are.equal("", out)
    assert.are.equal("lexis: kwic: " .. dir .. "/d.lexis: damaged (token ids, the block at byte 0 of the "
                     .. "section fails its checksum); rebuild it with 'lexis index'\n", err)
    local c = assert(require("lexis").open(dir .. "/d.lexis"))
    local ok, msg = c:verify()
    assert.is_nil(ok)
    assert.matches("damaged %(token ids", msg)
  end)

  it("reports an index whose magic number is damaged as a damaged index, not as text", function()
    local bytes = h.read(idx)
    h.write(dir .. "/m.lexis", "LEXISIDY" .. bytes:sub(9))
    local out, err, code = h.run({ "kwic", "cat", dir .. "/m.lexis" })
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.matches("m%.lexis: damaged header %(its magic number%); rebuild it", err)
    local c, msg = require("lexis").open(dir .. "/m.lexis")
    assert.is_nil(c)
    assert.matches("damaged header", msg)
    -- a text file that starts like one is still text
    h.write(dir .. "/t.txt", "LEXISIDY the cat\n")
    out, err, code = h.run({ "kwic", "cat", dir .. "/t.txt", "--count" })
    assert.are.equal(0, code, err)
    assert.are.equal("1\n", out)
  end)
end)

describe("crafted indexes with valid checksums (issue 12, item 1)", function()
  local dir, idx
  setup(function() dir = h.tmpdir(); idx = small_corpus(dir) end)
  teardown(function() h.rmdir(dir) end)

  local COMMANDS = {
    { "kwic", "cat" }, { "kwic", "*", "--sort", "R1,L2" }, { "kwic", "the", "--format", "jsonl" },
    { "kwic", "The", "--case" }, { "kwic", "c*", "--sort", "node" }, { "collocates", "cat" },
    { "index", "--verify" },
  }
  for _, case in ipairs(craft.cases) do
    it(case[1] .. ": " .. case[2], function()
      local path = craft.craft(idx, case, dir .. "/" .. case[1] .. ".lexis")
      local failed = 0
      for _, cmd in ipairs(COMMANDS) do
        local words = { h.quote(lib.bin) }
        for i, w in ipairs(cmd) do words[i + 1] = h.quote(w) end
        table.insert(words, 4, h.quote(path))     -- lexis kwic QUERY PATH, index --verify PATH
        local line = table.concat(words, " ")
        local _, err, code = lib.run_capped(line, 60)
        assert.is_true(code == 0 or code == 1 or code == 2, line .. " exited " .. tostring(code) .. ": " .. err)
        assert.is_nil(err:find("traceback"), err)
        if code ~= 0 and case[2] == "survive" then      -- (it can read as a changed file)
          assert.matches("^lexis: .*rebuild", err)
        elseif code ~= 0 then
          failed = failed + 1
          assert.is_truthy(err:find(path, 1, true), line .. ": " .. err)
          assert.matches("damaged", err)
          assert.matches("rebuild it with 'lexis index'", err)
        end
      end
      if case[2] == "refuse" then assert.are.equal(#COMMANDS, failed) end
      if case[2] == "error" then assert.is_true(failed > 0) end
      if case[2] == "refuse" then
        local c, msg = require("lexis").open(path)
        assert.is_nil(c)
        assert.matches("damaged", msg)
      end
    end)
  end
end)

describe("the commit path (issue 12, item 2)", function()
  it("names the output it could not put in place (-o \"\")", function()
    local dir = h.tmpdir()
    h.write(dir .. "/f.txt", "the cat\n")
    local out, err, code = lib.run_capped(string.format("cd %s && %s index f.txt -o ''", h.quote(dir),
                                                        h.quote(lib.bin)), 60)
    local left = io.popen("ls -A " .. h.quote(dir)):read("a")
    h.rmdir(dir)
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.are.equal("lexis: index: : No such file or directory\n", err)
    assert.are.equal("f.txt\n", left)                  -- no temporary file left behind
  end)
end)

describe("an edit that keeps size and time (issue 12, item 10)", function()
  local dir, idx
  before_each(function()
    dir = h.tmpdir()
    h.write(dir .. "/a.txt", "The cat sat on the mat.\nA dog ran.\n")
    h.write(dir .. "/b.txt", "Another cat here.\n")
    sh("touch -d @1500000000 " .. h.quote(dir .. "/a.txt"))
    idx = dir .. "/i.lexis"
    local _, err, code = h.run({ "index", "-q", dir, "-o", idx })
    assert(code == 0, err)
    -- cat -> cow, same size, the time put back
    h.write(dir .. "/a.txt", "The cow sat on the mat.\nA dog ran.\n")
    sh("touch -d @1500000000 " .. h.quote(dir .. "/a.txt"))
  end)
  after_each(function() h.rmdir(dir) end)

  it("is found by --verify and c:stale()", function()
    local out, err, code = h.run({ "index", "--verify", idx })
    assert.are.equal(1, code)
    assert.matches("a%.txt: changed since indexing", err)
    assert.is_nil(err:find("b.txt", 1, true))
    assert.matches("stale, 1 of 2 documents changed, 0 missing", out)
    local c = assert(require("lexis").open(idx))
    assert.are.same({ dir .. "/a.txt" }, c:stale())
    local _ = out
  end)

  it("is not shown as a hit of the old word", function()
    local out, err, code = h.run({ "kwic", "cat", idx })
    assert.are.equal(1, code, out)
    assert.is_nil(out:find("cow"), out)
    assert.matches("a%.txt: changed since it was indexed; rebuild the index", err)
    -- hits in the file that did not change still show
    out, err, code = h.run({ "kwic", "another", idx })
    assert.are.equal(0, code, err)
    assert.matches("Another +cat here", out)
  end)
end)

describe("a mapped file that shrinks under its reader (issue 12, item 4: the index side)", function()
  local dir, idx
  before_each(function() dir = h.tmpdir(); idx = small_corpus(dir) end)
  after_each(function() h.rmdir(dir) end)

  -- a script run by the lexis binary, whose host names the file (lexis.so
  -- in another program installs no handler: see src/mapguard.h)
  local function script(body, ...)
    local path = h.write(dir .. "/s.lua", body)
    local words = { h.quote(lib.bin), h.quote(path) }
    for _, a in ipairs({ ... }) do words[#words + 1] = h.quote(a) end
    return lib.run_capped(table.concat(words, " "), 60)
  end

  it("an index truncated after it was opened", function()
    local out, err, code = script([[
      local c = assert(require("lexis").open(arg[1]))
      io.open(arg[1], "wb"):close()            -- rebuilt in place, rotated, cut
      print(#c:kwic("cat"))
    ]], idx)
    assert.are.equal(1, code, err)
    assert.are.equal("", out)
    assert.are.equal("lexis: " .. idx .. ": the file shrank while it was being read "
                     .. "(truncated or rewritten by another program)\n", err)
  end)

  it("a source file truncated while its hits are shown", function()
    local out, err, code = script([[
      local k = assert(require("lexis").open(arg[1])):kwic("cat")
      print(k:hit(1).node)
      io.open(arg[2], "wb"):close()
      print(k:hit(2).node)
    ]], idx, dir .. "/cats.txt")
    assert.are.equal(1, code, err)
    assert.are.equal("cat\n", out)
    assert.matches("^lexis: " .. dir:gsub("%p", "%%%0") .. "/cats%.txt: the file shrank", err)
  end)
end)
