# enas: one flat Makefile.  make, make check, make demo, make install.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/enas
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/enas
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral
PKGS = libgit2 yaml-0.1 libpcre2-8
DEBS = libgit2-dev libyaml-dev libpcre2-dev pkg-config

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
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE \
	$(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -Ilib \
	-DENAS_DATADIR='"$(DATADIR)"' -DENAS_LIBEXECDIR='"$(LIBEXECDIR)"'
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
CMD_SRC = $(sort $(wildcard cmd/*.c))
TOOLS = $(CMD_SRC:cmd/%.c=$(BUILD)/%)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNITS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MANS = $(sort $(wildcard cmd/*.1))
HEADERS = $(wildcard lib/*.h)

all: $(TOOLS)

# Install what the build needs when we may (root, apt); otherwise say how.
$(BUILD)/.deps:
	@mkdir -p $(BUILD)
	@if ! pkg-config --exists $(PKGS) 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "make: installing build packages: $(DEBS)"; \
			apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) \
			|| exit 2; \
		else \
			echo "make: missing build packages; run:" >&2; \
			echo "  sudo apt-get install $(DEBS)" >&2; \
			exit 2; \
		fi; \
	fi
	@touch $@

$(BUILD)/lib/%.o: lib/%.c $(HEADERS) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libenas.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/%: cmd/%.c $(BUILD)/libenas.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libenas.a $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libenas.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libenas.a $(ALL_LDFLAGS) $(PKG_LIBS)

# The tests print TAP; prove runs them.  They find the tools in $(BUILD).
check: $(TOOLS) $(UNITS) | check-deps
	ENAS_BUILD=$(abspath $(BUILD)) ENAS_SRC=$(CURDIR) \
	    prove -f $(PROVEFLAGS) $(UNITS) tests/*.t

check-valgrind: CHECK_TOOLS = valgrind
check-deps:
	@missing=; for c in prove git jq $(CHECK_TOOLS); do \
		command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "make: installing test tools:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq perl git jq $(CHECK_TOOLS) || exit 2; \
		else \
			echo "make: missing test tools:$$missing; run:" >&2; \
			echo "  sudo apt-get install perl git jq $(CHECK_TOOLS)" >&2; \
			exit 2; \
		fi; \
	fi

# valgrind over the whole suite: the unit tests and every tool that the
# shell tests run.  PCRE2's JIT is off: valgrind cannot follow it.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
check-valgrind: $(TOOLS) $(UNITS) | check-deps
	ENAS_BUILD=$(abspath $(BUILD)) ENAS_SRC=$(CURDIR) ENAS_NO_JIT=1 \
	    prove -f $(PROVEFLAGS) --exec '$(VALGRIND)' $(UNITS)
	ENAS_BUILD=$(abspath $(BUILD)) ENAS_SRC=$(CURDIR) ENAS_VALGRIND=1 \
	    prove -f $(PROVEFLAGS) tests/*.t

demo: $(TOOLS)
	ENAS_BUILD=$(abspath $(BUILD)) sh tests/demo.sh demo

# A benchmark, not a test: never part of check.
bench: $(TOOLS)
	ENAS_BUILD=$(abspath $(BUILD)) sh bench/run.sh

install: $(TOOLS)
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

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$${t##*/}; done
	for m in $(MANS); do rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(COMPLETIONDIR)/enas

clean:
	rm -rf build

.PHONY: all bench check check-deps check-valgrind demo install uninstall clean
.SUFFIXES:
