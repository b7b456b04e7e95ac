#!/bin/sh
# Runs promtool with the given arguments (CTest: prometheus_rules_*); exits 77, which CTest
# counts as skipped, when promtool (Debian package prometheus) is not installed.
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not installed (Debian package prometheus; scripts/test installs it)"
  exit 77
fi
exec promtool "$@"
