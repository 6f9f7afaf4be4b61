-- lexis keywords --ref REF... [FILE...]: the words of the target files that
-- are unusually common (or rare) against a reference corpus or word list.
local cli = require "lexis.cli"
local stats = require "lexis.stats"

local cmd = cli.command {
  name = "keywords",
  summary = "keywords: target files against a reference (G2, chi2, log ratio, %DIFF, simple maths)",
  description = "Counts the words of the target files (standard input when none) and of the\n"
    .. "reference (--ref files, or --ref-list, a word<TAB>count list or partial counts),\n"
    .. "and scores every word: log-likelihood G2 (4-term, signed) and its p-value,\n"
    .. "chi-square with Yates' correction and its p-value, log ratio, %DIFF and simple\n"
    .. "maths. Positive keywords (key +) come first, then negative ones (key -), each\n"
    .. "strongest first. Formulas and sources: docs/stats.md.",
  epilog = "--ref takes every file after it: put the target files first, or after --.\n"
    .. "Examples:\n"
    .. "  lexis keywords --lower --top 50 novel.txt --ref bnc/*.txt\n"
    .. "  lexis keywords --lower --ref bnc/*.txt -- novel.txt\n"
    .. "  lexis keywords --lower --ref-list reference.tsv --by log_ratio --p 0.001 speech.txt",
}
local p = cmd.parser
p:option("--ref", "Reference files."):args("+"):count("*")
p:option("--ref-list", "A reference frequency list: word<TAB>count lines, or partial counts.")
p:option("--by", "Sort by this measure.", "g2"):choices(stats.KEY_MEASURES)
p:option("--smooth", "Simple maths' smoothing parameter N.", "1", tonumber)
p:option("--min", "Only words counted at least N times where they are key.", "1", tonumber)
p:option("--p", "Only keywords with p(G2) at most this (0.05, 0.01, 0.001 ...).", nil, tonumber)
p:option("--top", "Only the N strongest of each direction.", nil, tonumber)
p:flag("--positive", "Only positive keywords (commoner in the target).")
p:flag("--negative", "Only negative keywords (rarer in the target).")
p:option("--stop", "Leave out stop words: en, or a file of words.")
local FORMATS = { "text", "tsv", "csv", "json" }
cli.output_options(p, FORMATS)
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p)
p:argument("files", "Target files (standard input when none or -)."):args("*")

function cmd.run(args)
  local refs = {}
  for _, group in ipairs(args.ref or {}) do
    for _, f in ipairs(group) do refs[#refs + 1] = f end
  end
  if (#refs > 0) == (args.ref_list ~= nil) then
    cli.usage_error("keywords", "give reference files with --ref or a list with --ref-list (one of them)")
  end
  if not args.smooth or args.smooth <= 0 then cli.usage_error("keywords", "--smooth wants a number > 0") end
  if not args.min or args.min < 0 then cli.usage_error("keywords", "--min wants a number >= 0") end
  if args.p and (args.p <= 0 or args.p > 1) then cli.usage_error("keywords", "--p wants a number in (0, 1]") end
  local opts = cli.word_opts(args, {
    by = args.by, smooth = args.smooth, min = math.floor(args.min), p = args.p,
    top = args.top and math.floor(args.top),
    positive = (not args.negative) or args.positive == true,
    negative = (not args.positive) or args.negative == true,
    stop = args.stop,
  })
  local reference = args.ref_list and { list = args.ref_list } or refs
  local ok, r = pcall(stats.keywords, cli.inputs(args.files), reference, opts)
  if not ok then cli.fail(tostring(r):gsub("^.-:%d+: ", ""), 2) end
  local out, fmt, finish = cli.open_output(args, "keywords", FORMATS)
  local done, err = r:write(out, fmt, { header = not args.no_header })
  if not done then cli.fail("keywords: " .. tostring(err), 1) end
  finish()
  return 0
end

return cmd
