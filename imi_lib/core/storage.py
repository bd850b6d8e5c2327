"""One storage layer for every stage: a local path or an `s3://bucket/prefix` URI.

boto3 takes the endpoint from the standard `AWS_ENDPOINT_URL` and the
credentials from the standard AWS variables (on a cluster they come from a
Kubernetes Secret). SeaweedFS, MinIO and AWS S3 all work.

Guarantees:
- Writes are complete-or-absent. A single object is written with one PUT (S3)
  or a temp file + rename (local). A tree is uploaded file by file and then a
  manifest (`_IMI_COMPLETE.json`, with every file's size and sha256) is
  written last; a reader that finds no manifest treats the tree as absent.
- Reads of a tree that has a manifest verify every file's checksum.
"""

from __future__ import annotations

from imi_lib.core.errors import UserError

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

MANIFEST = "_IMI_COMPLETE.json"


class StorageError(UserError, RuntimeError):
    """A storage problem explained for a user (bad URI, missing object, no access)."""


def is_s3(uri: str | os.PathLike) -> bool:
    return str(uri).startswith("s3://")


def split_s3(uri: str) -> tuple[str, str]:
    if not is_s3(uri):
        raise StorageError(f"not an s3:// URI: {uri}")
    rest = uri[len("s3://"):]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise StorageError(f"s3 URI has no bucket: {uri}")
    return bucket, key


def join(uri: str | os.PathLike, *parts: str) -> str:
    uri = str(uri)
    if is_s3(uri):
        out = uri.rstrip("/")
        for p in parts:
            out += "/" + str(p).strip("/")
        return out
    return str(Path(uri, *parts))


_client = None


def s3_client():
    """A boto3 S3 client; endpoint from AWS_ENDPOINT_URL, credentials from the AWS variables."""
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config

        style = os.environ.get("AWS_S3_ADDRESSING_STYLE", "path")
        # a fresh Session, not boto3's default one, which caches credentials
        _client = boto3.session.Session().client(
            "s3",
            config=Config(s3={"addressing_style": style}, retries={"max_attempts": 5, "mode": "standard"}),
        )
    return _client


def reset_client() -> None:
    """Forget the cached client (after the endpoint or credentials change)."""
    global _client
    _client = None


@contextlib.contextmanager
def _explain(uri: str) -> Iterator[None]:
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        yield
    except NoCredentialsError:
        raise StorageError(
            f"{uri}: no S3 credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(and AWS_ENDPOINT_URL for SeaweedFS/MinIO)"
        ) from None
    except ClientError as e:
        code = e.response.get("Error", {}).get("Code", "?")
        if code in ("404", "NoSuchKey", "NotFound"):
            raise FileNotFoundError(f"{uri}: no such object") from None
        if code == "NoSuchBucket":
            raise StorageError(f"{uri}: bucket does not exist") from None
        if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            raise StorageError(f"{uri}: access denied ({code}); check the S3 credentials") from None
        raise StorageError(f"{uri}: S3 error {code}: {e}") from None
    except BotoCoreError as e:
        raise StorageError(f"{uri}: cannot reach S3 endpoint {os.environ.get('AWS_ENDPOINT_URL', '(default)')}: {e}") from None


# ---- single objects -------------------------------------------------------

def read_bytes(uri: str | os.PathLike) -> bytes:
    uri = str(uri)
    if is_s3(uri):
        bucket, key = split_s3(uri)
        with _explain(uri):
            return s3_client().get_object(Bucket=bucket, Key=key)["Body"].read()
    return Path(uri).read_bytes()


def read_text(uri: str | os.PathLike) -> str:
    return read_bytes(uri).decode("utf-8")


def write_bytes(uri: str | os.PathLike, data: bytes) -> None:
    uri = str(uri)
    if is_s3(uri):
        bucket, key = split_s3(uri)
        with _explain(uri):
            s3_client().put_object(Bucket=bucket, Key=key, Body=data)
        return
    path = Path(uri)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def write_text(uri: str | os.PathLike, text: str) -> None:
    write_bytes(uri, text.encode("utf-8"))


def exists(uri: str | os.PathLike) -> bool:
    uri = str(uri)
    if is_s3(uri):
        bucket, key = split_s3(uri)
        try:
            with _explain(uri):
                s3_client().head_object(Bucket=bucket, Key=key)
            return True
        except FileNotFoundError:
            return False
    return Path(uri).exists()


def list_files(uri: str | os.PathLike) -> list[str]:
    """Relative paths of every file under a directory or prefix, sorted."""
    uri = str(uri)
    if is_s3(uri):
        bucket, key = split_s3(uri)
        prefix = key.rstrip("/") + "/" if key else ""
        out = []
        with _explain(uri):
            pages = s3_client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for page in pages:
                for obj in page.get("Contents", []):
                    out.append(obj["Key"][len(prefix):])
        return sorted(out)
    root = Path(uri)
    if not root.is_dir():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def fingerprint(uri: str | os.PathLike) -> str:
    """A hash of everything under a directory/prefix (or of one file): names, sizes and content.

    Pipeline tasks that read the outside world take it as an input, so KFP's
    cache (which sees only the URI string) reruns them exactly when the
    content changed. S3 objects count by their ETag, so no object is read.
    "" for an empty URI.
    """
    uri = str(uri)
    if not uri:
        return ""
    entries: list[tuple[str, int, str]] = []
    if is_s3(uri):
        bucket, key = split_s3(uri)
        prefix = key.rstrip("/") + "/" if key else ""
        with _explain(uri):
            pages = s3_client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for page in pages:
                for obj in page.get("Contents", []):
                    entries.append((obj["Key"][len(prefix):], obj["Size"], obj["ETag"].strip('"')))
        if not entries and key and not key.endswith("/") and exists(uri):  # a single object
            with _explain(uri):
                head = s3_client().head_object(Bucket=bucket, Key=key)
            entries.append(("", head["ContentLength"], head["ETag"].strip('"')))
    else:
        root = Path(uri)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in files:
            entries.append(("" if p == root else str(p.relative_to(root)), p.stat().st_size, sha256_file(p)))
    h = hashlib.sha256()
    for name, size, digest in sorted(entries):
        h.update(f"{name}\0{size}\0{digest}\n".encode("utf-8"))
    return h.hexdigest()


# ---- trees ----------------------------------------------------------------

def upload_tree(local_dir: str | os.PathLike, uri: str) -> dict:
    """Copy a local directory to `uri` (local or s3), manifest last. Returns the manifest."""
    local_dir = Path(local_dir)
    files = sorted(p for p in local_dir.rglob("*") if p.is_file() and p.name != MANIFEST)
    manifest = {"files": {}}
    for p in files:
        rel = str(p.relative_to(local_dir))
        manifest["files"][rel] = {"size": p.stat().st_size, "sha256": sha256_file(p)}
    if is_s3(uri):
        bucket, key = split_s3(uri)
        prefix = key.rstrip("/")
        client = s3_client()
        with _explain(uri):
            for p in files:
                rel = str(p.relative_to(local_dir))
                client.upload_file(str(p), bucket, f"{prefix}/{rel}" if prefix else rel)
    else:
        dest = Path(uri)
        if dest.resolve() != local_dir.resolve():
            for p in files:
                target = dest / p.relative_to(local_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, target)
    write_text(join(uri, MANIFEST), json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def is_complete(uri: str) -> bool:
    return exists(join(uri, MANIFEST))


def download_tree(uri: str, local_dir: str | os.PathLike, *, require_manifest: bool = False) -> Path:
    """Copy everything under `uri` into `local_dir`; verify checksums when a manifest exists."""
    local_dir = Path(local_dir)
    local_dir.mkdir(parents=True, exist_ok=True)
    rels = list_files(uri)
    manifest = None
    if MANIFEST in rels:
        manifest = json.loads(read_text(join(uri, MANIFEST)))
    elif require_manifest:
        raise StorageError(f"{uri}: incomplete (no {MANIFEST}); it was not fully written")
    if is_s3(uri):
        bucket, key = split_s3(uri)
        prefix = key.rstrip("/")
        client = s3_client()
        with _explain(uri):
            for rel in rels:
                target = local_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, f"{prefix}/{rel}" if prefix else rel, str(target))
    elif Path(uri).resolve() != local_dir.resolve():
        for rel in rels:
            target = local_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(uri) / rel, target)
    if manifest:
        for rel, meta in manifest["files"].items():
            p = local_dir / rel
            if not p.is_file():
                raise StorageError(f"{uri}: manifest lists {rel} but it is missing")
            if sha256_file(p) != meta["sha256"]:
                raise StorageError(f"{uri}: checksum mismatch for {rel}; the copy is corrupt")
    return local_dir


@contextlib.contextmanager
def local_dir_for(uri: str | os.PathLike, *, download: bool = True, upload: bool = False,
                  subdirs: tuple[str, ...] | None = None) -> Iterator[Path]:
    """A local directory standing for `uri`.

    A local path is yielded as it is. For `s3://`, the prefix (or only the
    given `subdirs` of it) is downloaded into a temp dir when `download`, and
    the temp dir is uploaded back when the block succeeds and `upload` is set.
    """
    uri = str(uri)
    if not is_s3(uri):
        p = Path(uri)
        if upload:
            p.mkdir(parents=True, exist_ok=True)
        yield p
        return
    with tempfile.TemporaryDirectory(prefix="imi-s3-") as tmp:
        tmp_path = Path(tmp)
        if download:
            for sub in subdirs or ("",):
                src = join(uri, sub) if sub else uri
                if list_files(src):
                    download_tree(src, tmp_path / sub if sub else tmp_path)
        yield tmp_path
        if upload:
            upload_tree(tmp_path, uri)
