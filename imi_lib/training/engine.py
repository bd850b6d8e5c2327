"""`transformers.Trainer` with IMI's pieces plugged in.

The loop, the optimizer step, gradient accumulation, resuming (optimizer,
scheduler, RNG, data position via `skip_first_batches`), DDP/FSDP through
accelerate and `report_to` all belong to `Trainer`. What IMI adds:

- `PackedRows` + `RowCollator`: the dataset is the list of packed rows (best-fit
  decreasing, `imi_lib.training.packing`), the collator turns a batch of rows
  into input_ids / per-example position_ids / labels. The sampler shuffles rows.
- `ImiTrainer.compute_loss`: response-only, token-weighted loss through the one
  shared `loss.response_nll` (no full-vocabulary logits). `Trainer` counts the
  label tokens of the whole optimizer step across micro-batches and processes
  (`num_items_in_batch`); the loss is summed NLL / that count.
- `StepLog`: one `training_log.jsonl` line per logged step (loss, lr, grad norm,
  tokens, tokens/s) and the progress bar.
- `CheckpointPublisher`: after `Trainer` wrote `checkpoint-<step>` into its
  private local directory, the checkpoint is published complete-or-absent, with
  checksums, locally or on s3 (`imi_lib.training.checkpoint.write_checkpoint`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

from imi_lib.training import checkpoint, packing
from imi_lib.training.loss import response_nll

# what Trainer writes into a checkpoint that IMI does not keep: pickled TrainingArguments
# (never loaded on resume, and a pickle has no business on shared storage)
_NOT_PUBLISHED = {"training_args.bin"}


class PackedRows:
    """A map-style dataset whose items are rows: each a list of encoded examples."""

    def __init__(self, examples: list[dict], rows: list[list[int]]):
        self.examples, self.rows = examples, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> list[dict]:
        return [self.examples[j] for j in self.rows[i]]


class RowCollator:
    """Rows -> the model's tensors (packing.collate) plus the non-pad token count for throughput."""

    def __init__(self, pad_token_id: int, mode: str):
        self.pad_token_id, self.mode = pad_token_id, mode

    def __call__(self, rows: list[list[dict]]) -> dict:
        import torch

        batch = packing.collate(rows, self.pad_token_id, self.mode)
        return {**batch.inputs, "num_tokens": torch.tensor(batch.num_tokens)}


class _ThroughWrapper:
    """What `response_nll` needs from a model, with the decoder run through the (DDP/FSDP) wrapper.

    Calling the decoder submodule directly would bypass DistributedDataParallel's
    forward, and with it the gradient all-reduce. So the wrapper's forward runs
    with `logits_to_keep=1` (one position of logits per row, not the full
    vocabulary tensor) and a hook hands the decoder's output to the shared loss.
    """

    def __init__(self, wrapped, inner):
        self.wrapped, self.inner = wrapped, inner
        self.config = inner.config

    def get_output_embeddings(self):
        return self.inner.get_output_embeddings()

    def __getattr__(self, name):  # parameters(), eval(), train(): the model's own
        return getattr(self.inner, name)

    def get_decoder(self):
        decoder = self.inner.get_decoder()

        def body(**inputs):
            seen = {}
            hook = decoder.register_forward_hook(lambda mod, args, out: seen.setdefault("out", out))
            try:
                self.wrapped(**inputs, logits_to_keep=1)
            finally:
                hook.remove()
            return seen["out"]
        return body


def is_sharded(model) -> bool:
    """Whether FSDP2 (`fully_shard`) shards this model's parameters over the processes."""
    from torch.distributed.fsdp import FSDPModule

    return isinstance(model, FSDPModule)


def scoring_view(model):
    """The model as `loss.response_nll` / `packing.token_losses` should call it outside the training step.

    Under FSDP the root module's parameters (final norm, head) are gathered by its
    own forward only, so the decoder must be reached through that forward, as in
    training; every process takes part.
    """
    return _ThroughWrapper(model, model) if is_sharded(model) else model


def full_trainable_state(model) -> dict | None:
    """The trainable (LoRA) weights gathered whole on rank 0 from an FSDP-sharded model; None if not sharded.

    A collective: every process calls it. Frozen base weights are not gathered.
    """
    if not is_sharded(model):
        return None
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict

    return get_model_state_dict(model, options=StateDictOptions(
        full_state_dict=True, cpu_offload=True, ignore_frozen_params=True))


def _trainer_class():
    from transformers import Trainer

    class ImiTrainer(Trainer):
        """Trainer with IMI's loss and learning-rate schedule."""

        def __init__(self, *args, lr_lambda, **kwargs):
            super().__init__(*args, **kwargs)
            self.lr_lambda = lr_lambda
            # our compute_loss divides by the step's label-token count itself
            self.model_accepts_loss_kwargs = True
            self.step_stats = _zero_stats()

        def create_accelerator_and_postprocess(self):
            super().create_accelerator_and_postprocess()
            plugin_args = self.args.fsdp_plugin_args
            if plugin_args is not None and not self.is_fsdp_enabled and self.accelerator.num_processes > 1:
                # accelerate turns FSDP on only over accelerators (AcceleratorState keeps MULTI_CPU
                # as DDP and drops the plugin); torch's fully_shard runs on a cpu/gloo mesh as well
                from accelerate.state import PartialState
                from accelerate.utils import DistributedType, FullyShardedDataParallelPlugin

                state = self.accelerator.state
                state.fsdp_plugin = FullyShardedDataParallelPlugin(**plugin_args)
                # what AcceleratorState.__init__ does for FSDP; each AcceleratorState() re-reads PartialState
                state.distributed_type = PartialState._shared_state["distributed_type"] = DistributedType.FSDP
                self.is_fsdp_enabled = True

        def create_scheduler(self, num_training_steps: int, optimizer=None):
            import torch

            if self.lr_scheduler is None:
                self.lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer or self.optimizer, self.lr_lambda)
                self._created_lr_scheduler = True
            return self.lr_scheduler

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            labels = inputs.pop("labels")
            n_tokens = int(inputs.pop("num_tokens"))
            inner = self.accelerator.unwrap_model(model)
            inputs = packing.fit_attention_mask(inner, inputs)
            nll_sum, n_labels = response_nll(_ThroughWrapper(model, inner), inputs, labels)
            loss = nll_sum / (num_items_in_batch if num_items_in_batch is not None else max(n_labels, 1))
            s = self.step_stats
            s["loss"] += float(loss.detach())
            s["tokens"] += n_tokens
            s["label_tokens"] += n_labels
            if self.args.average_tokens_across_devices and num_items_in_batch is not None:
                # the count is global; DDP averages gradients over processes
                loss = loss * self.accelerator.num_processes
            return (loss, None) if return_outputs else loss

    return ImiTrainer


def _zero_stats() -> dict:
    return {"loss": 0.0, "tokens": 0, "label_tokens": 0}


def _callback_base():
    from transformers import TrainerCallback
    return TrainerCallback


def step_log_callback(log_path: Path, *, name: str, is_main: bool):
    """The training_log.jsonl writer and progress bar (see StepLog)."""
    base = _callback_base()

    class StepLog(base):
        def __init__(self):
            self.trainer = None
            self.first_loss = self.last_loss = None
            self.tokens = self.label_tokens = 0
            self.seconds = 0.0
            self.bar = None
            self._t0 = None
            self._line = None

        def on_train_begin(self, args, state, control, **kw):
            if is_main:
                from tqdm.auto import tqdm
                self.bar = tqdm(total=state.max_steps, initial=state.global_step, desc=name, unit="step",
                                file=sys.stderr, dynamic_ncols=True, mininterval=1.0)

        def on_step_begin(self, args, state, control, **kw):
            self.trainer.step_stats = _zero_stats()
            self._t0 = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            dt = time.perf_counter() - self._t0
            s = _all_reduce_stats(self.trainer.step_stats)
            self.last_loss = s["loss"]
            self.first_loss = s["loss"] if self.first_loss is None else self.first_loss
            self.tokens += s["tokens"]
            self.label_tokens += s["label_tokens"]
            self.seconds += dt
            self._line = {"step": state.global_step, "epoch": round(state.epoch or 0.0, 4),
                          "loss": round(s["loss"], 6), "tokens": s["tokens"], "label_tokens": s["label_tokens"],
                          "tokens_per_s": round(s["tokens"] / dt, 1) if dt else None, "seconds": round(dt, 4)}
            if state.global_step >= state.max_steps:
                control.should_log = True  # the last step is always in the log
            if self.bar is not None:
                self.bar.update(1)
                self.bar.set_postfix(loss=f"{s['loss']:.3f}", tok_s=f"{self.tokens / max(self.seconds, 1e-9):.0f}")
            return control

        def on_log(self, args, state, control, logs=None, **kw):
            if not is_main or self._line is None or self._line["step"] != state.global_step:
                return
            logs = logs or {}
            grad_norm = logs.get("grad_norm")
            line = {**self._line, "lr": logs.get("learning_rate"),
                    "grad_norm": None if grad_norm is None else round(float(grad_norm), 6)}
            with open(log_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")
            self._line = None

        def on_train_end(self, args, state, control, **kw):
            if self.bar is not None:
                self.bar.close()

    return StepLog()


def checkpoint_publisher(ckpt_dir: str, *, keep: int, log_path: Path, imi_state, is_main: bool):
    """Publishes each checkpoint Trainer writes (see CheckpointPublisher)."""
    base = _callback_base()

    class CheckpointPublisher(base):
        def on_save(self, args, state, control, **kw):
            _barrier()  # every process has written its part (rng_state_<rank>.pth)
            if is_main:
                src = Path(args.output_dir, f"{checkpoint.PREFIX}{state.global_step}")

                def write_files(tmp: Path) -> None:
                    for p in src.iterdir():
                        if p.name not in _NOT_PUBLISHED and p.is_file():
                            shutil.copyfile(p, tmp / p.name)
                    (tmp / checkpoint.IMI_STATE).write_text(
                        json.dumps({**imi_state(), "step": state.global_step}, indent=2, sort_keys=True) + "\n")
                    if log_path.exists():
                        shutil.copyfile(log_path, tmp / log_path.name)

                checkpoint.write_checkpoint(ckpt_dir, state.global_step, write_files, keep=keep)
                shutil.rmtree(src, ignore_errors=True)
            _barrier()
            return control

    return CheckpointPublisher()


def tracking_callback(effective: dict, report_to: str):
    """Puts IMI's effective config into the tracking run Trainer's integration opened."""
    base = _callback_base()

    class TrackConfig(base):
        def on_train_begin(self, args, state, control, **kw):
            if report_to == "mlflow" and state.is_world_process_zero:
                import mlflow

                if mlflow.active_run() is not None:
                    flat = {f"imi.{k}": (",".join(map(str, v)) if isinstance(v, list) else v)
                            for k, v in effective.items()}
                    mlflow.log_params({k: str(v)[:500] for k, v in flat.items()})

    return TrackConfig()


def world() -> tuple[int, int]:
    """(rank, world size) from the torchrun environment; (0, 1) in a plain process."""
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))


def _barrier() -> None:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()


def _all_reduce_stats(stats: dict) -> dict:
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return dict(stats)
    t = torch.tensor([stats["loss"], stats["tokens"], stats["label_tokens"]], dtype=torch.float64)
    if dist.get_backend() == "nccl":
        t = t.cuda()
    dist.all_reduce(t)
    loss, tokens, labels = t.tolist()
    return {"loss": loss, "tokens": int(tokens), "label_tokens": int(labels)}


def trainer_class():
    return _trainer_class()
