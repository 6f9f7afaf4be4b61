-- What the REPL (src/repl.c) asks of Lua: how to show results and how to
-- complete a word. Kept here so it can change without touching C.

local pretty = require "lexis.pretty"

local M = {}

-- A lexis result (a concordance, counts, n-grams, a corpus, a statistics
-- table) shows its summary line and then its first rows, as a table that
-- fits the terminal; anything else prints as lexis.pretty makes it.
local HEAD = 10

local function is_result(v)
  local mt = getmetatable(v)
  local name = type(mt) == "table" and mt.__name or nil
  if type(name) == "string" then return name:match("^lexis%.") ~= nil end
  return type(v) == "table" and type(v.columns) == "table" and #v > 0
end

local function show_one(v)
  if is_result(v) then
    local report = require "lexis.report"
    local ok, n = pcall(function() return #v end)
    if ok and math.type(n) == "integer" and n > 0 then
      local summary = tostring(v)
      if type(v) ~= "table" then io.write(summary, "\n") end
      if pcall(report.print, v, { limit = HEAD, title = false }) then
        if n > HEAD then
          io.write(string.format("... %d more: lexis.report(x) or x:write(path) for all\n", n - HEAD))
        end
        return
      end
    end
  end
  io.write(pretty.pretty(v), "\n")
end

function M.show(...)
  for i = 1, select("#", ...) do show_one((select(i, ...))) end
end

-- Names a value offers to completion: its own keys, a lexis module's lazy
-- names (__complete), and the methods its metatable's __index table holds.
local function names_of(v)
  local names, seen = {}, {}
  -- names that start with "_" are internals (k:_addfile, __index), except
  -- among the globals, where _G and _VERSION are Lua's own
  local internal = v == _G and "^__" or "^_"
  local function add(k)
    if type(k) == "string" and k:match("^[%a_][%w_]*$") and not k:match(internal) and not seen[k] then
      seen[k] = true
      names[#names + 1] = k
    end
  end
  if type(v) == "table" then for k in pairs(v) do add(k) end end
  local mt = getmetatable(v)
  if type(mt) == "table" then
    if type(mt.__complete) == "function" then
      for _, k in ipairs(mt.__complete(v)) do add(k) end
    end
    if type(mt.__index) == "table" then for k in pairs(mt.__index) do add(k) end end
  end
  return names
end

-- Is the end of line inside a string literal ('...' or "...")?
local function in_string(line)
  local quote
  local i = 1
  while i <= #line do
    local ch = line:sub(i, i)
    if quote then
      if ch == "\\" then i = i + 1 elseif ch == quote then quote = nil end
    elseif ch == "'" or ch == '"' then
      quote = ch
    elseif line:sub(i, i + 1) == "--" then
      return false                     -- a comment
    end
    i = i + 1
  end
  return quote ~= nil
end

-- The attribute and region names of the corpora the globals hold (a CQL
-- query or a breakdown key being typed in a string: c:query('[lem<Tab>').
local function attribute_names()
  local names, seen = {}, {}
  local Corpus = require("lexis.core").Corpus
  for _, v in pairs(_G) do
    if type(v) == "userdata" and getmetatable(v) and getmetatable(v).__index == Corpus then
      local ok, a = pcall(v.attributes, v)
      if ok and type(a) == "table" then
        for _, list in ipairs { a.positional or {}, a.structural or {} } do
          for _, n in ipairs(list) do
            if not seen[n] then seen[n] = true; names[#names + 1] = n end
          end
        end
      end
    end
  end
  return names
end

-- complete(word [, before]) -> sorted candidates. "lexis.to" completes
-- fields of the global lexis; "s:up" completes methods of s (strings
-- included); inside a string (before: the line up to the word), a word
-- completes to the attributes of the corpora in globals.
function M.complete(word, before)
  if before and in_string(before) then
    local out = {}
    for _, n in ipairs(attribute_names()) do
      if n:sub(1, #word) == word then out[#out + 1] = n end
    end
    table.sort(out)
    return out
  end
  local path, sep, prefix = word:match("^(.-)([.:])([%w_]*)$")
  local value = _G
  if path then
    for part in path:gmatch("[^.:]+") do
      if type(value) ~= "table" and type(value) ~= "userdata" and type(value) ~= "string" then
        return {}
      end
      local ok, field = pcall(function() return value[part] end)
      if not ok or field == nil then return {} end
      value = field
    end
  else
    path, sep, prefix = "", "", word
  end
  local out = {}
  for _, name in ipairs(names_of(value)) do
    if name:sub(1, #prefix) == prefix then
      local ok, field = pcall(function() return value[name] end)
      local suffix = ""
      if ok and type(field) == "table" and sep ~= ":" then suffix = "." end
      if ok and type(field) == "function" then suffix = "(" end
      out[#out + 1] = path .. sep .. name .. suffix
    end
  end
  table.sort(out)
  return out
end

return M
