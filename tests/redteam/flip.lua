-- The flip harness: damages an index one byte at a time and reads it the
-- ways lexis reads an index, counting what each damage gave.
--
--   lexis tests/redteam/flip.lua INDEX WHICH [SEED]
--
-- WHICH is "every", "every:K" (every K-th byte) or "random:N" (N bytes
-- picked with SEED). Each damaged copy flips one bit of one byte; the probe
-- below opens it, queries it, counts from it. An answer equal to the sound
-- index's is harmless (the byte was padding, or a part no probe reads); an
-- error is the promise kept; a different answer without an error is a
-- silent wrong answer. Prints "flips N same N errors N silent N", then one
-- line per silent wrong answer. A signal kills the process: its caller sees
-- the exit status.

local lexis = require "lexis"

local index, which, seed = arg[1], arg[2] or "every", tonumber(arg[3] or "1")

local function probe(path)
  local out = {}
  local function put(...) out[#out + 1] = table.concat({ ... }, "\t") end
  local ok, err = pcall(function()
    local c = assert(lexis.open(path))
    put(#c, c:types(), c:sentences())
    for _, d in ipairs(c:docs()) do put(d.path, d.size, d.tokens, d.first, tostring(d.stale)) end
    for _, w in ipairs { "the", "cat", "caf\u{e9}", "zzz" } do put(w, assert(c:freq(w))) end
    local queries = { { "cat" }, { "the c*" }, { "/d.g/ ?i?" }, { "The", true }, { "sat on the" },
                      { "*" } }
    for _, q in ipairs(queries) do
      local k = c:kwic(q[1], { case = q[2] })
      k:sort("R1,L1")          -- (the sort reads the ids around every hit)
      for i, h in k:hits() do
        if i > 300 then break end
        put(h.doc, h.position, h.length, h.start, h.stop, h.left, h.node, h.right, h.sentence)
      end
    end
    -- every attribute through the CQL evaluator's view (an annotated
    -- index's lexicons, ids, postings, regions and values); over a big
    -- index, some 500 values and 2,000 positions of each, evenly spread
    -- (every one of them took 9 s a flip over the 40,000 types of the big
    -- index of index_spec)
    local a = c:attributes()
    local tstep = math.max(3, #c // 2000)
    for _, p in ipairs(a.positional) do
      local ids = assert(c:_view("ids", p, 0, #c))
      put(p, table.concat(ids, " "))
      local lex = assert(c:_view("lexicon", p))
      for i = 1, #lex, math.max(1, #lex // 500) do
        local v = lex[i]
        put(v, table.concat(assert(c:_view("postings", p, v)), " "), assert(c:_view("freq", p, v)))
      end
    end
    for _, s in ipairs(a.structural) do
      for _, r in ipairs(assert(c:_view("regions", s))) do put(s, r[1], r[2], r[3]) end
      for t = 0, #c - 1, tstep do put(s, t, tostring(c:_view("region_at", s, t))) end
    end
    if c:annotated() then c:close() return end     -- (collocates read the documents' text)
    local r = c:collocates("cat", { span = 3 })
    for _, row in ipairs(r.rows or r) do
      local t = {}
      for k, v in pairs(row) do t[#t + 1] = tostring(k) .. "=" .. tostring(v) end
      table.sort(t)
      put(table.concat(t, " "))
    end
    c:close()
  end)
  if not ok then return nil, tostring(err) end
  return table.concat(out, "\n")
end

local f = assert(io.open(index, "rb"))
local bytes = f:read("a")
f:close()
local want, err = probe(index)
if not want then io.stderr:write("the sound index fails the probe: ", err, "\n") os.exit(2) end

local offsets = {}
local every = which:match("^every:?(%d*)$")
if every then
  local step = tonumber(every) or 1
  for i = 1, #bytes, step do offsets[#offsets + 1] = i end
else
  local n = assert(tonumber(which:match("^random:(%d+)$")), "WHICH: every, every:K or random:N")
  math.randomseed(seed)
  for i = 1, n do offsets[i] = math.random(1, #bytes) end
end

local tmp = os.tmpname()
local same, errors, silent = 0, 0, {}
for _, i in ipairs(offsets) do
  local bit = 1 << ((i * 5 + seed) % 8)
  local b = string.char(bytes:byte(i) ~ bit)
  local w = assert(io.open(tmp, "wb"))
  w:write(bytes:sub(1, i - 1), b, bytes:sub(i + 1))
  w:close()
  local got = probe(tmp)
  if got == nil then errors = errors + 1
  elseif got == want then same = same + 1
  else silent[#silent + 1] = string.format("byte %d (0-based), bit 0x%02x", i - 1, bit) end
  collectgarbage()
end
os.remove(tmp)
print(string.format("flips %d same %d errors %d silent %d", #offsets, same, errors, #silent))
for _, s in ipairs(silent) do print(s) end
