-- lexis tokens [FILE...]: the tokens of the text (Unicode word boundaries),
-- one per line; or with --count only how many there are.
local cli = require "lexis.cli"
local core = require "lexis.core"

local cmd = cli.command {
  name = "tokens",
  summary = "the tokens of the text, one per line (UAX #29 word boundaries)",
  description = "Splits the text into tokens at Unicode word boundaries (UAX #29) and prints\n"
    .. "one token per line. In white space, punctuation and invalid bytes, \\ \\n \\t \\r\n"
    .. "and control bytes are escaped (\\x1B); an invalid UTF-8 byte is a token of its own.",
  epilog = "Examples:\n"
    .. "  lexis tokens --offsets corpus/red-book-1936-excerpt.txt | head\n"
    .. "  lexis tokens --kinds word --lower notes.txt | sort | uniq -c\n"
    .. "  lexis tokens --count big.txt",
}
local p = cmd.parser
p:option("-k --kinds", "Kinds of token to print, comma-separated: word, number, punct,\n"
  .. "symbol, space, invalid; all is every kind but space (all,space: every kind).", "all")
p:flag("--offsets", "After each token, tab-separated: its first and last byte in the file\n"
  .. "(1-based, inclusive) and its kind.")
p:flag("-c --count", "Print only the number of tokens (of the kinds asked for).")
cli.input_options(p)
cli.output_options(p)
p:flag("--lower", "Lower-case the tokens.")
p:flag("--fold", "Fold case (full Unicode case folding: Straße -> strasse).")
p:option("--normalize", "Unicode normal form of the printed tokens."):choices { "nfc", "nfkc" }
p:flag("--hyphens", "Join hyphenated words (well-known) into one token.")
p:flag("--split-apostrophes", "Split words at apostrophes (don ' t); by default don't is one word.")
p:flag("--no-dictionary", "Cut Chinese, Japanese, Thai, Lao, Khmer and Myanmar by the Unicode rules\nalone (a token per ideograph), not into words by ICU's dictionaries.")
p:option("--pattern", "A PCRE2 pattern whose matches are the tokens, instead of the\nUnicode rules.")
cli.stem_option(p)
p:option("--chunk", "Bytes read at a time (tests use tiny chunks).", nil, cli.whole("--chunk", 1)):hidden(true)
p:option("--threads", "Threads per file for --count (default: one per CPU).", nil, cli.whole("--threads", 0, 64))
p:argument("files", "Files to read (standard input when none or -)."):args("*")

-- The shared tokenizer options of tokens and freq, from parsed arguments.
function cmd.tokenizer_opts(args, kinds)
  return {
    kinds = kinds,
    lower = args.lower,
    fold = args.fold,
    normalize = args.normalize,
    hyphens = args.hyphens,
    apostrophes = not args.split_apostrophes,
    dictionary = not args.no_dictionary,
    pattern = args.pattern,
    stem = args.stem,
  }
end

-- Says on stderr how many invalid UTF-8 bytes a file held, and where the first was.
function cmd.warn_invalid(name, path, st)
  if st.invalid > 0 then
    io.stderr:write(string.format("lexis: %s: %s: %d invalid UTF-8 byte%s, the first at byte %d\n",
      name, path == "-" and "stdin" or path, st.invalid, st.invalid == 1 and "" or "s",
      st.first_invalid))
  end
end

function cmd.new_tokenizer(name, args, kinds)
  return cli.call(name, core.tokenizer, cmd.tokenizer_opts(args, kinds))
end

function cmd.run(args)
  local tok = cmd.new_tokenizer("tokens", args, args.kinds)
  local total = 0
  local files = cli.inputs(args.files)
  local mopts = {}
  local out, _, finish = cli.open_output(args, "tokens")
  if not args.count and not args.output and core.isatty(io.stdout) then mopts.tty = false end   -- tokens fill the terminal
  local meter <close> = require("lexis.progress").files(files, "tokens", mopts)
  for _, path in ipairs(files) do
    local st = cli.call("tokens", tok.scanfile, tok, path, {
      out = not args.count and out or nil,
      offsets = args.offsets,
      chunk = args.chunk,
      threads = args.threads,
      progress = meter:part(),
    })
    meter:add(st.bytes)
    if st.invalid > 0 then meter:clear() end   -- for the warning
    total = total + st.tokens
    cmd.warn_invalid("tokens", path, st)
  end
  meter:finish()
  if args.count then out:write(total, "\n") end
  finish()
  return 0
end

return cmd
