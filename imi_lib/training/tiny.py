"""`builtin:tiny`: a small Llama-architecture model the project builds itself.

The Hugging Face hub is out of reach in tests, CI and the embedded-default
run, so they train on this model instead of Meditron. It is built
deterministically on first use (a byte-level BPE tokenizer trained with
`tokenizers` on the bundled corpus, and a seeded random initialisation) and
cached under `$IMI_CACHE_DIR` (default `~/.cache/imi`), keyed by a hash of
everything that shapes it, so a changed spec builds a new one.

It is large enough that LoRA training measurably lowers validation
perplexity and small enough that six adapters train in a couple of minutes
on two CPU cores.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

TINY_NAME = "builtin:tiny"

# Shape of the model (Llama architecture, as Meditron).
TINY_SPEC = {
    "vocab_size": 2048,
    "hidden_size": 128,
    "intermediate_size": 384,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "num_key_value_heads": 4,
    "max_position_embeddings": 1024,
    "seed": 1234,
    "builder_version": 1,
}
SPECIAL_TOKENS = {"pad": "<pad>", "bos": "<s>", "eos": "</s>", "unk": "<unk>"}


def cache_root() -> Path:
    return Path(os.environ.get("IMI_CACHE_DIR") or Path.home() / ".cache" / "imi")


def corpus_text() -> str:
    return resources.files("imi_lib.training.assets").joinpath("tiny_corpus.txt").read_text(encoding="utf-8")


def tiny_key() -> str:
    h = hashlib.sha256(json.dumps(TINY_SPEC, sort_keys=True).encode())
    h.update(corpus_text().encode("utf-8"))
    return h.hexdigest()[:12]


def tiny_model_dir() -> Path:
    """The cached model directory, built first if absent."""
    target = cache_root() / f"builtin-tiny-{tiny_key()}"
    if (target / "config.json").exists() and (target / "model.safetensors").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-tiny-", dir=target.parent))
    try:
        build_tiny(tmp)
        try:
            tmp.rename(target)
        except OSError:
            # another process built it first; theirs is identical
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def build_tokenizer(out_dir: Path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=SPECIAL_TOKENS["unk"]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=TINY_SPEC["vocab_size"],
        special_tokens=[SPECIAL_TOKENS[k] for k in ("pad", "bos", "eos", "unk")],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    lines = [line for line in corpus_text().splitlines() if line.strip()]
    tok.train_from_iterator(lines, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token=SPECIAL_TOKENS["pad"],
        bos_token=SPECIAL_TOKENS["bos"],
        eos_token=SPECIAL_TOKENS["eos"],
        unk_token=SPECIAL_TOKENS["unk"],
        model_max_length=TINY_SPEC["max_position_embeddings"],
    )
    fast.save_pretrained(out_dir)
    return fast


def build_tiny(out_dir: Path) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    out_dir = Path(out_dir)
    tok = build_tokenizer(out_dir)
    cfg = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=TINY_SPEC["hidden_size"],
        intermediate_size=TINY_SPEC["intermediate_size"],
        num_hidden_layers=TINY_SPEC["num_hidden_layers"],
        num_attention_heads=TINY_SPEC["num_attention_heads"],
        num_key_value_heads=TINY_SPEC["num_key_value_heads"],
        max_position_embeddings=TINY_SPEC["max_position_embeddings"],
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        tie_word_embeddings=False,
    )
    gen = torch.random.fork_rng(devices=[])
    with gen:
        torch.manual_seed(TINY_SPEC["seed"])
        model = LlamaForCausalLM(cfg)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.save_pretrained(out_dir, safe_serialization=True)
    (out_dir / "imi_builtin.json").write_text(json.dumps({"name": TINY_NAME, **TINY_SPEC, "key": tiny_key()}, indent=2))
    return out_dir
