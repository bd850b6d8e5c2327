"""`imi collect`: the guide's Step 1.1, open medical datasets as records.

Reads MedQA, MedMCQA, PubMedQA (pqa_labeled), ChatDoctor HealthCareMagic and
ChatDoctor iCliniq through `datasets.load_dataset`, either from the Hugging
Face hub at the revision pinned in `imi_lib.data.sources`, or from a mirror
(`--hub-mirror DIR`: `DIR/<hub id>/` laid out like the hub repo, local or
`s3://`). Writes, under D/raw/ (or --out-dir):

    <source>.jsonl              training records (JSON Lines, `Record`)
    eval/<set>.jsonl            evaluation items, never training data:
                                medqa_test, medmcqa_validation, pubmedqa_holdout
    quarantine.jsonl            rows that could not be mapped, with the reason
    collect_summary.json        rows read / written / quarantined / skipped, eval items
    collect_config.json         the effective configuration

A run replaces the whole directory of the previous one (a subset run with
--sources leaves only that subset), so D/raw always describes one run. The
directory is published complete-or-absent (`storage.publish_dir`): built
aside, made visible in one step with `_IMI_COMPLETE.json` listing every
file's sha256, which `imi prepare` verifies before it reads anything.
A mirror's columns are loaded with the types its files hold (not cast to the
types its README declares) and checked against the source's schema
(`sources.SCHEMAS`): a wrong type is quarantined with the reason.

    imi collect --hub-mirror imi_lib/sample_data/hub --data-dir data
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from imi_lib.core import config, storage
from imi_lib.core.errors import UserError
from imi_lib.core.records import InvalidRecord, RecordWriter, check_record, one_line, validate_eval_item
from imi_lib.data.sources import SOURCES, RowContext, SourceSpec, column_type_error, columns_to_check, resolve_sources
from imi_lib.core.summary import StageTimer, print_summary, write_summary

QUARANTINE_FILE = "quarantine.jsonl"
SUMMARY_FILE = "collect_summary.json"
CONFIG_FILE = "collect_config.json"
# rows per Arrow batch when iterating a split: big enough that per-batch costs vanish
BATCH_ROWS = 4096
# rows per shard of a big source when several workers collect (`shard_count`): MedMCQA in 3 and
# HealthCareMagic in 2 keep both cores busy to the end, and a shard costs little (a cached reload)
SHARD_ROWS = 80_000


@dataclass
class CollectConfig:
    data_dir: str = config.option("data", "data directory (local path or s3://bucket/prefix)")
    hub_mirror: str | None = config.option(
        None,
        "read each dataset from DIR/<hub id>/, a snapshot laid out like the hub repo "
        "(huggingface-cli download --repo-type dataset --local-dir DIR/<hub id> <hub id>); local or s3://. "
        "Without it the datasets are loaded from the Hugging Face hub at their pinned revisions",
        metavar="DIR",
    )
    sources: list[str] = config.option(
        default_factory=lambda: ["all"],
        help="comma list of sources to collect: all, or any of " + ", ".join(SOURCES),
        metavar="NAMES",
    )
    out_dir: str | None = config.option(None, "output directory (default: DATA_DIR/raw)")
    max_rows_per_source: int | None = config.option(
        None, "read at most N rows of each split of each source (quick runs)", metavar="N")
    workers: int = config.option(
        2, "parallel processes collecting the sources, big ones cut into row ranges (1 = all in this process); "
           "more than the CPU count does not help",
        metavar="N")


def record_files(raw_dir: str | Path) -> list[Path]:
    """The training-record files a collect run left in `raw_dir` (not the quarantine), in registry order."""
    return [p for p in (Path(raw_dir) / f"{n}.jsonl" for n in SOURCES) if p.is_file()]


def eval_files(raw_dir: str | Path) -> dict[str, Path]:
    """Eval set name -> file, for the eval sets present in `raw_dir`/eval."""
    sets = [s for spec in SOURCES.values() for s in spec.eval_sets]
    return {s: p for s in sets if (p := Path(raw_dir) / "eval" / f"{s}.jsonl").is_file()}


# ---- loading --------------------------------------------------------------

@contextlib.contextmanager
def hub_offline() -> Iterator[None]:
    """Forbid any Hugging Face hub traffic inside the block.

    The libraries read HF_HUB_OFFLINE when they are imported, so besides the
    environment (for anything imported later) the already-imported constants
    are switched too, and everything is restored afterwards.
    """
    import datasets.config as ds_config
    import huggingface_hub.constants as hub_constants

    saved_env = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")}
    saved = (hub_constants.HF_HUB_OFFLINE, ds_config.HF_HUB_OFFLINE, ds_config.HF_DATASETS_OFFLINE)
    os.environ["HF_HUB_OFFLINE"] = os.environ["HF_DATASETS_OFFLINE"] = "1"
    hub_constants.HF_HUB_OFFLINE = ds_config.HF_HUB_OFFLINE = ds_config.HF_DATASETS_OFFLINE = True
    try:
        yield
    finally:
        hub_constants.HF_HUB_OFFLINE, ds_config.HF_HUB_OFFLINE, ds_config.HF_DATASETS_OFFLINE = saved
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _quiet_datasets() -> Iterator[None]:
    # our own progress bar covers the rows; datasets' per-file bars are noise here
    import datasets

    was_disabled = datasets.utils.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


@contextlib.contextmanager
def mirror_root(hub_mirror: str | None, hub_ids: list[str]) -> Iterator[Path | None]:
    """The mirror as a local directory holding DIR/<hub id>/ for every id asked for.

    An s3:// mirror is downloaded, only the needed dataset directories, into a
    temporary directory that is removed afterwards.
    """
    if hub_mirror is None:
        yield None
        return
    if not storage.is_s3(hub_mirror):
        root = Path(hub_mirror)
        missing = [h for h in hub_ids if not (root / h).is_dir()]
        if missing:
            raise UserError(f"--hub-mirror {hub_mirror}: no snapshot for {', '.join(missing)} "
                            f"(expected {root / missing[0]}/ laid out like the hub repo)")
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="imi-mirror-") as tmp:
        root = Path(tmp)
        for hub_id in hub_ids:
            src = storage.join(hub_mirror, hub_id)
            if not storage.list_files(src):
                raise UserError(f"--hub-mirror {hub_mirror}: no snapshot for {hub_id} (nothing under {src}/)")
            storage.download_tree(src, root / hub_id)
            # our own tree manifest is not part of the hub layout
            (root / hub_id / storage.MANIFEST).unlink(missing_ok=True)
        yield root


def load_splits(spec: SourceSpec, *, mirror: Path | None, cache_dir: str):
    """All splits of one source as a DatasetDict, through datasets.load_dataset.

    With a mirror the hub is never contacted; without one the pinned revision
    is loaded from the hub, and an unreachable hub is a UserError that says
    to pass --hub-mirror.
    """
    import datasets

    if mirror is not None:
        path = mirror / spec.hub_id
        try:
            with hub_offline(), _quiet_datasets():
                # the files' own column types: load_dataset(path) would cast them to the README's
                # declared features, turning an integer column into "0", "1", ... text
                builder = datasets.load_dataset_builder(str(path), name=spec.config, cache_dir=cache_dir)
                files = {str(split): list(f) for split, f in (builder.config.data_files or {}).items()}
                if not files or builder.name not in ("parquet", "json", "csv", "arrow"):
                    return datasets.load_dataset(str(path), name=spec.config, cache_dir=cache_dir)
                dsd = datasets.load_dataset(builder.name, data_files=files, cache_dir=cache_dir)
                return _apply_card_features(dsd, builder.info.features)
        except Exception as e:  # any failure here is the mirror's content, told as one line
            raise UserError(f"cannot load {spec.hub_id} from the mirror at {path}: "
                            f"{type(e).__name__}: {_first_line(e)}") from None
    try:
        with _quiet_datasets():
            return datasets.load_dataset(spec.hub_id, name=spec.config, revision=spec.revision, cache_dir=cache_dir)
    except Exception as e:
        from imi_lib.core import hub

        if refused := hub.access_message(e, spec.hub_id, "dataset"):  # 401/403: gated or private
            raise UserError(refused) from None
        raise UserError(
            f"cannot load {spec.hub_id}@{spec.revision} from the Hugging Face hub "
            f"({type(e).__name__}: {_first_line(e)}). If the hub is unreachable or offline, pass "
            f"--hub-mirror DIR with a snapshot in DIR/{spec.hub_id}/ "
            f"(huggingface-cli download --repo-type dataset --revision {spec.revision} "
            f"--local-dir DIR/{spec.hub_id} {spec.hub_id})"
        ) from None


def _apply_card_features(dsd, card):
    """The card's declared features where they only re-label the files' values (an int column as ClassLabel).

    A cast that would turn another type into text is not applied: the column
    keeps the type its files hold and the source's schema check quarantines it.
    """
    if not card:
        return dsd
    for split in list(dsd):
        ds = dsd[split]
        for column, wanted in card.items():
            have = ds.features.get(column)
            if have is None or str(have) == str(wanted):
                continue
            if getattr(wanted, "dtype", None) in ("string", "large_string") and getattr(have, "dtype", None) not in (
                    "string", "large_string"):
                continue  # would stringify
            try:
                ds = ds.cast_column(column, wanted)
            except (TypeError, ValueError):
                continue
        dsd[split] = ds
    return dsd


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else "no details"


def iter_rows(ds, stop: int | None = None, start: int = 0) -> Iterator[tuple[int, dict]]:
    """(row index, row dict) for rows [start, stop) of a split, read in Arrow batches (no per-row table access)."""
    stop = len(ds) if stop is None else min(stop, len(ds))
    if start >= stop:
        return
    if (start, stop) != (0, len(ds)):
        ds = ds.select(range(start, stop))  # a contiguous range: a slice of the table, nothing copied
    names = ds.column_names
    i = start
    for batch in ds.iter(batch_size=BATCH_ROWS):
        for values in zip(*(batch[c] for c in names)):
            yield i, dict(zip(names, values))
            i += 1


class _TrainRecordWriter(RecordWriter):
    """RecordWriter for the training records, several times faster per record (most of collect's rows).

    The same checks (`check_record` on the record's dict) and the same
    quarantine; the line is written by orjson in compact form (prepare reads
    any JSON). A record orjson cannot encode takes RecordWriter's own path.
    """

    def __enter__(self) -> "_TrainRecordWriter":
        import orjson

        super().__enter__()
        self._fh.close()
        # a large buffer: one write call per MiB instead of per 8 KiB (a third of the writing's CPU time)
        self._fh = open(self._tmp, "wb", buffering=1 << 20)
        self._dumps = orjson.dumps
        self._line_option = orjson.OPT_APPEND_NEWLINE
        self._encode_error = orjson.JSONEncodeError
        return self

    def write(self, rec, *, origin: str = "") -> bool:
        if not hasattr(rec, "to_dict"):
            return self._write_text(rec, origin)  # a plain dict: RecordWriter fills in and orders its fields
        d = rec.to_dict()
        try:
            check_record(d)
            line = self._dumps(d, option=self._line_option)
        except InvalidRecord as e:
            self.quarantine(d, str(e), origin=origin)
            return False
        except self._encode_error:
            return self._write_text(d, origin)
        self._fh.write(line)
        self.written += 1
        self.by_adapter[d["adapter"]] += 1
        return True

    def _write_text(self, d: dict, origin: str) -> bool:
        # through RecordWriter.write on a text view of the same file (it raises as it always did)
        import io

        fh, self._fh = self._fh, io.TextIOWrapper(self._fh, encoding="utf-8", write_through=True)
        try:
            return super().write(d, origin=origin)
        finally:
            self._fh.detach()
            self._fh = fh


# ---- one source -----------------------------------------------------------

def collect_source(spec: SourceSpec, out: Path, *, mirror: Path | None, cache_dir: str,
                   max_rows: int | None = None, quarantine: Path | None = None,
                   shard: tuple[int, int] = (0, 1)) -> dict:
    """Load one source and write its records and eval items under `out`. Returns its summary.

    Unmappable rows go to `quarantine` (default: out/quarantine.jsonl).
    `shard=(k, n)` reads only the k-th of n contiguous row ranges of the
    source's splits taken end to end (in split order), so the outputs of
    shards 0..n-1 joined in order are the output of the whole source.
    """
    from tqdm.auto import tqdm

    quarantine = quarantine or out / QUARANTINE_FILE

    dsd = load_splits(spec, mirror=mirror, cache_dir=cache_dir)
    summary: dict = {"hub_id": spec.hub_id, "revision": spec.revision, "config": spec.config,
                     "license": spec.license, "from": "mirror" if mirror is not None else "hub",
                     "rows_read": {}, "records": 0, "by_adapter": {}, "quarantined": {}, "skipped": {},
                     "eval_items": {s: 0 for s in spec.eval_sets}}
    sizes = {split: len(ds) if max_rows is None else min(max_rows, len(ds))
             for split, ds in dsd.items() if not spec.split_role(split).startswith("skip:")}
    total, (k, n_shards) = sum(sizes.values()), shard
    lo, hi = k * total // n_shards, (k + 1) * total // n_shards  # this shard's rows, counted across the splits
    offset = 0
    with contextlib.ExitStack() as stack:
        # The source's writer owns the one quarantine handle for this source:
        # eval items are validated here and their failures routed through it.
        writer = stack.enter_context(_TrainRecordWriter(out / f"{spec.name}.jsonl", quarantine))
        eval_writers = {s: stack.enter_context(RecordWriter(out / "eval" / f"{s}.jsonl", quarantine,
                                                            validator=validate_eval_item))
                        for s in spec.eval_sets}
        for split in dsd:
            ds = dsd[split]
            role = spec.split_role(split)
            if role.startswith("skip:"):
                summary["skipped"][f"{split}: {role[5:]}"] = len(ds)
                continue
            mapper = spec.map_train if role == "train" else spec.map_eval
            ctx = RowContext(spec.name, spec.hub_id, spec.revision, spec.config, split, spec.license)
            origin_prefix = f"{spec.hub_id}@{spec.revision}:{spec.config or 'default'}:{split}#"
            read = 0
            suspect = columns_to_check(spec.name, ds.features)  # usually none: the Arrow types match the schema
            start, stop = (min(max(edge - offset, 0), sizes[split]) for edge in (lo, hi))
            offset += sizes[split]
            bar = tqdm(total=stop - start, desc=f"collect {spec.name}/{split}",
                       unit="rows", file=sys.stderr, leave=False, disable=None)
            for i, row in iter_rows(ds, stop, start):
                read += 1
                if not read % BATCH_ROWS:
                    bar.update(BATCH_ROWS)
                wrong_type = column_type_error(spec.name, row, suspect) if suspect else None
                if wrong_type is not None:
                    writer.quarantine(row, wrong_type, origin=f"{origin_prefix}{i}")
                    continue
                try:
                    outputs = mapper(row, i, ctx)
                except InvalidRecord as e:
                    writer.quarantine(row, str(e), origin=f"{origin_prefix}{i}")
                    continue
                except Exception as e:  # noqa: BLE001 - one row a mapper cannot read must not stop the stage
                    writer.quarantine(row, f"error: {one_line(e)}", origin=f"{origin_prefix}{i}")
                    continue
                for item in outputs:
                    if isinstance(item, tuple):
                        eval_set, ev = item
                        d = ev.to_dict()
                        try:
                            validate_eval_item(d)
                        except InvalidRecord as e:
                            writer.quarantine(d, str(e), origin=f"{origin_prefix}{i}")
                            continue
                        eval_writers[eval_set].write(d)
                    else:
                        writer.write(item, origin=f"{origin_prefix}{i}")
            bar.update(read % BATCH_ROWS)
            bar.close()
            summary["rows_read"][split] = read
        # stats are read after the loop, before the writers close (they rename on exit)
    summary["records"] = writer.written
    summary["by_adapter"] = dict(sorted(writer.by_adapter.items()))
    summary["quarantined"] = dict(sorted(writer.quarantined.items()))
    summary["eval_items"] = {s: w.written for s, w in eval_writers.items()}
    return summary


# ---- the stage ------------------------------------------------------------

def shard_count(spec: SourceSpec, max_rows: int | None = None, shard_rows: int | None = None) -> int:
    """Into how many row ranges a source is cut when several workers collect: one per `shard_rows` rows.

    Decided before anything is loaded, from the source's size on the hub
    (`approx_rows`, capped by --max-rows-per-source); each shard then cuts
    the rows it finds into its exact range, so the output never depends on it.
    """
    rows = spec.approx_rows
    if max_rows is not None:
        rows = min(rows, max_rows * sum(not role.startswith("skip:") for role in spec.splits.values()))
    return max(1, -(-rows // (shard_rows or SHARD_ROWS)))


def collect_sources(names: list[str], out: Path, *, mirror: Path | None, cache_dir: str,
                    max_rows: int | None = None, workers: int = 1,
                    shard_rows: int | None = None) -> dict[str, dict]:
    """Collect several sources into `out`, `workers` processes at a time; returns their summaries by name.

    With several workers a big source is cut into row-range shards
    (`shard_count`) that run in parallel like sources do: otherwise the
    biggest source alone outlasts all the others and a core idles. Every
    shard writes its own files under out/.shards/<source>.<k>/ (two
    processes never append to one file); they are joined in shard order,
    and the quarantine parts in registry order, so every file is the same
    bytes whatever the worker count. A failing shard fails the run (the
    caller's `publish_dir` then publishes nothing) and the parts are removed.
    """
    shards = {n: shard_count(SOURCES[n], max_rows, shard_rows) if workers > 1 else 1 for n in names}
    parts_root = out / ".shards"
    tasks = {(n, k): dict(out=parts_root / f"{n}.{k}", shard=(k, shards[n]), mirror=mirror, cache_dir=cache_dir,
                          max_rows=max_rows) for n in names for k in range(shards[n])}
    results: dict[tuple[str, int], dict] = {}
    try:
        if workers <= 1 or len(tasks) <= 1:
            for (n, k), kw in tasks.items():
                results[n, k] = collect_source(SOURCES[n], **kw)
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            import datasets  # noqa: F401  (imported once here; forked workers inherit it)

            # The first shard of every source first, biggest first, then the other shards: the first
            # one converts the files into datasets' cache under its lock, which a second shard of the
            # same source started beside it would only wait for.
            order = sorted(tasks, key=lambda t: (t[1] > 0, -SOURCES[t[0]].approx_rows, t[1]))
            from imi_lib.core.isolated_pool import worker_signals

            with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=multiprocessing.get_context("fork"),
                                     initializer=worker_signals, initargs=(False,)) as pool:
                futures = {pool.submit(collect_source, SOURCES[t[0]], **tasks[t]): t for t in order}
                try:
                    for future in as_completed(futures):
                        results[futures[future]] = future.result()
                except BaseException:
                    # the run has failed: start no more shards, and wait for the running ones, so that none
                    # writes into the datasets cache or the parts while they are removed below (a shutdown
                    # without waiting returned at once, and leaving the pool did not wait either)
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        # always written (empty when nothing was quarantined) so it never describes an older run
        with open(out / QUARANTINE_FILE, "wb") as merged:
            for n in names:
                for rel in [f"{n}.jsonl", *(f"eval/{s}.jsonl" for s in SOURCES[n].eval_sets)]:
                    _join_files([parts_root / f"{n}.{k}" / rel for k in range(shards[n])], out / rel)
                for k in range(shards[n]):
                    if (part := parts_root / f"{n}.{k}" / QUARANTINE_FILE).exists():  # only where rows failed
                        _append_file(part, merged)
    finally:
        shutil.rmtree(parts_root, ignore_errors=True)
    return {n: _join_summaries([results[n, k] for k in range(shards[n])]) for n in names}


def _join_files(parts: list[Path], dest: Path) -> None:
    """`parts` (each written whole by its shard) joined in order into `dest`; the first is moved, not copied."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(parts[0], dest)
    if len(parts) > 1:
        with open(dest, "ab") as fh:
            for part in parts[1:]:
                _append_file(part, fh)


def _append_file(part: Path, fh) -> None:
    with open(part, "rb") as src:
        shutil.copyfileobj(src, fh, 1 << 20)


def _join_summaries(parts: list[dict]) -> dict:
    """One source's summary from its shards' (every shard lists every split it could read, in order)."""
    from collections import Counter

    if len(parts) == 1:
        return parts[0]
    by_adapter: Counter = Counter()
    quarantined: Counter = Counter()
    for part in parts:
        by_adapter.update(part["by_adapter"])
        quarantined.update(part["quarantined"])
    first = parts[0]  # the identity fields and the skipped splits, the same in every shard
    return {**first,
            "rows_read": {split: sum(p["rows_read"][split] for p in parts) for split in first["rows_read"]},
            "records": sum(p["records"] for p in parts),
            "by_adapter": dict(sorted(by_adapter.items())),
            "quarantined": dict(sorted(quarantined.items())),
            "eval_items": {s: sum(p["eval_items"][s] for p in parts) for s in first["eval_items"]}}


@contextlib.contextmanager
def _cache_dir(cfg: CollectConfig) -> Iterator[str]:
    """Where datasets keeps its Arrow copies: never ~/.cache.

    Hub downloads are worth keeping between runs (D/.cache/huggingface when D
    is local); a mirror is already local, so its Arrow copy is temporary.
    """
    if cfg.hub_mirror is None and not storage.is_s3(cfg.data_dir):
        path = Path(cfg.data_dir) / ".cache" / "huggingface"
        path.mkdir(parents=True, exist_ok=True)
        yield str(path)
        return
    with tempfile.TemporaryDirectory(prefix="imi-collect-cache-") as tmp:
        yield tmp


def run(cfg: CollectConfig) -> dict:
    timer = StageTimer("collect")
    names = resolve_sources(cfg.sources)
    if cfg.max_rows_per_source is not None and cfg.max_rows_per_source < 1:
        raise config.ConfigError("max_rows_per_source: must be at least 1")
    if cfg.workers < 1:
        raise config.ConfigError("workers: must be at least 1")
    out_uri = cfg.out_dir or storage.join(cfg.data_dir, "raw")
    rebuild = " ".join(["imi collect", f"--data-dir {cfg.data_dir}",
                        *([f"--hub-mirror {cfg.hub_mirror}"] if cfg.hub_mirror else []),
                        *([f"--out-dir {cfg.out_dir}"] if cfg.out_dir else [])])
    with contextlib.ExitStack() as stack:
        # the previous D/raw stays whole and visible until this run's is complete
        out = stack.enter_context(storage.publish_dir(out_uri, stage="collect", rebuild=rebuild))
        mirror = stack.enter_context(mirror_root(cfg.hub_mirror, [SOURCES[n].hub_id for n in names]))
        cache_dir = stack.enter_context(_cache_dir(cfg))
        per_source = collect_sources(names, out, mirror=mirror, cache_dir=cache_dir,
                                     max_rows=cfg.max_rows_per_source, workers=cfg.workers)
        fields = _totals(per_source, names, cfg)
        write_summary(out / SUMMARY_FILE, "collect", fields, seconds=timer.seconds)
        config.save_effective(cfg, out / CONFIG_FILE)
    seconds = timer.seconds
    print_summary("collect", {
        "sources": len(names),
        "rows": fields["rows_read"],
        "records": fields["records"],
        "eval": fields["eval_items"],
        "quarantined": sum(fields["quarantined"].values()),
        "skipped": sum(fields["skipped"].values()),
        "out": out_uri,
    }, seconds=seconds)
    return {"stage": "collect", **fields, "seconds": round(seconds, 3)}


def _totals(per_source: dict[str, dict], names: list[str], cfg: CollectConfig) -> dict:
    from collections import Counter

    by_adapter: Counter = Counter()
    quarantined: Counter = Counter()
    skipped: dict = {}
    eval_items: dict = {}
    for name in names:
        s = per_source[name]
        by_adapter.update(s["by_adapter"])
        quarantined.update(s["quarantined"])
        skipped.update({f"{name}/{k}": v for k, v in s["skipped"].items()})
        eval_items.update(s["eval_items"])
    return {
        "hub_mirror": cfg.hub_mirror,
        "sources": per_source,
        "rows_read": sum(sum(s["rows_read"].values()) for s in per_source.values()),
        "records": sum(s["records"] for s in per_source.values()),
        "by_adapter": dict(sorted(by_adapter.items())),
        "quarantined": dict(sorted(quarantined.items())),
        "skipped": skipped,
        "eval_items": eval_items,
    }


def add_arguments(parser) -> None:
    config.add_arguments(parser, CollectConfig)


def main(args) -> int:
    run(config.from_args(CollectConfig, args))
    return 0
