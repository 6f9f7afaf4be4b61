-- A busted output handler: the usual plain or UTF-8 terminal report, then
-- the line CI counts, "N passed, N failed" (errors count as failed).

return function(options)
  local busted = require "busted"
  local tty = io.type(io.stdout) == "file" and require("term").isatty(io.stdout)
  local inner = require("busted.outputHandlers." .. (tty and "utfTerminal" or "plainTerminal"))(options)
  local wrapper = {}
  function wrapper:subscribe(opts)
    inner:subscribe(opts)
    busted.subscribe({ "suite", "end" }, function()
      io.write(string.format("\n%d passed, %d failed\n", inner.successesCount,
                             inner.failuresCount + inner.errorsCount))
      io.flush()
      return nil, true
    end)
  end
  return wrapper
end
