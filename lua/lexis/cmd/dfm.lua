-- lexis dfm -o PREFIX [FILE...]: a document-feature matrix, one row per file.
local cli = require "lexis.cli"

local cmd = cli.command {
  name = "dfm",
  summary = "document-feature matrix (Matrix Market) for quanteda, R's Matrix, scikit-learn",
  description = "Counts each word in each file and writes the counts that are not 0 as a\n"
    .. "sparse matrix: PREFIX.mtx (Matrix Market coordinate format: files are rows,\n"
    .. "words columns, both from 1), PREFIX.features (the words, one a line, in column\n"
    .. "order: the order they first occur) and PREFIX.docs (the files, one a line, in\n"
    .. "row order). Each file is one document; a directory gives its files.\n"
    .. "Load it with scipy.io.mmread, R's Matrix::readMM or quanteda::as.dfm.",
  epilog = "Examples:\n"
    .. "  lexis dfm --lower --stop en --min 5 -o speeches speeches/\n"
    .. "  python3 -c 'import scipy.io; m = scipy.io.mmread(\"speeches.mtx\"); print(m.shape)'",
}
local p = cmd.parser
p:option("-o --output", "The prefix of the three files (PREFIX.mtx, .features, .docs).")
p:option("--min", "Only words counted at least N times in all.", "1", cli.whole("--min"))
p:option("--min-docs", "Only words in at least N files.", "1", cli.whole("--min-docs"))
cli.stop_option(p)
cli.add_where(p)
p:option("--group", "With an index as input: sum its documents by this metadata field (quanteda's dfm_group), "
  .. "one row per value, rows in byte order of the values.")
cli.input_options(p)
cli.word_options(p)
p:argument("files", "Files to read, one document each (standard input when none or -), or one index "
  .. "(its documents' files).")
  :args("*")

function cmd.run(args)
  if not args.output then cli.usage_error("dfm", "-o PREFIX is needed: dfm writes three files") end
  local dfm = require "lexis.dfm"
  local files, docs = cli.index_documents("dfm", cli.inputs(args.files), args.where)
  local groups
  if args.group then
    if not docs then cli.usage_error("dfm", "--group sums documents of an index by a field: give one index") end
    groups = {}
    for i, doc in ipairs(docs) do
      local v = doc.meta and doc.meta[args.group]
      if v == nil then
        local known = {}
        for k in pairs(docs[1].meta or {}) do known[#known + 1] = k end
        table.sort(known)
        cli.fail(string.format("dfm: --group %s: the index has no such metadata field (%s)", args.group,
          #known > 0 and "it has " .. table.concat(known, ", ") or "it has none: index with --meta"), 2)
      end
      groups[i] = v
    end
  end
  local d = cli.call("dfm", dfm.dfm, files, cli.word_opts(args, {
    min = args.min, min_docs = args.min_docs, stop = args.stop, groups = groups,
  }))
  local features, docs = #d:features(), #d:docs()
  if features == 0 then                                   -- no silent zero
    io.stderr:write("lexis: dfm: ", require("lexis.hints").empty {
      rows = 0, tokens = d:tokens(), kinds = args.kinds, stopped = args.stop ~= nil,
      fewer = string.format("no word passes --min %d and --min-docs %d", args.min, args.min_docs),
    } or "no features", "\n")
  end
  cli.call("dfm", d.write, d, args.output)
  io.stderr:write(string.format("lexis: dfm: %d documents, %d features, %d counts: %s.mtx, .features, .docs\n",
    docs, features, d:nonzero(), (args.output:gsub("%.mtx$", ""))))
  return 0
end

return cmd
