-- The commonest words of some texts, stop words left out, with range and
-- dispersion (Juilland's D, Gries' DP): how evenly each word is spread.
--
-- Usage: lexis scripts/wordlist.lua [-n TOP] [-f FORMAT] FILE...   (FORMAT: text, csv, json, markdown, ...)

local lexis = require "lexis"

local args, top, format = { ... }, 25, "text"
local files = {}
local i = 1
while i <= #args do
  if args[i] == "-n" then top = tonumber(args[i + 1]); i = i + 2
  elseif args[i] == "-f" then format = args[i + 1]; i = i + 2
  else files[#files + 1] = args[i]; i = i + 1 end
end
if #files == 0 or not top then
  io.stderr:write("usage: lexis scripts/wordlist.lua [-n TOP] [-f FORMAT] FILE...\n")
  os.exit(2)
end

-- With one file, "parts = 10" cuts it into ten equal runs, so that range
-- and dispersion still say something; with several, each file is a part.
local list = assert(lexis.wordlist(files, { lower = true, stop = "en", top = top,
                                             parts = #files == 1 and 10 or "docs" }))
if format == "text" then print(list.info.title) end
lexis.report.write(list, io.stdout, format,
                   { columns = { "rank", "word", "freq", "per_million", "range", "d", "dp" } })
