"""The one response-token NLL (imi_lib.training.loss): same numbers and gradients as the model's own
loss, for padded and packed batches, through a PEFT wrapper, without full-vocabulary logits."""

import pytest
import torch

from imi_lib.training import loss, modeling, packing
from train_fixtures import make_records


@pytest.fixture(scope="module")
def tiny():
    src = modeling.resolve_base_model("builtin:tiny")
    tok = modeling.load_tokenizer(src)
    model = modeling.load_model(src, "full", tokenizer=tok)
    return tok, model


def _lora(model):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    return get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                                            lora_dropout=0.0, init_lora_weights=False))


def _batch(tok, mode, n=6):
    ex = packing.encode_records(tok, make_records("patient_triage", n, seed=3), 256)
    rows = packing.pack_by_length([len(e["input_ids"]) for e in ex], 256) if mode != packing.PADDED \
        else [[i] for i in range(len(ex))]
    return packing.collate([[ex[i] for i in r] for r in rows], tok.pad_token_id, mode)


@pytest.mark.parametrize("mode", [packing.PADDED, packing.PACKED])
def test_summed_nll_equals_the_models_own_loss(tiny, mode):
    tok, model = tiny
    b = _batch(tok, mode)
    with torch.no_grad():
        ref = model(**b.model_inputs(model), use_cache=False).loss  # mean over labelled tokens
        total, n = loss.response_nll(model, b.model_inputs(model, labels=False), b.inputs["labels"])
    assert n == b.num_label_tokens > 0
    torch.testing.assert_close(total / n, ref.float(), rtol=1e-5, atol=1e-5)


def test_chunked_gradients_equal_full_logit_gradients_through_peft(tiny):
    tok, base = tiny
    model = _lora(base)
    try:
        b = _batch(tok, packing.PACKED)
        trainable = [p for p in model.parameters() if p.requires_grad]

        def grads(fn):
            for p in trainable:
                p.grad = None
            fn().backward()
            return [p.grad.clone() for p in trainable]

        full = grads(lambda: model(**b.model_inputs(model), use_cache=False).loss)
        chunked = grads(lambda: (lambda s, n: s / n)(*loss.response_nll(
            model, b.model_inputs(model, labels=False), b.inputs["labels"], chunk_size=7)))
        for g_full, g_chunk in zip(full, chunked):
            torch.testing.assert_close(g_chunk, g_full, rtol=1e-4, atol=1e-6)
    finally:
        model.unload()


def test_output_head_sees_only_labelled_positions_a_chunk_at_a_time(tiny):
    tok, model = tiny
    b = _batch(tok, packing.PADDED)
    seen = []
    hook = model.get_output_embeddings().register_forward_hook(lambda m, i, o: seen.append(i[0].shape[0]))
    try:
        with torch.no_grad():
            loss.response_nll(model, b.model_inputs(model, labels=False), b.inputs["labels"], chunk_size=16)
    finally:
        hook.remove()
    width = b.inputs["input_ids"].shape[1]
    assert sum(seen) == b.num_label_tokens < b.inputs["input_ids"].shape[0] * width
    assert max(seen) <= 16


def test_row_sums_match_per_row_losses(tiny):
    tok, model = tiny
    b = _batch(tok, packing.PADDED, n=4)
    inputs = b.model_inputs(model, labels=False)
    with torch.no_grad():
        sums, counts = loss.row_nll(model, inputs, b.inputs["labels"])
        for r in range(4):
            one = {k: v[r:r + 1] for k, v in inputs.items()}
            s, n = loss.response_nll(model, one, b.inputs["labels"][r:r + 1])
            assert counts[r] == n
            assert abs(float(sums[r]) - float(s)) < 1e-3


def test_fused_head_gradient_needs_no_second_logit_pass_and_a_training_head_still_gets_its_gradient(tiny):
    """A frozen head: its gradient w.r.t. the hidden states comes out of the forward pass (the head's
    forward never runs again in the backward). A head that trains: checkpointed chunks, same gradients."""
    tok, base = tiny
    model = _lora(base)
    head = model.get_output_embeddings()
    b = _batch(tok, packing.PACKED)
    calls = []
    hook = head.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    try:
        s, n = loss.response_nll(model, b.model_inputs(model, labels=False), b.inputs["labels"], chunk_size=7)
        (s / n).backward()
        assert calls == []  # the fused path multiplies by the weight itself, once forward and once for the gradient
        head.weight.requires_grad_(True)
        trainable = [p for p in model.parameters() if p.requires_grad]
        for p in trainable:
            p.grad = None
        model(**b.model_inputs(model), use_cache=False).loss.backward()
        full = [p.grad.clone() for p in trainable]
        for p in trainable:
            p.grad = None
        calls.clear()
        s, n = loss.response_nll(model, b.model_inputs(model, labels=False), b.inputs["labels"], chunk_size=7)
        (s / n).backward()
        assert sum(calls) == 2 * n  # checkpointed: each chunk's logits once forward, once again in the backward
        for g_full, g_chunk in zip(full, [p.grad for p in trainable]):
            torch.testing.assert_close(g_chunk, g_full, rtol=1e-4, atol=1e-6)
    finally:
        hook.remove()
        head.weight.requires_grad_(False)
        for p in model.parameters():
            p.grad = None
        model.unload()
