-- Crafted indexes: the sections of a fresh index rewritten and written back
-- by lexis itself (core._index_write), so every checksum holds and the
-- damage reaches the checks that come after the checksums. The sections
-- are read from the file and rewritten by name, so the crafts follow the
-- index format as it changes; only the names and the meta fields below
-- mirror src/corpus_internal.h.
--
--   lexis tests/redteam/craft.lua INDEX DIR   writes DIR/NAME.lexis per case
--   (the libFuzzer seeds of tests/fuzz/seeds/index_open/ are made so)

local core = require "lexis.core"

local M = {}

-- Section numbers (1-based) in file order, as in the enum of src/corpus_internal.h.
M.S = { meta = 1, docs = 2, names = 3, lexoff = 4, lex = 5, fold = 6, flexoff = 7, flex = 8,
        frank = 9, fhash = 10, postoff = 11, freq = 12, post = 13, ids = 14, blocks = 15,
        tokoff = 16, xrank = 17, sents = 18, attrs = 19, adata = 20, dmeta = 21, text = 22 }
local S = M.S
local META = { ntok = 1, ndocs = 2, ntypes = 3, nftypes = 4, nslots = 5, bshift = 6, options = 7 }
local DOC = { first = 1, ntok = 2, size = 3, mtime = 4, name = 5, hash = 6 }   -- lx_docrec, 6 x u64

local function u64s(s) local t = {} for i = 1, #s // 8 do t[i] = string.unpack("<i8", s, 8 * i - 7) end return t end
local function pack64(t) local o = {} for i, v in ipairs(t) do o[i] = string.pack("<i8", v) end return table.concat(o) end
local function u32s(s) local t = {} for i = 1, #s // 4 do t[i] = string.unpack("<I4", s, 4 * i - 3) end return t end
local function pack32(t) local o = {} for i, v in ipairs(t) do o[i] = string.pack("<I4", v) end return table.concat(o) end

local function set_meta(s, field, v)
  local m = u64s(s[S.meta])
  m[META[field]] = v
  s[S.meta] = pack64(m)
end
-- every u32 (or u64) of a section set to v
local function fill32(s, sec, v) local t = u32s(s[sec]) for i = 1, #t do t[i] = v end s[sec] = pack32(t) end
local function fill64(s, sec, v, keep_last)
  local t = u64s(s[sec])
  for i = 1, #t - (keep_last and 1 or 0) do t[i] = v end
  s[sec] = pack64(t)
end
local function set_doc(s, d, field, v)
  local t = u64s(s[S.docs])
  t[(d - 1) * 6 + DOC[field]] = v
  s[S.docs] = pack64(t)
end

-- A stored text section (lexis index --store-text) for the documents'
-- sizes: the frames given, zeros to a multiple of 8, the offsets (each
-- frame's, then the frames' end; or `offs`), then the trailer, whose fields
-- `lie` may change (bytes, block, blocks, level).
local function set_text(s, frames, offs, lie)
  local t, bytes = u64s(s[S.docs]), 0
  for d = 0, #t // 6 - 1 do bytes = bytes + t[d * 6 + DOC.size] end
  local block = 8192
  local tail = { bytes = bytes, block = block, blocks = (bytes + block - 1) // block, level = 5 }
  for k, v in pairs(lie or {}) do tail[k] = v end
  frames = frames or {}
  local body = table.concat(frames)
  if not offs then
    offs = {}
    local at = 0
    for i, f in ipairs(frames) do offs[i] = at; at = at + #f end
    offs[#frames + 1] = at
  end
  body = body .. string.rep("\0", (8 - #body % 8) % 8)
  s[S.text] = body .. pack64(offs) .. pack64({ tail.bytes, tail.block, tail.blocks, tail.level })
end
local function junk_frames(s)        -- a frame per block of the documents' text, not zstd
  local t, bytes = u64s(s[S.docs]), 0
  for d = 0, #t // 6 - 1 do bytes = bytes + t[d * 6 + DOC.size] end
  local f = {}
  for i = 1, (bytes + 8191) // 8192 do f[i] = string.rep("\xAB", 24) end
  return f
end

-- Each case: a name, the rewrite, and what lexis must do with the result:
-- "refuse" (opening fails, naming the damage), "error" (some read fails,
-- naming the file) or "survive" (a crafted value that no check can tell
-- from a true one: any answer, but no crash and no hang).
M.cases = {
  -- values whose products wrap (issue 12, item 1: nslots * 4 == 0 let an
  -- empty word hash pass, and find_folded read far outside it)
  { "nslots-2^62", "refuse", function(s) set_meta(s, "nslots", 1 << 62); s[S.fhash] = "" end },
  { "nslots-2^62-hash-kept", "refuse", function(s) set_meta(s, "nslots", 1 << 62) end },
  { "ntypes-wraps-offsets", "refuse", function(s) set_meta(s, "ntypes", (1 << 61) - 1); s[S.lexoff] = "" end },
  { "nftypes-wraps-offsets", "refuse", function(s)
      set_meta(s, "nftypes", (1 << 61) - 1); s[S.flexoff] = ""; s[S.postoff] = "" end },
  { "ntok-wraps-ids", "refuse", function(s) set_meta(s, "ntok", 1 << 62); s[S.ids] = "" end },
  { "ntok-negative", "refuse", function(s) set_meta(s, "ntok", -1) end },
  { "ndocs-wraps-records", "refuse", function(s) set_meta(s, "ndocs", 1 << 60); s[S.docs] = "" end },
  { "bshift-changed", "refuse", function(s) set_meta(s, "bshift", 7) end },
  { "meta-short", "refuse", function(s) s[S.meta] = s[S.meta]:sub(1, 40) end },
  -- a tokenizer option this version does not know: queries would be cut otherwise
  { "options-unknown", "refuse", function(s) set_meta(s, "options", 1 << 40) end },
  { "doc-past-tokens", "refuse", function(s) set_doc(s, 1, "ntok", 1 << 62) end },
  { "doc-name-past-names", "refuse", function(s) set_doc(s, 1, "name", 1 << 40) end },
  { "names-unterminated", "refuse", function(s) s[S.names] = s[S.names]:sub(1, -2) .. "x" end },
  { "sentences-count-lies", "refuse", function(s)
      s[S.sents] = string.pack("<i8i8", 1 << 62, (1 << 56)) .. s[S.sents]:sub(17) end },
  { "lexicon-offsets-end-elsewhere", "refuse", function(s) s[S.lex] = s[S.lex] .. "extra" end },
  -- document metadata (lexis index --meta): one field, its offsets past its strings, or
  -- a document count that is not the index's
  { "doc-metadata-offset-past-strings", "refuse", function(s)
      local nd = u64s(s[S.meta])[META.ndocs]
      local off = {}
      for i = 1, nd + 2 do off[i] = 0 end
      off[2] = 1 << 40
      s[S.dmeta] = pack64 { 1, nd } .. pack64(off) .. "year" end },
  { "doc-metadata-count-lies", "refuse", function(s)
      local nd = u64s(s[S.meta])[META.ndocs] + 1
      local off = {}
      for i = 1, nd + 2 do off[i] = 0 end
      off[#off] = 4
      s[S.dmeta] = pack64 { 1, nd } .. pack64(off) .. "year" end },
  -- values in range of their own section but not of what they point at
  { "posting-offsets-past-postings", "error", function(s) fill64(s, S.postoff, 1 << 62, true) end },
  { "frequencies-past-the-tokens", "error", function(s) fill64(s, S.freq, 1 << 62) end },
  { "postings-never-end", "error", function(s) s[S.post] = string.rep("\255", #s[S.post]) end },
  { "ids-out-of-range", "error", function(s) fill32(s, S.ids, 0xFFFFFFFE) end },
  { "word-hash-ids-out-of-range", "error", function(s) fill32(s, S.fhash, 0xFFFFFFFF) end },
  { "exact-ranks-out-of-range", "error", function(s) fill32(s, S.xrank, 0xFFFFFFFF) end },
  { "case-folding-out-of-range", "error", function(s) fill32(s, S.fold, 0xFFFFFFFF) end },
  { "offset-blocks-past-offsets", "error", function(s) fill64(s, S.blocks, 1 << 62) end },
  { "token-offsets-never-end", "error", function(s) s[S.tokoff] = string.rep("\255", #s[S.tokoff]) end },
  { "sentence-checkpoints-past-data", "error", function(s)
      local t = u64s(s[S.sents])
      for i = 3, 2 + 2 * t[2], 2 do t[i + 1] = 1 << 62 end
      s[S.sents] = pack64(t) .. s[S.sents]:sub(8 * #t + 1) end },
  { "lexicon-offsets-backwards", "error", function(s) fill64(s, S.lexoff, 1 << 40, true) end },
  -- the stored text (--store-text): a trailer that disagrees with the
  -- documents is refused at open; frames that are not what they claim, when read
  { "stored-text-blocks-lie", "refuse", function(s) set_text(s, junk_frames(s), nil, { blocks = 1 << 40 }) end },
  { "stored-text-size-lies", "refuse", function(s) set_text(s, junk_frames(s), nil, { bytes = 3, blocks = 1 }) end },
  { "stored-text-block-size-odd", "refuse", function(s) set_text(s, junk_frames(s), nil, { block = 1000 }) end },
  { "stored-text-not-zstd", "error", function(s) set_text(s, junk_frames(s)) end },
  { "stored-text-offsets-backwards", "error", function(s)
      local f = junk_frames(s)
      local offs = {}
      for i = 1, #f do offs[i] = 24 * (#f - i + 1) end
      offs[#f + 1] = 24 * #f
      set_text(s, f, offs)
    end },
  -- true-looking values: no check can know, but nothing may crash or hang
  { "word-hash-full-of-one-id", "survive", function(s) fill32(s, S.fhash, 1) end },
  { "ids-all-zero", "survive", function(s) fill32(s, S.ids, 0) end },
  { "token-offsets-zero", "survive", function(s) s[S.tokoff] = string.rep("\0", #s[S.tokoff]) end },
}

-- craft(index, case, out) writes the crafted copy of index to out.
function M.craft(index, case, out)
  local s = assert(core._index_sections(index))
  case[3](s)
  assert(core._index_write(out, s))
  return out
end

if arg and arg[0] and arg[0]:match("craft%.lua$") and arg[1] and arg[2] then
  for _, c in ipairs(M.cases) do M.craft(arg[1], c, arg[2] .. "/" .. c[1] .. ".lexis") end
end

return M
