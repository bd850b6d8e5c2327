"""IMI Train teaches a real pretrained model something: builtin:smollm2, one adapter, a few LoRA steps.

- val perplexity (response tokens, chat-template prompts) falls at least MARGIN below the base's;
- the saved adapter reloads with plain PEFT and reproduces the recorded perplexity;
- a greedy sample on a training-style prompt ends at the chat template's end-of-turn token.
"""

import json
import math
from pathlib import Path

import pytest

from imi_lib.core import config
from imi_lib.evaluation import evaluate as ev
from imi_lib.training import modeling
from imi_lib.training import train as stage
from train_fixtures import write_split

ADAPTER = "patient_triage"
MARGIN = 0.25  # adapter perplexity at most 75% of the base's
STEPS = 4


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("smollm2")
    write_split(root / "final", ADAPTER, n_train=32, n_val=6)
    stage.run(config.from_dict(stage.TrainConfig, {
        "final_dir": str(root / "final"), "output_dir": str(root / "adapters"), "adapter": ADAPTER,
        "base_model": "builtin:smollm2", "precision": "full", "max_steps": STEPS, "batch_size": 2,
        "max_seq_length": 256, "learning_rate": 1e-3, "save_steps": 0}))
    out = ev.run(config.from_dict(ev.EvaluateConfig, {
        "final_dir": str(root / "final"), "output_dir": str(root / "adapters"), "adapter": ADAPTER,
        "num_samples": 1, "max_new_tokens": 48, "eval_sets": ["none"]}))
    return root, out["adapters"][ADAPTER]


def test_val_perplexity_falls_by_the_margin(trained):
    root, res = trained
    ppl = res["perplexity"]
    assert ppl["adapter"] <= (1 - MARGIN) * ppl["base"], ppl
    assert res["passed_gate"]
    summary = json.loads((root / "adapters" / ADAPTER / "train_summary.json").read_text())
    assert summary["steps"] == STEPS and summary["final_loss"] < summary["first_loss"]
    manifest = json.loads((root / "adapters" / ADAPTER / "manifest.json").read_text())
    assert manifest["base_model"]["builtin"]["license"] == "Apache-2.0"


def test_saved_adapter_reloads_with_peft_and_reproduces_the_perplexity(trained):
    from peft import PeftModel

    root, res = trained
    src = modeling.resolve_base_model("builtin:smollm2")
    tok = modeling.load_tokenizer(src)
    model = PeftModel.from_pretrained(modeling.load_model(src, "full", tokenizer=tok, for_training=False),
                                      str(root / "adapters" / ADAPTER)).eval()
    records = ev.read_val_records(root / "final" / f"{ADAPTER}_val.json")
    again = ev.perplexity(model, tok, ev.encode_val_records(tok, records, res["max_seq_length"]), 8)
    assert math.isclose(again["model"]["perplexity"], res["perplexity"]["adapter"], rel_tol=1e-4)


def test_greedy_sample_stops_at_end_of_turn(trained):
    _root, res = trained
    sample = res["samples"][0]
    assert sample["prompt"].endswith("<|im_start|>assistant\n")
    assert sample["adapter_ended"] == "end_of_turn", sample
    assert sample["adapter"] and "<|im_end|>" not in sample["adapter"]
