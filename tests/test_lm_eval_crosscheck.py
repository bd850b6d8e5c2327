"""The MCQ scores of `imi evaluate` are the ones EleutherAI lm-evaluation-harness gives on the same items.

A custom lm-eval task (output_type multiple_choice, offline, over a JSON file of the project's own
evaluation items: MedQA and PubMedQA from the bundled hub mirror, as `imi collect` writes them)
scores each option's continuation after the same prompt with builtin:smollm2. The per-item
choices must be identical and the per-option log-likelihoods agree within 0.005 nats (fp32 kernels
over differently padded batches).
"""

import json
import math

import pytest

from imi_lib.core import config
from imi_lib.evaluation import evaluate as ev
from imi_lib.training import modeling
from imi_lib.training.prompt import build_prompt

ITEMS_PER_SET = 4
MAX_LEN = 1024


@pytest.fixture(scope="module")
def eval_items(tmp_path_factory):
    from imi_lib import sample_data
    from imi_lib.data import collect

    root = tmp_path_factory.mktemp("lm-eval")
    collect.run(config.from_dict(collect.CollectConfig, {
        "data_dir": str(root), "hub_mirror": str(sample_data.HUB), "sources": ["medqa", "pubmedqa"]}))
    items = []
    for name in ("medqa_test", "pubmedqa_holdout"):
        found, _invalid = ev.read_eval_set(next(root.rglob(f"eval/{name}.jsonl")), ITEMS_PER_SET)
        assert len(found) == ITEMS_PER_SET
        items += found
    assert any(i.context for i in items)  # PubMedQA: a context in the prompt too
    return root, items


@pytest.fixture(scope="module")
def smollm2():
    src = modeling.resolve_base_model("builtin:smollm2")
    tok = modeling.load_tokenizer(src)
    return modeling.load_model(src, "full", tokenizer=tok, for_training=False).eval(), tok


def _ours(model, tok, items):
    import torch

    with torch.inference_mode():
        scored = ev.mcq_loglikelihoods(model, tok, items, MAX_LEN, 8)
    return [{letter: ll for letter, (ll, _chars) in opts.items()} for opts in scored]


def _lm_eval(model, tok, items, path):
    from lm_eval import simple_evaluate
    from lm_eval.models.huggingface import HFLM
    from lm_eval.api.task import ConfigurableTask

    with open(path, "w", encoding="utf-8") as fh:
        for item in items:
            letters = sorted(item.options)
            instruction, context = ev.mcq_prompt(item)
            fh.write(json.dumps({"id": item.id, "prompt": build_prompt(instruction, context, tok),
                                 "choices": [ev.option_continuation(k, item.options[k]) for k in letters],
                                 "gold": letters.index(item.answer)}) + "\n")
    task = ConfigurableTask(config={
        "task": "imi_mcq", "dataset_path": "json", "dataset_kwargs": {"data_files": {"test": str(path)}},
        "test_split": "test", "output_type": "multiple_choice",
        "doc_to_text": lambda d: d["prompt"], "doc_to_choice": lambda d: d["choices"],
        "doc_to_target": lambda d: d["gold"],
        # the continuation follows the prompt directly, as in imi evaluate (lm-eval's default puts a space)
        "target_delimiter": "", "metric_list": [{"metric": "acc"}]})
    lm = HFLM(pretrained=model, tokenizer=tok, batch_size=8, max_length=MAX_LEN)
    out = simple_evaluate(model=lm, tasks=[task], log_samples=True, bootstrap_iters=0)
    samples = sorted(out["samples"]["imi_mcq"], key=lambda s: s["doc_id"])
    return out["results"]["imi_mcq"]["acc,none"], [[r[0] for r in s["filtered_resps"]] for s in samples]


def test_mcq_choices_match_lm_evaluation_harness(eval_items, smollm2):
    root, items = eval_items
    model, tok = smollm2
    ours = _ours(model, tok, items)
    acc, theirs = _lm_eval(model, tok, items, root / "imi_mcq.jsonl")
    assert len(theirs) == len(items)
    for item, mine, lm_eval_lls in zip(items, ours, theirs):
        letters = sorted(item.options)
        mine_lls = [mine[k] for k in letters]
        for a, b in zip(mine_lls, lm_eval_lls):
            # fp32 kernels over differently padded batches: agreement to a few thousandths of a nat
            assert math.isclose(a, b, rel_tol=1e-3, abs_tol=5e-3), (item.id, mine_lls, lm_eval_lls)
        assert max(range(len(letters)), key=lambda k: mine_lls[k]) == max(
            range(len(letters)), key=lambda k: lm_eval_lls[k]), item.id
    # and the stage's own accuracy is lm-eval's acc
    scored = ev.score_mcq(model, tok, items, MAX_LEN, 8)
    assert scored["acc"] == pytest.approx(acc)
