-- lexis merge [PART...]: sums partial counts ('lexis freq --partial',
-- 'lexis ngrams --partial') exactly and prints the list.
local cli = require "lexis.cli"
local core = require "lexis.core"

local cmd = cli.command {
  name = "merge",
  summary = "sum partial counts (freq --partial, ngrams --partial) and print the list",
  description = "Reads partial counts, written by 'lexis freq --partial' or 'lexis ngrams\n"
    .. "--partial' on pieces of a corpus (on this machine or others), adds them up\n"
    .. "exactly and prints the list as 'lexis freq' does (rank, word, count, per\n"
    .. "million of all the words read) or 'lexis ngrams' does (with the range: files\n"
    .. "holding each). --min and --top apply to the sums. With --partial the\n"
    .. "sum is written as partial counts again, to merge in stages. All parts must be\n"
    .. "of one kind (freq, or n-grams of one n). Recipe with GNU parallel: docs/stats.md.",
  epilog = "Examples:\n"
    .. "  parallel lexis freq --lower --partial {} '>' {}.part ::: corpus/*.txt\n"
    .. "  lexis merge --top 100 corpus/*.part",
}
local p = cmd.parser
p:option("--min", "Only items counted at least N times in all.", "1", cli.whole("--min"))
p:option("--top", "Only the N commonest.", nil, cli.whole("--top"))
p:option("--format", "Output format.", "text"):choices { "text", "tsv", "csv", "json" }
p:flag("--partial", "Write the sum as partial counts (for merging in stages).")
p:flag("--no-header", "No line of column names (text, tsv, csv).")
p:argument("parts", "Partial-count files (standard input when none or -)."):args("*")

function cmd.run(args)
  local counts, range = core.counts(), core.counts()
  local kind, tokens, docs
  for _, path in ipairs(cli.inputs(args.parts)) do
    local info = cli.call("merge", core.read_partial, path, counts, range)
    if info.kind == "list" then
      cli.fail(string.format("merge: %s: not partial counts (no #lexis-partial line)", path), 1)
    end
    if kind and info.kind ~= kind then
      cli.fail(string.format("merge: %s: holds %s counts, the parts before it %s", path, info.kind, kind), 1)
    end
    kind = info.kind
    tokens = (tokens or 0) + info.tokens
    docs = (docs or 0) + info.docs
  end
  core.set_total(counts, tokens or 0)
  if args.partial then
    cli.call("merge", core.write_partial, counts, io.stdout, kind or "freq", docs or 0, range)
  elseif kind and kind:match("^ngrams") then   -- as lexis ngrams prints, ranges included
    cli.call("merge", core.write_list, counts, range, io.stdout, {
      column = "ngram", format = args.format, min = args.min, limit = args.top or 0,
      header = not args.no_header,
    })
  else
    cli.call("merge", counts.write, counts, io.stdout, {
      format = args.format, limit = args.top or 0, min = args.min, header = not args.no_header,
    })
  end
  return 0
end

return cmd
