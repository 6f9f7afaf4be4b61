-- HTML and XML files, read through the input layer (src/input.c,
-- src/markup.c, libxml2): every reader gets the page's text, not its
-- markup; block elements end sentences; malformed XML is an error with its
-- line. tests/data/html/ holds the pages; page.txt is page.html's text.

local h = require "helper"
local q = h.quote
local D = "tests/data/html/"

local run = h.run

-- The text the readers get, whole: every token (white space too) joined.
local function text_of(file, extra)
  local args = { "tokens", "-k", "all,space" }
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  args[#args + 1] = file
  local out, err, code = run(args)
  assert.equal(0, code, err)
  local t = {}
  for line in out:gmatch("([^\n]*)\n") do
    t[#t + 1] = line:gsub("\\(.)", { n = "\n", t = "\t", r = "\r", ["\\"] = "\\", [" "] = " " })
  end
  return table.concat(t), err
end

local function freq(file, extra)
  local args = { "freq", "--format", "tsv" }
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  args[#args + 1] = file
  local out, err, code = run(args)
  assert.equal(0, code, err)
  local counts = {}
  for w, c in out:gmatch("\n%d+\t([^\t]+)\t(%d+)") do counts[w] = tonumber(c) end
  return counts, out, err
end

local function lines(s)
  local t = {}
  for l in s:gmatch("([^\n]*)\n") do t[#t + 1] = l end
  return t
end

describe("HTML", function()
  it("is read as its text: tags, attributes, comments, script, style, template and head hidden", function()
    local c, out, err = freq(D .. "page.html")
    assert.equal("", err)                             -- nothing to say about a good page
    for _, hidden in ipairs { "metaword", "stylecolor", "scriptword", "commentword", "hrefword", "linkword",
                              "bodyattr", "headattr", "templateword", "stalin", "var", "color", "lang",
                              "href", "class", "div", "li", "amp", "eacute", "description" } do
      assert.is_nil(c[hidden], hidden .. " counted:\n" .. out)
    end
    -- the title's and the body's words: Stalin once in each
    assert.equal(2, c.Stalin)
    assert.equal(1, c.Archive)
    assert.equal(1, c.italic)
    assert.equal(2, c.item)
  end)

  it("counts what the same text counts as a plain file", function()
    local _, want = freq(D .. "page.txt")
    local _, got = freq(D .. "page.html")
    assert.equal(want, got)
  end)

  it("decodes entities and joins inline elements without a space", function()
    local t = text_of(D .. "page.html")
    assert.truthy(t:find("letters & notes in the café — many of them\nevery day. Nobody read them", 1, true), t)
    assert.truthy(t:find("Another one bold italic after\n", 1, true), t)   -- unclosed b and i, closed by the parser
    assert.falsy(t:find("[<>]"), t)
    assert.equal("\n", t:sub(-1))                    -- the text ends its last line
    assert.falsy(t:find("^%s"), t)
  end)

  it("ends sentences at block elements, not at inline ones", function()
    local out, err, code = run({ "sentences", D .. "blocks.html" })
    assert.equal(0, code, err)
    assert.same({ "Blocks", "A heading without a stop", "a paragraph without a stop", "item one", "item two",
                  "quoted words", "head cell", "data cell",
                  "inline emphasis and spans stay in one sentence", "pre keeps its spaces", "deep",
                  "nested blocks" }, lines(out))
    local t = text_of(D .. "blocks.html")
    assert.truthy(t:find("\n\npre\n  keeps   its spaces\n\ndeep\n\nnested blocks\n$"), t)
  end)

  it("shows text in kwic, not markup", function()
    local out, err, code = run({ "kwic", "Stalin", D .. "page.html" })
    assert.equal(0, code, err)
    assert.equal(2, #lines(out))
    assert.falsy(out:find("[<>]"), out)
    assert.falsy(out:find("scriptword", 1, true), out)
    assert.truthy(out:find("Stalin%s+wrote letters & notes"), out)
  end)

  it("honours the charset a Latin-1 page declares, with no note", function()
    local c, out, err = freq(D .. "latin1.html")
    assert.equal("", err)
    assert.equal(1, c["café"], out)
    assert.equal(1, c["crème"], out)
    assert.equal(1, c["Déjà"], out)
    local k, kerr, code = run({ "kwic", "café", D .. "latin1.html" })
    assert.equal(0, code, kerr)
    assert.equal(2, #lines(k))                        -- Café in the title, café in the body
  end)

  it("reads a page without a charset as UTF-8, and --encoding over the declared one", function()
    local d = h.tmpdir()
    local f = h.write(d .. "/u.html", "<html><body><p>na\xC3\xAFve caf\xC3\xA9</p></body></html>")
    local c = freq(f)
    assert.equal(1, c["naïve"])
    assert.equal(1, c["café"])
    -- Latin-1 bytes, a page that says it is UTF-8: --encoding is what counts
    f = h.write(d .. "/l.html", "<html><head><meta charset=\"utf-8\"></head><body><p>caf\xE9</p></body></html>")
    c = freq(f, { "--encoding", "latin1" })
    assert.equal(1, c["café"])
    -- no charset, and a byte that is not UTF-8: libxml2 reads on as Latin-1, and a note says so
    f = h.write(d .. "/n.html", "<html><body><p>na\xC3\xAFve</p>\n<p>caf\xE9</p></body></html>")
    local out, err = run({ "freq", "--format", "tsv", f })
    assert.truthy(out:find("\tnaïve\t1", 1, true) and out:find("\tcafé\t1", 1, true), out)
    assert.equal("lexis: " .. f .. ": not UTF-8 at line 2, and the page declares no charset: read on as "
      .. "Latin-1 from there; if that is wrong, give --encoding\n", err)
    -- a UTF-8 byte-order mark says UTF-8 too
    f = h.write(d .. "/b.html", "\xEF\xBB\xBF<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xC3\xA9</p></html>")
    c = freq(f)
    assert.equal(1, c["café"])
    h.rmdir(d)
  end)

  it("is told by content: compressed, piped, XHTML; a text that only mentions tags stays text", function()
    local _, want = freq(D .. "page.html")
    local d = h.tmpdir()
    local gz = d .. "/page-copy"
    assert(os.execute("gzip -c " .. q(D .. "page.html") .. " > " .. q(gz)))
    local _, got = freq(gz)
    assert.equal(want, got)
    local out, err, code = run({ "freq", "--format", "tsv" }, h.read(D .. "page.html"))
    assert.equal(0, code, err)
    assert.equal(want, out)
    local x = h.write(d .. "/x.xhtml", '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
      .. '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title><script>hidden()</script></head>'
      .. '<body><p>shown&#160;text</p></body></html>\n')
    local c = freq(x)
    assert.is_nil(c.hidden)
    assert.equal(1, c.shown)
    local t = h.write(d .. "/t.txt", "A note: <b>bold</b> is a tag.\n")
    c = freq(t)
    assert.equal(2, c.b)                            -- b counted twice: the text is read as it is
    local function sniff(path)
      return h.eval(string.format("io.write(((require 'lexis.core').sniff(%q)))", path))
    end
    assert.equal("html", sniff(D .. "page.html"))
    assert.equal("xml", sniff(D .. "tei.xml"))
    assert.equal("text", sniff(t))
    h.rmdir(d)
  end)

  it("reaches the Lua readers too", function()
    local out = h.eval("local c = lexis.count({ " .. string.format("%q", D .. "page.html")
      .. " }); io.write(c:get('Stalin'), ' ', tostring(c:get('scriptword')), ' ', c:total())")
    local _, plain = freq(D .. "page.txt")
    local total = 0
    for c in plain:gmatch("\n%d+\t[^\t]+\t(%d+)") do total = total + tonumber(c) end
    assert.equal("2 0 " .. total, out:gsub("nil", "0"))
  end)

  it("is refused by lexis index, saying why and how to index it", function()
    local d = h.tmpdir()
    local _, err, code = run({ "index", "-o", d .. "/x.lexis", D .. "page.html" })
    assert.equal(2, code)
    assert.truthy(err:find("page.html: HTML, not indexed", 1, true), err)
    assert.truthy(err:find("lexis sentences", 1, true), err)
    assert.is_nil(io.open(d .. "/x.lexis"))
    -- and lexis.corpus, the same way
    _, err, code = run({ "-e", string.format("local c, e = lexis.corpus({ %q }) io.stderr:write(tostring(e))",
                                             D .. "tei.xml") })
    assert.truthy(err:find("tei.xml: XML, not indexed", 1, true), err)
    h.rmdir(d)
  end)

  it("without libxml2 is an error naming the package; plain text needs none", function()
    local env = { LEXIS_TEST_NO_XML = "1" }
    local out, err, code = run({ "freq", D .. "page.html" }, nil, env)
    assert.equal(1, code)
    assert.equal("", out)
    assert.truthy(err:find("page.html: HTML, whose text lexis reads through libxml2, which could not be loaded "
      .. "(LEXIS_TEST_NO_XML is set): install the Debian package libxml2", 1, true), err)
    _, err, code = run({ "freq", D .. "page.txt" }, nil, env)
    assert.equal(0, code, err)
  end)
end)

describe("XML", function()
  it("is read as the text of its elements, the TEI header left out, entities of its own expanded", function()
    local c, out, err = freq(D .. "tei.xml")
    assert.equal("", err)
    for _, hidden in ipairs { "Headertitle", "Headerauthor", "Headerpublisher", "TEI", "xmlns", "rend",
                              "chapter", "italic", "ENTITY", "CDATA" } do
      assert.is_nil(c[hidden], hidden .. " counted:\n" .. out)
    end
    assert.equal(1, c.Shelley)                       -- &author; from the internal subset
    assert.equal(1, c.cdata)
    assert.equal(1, c.rejoice)
  end)

  it("never reads an external entity", function()
    local t = text_of(D .. "tei.xml")
    assert.truthy(t:find("Mary Shelley—and&more\n", 1, true), t)   -- &ext; (SYSTEM "/etc/hostname") left out
  end)

  it("ends sentences at TEI's blocks and between elements of element-only content", function()
    local out, err, code = run({ "sentences", D .. "tei.xml" })
    assert.equal(0, code, err)
    assert.same({ "Letter one",
      "You will rejoice to hear that no disaster has accompanied the commencement of an enterprise which you "
        .. "have regarded with such evil forebodings.",
      "I arrived here yesterday, wrote Mary Shelley—and&more",
      "The first line of verse", "the second line of verse", "an item without a stop", "another",
      "cell one", "cell two", "Term", "its definition", "A cdata <text> kept here and on." }, lines(out))
  end)

  it("is not a vertical file (VRT): that is read as text, and by index and --cql as tokens", function()
    local d = h.tmpdir()
    local f = h.write(d .. "/two.vrt", '<?xml version="1.0"?>\n<text id="a">\n<s>\nThe\tthe\tDT\n</s>\n</text>\n'
      .. '<text id="b">\n<s>\ncat\tcat\tNN\n</s>\n</text>\n')
    local c = freq(f)
    assert.equal(2, c.cat)                          -- word and lemma: read as the text it is
    assert.equal("text", h.eval(string.format("io.write(((require 'lexis.core').sniff(%q)))", f)))
    local _, err, code = run({ "index", "-o", d .. "/two.lexis", f })
    assert.equal(0, code, err)
    local out
    out, err, code = run({ "kwic", "--cql", '[col3="NN"]', d .. "/two.lexis" })
    assert.equal(0, code, err)
    assert.truthy(out:find("cat", 1, true), out)
    h.rmdir(d)
  end)

  it("honours its declared encoding", function()
    local c = freq(D .. "latin1.xml")
    assert.equal(1, c["Café"])
    assert.equal(1, c["crème"])
  end)

  it("malformed is an error with the file and libxml2's line, exit 1, nothing written", function()
    for _, cmd in ipairs { { "freq" }, { "kwic", "paragraph" }, { "sentences" }, { "tokens" } } do
      local args = { table.unpack(cmd) }
      args[#args + 1] = D .. "malformed.xml"
      local out, err, code = run(args)
      assert.equal(1, code, cmd[1])
      assert.truthy(err:find("malformed.xml: malformed XML at line 4: Opening and ending tag mismatch", 1, true),
                    cmd[1] .. ": " .. err)
      if cmd[1] == "freq" or cmd[1] == "kwic" then assert.equal("", out, cmd[1]) end
    end
    -- an entity bomb stops at libxml2's limit, as an error
    local d = h.tmpdir()
    local defs = { '<!ENTITY a0 "lol">' }
    for i = 1, 9 do
      defs[#defs + 1] = string.format('<!ENTITY a%d "%s">', i, string.rep("&a" .. (i - 1) .. ";", 10))
    end
    local f = h.write(d .. "/bomb.xml", '<?xml version="1.0"?>\n<!DOCTYPE r [' .. table.concat(defs) .. ']>\n<r>&a9;</r>\n')
    local out, err, code = run({ "freq", f })
    assert.equal(1, code)
    assert.equal("", out)
    assert.truthy(err:find("bomb.xml: malformed XML at line", 1, true), err)
    h.rmdir(d)
  end)
end)
