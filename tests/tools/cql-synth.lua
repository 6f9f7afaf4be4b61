-- Writes tests/data/cql/synth.vrt, the larger corpus of the CQL specs: the
-- text of corpus/ five times over as five texts (id, year), one paragraph a
-- line of the source, sentences ended at . ! ?, every token with a made-up
-- lemma (lower case, a plural -s or a past -ed cut off) and part of speech
-- (a few closed classes by list, the rest by suffix). Deterministic.
--   lexis tests/tools/cql-synth.lua > tests/data/cql/synth.vrt
local lexis = require "lexis"

local CLOSED = {
  the = "DT", a = "DT", an = "DT", this = "DT", that = "DT", these = "DT",
  ["and"] = "CC", ["or"] = "CC", but = "CC",
  of = "IN", ["in"] = "IN", to = "IN", on = "IN", by = "IN", with = "IN", from = "IN", at = "IN", ["for"] = "IN",
  he = "PP", she = "PP", it = "PP", they = "PP", we = "PP", i = "PP",
  is = "VBZ", was = "VBD", were = "VBD", be = "VB", been = "VBN", are = "VBP", has = "VBZ", had = "VBD",
  ["not"] = "RB",
}

local function tag(w)
  local l = w:lower()
  if CLOSED[l] then return l, CLOSED[l] end
  if w:match("^[.!?]$") then return w, "SENT" end
  if w:match("^%p+$") then return w, "PUN" end
  if w:match("^%d") then return w, "CD" end
  if l:match("ly$") then return l, "RB" end
  if l:match("ed$") and #l > 4 then return l:sub(1, -3), "VBD" end
  if l:match("ing$") and #l > 5 then return l:sub(1, -4), "VBG" end
  if l:match("ous$") or l:match("ive$") or l:match("al$") or l:match("ful$") or l:match("ic$") then return l, "JJ" end
  if l:match("[^s]s$") and #l > 3 then return l:sub(1, -2), "NNS" end
  if w:match("^%u") then return w, "NP" end
  return l, "NN"
end

local lines = {}
for line in io.lines("corpus/red-book-1936-excerpt.txt") do lines[#lines + 1] = line end

local out = { "<!-- #vrt positional-attributes: word lemma pos -->" }
for copy = 1, 5 do
  out[#out + 1] = string.format('<text id="copy%d" year="%d">', copy, 1930 + copy * 2)
  for _, line in ipairs(lines) do
    local words = {}
    for tok, _, _, kind in lexis.tokens(line) do
      if kind ~= "space" then words[#words + 1] = tok end
    end
    if #words > 0 then
      out[#out + 1] = "<p>"
      local open = false
      for _, w in ipairs(words) do
        if not open then out[#out + 1] = "<s>"; open = true end
        local lemma, pos = tag(w)
        out[#out + 1] = w .. "\t" .. lemma .. "\t" .. pos
        if pos == "SENT" then out[#out + 1] = "</s>"; open = false end
      end
      if open then out[#out + 1] = "</s>" end
      out[#out + 1] = "</p>"
    end
  end
  out[#out + 1] = "</text>"
end
io.write(table.concat(out, "\n"), "\n")
