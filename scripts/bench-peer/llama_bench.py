#!/usr/bin/env python3
"""The llama.cpp side of `scripts/bench inference`: the same measurements as `oasst bench inference`
(prompt processing of a 512-token prompt, greedy single-stream decoding after a 128-token prompt, and
greedy decoding of several streams at once, each after its own 16-token prompt, against one such stream)
with llama-cpp-python on the same GGUF and thread count. Method as in the reference measurement
(docs: shared/reference/inference-anchor.md, appendix). Prints one JSON object.
"""
import argparse
import json
import resource
import statistics
import sys
import time

import numpy as np
import llama_cpp as ll
from llama_cpp import Llama

PARA = ("The history of computing is a story of steady miniaturisation and of ever cheaper arithmetic. Early machines "
        "filled entire rooms, consumed enormous amounts of power and were programmed by rewiring panels or feeding punched "
        "cards. The invention of the transistor, and later of the integrated circuit, allowed engineers to pack millions and "
        "then billions of switches onto a single chip of silicon. Today a phone in a pocket holds more computing power than "
        "all the computers that existed in the middle of the twentieth century combined, and software written by small "
        "teams can reach billions of people within days of its release. ")


def batched_decode_rate(model, threads, prompts, decode_tokens):
    """Tokens per second of greedy decoding of every prompt at once: one llama_decode per step for all
    streams, as our engine's continuous batching does. Timed from the first decode step."""
    params = ll.llama_context_default_params()
    params.n_ctx = len(prompts) * (max(map(len, prompts)) + decode_tokens + 8)
    params.n_batch = params.n_ubatch = 512
    params.n_seq_max = len(prompts)
    params.n_threads = params.n_threads_batch = threads
    params.kv_unified = True
    ctx = ll.llama_init_from_model(model, params)
    batch = ll.llama_batch_init(512, 0, len(prompts))
    vocab = ll.llama_vocab_n_tokens(ll.llama_model_get_vocab(model))

    def decode(items):  # (token, position, stream, wants logits); returns the argmax of each row with logits
        batch.n_tokens = len(items)
        for k, (token, position, stream, logits) in enumerate(items):
            batch.token[k], batch.pos[k], batch.n_seq_id[k], batch.logits[k] = token, position, 1, logits
            batch.seq_id[k][0] = stream
        if ll.llama_decode(ctx, batch) != 0:
            raise RuntimeError("llama_decode failed")
        return [int(np.argmax(np.ctypeslib.as_array(ll.llama_get_logits_ith(ctx, k), shape=(vocab,))))
                for k, item in enumerate(items) if item[3]]

    try:
        following = decode([(t, p, s, p == len(prompt) - 1) for s, prompt in enumerate(prompts) for p, t in enumerate(prompt)])
        positions = [len(prompt) for prompt in prompts]
        start = time.perf_counter()
        for _ in range(decode_tokens - 1):
            following = decode([(following[s], positions[s], s, True) for s in range(len(prompts))])
            positions = [p + 1 for p in positions]
        return len(prompts) * (decode_tokens - 1) / (time.perf_counter() - start)
    finally:
        ll.llama_batch_free(batch)
        ll.llama_free(ctx)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--prompt-tokens", type=int, default=512)
    ap.add_argument("--decode-prompt", type=int, default=128)
    ap.add_argument("--decode-tokens", type=int, default=128)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--streams", type=int, default=8)
    ap.add_argument("--sections", default="pp,tg", help="pp, tg, batch")
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
    if "batch" in wanted:
        # The prompts of `oasst bench inference --sections batch`: the first token, then 15 tokens further on.
        prompts = [[toks[0]] + toks[1 + i * 7:16 + i * 7] for i in range(a.streams)]
        one = [batched_decode_rate(llm.model, a.threads, prompts[:1], a.decode_tokens) for _ in range(a.repetitions)]
        many = [batched_decode_rate(llm.model, a.threads, prompts, a.decode_tokens) for _ in range(a.repetitions)]
        result["engine_single_tok_s"], result["engine_batch_tok_s"] = statistics.median(one), statistics.median(many)
        result["streams"] = a.streams
    result["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
