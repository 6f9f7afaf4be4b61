-- Runs the busted specs inside the lexis binary, so they exercise the real
-- host under Lua 5.4: `lexis tests/run.lua [SPEC...]` (what `make test` does).
-- The output ends with a line "N passed, N failed".

local roots = { ... }
if #roots == 0 then roots = { "tests" } end
package.path = "tests/?.lua;" .. package.path
arg = { [0] = "tests/run.lua", "--output=tests/output.lua", "--pattern=_spec", table.unpack(roots) }
require "busted.runner" { standalone = false }
