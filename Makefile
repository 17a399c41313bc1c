# SPDX-License-Identifier: GPL-2.0
#
# User entry points. `make run` and `make check` set everything up on a fresh machine.

SHELL := /bin/bash
export KDIR KIO_DEBUG

.PHONY: all setup kernel modules initramfs run check bench fuzz clippy doc fmt clean help

all: modules

# `make help`: every target and every variable a user may set. scripts/test-knobs.sh fails if a
# target of .PHONY or a variable the scripts read is missing here.
define KIO_HELP
kio: the typed I/O API for Linux 7.2's Rust crate, as out-of-tree modules tested in QEMU.
Documentation: README.md and Documentation/kio/ (pipeline.rst: every knob in detail).

Targets
  make run        set up, build, boot QEMU with our devices and print the guest's report;
                  non-zero exit on any failure
  make check      set up, build and run every test layer; last line 'N passed, N failed'
  make modules    build the out-of-tree modules into build/modules (a warning fails it);
                  also what plain 'make' (target all) does
  make clippy     the same build under clippy into build/modules-clippy (incremental: a
                  clean build is kept, one with warnings is built afresh next time)
  make doc        rustdoc HTML of the kio crate: build/doc/kio/index.html; any rustdoc
                  warning (a broken intra-doc link, say) fails it
  make bench      codegen proof (kio vs hand-written instruction counts, and the upstream-named
                  pairs as kio on 7.2, upstream on a cached 7.3 build, and hand-written) and
                  guest timings; tables in build/bench/
  make fuzz       SEEDS=N [FUZZ_BASE=B]: N probe attempts of nova_lite against a seeded
                  hostile GPU
  make fmt        rustfmt the sources with the kernel's .rustfmt.toml
  make setup      install the packages, bindgen and the Linux 7.2 source (run/check do it)
  make kernel     build the test kernel into KIO_CACHE once per configuration (run/check do it)
  make initramfs  pack busybox, the guest init and the modules into build/initramfs.cpio.gz
  make clean      remove build/ (cached kernels in KIO_CACHE stay)
  make help       this text

Variables (make VAR=value <target>, or set in the environment)
  KIO_MODULES=a,b         make run: load only these modules (commas or spaces); the suites
                          of tests/expected-suites that they run must pass
  KIO_CMDLINE="..."       appended to the guest kernel's command line: module parameters
                          (rust_edu.transfer_size=64), and for make run
                          kunit.filter_glob=SUITE[.CASE] to run only the KUnit suites and
                          cases matching the globs (KIO_CMDLINE='kunit.filter_glob=kio_edu*')
  KIO_QEMU_DEVICES="..."  more QEMU arguments, e.g. "-device edu,addr=0x0c" for a device of
                          your own (free slots: 04-06, 0c-1f); keep the project's drivers off
                          it with KIO_CMDLINE=kio.driver_override=0000:00:0c.0=<your driver>
  KIO_DEBUG=1             the debug kernel (KASAN, kmemleak, lockdep, UBSAN), into build/debug
  KIO_QEMU_TIMEOUT=S      seconds after which a guest counts as hung and is killed (600)
  KIO_CASES=1             make run: list every KUnit case with its result
  SEEDS=N FUZZ_BASE=B     make fuzz: how many seeds, and the first one (12 and 1)
  KDIR=/path              your own configured and built Rust-enabled 7.2 kernel, used
                          instead of the one we build
  KIO_CACHE=/path         cache of kernels, bindgen and the kernel source (~/.cache/kio)
  KIO_SIM_STALL_MS=N      stop the GPU simulator for N ms at random moments (a loaded host)
  KIO_CHECK_FRESH=1       make check: run every host-side layer, none reused from an earlier
                          run on the same tree, kernel and tools (pipeline.rst, Reused results)

Less common
  KIO_EXTRA_CONFIG=file   one more kernel config fragment (a kernel of its own in the cache)
  KIO_PROGRESS_SECONDS=N  a cold kernel build reports its progress every N seconds (30)
  KIO_QEMU_ICOUNT=...     QEMU's -icount value (shift=3,sleep=off; see pipeline.rst, Time)
  KIO_QEMU_CPU=model      QEMU's -cpu model (qemu64; see pipeline.rst, run-qemu.sh)
  KIO_FUZZ_SEEDS=N        seeds of make check's fuzz layer (32)
  KIO_BENCH_LOOPS=N       make bench: loops per timing at probe (200)
  KIO_SRC_DIR=/path       where the kernel source is unpacked (KIO_CACHE/src)
  KIO_KERNEL_SUITES="..." Debian suites searched for linux-source-7.2 (sid trixie-backports)
  KIO_APT_MIRROR=URI      Debian mirror for those suites (the machine's own)
  KIO_MIN_FREE_MB=N       free space set-up wants in KIO_CACHE (12000)
  KIO_BUILD=/path         where everything generated goes (build, or build/debug)
  KIO_SHM_DIR=/path       where the guest RAM and GPU BAR files are made (/dev/shm)
  KIO_BUSYBOX=/path       the static busybox packed into the initramfs (/bin/busybox)
  KIO_RUSTC KIO_RUSTDOC KIO_CLIPPY_DRIVER KIO_RUSTFMT
                          the Rust tools (/usr/bin/rustc, ...: Debian's, matching the kernel)
  KIO_LOAD_CPUS=N         scripts/test-load.sh: stress-ng CPU workers (4)
  KIO_BENCH_CODEGEN_ONLY=1  make bench: the codegen tables only, no guest boot
  KIO_BENCH_UPSTREAM=0    make bench: skip the Linux 7.3 side
  KIO_UPSTREAM_KDIR=/path your own built Rust-enabled 7.3 kernel for make bench's 7.3 side
  KIO_UPSTREAM_SUITES="..." Debian suites searched for linux-source-7.3 (sid trixie-backports)
  KIO_UPSTREAM_VERSION=7.x the upstream kernel make bench compares against (7.3)
  KIO_KERNEL_VERSION=7.x  the kernel the set-up and build scripts work on (7.2; bench sets 7.3)
endef
export KIO_HELP

help:
	@echo "$$KIO_HELP"

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

doc: kernel
	@scripts/build-doc.sh

fmt:
	@scripts/rustfmt.sh fix

clean:
	rm -rf build
