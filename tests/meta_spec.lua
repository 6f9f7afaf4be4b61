-- Document metadata (issue 14): lexis index --meta, the values in CQL
-- (text_FIELD), in Lua (c:docs().meta, c:texts(), c:select), --where on
-- wordlist, dfm and keywords (against the same command on the files it
-- selects), dfm --group (against the per-document rows summed), kwic
-- --show-meta, every fault of a table, and a version 4 index still opening.

local h = require "helper"
local lexis = require "lexis"

-- corpus/'s one file cut into four documents at line ends
local DOCS = { "p1.txt", "p2.txt", "p3.txt", "p4.txt" }
local YEAR = { "1936", "1921", "1937", "1925" }
local AUTHOR = { "Trotsky", "Lenin", "Trotsky, L.", "Stalin" }

local dir, idx
local function path(name) return dir .. "/" .. name end

local function tsv(rows)
  local t = {}
  for _, r in ipairs(rows) do t[#t + 1] = table.concat(r, "\t") end
  return table.concat(t, "\n") .. "\n"
end

local function table_rows()
  local rows = { { "doc", "year", "author" } }
  for i, d in ipairs(DOCS) do rows[#rows + 1] = { d, YEAR[i], AUTHOR[i] } end
  return rows
end

setup(function()
  dir = h.tmpdir()
  local lines = {}
  for l in io.lines("corpus/red-book-1936-excerpt.txt") do lines[#lines + 1] = l end
  local per = math.ceil(#lines / #DOCS)
  for i, d in ipairs(DOCS) do
    h.write(path(d), table.concat(lines, "\n", (i - 1) * per + 1, math.min(i * per, #lines)) .. "\n")
  end
  h.write(path("meta.tsv"), tsv(table_rows()))
  idx = path("m.lexis")
  local files = {}
  for i, d in ipairs(DOCS) do files[i] = path(d) end
  local _, err, code = h.run({ "index", "-q", "--meta", path("meta.tsv"), "-o", idx, table.unpack(files) })
  assert(code == 0, err)
end)
teardown(function() h.rmdir(dir) end)

-- the document (1-based) of token position pos (from 0)
local function doc_of(c, pos)
  for d, doc in ipairs(c:docs(false)) do
    if pos >= doc.first - 1 and pos < doc.first - 1 + doc.tokens then return d end
  end
end

describe("lexis index --meta", function()
  it("keeps each document's values, read by c:docs() and c:texts()", function()
    local c = assert(lexis.open(idx))
    local docs = c:docs(false)
    assert.equal(#DOCS, #docs)
    for i, d in ipairs(docs) do
      assert.same({ year = YEAR[i], author = AUTHOR[i] }, d.meta)
    end
    local texts = c:texts()
    assert.equal(#DOCS, #texts)
    for i, t in ipairs(texts) do
      assert.equal(docs[i].first, t.first)
      assert.equal(docs[i].tokens, t.tokens)
      assert.equal(YEAR[i], t.meta.year)
      assert.equal(AUTHOR[i], t.meta.author)
      assert.equal(path(DOCS[i]):gsub("^%./", ""), t.meta.id:sub(-#path(DOCS[i]):gsub("^%./", "")))
    end
    local a = c:attributes()
    assert.same({ "s", "text", "text_id", "text_year", "text_author" }, a.structural)
    c:close()
  end)

  it("reads a CSV table (quotes, commas, doubled quotes, a line break in a field) as the same values", function()
    local csv = 'doc,year,author,note\r\n'
    for i, d in ipairs(DOCS) do
      csv = csv .. string.format('%s,%s,"%s","say ""%d""\nand more"\r\n', d, YEAR[i], AUTHOR[i], i)
    end
    h.write(path("meta.csv"), csv)
    local out = path("csv.lexis")
    local _, err, code = h.run({ "index", "-q", "--meta", path("meta.csv"), "-o", out, path("p1.txt"),
                                 path("p2.txt"), path("p3.txt"), path("p4.txt") })
    assert.equal(0, code, err)
    local c = assert(lexis.open(out))
    for i, d in ipairs(c:docs(false)) do
      assert.same({ year = YEAR[i], author = AUTHOR[i], note = 'say "' .. i .. '"\nand more' }, d.meta)
    end
    c:close()
  end)

  it("takes keys relative to the table's directory, and the Lua API takes meta too", function()
    os.execute("mkdir -p " .. h.quote(path("sub")))
    h.write(path("sub/t.tsv"), "file\tyear\n../p1.txt\t1999\n../p2.txt\t2000\n")
    local c = assert(lexis.corpus({ path("p1.txt"), path("p2.txt") },
                                  { meta = path("sub/t.tsv"), progress = false, sentences = false }))
    assert.same({ "1999", "2000" }, { c:docs()[1].meta.year, c:docs()[2].meta.year })
    c:close()
  end)

  it("an index without metadata has none, and says so to --group", function()
    local plain = path("plain.lexis")
    assert.equal(0, select(3, h.run({ "index", "-q", "-o", plain, path("p1.txt") })))
    local c = assert(lexis.open(plain))
    assert.is_nil(c:docs()[1].meta)
    assert.same({ id = c:texts()[1].meta.id }, c:texts()[1].meta)
    c:close()
    local _, err, code = h.run({ "dfm", plain, "--group", "year", "-o", path("x") })
    assert.equal(2, code)
    assert.matches("no such metadata field %(it has none: index with %-%-meta%)", err)
  end)
end)

describe("metadata in CQL", function()
  it("match.text_year gives the hits of the query in those documents, as filtered by hand", function()
    local c = assert(lexis.open(idx))
    local all = lexis.cql('[word="the"]', idx)
    local want = {}
    for _, hit in ipairs(all) do
      if YEAR[doc_of(c, hit.start)]:match("^193.$") then want[#want + 1] = hit.start end
    end
    assert.is_true(#want > 0 and #want < #all)
    local got = {}
    for _, hit in ipairs(lexis.cql('[word="the"] :: match.text_year="193."', idx)) do got[#got + 1] = hit.start end
    assert.same(want, got)
    -- a value with a comma and %c
    got = {}
    for _, hit in ipairs(lexis.cql('[word="the"] :: match.text_author="trotsky.*" %c', idx)) do got[#got + 1] = hit.start end
    assert.same(want, got)
    c:close()
  end)

  it("<text_year=\"192.\"> opens at the first token of those documents", function()
    local c = assert(lexis.open(idx))
    local got, want = {}, {}
    for _, hit in ipairs(lexis.cql('<text_year="192."> []', idx)) do got[#got + 1] = hit.start end
    for d, doc in ipairs(c:docs(false)) do
      if YEAR[d]:match("^192.$") then want[#want + 1] = doc.first - 1 end
    end
    assert.same(want, got)
    c:close()
  end)

  it("count --by and kwic --sort take a text's field (cqp's group by a region value)", function()
    local c = assert(lexis.open(idx))
    local hits = lexis.cql('"the"', idx)
    local want = {}
    for _, hit in ipairs(hits) do
      local y = YEAR[doc_of(c, hit.start)]
      want[y] = (want[y] or 0) + 1
    end
    local out, err, code = h.run({ "count", '"the"', idx, "--by", "text_year", "--format", "tsv" })
    assert.equal(0, code, err)
    local got, rows = {}, 0
    for y, n in out:gmatch("\n(%d+)\t(%d+)") do got[y] = tonumber(n); rows = rows + 1 end
    assert.same(want, got)
    -- two documents of one author count as one row: equal values are one key
    out = assert(h.run({ "count", '"the"', idx, "--by", "text_author", "--format", "tsv" }))
    local by_author = {}
    for _, hit in ipairs(hits) do
      local a = AUTHOR[doc_of(c, hit.start)]
      by_author[a] = (by_author[a] or 0) + 1
    end
    local got_a = {}
    for a, n in out:gmatch("\n([^\t\n]+)\t(%d+)") do got_a[a] = tonumber(n) end
    assert.same(by_author, got_a)
    -- sorted by year, descending, then by position
    out = assert(h.run({ "kwic", "--cql", '"the"', idx, "--sort=-text_year,position", "--show-meta", "year",
                         "--format", "tsv" }))
    local years = {}
    for y in out:gmatch("\n(%d+)\t") do years[#years + 1] = y end
    assert.equal(#hits, #years)
    for i = 2, #years do assert.is_true(years[i - 1] >= years[i]) end
    c:close()
    local _, err2, code2 = h.run({ "count", '"the"', idx, "--by", "text_nope" })
    assert.equal(2, code2)
    assert.matches("regions with values: text_id, text_year, text_author", err2, 1, true)
  end)

  it("kwic --show-meta puts a field in the doc column; an unknown one names those there are", function()
    local out, err, code = h.run({ "kwic", "--cql", '"crisis"', idx, "--show-meta", "year", "--format", "tsv" })
    assert.equal(0, code, err)
    local c = assert(lexis.open(idx))
    local n = 0
    for line in out:gmatch("[^\n]+") do
      n = n + 1
      if n > 1 then
        local year, pos = line:match("^(%d+)\t(%d+)\t")
        assert.truthy(year)
      end
    end
    local hits = lexis.cql('"crisis"', idx)
    assert.equal(#hits + 1, n)
    local years = {}
    for _, hit in ipairs(hits) do years[#years + 1] = YEAR[doc_of(c, hit.start)] end
    local shown = {}
    for year in out:gmatch("\n(%d+)\t") do shown[#shown + 1] = year end
    assert.same(years, shown)
    c:close()
    -- the text view shows it too, before each line; without --show-meta it
    -- names the hit's file past the directories all of them share, as plain
    -- kwic does when the hits are in more than one document
    local text = assert(h.run({ "kwic", "--cql", '"crisis"', idx, "--show-meta", "year" }))
    local tyears = {}
    for year in text:gmatch("(%d+)  [^\n]*\n") do tyears[#tyears + 1] = year end
    assert.same(years, tyears)
    local plain = assert(h.run({ "kwic", "crisis", idx }))
    local names = {}
    for name in plain:gmatch("(p%d%.txt) [^\n]*\n") do names[#names + 1] = name end
    local cqlnames = {}
    for name in assert(h.run({ "kwic", "--cql", '"crisis" %c', idx })):gmatch("(p%d%.txt) [^\n]*\n") do
      cqlnames[#cqlnames + 1] = name
    end
    assert.is_true(#names > 1)
    assert.same(names, cqlnames)
    _, err, code = h.run({ "kwic", "--cql", '"crisis"', idx, "--show-meta", "yr" })
    assert.equal(2, code)
    assert.matches("%-%-show%-meta: no metadata field yr: the corpus has id, year, author", err)
  end)
end)

describe("annotated indexes", function()
  it("c:texts() reads their text_* attributes as it reads a plain index's metadata", function()
    local out = path("b.lexis")
    assert.equal(0, select(3, h.run({ "index", "-q", "tests/data/vrt/annidx-a.vrt", "-o", out })))
    local c = assert(lexis.open(out))
    local texts = c:texts()
    local regions = c:_view("regions", "text")
    assert.equal(#regions, #texts)
    local names = {}
    for _, s in ipairs(c:attributes().structural) do
      local hv = s:match("^text_(.+)$")
      if hv then names[#names + 1] = hv end
    end
    assert.is_true(#names > 0)
    for _, name in ipairs(names) do
      local vals = c:_view("regions", "text_" .. name)
      for i, t in ipairs(texts) do
        assert.equal(regions[i][1] + 1, t.first)
        if vals[i][3] then assert.equal(vals[i][3], t.meta[name]) end
      end
    end
    c:close()
    local _, err, code = h.run({ "index", "-q", "--meta", path("meta.tsv"), "tests/data/vrt/annidx-a.vrt", "-o", path("x.lexis") })
    assert.equal(2, code)
    assert.matches("annotated files %(%.vrt, %.conllu%) carry their metadata in their tags", err)
  end)
end)

describe("--where and --group", function()
  local function files_of(years)
    local t = {}
    for i, d in ipairs(DOCS) do
      if YEAR[i]:match(years) then t[#t + 1] = path(d) end
    end
    return t
  end

  it("wordlist --where counts what wordlist counts on the files it selects", function()
    for _, case in ipairs { { 'text_year="193."', "^193.$" }, { 'text_author!="Lenin"', "" },
                            { 'text_year="19[23][0-9]"', "^19[23][0-9]$" } } do
      local a, err, code = h.run({ "wordlist", idx, "--where", case[1], "--format", "tsv" })
      assert.equal(0, code, err)
      local files = case[2] ~= "" and files_of(case[2]) or { path("p1.txt"), path("p3.txt"), path("p4.txt") }
      local b = h.run({ "wordlist", "--format", "tsv", table.unpack(files) })
      assert.equal(b, a)
    end
    -- two constraints: both hold
    local a = h.run({ "wordlist", idx, "--where", 'text_year="193."', "--where", 'text_author="Trotsky"', "--format", "tsv" })
    local b = h.run({ "wordlist", "--format", "tsv", path("p1.txt") })
    assert.equal(b, a)
    -- no --where: every document
    assert.equal(h.run({ "wordlist", "--format", "tsv", table.unpack(files_of(".")) }),
                 h.run({ "wordlist", "--format", "tsv", idx }))
  end)

  it("keywords of the 1930s against the 1920s is one command, equal to the files'", function()
    local a, err, code = h.run({ "keywords", idx, "--where", 'text_year="193."', "--ref-where", 'text_year="192."',
                                 "--format", "tsv", "--lower" })
    assert.equal(0, code, err)
    local args = { "keywords", "--format", "tsv", "--lower" }
    for _, f in ipairs(files_of("^192.$")) do args[#args + 1] = "--ref"; args[#args + 1] = f end
    for _, f in ipairs(files_of("^193.$")) do args[#args + 1] = f end
    assert.equal((h.run(args)), a)
    -- --ref INDEX --ref-where: the same
    local c = h.run({ "keywords", idx, "--where", 'text_year="193."', "--ref", idx, "--ref-where", 'text_year="192."',
                      "--format", "tsv", "--lower" })
    assert.equal(a, c)
  end)

  it("dfm --where writes the files dfm writes for the files it selects", function()
    assert.equal(0, select(3, h.run({ "dfm", idx, "--where", 'text_year="192."', "-o", path("w") })))
    assert.equal(0, select(3, h.run({ "dfm", "-o", path("f"), table.unpack(files_of("^192.$")) })))
    for _, ext in ipairs { ".mtx", ".features" } do assert.equal(h.read(path("f" .. ext)), h.read(path("w" .. ext))) end
    -- the docs file names the same files (shown as given)
    local wd, fd = {}, {}
    for l in io.lines(path("w.docs")) do wd[#wd + 1] = l:match("[^/]+$") end
    for l in io.lines(path("f.docs")) do fd[#fd + 1] = l:match("[^/]+$") end
    assert.same(fd, wd)
  end)

  it("dfm --group sums the documents' rows by a field, rows named by its values in byte order", function()
    local function mtx(prefix)
      local m, first = {}, true
      for line in io.lines(prefix .. ".mtx") do
        if line:sub(1, 1) ~= "%" then
          if first then first = false else
            local r, c, v = line:match("^(%d+) (%d+) (%d+)$")
            r, c = tonumber(r), tonumber(c)
            m[r] = m[r] or {}
            m[r][c] = tonumber(v)
          end
        end
      end
      local feats, docs = {}, {}
      for l in io.lines(prefix .. ".features") do feats[#feats + 1] = l end
      for l in io.lines(prefix .. ".docs") do docs[#docs + 1] = l end
      return m, feats, docs
    end
    assert.equal(0, select(3, h.run({ "dfm", idx, "-o", path("all") })))
    local _, err, code = h.run({ "dfm", idx, "--group", "author", "-o", path("g") })
    assert.equal(0, code, err)
    local m, feats, docs = mtx(path("all"))
    local gm, gfeats, gdocs = mtx(path("g"))
    local names = {}
    for _, a in ipairs(AUTHOR) do names[a] = true end
    local sorted = {}
    for a in pairs(names) do sorted[#sorted + 1] = a end
    table.sort(sorted)
    assert.same(sorted, gdocs)
    -- each group's row: the sum of its documents' rows, word by word
    local want = {}
    for d = 1, #docs do
      local g = AUTHOR[d]
      want[g] = want[g] or {}
      for col, v in pairs(m[d] or {}) do want[g][feats[col]] = (want[g][feats[col]] or 0) + v end
    end
    for r, g in ipairs(gdocs) do
      local got = {}
      for col, v in pairs(gm[r] or {}) do got[gfeats[col]] = v end
      assert.same(want[g], got)
    end
    -- with --where too: only the selected documents are grouped
    assert.equal(0, select(3, h.run({ "dfm", idx, "--where", 'text_year="193."', "--group", "year", "-o", path("gy") })))
    local _, _, ydocs = mtx(path("gy"))
    assert.same({ "1936", "1937" }, ydocs)
  end)

  it("says why when --where selects nothing or is malformed, or has no index to select from", function()
    local cases = {
      { { "wordlist", idx, "--where", 'text_year="1800"' }, 1, 'no document has text_year="1800"' },
      { { "wordlist", idx, "--where", "year=1936" }, 2, 'text_FIELD="REGEX" expected' },
      { { "wordlist", idx, "--where", 'text_yr="1"' }, 2, "no structural attribute text_yr: the corpus has s, text, text_id, text_year, text_author" },
      { { "wordlist", path("p1.txt"), "--where", 'text_year="1"' }, 2, "selects documents of an index" },
      { { "dfm", path("p1.txt"), "--group", "year", "-o", path("x") }, 2, "give one index" },
      { { "keywords", path("p1.txt"), "--ref-where", 'text_year="1"' }, 2, "give one index" },
      { { "kwic", "crisis", idx, "--show-meta", "year" }, 2, "--show-meta goes with --cql" },
    }
    for _, case in ipairs(cases) do
      local _, err, code = h.run(case[1])
      assert.equal(case[2], code, err)
      assert.matches(case[3], err, 1, true)
    end
  end)
end)

describe("a bad metadata table", function()
  local files
  setup(function()
    files = {}
    for i, d in ipairs(DOCS) do files[i] = path(d) end
  end)

  local function index_with(name, text)
    h.write(path(name), text)
    return h.run({ "index", "-q", "--meta", path(name), "-o", path("bad.lexis"), table.unpack(files) })
  end

  it("fails with file and line, and writes no index", function()
    local rows = table_rows()
    local cases = {
      { "fields.tsv", "doc\tyear\np1.txt\t1936\np2.txt\t1921\textra\np3.txt\t1\np4.txt\t2\n",
        "fields.tsv:3: 3 fields, the header has 2" },
      { "dup.tsv", "doc\tyear\np1.txt\t1936\np2.txt\t1921\np3.txt\t1\n./p1.txt\t2\np4.txt\t3\n",
        "dup.tsv:5: './p1.txt' again (first on line 2)" },
      { "missing.tsv", "doc\tyear\np1.txt\t1936\np3.txt\t1\n",
        "missing.tsv: 2 documents without a row" },
      { "emptykey.tsv", "doc\tyear\n\t1936\n", "emptykey.tsv:2: no document named in the first column" },
      { "badname.tsv", "doc\tthe year\n", "badname.tsv:1: field 2: 'the year' is not a name" },
      { "twice.tsv", "doc\tyear\tyear\n", "twice.tsv:1: field 'year' is named twice" },
      { "nofield.tsv", "doc\n", "nofield.tsv:1: the header names no field" },
      { "empty.tsv", "", "empty.tsv:1: no header" },
      { "open.csv", 'doc,year\np1.txt,"1936\n', 'open.csv:2: a quoted field is not closed' },
      { "quote.csv", 'doc,year\np1.txt,19"36\n', 'open.csv:2:' },
    }
    cases[#cases][3] = "quote.csv:2: a quote inside an unquoted field"
    for _, case in ipairs(cases) do
      os.remove(path("bad.lexis"))
      local _, err, code = index_with(case[1], case[2])
      assert.equal(1, code, case[1] .. ": " .. err)
      assert.matches("lexis: index: " .. path(case[3]), err, 1, true)
      assert.is_nil(io.open(path("bad.lexis")))
    end
    local _, err, code = h.run({ "index", "-q", "--meta", path("nope.tsv"), "-o", path("bad.lexis"), files[1] })
    assert.equal(1, code)
    assert.matches("lexis: index: --meta: " .. path("nope.tsv") .. ": No such file or directory", err, 1, true)
    assert.is_not_nil(rows)
  end)

  it("warns of a row that names no document of the index, and builds it", function()
    local text = tsv(table_rows()) .. "gone.txt\t1900\tNobody\n"
    local _, err, code = index_with("extra.tsv", text)
    assert.equal(0, code, err)
    assert.equal("lexis: " .. path("extra.tsv") .. ":6: 'gone.txt' is no document of the index: row not used\n", err)
  end)
end)

describe("the index format", function()
  it("opens a version 4 index (before metadata) as one without metadata", function()
    local c = assert(lexis.open("tests/data/index-v4.lexis"))
    assert.is_true(#c > 0)
    assert.is_nil(c:docs(false)[1].meta)
    assert.same({ "s", "text", "text_id" }, c:attributes().structural)
    assert.truthy(c:verify())
    local n = c:freq("the")
    assert.is_true(n > 0)
    c:close()
  end)

  it("lexis index --update writes a version 4 index again as version 6, with metadata", function()
    -- the v4 index holds /tmp/lexis-v4/v4.txt (tests/data/index-v4.lexis was made from it)
    os.execute("mkdir -p /tmp/lexis-v4")
    h.write("/tmp/lexis-v4/v4.txt", "The cat sat on the mat. The dog sat too.\n")
    h.write(path("v4.tsv"), "doc\tyear\n/tmp/lexis-v4/v4.txt\t2000\n")
    local out = path("v4.lexis")
    h.write(out, h.read("tests/data/index-v4.lexis"))
    local _, err, code = h.run({ "index", "-q", "--update", "--meta", path("v4.tsv"), "/tmp/lexis-v4/v4.txt", "-o", out })
    assert.equal(0, code, err)
    assert.equal(6, string.unpack("<I4", h.read(out), 9))
    local c = assert(lexis.open(out))
    assert.same({ year = "2000" }, c:docs()[1].meta)
    c:close()
  end)

  it("finds damage in the metadata section at open", function()
    local secs = assert(require("lexis.core")._index_sections(idx))
    local m = secs[21]
    assert.is_true(#m > 24)
    -- an offset past the strings (every checksum valid)
    secs[21] = m:sub(1, 16) .. string.pack("<I8", 1 << 40) .. m:sub(25)
    assert(require("lexis.core")._index_write(path("dm.lexis"), secs))
    local c, err = lexis.open(path("dm.lexis"))
    assert.is_nil(c)
    assert.matches("damaged %(document metadata%); rebuild it with 'lexis index'", err)
  end)
end)

describe("the table reader on random tables", function()
  -- A round trip: random values (commas, quotes, tabs, line breaks, CR,
  -- UTF-8) written as RFC 4180 CSV and read back the same; and random bytes
  -- either read or fail with "path:line: ...", never another error.
  local mt = require "lexis.metatable"
  local ALPHABET = { "a", "b", "1", ",", '"', "\n", "\r\n", " ", "é", "\t", "x" }

  local function value(rng)
    local t = {}
    for _ = 1, rng(0, 6) do t[#t + 1] = ALPHABET[rng(1, #ALPHABET)] end
    return table.concat(t)
  end
  local function csv_field(v)
    if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
    return v
  end

  it("reads back what was written, and fails only with a file and a line", function()
    local rng = math.random
    math.randomseed(14)
    for round = 1, 200 do
      local nf = rng(1, 4)
      local head, rows, lines = { "doc" }, {}, {}
      for k = 1, nf do head[#head + 1] = "f" .. k end
      lines[1] = table.concat(head, ",")
      for r = 1, rng(0, 5) do
        local row = { "d" .. r .. ".txt" }
        for _ = 1, nf do row[#row + 1] = value(rng) end
        rows[r] = row
        local cells = {}
        for k, v in ipairs(row) do cells[k] = csv_field(v) end
        lines[#lines + 1] = table.concat(cells, ",")
      end
      local p = path("r" .. round .. ".csv")
      h.write(p, table.concat(lines, rng(0, 1) == 1 and "\r\n" or "\n") .. "\n")
      local t = mt.read(p)
      assert.same({ table.unpack(head, 2) }, t.fields)
      for _, row in ipairs(rows) do
        local got = t.rows[require("lexis.core").abspath(path(row[1]))]
        assert.truthy(got, row[1])
        for k = 2, #row do
          -- a line end inside quotes is kept as written, CRLF and all
          assert.equal(row[k], got[k - 1])
        end
      end
      -- the same bytes cut anywhere, or with a byte changed: read, or a located failure
      local bytes = h.read(p)
      local cut = bytes:sub(1, rng(0, #bytes))
      local at = rng(1, math.max(1, #cut))
      local flipped = cut:sub(1, at - 1) .. ALPHABET[rng(1, #ALPHABET)] .. cut:sub(at + 1)
      for _, text in ipairs { cut, flipped } do
        for _, ext in ipairs { ".csv", ".tsv" } do
          local q = path("x" .. ext)
          h.write(q, text)
          local ok, e = pcall(mt.read, q)
          if not ok then
            assert.equal("table", type(e), tostring(e))
            assert.matches("^" .. q:gsub("%p", "%%%0") .. ":%d+: ", e.message)
          end
        end
      end
    end
  end)
end)
