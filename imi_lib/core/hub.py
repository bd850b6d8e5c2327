"""The Hugging Face hub, as IMI Train meets it: access errors, revisions, and the REST calls `imi doctor` makes.

Gated and private repositories. Meditron and many medical models and datasets
sit behind an access agreement; organisations keep private datasets on the
hub. The token reaches the tasks as HF_TOKEN (the optional Secret
`imi-hf-token`, manifests/base/hf-token-secret.yaml), which huggingface_hub
reads itself; nothing here ever prints or stores it. When the hub answers 401
or 403, `access_message` turns the library's long error into one line that
says what to do.

Revisions. A repository pinned in the code (imi_lib.data.sources, the model
table in imi_lib.training.modeling) loads at that commit; one left unpinned is
resolved to the commit `main` points at when the run starts
(`resolve_revision`), loaded at exactly that commit, and the sha is recorded in
the run's manifests. `imi doctor --checks revisions` (`make verify-revisions`)
asks the hub whether each pin exists.

The REST calls use the hub's public API (the endpoints HfApi().model_info /
dataset_info call), through urllib so that `imi doctor` can be pointed at
any endpoint ($HF_ENDPOINT) and tested against a fake.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_ENDPOINT = "https://huggingface.co"


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def repo_url(repo_id: str, repo_type: str = "model") -> str:
    """The page where a person accepts a gated repository's licence."""
    return f"{endpoint()}/{'datasets/' if repo_type == 'dataset' else ''}{repo_id}"


def token() -> str | None:
    """HF_TOKEN as huggingface_hub reads it (an empty value means anonymous)."""
    value = (os.environ.get("HF_TOKEN") or "").strip()
    return value or None


def _status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(exc, "code", None)
    return status if isinstance(status, int) else None


def access_message(exc: BaseException, repo_id: str, repo_type: str = "model") -> str | None:
    """One line for a 401/403 (gated, private or a bad token) anywhere in `exc`'s chain; None for other errors."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        name = type(exc).__name__
        status = _status_of(exc)
        text = str(exc)
        if name == "GatedRepoError" or status in (401, 403) or "gated repo" in text.lower():
            how = ("HF_TOKEN is set but the hub refused it (wrong token, or the licence not accepted for it)"
                   if token() else "HF_TOKEN is not set")
            return (f"the Hugging Face hub refused access to {repo_id} ({how}): accept the licence at "
                    f"{repo_url(repo_id, repo_type)} and set HF_TOKEN (on the cluster: the imi-hf-token Secret)")
        exc = exc.__cause__ or exc.__context__
    return None


def offline() -> bool:
    return (os.environ.get("HF_HUB_OFFLINE") or "").lower() in ("1", "true", "yes", "on")


class HubError(Exception):
    """A hub API call that did not answer 200: status (None when unreachable) and a short reason."""

    def __init__(self, status: int | None, reason: str):
        super().__init__(reason)
        self.status = status


def api_get(path: str, *, auth: str | None = None, timeout: float = 20, method: str = "GET") -> dict:
    """GET {endpoint}{path} (JSON) with an optional bearer token; HubError unless the answer is 200."""
    request = urllib.request.Request(endpoint() + path, method=method)
    if auth:
        request.add_header("Authorization", f"Bearer {auth}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return json.loads(body) if body and method == "GET" else {}
    except urllib.error.HTTPError as e:
        raise HubError(e.code, f"HTTP {e.code}") from None
    except (urllib.error.URLError, OSError) as e:
        raise HubError(None, f"unreachable ({getattr(e, 'reason', e)})") from None


def revision_info(repo_id: str, repo_type: str = "model", revision: str | None = None, *,
                  auth: str | None = None) -> dict:
    """The hub's info on a repository at `revision` (default main): includes `sha` and `gated`."""
    kind = "datasets" if repo_type == "dataset" else "models"
    path = f"/api/{kind}/{repo_id}"
    if revision:
        path += f"/revision/{urllib.parse.quote(revision, safe='')}"
    return api_get(path, auth=auth)


def can_download(repo_id: str, revision: str, filename: str, *, repo_type: str = "model",
                 auth: str | None = None) -> None:
    """HEAD one file at `revision`: the access check a gated repository applies to downloads (HubError if refused)."""
    prefix = "datasets/" if repo_type == "dataset" else ""
    api_get(f"/{prefix}{repo_id}/resolve/{revision}/{filename}", auth=auth, method="HEAD")


def resolve_revision(repo_id: str, repo_type: str = "model") -> str | None:
    """The commit sha `main` points at now, or None when offline or unreachable (the load then records what it got)."""
    if offline():
        return None
    try:
        return revision_info(repo_id, repo_type, auth=token()).get("sha")
    except HubError:
        return None
