-- Every command under each shared convention (issue 13): the same inputs
-- (a file, a directory, a glob, standard input), the same formats and -o
-- (the format from the extension, the same bytes as standard output), the
-- same errors (a missing file: exit 1 and "lexis: CMD: path: reason"; a bad
-- option value: exit 2, naming the option). Each command meets each
-- convention once: a linear cover of command x input x format x -o x error,
-- not the full product.

local h = require "helper"
local cjson = require "cjson"

local TEXT = h.read("corpus/red-book-1936-excerpt.txt")

-- name, the arguments before the inputs, its formats, a bad option, and
-- the arguments that make its output free of document names (kwic's).
-- every format a table command writes (cli.FORMATS)
local ALL = { "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }

local COMMANDS = {
  { name = "tokens", formats = {}, bad = { "--threads", "x" } },
  { name = "sentences", formats = {}, bad = { "--threads", "x" } },
  { name = "freq", formats = ALL, bad = { "--top", "abc" } },
  { name = "ngrams", pre = { "-n", "2" }, formats = ALL, bad = { "-n", "99" } },
  { name = "wordlist", formats = ALL, bad = { "--top", "abc" } },
  { name = "collocates", pre = { "stalin" }, formats = ALL, bad = { "--left", "1000" } },
  { name = "keywords", pre = { "--ref", "scripts/kwic.lua" }, formats = ALL,
    bad = { "--top", "abc" } },
  { name = "kwic", pre = { "stalin" }, formats = ALL,
    bad = { "--limit", "abc" }, same = { "--count" } },
}

local function args(...)
  local out = {}
  for _, list in ipairs({ ... }) do for _, a in ipairs(list) do out[#out + 1] = a end end
  return out
end

local dir
setup(function()
  dir = h.tmpdir()
  os.execute("mkdir -p " .. h.quote(dir .. "/texts"))
  h.write(dir .. "/texts/red.txt", TEXT)
end)
teardown(function() h.rmdir(dir) end)

local function check_format(fmt, out, what)
  assert.is_true(#out > 0, what .. ": no output")
  if fmt == "json" then
    assert.is_true(pcall(cjson.decode, out), what .. ": not JSON")
  elseif fmt == "jsonl" then
    for line in out:gmatch("[^\n]+") do assert.is_true(pcall(cjson.decode, line), what .. ": a line not JSON") end
  elseif fmt == "csv" then
    assert.truthy(out:find("\r\n", 1, true), what .. ": CSV lines end in CRLF")
    assert.is_nil(out:gsub("\r\n", ""):find("\n", 1, true) and out:find("[^\r]\n[^\"]"), what)
  elseif fmt == "tsv" then
    local tabs
    for line in out:gmatch("[^\n]+") do
      local n = select(2, line:gsub("\t", ""))
      tabs = tabs or n
      assert.equal(tabs, n, what .. ": every TSV line has the same fields")
    end
  elseif fmt == "html" then
    assert.truthy(out:find("^<!DOCTYPE html>"), what .. ": a whole page")
    assert.truthy(out:find("<table", 1, true), what)
  elseif fmt == "markdown" then
    assert.truthy(out:find("^| [^\n]* |\n|[-:|]+|\n"), what .. ": a Markdown table")
  end
end

for _, c in ipairs(COMMANDS) do
  describe("lexis " .. c.name, function()
    local pre, same = c.pre or {}, c.same or {}

    it("reads a file, a directory, a glob and standard input alike", function()
      local file = dir .. "/texts/red.txt"
      local want, err, code = h.run(args({ c.name }, pre, same, { file }))
      assert.equal(0, code, err)
      assert.is_true(#want > 0)
      for _, input in ipairs({ { dir .. "/texts" }, { dir .. "/texts/*.txt" }, { "-" } }) do
        local got, e2, c2 = h.run(args({ c.name }, pre, same, input), TEXT)
        assert.equal(0, c2, input[1] .. ": " .. e2)
        assert.equal(want, got, input[1])
      end
    end)

    for _, fmt in ipairs(c.formats) do
      it("writes " .. fmt .. ", to standard output and with -o FILE." .. fmt .. " alike", function()
        local file = dir .. "/texts/red.txt"
        local out, err, code = h.run(args({ c.name }, pre, { "--format", fmt, file }))
        assert.equal(0, code, err)
        check_format(fmt, out, c.name .. " --format " .. fmt)
        local path = dir .. "/out." .. fmt
        local o2, e2, c2 = h.run(args({ c.name }, pre, { "-o", path, file }))
        assert.equal(0, c2, e2)
        assert.equal("", o2)
        assert.equal(out, h.read(path))
        os.remove(path)
      end)
    end

    it("fails on a missing file with exit 1 and lexis: " .. c.name .. ": path: reason", function()
      local _, err, code = h.run(args({ c.name }, pre, { dir .. "/no-such.txt" }))
      assert.equal(1, code, err)
      assert.equal("lexis: " .. c.name .. ": " .. dir .. "/no-such.txt: No such file or directory\n", err)
    end)

    it("fails on a bad option value with exit 2, naming the option", function()
      local _, err, code = h.run(args({ c.name }, pre, c.bad, { dir .. "/texts/red.txt" }))
      assert.equal(2, code, err)
      assert.truthy(err:find(c.bad[1], 1, true), err)
      assert.is_nil(err:find("traceback", 1, true), err)
    end)
  end)
end

-- The two commands whose inputs are not texts: index (writes an index from
-- texts; -o is its output) and merge (reads partial counts).
describe("lexis index", function()
  it("indexes a file, a directory and a glob alike, and refuses standard input", function()
    local counts = {}
    for i, input in ipairs({ dir .. "/texts/red.txt", dir .. "/texts", dir .. "/texts/*.txt" }) do
      local path = dir .. "/i" .. i .. ".lexis"
      local _, err, code = h.run({ "index", "-q", input, "-o", path })
      assert.equal(0, code, err)
      counts[i] = h.run({ "kwic", "--count", "the", path })
      os.remove(path)
    end
    assert.equal(counts[1], counts[2])
    assert.equal(counts[1], counts[3])
    assert.is_true(tonumber(counts[1]) > 0)
    local _, err, code = h.run({ "index", "-q", "-", "-o", dir .. "/s.lexis" }, TEXT)
    assert.equal(2, code, err)
    assert.truthy(err:find("not a regular file", 1, true), err)
  end)

  it("fails on a missing file with exit 1, and on a missing -o with exit 2", function()
    local _, err, code = h.run({ "index", dir .. "/no-such.txt", "-o", dir .. "/x.lexis" })
    assert.equal(1, code, err)
    assert.equal("lexis: index: " .. dir .. "/no-such.txt: No such file or directory\n", err)
    _, err, code = h.run({ "index", dir .. "/texts/red.txt" })
    assert.equal(2, code, err)
    assert.truthy(err:find("-o", 1, true), err)
  end)
end)

describe("lexis merge", function()
  local part
  setup(function()
    part = dir .. "/red.part"
    local _, err, code = h.run({ "freq", "--partial", "-o", part, dir .. "/texts/red.txt" })
    assert.equal(0, code, err)
  end)

  for _, fmt in ipairs(ALL) do
    it("writes " .. fmt .. ", to standard output and with -o FILE." .. fmt .. " alike", function()
      local out, err, code = h.run({ "merge", "--format", fmt, part, part })
      assert.equal(0, code, err)
      check_format(fmt, out, "merge --format " .. fmt)
      local path = dir .. "/m." .. fmt
      local _, e2, c2 = h.run({ "merge", "-o", path, part, part })
      assert.equal(0, c2, e2)
      assert.equal(out, h.read(path))
    end)
  end

  it("writes what freq writes for the whole, in every format", function()
    for _, fmt in ipairs(ALL) do
      local want = h.run({ "freq", "--format", fmt, dir .. "/texts/red.txt", dir .. "/texts/red.txt" })
      local got, err, code = h.run({ "merge", "--format", fmt, part, part })
      assert.equal(0, code, err)
      assert.equal(want, got, fmt)
    end
  end)

  it("fails on a missing file with exit 1 and on a bad option with exit 2", function()
    local _, err, code = h.run({ "merge", dir .. "/no-such.part" })
    assert.equal(1, code, err)
    assert.equal("lexis: merge: " .. dir .. "/no-such.part: No such file or directory\n", err)
    _, err, code = h.run({ "merge", "--top", "abc", part })
    assert.equal(2, code, err)
    assert.truthy(err:find("--top", 1, true), err)
  end)
end)

-- dfm writes three files under -o PREFIX, not a table on standard output.
describe("lexis dfm", function()
  it("reads a file, a directory, a glob and standard input alike", function()
    local want
    for i, input in ipairs({ dir .. "/texts/red.txt", dir .. "/texts", dir .. "/texts/*.txt", "-" }) do
      local prefix = dir .. "/d" .. i
      local _, err, code = h.run({ "dfm", "-o", prefix, input }, TEXT)
      assert.equal(0, code, input .. ": " .. err)
      local got = h.read(prefix .. ".mtx") .. h.read(prefix .. ".features")
      want = want or got
      assert.equal(want, got, input)
      for _, ext in ipairs { ".mtx", ".features", ".docs" } do os.remove(prefix .. ext) end
    end
  end)

  it("fails on a missing file with exit 1 and on a bad option with exit 2", function()
    local _, err, code = h.run({ "dfm", "-o", dir .. "/x", dir .. "/no-such.txt" })
    assert.equal(1, code, err)
    assert.equal("lexis: dfm: " .. dir .. "/no-such.txt: No such file or directory\n", err)
    _, err, code = h.run({ "dfm", "-o", dir .. "/x", "--min", "abc", dir .. "/texts/red.txt" })
    assert.equal(2, code, err)
    assert.truthy(err:find("--min", 1, true), err)
  end)
end)

describe("an index built elsewhere", function()
  it("shows its hits from any directory, and --verify tells missing from changed", function()
    local d = h.tmpdir()
    os.execute("mkdir -p " .. h.quote(d .. "/c") .. " " .. h.quote(d .. "/elsewhere"))
    h.write(d .. "/c/a.txt", TEXT)
    h.write(d .. "/c/b.txt", TEXT)
    local bin = h.quote(h.bin)
    local function sh(cmd)
      local p = io.popen("cd " .. h.quote(d) .. " && " .. cmd .. " 2>&1; echo \"rc=$?\"")
      local out = p:read("a")
      p:close()
      return out
    end
    assert.matches("rc=0", sh(bin .. " index -q c -o elsewhere/c.lexis"))
    local from_elsewhere = sh("cd elsewhere && " .. bin .. " kwic --limit 1 stalin c.lexis")
    assert.matches("Stalin", from_elsewhere)
    assert.matches("rc=0", from_elsewhere)
    local ok = sh(bin .. " index --verify elsewhere/c.lexis")
    assert.matches("elsewhere/c.lexis: ok", ok)
    assert.matches("rc=0", ok)
    os.remove(d .. "/c/b.txt")
    h.write(d .. "/c/a.txt", TEXT .. "more\n")
    local stale = sh(bin .. " index --verify elsewhere/c.lexis")
    assert.matches("c/a.txt: changed since indexing", stale)
    assert.matches("c/b.txt: missing", stale)
    assert.matches("stale, 1 of 2 documents changed, 1 missing", stale)
    assert.is_nil(stale:find(": ok", 1, true))
    assert.matches("rc=1", stale)
    h.rmdir(d)
  end)
end)
