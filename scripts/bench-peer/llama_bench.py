#!/usr/bin/env python3
"""The llama.cpp side of `scripts/bench inference`: the same measurements as `oasst bench inference`
(prompt processing of a 512-token prompt, greedy single-stream decoding after a 128-token prompt) with
llama-cpp-python on the same GGUF and thread count. Method as in the reference measurement
(docs: shared/reference/inference-anchor.md, appendix). Prints one JSON object.
"""
import argparse
import json
import resource
import statistics
import sys
import time

import numpy as np
from llama_cpp import Llama

PARA = ("The history of computing is a story of steady miniaturisation and of ever cheaper arithmetic. Early machines "
        "filled entire rooms, consumed enormous amounts of power and were programmed by rewiring panels or feeding punched "
        "cards. The invention of the transistor, and later of the integrated circuit, allowed engineers to pack millions and "
        "then billions of switches onto a single chip of silicon. Today a phone in a pocket holds more computing power than "
        "all the computers that existed in the middle of the twentieth century combined, and software written by small "
        "teams can reach billions of people within days of its release. ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--prompt-tokens", type=int, default=512)
    ap.add_argument("--decode-prompt", type=int, default=128)
    ap.add_argument("--decode-tokens", type=int, default=128)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--sections", default="pp,tg")
    a = ap.parse_args()
    wanted = set(a.sections.split(","))

    t0 = time.perf_counter()
    n_ctx = max(a.prompt_tokens, a.decode_prompt + a.decode_tokens) + 8
    llm = Llama(model_path=a.model, n_ctx=n_ctx, n_batch=512, n_ubatch=512, n_threads=a.threads,
                n_threads_batch=a.threads, n_gpu_layers=0, seed=0, logits_all=False, verbose=False)
    result = {"threads": a.threads, "load_s": time.perf_counter() - t0}
    toks = llm.tokenize((PARA * 8).encode(), add_bos=True, special=False)
    V = llm.n_vocab()
    # With logits_all=False, 0.3.36 no longer copies logits into llm.scores: read them from the context.
    last = lambda: np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(V,))

    llm.reset(); llm.eval(toks[:16])  # warm-up
    if "pp" in wanted:
        prompt, rates = toks[:a.prompt_tokens], []
        for _ in range(a.repetitions):
            llm.reset(); s = time.perf_counter(); llm.eval(prompt); last()
            rates.append(len(prompt) / (time.perf_counter() - s))
        result["pp_tokens"], result["pp_tok_s"] = len(prompt), statistics.median(rates)
    if "tg" in wanted:
        rates = []
        for _ in range(a.repetitions):
            llm.reset(); llm.eval(toks[:a.decode_prompt]); s = time.perf_counter()
            for _ in range(a.decode_tokens):
                llm.eval([int(np.argmax(last()))])
            last()
            rates.append(a.decode_tokens / (time.perf_counter() - s))
        result["tg_tok_s"] = statistics.median(rates)
    result["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
