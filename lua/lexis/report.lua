-- lexis.report: any result as a table people read or other programs load.
--
--   lexis.report(x [, format [, opts]])       -> the table as a string
--   lexis.report.write(x, dest [, format [, opts]])  -> true | nil, message, errno
--   lexis.report.print(x [, opts])            -> an aligned table on standard output
--   lexis.report.records(x [, opts])          -> { title, columns, rows }
--
-- x is a list of records (tables) with a column order (x.columns, or
-- opts.columns), a lexis.Counts, a lexis.Concordance, a lexis.Corpus (its
-- documents), a lexis.NGrams, or a result of lexis.ngrams, collocates,
-- keywords or wordlist. Formats: text (columns
-- aligned by display width, long cells cut with "…"), tsv, csv (RFC 4180),
-- json (an array of objects), jsonl (one object a line), markdown, html.
--
-- JSON is written here rather than with lua-cjson: cjson cannot keep the
-- column order of an object's keys, writes "/" as "\/", and would make the
-- installed binary depend on a C module beside it. The tests read our JSON
-- back with cjson to check it.

local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

local FORMATS = { text = "text", txt = "text", tsv = "tsv", csv = "csv", json = "json",
                  jsonl = "jsonl", ndjson = "jsonl", markdown = "markdown", md = "markdown",
                  html = "html", htm = "html" }

-- ===================================================================
-- Records: every kind of result as columns and rows
-- ===================================================================
-- A column is { name = "word", kind = "str" | "int" | "num" | "p" | "left" }:
-- "left" is text aligned right and cut from its start (a concordance's left
-- context, whose end is what matters).

local function kind_of(v)
  if math.type(v) == "integer" then return "int" end
  if type(v) == "number" then return "num" end
  return "str"
end

local function typename(x)
  local mt = getmetatable(x)
  return type(mt) == "table" and mt.__name or nil
end

-- Columns named by a list of names or {name, kind} pairs; kinds missing
-- are guessed from the first row that has a value.
local function make_columns(spec, rows)
  local cols = {}
  for i, c in ipairs(spec) do
    local name, kind = c, nil
    if type(c) == "table" then name, kind = c.name or c[1], c.kind or c[2] end
    if not kind then
      kind = "str"
      for _, row in ipairs(rows) do
        if row[name] ~= nil then kind = kind_of(row[name]); break end
      end
    end
    cols[i] = { name = name, kind = kind }
  end
  return cols
end

-- The names of every key of the rows, sorted: the fallback column order.
local function all_keys(rows)
  local seen, names = {}, {}
  for _, row in ipairs(rows) do
    for k in pairs(row) do
      if type(k) == "string" and not seen[k] then seen[k] = true; names[#names + 1] = k end
    end
  end
  table.sort(names)
  return names
end

-- The title of a word list (an HTML table's caption): here for lexis.report
-- and for the C writer behind lexis freq.
function M._counts_title(c)
  return string.format("%d types, %d tokens", #c, c:total())
end

local function from_counts(c, opts)
  local top = c:top(opts.limit or 0)
  local total = c:total()
  local rows = {}
  for i, e in ipairs(top) do
    rows[i] = { rank = i, word = e.word, count = e.count,
                per_million = total > 0 and e.count * 1e6 / total or 0 }
  end
  return { title = M._counts_title(c), rows = rows,
           columns = { { name = "rank", kind = "int" }, { name = "word", kind = "str" },
                       { name = "count", kind = "int" }, { name = "per_million", kind = "num" } } }
end

-- A concordance's rows: doc, position, left, node, right; in JSON also the
-- hit's bytes (start, end: 1-based, inclusive) and sentence, as kwic writes.
local function from_concordance(conc, opts, format)
  local json = format == "json" or format == "jsonl"
  local rows, n = {}, math.min(#conc, opts.limit or math.huge)
  for i = 1, n do
    local h = conc:hit(i)
    rows[i] = { n = i, doc = h.doc, position = h.position, start = h.start, ["end"] = h.stop,
                sentence = h.sentence or 0, left = h.left, node = h.node, right = h.right }
  end
  local columns = { { name = "doc", kind = "str" }, { name = "position", kind = "int" } }
  if json then
    for _, name in ipairs { "start", "end", "sentence" } do columns[#columns + 1] = { name = name, kind = "int" } end
  end
  for _, c in ipairs { { name = "left", kind = "left" }, { name = "node", kind = "str" }, { name = "right", kind = "str" } } do
    columns[#columns + 1] = c
  end
  return { title = tostring(conc), rows = rows, columns = columns }
end

-- report.records(x [, opts]) -> { title = ..., columns = {...}, rows = {...} }.
-- opts.columns picks and orders columns (names); opts.limit keeps the
-- first rows; opts.title replaces the title.
function M.records(x, opts, format)
  opts = opts or {}
  local t
  local name = typename(x)
  if name == "lexis.Counts" then
    t = from_counts(x, opts)
  elseif name == "lexis.Concordance" then
    t = from_concordance(x, opts, format)
  elseif name == "lexis.NGrams" then         -- the counter behind a lexis.ngrams result
    local rows = x:top(opts.limit or 0, 1)
    for i, row in ipairs(rows) do row.rank = i end
    t = { title = tostring(x), rows = rows, columns = make_columns({ "rank", "ngram", "count", "range" }, rows) }
  elseif name == "lexis.Corpus" then         -- its documents
    local rows = x:docs()
    t = { title = tostring(x), rows = rows,
          columns = make_columns({ "path", "tokens", "size", "first", "stale" }, rows) }
  elseif type(x) == "table" then
    local rows = {}
    for i, row in ipairs(x) do rows[i] = row end
    local spec = x.columns or opts.columns    -- x.columns may carry kinds; opts.columns picks below
    t = { rows = rows, title = x.info and x.info.title or x.title,
          columns = make_columns(spec or all_keys(rows), rows) }
    -- rows given as arrays: the columns name their positions
    if rows[1] and rows[1][1] ~= nil and spec then
      for i, row in ipairs(rows) do
        local named = {}
        for j, c in ipairs(t.columns) do named[c.name] = row[j] end
        rows[i] = named
      end
      t.columns = make_columns(spec, rows)
    end
  else
    contract.misuse(string.format("report: cannot tabulate a %s (a list of records, lexis.Counts, "
                        .. "lexis.Concordance, lexis.Corpus or a lexis result expected)", name or type(x)))
  end
  if opts.columns and t.columns then       -- pick and order, keeping known kinds
    local by = {}
    for _, c in ipairs(t.columns) do by[c.name] = c end
    local picked = {}
    for i, c in ipairs(opts.columns) do
      local cname = type(c) == "table" and (c.name or c[1]) or c
      picked[i] = by[cname] or make_columns({ c }, t.rows)[1]
    end
    t.columns = picked
  end
  if opts.limit and #t.rows > opts.limit then
    local cut = {}
    for i = 1, opts.limit do cut[i] = t.rows[i] end
    t.rows = cut
  end
  if opts.title ~= nil then t.title = opts.title or nil end
  return t
end

-- ===================================================================
-- Cells
-- ===================================================================

-- Numbers and fields follow the rules of src/encode.c, the one home of
-- output rules, so a result written here and by a C writer (lexis freq,
-- kwic, ngrams) is the same bytes.

-- A value as people read it: 6 significant digits (src/encode.c), whole
-- numbers whole, booleans as words.
local function display(v, kind)
  if v == nil then return "" end
  if type(v) == "number" then
    if kind == "int" and v == math.floor(v) and math.abs(v) < 2^63 then v = math.tointeger(v) or v end
    return core.encode_num("text", v)
  end
  return tostring(v)
end

-- A value for a program in format fmt: numbers with every digit.
local function exact(v, fmt)
  if v == nil then return "" end
  if type(v) == "number" then return core.encode_num(fmt, v) end
  return tostring(v)
end

local function numeric(kind)
  return kind == "int" or kind == "num" or kind == "p"
end

-- ===================================================================
-- Formats
-- ===================================================================

local width = core.displaywidth

-- s without its trailing white space, in time linear in what is cut.
-- gsub("%s+$", "") retries at every space of a run inside the line and
-- costs the square of the run: a 50 KB word pads the header's word column
-- with 50 KB of spaces, and the table took 19 s.
local function rtrim(s)
  local n = #s
  while n > 0 do
    local b = s:byte(n)
    if b ~= 32 and (b < 9 or b > 13) then break end
    n = n - 1
  end
  return n == #s and s or s:sub(1, n)
end
M._rtrim = rtrim

-- Aligned columns: widths by display width, cells longer than opts.width
-- (default 40) cut with "…", and the whole fitted to opts.maxwidth (a
-- terminal's width) by narrowing the widest text columns, then leaving out
-- the last columns with a line that names them: never wrapped.
local function text(t, opts, emit)
  local cols, cellmax = t.columns, opts.width or 40
  local cells, widths = {}, {}
  for j, c in ipairs(cols) do widths[j] = width(c.name) end
  for i, row in ipairs(t.rows) do
    local line = {}
    for j, c in ipairs(cols) do
      -- control characters would break the line: show them as spaces
      local s = display(row[c.name], c.kind):gsub("[%c]", " ")
      line[j] = s
      widths[j] = math.max(widths[j], math.min(width(s), cellmax))
    end
    cells[i] = line
  end
  local maxwidth, note = opts.maxwidth, nil
  if maxwidth then
    local function total()
      local sum = 2 * (#cols - 1)
      for _, w in ipairs(widths) do sum = sum + w end
      return sum
    end
    while total() > maxwidth do
      local widest, wj = 0, nil
      for j, c in ipairs(cols) do
        if not numeric(c.kind) and widths[j] > widest then widest, wj = widths[j], j end
      end
      if not wj or widest <= 12 then break end
      widths[wj] = widest - 1
    end
    -- still too wide: the last columns go, and a line says which
    local dropped = {}
    while #cols > 1 and total() > maxwidth do
      table.insert(dropped, 1, cols[#cols].name)
      cols = { table.unpack(cols, 1, #cols - 1) }
      widths[#widths] = nil
    end
    if #dropped > 0 then
      note = string.format("(%d more column%s: %s; a wider terminal or --format tsv shows them)",
        #dropped, #dropped > 1 and "s" or "", table.concat(dropped, ", "))
    end
  end
  local function fmt(line)
    local out = {}
    for j, c in ipairs(cols) do
      local s = core.truncate(line[j], widths[j], c.kind == "left")
      local pad = string.rep(" ", widths[j] - width(s))
      out[j] = (numeric(c.kind) or c.kind == "left") and pad .. s or s .. pad
    end
    return rtrim(table.concat(out, "  "))
  end
  if opts.header ~= false then
    local names = {}
    for j, c in ipairs(cols) do names[j] = c.name end
    emit(fmt(names), "\n")
  end
  for _, line in ipairs(cells) do emit(fmt(line), "\n") end
  if note then emit(note, "\n") end
end

-- TSV (\t \n \r \\ escaped) and CSV (RFC 4180, CRLF): one record a line.
local function delimited(t, opts, emit, fmt)
  local sep, eol = fmt == "csv" and "," or "\t", core.eol(fmt)
  if opts.header ~= false then
    local names = {}
    for j, c in ipairs(t.columns) do names[j] = core.encode(fmt, c.name) end
    emit(table.concat(names, sep), eol)
  end
  for _, row in ipairs(t.rows) do
    local line = {}
    for j, c in ipairs(t.columns) do line[j] = core.encode(fmt, exact(row[c.name], fmt)) end
    emit(table.concat(line, sep), eol)
  end
end

-- Always valid JSON: bytes that are not UTF-8 are written as U+FFFD.
local function json_string(s)
  return core.encode("json", tostring(s))
end

local function json_value(v)
  if v == nil then return "null" end
  if type(v) == "boolean" then return tostring(v) end
  if type(v) == "number" then return core.encode_num("json", v) end
  return json_string(v)
end

local function json_object(t, row)
  local fields = {}
  for j, c in ipairs(t.columns) do fields[j] = json_string(c.name) .. ":" .. json_value(row[c.name]) end
  return "{" .. table.concat(fields, ",") .. "}"
end

local function json(t, _, emit)
  emit("[")
  for i, row in ipairs(t.rows) do emit(i > 1 and ",\n" or "\n", json_object(t, row)) end
  emit(#t.rows > 0 and "\n]\n" or "]\n")
end

local function jsonl(t, _, emit)
  for _, row in ipairs(t.rows) do emit(json_object(t, row), "\n") end
end

-- Markdown (GitHub's tables): pipes and line breaks in cells escaped.
local function markdown(t, opts, emit)
  local function cellmd(s)
    return core.encode("markdown", s)
  end
  local names, rule = {}, {}
  for j, c in ipairs(t.columns) do
    names[j] = cellmd(c.name)
    rule[j] = (numeric(c.kind) or c.kind == "left") and "---:" or "---"
  end
  if opts.title and t.title then emit("**", cellmd(t.title), "**\n\n") end
  emit("| ", table.concat(names, " | "), " |\n")
  emit("|", table.concat(rule, "|"), "|\n")
  for _, row in ipairs(t.rows) do
    local line = {}
    for j, c in ipairs(t.columns) do line[j] = cellmd(display(row[c.name], c.kind)) end
    emit("| ", table.concat(line, " | "), " |\n")
  end
end

local function escape_html(s)
  return core.encode("html", tostring(s))
end
M.escape_html = escape_html

-- An HTML table (a fragment; opts.page = true makes a whole page, the
-- default when report.write is given a path). Numeric
-- cells carry data-v with the exact value, so a script can sort on it.
local function html(t, opts, emit)
  local head, foot = core.html_page(t.title)   -- src/encode.c: the page of every writer
  if opts.page then emit(head) end
  emit("<table class=\"", escape_html(opts.class or "lexis"), "\">\n")
  if t.title then emit("<caption>", escape_html(t.title), "</caption>\n") end
  if opts.header ~= false then
    emit("<thead><tr>")
    for _, c in ipairs(t.columns) do
      emit("<th", numeric(c.kind) and ' class="num"' or "", ">", escape_html(c.name), "</th>")
    end
    emit("</tr></thead>\n")
  end
  emit("<tbody>\n")
  for _, row in ipairs(t.rows) do
    emit("<tr>")
    for _, c in ipairs(t.columns) do
      local v = row[c.name]
      if numeric(c.kind) and type(v) == "number" then
        emit('<td class="num" data-v="', json_value(v), '">', escape_html(display(v, c.kind)), "</td>")
      else
        emit(c.kind == "left" and '<td class="left">' or "<td>", escape_html(display(v, c.kind)), "</td>")
      end
    end
    emit("</tr>\n")
  end
  emit("</tbody></table>\n")
  if opts.page then emit(foot) end
end

local WRITERS = {
  text = text,
  tsv = function(t, opts, emit) delimited(t, opts, emit, "tsv") end,
  csv = function(t, opts, emit) delimited(t, opts, emit, "csv") end,
  json = json, jsonl = jsonl, markdown = markdown, html = html,
}

local function check_format(format, level)
  local f = FORMATS[format or "text"]
  if not f then
    error(string.format("report: unknown format '%s' (text, tsv, csv, json, jsonl, markdown, html)",
                        tostring(format)), level + 1)
  end
  return f
end

-- ===================================================================
-- The API
-- ===================================================================

-- report(x [, format [, opts]]) -> string. opts: columns, limit, title,
-- header (false: no column names), width (text: widest cell, 40),
-- maxwidth (text: the widest line), page (html: a whole page).
function M.format(x, format, opts)
  opts = opts or {}
  local f = check_format(format, 2)
  local parts = {}
  WRITERS[f](M.records(x, opts, f), opts, function(...)
    for _, s in ipairs({ ... }) do parts[#parts + 1] = s end
  end)
  return table.concat(parts)
end

-- report.write(x, dest [, format [, opts]]) -> true | nil, message, errno.
-- dest: a path (the format from its extension unless given; written
-- through lexis.atomic_open, whole or not at all) or an open file.
function M.write(x, dest, format, opts)
  if format == nil and type(dest) == "string" then
    format = FORMATS[(dest:match("%.(%w+)$") or ""):lower()] or "text"
  end
  local f = check_format(format, 2)
  local t = M.records(x, opts, f)
  if type(dest) == "string" and f == "html" and (opts or {}).page == nil then
    local o = { page = true }             -- a file of its own is a whole page
    for k, v in pairs(opts or {}) do o[k] = v end
    opts = o
  end
  if type(dest) ~= "string" and f == "text" and (opts or {}).maxwidth == nil
      and io.type(dest) == "file" and core.isatty(dest) then
    local o = { maxwidth = core.termwidth(dest) }   -- a terminal: fit it, never wrap
    for k, v in pairs(opts or {}) do o[k] = v end
    opts = o
  end
  if type(dest) == "string" then
    local out, err, code = core.atomic_open(dest)
    if not out then return nil, err, code end
    local ok, werr = pcall(WRITERS[f], t, opts or {}, function(...) out:write(...) end)
    if not ok then out:abort(); error(werr, 2) end
    return out:commit()
  end
  WRITERS[f](t, opts or {}, function(...) dest:write(...) end)
  return true
end

-- report.print(x [, opts]): the text table on standard output, as wide as
-- the terminal when it is one.
function M.print(x, opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  if o.maxwidth == nil and core.isatty(io.stdout) then o.maxwidth = core.termwidth(io.stdout) end
  M.write(x, io.stdout, "text", o)      -- nothing returned: the REPL prints no "true"
end

M.report = setmetatable(M, { __call = function(_, ...) return M.format(...) end })
return M
