-- lexis.contract: the one error contract of the public functions, in one
-- place (the C bindings keep the same one: src/bind/bind.h).
--
--   misuse (a wrong type, an unknown option, a bad query)  raises, naming
--       the caller's line: contract.misuse(msg), whatever depth of lexis
--       code it is raised from (the first frame outside lua/lexis/)
--   an environmental failure (a file missing or unreadable, a damaged
--       index)  returns nil, "path: reason", errno: helpers deep inside
--       call contract.fail(msg, errno), and contract.public(fn) turns that
--       into the return values of the public function
--   Ctrl-C and out of memory  raise (the host reports them)

local core = require "lexis.core"

local M = {}

M.misuse = core.raise
M.checkpath = core.checkpath

-- the metatable the C bindings give the failures they raise (lexis_failure
-- in src/bind/kit.c), so those are returned alike
local Failure = debug.getregistry()["lexis.Failure"] or { __name = "lexis.Failure" }
debug.getregistry()["lexis.Failure"] = Failure
Failure.__tostring = function(f) return f.message end

-- fail(message, errno): ends the public function with nil, message, errno.
function M.fail(message, errno)
  error(setmetatable({ message = message, errno = errno }, Failure), 0)
end

-- check(value, ...) -> value, ...: a public function's results passed on,
-- or its failure (nil, message, errno) failed again.
function M.check(value, ...)
  if not value then M.fail(...) end
  return value, ...
end

local function finish(ok, ...)
  if ok then return ... end
  local e = ...
  if getmetatable(e) == Failure then return nil, e.message, e.errno end
  error(e, 0)                   -- misuse, Ctrl-C, memory: as they were raised
end

-- public(fn) -> fn keeping the contract: a failure inside is returned.
function M.public(fn)
  return function(...) return finish(pcall(fn, ...)) end
end

return M
