-- The readers of annotated corpora (src/vrt.c, src/conllu.c) through the
-- internal core.vrt_events: the events of small hand-written .vrt and
-- .conllu files in tests/data/vrt/, every construct, repair and error.

local h = require "helper"
local core = require "lexis.core"

local D = "tests/data/vrt/"

-- One line per event: "tok word|lemma@position", "open s/depth k=v",
-- "close s/depth@position", "warn message"; warnings without the path.
local function render(events)
  local out = {}
  for _, e in ipairs(events) do
    local s
    if e.kind == "token" then
      s = "tok " .. table.concat(e.values, "|") .. "@" .. e.position
    elseif e.kind == "open" then
      s = "open " .. e.name .. "/" .. e.depth .. "@" .. e.position
      for _, a in ipairs(e.attrs) do s = s .. " " .. a[1] .. "=" .. a[2] end
    elseif e.kind == "close" then
      s = "close " .. e.name .. "/" .. e.depth .. "@" .. e.position
    else
      s = "warn " .. e.message:gsub("^[^:]*:", "")
    end
    out[#out + 1] = s
  end
  return out
end

local function events(path, opts)
  local ev, info, code = core.vrt_events(path, opts)
  assert(ev, info)
  return render(ev), info
end

-- The message and errno of a reading that fails.
local function failure(path, opts)
  local ev, msg, code = core.vrt_events(path, opts)
  assert.is_nil(ev)
  return msg, code
end

-- A temporary file holding s.
local tmp = {}
local function file(s, ext)
  local p = h.tmpname() .. (ext or ".vrt")
  tmp[#tmp + 1] = p
  return h.write(p, s)
end

teardown(function()
  for _, p in ipairs(tmp) do os.remove(p) end
end)

describe("VRT", function()
  it("reads tokens, regions and their attributes, with a header naming the columns", function()
    local ev, info = events(D .. "basic.vrt")
    assert.same({
      "open text/0@0 id=a year=1936",
      "open s/0@0",
      "tok The|the|DT@0",
      "tok Cat|cat|NN@1",
      "close s/0@2",
      "open s/0@2",
      "tok &|&|CC@2",
      "close s/0@3",
      "close text/0@3",
    }, ev)
    assert.same({ "word", "lemma", "pos" }, info.pattrs)
    assert.same({ "text", "s" }, info.structures)
    assert.equal("vrt", info.format)
  end)

  it("takes the positional attributes from the options, as cwb-encode -P", function()
    local ev, info = events(D .. "basic.vrt", { p = { "l", "t" } })
    assert.same({ "word", "l", "t" }, info.pattrs)
    assert.equal("tok The|the|DT@0", ev[3])
  end)

  it("discovers the columns from the first token line without a declaration", function()
    local ev, info = events(file("a\tb\tc\n"))
    assert.same({ "word", "col2", "col3" }, info.pattrs)
    assert.same({ "tok a|b|c@0" }, ev)
  end)

  it("nests same-name regions as deep as declared, crosses names, closes flat ones", function()
    local ev = events(D .. "nesting.vrt", { p = { "pos" }, s = { "text+id", "s:1", "a", "b", "pb+n", "q" } })
    assert.same({
      "open text/0@0 id=t1",
      "open s/0@0",
      "open s/1@0",
      "tok in|IN@0",
      "close s/1@1",
      "tok out|OUT@1",
      "open s/1@2",
      "warn 8: region nested deeper than its declaration allows, dropped (<s> declared s:1)",
      "tok deep|X@2",
      "close s/1@3",                 -- the dropped region's close is dropped too
      "close s/0@3",
      "open a/0@3",                  -- <a><b></a></b>: regions of two names cross
      "tok x|X@3",
      "open b/0@4",
      "tok y|Y@4",
      "close a/0@5",
      "tok z|Z@5",
      "close b/0@6",
      "open pb/0@6 n=1",             -- an empty tag lasts until the next one
      "tok p1|P@6",
      "close pb/0@7",
      "open pb/0@7 n=2",
      "tok p2|P@7",
      "open q/0@8",
      "tok q1|Q@8",
      "warn 26: region opened while one of its flat name was open: that one closed first (<q>)",
      "close q/0@9",
      "open q/0@9",
      "tok q2|Q@9",
      "close q/0@10",
      "warn 29: close tag with no region of its name open, dropped (</q>)",
      "close text/0@10",
      "open text/0@10 id=t2",
      "tok last|L@10",
      "warn 33: region still open at the end of the input, closed there (</text> missing)",
      "close text/0@11",
      "close pb/0@11",               -- an empty tag's region ends unwarned
      "warn  close tag with no region of its name open, dropped: 2 times in all",
    }, ev)
  end)

  it("reads a tag of an undeclared name as a token, as cwb-encode does, or skips it", function()
    local msg, code = failure(D .. "undeclared.vrt", { p = { "pos" }, s = { "doc", "s" } })
    assert.equal(D .. "undeclared.vrt:4: 1 tab-separated columns, expected 2 (word pos); "
                 .. "a tag of an undeclared region name is read as a token", msg)
    assert.equal(84, code)
    local ev = events(D .. "undeclared.vrt", { p = { "pos" }, s = { "doc", "s" }, columns = "pad" })
    assert.equal("warn 4: tag of an undeclared region name (<footnote> read as a token)", ev[4])
    assert.equal("tok <footnote>|@1", ev[6])
    ev = events(D .. "undeclared.vrt", { p = { "pos" }, s = { "doc", "s" }, undeclared = "skip" })
    assert.same({
      "open doc/0@0",
      "open s/0@0",
      "tok Hi|UH@0",
      "warn 4: tag of an undeclared region name (<footnote> skipped)",
      "tok there|RB@1",
      "warn 7: text after a tag's '>' ignored (<s>)",   -- a declared name is a tag
      "warn 7: region opened while one of its flat name was open: that one closed first (<s>)",
      "close s/0@2",
      "open s/0@2",
      "close s/0@2",
      "close doc/0@2",
      "warn  tag of an undeclared region name: 2 times in all",
    }, ev)
  end)

  it("makes every tag a region when nothing is declared, and a tag line with columns a token", function()
    local ev, info = events(D .. "undeclared.vrt")
    assert.same({ "doc", "s", "footnote" }, info.structures)
    assert.equal("open footnote/0@1", ev[4])
    assert.equal("close footnote/0@2", ev[6])
  end)

  it("reads a line that starts like a tag but is none as a token", function()
    local ev, info = events(file("<grin and bear\n<3\n<x>\n</x>\n"))
    assert.same({ "tok <grin and bear@0", "tok <3@1", "open x/0@2", "close x/0@2" }, ev)
    assert.same({ "x" }, info.structures)
  end)

  it("reads empty documents and regions without tokens", function()
    local ev, info = events(D .. "empty.vrt")
    assert.same({}, ev)
    assert.same({}, info.pattrs)
    ev = events(D .. "emptytext.vrt", { s = { "text+id+year" } })
    assert.same({
      "open text/0@0 id=e year=",
      "close text/0@0",
      "open text/0@0 id=f year=",
      "close text/0@0",
    }, ev)
  end)

  it("takes either quote, bare values and blanks around '=', and decodes XML's five entities", function()
    local ev = events(D .. "quotes.vrt")
    local kept = "entity other than &amp; &lt; &gt; &quot; &apos; kept as it is, as cwb-encode keeps it"
    assert.same({
      "warn 1: " .. kept .. " (&#x263A;)",
      "open text/0@0 id=single title=a \"b\" 'c' <d> &#x263A; &#9731; src=plain k=v",
      "tok <3@0",
      "tok &foo;@1",
      "tok AT&T@2",
      "close text/0@3",
      "warn  " .. kept .. ": 3 times in all",
    }, ev)
    ev = events(D .. "quotes.vrt", { s = { "text+id" } })
    assert.equal("warn 1: undeclared attribute of a region dropped (<text title=...>)", ev[2])
    assert.equal("open text/0@0 id=single", ev[3])
    assert.equal("warn  undeclared attribute of a region dropped: 3 times in all", ev[#ev - 1])
  end)

  it("says when a region declared without attributes has some", function()
    local ev = events(file("<s n=\"1\">\nw\n</s>\n"), { s = { "s" } })
    assert.same({ "warn 1: attributes of a region declared without them not kept (<s n=...>)",
                  "open s/0@0", "tok w@0", "close s/0@1" }, ev)
  end)

  it("skips a byte-order mark, CR LF line ends, comments over lines and empty lines", function()
    local ev = events(D .. "crlf.vrt")
    assert.same({ "tok one|A@0", "tok two|B@1" }, ev)
  end)

  it("stops on a wrong column count, or pads and cuts with a warning", function()
    local msg = failure(D .. "columns.vrt", { p = { "pos", "x" } })
    assert.equal(D .. "columns.vrt:2: 2 tab-separated columns, expected 3 (word pos x)", msg)
    local ev = events(D .. "columns.vrt", { p = { "pos", "x" }, columns = "pad" })
    assert.same({
      "tok a|A|x@0",
      "warn 2: token line with a column count unlike the attributes', repaired (2 columns, expected 3)",
      "tok b|B|@1",
      "tok c|C|z@2",
      "warn  token line with a column count unlike the attributes', repaired: 2 times in all",
    }, ev)
  end)

  it("reports a close tag with attributes and text after a tag", function()
    local ev = events(file("<s>\nw\n</s x=\"1\">\n<s> junk\n</s>\n"), { s = { "s" } })
    assert.same({ "open s/0@0", "tok w@0",
                  "warn 3: attributes on a close tag ignored (</s ...>)", "close s/0@1",
                  "warn 4: text after a tag's '>' ignored (<s>)", "open s/0@1", "close s/0@1" }, ev)
  end)

  local errors = {
    { "<text id=\"a\"\nw\n", "1: expected '>' to end the tag <text ...>" },
    { "<text id>\n", "1: expected '=' after the attribute id of <text>" },
    { "<text id=\"a>\n", "1: expected a closing \" for the value of id in <text>" },
    { "<text id=>\n", "1: expected a value after id= in <text>" },
    { "<text id=\"a\"x=\"b\">\n", "1: expected a blank or '>' after the value of id in <text>" },
    { "<text a=\"1\" a=\"2\">\n", "1: attribute a given twice in <text>" },
    { "<text =\"1\">\n", "1: expected an attribute name or '>' in <text ...> at column 7" },
    { "w\n</text\n", "2: expected '>' to end the tag </text", { s = { "text" } } },
    { "ok\nb\xffd\n", "2: invalid UTF-8 at byte offset 4 (byte 0xFF)" },
    { "<!-- open\nw\n", "1: comment '<!--' not closed by '-->' before the end of the input" },
    { "<!-- #vrt positional-attributes: lemma pos -->\n", "1: expected 'word' first after '#vrt positional-attributes:'" },
    { "<" .. ("x"):rep(65) .. ">\n", "1: tag name of 65 bytes, longer than the cap of 64" },
    { ("a\t"):rep(64) .. "a\n", "1: 65 columns, more than the cap of 64" },
  }
  for _, case in ipairs(errors) do
    it("fails with file and line: " .. case[2], function()
      local path = file(case[1])
      local msg, code = failure(path, case[3])
      assert.equal(path .. ":" .. case[2], msg)
      assert.equal(84, code)                              -- EILSEQ
    end)
  end

  it("caps the regions open at once and the attributes of a tag", function()
    local path = file(("<a>\n"):rep(64) .. "<b>\n")
    local msg = failure(path, { s = { "a:63", "b" } })
    assert.equal(path .. ":65: more than 64 regions open at once (the cap)", msg)
    local attrs = {}
    for i = 1, 65 do attrs[i] = "a" .. i .. "=\"v\"" end
    path = file("<t " .. table.concat(attrs, " ") .. ">\n")
    assert.equal(path .. ":1: more than 64 attributes in <t> (the cap)", (failure(path)))
  end)

  it("caps the length of a line", function()
    local path = file(("x"):rep(1048577) .. "\n")
    assert.equal(path .. ":1: line longer than the cap of 1048576 bytes", (failure(path)))
    path = file(("x"):rep(1048576) .. "\n")
    local ev = core.vrt_events(path)
    assert.equal(1048576, #ev[1].values[1])
  end)

  it("raises on a bad declaration, as misuse", function()
    local path = file("w\n")
    assert.has_error(function() core.vrt_events(path, { s = { "s:x" } }) end,
      "vrt_events: " .. path .. ": structural declaration 's:x': expected a depth 0 to 63 after ':'")
    assert.has_error(function() core.vrt_events(path, { s = { "s", "s+id" } }) end,
      "vrt_events: " .. path .. ": region <s> declared twice")
    assert.has_error(function() core.vrt_events(path, { p = { "pos", "pos" } }) end,
      "vrt_events: " .. path .. ": positional attribute 'pos' declared twice")
    assert.has_error(function() core.vrt_events(path, { p = { "a b" } }) end)
    assert.has_error(function() core.vrt_events(path, { columns = "fix" }) end)
  end)

  it("returns nil, message, errno for a missing file and skips a binary one", function()
    local ev, msg, code = core.vrt_events("/nonexistent/x.vrt")
    assert.is_nil(ev)
    assert.equal("/nonexistent/x.vrt: No such file or directory", msg)
    assert.equal(2, code)
    local ok, why = core.vrt_events(file("a\0b\n"))
    assert.is_false(ok)
    assert.truthy(why:find("binary", 1, true))
  end)

  it("reads from a pipe through the input layer", function()
    local path = file("<s>\nw\tX\n</s>\n")
    local p = io.popen(h.quote(h.bin) .. " -e 'local c = require \"lexis.core\"; "
      .. "local ev = c.vrt_events(\"-\"); print(#ev, ev[2].values[2])' < " .. h.quote(path))
    local out = p:read("a")
    p:close()
    assert.equal("3\tX\n", out)
  end)
end)

-- What cwb-encode makes of the same files (tests/data/vrt/NAME.cwb, made by
-- bench/vrt-cwb.sh with CWB 3.4.33): the reader's tokens and regions,
-- rendered the same way, are CWB's. CWB drops regions without tokens and
-- keeps a region's attributes as s-attributes of their own ("text_id").
local function as_cwb(events)
  local lines, rows, open = {}, {}, {}
  for _, e in ipairs(events) do
    if e.kind == "token" then
      lines[#lines + 1] = "token\t" .. table.concat(e.values, "\t")
    elseif e.kind == "open" then
      local key = e.name .. "/" .. e.depth
      open[key] = open[key] or {}
      table.insert(open[key], e)
    elseif e.kind == "close" then
      local o = table.remove(open[e.name .. "/" .. e.depth])
      if e.position > o.position then
        local name = e.depth > 0 and e.name .. e.depth or e.name
        rows[#rows + 1] = { name, o.position, e.position - 1 }
        for _, a in ipairs(o.attrs) do rows[#rows + 1] = { name .. "_" .. a[1], o.position, e.position - 1, a[2] } end
      end
    end
  end
  table.sort(rows, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  for _, r in ipairs(rows) do
    lines[#lines + 1] = "region\t" .. r[1] .. "\t" .. r[2] .. "\t" .. r[3] .. (r[4] and "\t" .. r[4] or "")
  end
  return table.concat(lines, "\n")
end

describe("VRT as cwb-encode reads it", function()
  for _, name in ipairs { "nesting", "basic", "undeclared", "quotes", "emptytext" } do
    it(name .. ".vrt", function()
      local want = h.read(D .. name .. ".cwb")
      local flags = want:match("^# cwb%-encode ([^\n]*)")
      local opts, words = { p = {}, s = {} }, {}
      for w in flags:gmatch("%S+") do words[#words + 1] = w end
      for i = 1, #words do
        if words[i] == "-P" then table.insert(opts.p, words[i + 1]) end
        if words[i] == "-S" then table.insert(opts.s, words[i + 1]) end
      end
      for k, v in want:match("\n# lexis ([^\n]*)"):gmatch("(%w+)=(%w+)") do opts[k] = v end
      local body = want:gsub("^#[^\n]*\n#[^\n]*\n", ""):gsub("\n$", "")
      local ev = assert(core.vrt_events(D .. name .. ".vrt", opts))
      assert.equal(body, as_cwb(ev))
    end)
  end
end)

describe("the reader", function()
  it("fails cleanly when an allocation fails, at each of its allocations", function()
    local code = 'local c = require "lexis.core"; '
      .. 'for _, f in ipairs{"tests/data/vrt/sample.conllu", "tests/data/vrt/nesting.vrt"} do '
      .. 'local ok, ev = pcall(c.vrt_events, f); '
      .. 'io.write(ok and #ev or tostring(ev), "|") end'
    local want = nil
    for n = 12, 1, -1 do
      local out, err, status = h.run({ "-e", code }, nil, { LEXIS_TEST_ALLOC_FAIL = tostring(n) })
      assert.equal(0, status, err)
      assert.equal("", err)
      for item in out:gmatch("([^|]*)|") do
        assert.truthy(item:match("^%d+$") or item:find("not enough memory", 1, true), out)
      end
      if n == 12 then want = out end
    end
    assert.equal("23|40|", want)                           -- the 12th call is past the reader's
  end)
end)

describe("CoNLL-U", function()
  it("reads words, ranges, empty nodes, documents, paragraphs and sentence comments", function()
    local ev, info = events(D .. "sample.conllu")
    assert.equal("conllu", info.format)
    assert.same({ "word", "id", "lemma", "upos", "xpos", "feats", "head", "deprel", "deps", "misc", "mwt" },
                info.pattrs)
    assert.same({ "text", "p", "s" }, info.structures)
    assert.same({
      "open text/0@0 id=doc1",
      "open p/0@0 id=p1",
      "open s/0@0 sent_id=s1 text=I don't know. translator=nobody",
      "tok I|1|I|PRON|PRP|Case=Nom|3|nsubj|||@0",
      "tok do|2|do|AUX|VBP||4|aux|||don't@1",      -- the words of "don't", its surface as mwt
      "tok n't|3|not|PART|RB||4|advmod|||don't@2",
      "tok know|4|know|VERB|VB||0|root||SpaceAfter=No|@3",
      "warn 12: empty node (an id such as 8.1) skipped: it is no word of the text (4.1)",
      "tok .|5|.|PUNCT|.||4|punct|||@4",
      "close s/0@5",
      "open s/0@5 sent_id=s2 text=",
      "tok _|1|_|SYM|NFP||0|root|||@5",           -- "_" as a word and its lemma stays
      "close s/0@6",
      "close p/0@6",
      "close text/0@6",
      "open text/0@6 id=",
      "open p/0@6 id=",
      "open s/0@6 sent_id= text=",
      "tok Bye|1|bye|INTJ|UH||0|root|||@6",
      "warn 20: sentence not ended by a blank line at the end of the input, closed there",
      "close s/0@7",
      "close p/0@7",
      "close text/0@7",
    }, ev)
  end)

  it("reads an empty file and a file of comments only", function()
    assert.same({}, (events(file("", ".conllu"))))
    assert.same({}, (events(file("# just = a comment\n\n", ".conllu"))))
  end)

  it("is chosen by the format option as well as by the extension", function()
    local msg = failure(D .. "sample.conllu", { format = "vrt" })  -- "#" lines are words in VRT
    assert.equal(D .. "sample.conllu:7: 10 tab-separated columns, expected 1 (word)", msg)
    local path = file("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n\n")
    local ev = events(path, { format = "conllu" })
    assert.same({ "open s/0@0 sent_id= text=", "tok a|1|a|X|X||0|root|||@0", "close s/0@1" }, ev)
  end)

  local row = "\t_\t_\t_\t_\t_\t_\t_\t_\n"
  local errors = {
    { "1\ta" .. row .. "# sent_id = 2\n", "2: a comment inside a sentence: expected a word line, or a blank line to end the sentence first" },
    { "x\ta" .. row, "1: expected a word id such as 4, 4-5 or 4.1 in the first column, found 'x'" },
    { "1-\ta" .. row, "1: expected a word id such as 4, 4-5 or 4.1 in the first column, found '1-'" },
    { "2\ta" .. row, "1: word id 2, expected 1" },
    { "1\ta" .. row .. "3\tb" .. row, "2: word id 3, expected 2" },
    { "1-2\tab" .. row .. "1\ta" .. row .. "\n", "3: the multiword token 'ab' ends at word 2, the sentence at word 1" },
    { "2-1\tab" .. row, "1: word id 2, expected 1" },
    { "1-1\tab" .. row, "1: multiword token range 1-1: expected an end after its start" },
    { "1\ta" .. row .. "3.1\tb" .. row, "2: empty node 3.1: expected 1.N after word 1" },
    { "1\ta\t_\n", "1: 3 tab-separated columns, expected 10 (the ten CoNLL-U columns)" },
    { "1\t" .. row, "1: expected a word form in the second column" },
    { "# newdoc x = 1\n", "1: expected '# newdoc' or '# newdoc id = ...'" },
    { "# sent_id = 1\n# sent_id = 2\n", "2: '# sent_id' given twice for one sentence" },
    { "1\ta\xc3" .. row, "1: invalid UTF-8 at byte offset 3 (byte 0xC3)" },
  }
  for _, case in ipairs(errors) do
    it("fails with file and line: " .. case[2], function()
      local path = file(case[1], ".conllu")
      local msg, code = failure(path)
      assert.equal(path .. ":" .. case[2], msg)
      assert.equal(84, code)
    end)
  end

  it("caps the comment attributes of a sentence", function()
    local lines = {}
    for i = 1, 62 do lines[#lines + 1] = "# k" .. i .. " = v" end
    lines[#lines + 1] = "# text = t"
    lines[#lines + 1] = "# sent_id = s"
    local ok = file(table.concat(lines, "\n") .. "\n1\ta" .. row .. "\n", ".conllu")
    local ev = events(ok)
    assert.equal(64, select(2, ev[1]:gsub("=", "")))
    lines[#lines + 1] = "# k63 = v"
    local path = file(table.concat(lines, "\n") .. "\n", ".conllu")
    assert.equal(path .. ":65: more than 62 comment attributes for one sentence (the cap)", (failure(path)))
  end)

  it("pads a short line with a warning when asked", function()
    local ev = events(file("1\ta\t_\n", ".conllu"), { columns = "pad" })
    assert.equal("warn 1: token line with a column count unlike the attributes', repaired (3 columns, expected 10)", ev[1])
    assert.equal("tok a|1|||||||||@0", ev[3])
  end)
end)
