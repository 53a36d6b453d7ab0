#!/usr/bin/env python3
"""Reference values from llama.cpp (llama-cpp-python) for the default model (Gemma 3 270M Q4_K_M):
token ids for a varied corpus, and greedy continuations of several prompts.

usage: default_model_reference.py MODEL.gguf OUT_DIR
"""
import json, os, sys
import numpy as np
from llama_cpp import Llama

CORPUS = [
    "Hello world, this is a test.",
    "The capital of France is",
    "Café, naïve, résumé, Ångström, façade, über, São Paulo, Dvořák.",
    "東京は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다.",
    "Emoji: 😀🎉👍🏽 🇫🇷 👨‍👩‍👧‍👦 ❤️",
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "for (int i = 0; i < 10; ++i) { printf(\"%d\\n\", i); }",
    "   leading spaces, trailing spaces   ",
    "tabs\tand\t\tmore tabs\n\nnew\n\n\nlines\r\nwindows",
    "many      spaces        between      words",
    "Numbers: 1234567890, 3.14159, -42, 1e-9, 0x1F.",
    "Mixed: <b>bold</b> & <i>italic</i> — “quotes” ‘single’ …",
    "Привет, мир! Γειά σου κόσμε! مرحبا بالعالم! שלום עולם!",
    "",
    " ",
    "\n",
    "a",
    "<start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\n",
]
SPECIAL_CORPUS = [
    "<start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\n",
    "<bos>text<eos> and <unused5> and </s>",
]
PROMPTS = [
    "The history of computing is a story of steady miniaturisation and of ever cheaper arithmetic. Early machines filled entire rooms, consumed enormous amounts of power and were programmed by rewiring panels.",
    "Once upon a time, in a small village at the edge of a great forest, there lived an old woodcutter and his three children. Every morning he would",
    "Photosynthesis is the process by which green plants and some other organisms use sunlight to synthesize foods from carbon dioxide and water. The process takes place mainly in the leaves, where",
    "def quicksort(items):\n    \"\"\"Sort a list of numbers in ascending order using the quicksort algorithm.\"\"\"\n    if len(items) <= 1:\n        return items\n",
    "Die Hauptstadt von Deutschland ist Berlin. Die Hauptstadt von Frankreich ist Paris. Die Hauptstadt von Italien ist Rom. Die Hauptstadt von Polen ist Warschau. Die Hauptstadt von Spanien ist",
]
N_GENERATE = 32


def main():
    model, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    llm = Llama(model_path=model, n_ctx=512, n_batch=512, n_ubatch=512, n_threads=2, n_threads_batch=2,
                seed=0, logits_all=False, verbose=False)
    tok = {"plain": [{"text": t, "ids": llm.tokenize(t.encode(), add_bos=True, special=False)} for t in CORPUS],
           "special": [{"text": t, "ids": llm.tokenize(t.encode(), add_bos=False, special=True)} for t in SPECIAL_CORPUS]}
    with open(os.path.join(out, "gemma3-tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)

    V = llm.n_vocab()
    last = lambda: np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(V,)).copy()
    runs = []
    for p in PROMPTS:
        ids = llm.tokenize(p.encode(), add_bos=True, special=False)
        assert len(ids) >= 32, (p, len(ids))
        llm.reset()
        llm.eval(ids)
        first = last()
        top = np.argsort(-first)[:5]
        out_ids = []
        # Per step, llama.cpp's five best tokens with their logits: where an implementation parts from
        # the greedy run, the tests read how close llama.cpp itself came to the other token.
        steps = []
        logits = first
        for _ in range(N_GENERATE):
            t = int(np.argmax(logits))
            out_ids.append(t)
            steps.append([[int(i), round(float(logits[i]), 4)] for i in np.argsort(-logits)[:5]])
            llm.eval([t])
            logits = last()
        runs.append({"prompt": p, "prompt_ids": ids, "greedy": out_ids,
                     "top5": [[int(i), round(float(first[i]), 4)] for i in top], "steps_top5": steps})
    with open(os.path.join(out, "gemma3-greedy.json"), "w") as f:
        json.dump(runs, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
