# cnrs - carbon-neutrality responsibility scoring engine.
#
# The one place that says how to build. Targets:
#   make            build build/cnrs
#   make run        install missing packages (root) or say which, then score corpora/
#                   into reports/ and write its static site to reports/site/
#   make test       same set-up, then -Werror build, Check suites, golden and CLI tests,
#                   the ASan+UBSan run (test-asan), valgrind, fuzz-smoke and eval
#   make test-asan  Check suites and CLI tests under ASan+UBSan (build/asan/)
#   make valgrind   valgrind --leak-check=full over the CLI paths
#   make fuzz-smoke every libFuzzer target briefly plus its regressions (in make test)
#   make fuzz       long fuzzing runs (FUZZ_TIME seconds per target, FUZZ_TARGETS)
#   make test-hostile  hostile inputs (tests/hostile.sh; in make test)
#   make eval       the engine against the hand-coded real reports in corpora/real/
#                   (docs/eval.md): table, reports/eval.json, floors (in make test)
#   make bench      generated corpus and the performance table (bench/run.sh)
#   make bench-batch   10,000 generated reports through batch, --jobs 1 and 2 (bench/batch.sh)
#   make deps       only the package check/installation
#   make install    build/cnrs to PREFIX/bin and docs/cnrs.1 to PREFIX/share/man/man1
#                   (PREFIX=/usr/local; DESTDIR for staging)
#   make lint / format / clean
# V=1 shows full compiler command lines. CK_FORK=no runs Check tests in one
# process (for gdb and valgrind).

BUILD   ?= build
CC      ?= cc
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
           -Wformat=2 -Wno-format-nonliteral
OPT     ?= -O2 -g
WERROR  ?=
SAN     ?=

PKGS      := libxml-2.0 libpcre2-8 sqlite3 opencc libutf8proc xlsxwriter
TEST_PKGS := check

# Debian packages: build, test, and the tools the main job and tests call.
DEB_BUILD := gcc make pkg-config libxml2-dev libpcre2-dev libsqlite3-dev libopencc-dev libutf8proc-dev libxlsxwriter-dev
DEB_TEST  := check libsubunit-dev valgrind clang libclang-rt-14-dev sqlite3 libxml2-utils \
             chromium fonts-noto-cjk unzip
DEB_RUN   := poppler-utils tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng
DEB_BENCH := ripgrep

PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

ALL_CFLAGS = $(STD) $(WARN) $(WERROR) $(OPT) $(SAN) -pthread $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN) -pthread $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

ENGINE_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c))
ENGINE_OBJ := $(patsubst engine/%.c,$(BUILD)/obj/%.o,$(ENGINE_SRC)) $(BUILD)/obj/embedded.o
MAIN_OBJ   := $(BUILD)/obj/main.o
TEST_SRC   := $(wildcard tests/*.c)
TEST_OBJ   := $(patsubst tests/%.c,$(BUILD)/tobj/%.o,$(TEST_SRC))

CNRS  := $(BUILD)/cnrs
CHECK := $(BUILD)/check_cnrs
SEEDS ?= ../shared/seeds
RUBRIC := rubrics/ceca-2021.xml

ifeq ($(V),1)
Q :=
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q :=
else
Q := @
endif

.PHONY: all install run test test-unit test-portable test-cli test-asan valgrind deps deps-test lint format clean FORCE \
        fuzz fuzz-smoke fuzz-build test-hostile bench bench-batch eval

all: $(CNRS)

# Objects depend on the flags they were built with, so `make test` (-Werror)
# after `make` recompiles instead of trusting objects built more leniently.
FLAGS_STAMP := $(BUILD)/.cflags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(BUILD)
	@echo '$(ALL_CFLAGS) $(CHECK_CFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS) $(CHECK_CFLAGS)' > $@

$(BUILD)/obj/%.o: engine/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<",:)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# The schema and default rubric are compiled in, so the binary validates with
# exactly the schema it was built with and runs without the source tree.
$(BUILD)/gen/embedded.c: rubrics/rubric.rng $(RUBRIC) tools/embed.sh
	@mkdir -p $(@D)
	$(Q)sh tools/embed.sh $@ cnrs_embedded_rubric_rng=rubrics/rubric.rng cnrs_embedded_rubric_xml=$(RUBRIC)

$(BUILD)/obj/embedded.o: $(BUILD)/gen/embedded.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c $< -o $@

$(BUILD)/tobj/%.o: tests/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<",:)
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Iengine -c $< -o $@

$(CNRS): $(ENGINE_OBJ) $(MAIN_OBJ)
	@$(if $(Q),echo "  LD      $@",:)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(CHECK): $(ENGINE_OBJ) $(TEST_OBJ)
	@$(if $(Q),echo "  LD      $@",:)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tobj/*.d)

# ---- install ----------------------------------------------------------------------
# INSTALL_BIN names another binary to install (tests/cli.sh installs the one
# it tests, which may be an ASan build).
PREFIX      ?= /usr/local
INSTALL_BIN ?= $(CNRS)

install: $(INSTALL_BIN) docs/cnrs.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/cnrs
	install -m 644 docs/cnrs.1 $(DESTDIR)$(PREFIX)/share/man/man1/cnrs.1

# ---- set-up -----------------------------------------------------------------

deps:
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_RUN)

deps-test:
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST)

# ---- the main job -------------------------------------------------------------

# The team's sample reports (corpora/real/ is measured by `make eval`).
TEAM_CORPUS := $(wildcard corpora/*.txt corpora/*.html corpora/*.pdf)

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p reports
	LC_ALL=C $(CNRS) batch --rubric $(RUBRIC) --db reports/cnrs.db $(TEAM_CORPUS)
	LC_ALL=C $(CNRS) rank --db reports/cnrs.db | tee reports/ranking.txt
	@LC_ALL=C $(CNRS) rank --db reports/cnrs.db --format csv > reports/ranking.csv
	@LC_ALL=C $(CNRS) rank --db reports/cnrs.db --format xlsx --out reports/ranking.xlsx
	@echo "wrote reports/cnrs.db, reports/ranking.txt, reports/ranking.csv and reports/ranking.xlsx"
	@rm -rf reports/site # generated: no page of an earlier run may linger
	LC_ALL=C $(CNRS) report --rubric $(RUBRIC) --db reports/cnrs.db --out reports/site
	@echo "open $(CURDIR)/reports/site/index.html"

# ---- tests ----------------------------------------------------------------------

test: deps-test
	@$(MAKE) --no-print-directory WERROR=-Werror test-unit test-portable test-cli test-hostile
	@$(MAKE) --no-print-directory WERROR=-Werror test-asan
	@$(MAKE) --no-print-directory WERROR=-Werror valgrind
	@$(MAKE) --no-print-directory WERROR=-Werror fuzz-smoke
	@$(MAKE) --no-print-directory WERROR=-Werror eval

test-unit: $(CHECK) $(CNRS)
	LC_ALL=C CNRS_SEEDS=$(SEEDS) CNRS_RUBRIC=$(RUBRIC) $(CHECK)

# The unit tests again with the portable loops that stand in for the SSE2
# ones (CNRS_SSE2, engine/util.h): both must give the same results.
test-portable:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/portable CFLAGS="$(CFLAGS) -DCNRS_NO_SIMD" \
	    test-unit

test-cli: $(CNRS) $(BUILD)/gencorpus
	LC_ALL=C sh tests/cli.sh $(CNRS) $(RUBRIC) $(SEEDS)
	LC_ALL=C sh tests/batch.sh $(CNRS) $(RUBRIC) $(BUILD)/gencorpus
	LC_ALL=C sh tests/site.sh $(CNRS) $(RUBRIC)
	LC_ALL=C sh tests/browser.sh $(CNRS) $(RUBRIC) $(BUILD)

test-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    test-unit test-cli

valgrind: $(CNRS)
	LC_ALL=C sh tests/valgrind.sh $(CNRS) $(RUBRIC) $(SEEDS)

test-hostile: $(CNRS)
	LC_ALL=C sh tests/hostile.sh $(CNRS) $(RUBRIC)

# ---- measuring on real reports ---------------------------------------------------
# The engine against the hand-coded real reports of EVAL_DIR (docs/eval.md): the
# table on stdout, reports/eval.json, and a failure when a metric is below its
# floor in EVAL_DIR/floors. The normal -O2 build; reports are scored in parallel.
# `make eval EVAL_DIR=tests/fixtures/eval` runs it on the small test fixture.
EVAL_DIR ?= corpora/real

eval: deps
	@$(MAKE) --no-print-directory all
	@test -d $(EVAL_DIR) || { echo "make eval: no $(EVAL_DIR)/ directory: it holds the hand-coded real reports that eval measures (docs/eval.md)" >&2; exit 1; }
	@mkdir -p reports
	LC_ALL=C $(CNRS) eval --rubric $(RUBRIC) --json reports/eval.json --floors $(EVAL_DIR)/floors $(EVAL_DIR)

# ---- fuzzing --------------------------------------------------------------------
# libFuzzer targets tests/fuzz/fuzz_*.c, built with clang, ASan and UBSan into
# build/fuzz/; the engine is compiled again with clang and coverage
# instrumentation into build/fuzz/obj (main.c is not linked). fuzz-smoke
# replays tests/fuzz/regressions/TARGET/ and fuzzes each target for
# FUZZ_SMOKE_TIME seconds from the seed corpus (tests/fuzz/corpus.sh builds
# it from corpora/ and tests/fuzz/seeds/); a crash, leak or timeout fails it.
# `make fuzz` runs FUZZ_TIME seconds per target, one at a time under nice,
# keeping what it learns in build/fuzz/corpus/ and crashes in build/fuzz/crashes/.

FUZZ_CC         ?= clang
FUZZ_BUILD      := build/fuzz
FUZZ_ALL        := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS    ?= $(FUZZ_ALL)
FUZZ_TIME       ?= 300
FUZZ_SMOKE_TIME ?= 6
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  = $(STD) $(WARN) $(WERROR) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
               -fsanitize=fuzzer-no-link -pthread $(PKG_CFLAGS) -MMD -MP
FUZZ_OBJ    := $(patsubst engine/%.c,$(FUZZ_BUILD)/obj/%.o,$(ENGINE_SRC)) $(FUZZ_BUILD)/obj/embedded.o
FUZZ_TOBJ   := $(patsubst %,$(FUZZ_BUILD)/tobj/fuzz_%.o,$(FUZZ_ALL))
FUZZ_BINS   := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_ALL))
FUZZ_STAMP  := $(FUZZ_BUILD)/.cflags

$(FUZZ_STAMP): FORCE
	@mkdir -p $(FUZZ_BUILD)
	@echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' > $@

$(FUZZ_BUILD)/obj/%.o: engine/%.c $(FUZZ_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<",:)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/gen/embedded.c: rubrics/rubric.rng $(RUBRIC) tools/embed.sh
	@mkdir -p $(@D)
	$(Q)sh tools/embed.sh $@ cnrs_embedded_rubric_rng=rubrics/rubric.rng cnrs_embedded_rubric_xml=$(RUBRIC)

$(FUZZ_BUILD)/obj/embedded.o: $(FUZZ_BUILD)/gen/embedded.c $(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-variable-declarations -c $< -o $@

$(FUZZ_BUILD)/tobj/%.o: tests/fuzz/%.c $(FUZZ_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<",:)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iengine -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tobj/fuzz_%.o $(FUZZ_OBJ)
	@$(if $(Q),echo "  LD      $@",:)
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -pthread -o $@ $^ $(LIBS)

-include $(wildcard $(FUZZ_BUILD)/obj/*.d $(FUZZ_BUILD)/tobj/*.d)
.SECONDARY: $(FUZZ_OBJ) $(FUZZ_TOBJ)

fuzz-build: $(FUZZ_BINS)

fuzz-smoke: $(FUZZ_BINS)
	LC_ALL=C sh tests/fuzz/fuzz.sh smoke $(FUZZ_BUILD) $(FUZZ_SMOKE_TIME) $(FUZZ_TARGETS)

fuzz: $(FUZZ_BINS)
	LC_ALL=C sh tests/fuzz/fuzz.sh long $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_TARGETS)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --std=c11 --suppress=missingIncludeSystem engine tests

format:
	clang-format -i engine/*.c engine/*.h tests/*.c

clean:
	rm -rf build

FORCE:

# ---- benchmarks ------------------------------------------------------------------

GENCORPUS := $(BUILD)/gencorpus

$(GENCORPUS): tools/gencorpus.c
	@mkdir -p $(@D)
	$(Q)$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra $(WERROR) -o $@ $<

# Generated corpus in bench/corpus (never committed), then bench/run.sh's table.
bench: deps
	@sh tools/deps.sh $(DEB_BENCH)
	@$(MAKE) --no-print-directory all $(GENCORPUS)
	LC_ALL=C sh bench/run.sh $(CNRS) $(GENCORPUS) $(SEEDS)

# 10,000 generated reports of 100-300 KB (build/bench-batch/, about 2 GB, never
# committed) scored into a database with --jobs 1 and --jobs 2: reports/s and
# the writer's share. BENCH_BATCH_N / _MIN_KB / _MAX_KB / _ROUNDS change it.
bench-batch: deps
	@$(MAKE) --no-print-directory all $(GENCORPUS)
	LC_ALL=C sh bench/batch.sh $(CNRS) $(GENCORPUS) $(SEEDS)
