-- lexis.cql: queries in CQP's query language (CQL) over an annotated corpus,
-- run by the evaluator of src/cqlrun.c (docs/cql.md says what each element
-- means, and how the matching strategies weed overlapping hits).
--
--   lexis.cql(query, source [, opts]) -> hits | nil, message, errno
--     source  a .vrt or .conllu file (read into memory), an index made by
--             lexis index (read in place: an annotated one with its
--             attributes, a plain one with word, s, text and text_id), or a
--             view that lexis.cql.open made (to run many queries over one),
--             or a list of indexes (shards) queried as one corpus
--     opts    p = {"lemma", "pos"}, s = {"text:0+id+year", "s"}: the
--             attributes of a .vrt as cwb-encode's -P and -S take them
--             (without: from the file's header comment, tags as they come);
--             max_hits = N (default 50 million); sort = "lemma%c@matchend[1]"
--             (keys as lexis kwic --sort takes them with --cql, docs/cql.md);
--             limit = N (the first N, after the sort: only those are sorted)
--     hits    { {start=, ["end"]=, target=, keyword=, labels={a=...}}, ... }
--             token positions from 0, end exclusive (cqp's matchend is
--             end - 1); target, keyword and labels only where the match has them
--   lexis.cql.count(query, source, {by = KEYS [, limit = N]} ) -> rows
--     the frequency breakdown of the hits, as cqp's count by and group:
--     by = "lemma" (the match's lemmas), "word%c", "pos@matchend[1]",
--     "lemma@match,pos@matchend" (pairs); rows { {"the LORD", freq = 12},
--     ... } most frequent first, ties by the strings (bytes)
--   lexis.cql.open(path [, opts]) -> view | nil, message, errno
--     path a list { "a.lexis", "b.lexis" }: the indexes (shards built
--     apart) as one corpus, positions counted across them in order; no
--     match crosses from one shard to the next (docs/cql.md)
--     view:info() -> { tokens=, pattrs={...}, sattrs={...}, path= }; view:close()
--
-- A malformed query, or one naming an attribute the corpus lacks, raises
-- (misuse) with cqp's kind of message.
local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

-- The options of this module's functions: a table of these keys only.
local function check_keys(opts, where, allowed)
  if type(opts) ~= "table" then contract.misuse(where .. ": opts must be a table") end
  for k in pairs(opts) do
    if not allowed[k] then contract.misuse(where .. ": unknown option " .. tostring(k)) end
  end
end

local VIEW_KEYS = { p = true, s = true, format = true, max_hits = true, sort = true, limit = true, by = true }
local COLLOC_KEYS = { attr = true, left = true, right = true, span = true, by = true, min = true, top = true,
                      p = true, s = true, format = true, max_hits = true }

local function view_opts(opts, where)
  if opts == nil then return nil end
  check_keys(opts, where, VIEW_KEYS)
  return { p = opts.p, s = opts.s, format = opts.format }
end

local function open(path, opts)
  if type(path) == "table" then
    -- shards: lexis.open{...}'s checks, then one view over them all
    if opts and (opts.p or opts.s or opts.format) then
      contract.misuse("lexis.cql.open: p, s and format are for .vrt and .conllu files, not indexes")
    end
    local shards, err, errno = require("lexis.corpus").open_many(path)
    if not shards then contract.fail(err, errno or 1) end
    local view = shards:_cql_view()
    shards._view = nil               -- the caller's to close; it keeps the shards open
    return view
  end
  if type(path) ~= "string" then contract.misuse("lexis.cql.open: path must be a string or a list of indexes") end
  local kind = core.sniff(path)
  if kind == "index" or kind == "damaged index" then
    -- an index made by lexis index, read in place: an annotated one has
    -- its attributes, a plain one word, s, text and text_id
    if opts and (opts.p or opts.s or opts.format) then
      contract.misuse("lexis.cql.open: p, s and format are for .vrt and .conllu files, not an index")
    end
    local c, err, errno = core.open(path)
    if not c then contract.fail(err, errno or 1) end
    return core.cql_index_view(c)
  end
  local view, err, errno = core.cql_view(path, view_opts(opts, "lexis.cql.open"))
  if not view then contract.fail(err, errno or 1) end
  return view
end

-- The result of query over source (a path or a view), with the view and
-- whether it is ours to close.
local function query_result(where, query, source, opts)
  if type(query) ~= "string" then contract.misuse(where .. ": query must be a string") end
  if opts ~= nil and type(opts) ~= "table" then contract.misuse(where .. ": opts must be a table") end
  local view, own = source, false
  if type(source) == "string" or type(source) == "table" then
    view, own = open(source, opts), true
  elseif type(source) ~= "userdata" then
    contract.misuse(where .. ": source must be a .vrt/.conllu path, an index, a list of indexes or a view of lexis.cql.open")
  end
  local r, err = core.cql_run(view, query, opts and { max_hits = opts.max_hits } or nil)
  if not r then
    if own then view:close() end
    if err:find("interrupted", 1, true) or err:find("more than", 1, true) then contract.fail(err, 1) end
    contract.misuse(err)
  end
  return r, view, own
end

-- A failure of result:sort or result:count: a bad key is misuse, Ctrl-C
-- and the view's trouble a failure.
local function key_fail(r, view, own, what, err)
  r:free()
  if own then view:close() end
  if err:find("interrupted", 1, true) or err:find("^cql: ") then contract.fail(err, 1) end
  contract.misuse(what .. ": " .. err)
end

function M.run(query, source, opts)
  local limit = opts and opts.limit
  if limit ~= nil and (math.type(limit) ~= "integer" or limit < 1) then
    contract.misuse("lexis.cql: limit must be a whole number from 1")
  end
  local r, view, own = query_result("lexis.cql", query, source, opts)
  if opts and opts.sort then
    if type(opts.sort) ~= "string" then contract.misuse("lexis.cql: sort must be a string of keys") end
    local ok, err = r:sort(opts.sort, limit or 0)
    if not ok then key_fail(r, view, own, "sort", err) end
  elseif limit then
    r:keep(limit)
  end
  local hits = r:hits()
  r:free()
  if own then view:close() end
  return hits
end

function M.count(query, source, opts)
  if type(opts) ~= "table" or type(opts.by) ~= "string" then
    contract.misuse("lexis.cql.count: opts.by must be a string of keys (\"lemma\", \"pos@matchend[1]\")")
  end
  local limit = opts.limit
  if limit ~= nil and (math.type(limit) ~= "integer" or limit < 1) then
    contract.misuse("lexis.cql.count: limit must be a whole number from 1")
  end
  local r, view, own = query_result("lexis.cql.count", query, source, opts)
  local c, err = r:count(opts.by)
  if not c then key_fail(r, view, own, "by", err) end
  local rows = c:rows(limit or 0)
  c:free()
  r:free()
  if own then view:close() end
  return rows
end

-- lexis.cql.collocates(query, source, { attr =, left =, right =, by =, min =,
-- top = }) -> the collocates of the query's hits over any positional
-- attribute (lemma collocates), as lexis.stats.collocates prints them:
-- windows of tokens (punctuation included) around each hit, inside its
-- text, each position counted once (src/cqlcoll.c).
function M.collocates(query, source, opts)
  opts = opts or {}
  check_keys(opts, "lexis.cql.collocates", COLLOC_KEYS)
  local stats = require "lexis.stats"
  local left, right = opts.left or opts.span or 5, opts.right or opts.span or 5
  for _, v in ipairs { left, right } do
    if math.type(v) ~= "integer" or v < 0 or v > 100 then contract.misuse("lexis.cql.collocates: a window is 0 to 100 tokens") end
  end
  local by = stats._check_measure(opts.by or "logdice", "lexis.cql.collocates")
  local attr = opts.attr or "word"
  local r, view, own = query_result("lexis.cql.collocates", query, source,
    { p = opts.p, s = opts.s, format = opts.format, max_hits = opts.max_hits })
  local rows, hits, window, tokens = r:collocates(attr, left, right, by, opts.min or 1, opts.top or 0)
  r:free()
  if own then view:close() end
  if not rows then contract.misuse("lexis.cql.collocates: " .. tostring(hits)) end
  return stats._colloc_result(rows, { node = query, hits = hits, window = window, tokens = tokens,
                                      left = left, right = right, by = by, attr = attr })
end

-- Whether the command line's QUERY is CQL (without --cql): it starts as
-- only CQL starts, with [ " ' ( < @ or label:[ / label:" , or holds "::".
function M._looks_like_cql(q)
  return q:find("^%s*[%[\"'%(<@]") ~= nil or q:find("^%s*[%a_][%w_]*:[%[\"]") ~= nil
    or q:find("::", 1, true) ~= nil
end

-- A plain query (a word, a glob, a /regex/, a phrase of them with * for any
-- token, as lexis kwic takes it) as CQL over word: case-folded (%c) unless
-- opts.case; opts.regex: every pattern a regular expression.
function M._from_plain(q, opts)
  local parts = {}
  for pat in q:gmatch("%S+") do
    if pat == "*" then
      parts[#parts + 1] = "[]"
    else
      local re
      if opts.regex then
        re = pat
      elseif #pat > 2 and pat:sub(1, 1) == "/" and pat:sub(-1) == "/" then
        re = pat:sub(2, -2)
      else
        re = pat:gsub("[%^%$%.%[%]%|%(%)%?%*%+%{%}\\]", "\\%0"):gsub("\\%*", ".*"):gsub("\\%?", ".")
      end
      parts[#parts + 1] = "[word=\"" .. re:gsub("\"", "\"\"") .. "\"" .. (opts.case and "" or " %c") .. "]"
    end
  end
  return table.concat(parts, " ")
end

M.open = contract.public(open)
M.run = contract.public(M.run)
M.count = contract.public(M.count)
M.collocates = contract.public(M.collocates)

-- lexis.cql is this table, callable: lexis.cql(q, src), lexis.cql.open(path)
M.cql = setmetatable(M, { __call = function(_, ...) return M.run(...) end })
return M
