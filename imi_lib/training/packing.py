"""Sequence packing without cross-contamination, and the batch collators.

Packing concatenates several encoded examples into one row of at most
`max_seq_length` tokens, so a batch of short MCQ items and long patient
dialogues is not mostly padding. Two things keep the examples in a row
independent, exactly as if each had its own row:

- attention: `position_ids` restart at 0 for every example. With no 2D
  attention mask and no cache, transformers (>= 4.5x, checked on 5.24:
  `masking_utils.find_packed_sequence_indices` in `create_causal_mask`)
  turns those resets into a block-diagonal causal mask for the eager, sdpa
  and flex kernels, and flash-attention uses them as varlen boundaries.
  `verify_no_cross_contamination` checks this on the loaded model at the
  start of training, and `MASK4D` (an explicit block-diagonal 4D mask built
  here) is the fallback should a model or kernel ignore the resets.
- loss: the label at each example's first position is IGNORE_INDEX, so the
  last token of one example is never trained to predict the first token of
  the next (the model shifts labels by one inside its loss).

Rows are filled by best-fit decreasing on length (each example, longest
first, goes to the fullest row it still fits in), which wastes less than
first-fit decreasing and is deterministic.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence

from imi_lib.training.prompt import IGNORE_INDEX, encode_example

VARLEN_SDPA = "imi_varlen_sdpa"  # attention implementation name registered by use_varlen_attention

PACKED = "packed"  # per-example position_ids, no attention mask (library builds the block mask)
MASK4D = "mask4d"  # per-example position_ids and an explicit block-diagonal 4D mask
PADDED = "padded"  # one example per row, right padding, 2D attention mask (the baseline)
MODES = (PACKED, MASK4D, PADDED)


def encode_records(tokenizer, records: Iterable, max_seq_length: int) -> list[dict]:
    """Encode records (objects or dicts with instruction/input/output) into input_ids + labels."""
    out = []
    for rec in records:
        get = rec.get if isinstance(rec, dict) else lambda k, r=rec: getattr(r, k)
        out.append(encode_example(tokenizer, get("instruction"), get("input") or "", get("output"), max_seq_length))
    return out


def pack_by_length(lengths: Sequence[int], capacity: int) -> list[list[int]]:
    """Group example indices into rows of total length <= capacity (best-fit decreasing).

    Deterministic: ties in length keep index order. An example longer than
    the capacity is an error (encode with the same max_seq_length).
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    rows: list[list[int]] = []
    # free space of each open row, kept sorted, with the row index as tie-break
    free: list[tuple[int, int]] = []
    for i in order:
        n = lengths[i]
        if n > capacity:
            raise ValueError(f"example {i} has {n} tokens, more than the row capacity {capacity}")
        if n <= 0:
            raise ValueError(f"example {i} is empty")
        pos = bisect.bisect_left(free, (n, -1))
        if pos < len(free):
            space, row = free.pop(pos)
            rows[row].append(i)
            space -= n
        else:
            row = len(rows)
            rows.append([i])
            space = capacity - n
        if space > 0:
            bisect.insort(free, (space, row))
    return rows


def plan_epoch(lengths: Sequence[int], *, batch_size: int, max_seq_length: int, packing: bool,
               seed: int, epoch: int) -> list[list[list[int]]]:
    """The micro-batches of one epoch: a list of batches, each a list of rows of example indices.

    The order depends only on (seed, epoch), so a resumed run replays exactly
    the batches an uninterrupted one would.
    """
    import numpy as np

    rng = np.random.default_rng([seed, epoch])
    if packing:
        rows = pack_by_length(lengths, max_seq_length)
    else:
        rows = [[i] for i in range(len(lengths))]
    perm = rng.permutation(len(rows)).tolist()
    rows = [rows[i] for i in perm]
    return [rows[i:i + batch_size] for i in range(0, len(rows), batch_size)]


@dataclass
class Batch:
    """Model inputs (tensors) plus the counts that loss weighting and throughput need."""

    inputs: dict
    num_tokens: int  # non-pad tokens
    num_label_tokens: int  # tokens that carry loss (response tokens)
    num_samples: int
    row_lengths: list[int]
    sample_spans: list[list[tuple[int, int]]]  # per row: (start, end) of each example

    def model_inputs(self, model, *, labels: bool = True) -> dict:
        """The tensors for `model(**...)`, on the model's device, with a 4D mask in the form its kernel takes."""
        device = next(model.parameters()).device
        out = {k: v.to(device) for k, v in self.inputs.items() if labels or k != "labels"}
        return fit_attention_mask(model, out)


def fit_attention_mask(model, inputs: dict) -> dict:
    """A boolean block-diagonal 4D mask turned into the additive form eager attention takes (sdpa takes bools)."""
    import torch

    mask = inputs.get("attention_mask")
    if mask is not None and mask.dim() == 4 and mask.dtype == torch.bool and model.config._attn_implementation != "sdpa":
        # eager attention adds the mask to the scores: 0 to keep, a large negative to drop
        dtype = next(p.dtype for p in model.parameters() if p.is_floating_point())
        inputs = {**inputs, "attention_mask": torch.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill(
            ~mask, torch.finfo(dtype).min)}
    return inputs


def collate(rows: Sequence[Sequence[dict]], pad_token_id: int, mode: str = PACKED,
            pad_to_multiple_of: int | None = None) -> Batch:
    """Turn rows (each a list of encoded examples) into one padded batch.

    PACKED and MASK4D rows may hold several examples; PADDED rows hold one.
    """
    import torch

    if mode not in MODES:
        raise ValueError(f"collate mode {mode!r}: choose one of {MODES}")
    if mode == PADDED and any(len(r) != 1 for r in rows):
        raise ValueError("padded mode takes exactly one example per row")
    ids_rows, label_rows, pos_rows, spans = [], [], [], []
    for row in rows:
        ids, labels, pos, row_spans = [], [], [], []
        for ex in row:
            start = len(ids)
            ids += ex["input_ids"]
            lab = list(ex["labels"])
            lab[0] = IGNORE_INDEX  # never predicted from the previous example's last token
            labels += lab
            pos += range(len(ex["input_ids"]))
            row_spans.append((start, len(ids)))
        ids_rows.append(ids)
        label_rows.append(labels)
        pos_rows.append(pos)
        spans.append(row_spans)
    width = max(len(r) for r in ids_rows)
    if pad_to_multiple_of:
        width = -(-width // pad_to_multiple_of) * pad_to_multiple_of
    n = len(rows)
    input_ids = torch.full((n, width), pad_token_id, dtype=torch.long)
    labels = torch.full((n, width), IGNORE_INDEX, dtype=torch.long)
    # padding is its own segment starting at position 0, so packed-sequence
    # detection never joins it to the last example
    position_ids = torch.zeros((n, width), dtype=torch.long)
    attention_mask = torch.zeros((n, width), dtype=torch.long)
    for r in range(n):
        k = len(ids_rows[r])
        input_ids[r, :k] = torch.tensor(ids_rows[r])
        labels[r, :k] = torch.tensor(label_rows[r])
        position_ids[r, :k] = torch.tensor(pos_rows[r])
        position_ids[r, k:] = torch.arange(width - k)
        attention_mask[r, :k] = 1
    if mode == PADDED:
        inputs = {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
    elif mode == PACKED:
        inputs = {"input_ids": input_ids, "position_ids": position_ids, "labels": labels}
    else:
        inputs = {"input_ids": input_ids, "position_ids": position_ids, "labels": labels,
                  "attention_mask": block_diagonal_mask(spans, width)}
    return Batch(
        inputs=inputs,
        num_tokens=sum(len(r) for r in ids_rows),
        num_label_tokens=int((labels != IGNORE_INDEX).sum()),
        num_samples=sum(len(r) for r in rows),
        row_lengths=[len(r) for r in ids_rows],
        sample_spans=spans,
    )


def block_diagonal_mask(spans: Sequence[Sequence[tuple[int, int]]], width: int):
    """A (batch, 1, width, width) boolean mask: causal within each example, nothing across.

    Padding positions attend only to themselves so no row of the softmax is empty.
    """
    import torch

    mask = torch.zeros((len(spans), 1, width, width), dtype=torch.bool)
    causal = torch.ones((width, width), dtype=torch.bool).tril()
    for r, row_spans in enumerate(spans):
        for s, e in row_spans:
            mask[r, 0, s:e, s:e] = causal[: e - s, : e - s]
        end = row_spans[-1][1] if row_spans else 0
        idx = torch.arange(end, width)
        mask[r, 0, idx, idx] = True
    return mask


def token_losses(model, batch: Batch):
    """Per-token next-token NLL for a batch, shape (batch, width-1); 0 where no label.

    From the shared response-token NLL (`imi_lib.training.loss`): no full-vocabulary logits.
    """
    import torch

    from imi_lib.training.loss import label_token_nll

    labels = batch.inputs["labels"]
    nll, rows, positions = label_token_nll(model, batch.model_inputs(model, labels=False), labels)
    out = torch.zeros((labels.shape[0], labels.shape[1] - 1), dtype=torch.float32, device=nll.device)
    out[rows, positions - 1] = nll.float()
    return out


def per_sample_losses(model, batch: Batch) -> list[tuple[float, int]]:
    """(summed NLL, label tokens) for every example in the batch, in row order."""
    nll = token_losses(model, batch)
    labels = batch.inputs["labels"][:, 1:].to(nll.device)
    out = []
    for r, row_spans in enumerate(batch.sample_spans):
        for s, e in row_spans:
            # token t predicts t+1: an example's predictions sit at [s, e-1)
            sl = slice(s, e - 1)
            out.append((float(nll[r, sl].sum()), int((labels[r, sl] != IGNORE_INDEX).sum())))
    return out


def verify_no_cross_contamination(model, vocab_size: int, *, mode: str = PACKED) -> bool:
    """True when an example packed after another gets the same logits as alone.

    The tolerance comes from the model itself, so one check serves fp32, bf16
    and 4-bit: `leak` is how far a deliberately contaminated row (positions
    not reset, one causal mask) moves the logits, `noise` how far the same
    example moves when only the kernel shapes change (padded into a wider
    batch). Packing passes when its error is a small fraction of the leak,
    or within the noise (a model that barely attends across tokens, like a
    random-init one, cannot leak measurably).
    """
    import torch

    gen = torch.Generator().manual_seed(0)
    a = torch.randint(4, vocab_size, (48,), generator=gen).tolist()
    b = torch.randint(4, vocab_size, (16,), generator=gen).tolist()
    ex = lambda ids: {"input_ids": ids, "labels": ids}  # noqa: E731
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            def logits(batch_rows, m):
                batch = collate(batch_rows, 0, m)
                return model(**batch.model_inputs(model, labels=False), use_cache=False).logits.float()

            alone = logits([[ex(b)]], PADDED)[0]
            widened = logits([[ex(b)], [ex(a + b)]], PADDED)
            padded_alone, contaminated = widened[0, :len(b)], widened[1, len(a):]
            packed = logits([[ex(a), ex(b)]], mode)[0, len(a):]
    finally:
        model.train(was_training)
    err = (packed - alone).abs().mean().item()
    leak = (contaminated - alone).abs().mean().item()
    noise = (padded_alone - alone).abs().mean().item()
    return err <= max(0.1 * leak, 4 * noise, 1e-6)


# ---- attention over packed rows without the wasted blocks --------------------

def _segments(positions) -> list[tuple[int, int]]:
    """(start, end) of each example in a row, from position ids that restart per example."""
    import torch

    starts = [0] + (torch.nonzero(torch.diff(positions) != 1).flatten() + 1).tolist()
    return list(zip(starts, starts[1:] + [positions.shape[0]]))


def varlen_sdpa_attention(module, query, key, value, attention_mask, dropout=0.0, scaling=None, is_causal=None,
                          **kwargs):
    """SDPA run per packed example (causal, no mask) instead of over the whole row with a block mask.

    The block-diagonal mask gives the same result but computes every
    query/key pair of the row and throws most away; per example the cost is
    the sum of squared example lengths, not the squared row length. That
    matters where attention is a large share of the work (small models, the
    CPU); on CUDA with flash-attention the library does the same natively.
    Rows that are not packed (one segment) take the ordinary SDPA path with
    whatever mask they came with.
    """
    import torch
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    positions = kwargs.get("position_ids")
    q_len = query.shape[2]
    segments = None
    if positions is not None and key.shape[2] == q_len and positions.shape[-1] == q_len:
        segments = [_segments(p) for p in positions.expand(query.shape[0], -1)]
    if segments is None or all(len(s) == 1 for s in segments):
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      is_causal=is_causal, **kwargs)
    # unbind + split, not slicing: their backward is one stack/cat, while the
    # backward of every slice allocates and zero-fills a gradient the size of
    # the whole tensor (attention alone: ~25 ms instead of 30-41 ms for 4 rows of 1024)
    rows = []
    for q_row, k_row, v_row, row_segments in zip(query.unbind(0), key.unbind(0), value.unbind(0), segments):
        sizes = [e - s for s, e in row_segments]
        rows.append(torch.cat([
            sdpa_attention_forward(module, q[None], k[None], v[None], None, dropout=dropout, scaling=scaling,
                                   is_causal=True)[0][0]
            for q, k, v in zip(q_row.split(sizes, dim=1), k_row.split(sizes, dim=1), v_row.split(sizes, dim=1))],
            dim=0))
    return torch.stack(rows, dim=0), None


def use_varlen_attention(model) -> None:
    """Switch a loaded model to `varlen_sdpa_attention` (padding masks are built as for sdpa)."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface

    AttentionInterface.register(VARLEN_SDPA, varlen_sdpa_attention)
    AttentionMaskInterface.register(VARLEN_SDPA, _varlen_mask)
    model.set_attn_implementation(VARLEN_SDPA)


def _varlen_mask(**kwargs):
    """The sdpa mask when there is padding to respect; None otherwise.

    Without a 2D padding mask the attention needs nothing but causality and
    the position-id segments, which `varlen_sdpa_attention` handles itself,
    so the (batch, 1, L, L) block mask is not built for nothing.
    """
    from transformers.masking_utils import sdpa_mask

    if kwargs.get("attention_mask") is None:
        return None
    return sdpa_mask(**kwargs)
