-- The input layer (src/input.h) under attack: FIFOs and process
-- substitution, symbolic link loops, tens of thousands of files, a count of
-- millions of hits, binary and compressed files, and the same inputs to
-- every command (issue 12 items 3, 5, 8, 13; issue 13 part 1).

local h = require "helper"
local lib = require "redteam.lib"

local q = h.quote
local bin = q(lib.bin)

-- A text of about `bytes` bytes: lines of ten words out of fifty, so that
-- word1 has hits, every chunk edge cuts a word somewhere, and the first
-- 4 KB and 8 KB (what the old sniffs read) hold many tokens.
local function text_file(path, bytes)
  local words = {}
  for i = 0, 49 do words[#words + 1] = "word" .. i end
  local seed, lines, n = 7, {}, 0
  while n < bytes do
    local line = {}
    for k = 1, 10 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      line[k] = words[seed % 50 + 1]
    end
    local s = table.concat(line, " ") .. (seed % 7 == 0 and ".\n\n" or "\n")
    lines[#lines + 1] = s
    n = n + #s
  end
  h.write(path, table.concat(lines))
  return path
end

-- The commands that read text, each with options that give a short output
-- determined by the whole input.
local READERS = {
  { "tokens", "--count" },
  { "freq", "--top", "5", "--format", "tsv" },
  { "kwic", "--count", "word1" },
  { "ngrams", "-n", "2", "--top", "5", "--format", "tsv" },
  { "sentences", "--count" },
  { "wordlist", "--top", "5", "--format", "tsv" },
  { "collocates", "--top", "5", "--format", "tsv", "word1" },
}

local function words(c)
  local t = {}
  for i, a in ipairs(c) do t[i] = q(a) end
  return table.concat(t, " ")
end

describe("FIFOs and process substitution", function()
  local d, f
  setup(function()
    d = h.tmpdir()
    f = text_file(d .. "/t.txt", lib.size(200 * 1024, 20 * 1024 * 1024))
  end)
  teardown(function() h.rmdir(d) end)

  it("give every command the whole input (nothing lost to a sniff)", function()
    for _, c in ipairs(READERS) do
      local want, err, code = lib.run_capped(bin .. " " .. words(c) .. " " .. q(f), 120)
      assert.equal(0, code, c[1] .. ": " .. err)
      assert.truthy(#want > 0)
      -- process substitution: a pipe named /dev/fd/N
      local out, err2, code2 = lib.run_capped("bash -c " .. q(bin .. " " .. words(c) .. " <(cat " .. q(f) .. ")"), 120)
      assert.equal(0, code2, c[1] .. " <(...): " .. err2)
      assert.equal(want, out, c[1] .. " <(...)")
      -- a named FIFO with a writer in the background: opened once, read once
      local p = d .. "/fifo"
      os.remove(p)
      assert(os.execute("mkfifo " .. q(p)))
      out, err2, code2 = lib.run_capped("(cat " .. q(f) .. " > " .. q(p) .. " &); " .. bin .. " " .. words(c)
        .. " " .. q(p), 120)
      assert.equal(0, code2, c[1] .. " FIFO: " .. err2)
      assert.equal(want, out, c[1] .. " FIFO")
      -- standard input, a pipe too
      out, err2, code2 = lib.run_capped("cat " .. q(f) .. " | " .. bin .. " " .. words(c) .. " -", 120)
      assert.equal(0, code2, c[1] .. " stdin: " .. err2)
      assert.equal(want, out, c[1] .. " stdin")
      os.remove(p)
    end
  end)

  it("are refused by index, which must read its files again to show hits", function()
    local x = d .. "/x.lexis"
    local _, err, code = lib.run_capped("bash -c " .. q(bin .. " index -q -o " .. q(x) .. " <(cat " .. q(f) .. ")"), 60)
    assert.equal(2, code)
    assert.matches("not a regular file %(a pipe or FIFO%)", err)
    local p = d .. "/fifo2"
    assert(os.execute("mkfifo " .. q(p)))
    _, err, code = lib.run_capped(bin .. " index -q -o " .. q(x) .. " " .. q(p), 60)
    assert.equal(2, code)       -- refused without opening it: no writer needed
    assert.matches("fifo2: not a regular file", err)
    assert.is_nil(io.open(x, "rb"))
  end)

  it("with no writer block like cat, and a late writer is read whole", function()
    local p = d .. "/fifo3"
    assert(os.execute("mkfifo " .. q(p)))
    -- opening a FIFO waits for a writer (as cat does): the guard ends it
    local _, _, code = lib.run_capped(bin .. " tokens --count " .. q(p), 2)
    assert.is_true(code == 124 or code == 137 or code == 9, "exit " .. tostring(code))
    -- a writer that comes late: the one open sees all of it
    local want = lib.run_capped(bin .. " tokens --count " .. q(f), 60)
    local out
    out, _, code = lib.run_capped("(sleep 1; cat " .. q(f) .. " > " .. q(p) .. ") & " .. bin .. " tokens --count "
      .. q(p), 60)
    assert.equal(0, code)
    assert.equal(want, out)
  end)
end)

describe("symbolic link loops", function()
  local d
  local nfiles = lib.size(6, 600)
  setup(function()
    d = h.tmpdir()
    -- a tree with files at three depths, then the same tree with loops
    for _, root in ipairs { "plain", "loop1", "loop2" } do
      assert(os.execute("mkdir -p " .. q(d .. "/" .. root .. "/a/b")))
      for i = 1, nfiles do
        local sub = ({ "", "/a", "/a/b" })[i % 3 + 1]
        h.write(string.format("%s/%s%s/f%04d.txt", d, root, sub, i), "cat dog cat bird " .. i .. "\n")
      end
    end
    assert(os.execute("ln -s ../.. " .. q(d .. "/loop1/a/b/up")))      -- to the root
    assert(os.execute("ln -s ../.. " .. q(d .. "/loop2/a/b/up")))
    assert(os.execute("ln -s .. " .. q(d .. "/loop2/a/back")))          -- a second loop
    assert(os.execute("ln -s . " .. q(d .. "/loop2/a/b/self")))         -- and a link to itself
  end)
  teardown(function() h.rmdir(d) end)

  local function each(fn)
    for _, root in ipairs { "loop1", "loop2" } do fn(d .. "/" .. root, d .. "/plain") end
  end

  it("are walked once by kwic, freq, collocates and wordlist: each file once", function()
    each(function(tree, plain)
      for _, c in ipairs { { "kwic", "--count", "cat" }, { "freq", "--format", "tsv" },
                           { "collocates", "--format", "tsv", "cat" }, { "wordlist", "--format", "tsv" } } do
        local want = lib.run_capped(bin .. " " .. words(c) .. " " .. q(plain), 60)
        local out, err, code = lib.run_capped(bin .. " " .. words(c) .. " " .. q(tree), 60)
        assert.equal(0, code, c[1] .. " " .. tree .. ": " .. err)
        assert.equal(want, out, c[1] .. " " .. tree)
      end
    end)
    assert.equal(tostring(2 * nfiles) .. "\n", (lib.run_capped(bin .. " kwic --count cat " .. q(d .. "/loop2"), 60)))
  end)

  it("are walked once by index and lexis.corpus", function()
    each(function(tree)
      local x = tree .. ".lexis"
      local _, err, code = lib.run_capped(bin .. " index -q -o " .. q(x) .. " " .. q(tree), 60)
      assert.equal(0, code, err)
      assert.equal(tostring(2 * nfiles) .. "\n", (lib.run_capped(bin .. " kwic --count cat " .. q(x), 60)))
      local script = d .. "/docs.lua"
      h.write(script, "local c = lexis.corpus({ arg[1] }, { progress = false }); print(#c:docs())")
      local out
      out, err, code = lib.run_capped(bin .. " " .. q(script) .. " " .. q(tree), 60)
      assert.equal(0, code, err)
      assert.equal(tostring(nfiles) .. "\n", out)
    end)
  end)

  it("are walked once by lexis.count", function()
    local script = d .. "/count.lua"
    h.write(script, "local c = assert(lexis.count({ arg[1] })); print(c:get('cat'))")
    each(function(tree)
      local out, err, code = lib.run_capped(bin .. " " .. q(script) .. " " .. q(tree), 60)
      assert.equal(0, code, err)
      assert.equal(tostring(2 * nfiles) .. "\n", out)
    end)
  end)
end)

describe("tens of thousands of files", function()
  -- every file stayed mapped: past vm.max_map_count (65,530) kwic failed
  local n = lib.size(2000, 70000)
  local d
  setup(function()
    d = h.tmpdir()
    local script = d .. "/make.lua"
    h.write(script, [[
      local d, n = arg[1], tonumber(arg[2])
      for i = 0, n - 1 do
        local sub = string.format("%s/d%03d", d, i // 1000)
        if i % 1000 == 0 then os.execute("mkdir -p " .. sub) end
        local f = assert(io.open(string.format("%s/f%05d.txt", sub, i), "wb"))
        f:write("alpha beta gamma ", i, "\n")
        f:close()
      end]])
    assert(os.execute(bin .. " " .. q(script) .. " " .. q(d .. "/t") .. " " .. n))
  end)
  teardown(function() h.rmdir(d) end)

  it("give kwic a hit in every file, or none", function()
    local out, err, code = lib.run_capped(bin .. " kwic --count beta " .. q(d .. "/t"), 300)
    assert.equal(0, code, err)
    assert.equal(n .. "\n", out)
    out, err, code = lib.run_capped(bin .. " kwic --format tsv --no-header beta " .. q(d .. "/t") .. " | wc -l", 300)
    assert.equal(0, code, err)
    assert.equal(n, tonumber(out))
    out, err, code = lib.run_capped(bin .. " kwic --sort R1 --limit 2 beta " .. q(d .. "/t") .. " | wc -l", 300)
    assert.equal(0, code, err)
    assert.equal(2, tonumber(out))
    out, err, code = lib.run_capped(bin .. " kwic --count zeta " .. q(d .. "/t"), 300)
    assert.equal(0, code, err)
    assert.equal("0\n", out)
  end)
end)

describe("kwic --count", function()
  it("counts millions of hits in memory that does not grow with them", function()
    local d = h.tmpdir()
    finally(function() h.rmdir(d) end)
    local mb = lib.size(4, 100)
    local f = d .. "/the.txt"
    assert(os.execute(string.format("yes 'the the the the the the the the' | head -c %d > %s", mb * 1000000, q(f))))
    local hits = mb * 1000000 // 32 * 8
    -- the file is mapped (or read) once; hits would cost over 100 bytes each
    local out, err, code, kib = lib.run_capped(bin .. " kwic --count the " .. q(f), 300)
    assert.equal(0, code, err)
    assert.equal(hits .. "\n", out)
    if not lib.sanitized then
      assert.is_true(kib < (mb + 48) * 1024, "peak " .. kib .. " KiB")
      -- and under an address-space cap of 200 MB, as in the report
      out, err, code = lib.run_capped(bin .. " kwic --count the " .. q(f), 300, 200000)
      assert.equal(0, code, err)
      assert.equal(hits .. "\n", out)
    end
    -- from an index: only the candidate positions (8 bytes a hit), no hits
    local x = d .. "/the.lexis"
    local _, ierr, icode = lib.run_capped(bin .. " index -q -o " .. q(x) .. " " .. q(f), 600)
    assert.equal(0, icode, ierr)
    out, err, code, kib = lib.run_capped(bin .. " kwic --count the " .. q(x), 300)
    assert.equal(0, code, err)
    assert.equal(hits .. "\n", out)
    if not lib.sanitized then
      assert.is_true(kib < hits * 16 // 1024 + 64 * 1024, "peak " .. kib .. " KiB from the index")
    end
  end)
end)

describe("the input policy", function()
  local d
  setup(function() d = h.tmpdir() end)
  teardown(function() h.rmdir(d) end)

  it("skips a file with a NUL byte in its first 8 KB in every command, saying so", function()
    local f = h.write(d .. "/nul.txt", "the cat\0 sat on the mat\n")
    local good = h.write(d .. "/good.txt", "the cat sat\n")
    for _, c in ipairs { { "kwic", "--count", "the" }, { "freq" }, { "ngrams" }, { "tokens", "--count" },
                         { "sentences", "--count" }, { "wordlist" }, { "collocates", "cat" },
                         { "index", "-q", "-o", d .. "/n.lexis" } } do
      for _, how in ipairs { "file", "pipe" } do
        local line = bin .. " " .. words(c) .. " " .. q(good) .. " " .. q(f)
        if how == "pipe" then line = "cat " .. q(f) .. " | " .. bin .. " " .. words(c) .. " " .. q(good) .. " -" end
        if not (c[1] == "index" and how == "pipe") then
          local out, err, code = lib.run_capped(line, 60)
          assert.equal(0, code, c[1] .. " " .. how .. ": " .. err)
          assert.matches("a binary file, skipped %(a NUL byte at byte 8%)", err, 1, false, c[1] .. " " .. how)
          assert.not_matches("mat", out, 1, false, c[1] .. " " .. how)
        end
      end
    end
    assert.equal("1\n", (lib.run_capped(bin .. " kwic --count the " .. q(d .. "/n.lexis"), 60)))
  end)

  it("reads compressed files by their content, and index refuses them (exit 2) saying how", function()
    local f = d .. "/t.txt"
    h.write(f, ("the cat sat on the mat\n"):rep(100))
    local plain = lib.run_capped(bin .. " freq " .. q(f), 60)
    for _, z in ipairs { "gzip", "bzip2", "xz", "zstd" } do
      if os.execute("command -v " .. z .. " >/dev/null") then
        local zf = f .. "." .. z
        os.execute(z .. " -c " .. q(f) .. " > " .. q(zf))
        for _, c in ipairs { { "freq" }, { "kwic", "the" }, { "sentences" } } do
          local _, err, code = lib.run_capped(bin .. " " .. words(c) .. " " .. q(zf), 60)
          assert.equal(0, code, c[1] .. " " .. z .. ": " .. err)
        end
        assert.equal(plain, (lib.run_capped(bin .. " freq " .. q(zf), 60)))
        local _, err, code = lib.run_capped(bin .. " index -o " .. q(d .. "/z.lexis") .. " " .. q(zf), 60)
        assert.equal(2, code)
        assert.matches(z .. "%-compressed; an index shows its hits by reading its files again", err)
        assert.matches(z .. " %-dc ", err)
        local out
        out, err, code = lib.run_capped("cat " .. q(zf) .. " | " .. bin .. " tokens --count", 60)
        assert.equal(0, code, err)
        assert.equal("600\n", out)
      end
    end
  end)
end)

describe("every command", function()
  -- One input layer: a file, a directory, a glob and standard input name
  -- the same document to every command (index refuses standard input: it
  -- cannot read it again to show a hit).
  it("accepts a file, a directory, a glob and -", function()
    local d = h.tmpdir()
    finally(function() h.rmdir(d) end)
    assert(os.execute("mkdir " .. q(d .. "/dir")))
    local f = text_file(d .. "/dir/t.txt", 30000)
    local cases = {}
    for _, c in ipairs(READERS) do cases[#cases + 1] = c end
    cases[#cases + 1] = { "index", "-q", "-o", d .. "/i.lexis" }
    for _, c in ipairs(cases) do
      local outputs = {}
      for _, form in ipairs { "file", "dir", "glob", "-" } do
        local line = bin .. " " .. words(c) .. " "
          .. (form == "file" and q(f) or form == "dir" and q(d .. "/dir") or form == "glob" and q(d .. "/dir/*.txt")
              or "- < " .. q(f))
        local out, err, code = lib.run_capped(line, 60)
        if c[1] == "index" then
          if form == "-" then
            assert.equal(2, code)
            assert.matches("standard input: not a regular file", err)
          else
            assert.equal(0, code, form .. ": " .. err)
            outputs[form] = lib.run_capped(bin .. " kwic --count word1 " .. q(d .. "/i.lexis"), 60)
            os.remove(d .. "/i.lexis")
          end
        else
          assert.equal(0, code, c[1] .. " " .. form .. ": " .. err)
          assert.equal("", err, c[1] .. " " .. form)
          outputs[form] = out
        end
      end
      assert.truthy(#outputs.file > 0)
      for form, out in pairs(outputs) do assert.equal(outputs.file, out, c[1] .. " " .. form) end
    end
  end)
end)
