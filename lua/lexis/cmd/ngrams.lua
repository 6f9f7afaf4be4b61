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
p:option("-n", "Words per n-gram, 2 to 8.", "2", tonumber)
p:option("--min", "Only n-grams seen at least N times.", "1", tonumber)
p:option("--top", "Only the N commonest.", nil, tonumber)
p:option("--contains", "Only n-grams that hold this word, glob (* ?) or /regex/, case-folded.")
p:flag("--case", "Match --contains with its case.")
p:option("--at", "With --contains: the word's place in the n-gram, 1 to n.", nil, tonumber)
p:flag("--across-sentences", "Let n-grams span sentence ends (only file ends break them).")
p:option("--lang", "Language of the sentence splitter's abbreviations.", "en")
p:option("--threads", "Threads per large file (default 1; 0: one per CPU). The counts are\nthe same; on a busy machine more threads are slower.", "1", tonumber)
local FORMATS = { "text", "tsv", "csv", "json" }
cli.output_options(p, FORMATS)
p:flag("--partial", "Write all counts in the mergeable form of 'lexis merge' (no --min, --top).")
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p, "Kinds of token that make up n-grams, comma-separated.")
p:argument("files", "Files to read (standard input when none or -)."):args("*")

function cmd.run(args)
  if not args.n or args.n < 2 or args.n > 8 or args.n % 1 ~= 0 then
    cli.usage_error("ngrams", "-n wants a whole number from 2 to 8")
  end
  if not args.min or args.min < 0 then cli.usage_error("ngrams", "--min wants a number >= 0") end
  if not args.threads or args.threads < 0 then cli.usage_error("ngrams", "--threads wants a number >= 0") end
  if args.top and args.top < 0 then cli.usage_error("ngrams", "--top wants a number >= 0") end
  if args.at and not args.contains then cli.usage_error("ngrams", "--at needs --contains") end
  if args.at and (args.at < 1 or args.at > args.n) then
    cli.usage_error("ngrams", "--at wants a place from 1 to n")
  end
  local o = stats._core_opts(cli.word_opts(args, {
    sentences = not args.across_sentences, lang = args.lang,
  }), true)
  o.contains, o.at, o.case = args.contains, args.at and math.floor(args.at), args.case
  local ok, g = pcall(core.ngrams, math.floor(args.n), o)
  if not ok then cli.usage_error("ngrams", tostring(g):gsub("^.-:%d+: ", "")) end
  local files = cli.inputs(args.files)
  local meter <close> = require("lexis.progress").files(files, "ngrams")   -- after 1 s, on a terminal
  for _, path in ipairs(files) do
    local done, err = g:addfile(path, math.floor(args.threads), meter:part())
    if not done then cli.fail("ngrams: " .. err, 2) end
    meter:file(path)
  end
  meter:finish()
  if g:invalid() > 0 then
    io.stderr:write(string.format("lexis: ngrams: %d invalid UTF-8 bytes in the input\n", g:invalid()))
  end
  if args.contains and not args.partial and #g:top(1) == 0 then    -- no silent zero
    io.stderr:write(string.format("lexis: ngrams: no %d-gram holds '%s'%s\n", math.floor(args.n), args.contains,
      args.case and " (matched with its case; without --case it is case-folded)" or " (case-folded)"))
  end
  local out, fmt, finish = cli.open_output(args, "ngrams", FORMATS)
  local done, err = g:write(out, {
    format = args.partial and "partial" or fmt,
    min = math.floor(args.min),
    limit = args.top and math.floor(args.top) or 0,
    header = not args.no_header,
  })
  if not done then cli.fail("ngrams: " .. tostring(err), 1) end
  finish()
  g:close()
  return 0
end

return cmd
