-- lexis count QUERY FILE|INDEX... --by KEYS: the frequency breakdown of a
-- query's hits, as cqp's `count by` and `group` (docs/cql.md, "Breakdowns").
local cli = require "lexis.cli"
local core = require "lexis.core"

local cmd = cli.command {
  name = "count",
  summary = "frequency breakdown of CQL hits by attributes (cqp's count by, group)",
  description = "Counts the hits of QUERY by KEYS, most frequent first (ties by the strings,\n"
    .. "byte by byte), as cqp's 'count by' and 'group'. A key is ATTR[%c|%d][@ANCHOR[N]]:\n"
    .. "  lemma                  the lemmas of the whole match, joined by spaces (count by lemma)\n"
    .. "  word%c                 the same, case-folded (%d: diacritics stripped)\n"
    .. "  pos@matchend[1]        one token: match, matchend, target or keyword, moved N\n"
    .. "                         tokens (group A matchend[1] pos); outside the corpus: empty\n"
    .. "  lemma@match,pos@matchend  pairs (group A matchend pos by match lemma)\n"
    .. "  text_year              a region's value around the match (metadata: by document)\n"
    .. "QUERY is CQL when --cql is given or when it starts as only CQL starts ([ \" ' ( < @\n"
    .. "or label:[) or holds '::'; else a plain query as lexis kwic takes it (a word, a glob,\n"
    .. "a /regex/, a phrase with * for any token; any case unless --case), asked of 'word'.\n"
    .. "The input is .vrt or .conllu FILEs (read into memory) or indexes made by 'lexis index'\n"
    .. "(read in place); the rows of several files are summed, and several indexes are\n"
    .. "queried as one corpus (shards: they must have the same attributes).",
  epilog = "Examples:\n"
    .. "  lexis count '[pos=\"det\"] [pos=\"n\"]' kjv.lexis --by lemma --limit 20\n"
    .. "  lexis count '[lemma=\"go\"]' tagged.vrt --by word%c\n"
    .. "  lexis count '\"the\" @[pos=\"adj\"] [pos=\"n\"]' kjv.lexis --by lemma@target,lemma@matchend\n"
    .. "  lexis count 'the *' corpus.lexis --by word%c@matchend --format tsv",
}
local p = cmd.parser
p:argument("query", "What to count: CQL, or a plain query.")
p:argument("files", ".vrt or .conllu files, or indexes."):args("+")
p:option("--by", "The keys, comma-separated (above).")
  :convert(function(spec)
    local ok, err = core.cql_keys(spec, false)
    if not ok then return nil, "--by: " .. err end
    return spec
  end)
p:flag("--cql", "QUERY is CQL, whatever it looks like.")
p:flag("--case", "A plain query matches case exactly.")
p:flag("--regex", "Every pattern of a plain query is a PCRE2 regular expression.")
p:option("--limit", "Show the N most frequent rows.", nil, cli.whole("--limit", 1))
p:flag("--no-header", "No line of column names (text, tsv, csv, html).")
cli.output_options(p, cli.FORMATS)

function cmd.run(args)
  if not args.by then cli.usage_error("count", "--by KEYS is needed (--by lemma, --by pos@matchend[1])") end
  local cql = require "lexis.cql"
  local query = args.query
  local is_cql = args.cql or cql._looks_like_cql(query)
  if is_cql and (args.case or args.regex) then
    cli.usage_error("count", "--case and --regex are for plain queries (CQL has %c and regular expressions)")
  end
  if not is_cql then query = cql._from_plain(query, { case = args.case, regex = args.regex }) end
  local total
  local units = args.files             -- what is queried, one after another
  if #units > 1 and cli.all_indexes(units) then units = { units } end
  for _, file in ipairs(units) do
    local view = cli.call("count", cql.open, file)
    local r, err = core.cql_run(view, query)
    if not r then
      view:close()
      if err:find("interrupted", 1, true) or err:find("more than", 1, true) then cli.fail("count: " .. err, 1) end
      cli.usage_error("count", err .. (is_cql and "" or " (the plain query as CQL: " .. query .. ")"))
    end
    local c, cerr = r:count(args.by)
    r:free()
    view:close()
    if not c then
      if cerr:find("^cql: ") then
        cli.fail("count: " .. (type(file) == "table" and table.concat(file, ", ") or file) .. ": " .. cerr, 1)
      end
      cli.usage_error("count", "--by: " .. cerr)
    end
    if total then
      total:merge(c)
      c:free()
    else
      total = c
    end
  end
  if total:hits() == 0 then        -- no silent zero: what may be why
    io.stderr:write("lexis: count: no hits for ", is_cql and "the CQL query" or "'" .. args.query .. "' (as CQL: " .. query .. ")",
      " in ", #args.files, #args.files == 1 and " file" or " files",
      is_cql and " (CQL values are regular expressions matched whole and case-sensitive: add %c to ignore case)" or "",
      "\n")
  end
  local out, fmt, finish = cli.open_output(args, "count", cli.FORMATS)
  local ok, werr = total:write(out, { format = fmt, header = not args.no_header, limit = args.limit,
    title = "lexis count " .. args.query .. " --by " .. args.by })
  if not ok then
    if out ~= io.stdout then out:abort() end
    cli.fail("count: " .. (args.output or "standard output") .. ": " .. tostring(werr), 1)
  end
  finish()
  total:free()
  return 0
end

return cmd
