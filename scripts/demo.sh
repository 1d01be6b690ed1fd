#!/usr/bin/env bash
# Sets up a fresh machine, builds BitBench and runs its main job on the built-in default:
#   1. the machine report (CPU, caches, NUMA, perf PMUs, which probes work here and why not);
#   2. the bundled real model (SmolLM2-135M-Instruct, Q4_1): its summary, and one chat answer;
#   3. the ternary-versus-F16 kernel comparison at 4096x4096, weights streamed from DRAM,
#      on 1 and 2 threads, beside this machine's measured read bandwidth;
#   4. end-to-end prompt processing and generation on an in-memory synthetic 700M model (bitnet.cpp's
#      dummy shape), I2_S and TL2 against F16, medians and spread over 3 repetitions.
# Data goes to stdout; logs and progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release >&2
bin=.build/release/bitbench
model=$(scripts/smollm2-path.sh)
threads=$(nproc)
[ "$threads" -gt 2 ] && threads_list="1,$threads" || threads_list="1,2"

echo "## Machine"
"$bin" sysinfo
echo
echo "## Bundled model"
"$bin" model info "$model"
echo
echo "## Chat: What is the capital of Germany?"
"$bin" run -m "$model" --chat -p "What is the capital of Germany?" --temp 0 -n 48 -t "$threads"
echo
echo "## Kernels: ternary vs F16 (cold weights)"
"$bin" kernels -k f16,i2_s,tl2,tq2_0 --shape 4096x4096 --batch 1 -t "$threads_list" -r 7 --cold -o md
echo
echo "## Synthetic 700M end to end: prompt processing and generation, ternary vs F16 (llama-bench style)"
"$bin" bench --synthetic 700M --vocab 32002 -k i2_s,tl2,f16 -t "$threads_list" -p 128 -n 32 -r 3 -o md
