# Thin wrapper over CMake presets. See README.md.
PRESET ?= debug
PREFIX ?= /usr/local
.PHONY: deps build release run test test-asan fuzz bench regtests install package clean

deps:
	bash scripts/install-deps

build:
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

release:
	cmake --preset release >/dev/null
	cmake --build --preset release --target hearth

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

# HAProxy's own reg-tests in Hearth's scope (../shared/regtests; about 12 minutes).
regtests: release
	bash scripts/run-regtests

# Installs the binary, man page, documentation, examples, configuration (PREFIX/etc,
# or /etc for PREFIX=/usr) and the systemd unit. DESTDIR is honoured.
install: release
	cmake --install build/release --prefix $(PREFIX)

# The Debian package, in build/release: install it with `apt install ./hearth_*.deb`.
package: release
	cd build/release && cpack -G DEB

clean:
	rm -rf build
