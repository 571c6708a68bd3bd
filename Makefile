# mpf: build, install, test. `make setup example` on a fresh Debian 12 with Swift;
# `make test` runs every test. See README.md.

PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE := .build/release/mpf
# The binary shipped to nodes: fully static, stripped.
MPF := .build/mpf

.PHONY: jupyter setup build release install example test check-static bench bench-ssh bench-deploy bench-many sanitize clean

## setup: the Debian packages mpf builds against and its examples and tests use.
setup:
	$(SUDO) scripts/setup-debian

build:
	swift build

## release: one fully static executable (Lua, libyaml and the Swift runtime inside), stripped,
## each function compiled into a section of its own and linked by lld with those an experiment
## executes together (scripts/hot-text: its resident memory is mostly the binary's code). The
## link is redone every time (cheap), as swift build does not see the ordering file change.
HOT_TEXT := -Xswiftc -Xfrontend -Xswiftc -function-sections -Xswiftc -use-ld=lld \
	-Xlinker --symbol-ordering-file=$(CURDIR)/scripts/hot-text.order -Xlinker --no-warn-symbol-ordering \
	-Xlinker -T -Xlinker $(CURDIR)/scripts/hot-text.ld
RELEASE_FLAGS := -Xswiftc -static-executable $(HOT_TEXT)
release:
	@# swiftc keeps an object whose code is unchanged even when -function-sections is new to it:
	@# a build folder made with other flags loses its objects first (else the order moves little).
	@if [ "$$(cat .build/release-flags 2> /dev/null)" != '$(RELEASE_FLAGS)' ]; then rm -f .build/*/release/*.build/*.o; fi
	rm -f $(RELEASE)
	swift build -c release $(RELEASE_FLAGS)
	@echo '$(RELEASE_FLAGS)' > .build/release-flags
	cp $(RELEASE) $(MPF)
	strip $(MPF)

## install: mpf on PATH, as $(PREFIX)/bin/mpf.
install: release
	$(SUDO) install -D -m 755 $(MPF) $(DESTDIR)$(PREFIX)/bin/mpf

## example: the iperf3 experiment of the README, on this machine.
example: release
	$(MPF) examples/iperf.lua

## test: unit and end-to-end tests (Swift Testing, two processes at once: scripts/run-tests;
## the ssh ones on 32 test hosts made for the run by scripts/testhosts, a real Slurm on the
## last 5), then the static release binary check.
test:
	scripts/with-testhosts 32 --slurm 28-32 scripts/run-tests
	$(MAKE) check-static

## jupyter: .venv/ in the checkout with JupyterLab, nbconvert, nbclient, pandas and
## python/mpf_jupyter (the `mpf` kernel, registered inside it). See docs/notebook.md.
VENV := .venv
jupyter:
	test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q jupyterlab nbconvert nbclient ipykernel pandas pyyaml
	$(VENV)/bin/pip install -q -e python/mpf_jupyter
	$(VENV)/bin/python -m mpf_jupyter.install --sys-prefix

check-static: release
	scripts/check-static $(MPF)

bench: release
	bench/run $(MPF)

clean:
	rm -rf .build mpf_experiments

bench-ssh: release
	bench/ssh $(MPF)

bench-deploy: release
	bench/deploy $(MPF)

bench-many: release
	bench/many $(MPF)

## sanitize: the tests under AddressSanitizer, then ThreadSanitizer (slow; by hand).
sanitize:
	scripts/with-testhosts 8 scripts/sanitize
