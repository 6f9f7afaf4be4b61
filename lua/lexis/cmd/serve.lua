-- lexis serve INDEX...: a web concordancer and JSON API over indexes, on
-- this machine, until Ctrl-C or SIGTERM (docs/serve.md).
local cli = require "lexis.cli"

local cmd = cli.command {
  name = "serve",
  summary = "a local web concordancer and JSON API over indexes (http://127.0.0.1:8080/)",
  description = "Serves the INDEXes (made by 'lexis index') to a browser: a page to search\n"
    .. "them (KWIC sorted by column, paging, a sample, the document of a hit,\n"
    .. "frequency, collocates, word list, n-grams, keywords, dispersion), and the\n"
    .. "JSON API it uses (docs/serve.md). It listens on 127.0.0.1 unless --bind\n"
    .. "says otherwise; any other address needs --token (one is made and printed\n"
    .. "when none is given). Read-only: it serves its own page and the indexes\n"
    .. "named here, nothing else. Ctrl-C or SIGTERM stops it.",
  epilog = "Examples:\n"
    .. "  lexis index corpus/ -o corpus.lexis && lexis serve corpus.lexis\n"
    .. "  lexis serve novels.lexis news.lexis --port 9000 --threads 4\n"
    .. "  lexis serve corpus.lexis --bind 0.0.0.0 --token \"$(openssl rand -hex 16)\"",
}
local p = cmd.parser
p:argument("indexes", "Indexes made by 'lexis index'."):args("+")
p:option("--port", "The port (0: any free one; the address is printed).", "8080", cli.whole("--port", 0, 65535))
p:option("--bind", "The address to listen on (another than loopback needs a token).", "127.0.0.1")
p:option("--token", "The token every request must carry (Authorization: Bearer TOKEN, or ?token=TOKEN).")
p:option("--threads", "Requests served at once.", "2", cli.whole("--threads", 1, 64))
p:option("--time-limit", "Milliseconds a request may run before it is stopped (0: no limit).", "10000",
  cli.whole("--time-limit", 0, 3600000))
p:option("--max-rows", "The most rows of a page or table.", "1000", cli.whole("--max-rows", 1, 100000))

function cmd.run(args)
  for _, path in ipairs(args.indexes) do
    if not cli.is_index(path) then
      cli.fail(string.format("serve: %s: not an index (make one with 'lexis index FILES -o %s.lexis')",
        path, (path:match("[^/]*$") or path):gsub("%.%w+$", "")))
    end
  end
  local sig = cli.call("serve", require("lexis.serve").serve, {
    indexes = args.indexes, port = args.port, bind = args.bind, token = args.token,
    threads = args.threads, time_limit = args.time_limit, limits = { rows = args.max_rows },
  })
  io.stderr:write("lexis serve: stopped (", sig, ")\n")
  return 0
end

return cmd
