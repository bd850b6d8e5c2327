"""The example configs in configs/ load as typed configs and start with the command that runs them."""

from pathlib import Path

import pytest

from imi_lib.core import config
from imi_lib.training.train import TrainConfig

CONFIGS = sorted((Path(__file__).resolve().parents[1] / "configs").glob("*.yaml"))


def test_there_are_example_configs():
    assert len(CONFIGS) >= 2


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_example_config_is_valid_and_documents_its_command(path):
    first = path.read_text().splitlines()[0]
    assert first.startswith("# imi train --config configs/" + path.name)
    cfg = config.from_dict(TrainConfig, config.load_yaml(path))  # unknown keys would raise
    assert cfg.base_model
