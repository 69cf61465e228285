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

# Each failing test gets one more try (CMakePresets.json: repeat until-pass:2):
# the side-by-side tests race HAProxy's threads and the machine's timers. A test
# that needed the second try is listed at the end, so that none goes unseen.
test: build
	@rc=0; ctest --preset $(PRESET) --output-log build/$(PRESET)/ctest.log || rc=$$?; \
	  retried=$$(grep -E 'Test +#[0-9]+: .*\*\*\*(Failed|Timeout|Exception)' build/$(PRESET)/ctest.log \
	    | sed -E 's/.*Test +#[0-9]+: ([^ ]+).*/\1/' | sort -u); \
	  if [ -n "$$retried" ]; then echo "=== tests that failed a first try:"; echo "$$retried"; fi; \
	  exit $$rc

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
