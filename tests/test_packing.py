"""Sequence packing: bins, collation, and no cross-contamination between packed examples."""

import random

import pytest
import torch

from imi_lib.training import modeling, packing
from imi_lib.training.prompt import IGNORE_INDEX, encode_example
from train_fixtures import make_records


@pytest.fixture(scope="module")
def tiny():
    src = modeling.resolve_base_model("builtin:tiny")
    tok = modeling.load_tokenizer(src)
    model = modeling.load_model(src, "full", tokenizer=tok)
    model.eval()
    return tok, model


def test_pack_by_length_fills_rows_without_losing_or_splitting_examples():
    rng = random.Random(0)
    lengths = [rng.choice([rng.randint(10, 40), rng.randint(100, 300)]) for _ in range(300)]
    rows = packing.pack_by_length(lengths, 512)
    flat = sorted(i for row in rows for i in row)
    assert flat == list(range(len(lengths)))
    assert all(sum(lengths[i] for i in row) <= 512 for row in rows)
    # best-fit decreasing stays within a few rows of the lower bound
    lower_bound = -(-sum(lengths) // 512)
    assert len(rows) <= lower_bound + 2
    assert rows == packing.pack_by_length(lengths, 512)  # deterministic
    with pytest.raises(ValueError, match="more than the row capacity"):
        packing.pack_by_length([10, 600], 512)


def test_plan_epoch_depends_only_on_seed_and_epoch():
    lengths = [5, 9, 3, 7, 4, 8, 2, 6] * 4
    kw = dict(batch_size=3, max_seq_length=16, packing=True)
    a = packing.plan_epoch(lengths, seed=1, epoch=0, **kw)
    assert a == packing.plan_epoch(lengths, seed=1, epoch=0, **kw)
    assert a != packing.plan_epoch(lengths, seed=1, epoch=1, **kw)
    unpacked = packing.plan_epoch(lengths, seed=1, epoch=0, batch_size=3, max_seq_length=16, packing=False)
    assert sorted(i for b in unpacked for row in b for i in row) == list(range(len(lengths)))


def test_collate_packed_restarts_positions_and_masks_boundaries():
    a = {"input_ids": [1, 10, 11, 12, 2], "labels": [IGNORE_INDEX, IGNORE_INDEX, 11, 12, 2]}
    b = {"input_ids": [1, 20, 21, 2], "labels": [IGNORE_INDEX, 20, 21, 2]}
    c = {"input_ids": [1, 30, 2], "labels": [30, 30, 2]}  # first label set on purpose
    batch = packing.collate([[a, b], [c]], pad_token_id=0, mode=packing.PACKED)
    x = batch.inputs
    assert "attention_mask" not in x
    assert x["input_ids"].tolist() == [[1, 10, 11, 12, 2, 1, 20, 21, 2], [1, 30, 2, 0, 0, 0, 0, 0, 0]]
    assert x["position_ids"].tolist() == [[0, 1, 2, 3, 4, 0, 1, 2, 3], [0, 1, 2, 0, 1, 2, 3, 4, 5]]
    # the first token of each example is never a target, pad never is
    assert x["labels"].tolist() == [[-100, -100, 11, 12, 2, -100, 20, 21, 2], [-100, 30, 2] + [-100] * 6]
    assert (batch.num_tokens, batch.num_label_tokens, batch.num_samples) == (12, 8, 3)
    padded = packing.collate([[a], [c]], pad_token_id=0, mode=packing.PADDED)
    assert padded.inputs["attention_mask"].tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    assert "position_ids" not in padded.inputs
    with pytest.raises(ValueError, match="one example per row"):
        packing.collate([[a, b]], pad_token_id=0, mode=packing.PADDED)


def test_block_diagonal_mask():
    m = packing.block_diagonal_mask([[(0, 2), (2, 5)]], 6)[0, 0].int().tolist()
    assert m == [
        [1, 0, 0, 0, 0, 0],
        [1, 1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0],
        [0, 0, 1, 1, 0, 0],
        [0, 0, 1, 1, 1, 0],
        [0, 0, 0, 0, 0, 1],
    ]


def test_labels_keep_eos_and_never_contain_pad(tiny):
    tok, _ = tiny
    assert tok.pad_token_id is not None and tok.pad_token_id != tok.eos_token_id
    ex = encode_example(tok, "Name the drug.", "", "Metformin.", 256)
    assert ex["input_ids"][-1] == tok.eos_token_id and ex["labels"][-1] == tok.eos_token_id
    batch = packing.collate([[ex], [encode_example(tok, "Why?", "", "Because.", 256)]], tok.pad_token_id,
                            packing.PACKED)
    labels = batch.inputs["labels"]
    assert (labels == tok.eos_token_id).sum() == 2
    assert not (labels == tok.pad_token_id).any()
    assert (batch.inputs["input_ids"] == tok.pad_token_id).any()  # there was padding to ignore


RTOL, ATOL = 1e-5, 1e-4


def _losses(model, examples, rows, mode, pad_id):
    with torch.no_grad():
        return packing.per_sample_losses(model, packing.collate([[examples[i] for i in r] for r in rows], pad_id, mode))


@pytest.fixture(scope="module")
def tiny_varlen():
    src = modeling.resolve_base_model("builtin:tiny")
    tok = modeling.load_tokenizer(src)
    model = modeling.load_model(src, "full", tokenizer=tok)
    packing.use_varlen_attention(model)
    model.eval()
    return tok, model


@pytest.mark.parametrize("mode, attention", [(packing.PACKED, "sdpa"), (packing.MASK4D, "sdpa"),
                                             (packing.PACKED, "varlen")])
def test_packed_loss_equals_unpacked_loss_per_sample(tiny, tiny_varlen, mode, attention):
    """No cross-contamination: every example scores the same packed as alone.

    sdpa: transformers turns the position-id resets into a block-diagonal mask;
    MASK4D: our explicit mask; varlen: attention run per example (the CPU default).
    """
    tok, model = tiny if attention == "sdpa" else tiny_varlen
    assert model.config._attn_implementation == (packing.VARLEN_SDPA if attention == "varlen" else "sdpa")
    examples = packing.encode_records(tok, make_records("patient_triage", 10, seed=3), 512)
    rows = packing.pack_by_length([len(e["input_ids"]) for e in examples], 512)
    assert any(len(r) >= 3 for r in rows)  # several examples really share a row
    packed = _losses(model, examples, rows, mode, tok.pad_token_id)
    order = [i for r in rows for i in r]
    alone = _losses(model, examples, [[i] for i in order], packing.PADDED, tok.pad_token_id)
    assert [n for _, n in packed] == [n for _, n in alone]
    assert all(n > 0 for _, n in packed)
    torch.testing.assert_close(torch.tensor([s for s, _ in packed]), torch.tensor([s for s, _ in alone]),
                               rtol=RTOL, atol=ATOL)


def test_naive_concatenation_would_contaminate(tiny):
    """The control: without position resets the later examples score differently."""
    tok, model = tiny
    examples = packing.encode_records(tok, make_records("patient_triage", 3, seed=4), 256)
    joined = {"input_ids": sum((e["input_ids"] for e in examples), []),
              "labels": sum(([IGNORE_INDEX] + e["labels"][1:] for e in examples), [])}
    with torch.no_grad():
        naive = packing.token_losses(model, packing.collate([[joined]], tok.pad_token_id, packing.PADDED))[0]
    alone = _losses(model, examples, [[0], [1], [2]], packing.PADDED, tok.pad_token_id)
    start = len(examples[0]["input_ids"])
    for e, (alone_sum, _) in zip(examples[1:], alone[1:]):
        end = start + len(e["input_ids"])
        naive_sum = float(naive[start:end - 1].sum())
        # far outside the tolerance the equality test above allows
        assert abs(naive_sum - alone_sum) > 50 * (ATOL + RTOL * abs(alone_sum))
        start = end


def test_runtime_check_catches_packing_that_leaks(tiny, tiny_varlen, monkeypatch):
    tok, model = tiny
    assert packing.verify_no_cross_contamination(model, len(tok), mode=packing.PACKED)
    assert packing.verify_no_cross_contamination(model, len(tok), mode=packing.MASK4D)
    assert packing.verify_no_cross_contamination(tiny_varlen[1], len(tok), mode=packing.PACKED)
    real = packing.collate

    def positions_not_reset(rows, pad_token_id, mode=packing.PACKED, **kw):
        batch = real(rows, pad_token_id, mode, **kw)
        if mode == packing.PACKED:
            width = batch.inputs["input_ids"].shape[1]
            batch.inputs["position_ids"] = torch.arange(width).expand(len(rows), -1).clone()
        return batch

    monkeypatch.setattr(packing, "collate", positions_not_reset)
    assert not packing.verify_no_cross_contamination(model, len(tok), mode=packing.PACKED)
    assert not packing.verify_no_cross_contamination(tiny_varlen[1], len(tok), mode=packing.PACKED)


def test_varlen_attention_matches_block_mask_in_values_and_gradients():
    """The per-example attention (split per segment, stacked per row) equals one SDPA call with the
    block-diagonal mask, forward and backward, including a row that ends in padding."""
    from types import SimpleNamespace

    torch.manual_seed(0)
    ex = lambda n: {"input_ids": [5] * n, "labels": [5] * n}  # noqa: E731
    batch = packing.collate([[ex(5), ex(7), ex(1)], [ex(9)]], 0, packing.PACKED)
    spans, width = batch.sample_spans, batch.inputs["input_ids"].shape[1]
    q, k, v = (torch.randn(2, 3, width, 8, requires_grad=True) for _ in range(3))
    module = SimpleNamespace(num_key_value_groups=1, is_causal=True, training=True)
    weight = torch.randn(2, width, 3, 8)
    for r, row_spans in enumerate(spans):
        weight[r, row_spans[-1][1]:] = 0  # padding positions are never used

    def run(fn):
        out = fn()
        (out * weight).sum().backward()
        grads = [t.grad.clone() for t in (q, k, v)]
        for t in (q, k, v):
            t.grad = None
        return out * (weight != 0), grads

    varlen, varlen_grads = run(lambda: packing.varlen_sdpa_attention(
        module, q, k, v, None, position_ids=batch.inputs["position_ids"])[0])
    mask = packing.block_diagonal_mask(spans, width)
    masked, masked_grads = run(lambda: torch.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=mask).transpose(1, 2))
    torch.testing.assert_close(varlen, masked)
    for a, b in zip(varlen_grads, masked_grads):
        torch.testing.assert_close(a, b)
    assert varlen_grads[0].abs().sum() > 0
