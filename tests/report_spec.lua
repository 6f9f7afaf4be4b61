-- lexis.report: every kind of result in every format; the machine formats
-- are read back (JSON with lua-cjson, CSV with a small RFC 4180 reader).

local h = require "helper"
local lexis = require "lexis"
local core = require "lexis.core"
local report = require "lexis.report"
local cjson = require "cjson"

local CORPUS = { "corpus/red-book-1936-excerpt.txt" }

local RECORDS = {
  columns = { "word", "n", "ratio" },
  { word = "plain", n = 3, ratio = 0.5 },
  { word = 'comma, "quote"', n = 12, ratio = 1 / 3 },
  { word = "line\nbreak\ttab", n = 0, ratio = 2.25e-7 },
  { word = "日本語のテキストです", n = 7 },
}

-- An RFC 4180 reader: records of fields, quoted fields may hold anything.
local function read_csv(s)
  local records, fields, i = {}, {}, 1
  while i <= #s do
    local field
    if s:sub(i, i) == '"' then
      local j, parts = i + 1, {}
      while true do
        local q = s:find('"', j, true)
        parts[#parts + 1] = s:sub(j, q - 1)
        if s:sub(q + 1, q + 1) == '"' then parts[#parts + 1] = '"'; j = q + 2
        else i = q + 1; break end
      end
      field = table.concat(parts)
    else
      local j = s:find("[,\r]", i) or #s + 1
      field = s:sub(i, j - 1)
      i = j
    end
    fields[#fields + 1] = field
    local c = s:sub(i, i)
    if c == "," then i = i + 1
    else
      assert(s:sub(i, i + 1) == "\r\n", "CSV record must end in CRLF at " .. i)
      records[#records + 1] = fields
      fields, i = {}, i + 2
    end
  end
  return records
end

describe("lexis.report", function()
  it("is in the registry and callable", function()
    assert.is_table(lexis._api.report)
    assert.is_function(lexis.report.write)
    assert.is_string(lexis.report(RECORDS))
    assert.matches("cannot tabulate a number", select(2, pcall(lexis.report, 42, "text")))
  end)

  it("aligns text by display width and cuts long cells with an ellipsis", function()
    local out = report.format(RECORDS, "text", { width = 12 })
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    assert.equal(5, #lines)
    assert.matches("^word +n +ratio$", lines[1])
    assert.matches("^日本語のテ… +7$", lines[5])
    -- every line's columns line up: "n" ends at the same display column
    local ends = {}
    for i = 2, 5 do
      local before = lines[i]:match("^(.-%d+)")
      ends[#ends + 1] = core.displaywidth(before)
    end
    assert.same({ ends[1], ends[1], ends[1], ends[1] }, ends)
    -- control characters never break a line
    assert.matches("line break …", out)
  end)

  it("fits the text table to maxwidth by narrowing text columns", function()
    local out = report.format(lexis.kwic(CORPUS, "Stalin"), "text", { maxwidth = 60 })
    for line in out:gmatch("[^\n]+") do
      assert.is_true(core.displaywidth(line) <= 60, line)
    end
    assert.matches("\n[^\n]*…[^\n]*  Stalin  ", out)
  end)

  it("writes CSV as RFC 4180 says and reads back the same fields", function()
    local out = report.format(RECORDS, "csv")
    local rows = read_csv(out)
    assert.same({ "word", "n", "ratio" }, rows[1])
    assert.same({ 'comma, "quote"', "12", "0.3333333333333333" }, rows[3])   -- every digit
    assert.same({ "line\nbreak\ttab", "0", "2.25e-07" }, rows[4])
    assert.same({ "日本語のテキストです", "7", "" }, rows[5])
  end)

  it("writes TSV one record a line, escaping tabs and line breaks", function()
    local out = report.format(RECORDS, "tsv", { header = false })
    local n = select(2, out:gsub("\n", ""))
    assert.equal(4, n)
    assert.matches("line\\nbreak\\ttab\t0\t", out, 1, true)
  end)

  it("writes JSON and JSON Lines that cjson reads back, keys in column order", function()
    local out = report.format(RECORDS, "json")
    local back = cjson.decode(out)
    assert.equal(4, #back)
    assert.equal('comma, "quote"', back[2].word)
    assert.equal(1 / 3, back[2].ratio)
    assert.equal("line\nbreak\ttab", back[3].word)
    assert.equal(cjson.null, back[4].ratio)
    assert.matches('^%[\n{"word":"plain","n":3,"ratio":0.5}', out)
    local lines = 0
    for line in report.format(lexis.ngrams(CORPUS, { top = 5 }), "jsonl"):gmatch("[^\n]+") do
      local obj = cjson.decode(line)
      assert.is_string(obj.ngram)
      lines = lines + 1
    end
    assert.equal(5, lines)
    assert.equal("[]\n", report.format({ columns = { "a" } }, "json"))
  end)

  it("writes invalid UTF-8 into JSON as U+FFFD", function()
    local out = report.format({ columns = { "w" }, { w = "caf\xE9" } }, "json")
    assert.equal("café", cjson.decode(out)[1].w:gsub("\u{FFFD}", "é"))
  end)

  it("writes Markdown with pipes escaped and numbers right-aligned", function()
    local out = report.format({ columns = { "a", "n" }, { a = "x|y", n = 1 } }, "markdown")
    assert.equal("| a | n |\n|---|---:|\n| x\\|y | 1 |\n", out)
  end)

  it("writes HTML with text escaped and sortable values", function()
    local out = report.format({ columns = { "a", "n" }, { a = "<b>&", n = 2.5 } }, "html")
    assert.matches("<td>&lt;b&gt;&amp;</td>", out, 1, true)
    assert.matches('data-v="2.5"', out, 1, true)
    assert.matches("^<!DOCTYPE html>", report.format(RECORDS, "html", { page = true }))
  end)

  it("tabulates counts, concordances and every statistics result", function()
    local counts = lexis.count(CORPUS, { lower = true })
    assert.matches("^rank +word +count +per_million\n +1 +the +168", report.format(counts, "text", { limit = 3 }))
    local conc = lexis.kwic(CORPUS, "Stalin", { limit = 2 })
    local t = report.records(conc)
    assert.same({ "doc", "position", "left", "node", "right" },
                { t.columns[1].name, t.columns[2].name, t.columns[3].name, t.columns[4].name, t.columns[5].name })
    assert.equal("Stalin", t.rows[1].node)
    for _, r in ipairs({
      lexis.ngrams(CORPUS, { top = 3 }),
      lexis.collocates(CORPUS, "Stalin", { top = 3 }),
      lexis.keywords("the cat sat on the mat", "the dog sat"),
      lexis.wordlist(CORPUS, { top = 3 }),
    }) do
      local csv = read_csv(report.format(r, "csv"))
      assert.equal(#r + 1, #csv)
      assert.equal(#r.columns, #csv[1])
    end
  end)

  it("tabulates a corpus's documents and an n-gram counter", function()
    local c = lexis.corpus(CORPUS)
    assert.matches("^path,tokens,size,first,stale\r\ncorpus/red%-book%-1936%-excerpt%.txt,2160,11293,1,false\r\n$",
                   report.format(c, "csv"))
    local g = lexis.ngrams(CORPUS, { top = 1 }).counter
    assert.equal("rank\tngram\tcount\trange\n1\tof the\t36\t1\n", report.format(g, "tsv", { limit = 1 }))
  end)

  it("picks and orders columns, and takes rows as arrays", function()
    local out = report.format(lexis.ngrams(CORPUS, { top = 2 }), "tsv", { columns = { "count", "ngram" } })
    assert.equal("count\tngram\n36\tof the\n", out:match("^[^\n]+\n[^\n]+\n"))
    -- kinds given with the columns survive a pick: "left" is aligned right
    local kinds = { columns = { { "left", "left" }, { "node", "str" } }, { left = "a b", node = "c" } }
    assert.matches('<td class="left">a b</td>', report.format(kinds, "html", { columns = { "node", "left" } }), 1, true)
    local arrays = { columns = { "x", "y" }, { 1, "a" }, { 2, "b" } }
    assert.equal("x,y\r\n1,a\r\n2,b\r\n", report.format(arrays, "csv"))
  end)

  it("writes a path whole through lexis.atomic_open, the format from its extension", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir " .. h.quote(dir)))
    local path = dir .. "/words.json"
    assert.is_true(report.write(RECORDS, path))
    assert.equal(4, #cjson.decode(h.read(path)))
    assert.is_true(report.write(RECORDS, dir .. "/words.html"))
    assert.matches("^<!DOCTYPE html>.-<style>.-<table.-</html>\n$", h.read(dir .. "/words.html"))
    local ok, err = report.write(RECORDS, dir .. "/missing/x.csv")
    assert.is_nil(ok)
    assert.matches("x.csv", err)
    os.execute("rm -rf " .. h.quote(dir))
  end)

  it("refuses an unknown format", function()
    assert.has_error(function() report.format(RECORDS, "xml") end,
                     "report: unknown format 'xml' (text, tsv, csv, json, jsonl, markdown, html)")
  end)
end)

describe("lexis.core.truncate", function()
  it("cuts on grapheme clusters to a display width", function()
    assert.equal("abc", core.truncate("abc", 3))
    assert.equal("ab…", core.truncate("abcd", 3))
    assert.equal("…cd", core.truncate("abcd", 3, true))
    assert.equal("日…", core.truncate("日本語", 4))
    -- e + combining acute is one cluster: never split from its accent
    assert.equal("e\u{301}…", core.truncate("e\u{301}e\u{301}e\u{301}", 2))
    assert.equal("ab.", core.truncate("abcd", 3, false, "."))
  end)
end)

describe("lexis.progress", function()
  local progress = require "lexis.progress"

  -- A meter on a fake terminal and a fake clock.
  local function fake(total, delay)
    local out, now = {}, 0
    local stream = { write = function(self, ...) for _, s in ipairs({ ... }) do out[#out + 1] = s end return self end,
                     flush = function() end }
    local p = progress.new(total, { label = "counting", stream = stream, tty = true, delay = delay,
                                    clock = function() return now end })
    return p, function(t) now = t end, function() return table.concat(out) end
  end

  it("shows bytes of the total, the rate and the time left after a second", function()
    local p, at, written = fake(4e6)
    at(0.5); p:add(1e6)
    assert.equal("", written())                 -- under a second: nothing
    at(2); p:add(1e6)
    assert.equal("\rcounting: 2.0 MB of 4.0 MB (50%), 1.0 MB/s, 2 s left\27[K", written())
    at(2.05); p:add(1)
    assert.equal(1, select(2, written():gsub("\r", "")))   -- at most ten lines a second
    p:finish()
    assert.matches("\r\27%[K$", written())
  end)

  it("says nothing when the stream is not a terminal", function()
    local p = progress.new(10, { stream = io.stderr, tty = false, delay = 0 })
    p:add(5)
    assert.is_false(p.shown)
  end)

  it("knows the size of files, and 0 for a directory", function()
    assert.equal(11293, progress.bytes({ "corpus/red-book-1936-excerpt.txt", "corpus", "-" }))
  end)

  it("writes to a terminal and never to a pipe", function()
    local code = [[
      local p = require("lexis.progress").new(1e6, { label = "slow job" })
      local t0 = require("lexis.core").clock()
      while require("lexis.core").clock() - t0 < 1.3 do p:add(10) end
      p:finish() print("done")
    ]]
    local out, err = h.run({ "-e", code })
    assert.equal("done\n", out)
    assert.equal("", err)
    if os.execute("command -v script >/dev/null 2>&1") then
      local p = io.popen("script -qec " .. h.quote(h.quote(h.bin) .. " -e " .. h.quote(code)) .. " /dev/null")
      local tty = p:read("a")
      p:close()
      assert.matches("slow job: [%d.]+ [kM]?B of 1.0 MB %(%d+%%%), [%d.]+ [kM]?B/s", tty)
    end
  end)
end)
