-- lexis collocates WORD [FILE...]: the words that keep company with WORD,
-- with every association measure, best first.
local cli = require "lexis.cli"
local stats = require "lexis.stats"

local cmd = cli.command {
  name = "collocates",
  summary = "collocates of a word: co-occurrence counts, MI, t, G2, logDice, ...",
  description = "Counts the words within --left words before and --right words after each\n"
    .. "occurrence of WORD (and with --sentences, in the same sentence) and scores\n"
    .. "them: observed and expected frequency, MI, MI3, t-score, z-score, log-likelihood\n"
    .. "(G2, signed: negative when rarer than chance) and its p-value, Dice, logDice,\n"
    .. "log ratio and chi-square (Yates). Formulas and sources: docs/stats.md.",
  epilog = "Examples:\n"
    .. "  lexis collocates --lower --by mi3 --min 3 time corpus/*.txt\n"
    .. "  lexis collocates --left 0 --right 3 --sentences --format tsv of book.txt\n"
    .. "  lexis collocates --lower 'educat*' corpus/*.txt\n"
    .. "  lexis collocates --top 20 is corpus.lexis        (from an index: lexis index)",
}
local p = cmd.parser
p:argument("word", "The node word (after --lower/--fold, as the text's words are), a\npattern: * any run, ? one byte, [abc] one of them, or a phrase of\nup to 8 words (quote them).")
p:argument("files", "Files to read (standard input when none or -), or one index made by 'lexis index' (then counted from the index: docs/stats.md)."):args("*")
p:option("--left", "Words before the node.", "5", cli.whole("--left", 0, 100))
p:option("--right", "Words after the node.", "5", cli.whole("--right", 0, 100))
p:option("--by", "Sort by this measure.", "logdice"):choices(stats.MEASURES)
p:option("--min", "Only collocates seen at least N times with the node.", "1", cli.whole("--min"))
p:option("--min-freq", "Only collocates with a corpus frequency of at least N.", "1", cli.whole("--min-freq"))
p:option("--top", "Only the N best.", nil, cli.whole("--top"))
p:flag("--sentences", "Windows stop at sentence ends.")
p:option("--lang", "Language of the sentence splitter's abbreviations.", "en")
p:option("--format", "Output format.", "text"):choices { "text", "tsv", "csv", "json" }
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p, "Kinds of token that count as words, comma-separated.")

function cmd.run(args)
  local opts = cli.word_opts(args, {
    left = args.left, right = args.right, min = args.min, min_freq = args.min_freq,
    top = args.top, by = args.by, sentences = args.sentences, lang = args.lang,
  })
  local src
  if #args.files == 1 and cli.is_index(args.files[1]) then
    -- counted from the index (stats.lua says when it reads the files)
    src = cli.call("collocates", require("lexis.corpus").open, args.files[1])
  else
    src = cli.inputs(args.files)
  end
  local r = cli.call("collocates", stats.collocates, src, args.word, opts)
  cli.call("collocates", r.write, r, io.stdout, args.format, { header = not args.no_header })
  return 0
end

return cmd
