-- DOCX, ODT, EPUB and PDF documents, read through the input layer
-- (src/input.c, src/office.c, src/zip.c, src/markup.c, src/pdf.c): told by
-- content, never by name; their text with paragraph breaks; damaged,
-- encrypted, oversized and foreign files refused in words. The documents
-- are made here: their XML written by these functions and zipped with
-- Info-ZIP's zip (Debian's zip), the PDF written by pdf() below.

local h = require "helper"
local q = h.quote
local run = h.run

local dir

local function sh(cmd)
  assert(os.execute(cmd), cmd)
end

-- A zip archive at path of the files { name = content } (in the order of
-- `order`); `stored` names members kept uncompressed (an EPUB's or ODT's
-- mimetype comes first and stored, as their specifications want).
local function zip(path, files, order, stored)
  local src = h.tmpdir()
  for _, name in ipairs(order) do
    local sub = name:match("^(.*)/[^/]*$")
    if sub then sh("mkdir -p " .. q(src .. "/" .. sub)) end
    h.write(src .. "/" .. name, files[name])
  end
  os.remove(path)
  for _, name in ipairs(order) do
    sh(string.format("cd %s && zip -qX %s %s %s", q(src), stored and stored[name] and "-0" or "-9", q(path), q(name)))
  end
  h.rmdir(src)
  return path
end

local W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

local function docx(path, body)
  return zip(path, {
    ["[Content_Types].xml"] = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ["word/document.xml"] = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' .. W ..
      '><w:body>' .. body .. '</w:body></w:document>',
  }, { "[Content_Types].xml", "word/document.xml" })
end

local function odt(path, text)
  return zip(path, {
    mimetype = "application/vnd.oasis.opendocument.text",
    ["content.xml"] = '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ' ..
      'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' ..
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">' ..
      '<office:automatic-styles><style-word/></office:automatic-styles>' ..
      '<office:body><office:text>' .. text .. '</office:text></office:body></office:document-content>',
  }, { "mimetype", "content.xml" }, { mimetype = true })
end

local function page(title, body)
  return '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">' ..
    '<head><title>' .. title .. '</title></head><body>' .. body .. '</body></html>\n'
end

-- An EPUB whose manifest lists the pages in another order than its spine.
local function epub(path, pages)
  local files = {
    mimetype = "application/epub+zip",
    ["META-INF/container.xml"] = '<?xml version="1.0"?><container version="1.0" ' ..
      'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile ' ..
      'full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
  }
  local order = { "mimetype", "META-INF/container.xml" }
  local manifest, spine = {}, {}
  for i = #pages, 1, -1 do
    local p = pages[i]
    manifest[#manifest + 1] = string.format('<item id="p%d" href="%s" media-type="%s"/>', i,
      p.href:gsub(" ", "%%20"), p.type or "application/xhtml+xml")
    if p.body then
      files["OEBPS/" .. p.href] = page("The book's title", p.body)
      order[#order + 1] = "OEBPS/" .. p.href
    end
  end
  for i = 1, #pages do spine[#spine + 1] = string.format('<itemref idref="p%d"/>', i) end
  files["OEBPS/content.opf"] = '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" ' ..
    'version="3.0"><metadata/><manifest>' .. table.concat(manifest) .. '</manifest><spine>' ..
    table.concat(spine) .. '</spine></package>'
  order[#order + 1] = "OEBPS/content.opf"
  return zip(path, files, order, { mimetype = true })
end

-- A PDF of pages (each a list of lines) in Helvetica, its cross-reference
-- table computed; encrypt: a standard security handler whose password is
-- not the empty one, so the file cannot be opened without it.
local function pdf(path, pages, encrypt)
  local objs = { "<< /Type /Catalog /Pages 2 0 R >>" }
  local kids = {}
  for i = 1, #pages do kids[i] = (2 + 2 * i) .. " 0 R" end
  objs[2] = "<< /Type /Pages /Kids [" .. table.concat(kids, " ") .. "] /Count " .. #pages .. " >>"
  objs[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
  for i, lines in ipairs(pages) do
    local ops = { "BT /F1 12 Tf 72 720 Td 14 TL" }
    for _, l in ipairs(lines) do ops[#ops + 1] = "(" .. l .. ") Tj T*" end
    ops[#ops + 1] = "ET"
    local stream = table.concat(ops, "\n")
    objs[2 + 2 * i] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> " ..
      "/Contents " .. (3 + 2 * i) .. " 0 R >>"
    objs[3 + 2 * i] = "<< /Length " .. #stream .. " >>\nstream\n" .. stream .. "\nendstream"
  end
  local out = { "%PDF-1.4\n" }
  local pos, offs = #out[1], {}
  for i, o in ipairs(objs) do
    offs[i] = pos
    out[#out + 1] = i .. " 0 obj\n" .. o .. "\nendobj\n"
    pos = pos + #out[#out]
  end
  local x = { "xref\n0 " .. (#objs + 1) .. "\n0000000000 65535 f \n" }
  for i = 1, #objs do x[#x + 1] = string.format("%010d 00000 n \n", offs[i]) end
  out[#out + 1] = table.concat(x)
  local enc = encrypt and (" /Encrypt << /Filter /Standard /V 1 /R 2 /O <" .. ("ab"):rep(32) .. "> /U <" ..
    ("cd"):rep(32) .. "> /P -4 >> /ID [<" .. ("01"):rep(16) .. "> <" .. ("01"):rep(16) .. ">]") or ""
  out[#out + 1] = "trailer\n<< /Size " .. (#objs + 1) .. " /Root 1 0 R" .. enc .. " >>\nstartxref\n" .. pos .. "\n%%EOF\n"
  return h.write(path, table.concat(out))
end

local function lines(s)
  local t = {}
  for l in s:gmatch("([^\n]*)\n") do t[#t + 1] = l end
  return t
end

local function sentences(file, env)
  local out, err, code = run({ "sentences", file }, nil, env)
  assert.equal(0, code, err)
  return lines(out), err
end

-- The text the readers get, whole: every token (white space too) joined.
local function text_of(file)
  local out, err, code = run({ "tokens", "-k", "all,space", file })
  assert.equal(0, code, err)
  local t = {}
  for line in out:gmatch("([^\n]*)\n") do
    t[#t + 1] = line:gsub("\\(.)", { n = "\n", t = "\t", r = "\r", ["\\"] = "\\", [" "] = " " })
  end
  return table.concat(t)
end

local function freq(file)
  local out, err, code = run({ "freq", "--format", "tsv", file })
  assert.equal(0, code, err)
  local counts = {}
  for w, c in out:gmatch("\n%d+\t([^\t]+)\t(%d+)") do counts[w] = tonumber(c) end
  return counts, err
end

local function fails(args, want, exit, env)
  local out, err, code = run(args, nil, env)
  assert.equal(exit or 1, code, err)
  assert.equal("", out)
  assert.truthy(err:find(want, 1, true), err)
  return err
end

-- bytes with the 4-byte little-endian field at offset `at` of the member
-- `name`'s central directory header set to v (its declared size at 24)
local function patch_directory(bytes, name, at, v)
  local i = 1
  while true do
    i = assert(bytes:find("PK\1\2", i, true), "no header for " .. name)
    local nlen = bytes:byte(i + 28) + 256 * bytes:byte(i + 29)
    if bytes:sub(i + 46, i + 45 + nlen) == name then break end
    i = i + 4
  end
  return bytes:sub(1, i - 1 + at) .. string.pack("<I4", v) .. bytes:sub(i + at + 4)
end

setup(function()
  dir = h.tmpdir()
  docx(dir .. "/report.docx",
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>A heading without a stop</w:t></w:r></w:p>' ..
    '<w:p><w:r><w:t xml:space="preserve">Word spl</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>its runs</w:t></w:r>' ..
    '<w:r><w:tab/><w:t>then a tab</w:t><w:br/><w:t>and a break</w:t></w:r>' ..
    '<w:del><w:r><w:delText>deletedword</w:delText></w:r></w:del>' ..
    '<w:r><w:instrText> PAGEREF fieldword </w:instrText></w:r></w:p>' ..
    '<w:p><w:r><w:t>Café and naïve</w:t></w:r></w:p>')
  odt(dir .. "/letter.odt",
    '<text:h text:outline-level="1">A title without a stop</text:h>' ..
    '<text:p>One<text:s text:c="3"/>two<text:tab/>three<text:line-break/>fo<text:span>ur</text:span> words' ..
    '<office:annotation><text:p>commentword</text:p></office:annotation></text:p>' ..
    '<text:p>The last paragraph</text:p>')
  epub(dir .. "/book.epub", {
    { href = "text/one.xhtml", body = "<h1>Chapter one</h1><p>It was a dark night</p>" },
    { href = "cover.png", type = "image/png" },
    { href = "text/chapter two.xhtml", body = "<p>The second page</p><p>ends <b>here</b></p>" },
  })
  pdf(dir .. "/paper.pdf", { { "The first page has no stop", "and a second line" }, { "The second page" } })
end)

teardown(function()
  h.rmdir(dir)
end)

describe("DOCX", function()
  it("is read as its paragraphs' text: runs joined, tabs and breaks as space", function()
    local s, err = sentences(dir .. "/report.docx")
    assert.equal("", err)
    assert.same({ "A heading without a stop", "Word splits runs then a tab and a break", "Café and naïve" }, s)
    local t = text_of(dir .. "/report.docx")
    assert.equal("A heading without a stop\n\nWord splits runs then a tab\nand a break\n\nCafé and naïve\n", t)
  end)

  it("counts no deleted text, field code or markup", function()
    local c = freq(dir .. "/report.docx")
    assert.equal(1, c.splits)
    for _, w in ipairs { "deletedword", "PAGEREF", "fieldword", "w", "val", "left", "xml" } do
      assert.is_nil(c[w], w)
    end
  end)
end)

describe("a large document", function()
  it("is parsed a piece at a time: XML past 10 MB in one member", function()
    local p = docx(dir .. "/long.docx", ("<w:p><w:r><w:t>many</w:t></w:r><w:r><w:t>words</w:t></w:r></w:p>"):rep(200000))
    local c = freq(p)
    assert.equal(200000, c.manywords)
    os.remove(p)
  end)
end)

describe("ODT", function()
  it("is read as its headings and paragraphs: spaces, tabs, line breaks, spans", function()
    local s, err = sentences(dir .. "/letter.odt")
    assert.equal("", err)
    assert.same({ "A title without a stop", "One two three four words", "The last paragraph" }, s)
    local c = freq(dir .. "/letter.odt")
    assert.is_nil(c.commentword)                   -- an annotation is no part of the text
    assert.is_nil(c["style-word"])
    assert.equal(1, c.four)
  end)
end)

describe("EPUB", function()
  it("reads the spine's pages in its order, a paragraph break between them, titles left out", function()
    local s, err = sentences(dir .. "/book.epub")
    assert.same({ "Chapter one", "It was a dark night", "The second page", "ends here" }, s)
    -- the spine's picture is no page, and that is said
    assert.truthy(err:find("book.epub: its spine's page cover.png is image/png, not XHTML: skipped", 1, true), err)
    local t = text_of(dir .. "/book.epub")
    assert.equal("Chapter one\n\nIt was a dark night\n\nThe second page\n\nends here\n", t)
    assert.is_nil(freq(dir .. "/book.epub").title)
  end)

  it("says which page it lacks", function()
    local p = epub(dir .. "/gap.epub", { { href = "a.xhtml", body = "<p>kept</p>" }, { href = "b.xhtml" } })
    local s, err = sentences(p)
    assert.same({ "kept" }, s)
    assert.truthy(err:find("gap.epub: its spine's page b.xhtml is not in the archive: skipped", 1, true), err)
  end)
end)

describe("PDF", function()
  it("is read page by page, a paragraph break between pages", function()
    local s, err = sentences(dir .. "/paper.pdf")
    assert.equal("", err)
    assert.same({ "The first page has no stop and a second line", "The second page" }, s)
  end)

  it("refuses an encrypted file, naming it", function()
    local p = pdf(dir .. "/locked.pdf", { { "secret words" } }, true)
    fails({ "freq", p }, p .. ": an encrypted PDF document (it needs a password)")
  end)

  it("names the package when poppler-glib is missing", function()
    fails({ "freq", dir .. "/paper.pdf" }, "paper.pdf: a PDF document, whose text lexis reads through poppler, "
      .. "which could not be loaded (LEXIS_TEST_NO_POPPLER is set): install the Debian package libpoppler-glib8",
      1, { LEXIS_TEST_NO_POPPLER = "1" })
  end)
end)

describe("documents", function()
  it("are told by content, not by name: from standard input and under another name", function()
    for _, f in ipairs { "report.docx", "letter.odt", "book.epub", "paper.pdf" } do
      local want = sentences(dir .. "/" .. f)
      local out, _, code = run({ "sentences", "-" }, h.read(dir .. "/" .. f))
      assert.equal(0, code)
      assert.same(want, lines(out))
      h.write(dir .. "/renamed.txt", h.read(dir .. "/" .. f))
      assert.same(want, (sentences(dir .. "/renamed.txt")))
    end
    os.remove(dir .. "/renamed.txt")
  end)

  it("show their text in kwic, and --encoding does not apply to them", function()
    local out, err, code = run({ "kwic", "--encoding", "latin1", "--format", "tsv", "splits", dir .. "/report.docx" })
    assert.equal(0, code, err)
    assert.truthy(out:find("Word\tsplits\truns", 1, true), out)
    out, err, code = run({ "kwic", "--format", "tsv", "dark", dir .. "/book.epub", dir .. "/paper.pdf" })
    assert.equal(0, code, err)
    assert.truthy(out:find("was a\tdark\tnight", 1, true), out)
  end)

  it("are indexed with --store-text, and refused without it", function()
    local ix = dir .. "/docs.lexis"
    local files = { dir .. "/report.docx", dir .. "/letter.odt", dir .. "/book.epub", dir .. "/paper.pdf" }
    fails({ "index", "-o", ix, files[1] }, "report.docx: a zip archive (a DOCX, ODT or EPUB document), not indexed", 2)
    fails({ "index", "-o", ix, files[4] }, "give --store-text", 2)
    local out, err, code = run({ "index", "--store-text", "-o", ix, files[1], files[2], files[3], files[4] })
    assert.equal(0, code, err)
    out, err, code = run({ "kwic", "--format", "tsv", "second", ix })
    assert.equal(0, code, err)
    assert.truthy(out:find("has no stop and a\tsecond\tline", 1, true), out)
    assert.truthy(out:find("The\tsecond\tpage", 1, true), out)
    os.remove(ix)
  end)

  it("need libxml2 for their XML, and say so", function()
    fails({ "freq", dir .. "/report.docx" }, "install the Debian package libxml2", 1, { LEXIS_TEST_NO_XML = "1" })
    fails({ "freq", dir .. "/book.epub" }, "install the Debian package libxml2", 1, { LEXIS_TEST_NO_XML = "1" })
  end)
end)

describe("a damaged or foreign file", function()
  it("is a zip archive of another kind: skipped in words, as a binary file is, never read as words", function()
    local p = zip(dir .. "/notes.zip", { ["notes.txt"] = "plain words\n" }, { "notes.txt" })
    local x = zip(dir .. "/sheet.xlsx", { ["[Content_Types].xml"] = "<Types/>", ["xl/workbook.xml"] = "<workbook/>" },
      { "[Content_Types].xml", "xl/workbook.xml" })
    local s = zip(dir .. "/calc.ods", { mimetype = "application/vnd.oasis.opendocument.spreadsheet", ["content.xml"] = "<x/>" },
      { "mimetype", "content.xml" }, { mimetype = true })
    local t = h.write(dir .. "/words.txt", "some words here\n")
    local out, err, code = run({ "freq", "--format", "tsv", p, x, s, t })
    assert.equal(0, code, err)
    assert.truthy(err:find(p .. ": a zip archive, not a DOCX, ODT or EPUB document (its first member is notes.txt; "
      .. "unzip it to read the text files in it), skipped", 1, true), err)
    assert.truthy(err:find(x .. ": a zip archive (an XLSX workbook), not a DOCX, ODT or EPUB document", 1, true), err)
    assert.truthy(err:find(s .. ": an OpenDocument file of type application/vnd.oasis.opendocument.spreadsheet, "
      .. "not a text document", 1, true), err)
    assert.falsy(out:find("plain", 1, true), out)          -- the zip's member is not read
    assert.truthy(out:find("here\t1", 1, true), out)
    os.remove(t)
  end)

  it("is truncated: each kind says so", function()
    for _, f in ipairs { "report.docx", "letter.odt", "book.epub" } do
      local bytes = h.read(dir .. "/" .. f)
      local cut = h.write(dir .. "/cut-" .. f, bytes:sub(1, #bytes // 2))
      fails({ "freq", cut }, cut .. ": a zip archive without its central directory (truncated or damaged)")
    end
    local bytes = h.read(dir .. "/paper.pdf")
    local cut = h.write(dir .. "/cut.pdf", bytes:sub(1, 300))
    fails({ "freq", cut }, cut .. ": a damaged PDF document (poppler: ")
  end)

  it("has damaged compressed data or XML: the member is named", function()
    local bytes = h.read(dir .. "/report.docx")
    local at = bytes:find("word/document.xml", 1, true) + 17 + 30
    local bad = bytes:sub(1, at - 1) .. string.char(bytes:byte(at) ~ 0xFF, bytes:byte(at + 1) ~ 0x55) .. bytes:sub(at + 2)
    fails({ "freq", h.write(dir .. "/bad.docx", bad) }, "bad.docx: its member word/document.xml is damaged (")
    docx(dir .. "/malformed.docx", "<w:p><w:r><w:t>open</w:r></w:p>")
    fails({ "freq", dir .. "/malformed.docx" }, "malformed.docx: word/document.xml: malformed XML at line 2")
  end)

  it("is a zip bomb: a member past the cap, or larger than it declares", function()
    local body = "<w:p><w:r><w:t>" .. ("bomb "):rep(40000) .. "</w:t></w:r></w:p>"
    local p = docx(dir .. "/bomb.docx", body)
    assert.truthy(#h.read(p) < 4000)                 -- 200 KB of XML in a few KB
    fails({ "freq", p }, "bomb.docx: its member word/document.xml would inflate to ", 1, { LEXIS_TEST_ZIP_MAX = "100000" })
    local c = freq(p)                                -- under the real cap it is a document like another
    assert.equal(40000, c.bomb)
    local liar = patch_directory(h.read(p), "word/document.xml", 24, 1000)
    fails({ "freq", h.write(dir .. "/liar.docx", liar) },
      "liar.docx: its member word/document.xml inflates past its declared size of 1000 bytes (a zip bomb, or damaged)")
  end)
end)
