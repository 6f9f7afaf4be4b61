-- The words that set a text apart from a reference: commoner (+) or rarer
-- (-) than the reference would lead one to expect, by log-likelihood.
--
-- Usage: lexis scripts/keywords.lua TARGET... --ref REFERENCE... [--svg keyness.svg]
--        REFERENCE may be a word list of word<TAB>count lines ending in .tsv

local lexis = require "lexis"

local target, ref, svg = {}, {}, nil
local into = target
local args = { ... }
local i = 1
while i <= #args do
  if args[i] == "--ref" then into = ref
  elseif args[i] == "--svg" then svg = args[i + 1]; i = i + 1
  else into[#into + 1] = args[i] end
  i = i + 1
end
if #target == 0 or #ref == 0 then
  io.stderr:write("usage: lexis scripts/keywords.lua TARGET... --ref REFERENCE... [--svg FILE]\n")
  os.exit(2)
end
-- a reference frequency list is read as counts rather than as text
if #ref == 1 and ref[1]:match("%.tsv$") then ref = { list = ref[1] } end

local kw = assert(lexis.keywords(target, ref, { lower = true, top = 15, p = 0.05 }))
print(kw.info.title)
lexis.report.print(kw, { columns = { "rank", "key", "word", "freq", "freq_ref", "g2", "p_g2", "log_ratio" } })
if svg then
  assert(lexis.plot.save(lexis.plot.keyness(kw), svg))
  print("keyness chart: " .. svg)
end
