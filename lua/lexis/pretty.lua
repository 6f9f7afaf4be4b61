-- Readable text for any Lua value, as the REPL prints it: tables nested and
-- indented, short ones on one line, long ones cut with a count of the rest;
-- lexis objects (and anything with __tostring) through their __tostring.

local M = {}

local defaults = {
  depth = 4,        -- deeper tables show as {...}
  items = 30,       -- entries shown per table before "... N more"
  width = 78,       -- a table fits on one line within this width, or is split
  string = 200,     -- longer strings are cut, with their length
}

local function quote(s, limit)
  local cut = ""
  if #s > limit then
    -- Cut on a UTF-8 character boundary: never leave half a character.
    local n = limit
    while n > 0 and (s:byte(n + 1) or 0) & 0xC0 == 0x80 do n = n - 1 end
    cut = string.format("...(%d bytes)", #s)
    s = s:sub(1, n)
  end
  s = s:gsub('[%c"\\]', function(c)
    local named = { ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r", ['"'] = '\\"', ["\\"] = "\\\\" }
    return named[c] or string.format("\\%d", c:byte())
  end)
  return '"' .. s .. '"' .. cut
end

local function is_identifier(k)
  return type(k) == "string" and k:match("^[%a_][%w_]*$") ~= nil
end

local type_order = { number = 1, string = 2, boolean = 3 }
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (type_order[ta] or 9) < (type_order[tb] or 9) end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local format

local function format_table(t, opts, level, seen)
  if seen[t] then return "<cycle>" end
  if level > opts.depth then return "{...}" end
  seen[t] = true
  local parts, n = {}, #t
  for i = 1, math.min(n, opts.items) do
    parts[#parts + 1] = format(t[i], opts, level + 1, seen)
  end
  local keys = {}
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, key_less)
  local room = opts.items - #parts
  for i = 1, math.min(#keys, math.max(room, 0)) do
    local k = keys[i]
    local key = is_identifier(k) and k or "[" .. format(k, opts, level + 1, seen) .. "]"
    parts[#parts + 1] = key .. " = " .. format(t[k], opts, level + 1, seen)
  end
  local hidden = n + #keys - #parts
  if hidden > 0 then parts[#parts + 1] = string.format("... %d more", hidden) end
  seen[t] = nil
  if #parts == 0 then return "{}" end
  local flat = "{ " .. table.concat(parts, ", ") .. " }"
  if #flat + level * 2 <= opts.width and not flat:find("\n") then return flat end
  local pad = string.rep("  ", level)
  local short = true
  for _, p in ipairs(parts) do
    if #p > 16 or p:find("\n") then short = false break end
  end
  if short then
    -- Many short items (numbers, words): fill lines rather than one per line.
    local lines, line = {}, ""
    for i, p in ipairs(parts) do
      local item = p .. (i < #parts and "," or "")
      if #line > 0 and #pad + 2 + #line + 1 + #item > opts.width then
        lines[#lines + 1] = line
        line = item
      else
        line = #line > 0 and line .. " " .. item or item
      end
    end
    lines[#lines + 1] = line
    return "{\n" .. pad .. "  " .. table.concat(lines, "\n" .. pad .. "  ") .. "\n" .. pad .. "}"
  end
  return "{\n" .. pad .. "  " .. table.concat(parts, ",\n" .. pad .. "  ") .. "\n" .. pad .. "}"
end

function format(v, opts, level, seen)
  local mt = getmetatable(v)
  if type(mt) == "table" and mt.__tostring then return tostring(v) end
  local tv = type(v)
  if tv == "string" then return quote(v, opts.string) end
  if tv == "table" then return format_table(v, opts, level, seen) end
  if tv == "number" and math.type(v) == "float" then return string.format("%.14g", v) end
  return tostring(v)
end

-- pretty(value [, opts]) -> string. opts: depth, items, width, string.
function M.pretty(value, opts)
  local o = {}
  for k, d in pairs(defaults) do o[k] = opts and opts[k] or d end
  return format(value, o, 0, {})
end

-- show(...): prints each value on its own line, as the REPL does.
function M.show(...)
  for i = 1, select("#", ...) do
    io.write(M.pretty((select(i, ...))), "\n")
  end
end

return M
