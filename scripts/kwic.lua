-- A concordance of a word or phrase, sorted by the words after it, with a
-- strip showing where in the texts the hits fall.
--
-- Usage: lexis scripts/kwic.lua QUERY FILE... (QUERY may be a phrase: "left opposition")

local lexis = require "lexis"

local query, files = ..., { select(2, ...) }
if not query or #files == 0 then
  io.stderr:write("usage: lexis scripts/kwic.lua QUERY FILE...\n")
  os.exit(2)
end

local conc = assert(lexis.kwic(files, query, { sort = "R1,R2", width = 40 }))
print(string.format("%d hits of %q", #conc, query))
-- where they are: one cell per stretch of the texts, taller for more hits
print("|" .. lexis.plot.strip(conc, { width = 60 }) .. "|")
conc:print()
