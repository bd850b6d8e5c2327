"""`imi evaluate`: does each trained adapter beat its base model?

For every adapter in `--output-dir` (default `adapters/`) it measures, with
the base model and with base+adapter from ONE model load (the base is the
same PeftModel inside `disable_adapter()`):

- perplexity on the adapter's val split `D/final/{adapter}_val.json`,
  token-weighted over response tokens only: exp(sum NLL / number of response
  tokens), the prompt formatted exactly as in training (`imi_lib.training.prompt`);
- sample generations for manual review: the first `--num-samples` val
  prompts, greedy, base vs adapter vs reference;
- multiple-choice accuracy on the evaluation sets in `D/final/eval/*.jsonl`
  (MedQA test, MedMCQA validation, PubMedQA hold-out), each option scored by
  the log-likelihood of "<letter>. <option text>" after the question prompt;

and writes `<output-dir>/<adapter>/evaluation_results.json` (everything, plus
`passed_gate`) and `samples.md`. The gate passes only when the adapter's val
perplexity is below the base's × `--gate-threshold`.

    imi evaluate --adapter all --data-dir data --output-dir adapters
    imi evaluate --adapter education --base-model builtin:tiny --mcq-max-items 200
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from imi_lib.core import config, storage
from imi_lib.core.adapters import ADAPTERS, resolve_adapters
from imi_lib.core.errors import UserError

from imi_lib.core.provenance import (ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS, RESULTS_FILE, SAMPLES_FILE,  # noqa: E402
                                     TRAIN_CONFIG_FILE, package_versions, read_json)
DEFAULT_EVAL_SETS = ("medqa_test", "medmcqa_validation", "pubmedqa_holdout")
GATE_RULE = "adapter val perplexity < base val perplexity × threshold"
MCQ_INSTRUCTION = "Answer with the letter and text of the correct option."


@dataclass
class EvaluateConfig:
    data_dir: str = config.option("data", "data directory (local path or s3://bucket/prefix)")
    final_dir: str | None = config.option(
        None, "prepared data with {adapter}_val.json and eval/*.jsonl (default: <data-dir>/final)")
    output_dir: str = config.option(
        "adapters", "directory with one trained adapter per sub-directory; results are written beside each adapter")
    results_dir: str | None = config.option(
        None, "write evaluation_results.json and samples.md under <results-dir>/<adapter>/ (default: beside the adapter)")
    adapter: str | list[str] = config.option(
        "all", "adapter to evaluate: a name, a comma-separated list, or 'all' (every trained adapter found)")
    base_model: str | None = config.option(
        None, "base model (default: the one the adapter was trained on, from its train_config.json)")
    precision: str = config.option(
        "auto", "full, 8bit or 4bit; auto = the precision the adapter was trained at",
        choices=("auto", "full", "8bit", "4bit"))
    max_seq_length: int | None = config.option(
        None, "longest sequence in tokens (default: the training value, else the model's context)")
    batch_size: int = config.option(8, "rows per forward pass: val records (perplexity), questions (MCQ: all options of a question share one row), prompts (generation)")
    num_samples: int = config.option(5, "val prompts to generate from, base vs adapter, for manual review")
    max_new_tokens: int = config.option(128, "longest generated sample in tokens")
    mcq_max_items: int | None = config.option(None, "score at most this many questions per evaluation set (first N)")
    eval_sets: list[str] = config.option(
        help="evaluation sets to score, by file name without .jsonl (default: every set in <final-dir>/eval/)",
        default_factory=list)
    gate_threshold: float = config.option(
        1.0, "passed_gate is true only if adapter val perplexity < base val perplexity × this")
    max_val_records: int | None = config.option(None, "use at most this many val records (first N) for perplexity")


def add_arguments(parser) -> None:
    config.add_arguments(parser, EvaluateConfig)


def main(args) -> int:
    run(config.from_args(EvaluateConfig, args))
    return 0


# ---- finding and checking what to evaluate ----------------------------------

@dataclass
class AdapterJob:
    """One adapter to evaluate and everything resolved about it before the model loads."""

    name: str
    dir: Path  # local directory holding the adapter files
    adapter_uri: str  # where the adapter lives (local path or s3://)
    results_uri: str  # where evaluation_results.json goes (local path or s3://)
    train_config: dict
    base_spec: str  # --base-model value the adapter runs on
    val_path: Path
    precision: str = "full"
    max_seq_length: int | None = None


def _has_adapter_files(names: set[str]) -> bool:
    return ADAPTER_CONFIG_FILE in names and any(w in names for w in ADAPTER_WEIGHTS)


def trained_adapters(output_dir: str) -> dict[str, bool]:
    """Adapter directories under `output_dir`: name -> whether training finished (weights present)."""
    found: dict[str, set[str]] = {}
    for rel in storage.list_files(output_dir):
        parts = rel.split("/")
        if len(parts) == 2 and parts[0] in ADAPTERS:
            found.setdefault(parts[0], set()).add(parts[1])
    if storage.is_s3(output_dir):
        # a published s3 adapter lists only its marker at the top; its files are the ones the marker names
        for name, files in found.items():
            if storage.MANIFEST in files:
                files.update(storage.list_files(storage.join(output_dir, name)))
    return {name: _has_adapter_files(files) for name, files in found.items()}


def _select(cfg: EvaluateConfig) -> list[str]:
    available = trained_adapters(cfg.output_dir)
    spec = cfg.adapter
    if spec == "all" or spec == ["all"]:
        names = [a for a in ADAPTERS if available.get(a)]
        for a in ADAPTERS:
            if a in available and not available[a]:
                print(f"imi evaluate: skipping {a}: {storage.join(cfg.output_dir, a)} has no adapter weights "
                      "(training unfinished?)", file=sys.stderr)
        if not names:
            raise UserError(f"no trained adapter found in {cfg.output_dir}; train first (imi train --adapter all)")
        return names
    try:
        names = resolve_adapters(spec)
    except ValueError as e:
        raise config.ConfigError(f"--adapter: {e}") from None
    for name in names:
        where = storage.join(cfg.output_dir, name)
        if name not in available:
            raise UserError(f"adapter {name}: no adapter directory {where}; train first (imi train --adapter {name})")
        if not available[name]:
            raise UserError(f"adapter {name}: {where} has no {ADAPTER_CONFIG_FILE} and adapter weights; "
                            f"training did not finish (imi train --adapter {name})")
    return names


def _base_identity(spec: str) -> tuple | None:
    """What a --base-model value points at, to tell whether two values name the same weights.

    None when `spec` cannot be resolved here (a path from another machine).
    An s3:// prefix is compared as written: resolving it would download the model.
    """
    from imi_lib.training.modeling import resolve_base_model

    if storage.is_s3(spec):
        return ("s3", spec.rstrip("/"))
    try:
        src = resolve_base_model(spec)
    except UserError:
        return None
    return (src.path if src.kind == "hub" else str(Path(src.path).resolve()), src.revision)


def _base_for(name: str, adapter_dir: Path, train_config: dict, given: str | None) -> str:
    """The base model to evaluate on; an explicit --base-model must match what the adapter was trained on."""
    given = given or None  # an empty --base-model (a pipeline parameter left blank) means "the recorded one"
    adapter_config = read_json(adapter_dir / ADAPTER_CONFIG_FILE)
    if train_config.get("base_model"):
        recorded, where = str(train_config["base_model"]), TRAIN_CONFIG_FILE
    elif adapter_config.get("base_model_name_or_path"):
        # peft records the path the base was loaded from, which may only exist on the training machine
        recorded, where = str(adapter_config["base_model_name_or_path"]), ADAPTER_CONFIG_FILE
    else:
        recorded, where = None, None
    if given is None:
        if recorded is None:
            raise UserError(f"adapter {name}: {adapter_dir} does not record its base model; pass --base-model")
        return recorded
    if recorded is None or given == recorded:
        return given
    mine = _base_identity(given)
    if mine is None:
        from imi_lib.training.modeling import resolve_base_model

        resolve_base_model(given)  # raises the reason --base-model is unusable
    theirs = _base_identity(recorded)
    if theirs is None and where == ADAPTER_CONFIG_FILE:
        print(f"imi evaluate: {name}: cannot check --base-model against {recorded!r} from {ADAPTER_CONFIG_FILE} "
              "(not resolvable here); using --base-model as given", file=sys.stderr)
        return given
    if mine != theirs:
        raise UserError(
            f"adapter {name} was trained on base model {recorded!r} (per {adapter_dir / where}), "
            f"but --base-model {given!r} was given. A LoRA adapter only fits the weights it was trained on; "
            "omit --base-model to use the recorded one, or pass that same model.")
    return given


def _resolve_precision(cfg_precision: str, train_config: dict) -> str:
    from imi_lib.training.modeling import resolve_precision

    # 'auto' evaluates at the training precision: a QLoRA adapter learned its
    # corrections on top of the 4-bit base, and its recorded numbers are on that base.
    wanted = cfg_precision
    if wanted == "auto" and train_config.get("precision") in ("full", "8bit", "4bit", "auto"):
        wanted = train_config["precision"]
    return resolve_precision(wanted)


@contextlib.contextmanager
def _local_adapter_dir(output_dir: str, name: str) -> Iterator[Path]:
    """The adapter's files as a local directory, verified against its marker (refused if incomplete or changed)."""
    with storage.open_verified(storage.join(output_dir, name), rebuild=f"imi train --adapter {name}") as d:
        yield d


# ---- reading data -----------------------------------------------------------

def read_val_records(path: Path, limit: int | None = None) -> list:
    from imi_lib.core.records import read_records

    out = []
    for rec in read_records(path):
        if limit is not None and len(out) >= limit:
            break
        out.append(rec)
    return out


def read_eval_set(path: Path, limit: int | None = None) -> tuple[list, int]:
    """Valid EvalItems of one set (first `limit`) and how many invalid lines were skipped."""
    from imi_lib.core.records import read_records, validate_eval_item

    invalid = []
    items = []
    for item in read_records(path, validator=validate_eval_item, on_invalid=lambda *a, **k: invalid.append(a)):
        if limit is not None and len(items) >= limit:
            break
        items.append(item)
    return items, len(invalid)


def find_eval_sets(eval_dir: Path, wanted: list[str]) -> tuple[dict[str, Path], list[str]]:
    """Eval set name -> file, and the names asked for that do not exist."""
    present = {p.stem: p for p in sorted(eval_dir.glob("*.jsonl"))} if eval_dir.is_dir() else {}
    if not wanted:
        return present, []
    return {n: present[n] for n in wanted if n in present}, [n for n in wanted if n not in present]


# ---- scoring ----------------------------------------------------------------

def _device(model):
    return model.get_input_embeddings().weight.device


def pad_batch(rows: list[dict], pad_id: int, *, left: bool = False) -> dict:
    """Stack token lists into tensors; pad positions get pad_id, attention 0 and label IGNORE_INDEX."""
    import torch

    from imi_lib.training.prompt import IGNORE_INDEX

    width = max(len(r["input_ids"]) for r in rows)
    ids, mask, labels = [], [], []
    for r in rows:
        n = len(r["input_ids"])
        pad = width - n
        lab = r.get("labels", [IGNORE_INDEX] * n)
        if left:
            ids.append([pad_id] * pad + r["input_ids"])
            mask.append([0] * pad + [1] * n)
            labels.append([IGNORE_INDEX] * pad + lab)
        else:
            ids.append(r["input_ids"] + [pad_id] * pad)
            mask.append([1] * n + [0] * pad)
            labels.append(lab + [IGNORE_INDEX] * pad)
    return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask), "labels": torch.tensor(labels)}


def sequence_logprobs(model, batch: dict):
    """Per row: (sum of log p(token) over labelled tokens, number of labelled tokens), in float64.

    Token t is predicted from positions < t, so logits are shifted by one
    against the labels. Only labelled (response / option) positions are
    pushed through the log-softmax, in fp32.
    """
    from imi_lib.training.loss import row_nll

    device = _device(model)
    inputs = {"input_ids": batch["input_ids"].to(device), "attention_mask": batch["attention_mask"].to(device)}
    nll, counts = row_nll(model, inputs, batch["labels"])
    return -nll, counts


def _batches(seq: list, size: int) -> Iterator[list]:
    for i in range(0, len(seq), max(1, size)):
        yield seq[i:i + size]


def _progress(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, leave=False, disable=total == 0)


def encode_val_records(tokenizer, records: list, max_length: int) -> list[dict]:
    from imi_lib.training.prompt import encode_example

    return [encode_example(tokenizer, r.instruction, r.input, r.output, max_length) for r in records]


def perplexity(model, tokenizer, encoded: list[dict], batch_size: int, *, variants: dict | None = None,
               desc: str = "perplexity") -> dict:
    """Token-weighted response perplexity of each model variant over the same examples.

    `variants` maps a label to a context manager factory that puts the model
    in that state (e.g. {"base": model.disable_adapter, "adapter": nullcontext});
    by default the model is scored as it is, under the label "model".
    Returns {label: {"perplexity", "nll", "tokens"}}; perplexity is None when
    there are no response tokens.
    """
    import torch

    variants = variants or {"model": contextlib.nullcontext}
    nll = {k: 0.0 for k in variants}
    tokens = 0
    # longest first: similar lengths share a batch, so little padding is computed
    order = sorted(range(len(encoded)), key=lambda i: (-len(encoded[i]["input_ids"]), i))
    bar = _progress(len(order), desc)
    with torch.inference_mode():
        for idx in _batches(order, batch_size):
            batch = pad_batch([encoded[i] for i in idx], tokenizer.pad_token_id)
            for label, ctx in variants.items():
                with ctx():
                    sums, counts = sequence_logprobs(model, batch)
                nll[label] -= float(sums.sum())
            tokens += int(counts.sum())
            bar.update(len(idx))
    bar.close()
    out = {}
    for label in variants:
        ppl = math.exp(nll[label] / tokens) if tokens else None
        out[label] = {"perplexity": ppl, "nll": nll[label], "tokens": tokens}
    return out


def mcq_prompt(item) -> tuple[str, str]:
    """(instruction, input) of a multiple-choice question, for prompt.build_prompt."""
    options = "\n".join(f"{letter}. {text.strip()}" for letter, text in sorted(item.options.items()))
    instruction = f"{MCQ_INSTRUCTION}\n\n{item.question.strip()}\n\nOptions:\n{options}"
    return instruction, item.context or ""


def option_continuation(letter: str, text: str) -> str:
    """The text scored for one option: what a model answering in the training format would write."""
    return f"{letter}. {text.strip()}"


def encode_mcq(tokenizer, item, max_length: int) -> list[dict]:
    """One row per option: [bos] prompt option, labels on the option tokens only."""
    from imi_lib.training.prompt import IGNORE_INDEX

    prompt, conts = encode_mcq_parts(tokenizer, item, max_length)
    return [{"letter": letter, "input_ids": prompt + cont, "labels": [IGNORE_INDEX] * len(prompt) + cont,
             "chars": chars} for letter, (cont, chars) in conts.items()]


def encode_mcq_parts(tokenizer, item, max_length: int) -> tuple[list[int], dict]:
    """The question's prompt tokens and, per option letter, (continuation tokens, bytes of its text)."""
    from imi_lib.training.prompt import encode_prompt

    instruction, context = mcq_prompt(item)
    conts = {letter: tokenizer(option_continuation(letter, text), add_special_tokens=False)["input_ids"]
             for letter, text in sorted(item.options.items())}
    longest = max(len(c) for c in conts.values())
    prompt = encode_prompt(tokenizer, instruction, context, max_length=max(2, max_length - longest))
    return prompt, {letter: (cont[:max(1, max_length - len(prompt))],
                             len(option_continuation(letter, item.options[letter]).encode("utf-8")))
                    for letter, cont in conts.items()}


def shared_prefix_batch(questions: list[tuple[list[int], dict]], pad_id: int) -> dict:
    """One row per question: its prompt once, then every option, each option seeing only the prompt
    and its own earlier tokens (a boolean 4D mask; position ids continue the prompt in every option).

    The prompt is most of a question's tokens, so this costs about one option's forward pass
    instead of one per option, with the same log-likelihoods. Returns the model inputs and, per
    question and option, (predicting positions, target tokens): an option's first token is
    predicted from the prompt's last position, the rest from the option's own previous token.
    """
    import torch

    width = max(len(p) + sum(len(c) for c, _ in conts.values()) for p, conts in questions)
    n = len(questions)
    ids = torch.full((n, width), pad_id, dtype=torch.long)
    pos = torch.zeros((n, width), dtype=torch.long)
    mask = torch.zeros((n, 1, width, width), dtype=torch.bool)
    mask[:, 0] = torch.eye(width, dtype=torch.bool)  # padding attends to itself: no empty softmax rows
    scored = []
    for r, (prompt, conts) in enumerate(questions):
        p = len(prompt)
        ids[r, :p] = torch.tensor(prompt)
        pos[r, :p] = torch.arange(p)
        mask[r, 0, :p, :p] = torch.ones(p, p, dtype=torch.bool).tril()
        at, per_option = p, {}
        for letter, (cont, _chars) in conts.items():
            k = len(cont)
            ids[r, at:at + k] = torch.tensor(cont)
            pos[r, at:at + k] = torch.arange(p, p + k)
            mask[r, 0, at:at + k, :p] = True
            mask[r, 0, at:at + k, at:at + k] = torch.ones(k, k, dtype=torch.bool).tril()
            per_option[letter] = ([p - 1] + list(range(at, at + k - 1)), cont)
            at += k
        scored.append(per_option)
    return {"inputs": {"input_ids": ids, "attention_mask": mask, "position_ids": pos}, "scored": scored}


def mcq_loglikelihoods(model, tokenizer, items: list, max_length: int, batch_size: int, *, on_batch=None) -> list:
    """Per question, {letter: (summed log p of the option's tokens, bytes of the option's text)}.

    `batch_size` questions share a forward pass (each one row: see `shared_prefix_batch`).
    """
    import torch

    from imi_lib.training.loss import predicted_token_nll
    from imi_lib.training.packing import fit_attention_mask

    device = _device(model)
    out = []
    for chunk in _batches(items, batch_size):
        parts = [encode_mcq_parts(tokenizer, item, max_length) for item in chunk]
        batch = shared_prefix_batch(parts, tokenizer.pad_token_id)
        rows, preds, targets, owners = [], [], [], []
        for r, per_option in enumerate(batch["scored"]):
            for letter, (pred, cont) in per_option.items():
                rows += [r] * len(pred)
                preds += pred
                targets += cont
                owners += [(r, letter)] * len(pred)
        inputs = fit_attention_mask(model, {k: v.to(device) for k, v in batch["inputs"].items()})
        nll = predicted_token_nll(model, inputs, torch.tensor(rows, device=device), torch.tensor(preds, device=device),
                                  torch.tensor(targets, device=device)).double().cpu().tolist()
        lls = [dict.fromkeys(per_option, 0.0) for per_option in batch["scored"]]
        for (r, letter), v in zip(owners, nll):
            lls[r][letter] -= v
        out += [{letter: (ll[letter], parts[r][1][letter][1]) for letter in ll} for r, ll in enumerate(lls)]
        if on_batch is not None:
            on_batch(len(chunk))
    return out


def score_mcq(model, tokenizer, items: list, max_length: int, batch_size: int, *, desc: str = "mcq") -> dict:
    """Accuracy of picking the option with the highest log-likelihood (and per-byte log-likelihood),
    lm-evaluation-harness's `acc` and `acc_norm` (tests/test_lm_eval_crosscheck.py)."""
    import torch

    correct = correct_norm = 0
    picks = []
    bar = _progress(len(items), desc)
    with torch.inference_mode():
        scores = mcq_loglikelihoods(model, tokenizer, items, max_length, batch_size, on_batch=bar.update)
    bar.close()
    for item, opts in zip(items, scores):
        letters = list(opts)
        best = max(letters, key=lambda k: opts[k][0])
        best_norm = max(letters, key=lambda k: opts[k][0] / opts[k][1])
        correct += best == item.answer
        correct_norm += best_norm == item.answer
        picks.append(best)
    n = len(items)
    return {"acc": correct / n if n else None, "acc_norm": correct_norm / n if n else None, "n": n,
            "correct": correct, "picks": picks}


def wilson_interval(correct: int, n: int, z: float = 1.959964) -> list[float] | None:
    """95% Wilson score interval of an accuracy: honest at small n and at 0 or 100% (unlike p ± 1.96·SE)."""
    if not n:
        return None
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


# A generation stops when its last tokens are the same span repeated this many times (a loop
# greedy decoding of a small model falls into), the span being at most LOOP_MAX_PERIOD tokens.
LOOP_REPEATS = 3
LOOP_MAX_PERIOD = 32


def repeated_tail(tokens: list[int], repeats: int = LOOP_REPEATS, max_period: int = LOOP_MAX_PERIOD) -> int:
    """The period of a loop at the end of `tokens` (its last span repeated `repeats` times), else 0.

    A short span counts only when its repeats cover at least 12 tokens, so a legitimate
    "- - -" or a doubled word is not cut.
    """
    n = len(tokens)
    for period in range(1, max_period + 1):
        reps = max(repeats, -(-12 // period))
        if period * reps > n:
            continue
        tail = tokens[n - period:]
        if all(tokens[n - (k + 1) * period:n - k * period] == tail for k in range(1, reps)):
            return period
    return 0


def generate(model, tokenizer, prompts: list[list[int]], max_new_tokens: int, batch_size: int) -> list[str]:
    """Greedy continuations of token-id prompts, decoded without special tokens (see `generate_ended`)."""
    return [text for text, _ in generate_ended(model, tokenizer, prompts, max_new_tokens, batch_size)]


def generate_ended(model, tokenizer, prompts: list[list[int]], max_new_tokens: int,
                   batch_size: int) -> list[tuple[str, str]]:
    """(text, how it ended) per prompt: "end_of_turn", "loop" or "max_new_tokens".

    A continuation stops at eos or the chat template's end-of-turn token
    (`prompt.stop_token_ids`), or when it loops (`repeated_tail`): the loop is then cut back
    to one copy of the repeated span. Greedy decoding itself is left unchanged (no repetition
    penalty), so base and adapter are compared on their most likely answers.
    """
    import torch
    from transformers import GenerationConfig, StoppingCriteria, StoppingCriteriaList

    from imi_lib.training.prompt import stop_token_ids

    class _StopOnLoop(StoppingCriteria):
        def __init__(self, width: int):
            self.width = width

        def __call__(self, input_ids, scores, **kwargs):
            return torch.tensor([repeated_tail(row[self.width:].tolist()) > 0 for row in input_ids],
                                device=input_ids.device)

    gen_cfg = GenerationConfig(max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                               eos_token_id=stop_token_ids(tokenizer), pad_token_id=tokenizer.pad_token_id,
                               bos_token_id=tokenizer.bos_token_id)
    stops = set(stop_token_ids(tokenizer))
    out = []
    device = _device(model)
    with torch.inference_mode():
        for chunk in _batches(prompts, batch_size):
            # left padding so every prompt ends where generation starts
            batch = pad_batch([{"input_ids": p} for p in chunk], tokenizer.pad_token_id, left=True)
            width = batch["input_ids"].shape[1]
            generated = model.generate(input_ids=batch["input_ids"].to(device),
                                       attention_mask=batch["attention_mask"].to(device), generation_config=gen_cfg,
                                       stopping_criteria=StoppingCriteriaList([_StopOnLoop(width)]))
            for row in generated:
                ids = row[width:].tolist()
                end = next((i for i, t in enumerate(ids) if t in stops), None)
                ended = "end_of_turn" if end is not None else "max_new_tokens"
                ids = ids[:end]
                period = repeated_tail(ids) if end is None else 0
                if period:
                    ids, ended = ids[:len(ids) - (LOOP_REPEATS - 1) * period], "loop"
                out.append((tokenizer.decode(ids, skip_special_tokens=True).strip(), ended))
    return out


# ---- one adapter ------------------------------------------------------------

def gate_decision(base_ppl: float | None, adapter_ppl: float | None, threshold: float) -> tuple[bool, str]:
    if base_ppl is None or adapter_ppl is None:
        return False, "no validation records to measure perplexity on"
    if not (math.isfinite(base_ppl) and math.isfinite(adapter_ppl)):
        return False, f"perplexity is not finite (base {base_ppl}, adapter {adapter_ppl})"
    bound = base_ppl * threshold
    if adapter_ppl < bound:
        return True, f"adapter {adapter_ppl:.4g} < base {base_ppl:.4g} × {threshold:g} = {bound:.4g}"
    return False, f"adapter {adapter_ppl:.4g} is not below base {base_ppl:.4g} × {threshold:g} = {bound:.4g}"


def samples_markdown(name: str, samples: list[dict]) -> str:
    lines = [f"# {name}: sample generations (greedy)", "",
             "Base model vs base+adapter vs the reference answer, on the first validation prompts.", ""]
    if not samples:
        lines.append("_No samples: the val split is empty or --num-samples is 0._")
    for i, s in enumerate(samples, 1):
        lines += [f"## {i}. `{s['id']}`", "", "**Prompt**", "", "```text", s["prompt"].rstrip(), "```", ""]
        for key, title in (("reference", "Reference"), ("base", "Base model"), ("adapter", "Adapter")):
            ended = s.get(f"{key}_ended")
            note = f" (stopped: {ended.replace('_', ' ')})" if ended else ""
            lines += [f"**{title}**{note}", "", "```text", (s[key] or "(empty)").rstrip(), "```", ""]
    return "\n".join(lines) + "\n"


def evaluate_adapter(model, tokenizer, job: AdapterJob, cfg: EvaluateConfig, eval_sets: dict[str, Path],
                     missing_sets: list[str], base_mcq_cache: dict) -> dict:
    """All measurements for one adapter already loaded (and active) in the PeftModel `model`."""
    from imi_lib.training.prompt import build_prompt, encode_prompt
    from imi_lib.core.summary import StageTimer

    timer = StageTimer("evaluate")
    max_len = job.max_seq_length
    records = read_val_records(job.val_path, cfg.max_val_records)
    variants = {"base": model.disable_adapter, "adapter": contextlib.nullcontext}

    ppl = perplexity(model, tokenizer, encode_val_records(tokenizer, records, max_len), cfg.batch_size,
                     variants=variants, desc=f"{job.name} perplexity")
    perplexity_out = {"base": ppl["base"]["perplexity"], "adapter": ppl["adapter"]["perplexity"],
                      "val_records": len(records), "response_tokens": ppl["base"]["tokens"],
                      "base_nll": ppl["base"]["nll"], "adapter_nll": ppl["adapter"]["nll"],
                      "val_file": str(job.val_path)}

    sample_recs = records[:max(0, cfg.num_samples)]
    prompts = [encode_prompt(tokenizer, r.instruction, r.input, max_length=max(2, max_len - cfg.max_new_tokens))
               for r in sample_recs]
    with model.disable_adapter():
        base_out = generate_ended(model, tokenizer, prompts, cfg.max_new_tokens, cfg.batch_size)
    adapter_out = generate_ended(model, tokenizer, prompts, cfg.max_new_tokens, cfg.batch_size)
    samples = [{"id": r.id, "prompt": build_prompt(r.instruction, r.input, tokenizer), "reference": r.output,
                "base": b[0], "adapter": a[0], "base_ended": b[1], "adapter_ended": a[1]}
               for r, b, a in zip(sample_recs, base_out, adapter_out)]

    mcq = {}
    for set_name, path in eval_sets.items():
        items, invalid = read_eval_set(path, cfg.mcq_max_items)
        key = (set_name, max_len)
        if key not in base_mcq_cache:
            # the base's answers do not depend on the adapter: score them once per loaded model
            with model.disable_adapter():
                base_mcq_cache[key] = score_mcq(model, tokenizer, items, max_len, cfg.batch_size,
                                                desc=f"{set_name} base")
        base = base_mcq_cache[key]
        adapted = score_mcq(model, tokenizer, items, max_len, cfg.batch_size, desc=f"{set_name} {job.name}")
        mcq[set_name] = {"base_acc": base["acc"], "adapter_acc": adapted["acc"],
                         "base_acc_ci95": wilson_interval(base["correct"], base["n"]),
                         "adapter_acc_ci95": wilson_interval(adapted["correct"], adapted["n"]),
                         "base_acc_norm": base["acc_norm"], "adapter_acc_norm": adapted["acc_norm"],
                         "n": adapted["n"], "invalid_items": invalid,
                         "base_picks": base["picks"], "adapter_picks": adapted["picks"]}

    passed, reason = gate_decision(perplexity_out["base"], perplexity_out["adapter"], cfg.gate_threshold)
    return {
        "adapter": job.name,
        "perplexity": perplexity_out,
        "mcq": mcq,
        "mcq_missing": missing_sets,
        "mcq_metric": {
            "primary": "acc: the option whose continuation '<letter>. <text>' has the highest summed "
                       "log-likelihood after the question prompt",
            "acc_norm": "the same, with the log-likelihood divided by the continuation's length in UTF-8 bytes",
        },
        "samples": samples,
        "passed_gate": passed,
        "gate": {"threshold": cfg.gate_threshold, "rule": GATE_RULE, "reason": reason},
        "seconds": round(timer.seconds, 3),
    }


# ---- the stage --------------------------------------------------------------

def _prepare_jobs(cfg: EvaluateConfig, final_uri: str, final: Path, stack: contextlib.ExitStack) -> list[AdapterJob]:
    """Resolve every selected adapter's files, base model and val file before anything loads."""
    jobs = []
    for name in _select(cfg):
        adapter_dir = stack.enter_context(_local_adapter_dir(cfg.output_dir, name))
        tc_path = adapter_dir / TRAIN_CONFIG_FILE
        train_config = read_json(tc_path) if tc_path.is_file() else {}
        base_spec = _base_for(name, adapter_dir, train_config, cfg.base_model)
        val_path = final / f"{name}_val.json"
        if not val_path.is_file():
            raise UserError(f"adapter {name}: no validation file {storage.join(final_uri, val_path.name)}; "
                            "run imi prepare first")
        precision = _resolve_precision(cfg.precision, train_config)
        trained_at = train_config.get("precision")
        if trained_at in ("full", "8bit", "4bit") and trained_at != precision:
            print(f"imi evaluate: {name} was trained on a {trained_at} base and is evaluated on a {precision} one; "
                  "its perplexities will differ from the training log's", file=sys.stderr)
        jobs.append(AdapterJob(name=name, dir=adapter_dir, adapter_uri=storage.join(cfg.output_dir, name),
                               results_uri=storage.join(cfg.results_dir or cfg.output_dir, name),
                               train_config=train_config, base_spec=base_spec, val_path=val_path,
                               precision=precision))
    return jobs


def run(cfg: EvaluateConfig) -> dict:
    """Evaluate the selected adapters; write evaluation_results.json and samples.md beside each."""
    from imi_lib.core.summary import StageTimer, print_summary

    timer = StageTimer("evaluate")
    final_uri = cfg.final_dir or storage.join(cfg.data_dir, "final")
    for name in ("batch_size", "max_new_tokens"):
        if getattr(cfg, name) < 1:
            raise config.ConfigError(f"{name}: must be at least 1")
    if cfg.gate_threshold <= 0:
        raise config.ConfigError("gate_threshold: must be positive")

    results: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        final = stack.enter_context(storage.open_verified(final_uri, rebuild=f"imi prepare --data-dir {cfg.data_dir}"))
        jobs = _prepare_jobs(cfg, final_uri, Path(final), stack)
        eval_sets, missing_sets = find_eval_sets(Path(final) / "eval", list(cfg.eval_sets))
        for name in missing_sets:
            print(f"imi evaluate: evaluation set {name!r} not found in {storage.join(final_uri, 'eval')}; "
                  "reported as missing", file=sys.stderr)

        # one model load per (base model, precision); every adapter on it is loaded into the same PeftModel
        groups: dict[tuple[str, str], list[AdapterJob]] = {}
        for job in jobs:
            groups.setdefault((job.base_spec, job.precision), []).append(job)
        for (base_spec, precision), group in groups.items():
            results.update(_evaluate_group(base_spec, precision, group, cfg, eval_sets, missing_sets))

    for name, res in results.items():
        fields = {"adapter": name,
                  "ppl_base": _short(res["perplexity"]["base"]), "ppl_adapter": _short(res["perplexity"]["adapter"]),
                  "gate": "PASSED" if res["passed_gate"] else "FAILED"}
        for set_name, m in res["mcq"].items():
            fields[set_name] = f"{_short(m['base_acc'])}->{_short(m['adapter_acc'])}(n={m['n']})"
        print_summary("evaluate", fields, seconds=res["seconds"])
    return {"stage": "evaluate", "adapters": results,
            "results_files": {n: storage.join(cfg.results_dir or cfg.output_dir, n, RESULTS_FILE) for n in results},
            "seconds": round(timer.seconds, 3)}


def _short(v):
    return "n/a" if v is None else (round(v, 4) if isinstance(v, float) else v)


def _evaluate_group(base_spec: str, precision: str, jobs: list[AdapterJob], cfg: EvaluateConfig,
                    eval_sets: dict, missing_sets: list[str]) -> dict[str, dict]:
    from imi_lib.training import modeling

    src = modeling.resolve_base_model(base_spec)
    tokenizer = modeling.load_tokenizer(src)
    base = modeling.load_model(src, precision, tokenizer=tokenizer, for_training=False)
    model = None
    base_mcq_cache: dict = {}
    out = {}
    for job in jobs:
        model = _attach_adapter(model, base, job)
        model.set_adapter(job.name)
        model.eval()
        job.max_seq_length = int(cfg.max_seq_length or job.train_config.get("max_seq_length")
                                 or modeling.model_context_length(src, base))
        res = evaluate_adapter(model, tokenizer, job, cfg, eval_sets, missing_sets, base_mcq_cache)
        res = {"adapter": job.name, "adapter_dir": job.adapter_uri,
               "base_model": base_spec, "base_model_revision": src.revision, "base_model_kind": src.kind,
               "precision": precision, "max_seq_length": job.max_seq_length,
               **{k: v for k, v in res.items() if k != "adapter"},
               "versions": package_versions(),
               "config": {**config.to_dict(cfg), "adapter": job.name}}
        # published beside the adapter (a new version of its directory that adds the results) or, with
        # --results-dir, as a directory of their own; files are replaced, never edited (update links them)
        with storage.publish_dir(job.results_uri, stage="evaluate", rebuild=f"imi evaluate --adapter {job.name}",
                                 update=job.results_uri == job.adapter_uri) as d:
            storage.write_text(d / RESULTS_FILE, json.dumps(res, indent=2, ensure_ascii=False, default=str) + "\n")
            storage.write_text(d / SAMPLES_FILE, samples_markdown(job.name, res["samples"]))
        out[job.name] = res
    return out


def _attach_adapter(model, base, job: AdapterJob):
    """Load the adapter into the PeftModel (creating it on the first adapter); shape mismatches become user errors."""
    from peft import PeftModel

    try:
        if model is None:
            return PeftModel.from_pretrained(base, str(job.dir), adapter_name=job.name, is_trainable=False)
        model.load_adapter(str(job.dir), adapter_name=job.name, is_trainable=False)
        return model
    except (RuntimeError, ValueError, KeyError) as e:
        raise UserError(f"adapter {job.name}: cannot load {job.dir} onto base model {job.base_spec}: "
                        f"{str(e).splitlines()[0]} (was it trained on a different base model?)") from None
