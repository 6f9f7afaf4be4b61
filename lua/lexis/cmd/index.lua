-- lexis index FILE... -o PATH: builds the index of a corpus for fast
-- concordances (`lexis kwic QUERY PATH`); --verify checks one.
local cli = require "lexis.cli"
local core = require "lexis.core"

local cmd = cli.command {
  name = "index",
  summary = "build a corpus index (lexicon, token ids, postings) for lexis kwic",
  description = "Tokenizes the FILEs (directories recursively) once and writes an index\n"
    .. "that 'lexis kwic QUERY PATH' and lexis.open(PATH) map in milliseconds. The\n"
    .. "index refers to the files for display: keep them, and rebuild when they change.",
  epilog = "Examples:\n"
    .. "  lexis index corpus/ -o corpus.lexis\n"
    .. "  lexis index --update corpus/ -o corpus.lexis    (after some files changed)\n"
    .. "  lexis index --split-apostrophes corpus/ -o corpus.lexis\n"
    .. "  lexis index --store-text corpus/ -o corpus.lexis   (keeps the text: the files may go)\n"
    .. "  lexis kwic opposition corpus.lexis --sort R1\n"
    .. "  lexis index --verify corpus.lexis\n"
    .. "  lexis index --merge a.lexis b.lexis -o all.lexis   (shards built apart, made one index)\n"
    .. "  lexis index speeches/ --meta speeches.tsv -o speeches.lexis   (then text_year=\"1936\" in CQL)\n"
    .. "  lexis index -P lemma -P pos -S text:0+id+year -S s kjv.vrt -o kjv.lexis\n"
    .. "  lexis index treebank.conllu -o ud.lexis",
}
cmd.parser:argument("files", "Files and directories to index (or the index with --verify)."):args("+")
cmd.parser:option("-o --output", "The index file to write.")
cmd.parser:flag("--verify", "Check an index against its checksums and its files.")
cmd.parser:flag("--merge", "The FILEs are indexes (shards built apart): write one index of them all, in their order, "
  .. "which answers every query as one built from all their files. Plain shards are copied (their files are not "
  .. "read, nor needed if they keep their text); annotated ones are indexed again from their .vrt/.conllu files.")
cmd.parser:flag("-u --update", "Refresh the index at -o: files unchanged since it was made are copied from it, not read again.")
cmd.parser:flag("-q --quiet", "No progress and no summary.")
cmd.parser:option("--meta", "Document metadata: a TSV file (CSV if named .csv) whose header names the "
  .. "fields and whose first column is each file's path, relative to the table's directory. Values are strings; "
  .. "CQL shows a field as text_FIELD, and --where selects documents by it.")
cmd.parser:flag("--store-text", "Keep the documents' text in the index (zstd, in blocks): hits are shown from it, so the "
  .. "index works without its files (moved, copied to another machine), and compressed files, HTML and XML can "
  .. "be indexed (their text is what is kept). About 0.4 times the text more. --update keeps the index's setting.")
cmd.parser:flag("--no-sentences", "Do not split sentences (hits then have no sentence numbers).")
 cmd.parser:option("--format", "The files' format: text, vrt (the Corpus Workbench's vertical text) or conllu; "
  .. "by default .vrt and .conllu files are annotated, others text.")
cmd.parser:option("-P --pattr", "A positional attribute after word, as cwb-encode -P (vrt; repeat it: -P lemma -P pos). "
  .. "Without it: from the file's header comment, else word col2 col3 ..."):count("*")
cmd.parser:option("-S --sattr", "A structural attribute, as cwb-encode -S (vrt; text:0+id+year, s, p:2). "
  .. "Without it: every tag of the file, with its attributes."):count("*")
cmd.parser:flag("--pad", "Give a token line with too few columns empty values and drop extra ones, warned (vrt, conllu).")
cmd.parser:option("--lang", "The language of the sentence splitter's abbreviations.", "en")
cmd.parser:flag("--split-apostrophes", "Split words at apostrophes (Stalin’s is Stalin ’ s, so 'kwic Stalin' finds it). "
  .. "The index keeps this: its queries are split the same way, and --update keeps the index's setting.")
cmd.parser:flag("--no-dictionary", "Cut Chinese, Japanese, Thai, Lao, Khmer and Myanmar by the Unicode rules alone "
  .. "(a token per ideograph), not into words by ICU's dictionaries. Kept by the index, as --split-apostrophes is.")

cli.input_options(cmd.parser)        -- only to refuse it in words (below)

local function mb(n) return n / 1e6 end

-- "attributes: word lemma pos; regions: s text text_id"
local function attributes(c)
  local a = c:attributes()
  local s = "attributes: " .. table.concat(a.positional, " ")
  if #a.structural > 0 then s = s .. "; regions: " .. table.concat(a.structural, " ") end
  return s
end

-- --merge: the shards at FILEs made one index (lexis.corpus._merge).
local function merge(args)
  for _, opt in ipairs { "update", "meta", "store_text", "no_sentences", "format", "pad", "split_apostrophes",
                         "no_dictionary", "encoding" } do
    if args[opt] then cli.usage_error("index", "--" .. opt:gsub("_", "-") .. " does not go with --merge (the shards keep their own)") end
  end
  if #args.pattr > 0 or #args.sattr > 0 then cli.usage_error("index", "-P and -S do not go with --merge (the shards keep their own)") end
  for _, f in ipairs(args.files) do
    if not cli.is_index(f) then cli.usage_error("index", "--merge: " .. f .. " is not an index made by lexis index") end
  end
  local claim <close> = cli.call("index", core.atomic_open, args.output)   -- a missing directory fails now
  claim:abort()
  local t0 = core.clock()
  local c = cli.call("index", require("lexis.corpus")._merge, args.files, args.output,
                     { progress = args.quiet and false or nil })
  if not args.quiet then
    io.stderr:write(string.format("%s: %d shards merged: %d files, %d tokens, %d types, %d sentences in %.2f s\n",
      args.output, #args.files, #c:docs(false), #c, select(2, c:types()), c:sentences(), core.clock() - t0))
    if c:annotated() then io.stderr:write(args.output, ": ", attributes(c), "\n") end
  end
  c:close()
  return 0
end

function cmd.run(args)
  if args.verify and args.meta then cli.usage_error("index", "--meta goes with building an index, not --verify") end
  if args.verify then
    local status = 0
    for _, path in ipairs(args.files) do
      local c, err = core.open(path)
      local ok = c and c:verify()
      if c and not ok then _, err = c:verify() end
      if not ok then
        io.stderr:write("lexis: index: ", err, "\n")
        status = 1
      else
        -- the documents: each missing (gone, or unreadable) or changed is
        -- named; the index is "ok" only when none is
        local missing, changed = 0, 0
        require("lexis.corpus")          -- c:stale and the other Lua methods
        for _, p in ipairs(c:stale()) do
          if core.sniff(p) == nil then
            missing = missing + 1
            io.stderr:write("lexis: index: ", path, ": ", p, ": missing (", select(2, core.sniff(p)) or "gone", ")\n")
          else
            changed = changed + 1
            io.stderr:write("lexis: index: ", path, ": ", p, ": changed since indexing\n")
          end
        end
        if missing + changed > 0 then
          status = 1
          io.write(path, string.format(": stale, %d of %d documents changed, %d missing: run lexis index --update\n",
                                       changed, #c:docs(false), missing))
        elseif not args.quiet then
          io.write(path, ": ok, ", tostring(c), "\n")
          if c:stored() then        -- (so c:stale() above named none)
            io.write(path, ": its text is kept in the index and checked with it: its source files are not needed, nor checked\n")
          end
          io.write(path, ": ", attributes(c), "\n")
        end
      end
    end
    return status
  end
  if not args.output then cli.usage_error("index", "missing -o PATH (where to write the index)") end
  if args.merge then return merge(args) end
  if args.encoding and not args.store_text then
    cli.fail("index: --encoding: an index shows its hits by reading its files again at the byte offsets "
      .. "it recorded, which converted text does not have: convert the files first (iconv -f "
      .. args.encoding .. " -t UTF-8 FILE > FILE.utf8) and index those, or keep the converted text in the "
      .. "index with --store-text", 2)
  end
  -- missing and refused files fail here (exit 2); a pipe cannot be indexed
  local files = cli.inputs(args.files)
  for _, f in ipairs(files) do
    if f == "-" or core.sniff(f) == "other" then
      cli.fail("index: " .. (f == "-" and "standard input" or f) .. ": not a regular file (a pipe or "
        .. "FIFO); an index shows its hits by reading the file again later: save the text to a "
        .. "file and index that", 2)
    end
    local corpus = require("lexis.corpus")
    local annotated = corpus._annotated({ f }, { format = args.format })
    -- with the text kept, what is indexed is the text (decompressed,
    -- converted, out of its markup), and the hits are shown from it
    local why = not (args.store_text and not annotated) and corpus.unindexable(f, annotated)
    if why then cli.fail("index: " .. why, 2) end
  end
  -- Claim the output before the build: a missing directory fails now, not
  -- after minutes of work, and Ctrl-C during the build leaves nothing.
  local claim <close> = cli.call("index", core.atomic_open, args.output)
  local t0 = core.clock()
  claim:abort()                     -- the build writes through a temporary file of its own
  local old, exists = nil, io.open(args.output, "rb")
  if exists then exists:close() end
  if args.update and exists then
    local err
    old, err = core.open(args.output)
    if old then _, err = old:verify() end
    if not old or err then
      cli.fail("index: " .. err .. " (--update reads the index at -o: rebuild it without --update)", 1)
    end
  end
  -- how words are cut: as asked, or on --update as the index cut them (a
  -- change of mind means every file is read again: say so)
  local split, nodict = args.split_apostrophes, args.no_dictionary
  if old then
    local was = old:_tokopts().apostrophes == false
    if split and not was and not args.quiet then
      io.stderr:write("lexis: index: ", args.output, " was built without --split-apostrophes: every file is read again\n")
    end
    split = split or was
    local wasnd = old:_tokopts().dictionary == false
    if nodict and not wasnd and not args.quiet then
      io.stderr:write("lexis: index: ", args.output, " was built without --no-dictionary: every file is read again\n")
    end
    nodict = nodict or wasnd
  end
  local store = args.store_text or (old and old:stored()) or nil
  if args.store_text and require("lexis.corpus")._annotated(files, { format = args.format }) then
    io.stderr:write("lexis: index: --store-text: an annotated index (.vrt, .conllu) shows its words, "
      .. "not its files, so it keeps no text\n")
  end
  local opts = { store_text = store, sentences = not args.no_sentences, lang = args.lang, output = args.output, reuse = old,
                 apostrophes = not split, dictionary = not nodict, format = args.format, p = args.pattr, s = args.sattr,
                 columns = args.pad and "pad" or nil, meta = args.meta }
  local olddocs = old and old:docs(false)
  if olddocs and not args.meta and #olddocs > 0 and olddocs[1].meta and not args.quiet then
    io.stderr:write("lexis: index: ", args.output, ": its document metadata are dropped (give --meta again to keep them)\n")
  end
  if #opts.p == 0 then opts.p = nil end
  if #opts.s == 0 then opts.s = nil end
  if args.quiet then opts.progress = false end   -- else the lexis.progress line, on a terminal
  local c, counts = cli.call("index", require("lexis.corpus").corpus, files, opts)
  if old then old:close() end
  if not args.quiet then
    local secs = core.clock() - t0
    local bytes, docs = 0, c:docs(false)   -- (sizes only: no file is read again)
    for _, d in ipairs(docs) do bytes = bytes + d.size end
    local f = io.open(args.output, "rb")
    local size = f:seek("end")
    f:close()
    io.stderr:write(string.format("%s: %d files, %d tokens, %d types, %d sentences, %.1f MB of text in %.2f s (%.0f MB/s), index %.1f MB\n",
      args.output, #docs, #c, select(2, c:types()), c:sentences(), mb(bytes), secs,
      mb(bytes) / math.max(secs, 1e-9), mb(size)))
    if c:annotated() then io.stderr:write(args.output, ": ", attributes(c), "\n") end
    if args.meta then                 -- the fields, as CQL names them
      local names = {}
      for _, s in ipairs(c:attributes().structural) do
        if s:match("^text_") and s ~= "text_id" then names[#names + 1] = s end
      end
      io.stderr:write(args.output, ": metadata of ", #docs, " documents: ", table.concat(names, " "), "\n")
    end
    if old then
      io.stderr:write(string.format("%s: %d files unchanged (copied from the index), %d read\n",
        args.output, counts.reused, counts.read))
    end
  end
  c:close()
  return 0
end

return cmd
