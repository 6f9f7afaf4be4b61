-- Two texts side by side: size, vocabulary, sentence length, and each
-- one's commonest content words next to the other's.
--
-- Usage: lexis scripts/compare.lua A B

local lexis = require "lexis"

local a, b = ...
if not a or not b then
  io.stderr:write("usage: lexis scripts/compare.lua A B\n")
  os.exit(2)
end

local function profile(path)
  local counts = assert(lexis.count({ path }, { lower = true }))
  local sentences = 0
  for _ in lexis.file_sentences(path) do sentences = sentences + 1 end
  local content = assert(lexis.count({ path }, { lower = true, stop = "en" }))
  return {
    name = path:match("[^/]+$"),
    tokens = counts:total(), types = #counts, sentences = sentences,
    -- type/token ratio depends on length: compare texts of like size
    ttr = counts:total() > 0 and #counts / counts:total() or 0,
    mean_sentence = sentences > 0 and counts:total() / sentences or 0,
    top = content:top(10),
  }
end

local pa, pb = profile(a), profile(b)
local figures = { columns = { "measure", pa.name, pb.name } }
for _, m in ipairs({ "tokens", "types", "ttr", "sentences", "mean_sentence" }) do
  figures[#figures + 1] = { measure = m, [pa.name] = pa[m], [pb.name] = pb[m] }
end
lexis.report.print(figures)

print()
local words = { columns = { "rank", pa.name, "n_a", pb.name, "n_b" } }
for i = 1, math.max(#pa.top, #pb.top) do
  local x, y = pa.top[i] or {}, pb.top[i] or {}
  words[i] = { rank = i, [pa.name] = x.word, n_a = x.count, [pb.name] = y.word, n_b = y.count }
end
lexis.report.print(words)
