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
    .. "log ratio, chi-square (Yates), Delta P both ways (delta_p: the node cues the\n"
    .. "collocate; delta_p_rev: the collocate cues the node), MI2, minimum sensitivity\n"
    .. "(ms), Poisson-Stirling, Jaccard and Fisher's exact test (fisher: one-sided p;\n"
    .. "--by fisher puts the smallest first). Formulas and sources: docs/stats.md.",
  epilog = "Examples:\n"
    .. "  lexis collocates --lower --by mi3 --min 3 time corpus/*.txt\n"
    .. "  lexis collocates --left 0 --right 3 --sentences --format tsv of book.txt\n"
    .. "  lexis collocates --lower 'educat*' corpus/*.txt\n"
    .. "  lexis collocates --top 20 is corpus.lexis        (from an index: lexis index)\n"
    .. "  lexis collocates --cql '[lemma=\"man\"]' --attr lemma --top 20 kjv.lexis",
}
local p = cmd.parser
p:argument("word", "The node, as kwic's queries: a word (case-folded unless --case), a\nglob (* any run, ? one character), a /regex/, or a phrase of up to 8\nof these (quote them).")
p:argument("files", "Files to read (standard input when none or -), or indexes made by 'lexis index' (then counted from the index: docs/stats.md; several are\nshards of one corpus, their counts added)."):args("*")
p:option("--left", "Words before the node.", "5", cli.whole("--left", 0, 100))
p:option("--right", "Words after the node.", "5", cli.whole("--right", 0, 100))
p:option("--by", "Sort by this measure (the largest first; fisher: the smallest p first).", "logdice")
  :choices(stats.MEASURES)
p:option("--min", "Only collocates seen at least N times with the node.", "1", cli.whole("--min"))
p:option("--min-freq", "Only collocates with a corpus frequency of at least N.", "1", cli.whole("--min-freq"))
p:option("--top", "Only the N best.", nil, cli.whole("--top"))
p:option("--expected", "What the expected frequency E11 is made of: window (the positions in "
  .. "the node's windows x f(collocate) / N) or sketch (f(node) x f(collocate) / N, "
  .. "as Sketch Engine scores; docs/stats.md).", "window"):choices { "window", "sketch" }
p:flag("--case", "Match the node with its case (plain nodes are case-folded, as in kwic).")
p:flag("--cql", "WORD is a CQL query ('[lemma=\"man\"]', docs/cql.md) over an index or a .vrt/.conllu\n"
  .. "file: its hits are the nodes, windows are tokens (punctuation too) inside the hit's text.")
p:option("--attr", "With --cql: the attribute the collocates are counted by (lemma, pos).", "word")
p:flag("--sentences", "Windows stop at sentence ends.")
p:option("--lang", "Language of the sentence splitter's abbreviations.", "en")
local FORMATS = cli.FORMATS
cli.input_options(p)
cli.output_options(p, FORMATS)
p:flag("--no-header", "No line of column names (text, tsv, csv).")
cli.word_options(p, "Kinds of token that count as words, comma-separated.")

-- --cql: the collocates of a CQL query's hits, by any attribute.
local function run_cql(args)
  if #args.files ~= 1 then cli.usage_error("collocates", "--cql takes one index or .vrt/.conllu file") end
  for _, opt in ipairs { "sentences", "case", "min_freq" } do
    if args[opt] and args[opt] ~= 1 then cli.usage_error("collocates", "--" .. opt:gsub("_", "-") .. " does not go with --cql") end
  end
  if args.expected ~= "window" then cli.usage_error("collocates", "--expected sketch does not go with --cql") end
  -- a malformed query or an unknown attribute is the user's text (exit 2);
  -- a file that cannot be read is a failure (exit 1)
  local ok, r, err = pcall(require("lexis.cql").collocates, args.word, args.files[1], {
    attr = args.attr, left = args.left, right = args.right, by = args.by, min = args.min, top = args.top })
  if not ok then
    if r == "not enough memory" then cli.fail("collocates: out of memory", 1) end
    cli.usage_error("collocates", (tostring(r):gsub("^lexis%.cql%.collocates: ", "")))
  end
  if not r then cli.fail("collocates: " .. tostring(err), 1) end
  if r.info.hits == 0 then
    io.stderr:write("lexis: collocates: no hits for the CQL query (CQL values are regular expressions "
      .. "matched whole and case-sensitive: add %c to ignore case)\n")
  end
  local out, fmt, finish = cli.open_output(args, "collocates", FORMATS, r.info.title .. ", by " .. args.attr)
  cli.call("collocates", r.write, r, out, fmt, { header = not args.no_header })
  finish()
  return 0
end

function cmd.run(args)
  if args.cql then return run_cql(args) end
  if args.attr ~= "word" then cli.usage_error("collocates", "--attr goes with --cql") end
  local opts = cli.word_opts(args, {
    left = args.left, right = args.right, min = args.min, min_freq = args.min_freq,
    top = args.top, by = args.by, sentences = args.sentences, lang = args.lang, case = args.case,
    expected = args.expected,
  })
  local r
  if cli.all_indexes(args.files) and #args.files > 1 then
    -- shards of one corpus: their counts from the indexes, added up
    local s = cli.call("collocates", require("lexis.corpus").open_many, args.files)
    r = cli.call("collocates", stats.collocates, s, args.word, opts)
  else
    local src
    if #args.files == 1 and cli.is_index(args.files[1]) then
      -- counted from the index (stats.lua says when it reads the files)
      src = cli.call("collocates", require("lexis.corpus").open, args.files[1])
    else
      src = cli.inputs(args.files)
    end
    r = cli.call("collocates", stats.collocates, src, args.word, opts)
  end
  if r.info.hits == 0 then          -- no silent zero: say what was looked for
    io.stderr:write(string.format("lexis: collocates: the node '%s' does not occur in the input (%s)\n",
      args.word, args.case and "matched with its case; without --case it is case-folded" or "case-folded"))
  end
  if (r.info.over or 0) > 0 then   -- no silent zero: these rows' four-cell measures are 0
    io.stderr:write(string.format("lexis: collocates: --expected sketch: %d collocate%s more often in "
      .. "the windows than the node occurs (%d times); a negative cell leaves them g2, p, chi2, "
      .. "log_ratio, delta_p, delta_p_rev, ms and jaccard of 0 and fisher of 1 (docs/stats.md)\n",
      r.info.over, r.info.over == 1 and " stands" or "s stand", r.info.hits))
  end
  local out, fmt, finish = cli.open_output(args, "collocates", FORMATS, r.info and r.info.title or "lexis collocates")
  cli.call("collocates", r.write, r, out, fmt, { header = not args.no_header })
  finish()
  return 0
end

return cmd
