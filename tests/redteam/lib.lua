-- Shared by the red-team specs: how big to make each attack, and how to run
-- a command under a hang guard and a memory cap.
--
-- `make redteam` sets LEXIS_REDTEAM=full and runs these specs on the release
-- build at full size; `make test` and `make asan` run them small (the same
-- cases, quick enough for every run). These specs are the one place where a
-- test may assert time (a generous hang guard) and peak memory.

local h = require "helper"

local M = {}

M.full = os.getenv("LEXIS_REDTEAM") == "full"
M.sanitized = os.getenv("LEXIS_SANITIZED") == "1"

-- size(small, full) -> the size for this run.
function M.size(small, full)
  return M.full and full or small
end

-- run_capped(shell, seconds [, kib]) -> stdout, stderr, exit code, peak KiB,
-- seconds. Runs a shell command line (the binary is M.bin) under `timeout`
-- (exit 124 or 137 when the guard fires) and GNU time for the peak RSS;
-- kib caps the address space with ulimit -v when given.
M.bin = h.bin
function M.run_capped(cmdline, seconds, kib)
  local out, err, tm = h.tmpname(), h.tmpname(), h.tmpname()
  local limit = kib and string.format("ulimit -v %d; ", kib) or ""
  local cmd = string.format("%s/usr/bin/time -f '%%M %%e' -o %s timeout -s KILL %d sh -c %s >%s 2>%s",
    limit, tm, seconds, h.quote(cmdline), out, err)
  local _, _, code = os.execute(cmd)
  local o, e, t = h.read(out), h.read(err), h.read(tm)
  os.remove(out); os.remove(err); os.remove(tm)
  local kb, secs = t:match("(%d+) ([%d.]+)%s*$")
  return o, e, code, tonumber(kb), tonumber(secs)
end

return M
