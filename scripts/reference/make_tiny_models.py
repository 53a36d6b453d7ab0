#!/usr/bin/env python3
"""Writes tiny random-weight GGUF models, one per (architecture, tensor type), with the PyPI `gguf` package.

They exercise every tensor type and architecture of the Swift inference core against llama.cpp
(see reference_logits.py). Weights are random: quantizable types go through gguf.quants; the K-quants
(which gguf-py cannot quantize) get random blocks with sane scales, which is just as good for a parity test.

usage: make_tiny_models.py OUT_DIR
"""
import sys, os
import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

TYPES = {
    "F32": T.F32, "F16": T.F16, "BF16": T.BF16, "Q4_0": T.Q4_0, "Q5_0": T.Q5_0, "Q8_0": T.Q8_0,
    "Q4_K": T.Q4_K, "Q5_K": T.Q5_K, "Q6_K": T.Q6_K,
}
K_QUANTS = {"Q4_K": 144, "Q5_K": 176, "Q6_K": 210}
# which architectures get which types: gemma3 and llama every type, the qwen2 bias variant a few
GRID = [("gemma3", t) for t in TYPES] + [("llama", t) for t in TYPES] + [("qwen2", t) for t in ("F32", "Q8_0", "Q4_K")]

VOCAB_WORDS = ["▁the", "▁a", "▁of", "▁and", "▁to", "▁in", "▁is", "▁that", "▁it", "▁for", "th", "he", "in", "er",
               "an", "re", "on", "at", "en", "nd", "▁t", "▁s", "▁w", "▁c", "ing", "ion", "ed", "es", "or", "▁b"]


def vocab():
    tokens = ["<pad>", "<eos>", "<bos>", "<unk>"] + [f"<0x{b:02X}>" for b in range(256)] + VOCAB_WORDS
    types = [3, 3, 3, 2] + [6] * 256 + [1] * len(VOCAB_WORDS)
    scores = [0.0] * 260 + [-float(i) for i in range(len(VOCAB_WORDS))]
    return tokens, scores, types


def random_kquant(rng, rows, cols, name):
    size = K_QUANTS[name]
    nb = rows * cols // 256
    blocks = rng.integers(0, 256, size=(nb, size), dtype=np.uint8)
    half = lambda v: np.frombuffer(np.float16(v).tobytes(), dtype=np.uint8)
    for b in range(nb):
        if name == "Q6_K":
            blocks[b, 192:208] = (rng.integers(-40, 40, 16).astype(np.int8)).view(np.uint8)
            blocks[b, 208:210] = half(rng.uniform(0.0005, 0.002))
        else:
            blocks[b, 0:2] = half(rng.uniform(0.0005, 0.002))
            blocks[b, 2:4] = half(rng.uniform(0.0005, 0.002))
    return blocks.reshape(rows, cols // 256 * size)


def add_matrix(w, rng, name, rows, cols, tname):
    """A rows × cols matrix (ggml dims [cols, rows]) of type tname, falling back to Q8_0 when a K-quant does not fit."""
    if tname in K_QUANTS and cols % 256 != 0:
        tname = "Q8_0"
    if tname in K_QUANTS:
        w.add_tensor(name, random_kquant(rng, rows, cols, tname), raw_dtype=TYPES[tname])
        return
    data = (rng.standard_normal((rows, cols)) * (0.5 / np.sqrt(cols))).astype(np.float32)
    qt = TYPES[tname]
    if qt == T.F32:
        w.add_tensor(name, data)
    elif qt == T.F16:
        w.add_tensor(name, data.astype(np.float16))
    else:
        q = gguf.quants.quantize(data, qt)
        w.add_tensor(name, q, raw_dtype=qt)


def add_vector(w, rng, name, n, around=1.0, spread=0.2):
    w.add_tensor(name, (around + spread * rng.standard_normal(n)).astype(np.float32))


def build(arch, tname, path, seed):
    rng = np.random.default_rng(seed)
    kq = tname in K_QUANTS
    d = 256 if kq else 64
    ff = 256 if kq else 128
    heads, kv_heads = (2, 1) if kq else (4, 2)
    head_dim = d // heads
    layers = 2 if arch == "gemma3" and not kq else 1   # K-quant rows are 256 wide: keep those files small
    tokens, scores, types = vocab()
    w = gguf.GGUFWriter(path, arch)
    w.add_name(f"tiny-{arch}-{tname}")
    w.add_context_length(256)
    w.add_embedding_length(d)
    w.add_block_count(layers)
    w.add_feed_forward_length(ff)
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    w.add_key_length(head_dim)
    w.add_value_length(head_dim)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1_000_000.0 if arch == "gemma3" else 10_000.0)
    if arch == "gemma3":
        w.add_sliding_window(4)                       # small, so a 12-token prompt crosses it
        w.add_uint32(f"{arch}.attention.sliding_window_pattern", 2)   # layer 0 local, layer 1 global
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(2)
    w.add_eos_token_id(1)
    w.add_unk_token_id(3)
    w.add_pad_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    V = len(tokens)
    add_matrix(w, rng, "token_embd.weight", V, d, tname)
    add_vector(w, rng, "output_norm.weight", d)
    if arch != "gemma3":
        add_matrix(w, rng, "output.weight", V, d, tname)
    for i in range(layers):
        p = f"blk.{i}."
        add_vector(w, rng, p + "attn_norm.weight", d)
        add_matrix(w, rng, p + "attn_q.weight", heads * head_dim, d, tname)
        add_matrix(w, rng, p + "attn_k.weight", kv_heads * head_dim, d, tname)
        add_matrix(w, rng, p + "attn_v.weight", kv_heads * head_dim, d, tname)
        add_matrix(w, rng, p + "attn_output.weight", d, heads * head_dim, tname)
        if arch == "qwen2":
            add_vector(w, rng, p + "attn_q.bias", heads * head_dim, 0.0, 0.5)
            add_vector(w, rng, p + "attn_k.bias", kv_heads * head_dim, 0.0, 0.5)
            add_vector(w, rng, p + "attn_v.bias", kv_heads * head_dim, 0.0, 0.5)
        if arch == "gemma3":
            add_vector(w, rng, p + "attn_q_norm.weight", head_dim)
            add_vector(w, rng, p + "attn_k_norm.weight", head_dim)
            add_vector(w, rng, p + "post_attention_norm.weight", d)
            add_vector(w, rng, p + "post_ffw_norm.weight", d)
        add_vector(w, rng, p + "ffn_norm.weight", d)
        add_matrix(w, rng, p + "ffn_gate.weight", ff, d, tname)
        add_matrix(w, rng, p + "ffn_up.weight", ff, d, tname)
        add_matrix(w, rng, p + "ffn_down.weight", d, ff, tname)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n, (arch, t) in enumerate(GRID):
        path = os.path.join(out, f"tiny-{arch}-{t.lower()}.gguf")
        build(arch, t, path, seed=1000 + n)
        print(path, os.path.getsize(path))


if __name__ == "__main__":
    main()
