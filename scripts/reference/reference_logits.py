#!/usr/bin/env python3
"""Runs every tiny model through llama.cpp (llama-cpp-python) and stores its logits as a JSON fixture.

For each model: a 12-token prompt evaluated as one batch, then two single-token decode steps; the
logits of the last token after each step are recorded.

usage: reference_logits.py MODEL_DIR OUT_JSON
"""
import glob, json, os, sys
import numpy as np
from llama_cpp import Llama

STEPS_AFTER_PROMPT = [[5], [17]]


def last_logits(llm):
    # llama-cpp-python 0.3.36 leaves llm.scores empty without logits_all: read the context directly
    return np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(llm.n_vocab(),)).copy()


def main():
    model_dir, out = sys.argv[1], sys.argv[2]
    results = []
    for path in sorted(glob.glob(os.path.join(model_dir, "tiny-*.gguf"))):
        llm = Llama(model_path=path, n_ctx=64, n_batch=64, n_ubatch=64, n_threads=1, n_threads_batch=1,
                    seed=0, logits_all=False, verbose=False)
        rng = np.random.default_rng(7)
        prompt = [2] + [int(t) for t in rng.integers(4, llm.n_vocab(), 11)]
        steps = []
        llm.reset()
        llm.eval(prompt)
        steps.append({"tokens": prompt, "logits": [round(float(v), 6) for v in last_logits(llm)]})
        for toks in STEPS_AFTER_PROMPT:
            llm.eval(toks)
            steps.append({"tokens": toks, "logits": [round(float(v), 6) for v in last_logits(llm)]})
        results.append({"model": os.path.basename(path), "steps": steps})
        print(os.path.basename(path), "ok", file=sys.stderr)
        del llm
    with open(out, "w") as f:
        json.dump({"generator": "llama-cpp-python " + __import__("llama_cpp").__version__, "models": results}, f)


if __name__ == "__main__":
    main()
