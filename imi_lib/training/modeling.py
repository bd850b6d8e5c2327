"""Loading the base model and tokenizer: hub id, local directory, s3:// prefix or a built-in model
(builtin:smollm2, builtin:tiny; see `imi_lib.training.builtin_models`).

Safety: `trust_remote_code=False` and safetensors only. A directory that
holds only pickle weights (`pytorch_model.bin`) is refused, since unpickling
runs arbitrary code.

Precision: `full`, `8bit` (LLM.int8) or `4bit` (QLoRA: NF4, double
quantization, bf16/fp32 compute). `auto` picks 4bit on CUDA where bitsandbytes can
quantize and full precision otherwise (CPU included). When a platform cannot quantize, the
load falls back to full precision with one warning instead of failing.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from imi_lib.core.errors import UserError

log = logging.getLogger(__name__)

# bitsandbytes logs, on import and on CPUs with AVX512-BF16, a warning that it could not download an
# optimised 4-bit CPU kernel from the Hugging Face kernel hub (`pip install kernels`). peft imports
# bitsandbytes whenever it is installed, so every run printed it, full precision included, where no
# 4-bit kernel is used; offline the hub is out of reach anyway and bitsandbytes falls back to its own
# kernel. The filter drops that one message and nothing else.
BNB_KERNELS_WARNING = "Failed to load CPU gemm_4bit_forward from kernels-community"


class _DropBnbKernelsWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(BNB_KERNELS_WARNING)


logging.getLogger("bitsandbytes.backends.cpu.ops").addFilter(_DropBnbKernelsWarning())

DEFAULT_BASE_MODEL = "epfl-llm/meditron-7b"
# Hub revisions (commit sha) pinned for base models: only shas checked against the hub belong here
# (`make verify-revisions` checks each one). Meditron is unpinned: no sha of it could be verified, so a
# run resolves `main` to its commit when it starts (or `--base-model id@sha` pins one), loads exactly
# that commit, and records it in every manifest it writes.
PINNED_REVISIONS: dict[str, str] = {}
MODEL_CONTEXT = {"epfl-llm/meditron-7b": 2048, "epfl-llm/meditron-70b": 4096}
PRECISIONS = ("auto", "full", "8bit", "4bit")


@dataclass
class ModelSource:
    """Where the weights come from, as recorded in manifests."""

    spec: str  # what the user gave
    path: str  # what from_pretrained receives (local dir or hub id)
    revision: str | None = None
    kind: str = "hub"  # hub | local | s3 | builtin


def resolve_base_model(spec: str) -> ModelSource:
    """Turn a --base-model value into a loadable source, downloading s3:// once into the cache."""
    from imi_lib.core import storage

    from imi_lib.training import builtin_models, tiny
    if not spec:
        raise UserError("no base model given")
    if spec.startswith("builtin:"):
        return ModelSource(spec, str(builtin_models.builtin_model_dir(spec)), None, "builtin")
    if storage.is_s3(spec):
        import hashlib

        local = tiny.cache_root() / "models" / hashlib.sha1(spec.encode()).hexdigest()[:16]
        if not (local / "config.json").exists():
            storage.download_tree(spec, local)
        _check_local_dir(local, spec)
        return ModelSource(spec, str(local), None, "s3")
    p = Path(spec).expanduser()
    if p.exists():
        if not p.is_dir():
            raise UserError(f"--base-model {spec}: not a directory with a saved model")
        _check_local_dir(p, spec)
        return ModelSource(spec, str(p), None, "local")
    hub_id, _, rev = spec.partition("@")
    if hub_id.count("/") != 1 or spec.startswith((".", "/")):
        raise UserError(
            f"--base-model {spec}: not a local directory, an s3:// prefix, {' or '.join(builtin_models.builtin_names())} or a hub id like {DEFAULT_BASE_MODEL}"
        )
    from imi_lib.core import hub

    # unpinned: the commit main points at now, so tokenizer and weights come from one commit and the
    # manifests name it (None offline; load_model then records the commit it loaded)
    return ModelSource(spec, hub_id, rev or PINNED_REVISIONS.get(hub_id) or hub.resolve_revision(hub_id), "hub")


def _check_local_dir(p: Path, spec: str) -> None:
    if not (p / "config.json").exists():
        raise UserError(f"--base-model {spec}: no config.json in {p}")
    names = {f.name for f in p.iterdir()}
    has_safe = any(n.endswith(".safetensors") for n in names)
    has_pickle = any(n.endswith((".bin", ".pt", ".pth", ".pkl")) for n in names)
    if not has_safe and has_pickle:
        raise UserError(
            f"--base-model {spec}: only pickle weights (.bin/.pt) found; they can run arbitrary code when loaded. "
            "Convert them to safetensors first (model.save_pretrained(dir, safe_serialization=True) in a trusted environment)."
        )
    if not has_safe:
        raise UserError(f"--base-model {spec}: no *.safetensors weights in {p}")


def _hub_kwargs(src: ModelSource) -> dict:
    kw = {"trust_remote_code": False}
    if src.revision:
        kw["revision"] = src.revision
    return kw


def load_tokenizer(src: ModelSource):
    """The tokenizer, with a pad token distinct from eos.

    Llama-2 tokenizers ship without a pad token and a common fix sets
    pad = eos; with loss masking on pad positions that teaches the model never
    to emit eos. We use unk as pad when it exists and differs from eos (no new
    embedding row needed), otherwise add a <pad> token.
    """
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(src.path, **_hub_kwargs(src))
    except OSError as e:
        raise UserError(_load_error(src, e)) from None
    if tok.pad_token is None or tok.pad_token_id == tok.eos_token_id:
        if tok.unk_token is not None and tok.unk_token_id != tok.eos_token_id:
            tok.pad_token = tok.unk_token
        else:
            tok.add_special_tokens({"pad_token": "<pad>"})
    tok.padding_side = "right"
    return tok


def _load_error(src: ModelSource, e: Exception) -> str:
    from imi_lib.core import hub

    if src.kind == "hub" and (refused := hub.access_message(e, src.path, "model")):
        return refused  # 401/403: gated or private, and what to do about it
    if src.kind == "hub":
        return (
            f"cannot load {src.path} (revision {src.revision}) from the Hugging Face hub: {str(e).splitlines()[0]}. "
            "Without network access, download it elsewhere and pass a local directory or s3:// prefix to --base-model, "
            "or use --base-model builtin:smollm2 for a local run (builtin:tiny for a quick test)."
        )
    return f"cannot load model from {src.path}: {str(e).splitlines()[0]}"


def can_quantize() -> tuple[bool, str]:
    """Whether bitsandbytes is importable and can quantize on this platform."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import bitsandbytes  # noqa: F401
    except Exception as e:  # ImportError, or a broken native library
        return False, f"bitsandbytes unavailable ({type(e).__name__}: {e})"
    return True, ""


def resolve_precision(precision: str) -> str:
    """`auto` -> 4bit on CUDA where possible, full on CPU; a quantized request falls back to full with one warning.

    bitsandbytes >= 0.50 quantizes on the CPU too, but there it buys no speed: a LoRA step of
    builtin:smollm2 (2 rows x 256 tokens, 2 cores) took 0.96x the fp32 time in 4-bit NF4
    (`benchmarks/bench_precision.py`, both measured in alternation in one run), while adding
    quantization error, and memory is rarely the limit for models small enough to train on a
    CPU. So `auto` keeps CPU runs (tests, the embedded default) in full precision; `4bit` asks
    for the QLoRA path explicitly.
    """
    if precision not in PRECISIONS:
        raise UserError(f"precision {precision!r}: choose one of {', '.join(PRECISIONS)}")
    if precision == "full":
        return "full"
    if precision == "auto":
        import torch

        if not torch.cuda.is_available():
            return "full"
    ok, why = can_quantize()
    if ok:
        if precision != "auto":
            import torch

            from imi_lib.training import devices

            if not torch.cuda.is_available():
                devices.note_cpu_quantization(precision)  # once: the run goes on, slowly, as asked
        return "4bit" if precision == "auto" else precision
    if precision != "auto":
        warnings.warn(f"{precision} quantization is not available here: {why}; training in full precision instead",
                      stacklevel=2)
    return "full"


def compute_dtype():
    import torch

    if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    if torch.cuda.is_available():
        return torch.float16
    return torch.float32


def load_model(src: ModelSource, precision: str = "full", *, tokenizer=None, for_training: bool = True):
    """Load the causal LM at the given (already resolved) precision."""
    import torch
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    kwargs = dict(_hub_kwargs(src), use_safetensors=True)
    dtype = compute_dtype()
    if precision == "4bit":
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype,
        )
    elif precision == "8bit":
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
    kwargs["dtype"] = dtype
    if torch.cuda.is_available():
        kwargs["device_map"] = {"": int(os.environ.get("LOCAL_RANK", 0))}
    try:
        model = AutoModelForCausalLM.from_pretrained(src.path, **kwargs)
    except OSError as e:
        raise UserError(_load_error(src, e)) from None
    if src.kind == "hub" and not src.revision:
        src.revision = getattr(model.config, "_commit_hash", None)  # what the cache or hub served
    if tokenizer is not None and len(tokenizer) > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(len(tokenizer))
    if tokenizer is not None:
        model.config.pad_token_id = tokenizer.pad_token_id
        if model.generation_config is not None:
            model.generation_config.pad_token_id = tokenizer.pad_token_id
    return model


def default_max_seq_length(src: ModelSource) -> int:
    """Tokens per training row when --max-seq-length is not given: min(context, 2048); 512 on the
    built-in models, which stand in for Meditron on CPUs (shorter rows keep six adapters minutes of work)."""
    cfg = _read_model_config(src) or {}
    context = model_context_length(src) if not cfg else int(cfg.get("max_position_embeddings", 2048))
    return min(context, 512 if src.kind == "builtin" else 2048)


def model_context_length(src: ModelSource, model=None) -> int:
    if src.kind == "hub" and src.path in MODEL_CONTEXT:
        return MODEL_CONTEXT[src.path]
    if model is not None:
        return int(getattr(model.config, "max_position_embeddings", 2048))
    return 2048


# ---- memory: the host allocator ----------------------------------------------

# glibc's malloc serves a request above its mmap threshold with its own mapping, returned to the
# system on free; below it, from the heap, where freed blocks stay with the process. The threshold
# starts at 128 KiB and rises (up to 32 MiB) each time a mapped block is freed, so after the first
# training step every activation of a packed row (4 x 2,048 tokens x 576 floats = 19 MB) comes from
# the heap, and the mix of sizes a backward pass frees and re-requests fragments it: builtin:smollm2
# at 4 x 2,048 with gradient checkpointing peaks at 7.8 GB RSS for ~2.3 GB of live tensors
# (benchmarks/bench_memory.py). Pinning the threshold low keeps large tensors out of the heap
# (2.3 GB), at the price of a page fault per fresh page of every large tensor: slower, so it is
# only turned on where memory is the constraint (with gradient checkpointing, itself a trade of
# time for memory).
COMPACT_MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # mallopt parameter numbers, from glibc's malloc.h
_M_TRIM_THRESHOLD = -1


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def compact_host_allocator() -> bool:
    """Pin glibc's mmap threshold to 1 MiB (see above); False where the C library is not glibc."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # setting either value also stops glibc from raising the threshold by itself
    return bool(mallopt(_M_MMAP_THRESHOLD, COMPACT_MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, 2 * COMPACT_MMAP_THRESHOLD))


# ---- memory: estimated before loading --------------------------------------

GIB = 1 << 30
# Python, torch, the tokenizer, the data and allocator slack.
MEMORY_OVERHEAD_BYTES = int(0.75 * GIB)
# Bytes kept for the backward pass per token and decoder layer, in units of the activation dtype's size:
# ~14 hidden-size and ~10 intermediate-size vectors (norms, q/k/v/o, the MLP's gate/up/act/product, the
# LoRA inputs and dropout masks). With gradient checkpointing one hidden-size vector per token and layer
# stays (the layer's input) plus one layer's full set while it is recomputed. Fitted to builtin:smollm2
# peak RSS on the CPU (fp32, packed rows, batch 4; benchmarks/bench_memory.py): 6.2 GB at 512 without
# checkpointing; with it (and the compact allocator that comes with it on the host) 1.4, 1.7 and 2.3 GB
# at 512, 1,024 and 2,048. The estimate stays 1.2-1.4x above those: it decides, it must not undershoot.
ACTIVATION_HIDDEN_VECTORS = 14
ACTIVATION_INTERMEDIATE_VECTORS = 10
CHECKPOINTED_HIDDEN_VECTORS = 1


@dataclass
class MemoryPlan:
    """What a training configuration needs, and what the machine has, in bytes."""

    needed: int
    needed_with_checkpointing: int
    available: int
    device: str
    gradient_checkpointing: bool

    def describe(self) -> str:
        return (f"~{self.needed / GIB:.1f} GB ({self.needed_with_checkpointing / GIB:.1f} GB with gradient "
                f"checkpointing), {self.available / GIB:.1f} GB available on the {self.device}")


def _read_model_config(src: ModelSource) -> dict | None:
    p = Path(src.path) / "config.json"
    if src.kind == "hub" or not p.is_file():
        return None  # a hub model's config is only known once downloaded
    import json

    return json.loads(p.read_text(encoding="utf-8"))


def available_memory(device: str) -> int:
    """Bytes this process can still use: free GPU memory on CUDA; otherwise the host's MemAvailable,
    capped by a cgroup memory limit (a pod's) when there is one."""
    if device == "cuda":
        import torch

        free, _total = torch.cuda.mem_get_info()
        return int(free)
    avail = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                avail = int(line.split()[1]) * 1024
    except OSError:
        pass
    if avail is None:
        import psutil

        avail = int(psutil.virtual_memory().available)
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            limit = Path(limit_file).read_text().strip()
            usage = int(Path(usage_file).read_text().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < (1 << 50):
            avail = min(avail, int(limit) - usage)
        break
    return avail


def estimate_training_bytes(model_config: dict, *, precision: str, max_seq_length: int, batch_size: int,
                            gradient_checkpointing: bool, lora_r: int = 16, on_cuda: bool = False) -> int:
    """Peak memory of LoRA training for a Llama-shaped model: weights, kept activations, LoRA optimizer
    state, one chunk of output-head logits (the loss never builds them all), and a fixed overhead."""
    h = int(model_config.get("hidden_size", 4096))
    inter = int(model_config.get("intermediate_size", 4 * h))
    layers = int(model_config.get("num_hidden_layers", 32))
    vocab = int(model_config.get("vocab_size", 32000))
    heads = int(model_config.get("num_attention_heads", 32))
    kv = int(model_config.get("num_key_value_heads", heads))
    head_dim = int(model_config.get("head_dim") or h // heads)
    per_layer = h * heads * head_dim * 2 + h * kv * head_dim * 2 + 3 * h * inter
    embed = vocab * h * (1 if model_config.get("tie_word_embeddings") else 2)
    weight_bytes = {"4bit": 0.56, "8bit": 1.06}.get(precision, 2 if on_cuda else 4)
    act_bytes = 2 if on_cuda else 4
    weights = layers * per_layer * weight_bytes + embed * (2 if on_cuda else 4)
    tokens = max_seq_length * batch_size
    full_layer = tokens * act_bytes * (ACTIVATION_HIDDEN_VECTORS * h + ACTIVATION_INTERMEDIATE_VECTORS * inter)
    if gradient_checkpointing:
        activations = tokens * act_bytes * CHECKPOINTED_HIDDEN_VECTORS * h * layers + full_layer  # one layer recomputed
    else:
        activations = full_layer * layers
    lora = layers * 7 * lora_r * (h + inter) * 4 * 4  # weight, gradient, two AdamW moments (fp32)
    head_chunk = 3 * (64 << 20)  # loss.CHUNK_BYTES of logits, its softmax and its gradient
    return int(weights + activations + lora + head_chunk + MEMORY_OVERHEAD_BYTES)


def plan_training_memory(src: ModelSource, *, precision: str, max_seq_length: int, batch_size: int,
                         gradient_checkpointing: bool | None, lora_r: int = 16,
                         available: int | None = None) -> MemoryPlan | None:
    """Check a training configuration against the memory there is, before loading anything.

    Returns the plan with gradient checkpointing decided: as given, or (when left to the default)
    on with CUDA, and on the CPU only when the configuration would not fit without it. Raises
    UserError with one line naming flags that would fit when it cannot. None when the model's
    shape is unknown before download (a hub id).
    """
    import torch

    model_config = _read_model_config(src)
    if model_config is None:
        return None
    on_cuda = torch.cuda.is_available()
    device = "cuda" if on_cuda else "cpu"
    avail = available_memory(device) if available is None else available

    def need(seq: int, batch: int, gc: bool, prec: str = precision) -> int:
        return estimate_training_bytes(model_config, precision=prec, max_seq_length=seq, batch_size=batch,
                                       gradient_checkpointing=gc, lora_r=lora_r, on_cuda=on_cuda)

    plan = MemoryPlan(need(max_seq_length, batch_size, False), need(max_seq_length, batch_size, True), avail,
                      "GPU" if on_cuda else "host", False)
    if gradient_checkpointing is None:
        plan.gradient_checkpointing = on_cuda or plan.needed > avail
    else:
        plan.gradient_checkpointing = gradient_checkpointing
    fits = (plan.needed_with_checkpointing if plan.gradient_checkpointing else plan.needed) <= avail
    if fits:
        return plan
    suggestions = []
    if not plan.gradient_checkpointing and plan.needed_with_checkpointing <= avail:
        suggestions.append("--gradient-checkpointing")
    for seq in sorted({max_seq_length, *(s for s in (2048, 1024, 512, 256) if s < max_seq_length)}, reverse=True):
        for batch in sorted({b for b in (batch_size, 4, 2, 1) if b <= batch_size}, reverse=True):
            if (seq, batch) != (max_seq_length, batch_size) and need(seq, batch, True) <= avail:
                suggestions.append(f"--gradient-checkpointing --max-seq-length {seq} --batch-size {batch}"
                                   + (f" --gradient-accumulation-steps {batch_size // batch}" if batch < batch_size else ""))
                break
        if len(suggestions) >= 2:
            break
    if on_cuda and precision == "full" and need(max_seq_length, batch_size, True, "4bit") <= avail:
        suggestions.append("--precision 4bit --gradient-checkpointing")
    hint = ("; try " + " or ".join(suggestions)) if suggestions else "; no smaller setting fits: use a machine with more memory"
    raise UserError(f"training {src.spec} at --max-seq-length {max_seq_length} --batch-size {batch_size} needs "
                    f"{plan.describe()}{hint}")
