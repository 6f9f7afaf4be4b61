-- The built-in commands' common ground: finding a command, parsing its
-- options (lua-argparse), usage errors (exit 2), and the list of inputs.
-- A command is lua/lexis/cmd/NAME.lua; see lua/lexis/cmd/README.md.

local core = require "lexis.core"

local M = {}

-- An error that ends the program with `code` and `message`, no traceback
-- (src/main.c reports tables this way). Usage errors use code 2.
function M.fail(message, code)
  error({ exit = code or 1, message = message }, 0)
end

function M.usage_error(name, message)
  M.fail(string.format("%s: %s\nTry 'lexis help %s'.", name, message, name), 2)
end

-- ---------------------------------------------------------------- errors
-- A command reports in one shape: "lexis: NAME: what: why", no traceback,
-- exit 2 for a usage error (naming the option), 1 for a failure, 130 for
-- Ctrl-C (src/main.c). It calls the API through cli.call, which maps the
-- API's contract (lexis.contract) onto that:
--   nil, "path: reason", errno      -> lexis: NAME: path: reason      exit 1
--                                      (EILSEQ, an input the policy refuses: exit 2)
--   a raised message (misuse: a bad query, node, pattern; the API names no
--   line when a command calls it)  -> lexis: NAME: message            exit 2
--   out of memory                  -> lexis: NAME: out of memory      exit 1
--   an exit object (cli.fail, Ctrl-C) passes on as it is
-- A raised message that carries a file:line is a bug in lexis itself: it
-- keeps its traceback.

local function handler(e)
  if type(e) ~= "string" then return e end
  if e == "not enough memory" then return { exit = 1, memory = true } end
  if e:find("^[^\n]-:%d+: ") then return { bug = debug.traceback(e, 2) } end
  return { misuse = e }
end

local function finish(name, ok, ...)
  if ok then
    if (...) == nil and select("#", ...) >= 2 then
      local code = select(3, ...)
      if code == 12 then M.fail(name .. ": out of memory", 1) end   -- ENOMEM
      -- EILSEQ: the input policy refused it (UTF-16 without a mark, a compressed file to index): fix the input, as a
      -- refused file named on the command line says (exit 2)
      M.fail(name .. ": " .. tostring(select(2, ...)), code == 84 and 2 or 1)
    end
    return ...
  end
  local e = ...
  -- Lua's own memory error skips the handler
  if e == "not enough memory" or type(e) == "table" and e.memory then M.fail(name .. ": out of memory", 1) end
  if type(e) == "table" and e.bug then error(e.bug, 0) end
  -- a failure raised in the middle of a method (lexis_failure: damage met by a sort)
  if type(e) == "table" and e.errno and e.message then M.fail(name .. ": " .. e.message, 1) end
  if type(e) == "table" and e.misuse then M.usage_error(name, e.misuse) end
  error(e, 0)
end

-- cli.call(name, fn, ...) -> what fn returns, or the command ends as above.
function M.call(name, fn, ...)
  return finish(name, xpcall(fn, handler, ...))
end

-- Option converters for parser:option(...): a value out of range is a
-- usage error at parse time that names the option. whole(option, lo, hi)
-- gives an integer; number(option, lo, hi) any number.
local function range(option, lo, hi, whole)
  return function(s)
    local v = tonumber(s)
    if v and whole then v = math.tointeger(v) end
    if v == nil or v ~= v or v < lo or v > hi then
      local want = whole and "a whole number" or "a number"
      if hi == math.huge or hi == math.maxinteger then
        return nil, string.format("%s wants %s >= %s, not '%s'", option, want, lo, s)
      end
      return nil, string.format("%s wants %s from %s to %s, not '%s'", option, want, lo, hi, s)
    end
    return v
  end
end
function M.whole(option, lo, hi) return range(option, lo or 0, hi or math.maxinteger, true) end
function M.number(option, lo, hi) return range(option, lo or -math.huge, hi or math.huge, false) end

-- All of standard input as a string, read in blocks (so Ctrl-C is seen
-- between them); a read error (a closed descriptor) ends the command.
function M.read_stdin(name)
  local parts = {}
  while true do
    local block, err = io.stdin:read(1 << 20)
    if block == nil then
      if err then M.fail(string.format("%s: standard input: %s", name, err), 1) end
      break
    end
    parts[#parts + 1] = block
  end
  return table.concat(parts)
end

-- The names of the built-in commands, sorted.
function M.commands()
  local names = {}
  for _, module in ipairs(core.modules("lexis.cmd.")) do
    names[#names + 1] = module:sub(#"lexis.cmd." + 1)
  end
  return names
end

function M.exists(name)
  for _, n in ipairs(M.commands()) do
    if n == name then return true end
  end
  return false
end

-- cli.command{name=, summary=, description=, epilog=} -> a command whose
-- `parser` is a lua-argparse parser; the command file adds its options and
-- sets cmd.run(args).
function M.command(spec)
  local argparse = require "argparse"
  local parser = argparse("lexis " .. spec.name, spec.description or spec.summary)
  parser:add_help(false)
  parser:help_max_width(80)
  if spec.epilog then parser:epilog(spec.epilog) end
  -- Handled by main before parsing, so a missing argument does not hide it.
  parser:flag("-h --help", "Show this help and exit.")
  return { name = spec.name, summary = spec.summary, parser = parser }
end

-- Is path an index made by lexis index (by its magic bytes)? Only a regular
-- file is looked at (core.sniff): an index is mapped, so a pipe is none, and
-- reading a pipe here would take its first bytes from the command.
function M.is_index(path)
  -- a damaged one too: opening it says what is wrong, where reading it as
  -- text would search its bytes
  local kind = core.sniff(path)
  return kind == "index" or kind == "damaged index"
end

-- Whether every one of files (at least one) is an index: one corpus, or
-- shards of one (lexis.corpus.open_many).
function M.all_indexes(files)
  if #files == 0 then return false end
  for _, f in ipairs(files) do
    if not M.is_index(f) then return false end
  end
  return true
end

-- index_documents(name, inputs, where [, flag]) -> files, docs: what a
-- statistic (wordlist, dfm, keywords) reads when its one input is an index
-- made by lexis index: the files of its documents, all of them or those
-- every --where constraint holds for (c:select, CQL's text_FIELD="REGEX"),
-- so the counts are those of the same command run on those files; docs
-- are their records (c:docs(), with their metadata). Other inputs pass as
-- they are, and --where is then a usage error. Nothing selected, an
-- annotated index, or a document changed since indexing: a failure.
function M.add_where(parser, flag, what)
  parser:option(flag or "--where", (what or "With an index as input: only its documents whose metadata match")
    .. ", text_FIELD=\"REGEX\" as in CQL (the value matched whole; repeat it: all must hold).")
    :count("*")
end

function M.index_documents(name, inputs, where, flag)
  flag = flag or "--where"
  where = where or {}
  local idx = #inputs == 1 and inputs[1] ~= "-" and M.is_index(inputs[1])
  if not idx then
    if #where > 0 then
      M.usage_error(name, flag .. " selects documents of an index: give one index made by lexis index (with --meta)")
    end
    return inputs
  end
  local path = inputs[1]
  local c, err = core.open(path)
  if not c then M.fail(name .. ": " .. err, 1) end
  require "lexis.corpus"
  if c:annotated() then
    M.fail(name .. ": " .. path .. ": built from annotated files (.vrt, .conllu): their words are counted "
      .. "from the index only (lexis collocates, lexis kwic --cql)", 1)
  end
  local docs = #where > 0 and M.call(name, c.select, c, where) or c:docs()
  if #docs == 0 then
    M.fail(string.format("%s: %s: no document has %s", name, path, table.concat(where, " and ")), 1)
  end
  local files = {}
  for _, d in ipairs(docs) do
    if d.stale then M.fail(string.format("%s: %s: changed or went away since it was indexed; rebuild the index", name, d.path), 1) end
    files[#files + 1] = d.path
  end
  c:close()
  return files, docs
end

-- The input option every command that reads text files shares: the
-- encoding they are in (the input layer converts them to UTF-8; src/input.h).
-- Without it, UTF-8 is read; UTF-16/32 (a byte-order mark, or NUL at every
-- other byte) and a file clearly not UTF-8 are converted from the encoding
-- detected, with a note (src/charset.h). --encoding utf-8 turns detection off.
function M.input_options(parser)
  parser:option("--encoding", "The input files' encoding, converted to UTF-8 (a name iconv knows:\n"
    .. "latin1, cp1252, utf-16le, koi8-r, shift-jis, gb18030...). Default: UTF-8, and a file\n"
    .. "clearly not UTF-8 is detected and converted; utf-8: the bytes as they are, no detection.")
end

-- The word options every counting command shares (--lower, --fold,
-- --normalize, -k/--kinds, --hyphens, --split-apostrophes, --no-dictionary, --stem); what the kinds
-- are called in the help ("count", "make up n-grams") is the command's.
function M.word_options(parser, kinds_help)
  parser:flag("--lower", "Lower-case words before counting.")
  parser:flag("--fold", "Fold case before counting (full Unicode case folding).")
  parser:option("--normalize", "Unicode normal form of the words."):choices { "nfc", "nfkc" }
  parser:option("-k --kinds", kinds_help or "Kinds of token that count, comma-separated: word, number,\n"
    .. "punct, symbol, space, invalid; all is every kind but space.", "word,number")
  parser:flag("--hyphens", "Count hyphenated words (well-known) as one word.")
  parser:flag("--split-apostrophes", "Split words at apostrophes (don ' t).")
  parser:flag("--no-dictionary", "Cut Chinese, Japanese, Thai, Lao, Khmer and Myanmar by the Unicode rules\nalone (a token per ideograph), not into words by ICU's dictionaries.")
  M.stem_option(parser)
end

-- --stop LIST: the stop words of a language (lua/lexis/data/stop/) or a file.
function M.stop_option(parser)
  parser:option("--stop", "Leave out stop words: a language's list (en, de, fr,\n"
    .. "es, it, ru, ...; an unknown name lists them), or a file\nof words, one per line.")
end

-- --stem LANG, one of the word options (freq and tokens add it themselves).
function M.stem_option(parser)
  parser:option("--stem", "Snowball stems of a language (en, de, fr, ...; an\n"
    .. "unknown name lists them): words are lower-cased, then\nstemmed (Connected -> connect).")
end

-- The tokenizer options (lexis.count's opts) those flags stand for, with
-- the fields of `more` added.
function M.word_opts(args, more)
  local o = { lower = args.lower, fold = args.fold, normalize = args.normalize, kinds = args.kinds,
              hyphens = args.hyphens, apostrophes = not args.split_apostrophes,
              dictionary = not args.no_dictionary, stem = args.stem }
  for k, v in pairs(more or {}) do o[k] = v end
  return o
end

-- The files a command reads: those named, or standard input ("-") if none.
-- Directories are walked and globs expanded by the input layer (core.expand:
-- the same walk and order for every command), what it skips said on stderr.
-- Before any work: a missing file fails (exit 2), and a regular file the
-- policy refuses (UTF-16, UTF-32) fails with how to convert it.
-- A pipe or FIFO is not opened here: its reader sniffs it, once.
function M.inputs(files)
  if files == nil or #files == 0 then return { "-" } end
  local prefix = M.current and M.current .. ": " or ""
  local found, warnings = core.expand(files)
  if #found == 0 then               -- nothing to read is no silent zero
    local name = files[1]
    local kind = core.sniff(name)
    M.fail(prefix .. name .. (kind == "directory" and ": a directory with no files in it"
                              or ": no file matches"), 1)
  end
  for _, w in ipairs(warnings) do io.stderr:write("lexis: ", prefix, w, "\n") end
  for _, path in ipairs(found) do
    if path ~= "-" then
      local kind, message = core.sniff(path)
      if kind == "damaged index" then M.fail(prefix .. message, 1) end
      if kind == nil then M.fail(prefix .. message, 1) end         -- missing, unreadable: a failure
    end
  end
  return found
end

-- --doc NAME (freq, ngrams): the one file read is a piece of document NAME,
-- written with --partial for lexis merge to join (docs/stats.md).
function M.check_doc(name, args, files)
  if not args.doc then return end
  if not args.partial then M.usage_error(name, "--doc goes with --partial") end
  if #files ~= 1 then
    M.usage_error(name, string.format("--doc names the document one piece belongs to: give one file, not %d", #files))
  end
  if args.doc == "" or args.doc:find("[\t\n\r]") then
    M.usage_error(name, "--doc wants a name without tabs or line breaks")
  end
  if args.contains then M.usage_error(name, "--doc and --contains do not go together (merge joins pieces without the filter)") end
end

-- The edges of a piece read by a word counter without sentences (freq):
-- whether its first and last bytes are white space, so merge can warn of a
-- cut inside a word. Standard input cannot be looked at again: taken as
-- white space.
function M.piece_edges(path, doc)
  local e = { doc = doc, piece = path }
  local f = path ~= "-" and io.open(path, "rb")
  if f then
    local first = f:read(1)
    local size = f:seek("end")
    local last = size and size > 0 and f:seek("set", size - 1) and f:read(1)
    f:close()
    e.glued_start = first ~= nil and not first:find("%s")
    e.glued_end = last ~= nil and last ~= false and not last:find("%s")
  end
  return e
end

-- The result a command writes: --format and -o FILE, the same for every
-- command. formats lists what the command writes (nil: plain lines, no
-- --format). The format is --format, else FILE's extension when the command
-- writes that format (out.csv), else text.
function M.output_options(parser, formats)
  if formats then
    parser:option("--format", "Output format: " .. table.concat(formats, ", ")
      .. " (default: the -o FILE's extension, else text)."):choices(formats)
  end
  parser:option("-o --output", "Write to FILE instead of standard output (whole or not at all).")
end

-- Every format a table is written in (src/encode.h): what a command that
-- writes a table offers.
M.FORMATS = { "text", "tsv", "csv", "json", "jsonl", "markdown", "html" }

-- open_output(args, name [, formats [, page]]) -> stream, format, finish.
-- Written to FILE through lexis.atomic_open: an error or Ctrl-C leaves
-- nothing (or the file as it was). finish() commits it; call it after the
-- last write. page (a title, or true for none) makes an HTML table a whole page, as
-- lexis.report.write makes it for a file, on standard output as in FILE: a
-- command's output is the same bytes either way.
function M.output_format(args, formats)
  local fmt = args.format
  if not fmt and args.output and formats then
    local ext = core.format_of(args.output)
    for _, f in ipairs(formats) do
      if f == ext then fmt = ext end
    end
  end
  return fmt or "text"
end

function M.open_output(args, name, formats, page)
  local fmt = M.output_format(args, formats)
  local head, foot
  if page and fmt == "html" then head, foot = core.html_page(page ~= true and page or nil) end
  if not args.output then
    if head then io.stdout:write(head) end
    return io.stdout, fmt, function() if foot then io.stdout:write(foot) end end
  end
  local f, err = core.atomic_open(args.output)
  if not f then M.fail(name .. ": " .. err, 1) end
  if head then f:write(head) end
  return f, fmt, function()
    if foot then f:write(foot) end
    local ok, cerr = f:commit()
    if not ok then M.fail(name .. ": " .. cerr, 1) end
  end
end

-- main(argv): runs `lexis NAME args...`. Returns the exit status, or false
-- when NAME is no command (the host then looks for a script file).
function M.main(argv)
  local name = argv[1]
  if not M.exists(name) then return false end
  local cmd = require("lexis.cmd." .. name)
  M.current = name              -- for messages about inputs
  local args = { table.unpack(argv, 2) }
  for _, a in ipairs(args) do
    if a == "--" then break end
    if a == "-h" or a == "--help" then
      io.write(cmd.parser:get_help(), "\n")
      return 0
    end
  end
  local ok, parsed = cmd.parser:pparse(args)
  if not ok then M.usage_error(name, parsed) end
  if parsed.encoding then           -- cli.input_options: for every file the command opens
    local set, why = core.set_encoding(parsed.encoding)
    if not set then M.usage_error(name, "--encoding: " .. why) end
    M.encoding = parsed.encoding
  end
  local status = M.call(name, cmd.run, parsed)
  return math.type(status) == "integer" and status or 0
end

return M
