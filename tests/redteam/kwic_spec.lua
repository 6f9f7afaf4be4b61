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
      local cmd = bin .. " kwic the --sort R1,-L1 --limit 100 --format tsv" .. ctx .. " " .. q(f)
      local out, err, code, kib = lib.run_capped(cmd, 300)
      assert.equal(0, code, err)
      local _, rows = out:gsub("\n", "")
      assert.equal(100, rows)
      if not lib.sanitized then
        assert.is_true(kib < (mb + 80) * 1024, "peak " .. kib .. " KiB for a " .. mb .. " MB text")
      end
      -- the same rows, ties in the same order, as one sort of every hit
      -- gives (a sample of more than all keeps all, and the sort comes after)
      local all, aerr, acode = lib.run_capped(bin .. " kwic the --sample 999999999 --sort R1,-L1 --limit 100"
        .. " --format tsv" .. ctx .. " " .. q(f), 300)
      assert.equal(0, acode, aerr)
      assert.equal(all, out)
    end)
  end
end)
