-- The built-in commands' common ground: finding a command, parsing its
-- options (lua-argparse), usage errors (exit 2), and the list of inputs.
-- A command is lua/lexis/cmd/NAME.lua; see lua/lexis/cmd/README.md.

local core = require "lexis.core"

local M = {}

-- An error that ends the program with `code` and `message`, no traceback
-- (src/main.c reports tables this way). Usage errors use code 2.
function M.fail(message, code)
  error({ exit = code or 1, message = message }, 0)
end

function M.usage_error(name, message)
  M.fail(string.format("%s: %s\nTry 'lexis help %s'.", name, message, name), 2)
end

-- The names of the built-in commands, sorted.
function M.commands()
  local names = {}
  for _, module in ipairs(core.modules("lexis.cmd.")) do
    names[#names + 1] = module:sub(#"lexis.cmd." + 1)
  end
  return names
end

function M.exists(name)
  for _, n in ipairs(M.commands()) do
    if n == name then return true end
  end
  return false
end

-- cli.command{name=, summary=, description=, epilog=} -> a command whose
-- `parser` is a lua-argparse parser; the command file adds its options and
-- sets cmd.run(args).
function M.command(spec)
  local argparse = require "argparse"
  local parser = argparse("lexis " .. spec.name, spec.description or spec.summary)
  parser:add_help(false)
  parser:help_max_width(80)
  if spec.epilog then parser:epilog(spec.epilog) end
  -- Handled by main before parsing, so a missing argument does not hide it.
  parser:flag("-h --help", "Show this help and exit.")
  return { name = spec.name, summary = spec.summary, parser = parser }
end

-- The files a command reads: those named, or standard input ("-") if none.
function M.inputs(files)
  if files == nil or #files == 0 then return { "-" } end
  return files
end

-- main(argv): runs `lexis NAME args...`. Returns the exit status, or false
-- when NAME is no command (the host then looks for a script file).
function M.main(argv)
  local name = argv[1]
  if not M.exists(name) then return false end
  local cmd = require("lexis.cmd." .. name)
  local args = { table.unpack(argv, 2) }
  for _, a in ipairs(args) do
    if a == "--" then break end
    if a == "-h" or a == "--help" then
      io.write(cmd.parser:get_help(), "\n")
      return 0
    end
  end
  local ok, parsed = cmd.parser:pparse(args)
  if not ok then M.usage_error(name, parsed) end
  local status = cmd.run(parsed)
  return math.type(status) == "integer" and status or 0
end

return M
