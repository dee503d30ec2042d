# enas: one flat Makefile.  make, make check, make demo, make install.

VERSION = 0.3

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/enas
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/enas
LOCALEDIR ?= $(PREFIX)/share/locale
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral
PKGS = libgit2 yaml-0.1 libpcre2-8 libsodium

# SAN=1 builds with AddressSanitizer and UBSan into its own directory.
ifeq ($(SAN),1)
BUILD ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

# Expanded when a recipe runs, so after the deps check below.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# GLPK (the audit of published tables, lib/audit.c) has no .pc file.
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lglpk -lm
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE \
	$(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -Ilib \
	-DENAS_DATADIR='"$(DATADIR)"' -DENAS_LIBEXECDIR='"$(LIBEXECDIR)"' \
	-DENAS_LOCALEDIR='"$(LOCALEDIR)"' -DENAS_VERSION='"$(VERSION)"'
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
# The tools are cmd/enas*.c; cmd/tool.c is what they share (tool.h),
# compiled once and linked into each.
CMD_SRC = $(sort $(wildcard cmd/enas*.c))
TOOLS = $(CMD_SRC:cmd/%.c=$(BUILD)/%)
TOOL_OBJ = $(BUILD)/cmd/tool.o
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNITS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MANS = $(sort $(wildcard cmd/*.1))
HEADERS = $(wildcard lib/*.h)

# The message catalogues (GNU gettext, as git does it): po/LANG.po,
# compiled by msgfmt into $(BUILD)/locale, which the tests use
# (ENAS_LOCALEDIR) and make install copies to $(LOCALEDIR).
LINGUAS = $(sort $(patsubst po/%.po,%,$(wildcard po/*.po)))
MOS = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/enas.mo)
POT_SRC = $(CMD_SRC) cmd/tool.c $(LIB_SRC)
XGETTEXT_FLAGS = --from-code=UTF-8 -k_ -kN_ -kdngettext:2,3 \
	--add-comments=TRANSLATORS --sort-by-file --package-name=enas \
	--package-version=$(VERSION) \
	--copyright-holder='the enas authors'

all: $(TOOLS) $(MOS) $(BUILD)/enas.pot

# What is missing is installed by tools/deps (one list of Debian
# packages, by group) when we may (root, apt); otherwise it says how.
$(BUILD)/.deps:
	@mkdir -p $(BUILD)
	@{ pkg-config --exists $(PKGS) 2>/dev/null && \
	    [ -f /usr/include/glpk.h ] && command -v msgfmt >/dev/null; } || \
	    sh tools/deps build
	@touch $@

$(BUILD)/lib/%.o: lib/%.c $(HEADERS) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libenas.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(TOOL_OBJ): cmd/tool.c cmd/tool.h $(HEADERS) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ cmd/tool.c

$(BUILD)/%: cmd/%.c $(TOOL_OBJ) $(BUILD)/libenas.a $(HEADERS) cmd/tool.h
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TOOL_OBJ) $(BUILD)/libenas.a \
	    $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libenas.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libenas.a $(ALL_LDFLAGS) $(PKG_LIBS)

# msgfmt -c checks what a translator can break (the conversions of a
# c-format message, the header, the plural forms): a catalogue that
# fails it fails the build.
$(BUILD)/locale/%/LC_MESSAGES/enas.mo: po/%.po | $(BUILD)/.deps
	@mkdir -p $(@D)
	msgfmt -c -o $@+ $< && mv $@+ $@

# The template of the catalogues, every message of cmd/ and lib/.  Its
# POT-Creation-Date changes only when a message does: the new template
# replaces po/enas.pot only when it differs in more than that line.
$(BUILD)/enas.pot: $(POT_SRC) Makefile | $(BUILD)/.deps
	xgettext $(XGETTEXT_FLAGS) -o $@+ $(POT_SRC)
	mv $@+ $@

pot: $(BUILD)/enas.pot
	@sed '/^"POT-Creation-Date: /d' $(BUILD)/enas.pot >$(BUILD)/enas.pot.new
	@if [ -f po/enas.pot ] && sed '/^"POT-Creation-Date: /d' po/enas.pot | \
	    cmp -s - $(BUILD)/enas.pot.new; then \
		echo "po/enas.pot: up to date"; \
	else \
		cp $(BUILD)/enas.pot po/enas.pot && echo "po/enas.pot: updated"; \
	fi
	@rm -f $(BUILD)/enas.pot.new

# After make pot: each po/LANG.po gets the new messages (empty, for the
# translator) and loses the ones that went; po/LANG.po~ is the old one.
update-po: pot
	@for l in $(LINGUAS); do \
		msgmerge -q -U --backup=simple po/$$l.po po/enas.pot && \
		printf 'po/%s.po: ' $$l && \
		msgfmt -c --statistics -o /dev/null po/$$l.po 2>&1 || exit 1; \
	done

# Fuzz targets (tests/fuzz/fuzz.h): each tests/fuzz/NAME.c, linked with
# a plain main() that replays its saved corpus in make check, with
# libFuzzer for make fuzz, and with AFL++ for make fuzz-afl.
FUZZ_SRC = $(sort $(wildcard tests/fuzz/*.c))
FUZZ_NAMES = $(FUZZ_SRC:tests/fuzz/%.c=%)
REPLAYS = $(FUZZ_NAMES:%=$(BUILD)/fuzz/%-replay)
FUZZ_DEPS = tests/fuzz/fuzz.h $(BUILD)/libenas.a $(HEADERS)
FUZZ_CFLAGS = -Itests/fuzz -DENAS_FUZZ_SRC='"$(CURDIR)"'

$(BUILD)/fuzz/%-replay: tests/fuzz/%.c tests/fuzz/main/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CFLAGS) -o $@ $< tests/fuzz/main/replay.c \
	    $(BUILD)/libenas.a $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/fuzz/%-libfuzzer: tests/fuzz/%.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(BUILD)/libenas.a $(ALL_LDFLAGS) $(PKG_LIBS)

# make fuzz FUZZ_SECONDS=N [FUZZ_TARGETS="record rules"]: each target in
# turn for N seconds under libFuzzer with ASan and UBSan (clang); new
# inputs go to build/fuzz-corpus, crashes to build/fuzz-crashes.  make
# fuzz-merge adds what grew the coverage to tests/fuzz/corpus; make
# fuzz-replay runs the saved corpus through the same binaries.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_TARGETS = $(FUZZ_NAMES)
FUZZ_BUILD = build/libfuzzer
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz-build: fuzz-deps
	$(MAKE) CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) SANFLAGS='$(FUZZ_SAN)' \
	    $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/%-libfuzzer)
fuzz: fuzz-build
	FUZZ_BIN=$(FUZZ_BUILD)/fuzz sh tests/fuzz/run fuzz $(FUZZ_SECONDS) \
	    $(FUZZ_TARGETS)
fuzz-replay: fuzz-build
	FUZZ_BIN=$(FUZZ_BUILD)/fuzz sh tests/fuzz/run replay 0 $(FUZZ_TARGETS)
fuzz-merge: fuzz-build
	FUZZ_BIN=$(FUZZ_BUILD)/fuzz sh tests/fuzz/run merge 0 $(FUZZ_TARGETS)

# clang and its libFuzzer, installed as the build packages are.
fuzz-deps:
	@printf 'int LLVMFuzzerTestOneInput(const char *d, long n)\n{ return 0; }\n' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null || \
	    sh tools/deps fuzz

# make fuzz-afl: the replay binaries built with AFL++'s compiler, to run
# as afl-fuzz -i tests/fuzz/corpus/NAME -o OUT -- build/afl/fuzz/NAME-replay
AFL_CC = afl-clang-fast
fuzz-afl:
	$(MAKE) CC=$(AFL_CC) BUILD=build/afl SANFLAGS= \
	    $(FUZZ_TARGETS:%=build/afl/fuzz/%-replay)

# make analyze: gcc -fanalyzer, cppcheck and clang-tidy (.clang-tidy says
# which checks, and why a few are off) over the library, the tools and the
# fuzz harness, gcc and cppcheck over the unit tests too; any finding
# fails.  A finding that is wrong is silenced where it stands, with a
# NOLINTNEXTLINE comment saying why.
ANALYZE_SRC = $(LIB_SRC) $(CMD_SRC) cmd/tool.c $(FUZZ_SRC) tests/fuzz/main/replay.c
ANALYZE_FLAGS = -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) -Ilib -Itests/fuzz \
	-DENAS_DATADIR='"$(DATADIR)"' -DENAS_LIBEXECDIR='"$(LIBEXECDIR)"' \
	-DENAS_LOCALEDIR='"$(LOCALEDIR)"' -DENAS_VERSION='"$(VERSION)"'
analyze: | $(BUILD)/.deps
	@for c in gcc cppcheck clang-tidy; do \
		command -v $$c >/dev/null || \
		    { sh tools/deps analyze || exit 2; break; }; \
	done
	@fail=0; echo "analyze: gcc -fanalyzer"; \
	for f in $(ANALYZE_SRC) $(UNIT_SRC); do \
		gcc $(ANALYZE_FLAGS) -O1 -fanalyzer -Werror -c -o /dev/null \
		    $$f || fail=1; \
	done; \
	echo "analyze: cppcheck"; \
	cppcheck --enable=warning,portability,performance --std=c11 \
	    --error-exitcode=1 --inline-suppr --quiet -D_GNU_SOURCE \
	    -Ilib -Itests/fuzz lib cmd tests/unit tests/fuzz || fail=1; \
	echo "analyze: clang-tidy"; \
	clang-tidy --quiet $(ANALYZE_SRC) -- $(ANALYZE_FLAGS) \
	    2>/dev/null || fail=1; \
	if [ $$fail = 0 ]; then echo "analyze: no findings"; fi; \
	exit $$fail

# The tests print TAP; prove runs them.  They find the tools in $(BUILD).
# The expensive sweeps (many rounds of concurrent pushes, kills) are
# sampled, more so under SAN=1, where they find races rather than
# memory errors; FULL=1 (make check-full) runs them whole.
check: all $(UNITS) $(REPLAYS) | check-deps
	ENAS_BUILD=$(abspath $(BUILD)) ENAS_SRC=$(CURDIR) ENAS_FULL=$(FULL) \
	    ENAS_SAN=$(SAN) prove -f $(PROVEFLAGS) $(UNITS) tests/*.t

# Everything whole: the sweeps, valgrind, and ten minutes of fuzzing.
check-full:
	$(MAKE) check FULL=1
	$(MAKE) check-valgrind FULL=1
	$(MAKE) fuzz FUZZ_SECONDS=75

# The French tests need fr_FR.UTF-8 (and the Arabic ones ar_MA.UTF-8):
# generated as root, else tools/deps says how and those tests skip.
locale-deps:
	@for l in fr_FR ar_MA; do \
		locale -a 2>/dev/null | grep -qix "$$l\.utf-\{0,1\}8" || \
		    { sh tools/deps locales || \
		    echo "make: the tests in French will be skipped"; break; }; \
	done

check-valgrind: CHECK_TOOLS = valgrind
check-valgrind: CHECK_GROUPS = valgrind
check-deps: locale-deps
	@for c in prove git jq $(CHECK_TOOLS); do \
		command -v $$c >/dev/null || \
		    { sh tools/deps check $(CHECK_GROUPS) || exit 2; break; }; \
	done

# valgrind over the unit tests and every tool that the shell tests run.
# PCRE2's JIT is off: valgrind cannot follow it.  Under valgrind the
# whole shell suite takes over an hour on two cores, so by default a
# sample runs: every tool but enas sync (sync.t alone takes two minutes
# under valgrind; SAN=1 runs it) and the where-expressions through the
# unit test rather than expr.t, without the sweeps (allocation failures,
# kills, concurrent pushes, the servers) that SAN=1 already covers;
# FULL=1 runs every test.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
VALGRIND_SAMPLE = check edit front guidance id init labels log merge new \
	publish record rules show-ls staged suppress tool
VALGRIND_TESTS = $(if $(FULL),tests/*.t,$(VALGRIND_SAMPLE:%=tests/%.t))
check-valgrind: all $(UNITS) $(REPLAYS) | check-deps
	ENAS_BUILD=$(abspath $(BUILD)) ENAS_SRC=$(CURDIR) ENAS_NO_JIT=1 \
	    prove -f $(PROVEFLAGS) --exec '$(VALGRIND)' $(UNITS)
	ENAS_BUILD=$(abspath $(BUILD)) ENAS_SRC=$(CURDIR) ENAS_VALGRIND=1 \
	    ENAS_FULL=$(FULL) prove -f $(PROVEFLAGS) $(VALGRIND_TESTS)

demo: $(TOOLS) $(MOS) | locale-deps
	ENAS_BUILD=$(abspath $(BUILD)) sh tests/demo.sh demo

# A benchmark, not a test: never part of check.
bench: $(TOOLS)
	ENAS_BUILD=$(abspath $(BUILD)) SHAPE=date sh bench/run.sh
	ENAS_BUILD=$(abspath $(BUILD)) SHAPE=any sh bench/run.sh
	ENAS_BUILD=$(abspath $(BUILD)) sh bench/suppress.sh

install: $(TOOLS) $(MOS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/partners \
	    $(DESTDIR)$(DATADIR)/hooks
	for t in $(TOOLS); do install -m 755 $$t $(DESTDIR)$(BINDIR); done
	for m in $(MANS); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1; done
	install -m 644 records/rules/*.yaml $(DESTDIR)$(DATADIR)/rules
	install -m 644 records/partners/*.yaml $(DESTDIR)$(DATADIR)/partners
	install -m 755 hooks/pre-commit hooks/pre-merge-commit hooks/pre-receive \
	    $(DESTDIR)$(DATADIR)/hooks
	mkdir -p $(DESTDIR)$(COMPLETIONDIR)
	install -m 644 completion/enas.bash $(DESTDIR)$(COMPLETIONDIR)/enas
	mkdir -p $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR)/server
	install -m 755 server/enas-server-setup $(DESTDIR)$(SBINDIR)
	install -m 755 server/enas-hook-guard $(DESTDIR)$(DATADIR)/server
	for l in $(LINGUAS); do \
		mkdir -p $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/enas.mo \
		    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES || exit 1; \
	done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$${t##*/}; done
	for m in $(MANS); do rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(COMPLETIONDIR)/enas
	rm -f $(DESTDIR)$(SBINDIR)/enas-server-setup
	for l in $(LINGUAS); do \
		rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/enas.mo; \
	done

clean:
	rm -rf build

.PHONY: all pot update-po locale-deps bench check check-full check-deps check-valgrind demo install uninstall clean \
	fuzz fuzz-build fuzz-deps fuzz-replay fuzz-merge fuzz-afl analyze
.SUFFIXES:
