-- LuaRocks users build the lexis module from a checkout with `luarocks make`.
-- It runs the project's Makefile, which embeds lua/ into lexis.so.
rockspec_format = "3.0"
package = "lexis"
version = "scm-1"
source = {
  url = "git+file:///./lexis",   -- a local checkout: `luarocks make` builds what is here
}
description = {
  summary = "Fast Unicode text statistics, concordances and sentence splitting for Lua",
  detailed = [[
lexis tokenizes text by Unicode word boundaries, splits sentences, counts
words and builds keyword-in-context concordances, with the work done in C.
This rock builds the Lua module; the lexis command-line tool is `make`.]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.4, < 5.5",
  "argparse",
}
external_dependencies = {
  UNISTRING = { header = "unistr.h" },
  PCRE2 = { header = "pcre2.h" },
  XXHASH = { header = "xxhash.h" },
  ZLIB = { header = "zlib.h" },
  LZMA = { header = "lzma.h" },
  ZSTD = { header = "zstd.h" },
  BZIP2 = { header = "bzlib.h" },
}
build = {
  type = "make",
  build_target = "lexis.so",
  build_variables = {
    CFLAGS = "$(CFLAGS)",
    LUA = "$(LUA)",
  },
  install_target = "install-module",
  install_variables = {
    LUA_CMOD_DIR = "$(LIBDIR)",
  },
}
