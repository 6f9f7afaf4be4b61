-- kwic on big texts: a sorted page of hits in memory bounded by the page
-- (issue 12: memory that does not grow with hits where only a page is
-- wanted), and a mapped text truncated under the scan (issue 12 item 4).

local h = require "helper"
local lib = require "redteam.lib"

local q = h.quote
local bin = q(lib.bin)

-- About `bytes` bytes of lines where every other word is "the" and the rest
-- come from fifty, so "the" has bytes / 8 hits with many ties on each key.
local function the_file(path, bytes)
  local words = {}
  for i = 0, 49 do words[#words + 1] = "w" .. i end
  local seed, lines, n = 11, {}, 0
  while n < bytes do
    local line = {}
    for k = 1, 8, 2 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      line[k], line[k + 1] = "the", words[seed % 50 + 1]
    end
    local s = table.concat(line, " ") .. "\n"
    lines[#lines + 1] = s
    n = n + #s
  end
  h.write(path, table.concat(lines))
  return path
end

describe("kwic --sort --limit", function()
  local d, f
  local mb = lib.size(9, 200)
  setup(function()
    d = h.tmpdir()
    f = the_file(d .. "/the.txt", mb * 1000000)
  end)
  teardown(function() h.rmdir(d) end)

  -- a hit costs over 100 bytes kept; the text is mapped once
  for _, ctx in ipairs { "", " --tokens" } do
    it("keeps memory bounded by the limit, not the hits" .. ctx, function()
      local cmd = bin .. " kwic the --sort R1,-L1 --limit 100 --format tsv --no-header" .. ctx .. " " .. q(f)
      local out, err, code, kib = lib.run_capped(cmd, 300)
      assert.equal(0, code, err)
      local _, rows = out:gsub("\n", "")
      assert.equal(100, rows)
      if not lib.sanitized then
        assert.is_true(kib < (mb + 48) * 1024, "peak " .. kib .. " KiB for a " .. mb .. " MB text")
      end
      -- the same rows, ties in the same order, as one sort of every hit
      -- gives (a sample of more than all keeps all, and the sort comes after)
      local all, aerr, acode = lib.run_capped(bin .. " kwic the --sample 999999999 --sort R1,-L1 --limit 100"
        .. " --format tsv --no-header" .. ctx .. " " .. q(f), 300)
      assert.equal(0, acode, aerr)
      assert.equal(all, out)
    end)
  end
end)

describe("a text truncated while kwic scans it (issue 12 item 4, the text side)", function()
  local dir, f
  local mb = lib.size(4, 64)
  local LINE = "The cat sat on the mat. Then the dog, who was tired, lay down by the door.\n"
  before_each(function()
    dir = h.tmpdir()
    f = h.write(dir .. "/t.txt", LINE:rep(mb * 1000000 // #LINE))   -- over 1 MB: mapped
  end)
  after_each(function() h.rmdir(dir) end)

  -- The scan's progress function runs inside the scan, after its first
  -- megabyte: there it cuts the file, so the rest of the scan touches pages
  -- past the new end. The binary's SIGBUS handler names the file.
  for _, left in ipairs { 0, 5 } do
    it("ends in an error naming the file, not SIGBUS (" .. (left == 0 and "fast path" or "token context") .. ")",
       function()
      local script = h.write(dir .. "/s.lua", [[
        local core = require "lexis.core"
        local path, left = arg[1], tonumber(arg[2])
        local conc = core.conc(left, left)
        assert(conc:_addfile(path))
        local cut = false
        local n, err = conc:_scan("the", false, false, 0, nil, function()
          if not cut then cut = true; io.open(path, "wb"):close() end
        end)
        print(n, err, cut)
      ]])
      local out, err, code = lib.run_capped(string.format("%s %s %s %d", q(lib.bin), q(script), q(f), left), 60)
      assert.are.equal(1, code, err)
      assert.are.equal("", out)
      assert.are.equal("lexis: " .. f .. ": the file shrank while it was being read "
                       .. "(truncated or rewritten by another program)\n", err)
    end)
  end

  -- The command, cut by another process at a few moments during its scan:
  -- whatever the moment, hits of the whole text, or the error naming the
  -- file, never a signal.
  it("lexis kwic: cut at any moment, exit 0 or that error, never 135", function()
    for _, delay in ipairs { 0.01, 0.03, 0.1, 0.3 } do
      local cmd = string.format("(sleep %s; : > %s) & %s kwic the --tokens --count %s; s=$?; wait; exit $s",
        delay, q(f), q(lib.bin), q(f))
      local out, err, code = lib.run_capped(cmd, 60)
      assert.is_true(code == 0 or code == 1, "exit " .. tostring(code) .. ": " .. err)
      if code == 1 then
        assert.are.equal("lexis: " .. f .. ": the file shrank while it was being read "
                         .. "(truncated or rewritten by another program)\n", err)
      else
        assert.matches("^%d+\n$", out)
      end
      h.write(f, LINE:rep(mb * 1000000 // #LINE))
    end
  end)
end)
