-- lexis.progress: a progress line on standard error for long jobs.
--
--   local p = progress.new(total_bytes, { label = "counting" })
--   for ... do ...; p:add(bytes) end
--   p:finish()
--
-- The line shows bytes done of the total, the rate and the time left:
--   counting: 12.3 MB of 45.6 MB (27%), 8.1 MB/s, 4 s left
-- It appears only when standard error is a terminal, and only once the job
-- has run for a second (a quick job prints nothing); it is redrawn at most
-- ten times a second and wiped by finish(). LEXIS_PROGRESS=0 turns it off;
-- LEXIS_PROGRESS_DELAY=seconds changes the second (tests set 0).
--
-- A job in C that reads one big file reports within it: p:part() gives the
-- hook to pass it (nil when the meter is off, so the job pays nothing).

local core = require "lexis.core"

local M = {}
local Meter = {}
Meter.__index = Meter

local function size(n)
  if n >= 1e9 then return string.format("%.1f GB", n / 1e9) end
  if n >= 1e6 then return string.format("%.1f MB", n / 1e6) end
  if n >= 1e3 then return string.format("%.1f kB", n / 1e3) end
  return string.format("%d B", math.floor(n))
end
M._size = size

local function duration(s)
  if s >= 3600 then return string.format("%d h %02d min", s // 3600, s % 3600 // 60) end
  if s >= 60 then return string.format("%d min %02d s", s // 60, math.floor(s % 60)) end
  return string.format("%d s", math.ceil(s))
end

-- progress.new(total [, opts]) -> a meter. total: bytes (nil or 0 when not
-- known: no percentage or time left). opts: label, stream (io.stderr),
-- delay (seconds before the first line, 1), tty (true or false instead of
-- asking the stream), clock (a function giving seconds).
function M.new(total, opts)
  opts = opts or {}
  local stream = opts.stream or io.stderr
  local on = opts.tty
  if on == nil then on = core.isatty(stream) end
  if os.getenv("LEXIS_PROGRESS") == "0" then on = false end
  local clock = opts.clock or core.clock
  return setmetatable({
    total = total or 0, done = 0, label = opts.label or "working", stream = stream,
    on = on, clock = clock, start = clock(),
    delay = opts.delay or tonumber(os.getenv("LEXIS_PROGRESS_DELAY") or "") or 1, last = -math.huge,
    shown = false,
  }, Meter)
end

-- The text of the line as it stands.
function Meter:line()
  local elapsed = self.clock() - self.start
  if self.stage then            -- after the reading: what the job does now, and for how long
    return string.format("%s: %s (%s)", self.label, self.stage, duration(self.clock() - self.stage_start))
  end
  local rate = elapsed > 0 and self.done / elapsed or 0
  local parts = { self.label .. ": " .. size(self.done) }
  if self.total > 0 then
    parts[1] = parts[1] .. string.format(" of %s (%d%%)", size(self.total),
                                         math.floor(100 * math.min(self.done / self.total, 1)))
  end
  parts[#parts + 1] = size(rate) .. "/s"
  if self.total > 0 and rate > 0 and self.done < self.total then
    parts[#parts + 1] = duration((self.total - self.done) / rate) .. " left"
  end
  return table.concat(parts, ", ")
end

function Meter:draw()
  if not self.on then return end
  local now = self.clock()
  if now - self.start < self.delay or now - self.last < 0.1 then return end
  self.last = now
  self.shown = true
  -- \r back to the start, \27[K clears what a longer line left
  self.stream:write("\r", self:line(), "\27[K")
  self.stream:flush()
end

-- p:add(n): n more bytes done. After p:part(), the part's bytes in all.
function Meter:add(n)
  if self.base then             -- the part ends: its hook's figure gives way
    self.done, self.base = self.base, nil
  end
  self.done = self.done + (n or 0)
  self:draw()
  return self
end

-- p:set(done): done bytes in all.
function Meter:set(done)
  self.done = done
  self:draw()
  return self
end

-- p:part() -> a function(done) for a C job reading one file, or nil when
-- the meter is off. The job calls it as it goes with the bytes of the file
-- done so far, counted on top of the bytes done before the file; the next
-- p:add(n) or p:file(path) ends the part with its whole size.
function Meter:part()
  local base = self.done
  self.base = base
  if not self.on then return nil end
  return function(done) self:set(base + done) end
end

-- p:clear(): wipes the line, if one was drawn, for a message; the next
-- update draws it again.
function Meter:clear()
  if self.shown then
    self.stream:write("\r\27[K")
    self.stream:flush()
    self.shown = false
  end
  return self
end

-- p:phase(text): the bytes are all read and the job goes on (sorting,
-- writing): the line says so instead of stopping at the last percentage.
function Meter:phase(text)
  self.stage, self.stage_start = text, self.clock()
  self.last = -math.huge
  self:draw()
  return self
end

-- p:finish(): wipes the line, if one was drawn; no more after.
function Meter:finish()
  self:clear()
  self.on = false
end
Meter.__close = Meter.finish

-- The size of a file in bytes; 0 for "-", a directory or what cannot be read.
function M.size(path)
  -- a stat, no open: opening a FIFO blocks, and a read would take a pipe's bytes
  return core.filesize(path)
end

-- The total size of files in bytes ("-" and unreadable files count 0).
function M.bytes(paths)
  local n = 0
  for _, path in ipairs(paths) do
    n = n + M.size(path)
  end
  return n
end

-- p:file(path): a file of the job read whole (its size done).
function Meter:file(path)
  return self:add(M.size(path))
end

-- progress.files(paths [, label [, opts]]) -> a meter over the files' bytes.
function M.files(paths, label, opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.label = label or o.label
  return M.new(M.bytes(paths), o)
end

return M
