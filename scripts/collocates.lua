-- The words found near a word more often than chance would have them, by
-- logDice, with how often each stood on the left and on the right.
--
-- Usage: lexis scripts/collocates.lua WORD FILE... (WORD may be a pattern: "oppos*")

local lexis = require "lexis"

local node, files = ..., { select(2, ...) }
if not node or #files == 0 then
  io.stderr:write("usage: lexis scripts/collocates.lua WORD FILE...\n")
  os.exit(2)
end

-- Five words each side, not across sentence ends; a collocate must be seen
-- with the node at least twice, or one chance meeting tops the list.
local result = assert(lexis.collocates(files, node, { lower = true, span = 5, sentences = true,
                                                       min = 2, top = 20 }))
print(result.info.title)
lexis.report.print(result, { columns = { "rank", "word", "observed", "left", "right",
                                         "logdice", "mi", "t" } })
