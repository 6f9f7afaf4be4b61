-- The commands `lexis freq` and `lexis tokens`: options and output formats.

local h = require "helper"

local TEXT = "The cat sat. The cat ran; a dog sat!\nTHE END 1936\n"

local function run(args, stdin)
  return h.run(args, stdin)
end

describe("lexis freq", function()
  it("prints rank, word, count and per million, commonest first", function()
    local out, err, code = run({ "freq" }, TEXT)
    assert.equal(0, code, err)
    assert.equal(table.concat({
      "rank  word  count  per_million",       -- 6 significant digits for people
      "   1  The       2       166667",
      "   2  cat       2       166667",
      "   3  sat       2       166667",
      "   4  1936      1      83333.3",
      "   5  END       1      83333.3",
      "   6  THE       1      83333.3",
      "   7  a         1      83333.3",
      "   8  dog       1      83333.3",
      "   9  ran       1      83333.3",
      "" }, "\n"), out)
  end)

  it("lower-cases, cuts at --top and --min, and writes tsv", function()
    local out = run({ "freq", "--lower", "--top", "3", "--format", "tsv" }, TEXT)
    assert.equal("rank\tword\tcount\tper_million\n1\tthe\t3\t250000\n2\tcat\t2\t166666.66666666666\n"
      .. "3\tsat\t2\t166666.66666666666\n", out)     -- every digit for programs
    out = run({ "freq", "--lower", "--min", "2", "--format", "tsv", "--no-header" }, TEXT)
    assert.equal("1\tthe\t3\t250000\n2\tcat\t2\t166666.66666666666\n3\tsat\t2\t166666.66666666666\n", out)
  end)

  it("folds case", function()
    local out = run({ "freq", "--fold", "--format", "tsv", "--no-header" }, "Straße STRASSE")
    assert.equal("1\tstrasse\t2\t1000000\n", out)
  end)

  it("writes csv with quoting and json that parses", function()
    local out = run({ "freq", "--format", "csv", "--pattern", "[^ ]+" }, "a,b a,b \"q\"")
    assert.equal('rank,word,count,per_million\r\n1,"a,b",2,666666.6666666666\r\n2,"""q""",1,333333.3333333333\r\n', out)
    local cjson = require "cjson"
    out = run({ "freq", "--lower", "--format", "json" }, TEXT)
    local rows = cjson.decode(out)
    assert.equal(8, #rows)
    assert.same({ rank = 1, word = "the", count = 3, per_million = 250000 }, rows[1])
    assert.same({}, cjson.decode((run({ "freq", "--format", "json" }, ""))))
  end)

  it("leaves out English stop words, or those of a file", function()
    local out = run({ "freq", "--stop", "en", "--format", "tsv", "--no-header", "--lower" }, TEXT)
    assert.equal("1\tcat\t2\t166666.66666666666\n2\tsat\t2\t166666.66666666666\n3\t1936\t1\t83333.33333333333\n"
      .. "4\tdog\t1\t83333.33333333333\n5\tend\t1\t83333.33333333333\n6\tran\t1\t83333.33333333333\n", out)
    local stop = h.write(h.tmpname(), "# mine\ncat\nsat\n")
    out = run({ "freq", "--stop", stop, "--top", "1", "--format", "tsv", "--no-header" }, TEXT)
    assert.equal("1\tThe\t2\t166666.66666666666\n", out)
    os.remove(stop)
  end)

  it("drops a stop word in any case, by the same rule in freq, wordlist and dfm", function()
    local stop = h.write(h.tmpname(), "über\nthe\n")
    local text = "Über über ÜBER the THE cat\n"
    local function words(out)
      local w = {}
      for line in out:gmatch("[^\n]+") do w[#w + 1] = line:match("^%d+\t([^\t]+)") end
      return table.concat(w, " ")
    end
    assert.equal("cat", words(run({ "freq", "--stop", stop, "--format", "tsv", "--no-header" }, text)))
    assert.equal("cat", words(run({ "wordlist", "--stop", stop, "--format", "tsv", "--no-header" }, text)))
    local prefix = h.tmpname()
    local _, err, code = run({ "dfm", "--stop", stop, "-o", prefix }, text)
    assert.equal(0, code, err)
    assert.equal("cat\n", h.read(prefix .. ".features"))
    os.remove(stop)
  end)

  it("reads several files and counts them together", function()
    local a, b = h.write(h.tmpname(), "x y"), h.write(h.tmpname(), "y z")
    local out = run({ "freq", "--format", "tsv", "--no-header", a, b })
    assert.equal("1\ty\t2\t500000\n2\tx\t1\t250000\n3\tz\t1\t250000\n", out)
    os.remove(a)
    os.remove(b)
  end)

  it("gives the same list whatever the chunk size", function()
    local path = h.write(h.tmpname(), string.rep(TEXT .. "naïve café ", 50))
    local want = run({ "freq", path })
    for _, chunk in ipairs { 1, 2, 7, 100 } do
      assert.equal(want, (run({ "freq", "--chunk", tostring(chunk), path })))
    end
    os.remove(path)
  end)

  it("warns about invalid UTF-8 on stderr and counts the rest", function()
    -- --encoding utf-8: the bytes as they are (mostly invalid, the text
    -- would otherwise be detected as another encoding and converted)
    local out, err, code = run({ "freq", "--encoding", "utf-8", "--format", "tsv", "--no-header" }, "ok\xff ok \xfe")
    assert.equal(0, code)
    assert.equal("1\tok\t2\t1000000\n", out)
    assert.equal("lexis: freq: stdin: 2 invalid UTF-8 bytes, the first at byte 3\n", err)
  end)

  it("fails with status 1 on a missing file, 2 on a bad option", function()
    local _, err, code = run({ "freq", "/nonexistent" })
    assert.equal(1, code)
    assert.matches("/nonexistent: No such file", err)
    _, err, code = run({ "freq", "--format", "xml" }, "")
    assert.equal(2, code)
    _, err, code = run({ "freq", "--pattern", "(" }, "")
    assert.equal(2, code)
    assert.matches("bad pattern", err)
  end)
end)

describe("lexis tokens", function()
  it("prints one token per line, without white space by default", function()
    local out = run({ "tokens" }, "Don't stop, 3.5 €!")
    assert.equal("Don't\nstop\n,\n3.5\n€\n!\n", out)
  end)

  it("prints offsets and kinds, and escapes white space and bad bytes", function()
    local out = run({ "tokens", "--encoding", "utf-8", "--kinds", "all,space", "--offsets" }, "a \t\n\xff\\")
    assert.equal("a\t1\t1\tword\n \t2\t2\tspace\n\\t\t3\t3\tspace\n\\n\t4\t4\tspace\n"
      .. "\\xFF\t5\t5\tinvalid\n\\\\\t6\t6\tpunct\n", out)
  end)

  it("counts tokens with --count", function()
    assert.equal("6\n", (run({ "tokens", "--count" }, "Don't stop, 3.5 €!")))
    assert.equal("2\n", (run({ "tokens", "--count", "--kinds", "word,number" }, "Don't stop, €!")))
    local path = h.write(h.tmpname(), string.rep("one two, three\n", 700000))
    assert.equal("2800000\n", (run({ "tokens", "--count", path })))
    assert.equal("2800000\n", (run({ "tokens", "--count", "--threads", "1", path })))
    os.remove(path)
  end)

  it("applies the tokenizer options", function()
    assert.equal("well-known\nit\n'\ns\n", (run({ "tokens", "--hyphens", "--split-apostrophes",
      "--lower" }, "Well-known it's")))
    assert.equal("can\nt\n", (run({ "tokens", "--pattern", "\\w+" }, "can't")))
  end)
end)
