#!/usr/bin/env bash
# Sets up a fresh machine, builds BitBench and runs its main job on the built-in default:
# the machine report and a look at the bundled real model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release >&2
bin=.build/release/bitbench
model=$(scripts/smollm2-path.sh)
"$bin" sysinfo
"$bin" model info "$model"
