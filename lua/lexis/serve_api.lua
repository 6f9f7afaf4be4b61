-- lexis.serve_api: the JSON API of `lexis serve` (docs/serve.md), run on
-- each worker thread's own Lua state (src/bind/serve.c). The module is a
-- function of the set-up string lexis.serve wrote: it opens the indexes
-- named there (read-only, by mmap: the workers share the pages), loads the
-- script's routes, and returns handle(path, args) -> status, format, body.
--
-- Every table the API answers is written by lexis.report (the one output
-- layer), so a download holds the bytes the command line writes; a
-- concordance page holds the hits and columns of `lexis kwic --format json`.

local lexis = require "lexis"
local core = require "lexis.core"
local cql = require "lexis.cql"
local report = require "lexis.report"
local plot = require "lexis.plot"

local FORMATS = { json = true, tsv = true, csv = true, jsonl = true }

local function jstr(s) return core.encode("json", tostring(s)) end

-- A flat JSON object from pairs in order: { "key", value, ... }; a value
-- that is a table { raw = "..." } is written as it is (JSON made elsewhere).
local function jobject(list)
  local out = {}
  for i = 1, #list, 2 do
    local k, v = list[i], list[i + 1]
    local s
    if type(v) == "table" and v.raw then s = v.raw
    elseif type(v) == "number" then s = core.encode_num("json", v)
    elseif type(v) == "boolean" then s = tostring(v)
    elseif v == nil then s = "null"
    else s = jstr(v) end
    out[#out + 1] = jstr(k) .. ":" .. s
  end
  return "{" .. table.concat(out, ",") .. "}"
end

-- An error a route raises to answer with a status of its own.
local Refusal = {}
local function refuse(status, msg) error(setmetatable({ status = status, msg = msg }, Refusal), 0) end

-- A failure the API returns (nil, "path: reason": a damaged index, a
-- document gone) is the server's trouble, not the request's.
local function must(value, err, ...)
  if value == nil then refuse(500, tostring(err)) end
  return value, err, ...
end

return function(setup, worker)
  local config = assert(load(setup, "=serve setup", "t", {}))()
  local limits = config.limits
  local corpora, order = {}, {}
  for _, ix in ipairs(config.indexes) do
    local c = assert(lexis.open(ix.path))
    corpora[ix.name] = { corpus = c, name = ix.name, path = ix.path }
    order[#order + 1] = ix.name
  end

  -- ---------------------------------------------------------- arguments
  local function arg_int(args, key, default, lo, hi)
    local v = args[key]
    if v == nil or v == "" then return default end
    local n = math.tointeger(tonumber(v))
    if not n or n < lo or n > hi then
      refuse(400, string.format("%s: a whole number from %d to %d expected, got '%s'", key, lo, hi, v))
    end
    return n
  end
  local function arg_str(args, key, required)
    local v = args[key]
    if v == nil or v == "" then
      if required then refuse(400, key .. ": missing") end
      return nil
    end
    if not utf8.len(v) then refuse(400, key .. ": not valid UTF-8") end
    if #v > limits.query then refuse(414, string.format("%s: longer than %d bytes", key, limits.query)) end
    return v
  end
  local function arg_bool(args, key)
    local v = args[key]
    return v == "1" or v == "true" or v == "yes" or v == "on"
  end
  local function corpus_of(args, key)
    local name = arg_str(args, key or "corpus") or order[1]
    local c = corpora[name]
    if not c then refuse(404, string.format("%s: no corpus '%s' is served", key or "corpus", name)) end
    return c
  end
  local function format_of(args)
    local f = args.format or "json"
    if not FORMATS[f] then refuse(400, "format: json, jsonl, tsv or csv, not '" .. f .. "'") end
    return f
  end
  local function top_of(args)
    return arg_int(args, "top", 100, 1, limits.rows)
  end

  -- A result table in the format asked for; JSON wraps the rows with what
  -- they are, so the page knows the columns and the totals.
  local function table_answer(args, x, info)
    local f = format_of(args)
    if f ~= "json" then return 200, f, report(x, f) end
    local list = { }
    for _, kv in ipairs(info or {}) do list[#list + 1] = kv end
    list[#list + 1] = "rows"
    list[#list + 1] = { raw = report(x, "json") }
    return 200, "json", jobject(list)
  end

  local function query_opts(args)
    return { case = arg_bool(args, "case") or nil, regex = arg_bool(args, "regex") or nil }
  end

  -- ---------------------------------------------------------- routes
  local routes = {}

  local function jarray(t)
    local out = {}
    for i, v in ipairs(t) do out[i] = jstr(v) end
    return { raw = "[" .. table.concat(out, ",") .. "]" }
  end

  routes["/api/corpora"] = function()
    local list = {}
    for _, name in ipairs(order) do
      local c = corpora[name].corpus
      -- what CQL can ask of it: its positional attributes, and its regions
      -- with values (text_id, text_year: keys for breakdowns by metadata)
      local a, values = c:attributes(), {}
      for _, r in ipairs(a.structural) do
        if r:find("_", 1, true) then values[#values + 1] = r end
      end
      list[#list + 1] = jobject { "name", name, "tokens", #c, "documents", #c:docs(), "types", (c:types()),
                                  "annotated", c:annotated(), "attributes", jarray(a.positional),
                                  "regions", jarray(values) }
    end
    return 200, "json", jobject { "corpora", { raw = "[" .. table.concat(list, ",") .. "]" },
                                  "limits", { raw = jobject { "rows", limits.rows, "hits", limits.hits,
                                                               "query", limits.query } } }
  end

  -- The documents of a corpus, by number (the number /api/doc takes).
  routes["/api/docs"] = function(args)
    local c = corpus_of(args)
    local rows = { columns = { "doc", "name", "path", "tokens", "size", "stale" } }
    for d, doc in ipairs(c.corpus:docs()) do
      rows[d] = { doc = d, name = doc.path:match("[^/]*$"), path = doc.path, tokens = doc.tokens,
                  size = doc.size, stale = doc.stale and "yes" or "no" }
    end
    return table_answer(args, rows, { "corpus", c.name })
  end

  -- The layout of a concordance page: characters (width each side) or tokens.
  local function kwic_opts(args)
    local o = query_opts(args)
    if args.context == "tokens" then
      o.context = "tokens"
      o.left = arg_int(args, "left", 5, 0, 50)
      o.right = arg_int(args, "right", 5, 0, 50)
    else
      local w = arg_int(args, "width", 40, 1, 400)
      o.context, o.lwidth, o.rwidth, o.left, o.right = "chars", w, w, 0, 0
    end
    return o
  end

  -- ---------------------------------------------------------- CQL
  -- The request's query as CQL: as given with cql=1, else the plain query
  -- (word, glob, /regex/, phrase) turned into CQL over word, as lexis count
  -- turns it.
  local function cql_query(args)
    local q = arg_str(args, "q", true)
    if arg_bool(args, "cql") then return q end
    return cql._from_plain(q, { case = arg_bool(args, "case"), regex = arg_bool(args, "regex") })
  end
  local function view_of(c)            -- one view a corpus, kept for the worker's life
    if not c.view then c.view = must(core.cql_index_view(c.corpus)) end
    return c.view
  end
  -- The hits of a CQL query (a malformed one is the request's fault).
  local function cql_hits(c, q)
    local r, err = core.cql_run(view_of(c), q, { max_hits = limits.hits })
    if not r then
      if err:find("interrupted", 1, true) then refuse(503, err) end
      if err:find("more than %d+ hits") then refuse(413, err) end
      refuse(400, err)
    end
    return r
  end
  -- What result r writes in format f, as a string: rows [offset+1 ..].
  local function cql_rows(r, f, offset, o)
    local tmp = assert(io.tmpfile())
    o.format = f == "json" and "jsonl" or f
    local ok, err = r:write(tmp, o)
    if not ok then
      tmp:close()
      if err and err:find("^%-%-show") then refuse(400, err) end
      refuse(500, tostring(err))
    end
    tmp:seek("set")
    local lines, n, header = {}, 0, (f == "tsv" or f == "csv") and o.header
    for line in tmp:lines() do         -- (a token holds no line break: a row is a line)
      n = n + 1
      if (header and n == 1) or n - (header and 1 or 0) > offset then lines[#lines + 1] = line end
    end
    tmp:close()
    if f == "json" then return "[" .. table.concat(lines, ",") .. "]" end
    return table.concat(lines, "\n") .. (#lines > 0 and "\n" or "")
  end

  -- The page of hits asked for: offset and limit, within limits.hits.
  local function page_of(args)
    local offset = arg_int(args, "offset", 0, 0, limits.hits)
    local limit = arg_int(args, "limit", 50, 1, limits.rows)
    if offset + limit > limits.hits then
      refuse(400, string.format("offset + limit: at most %d hits are paged through", limits.hits))
    end
    return offset, limit
  end

  local function cql_kwic(args, c)
    local q = arg_str(args, "q", true)
    local offset, limit = page_of(args)
    local show
    if arg_str(args, "show") then
      show = {}
      for a in args.show:gmatch("[^,%s]+") do show[#show + 1] = a end
    end
    local sort = arg_str(args, "sort")
    if sort and arg_bool(args, "reverse") then
      sort = sort:gsub("[^,]+", function(k) return k:sub(1, 1) == "-" and k:sub(2) or "-" .. k end)
    end
    local r = cql_hits(c, q)
    local total = r:n()
    if sort then
      local ok, err = r:sort(sort, offset + limit)
      if not ok then r:free(); refuse(400, "sort: " .. err) end
    end
    r:keep(offset + limit)
    local f = format_of(args)
    local ok, rows = pcall(cql_rows, r, f, offset, {
      header = f == "tsv" or f == "csv", show = show, left = arg_int(args, "left", 5, 0, 50),
      right = arg_int(args, "right", 5, 0, 50), doc_attr = arg_str(args, "meta") and "text_" .. args.meta or nil,
      title = "lexis kwic --cql " .. q })
    r:free()
    if not ok then error(rows, 0) end
    if f ~= "json" then return 200, f, rows end
    return 200, "json", jobject { "corpus", c.name, "query", q, "cql", true, "total", total, "offset", offset,
                                  "limit", limit, "hits", { raw = rows } }
  end

  routes["/api/kwic"] = function(args)
    local c = corpus_of(args)
    if arg_bool(args, "cql") then return cql_kwic(args, c) end
    local q = arg_str(args, "q", true)
    local offset, limit = page_of(args)
    local o = kwic_opts(args)
    local counted = c.corpus:_count(q, { case = o.case, regex = o.regex })
    local sample = arg_int(args, "sample", nil, 1, limits.hits)
    local total = sample and math.min(sample, counted) or counted
    o.sort, o.reverse = arg_str(args, "sort"), arg_bool(args, "reverse") or nil
    if o.sort then
      local ok, why = require("lexis.kwic").sort_keys(o.sort)
      if not ok then refuse(400, "sort: " .. why) end
    end
    o.sample, o.seed = sample, arg_int(args, "seed", 1, math.mininteger, math.maxinteger)
    o.limit = offset + limit
    local conc <close> = must(c.corpus:kwic(q, o))
    if offset > 0 then
      local keep = {}
      for i = 1, #conc do keep[i] = i > offset end
      conc:_select(keep)
    end
    local f = format_of(args)
    if f ~= "json" then return 200, f, report(conc, f) end
    return 200, "json", jobject { "corpus", c.name, "query", q, "total", total, "offset", offset,
                                  "limit", limit, "hits", { raw = report(conc, "json") } }
  end

  -- Every hit of q (at most limits.hits), with no context: for counts.
  local function all_hits(c, q, args)
    local o = query_opts(args)
    o.context, o.left, o.right = "tokens", 0, 0
    o.limit = limits.hits
    return must(c.corpus:kwic(q, o))
  end

  -- A breakdown of the hits by CQL keys (lexis count --by): an attribute
  -- (lemma), at a place (pos@matchend[1]), or a region's value (text_year).
  local function cql_freq(args, c, by)
    local q = cql_query(args)
    local r = cql_hits(c, q)
    local counts, err = r:count(by)
    local hits = r:n()
    r:free()
    if not counts then refuse(400, "by: " .. err) end
    local list = counts:rows(top_of(args))
    counts:free()
    local rows = { columns = { by, "hits", "percent" } }
    for i, row in ipairs(list) do
      rows[i] = { [by] = table.concat(row, "\t"), hits = row.freq, percent = hits > 0 and 100 * row.freq / hits or 0 }
    end
    return table_answer(args, rows, { "corpus", c.name, "query", q, "hits", hits,
                                      "truncated", hits >= limits.hits })
  end

  routes["/api/freq"] = function(args)
    local c = corpus_of(args)
    local by = args.by or "form"
    if arg_bool(args, "cql") or (by ~= "form" and by ~= "doc") then
      -- CQL hits by form are by word, by document by the text's id
      return cql_freq(args, c, by == "form" and "word" or by == "doc" and "text_id" or by)
    end
    local q = arg_str(args, "q", true)
    local conc <close> = all_hits(c, q, args)
    local rows, n = {}, #conc
    if by == "doc" then
      for _, d in ipairs(conc:_docs(true)) do
        rows[#rows + 1] = { doc = d.doc, hits = d.hits, percent = n > 0 and 100 * d.hits / n or 0 }
      end
      rows.columns = { "doc", "hits", "percent" }
    else
      for form, k in pairs(conc:_forms()) do rows[#rows + 1] = { form = form, hits = k, percent = 100 * k / n } end
      table.sort(rows, function(a, b)
        if a.hits ~= b.hits then return a.hits > b.hits end
        return a.form < b.form
      end)
      rows.columns = { "form", "hits", "percent" }
    end
    local top = top_of(args)
    while #rows > top do rows[#rows] = nil end
    return table_answer(args, rows, { "corpus", c.name, "query", q, "hits", n,
                                      "truncated", n >= limits.hits })
  end

  routes["/api/collocates"] = function(args)
    local c = corpus_of(args)
    local q = arg_str(args, "q", true)
    local r = must(c.corpus:collocates(q, {
      by = arg_str(args, "measure") or "logdice", left = arg_int(args, "left", 5, 0, 100),
      right = arg_int(args, "right", 5, 0, 100), min = arg_int(args, "min", 1, 1, 1 << 40),
      top = top_of(args), case = arg_bool(args, "case") or nil,
    }))
    return table_answer(args, r, { "corpus", c.name, "query", q, "hits", r.info and r.info.hits })
  end

  routes["/api/wordlist"] = function(args)
    local c = corpus_of(args)
    local r = must(c.corpus:wordlist { top = top_of(args), min = arg_int(args, "min", 1, 1, 1 << 40) })
    return table_answer(args, r, { "corpus", c.name })
  end

  routes["/api/ngrams"] = function(args)
    local c = corpus_of(args)
    local r = must(c.corpus:ngrams { n = arg_int(args, "n", 2, 1, 8), top = top_of(args),
                                       min = arg_int(args, "min", 1, 1, 1 << 40) })
    return table_answer(args, r, { "corpus", c.name })
  end

  routes["/api/keywords"] = function(args)
    local c = corpus_of(args)
    local ref = corpus_of(args, "ref")
    if ref == c then refuse(400, "ref: the reference must be another served corpus") end
    local r = must(c.corpus:keywords(ref.corpus, { top = top_of(args) }))
    return table_answer(args, r, { "corpus", c.name, "reference", ref.name })
  end

  routes["/api/dispersion"] = function(args)
    local c = corpus_of(args)
    local q = arg_str(args, "q", true)
    local conc <close> = all_hits(c, q, args)
    local sizes = {}
    for _, d in ipairs(c.corpus:docs()) do sizes[d.path] = d.size end
    return 200, "svg", plot.dispersion(conc, { sizes = sizes, title = "Dispersion of " .. q })
  end

  -- A document's text around a hit: the bytes [start, end] of document
  -- number doc (as the index names it; never a path from the request) with
  -- `around` bytes each side, cut at character boundaries.
  routes["/api/doc"] = function(args)
    local c = corpus_of(args)
    local docs = c.corpus:docs()
    local d = arg_int(args, "doc", nil, 1, #docs)
    if not d then refuse(400, "doc: missing") end
    local doc = docs[d]
    if doc.stale then refuse(409, doc.path .. ": changed or gone since it was indexed") end
    local start = arg_int(args, "start", 1, 1, doc.size + 1)
    local stop = arg_int(args, "end", start - 1, start - 1, doc.size)
    local around = arg_int(args, "around", 2000, 0, 20000)
    -- from the index when it keeps the text (--store-text), else the file
    local from = math.max(1, start - around)
    local text, err = c.corpus:text(d, from, math.min(doc.size, stop + around))
    if not text then refuse(500, err) end
    -- cut at character boundaries: `before` starts on a lead byte, `after`
    -- ends with a whole character
    local a, b = start - from + 1, stop - from + 1
    local head_from = 1
    if from > 1 then
      while head_from < a and text:byte(head_from) & 0xC0 == 0x80 do head_from = head_from + 1 end
    end
    local tail_to, k = #text, #text
    while k > b and text:byte(k) & 0xC0 == 0x80 do k = k - 1 end
    if k > b then
      local lead = text:byte(k)
      local need = lead >= 0xF0 and 4 or lead >= 0xE0 and 3 or lead >= 0xC0 and 2 or 1
      if k + need - 1 > tail_to then tail_to = k - 1 end
    end
    -- its metadata (lexis index --meta), fields in name order
    local meta, names = {}, {}
    for k in pairs(doc.meta or {}) do names[#names + 1] = k end
    table.sort(names)
    for _, k in ipairs(names) do meta[#meta + 1] = k; meta[#meta + 1] = doc.meta[k] end
    return 200, "json", jobject { "corpus", c.name, "doc", d, "name", doc.path:match("[^/]*$"),
      "path", doc.path, "size", doc.size, "meta", { raw = jobject(meta) }, "start", start, "end", stop,
      "before", text:sub(head_from, a - 1), "hit", text:sub(a, b), "after", text:sub(b + 1, tail_to),
      "from_start", from == 1, "to_end", stop + around >= doc.size }
  end

  -- The script's own routes (lexis.serve{ routes = ... }): each was dumped
  -- to bytecode on the caller's state and loads here with this state's
  -- globals (upvalues other than _ENV do not cross: docs/serve.md).
  local custom = {}
  for _, r in ipairs(config.routes or {}) do
    custom[r.path] = assert(load(r.code, "=" .. r.path, "b"))
  end

  -- ---------------------------------------------------------- the cache
  -- The last answers, by path and arguments: the indexes never change while
  -- served, so an answer stays right. Bounded in bytes per worker.
  local cache, cache_keys, cache_bytes = {}, {}, 0
  local function cache_key(path, args)
    local keys = {}
    for k in pairs(args) do if k ~= "token" then keys[#keys + 1] = k end end
    table.sort(keys)
    local parts = { path }
    for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. args[k] end
    return table.concat(parts, "\0")
  end
  local function remember(key, answer)
    local size = #answer[3] + #key
    if size > limits.cache // 4 then return end
    while cache_bytes + size > limits.cache and #cache_keys > 0 do
      local old = table.remove(cache_keys, 1)
      cache_bytes = cache_bytes - (#cache[old][3] + #old)
      cache[old] = nil
    end
    cache[key] = answer
    cache_keys[#cache_keys + 1] = key
    cache_bytes = cache_bytes + size
  end

  -- ---------------------------------------------------------- handle
  local function answer_error(status, msg)
    return status, "json", jobject { "error", msg } .. "\n"
  end

  local function run(fn, args, path)
    if fn == custom[path] then
      local x = fn(args, lexis)
      if type(x) == "string" then return 200, "html", x end
      local f = format_of(args)
      return 200, f, report(x, f)
    end
    return fn(args)
  end

  return function(path, args)
    local fn = custom[path] or routes[path]
    if not fn then return answer_error(404, "no such route: " .. path) end
    local key = cache_key(path, args)
    local hit = cache[key]
    if hit then return hit[1], hit[2], hit[3] end
    local ok, status, fmt, body = pcall(run, fn, args, path)
    if not ok then
      local e = status
      if getmetatable(e) == Refusal then return answer_error(e.status, e.msg) end
      local msg = tostring(type(e) == "table" and (e.message or e.msg) or e)
      -- a query the cores refuse (misuse) is the request's fault; an error
      -- in lexis's code or in a route's (its chunk is named by its path) the server's
      local code = (type(e) == "string" and not msg:find("^lua/") and not msg:find("^/api/")) and 400 or 500
      if msg:find("time limit", 1, true) or msg == "interrupted" then code = 503 end
      return answer_error(code, msg)
    end
    if status == 200 then remember(key, { status, fmt, body }) end
    return status, fmt, body
  end, worker
end
