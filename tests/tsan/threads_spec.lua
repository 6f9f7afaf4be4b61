-- The multi-threaded paths, on an input big enough to take them: the
-- tokenizer's parallel count (files of 8 MiB and more are cut at newlines,
-- one range per thread), the index build on two threads (a big file is split
-- at a newline and the halves merged), the two-thread concordance scan and
-- the sentence splitter on all CPUs. Each must give what one thread gives.
-- `make tsan` runs this under ThreadSanitizer; `make test` runs it too.

local h = require "helper"

local function sh(cmd)
  local p = io.popen(cmd)
  local out = p:read("a")
  local ok, _, code = p:close()
  return out, ok and 0 or code
end

describe("threads", function()
  local d, big
  setup(function()
    d = os.tmpname()
    os.remove(d)
    assert(os.execute("mkdir -p " .. h.quote(d)))
    big = d .. "/big.txt"
    -- the corpus doubled 11 times: about 23 MB, over LX_PARALLEL_MIN (8 MiB)
    assert(os.execute(string.format("cat corpus/*.txt > %s && for i in $(seq 11); do cat %s %s > %s.2 && mv %s.2 %s; done",
      big, big, big, big, big, big)))
  end)
  teardown(function() os.execute("rm -rf " .. h.quote(d)) end)

  local function run(args)
    local out, code = sh(h.quote(h.bin) .. " " .. args .. " 2>" .. h.quote(d .. "/err"))
    assert.equal(0, code, h.read(d .. "/err"))
    assert.equal("", h.read(d .. "/err"))
    return out
  end

  it("freq and tokens on several threads give what one gives", function()
    local one = run("freq --format tsv --threads 1 " .. big)
    assert.equal(one, run("freq --format tsv --threads 2 " .. big))
    assert.equal(one, run("freq --format tsv --threads 4 " .. big))
    local lower = run("freq --lower --top 50 --threads 1 " .. big)
    assert.equal(lower, run("freq --lower --top 50 --threads 3 " .. big))
    local toks = run("tokens --threads 1 " .. big .. " | cksum")
    assert.equal(toks, run("tokens --threads 2 " .. big .. " | cksum"))
  end)

  it("sentences on several threads give what one gives", function()
    local one = run("sentences --threads 1 " .. big .. " | cksum")
    assert.equal(one, run("sentences --threads 2 " .. big .. " | cksum"))
    assert.equal(one, run("sentences --threads 0 " .. big .. " | cksum"))
  end)

  it("an index built on two threads finds what scanning finds", function()
    run("index -q -o " .. d .. "/big.lexis " .. big)
    local scanned = run("kwic opposition --count " .. big)
    assert.equal(scanned, run("kwic opposition --count " .. d .. "/big.lexis"))
    assert.is_true(tonumber(scanned) > 0)
    local a = run("kwic 'the *' --tokens --sort R1 --limit 200 --format tsv " .. big)
    local b = run("kwic 'the *' --tokens --sort R1 --limit 200 --format tsv " .. d .. "/big.lexis")
    assert.equal(a, b)
    run("index --verify -q " .. d .. "/big.lexis")
  end)

  it("ngrams on several threads give what one gives", function()
    local one = run("ngrams -n 2 --top 100 --format tsv --threads 1 " .. big)
    assert.equal(one, run("ngrams -n 2 --top 100 --format tsv --threads 2 " .. big))
  end)
end)
