#!/usr/bin/env bash
# Sets up a fresh machine and runs every test. Tests run on a release build with testing
# enabled: the kernel and parity tests do real arithmetic and are slow unoptimised.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export BITBENCH_SMOLLM2_GGUF="${BITBENCH_SMOLLM2_GGUF:-$(scripts/smollm2-path.sh)}"
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build --parallel --num-workers 2
