"""imi_lib.core.hub: a hub 401/403 (gated or private repository) becomes one line that says what to do."""

from __future__ import annotations

import pytest

from imi_lib.core import hub
from imi_lib.core.errors import UserError


class _Response:
    def __init__(self, status_code: int):
        self.status_code = status_code


class FakeHubHTTPError(Exception):
    """Shaped like huggingface_hub's HfHubHTTPError: the HTTP response rides on the exception."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.response = _Response(status)


def wrapped(status: int) -> OSError:
    """transformers' way: an OSError raised from the hub's HTTP error."""
    try:
        try:
            raise FakeHubHTTPError(status, f"{status} Client Error. Cannot access gated repo for url ...")
        except FakeHubHTTPError as inner:
            raise OSError("You are trying to access a gated repo.\nMake sure to have access to it.") from inner
    except OSError as outer:
        return outer


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_become_one_line_with_the_licence_url_and_hf_token(status, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    message = hub.access_message(wrapped(status), "epfl-llm/meditron-7b")
    assert message == ("the Hugging Face hub refused access to epfl-llm/meditron-7b (HF_TOKEN is not set): "
                       "accept the licence at https://huggingface.co/epfl-llm/meditron-7b and set HF_TOKEN "
                       "(on the cluster: the imi-hf-token Secret)")


def test_a_refused_token_is_told_apart_from_a_missing_one_and_never_shown(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_CANARYhub000000000000000000000")
    message = hub.access_message(FakeHubHTTPError(403, "403 Forbidden"), "lavita/ChatDoctor-iCliniq", "dataset")
    assert "HF_TOKEN is set but the hub refused it" in message
    assert "https://huggingface.co/datasets/lavita/ChatDoctor-iCliniq" in message
    assert "CANARY" not in message


def test_other_errors_are_left_to_the_callers_message():
    assert hub.access_message(FakeHubHTTPError(404, "not found"), "x/y") is None
    assert hub.access_message(OSError("connection refused"), "x/y") is None


def test_model_loading_reports_a_gated_model_in_one_line(monkeypatch):
    from imi_lib.training import modeling

    monkeypatch.delenv("HF_TOKEN", raising=False)
    src = modeling.ModelSource("epfl-llm/meditron-7b", "epfl-llm/meditron-7b", None, "hub")
    message = modeling._load_error(src, wrapped(401))
    assert "\n" not in message and "accept the licence at" in message and message.endswith("imi-hf-token Secret)")


def test_collect_reports_a_gated_dataset_in_one_line(monkeypatch, tmp_path):
    import datasets

    from imi_lib.data import collect
    from imi_lib.data.sources import SOURCES

    def refuse(*args, **kwargs):
        raise wrapped(403)

    monkeypatch.setattr(datasets, "load_dataset", refuse)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(UserError) as info:
        collect.load_splits(SOURCES["icliniq"], mirror=None, cache_dir=str(tmp_path))
    assert str(info.value).startswith("the Hugging Face hub refused access to lavita/ChatDoctor-iCliniq")
    assert "/datasets/lavita/ChatDoctor-iCliniq and set HF_TOKEN" in str(info.value)
