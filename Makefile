# Thin wrapper over CMake presets. See README.md.
PRESET ?= debug
.PHONY: deps build release run test test-asan fuzz bench clean

deps:
	bash scripts/install-deps

build:
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

release:
	$(MAKE) build PRESET=release

run: release
	./build/release/hearth -f examples/quickstart.cfg

test: build
	ctest --preset $(PRESET)

test-asan:
	$(MAKE) test PRESET=asan

fuzz:
	bash scripts/run-fuzzers $(FUZZ_SECONDS)

bench: release
	bash bench/run-anchors.sh

clean:
	rm -rf build
