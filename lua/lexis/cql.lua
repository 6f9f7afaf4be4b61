-- lexis.cql: queries in CQP's query language (CQL) over an annotated corpus,
-- run by the evaluator of src/cqlrun.c (docs/cql.md says what each element
-- means, and how the matching strategies weed overlapping hits).
--
--   lexis.cql(query, source [, opts]) -> hits | nil, message, errno
--     source  a .vrt or .conllu file (read into memory), an index made by
--             lexis index (read in place: an annotated one with its
--             attributes, a plain one with word, s, text and text_id), or a
--             view that lexis.cql.open made (to run many queries over one)
--     opts    p = {"lemma", "pos"}, s = {"text:0+id+year", "s"}: the
--             attributes of a .vrt as cwb-encode's -P and -S take them
--             (without: from the file's header comment, tags as they come);
--             max_hits = N (default 50 million)
--     hits    { {start=, ["end"]=, target=, keyword=, labels={a=...}}, ... }
--             token positions from 0, end exclusive (cqp's matchend is
--             end - 1); target, keyword and labels only where the match has them
--   lexis.cql.open(path [, opts]) -> view | nil, message, errno
--     view:info() -> { tokens=, pattrs={...}, sattrs={...}, path= }; view:close()
--
-- A malformed query, or one naming an attribute the corpus lacks, raises
-- (misuse) with cqp's kind of message.
local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

local function view_opts(opts, where)
  if opts == nil then return nil end
  if type(opts) ~= "table" then contract.misuse(where .. ": opts must be a table") end
  for k in pairs(opts) do
    if k ~= "p" and k ~= "s" and k ~= "format" and k ~= "max_hits" then
      contract.misuse(where .. ": unknown option " .. tostring(k))
    end
  end
  return { p = opts.p, s = opts.s, format = opts.format }
end

local function open(path, opts)
  if type(path) ~= "string" then contract.misuse("lexis.cql.open: path must be a string") end
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

function M.run(query, source, opts)
  if type(query) ~= "string" then contract.misuse("lexis.cql: query must be a string") end
  local view, own = source, false
  if type(source) == "string" then
    view, own = open(source, opts), true
  elseif type(source) ~= "userdata" then
    contract.misuse("lexis.cql: source must be a .vrt/.conllu path or a view of lexis.cql.open")
  end
  local r, err = core.cql_run(view, query, opts and { max_hits = opts.max_hits } or nil)
  if not r then
    if own then view:close() end
    if err:find("interrupted", 1, true) or err:find("more than", 1, true) then contract.fail(err, 1) end
    contract.misuse(err)
  end
  local hits = r:hits()
  r:free()
  if own then view:close() end
  return hits
end

M.open = contract.public(open)
M.run = contract.public(M.run)

-- lexis.cql is this table, callable: lexis.cql(q, src), lexis.cql.open(path)
M.cql = setmetatable(M, { __call = function(_, ...) return M.run(...) end })
return M
