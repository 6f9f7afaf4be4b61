-- lexis freq [FILE...]: the word list of the text: rank, word, count and
-- frequency per million tokens, commonest first.
local cli = require "lexis.cli"
local core = require "lexis.core"
local tokens = require "lexis.cmd.tokens"
local tokenize = require "lexis.tokenize"

local cmd = cli.command {
  name = "freq",
  summary = "the word list: rank, word, count, per million",
  description = "Counts the words (and numbers) of the text, split at Unicode word boundaries\n"
    .. "(UAX #29), and prints them commonest first; ties in word order (by bytes).\n"
    .. "Per million is relative to all the tokens counted, stop words included.",
  epilog = "Examples:\n"
    .. "  lexis freq --lower --top 20 corpus/*.txt\n"
    .. "  lexis freq --fold --stop en --min 5 --format csv book.txt > words.csv",
}
local p = cmd.parser
p:flag("--lower", "Lower-case words before counting (The = the).")
p:flag("--fold", "Fold case before counting (full Unicode case folding).")
p:option("--normalize", "Unicode normal form of the words counted."):choices { "nfc", "nfkc" }
p:option("--min", "Only words counted at least N times.", "1", cli.whole("--min"))
p:option("--top", "Only the N commonest words.", nil, cli.whole("--top"))
cli.stop_option(p)
local FORMATS = cli.FORMATS
cli.input_options(p)
cli.output_options(p, FORMATS)
p:flag("--no-header", "No line of column names (text, tsv, csv).")
p:flag("--partial", "Write all counts in the mergeable form 'lexis merge' sums (docs/stats.md).")
p:option("--doc", "With --partial: the file is a piece of document NAME, cut at a line end\n"
  .. "(split -n l/K); merge counts its pieces as one document.")
p:option("-k --kinds", "Kinds of token to count, comma-separated: word, number, punct,\n"
  .. "symbol, space, invalid, or all.", "word,number")
p:flag("--hyphens", "Count hyphenated words (well-known) as one word.")
p:flag("--split-apostrophes", "Split words at apostrophes (don ' t); by default don't is one word.")
p:flag("--no-dictionary", "Cut Chinese, Japanese, Thai, Lao, Khmer and Myanmar by the Unicode rules\nalone (a token per ideograph), not into words by ICU's dictionaries.")
p:option("--pattern", "A PCRE2 pattern whose matches are the words, instead of the\nUnicode rules.")
cli.stem_option(p)
p:option("--chunk", "Bytes read at a time (tests use tiny chunks).", nil, cli.whole("--chunk", 1)):hidden(true)
p:option("--threads", "Threads per file (default: one per CPU).", nil, cli.whole("--threads", 0, 64))
p:argument("files", "Files to read (standard input when none or -)."):args("*")

function cmd.run(args)
  local tok = tokens.new_tokenizer("freq", args, args.kinds)
  local counts = core.counts()
  local files = cli.inputs(args.files)
  cli.check_doc("freq", args, files)
  local bytes = 0
  local meter <close> = require("lexis.progress").files(files, "freq")   -- after 1 s, on a terminal
  for _, path in ipairs(files) do
    local st = cli.call("freq", tok.scanfile, tok, path, {
      counts = counts, chunk = args.chunk, threads = args.threads, progress = meter:part() })
    meter:add(st.bytes)
    bytes = bytes + st.bytes
    if st.invalid > 0 then meter:clear() end   -- for the warning
    tokens.warn_invalid("freq", path, st)
  end
  meter:finish()
  if args.stop then
    local stop = cli.call("freq", tokenize.stoplist, args.stop, tokens.tokenizer_opts(args))
    tokenize._drop_stop(counts, stop, args.lower or args.fold or args.stem)
  end
  if args.partial then   -- every count, for lexis merge (lua/lexis/cmd/merge.lua)
    local out, _, finish = cli.open_output(args, "freq")
    local piece = args.doc and cli.piece_edges(files[1], args.doc)
    cli.call("freq", core.write_partial, counts, out, "freq", #files, nil, piece)
    finish()
    return 0
  end
  local top = counts:top(1)[1]
  local shown = top and top.count >= (args.min or 1) and 1 or 0
  local why = require("lexis.hints").empty { rows = shown, tokens = counts:total(), bytes = bytes,
    kinds = args.kinds, min = args.min, top_count = top and top.count, stopped = args.stop ~= nil }
  if why then io.stderr:write("lexis: freq: ", why, "\n") end         -- no silent zero
  local title = require("lexis.report")._counts_title(counts)
  local out, fmt, finish = cli.open_output(args, "freq", FORMATS, title)
  cli.call("freq", counts.write, counts, out, {
    format = fmt, limit = args.top or 0, min = args.min, header = not args.no_header,
    title = fmt == "html" and title or nil,
  })
  finish()
  counts:close()
  return 0
end

return cmd
