-- lexis.ngrams, lexis.collocates, lexis.keywords, lexis.wordlist,
-- lexis.merge: corpus statistics composed from lexis.core's counters
-- (src/ngrams.c, src/collocates.c) and measures (src/stats.c). The
-- formulas, their sources and their rules for zeros: docs/stats.md.
--
-- Every function takes text (a string) or files (a list of paths,
-- directories or globs; "-" is standard input) and the tokenizer options of
-- lexis.count (lower, fold, normalize, hyphens, apostrophes, kinds), and
-- returns a result: an array of rows (tables) that prints as a table in the
-- REPL and writes itself out:
--
--   local r = lexis.ngrams({ "corpus/" }, { n = 3, top = 20 })
--   print(r)                       -- a text table
--   r:write("trigrams.tsv", "tsv") -- text, tsv, csv or json; a path is
--                                  -- written whole or not at all
--   for _, row in ipairs(r) do print(row.ngram, row.count) end

local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

-- ===================================================================
-- Results: rows and columns that print and export
-- ===================================================================

local Result = {}
Result.__index = Result
M.Result = Result

-- result(columns, rows, info) -> a result. columns = { {name, kind}, ... },
-- kind "int", "num" (3 decimals), "p" (a p-value) or "str".
function M.result(columns, rows, info)
  rows = rows or {}
  rows.columns = columns
  rows.info = info or {}
  return setmetatable(rows, Result)
end

-- A result is written by lexis.report, the one writer of tables (its
-- fields and numbers by src/encode.c): r:write and lexis.report(r, ...)
-- give the same bytes.

-- r:write(dest [, format [, opts]]) -> true | nil, message, errno. dest is
-- a path (written through lexis.atomic_open: whole or not at all; the
-- format from its extension unless given) or an open file.
-- opts.header = false leaves out the column names.
function Result:write(dest, format, opts)
  return require("lexis.report").write(self, dest, format, opts)
end

-- r:format([format [, opts]]) -> the whole result as one string.
function Result:format(format, opts)
  return require("lexis.report").format(self, format or "text", opts)
end

-- In the REPL: the title, the first 20 rows as a text table and how many more.
function Result:__tostring()
  local shown = math.min(#self, 20)
  local parts = {}
  if self.info.title then parts[1] = self.info.title .. "\n" end
  parts[#parts + 1] = require("lexis.report").format(self, "text", { limit = shown })
  if #self > shown then parts[#parts + 1] = string.format("... %d more rows\n", #self - shown) end
  return (table.concat(parts):gsub("\n$", ""))
end

-- ===================================================================
-- Inputs and options
-- ===================================================================

local TOKENIZER = { kinds = true, lower = true, fold = true, normalize = true, hyphens = true,
                    apostrophes = true, dictionary = true, stem = true }

local function check_opts(opts, fname, allowed, argn)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    contract.misuse(string.format("bad argument #%d to '%s' (table expected, got %s)", argn or 2, fname,
                        type(opts)))
  end
  for k in pairs(opts) do
    if not TOKENIZER[k] and not allowed[k] then
      contract.misuse(string.format("%s: unknown option '%s'", fname, tostring(k)))
    end
  end
  return opts
end

-- The core counters' options: the tokenizer's, and a splitter when the
-- counting stays within sentences (opts.sentences, default true).
local function core_opts(opts, sentences_default)
  local o = {}
  for k in pairs(TOKENIZER) do o[k] = opts[k] end
  if type(o.kinds) == "table" then o.kinds = table.concat(o.kinds, ",") end
  local within = opts.sentences
  if within == nil then within = sentences_default end
  if within then
    o.splitter = require("lexis.sentences").splitter { lang = opts.lang or "en" }
  end
  return o
end
M._core_opts = core_opts

-- The files of a list (directories and globs expanded), or nil for text.
local function sources(src, fname)
  if type(src) == "string" then return nil end
  if type(src) ~= "table" then
    contract.misuse(string.format("bad argument #1 to '%s' (string or list of files expected, got %s)",
                        fname, type(src)))
  end
  local files = {}
  for _, path in ipairs(src) do
    if path == "-" then
      files[#files + 1] = path
    else
      local found, warnings = require("lexis.kwic").expand(path)
      if #found == 0 then
        -- what the walk said, or the real reason: errno's words, an empty
        -- directory, a pattern that matched nothing
        if warnings[1] then contract.fail(warnings[1]) end
        local f, why, code = io.open(path, "rb")
        if not f then contract.fail(why, code) end
        local _, rerr, rcode = f:read(1)
        f:close()
        if rcode == 21 then contract.fail(path .. ": a directory with no files in it", rcode) end
        contract.fail(path .. ": " .. (rerr or "no file matches it"), rcode)
      end
      for _, f in ipairs(found) do files[#files + 1] = f end
    end
  end
  return files
end
M._sources = sources

-- Feeds text or files to a counter (add/addfile). Files that cannot be read
-- raise "fname: path: reason".
local function feed(counter, src, files, fname)
  if not files then
    counter:add(src)
    return
  end
  local meter <close> = require("lexis.progress").files(files, fname)   -- after 1 s, on a terminal
  for _, path in ipairs(files) do
    local ok, err, code = counter:addfile(path, meter:part())   -- within a big file too
    if not ok then contract.fail(err, code) end
    meter:file(path)
  end
end
M._feed = feed

-- ===================================================================
-- N-grams
-- ===================================================================

local NGRAM_OPTS = { n = true, min = true, top = true, contains = true, at = true,
                     sentences = true, lang = true, threads = true, case = true }

-- lexis.ngrams(text_or_files [, opts]) -> result of rank, ngram, count,
-- range (texts holding it), per_million (of the words read). opts: n (2 to
-- 8, default 2), min, top, contains (a word: only n-grams that hold it,
-- AntConc's clusters), at (its place, 1..n), sentences (default true: no
-- n-gram spans two sentences), lang (of the sentence splitter), threads
-- (per large file; default 1: on a busy machine more are slower), and the
-- tokenizer options. result.counter is the lexis.NGrams it came from.
function M.ngrams(src, opts)
  opts = check_opts(opts, "ngrams", NGRAM_OPTS)
  local files = sources(src, "ngrams")
  local o = core_opts(opts, true)
  o.contains, o.at, o.case = opts.contains, opts.at, opts.case
  local g = core.ngrams(opts.n or 2, o)
  if files then
    local meter <close> = require("lexis.progress").files(files, "ngrams")
    for _, path in ipairs(files) do
      local ok, err, code = g:addfile(path, opts.threads or 1, meter:part())
      if not ok then contract.fail(err, code) end
      meter:file(path)
    end
  else
    g:add(src)
  end
  local tokens = g:tokens()
  local rows, err, code = g:top(opts.top or 0, opts.min or 1)
  if not rows then return nil, err, code end       -- a --contains regex hit PCRE2's limits
  for i, row in ipairs(rows) do
    row.rank = i
    row.per_million = tokens > 0 and row.count * 1e6 / tokens or 0
  end
  local r = M.result({ { "rank", "int" }, { "ngram", "str" }, { "count", "int" },
                       { "range", "int" }, { "per_million", "num" } }, rows,
                     { tokens = tokens, total = g:total(), types = #g, docs = g:docs() })
  r.counter = g
  return r
end

-- ===================================================================
-- Collocates
-- ===================================================================

local COLLOC_OPTS = { left = true, right = true, span = true, by = true, min = true,
                      min_freq = true, top = true, sentences = true, lang = true, case = true,
                      expected = true }

M.MEASURES = { "observed", "expected", "mi", "mi3", "t", "z", "g2", "dice", "logdice",
               "log_ratio", "chi2", "delta_p", "delta_p_rev", "mi2", "ms", "poisson_stirling",
               "jaccard", "fisher" }

local COLLOC_COLUMNS = {
  { "rank", "int" }, { "word", "str" }, { "freq", "int" }, { "left", "int" }, { "right", "int" },
  { "observed", "int" }, { "expected", "num" }, { "mi", "num" }, { "mi3", "num" }, { "t", "num" },
  { "z", "num" }, { "g2", "num" }, { "p", "p" }, { "dice", "num" }, { "logdice", "num" },
  { "log_ratio", "num" }, { "chi2", "num" }, { "delta_p", "num" }, { "delta_p_rev", "num" },
  { "mi2", "num" }, { "ms", "num" }, { "poisson_stirling", "num" }, { "jaccard", "num" },
  { "fisher", "p" },
}

-- Numbers, ranks and the result of a list of collocate rows.
local function colloc_result(rows, info)
  for i, row in ipairs(rows) do row.rank = i end
  info.title = string.format("collocates of %s: %d hits, windows %d/%d, sorted by %s",
                             info.node, info.hits, info.left, info.right, info.by)
  if info.expected == "sketch" then
    info.title = info.title .. ", expected f(node) f(collocate) / N"
    -- rows whose table has a negative cell (docs/stats.md): more
    -- co-occurrences than the node has occurrences
    local over = 0
    for _, row in ipairs(rows) do
      if row.observed > info.hits then over = over + 1 end
    end
    info.over = over
  end
  return M.result(COLLOC_COLUMNS, rows, info)
end
M._colloc_result = colloc_result

local function check_measure(by, fname)
  for _, m in ipairs(M.MEASURES) do
    if m == by then return by end
  end
  contract.misuse(string.format("%s: unknown measure '%s' (%s)", fname, tostring(by),
                      table.concat(M.MEASURES, ", ")))
end
M._check_measure = check_measure

-- opts.expected: what E11 is made of (src/collocates.h, enum lx_expect).
local function check_expected(e, fname)
  if e == nil or e == "window" or e == "sketch" then return e or "window" end
  contract.misuse(string.format("%s: expected must be \"window\" or \"sketch\", not '%s'", fname,
                                tostring(e)))
end
M._check_opts = check_opts
M._COLLOC_OPTS = COLLOC_OPTS

-- Does the node keep case? Plain nodes match case-folded, as kwic's queries
-- do; opts.case matches them exactly, unless the words themselves were
-- lower-cased or folded (then case is gone on both sides).
local function keep_case(opts, folded_words)
  return opts.case and not (folded_words or opts.lower or opts.fold) or false
end

-- lexis.collocates(text_or_files, node [, opts]) -> result of rank, word,
-- freq (its corpus frequency), left, right (where it stood), observed,
-- expected, mi, mi3, t, z, g2, p, dice, logdice, log_ratio, chi2, delta_p
-- (P(collocate | node's windows) - P(collocate | elsewhere)), delta_p_rev
-- (P(windows | collocate) - P(windows | other words)), mi2, ms (minimum
-- sensitivity), poisson_stirling, jaccard, fisher (one-sided p of Fisher's
-- exact test; by = "fisher" puts the smallest first).
-- node: a query as kwic takes it (src/query.h): a word, a glob (* any run,
-- ? one character: "educat*"), a /regex/, or a phrase of 2 to 8 of these
-- ("left opposition": windows before and after it); or a list of up to 16
-- one-word nodes counted as one. Case-folded unless opts.case. opts: left, right
-- (words each side, default 5; span sets both), sentences (default false:
-- windows stop only at file ends), by (the measure to sort by, default
-- "logdice"), min (co-occurrences, default 1), min_freq (the collocate's
-- own frequency, default 1), top, lang, expected ("window", the default:
-- E11 = window total x f(collocate) / N; "sketch": E11 = f(node) x
-- f(collocate) / N, Sketch Engine's convention; docs/stats.md), and the
-- tokenizer options. src may be a lexis.Corpus: then the index is counted,
-- not the text (the same rows; see M._index_serves for what still reads
-- the files).
function M.collocates(src, node, opts)
  opts = check_opts(opts, "collocates", COLLOC_OPTS, 3)
  if type(node) ~= "string" and type(node) ~= "table" then
    contract.misuse("bad argument #2 to 'collocates' (word or list of words expected, got " .. type(node) .. ")")
  end
  if type(src) == "userdata" and core.Corpus and (getmetatable(src) or {}).__index == core.Corpus then
    if M._index_serves(src, opts) then return M._index_collocates(src, node, opts, 3) end
    src = M._corpus_files(src, "collocates")
  elseif type(src) == "table" and (getmetatable(src) or {}).__name == "lexis.Shards" then
    if M._index_serves(src, opts) then return M._index_collocates(src, node, opts, 3) end
    src = src:_files("collocates")     -- every shard's files, in order
  end
  local files = sources(src, "collocates")
  local left = opts.left or opts.span or 5
  local right = opts.right or opts.span or 5
  local by = check_measure(opts.by or "logdice", "collocates")
  local expected = check_expected(opts.expected, "collocates")
  local o = core_opts(opts, false)
  o.case = keep_case(opts)
  local c = core.collocates(node, left, right, o)
  feed(c, src, files, "collocates")
  local rows = c:list(by, opts.min or 1, opts.min_freq or 1, opts.top or 0, expected)
  return colloc_result(rows, {
    node = type(node) == "table" and table.concat(node, "|") or node,
    hits = c:hits(), window = c:window(), tokens = c:tokens(), left = left, right = right, by = by,
    expected = expected,
  })
end

-- ===================================================================
-- Word streams: a text's word ids in memory, for repeated collocates
-- ===================================================================

local WordStream = {}
WordStream.__index = WordStream

-- lexis.wordstream(text_or_files [, opts]) -> a stream: every word id of
-- the text in memory (4 bytes a word), so that s:collocates(node, opts)
-- reads only the windows around the node: its time goes with the hits,
-- not with the size of the text. opts: sentences (windows stop at
-- sentence ends), lang, and the tokenizer options.
function M.wordstream(src, opts)
  opts = check_opts(opts, "wordstream", { sentences = true, lang = true })
  local files = sources(src, "wordstream")
  local ws = core.wordstream(core_opts(opts, false))
  feed(ws, src, files, "wordstream")
  return setmetatable({ stream = ws, sentences = opts.sentences or false,
                        folded = opts.lower or opts.fold }, WordStream)
end

-- s:collocates(node [, opts]): what lexis.collocates gives for the same
-- text; opts as there, without the tokenizer options (the stream's).
function WordStream:collocates(node, opts)
  opts = check_opts(opts, "collocates", { left = true, right = true, span = true, by = true,
                                          min = true, min_freq = true, top = true, case = true,
                                          expected = true }, 3)
  local left = opts.left or opts.span or 5
  local right = opts.right or opts.span or 5
  local by = check_measure(opts.by or "logdice", "collocates")
  local expected = check_expected(opts.expected, "collocates")
  local rows, hits, window = self.stream:collocates(node, left, right, by, opts.min or 1,
                                                    opts.min_freq or 1, opts.top or 0,
                                                    keep_case(opts, self.folded), expected)
  return colloc_result(rows, {
    node = type(node) == "table" and table.concat(node, "|") or node,
    hits = hits, window = window, tokens = #self.stream, left = left, right = right, by = by,
    expected = expected,
  })
end

function WordStream:__len()
  return #self.stream
end

function WordStream:__tostring()
  return tostring(self.stream)
end

-- ===================================================================
-- Keywords
-- ===================================================================

local KEY_OPTS = { by = true, smooth = true, min = true, p = true, top = true, positive = true,
                   negative = true, stop = true }
M.KEY_MEASURES = { "g2", "chi2", "log_ratio", "pdiff", "simple", "g2_williams", "bic", "fisher" }

local KEY_COLUMNS = {
  { "rank", "int" }, { "word", "str" }, { "key", "str" }, { "freq", "int" }, { "freq_ref", "int" },
  { "fpm", "num" }, { "fpm_ref", "num" }, { "g2", "num" }, { "p_g2", "p" }, { "chi2", "num" },
  { "p_chi2", "p" }, { "log_ratio", "num" }, { "pdiff", "num" }, { "simple", "num" },
  { "g2_williams", "num" }, { "bic", "num" }, { "fisher", "p" },
}

-- A frequency table of text, files, a lexis.Counts, or { list = path } (a
-- word<TAB>count list or a partial-counts file).
local function freq_table(src, opts, which)
  if type(src) == "userdata" then return src end
  if type(src) == "table" and src.list then
    local counts = core.counts()
    local info, err, code = core.read_partial(src.list, counts)
    if not info then contract.fail(err, code) end
    return counts
  end
  local files = sources(src, "keywords")
  local tok = {}
  for k in pairs(TOKENIZER) do tok[k] = opts[k] end
  tok.stop = opts.stop
  local counts, err, code = require("lexis.tokenize").count(files or src, tok)
  if not counts then contract.fail(err, code) end
  return counts
end

-- lexis.keywords(target, reference [, opts]) -> result of rank, word, key
-- ("+" commoner in the target, "-" rarer), freq, freq_ref, fpm, fpm_ref
-- (per million), g2 (4-term log-likelihood, signed), p_g2, chi2 (Yates,
-- signed), p_chi2, log_ratio, pdiff (%DIFF), simple (simple maths),
-- g2_williams (G2 over Williams's correction, signed), bic (Wilson's BIC
-- approximation of the Bayes factor, |G2| - ln N, signed), fisher (one-sided
-- p of Fisher's exact test: the word commoner in the target).
-- target and reference: text, a list of files, a lexis.Counts, or (the
-- reference) { list = "ref.tsv" }, a word<TAB>count file. opts: by (g2,
-- chi2, log_ratio, pdiff, simple, g2_williams, bic or fisher (each keyword's
-- own one-sided p, smallest first); default g2), smooth (simple maths' N,
-- default 1), min (count in the corpus where the word is key, default 1), p
-- (only p(G2) <= p), top (per direction), positive, negative (false leaves
-- that side out), stop, and the tokenizer options. Positive keywords come
-- first, strongest first; then negative ones, strongest first.
function M.keywords(target, reference, opts)
  opts = check_opts(opts, "keywords", KEY_OPTS, 3)
  local by = opts.by or "g2"
  local known = false
  for _, m in ipairs(M.KEY_MEASURES) do known = known or m == by end
  if not known then
    contract.misuse(string.format("keywords: unknown measure '%s' (%s)", tostring(by),
                        table.concat(M.KEY_MEASURES, ", ")))
  end
  local t = freq_table(target, opts, "target")
  local r = freq_table(reference, opts, "reference")
  local rows = core.keywords(t, r, {
    by = by, smooth = opts.smooth, min = opts.min, max_p = opts.p, limit = opts.top,
    positive = opts.positive, negative = opts.negative,
  })
  local pos, neg = 0, 0
  for _, row in ipairs(rows) do
    if row.key == "+" then pos = pos + 1; row.rank = pos else neg = neg + 1; row.rank = neg end
  end
  return M.result(KEY_COLUMNS, rows, {
    title = string.format("keywords by %s: %d positive, %d negative (target %d words, reference %d)",
                          by, pos, neg, t:total(), r:total()),
    positive = pos, negative = neg, tokens = t:total(), ref_tokens = r:total(), by = by,
  })
end

-- ===================================================================
-- Word lists with range and dispersion
-- ===================================================================

local WORDLIST_OPTS = { parts = true, lemmas = true, stop = true, min = true, top = true,
                        measures = true }

local WORDLIST_COLUMNS = {
  { "rank", "int" }, { "word", "str" }, { "freq", "int" }, { "per_million", "num" },
  { "range", "int" }, { "d", "num" }, { "dp", "num" }, { "dp_norm", "num" },
}
M._WORDLIST_COLUMNS = WORDLIST_COLUMNS

-- The dispersion measures a word list adds on request (opts.measures), in
-- the order of their columns: Juilland's U, Carroll's D2, Rosengren's S and
-- AF, the Kullback-Leibler divergence (bits) and its 1 - e^-KLD, D_A, and
-- from the words' positions ARF and ALDF (docs/stats.md).
M.DISPERSION_MEASURES = { "u", "d2", "s", "af", "kld", "dkl", "da", "arf", "aldf" }

-- What each is for a word never seen (the conventions of docs/stats.md).
local ABSENT = { freq = 0, per_million = 0, range = 0, d = 0, dp = 1, dp_norm = 1, u = 0, d2 = 0,
                 s = 0, af = 0, kld = 0, dkl = 1, da = 0, arf = 0, aldf = 0 }
M._WORDLIST_ABSENT = ABSENT

-- opts.measures -> a set of measure names: a list, or a comma-separated
-- string; "all" is every one.
local function check_measures(spec, fname)
  if spec == nil then return {} end
  local list = spec
  if type(spec) == "string" then
    list = {}
    for name in spec:gmatch("[^,%s]+") do list[#list + 1] = name end
  elseif type(spec) ~= "table" then
    contract.misuse(fname .. ": measures must be a list or a comma-separated string")
  end
  local known, set = {}, {}
  for _, m in ipairs(M.DISPERSION_MEASURES) do known[m] = true end
  for _, name in ipairs(list) do
    if name == "all" then
      for _, m in ipairs(M.DISPERSION_MEASURES) do set[m] = true end
    elseif known[name] then
      set[name] = true
    else
      contract.misuse(string.format("%s: unknown measure '%s' (%s, all)", fname, tostring(name),
                                    table.concat(M.DISPERSION_MEASURES, ", ")))
    end
  end
  return set
end

-- The word list's columns: the default ones and the measures asked for.
local function wordlist_columns(set)
  local cols = {}
  for i, c in ipairs(WORDLIST_COLUMNS) do cols[i] = c end
  for _, m in ipairs(M.DISPERSION_MEASURES) do
    if set[m] then cols[#cols + 1] = { m, "num" } end
  end
  return cols
end

-- A lemma mapping: a table word -> lemma, or a file of word<TAB>lemma lines
-- (# comments; lines without a tab are skipped).
function M.lemmas(spec)
  if type(spec) == "table" then return spec end
  if type(spec) ~= "string" then contract.misuse("lemmas must be a table or a file name") end
  local f, err, code = io.open(contract.checkpath(spec, "lemmas"), "rb")
  if not f then contract.fail(err, code) end
  local map = {}
  for line in f:lines() do
    local word, lemma = line:match("^([^\t#][^\t]*)\t([^\t\r]+)")
    if word then map[word] = lemma end
  end
  f:close()
  return map
end

-- lexis.wordlist(text_or_files [, opts]) -> result of rank, word, freq,
-- per_million, range (parts holding the word), d (Juilland's D), dp
-- (Gries' DP), dp_norm, and the measures asked for. opts: parts ("docs",
-- the default: each file is a part; or a number k: the words cut into k
-- equal runs, which reads files twice), lemmas (a table word -> lemma or a
-- word<TAB>lemma file: counts and dispersion are the lemma's), stop ("en",
-- a file or a list), min, top, measures (a list or "u,d2,arf", "all": the
-- columns of M.DISPERSION_MEASURES; arf and aldf keep every word's
-- position, 4 bytes a word), and the tokenizer options (lemmas match words
-- after lower/fold).
function M.wordlist(src, opts)
  opts = check_opts(opts, "wordlist", WORDLIST_OPTS)
  local measures = check_measures(opts.measures, "wordlist")
  local files = sources(src, "wordlist")
  local o = core_opts(opts, false)
  local k = opts.parts or "docs"
  if k == "docs" then k = 0
  elseif math.type(k) ~= "integer" or k < 1 then
    contract.misuse("wordlist: parts must be \"docs\" or a whole number >= 1")
  end
  local total = 0
  if k > 0 then   -- the number of words first, to cut them into equal parts
    local first <close> = core.wordlist(0, 0, o)
    feed(first, src, files, "wordlist")
    total = first:tokens()
  end
  o.positions = measures.arf or measures.aldf
  local w <close> = core.wordlist(k, total, o)
  feed(w, src, files, "wordlist")
  local stop
  if opts.stop then
    local err
    local code
    stop, err, code = require("lexis.tokenize").stoplist(opts.stop, opts)
    if not stop then contract.fail(err, code) end
  end
  local tokens, parts = w:tokens(), w:parts()
  local rows = w:list { lemmas = opts.lemmas and M.lemmas(opts.lemmas), stop = stop,
                        min = opts.min, limit = opts.top, measures = measures }
  for i, row in ipairs(rows) do
    row.rank = i
    row.per_million = tokens > 0 and row.freq * 1e6 / tokens or 0
  end
  return M.result(wordlist_columns(measures), rows, {
    title = string.format("word list: %d words in %d %s", tokens, parts, k > 0 and "equal parts" or "documents"),
    tokens = tokens, parts = parts,
  })
end

-- lexis.dispersion(freqs, sizes [, positions]) -> { range, d, dp, dp_norm,
-- u, d2, s, af, kld, dkl, da [, arf, aldf] }: every dispersion measure of
-- a word counted freqs[i] times in a part of sizes[i] tokens; with its
-- positions (ascending, within sum(sizes) tokens, as many as the freqs add
-- up to) ARF and ALDF too. The numbers lexis.wordlist gives per word.
function M.dispersion(freqs, sizes, positions)
  return core.dispersion(freqs, sizes, positions)
end

-- ===================================================================
-- Corpora: what the corpus methods (lua/lexis/corpus.lua) count with
-- ===================================================================

local function corpus_files(c, fname, level)
  -- an annotated index's files are .vrt or .conllu, not text to tokenize:
  -- refused rather than counted as text (tags and all)
  if c:annotated() then
    contract.fail(fname .. ": this index was built from annotated files (.vrt, .conllu): "
                  .. "its statistics are counted from the index only (collocates with the default options)")
  end
  local files = {}
  for _, d in ipairs(c:docs()) do
    if d.stale then
      contract.fail(string.format("%s: changed or went away since it was indexed; rebuild the index",
                                  d.path))
    end
    files[#files + 1] = d.path
  end
  return files
end
M._corpus_files = corpus_files

-- Can the index give the collocates its text would? Its tokens are the
-- default tokenizer's without white space. Windows within sentences read
-- the files too: the splitter can end a sentence inside what the tokenizer
-- reads as one token ("h.Cf"), which a reader going sentence by sentence
-- reads as two words and the index holds as one.
function M._index_serves(c, opts)
  local split = c:_tokopts().apostrophes == false      -- built with --split-apostrophes
  local nodict = c:_tokopts().dictionary == false      -- built with --no-dictionary
  if opts.hyphens or (opts.apostrophes == false) ~= split or (opts.dictionary == false) ~= nodict
     or opts.sentences then
    return false
  end
  local kinds = type(opts.kinds) == "table" and table.concat(opts.kinds, ",") or opts.kinds
  return not (kinds and kinds:find("space"))
end

-- Collocates counted from the index: the node's postings and the token ids
-- around them, not the text (src/collocates.c, lx_colloc_count_corpus).
function M._index_collocates(c, node, opts, level)
  -- The files need not be there (the index holds all it needs), but one
  -- that changed since indexing makes the index stale: an error. (By size
  -- and time: the answer comes from the index alone, and hashing every file
  -- would cost more than the count.)
  for _, d in ipairs(c:docs(false)) do       -- (shards: every shard's documents)
    local f = d.stale and io.open(d.path, "rb")
    if f then
      f:close()
      contract.fail(string.format("%s: changed since it was indexed; rebuild the index", d.path))
    end
  end
  local left = opts.left or opts.span or 5
  local right = opts.right or opts.span or 5
  local by = check_measure(opts.by or "logdice", "collocates")
  local expected = check_expected(opts.expected, "collocates")
  local o = {}
  for k in pairs(TOKENIZER) do o[k] = opts[k] end
  if type(o.kinds) == "table" then o.kinds = table.concat(o.kinds, ",") end
  o.case = keep_case(opts)
  local rows, hits, window, tokens = contract.check(core.collocates_index(c._list or c, node, left, right, o, by,
                                                    opts.min or 1, opts.min_freq or 1, opts.top or 0,
                                                    expected))
  return colloc_result(rows, {
    node = type(node) == "table" and table.concat(node, "|") or node,
    hits = hits, window = window, tokens = tokens, left = left, right = right, by = by,
    expected = expected,
  })
end

-- The public functions keep the contract (lexis.contract): a file that
-- cannot be read, or a stale index, returns nil, "path: reason", errno.
for _, name in ipairs { "ngrams", "collocates", "wordstream", "keywords", "wordlist" } do
  M[name] = contract.public(M[name])
end

return M
