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
local FORMATS = cli.FORMATS
cli.output_options(p, FORMATS)
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
    if info.tokens > math.maxinteger - (tokens or 0) or info.docs > math.maxinteger - (docs or 0) then
      cli.fail(string.format("merge: %s: the total of tokens or documents would overflow", path), 2)
    end
    tokens = (tokens or 0) + info.tokens
    docs = (docs or 0) + info.docs
  end
  core.set_total(counts, tokens or 0)
  -- the page and caption lexis freq or lexis ngrams would give the whole
  local ngrams = kind and kind:match("^ngrams")
  local title = not ngrams and require("lexis.report")._counts_title(counts) or nil
  local out, fmt, finish = cli.open_output(args, "merge", FORMATS, not args.partial and (title or true))
  if args.partial then
    cli.call("merge", core.write_partial, counts, out, kind or "freq", docs or 0, range)
  elseif ngrams then   -- as lexis ngrams prints, ranges included
    cli.call("merge", core.write_list, counts, range, out, {
      column = "ngram", format = fmt, min = args.min, limit = args.top or 0,
      header = not args.no_header,
    })
  else
    cli.call("merge", counts.write, counts, out, {
      format = fmt, limit = args.top or 0, min = args.min, header = not args.no_header,
      title = fmt == "html" and title or nil,
    })
  end
  finish()
  return 0
end

return cmd
