-- Why a query may have found nothing: the reasons a command prints on
-- standard error when it has no hits (no silent zero). Each hint is cheap:
-- it looks at the query, not at the text again.

local M = {}

-- CQP's query language, given to a plain query: [attr="v"], <s>, within,
-- %c, a:[...] labels.
local function looks_like_cqp(q)
  return q:find("%[%s*[%a_]+%s*!?=") or q:find("^%s*%[%s*%]") or q:find("<%/?%a+>")
      or q:find("%f[%w]within%f[%W]") or q:find("\"%s*%%[cdl]+") or q:find("%f[%w]%a+:%[")
end

-- The positions of a plain query (what src/query.c splits on), with /regex/
-- kept whole.
local function positions(q)
  local out, i = {}, 1
  while i <= #q do
    local s = q:find("%S", i)
    if not s then break end
    local e
    if q:sub(s, s) == "/" then e = q:find("/", s + 1, true) end
    e = e and q:find("%s", e) or q:find("%s", s)
    out[#out + 1] = q:sub(s, (e or #q + 1) - 1)
    i = (e or #q + 1)
  end
  return out
end

-- hints.query(query [, opts]) -> a list of sentences (maybe empty). opts:
-- regex (every position a regular expression).
function M.query(query, opts)
  opts = opts or {}
  local out = {}
  if looks_like_cqp(query) then
    out[#out + 1] = "the query looks like CQP syntax; a plain query is words, globs (* ?) "
      .. "and /regex/, one per token (\"the * of\")"
    return out
  end
  if opts.regex then return out end
  local lexis = require "lexis"
  for _, w in ipairs(positions(query)) do
    if not w:find("^/.+/$") and not w:find("[*?\\]") then
      local toks = {}
      for t, _, _, kind in lexis.tokens(w) do
        if kind ~= "space" then toks[#toks + 1] = t end
      end
      -- (Chinese, Japanese, Thai ... are cut into words by the query itself,
      -- as the text is: src/query.c)
      if #toks > 1 and not require("lexis.core").dictword(w) then
        out[#out + 1] = string.format("'%s' is %d tokens as lexis reads text: write it as the phrase '%s'",
          w, #toks, table.concat(toks, " "))
      end
    end
  end
  return out
end

-- hints.empty(facts) -> why a list came out empty, or nil when it did not.
-- facts: rows (shown), tokens (words counted), bytes (read, if known),
-- unit ("word", "2-gram"), kinds (the -k value), min (--min), top_count
-- (the highest count there was), stopped (a stop list was given).
-- A command prints it as "lexis: NAME: " .. reason.
function M.empty(f)
  if f.rows > 0 then return nil end
  local unit = f.unit or "word"
  if f.bytes == 0 then return "the input is empty (0 bytes read)" end
  if f.tokens == 0 then
    local kinds = f.kinds or "word,number"
    local others = kinds ~= "all" and "; -k all counts punctuation and symbols too" or ""
    if f.bytes then
      return string.format("no %ss in the input (%d bytes): only tokens of kinds not counted (-k %s)%s",
        unit, f.bytes, kinds, others)
    end
    return string.format("no %ss in the input: it is empty or holds only tokens of kinds not counted "
      .. "(-k %s)%s", unit, kinds, others)
  end
  if f.min and f.min > 1 and f.top_count and f.top_count < f.min then
    return string.format("no %s occurs --min %d times (the most frequent occurs %d time%s)",
      unit, f.min, f.top_count, f.top_count == 1 and "" or "s")
  end
  if f.stopped then return string.format("every %s counted is in the stop list", unit) end
  if f.fewer then return f.fewer end
  return nil
end

return M
