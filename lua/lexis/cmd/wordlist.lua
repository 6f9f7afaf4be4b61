-- lexis wordlist [FILE...]: the word list with range and dispersion
-- (Juilland's D, Gries' DP, and on request more) over the files or over
-- equal parts.
local cli = require "lexis.cli"
local core = require "lexis.core"
local stats = require "lexis.stats"

local cmd = cli.command {
  name = "wordlist",
  summary = "word list with range and dispersion (Juilland's D, Gries' DP), lemmas",
  description = "Counts the words of the text and prints, commonest first: frequency, per\n"
    .. "million, range (the parts a word occurs in), Juilland's D (1: even), Gries' DP\n"
    .. "(0: even) and DPnorm. The parts are the files, or with --parts K the words cut\n"
    .. "into K runs of equal size. --lemmas maps words to lemmas (word<TAB>lemma lines)\n"
    .. "and counts lemmas. --measures adds columns (comma-separated, or all):\n"
    .. "  u     Juilland's usage coefficient: D x frequency\n"
    .. "  d2    Carroll's D2: entropy of the word's rates / log2(parts) (1: even)\n"
    .. "  s     Rosengren's S: af / frequency (1: even)\n"
    .. "  af    Rosengren's adjusted frequency\n"
    .. "  kld   Kullback-Leibler divergence of the word's spread from the parts'\n"
    .. "        sizes, in bits (0: even)\n"
    .. "  dkl   1 - e^-kld (Gries 2021; 0: even)\n"
    .. "  da    D_A of Burch, Egbert & Biber: mean difference of rates (1: even)\n"
    .. "  arf   average reduced frequency (Sketch Engine)\n"
    .. "  aldf  average logarithmic distance frequency (Sketch Engine)\n"
    .. "arf and aldf come from where the word stands, not from the parts: near\n"
    .. "its frequency when spread evenly, near 1 when bunched (they keep 4 bytes\n"
    .. "a word in memory). Formulas and sources: docs/stats.md.",
  epilog = "Examples:\n"
    .. "  lexis wordlist --lower --stop en --top 50 corpus/*.txt\n"
    .. "  lexis wordlist --lower --parts 10 --lemmas lemmas.tsv --format tsv novel.txt\n"
    .. "  lexis wordlist --lower --measures arf,aldf,da --top 20 corpus/*.txt",
}
local p = cmd.parser
p:option("--parts", "Cut the words into N equal parts (default: each file is a part).", nil, cli.whole("--parts", 1))
p:option("--lemmas", "A file of word<TAB>lemma lines: count lemmas.")
cli.stop_option(p)
p:option("--min", "Only words counted at least N times.", "1", cli.whole("--min"))
p:option("--top", "Only the N commonest.", nil, cli.whole("--top"))
p:option("--measures", "More dispersion columns: " .. table.concat(stats.DISPERSION_MEASURES, ",")
  .. " or all (see above).")
local FORMATS = cli.FORMATS
cli.add_where(p)
cli.input_options(p)
cli.output_options(p, FORMATS)
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p)
p:argument("files", "Files to read (standard input when none or -), or one index (its documents' files).")
  :args("*")

function cmd.run(args)
  for name in (args.measures or ""):gmatch("[^,%s]+") do
    local known = name == "all"
    for _, m in ipairs(stats.DISPERSION_MEASURES) do known = known or m == name end
    if not known then
      cli.usage_error("wordlist", string.format("--measures: unknown measure '%s' (%s, all)", name,
                                                table.concat(stats.DISPERSION_MEASURES, ",")))
    end
  end
  local inputs = cli.index_documents("wordlist", cli.inputs(args.files), args.where)
  if args.parts then
    for _, f in ipairs(inputs) do
      if f == "-" then cli.usage_error("wordlist", "--parts reads the files twice: not standard input") end
      if core.sniff(f) == "other" then
        cli.usage_error("wordlist", "--parts reads the files twice: not a pipe or FIFO (" .. f .. ")")
      end
    end
  end
  local r = cli.call("wordlist", stats.wordlist, inputs, cli.word_opts(args, {
    parts = args.parts, lemmas = args.lemmas, stop = args.stop, min = args.min, top = args.top,
    measures = args.measures,
  }))
  local why = require("lexis.hints").empty { rows = #r, tokens = r.info.tokens, kinds = args.kinds,
    min = args.min, stopped = args.stop ~= nil,
    fewer = args.min and string.format("no word occurs --min %d times", args.min) }
  if why then io.stderr:write("lexis: wordlist: ", why, "\n") end     -- no silent zero
  local out, fmt, finish = cli.open_output(args, "wordlist", FORMATS, r.info and r.info.title or "lexis wordlist")
  cli.call("wordlist", r.write, r, out, fmt, { header = not args.no_header })
  finish()
  return 0
end

return cmd
