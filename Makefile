# SPDX-License-Identifier: GPL-2.0
#
# User entry points. `make run` and `make check` set everything up on a fresh machine.

SHELL := /bin/bash
export KDIR KIO_DEBUG

.PHONY: all setup kernel modules initramfs run check bench fuzz clippy fmt clean help

all: modules

help:
	@echo "make run      set up, build, boot QEMU with our devices and print the guest's report"
	@echo "make check    set up, build and run every test layer; ends with 'N passed, N failed'"
	@echo "make modules  build the out-of-tree modules (KDIR=... to use your own 7.2 build)"
	@echo "make fuzz    SEEDS=N [FUZZ_BASE=B]: N probe attempts against a seeded hostile GPU"
	@echo "make bench    codegen proof: kio vs hand-written instruction counts, and kio_pairs"
	@echo "              as kio (7.2), upstream (a cached 7.3 build) and hand-written (build/bench/)"
	@echo "make clippy   build the modules with CLIPPY=1"
	@echo "make fmt      rustfmt the sources with the kernel's .rustfmt.toml"

setup:
	@scripts/setup.sh

kernel: setup
	@scripts/build-kernel.sh >/dev/null

modules: kernel
	@scripts/build-modules.sh

initramfs: modules
	@scripts/build-initramfs.sh

run:
	@scripts/run.sh

check:
	@scripts/check.sh

bench: kernel
	@scripts/bench.sh

fuzz: modules
	@scripts/fuzz.sh $(SEEDS)

clippy: kernel
	@KIO_CLIPPY=1 scripts/build-modules.sh

fmt:
	@scripts/rustfmt.sh fix

clean:
	rm -rf build
