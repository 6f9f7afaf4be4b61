-- Sentences: lexis.sentences(text [, opts]) iterates over the sentences of a
-- text, lexis.file_sentences(path [, opts]) over those of a file of any size,
-- lexis.splitter(opts) compiles the options once, and
-- lexis.learn_abbreviations(text_or_files [, opts]) finds a corpus's own
-- abbreviations. The splitting itself is src/sentences.c; see docs/sentences.md.

local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

-- Languages whose "3." is an ordinal number ("am 3. Oktober"), beyond those
-- whose data file says so.
local ORDINAL_LANGS = {
  de = true, da = true, nb = true, no = true, nn = true, fi = true, cs = true, sk = true,
  pl = true, sl = true, hr = true, sr = true, bs = true, hu = true, tr = true, et = true,
  lv = true, is = true, fo = true,
}

local NEWLINES = { paragraph = true, line = true, ignore = true }
local KINDS = { "prefix", "number", "suffix", "other", "starters" }

-- The data of a language, or an empty list for a language without one.
local function lang_data(lang)
  if lang == "none" then return {} end
  if type(lang) ~= "string" or not lang:match("^[%a_-]+$") then
    contract.misuse(string.format("bad option 'lang' (a language code expected, got %q)", tostring(lang)))
  end
  local ok, data = pcall(require, "lexis.data.abbrev." .. lang)
  if ok then return data end
  if not tostring(data):find("not found", 1, true) then error(data, 0) end -- a broken data file
  return {} -- a language without a list: the rules alone
end

local function append(into, list)
  for _, w in ipairs(list or {}) do into[#into + 1] = w end
end

local cache = setmetatable({}, { __mode = "v" })

-- splitter(opts) -> lexis.Splitter. opts.lang ("en"; "none" for no list),
-- opts.abbreviations (more: an array, of kind "other", or a table of kinds
-- like the data files), opts.newlines ("paragraph", "line", "ignore"),
-- opts.max_sentence (bytes), opts.splitter (returned as it is).
function M.splitter(opts)
  opts = opts or {}
  if type(opts) ~= "table" then contract.misuse("bad argument #1 to 'splitter' (table expected)") end
  if opts.splitter then return opts.splitter end
  local lang = opts.lang or "en"
  local newlines = opts.newlines or "paragraph"
  if not NEWLINES[newlines] then
    contract.misuse(string.format("bad option 'newlines' (paragraph, line or ignore expected, got %q)",
                        tostring(newlines)))
  end
  local key = not opts.abbreviations and not opts.max_sentence and lang .. "\0" .. newlines
  if key and cache[key] then return cache[key] end
  local data = lang_data(lang)
  local config = { newlines = newlines, max_sentence = opts.max_sentence,
                   ordinals = data.ordinals or ORDINAL_LANGS[lang] or false }
  for _, kind in ipairs(KINDS) do
    config[kind] = {}
    append(config[kind], data[kind])
  end
  local extra = opts.abbreviations
  if type(extra) == "string" then extra = { extra } end
  if extra then
    append(config.other, extra)
    for _, kind in ipairs(KINDS) do append(config[kind], extra[kind]) end
  end
  local sp = core.splitter(config)
  if key then cache[key] = sp end
  return sp
end

-- sentences(text [, opts]) -> iterator of sentence, start, stop (1-based,
-- inclusive byte offsets into text).
function M.sentences(text, opts)
  if type(text) ~= "string" then
    contract.misuse("bad argument #1 to 'sentences' (string expected, got " .. type(text) .. ")")
  end
  return core.sentences(M.splitter(opts), text)
end

-- The sentences of text as an array (a convenience for short texts).
function M.split_sentences(text, opts)
  local out = {}
  for s in M.sentences(text, opts) do out[#out + 1] = s end
  return out
end

local CHUNK = 1 << 20

-- file_sentences(path [, opts]) -> iterator of sentence, start, stop (byte
-- offsets in the file), reading the file in chunks of opts.chunk bytes
-- (1 MiB): memory stays bounded by the chunk and the longest sentence. The
-- four-value form closes the file when the loop ends or breaks.
function M.file_sentences(path, opts)
  opts = opts or {}
  local sp = M.splitter(opts)
  -- the input layer's reader (src/input.h): one descriptor, the one policy
  local f, err, code = core.input(contract.checkpath(path))
  if f == false then return function() return nil end end   -- binary: skipped, said on stderr
  if not f then return nil, err, code end
  local state = core.split_state()
  local chunk = opts.chunk or CHUNK
  local buf, offset, eof = "", 0, false
  local spans, k = {}, 1
  local base = 0 -- offset of the buffer the spans refer to
  local function next_sentence()
    while k > #spans do
      if eof and #buf == 0 then return nil end
      if not eof then
        local more = f:read(chunk)
        if more then buf = buf .. more else eof = true end
      end
      local settled
      settled, spans = core.split_chunk(sp, state, buf, eof)
      k, base = 1, offset
      if settled > 0 then
        spans.text = buf
        buf = buf:sub(settled + 1)
        offset = offset + settled
      else
        spans.text = buf
      end
      if eof and #buf == 0 and #spans == 0 then return nil end
    end
    local a, b = spans[k], spans[k + 1]
    k = k + 2
    return spans.text:sub(a, b), base + a, base + b
  end
  return next_sentence, nil, nil, f
end

-- learn_abbreviations(text_or_files [, opts]) -> words, details
-- The Punkt idea: tokens ending in a period that are seldom seen without it
-- and seldom followed by a capital are abbreviations. text_or_files is a
-- string of text, an array of file names, or a corpus (lexis.corpus or
-- lexis.open: its documents' files are read). opts.min_count (2): times seen
-- with a period; opts.min_score (0.25). words is an array for
-- opts.abbreviations; details has word, score, count, without_period,
-- lower_after, upper_after for each.
function M.learn_abbreviations(source, opts)
  opts = opts or {}
  local learner <close> = core.learner()
  local mt = getmetatable(source)
  if type(mt) == "table" and mt.__name == "lexis.Corpus" then
    local paths = {}
    for i, doc in ipairs(source:docs()) do paths[i] = doc.path end
    source = paths
  end
  if type(source) == "string" then
    learner:feed(source, true)
  elseif type(source) == "table" then
    local files, warnings = core.expand(source)       -- directories and globs too
    for _, w in ipairs(warnings) do io.stderr:write("lexis: ", w, "\n") end
    for _, path in ipairs(files) do
      local f <close>, err, code = core.input(contract.checkpath(path))
      if f == nil then return nil, err, code end
      local carry = ""
      while f do                                      -- false: binary, said on stderr
        local more = f:read(CHUNK)
        local text = carry .. (more or "")
        local used = learner:feed(text, more == nil)
        if more == nil then break end
        carry = text:sub(used + 1)
      end
    end
  else
    contract.misuse("bad argument #1 to 'learn_abbreviations' (text, file names or corpus expected)")
  end
  local details = learner:finish(opts.min_count or 2, opts.min_score or 0.25)
  local words = {}
  for i, d in ipairs(details) do words[i] = d.word end
  return words, details
end

return M
