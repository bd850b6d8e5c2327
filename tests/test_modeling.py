"""Base models: builtin:tiny, local and s3:// directories, pickle refusal, pad != eos, precision."""

import shutil
import warnings
from pathlib import Path

import pytest
import torch

from imi_lib.training import modeling, tiny
from imi_lib.core import storage
from imi_lib.core.errors import UserError

PROBE = torch.tensor([[1, 30, 31, 32, 33, 2]])


@pytest.fixture(scope="module")
def tiny_dir() -> Path:
    return Path(modeling.resolve_base_model(tiny.TINY_NAME).path)


def _logits(src) -> torch.Tensor:
    tok = modeling.load_tokenizer(src)
    model = modeling.load_model(src, "full", tokenizer=tok)
    model.eval()
    with torch.no_grad():
        return model(input_ids=PROBE).logits


def test_tiny_builds_the_same_files_twice(tmp_path, tiny_dir):
    tiny.build_tiny(tmp_path / "a")
    tiny.build_tiny(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert {"config.json", "model.safetensors", "tokenizer.json", "imi_builtin.json"} <= set(names)
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    # and the cached copy is that same build
    assert (tiny_dir / "model.safetensors").read_bytes() == (tmp_path / "a" / "model.safetensors").read_bytes()


def test_tiny_tokenizer_has_distinct_specials(tiny_dir):
    tok = modeling.load_tokenizer(modeling.resolve_base_model(tiny.TINY_NAME))
    ids = {tok.pad_token_id, tok.bos_token_id, tok.eos_token_id, tok.unk_token_id}
    assert None not in ids and len(ids) == 4
    assert tok.padding_side == "right"


def test_local_directory_loads_like_the_builtin(tmp_path, tiny_dir):
    local = tmp_path / "my-model"
    shutil.copytree(tiny_dir, local)
    src = modeling.resolve_base_model(str(local))
    assert (src.kind, src.path) == ("local", str(local))
    torch.testing.assert_close(_logits(src), _logits(modeling.resolve_base_model(tiny.TINY_NAME)))


def test_pickle_only_directory_is_refused(tmp_path, tiny_dir):
    d = tmp_path / "pickled"
    d.mkdir()
    shutil.copy(tiny_dir / "config.json", d)
    (d / "pytorch_model.bin").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(UserError, match=r"only pickle weights .* can run arbitrary code"):
        modeling.resolve_base_model(str(d))
    (d / "pytorch_model.bin").unlink()
    with pytest.raises(UserError, match=r"no \*\.safetensors weights"):
        modeling.resolve_base_model(str(d))
    with pytest.raises(UserError, match="no config.json"):
        modeling.resolve_base_model(str(tmp_path))


def test_missing_pad_token_never_becomes_eos(tmp_path, tiny_dir):
    """The Llama-2 trap: a tokenizer without pad gets unk as pad, or a new <pad>, never eos."""
    from transformers import AutoTokenizer

    base = AutoTokenizer.from_pretrained(str(tiny_dir))
    # like Llama-2: no pad token, unk present
    d1 = tmp_path / "no-pad"
    shutil.copytree(tiny_dir, d1)
    tok = AutoTokenizer.from_pretrained(str(d1))
    tok.pad_token = None
    tok.save_pretrained(str(d1))
    loaded = modeling.load_tokenizer(modeling.resolve_base_model(str(d1)))
    assert loaded.pad_token_id == base.unk_token_id != loaded.eos_token_id
    # pad set to eos (the common bad fix) and no unk: a <pad> token is added instead
    d2 = tmp_path / "pad-is-eos"
    shutil.copytree(tiny_dir, d2)
    tok = AutoTokenizer.from_pretrained(str(d2))
    tok.pad_token, tok.unk_token = tok.eos_token, None
    tok.save_pretrained(str(d2))
    src = modeling.resolve_base_model(str(d2))
    loaded = modeling.load_tokenizer(src)
    assert loaded.pad_token == "<pad>" and loaded.pad_token_id != loaded.eos_token_id
    model = modeling.load_model(src, "full", tokenizer=loaded)
    assert model.get_input_embeddings().num_embeddings >= len(loaded)
    assert model.config.pad_token_id == model.generation_config.pad_token_id == loaded.pad_token_id


def test_s3_base_model_is_downloaded_once_into_the_cache(s3_env, tmp_path, monkeypatch, tiny_dir):
    uri = f"{s3_env}/models/tiny"
    storage.upload_tree(tiny_dir, uri)
    monkeypatch.setenv("IMI_CACHE_DIR", str(tmp_path / "cache"))
    downloads = []
    real = storage.download_tree
    monkeypatch.setattr(storage, "download_tree", lambda *a, **k: downloads.append(a[0]) or real(*a, **k))
    src = modeling.resolve_base_model(uri)
    assert src.kind == "s3" and Path(src.path).is_relative_to(tmp_path / "cache")
    again = modeling.resolve_base_model(uri)
    assert again.path == src.path and downloads == [uri]
    torch.testing.assert_close(_logits(src), _logits(modeling.resolve_base_model(str(tiny_dir))))


def test_hub_ids_get_pinned_revisions_and_fail_clearly_offline(monkeypatch):
    src = modeling.resolve_base_model("epfl-llm/meditron-7b")
    # unpinned (no verified sha): resolved from the hub when it answers; offline here, so none yet
    assert src.kind == "hub" and src.revision is None and "epfl-llm/meditron-7b" not in modeling.PINNED_REVISIONS
    assert modeling.resolve_base_model("org/model@abc123").revision == "abc123"
    with pytest.raises(UserError, match="not a local directory, an s3:// prefix"):
        modeling.resolve_base_model("no/such/thing")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UserError, match="builtin:tiny"):
        modeling.load_tokenizer(src)


def test_precision_resolution_and_one_warning_fallback(monkeypatch):
    assert modeling.resolve_precision("full") == "full"
    if not torch.cuda.is_available():
        assert modeling.resolve_precision("auto") == "full"  # 4-bit only pays off on CUDA
    assert modeling.resolve_precision("4bit") == "4bit"  # bitsandbytes quantizes on this CPU
    assert modeling.resolve_precision("8bit") == "8bit"
    with pytest.raises(UserError, match="choose one of"):
        modeling.resolve_precision("2bit")
    monkeypatch.setattr(modeling, "can_quantize", lambda: (False, "bitsandbytes unavailable (test)"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert modeling.resolve_precision("4bit") == "full"
        assert modeling.resolve_precision("auto") == "full"
    assert [str(w.message) for w in caught] == [
        "4bit quantization is not available here: bitsandbytes unavailable (test); training in full precision instead"]


def test_memory_estimate_grows_with_rows_and_checkpointing_saves_most_of_it():
    import json

    cfg = json.loads((Path(modeling.resolve_base_model("builtin:tiny").path) / "config.json").read_text())
    smol = {"hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30, "num_attention_heads": 9,
            "num_key_value_heads": 3, "vocab_size": 49152, "tie_word_embeddings": True}
    est = lambda c, seq, gc: modeling.estimate_training_bytes(  # noqa: E731
        c, precision="full", max_seq_length=seq, batch_size=4, gradient_checkpointing=gc)
    assert est(smol, 512, False) < est(smol, 1024, False) < est(smol, 2048, False)
    assert est(smol, 2048, True) < est(smol, 2048, False) / 2.5
    # measured peaks (benchmarks/bench_memory.py, CPU, fp32, batch 4): never below, at most 1.4x above
    for seq, gc, measured_gb in ((512, False, 6.17), (512, True, 1.41), (1024, True, 1.70), (2048, True, 2.31)):
        assert measured_gb <= est(smol, seq, gc) / modeling.GIB <= measured_gb * 1.4, (seq, gc)
    assert est(cfg, 512, False) < 2 * modeling.GIB


def test_memory_plan_turns_checkpointing_on_or_stops_with_the_flags_that_fit(tmp_path):
    src = modeling.ModelSource("builtin:smollm2", str(tmp_path), None, "builtin")
    (tmp_path / "config.json").write_text(
        '{"hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30, "num_attention_heads": 9, '
        '"num_key_value_heads": 3, "vocab_size": 49152, "tie_word_embeddings": true}')
    kw = dict(precision="full", max_seq_length=2048, batch_size=4)
    roomy = modeling.plan_training_memory(src, gradient_checkpointing=None, available=64 * modeling.GIB, **kw)
    assert not roomy.gradient_checkpointing
    short = modeling.plan_training_memory(src, gradient_checkpointing=None, available=12 * modeling.GIB, **kw)
    assert short.gradient_checkpointing
    just = modeling.plan_training_memory(src, gradient_checkpointing=None, available=int(roomy.needed * 1.05), **kw)
    assert not just.gradient_checkpointing  # fits without it: the faster path
    with pytest.raises(UserError) as err:
        modeling.plan_training_memory(src, gradient_checkpointing=False, available=12 * modeling.GIB, **kw)
    assert "\n" not in str(err.value) and "try --gradient-checkpointing" in str(err.value)
    with pytest.raises(UserError) as err:
        modeling.plan_training_memory(src, gradient_checkpointing=None, available=int(2.5 * modeling.GIB), **kw)
    msg = str(err.value)
    assert "\n" not in msg and "--max-seq-length" in msg and "--batch-size" in msg
    # what it suggests does fit
    flags = msg.split("try ", 1)[1].split(" or ")[0].split()
    seq, batch = int(flags[flags.index("--max-seq-length") + 1]), int(flags[flags.index("--batch-size") + 1])
    assert modeling.plan_training_memory(src, precision="full", max_seq_length=seq, batch_size=batch,
                                         gradient_checkpointing=True, available=int(2.5 * modeling.GIB))
    hub = modeling.resolve_base_model("epfl-llm/meditron-7b")
    assert modeling.plan_training_memory(hub, gradient_checkpointing=None, **kw) is None


def test_bitsandbytes_kernel_hub_warning_is_dropped_and_nothing_else(caplog):
    import logging

    bnb_log = logging.getLogger("bitsandbytes.backends.cpu.ops")
    with caplog.at_level(logging.WARNING):
        bnb_log.warning(modeling.BNB_KERNELS_WARNING + ": %s. Please make sure you already `pip install kernels`",
                        "offline")
        bnb_log.warning("some other bitsandbytes warning")
    assert [r.getMessage() for r in caplog.records] == ["some other bitsandbytes warning"]
