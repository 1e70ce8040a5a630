# agentcost: the two commands are `make demo` and `make test` (see README).
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
PREFIX     ?= /usr/local

.PHONY: all deps build test test-asan demo bench bench-formats bench-dims bench-ch bench-ch-current fuzz man install clean

all: build

deps:
	@./scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite again under ASan + UBSan with leak detection.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAC_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)/agentcost

bench: build
	@./bench/run.sh $(BUILD)/agentcost

# Every input format beside OTLP JSON lines, on the same spans.
bench-formats: build
	@./bench/formats.sh $(BUILD)/agentcost

bench-dims: build
	@./bench/dims.sh $(BUILD)/agentcost

# SQLite and a 2-shard ClickHouse cluster on loopback, side by side (issue #16).
bench-ch: build
	@./bench/ch.sh $(BUILD)/agentcost

# The same ClickHouse statements on a current release (chDB from npm) against
# 18.16's answers.
bench-ch-current: build
	@./bench/ch_current.sh $(BUILD)/agentcost

# libFuzzer harnesses under ASan + UBSan, FUZZ_SECONDS each (default 60).
fuzz:
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) ./scripts/fuzz.sh

# The man page and the bash completion, printed by the binary from its help
# table (src/cli/help.c); both are checked in (tests/cli/t_help.sh compares).
man: build
	@$(BUILD)/agentcost help --man >man/agentcost.1
	@$(BUILD)/agentcost help --bash-completion >completion/agentcost.bash
	@echo "wrote man/agentcost.1 and completion/agentcost.bash"

# bin/agentcost, share/man/man1/agentcost.1 and
# share/bash-completion/completions/agentcost under PREFIX (and DESTDIR).
install: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
