-- lexis serve over HTTP: the API answers what the command line answers,
-- refuses what it must (tokens, paths, methods, limits, time), serves
-- requests at once, and stops cleanly on SIGTERM and SIGINT.

local h = require "helper"
local sh = require "serve_helper"
local cjson = require "cjson"

describe("lexis serve", function()
  local dir, index, ref, server

  setup(function()
    dir = h.tmpdir()
    local text = h.read("corpus/red-book-1936-excerpt.txt")
    local cut = text:find("\n", #text // 2, true)
    h.write(dir .. "/first.txt", text:sub(1, cut))
    h.write(dir .. "/second.txt", text:sub(cut + 1))
    -- the corpus with a metadata table (the document view shows its fields)
    index = dir .. "/corpus.lexis"
    local cwd = io.popen("pwd"):read("l")
    local meta = h.write(dir .. "/meta.tsv", "doc\tyear\tauthor\n" .. cwd .. "/corpus/red-book-1936-excerpt.txt\t1936\tTrotsky\n")
    local _, ierr, icode = h.run({ "index", "-q", "corpus/", "--meta", meta, "-o", index })
    assert(icode == 0, ierr)
    ref = sh.index(dir, "half", dir .. "/second.txt")
    server = sh.start({ "serve", index, ref, "--port", "0", "--threads", "4" })
    assert(not server.failed, server.err)
  end)

  teardown(function()
    if server and server.pid then sh.stop(server) end
    if dir then h.rmdir(dir) end
  end)

  it("lists the corpora it serves", function()
    local code, body = sh.get(server, "/api/corpora")
    assert.equal(200, code)
    local t = cjson.decode(body)
    assert.equal("corpus", t.corpora[1].name)
    assert.equal("half", t.corpora[2].name)
    assert.equal(2160, t.corpora[1].tokens)
  end)

  it("serves the page and its files", function()
    local code, body, head = sh.get(server, "/")
    assert.equal(200, code)
    assert.matches("<title>lexis</title>", body, 1, true)
    assert.matches("text/html", head, 1, true)
    assert.equal(200, (sh.get(server, "/app.js")))
    assert.equal(200, (sh.get(server, "/style.css")))
  end)

  it("gives the hits and columns of lexis kwic --format json, page by page", function()
    local cli = h.run({ "kwic", "the", index, "--sort", "R1,R2", "--limit", "20", "--width", "30", "--format", "json" })
    local code, body = sh.get(server, "/api/kwic?q=the&sort=R1,R2&limit=20&width=30")
    assert.equal(200, code)
    local t = cjson.decode(body)
    assert.equal(168, t.total)
    assert.same(cjson.decode(cli), t.hits)
    -- the same bytes: the API embeds the table lexis.report writes
    assert.truthy(body:find(cli:gsub("\n$", ""), 1, true))
    local _, page = sh.get(server, "/api/kwic?q=the&sort=R1,R2&offset=5&limit=5&width=30")
    local all = cjson.decode(cli)
    assert.same({ all[6], all[7], all[8], all[9], all[10] }, cjson.decode(page).hits)
  end)

  it("downloads a page as TSV and CSV with the command line's bytes", function()
    for _, f in ipairs({ "tsv", "csv" }) do
      local cli = h.run({ "kwic", "opposition", index, "--sort=-R1", "--limit", "7", "--width", "25", "--format", f })
      local code, body = sh.get(server, "/api/kwic?q=opposition&sort=-R1&limit=7&width=25&format=" .. f)
      assert.equal(200, code)
      assert.equal(cli, body)
    end
  end)

  it("samples the hits as kwic --sample does", function()
    local cli = h.run({ "kwic", "of", index, "--sample", "5", "--seed", "9", "--width", "20", "--format", "json" })
    local _, body = sh.get(server, "/api/kwic?q=of&sample=5&seed=9&width=20")
    assert.same(cjson.decode(cli), cjson.decode(body).hits)
    assert.equal(5, cjson.decode(body).total)
  end)

  it("answers collocates, the word list, n-grams and keywords with the API's numbers", function()
    local function api(code) return h.eval("local c = assert(lexis.open(" .. string.format("%q", index) .. "))\n" .. code) end
    local _, body = sh.get(server, "/api/collocates?q=opposition&measure=mi&top=10")
    assert.same(cjson.decode(api('io.write(lexis.report(c:collocates("opposition", { by = "mi", top = 10 }), "json"))')),
                cjson.decode(body).rows)
    _, body = sh.get(server, "/api/wordlist?top=10")
    assert.same(cjson.decode(api('io.write(lexis.report(c:wordlist{ top = 10 }, "json"))')), cjson.decode(body).rows)
    _, body = sh.get(server, "/api/ngrams?n=3&top=10")
    assert.same(cjson.decode(api('io.write(lexis.report(c:ngrams{ n = 3, top = 10 }, "json"))')), cjson.decode(body).rows)
    _, body = sh.get(server, "/api/keywords?ref=half&top=10")
    assert.same(cjson.decode(api('io.write(lexis.report(c:keywords(assert(lexis.open('
      .. string.format("%q", ref) .. ')), { top = 10 }), "json"))')), cjson.decode(body).rows)
  end)

  it("counts the hits by form and by document", function()
    local _, body = sh.get(server, "/api/freq?q=the*&by=form")
    local t = cjson.decode(body)
    local n = tonumber((h.run({ "kwic", "the*", index, "--count" })))
    assert.equal(n, t.hits)
    local sum = 0
    for _, r in ipairs(t.rows) do sum = sum + r.hits end
    assert.equal(n, sum)
    assert.equal("the", t.rows[1].form)
    -- each form as many times as the command line's hits have it as node
    local nodes = {}
    for _, hit in ipairs(cjson.decode((h.run({ "kwic", "the*", index, "--format", "json" })))) do
      nodes[hit.node] = (nodes[hit.node] or 0) + 1
    end
    local forms = {}
    for _, r in ipairs(t.rows) do forms[r.form] = r.hits end
    assert.same(nodes, forms)
    _, body = sh.get(server, "/api/freq?q=the*&by=doc")
    assert.equal(n, cjson.decode(body).rows[1].hits)
  end)

  it("shows a hit in its document, marked", function()
    local _, body = sh.get(server, "/api/kwic?q=opposition&limit=1")
    local hit = cjson.decode(body).hits[1]
    local code, doc = sh.get(server, string.format("/api/doc?doc=1&start=%d&end=%d&around=100", hit.start, hit["end"]))
    assert.equal(200, code)
    local d = cjson.decode(doc)
    assert.equal(hit.node, d.hit)
    assert.equal("red-book-1936-excerpt.txt", d.name)
    assert.same({ author = "Trotsky", year = "1936" }, d.meta)
    local text = h.read("corpus/red-book-1936-excerpt.txt")
    assert.truthy(text:find(d.before .. d.hit .. d.after, 1, true))
    assert.equal(400, (sh.get(server, "/api/doc?doc=99")))
  end)

  it("draws the dispersion plot as SVG", function()
    local code, body, head = sh.get(server, "/api/dispersion?q=opposition")
    assert.equal(200, code)
    assert.matches("image/svg+xml", head, 1, true)
    assert.matches("^<svg ", body)
  end)

  it("refuses paths outside its own, whatever their encoding", function()
    for _, path in ipairs({ "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                            "/api/../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "//etc/passwd",
                            "/index.html/../../etc/passwd", "/api/doc?path=/etc/passwd" }) do
      local code, body = sh.get(server, path)
      assert.is_true(code >= 400 and code < 500, path .. ": " .. tostring(code))
      assert.is_nil(body:find("root:", 1, true), path)
    end
  end)

  it("refuses other methods, unknown routes and bad arguments with a 4xx and a JSON reason", function()
    local function check(want, path, opts)
      local code, body = sh.get(server, path, opts)
      assert.equal(want, code, path)
      assert.is_string(cjson.decode(body).error)
    end
    check(405, "/api/kwic?q=the", { method = "POST", data = "x" })
    check(405, "/", { method = "DELETE" })
    check(404, "/api/nothing")
    check(404, "/nothing.html")
    check(400, "/api/kwic")                              -- no query
    check(400, "/api/kwic?q=%FF%FE")                     -- not UTF-8
    check(400, "/api/kwic?q=the&limit=100000")           -- more rows than the limit
    check(400, "/api/kwic?q=the&offset=999999999")
    check(400, "/api/kwic?q=the&sort=X9")
    check(400, "/api/kwic?q=/(/&regex=1")                -- a query the parser refuses
    check(404, "/api/kwic?q=the&corpus=nope")
    check(400, "/api/kwic?q=the&format=xml")
    local code = sh.get(server, "/api/kwic?q=%zz%")      -- bad percent-encoding: answered, not crashed
    assert.is_true(code == 200 or (code >= 400 and code < 500))
  end)

  it("refuses a query longer than the limit and a request too big to read", function()
    local code = sh.get(server, "/api/kwic?q=" .. string.rep("a", 2000))
    assert.equal(414, code)
    code = sh.get(server, "/api/kwic?q=" .. string.rep("a", 100 * 1024))
    assert.is_true(code >= 400 and code < 500, tostring(code))
    assert.equal(200, (sh.get(server, "/api/corpora")))   -- and is still there
  end)

  it("serves concurrent requests, each its own answer", function()
    local words = { "the", "of", "and", "opposition", "left", "stalin", "party", "to" }
    local out = {}
    local cmds = {}
    for i, w in ipairs(words) do
      out[i] = h.tmpname()
      cmds[i] = string.format("curl -s -o %s 'http://127.0.0.1:%d/api/kwic?q=%s&sort=R1&limit=50&width=%d' &",
        h.quote(out[i]), server.port, w, 20 + i)
    end
    os.execute(table.concat(cmds, " ") .. " wait")
    for i, w in ipairs(words) do
      local cli = h.run({ "kwic", w, index, "--sort", "R1", "--limit", "50", "--width", tostring(20 + i), "--format", "json" })
      assert.same(cjson.decode(cli), cjson.decode(h.read(out[i])).hits, w)
      os.remove(out[i])
    end
  end)

  -- last: after all the above, a clean exit (under make tsan, a race would end it with 66)
  it("ends with status 0 on SIGTERM, having reported nothing", function()
    local rc, err = sh.stop(server)
    server.pid = nil
    assert.equal(0, rc, err)
    assert.is_nil(err:find("ThreadSanitizer", 1, true), err)
    assert.is_nil(err:find("AddressSanitizer", 1, true), err)
    assert.matches("stopped (SIGTERM)", err, 1, true)
  end)
end)

describe("lexis serve with a token", function()
  local dir, index

  setup(function()
    dir = h.tmpdir()
    index = sh.index(dir)
  end)
  teardown(function() h.rmdir(dir) end)

  it("refuses a request without the token and takes it as a header, an argument or the cookie", function()
    local s = sh.start({ "serve", index, "--port", "0", "--token", "s3cret-token" })
    assert.equal(401, (sh.get(s, "/api/corpora")))
    assert.equal(401, (sh.get(s, "/")))
    assert.equal(401, (sh.get(s, "/api/corpora", { header = { "Authorization: Bearer wrong-token" } })))
    assert.equal(200, (sh.get(s, "/api/corpora", { header = { "Authorization: Bearer s3cret-token" } })))
    local code, _, head = sh.get(s, "/?token=s3cret-token")
    assert.equal(200, code)
    assert.matches("lexis_token=s3cret%-token; HttpOnly", head)
    assert.equal(200, (sh.get(s, "/app.js", { header = { "Cookie: lexis_token=s3cret-token" } })))
    assert.equal(401, (sh.get(s, "/app.js", { header = { "Cookie: lexis_token=s3cret-tokex" } })))
    local rc, err = sh.stop(s)
    assert.equal(0, rc, err)
  end)

  it("makes and prints a token when bound to another address than loopback", function()
    local s = sh.start({ "serve", index, "--port", "0", "--bind", "0.0.0.0" })
    assert.matches("lexis serve: token %x+", s.err)
    assert.equal(401, (sh.get(s, "/api/corpora")))
    local token = s.err:match("token (%x+)")
    assert.equal(200, (sh.get(s, "/api/corpora?token=" .. token)))
    assert.equal(0, (sh.stop(s)))
  end)

  it("refuses a bad address, a bad token and what is not an index", function()
    local _, err, code = h.run({ "serve", index, "--bind", "nowhere", "--port", "0" })
    assert.equal(1, code)
    assert.matches("lexis: serve: --bind nowhere: not an IPv4 or IPv6 address", err, 1, true)
    _, err, code = h.run({ "serve", index, "--token", "short", "--port", "0" })
    assert.equal(1, code)
    assert.matches("--token: 8 to 256", err, 1, true)
    _, err, code = h.run({ "serve", "corpus/red-book-1936-excerpt.txt" })
    assert.equal(1, code)
    assert.matches("not an index", err, 1, true)
    _, err, code = h.run({ "serve", dir .. "/missing.lexis" })
    assert.equal(1, code)
    assert.matches("missing.lexis", err, 1, true)
    _, err, code = h.run({ "serve", index, "--port", "70000" })
    assert.equal(2, code)
  end)
end)

describe("lexis serve's limits and signals", function()
  local dir, big

  setup(function()
    dir = h.tmpdir()
    local text = h.read("corpus/red-book-1936-excerpt.txt")
    h.write(dir .. "/big.txt", string.rep(text, 150))
    big = sh.index(dir, "big", dir .. "/big.txt")
  end)
  teardown(function() h.rmdir(dir) end)

  it("stops a request over the time limit with 503 and goes on serving", function()
    local s = sh.start({ "serve", big, "--port", "0", "--time-limit", "1" })
    local code, body = sh.get(s, "/api/freq?q=/.*/&by=form")
    assert.equal(503, code, body)
    assert.matches("time limit", cjson.decode(body).error, 1, true)
    assert.equal(200, (sh.get(s, "/api/corpora")))
    local rc, err = sh.stop(s)
    assert.equal(0, rc, err)
  end)

  it("serves when started outside the source tree (its workers load lexis from the binary)", function()
    local s = sh.start({ "serve", big, "--port", "0" }, nil, dir)
    assert(not s.failed, s.err)
    local code, body = sh.get(s, "/api/kwic?q=opposition&limit=1")
    assert.equal(200, code, body)
    assert.equal(150 * 12, cjson.decode(body).total)
    local rc, err = sh.stop(s)
    assert.equal(0, rc, err)
  end)

  it("stops cleanly on SIGTERM and on SIGINT", function()
    for _, sig in ipairs({ "TERM", "INT" }) do
      local s = sh.start({ "serve", big, "--port", "0" })
      assert.equal(200, (sh.get(s, "/api/kwic?q=the&limit=5")))
      local rc, err = sh.stop(s, sig)
      assert.equal(0, rc, err)
      assert.matches("stopped (SIG" .. sig .. ")", err, 1, true)
    end
  end)
end)

describe("lexis.serve from a script", function()
  local dir, index

  setup(function()
    dir = h.tmpdir()
    index = sh.index(dir)
  end)
  teardown(function() h.rmdir(dir) end)

  it("adds routes of its own, answered as tables in every format", function()
    local script = h.write(dir .. "/serve.lua", string.format([[
local lexis = require "lexis"
assert(lexis.serve {
  indexes = { %q }, port = 0,
  routes = {
    ["/api/long"] = function(args, lexis)
      local c = assert(lexis.open(args.index or %q))
      local rows = { columns = { "word", "length" } }
      for _, r in ipairs(c:wordlist{ top = 200 }) do
        if utf8.len(r.word) >= tonumber(args.min or 10) then rows[#rows + 1] = { word = r.word, length = utf8.len(r.word) } end
      end
      return rows
    end,
  },
  ready = function(url) io.stderr:write("ready ", url, "\n") io.stderr:flush() end,
})
io.stderr:write("done\n")
]], index, index))
    local s = sh.start({ script })
    local code, body = sh.get(s, "/api/long?min=12")
    assert.equal(200, code, body)
    local rows = cjson.decode(body)
    assert.is_true(#rows > 0)
    for _, r in ipairs(rows) do assert.is_true(r.length >= 12) end
    code, body = sh.get(s, "/api/long?min=12&format=tsv")
    assert.matches("^word\tlength\n", body)
    local rc, err = sh.stop(s)
    assert.equal(0, rc, err)
    assert.matches("done", err, 1, true)
  end)

  it("refuses a route that captures a value from around it", function()
    local _, err, code = h.run({ "-e", string.format([[
local limit = 3
lexis.serve { indexes = { %q }, port = 0, routes = { ["/api/x"] = function() return { limit } end } }]], index) })
    assert.equal(1, code)
    assert.matches("uses 'limit' from around it", err, 1, true)
  end)
end)

describe("lexis serve, CQL", function()
  local dir, ann, server

  setup(function()
    dir = h.tmpdir()
    ann = dir .. "/synth.lexis"
    local _, err, code = h.run({ "index", "-q", "tests/data/cql/synth.vrt", "-o", ann })
    assert(code == 0, err)
    server = sh.start({ "serve", ann, "--port", "0" })
    assert(not server.failed, server.err)
  end)

  teardown(function()
    if server and server.pid then sh.stop(server) end
    if dir then h.rmdir(dir) end
  end)

  local function enc(s) return (s:gsub("[^%w]", function(c) return string.format("%%%02X", c:byte()) end)) end
  local Q = '[pos="JJ"]+ [pos="NN.*"]'

  it("lists what CQL can ask of each corpus", function()
    local t = cjson.decode((select(2, sh.get(server, "/api/corpora"))))
    assert.same({ "word", "lemma", "pos" }, t.corpora[1].attributes)
    assert.same({ "text_id", "text_year" }, t.corpora[1].regions)
    assert.is_true(t.corpora[1].annotated)
  end)

  it("gives the hits of lexis kwic --cql, page by page, sorted, with attributes", function()
    local want = {}
    for line in assert(h.run({ "kwic", "--cql", Q, ann, "--show", "word,pos", "--sort", "R1",
                               "--format", "jsonl" })):gmatch("[^\n]+") do
      want[#want + 1] = cjson.decode(line)
    end
    assert.is_true(#want > 20)
    local code, body = sh.get(server, "/api/kwic?cql=1&q=" .. enc(Q) .. "&show=word,pos&sort=R1&offset=5&limit=7")
    assert.equal(200, code, body)
    local t = cjson.decode(body)
    assert.equal(#want, t.total)
    assert.same({ table.unpack(want, 6, 12) }, t.hits)
    -- downloads: the command line's bytes, the page's rows only
    local _, tsv = sh.get(server, "/api/kwic?cql=1&q=" .. enc(Q) .. "&sort=R1&limit=3&format=tsv")
    local full = assert(h.run({ "kwic", "--cql", Q, ann, "--sort", "R1", "--limit", "3", "--format", "tsv" }))
    assert.equal(full, tsv)
  end)

  it("breaks the hits down by any attribute or a text's metadata, as lexis count", function()
    for _, by in ipairs { "lemma", "pos@matchend", "text_year" } do
      local code, body = sh.get(server, "/api/freq?cql=1&q=" .. enc(Q) .. "&by=" .. enc(by) .. "&top=1000")
      assert.equal(200, code, body)
      local t = cjson.decode(body)
      local rows = cjson.decode((assert(h.run({ "count", Q, ann, "--by", by, "--format", "json" }))))
      assert.equal(#rows, #t.rows, by)
      for i, r in ipairs(rows) do
        assert.equal(r[by], t.rows[i][by], by)
        assert.equal(r.freq, t.rows[i].hits, by)
      end
    end
    -- a plain query is CQL over word, as lexis count takes it
    local _, body = sh.get(server, "/api/freq?q=the&by=text_year")
    local rows = cjson.decode((assert(h.run({ "count", "the", ann, "--by", "text_year", "--format", "json" }))))
    assert.equal(rows[1].freq, cjson.decode(body).rows[1].hits)
  end)

  it("answers a malformed query, an unknown key and too many hits with a 4xx and the reason", function()
    local code, body = sh.get(server, "/api/kwic?cql=1&q=" .. enc('[pos="JJ"'))
    assert.equal(400, code)
    assert.matches("expected ']'", cjson.decode(body).error, 1, true)
    code, body = sh.get(server, "/api/freq?cql=1&q=" .. enc(Q) .. "&by=nope")
    assert.equal(400, code)
    assert.matches("the corpus has word, lemma, pos; regions with values: text_id, text_year",
                   cjson.decode(body).error, 1, true)
  end)
end)
