# lexis: a GNU Makefile. `make` builds ./lexis and ./lexis.so; `make test`
# and `make demo` install missing Debian packages first (make deps).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
LUA_CMOD_DIR ?= $(PREFIX)/lib/lua/5.4

CC      ?= cc
LUA     ?= lua5.4
BUILD   ?= build
BIN     ?= lexis
MODULE  ?= lexis.so
OPT     ?= -O2 -g
SANITIZE ?=

PKGS    := lua5.4 libpcre2-8 libedit libxxhash libmicrohttpd zlib liblzma libzstd
# libxml2 (HTML and XML input, src/markup.c): its headers only; the library
# is loaded when a file first needs it, never linked (start-up time).
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libxml-2.0 2>/dev/null)
LUA_LIBDIR := $(shell pkg-config --variable=libdir lua5.4 2>/dev/null)
# The binary links Lua statically (start-up as fast as lua5.4's own) and
# exports its symbols (-Wl,-E) so C modules such as cjson.so can load.
LUA_STATIC := $(wildcard $(LUA_LIBDIR)/liblua5.4.a)
LUA_LINK   := $(if $(LUA_STATIC),$(LUA_STATIC),-llua5.4)
# libunistring ships no .pc file in Debian 12: fall back to -lunistring.
UNISTRING  := $(shell pkg-config --libs libunistring 2>/dev/null || echo -lunistring)
# libmicrohttpd (lexis serve): a maintained HTTP server with a thread pool,
# so no request parsing is written here (src/serve.h). Not linked: src/serve.c
# loads it when a server starts, since it brings GnuTLS (start-up time).
MHD     := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
# The decompressors (src/decompress.c); libbz2 ships no .pc file in Debian 12.
ZLIBS   := $(shell pkg-config --libs zlib liblzma libzstd 2>/dev/null) -lbz2
LIBS    := $(shell pkg-config --libs libpcre2-8 libxxhash 2>/dev/null) $(ZLIBS) $(UNISTRING) -lpthread -lm
# The binary links these statically when their archives exist: fewer shared
# objects to load and search makes start-up as quick as lua5.4's own.
SYS_LIBDIR := $(shell pkg-config --variable=libdir libpcre2-8 2>/dev/null)
static_or_shared = $(or $(wildcard $(SYS_LIBDIR)/lib$(1).a),-l$(1))
# The decompressors too: linked in, they cost the start-up nothing (no
# dlopen needed; `lexis -e ''` is measured in bench/rows/startup.sh).
BIN_LIBS := $(foreach l,pcre2-8 xxhash unistring z lzma zstd bz2,$(call static_or_shared,$(l))) -lpthread -lm
EDIT    := $(shell pkg-config --libs libedit 2>/dev/null)

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# CFLAGS and LDFLAGS are the user's (and luarocks'); ours are added to them.
# ICU is loaded when a text first needs it (src/dictseg.c); the build only
# tells it which major version to look for first.
ICU_MAJOR := $(shell pkg-config --modversion icu-uc 2>/dev/null | cut -d. -f1)
ICU_DEF   := $(if $(ICU_MAJOR),-DLX_ICU_MAJOR=$(ICU_MAJOR))
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE -fPIC $(OPT) $(WARN) $(SANITIZE) $(PKG_CFLAGS) $(ICU_DEF) -Isrc -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(SANITIZE) $(LDFLAGS)

HOST_SRC := src/main.c src/repl.c
LIB_SRC  := $(filter-out $(HOST_SRC),$(wildcard src/*.c)) $(wildcard src/bind/*.c)
LUA_SRC  := $(shell find lua -name '*.lua' | sort)
WEB_SRC  := $(sort $(wildcard web/*.html web/*.js web/*.css))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/embed.o $(BUILD)/web.o
HOST_OBJ := $(HOST_SRC:%.c=$(BUILD)/%.o)

Q = @
ifeq ($(V),1)
Q =
endif

.PHONY: all deps test-deps test redteam asan tsan fuzz fuzz-build fuzz-regress demo bench bench-corpus install install-module uninstall clean
all: $(BIN) $(MODULE)

$(BIN): $(HOST_OBJ) $(LIB_OBJ) $(filter %.a,$(LUA_LINK))
	@echo "  LINK  $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -Wl,-E -o $@ $(HOST_OBJ) $(LIB_OBJ) $(LUA_LINK) $(EDIT) $(BIN_LIBS) -ldl

# The module leaves Lua's symbols to the interpreter that loads it.
$(MODULE): $(LIB_OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -shared -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# lua-argparse (Debian's lua-argparse, MIT), which every command parses its
# options with, is compiled in beside lua/ when the building Lua finds it:
# loading it as bytecode saves the millisecond its source takes to parse at
# each start. Without it, lexis requires it from package.path at run time.
ARGPARSE := $(shell $(LUA) -e 'io.write(package.searchpath("argparse", package.path) or "")' 2>/dev/null)

$(BUILD)/embed.c: src/gen/embed.lua $(LUA_SRC) $(ARGPARSE)
	@mkdir -p $(dir $@)
	@echo "  EMBED lua/$(if $(ARGPARSE), argparse)"
	$(Q)$(LUA) src/gen/embed.lua $@ $(LUA_SRC) $(if $(ARGPARSE),argparse=$(ARGPARSE))

$(BUILD)/embed.o: $(BUILD)/embed.c
	@echo "  CC    $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

# The page of `lexis serve` (web/), compiled in as byte arrays: the server
# serves these and nothing else from disk.
$(BUILD)/web.c: src/gen/web.lua $(WEB_SRC)
	@mkdir -p $(dir $@)
	@echo "  WEB   web/"
	$(Q)$(LUA) src/gen/web.lua $@ $(WEB_SRC)

$(BUILD)/web.o: $(BUILD)/web.c
	@echo "  CC    $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ------------------------------------------------------------------ deps
# Debian packages the build, the tests and the demo need (libstemmer0d: at
# run time only, for --stem; src/stem.c declares its few prototypes;
# libuchardet0 likewise, to detect encodings, src/charset.c). Installs only
# what is missing: apt-get as root, sudo otherwise, nothing when complete.
DEBS := gcc make pkg-config lua5.4 liblua5.4-dev libunistring-dev libpcre2-dev \
        libedit-dev libxxhash-dev libicu-dev libmicrohttpd-dev libxml2-dev zlib1g-dev liblzma-dev \
        libzstd-dev libbz2-dev lua-busted lua-argparse lua-cjson unicode-data luarocks \
        libpoppler-glib8 libstemmer0d libuchardet0
# `make test` needs a few more: headless Chromium renders the HTML report,
# GNU parallel runs the partial-count recipe, valgrind the leak check;
# chromium-driver drives the page of lexis serve (tests/serve_browser_spec.lua),
# firefox-esr runs its smoke test in Firefox (tests/serve_firefox_spec.lua),
# bible (bible-kjv) prints the KJV that tests/partial_spec.lua cuts in pieces,
# zip makes the DOCX, ODT and EPUB documents of tests/office_spec.lua.
TEST_DEBS := $(DEBS) chromium chromium-driver firefox-esr parallel valgrind bible-kjv zip
deps test-deps: DEBS_WANTED = $(if $(filter test-deps,$@),$(TEST_DEBS),$(DEBS))
deps test-deps:
	@missing=$$(for p in $(DEBS_WANTED); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# ------------------------------------------------------------------ tests
# Busted runs inside the lexis binary (tests/run.lua), so the specs use the
# real host under Lua 5.4 whatever `lua` is on this machine. SPEC=file runs one.
SPEC ?= tests
test: test-deps
	@$(MAKE) --no-print-directory all
	@LEXIS_BIN=$(abspath $(BIN)) LEXIS_MODULE=$(abspath $(MODULE)) ./$(BIN) tests/run.lua $(SPEC)

# The red-team suite (tests/redteam/) at full size on the release build:
# crafted and bit-flipped indexes, FIFOs, symlink loops, huge vocabularies,
# signals, size extremes. `make test` and `make asan` run the same specs at a
# small size. Each spec asserts its own hang guards and memory caps; the
# whole run is capped at REDTEAM_CAP seconds.
REDTEAM_CAP ?= 600
redteam: deps
	@$(MAKE) --no-print-directory all
	@LEXIS_REDTEAM=full LEXIS_BIN=$(abspath $(BIN)) LEXIS_MODULE=$(abspath $(MODULE)) \
	  timeout --signal=KILL $(REDTEAM_CAP) ./$(BIN) tests/run.lua tests/redteam \
	  || { echo "make redteam: failed or over $(REDTEAM_CAP) s"; exit 1; }

# The whole suite against an AddressSanitizer + UBSan build in build/asan/.
# Lua itself is compiled from Debian's source with the same flags, so
# LUA_USE_APICHECK checks every call into the Lua API; if the source cannot
# be fetched, the system's liblua is used and the API checks are off.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DLUA_USE_APICHECK
ASAN_LUA   := build/asan/lua
asan: deps
	@if tools/lua-from-source.sh $(ASAN_LUA) "-O1 -g $(ASAN_FLAGS)"; then \
	  lua="LUA_LINK=$(abspath $(ASAN_LUA))/liblua.a PKG_CFLAGS=\"-I$(abspath $(ASAN_LUA))/include $$(pkg-config --cflags libedit libpcre2-8 libxxhash libxml-2.0)\""; \
	else echo "make asan: using the system liblua (no Lua API checks)"; lua=; fi; \
	eval $(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/lexis MODULE=build/asan/lexis.so \
	  OPT=-O1 SANITIZE=\"$(ASAN_FLAGS)\" $$lua build/asan/lexis
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LUA_PATH_5_4="$$($(LUA) -e 'io.write(package.path)')" LUA_CPATH_5_4="$$($(LUA) -e 'io.write(package.cpath)')" \
	  LEXIS_BIN=$(abspath build/asan/lexis) LEXIS_SANITIZED=1 build/asan/lexis tests/run.lua $(SPEC)

# The multi-threaded paths under ThreadSanitizer (build/tsan/): the thread
# spec (tests/tsan/) and the specs of the threaded cores. Lua runs on one
# thread, so the system's liblua serves.
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
TSAN_SPECS ?= tests/tsan tests/tokenize_spec.lua tests/freq_spec.lua tests/sentences_spec.lua \
              tests/corpus_spec.lua tests/kwic_spec.lua tests/ngrams_spec.lua \
              tests/progress_spec.lua tests/serve_spec.lua tests/compress_spec.lua \
              tests/collocates_index_spec.lua tests/shards_spec.lua
tsan: deps
	@$(MAKE) --no-print-directory BUILD=build/tsan BIN=build/tsan/lexis MODULE=build/tsan/lexis.so \
	  OPT="-O1 -g" SANITIZE="$(TSAN_FLAGS)" build/tsan/lexis
	@TSAN_OPTIONS=halt_on_error=1:exitcode=66:second_deadlock_stack=1 \
	  LUA_PATH_5_4="$$($(LUA) -e 'io.write(package.path)')" LUA_CPATH_5_4="$$($(LUA) -e 'io.write(package.cpath)')" \
	  LEXIS_BIN=$(abspath build/tsan/lexis) LEXIS_SANITIZED=1 build/tsan/lexis tests/run.lua $(TSAN_SPECS)

# ------------------------------------------------------------------ fuzz
# libFuzzer harnesses (tests/fuzz/NAME.c) over the pure C cores, built with
# clang into build/fuzz/. `make fuzz` runs each for FUZZ_SECONDS on a
# working corpus that starts from tests/fuzz/seeds/NAME/ and fails on the
# first crash (saved as build/fuzz/crash/NAME/crash-*: copy it into
# tests/fuzz/regressions/NAME/ once fixed). `make fuzz-regress` replays the
# seeds and the regressions once each; `make test` runs it when clang is here.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := tokenize sentences query kwic index index_open input walk cql vrt serve decompress cqlrun markup zip
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CORE    := $(filter-out src/main.c src/repl.c src/lexis.c src/serve.c,$(wildcard src/*.c))
FUZZ_OBJ     := $(FUZZ_CORE:%.c=build/fuzz/obj/%.o)
FUZZ_BINS    := $(FUZZ_NAMES:%=build/fuzz/fuzz-%)
FUZZ_LIBS    := $(shell pkg-config --libs libpcre2-8 libxxhash 2>/dev/null) $(ZLIBS) $(UNISTRING) -lpthread -lm

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (fuzz)"
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(WARN) $(PKG_CFLAGS) -Isrc -MMD -MP -c -o $@ $<

build/fuzz/fuzz-%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@echo "  LINK  $@"
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) -fsanitize=fuzzer $(WARN) $(PKG_CFLAGS) -Isrc -Itests/fuzz \
	  -o $@ $< $(FUZZ_OBJ) $(FUZZ_LIBS)

# The request gate of lexis serve runs a real server: it links serve.c, the
# page's files and libmicrohttpd besides the cores.
build/fuzz/web.o: $(BUILD)/web.c
	@echo "  CC    $< (fuzz)"
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) -Isrc -Wno-overlength-strings -c -o $@ $<

build/fuzz/fuzz-serve: tests/fuzz/serve.c tests/fuzz/fuzz.h $(FUZZ_OBJ) build/fuzz/obj/src/serve.o build/fuzz/web.o
	@echo "  LINK  $@"
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) -fsanitize=fuzzer $(WARN) $(PKG_CFLAGS) -Isrc -Itests/fuzz \
	  -o $@ $< $(FUZZ_OBJ) build/fuzz/obj/src/serve.o build/fuzz/web.o $(FUZZ_LIBS) $(MHD)

.SECONDARY: $(FUZZ_OBJ) build/fuzz/obj/src/serve.o
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@for h in $(FUZZ_NAMES); do \
	  mkdir -p build/fuzz/corpus/$$h build/fuzz/crash/$$h; \
	  echo "  FUZZ  $$h ($(FUZZ_SECONDS) s)"; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  build/fuzz/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/crash/$$h/ build/fuzz/corpus/$$h tests/fuzz/seeds/$$h \
	    >build/fuzz/$$h.log 2>&1 || { tail -n 60 build/fuzz/$$h.log; echo "make fuzz: $$h failed"; exit 1; }; \
	  grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec' build/fuzz/$$h.log | tr '\n' ' '; echo; \
	done

fuzz-regress: fuzz-build
	@for h in $(FUZZ_NAMES); do \
	  files=$$(find tests/fuzz/seeds/$$h tests/fuzz/regressions/$$h -type f 2>/dev/null); \
	  [ -n "$$files" ] || continue; \
	  echo "  REPLAY $$h ($$(echo "$$files" | wc -l) inputs)"; \
	  build/fuzz/fuzz-$$h -runs=1 $$files >build/fuzz/$$h.replay.log 2>&1 \
	    || { tail -n 60 build/fuzz/$$h.replay.log; echo "make fuzz-regress: $$h failed"; exit 1; }; \
	done

# ------------------------------------------------------------------ demo
demo: deps
	@$(MAKE) --no-print-directory all
	@./$(BIN) scripts/demo.lua corpus/*.txt

# ------------------------------------------------------------------ bench
bench-corpus:
	@bench/corpus.sh

bench: all
	@bench/run $(BENCH_ARGS) $(abspath $(BIN))

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(LUA_CMOD_DIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/lexis
	install -m 644 $(MODULE) $(DESTDIR)$(LUA_CMOD_DIR)/lexis.so
	install -m 644 docs/lexis.1 $(DESTDIR)$(MANDIR)/lexis.1

# What `luarocks make` runs after building lexis.so (see lexis-scm-1.rockspec).
install-module: $(MODULE)
	install -d $(DESTDIR)$(LUA_CMOD_DIR)
	install -m 644 $(MODULE) $(DESTDIR)$(LUA_CMOD_DIR)/lexis.so

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lexis $(DESTDIR)$(LUA_CMOD_DIR)/lexis.so $(DESTDIR)$(MANDIR)/lexis.1

clean:
	rm -rf $(BUILD) $(BIN) $(MODULE)
