# SPDX-License-Identifier: GPL-2.0
# Shared settings for the kio scripts. Source it; do not run it.

KIO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KIO_CACHE=${KIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kio}
KIO_BUILD=${KIO_BUILD:-$KIO_ROOT/build${KIO_DEBUG:+/debug}}
KIO_LOGS=$KIO_BUILD/logs
KIO_BINDGEN_VERSION=0.73.2
KIO_BINDGEN=$KIO_CACHE/bindgen-$KIO_BINDGEN_VERSION/bin/bindgen
KIO_SRC_DIR=${KIO_SRC_DIR:-$KIO_CACHE/src}
# The Linux version (major.minor) the scripts fetch, build and validate. kio is built against
# 7.2; `make bench` also builds the codegen pairs against upstream 7.3 (scripts/bench-upstream.sh
# runs set-up and the kernel build with KIO_KERNEL_VERSION=7.3).
KIO_KERNEL_VERSION=${KIO_KERNEL_VERSION:-7.2}
# KIO_KERNEL_TAG suffixes per-version file names; the knobs name the variables a user sets to
# bring an own build or other Debian suites. 7.2 keeps its names, KDIR and KIO_KERNEL_SUITES.
KIO_KERNEL_TAG=
KIO_KDIR_KNOB=KDIR
KIO_SUITES_KNOB=KIO_KERNEL_SUITES
if [ "$KIO_KERNEL_VERSION" != 7.2 ]; then
	KIO_KERNEL_TAG=-$KIO_KERNEL_VERSION
	KIO_KDIR_KNOB=KIO_UPSTREAM_KDIR
	KIO_SUITES_KNOB=KIO_UPSTREAM_SUITES
	# A 7.2 KDIR or suite list must not reach the upstream kernel's set-up and build.
	KDIR=${KIO_UPSTREAM_KDIR:-}
	KIO_KERNEL_SUITES=${KIO_UPSTREAM_SUITES-sid trixie-backports}
fi
# The Debian toolchain matching the kernel (see Documentation/kio/pipeline.rst).
KIO_RUSTC=${KIO_RUSTC:-/usr/bin/rustc}
KIO_RUSTDOC=${KIO_RUSTDOC:-/usr/bin/rustdoc}
KIO_CLIPPY_DRIVER=${KIO_CLIPPY_DRIVER:-/usr/bin/clippy-driver}
KIO_RUSTFMT=${KIO_RUSTFMT:-/usr/bin/rustfmt}
KIO_LLVM_SUFFIX=-19

# Arguments every kernel or module make invocation needs.
kio_make_args() {
	printf '%s\n' LLVM="$KIO_LLVM_SUFFIX" RUSTC="$KIO_RUSTC" \
		RUSTDOC="$KIO_RUSTDOC" BINDGEN="$KIO_BINDGEN" \
		CLIPPY_DRIVER="$KIO_CLIPPY_DRIVER" RUSTFMT="$KIO_RUSTFMT"
}

# One clear line on stderr, then exit. Used for every set-up error.
die() {
	echo "kio: error: $*" >&2
	exit 1
}

note() {
	echo "kio: $*" >&2
}

# The unpacked Linux $KIO_KERNEL_VERSION source under KIO_SRC_DIR, or nothing.
kio_src_tree() {
	ls -d "$KIO_SRC_DIR/linux-source-$KIO_KERNEL_VERSION"* 2>/dev/null | head -n 1
}

# Identifies a test kernel: same key => same kernel, reused from the cache. The version comes
# from the tree itself, so kernels of different versions never share a key.
kio_kernel_key() {
	local src=$1 frags
	frags=$(cat "$KIO_ROOT/configs/kio.config" \
		${KIO_DEBUG:+"$KIO_ROOT/configs/debug.config"} ${KIO_EXTRA_CONFIG:+"$KIO_EXTRA_CONFIG"})
	{
		make -s -C "$src" kernelversion 2>/dev/null
		echo "$frags"
		"$KIO_RUSTC" --version
		"$KIO_BINDGEN" --version 2>/dev/null
		clang-19 --version | head -n 1
	} | sha256sum | cut -c1-16
}

# The kernel's kunit.py for the kernel build $1 (its source tree, or ours).
kio_kunit_py() {
	local src
	src=$(readlink -f "$1/source" 2>/dev/null || true)
	[ -f "$src/tools/testing/kunit/kunit.py" ] || src=$(kio_src_tree)
	echo "$src/tools/testing/kunit/kunit.py"
}

kio_kernel_dir() {
	local src
	src=$(kio_src_tree)
	[ -n "$src" ] || die "no Linux $KIO_KERNEL_VERSION source under $KIO_SRC_DIR; run scripts/setup.sh or pass $KIO_KDIR_KNOB=/path/to/$KIO_KERNEL_VERSION/build"
	echo "$KIO_CACHE/kernel-$(kio_kernel_key "$src")${KIO_DEBUG:+-debug}"
}

# kio_lost_options <.config> <fragment>...: prints, on one line and comma-separated, every
# fragment line that the configuration does not have: "CONFIG_X=v" lines must be present
# verbatim, and for "# CONFIG_X is not set" lines CONFIG_X must not be set.
kio_lost_options() {
	local config=$1 f line opt lost=()
	shift
	for f in "$@"; do
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*)
				grep -qxF -- "$line" "$config" || lost+=("$line") ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }
				opt=${opt%% *}
				! grep -q "^$opt=" "$config" || lost+=("$line") ;;
			esac
		done <"$f"
	done
	local IFS=,
	echo "${lost[*]}" | sed 's/,/, /g'
}

# kio_progress <pid> <log> <what>: until process <pid> ends, prints on stderr every
# KIO_PROGRESS_SECONDS (30) seconds how long <what> has run, how many build steps (Kbuild's
# "  CC ...", "  RUSTC ...", ... lines) <log> holds, and the last one.
kio_progress() {
	local pid=$1 log=$2 what=$3 every=${KIO_PROGRESS_SECONDS:-30} start=$SECONDS tick=0 t steps last
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		tick=$((tick + 1))
		[ "$tick" -ge "$every" ] && kill -0 "$pid" 2>/dev/null || continue
		tick=0
		t=$((SECONDS - start))
		steps=$(grep -cE '^  [A-Z][A-Z0-9_]* ' "$log" 2>/dev/null || true)
		last=$({ grep -E '^  [A-Z][A-Z0-9_]* ' "$log" 2>/dev/null || true; } | tail -n 1 |
			sed -E 's/^ +//; s/ +/ /g')
		note "$what: $((t / 60))m$(printf '%02d' $((t % 60)))s, ${steps:-0} steps done${last:+, last: $last}"
	done
}

# kio_selected_modules <available module>...: prints the names in KIO_MODULES, one a line, in
# the order given. Names may be separated by commas, spaces or both. A name that is not among
# the available modules stops the script with one line naming it and every available module.
kio_selected_modules() {
	local name words=() names=() unknown=()
	IFS=$' \t\n,' read -ra words <<<"${KIO_MODULES:-}"
	for name in "${words[@]}"; do
		[ -n "$name" ] || continue
		names+=("$name")
		[[ " $* " == *" $name "* ]] || unknown+=("$name")
	done
	local avail
	avail=$(printf '%s, ' "$@")
	avail=${avail%, }
	[ ${#unknown[@]} -eq 0 ] || die "KIO_MODULES: unknown module$([ ${#unknown[@]} = 1 ] || echo s)" \
		"$(printf "'%s' " "${unknown[@]}")(the modules of this build are $avail)"
	[ ${#names[@]} -gt 0 ] ||
		die "KIO_MODULES='${KIO_MODULES:-}' names no module (the modules of this build are $avail)"
	printf '%s\n' "${names[@]}"
}

# kio_diagnostics <log> <error|warning>: prints the first diagnostic of that kind in <log> in
# full (rustc's ends at its blank line; clang's, modpost's and objtool's at the next blank,
# diagnostic or make line), then the first line and location of every other error and warning.
kio_diagnostics() {
	awk -v want="$2" '
	function kind(l) {
		if (l ~ /^(error|warning): aborting due to/ || l ~ /^(error|warning): [0-9]+ (error|warning)s? emitted/)
			return ""
		if (l ~ /^error(\[[A-Za-z0-9]+\])?: / || l ~ /^ERROR: / || l ~ /^[^ ]+:[0-9]+:[0-9]+: (fatal )?error: /)
			return "error"
		if (l ~ /^warning(\[[A-Za-z0-9]+\])?: / || l ~ /^[^ ]+: warning: / || l ~ /^[^ ]+:[0-9]+:[0-9]+: warning: /)
			return "warning"
		return ""
	}
	{
		k = kind($0)
		if (k != "") {
			n++; kinds[n] = k; head[n] = $0; where[n] = ""
			if (first == 0 && k == want) { first = n; infirst = 1; body = $0; next }
			infirst = 0; cur = n; next
		}
		if (infirst) {
			if ($0 == "" || $0 ~ /^make(\[[0-9]+\])?: / || $0 ~ /^  [A-Z][A-Z0-9_]* /) infirst = 0
			else { body = body "\n" $0; next }
		}
		if (cur && where[cur] == "" && $0 ~ /^ *--> /) { sub(/^ *--> /, ""); where[cur] = $0 }
	}
	END {
		if (!first) exit
		print body
		others = n - 1
		if (others == 0) exit
		print ""
		printf "%d more error(s) and warning(s):\n", others
		shown = 0
		for (i = 1; i <= n; i++) {
			if (i == first) continue
			if (++shown > 30) { printf "  ... and %d more\n", others - 30; break }
			printf "  %s%s\n", head[i], where[i] == "" ? "" : "  (" where[i] ")"
		}
	}' "$1"
}

# Debug runs of the full module set fire the positive controls (tests/controls): the guest
# gets kio.controls=1 and the judge --controls.
kio_controls_on() {
	[ -n "${KIO_DEBUG:-}" ] && [[ " ${KIO_CMDLINE:-} " != *" kio.quick=1 "* ]] &&
		[ -z "${KIO_MODULES:-}" ]
}

# Test-case bookkeeping for the host-side test scripts.
kio_pass=0
kio_fail=0

# kio_case <passed?: 0 = yes> <ok text> <not-ok text> <output shown on failure>
kio_case() {
	if [ "$1" = 0 ]; then
		kio_pass=$((kio_pass + 1))
		echo "ok $2"
	else
		kio_fail=$((kio_fail + 1))
		echo "not ok $3"
		sed 's/^/  | /' <<<"$4"
	fi
}

kio_result() {
	echo "RESULT $kio_pass $kio_fail 0"
}

# Reuse of host-side test results by make check (scripts/check.sh, Documentation/kio/pipeline.rst
# "Reused results"). kio_tree_key prints one hash of what such a layer reads: the content and
# mode of every file of the tree except those the tree's own .gitignore ignores (build/, ...;
# untracked files count, whatever .git/info/exclude says), the kernel build (its directory,
# .config, .version, Module.symvers, Rust configuration and the metadata of its Rust crates),
# the tools' versions and Debian packages, and the variables of the environment that change
# how things are built or found. It prints nothing outside a git work tree: then nothing is
# reused.
kio_tree_key() {
	local kdir=$1
	git -C "$KIO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
	{
		# Each file's mode, content hash and path (a deleted one as the tools' complaint).
		(
			cd "$KIO_ROOT" || exit
			files=$(git ls-files -z -co --exclude-from=.gitignore | LC_ALL=C sort -z | tr '\0' '\n')
			tr '\n' '\0' <<<"$files" | xargs -0 -r stat -c '%a %n' -- 2>&1
			tr '\n' '\0' <<<"$files" | xargs -0 -r sha256sum -- 2>&1
		)
		echo "kernel $kdir"
		sha256sum "$kdir/.config" "$kdir/.version" "$kdir/Module.symvers" \
			"$kdir/include/generated/rustc_cfg" "$kdir"/rust/*.rmeta "$kdir"/rust/*.so 2>&1
		"$KIO_RUSTC" -vV
		"$KIO_BINDGEN" --version 2>&1
		clang$KIO_LLVM_SUFFIX --version 2>&1 | head -n 1
		cargo -V 2>&1
		python3 -V 2>&1
		qemu-system-x86_64 --version 2>&1 | head -n 1
		dpkg-query -W -f '${Package} ${Version}\n' rustc-web clang-19 llvm-19 lld-19 make \
			qemu-system-x86 busybox-static 2>/dev/null
		# Not MAKEFLAGS: make puts its jobserver's descriptors there, new at every run.
		# An empty variable counts as unset (make exports KDIR= and KIO_DEBUG= empty).
		env | grep -E '^(KIO_[A-Z_]*|KDIR|PATH|CARGO_[A-Z_]*|RUST[A-Z_]*|KRUSTFLAGS|KCFLAGS|KBUILD_[A-Z_]*|LLVM|CC|HOSTCC|ARCH|CROSS_COMPILE)=.' |
			LC_ALL=C sort
	} | sha256sum | cut -c1-64
}

# kio_reuse <dir> <key> <kernel dir> <output file> <name> <command...>: runs a host-side layer
# of make check into <output file>, or, when it passed before under the same <key>
# (kio_tree_key), writes that earlier output there instead, after a first line saying so. A
# result is kept in <dir> only if it passed (exit status 0, a RESULT line with a passed case
# and no failed one, no "not ok" line) and the key
# still holds after the run (an edit during the run would otherwise file a result under a
# key it was not computed on). An empty <key> runs the layer and keeps nothing.
kio_reuse() {
	local dir=$1 key=$2 kdir=$3 out=$4 name=$5 res
	shift 5
	if [ -n "$key" ] && [ "$(cat "$dir/$name.key" 2>/dev/null)" = "$key" ] && [ -s "$dir/$name.out" ]; then
		{
			echo "  reused: the result of $(date -r "$dir/$name.out" '+%F %T'), on the same tree, kernel and tools (KIO_CHECK_FRESH=1 runs it again)"
			cat "$dir/$name.out"
		} >"$out"
		return 0
	fi
	local rc=0
	"$@" >"$out" 2>&1 || rc=$?
	res=$(grep '^RESULT ' "$out" | tail -n 1)
	# Passed: exit status 0, a RESULT line with at least one case passed and none failed, and
	# no "not ok" line.
	if [ -n "$key" ] && [ $rc -eq 0 ] && [[ "$res" =~ ^RESULT\ [1-9][0-9]*\ 0\ [0-9]+$ ]] &&
		! grep -q '^not ok' "$out" && [ "$(kio_tree_key "$kdir")" = "$key" ]; then
		mkdir -p "$dir"
		rm -f "$dir/$name.key"
		cp "$out" "$dir/$name.out" && echo "$key" >"$dir/$name.key"
	fi
}
