-- lexis.dfm: a document-feature matrix, as quanteda's dfm() and
-- scikit-learn's CountVectorizer give one (src/dfm.h counts it in C).
--
--   local d = lexis.dfm({ "corpus/" }, { lower = true, stop = "en", min = 2 })
--   d:docs()          -- the document names, in row order
--   d:features()      -- { { word =, count = } ... } in column order
--   d:get(doc, col)   -- a count (both from 1); d:nonzero() the counts kept;
--                        d:tokens() the words read
--   d:write("out/c")  -- out/c.mtx (Matrix Market), out/c.features, out/c.docs
--
-- Each file is one document (a directory's files, a glob's matches); a
-- string is one document named "text". The options are lexis.count's
-- (lower, fold, normalize, kinds, hyphens, apostrophes), plus min (a
-- feature's total count), min_docs (the documents it occurs in) and stop
-- (a stop list: "en", a file of words, or a list). groups (a string per
-- file, in the files' order) sums the files into one row per distinct
-- string, as quanteda's dfm_group: rows named by it, in byte order, and
-- min_docs then counts those rows (lexis dfm INDEX --group FIELD). Columns are the words in
-- the order they first occur.

local core = require "lexis.core"
local contract = require "lexis.contract"
local stats = require "lexis.stats"

local M = {}

local OPTS = { min = true, min_docs = true, stop = true, groups = true }

local function check_whole(v, name)
  if v ~= nil and (math.type(v) ~= "integer" or v < 0) then
    contract.misuse(string.format("dfm: %s must be a whole number >= 0", name))
  end
end

-- d:write(prefix) -> true | nil, message, errno: the three files, each
-- written whole or not at all (lexis.atomic_open).
local function write(d, prefix)
  if type(prefix) ~= "string" or prefix == "" then
    contract.misuse("bad argument #1 to 'write' (a path prefix expected)")
  end
  prefix = prefix:gsub("%.mtx$", "")
  local files = {}
  for _, part in ipairs({ { ".mtx", d.write_mtx }, { ".features", d.write_features },
                          { ".docs", d.write_docs } }) do
    local f, err, code = core.atomic_open(prefix .. part[1])
    if not f then
      for _, g in ipairs(files) do g:abort() end
      return nil, err, code
    end
    files[#files + 1] = f
    local ok, werr, wcode = part[2](d, f)
    if not ok then
      for _, g in ipairs(files) do g:abort() end
      return nil, prefix .. part[1] .. ": " .. tostring(werr), wcode
    end
  end
  for _, f in ipairs(files) do
    local ok, err, code = f:commit()
    if not ok then return nil, err, code end
  end
  return true
end

-- lexis.dfm(text_or_files [, opts]) -> a lexis.Dfm, its features chosen.
M.dfm = contract.public(function(src, opts)
  opts = stats._check_opts(opts, "dfm", OPTS)
  check_whole(opts.min, "min")
  check_whole(opts.min_docs, "min_docs")
  local files = stats._sources(src, "dfm")
  local d = core.dfm(stats._core_opts(opts, false))
  getmetatable(d).__index.write = write
  if files then
    local meter <close> = require("lexis.progress").files(files, "dfm")
    for _, path in ipairs(files) do
      local ok, err, code = d:addfile(path, path == "-" and "stdin" or path, meter:part())
      if not ok then contract.fail(err, code) end
      meter:file(path)
    end
  else
    d:add(src, "text")
  end
  if opts.groups then
    if not files or type(opts.groups) ~= "table" or #opts.groups ~= #files then
      contract.misuse("dfm: groups wants a string per file")
    end
    -- the rows the reader began, by name (a file skipped as binary has none)
    local of, names, seen = {}, {}, {}
    for i, path in ipairs(files) do of[path == "-" and "stdin" or path] = tostring(opts.groups[i]) end
    for _, name in ipairs(d:docs()) do
      local g = of[name]
      if not seen[g] then seen[g] = true; names[#names + 1] = g end
    end
    table.sort(names)
    local num, group = {}, {}
    for i, g in ipairs(names) do num[g] = i end
    for i, name in ipairs(d:docs()) do group[i] = num[of[name]] end
    if #names > 0 then d:group(group, names) end
  end
  local stop
  if opts.stop then
    local list, err, code = require("lexis.tokenize").stoplist(opts.stop, opts)
    if not list then contract.fail(err, code) end
    stop = list
  end
  d:select { min = opts.min or 1, min_docs = opts.min_docs or 1, stop = stop }
  return d
end)

return M
