-- The one home of output rules (src/encode.c): fields and numbers of every
-- format, checked against printf and a JSON parser.

local core = require "lexis.core"
local cjson = require "cjson"

describe("numbers in every format", function()
  it("has 6 significant digits for people, as printf's %.6g, in plain decimals from 1e-4 to 1e6", function()
    math.randomseed(7)
    for _ = 1, 20000 do
      local x = math.random() * 10 ^ math.random(-4, 5)
      if math.random() < 0.3 then x = math.floor(x * 1000 + 0.5) / 1000 + 0.0 end  -- near ties
      if math.random() < 0.5 then x = -x end
      if math.abs(x) >= 1e-4 and math.abs(x) < 1e6 then
        assert.equal(string.format("%.6g", x), core.encode_num("text", x))
        assert.equal(string.format("%.6g", x), core.encode_num("html", x))
      end
    end
  end)

  it("has every digit for programs: the shortest form that reads back the same", function()
    math.randomseed(9)
    for _ = 1, 5000 do
      local x = (math.random() - 0.5) * 10 ^ math.random(-300, 300)
      for _, f in ipairs { "tsv", "csv", "json", "jsonl" } do
        local s = core.encode_num(f, x)
        assert.equal(x, tonumber(s))
        assert.is_true(#s <= 24)
      end
    end
    assert.equal("0.1", core.encode_num("tsv", 0.1))
  end)

  it("writes whole numbers up to 1e15 without an exponent for people, and e-notation outside", function()
    assert.equal("1234568", core.encode_num("text", 1234567.8))
    assert.equal("500000", core.encode_num("markdown", 500000.0))
    assert.equal(string.format("%.0f", 98765432109.4), core.encode_num("text", 98765432109.4))
    assert.equal("1e-10", core.encode_num("text", 1e-10))
    assert.equal("1e+15", core.encode_num("text", 1e15))
    assert.equal("0.00671141", core.encode_num("text", 1 / 149))   -- a hapax in 149 M words, per million
    assert.equal("0", core.encode_num("text", 0.0))
    assert.equal("42", core.encode_num("json", 42))
    assert.equal("-7", core.encode_num("json", -7))
  end)

  it("writes a number that is not finite as null in JSON", function()
    assert.equal("null", core.encode_num("json", 1 / 0))
    assert.equal("null", core.encode_num("jsonl", 0 / 0))
    assert.equal("inf", core.encode_num("tsv", 1 / 0))
    assert.equal("-inf", core.encode_num("csv", -1 / 0))
  end)
end)

describe("fields", function()
  it("escapes tabs, line ends and backslashes in TSV", function()
    assert.equal("a\\tb\\nc\\rd\\\\e", core.encode("tsv", "a\tb\nc\rd\\e"))
    assert.equal("plain", core.encode("tsv", "plain"))
  end)

  it("quotes CSV fields only when RFC 4180 says, and ends lines in CRLF", function()
    assert.equal("plain", core.encode("csv", "plain"))
    assert.equal('"a,b"', core.encode("csv", "a,b"))
    assert.equal('"say ""hi"""', core.encode("csv", 'say "hi"'))
    assert.equal('"two\nlines"', core.encode("csv", "two\nlines"))
    assert.equal("\r\n", core.eol("csv"))
    assert.equal("\n", core.eol("tsv"))
  end)

  it("always writes valid JSON: bytes that are not UTF-8 become U+FFFD", function()
    math.randomseed(11)
    for _ = 1, 2000 do
      local bytes = {}
      for i = 1, math.random(0, 12) do bytes[i] = string.char(math.random(0, 255)) end
      local s = table.concat(bytes)
      local ok, back = pcall(cjson.decode, "[" .. core.encode("json", s) .. "]")
      assert.is_true(ok, string.format("%q", s))
      if utf8.len(s) and not s:find("[\237][\160-\191]") then assert.equal(s, back[1]) end
    end
    assert.equal('"caf\\ufffd"', core.encode("json", "caf\233"))
  end)

  it("escapes HTML and Markdown", function()
    assert.equal("&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39;", core.encode("html", "<b> & \"x\" 'y'"))
    assert.equal("a\\|b c", core.encode("markdown", "a|b\nc"))
  end)

  it("knows a format by its name or a path's extension", function()
    assert.equal("csv", core.format_of("out.csv"))
    assert.equal("tsv", core.format_of("dir.v2/OUT.TSV"))
    assert.equal("markdown", core.format_of("table.md"))
    assert.equal("html", core.format_of("page.htm"))
    assert.is_nil(core.format_of("README"))
    assert.is_nil(core.format_of("dir.v2/file"))
    assert.has_error(function() core.encode("yaml", "x") end)
  end)
end)
