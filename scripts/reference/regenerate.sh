#!/bin/sh
# Regenerates every committed reference fixture of the inference core from llama.cpp.
# usage: scripts/reference/regenerate.sh [VENV_DIR] [MODEL]
#   VENV_DIR defaults to .data/reference-venv (create it with setup_venv.sh),
#   MODEL to $OASST_MODEL or .data/models/gemma-3-270m-q4_k_m.gguf.
set -eu
cd "$(dirname "$0")/../.."
VENV=${1:-.data/reference-venv}
MODEL=${2:-${OASST_MODEL:-.data/models/gemma-3-270m-q4_k_m.gguf}}
FIX=Tests/InferenceTests/Fixtures
# OpenBLAS is not involved here, but llama.cpp's results do not depend on the thread count either.
"$VENV/bin/python" scripts/reference/make_tiny_models.py "$FIX/tiny"
"$VENV/bin/python" scripts/reference/reference_logits.py "$FIX/tiny" "$FIX/tiny-logits.json"
"$VENV/bin/python" scripts/reference/default_model_reference.py "$MODEL" "$FIX"
echo "fixtures written to $FIX"
