-- The main job on a few texts: a word list and a concordance in the
-- terminal, then an HTML report of them written under build/.
-- Usage: lexis scripts/demo.lua FILE... (make demo runs it on corpus/).

local files = { ... }
if #files == 0 then
  io.stderr:write("usage: lexis scripts/demo.lua FILE...\n")
  os.exit(2)
end

local function heading(text)
  io.write("\n", text, "\n", string.rep("-", #text), "\n")
end

-- A word list: lower-cased, English stop words left out.
local counts = assert(lexis.count(files, { lower = true, stop = "en" }))
heading(string.format("The 15 most frequent words (of %d tokens, %d types, stop words left out)",
                      counts:total(), #counts))
for rank, entry in ipairs(counts:top(15)) do
  io.write(string.format("%4d  %-18s %5d\n", rank, entry.word, entry.count))
end

-- A concordance of the most frequent word, sorted by what follows it.
local node = counts:top(1)[1].word
heading(string.format("Keyword in context: %q, sorted by the next word", node))
assert(lexis.kwic(files, node, { sort = "R1", limit = 12, width = 36 })):print()

-- The HTML report of the same texts (scripts/report.lua), under build/,
-- which git ignores; LEXIS_REPORT names another place.
local here = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "scripts"
local page = os.getenv("LEXIS_REPORT") or "build/report.html"
os.execute("mkdir -p '" .. (page:match("^(.*)/[^/]*$") or "."):gsub("'", "'\\''") .. "'")
heading("An HTML report")
local report = assert(loadfile(here .. "/report.lua"))
local args = { table.unpack(files) }
for _, a in ipairs({ "--word", node, "-o", page }) do args[#args + 1] = a end
report(table.unpack(args))
local where = page:sub(1, 1) == "/" and page or (os.getenv("PWD") or ".") .. "/" .. page
io.write("Open it in a browser: file://", where, "\n")
