#!/usr/bin/env bash
# scripts/test --sanitize: the daemons' tests built with g++ under AddressSanitizer and
# UndefinedBehaviorSanitizer, in a build directory of their own (SANITIZE_BUILD_DIR, default
# build-sanitize). Any report of either fails the run, also one from a daemon that a test started
# (the daemons are built the same way): every report is written under <build>/sanitizer/ and
# printed at the end. Left out (docs/TESTING.md): the dashboards in chromium, the .deb packages
# and systemd units, promtool's checks of the alert rules — none runs more of the daemons' C++.
# Usage: scripts/lib/sanitize_tests.sh JOBS (called by scripts/test after ensure_packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${1:-$(nproc)}
build_dir=${SANITIZE_BUILD_DIR:-build-sanitize}

# -O1: ASan's recommendation (usable speed, exact stacks); no NDEBUG, so assert() checks too.
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Sanitize -DSTOREPULSE_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g $flags" \
  -DCMAKE_EXE_LINKER_FLAGS_SANITIZE="$flags" -DCMAKE_SHARED_LINKER_FLAGS_SANITIZE="$flags"
cmake --build "$build_dir" -j "$jobs"

reports=$PWD/$build_dir/sanitizer
rm -rf "$reports" && mkdir -p "$reports"
# A small quarantine: the peak-RSS tests bound the daemons' memory (RssBound in
# tests/support/peak_rss.h allows 4 times the plain build's bound under ASan).
export ASAN_OPTIONS="log_path=$reports/asan:quarantine_size_mb=16:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
excluded='^(DashboardTest|DebPackageTest|SystemdUnitTest|ConfFileTest|ManPageTest|MonitoringFilesTest)\.'
excluded+='|^packaging_|^prometheus_rules_'
status=0
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 900 -E "$excluded" -LE "netfaults|soak" ||
  status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:" >&2
  for report in "$reports"/*; do
    echo "== $report" >&2
    cat "$report" >&2
  done
  status=1
fi
exit "$status"
