-- Issue 12 item 6: a vocabulary of millions of distinct words. Merging the
-- threads' tables used to build runs of full slots that every add walked:
-- 10 M distinct words took minutes of CPU in `lexis freq` (one thread: 3 s).
-- Here freq and lexis.count run on 10 M (full) or 300 k (small) distinct
-- words under a hang guard, and the types and total must come out exact.

local h = require "helper"
local lib = require "redteam.lib"

local N = lib.size(300000, 10000000)
local PER_LINE = 16
local GUARD = 120         -- seconds; the fixed build takes 5-30 (a loaded machine, ASan)

-- w0 .. w(N-1), every fifth one longer than the 16 bytes a slot holds, and
-- "the" once per line: N + 1 types, N + lines tokens.
local path = os.tmpname()
local lines = (N + PER_LINE - 1) // PER_LINE
assert(os.execute(string.format(
  "awk 'BEGIN { for (i = 0; i < %d; i++) printf \"w%%d%%s%%s\", i, (i %% 5 == 0 ? \"_longer_than_sixteen_bytes\" : \"\"), " ..
  "(i %% %d == %d || i == %d ? \" the\\n\" : \" \") }' > %s",
  N, PER_LINE, PER_LINE - 1, N - 1, h.quote(path))))

describe("a vocabulary of " .. N .. " distinct words", function()
  teardown(function() os.remove(path) end)

  it("lexis freq counts every type once, within the guard", function()
    local out, err, code, _, secs = lib.run_capped(string.format(
      "%s freq --threads 4 --format tsv --no-header %s | awk -F '\\t' '{ n++; s += $3 } $2 == \"the\" { the = $3 } END { print n, s, the }'",
      h.quote(lib.bin), h.quote(path)), GUARD)
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.equal(string.format("%d %d %d", N + 1, N + lines, lines), out:match("^(.-)%s*$"),
      "types, tokens and the count of 'the' after " .. tostring(secs) .. " s")
  end)

  it("lexis.count with threads gives the same types and total", function()
    local code = string.format("local c = assert(lexis.count({ %q }, { threads = 4 })) print(#c, c:total(), c:get('w7'), c:get('w5_longer_than_sixteen_bytes'))", path)
    local out, err, status = lib.run_capped(string.format("%s -e %s", h.quote(lib.bin), h.quote(code)), GUARD)
    assert.equal(0, status, err)
    assert.equal(string.format("%d\t%d\t1\t1", N + 1, N + lines), out:match("^(.-)%s*$"))
  end)

  -- Which thread gets which piece of the file varies, and with it how bad
  -- the old merge was (42 s to over 11 minutes). Two tables of N/4 distinct
  -- words each, merged directly, always hit it: 2 x 2.5 M took over 120 s.
  it("c:merge of two tables of " .. N // 4 .. " distinct words each", function()
    local code = string.format([[
      local core = require "lexis.core"
      local a, b = core.counts(), core.counts()
      for i = 1, %d do a:add("a" .. i); b:add("b" .. i, 2) end
      a:merge(b)
      print(#a, a:total(), a:get("a1"), a:get("b1"))]], N // 4)
    local out, err, status = lib.run_capped(string.format("%s -e %s", h.quote(lib.bin), h.quote(code)), GUARD)
    assert.equal(0, status, err)
    assert.equal(string.format("%d\t%d\t1\t2", N // 2, 3 * (N // 4)), out:match("^(.-)%s*$"))
  end)
end)
