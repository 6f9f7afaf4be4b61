-- lexis keywords --ref REF... [FILE...]: the words of the target files that
-- are unusually common (or rare) against a reference corpus or word list.
local cli = require "lexis.cli"
local stats = require "lexis.stats"

local cmd = cli.command {
  name = "keywords",
  summary = "keywords: target files against a reference (G2, chi2, log ratio, %DIFF, BIC, Fisher, ...)",
  description = "Counts the words of the target files (standard input when none) and of the\n"
    .. "reference (--ref files, or --ref-list, a word<TAB>count list or partial counts),\n"
    .. "and scores every word: log-likelihood G2 (4-term, signed) and its p-value,\n"
    .. "chi-square with Yates' correction and its p-value, log ratio, %DIFF, simple\n"
    .. "maths, G2 with Williams's correction (g2_williams), BIC (|G2| - ln N, signed)\n"
    .. "and Fisher's exact test (fisher: one-sided p, the word commoner in the target).\n"
    .. "Positive keywords (key +) come first, then negative ones (key -), each\n"
    .. "strongest first. Formulas and sources: docs/stats.md.",
  epilog = "Examples:\n"
    .. "  lexis keywords --lower --top 50 novel.txt --ref bnc/\n"
    .. "  lexis keywords --lower --ref 'bnc/*.txt' novel.txt\n"
    .. "  lexis keywords --lower --ref-list reference.tsv --by log_ratio --p 0.001 speech.txt",
}
local p = cmd.parser
p:option("--ref", "The reference: one file, directory or glob (repeat --ref for more).")
  :count("*")
p:option("--ref-list", "A reference frequency list: word<TAB>count lines, or partial counts.")
p:option("--by", "Sort by this measure (fisher: by each keyword's own one-sided p).", "g2")
  :choices(stats.KEY_MEASURES)
p:option("--smooth", "Simple maths' smoothing parameter N (> 0).", "1", cli.number("--smooth", 1e-300))
p:option("--min", "Only words counted at least N times where they are key.", "1", cli.whole("--min"))
p:option("--p", "Only keywords with p(G2) at most this (0.05, 0.01, 0.001 ...).", nil, cli.number("--p", 1e-300, 1))
p:option("--top", "Only the N strongest of each direction.", nil, cli.whole("--top"))
p:flag("--positive", "Only positive keywords (commoner in the target).")
p:flag("--negative", "Only negative keywords (rarer in the target).")
cli.stop_option(p)
cli.add_where(p)
cli.add_where(p, "--ref-where", "With an index as reference (--ref INDEX, or the target index when no --ref): "
  .. "only its documents whose metadata match")
local FORMATS = cli.FORMATS
cli.input_options(p)
cli.output_options(p, FORMATS)
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p)
p:argument("files", "Target files (standard input when none or -), or one index (its documents' files).")
  :args("*")

function cmd.run(args)
  local refs = args.ref or {}
  local targets = cli.inputs(args.files)
  if #refs == 0 and #args.ref_where > 0 and not args.ref_list then
    if not (#targets == 1 and targets[1] ~= "-" and cli.is_index(targets[1])) then
      cli.usage_error("keywords", "--ref-where without --ref selects the reference from the target index: give one index")
    end
    refs = { targets[1] }             -- the same index, other documents
  end
  if (#refs > 0) == (args.ref_list ~= nil) then
    cli.usage_error("keywords", "give reference files with --ref or a list with --ref-list (one of them)")
  end
  if #args.files == 0 and require("lexis.core").isatty(io.stdin) then
    io.stderr:write("lexis: keywords: reading the target from the terminal (end it with Ctrl-D)\n")
  end
  local opts = cli.word_opts(args, {
    by = args.by, smooth = args.smooth, min = args.min, p = args.p, top = args.top,
    positive = (not args.negative) or args.positive == true,
    negative = (not args.positive) or args.negative == true,
    stop = args.stop,
  })
  if args.ref_list and #args.ref_where > 0 then
    cli.usage_error("keywords", "--ref-where selects documents of an index, not of a --ref-list")
  end
  local reference = args.ref_list and { list = args.ref_list }
    or cli.index_documents("keywords", cli.inputs(refs), args.ref_where, "--ref-where")
  targets = cli.index_documents("keywords", targets, args.where)
  local r = cli.call("keywords", stats.keywords, targets, reference, opts)
  if #r == 0 then                                                     -- no silent zero
    local limits = {}
    if args.p then limits[#limits + 1] = "--p " .. args.p end
    if args.min and args.min > 1 then limits[#limits + 1] = "--min " .. args.min end
    io.stderr:write(string.format("lexis: keywords: no keywords%s: %s\n",
      r.info.tokens == 0 and " (the target has no words)" or #limits > 0 and " within " .. table.concat(limits, " and ") or
        " (no word's frequency differs between target and reference)", r.info.title))
  end
  local out, fmt, finish = cli.open_output(args, "keywords", FORMATS, r.info and r.info.title or "lexis keywords")
  cli.call("keywords", r.write, r, out, fmt, { header = not args.no_header })
  finish()
  return 0
end

return cmd
