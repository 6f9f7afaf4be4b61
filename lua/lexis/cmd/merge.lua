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
    .. "of one kind (freq, or n-grams of one n). Pieces of one file written with\n"
    .. "--doc NAME are joined in the order given (split's names sort in order): the\n"
    .. "n-grams across each cut are counted and the pieces are one document in\n"
    .. "ranges. Recipe with GNU parallel: docs/stats.md.",
  epilog = "Examples:\n"
    .. "  parallel lexis freq --lower --partial {} '>' {}.part ::: corpus/*.txt\n"
    .. "  lexis merge --top 100 corpus/*.part\n"
    .. "  split -n l/8 big.txt piece. && parallel lexis ngrams -n 3 --partial --doc big {} '>' {}.ng ::: piece.??\n"
    .. "  lexis merge piece.??.ng",
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
  local m <close> = core.merger(counts, range)
  for _, path in ipairs(cli.inputs(args.parts)) do
    local _, warning = cli.call("merge", m.read, m, path)
    if warning then io.stderr:write("lexis: merge: ", warning, "\n") end
  end
  core.set_total(counts, m:tokens())
  local kind = m:kind()
  -- the page and caption lexis freq or lexis ngrams would give the whole
  local ngrams = kind:match("^ngrams")
  local title = not ngrams and require("lexis.report")._counts_title(counts) or nil
  local out, fmt, finish = cli.open_output(args, "merge", FORMATS, not args.partial and (title or true))
  if args.partial then
    cli.call("merge", m.write, m, out)
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
