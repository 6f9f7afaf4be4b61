-- bench/apertium2vrt.lua ID < TAGGED > OUT.vrt: turns Apertium's tagged stream,
-- one sentence a line (^surface/lemma<tag><tag>$ units), into a VRT file with
-- the columns word lemma pos tags, one <text id="ID"> and an <s> a line.
--   pos   the first tag ("n", "vblex", "det"); "unk" for an unknown word
--   tags  every tag, joined by "." ("vblex.past"); "unk" for an unknown word
--   lemma the lemma; an unknown word (^Xyzzy/*Xyzzy$) keeps its surface form;
--         joined analyses (^don't/do<vbdo><pres>+not<adv>$) give "do+not"
-- Text outside units (a stray "&") becomes tokens of pos "unk". The last
-- unit of the stream, a "." that apertium-destxt adds at the end, is dropped.
-- Limits: a "$" inside a unit is not told from its end, but for a "$" that
-- is a unit of its own (a price, a shell prompt).
local id = arg[1] or "doc"
local out = io.stdout

local function xml(s)
  return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

-- Escaped characters (\^ \/ \< ...) become "\1ddd" while the line is cut up.
local function hide(s) return (s:gsub("\\(.)", function(c) return ("\1%03d"):format(c:byte()) end)) end
local function show(s) return (s:gsub("\1(%d%d%d)", function(d) return string.char(tonumber(d)) end)) end

local function token(word, lemma, pos, tags)
  out:write(xml(show(word)), "\t", xml(show(lemma)), "\t", pos, "\t", tags, "\n")
end

local function unit(u)
  local surface, analysis = u:match("^(.-)/(.*)$")
  if not surface then return token(u, u, "unk", "unk") end
  if analysis:sub(1, 1) == "*" or analysis == "" then return token(surface, surface, "unk", "unk") end
  local lemmas, tags = {}, {}
  for part in (analysis .. "+"):gmatch("(.-)%+") do
    local lemma = part:match("^[^<]*")
    if lemma ~= "" or #lemmas == 0 then lemmas[#lemmas + 1] = lemma end
    for t in part:gmatch("<([^>]*)>") do tags[#tags + 1] = t end
  end
  local lemma = table.concat(lemmas, "+")
  if lemma == "" then lemma = surface end
  if #tags == 0 then return token(surface, lemma, "unk", "unk") end
  token(surface, lemma, tags[1], table.concat(tags, "."))
end

local function raw(s)
  for w in s:gmatch("%S+") do token(w, w, "unk", "unk") end
end

out:write("<!-- #vrt positional-attributes: word lemma pos tags -->\n")
out:write('<text id="', xml(id), '">\n')
local pending                      -- the previous line: the last one loses its added "."
local function sentence(line, last)
  line = hide(line)
  -- a "$" is a unit of its own (^$/$<mon>$) and is not escaped: hidden too
  line = line:gsub("%^%$/%$<", "^\001036/\001036<"):gsub("%^%$/%*%$%$", "^\001036/*\001036$")
  if last then line = line:gsub("%^%./%.<sent>%$%s*$", "") end
  if not line:find("%S") then return end
  out:write("<s>\n")
  local pos = 1
  for s, u, e in line:gmatch("()%^(.-)%$()") do
    raw(line:sub(pos, s - 1))
    unit(u)
    pos = e
  end
  raw(line:sub(pos))
  out:write("</s>\n")
end
for line in io.lines() do
  if pending then sentence(pending, false) end
  pending = line
end
if pending then sentence(pending, true) end
out:write("</text>\n")
