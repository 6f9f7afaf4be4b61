-- require "lexis": the public API. Functions live in submodules and are
-- loaded the first time they are used, so `lexis -e ''` starts fast.
--
-- `api` is the registry of every public function: its module and a one-line
-- description. `lexis.help()` prints it, the REPL completes from it, and a
-- test checks that the README documents every entry.

local core = require "lexis.core"

local api = {
  help = { "lexis.init", "print this list of functions, or with a name (\"kwic\") that function's line" },
  show = { "lexis.repl", "print values the way the REPL does: a result's first rows, nested tables truncated" },
  pretty = { "lexis.pretty", "format a value as readable text (what show prints)" },
  kwic = { "lexis.kwic", "a keyword-in-context concordance of text or files, without an index" },
  cql = { "lexis.cql", "CQP queries (CQL) over a .vrt/.conllu file: lexis.cql('[pos=\"JJ\"]+ [pos=\"NN\"]', path) -> hits {start=, [\"end\"]=, target=} (opts sort=, limit=); lexis.cql.count(q, src, {by=\"lemma\"}) -> rows; lexis.cql.open(path) for many" },
  corpus = { "lexis.corpus", "index files in memory: c:kwic(query, opts), c:save(path), c:docs(), #c" },
  open = { "lexis.corpus", "open an index saved by c:save or 'lexis index' (mmap); nil, message if damaged; open{ path, ... }: several indexes (shards) as one corpus" },
  atomic_open = { "lexis.core", "open an output file that appears whole or not at all: f:write, f:commit(), f:abort()" },
  tokens = { "lexis.tokenize", "iterate over a text's tokens (UAX #29): for token, start, stop, kind in lexis.tokens(s)" },
  words = { "lexis.tokenize", "the words of a text, as an array of strings" },
  stem = { "lexis.tokenize", "a word's Snowball stem (libstemmer), lower-cased first: lexis.stem(\"Connections\", \"en\") is \"connect\"" },
  count = { "lexis.tokenize", "a frequency table (lexis.Counts) of a text or a list of files: #, :top(n), :get(w), :total()" },
  ngrams = { "lexis.stats", "n-grams (clusters) of text or files: rank, ngram, count, range; opts n, min, top, contains" },
  collocates = { "lexis.stats", "collocates of a word in text or files: MI, MI3, t, z, G2, Dice, logDice, log ratio, chi2, Delta P, MI2, MS, Poisson-Stirling, Jaccard, Fisher; opts left, right, by, min" },
  wordstream = { "lexis.stats", "a text's word ids in memory: s:collocates(node, opts) reads only the windows (fast repeated collocates)" },
  keywords = { "lexis.stats", "keywords of a target against a reference (texts, files, counts, {list=tsv}): G2, chi2, log ratio, %DIFF, simple maths, G2 (Williams), BIC, Fisher" },
  wordlist = { "lexis.stats", "a word list with range and dispersion (Juilland's D, Gries' DP) over documents or k parts; opts lemmas, stop, measures" },
  dispersion = { "lexis.stats", "every dispersion measure of one word from its part frequencies and part sizes (and positions: ARF, ALDF)" },
  dfm = { "lexis.dfm", "a document-feature matrix (one row per file) as quanteda and scikit-learn take it: d:write(prefix) writes .mtx, .features, .docs" },
  sentences = { "lexis.sentences", "iterate over a text's sentences: for s, start, stop in lexis.sentences(text, opts)" },
  split_sentences = { "lexis.sentences", "the sentences of a text, as an array of strings" },
  file_sentences = { "lexis.sentences", "iterate over the sentences of a file of any size, read in chunks" },
  splitter = { "lexis.sentences", "compile sentence options once (lang, abbreviations, newlines): opts.splitter" },
  learn_abbreviations = { "lexis.sentences", "a corpus's own abbreviations (Punkt's idea), for opts.abbreviations" },
  report = { "lexis.report", "any result as a table string: report(x, \"text\"|tsv|csv|json|jsonl|markdown|html, opts); .write, .print, .records" },
  serve = { "lexis.serve", "a local web concordancer and JSON API over indexes, with routes of your own: serve{ indexes, port, routes }" },
  plot = { "lexis.plot", "SVG plots (dispersion, bars, zipf, keyness) and a terminal dispersion strip: lexis.plot.NAME(...)" },
}

local lexis = {
  version = core.version,   -- the lexis version, "0.1.0"
  _api = api,
}

function lexis.help(name)
  if name ~= nil then
    local key = type(name) == "string" and name:gsub("^lexis%.", "") or nil
    if not api[key] then
      core.raise(string.format("bad argument #1 to 'help' (no function lexis.%s; lexis.help() lists them)",
                               tostring(name)))
    end
    io.write(string.format("lexis.%s  %s\n", key, api[key][2]))
    return
  end
  local names = {}
  for name in pairs(api) do names[#names + 1] = name end
  table.sort(names)
  local width = 0
  for _, name in ipairs(names) do width = math.max(width, #name) end
  for _, name in ipairs(names) do
    io.write(string.format("lexis.%-" .. width .. "s  %s\n", name, api[name][2]))
  end
end

return setmetatable(lexis, {
  __index = function(t, name)
    local entry = api[name]
    if not entry or entry[1] == "lexis.init" then return nil end
    local value = require(entry[1])[name]
    rawset(t, name, value)
    return value
  end,
  -- The REPL's completion lists these names before they are loaded.
  __complete = function()
    local names = { "version" }
    for name in pairs(api) do names[#names + 1] = name end
    return names
  end,
})
