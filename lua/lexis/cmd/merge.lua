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
p:option("--min", "Only items counted at least N times in all.", "1", tonumber)
p:option("--top", "Only the N commonest.", nil, tonumber)
local FORMATS = { "text", "tsv", "csv", "json" }
cli.output_options(p, FORMATS)
p:flag("--partial", "Write the sum as partial counts (for merging in stages).")
p:flag("--no-header", "No line of column names (text, tsv, csv).")
p:argument("parts", "Partial-count files (standard input when none or -)."):args("*")

function cmd.run(args)
  if not args.min or args.min < 0 then cli.usage_error("merge", "--min wants a number >= 0") end
  if args.top and args.top < 0 then cli.usage_error("merge", "--top wants a number >= 0") end
  local counts, range = core.counts(), core.counts()
  local kind, tokens, docs
  for _, path in ipairs(cli.inputs(args.parts)) do
    local info, err = core.read_partial(path, counts, range)
    if not info then cli.fail("merge: " .. err, 2) end
    if info.kind == "list" then
      cli.fail(string.format("merge: %s: not partial counts (no #lexis-partial line)", path), 2)
    end
    if kind and info.kind ~= kind then
      cli.fail(string.format("merge: %s: holds %s counts, the parts before it %s", path, info.kind, kind), 2)
    end
    kind = info.kind
    if info.tokens > math.maxinteger - (tokens or 0) or info.docs > math.maxinteger - (docs or 0) then
      cli.fail(string.format("merge: %s: the total of tokens or documents would overflow", path), 2)
    end
    tokens = (tokens or 0) + info.tokens
    docs = (docs or 0) + info.docs
  end
  core.set_total(counts, tokens or 0)
  local out, fmt, finish = cli.open_output(args, "merge", FORMATS)
  local ok, err
  if args.partial then
    ok, err = core.write_partial(counts, out, kind or "freq", docs or 0, range)
  elseif kind and kind:match("^ngrams") then   -- as lexis ngrams prints, ranges included
    ok, err = core.write_list(counts, range, out, {
      column = "ngram", format = fmt, min = math.floor(args.min),
      limit = args.top and math.floor(args.top) or 0, header = not args.no_header,
    })
  else
    ok, err = counts:write(out, {
      format = fmt,
      limit = args.top and math.floor(args.top) or 0,
      min = math.floor(args.min),
      header = not args.no_header,
    })
  end
  if not ok then cli.fail("merge: " .. tostring(err), 1) end
  finish()
  return 0
end

return cmd
