-- lexis kwic QUERY [FILE...|INDEX]: a keyword-in-context concordance of the
-- files (or of an index made by `lexis index`), aligned on the node.
local cli = require "lexis.cli"
local core = require "lexis.core"

local cmd = cli.command {
  name = "kwic",
  summary = "keyword in context: every hit of a word, glob, regex or phrase, aligned",
  description = "Prints each hit of QUERY with its context, the hits aligned on the node.\n"
    .. "QUERY is one pattern per token: a word (any case unless --case), a glob\n"
    .. "(capitul*, ?), a /regex/ (every pattern with --regex), or a phrase\n"
    .. "(\"left opposition\", \"the * of\"). The input is FILEs or directories, an\n"
    .. "index made by 'lexis index' (or several, shards of one corpus), or standard input.",
  epilog = "Examples:\n"
    .. "  lexis kwic --cql '[pos=\"JJ\"]+ [pos=\"NN\"] within s' tagged.vrt --show word,pos\n"
    .. "  lexis kwic opposition corpus/\n"
    .. "  lexis kwic 'the * of' corpus/*.txt --sort R1,R2 --limit 20\n"
    .. "  lexis kwic 'capitul*' corpus.lexis --tokens --left 3 --right 3 --format tsv\n"
    .. "  lexis kwic '/[0-9]{4}/' --regex corpus/ --sample 10 --seed 7",
}
local p = cmd.parser
p:argument("query", "What to look for.")
p:argument("files", "Files, directories, or indexes: one, or several built apart, queried as one corpus\n(standard input when none)."):args("*")
p:flag("--chars", "Context in columns of display width (the default).")
p:flag("--tokens", "Context in tokens.")
p:option("--width", "Columns of context each side, up to 1000 (default: what fits the terminal, else 40).",
  nil, cli.whole("--width", 0, 1000))
p:option("--left", "Context on the left: tokens with --tokens (up to 1000), else columns.", nil,
  cli.whole("--left", 0, 1000))
p:option("--right", "Context on the right: tokens with --tokens (up to 1000), else columns.", nil,
  cli.whole("--right", 0, 1000))
p:option("--sort", "Sort keys, comma-separated: L3 L2 L1 node R1 R2 R3 doc position; -KEY reverses one.\n"
  .. "With --cql also ATTR[%c|%d][@match|matchend|target|keyword[N]]: lemma (the match's),\n"
  .. "lemma%c@matchend[1] (cqp's sort by lemma %c on matchend[1]); L1 is word@match[-1],\n"
  .. "R1 word@matchend[1], node word (case-sensitive, as cqp sorts: word%c@... folds); no doc.")
  :convert(function(spec)
    local ok, err = require("lexis.kwic").sort_keys(spec)
    if not ok then
      -- a key only CQL hits have (lemma@matchend[1]): checked against --cql in run
      local cok, cerr = core.cql_keys(spec, true)
      if cok then return spec end
      return nil, "--sort: " .. (spec:find("[@%%]") and cerr or err)
    end
    return spec
  end)
p:flag("--reverse", "Reverse the sort.")
p:flag("--case", "Match case exactly.")
p:flag("--regex", "Every pattern of QUERY is a PCRE2 regular expression.")
p:option("--limit", "Show at most N hits (after sorting).", nil, cli.whole("--limit"))
p:option("--sample", "Show a random N of the hits (repeatable with --seed).", nil, cli.whole("--sample"))
p:option("--seed", "The random seed of --sample.", "1", cli.whole("--seed", math.mininteger))
local FORMATS = cli.FORMATS
p:flag("--no-header", "No line of column names (tsv, csv, html).")
p:option("--color", "Highlight the node: auto, always or never.", "auto")
  :choices { "auto", "always", "never" }
p:flag("--count", "Print only the number of hits.")
cli.input_options(p)
cli.output_options(p, FORMATS)
p:flag("--sentence", "Cut the context at the ends of the hit's sentence.")
p:flag("--whole-sentence", "Show the hit's whole sentence as its context.")
p:option("--lang", "The language of the sentence splitter's abbreviations.", "en")
p:flag("--cql", "QUERY is CQL, CQP's query language ('[pos=\"JJ\"]+ [pos=\"NN\"]'), over indexes or .vrt or .conllu FILEs\n"
  .. "(docs/cql.md); context in tokens (--left, --right: 5).")
p:option("--show", "With --cql: the attributes shown per token, comma-separated (word,lemma,pos; default word).")
p:option("--show-meta", "With --cql: the doc column shows this metadata field of the hit's text (year for text_year) "
  .. "instead of its file or id.")
p:flag("--split-apostrophes", "Split words at apostrophes, so Stalin finds Stalin’s (an index keeps its own setting).")
p:flag("--no-dictionary", "Cut Chinese, Japanese, Thai, Lao, Khmer and Myanmar by the Unicode rules\nalone (a token per ideograph), not into words by ICU's dictionaries.")

-- --cql: each FILE (an index, read in place; a .vrt or .conllu file, read
-- into memory) queried by the CQL evaluator; several indexes (shards) as
-- one corpus, with one numbering and one sort.
local function run_cql(args)
  local FORMAT = cli.output_format(args, FORMATS)
  local files = #args.files > 0 and args.files or { "-" }
  local units = files                  -- what is queried, one after another
  if #files > 1 and cli.all_indexes(files) then units = { files } end
  if #units > 1 and FORMAT ~= "text" and FORMAT ~= "tsv" and FORMAT ~= "csv" then
    cli.usage_error("kwic", "--cql with --format " .. FORMAT .. " takes one file or a set of indexes "
      .. "(text, tsv and csv take several)")
  end
  for _, opt in ipairs { "regex", "case", "sentence", "whole_sentence", "chars", "width" } do
    if args[opt] then cli.usage_error("kwic", "--" .. opt:gsub("_", "-") .. " does not go with --cql") end
  end
  if args.sample and #units > 1 then
    cli.usage_error("kwic", "--sample with --cql takes one file, one index or a set of indexes (.vrt and .conllu files are queried each alone)")
  end
  local sort = args.sort
  if sort then
    if #units > 1 then
      cli.usage_error("kwic", "--sort with --cql takes one file, one index or a set of indexes (.vrt and .conllu files are queried each alone)")
    end
    if sort:find("%f[%w]doc%f[%W]") then cli.usage_error("kwic", "--sort: doc does not go with --cql (position keeps the corpus order)") end
    if args.reverse then        -- every key the other way
      local keys = {}
      for key in sort:gmatch("[^,]+") do
        key = key:match("^%s*(.-)%s*$")
        keys[#keys + 1] = key:sub(1, 1) == "-" and key:sub(2) or "-" .. key
      end
      sort = table.concat(keys, ",")
    end
  elseif args.reverse then
    cli.usage_error("kwic", "--reverse goes with --sort")
  end
  local show
  if args.show then
    show = {}
    for a in args.show:gmatch("[^,%s]+") do show[#show + 1] = a end
  end
  local out = io.stdout
  if args.output then out = cli.call("kwic", core.atomic_open, args.output) end
  local total = 0
  for i, file in ipairs(units) do
    local view = cli.call("kwic", require("lexis.cql").open, file)
    local r, err = core.cql_run(view, args.query)
    if not r then
      view:close()
      if err:find("interrupted", 1, true) or err:find("more than", 1, true) then cli.fail("kwic: " .. err, 1) end
      cli.usage_error("kwic", err)
    end
    if args.sample then r:sample(args.sample, args.seed) end   -- then sorted, as kwic's sample
    if sort then
      local ok, serr = r:sort(sort, args.limit or 0)
      if not ok then
        r:free()
        view:close()
        if serr:find("^cql: ") then
          cli.fail("kwic: " .. (type(file) == "table" and table.concat(file, ", ") or file) .. ": " .. serr, 1)
        end
        cli.usage_error("kwic", "--sort: " .. serr)
      end
    end
    total = total + r:n()
    if args.limit and total > args.limit then
      r:keep(r:n() - (total - args.limit))
      total = args.limit
    end
    if not args.count and r:n() > 0 then
      local ok, werr = r:write(out, { format = FORMAT, header = not args.no_header and i == 1,
        left = args.left or 5, right = args.right or 5, doc = type(file) == "string" and not cli.is_index(file) and file or nil, show = show,
        doc_attr = args.show_meta and "text_" .. args.show_meta or nil,
        title = "lexis kwic --cql " .. args.query })
      if not ok then
        if out ~= io.stdout then out:abort() end
        if werr and werr:find("^%-%-show") then cli.usage_error("kwic", werr) end   -- --show, --show-meta
        cli.fail("kwic: " .. (args.output or "standard output") .. ": " .. tostring(werr), 1)
      end
    end
    r:free()
    view:close()
    if args.limit and total >= args.limit then break end
  end
  if total == 0 then
    io.stderr:write("lexis: kwic: no hits for the CQL query in ", #files, #files == 1 and " file" or " files",
      " (CQL values are regular expressions matched whole and case-sensitive: add %c to ignore case)\n")
  end
  if args.count then out:write(total, "\n") end
  if out ~= io.stdout then cli.call("kwic", out.commit, out) end
  return 0
end

function cmd.run(args)
  if args.cql then return run_cql(args) end
  if args.show then cli.usage_error("kwic", "--show goes with --cql") end
  if args.sort then
    local ok, err = require("lexis.kwic").sort_keys(args.sort)
    if not ok then cli.usage_error("kwic", "--sort: " .. err .. "; keys such as lemma@matchend[1] go with --cql") end
  end
  if args.show_meta then
    cli.usage_error("kwic", "--show-meta goes with --cql (a word query is CQL too: --cql '\"" .. args.query:gsub("'", "") .. "\"')")
  end
  if args.tokens and args.chars then cli.usage_error("kwic", "--tokens or --chars, not both") end

  local out = io.stdout
  if args.output then
    -- whole or not at all (lexis.atomic_open): an error leaves no partial file
    out = cli.call("kwic", core.atomic_open, args.output)
  end
  local tty = not args.output and core.isatty(io.stdout)
  local width = args.width
  if not width then
    local cols = tty and core.termwidth(io.stdout)
    width = cols and math.max(10, (cols - 16) // 2) or 40
  end
  local opts = {
    case = args.case, regex = args.regex, limit = args.limit, sample = args.sample,
    seed = args.seed, sort = args.sort, reverse = args.reverse,
    sentence = args.sentence or nil, lang = args.lang,
    apostrophes = not args.split_apostrophes,
    dictionary = not args.no_dictionary,
  }
  if args.whole_sentence then
    opts.context = "sentence"
    opts.left, opts.right = 0, 0
  elseif args.tokens then
    opts.context = "tokens"
    opts.left, opts.right = args.left or 5, args.right or 5
  else
    opts.context = "chars"
    opts.lwidth, opts.rwidth = args.left or width, args.right or width
    opts.left, opts.right = 0, 0
  end

  local conc
  local files = args.files
  local count_folded            -- hits without --case, for the hint below
  if cli.all_indexes(files) then     -- one index, or several built apart (shards) as one
    if args.split_apostrophes then    -- its tokens were made when it was built
      io.stderr:write("lexis: kwic: --split-apostrophes: ", files[1],
        " is an index; the tokens it was built with are used (see lexis index)\n")
    end
    local corpus = cli.call("kwic", require("lexis.corpus").open, #files == 1 and files[1] or files)
    if args.count then          -- counted, not kept: memory does not grow with hits
      conc = cli.call("kwic", corpus._count, corpus, args.query, opts)
    else
      conc = cli.call("kwic", corpus.kwic, corpus, args.query, opts)
    end
    count_folded = function(o) return corpus:_count(args.query, o) end
  else
    -- missing and refused files fail here; standard input is "-"
    local inputs = cli.inputs(files)
    if args.count then
      conc = cli.call("kwic", require("lexis.kwic")._count, inputs, args.query, opts)
    else
      conc = cli.call("kwic", require("lexis.kwic").kwic, inputs, args.query, opts)
    end
    if not (#inputs == 1 and inputs[1] == "-") then   -- standard input cannot be read twice
      count_folded = function(o) return require("lexis.kwic")._count(inputs, args.query, o) end
    end
  end
  local hits = type(conc) == "number" and conc or #conc
  if hits == 0 then             -- no silent zero: what may be why
    local whys = require("lexis.hints").query(args.query, { regex = args.regex })
    if #whys == 0 then
      io.stderr:write("lexis: kwic: no hits: '", args.query, "' occurs nowhere in ",
                      #files == 0 and "standard input" or table.concat(files, ", "), "\n")
    end
    for _, why in ipairs(whys) do
      io.stderr:write("lexis: kwic: no hits: ", why, "\n")
    end
    if args.case and count_folded then
      local o = {}
      for k, v in pairs(opts) do o[k] = v end
      o.case, o.limit, o.sample, o.sort = nil, nil, nil, nil
      local n = count_folded(o)
      if n and n > 0 then
        io.stderr:write(string.format("lexis: kwic: no hits with --case; %d case-folded (without --case)\n", n))
      end
    end
  end
  if args.count then
    out:write(type(conc) == "number" and conc or #conc, "\n")
    if type(conc) == "number" then conc = nil end
  else
    local color = args.color == "always" or (args.color == "auto" and tty and os.getenv("NO_COLOR") == nil)
    local wok, werr = conc:write(out, cli.output_format(args, FORMATS),
                                 { color = color, header = not args.no_header, title = "lexis kwic " .. args.query })
    if not wok then             -- a full disk: say where, and leave no partial file
      if out ~= io.stdout then out:abort() end
      werr = tostring(werr)       -- a document's own trouble names it; a bare reason is the output's
      cli.fail("kwic: " .. (werr:find(": ", 1, true) and "" or (args.output or "standard output") .. ": ") .. werr, 1)
    end
  end
  if conc then conc:close() end
  if out ~= io.stdout then
    cli.call("kwic", out.commit, out)
  end
  return 0
end

return cmd
