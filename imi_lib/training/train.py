"""Step 3: train LoRA/QLoRA adapters on the base model (`imi train`).

    imi train --adapter patient_triage                     # one adapter, the guide's defaults
    imi train --adapter all --base-model builtin:tiny      # all six, one after another, one model load
    imi train --adapter education --epochs 5 --batch-size 2 --learning-rate 1e-4
    imi train --adapter patient_triage --resume-from adapters/patient_triage/checkpoints/checkpoint-500

Reads `D/final/{adapter}_train.json` (and `_val.json` for a closing val
loss) and writes `<output-dir>/<adapter>/`: `adapter_model.safetensors` +
`adapter_config.json` (loads with `peft.PeftModel.from_pretrained`),
`training_log.jsonl`, `train_config.json` (the effective config),
`manifest.json` (what the adapter was made from) and `train_summary.json`
(written last: its presence means the adapter is complete).

Training runs on `transformers.Trainer` (accelerate underneath: DDP, FSDP,
`report_to`); `imi_lib.training.engine` plugs in what is IMI's own: the
packed rows and their collator, the response-only token-weighted loss through
the shared `loss.response_nll`, the training log, and checkpoints published
complete-or-absent with checksums (`imi_lib.training.checkpoint`), locally or
on s3, from which a rerun resumes on its own. This module keeps what only IMI
needs: the adapter table, one base model reused for every adapter, the
packing probe, and the adapter's outputs. See docs/training.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

# torch's OpenMP threads spin while waiting by default, which makes training
# 10-30x slower when other processes share the cores (a 2-core pipeline pod,
# the embedded run); sleeping waits cost little on an idle machine. It only
# takes effect if set before torch is first imported, as `imi train` does.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from imi_lib.core import config, provenance, storage  # noqa: E402
from imi_lib.core.adapters import ADAPTER_DEFAULTS, resolve_adapters
from imi_lib.core.config import ConfigError
from imi_lib.core.errors import UserError
from imi_lib.training.modeling import DEFAULT_BASE_MODEL, PRECISIONS

# every linear projection of a Llama block: LoRA on all of them (QLoRA paper) beats attention-only
DEFAULT_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
LOG_FILE = "training_log.jsonl"
SCHEDULERS = ("cosine", "linear", "constant")
REPORT_TO = ("none", "mlflow", "tensorboard")
TINY_MAX_SEQ_LENGTH = 512


@dataclass
class TrainConfig:
    data_dir: str = config.option("data", "data directory (local path or s3://bucket/prefix); reads DATA_DIR/final/")
    final_dir: str | None = config.option(
        None, "directory holding {adapter}_train.json and {adapter}_val.json (default: DATA_DIR/final)")
    output_dir: str = config.option("adapters", "where <adapter>/ directories are written (local path or s3://)")
    adapter: str = config.option("all", "adapter to train: a name, a comma list, or 'all' (trained one after another)")
    base_model: str = config.option(
        DEFAULT_BASE_MODEL, "hub id[@revision], local directory, s3:// prefix of a saved model, or builtin:tiny")
    precision: str = config.option(
        "auto", "base weights: auto (4-bit NF4 QLoRA on CUDA, full on CPU), full, 8bit or 4bit", choices=PRECISIONS)
    use_8bit: bool = config.option(False, "load the base model in 8-bit (the guide's flag; same as --precision 8bit)")
    epochs: int | None = config.option(None, "passes over the train split (default: the adapter's, 3 or 4)")
    max_steps: int | None = config.option(None, "stop after this many optimizer steps at most (quick runs)")
    batch_size: int = config.option(4, "rows per micro-batch (a packed row holds several examples); 1 when short of memory")
    gradient_accumulation_steps: int = config.option(1, "micro-batches per optimizer step")
    learning_rate: float | None = config.option(None, "peak learning rate (default: the adapter's, 2e-4 or 1e-4)")
    lr_scheduler: str = config.option("cosine", "learning-rate decay after warmup", choices=SCHEDULERS)
    warmup_ratio: float = config.option(0.03, "fraction of the steps spent warming the learning rate up")
    weight_decay: float = config.option(0.0, "AdamW weight decay on the LoRA weights")
    max_grad_norm: float = config.option(1.0, "gradient clipping norm (0 disables)")
    lora_r: int | None = config.option(None, "LoRA rank (default: the adapter's, 16)")
    lora_alpha: int | None = config.option(None, "LoRA alpha (default: the adapter's, 32)")
    lora_dropout: float = config.option(0.05, "dropout on the LoRA input")
    target_modules: list[str] = config.option(
        default_factory=lambda: list(DEFAULT_TARGET_MODULES), help="modules that get LoRA, comma separated")
    max_seq_length: int | None = config.option(
        None, "tokens per row; longer examples are cut (default: min(model context, 2048); 512 on builtin:tiny); "
              "lower it when short of memory")
    packing: bool = config.option(True, "pack several examples per row (per-example position ids, no cross-attention)")
    gradient_checkpointing: bool | None = config.option(
        None, "recompute activations in the backward pass to save memory (default: on with CUDA, off on CPU)")
    save_steps: int = config.option(50, "write a checkpoint every N optimizer steps (and at the end); 0: only at the end")
    keep_checkpoints: int = config.option(2, "how many of the newest complete checkpoints to keep")
    checkpoint_dir: str | None = config.option(
        None, "where checkpoints go, local or s3:// (default: OUTPUT_DIR/<adapter>/checkpoints)")
    resume_from: str | None = config.option(
        None, "a checkpoint-<step> directory to resume from (without it, the newest complete checkpoint of a "
              "matching earlier run is resumed automatically)")
    seed: int = config.option(42, "seed for LoRA init, dropout and data order")
    max_train_records: int | None = config.option(None, "use at most this many train records (the first ones)")
    max_val_records: int | None = config.option(None, "use at most this many val records for the closing val loss")
    logging_steps: int = config.option(1, "write a training_log.jsonl line every N optimizer steps")
    report_to: str = config.option(
        "none", "experiment tracking: mlflow (MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_NAME), tensorboard "
                "(OUTPUT_DIR/<adapter>/runs) or none", choices=REPORT_TO)
    # -- more than one process: `imi train` relaunches itself through torch.distributed.run (torchrun)
    nproc_per_node: int = config.option(
        1, "training processes on this machine (one per GPU); above 1, DDP over them (gloo on CPUs)")
    nnodes: int = config.option(1, "machines taking part; each runs the same command with its own --node-rank")
    node_rank: int = config.option(0, "this machine's index among --nnodes (0 holds the rendezvous)")
    master_addr: str = config.option("127.0.0.1", "address of the node-rank 0 machine (with --nnodes above 1)")
    master_port: int = config.option(29500, "its rendezvous port (with --nnodes above 1)")
    fsdp: bool = config.option(
        False, "shard the model over the processes (FSDP2: parameters, gradients and optimizer state) instead of "
               "replicating it (DDP), for base models that do not fit one device")


def add_arguments(parser) -> None:
    config.add_arguments(parser, TrainConfig)


def main(args) -> int:
    cfg = config.from_args(TrainConfig, args)
    if (cfg.nproc_per_node > 1 or cfg.nnodes > 1) and "LOCAL_RANK" not in os.environ:
        return launch(cfg)
    run(cfg)
    return 0


def launch(cfg: TrainConfig) -> int:
    """Run this training in nproc_per_node x nnodes processes through torch.distributed.run; its exit code."""
    cfg = validate(cfg)
    if cfg.nnodes > 1 and not 0 <= cfg.node_rank < cfg.nnodes:
        raise ConfigError(f"node_rank: must be in [0, {cfg.nnodes}), got {cfg.node_rank}")
    _check_fsdp(cfg)
    with tempfile.TemporaryDirectory(prefix="imi-launch-") as tmp:
        cfg_file = Path(tmp) / "train.yaml"
        # JSON is YAML: every process reads the same effective config
        cfg_file.write_text(json.dumps(dataclasses.asdict(cfg), indent=2))
        cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc-per-node={cfg.nproc_per_node}"]
        if cfg.nnodes == 1:
            cmd += ["--standalone"]
        else:
            cmd += [f"--nnodes={cfg.nnodes}", f"--node-rank={cfg.node_rank}",
                    f"--master-addr={cfg.master_addr}", f"--master-port={cfg.master_port}"]
        cmd += ["-m", "imi_lib.cli", "train", "--config", str(cfg_file)]
        print(f"imi train: launching {cfg.nproc_per_node} process(es) per node on {cfg.nnodes} node(s)",
              file=sys.stderr, flush=True)
        rc = subprocess.call(cmd)
    if rc != 0:
        raise UserError(f"training processes failed (exit code {rc}); the first failing process's error is above")
    return 0


def _remove_scratch(scratch: Path, rank: int, trained: bool) -> None:
    """Remove Trainer's scratch directory, which every process of a run shares (one name per run): after a run that
    trained, only once every process is past it (a process that finished first removed it while the main one still
    published its last checkpoint from it); after a failure at once, from each process."""
    import torch.distributed as dist

    if trained and dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        dist.barrier()
        if rank != 0:
            return
    shutil.rmtree(scratch, ignore_errors=True)


# ---- configuration ----------------------------------------------------------

@dataclass
class AdapterPlan:
    """One adapter's resolved hyper-parameters."""

    name: str
    epochs: int
    learning_rate: float
    lora_r: int
    lora_alpha: int


def validate(cfg: TrainConfig) -> TrainConfig:
    """Check values a type cannot; returns cfg with --use-8bit folded into precision."""
    def need(ok: bool, msg: str) -> None:
        if not ok:
            raise ConfigError(msg)

    for name in ("batch_size", "gradient_accumulation_steps", "logging_steps", "nproc_per_node", "nnodes"):
        need(getattr(cfg, name) >= 1, f"{name}: must be at least 1, got {getattr(cfg, name)}")
    for name in ("epochs", "max_steps", "lora_r", "lora_alpha", "max_train_records", "max_val_records"):
        v = getattr(cfg, name)
        need(v is None or v >= 1, f"{name}: must be at least 1, got {v}")
    need(cfg.learning_rate is None or 0 < cfg.learning_rate < 1,
         f"learning_rate: must be between 0 and 1, got {cfg.learning_rate}")
    need(0 <= cfg.lora_dropout < 1, f"lora_dropout: must be in [0, 1), got {cfg.lora_dropout}")
    need(0 <= cfg.warmup_ratio < 1, f"warmup_ratio: must be in [0, 1), got {cfg.warmup_ratio}")
    need(cfg.weight_decay >= 0, f"weight_decay: must be >= 0, got {cfg.weight_decay}")
    need(cfg.max_grad_norm >= 0, f"max_grad_norm: must be >= 0, got {cfg.max_grad_norm}")
    need(cfg.max_seq_length is None or cfg.max_seq_length >= 32,
         f"max_seq_length: must be at least 32, got {cfg.max_seq_length}")
    need(cfg.save_steps >= 0, f"save_steps: must be >= 0, got {cfg.save_steps}")
    need(cfg.keep_checkpoints >= 1, f"keep_checkpoints: must be at least 1, got {cfg.keep_checkpoints}")
    need(bool(cfg.target_modules), "target_modules: give at least one module name")
    need(cfg.precision in PRECISIONS, f"precision: {cfg.precision!r} is not one of {', '.join(PRECISIONS)}")
    if cfg.report_to != "none":
        import importlib.util

        modules = {"mlflow": ("mlflow",), "tensorboard": ("tensorboard", "tensorboardX")}[cfg.report_to]
        need(any(importlib.util.find_spec(m) for m in modules),
             f"--report-to {cfg.report_to} needs the {modules[0]} package (pip install {modules[0]})")
    if cfg.use_8bit:
        need(cfg.precision in ("auto", "8bit"), f"--use-8bit conflicts with --precision {cfg.precision}")
        cfg = dataclasses.replace(cfg, precision="8bit")
    return cfg


def _check_fsdp(cfg: TrainConfig) -> None:
    # fully_shard shards the loaded base model in place: it cannot be handed on to a next adapter
    sharding = cfg.fsdp and (cfg.nproc_per_node * cfg.nnodes > 1 or int(os.environ.get("WORLD_SIZE", 1)) > 1)
    try:
        several = sharding and len(resolve_adapters(cfg.adapter)) > 1
    except ValueError as e:
        raise ConfigError(f"adapter: {e}") from None
    if several:
        raise ConfigError("--fsdp trains one adapter per run; give --adapter NAME (one command per adapter)")


def plan_for(cfg: TrainConfig, name: str) -> AdapterPlan:
    d = ADAPTER_DEFAULTS[name]
    return AdapterPlan(
        name=name,
        epochs=cfg.epochs or d.epochs,
        learning_rate=cfg.learning_rate or d.learning_rate,
        lora_r=cfg.lora_r or d.lora_r,
        lora_alpha=cfg.lora_alpha or d.lora_alpha,
    )


# ---- data -------------------------------------------------------------------

@dataclass
class Split:
    path: str
    records: list
    sha256: str
    invalid: int


def read_split(final_dir: str, name: str, split: str, *, required: bool, limit: int | None) -> Split | None:
    """Read `{name}_{split}.json` from a local or s3 final/ directory, verified against its marker.

    An incomplete final/ (no marker), a file whose sha256 differs from the
    marker's, or an invalid record is refused: training never runs on data
    `imi prepare` did not write whole.
    """
    from imi_lib.core import records

    rel = f"{name}_{split}.json"
    uri = storage.join(final_dir, rel)
    data = storage.read_verified_file(final_dir, rel, rebuild="imi prepare (see --data-dir/--final-dir)")
    if data is None:
        if required:
            raise UserError(f"{uri}: not in the prepared data; run `imi prepare` first "
                            "(or point --data-dir/--final-dir at its output)")
        return None
    with tempfile.TemporaryDirectory(prefix="imi-train-") as tmp:
        local = Path(tmp) / "split.jsonl"
        local.write_bytes(data)
        recs = list(records.read_records(local))  # an invalid record raises, naming the line
    if limit is not None:
        recs = recs[:limit]
    return Split(uri, recs, hashlib.sha256(data).hexdigest(), 0)


# ---- the run ----------------------------------------------------------------

def run(cfg: TrainConfig) -> dict:
    from imi_lib.training import modeling
    from imi_lib.core.summary import StageTimer, print_summary

    timer = StageTimer("train")
    cfg = validate(cfg)
    try:
        names = resolve_adapters(cfg.adapter)
    except ValueError as e:
        raise ConfigError(f"adapter: {e}") from None
    _check_fsdp(cfg)
    if cfg.resume_from and len(names) != 1:
        raise ConfigError("--resume-from needs a single --adapter (a checkpoint belongs to one adapter)")
    if cfg.resume_from:
        check_resume_from(cfg.resume_from, names[0])
    named_explicitly = cfg.adapter.strip() != "all"
    final_dir = cfg.final_dir or storage.join(cfg.data_dir, "final")

    # read every split before loading the model, so a missing file fails in a second
    data = {}
    skipped = {}
    for name in names:
        train = read_split(final_dir, name, "train", required=True, limit=cfg.max_train_records)
        if not train.records:
            if named_explicitly:
                raise UserError(f"{train.path}: no training records for adapter {name}")
            _warn(f"{train.path}: no training records; skipping adapter {name}")
            skipped[name] = "no training records"
            continue
        val = read_split(final_dir, name, "val", required=False, limit=cfg.max_val_records)
        data[name] = (train, val)

    results: dict = {}
    if data:
        src = modeling.resolve_base_model(cfg.base_model)
        precision = modeling.resolve_precision(cfg.precision)
        # memory, estimated before loading: stops with the flags that would fit, or turns gradient
        # checkpointing on when the configuration fits only with it (imi_lib.training.modeling)
        memory = modeling.plan_training_memory(
            src, precision=precision, batch_size=cfg.batch_size, gradient_checkpointing=cfg.gradient_checkpointing,
            max_seq_length=cfg.max_seq_length or modeling.default_max_seq_length(src), lora_r=cfg.lora_r or 16)
        if memory is not None and cfg.gradient_checkpointing is None and memory.gradient_checkpointing:
            if not memory.device == "GPU":
                _warn(f"memory: {memory.describe()}; gradient checkpointing turned on")
            cfg = dataclasses.replace(cfg, gradient_checkpointing=True)
        on_host = memory.device == "host" if memory is not None else not modeling.cuda_available()
        if cfg.gradient_checkpointing and on_host:
            # memory is the constraint: keep large host tensors out of glibc's fragmenting heap
            modeling.compact_host_allocator()
        tokenizer = modeling.load_tokenizer(src)
        base = modeling.load_model(src, precision, tokenizer=tokenizer)
        session = _Session(cfg, src, precision, tokenizer, base)
        for name, (train, val) in data.items():
            results[name] = session.train_adapter(plan_for(cfg, name), train, val)

    summary = {
        "adapters": results,
        "trained": sorted(results),
        "skipped": skipped,
        "output_dir": cfg.output_dir,
    }
    if not _is_main():
        return summary
    storage.write_text(storage.join(cfg.output_dir, "train_summary.json"),
                       json.dumps({"stage": "train", **summary, "seconds": round(timer.seconds, 3)},
                                  indent=2, sort_keys=True, default=str) + "\n")
    if len(names) > 1:
        print_summary("train", {"adapters": len(results), "skipped": len(skipped), "output": cfg.output_dir},
                      seconds=timer.seconds)
    return summary


def check_resume_from(path: str, adapter: str) -> dict:
    """The trainer state of a --resume-from checkpoint, or a UserError saying why it cannot be used."""
    from imi_lib.training import checkpoint

    if not checkpoint.is_complete_checkpoint(path):
        raise UserError(
            f"--resume-from {path}: not a complete checkpoint (expected a checkpoint-<step> directory "
            f"with a {checkpoint.MARKER} marker and {checkpoint.STATE_FILE})")
    with checkpoint.local_checkpoint(path) as local:  # checksums and loads, before the model is loaded
        state = checkpoint.read_state(local)
    if state.get("adapter") != adapter:
        raise UserError(f"--resume-from {path}: a checkpoint of adapter {state.get('adapter')!r}, not {adapter!r}")
    return state


class _Session:
    """One loaded base model, reused for every adapter of the run."""

    def __init__(self, cfg: TrainConfig, src, precision: str, tokenizer, base):
        import torch

        from imi_lib.training import modeling

        self.cfg, self.src, self.precision, self.tokenizer, self.base = cfg, src, precision, tokenizer, base
        self.device = next(base.parameters()).device
        self.dtype = modeling.compute_dtype()
        self.autocast = self.device.type == "cuda" and self.dtype in (torch.bfloat16, torch.float16)
        self.gradient_checkpointing = (cfg.gradient_checkpointing if cfg.gradient_checkpointing is not None
                                       else torch.cuda.is_available())
        context = modeling.model_context_length(src, base)
        # builtin:tiny stands in for Meditron on CPUs: shorter rows keep its six adapters a minute's work
        default_length = TINY_MAX_SEQ_LENGTH if src.kind == "builtin" else 2048
        self.max_seq_length = cfg.max_seq_length or min(context, default_length)
        if self.max_seq_length > context:
            _warn(f"max_seq_length {self.max_seq_length} exceeds the model's context ({context}); using {context}")
            self.max_seq_length = context
        self.kbit_prepared = False
        self.packing_mode = None

    # -- model ----------------------------------------------------------------
    def _peft_model(self, plan: AdapterPlan):
        import torch
        from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

        gc_kwargs = {"use_reentrant": False}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # peft calls a deprecated transformers alias
            if self.precision in ("4bit", "8bit") and not self.kbit_prepared:
                # fp32 norms/embeddings and input grads: the QLoRA recipe
                self.base = prepare_model_for_kbit_training(
                    self.base, use_gradient_checkpointing=self.gradient_checkpointing,
                    gradient_checkpointing_kwargs=gc_kwargs)
                self.kbit_prepared = True
            elif self.gradient_checkpointing and not self.base.is_gradient_checkpointing:
                self.base.gradient_checkpointing_enable(gradient_checkpointing_kwargs=gc_kwargs)
            self.base.config.use_cache = False
            lora = LoraConfig(r=plan.lora_r, lora_alpha=plan.lora_alpha, lora_dropout=self.cfg.lora_dropout,
                              target_modules=list(self.cfg.target_modules), bias="none", task_type="CAUSAL_LM")
            torch.manual_seed(self.cfg.seed)  # same LoRA init whatever ran before in this process
            try:
                model = get_peft_model(self.base, lora)
            except ValueError as e:
                raise ConfigError(f"target_modules {','.join(self.cfg.target_modules)}: {str(e).splitlines()[0]}") from None
        return model

    def _check_packing(self, model) -> str:
        """The collate mode that keeps packed examples apart on this model (checked once per process)."""
        from imi_lib.training import packing

        if not self.cfg.packing:
            return packing.PADDED
        if self.packing_mode is None:
            if self.device.type == "cpu":
                # attention per packed example: the block mask would spend most of the
                # attention work on pairs it throws away, and on the CPU attention is dear
                packing.use_varlen_attention(self.base)
            vocab = model.get_input_embeddings().num_embeddings
            if packing.verify_no_cross_contamination(model, vocab, mode=packing.PACKED):
                self.packing_mode = packing.PACKED
            elif packing.verify_no_cross_contamination(model, vocab, mode=packing.MASK4D):
                _warn("this model ignores position-id resets; packing with an explicit block-diagonal mask")
                self.packing_mode = packing.MASK4D
            else:
                raise UserError("packing would let examples attend to each other on this model; use --no-packing")
        return self.packing_mode

    # -- one adapter ----------------------------------------------------------
    def train_adapter(self, plan: AdapterPlan, train: Split, val: Split | None) -> dict:
        from imi_lib.core.summary import print_summary
        from imi_lib.training import checkpoint, engine

        cfg = self.cfg
        out_uri = storage.join(cfg.output_dir, plan.name)
        ckpt_dir = cfg.checkpoint_dir or storage.join(out_uri, "checkpoints")
        if cfg.checkpoint_dir and cfg.adapter.strip() != plan.name:
            ckpt_dir = storage.join(cfg.checkpoint_dir, plan.name)
        fingerprint = self._fingerprint(plan, train)
        is_main = engine.world()[0] == 0

        with self._resume_point(plan, ckpt_dir, fingerprint) as resume, \
                (_staging(out_uri) if is_main else tempfile.TemporaryDirectory(prefix="imi-rank-")) as out:
            out = Path(out)
            for stale in ("train_summary.json", "evaluation_results.json"):
                (out / stale).unlink(missing_ok=True)
            model = self._peft_model(plan)
            try:
                mode = self._check_packing(model)
                result = self._fit(plan, model, mode, train, val, out, ckpt_dir, resume, fingerprint)
                gathered = engine.full_trainable_state(model)  # FSDP: every process sends its shard
                if is_main:
                    self._write_outputs(plan, model, out, train, val, fingerprint, result,
                                        **({"state_dict": gathered} if gathered is not None else {}))
            finally:
                self.base = model.unload()  # LoRA layers out, the base model back for the next adapter
        if is_main:
            print_summary("train", {
                "adapter": plan.name, "steps": result["steps"], "final_loss": result["final_loss"],
                "val_loss": result["val_loss"], "tokens_per_s": result["tokens_per_s"],
                "resumed_from": result["resumed_from_step"],
            }, seconds=result["seconds"])
        return result

    @contextlib.contextmanager
    def _resume_point(self, plan: AdapterPlan, ckpt_dir: str, fingerprint: dict):
        """(uri, local verified dir) of the checkpoint to resume from, or None to start fresh."""
        from imi_lib.training import checkpoint

        if self.cfg.resume_from:
            resume = self.cfg.resume_from
            diff = _diff(check_resume_from(resume, plan.name).get("fingerprint", {}), fingerprint)
            if diff:
                _warn(f"resuming from {resume}, made with different {', '.join(diff)}")
            with checkpoint.local_checkpoint(resume) as local:
                yield resume, local
            return
        with checkpoint.open_resumable(ckpt_dir, _warn) as found:
            if found is not None:
                diff = _diff(checkpoint.read_state(found[1]).get("fingerprint", {}), fingerprint)
                if diff:
                    _warn(f"checkpoints in {ckpt_dir} come from a run with different {', '.join(diff)}; "
                          "starting fresh and replacing them")
                    found = None
            if found is None and _is_main():
                for _, uri in checkpoint.list_checkpoints(ckpt_dir, complete=False):
                    checkpoint.remove(uri)
            yield found

    def _fingerprint(self, plan: AdapterPlan, train: Split) -> dict:
        """What makes two runs the same run: auto-resume only continues a matching one."""
        cfg = self.cfg
        return {
            "adapter": plan.name, "base_model": cfg.base_model, "base_revision": self.src.revision,
            "precision": self.precision, "train_sha256": train.sha256, "train_records": len(train.records),
            "epochs": plan.epochs, "max_steps": cfg.max_steps, "learning_rate": plan.learning_rate,
            "lr_scheduler": cfg.lr_scheduler, "warmup_ratio": cfg.warmup_ratio, "weight_decay": cfg.weight_decay,
            "max_grad_norm": cfg.max_grad_norm, "lora_r": plan.lora_r, "lora_alpha": plan.lora_alpha,
            "lora_dropout": cfg.lora_dropout, "target_modules": list(cfg.target_modules),
            "batch_size": cfg.batch_size, "gradient_accumulation_steps": cfg.gradient_accumulation_steps,
            "max_seq_length": self.max_seq_length, "packing": cfg.packing, "seed": cfg.seed,
            "processes": int(os.environ.get("WORLD_SIZE", 1)),
            # an FSDP checkpoint holds its state in other files (only when on: older fingerprints still match)
            **({"fsdp": True} if cfg.fsdp and int(os.environ.get("WORLD_SIZE", 1)) > 1 else {}),
        }

    def _effective(self, plan: AdapterPlan) -> TrainConfig:
        """The config this adapter really trains with: the table's values and the resolved defaults filled in."""
        return dataclasses.replace(
            self.cfg, adapter=plan.name, epochs=plan.epochs, learning_rate=plan.learning_rate,
            lora_r=plan.lora_r, lora_alpha=plan.lora_alpha, max_seq_length=self.max_seq_length,
            precision=self.precision, gradient_checkpointing=self.gradient_checkpointing)

    def _fit(self, plan, model, mode, train, val, out: Path, ckpt_dir: str, resume, fingerprint: dict) -> dict:
        """Train one adapter with transformers.Trainer; returns its summary."""
        import hashlib

        import torch
        from transformers import PrinterCallback, ProgressCallback, TrainingArguments
        from transformers.utils import logging as hf_logging

        from imi_lib.training import engine, packing

        cfg = self.cfg
        rank, world = engine.world()
        torch.manual_seed(cfg.seed)
        examples = packing.encode_records(self.tokenizer, train.records, self.max_seq_length)
        lengths = [len(e["input_ids"]) for e in examples]
        rows = packing.pack_by_length(lengths, self.max_seq_length) if cfg.packing else [[i] for i in range(len(lengths))]
        micro_per_epoch = math.ceil(len(rows) / (cfg.batch_size * world))
        steps_per_epoch = math.ceil(micro_per_epoch / cfg.gradient_accumulation_steps)
        total_steps = steps_per_epoch * plan.epochs
        if cfg.max_steps:
            total_steps = min(total_steps, cfg.max_steps)
        warmup = math.ceil(cfg.warmup_ratio * total_steps)

        log_path = out / LOG_FILE
        log_path.unlink(missing_ok=True)
        resumed_from = None
        if resume:
            resumed_from = int(json.loads((resume[1] / "trainer_state.json").read_text()).get("global_step", 0))
            if (resume[1] / LOG_FILE).exists() and rank == 0:
                shutil.copyfile(resume[1] / LOG_FILE, log_path)
            if rank == 0:
                print(f"imi train: {plan.name}: resuming from {resume[0]} (step {resumed_from})", file=sys.stderr)
        # Trainer writes each checkpoint here first; the publisher moves it to ckpt_dir complete-or-absent
        run_id = os.environ.get("TORCHELASTIC_RUN_ID") or str(os.getpid())
        scratch = Path(tempfile.gettempdir()) / (
            "imi-trainer-" + hashlib.sha256(f"{ckpt_dir}|{run_id}".encode()).hexdigest()[:16])
        on_cuda = self.device.type == "cuda"
        args = TrainingArguments(
            output_dir=str(scratch), seed=cfg.seed, data_seed=cfg.seed,
            per_device_train_batch_size=cfg.batch_size, gradient_accumulation_steps=cfg.gradient_accumulation_steps,
            learning_rate=plan.learning_rate, weight_decay=cfg.weight_decay, max_grad_norm=cfg.max_grad_norm,
            max_steps=total_steps, optim="adamw_torch", adam_epsilon=1e-8,
            logging_strategy="steps", logging_steps=cfg.logging_steps, logging_nan_inf_filter=False,
            save_strategy="steps", save_steps=cfg.save_steps or total_steps, save_total_limit=None,
            report_to=[] if cfg.report_to == "none" else [cfg.report_to],
            disable_tqdm=True, remove_unused_columns=False, label_names=["labels"],
            dataloader_num_workers=0, use_cpu=not on_cuda,
            bf16=on_cuda and self.dtype == torch.bfloat16, fp16=on_cuda and self.dtype == torch.float16,
            ddp_backend=None if on_cuda or world == 1 else "gloo", ddp_find_unused_parameters=False,
            average_tokens_across_devices=True, run_name=f"{plan.name}",
            # FSDP2 (fully_shard), decoder layers wrapped one by one, parameters resharded after forward
            **({"fsdp": True, "fsdp_config": {"version": 2, "reshard_after_forward": True}}
               if cfg.fsdp and world > 1 else {}),
        )
        step_log = engine.step_log_callback(log_path, name=plan.name, is_main=rank == 0)
        effective = dataclasses.asdict(self._effective(plan))
        publisher = engine.checkpoint_publisher(
            ckpt_dir, keep=cfg.keep_checkpoints, log_path=log_path, is_main=rank == 0,
            imi_state=lambda: {"adapter": plan.name, "fingerprint": fingerprint, "last_loss": step_log.last_loss,
                               "total_steps": total_steps})
        tb_dir = os.environ.get("TENSORBOARD_LOGGING_DIR")
        if cfg.report_to == "tensorboard" and tb_dir is None:  # beside the adapter, not in Trainer's scratch dir
            os.environ["TENSORBOARD_LOGGING_DIR"] = str(out / "runs")
        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # Trainer's info lines; our own log and bar say what happens
        trained = False
        try:
            trainer = engine.trainer_class()(
                model=model, args=args, train_dataset=engine.PackedRows(examples, rows),
                data_collator=engine.RowCollator(self.tokenizer.pad_token_id, mode),
                lr_lambda=_LRSchedule(cfg.lr_scheduler, warmup, total_steps),
                callbacks=[step_log, publisher, engine.tracking_callback(effective, cfg.report_to)])
            for cb in (PrinterCallback, ProgressCallback):
                trainer.remove_callback(cb)
            step_log.trainer = trainer
            if resume and resumed_from >= total_steps:
                # the checkpoint is the final one: nothing left to train, only its weights to take
                from peft import set_peft_model_state_dict
                from safetensors.torch import load_file

                set_peft_model_state_dict(model, load_file(str(resume[1] / "adapter_model.safetensors")))
                trainer.state.global_step = resumed_from
            else:
                trainer.train(resume_from_checkpoint=str(resume[1]) if resume else None)
            trained = True
        finally:
            hf_logging.set_verbosity(verbosity)
            if tb_dir is None:
                os.environ.pop("TENSORBOARD_LOGGING_DIR", None)
            _remove_scratch(scratch, rank, trained)
        step = trainer.state.global_step
        last_loss = step_log.last_loss
        if last_loss is None and resume:  # the checkpoint was the final one: nothing left to train
            from imi_lib.training import checkpoint
            last_loss = checkpoint.read_state(resume[1]).get("last_loss")
        val_loss = self._val_loss(engine.scoring_view(model), mode, val) if val and val.records else None
        seconds = step_log.seconds
        return {
            "adapter": plan.name, "steps": step, "total_steps": total_steps, "epochs": plan.epochs,
            "steps_per_epoch": steps_per_epoch, "resumed_from_step": resumed_from,
            "first_loss": step_log.first_loss, "final_loss": last_loss, "val_loss": val_loss,
            "val_perplexity": math.exp(val_loss) if val_loss is not None and val_loss < 50 else None,
            "train_records": len(train.records), "invalid_train_records": train.invalid,
            "val_records": len(val.records) if val else 0,
            "rows_per_epoch": len(rows), "tokens": step_log.tokens, "label_tokens": step_log.label_tokens,
            "tokens_per_s": round(step_log.tokens / seconds, 1) if seconds else None,
            "label_tokens_per_s": round(step_log.label_tokens / seconds, 1) if seconds else None,
            "seconds": round(seconds, 3), "packing": mode, "precision": self.precision,
            "max_seq_length": self.max_seq_length, "processes": world, "sharded": engine.is_sharded(model),
        }

    def _val_loss(self, model, mode: str, val: Split) -> float:
        """Token-weighted mean NLL of the response tokens of the val split."""
        import torch

        from imi_lib.training import packing

        examples = packing.encode_records(self.tokenizer, val.records, self.max_seq_length)
        lengths = [len(e["input_ids"]) for e in examples]
        if mode == packing.PADDED:
            rows = [[i] for i in sorted(range(len(examples)), key=lambda i: lengths[i])]
        else:
            rows = packing.pack_by_length(lengths, self.max_seq_length)
        model.eval()
        nll = n = 0.0
        with torch.no_grad():
            for i in range(0, len(rows), self.cfg.batch_size):
                b = packing.collate([[examples[j] for j in row] for row in rows[i:i + self.cfg.batch_size]],
                                    self.tokenizer.pad_token_id, mode)
                with (torch.autocast("cuda", dtype=self.dtype) if self.autocast
                      else torch.autocast("cpu", enabled=False)):
                    losses = packing.token_losses(model, b)
                nll += float(losses.sum())
                n += b.num_label_tokens
        model.train()
        return nll / max(n, 1)

    def _write_outputs(self, plan, model, out: Path, train: Split, val: Split | None, fingerprint: dict,
                       result: dict, state_dict: dict | None = None) -> None:
        from safetensors import safe_open

        with tempfile.TemporaryDirectory(prefix=".adapter-", dir=out) as tmp:
            model.save_pretrained(tmp, safe_serialization=True, **({"state_dict": state_dict} if state_dict else {}))
            with safe_open(str(Path(tmp, "adapter_model.safetensors")), "pt") as fh:
                if not list(fh.keys()):
                    raise RuntimeError(f"{plan.name}: the saved adapter holds no LoRA weights")
            for fname in ("adapter_model.safetensors", "adapter_config.json"):
                os.chmod(Path(tmp, fname), 0o644)
                os.replace(Path(tmp, fname), out / fname)
        config.save_effective(self._effective(plan), out / "train_config.json")
        manifest = {
            "adapter": plan.name,
            "base_model": {"spec": self.src.spec, "kind": self.src.kind, "path": self.src.path,
                           "revision": self.src.revision, **_builtin_info(self.src)},
            "precision": self.precision,
            "data": {"train": {"uri": train.path, "sha256": train.sha256, "records": len(train.records)},
                     "val": ({"uri": val.path, "sha256": val.sha256, "records": len(val.records)} if val else None)},
            "seed": self.cfg.seed,
            "fingerprint": fingerprint,
            "packages": provenance.package_versions(),
            "git_commit": provenance.git_commit(),
            "device": _device_name(),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
        # written last: an adapter directory with train_summary.json is complete
        (out / "train_summary.json").write_text(
            json.dumps({"stage": "train", **result}, indent=2, sort_keys=True, default=str) + "\n")


class _LRSchedule:
    """Linear warmup, then cosine/linear decay to 0 or constant. A class so LambdaLR can save it."""

    def __init__(self, kind: str, warmup: int, total: int):
        self.kind, self.warmup, self.total = kind, warmup, max(total, 1)

    def __call__(self, step: int) -> float:
        if step < self.warmup:
            return (step + 1) / (self.warmup + 1)
        if self.kind == "constant":
            return 1.0
        progress = (step - self.warmup) / max(1, self.total - self.warmup)
        if self.kind == "linear":
            return max(0.0, 1.0 - progress)
        return 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))


# ---- helpers ------------------------------------------------------------------

def _warn(msg: str) -> None:
    print(f"imi train: warning: {msg}", file=sys.stderr, flush=True)


def _is_main() -> bool:
    return int(os.environ.get("RANK", 0)) == 0


def _diff(old: dict, new: dict) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def _staging(uri: str):
    """The adapter directory's publication (`storage.publish_dir`): written aside, visible whole or not at all.

    The checkpoints/ sub-directory keeps its own protocol and moves over unchanged.
    """
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    return storage.publish_dir(uri, stage="train", rebuild=f"imi train --adapter {name}")


def _builtin_info(src) -> dict:
    info = Path(src.path, "imi_builtin.json")
    if src.kind == "builtin" and info.exists():
        return {"builtin": json.loads(info.read_text())}
    cfg = Path(src.path, "config.json")
    if src.kind in ("local", "s3") and cfg.exists():
        return {"config_sha256": storage.sha256_file(cfg)}
    return {}


def _device_name() -> str:
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    return f"cpu ({torch.get_num_threads()} threads)"
