"""The one response-token NLL of IMI Train: the training loss, train's val loss, evaluate's
perplexity and its multiple-choice scores all come from `label_token_nll`.

Why not `model(...).logits` or `.loss`: a causal LM's logits hold rows x positions x vocabulary
floats. For a 49,152-token vocabulary at 4 rows of 2,048 that is 1.6 GB in fp32, and training
keeps it (and its log-softmax) for the backward pass. Only the labelled positions (the response
tokens, or a multiple-choice option) are needed, usually a fraction of the row. So the decoder
body runs once to give hidden states, the labelled positions are picked out, and they go through
the output head a chunk at a time, so the peak holds one chunk's logits, never the full tensor.
While gradients are recorded through a frozen head (the LoRA case), each chunk's gradient with
respect to its hidden states is computed in the forward pass and only scaled in the backward
(`_fused_nll`: the chunked form of Liger's fused linear cross-entropy, in plain PyTorch); a head
that trains itself is checkpointed per chunk instead (its logits recomputed in the backward).

Labels follow transformers' convention: `labels[r, t]` is the token at position t, predicted from
the hidden state at t-1; IGNORE_INDEX marks positions without loss.
"""

from __future__ import annotations

from functools import lru_cache

from imi_lib.training.prompt import IGNORE_INDEX

# logits of one chunk stay under this many bytes (fp32): 64 MiB is ~340 positions of a 49k vocabulary
CHUNK_BYTES = 64 << 20


def _body_and_head(model):
    """The decoder body (hidden states out) and the output head, through PEFT wrappers; None if absent."""
    get_decoder = getattr(model, "get_decoder", None)
    get_head = getattr(model, "get_output_embeddings", None)
    if get_decoder is None or get_head is None:
        return None, None
    try:
        body, head = get_decoder(), get_head()
    except (AttributeError, NotImplementedError):
        return None, None
    config = getattr(model, "config", None)
    # heads that rescale or soft-cap their logits (Gemma, Cohere) take the full forward
    if body is None or head is None or any(getattr(config, k, None) for k in ("final_logit_softcapping", "logit_scale")):
        return None, None
    return body, head


def _chunk_nll(head, hidden, targets):
    import torch.nn.functional as F

    return F.cross_entropy(head(hidden).float(), targets, reduction="none")


def _fused_nll(hidden, weight, targets, step: int):
    """NLL per row of `hidden` through a frozen, bias-free output head, gradient computed on the way.

    Each token's NLL depends on its own hidden vector only, so d nll_i / d h_i (one hidden-size
    vector per token) is computed chunk by chunk in the forward pass, while that chunk's logits
    exist, and the backward pass only scales it by the incoming gradient: the head runs twice per
    labelled token (logits, then logits-gradient times weight), not three times as with a
    checkpointed chunk whose logits are recomputed. Liger's fused linear cross-entropy does the
    same on GPUs.
    """
    return _fused_nll_function().apply(hidden, weight, targets, step)


@lru_cache(maxsize=None)
def _fused_nll_function():
    import torch

    class FusedNLL(torch.autograd.Function):
        @staticmethod
        def forward(ctx, h, w, y, step):
            nll = torch.empty(h.shape[0], dtype=torch.float32, device=h.device)
            dh = torch.empty_like(h)
            for s in range(0, h.shape[0], step):
                logits = (h[s:s + step] @ w.t()).float()
                lse = torch.logsumexp(logits, dim=-1)
                yy = y[s:s + step]
                nll[s:s + step] = lse - logits.gather(1, yy[:, None])[:, 0]
                grad = logits.sub_(lse[:, None]).exp_()  # softmax, in place of the logits
                grad[torch.arange(yy.shape[0], device=yy.device), yy] -= 1
                dh[s:s + step] = (grad.to(w.dtype) @ w).to(h.dtype)
            ctx.save_for_backward(dh)
            return nll

        @staticmethod
        def backward(ctx, grad_nll):
            (dh,) = ctx.saved_tensors
            return dh * grad_nll[:, None].to(dh.dtype), None, None, None

    return FusedNLL


def label_token_nll(model, inputs: dict, labels, *, chunk_size: int | None = None):
    """NLL of every labelled token: `(nll, rows, positions)`, each of length N (labelled tokens).

    `inputs` are the model's keyword inputs without labels (input_ids, attention_mask or
    position_ids, ...). `nll` is float32 and carries gradients when they are enabled; `rows`
    and `positions` say where each labelled token sits (position = its index in the row).
    """
    labels = labels.to(inputs["input_ids"].device)
    targets = labels[:, 1:]
    keep = targets != IGNORE_INDEX
    rows, pred_pos = keep.nonzero(as_tuple=True)
    nll = predicted_token_nll(model, inputs, rows, pred_pos, targets[keep], chunk_size=chunk_size)
    return nll, rows, pred_pos + 1


def predicted_token_nll(model, inputs: dict, rows, pred_pos, targets, *, chunk_size: int | None = None):
    """NLL of `targets[i]` predicted from the hidden state at (`rows[i]`, `pred_pos[i]`), float32.

    The general form behind `label_token_nll` (where the predictor of a token is the position
    before it); callers whose rows are not one left-to-right sequence use it directly, e.g. the
    multiple-choice scorer, where every option continues the shared question from its last token.
    """
    import torch
    from torch.utils.checkpoint import checkpoint

    body, head = _body_and_head(model)
    if body is None:  # no separable head: the full logits, the predicting positions only from there on
        logits = model(**inputs, use_cache=False).logits
        return torch.nn.functional.cross_entropy(logits[rows, pred_pos].float(), targets, reduction="none")
    hidden = body(**inputs, use_cache=False).last_hidden_state
    picked = hidden[rows, pred_pos]
    vocab = head.weight.shape[0]
    step = chunk_size or max(16, CHUNK_BYTES // (4 * vocab))
    grad = torch.is_grad_enabled() and picked.requires_grad
    weight = getattr(head, "weight", None)
    if (grad and type(head) is torch.nn.Linear and head.bias is None and not weight.requires_grad
            and weight.dtype.is_floating_point):
        return _fused_nll(picked, weight, targets, step)  # the usual LoRA case: a frozen head
    parts = []
    for s in range(0, picked.shape[0], step):
        h, y = picked[s:s + step], targets[s:s + step]
        parts.append(checkpoint(_chunk_nll, head, h, y, use_reentrant=False) if grad else _chunk_nll(head, h, y))
    return torch.cat(parts) if parts else picked.new_zeros(0, dtype=torch.float32)


def response_nll(model, inputs: dict, labels, *, chunk_size: int | None = None):
    """(summed NLL over the labelled tokens as a 0-dim float32 tensor, number of labelled tokens).

    The training loss is `summed / tokens of the whole optimizer step` (token-weighted across
    micro-batches and processes); perplexity is `exp(sum of sums / sum of tokens)`.
    """
    nll, _, _ = label_token_nll(model, inputs, labels, chunk_size=chunk_size)
    return nll.sum(), int(nll.numel())


def row_nll(model, inputs: dict, labels, *, chunk_size: int | None = None):
    """Per row: (summed NLL in float64, labelled tokens), both 1-D tensors on the CPU (MCQ option scores)."""
    import torch

    nll, rows, _ = label_token_nll(model, inputs, labels, chunk_size=chunk_size)
    n_rows = labels.shape[0]
    sums = torch.zeros(n_rows, dtype=torch.float64, device=nll.device).index_add_(0, rows, nll.detach().double())
    counts = torch.zeros(n_rows, dtype=torch.long, device=nll.device).index_add_(0, rows, torch.ones_like(rows))
    return sums.cpu(), counts.cpu()
