-- lexis help [COMMAND]: the list of commands, or one command's options.

local cli = require "lexis.cli"

local cmd = cli.command {
  name = "help",
  summary = "list the commands, or show how to use one",
}
cmd.parser:argument("command", "The command to describe."):args("?")

function cmd.run(args)
  if args.command then
    if not cli.exists(args.command) then
      cli.usage_error("help", string.format("no command '%s'", args.command))
    end
    io.write(require("lexis.cmd." .. args.command).parser:get_help(), "\n")
    return 0
  end
  io.write("usage: lexis COMMAND [options] [FILE...]\n",
           "       lexis [script.lua [args...]]   (lexis --help for the options)\n",
           "       lexis                          (the REPL)\n\nCommands:\n")
  local names = cli.commands()
  local width = 0
  for _, name in ipairs(names) do width = math.max(width, #name) end
  for _, name in ipairs(names) do
    local summary = require("lexis.cmd." .. name).summary or ""
    io.write(string.format("  %-" .. width .. "s  %s\n", name, summary))
  end
  io.write("\nA command reads the files named, or standard input when none or '-' is given.\n",
           "'lexis help COMMAND' shows a command's options.\n")
  return 0
end

return cmd
