-- One way out (issue 13): a result written by a command's C writer and by
-- lexis.report is the same bytes, in every format, for awkward inputs too
-- (long and wide words, control characters, invalid UTF-8, nothing at all).

local h = require "helper"

local TEXTS = {
  plain = h.read("corpus/red-book-1936-excerpt.txt"),
  awkward = "naïve café 東京 東京 " .. string.rep("long", 15) .. " " .. string.rep("寿", 25)
    .. " bad\255byte tab\tword, \"quoted\" comma,word back\\slash\r\nline two\n",
  empty = "",
}

describe("the C writers and lexis.report", function()
  for name, text in pairs(TEXTS) do
    for _, fmt in ipairs({ "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }) do
      for _, kinds in ipairs({ "word,number", "all" }) do
        it("write the same word list (" .. name .. ", " .. fmt .. ", kinds " .. kinds .. ")", function()
          local path = h.write(h.tmpname(), text)
          local c_out, err, code = h.run({ "freq", "--format", fmt, "-k", kinds, path })
          assert.equal(0, code, err)
          -- a command's HTML is a whole page, as report.write makes for a file
          local lua_out = h.eval(string.format(
            "io.write(lexis.report(lexis.count({%q}, { kinds = %q }), %q, { page = %s }))", path, kinds,
            fmt, tostring(fmt == "html")))
          os.remove(path)
          assert.equal(lua_out, c_out)
        end)
      end
    end
  end

  for name, text in pairs(TEXTS) do
    for _, fmt in ipairs({ "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }) do
      it("write the same n-grams (" .. name .. ", " .. fmt .. ")", function()
        local path = h.write(h.tmpname(), text)
        local c_out, err, code = h.run({ "ngrams", "-n", "2", "--format", fmt, "-k", "all", path })
        assert.equal(0, code, err)
        local lua_out = h.eval(string.format(
          "io.write(lexis.report(lexis.ngrams({%q}, { n = 2, kinds = 'all' }), %q, { page = %s }))", path,
          fmt, tostring(fmt == "html")))
        os.remove(path)
        assert.equal(lua_out, c_out)
      end)
    end
  end

  it("write the same HTML page for -o FILE.html and report.write", function()
    local path = h.write(h.tmpname(), TEXTS.awkward)
    local a, b = h.tmpname() .. ".html", h.tmpname() .. ".html"
    local _, err, code = h.run({ "freq", "-o", a, path })
    assert.equal(0, code, err)
    h.eval(string.format("assert(lexis.report.write(lexis.count({%q}), %q))", path, b))
    local pa, pb = h.read(a), h.read(b)
    os.remove(path); os.remove(a); os.remove(b)
    assert.truthy(pa:find("^<!DOCTYPE html>"))
    assert.equal(pb, pa)
  end)
end)
