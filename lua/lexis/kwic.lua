-- lexis.kwic: keyword-in-context concordances, and the methods of every
-- lexis.Concordance (from lexis.kwic or from a corpus's c:kwic).
--
--   local conc = lexis.kwic({ "corpus/" }, "opposition", { sort = "R1", limit = 20 })
--   conc:print()
--   for i, hit in conc:hits() do print(hit.doc, hit.position, hit.node) end
--
-- Options:
--   left, right   tokens of context each side (default 5)
--   context       "tokens" (default) or "chars"; width: columns each side (40),
--                 or lwidth, rwidth separately
--   case          match case exactly (default: case-folded)
--   regex         every position of the query is a PCRE2 pattern
--   sort          "R1,R2", "-L1" (a - reverses one key) or a list of keys:
--                 L3 L2 L1 node R1 R2 R3 doc position; reverse = true reverses all
--   limit, sample, seed   the first N hits; a random N, the same for a seed
--   where         function(hit) -> boolean, keeps the hits it accepts
--   name          what a text (not files) is called in the output: "(text)"
--   apostrophes   false: split words at ' and ’, so "Stalin" finds Stalin’s
--   dictionary    false: Chinese, Japanese, Thai ... cut by UAX #29 alone
--                 (a token per ideograph: 東京 is found as the phrase '東 京')
--                 (text only: an index keeps the tokens it was built with)
--   sentence      cut the context at the ends of the hit's sentence; each hit
--                 gets its sentence number (context = "sentence": the whole
--                 sentence); lang: the abbreviations of the splitter ("en")

local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}
local Concordance = core.Concordance

-- A concordance's layout (token or character context, widths) lives here,
-- weakly keyed, so the C object stays plain. The table hangs on lexis.core,
-- as the methods below hang on its Concordance: a second load of this
-- module (a test runner that unloads modules between files) shares it,
-- else a corpus holding the first load would set layouts the methods of
-- the second never see (a character context shown as tokens).
local layouts = core._kwic_layouts or setmetatable({}, { __mode = "k" })
core._kwic_layouts = layouts

local OPTIONS = {
  left = true, right = true, context = true, width = true, lwidth = true, rwidth = true,
  case = true, regex = true, sort = true, reverse = true, limit = true, sample = true,
  seed = true, where = true, color = true, name = true, sentence = true, lang = true,
  apostrophes = true, dictionary = true,
}

function M.check_opts(opts, fname)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    contract.misuse(string.format("bad argument #3 to '%s' (table expected, got %s)", fname, type(opts)))
  end
  for k in pairs(opts) do
    if not OPTIONS[k] then contract.misuse(string.format("%s: unknown option '%s'", fname, tostring(k))) end
  end
  if opts.context ~= nil and opts.context ~= "tokens" and opts.context ~= "chars"
     and opts.context ~= "sentence" then
    contract.misuse(fname .. ": context must be \"tokens\", \"chars\" or \"sentence\"")
  end
  return opts
end

local KEYS = { L3 = true, L2 = true, L1 = true, node = true, R1 = true, R2 = true, R3 = true,
               doc = true, position = true }
local ALIASES = { l1 = "L1", l2 = "L2", l3 = "L3", r1 = "R1", r2 = "R2", r3 = "R3", NODE = "node",
                  n = "node", pos = "position", document = "doc", kwic = "node" }

-- "R1,-L2" or { "R1", "-L2" } -> { "R1", "L2" }, { false, true }; or nil, why
function M.sort_keys(spec, reverse)
  local list = spec
  if type(spec) == "string" then
    list = {}
    for key in spec:gmatch("[^,%s]+") do list[#list + 1] = key end
  end
  local keys, desc = {}, {}
  for i, key in ipairs(list) do
    local minus = key:sub(1, 1) == "-"
    if minus then key = key:sub(2) end
    key = ALIASES[key] or key
    if not KEYS[key] then
      return nil, string.format("unknown sort key '%s' (L3 L2 L1 node R1 R2 R3 doc position)", key)
    end
    keys[i], desc[i] = key, (minus ~= (reverse == true))
  end
  return keys, desc
end

-- The same, raising (misuse) for an unknown key.
function M.parse_sort(spec, reverse)
  local keys, desc = M.sort_keys(spec, reverse)
  if not keys then contract.misuse(desc) end
  return keys, desc
end

-- What layout a concordance made with opts uses.
local function layout_of(opts)
  local width = opts.width or 40
  return {
    chars = opts.context == "chars",
    lwidth = opts.lwidth or width,
    rwidth = opts.rwidth or width,
    sentence = opts.context == "sentence" and 2 or opts.sentence and 1 or 0,
    lang = opts.lang,
  }
end

-- The sentence splitter the options ask for (sentence = true, or context =
-- "sentence"), in opts.lang (default "en"), or nil.
function M.splitter(opts)
  if not opts.sentence and opts.context ~= "sentence" then return nil end
  return require("lexis.sentences").splitter { lang = opts.lang or "en" }
end

-- Without sort, sample or filter, a scan or a query can stop at the limit.
function M.stop_after(opts)
  return (opts.limit and not opts.sort and not opts.sample and not opts.where) and opts.limit or 0
end

-- The hits a concordance of n would keep after sample and limit: a count.
function M.kept(n, opts)
  if opts.sample and opts.sample < n then n = opts.sample end
  if opts.limit and opts.limit < n then n = opts.limit end
  return n
end

-- With a sort and a limit, only the hits the sort would keep are kept while
-- scanning or querying: memory bounded by the limit, not by the hits
-- (M.finish still sorts and cuts). A function that asks a fresh
-- concordance for that, or nil.
function M.keep_best(opts)
  if not (opts.sort and opts.limit and opts.limit > 0 and not opts.sample and not opts.where) then return nil end
  local keys, desc = M.parse_sort(opts.sort, opts.reverse)
  return function(conc) conc:_keepbest(keys, desc, opts.limit) end
end

-- Sort, filter, sample and cut a fresh concordance as opts say.
function M.finish(conc, opts)
  layouts[conc] = layout_of(opts)
  if opts.where then conc:filter(opts.where) end
  if opts.sample then conc:_sample(opts.sample, opts.seed or 1) end
  if opts.sort then conc:sort(opts.sort, opts.reverse, opts.limit) end
  if opts.limit then conc:_truncate(opts.limit) end
  return conc
end

-- The files behind a list of paths: directories recursively, globs expanded
-- (the input layer, src/input.h: one walk for every command).
function M.expand(paths)
  if type(paths) == "string" then paths = { paths } end
  return core.expand(paths)
end

-- Scans text or files for query; count_only: hits are counted, none kept
-- (memory does not grow with them). Returns the concordance and the hits.
local function scan(source, query, opts, count_only)
  if type(query) ~= "string" then
    contract.misuse("bad argument #2 to 'kwic' (string expected, got " .. type(query) .. ")")
  end
  local conc = core.conc(opts.left or 5, opts.right or 5)
  local bytes = 0                     -- for the progress line
  if type(source) == "string" then
    bytes = #source
    conc:_addtext(opts.name or "(text)", source)
  elseif type(source) == "table" then
    local files, warnings = M.expand(source)
    bytes = require("lexis.progress").bytes(files)
    for _, w in ipairs(warnings) do io.stderr:write("lexis: ", w, "\n") end
    -- each file is opened, sniffed and read when the scan comes to it
    -- (src/input.h); a binary one is skipped there, saying so
    for _, path in ipairs(files) do
      local ok, err, _, code = conc:_addfile(path)
      if not ok then contract.fail(err, code) end
    end
  else
    contract.misuse("bad argument #1 to 'kwic' (string or table expected, got " .. type(source) .. ")")
  end
  local prepare = not count_only and M.keep_best(opts)
  if prepare then prepare(conc) end
  local stop = M.stop_after(opts)
  local meter <close> = require("lexis.progress").new(bytes, { label = "kwic" })
  local n, err, code = conc:_scan(query, opts.case, opts.regex, stop,
                                  not count_only and M.splitter(opts) or nil, meter:part(), count_only,
                                  opts.apostrophes == false, opts.dictionary == false)
  meter:finish()
  if not n and code then contract.fail(err, code) end   -- a file it cannot read, Ctrl-C
  if not n then contract.misuse(err) end                -- a bad query
  if n == 0 and type(source) == "table" then
    -- no silent zero: text that is not UTF-8 is a likely reason
    for _, d in ipairs(conc:_invalid()) do
      io.stderr:write(string.format("lexis: kwic: %s: %d invalid UTF-8 byte%s, the first at byte %d "
        .. "(no hits: is it UTF-8?)\n", d.doc, d.invalid, d.invalid == 1 and "" or "s", d.first))
    end
  end
  return conc, n
end

-- lexis.kwic(text_or_files, query [, opts]): a concordance without an index.
-- A string is the text itself; a table lists files, directories and globs.
function M.kwic(source, query, opts)
  opts = M.check_opts(opts, "kwic")
  local conc = scan(source, query, opts, false)
  return M.finish(conc, opts)
end

M.kwic = contract.public(M.kwic)   -- a file it cannot read: nil, "path: reason", errno

-- The number of hits lexis.kwic would keep (after limit and sample), found
-- without keeping them: kwic --count.
function M._count(source, query, opts)
  opts = M.check_opts(opts, "kwic")
  local conc, n = scan(source, query, opts, true)
  conc:close()
  if opts.where then contract.misuse("kwic: a count cannot apply a filter") end
  return M.kept(n, opts)
end

M._count = contract.public(M._count)

-- ---------------------------------------------------------------- methods

local function layout(self, over)
  local l = layouts[self] or layout_of({})
  if not over then return l end
  local t = {}
  for k, v in pairs(l) do t[k] = v end
  for k, v in pairs(over) do t[k] = v end
  return t
end

-- Sentence numbers are counted when first asked for (hit.sentence, JSON
-- Lines): the concordance gets a splitter then.
local split = core._kwic_split or setmetatable({}, { __mode = "k" })   -- (shared as layouts is)
core._kwic_split = split
local function with_sentences(self)
  if not split[self] then
    local l = layouts[self]
    self:_splitter(require("lexis.sentences").splitter { lang = l and l.lang or "en" })
    split[self] = true
  end
end

-- conc:hit(i) -> { doc, docnum, position, length, start, stop, left, node, right, sentence }
function Concordance:hit(i)
  with_sentences(self)
  return self:_hit(i, layout(self))
end

-- for i, hit in conc:hits() do ... end
function Concordance:hits()
  with_sentences(self)
  local i, n, l = 0, #self, layout(self)
  return function()
    i = i + 1
    if i <= n then return i, self:_hit(i, l) end
  end
end

-- conc:sort("R1,R2" [, reverse [, limit]]) sorts in place, case-folded and
-- stable; with a limit only the first `limit` hits are kept.
function Concordance:sort(spec, reverse, limit)
  local keys, desc = M.parse_sort(spec, reverse)
  return self:_sort(keys, desc, limit)
end

-- conc:filter(function(hit) return ... end) keeps the hits it accepts.
function Concordance:filter(fn)
  with_sentences(self)
  local keep, l = {}, layout(self)
  for i = 1, #self do keep[i] = fn(self:_hit(i, l)) and true or false end
  return self:_select(keep)
end

function Concordance:limit(n) return self:_truncate(n) end
function Concordance:sample(n, seed) return self:_sample(n, seed or 1) end

-- conc:counts() -> { { doc = path, hits = n }, ... }: hits per document.
function Concordance:counts()
  local out = {}
  for i, d in ipairs(self:_docs()) do out[i] = { doc = d.doc, hits = d.hits } end
  return out
end

local FORMATS = { text = true, tsv = true, csv = true, json = true, jsonl = true, markdown = true,
                  html = true }

-- conc:write(path_or_file [, format [, opts]]): format is text (the aligned
-- view), tsv, csv, json, jsonl, markdown or html (a whole page); by default
-- the path's extension says (.md: markdown), else text. The tables are the
-- bytes lexis.report writes for the concordance: doc, position, left, node,
-- right, and in JSON start, end and sentence too. opts: the layout's, and
-- header (false: no column names), title (html).
function Concordance:write(dest, format, opts)
  if format == nil and type(dest) == "string" then
    format = core.format_of(dest) or "text"
  end
  format = format or "text"
  if not FORMATS[format] then
    contract.misuse("unknown format '" .. tostring(format) .. "' (text, tsv, csv, json, jsonl, markdown, html)")
  end
  local l = layout(self, opts or {})     -- a copy: the concordance's layout stays
  l.format = format
  if l.title == nil then l.title = tostring(self) end
  if format == "json" or format == "jsonl" then with_sentences(self) end
  if type(dest) == "string" then
    -- whole or not at all: a full disk or an error leaves no partial file
    local f, err, code = core.atomic_open(dest)
    if not f then return nil, err, code end
    local ok, done, werr, code = pcall(self._write, self, f, l)
    if not ok then f:abort() error(done, 0) end   -- misuse, memory: raised as it was
    if not done then f:abort() return nil, werr, code end
    return f:commit()
  end
  return self:_write(dest, l)
end

-- conc:print([opts]): the aligned view on standard output, the node
-- highlighted when it is a terminal.
function Concordance:print(opts)
  local l = layout(self, opts)
  l.format = "text"
  if l.color == nil then l.color = core.isatty(io.stdout) and os.getenv("NO_COLOR") == nil end
  -- Nothing to return on success, so the REPL prints only the hits.
  local ok, err, code = self:_write(io.stdout, l)
  if not ok then return nil, err, code end
end

return M
