-- lexis.metatable: the document metadata table of `lexis index --meta`
-- (quanteda's docvars, AntConc's corpus metadata): a TSV or CSV file whose
-- header names the fields and whose first column names the document.
--
--   read(path) -> { fields = { "year", ... }, rows = { [abspath] = { values..., line = n } } }
--   match(t, files) -> fields, values (flat, file after file), or raises
--
-- The format, one rule each (README, "Document metadata"):
--   * CSV when the file is named .csv (RFC 4180: fields in double quotes may
--     hold commas, quotes doubled, line breaks); else TSV (fields split at
--     tabs, no quoting). CRLF line ends are read as LF; blank lines skipped.
--   * The header's first name is the key column's (any name); the others are
--     the fields, each a name of letters, digits and _ (CQL shows it as
--     text_NAME), not twice.
--   * A key is a document's path, relative to the directory of the table
--     (or absolute): a table beside its corpus travels with it.
--   * Values are strings, kept as written (1936 is "1936").
-- Every fault raises "path:line: what" through contract.misuse: a row with
-- another number of fields than the header, a key twice, an empty key, a
-- field name that is not one. A document of the index that has no row is an
-- error; a row that names no document is a warning on stderr.
local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

local function fail(path, line, what)
  contract.fail(string.format("%s:%d: %s", path, line, what), 22)   -- EINVAL: the table is wrong
end

-- The records of a TSV text: { { fields..., line = n }, ... }
local function tsv_records(text)
  local recs, line = {}, 0
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do
    line = line + 1
    l = l:gsub("\r$", "")
    if l ~= "" then
      local rec = { line = line }
      for f in (l .. "\t"):gmatch("([^\t]*)\t") do rec[#rec + 1] = f end
      recs[#recs + 1] = rec
    end
  end
  return recs
end

-- The records of a CSV text (RFC 4180), each with the line it starts on.
local function csv_records(path, text)
  local recs, i, n, line = {}, 1, #text, 1
  while i <= n do
    local rec, start = { line = line }, line
    local blank = true
    while true do
      local c = text:sub(i, i)
      local field
      if c == '"' then
        blank = false
        local parts, j = {}, i + 1
        while true do
          local q = text:find('"', j, true)
          if not q then fail(path, start, "a quoted field is not closed") end
          parts[#parts + 1] = text:sub(j, q - 1)
          if text:sub(q + 1, q + 1) == '"' then
            parts[#parts + 1] = '"'
            j = q + 2
          else
            i = q + 1
            break
          end
        end
        field = table.concat(parts)
        for _ in field:gmatch("\n") do line = line + 1 end
        local after = text:sub(i, i)
        if after == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1; after = "\n" end
        if after ~= "," and after ~= "\n" and after ~= "" then
          fail(path, line, "text after a closing quote (a quote inside a field is written twice: \"\")")
        end
      else
        local e = text:find("[,\n]", i) or n + 1
        field = text:sub(i, e - 1):gsub("\r$", "")
        if field ~= "" then blank = false end
        if field:find('"', 1, true) then
          fail(path, line, "a quote inside an unquoted field (quote the field, and write the quote twice)")
        end
        i = e
      end
      rec[#rec + 1] = field
      local sep = text:sub(i, i)
      i = i + 1
      if sep == "," then
        blank = false
      else
        line = line + 1
        break
      end
    end
    if not (blank and #rec == 1) then recs[#recs + 1] = rec end
  end
  return recs
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

function M.read(path)
  local f, err = io.open(path, "rb")
  if not f then contract.fail("--meta: " .. err, 2) end
  local text = f:read("a")
  f:close()
  if text:sub(1, 3) == "\239\187\191" then text = text:sub(4) end   -- a byte-order mark (spreadsheets write one)
  local csv = path:lower():match("%.csv$") ~= nil
  local recs = csv and csv_records(path, text) or tsv_records(text)
  if #recs == 0 then fail(path, 1, "no header (a first line naming the key column and the fields)") end
  local head = recs[1]
  if #head < 2 then
    fail(path, head.line, "the header names no field (the key column, then one name per field, "
      .. (csv and "separated by commas" or "separated by tabs") .. ")")
  end
  local fields, seen = {}, {}
  for k = 2, #head do
    local name = head[k]
    if not name:match("^[%a_][%w_]*$") then
      fail(path, head.line, string.format("field %d: '%s' is not a name (letters, digits and _, "
        .. "as CQL's text_NAME takes it)", k, name))
    end
    if seen[name] then fail(path, head.line, "field '" .. name .. "' is named twice") end
    seen[name] = true
    fields[#fields + 1] = name
  end
  local rows, dir = {}, dirname(path)
  for r = 2, #recs do
    local rec = recs[r]
    if #rec ~= #head then
      fail(path, rec.line, string.format("%d fields, the header has %d", #rec, #head))
    end
    local key = rec[1]
    if key == "" then fail(path, rec.line, "no document named in the first column") end
    local abs = core.abspath(key:sub(1, 1) == "/" and key or dir .. "/" .. key)
    if rows[abs] then
      fail(path, rec.line, string.format("'%s' again (first on line %d)", key, rows[abs].line))
    end
    local row = { line = rec.line, key = key }
    for k = 2, #rec do row[k - 1] = rec[k] end
    rows[abs] = row
  end
  return { path = path, fields = fields, rows = rows }
end

-- The documents' values in order, for b:setmeta; every file must have a
-- row (checked before the build reads them: missing() first).
function M.missing(t, files)
  local list = {}
  for _, file in ipairs(files) do
    if not t.rows[core.abspath(file)] then list[#list + 1] = file end
  end
  return list
end

function M.check(t, files)
  local missing = M.missing(t, files)
  if #missing > 0 then
    contract.fail(string.format("%s: %d document%s without a row (keys are paths relative to the "
      .. "table's directory): %s%s", t.path, #missing, #missing == 1 and "" or "s",
      table.concat(missing, ", ", 1, math.min(#missing, 5)), #missing > 5 and ", ..." or ""), 22)
  end
  local wanted, unused = {}, {}
  for _, file in ipairs(files) do wanted[core.abspath(file)] = true end
  for abs, row in pairs(t.rows) do
    if not wanted[abs] then unused[#unused + 1] = row end
  end
  table.sort(unused, function(a, b) return a.line < b.line end)
  for _, row in ipairs(unused) do
    io.stderr:write(string.format("lexis: %s:%d: '%s' is no document of the index: row not used\n",
                                  t.path, row.line, row.key))
  end
end

-- values(t, abspaths) -> the values, flat, document after document
function M.values(t, abspaths)
  local out = {}
  for _, abs in ipairs(abspaths) do
    local row = t.rows[abs]
    for k = 1, #t.fields do out[#out + 1] = row[k] end
  end
  return out
end

return M
