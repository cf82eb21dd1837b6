# sqlhunt — the commands a person runs. Each target installs what is missing first
# (scripts/setup is idempotent), so on a fresh Debian machine these just work:
#
#   make demo     build the extension (only it), generate the demo case, run the
#                 investigation (findings in the terminal, report.html beside this file)
#   make test     every test: Release build, ASan+UBSan Debug build, fuzz smoke runs
#   make deb      the Debian package of the Release build (build/sqlhunt_<version>_<arch>.deb)
#
# Others: make build, make bench (all benchmarks; `scripts/bench build NAME` for one),
# make fuzz FUZZ_SECONDS=60, make fuzz-long FUZZ_RUNS=10000000 [FUZZ_MAX_SECONDS=600]
# [FUZZ_KEEP=40 FUZZ_KEEP_KB=64] (then review the small corpus it kept in tests/fuzz/corpus),
# make clean.

JOBS ?= 2
MAKEFLAGS += --no-print-directory
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 10

.PHONY: all setup build demo test deb bench fuzz fuzz-long clean

all: build

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# The demo needs the extension alone: the tests are not built, and what only the tests
# need (Chromium) is not installed.
demo:
	@scripts/setup --demo
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) --target sqlhunt -j$(JOBS)
	@scripts/demo $(BUILD)

deb: build
	@cd $(BUILD) && cpack -G DEB

test: setup
	@scripts/test

fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/test --fuzz-only

fuzz-long: setup
	@scripts/fuzz-long

bench: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DSQLHUNT_BENCH=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)
	@scripts/bench $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
