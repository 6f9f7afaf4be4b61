-- lexis sentences [FILE...]: the sentences of the text, one per line with
-- inner white space collapsed; or with their byte offsets, or their count.
local cli = require "lexis.cli"
local core = require "lexis.core"
local sentences = require "lexis.sentences"

local cmd = cli.command {
  name = "sentences",
  summary = "the sentences of the text, one per line (or with offsets)",
  description = "Splits the text into sentences and prints one per line, runs of white space\n"
    .. "inside a sentence collapsed into one space. Abbreviations, initials, numbers,\n"
    .. "quotations, lists and layout are handled by rule; see docs/sentences.md.",
  epilog = "Examples:\n"
    .. "  lexis sentences corpus/red-book-1936-excerpt.txt\n"
    .. "  lexis sentences --offsets --lang de brief.txt\n"
    .. "  lexis sentences --learn --count thesis/*.txt",
}
local p = cmd.parser
p:option("-l --lang", "Language of the abbreviation list: en de fr es it ru, "
  .. "another code (no list), or none.", "en")
p:option("-n --newlines", "What a newline means: paragraph (a blank line ends a "
  .. "sentence), line (every newline does) or ignore (newlines are spaces).", "paragraph")
  :choices { "paragraph", "line", "ignore" }
p:option("-a --abbreviations", "More abbreviations, comma-separated (\"approx,Fig\").")
p:flag("--learn", "Learn the files' own abbreviations first (a first pass over them).")
p:flag("--offsets", "Before each sentence, tab-separated: its first and last byte "
  .. "in the file (1-based, inclusive).")
p:flag("-c --count", "Print only the number of sentences.")
cli.input_options(p)
cli.output_options(p)
p:option("--threads", "Threads to split with (default: one per CPU).", nil, cli.whole("--threads", 0, 64))
p:option("--chunk", "Bytes read at a time (tests use tiny chunks).", nil, cli.whole("--chunk", 1)):hidden(true)
p:argument("files", "Files to read (standard input when none or -)."):args("*")

function cmd.run(args)
  local files = cli.inputs(args.files)
  local extra = {}
  if args.abbreviations then
    for w in args.abbreviations:gmatch("[^,%s]+") do extra[#extra + 1] = w end
  end
  if args.learn then
    local paths = {}
    for _, path in ipairs(files) do
      if path ~= "-" and core.sniff(path) == "other" then
        cli.usage_error("sentences", "--learn reads the files twice: not a pipe or FIFO (" .. path .. ")")
      end
      if path ~= "-" then paths[#paths + 1] = path end
    end
    local learned = cli.call("sentences", sentences.learn_abbreviations, paths)
    for _, w in ipairs(learned) do extra[#extra + 1] = w end
  end
  local sp = cli.call("sentences", sentences.splitter, {
    lang = args.lang, newlines = args.newlines, abbreviations = #extra > 0 and extra or nil,
  })
  local mode = args.count and "count" or args.offsets and "offsets" or "lines"
  local total = 0
  local out, _, finish = cli.open_output(args, "sentences")
  for _, path in ipairs(files) do
    local prefix = #files > 1 and (path == "-" and "stdin" or path) or nil
    -- the input layer opens and sniffs it (a binary file is skipped, saying so)
    local n, err = core.split_file(sp, path, out, mode, prefix, args.chunk, args.threads)
    if not n and err:find("^output: ") then cli.fail("sentences: " .. err, 1) end  -- a full disk
    if not n then cli.fail("sentences: " .. err, 1) end   -- "path: reason"
    total = total + n
  end
  if args.count then out:write(total, "\n") end
  finish()
  return 0
end

return cmd
