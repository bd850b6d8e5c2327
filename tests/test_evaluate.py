"""`imi evaluate` on builtin:tiny: perplexity math, the quality gate, reload fidelity, MCQ scoring, errors.

Adapters are made here with peft directly (a few optimizer steps by hand),
so these tests do not depend on the train stage.
"""

import contextlib
import json
import math
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from imi_lib import cli
from imi_lib.core import config, storage
from imi_lib.evaluation import evaluate as ev
from imi_lib.training import modeling
from imi_lib.core.config import ConfigError
from imi_lib.core.errors import UserError
from imi_lib.training.prompt import IGNORE_INDEX, encode_example
from imi_lib.core.records import EvalItem, Record, write_jsonl

TINY = "builtin:tiny"
MAX_LEN = 192
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
SYMPTOMS = [("chest pain", "EMERGENCY", "call an ambulance now"), ("mild cough", "ROUTINE", "rest and fluids"),
            ("high fever", "URGENT", "see a doctor today"), ("sprained ankle", "ROUTINE", "ice and elevation")]
DRUGS = ("Aspirin Insulin Warfarin Metformin Heparin Lisinopril Atorvastatin Omeprazole Amoxicillin Prednisone "
         "Furosemide Digoxin Salbutamol Morphine Naloxone Adrenaline Paracetamol Ibuprofen Codeine Tramadol "
         "Diazepam Lorazepam Haloperidol Lithium Clopidogrel Ramipril Amlodipine Bisoprolol Simvastatin "
         "Doxycycline Ciprofloxacin Vancomycin Gentamicin Fluconazole Acyclovir").split()
QUESTIONS = ["Which drug is first choice here?", "Which drug treats this infection?",
             "Which drug should be stopped?", "Which drug is safest in pregnancy?"]


def triage_records(ages, adapter="patient_triage"):
    return [Record(instruction="Assess the triage level for this patient.", input=f"Patient aged {age} with {s}.",
                   output=f"Triage Level: {level}. Recommendation: {action}.", source="synthetic_triage",
                   adapter=adapter, id=f"{adapter}-{age}-{s}", license="generated")
            for age in ages for s, level, action in SYMPTOMS]


def mcq_items(tokenizer):
    """Four questions whose options all have the same token length, answers at A, B, C, D in turn.

    Equal lengths keep option length from deciding the pick, so only what the
    adapter memorised can make every answer right.
    """
    by_len = defaultdict(list)
    for drug in DRUGS:
        lengths = {len(tokenizer(ev.option_continuation(L, drug), add_special_tokens=False)["input_ids"])
                   for L in "ABCD"}
        if len(lengths) == 1:
            by_len[lengths.pop()].append(drug)
    groups = [g[i:i + 4] for g in by_len.values() for i in range(0, len(g) - 3, 4)]
    assert len(groups) >= len(QUESTIONS), "tokenizer changed: not enough equal-length option sets"
    return [EvalItem(id=f"q{i}", question=q, options=dict(zip("ABCD", groups[i])), answer="ABCD"[i],
                     source="medqa_test", license="test")
            for i, q in enumerate(QUESTIONS)]


def mcq_training_records(items, copies=3):
    out = []
    for item in items:
        instruction, context = ev.mcq_prompt(item)
        answer = ev.option_continuation(item.answer, item.options[item.answer])
        out += [Record(instruction=instruction, input=context, output=answer, source="medqa_train",
                       adapter="patient_triage", id=f"{item.id}-{k}") for k in range(copies)]
    return out


def lora_model(base, seed=0):
    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    return get_peft_model(base, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=LORA_TARGETS,
                                           task_type="CAUSAL_LM"))


def train_by_hand(model, tokenizer, records, steps=50, lr=3e-3, batch=8, seed=0):
    import torch

    encoded = ev.encode_val_records(tokenizer, records, MAX_LEN)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(steps):
        idx = torch.randperm(len(encoded), generator=gen)[:batch].tolist()
        loss = model(**ev.pad_batch([encoded[i] for i in idx], tokenizer.pad_token_id)).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    return model


def base_and_adapter_ppl(model, tokenizer, records):
    variants = {"base": model.disable_adapter, "adapter": contextlib.nullcontext}
    out = ev.perplexity(model, tokenizer, ev.encode_val_records(tokenizer, records, MAX_LEN), 4, variants=variants)
    return {k: v["perplexity"] for k, v in out.items()}


def write_train_config(adapter_dir: Path):
    (adapter_dir / "train_config.json").write_text(json.dumps(
        {"base_model": TINY, "precision": "full", "max_seq_length": MAX_LEN}))


@pytest.fixture(scope="module")
def tiny():
    src = modeling.resolve_base_model(TINY)
    return src, modeling.load_tokenizer(src)


def load_base(tiny):
    src, tok = tiny
    return modeling.load_model(src, "full", tokenizer=tok, for_training=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny):
    """data/final with val + one eval set; adapters/patient_triage (trained) and adapters/education (untrained LoRA)."""
    _, tok = tiny
    root = tmp_path_factory.mktemp("evaluate")
    data, out = root / "data", root / "adapters"
    items = mcq_items(tok)
    train = triage_records(range(20, 60, 4)) + mcq_training_records(items)
    val = triage_records(range(62, 80, 6))
    write_jsonl(data / "final" / "patient_triage_val.json", [r.to_dict() for r in val])
    write_jsonl(data / "final" / "education_val.json",
                [r.to_dict() for r in triage_records(range(62, 80, 6), adapter="education")])
    write_jsonl(data / "final" / "eval" / "medqa_test.jsonl", [i.to_dict() for i in items])

    trained = train_by_hand(lora_model(load_base(tiny)), tok, train)
    in_memory = base_and_adapter_ppl(trained, tok, val)
    trained.save_pretrained(out / "patient_triage", safe_serialization=True)
    write_train_config(out / "patient_triage")

    # B is zero at LoRA init: an adapter that changes nothing, to prove adapters are switched per evaluation
    lora_model(load_base(tiny), seed=1).save_pretrained(out / "education", safe_serialization=True)
    write_train_config(out / "education")
    for d in (data / "final", out / "patient_triage", out / "education"):
        storage.seal_dir(d)  # as prepare and train publish them
    return {"root": root, "data": data, "out": out, "items": items, "val": val, "in_memory": in_memory}


@pytest.fixture(scope="module")
def results(workspace):
    cfg = ev.EvaluateConfig(data_dir=str(workspace["data"]), output_dir=str(workspace["out"]), adapter="all",
                            num_samples=2, max_new_tokens=24, batch_size=4)
    return ev.run(cfg)


def copy_adapter(workspace, dest: Path, name="patient_triage") -> Path:
    shutil.copytree(workspace["out"] / name, dest / name)
    return dest


# ---- perplexity math ---------------------------------------------------------

def test_perplexity_matches_hand_computation(tiny):
    import torch

    _, tok = tiny
    model = load_base(tiny).eval()
    recs = triage_records([31]) + [Record(instruction="Explain.", input="", output="Rest.", source="s",
                                          adapter="education", id="short")]
    recs += [Record(instruction="Summarise the guideline " * 5, input="a long context " * 10,
                    output="Give aspirin and call an ambulance for chest pain.", source="s", adapter="education",
                    id="long")]
    got = ev.perplexity(model, tok, ev.encode_val_records(tok, recs, MAX_LEN), batch_size=2)["model"]

    nll, count = 0.0, 0
    with torch.no_grad():
        for r in recs:  # one unpadded sequence at a time
            ex = encode_example(tok, r.instruction, r.input, r.output, MAX_LEN)
            ids = torch.tensor([ex["input_ids"]])
            logp = torch.log_softmax(model(input_ids=ids).logits[0].double(), dim=-1)
            for t, label in enumerate(ex["labels"]):
                if label != IGNORE_INDEX:
                    nll -= float(logp[t - 1, ids[0, t]])
                    count += 1
    assert got["tokens"] == count
    assert got["nll"] == pytest.approx(nll, rel=1e-5)
    assert got["perplexity"] == pytest.approx(math.exp(nll / count), rel=1e-5)


def test_prompt_tokens_are_not_counted(tiny):
    _, tok = tiny
    model = load_base(tiny).eval()
    short = triage_records([40, 50])
    long = [Record(instruction=r.instruction + " Consider every red flag carefully before answering.",
                   input=r.input + " History: hypertension, diabetes, smoker for twenty years.",
                   output=r.output, source=r.source, adapter=r.adapter, id=r.id) for r in short]
    a = ev.perplexity(model, tok, ev.encode_val_records(tok, short, MAX_LEN), 4)["model"]
    b = ev.perplexity(model, tok, ev.encode_val_records(tok, long, MAX_LEN), 4)["model"]
    response_tokens = sum(len(tok(r.output, add_special_tokens=False)["input_ids"]) + 1 for r in short)  # + eos
    assert a["tokens"] == b["tokens"] == response_tokens
    assert a["nll"] != b["nll"]  # the prompt still conditions the response


def test_empty_val_set_gives_no_perplexity(tiny):
    _, tok = tiny
    model = load_base(tiny).eval()
    assert ev.perplexity(model, tok, [], 4)["model"] == {"perplexity": None, "nll": 0.0, "tokens": 0}
    assert ev.gate_decision(None, None, 1.0) == (False, "no validation records to measure perplexity on")


# ---- the stage on trained adapters -------------------------------------------

def test_trained_adapter_beats_base_and_passes_gate(results):
    triage = results["adapters"]["patient_triage"]
    ppl = triage["perplexity"]
    assert ppl["adapter"] < ppl["base"] / 2
    assert triage["passed_gate"] is True
    assert triage["gate"]["threshold"] == 1.0
    # the untrained adapter is evaluated with its own (no-op) weights, not the last loaded ones
    edu = results["adapters"]["education"]
    assert edu["perplexity"]["adapter"] == pytest.approx(edu["perplexity"]["base"], rel=1e-6)
    assert edu["perplexity"]["base"] == pytest.approx(ppl["base"], rel=1e-6)  # same base, same val text
    assert edu["passed_gate"] is False


def test_reloaded_adapter_reproduces_recorded_perplexity(workspace, results, tiny):
    from peft import PeftModel

    _, tok = tiny
    recorded = json.loads((workspace["out"] / "patient_triage" / ev.RESULTS_FILE).read_text())["perplexity"]
    assert recorded["adapter"] == pytest.approx(workspace["in_memory"]["adapter"], rel=1e-5)
    assert recorded["base"] == pytest.approx(workspace["in_memory"]["base"], rel=1e-5)
    reloaded = PeftModel.from_pretrained(load_base(tiny), str(workspace["out"] / "patient_triage")).eval()
    again = base_and_adapter_ppl(reloaded, tok, workspace["val"])
    assert again["adapter"] == pytest.approx(recorded["adapter"], rel=1e-5)
    assert again["base"] == pytest.approx(recorded["base"], rel=1e-5)


def test_mcq_scoring_picks_memorised_option(results):
    mcq = results["adapters"]["patient_triage"]["mcq"]["medqa_test"]
    assert mcq["n"] == len(QUESTIONS)
    assert mcq["adapter_acc"] == 1.0
    assert mcq["base_acc"] < 1.0
    # the no-op adapter answers exactly like the base
    edu = results["adapters"]["education"]["mcq"]["medqa_test"]
    assert edu["adapter_acc"] == edu["base_acc"] == mcq["base_acc"]


def test_options_of_a_question_share_one_forward_pass(tiny, monkeypatch):
    _, tok = tiny
    model = load_base(tiny).eval()
    items = mcq_items(tok)
    shapes = []
    real = ev.shared_prefix_batch
    monkeypatch.setattr(ev, "shared_prefix_batch",
                        lambda q, pad: shapes.append(len(q)) or real(q, pad))
    one_by_one = ev.score_mcq(model, tok, items, MAX_LEN, batch_size=1)
    shapes_small = list(shapes)
    shapes.clear()
    batched = ev.score_mcq(model, tok, items, MAX_LEN, batch_size=8)
    assert shapes_small == [1, 1, 1, 1]  # one row per question, all its options in it
    assert shapes == [4]
    assert batched["picks"] == one_by_one["picks"]


def test_shared_prefix_scores_equal_one_row_per_option(tiny):
    """The question once with every option after it scores each option exactly as a row of its own."""
    import torch

    _, tok = tiny
    model = load_base(tiny).eval()
    items = mcq_items(tok)
    with torch.inference_mode():
        shared = ev.mcq_loglikelihoods(model, tok, items, MAX_LEN, batch_size=3)
        for item, got in zip(items, shared):
            rows = ev.encode_mcq(tok, item, MAX_LEN)
            sums, _ = ev.sequence_logprobs(model, ev.pad_batch(rows, tok.pad_token_id))
            separate = dict(zip([r["letter"] for r in rows], sums.tolist()))
            assert set(got) == set(separate)
            for letter, (ll, chars) in got.items():
                assert ll == pytest.approx(separate[letter], rel=1e-4, abs=1e-3), (item.id, letter)
                assert chars == next(r["chars"] for r in rows if r["letter"] == letter)


def test_batched_generation_matches_one_at_a_time(workspace, tiny):
    from peft import PeftModel

    from imi_lib.training.prompt import encode_prompt

    _, tok = tiny
    model = PeftModel.from_pretrained(load_base(tiny), str(workspace["out"] / "patient_triage")).eval()
    prompts = [encode_prompt(tok, r.instruction, r.input) for r in workspace["val"][:3]]
    assert len({len(p) for p in prompts}) > 1  # left padding is exercised
    batched = ev.generate(model, tok, prompts, max_new_tokens=24, batch_size=3)
    single = [ev.generate(model, tok, [p], max_new_tokens=24, batch_size=1)[0] for p in prompts]
    assert batched == single
    assert all(text.startswith("Triage Level:") for text in batched)


def test_results_file_schema_and_samples(workspace, results):
    path = workspace["out"] / "patient_triage" / ev.RESULTS_FILE
    res = json.loads(path.read_text())
    assert res == json.loads(json.dumps(results["adapters"]["patient_triage"], default=str))
    assert res["adapter"] == "patient_triage"
    assert res["base_model"] == TINY and res["precision"] == "full" and res["max_seq_length"] == MAX_LEN
    assert set(res["perplexity"]) >= {"base", "adapter", "val_records", "response_tokens"}
    assert res["perplexity"]["val_records"] == len(workspace["val"])
    assert set(res["mcq"]["medqa_test"]) >= {"base_acc", "adapter_acc", "n"}
    assert res["mcq_missing"] == []
    assert isinstance(res["passed_gate"], bool)
    assert res["gate"]["rule"] == ev.GATE_RULE and "reason" in res["gate"]
    assert res["seconds"] > 0
    assert res["versions"]["torch"] and res["versions"]["peft"] and res["versions"]["transformers"]
    assert len(res["samples"]) == 2
    first = res["samples"][0]
    assert set(first) == {"id", "prompt", "reference", "base", "adapter", "base_ended", "adapter_ended"}
    assert {first["base_ended"], first["adapter_ended"]} <= {"end_of_turn", "loop", "max_new_tokens"}
    assert first["reference"] == workspace["val"][0].output
    assert first["prompt"].endswith("### Response:\n")
    assert first["adapter"].startswith("Triage Level:")  # learned the format, stopped (<= 24 tokens)
    assert first["base"] != first["reference"]
    md = (workspace["out"] / "patient_triage" / ev.SAMPLES_FILE).read_text()
    assert first["reference"] in md and "Base model" in md and "Adapter" in md
    assert set(results["results_files"]) == {"patient_triage", "education"}


def test_absurd_threshold_fails_gate_and_missing_eval_set_is_reported(workspace, tmp_path):
    out = copy_adapter(workspace, tmp_path)
    cfg = config.from_dict(ev.EvaluateConfig, {  # as a YAML file would give it: the adapter as a list
        "data_dir": str(workspace["data"]), "output_dir": str(out), "adapter": ["patient_triage"],
        "gate_threshold": 0.0001, "num_samples": 0, "eval_sets": ["medqa_test", "no_such_set"], "mcq_max_items": 2})
    res = ev.run(cfg)["adapters"]["patient_triage"]
    assert res["perplexity"]["adapter"] < res["perplexity"]["base"]
    assert res["passed_gate"] is False
    assert res["gate"]["threshold"] == 0.0001 and "not below" in res["gate"]["reason"]
    assert res["mcq_missing"] == ["no_such_set"] and res["mcq"]["medqa_test"]["n"] == 2
    assert res["samples"] == []


def test_empty_val_file_gives_null_perplexity_and_failed_gate(workspace, tmp_path):
    out = copy_adapter(workspace, tmp_path / "adapters")
    (tmp_path / "data" / "final").mkdir(parents=True)
    (tmp_path / "data" / "final" / "patient_triage_val.json").write_text("")
    storage.seal_dir(tmp_path / "data" / "final")
    res = ev.run(ev.EvaluateConfig(data_dir=str(tmp_path / "data"), output_dir=str(out),
                                   adapter="patient_triage"))["adapters"]["patient_triage"]
    assert res["perplexity"]["base"] is None and res["perplexity"]["adapter"] is None
    assert res["perplexity"]["val_records"] == 0
    assert res["passed_gate"] is False and "no validation records" in res["gate"]["reason"]
    assert res["mcq"] == {} and res["samples"] == []


def test_s3_data_and_adapters(workspace, s3_env):
    data_uri, out_uri = f"{s3_env}/data", f"{s3_env}/adapters"
    storage.upload_tree(workspace["data"] / "final", f"{data_uri}/final")  # with its marker
    storage.upload_tree(workspace["out"] / "patient_triage", f"{out_uri}/patient_triage")
    res = ev.run(ev.EvaluateConfig(data_dir=data_uri, output_dir=out_uri, adapter="all", num_samples=1,
                                   max_new_tokens=8, mcq_max_items=1))
    assert list(res["adapters"]) == ["patient_triage"]
    stored = json.loads(storage.read_text(f"{out_uri}/patient_triage/{ev.RESULTS_FILE}"))
    assert stored["perplexity"]["adapter"] == pytest.approx(workspace["in_memory"]["adapter"], rel=1e-5)
    assert stored["passed_gate"] is True
    assert storage.exists(f"{out_uri}/patient_triage/{ev.SAMPLES_FILE}")


# ---- errors --------------------------------------------------------------------

def fake_adapter(out: Path, name: str, base=TINY, weights=True, peft_base="/somewhere/else"):
    """Adapter files that are never loaded: every check below fails before the model would."""
    d = out / name
    d.mkdir(parents=True)
    (d / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": peft_base}))
    if weights:
        (d / "adapter_model.safetensors").write_bytes(b"")
    if base:
        (d / "train_config.json").write_text(json.dumps({"base_model": base, "precision": "full"}))
    storage.seal_dir(d)
    return d


def test_errors_are_clear_and_raised_before_loading(tmp_path, capsys):
    data, out = tmp_path / "data", tmp_path / "adapters"
    (data / "final").mkdir(parents=True)
    storage.seal_dir(data / "final")
    cfg = lambda **kw: ev.EvaluateConfig(data_dir=str(data), output_dir=str(out), **kw)  # noqa: E731

    with pytest.raises(UserError, match="no trained adapter found .*train first"):
        ev.run(cfg(adapter="all"))
    with pytest.raises(UserError, match=r"adapter education: no adapter directory .*train first \(imi train --adapter education\)"):
        ev.run(cfg(adapter="education"))
    with pytest.raises(ConfigError, match="unknown adapter 'cardiology'"):
        ev.run(cfg(adapter="cardiology"))

    fake_adapter(out, "research", weights=False)
    with pytest.raises(UserError, match="training did not finish"):
        ev.run(cfg(adapter="research"))

    fake_adapter(out, "education")
    with pytest.raises(UserError, match=r"no validation file .*education_val.json; run imi prepare"):
        ev.run(cfg(adapter="education"))
    # the same model named another way (its local directory) is accepted: the next check fails instead
    with pytest.raises(UserError, match="run imi prepare"):
        ev.run(cfg(adapter="education", base_model=str(modeling.resolve_base_model(TINY).path)))
    with pytest.raises(UserError, match=r"adapter education was trained on base model 'builtin:tiny' .*"
                                         r"--base-model 'epfl-llm/meditron-7b' was given"):
        ev.run(cfg(adapter="education", base_model="epfl-llm/meditron-7b"))

    # without train_config.json, peft's base_model_name_or_path is the record
    tiny_dir = str(modeling.resolve_base_model(TINY).path)
    fake_adapter(out, "clinical_decision", base=None, peft_base=tiny_dir)
    with pytest.raises(UserError, match=f"trained on base model '{tiny_dir}'"):
        ev.run(cfg(adapter="clinical_decision", base_model="epfl-llm/meditron-7b"))
    # ... unless that path exists only on the training machine: nothing to check against, a warning
    fake_adapter(out, "regulatory_qa", base=None, peft_base="/pod/cache/models/meditron")
    with pytest.raises(UserError, match="run imi prepare"):
        ev.run(cfg(adapter="regulatory_qa", base_model=TINY))
    assert "cannot check --base-model" in capsys.readouterr().err
    with pytest.raises(UserError, match="--base-model ./nowhere: not a local directory"):
        ev.run(cfg(adapter="education", base_model="./nowhere"))

    with pytest.raises(ConfigError, match="gate_threshold: must be positive"):
        ev.run(cfg(gate_threshold=0))


def test_cli_help_error_and_lazy_imports(tmp_path, capsys):
    imi = Path(sys.executable).with_name("imi")
    help_out = subprocess.run([str(imi), "evaluate", "--help"], capture_output=True, text=True, check=True).stdout
    for flag in ("--adapter", "--data-dir", "--output-dir", "--base-model", "--gate-threshold", "--num-samples",
                 "--mcq-max-items", "--eval-sets", "--max-val-records", "--precision"):
        assert flag in help_out
    lazy = subprocess.run([sys.executable, "-c", "import sys, imi_lib.evaluation.evaluate; print('torch' in sys.modules)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert lazy == "False"

    (tmp_path / "final").mkdir()
    storage.seal_dir(tmp_path / "final")
    rc = cli.main(["evaluate", "--data-dir", str(tmp_path), "--output-dir", str(tmp_path / "none"),
                   "--adapter", "education"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert err[-1].startswith("imi evaluate: error: adapter education: no adapter directory")
    assert "Traceback" not in "\n".join(err)



def test_results_dir_keeps_results_apart_from_the_adapter(workspace, tmp_path):
    """The pipeline passes the adapter read-only and collects results in their own artifact."""
    out = copy_adapter(workspace, tmp_path / "adapters")
    (out / "patient_triage" / ev.RESULTS_FILE).unlink(missing_ok=True)  # left by an earlier test's run
    storage.seal_dir(out / "patient_triage")
    results_dir = tmp_path / "results"
    run = ev.run(config.from_dict(ev.EvaluateConfig, {
        "data_dir": str(workspace["data"]), "output_dir": str(out), "results_dir": str(results_dir),
        "adapter": "patient_triage", "num_samples": 0, "mcq_max_items": 1}))
    written = json.loads((results_dir / "patient_triage" / ev.RESULTS_FILE).read_text())
    assert written["adapter_dir"] == str(out / "patient_triage")
    assert run["results_files"]["patient_triage"] == str(results_dir / "patient_triage" / ev.RESULTS_FILE)
    assert not (out / "patient_triage" / ev.RESULTS_FILE).exists()


def test_loop_guard_finds_a_repeated_tail_but_not_a_doubled_word():
    assert ev.repeated_tail([5, 6, 7, 8, 9] + [1, 2, 3, 4] * 3) == 4
    assert ev.repeated_tail([1, 2, 3, 4] * 2) == 0  # twice is not a loop
    assert ev.repeated_tail([9, 7, 7, 7]) == 0  # a short run of one token is not either
    assert ev.repeated_tail([7] * 12) == 1
    assert ev.repeated_tail(list(range(40))) == 0


def test_wilson_interval_is_wide_at_eight_items_and_bounded():
    lo, hi = ev.wilson_interval(4, 8)
    assert lo < 0.5 < hi and hi - lo > 0.5  # 8 items: half right is anything from ~22% to ~78%
    assert ev.wilson_interval(0, 8)[0] == 0.0 and ev.wilson_interval(8, 8)[1] == 1.0
    lo, hi = ev.wilson_interval(500, 1000)
    assert abs(lo - 0.469) < 0.001 and abs(hi - 0.531) < 0.001
    assert ev.wilson_interval(0, 0) is None
