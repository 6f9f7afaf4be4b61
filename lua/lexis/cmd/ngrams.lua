-- lexis ngrams [FILE...]: the commonest sequences of n words (clusters),
-- counted in C within sentences.
local cli = require "lexis.cli"
local core = require "lexis.core"
local stats = require "lexis.stats"

local cmd = cli.command {
  name = "ngrams",
  summary = "n-grams (clusters) of 2 to 8 words: rank, ngram, count, range, per million",
  description = "Counts every sequence of n words (and numbers) of the text, within sentences\n"
    .. "unless --across-sentences, and prints them commonest first; ties in byte order.\n"
    .. "range is the number of files an n-gram occurs in; per million is relative to\n"
    .. "the words read. With --contains, only n-grams holding that word (AntConc's\n"
    .. "clusters). --partial writes every count in the form 'lexis merge' sums.",
  epilog = "Examples:\n"
    .. "  lexis ngrams -n 3 --lower --top 20 corpus/*.txt\n"
    .. "  lexis ngrams -n 4 --contains time --min 3 --format tsv novel.txt\n"
    .. "  lexis ngrams -n 2 --partial part1.txt > part1.counts   # then lexis merge",
}
local p = cmd.parser
p:option("-n", "Words per n-gram, 2 to 8.", "2", cli.whole("-n", 2, 8))
p:option("--min", "Only n-grams seen at least N times.", "1", cli.whole("--min"))
p:option("--top", "Only the N commonest.", nil, cli.whole("--top"))
p:option("--contains", "Only n-grams that hold this word, glob (* ?) or /regex/, case-folded.")
p:flag("--case", "Match --contains with its case.")
p:option("--at", "With --contains: the word's place in the n-gram, 1 to n.", nil, cli.whole("--at", 1, 8))
p:flag("--across-sentences", "Let n-grams span sentence ends (only file ends break them).")
p:option("--lang", "Language of the sentence splitter's abbreviations.", "en")
p:option("--threads", "Threads per large file (default 1; 0: one per CPU). The counts are\nthe same; on a busy machine more threads are slower.", "1", cli.whole("--threads", 0, 64))
local FORMATS = cli.FORMATS
cli.input_options(p)
cli.output_options(p, FORMATS)
p:flag("--partial", "Write all counts in the mergeable form of 'lexis merge' (no --min, --top).")
p:option("--doc", "With --partial: the file is a piece of document NAME, cut at a line end\n"
  .. "(split -n l/K); merge joins it to the pieces of NAME before and after it.")
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p, "Kinds of token that make up n-grams, comma-separated.")
p:argument("files", "Files to read (standard input when none or -)."):args("*")

function cmd.run(args)
  if args.at and not args.contains then cli.usage_error("ngrams", "--at needs --contains") end
  if args.at and (args.at < 1 or args.at > args.n) then
    cli.usage_error("ngrams", "--at wants a place from 1 to n (" .. args.n .. ")")
  end
  local files = cli.inputs(args.files)
  cli.check_doc("ngrams", args, files)
  local o = stats._core_opts(cli.word_opts(args, {
    sentences = not args.across_sentences, lang = args.lang,
  }), true)
  o.edges = args.doc ~= nil   -- how the piece begins and ends, for merge
  o.contains, o.at, o.case = args.contains, args.at, args.case
  local g = cli.call("ngrams", core.ngrams, args.n, o)
  local meter <close> = require("lexis.progress").files(files, "ngrams")   -- after 1 s, on a terminal
  for _, path in ipairs(files) do
    cli.call("ngrams", g.addfile, g, path, args.threads, meter:part())
    meter:file(path)
  end
  meter:finish()
  if g:invalid() > 0 then
    io.stderr:write(string.format("lexis: ngrams: %d invalid UTF-8 bytes in the input\n", g:invalid()))
  end
  local none = not args.partial and #cli.call("ngrams", g.top, g, 1) == 0
  if args.contains and none then    -- no silent zero
    io.stderr:write(string.format("lexis: ngrams: no %d-gram holds '%s'%s\n", args.n, args.contains,
      args.case and " (matched with its case; without --case it is case-folded)" or " (case-folded)"))
  end
  if not args.contains and none then
    local unit = args.n .. "-gram"
    local why = require("lexis.hints").empty { rows = 0, tokens = g:tokens(), kinds = args.kinds,
      unit = "word",
      fewer = g:total() == 0 and string.format("no %s: the input has %d word%s%s", unit, g:tokens(),
          g:tokens() == 1 and "" or "s", args.across_sentences and "" or
          " and n-grams stay inside sentences (--across-sentences joins them)")
        or args.min and string.format("no %s occurs --min %d times", unit, args.min) }
    if why then io.stderr:write("lexis: ngrams: ", why, "\n") end      -- no silent zero
  end
  local out, fmt, finish = cli.open_output(args, "ngrams", FORMATS, not args.partial)
  cli.call("ngrams", g.write, g, out, {
    format = args.partial and "partial" or fmt, min = args.min, limit = args.top or 0,
    header = not args.no_header, doc = args.doc, piece = args.doc and files[1],
  })
  finish()
  g:close()
  return 0
end

return cmd
