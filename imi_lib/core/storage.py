"""One storage layer for every stage: a local path or an `s3://bucket/prefix` URI.

boto3 takes the endpoint from the standard `AWS_ENDPOINT_URL` and the
credentials from the standard AWS variables (on a cluster they come from a
Kubernetes Secret). SeaweedFS, MinIO and AWS S3 all work.

Guarantees:
- Writes are complete-or-absent. A single object is written with one PUT (S3)
  or a temp file + rename (local). Every directory a stage writes goes through
  `publish_dir` (the publication protocol, docs/integrity.md): built aside,
  made visible in one step, with a marker (`_IMI_COMPLETE.json`) listing every
  file's size and sha256.
- Readers verify: `require_complete` / `open_verified` refuse a directory the
  marker does not vouch for, in one line naming the command that rebuilds it.
- `upload_tree`/`download_tree` (files first, manifest last) stay for trees
  that have their own protocol (checkpoints); `download_tree` follows a
  versioned marker.
- S3 keys with `.` or `..` segments are refused everywhere (`split_s3`).
"""

from __future__ import annotations

from imi_lib.core.errors import UserError, describe_os_error

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

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
    check_s3_key(uri, key)
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
        try:
            with _explain(uri):
                return s3_client().get_object(Bucket=bucket, Key=key)["Body"].read()
        except FileNotFoundError:
            resolved = _resolve_published(uri)
            if resolved is None:
                raise
            with _explain(uri):
                return s3_client().get_object(Bucket=bucket, Key=resolved)["Body"].read()
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
            return _resolve_published(uri) is not None
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
        if MANIFEST in out and any(r.startswith(VERSIONS_DIR + "/") for r in out):
            # a published directory: its files are the ones its marker names (plus what the marker
            # does not cover, such as checkpoints/), not every version's
            marker, _ = _read_marker_s3(uri)
            if marker and marker.get("version"):
                rest = [r for r in out if not r.startswith(VERSIONS_DIR + "/")]
                return sorted(set(rest) | set(marker.get("files", {})))
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
        if is_s3(uri) and manifest.get("version"):  # a published directory: its files live in their version
            with _local_errors(uri):
                _download_verified_s3(uri, manifest, local_dir, rebuild=manifest.get("rebuild") or "")
            return local_dir
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


# ---- the publication protocol -----------------------------------------------
# docs/integrity.md explains it; in short:
#   writer: `with publish_dir(uri, stage=..., rebuild=...) as d:` write into d; on success the
#           whole directory becomes visible in one step, with a marker listing every file's sha256.
#   reader: `require_complete(uri, rebuild=...)` / `with open_verified(uri, rebuild=...) as d:`
#           refuse anything the marker does not vouch for, in one line naming the command that rebuilds it.

VERSIONS_DIR = ".imi-versions"  # s3 only: <uri>/.imi-versions/<version>/... holds each run's immutable files
MARKER_FORMAT = 1
# directories inside an output that belong to another protocol (checkpoints have their own markers):
# not listed in the marker, carried over from the previous output, and ignored by readers
CARRIED = ("checkpoints",)
# s3 versions that no marker names are removed once older than this (a killed run's leftovers);
# younger ones may be a concurrent writer's upload in progress
STALE_VERSION_SECONDS = 3600
_STAGING_TAG = ".imi-staging-"


class IncompleteOutput(StorageError):
    """A directory a reader needs is missing, incomplete or does not match its marker."""


def check_s3_key(uri: str, key: str) -> None:
    """Refuse `.`/`..` segments: S3 keeps them literally, other tools resolve them, so they escape prefixes."""
    if any(part in (".", "..") for part in key.split("/")):
        raise StorageError(f"{uri}: an s3 key may not contain '.' or '..' segments")


def _marker_files(root: Path, carried: tuple[str, ...]) -> dict:
    files = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if rel.parts[0] in carried or p.name == MANIFEST or not p.is_file():
            continue
        files[rel.as_posix()] = {"size": p.stat().st_size, "sha256": sha256_file(p)}
    return files


def _new_version() -> str:
    import secrets
    import time

    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(4)


@contextlib.contextmanager
def _local_errors(uri: str) -> Iterator[None]:
    """OSErrors a user can act on (disk full, no permission, read-only) as one StorageError line."""
    try:
        yield
    except OSError as e:
        line = describe_os_error(e)
        if line is None:
            raise
        raise StorageError(f"{uri}: {line}; the previous output is untouched") from None


@contextlib.contextmanager
def publish_dir(uri: str | os.PathLike, *, stage: str, rebuild: str, update: bool = False,
                carried: tuple[str, ...] = CARRIED) -> Iterator[Path]:
    """Build the new content of directory `uri` in a local staging directory; publish it in one step.

    On success the staging directory gets a marker (`_IMI_COMPLETE.json`: every
    file's size and sha256, the stage, the command that rebuilds it) and
    replaces `uri` whole: locally by an atomic directory exchange, on s3 by
    uploading into a new immutable prefix `uri/.imi-versions/<version>/` and
    then writing the marker, which names that version, with one PUT.
    On any failure (an exception, a kill) `uri` keeps its previous complete
    content and the staging files are removed (after a kill: by the next publish).

    `update=True` starts the staging directory from the current complete
    content (evaluate adds its results beside an adapter). `carried`
    sub-directories (checkpoints) are not part of the marker and move over
    from the previous directory unchanged.
    """
    uri = str(uri)
    if is_s3(uri):
        with _publish_s3(uri, stage=stage, rebuild=rebuild, update=update) as d:
            yield d
        return
    with _publish_local(Path(uri), stage=stage, rebuild=rebuild, update=update, carried=carried) as d:
        yield d


def _marker(root: Path, *, stage: str, rebuild: str, carried: tuple[str, ...], version: str | None) -> dict:
    import time

    return {"format": MARKER_FORMAT, "stage": stage, "rebuild": rebuild, "version": version,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": _marker_files(root, carried)}


# -- local ------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_RENAME_NOREPLACE = 1
_renameat2 = None


def _rename2(src: Path, dst: Path, flags: int) -> bool:
    """renameat2(2) through libc; False where the system or file system lacks it."""
    global _renameat2
    import ctypes
    import errno

    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fn = libc.renameat2
            fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            _renameat2 = fn
        except (OSError, AttributeError):
            _renameat2 = False
    if _renameat2 is False:
        return False
    at_fdcwd = -100
    if _renameat2(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(dst))


def _swap_into_place(staging: Path, target: Path) -> Path | None:
    """Make `staging` appear at `target` in one step; return where the previous directory went (or None)."""
    import errno

    for _ in range(100):
        if target.exists() or target.is_symlink():
            try:
                if _rename2(staging, target, _RENAME_EXCHANGE):
                    return staging  # the old directory is now at the staging path
            except FileNotFoundError:
                continue  # removed meanwhile: publish as new
            # no exchange on this file system: two renames; between them `target` is briefly absent
            # (a reader then sees "absent", never a mix)
            old = staging.with_name(staging.name + ".old")
            os.rename(target, old)
            os.rename(staging, target)
            return old
        try:
            if _rename2(staging, target, _RENAME_NOREPLACE):
                return None
            os.rename(staging, target)  # fails if a non-empty directory appeared meanwhile
            return None
        except OSError as e:
            if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    raise StorageError(f"{target}: could not publish (it kept changing under a concurrent writer)")


def _clean_stale_staging(parent: Path, name: str) -> None:
    """Remove staging directories whose writer died (its lock is free)."""
    import fcntl

    prefix = f".{name}{_STAGING_TAG}"
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for lock in entries:
        if not (lock.name.startswith(prefix) and lock.name.endswith(".lock")):
            continue
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # its writer is alive
        try:
            base = lock.name[:-len(".lock")]
            for leftover in (parent / base, parent / (base + ".old")):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _publish_local(target: Path, *, stage: str, rebuild: str, update: bool,
                   carried: tuple[str, ...]) -> Iterator[Path]:
    import fcntl
    import secrets

    uri = str(target)
    with _local_errors(uri):
        if target.exists() and not target.is_dir():
            raise StorageError(f"{uri}: exists and is not a directory")
        parent = target.parent
        parent.mkdir(parents=True, exist_ok=True)
        _clean_stale_staging(parent, target.name)
        base = f".{target.name}{_STAGING_TAG}{os.getpid()}-{secrets.token_hex(4)}"
        staging, lock = parent / base, parent / (base + ".lock")
        lock_fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(lock_fd, fcntl.LOCK_EX)  # held until we finish: the next publish knows we are alive
    try:
        with _local_errors(uri):
            staging.mkdir()
            if update and target.is_dir():
                require_complete(uri, rebuild=rebuild)
                _link_tree(target, staging, carried)
        with _local_errors(uri):  # the stage's own writes: a full disk is one line too
            yield staging
        with _local_errors(uri):
            marker = _marker(staging, stage=stage, rebuild=rebuild, carried=carried, version=None)
            _write_marker_local(staging / MANIFEST, marker)
            if target.is_dir():
                for name in carried:
                    if (target / name).exists() and not (staging / name).exists():
                        os.rename(target / name, staging / name)
            old = _swap_into_place(staging, target)
            fsync_dir(parent)
            if old is not None:
                # the old marker goes first: whatever is left of the old tree vouches for nothing
                (old / MANIFEST).unlink(missing_ok=True)
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(staging.with_name(staging.name + ".old"), ignore_errors=True)
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(lock_fd)


def _link_tree(src: Path, dst: Path, carried: tuple[str, ...]) -> None:
    """Hard links (copies across devices) of src's files in dst; writers replace files, never edit them."""
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if rel.parts[0] in carried or p.name == MANIFEST or not p.is_file():
            continue
        out = dst / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(p, out)
        except OSError:
            shutil.copy2(p, out)


def _write_marker_local(path: Path, marker: dict) -> None:
    data = json.dumps(marker, indent=1, sort_keys=True).encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- s3 ---------------------------------------------------------------------------

def _read_marker_s3(uri: str) -> tuple[dict | None, str | None]:
    """(marker, its ETag) of an s3 directory, or (None, None) when it has none."""
    bucket, key = split_s3(uri)
    mkey = f"{key.rstrip('/')}/{MANIFEST}" if key.rstrip("/") else MANIFEST
    try:
        with _explain(uri):
            obj = s3_client().get_object(Bucket=bucket, Key=mkey)
            body = obj["Body"].read()
    except FileNotFoundError:
        return None, None
    try:
        return json.loads(body), obj.get("ETag")
    except ValueError:
        raise IncompleteOutput(f"{uri}: {MANIFEST} is not valid JSON") from None


def _version_prefix(key: str, version: str) -> str:
    key = key.rstrip("/")
    return f"{key}/{VERSIONS_DIR}/{version}" if key else f"{VERSIONS_DIR}/{version}"


def _file_key(key: str, marker: dict | None, rel: str) -> str:
    """Where a file the marker lists lives: in its version's prefix, or (flat markers) beside the marker."""
    version = (marker or {}).get("version")
    base = _version_prefix(key, version) if version else key.rstrip("/")
    return f"{base}/{rel}" if base else rel


@contextlib.contextmanager
def _publish_s3(uri: str, *, stage: str, rebuild: str, update: bool) -> Iterator[Path]:
    bucket, key = split_s3(uri)
    with tempfile.TemporaryDirectory(prefix="imi-publish-") as tmp:
        staging = Path(tmp)
        with _local_errors(uri):
            if update:
                old, _ = _read_marker_s3(uri)
                if old is not None:
                    _download_verified_s3(uri, old, staging, rebuild=rebuild)
        with _local_errors(uri):
            yield staging
        version = _new_version()
        with _local_errors(uri):
            marker = _marker(staging, stage=stage, rebuild=rebuild, carried=(), version=version)
        client = s3_client()
        prefix = _version_prefix(key, version)
        uploaded: list[str] = []
        try:
            with _explain(uri):
                old, _ = _read_marker_s3(uri)
                for rel in marker["files"]:
                    client.upload_file(str(staging / rel), bucket, f"{prefix}/{rel}")
                    uploaded.append(f"{prefix}/{rel}")
                # one PUT switches readers from the old version to the new one
                client.put_object(Bucket=bucket, Key=f"{key.rstrip('/')}/{MANIFEST}" if key.rstrip("/") else MANIFEST,
                                  Body=json.dumps(marker, indent=1, sort_keys=True).encode("utf-8"))
        except BaseException as e:
            with contextlib.suppress(Exception):
                _delete_keys(bucket, uploaded)
            if isinstance(e, StorageError):
                raise StorageError(f"{e}; the previous output is untouched") from None
            raise
        with contextlib.suppress(Exception):  # garbage collection is best effort: a failure costs space only
            _collect_garbage_s3(uri, marker, old)


def _delete_keys(bucket: str, keys: list[str]) -> None:
    client = s3_client()
    for i in range(0, len(keys), 1000):
        batch = keys[i:i + 1000]
        if batch:
            client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})


def _collect_garbage_s3(uri: str, current: dict, previous: dict | None) -> None:
    """Remove the version the marker no longer names, flat files of an old flat marker, and stale versions."""
    import datetime

    bucket, key = split_s3(uri)
    base = f"{key.rstrip('/')}/{VERSIONS_DIR}/" if key.rstrip("/") else f"{VERSIONS_DIR}/"
    now = datetime.datetime.now(datetime.timezone.utc)
    doomed = []
    keep = current["version"]
    replaced = (previous or {}).get("version")
    pages = s3_client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=base)
    for page in pages:
        for obj in page.get("Contents", []):
            version = obj["Key"][len(base):].split("/", 1)[0]
            if version == keep:
                continue
            if version == replaced or (now - obj["LastModified"]).total_seconds() > STALE_VERSION_SECONDS:
                doomed.append(obj["Key"])
    if previous is not None and not previous.get("version"):
        doomed += [_file_key(key, previous, rel) for rel in previous.get("files", {}) if rel not in current["files"]]
    _delete_keys(bucket, doomed)


def _download_verified_s3(uri: str, marker: dict, local: Path, *, rebuild: str) -> None:
    bucket, key = split_s3(uri)
    client = s3_client()
    for rel, meta in marker.get("files", {}).items():
        _check_rel(uri, rel)
        target = local / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with _explain(uri):
                client.download_file(bucket, _file_key(key, marker, rel), str(target))
        except FileNotFoundError:
            raise IncompleteOutput(f"{uri}: {rel} is listed in {MANIFEST} but missing; "
                                   f"rebuild it with `{marker.get('rebuild') or rebuild}`") from None
        _check_file(uri, target, rel, meta, marker.get("rebuild") or rebuild)


# -- readers ----------------------------------------------------------------------

def _check_rel(uri: str, rel: str) -> None:
    if rel.startswith("/") or any(part in ("", ".", "..") for part in rel.split("/")):
        raise IncompleteOutput(f"{uri}: {MANIFEST} lists an unsafe path {rel!r}")


def _check_size(uri: str, path: Path, rel: str, meta: dict, rebuild: str) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IncompleteOutput(f"{uri}: {rel} is listed in {MANIFEST} but missing; rebuild it with `{rebuild}`") from None
    if size != meta.get("size"):
        raise _mismatch(uri, rel, rebuild)


def _mismatch(uri: str, rel: str, rebuild: str) -> IncompleteOutput:
    return IncompleteOutput(f"{uri}: {rel} does not match its sha256 in {MANIFEST} (changed or corrupted after it "
                            f"was written); rebuild it with `{rebuild}`")


def _check_file(uri: str, path: Path, rel: str, meta: dict, rebuild: str) -> None:
    _check_size(uri, path, rel, meta, rebuild)
    if sha256_file(path) != meta.get("sha256"):
        raise _mismatch(uri, rel, rebuild)


def confirm_sha256(uri: str | os.PathLike, marker: dict, rel: str, sha256: str, *, rebuild: str) -> None:
    """The second half of a `require_complete(deferred=...)`: the sha256 the caller computed of `rel`
    while reading it must be the marker's; else the same one-line IncompleteOutput."""
    if marker.get("files", {}).get(rel, {}).get("sha256") != sha256:
        raise _mismatch(str(uri), rel, marker.get("rebuild") or rebuild)


def _load_marker_local(uri: str, root: Path, rebuild: str) -> dict:
    path = root / MANIFEST
    try:
        marker = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise IncompleteOutput(f"{uri}: incomplete (no {MANIFEST}: the run that wrote it did not finish, or it was "
                               f"written by hand); rebuild it with `{rebuild}`") from None
    except ValueError:
        raise IncompleteOutput(f"{uri}: {MANIFEST} is not valid JSON; rebuild it with `{rebuild}`") from None
    if not isinstance(marker, dict) or not isinstance(marker.get("files"), dict):
        raise IncompleteOutput(f"{uri}: {MANIFEST} has no file list; rebuild it with `{rebuild}`")
    return marker


def require_complete(uri: str | os.PathLike, *, rebuild: str, carried: tuple[str, ...] = CARRIED,
                     deferred: "Callable[[str], bool] | None" = None) -> dict:
    """Check a local directory against its marker (every file's sha256, nothing extra); return the marker.

    For s3:// use `open_verified` (verifying an object means reading it).
    Raises IncompleteOutput with one line: the directory, what is wrong, the command that rebuilds it.
    `deferred(rel)` True: that file's size is checked here and its sha256 later, by a caller that reads
    it whole anyway and hashes it on the way (`confirm_sha256`), before anything made from it is published.
    """
    uri = str(uri)
    if is_s3(uri):
        with open_verified(uri, rebuild=rebuild):
            return _read_marker_s3(uri)[0] or {}
    root = Path(uri)
    if not root.is_dir():
        what = "is not a directory" if root.exists() else "does not exist"
        raise IncompleteOutput(f"{uri}: {what}; build it with `{rebuild}`")
    with _local_errors(uri):
        marker = _load_marker_local(uri, root, rebuild)
        rebuild = marker.get("rebuild") or rebuild
        listed = marker["files"]
        for rel, meta in listed.items():
            _check_rel(uri, rel)
            if deferred is not None and deferred(rel):
                _check_size(uri, root / rel, rel, meta, rebuild)
            else:
                _check_file(uri, root / rel, rel, meta, rebuild)
        for p in root.rglob("*"):
            rel = p.relative_to(root)
            if rel.parts[0] in carried or p.name == MANIFEST or p.is_dir():
                continue
            if rel.as_posix() not in listed:
                raise IncompleteOutput(f"{uri}: {rel.as_posix()} is not listed in {MANIFEST} (added after the "
                                       f"directory was written); remove it or rebuild with `{rebuild}`")
    return marker


@contextlib.contextmanager
def open_verified(uri: str | os.PathLike, *, rebuild: str, missing_ok: bool = False) -> Iterator[Path | None]:
    """A local directory with the verified complete content of `uri` (local: `uri` itself; s3: a temp copy).

    With `missing_ok`, a directory that does not exist at all yields None
    (a stage input that is optional); one that exists but is incomplete is refused.
    """
    uri = str(uri)
    if not is_s3(uri):
        if missing_ok and not Path(uri).exists():
            yield None
            return
        require_complete(uri, rebuild=rebuild)
        yield Path(uri)
        return
    marker, _ = _read_marker_s3(uri)
    if marker is None:
        if missing_ok and not list_files(uri):
            yield None
            return
        raise IncompleteOutput(f"{uri}: incomplete (no {MANIFEST}: the run that wrote it did not finish); "
                               f"rebuild it with `{rebuild}`")
    if not isinstance(marker.get("files"), dict):
        raise IncompleteOutput(f"{uri}: {MANIFEST} has no file list; rebuild it with `{rebuild}`")
    with tempfile.TemporaryDirectory(prefix="imi-read-") as tmp:
        with _local_errors(uri):
            _download_verified_s3(uri, marker, Path(tmp), rebuild=rebuild)
        yield Path(tmp)


def read_verified_file(dir_uri: str | os.PathLike, rel: str, *, rebuild: str) -> bytes | None:
    """One file of a published directory, checked against the directory's marker; None if the marker does not list it.

    Cheaper than `open_verified` when a reader needs one file of many (train reads its adapter's split only).
    """
    dir_uri = str(dir_uri)
    if is_s3(dir_uri):
        marker, _ = _read_marker_s3(dir_uri)
        if marker is None:
            raise IncompleteOutput(f"{dir_uri}: incomplete (no {MANIFEST}: the run that wrote it did not finish); "
                                   f"rebuild it with `{rebuild}`")
    else:
        root = Path(dir_uri)
        if not root.is_dir():
            what = "is not a directory" if root.exists() else "does not exist"
            raise IncompleteOutput(f"{dir_uri}: {what}; build it with `{rebuild}`")
        marker = _load_marker_local(dir_uri, root, rebuild)
    rebuild = marker.get("rebuild") or rebuild
    meta = marker.get("files", {}).get(rel)
    if meta is None:
        return None
    if is_s3(dir_uri):
        bucket, key = split_s3(dir_uri)
        try:
            with _explain(dir_uri):
                data = s3_client().get_object(Bucket=bucket, Key=_file_key(key, marker, rel))["Body"].read()
        except FileNotFoundError:
            raise IncompleteOutput(f"{dir_uri}: {rel} is listed in {MANIFEST} but missing; "
                                   f"rebuild it with `{rebuild}`") from None
    else:
        try:
            data = (Path(dir_uri) / rel).read_bytes()
        except FileNotFoundError:
            raise IncompleteOutput(f"{dir_uri}: {rel} is listed in {MANIFEST} but missing; "
                                   f"rebuild it with `{rebuild}`") from None
    if len(data) != meta.get("size") or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        raise IncompleteOutput(f"{dir_uri}: {rel} does not match its sha256 in {MANIFEST} (changed or corrupted "
                               f"after it was written); rebuild it with `{rebuild}`")
    return data


# ---- read-modify-write of one small JSON object (the registry index) --------------

def update_json(uri: str | os.PathLike, mutate, *, attempts: int = 200) -> dict:
    """Apply `mutate(current dict or None) -> new dict` to a JSON object without losing a concurrent update.

    Locally under an exclusive flock on a sibling lock file (the write itself is
    temp file + rename); on s3 with conditional writes (`If-Match` the ETag
    read, or `If-None-Match: *` when the object is new), retried with
    jittered backoff when another writer got there first.
    """
    import random
    import time

    uri = str(uri)
    if not is_s3(uri):
        import fcntl

        path = Path(uri)
        with _local_errors(uri):
            path.parent.mkdir(parents=True, exist_ok=True)
            # the lock is the directory's own (no lock file left beside the object)
            fd = os.open(path.parent, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                current = _parse_json(uri, path.read_bytes()) if path.exists() else None
                new = mutate(current)
                write_text(path, json.dumps(new, indent=2, sort_keys=True) + "\n")
            finally:
                os.close(fd)
        return new
    from botocore.exceptions import ClientError

    bucket, key = split_s3(uri)
    client = s3_client()
    for attempt in range(attempts):
        etag = None
        try:
            with _explain(uri):
                obj = client.get_object(Bucket=bucket, Key=key)
                current, etag = _parse_json(uri, obj["Body"].read()), obj["ETag"]
        except FileNotFoundError:
            current = None
        new = mutate(current)
        body = (json.dumps(new, indent=2, sort_keys=True) + "\n").encode("utf-8")
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            client.put_object(Bucket=bucket, Key=key, Body=body, **condition)
            return new
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code not in ("PreconditionFailed", "412", "ConditionalRequestConflict", "409"):
                with _explain(uri):
                    raise
        time.sleep(random.uniform(0, min(2.0, 0.02 * 2 ** min(attempt, 7))))
    raise StorageError(f"{uri}: gave up after {attempts} concurrent-update conflicts")


def _parse_json(uri: str, data: bytes):
    try:
        return json.loads(data)
    except ValueError as e:
        raise StorageError(f"{uri}: not valid JSON ({e}); fix or remove it") from None


def _resolve_published(uri: str, levels: int = 4) -> str | None:
    """The key an s3 file path has inside the current version of a published directory above it, or None.

    `s3://b/d/final/x.json` is not an object when final/ is a published
    directory: its marker names a version and the file lives under
    `final/.imi-versions/<version>/x.json`. Only asked after a miss.
    """
    bucket, key = split_s3(uri)
    parts = key.rstrip("/").split("/")
    for cut in range(len(parts) - 1, max(0, len(parts) - 1 - levels), -1):
        base, rel = "/".join(parts[:cut]), "/".join(parts[cut:])
        marker, _ = _read_marker_s3(f"s3://{bucket}/{base}" if base else f"s3://{bucket}")
        if marker is not None:
            if marker.get("version") and rel in marker.get("files", {}):
                return _file_key(base, marker, rel)
            return None
    return None


def seal_dir(path: str | os.PathLike, *, stage: str = "by hand", rebuild: str = "rebuild it by hand and seal it again",
             carried: tuple[str, ...] = CARRIED) -> dict:
    """Vouch for a local directory assembled outside the stages (records written by hand or by another tool).

    Writes its marker (every file's sha256) so readers accept it; from then on
    any change to it is refused like a change to a stage's output. Returns the marker.
    """
    root = Path(path)
    if not root.is_dir():
        raise StorageError(f"{root}: not a directory")
    with _local_errors(str(root)):
        marker = _marker(root, stage=stage, rebuild=rebuild, carried=carried, version=None)
        write_bytes(root / MANIFEST, json.dumps(marker, indent=1, sort_keys=True).encode("utf-8"))
    return marker
