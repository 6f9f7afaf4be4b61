-- lexis.tokens, lexis.words, lexis.count: Unicode words (UAX #29) from text
-- and files, composed from lexis.core's tokenizer and lexis.Counts.
--
-- Options (all optional), the same for the three functions:
--   kinds       "word,number", "all" (all but space), "all,space", or a list
--   lower       lower-case each token        fold   full Unicode case folding
--   normalize   "nfc" or "nfkc"              hyphens   "well-known" is one word
--   apostrophes false splits "don't" into don ' t (UAX #29 keeps it whole)
--   dictionary  false cuts Chinese, Japanese, Thai, Lao, Khmer and Myanmar
--               by UAX #29 alone (a token per ideograph); by default ICU's
--               dictionaries cut them into words
--   pattern     a PCRE2 pattern whose matches are the tokens (UTF, UCP, JIT)
--   stem        a Snowball language ("en", "german"; libstemmer): each word
--               lower-cased (unless fold is set), then stemmed
--   stop        (count) "en", "de"..., a file of words, or a list: words left out
--   chunk, threads (count over files) bytes per read, threads per file

local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

-- lexis.stem(word, lang) -> the word's Snowball stem in language lang ("en",
-- "english", "de"...; libstemmer's names and ISO codes), lower-cased first
-- as the stemmers expect: lexis.stem("Connections", "en") is "connect".
function M.stem(word, lang)
  if type(word) ~= "string" then
    contract.misuse("bad argument #1 to 'stem' (string expected, got " .. type(word) .. ")")
  end
  if type(lang) ~= "string" then
    contract.misuse("bad argument #2 to 'stem' (a language expected, got " .. type(lang) .. ")")
  end
  return core.stem(word, lang)
end

-- Token kinds by default: tokens() skips white space, words() and count()
-- keep words and numbers.
local ALL_BUT_SPACE = "all"
local WORDS = "word,number"

local OPTIONS = {
  kinds = true, lower = true, fold = true, normalize = true, hyphens = true,
  apostrophes = true, dictionary = true, pattern = true, general = true, stem = true, stop = true, chunk = true,
  threads = true,
}

local function check_opts(opts, fname)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    contract.misuse(string.format("bad argument #2 to '%s' (table expected, got %s)", fname, type(opts)))
  end
  for k in pairs(opts) do
    if not OPTIONS[k] then contract.misuse(string.format("%s: unknown option '%s'", fname, tostring(k))) end
  end
  return opts
end

-- A core tokenizer for the options, with `kinds` defaulting as given.
local function tokenizer(opts, kinds)
  return core.tokenizer {
    kinds = opts.kinds or kinds,
    lower = opts.lower,
    fold = opts.fold,
    normalize = opts.normalize,
    hyphens = opts.hyphens,
    apostrophes = opts.apostrophes,
    dictionary = opts.dictionary,
    pattern = opts.pattern,
    stem = opts.stem,
    general = opts.general,          -- no ASCII fast path: for tests and timing
  }
end
M._tokenizer = tokenizer

-- lexis.tokens(text [, opts]) -> iterator for a generic for:
--   for token, start, stop, kind in lexis.tokens(text) do ... end
-- start and stop are byte positions, 1-based and inclusive (as string.find).
function M.tokens(text, opts)
  opts = check_opts(opts, "tokens")
  if type(text) ~= "string" then
    contract.misuse("bad argument #1 to 'tokens' (string expected, got " .. type(text) .. ")")
  end
  return tokenizer(opts, ALL_BUT_SPACE):gmatch(text)
end

-- lexis.words(text [, opts]) -> { word, ... }
function M.words(text, opts)
  opts = check_opts(opts, "words")
  if type(text) ~= "string" then
    contract.misuse("bad argument #1 to 'words' (string expected, got " .. type(text) .. ")")
  end
  return tokenizer(opts, WORDS):words(text)
end

-- The languages lexis has stop lists for ("de", "en", ...), sorted: the
-- embedded modules, or under LEXIS_LUA_DIR the files of lexis/data/stop.
function M._stoplists()
  local names = {}
  for mod in pairs(package.preload) do
    names[#names + 1] = mod:match("^lexis%.data%.stop%.(%a+)$")
  end
  local dir = os.getenv("LEXIS_LUA_DIR")
  if #names == 0 and dir and dir ~= "" then
    for _, f in ipairs((core.expand { dir .. "/lexis/data/stop" })) do
      names[#names + 1] = f:match("(%a+)%.lua$")
    end
  end
  table.sort(names)
  return names
end

-- The words of a stop list: a language ("en", "de": lua/lexis/data/stop/),
-- a file of words (one per line, # comments), or a list. Returns a set.
-- With word options (opts: fold, normalize, stem), each word's form under
-- them joins the set too, so the list drops the words as they are counted
-- ("does" is counted as "doe" under stem = "en").
function M.stoplist(spec, opts)
  local words = spec
  if type(spec) == "string" then
    if spec:match("^%a%a%a?$") then
      local ok, list = pcall(require, "lexis.data.stop." .. spec)
      if ok then
        words = list
      end
    end
    if words == spec then
      local f, err, code = io.open(contract.checkpath(spec, "stop"), "rb")
      if not f and spec:match("^%a%a%a?$") then
        err = string.format("%s: no stop list for '%s' and no file of that name (stop lists: %s)",
                            spec, spec, table.concat(M._stoplists(), ", "))
      end
      if not f then return nil, err, code end
      words = {}
      for line in f:lines() do
        local w = line:gsub("#.*", ""):match("^%s*(.-)%s*$")
        if w ~= "" then words[#words + 1] = w end
      end
      f:close()
    end
  end
  if type(words) ~= "table" then contract.misuse("stop list must be a name, a file or a list of words") end
  local set = {}
  for _, w in ipairs(words) do set[w] = true end
  if opts and (opts.stem or opts.fold or opts.normalize) then
    local map = tokenizer({ lower = opts.lower, fold = opts.fold, normalize = opts.normalize,
                            stem = opts.stem, kinds = "all" }, WORDS)
    local mapped = {}
    for w in pairs(set) do
      local t = map:words(w)
      if #t == 1 then mapped[#mapped + 1] = t[1] end
    end
    for _, w in ipairs(mapped) do set[w] = true end
  end
  return set
end

-- Leaves the stop words out of counts. Under lower or fold the keys are
-- already folded, so each stop word is dropped directly; otherwise every
-- key whose lower-case form is a stop word goes (The, THE).
local function drop_stop(counts, stop, folded)
  if folded then
    for w in pairs(stop) do counts:drop(w) end
    return
  end
  local lower = tokenizer({ lower = true }, WORDS)
  local doomed = {}
  for w in pairs(counts) do
    local t = lower:words(w)
    if #t == 1 and stop[t[1]] then doomed[#doomed + 1] = w
    elseif stop[w] then doomed[#doomed + 1] = w end
  end
  for _, w in ipairs(doomed) do counts:drop(w) end
end
M._drop_stop = drop_stop

-- lexis.count(text_or_files [, opts]) -> counts, stats
-- A string is text; a table is a list of files, directories and globs ("-"
-- is standard input); a binary file is skipped with a warning on stderr.
-- counts is a lexis.Counts: #counts (types), counts:get(w), counts:total(),
-- counts:top(n), pairs(counts), tostring(counts). stats = { bytes, tokens,
-- invalid, first_invalid } (invalid UTF-8 bytes: how many, where the first
-- was). A file that cannot be read returns nil, "path: reason", errno.
function M.count(src, opts)
  opts = check_opts(opts, "count")
  local tok = tokenizer(opts, WORDS)
  local counts = core.counts()
  local how = { counts = counts, chunk = opts.chunk, threads = opts.threads }
  local stats
  if type(src) == "string" then
    stats = assert(tok:scantext(src, how))
  elseif type(src) == "table" then
    stats = { bytes = 0, tokens = 0, invalid = 0 }
    -- files, directories and globs, as every command takes them (src/input.h)
    local files, warnings = core.expand(src)
    for _, w in ipairs(warnings) do io.stderr:write("lexis: ", w, "\n") end
    local meter <close> = require("lexis.progress").files(files, "count")   -- after 1 s, on a terminal
    for _, path in ipairs(files) do
      how.progress = meter:part()          -- within a big file too
      local st, err, code = tok:scanfile(path, how)
      if not st then return nil, err, code end
      meter:add(st.bytes)
      stats.bytes = stats.bytes + st.bytes
      stats.tokens = stats.tokens + st.tokens
      if st.invalid > 0 and not stats.first_invalid then
        stats.first_invalid = st.first_invalid
        stats.first_invalid_file = path
      end
      stats.invalid = stats.invalid + st.invalid
    end
  else
    contract.misuse("bad argument #1 to 'count' (string or list of files expected, got " .. type(src) .. ")")
  end
  if opts.stop then
    local stop, err, code = M.stoplist(opts.stop, opts)
    if not stop then return nil, err, code end
    drop_stop(counts, stop, opts.lower or opts.fold or opts.stem)
  end
  return counts, stats
end

return M
