-- lexis.corpus, lexis.open: a corpus of files with an inverted index, kept
-- in memory or saved to an index file that opens by mmap in milliseconds.
--
--   local c = lexis.corpus { "corpus/" }          -- files, directories, globs
--   c:save("corpus.lexis")
--   local c = assert(lexis.open("corpus.lexis"))
--   c:kwic("left opposition", { sort = "R1", limit = 20 }):print()
--
-- Methods: c:kwic(query [, opts]) (the options of lexis.kwic), c:save(path),
-- c:docs(), c:stale(), c:freq(word), c:types(), c:sentences(), c:verify(),
-- c:close(), #c (tokens), tostring(c) (src/bind/corpus.c holds those in C);
-- c:ngrams, c:collocates, c:keywords, c:wordlist, c:freq(opts),
-- c:dispersion (below, over lexis.stats). Every method of lexis.Corpus
-- written in Lua is in this file.

local core = require "lexis.core"
local contract = require "lexis.contract"
local kwic = require "lexis.kwic"
local stats = require "lexis.stats"

local M = {}
local Corpus = core.Corpus

-- lexis.corpus(paths [, opts]): builds the index of the files, split into
-- sentences too (opts.sentences = false skips that; opts.lang picks the
-- abbreviations, "en"). A long build shows the lexis.progress line (on a
-- terminal, after a second); opts.progress = false turns it off, and a
-- function instead is called as progress(done, total, path) before each file.
-- With opts.output, the index is written to that file as it is made (less
-- memory than building, then c:save) and the corpus maps it. With
-- opts.reuse (an open corpus), the files it indexed that have not changed
-- since are copied from it, not read again (unless it cut words otherwise).
-- opts.apostrophes = false cuts words at apostrophes, as lexis.tokenize
-- does (Stalin’s is Stalin ’ s, so a query for Stalin finds it); the index
-- keeps the setting and cuts its queries the same way; so does
-- opts.dictionary = false (Chinese, Japanese, Thai ... a token per ideograph,
-- as UAX #29 cuts them). Files named .vrt or
-- .conllu (or opts.format "vrt" / "conllu") make an annotated index: see
-- M._annotated for opts.p, opts.s, opts.columns and opts.undeclared.
-- opts.meta names a metadata table (TSV, or CSV if named .csv; see
-- lua/lexis/metatable.lua): the index keeps each document's values, shown
-- to CQL as text_FIELD and to Lua by c:docs() and c:texts(); every file
-- must have a row (checked before any is read). opts.store_text keeps the
-- documents' text in the index (lexis index --store-text): hits are shown
-- from it, and compressed files, HTML and XML can be indexed.
-- Returns the corpus and { read = files read, reused = files copied }.
function M.corpus(paths, opts)
  opts = opts or {}
  if type(paths) ~= "string" and type(paths) ~= "table" then
    contract.misuse("bad argument #1 to 'corpus' (string or table expected, got " .. type(paths) .. ")")
  end
  local files, warnings = kwic.expand(paths)
  for _, w in ipairs(warnings) do io.stderr:write("lexis: ", w, "\n") end
  local annotated = M._annotated(files, opts)
  if annotated and opts.apostrophes == false then
    io.stderr:write("lexis: annotated files give their own tokens: splitting at apostrophes does not apply\n")
  end
  local mt
  if opts.meta ~= nil then
    if type(opts.meta) ~= "string" then contract.misuse("bad option meta to 'corpus' (a path expected)") end
    if annotated then
      contract.misuse("corpus: meta is for plain text; annotated files (.vrt, .conllu) carry their "
        .. "metadata in their tags (<text year=\"...\">)")
    end
    mt = require("lexis.metatable")
    local t = mt.read(opts.meta)
    mt.check(t, files)
    mt = t
  end
  local added = {}                    -- the documents in the builder, in order (absolute paths)
  local splitter
  if opts.sentences ~= false and not annotated then
    splitter = require("lexis.sentences").splitter { lang = opts.lang or "en" }
  end
  local old = {}                      -- path -> document number in opts.reuse, if unchanged
  if opts.reuse and not annotated and not opts.reuse:annotated() then
    local stored = opts.reuse:stored()     -- (its docs() do not look at the files)
    for d, doc in ipairs(opts.reuse:docs()) do
      if not (doc.stale or stored and opts.reuse:_changed(d)) then old[core.abspath(doc.path)] = d end
    end
  end
  local counts = { read = 0, reused = 0 }
  local b <close> = core.builder(splitter, opts.apostrophes == false, opts.dictionary == false,
                                 opts.store_text and not annotated)
  local mopts = {}
  if opts.progress ~= nil then mopts.tty = false end      -- false, or the caller's own
  local meter <close> = require("lexis.progress").files(files, "index", mopts)
  for i, path in ipairs(files) do
    if opts.progress then opts.progress(i - 1, #files, path, b) end
    -- the index keeps absolute names, so its hits show from any directory
    if path ~= "-" then path = core.abspath(path) end
    local ok, err, other
    if old[path] then
      ok, err, other = b:reuse(opts.reuse, old[path])
      if ok then
        counts.reused = counts.reused + 1
        added[#added + 1] = path
      elseif not other then contract.fail(err) end
    end
    if not ok and path ~= "-" and not (opts.store_text and not annotated) then
      local why = M.unindexable(path, annotated)
      if why then contract.fail(why, 84) end    -- EILSEQ: the file is not what the index can take
    end
    if not ok then
      local code
      if annotated then
        ok, err, other, code = b:addannotated(path, annotated, meter:part())
      else
        ok, err, other, code = b:add(path, meter:part())   -- within a big file too
      end
      if ok then
        counts.read = counts.read + 1
        added[#added + 1] = path
      elseif not other then contract.fail(err, code)
      else
        meter:clear()
        io.stderr:write("lexis: ", err, "\n")
      end
    end
    meter:file(path)
  end
  if opts.progress then opts.progress(#files, #files, nil, b) end
  if mt and #added > 0 then b:setmeta(mt.fields, require("lexis.metatable").values(mt, added)) end
  meter:phase(opts.output and "sorting and writing the index" or "sorting the index")
  local c, err, code = b:finish(opts.output)
  meter:finish()
  return contract.check(c, err, code), counts
end
M.corpus = contract.public(M.corpus)

-- The reader's options when the files are annotated (opts.format "vrt" or
-- "conllu", or every file named .vrt / .conllu), else nil. opts.p and
-- opts.s declare the attributes as cwb-encode's -P and -S do; opts.columns
-- ("error" or "pad") and opts.undeclared ("token" or "skip") choose the
-- reader's repairs (docs/formats.md).
function M._annotated(files, opts)
  local fmt = opts.format
  if fmt == nil or fmt == "auto" then
    local n = 0
    for _, f in ipairs(files) do
      if f:match("%.vrt$") or f:match("%.conllu$") then n = n + 1 end
    end
    if n == 0 then return nil end
    if n < #files then
      contract.misuse("corpus: an index holds either annotated files (.vrt, .conllu) or plain text, not both")
    end
    fmt = "auto"
  elseif fmt == "text" then
    return nil
  elseif fmt ~= "vrt" and fmt ~= "conllu" then
    contract.misuse("bad option format to 'corpus' (\"text\", \"vrt\" or \"conllu\" expected)")
  end
  return { format = fmt, p = opts.p, s = opts.s, columns = opts.columns, undeclared = opts.undeclared }
end

-- unindexable(path [, annotated]) -> why a regular file cannot be indexed,
-- or nil (annotated: the files are VRT or CoNLL-U, read by their reader). A
-- compressed file is read by every streaming command, but an index records
-- byte offsets in its source and shows a hit by reading the source again
-- there; a compressed file has no such offsets, nor has the text of HTML
-- or XML (the markup left out), nor a DOCX, ODT, EPUB or PDF, nor text
-- converted from another encoding: refused, saying how to index it, unless
-- the index keeps the text (opts.store_text, lexis index --store-text).
function M.unindexable(path, annotated)
  local kind, message, enc = core.sniff(path)
  if annotated and (kind == "html" or kind == "xml") then return nil end   -- VRT: its reader reads the tags
  -- an annotated corpus is not converted by detection: its reader wants UTF-8 and says where it is not
  if annotated and kind == "encoded" and message:find("; read as ", 1, true) then return nil end
  if kind == "encoded" then    -- UTF-16/32, or an encoding detected (src/charset.h)
    local said = message:match("^(.-); read as ")
    said = said and said .. ", in " .. enc or message:gsub(" %(converted to UTF%-8%)$", "")
    return said .. "; an index shows its hits by reading its files again at the byte "
      .. "offsets it recorded, which are offsets into UTF-8 text: give --store-text (store_text = true), "
      .. "so the index keeps the converted text, or convert it first (iconv -f " .. enc .. " -t UTF-8 "
      .. path .. " > " .. path .. ".utf8) and index that"
  end
  if kind == "document" and annotated then
    return message:gsub(" %(its text is read%)$", "") .. ", not an annotated corpus (VRT or CoNLL-U)"
  end
  if kind == "document" then
    return message:gsub(" %(its text is read%)$", "") .. ", not indexed: an index shows its hits by "
      .. "reading its files again at the byte offsets it recorded, and a document's text is not its "
      .. "bytes: give --store-text (store_text = true), so the index keeps the text it shows"
  end
  if kind == "html" or kind == "xml" then
    return string.format("%s: %s, not indexed: an index shows its hits by reading its files again at the "
      .. "byte offsets it recorded, and the text of %s is not its bytes: save the text first "
      .. "(lexis sentences %s > %s.txt) and index that", path, kind:upper(), kind:upper(), path, path)
  end
  if kind ~= "compressed" then return nil end
  local codec = message:match(": (%w+)%-compressed") or "gzip"
  local plain = path:match("^(.+)%.[%w]+$") or path .. ".txt"
  if plain == path then plain = path .. ".txt" end
  return string.format("%s: %s-compressed; an index shows its hits by reading its files again at the "
    .. "byte offsets it recorded, which a compressed file does not have: decompress it first "
    .. "(%s -dc %s > %s) and index that", path, codec, codec, path, plain)
end   -- a file it cannot read: nil, "path: reason", errno

-- lexis.open(path) -> corpus, or nil, "path: reason; rebuild it ...", errno
-- (EBADMSG for a damaged index). lexis.open{ path, ... }: several indexes
-- as one corpus (M.open_many).
function M.open(path)
  if type(path) == "table" then return M.open_many(path) end
  return core.open(contract.checkpath(path, "open"))
end

-- The index's concordance of query (count_only: hits counted, none kept)
-- and its hits; a damaged index fails, a bad query is misuse.
local function query(self, q, opts, count_only)
  if type(q) ~= "string" then
    contract.misuse("bad argument #1 to 'kwic' (string expected, got " .. type(q) .. ")")
  end
  local conc, n, code
  if count_only then
    conc, n, code = self:_query(q, opts.case, opts.regex, kwic.stop_after(opts), 0, 0, nil, true)
  else
    conc, n, code = self:_query(q, opts.case, opts.regex, kwic.stop_after(opts), opts.left or 5,
                                opts.right or 5, kwic.splitter(opts), false, kwic.keep_best(opts))
  end
  if not conc and code then contract.fail(n, code) end   -- damage, memory
  if not conc then contract.misuse(n) end                -- a bad query
  return conc, n
end

-- c:kwic(query [, opts]) -> a concordance (see lexis.kwic for opts).
function Corpus:kwic(q, opts)
  opts = kwic.check_opts(opts, "kwic")
  return kwic.finish((query(self, q, opts, false)), opts)
end

-- c:_count(query [, opts]) -> the number of hits c:kwic would keep (after
-- limit and sample), found without keeping them: kwic --count.
function Corpus:_count(q, opts)
  opts = kwic.check_opts(opts, "kwic")
  local conc, n = query(self, q, opts, true)
  conc:close()
  return kwic.kept(n, opts)
end

-- c:query(cql [, opts]) -> the hits of a CQL query over the index (CQP's
-- language, docs/cql.md; a plain index has word, s, text and text_id, an
-- annotated one its attributes and regions), as an object: r:n(), r:hits()
-- ({ start =, ["end"] =, target =, keyword =, labels = }: positions from 0,
-- end exclusive), r:sort(keys [, limit]) (kwic --cql --sort's keys),
-- r:count(keys) (lexis count's breakdown: c:rows()), r:write(file, {
-- format =, show =, left =, right = }) (kwic --cql's output), r:free().
-- opts: max_hits. c:kwic takes plain queries; c:query takes CQL.
-- Over shards (lexis.open{...}) the query runs over them as one corpus:
-- positions count across the shards, and no match crosses from one to the
-- next (docs/cql.md).
function Corpus:query(q, opts)
  if type(q) ~= "string" then
    contract.misuse("bad argument #1 to 'query' (a CQL query string expected, got " .. type(q) .. ")")
  end
  if opts ~= nil and type(opts) ~= "table" then contract.misuse("bad argument #2 to 'query' (table expected)") end
  local view, own = self:_cql_view()
  local r, err = core.cql_run(view, q, opts and { max_hits = opts.max_hits } or nil)
  if not r then
    if own then view:close() end
    if err:find("interrupted", 1, true) or err:find("more than", 1, true) then contract.fail(err, 1) end
    contract.misuse(err)
  end
  return r
end

-- c:_cql_view() -> the CQL evaluator's view of the corpus, and whether the
-- caller is to close it (an index's is made each time; a set of shards
-- keeps one, whose lexicons of the set are made once).
function Corpus:_cql_view() return core.cql_index_view(self), true end

-- A damaged index is a failure they return: nil, "path: damaged (...)", errno.
Corpus.kwic = contract.public(Corpus.kwic)
Corpus.query = contract.public(Corpus.query)
Corpus._count = contract.public(Corpus._count)

-- c:select(where) -> the records of c:docs() (each with its number, d.n)
-- of the documents every constraint holds for. where is a string or a list
-- of them, each what CQL writes inside a region tag: text_FIELD="REGEX"
-- (the value matched whole, %c and %d as in CQL; != for not), e.g.
-- 'text_year="193."'. It is run by the CQL evaluator as <where> [], so it
-- means what it means in a query; a document without tokens holds no text
-- region and is never selected.
function Corpus:select(where)
  if type(where) == "string" then where = { where } end
  if type(where) ~= "table" or #where == 0 then
    contract.misuse("bad argument #1 to 'select' (a constraint or a list of them expected)")
  end
  local docs = self:docs()
  local starts = {}                   -- first token (from 0) -> document number
  for d, doc in ipairs(docs) do
    doc.n = d
    if doc.tokens > 0 then starts[#starts + 1] = d end
  end
  local function doc_at(pos)          -- the document holding token pos (from 0)
    local lo, hi = 1, #starts
    while lo < hi do
      local mid = (lo + hi + 1) // 2
      if docs[starts[mid]].first - 1 <= pos then lo = mid else hi = mid - 1 end
    end
    return starts[lo]
  end
  local view = core.cql_index_view(self)
  local keep
  for _, w in ipairs(where) do
    if type(w) ~= "string" or not w:match('^%s*text_[%w_]+%s*!?=%s*"') then
      view:close()
      contract.misuse(string.format("where: %s: text_FIELD=\"REGEX\" expected, as inside CQL's "
        .. "<text_year=\"19.*\">", tostring(w)))
    end
    local r, err = core.cql_run(view, "<" .. w .. "> []")
    if not r then
      view:close()
      if err:find("interrupted", 1, true) then contract.fail(err, 1) end
      contract.misuse("where: " .. err)
    end
    local now = {}
    for _, hit in ipairs(r:hits()) do
      local d = doc_at(hit.start)
      if not keep or keep[d] then now[d] = true end
    end
    r:free()
    keep = now
  end
  view:close()
  local out = {}
  for d, doc in ipairs(docs) do
    if keep[d] then out[#out + 1] = doc end
  end
  return out
end
Corpus.select = contract.public(Corpus.select)

-- c:stale() -> the paths of documents changed or gone since indexing.
function M._stale(self)
  local list = {}
  for _, d in ipairs(self:docs()) do
    if d.stale then list[#list + 1] = d.path end
  end
  return list
end
Corpus.stale = M._stale

-- ===================================================================
-- Statistics of a corpus
-- ===================================================================
-- c:ngrams(opts), c:collocates(node, opts), c:keywords(reference, opts),
-- c:wordlist(opts) (also c:freq(opts); c:freq(word) stays the index's own
-- count, in C), c:dispersion(words, opts): lexis.stats's functions over the
-- corpus. They read the corpus's documents again through the same C
-- counters, so a document changed since indexing is an error; except
-- c:collocates, which counts from the index (stats._index_collocates) and
-- reads the documents only for options the index cannot serve, keeping
-- their word stream (4 bytes a word) for the next calls. Case is folded by
-- default, as the index folds it (lower = true or fold = false to change
-- that), and words are cut at apostrophes when the index cut them
-- (apostrophes = true to keep them).

local corpus_files = stats._corpus_files

local function folded(opts, c)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  if o.lower == nil and o.fold == nil then o.fold = true end
  if o.apostrophes == nil then o.apostrophes = c:_tokopts().apostrophes end
  if o.dictionary == nil then o.dictionary = c:_tokopts().dictionary end
  return o
end

function Corpus:ngrams(opts)
  return stats.ngrams(corpus_files(self, "ngrams"), folded(opts, self))
end

-- Word streams of corpora, one per corpus and set of tokenizer options,
-- kept while the corpus lives: the first c:collocates reads the
-- documents, the next ones only the windows.
local streams = setmetatable({}, { __mode = "k" })
local STREAM_KEYS = { "kinds", "lower", "fold", "normalize", "hyphens", "apostrophes",
                      "dictionary", "sentences", "lang" }

function Corpus:collocates(node, opts)
  opts = folded(opts, self)
  stats._check_opts(opts, "collocates", stats._COLLOC_OPTS, 2)
  if stats._index_serves(self, opts) then return stats._index_collocates(self, node, opts, 2) end
  local key, sopts, copts = {}, {}, {}
  for _, k in ipairs(STREAM_KEYS) do
    local v = opts[k]
    if type(v) == "table" then v = table.concat(v, ",") end
    key[#key + 1] = tostring(v)
    sopts[k] = opts[k]
  end
  for k, v in pairs(opts) do
    if sopts[k] == nil and k ~= "fold" and k ~= "lower" then copts[k] = v end
  end
  key = table.concat(key, "\0")
  local mine = streams[self] or {}
  streams[self] = mine
  if not mine[key] then mine[key] = contract.check(stats.wordstream(corpus_files(self, "collocates"), sopts)) end
  return mine[key]:collocates(node, copts)
end

-- reference: another corpus, or what lexis.keywords takes.
function Corpus:keywords(reference, opts)
  if getmetatable(reference) == getmetatable(self) then
    reference = corpus_files(reference, "keywords")
  end
  return stats.keywords(corpus_files(self, "keywords"), reference, folded(opts, self))
end

function Corpus:wordlist(opts)
  return stats.wordlist(corpus_files(self, "wordlist"), folded(opts, self))
end

local index_freq = Corpus.freq
function Corpus:freq(what)
  if type(what) == "string" then return index_freq(self, what) end
  return self:wordlist(what)
end

-- c:dispersion(words [, opts]) -> the word-list rows of the words given
-- (a word or a list), in that order; a word never seen has freq 0.
function Corpus:dispersion(words, opts)
  if type(words) == "string" then words = { words } end
  if type(words) ~= "table" then
    contract.misuse("bad argument #1 to 'dispersion' (word or list of words expected)")
  end
  local o = folded(opts, self)
  o.min, o.top = nil, nil
  local all = contract.check(self:wordlist(o))
  local by = {}
  for _, row in ipairs(all) do by[row.word] = row end
  local fold = require("lexis.tokenize")._tokenizer(o, "word,number")
  local rows = {}
  for i, w in ipairs(words) do
    local key = fold:words(w)[1] or w
    local row = by[key]
    if not row then                  -- never seen: the conventions of docs/stats.md
      row = { word = key }
      for _, col in ipairs(all.columns) do
        if stats._WORDLIST_ABSENT[col[1]] then row[col[1]] = stats._WORDLIST_ABSENT[col[1]] end
      end
    end
    row.rank = i
    rows[i] = row
  end
  return stats.result(all.columns, rows, { title = "dispersion: " .. all.info.title,
                                           tokens = all.info.tokens, parts = all.info.parts })
end

for _, name in ipairs { "ngrams", "collocates", "keywords", "wordlist", "dispersion" } do
  Corpus[name] = contract.public(Corpus[name])
end

-- ===================================================================
-- Shards: several indexes built apart (one per directory, one per
-- machine), queried as one corpus
-- ===================================================================
-- lexis.corpus.open_many(paths), lexis.open{ "a.lexis", "b.lexis", ... }
-- -> a corpus of shards, or nil, "path: reason", errno (a shard that does
-- not open names itself; shards tokenized otherwise, or annotated among
-- plain, are refused). Its documents are the shards' in order, numbered as
-- one list. s:kwic(query [, opts]) finds the hits of every shard (two at a
-- time on two processors) and sorts them as one index of all the files
-- would (src/corpus_shards.c); s:collocates(node [, opts]) adds the
-- shards' counts, which is exact (windows never cross a document). Also
-- s:docs(), s:stale(), s:freq(word), s:shards() (the corpora), #s (tokens),
-- s:close().
local Shards = { __name = "lexis.Shards" }
Shards.__index = Shards
M.Shards = Shards

function M.open_many(paths)
  if type(paths) ~= "table" or #paths == 0 then
    contract.misuse("bad argument #1 to 'open_many' (a list of index paths expected)")
  end
  local list = {}
  for i, p in ipairs(paths) do
    local c, err, code = core.open(contract.checkpath(p, "open_many", i))
    if not c then
      for _, o in ipairs(list) do o:close() end
      return nil, err, code
    end
    list[i] = c
  end
  local ok, err, code = core.shards_check(list)
  if not ok then
    for _, o in ipairs(list) do o:close() end
    return nil, err, code
  end
  return setmetatable({ _list = list, _paths = paths }, Shards)
end

function Shards:_query(...) return core.shards_query(self._list, ...) end
Shards.kwic = Corpus.kwic              -- the index's own, over Shards:_query
Shards._count = Corpus._count
Shards.query = Corpus.query           -- CQL over the shards as one corpus (core.cql_shards_view)

-- The shards' views as one (kept, so each query does not make the set's
-- lexicons again); nil, message when their attributes differ.
function Shards:_cql_view()
  if not self._view then
    local views = {}
    for i, c in ipairs(self._list) do views[i] = core.cql_index_view(c) end
    local view, err, code = core.cql_shards_view(views, self._paths, self)
    if not view then
      for _, v in ipairs(views) do v:close() end
      return contract.fail(err, code or 1)
    end
    self._view = view
  end
  return self._view, false
end
function Shards:shards() return self._list end
function Shards:_tokopts() return self._list[1]:_tokopts() end
function Shards:annotated() return self._list[1]:annotated() end

function Shards:docs(deep)
  local all = {}
  for _, c in ipairs(self._list) do
    for _, d in ipairs(c:docs(deep)) do all[#all + 1] = d end
  end
  return all
end
Shards.stale = function(self) return M._stale(self) end

function Shards:freq(word)
  local n = 0
  for _, c in ipairs(self._list) do
    local k, err, code = c:freq(word)
    if not k then return nil, err, code end
    n = n + k
  end
  return n
end

function Shards:__len()
  local n = 0
  for _, c in ipairs(self._list) do n = n + #c end
  return n
end

function Shards:__tostring()
  return string.format("lexis.Corpus of %d shards (%d tokens)", #self._list, #self)
end

function Shards:close()
  if self._view then self._view:close() end
  for _, c in ipairs(self._list) do c:close() end
end
Shards.__close = Shards.close

-- The statistics count from the indexes when they can (collocates), else
-- from the files of every shard, in order.
function Shards:collocates(node, opts)
  opts = folded(opts, self)
  stats._check_opts(opts, "collocates", stats._COLLOC_OPTS, 2)
  return stats.collocates(self, node, opts)
end
Shards.collocates = contract.public(Shards.collocates)

-- lexis.corpus._merge(paths, output [, opts]) -> the corpus of one index
-- at output made of the shards at paths, in their order, which answers
-- every query as an index built from all their files in that order would
-- (lexis index --merge). A plain shard's documents are copied as they were
-- indexed (their ids, offsets, sentences, their kept text: the builder's
-- reuse, what --update does with an unchanged file), so neither the files
-- nor their reading is needed; document metadata go along when every shard
-- has the same fields. Annotated shards are built again from their .vrt or
-- .conllu files, with the shards' positional attributes; when the files are
-- gone, changed, or give other attributes, it fails and says which.
-- opts.progress as M.corpus takes it.
function M._merge(paths, output, opts)
  opts = opts or {}
  local shards, err, code = M.open_many(paths)
  if not shards then contract.fail(err, code) end
  local list = shards._list
  local function fail(msg, errno)
    shards:close()
    contract.fail(msg, errno or 22)
  end
  if list[1]:annotated() then
    local files, attrs = {}, list[1]:attributes()
    for i, c in ipairs(list) do
      for _, d in ipairs(c:docs()) do
        if d.stale then
          fail(string.format("%s: %s: %s since it was indexed: annotated shards are merged by indexing their "
            .. ".vrt and .conllu files again", paths[i], d.path, core.sniff(d.path) and "changed" or "gone"))
        end
        files[#files + 1] = d.path
      end
    end
    local p = {}
    for k = 2, #attrs.positional do p[#p + 1] = attrs.positional[k] end
    shards:close()
    local c = contract.check(M.corpus(files, { output = output, p = #p > 0 and p or nil, progress = opts.progress }))
    local got = c:attributes()
    if table.concat(got.positional, " ") ~= table.concat(attrs.positional, " ")
      or table.concat(got.structural, " ") ~= table.concat(attrs.structural, " ") then
      c:close()
      os.remove(output)
      contract.fail(string.format("%s: its files give the attributes %s; regions %s, not the shards' %s; regions %s "
        .. "(they were built with -P or -S: index the files again with them)", paths[1],
        table.concat(got.positional, " "), table.concat(got.structural, " "),
        table.concat(attrs.positional, " "), table.concat(attrs.structural, " ")), 22)
    end
    return c
  end
  -- plain shards: every document copied from its shard
  local fields                       -- the metadata's field names, as the first shard has them
  local store, sents = true, true
  for i, c in ipairs(list) do
    local f = {}
    for _, name in ipairs(c:attributes().structural) do
      if name:match("^text_") and name ~= "text_id" then f[#f + 1] = name:sub(6) end
    end
    if i == 1 then fields = f
    elseif table.concat(f, "\t") ~= table.concat(fields, "\t") then
      fail(string.format("%s: its documents' metadata have the fields %s, but %s's have %s: merge shards of one "
        .. "metadata table", paths[i], #f > 0 and table.concat(f, " ") or "(none)", paths[1],
        #fields > 0 and table.concat(fields, " ") or "(none)"))
    end
    if c:stored() ~= list[1]:stored() then    -- no silent loss of the kept text
      io.stderr:write("lexis: ", paths[c:stored() and i or 1], " keeps its text but ", paths[c:stored() and 1 or i],
        " does not: the merged index keeps none (its hits are shown from the files)\n")
    end
    store = store and c:stored()
    if #c > 0 and c:sentences() == 0 then sents = false end
  end
  local tok = list[1]:_tokopts()
  local splitter = sents and require("lexis.sentences").splitter { lang = "en" } or nil   -- (copied, not split)
  local b <close> = core.builder(splitter, tok.apostrophes == false, tok.dictionary == false, store)
  local values = {}
  for i, c in ipairs(list) do
    if opts.progress then opts.progress(i - 1, #list, paths[i], b) end
    for d, doc in ipairs(c:docs(false)) do
      local ok, rerr = b:reuse(c, d)
      if not ok then fail(paths[i] .. ": " .. rerr, 74) end
      for _, f in ipairs(fields) do values[#values + 1] = doc.meta[f] end
    end
  end
  if #fields > 0 and #values > 0 then b:setmeta(fields, values) end
  local c
  c, err, code = b:finish(output)
  shards:close()
  return contract.check(c, err, code)
end
M._merge = contract.public(M._merge)

function Shards:_files(fname)
  local files = {}
  for _, c in ipairs(self._list) do
    for _, f in ipairs(stats._corpus_files(c, fname)) do files[#files + 1] = f end
  end
  return files
end

return M
