-- The example scripts run on the sample corpus and print what they promise.

local h = require "helper"
local lexis = require "lexis"

describe("scripts/demo.lua (make demo)", function()
  it("prints a word list and a concordance of the sample corpus", function()
    local out, err, code = h.run({ "scripts/demo.lua", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(0, code, err)
    assert.matches("The 15 most frequent words", out)
    assert.matches("\n   1  stalin +16\n", out)
    assert.matches("Keyword in context: \"stalin\"", out)
    assert.matches("capitulated to  Stalin  and", out)
  end)

  it("says how to use it when given no file", function()
    local _, err, code = h.run({ "scripts/demo.lua" })
    assert.equal(2, code)
    assert.matches("usage: lexis scripts/demo.lua FILE", err)
  end)
end)

local C = "corpus/red-book-1936-excerpt.txt"

-- A temporary directory holding the corpus cut in two at a line end: the
-- target and reference of keywords, the two texts of compare.
local function halves()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir " .. h.quote(dir)))
  local text = h.read(C)
  local cut = text:find("\n", #text // 2, true)
  h.write(dir .. "/a.txt", text:sub(1, cut))
  h.write(dir .. "/b.txt", text:sub(cut + 1))
  return dir
end

describe("the example scripts", function()
  it("each open with a two-line comment saying what they do", function()
    for _, name in ipairs({ "demo", "kwic", "wordlist", "collocates", "keywords", "compare", "report" }) do
      local text = h.read("scripts/" .. name .. ".lua")
      assert.matches("^%-%- [^\n]+\n%-%- [^\n]+\n", text, 1, false)
    end
  end)

  it("kwic.lua prints the hits of a phrase and where they fall", function()
    local out, err, code = h.run({ "scripts/kwic.lua", "left opposition", C })
    assert.equal(0, code, err)
    assert.matches('^9 hits of "left opposition"\n|[ ▁▂▃▄▅▆▇█]+|\n', out)
    assert.matches("the ranks of the  Left Opposition  %. The", out)
    local _, uerr, ucode = h.run({ "scripts/kwic.lua", "x" })
    assert.equal(2, ucode)
    assert.matches("usage:", uerr)
  end)

  it("wordlist.lua prints content words with their dispersion, in any format", function()
    local out, err, code = h.run({ "scripts/wordlist.lua", "-n", "5", C })
    assert.equal(0, code, err)
    assert.matches("word list: 1769 words in 10 equal parts", out)
    assert.matches("\n +1 +stalin +16 +[%d.]+ +8 +0%.750%d* +0%.312%d*\n", out)
    out = h.run({ "scripts/wordlist.lua", "-n", "2", "-f", "csv", C })
    assert.equal("rank,word,freq,per_million,range,d,dp\r\n1,stalin,16,", out:match("^[^\n]+\n[^,]+,[^,]+,[^,]+,"))
  end)

  it("collocates.lua ranks the neighbours of a word", function()
    local out, err, code = h.run({ "scripts/collocates.lua", "stalin", C })
    assert.equal(0, code, err)
    assert.matches("collocates of stalin: 16 hits", out)
    assert.matches("\n +1 +capitulated +3 +3 +0 ", out)
  end)

  it("keywords.lua compares two halves of the corpus, and reads a frequency list", function()
    local dir = halves()
    local svg = dir .. "/k.svg"
    local out, err, code = h.run({ "scripts/keywords.lua", dir .. "/a.txt", "--ref", dir .. "/b.txt", "--svg", svg })
    assert.equal(0, code, err)
    assert.matches("keywords by g2: 3 positive, 8 negative", out)
    assert.matches("\n +1 +%- +is +0 +8 ", out)
    assert.matches("</svg>", h.read(svg))
    -- the reference as a word list (word<TAB>count lines) gives the same keywords
    local list = {}
    for word, n in pairs(lexis.count({ dir .. "/b.txt" }, { lower = true })) do
      list[#list + 1] = word .. "\t" .. n .. "\n"
    end
    h.write(dir .. "/ref.tsv", table.concat(list))
    local from_list
    from_list, err, code = h.run({ "scripts/keywords.lua", dir .. "/a.txt", "--ref", dir .. "/ref.tsv" })
    assert.equal(0, code, err)
    assert.equal(out:gsub("keyness chart: [^\n]*\n", ""), from_list)
    os.execute("rm -rf " .. h.quote(dir))
  end)

  it("compare.lua sets two texts side by side", function()
    local dir = halves()
    local out, err, code = h.run({ "scripts/compare.lua", dir .. "/a.txt", dir .. "/b.txt" })
    assert.equal(0, code, err)
    assert.matches("measure +a%.txt +b%.txt\ntokens +1011 +758\n", out)
    assert.matches("rank +a%.txt +n_a +b%.txt +n_b\n +1 +left +9 +zinoviev +10\n", out)
    os.execute("rm -rf " .. h.quote(dir))
  end)

  it("report.lua writes one self-contained HTML page", function()
    local dir = halves()
    local page = dir .. "/r.html"
    local out, err, code = h.run({ "scripts/report.lua", dir .. "/a.txt", "--ref", dir .. "/b.txt",
                                   "--word", "opposition", "-o", page })
    assert.equal(0, code, err)
    assert.equal("wrote " .. page .. "\n", out)
    local html = h.read(page)
    assert.matches("^<!DOCTYPE html>", html)
    for _, id in ipairs({ "overview", "words", "ngrams", "keywords", "dispersion", "kwic" }) do
      assert.matches('<h2 id="' .. id .. '">', html)
    end
    assert.equal(6, select(2, html:gsub('<table class="lexis sortable', "")))
    assert.equal(5, select(2, html:gsub("<svg ", "")))   -- bars, zipf, keyness, two dispersions
    -- nothing fetched: no external scripts, styles, images or fonts
    assert.is_nil(html:find("<script src", 1, true))
    assert.is_nil(html:find("<link", 1, true))
    assert.is_nil(html:find("url(", 1, true))
    assert.is_nil(html:gsub('xmlns="http://www.w3.org/2000/svg"', ""):find("https?:"))
    assert.matches(">Opposition<", html)
    local _, uerr, ucode = h.run({ "scripts/report.lua" })
    assert.equal(2, ucode)
    assert.matches("usage", uerr:lower())
    os.execute("rm -rf " .. h.quote(dir))
  end)
end)

describe("make demo", function()
  it("writes the HTML report and says where", function()
    local page = os.tmpname() .. ".html"
    local out, err, code = h.run({ "scripts/demo.lua", C }, nil, { LEXIS_REPORT = page })
    assert.equal(0, code, err)
    assert.matches("wrote " .. page:gsub("%p", "%%%0") .. "\nOpen it in a browser: file://" .. page:gsub("%p", "%%%0"), out)
    assert.matches('<h2 id="kwic">Concordance of “stalin”</h2>', h.read(page))
    os.remove(page)
  end)
end)
