"""`imi prepare`: the guide's Step 2, from collected, PDF-derived and synthetic records to D/final.

    imi prepare --data-dir data

Reads every `*.jsonl` record file at the top of D/raw/ (not raw/eval/, not
quarantine files), D/processed/ and D/synthetic/ (a missing directory counts
as empty), and takes each record through, in this order:

1. validation (`records.check_record`, the checks of validate_record; invalid -> D/final/quarantine.jsonl
   with the reason);
2. unicode (NFKC, invisible characters dropped) and whitespace normalisation
   (runs of spaces collapsed, line breaks kept, at most one blank line);
3. PHI scrubbing (`imi_lib.data.phi`), so nothing later sees or writes PHI;
4. the contamination guard: dropped if a question segment of its instruction
   or input starts with an evaluation-set question (`EvalIndex`);
5. deduplication: dropped if the same adapter already has a record with the
   same normalised instruction + input + output (case-insensitive). The whole
   record, not the instruction alone: HealthCareMagic has one instruction for
   all 112k rows;
6. the train/val split by a hash of its id and the seed (stable when records
   are added; every adapter with two or more records gets a val record).

Writes to D/final/ (or --out-dir):

    {adapter}_train.json, {adapter}_val.json   JSON Lines, all six adapters (empty file, and a warning, if no data)
    eval/<set>.jsonl                            the evaluation sets from RAW/eval, normalised and scrubbed
    quarantine.jsonl                            invalid records with the reason (scrubbed too)
    stats.json                                  records per source, adapter and split; drops by reason; PHI per type
    manifest.json                               input sha256s, effective config, package versions, seed, time (last)

Steps 1-4 and the split run in worker processes on byte ranges of the input
files; the parent drops duplicates in input order, so the output is the same
for any number of workers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import xxhash  # small C extension (a datasets dependency): the dedupe and split hashes

from imi_lib.core import config, provenance
from imi_lib.core.adapters import ADAPTERS
from imi_lib.core.errors import UserError
from imi_lib.core.records import plainly_valid

STATS_FILE = "stats.json"
MANIFEST_FILE = "manifest.json"
QUARANTINE_FILE = "quarantine.jsonl"
EVAL_SUBDIR = "eval"
SPLITS = ("train", "val")
# bytes of input per worker task: big enough that task overhead vanishes,
# small enough that two workers stay busy until the end
CHUNK_BYTES = 4 << 20
# eval questions of ANCHOR_WORDS words or more are found anywhere in a text; shorter ones
# only as a whole line or with their options (a generic 3-word stem is not a leak)
ANCHOR_WORDS = 6


@dataclass
class PrepareConfig:
    data_dir: str = config.option("data", "data directory (local path or s3://bucket/prefix)")
    raw_dir: str = config.option("", "collected records; its eval/ subfolder holds the evaluation sets "
                                     "(default: DATA_DIR/raw)")
    processed_dir: str = config.option("", "PDF-derived records (default: DATA_DIR/processed)")
    synthetic_dir: str = config.option("", "synthetic records (default: DATA_DIR/synthetic)")
    eval_dir: str = config.option("", "evaluation sets, EvalItem JSON Lines (default: RAW_DIR/eval)")
    out_dir: str = config.option("", "where the final files go (default: DATA_DIR/final)")
    val_fraction: float = config.option(0.1, "share of each adapter's records held out for validation")
    seed: int = config.option(42, "salt of the train/val assignment hash; another seed gives another split")
    workers: int = config.option(0, "processes that normalise and scrub records (0: one per CPU core)")
    prose_names: bool = config.option(True, "in patient text, also scrub names in running prose that no cue "
                                            "announces (the gazetteer pass of imi_lib.data.phi) and run the "
                                            "learned pass (imi_lib.data.phi_model)")


# ---- fast JSON ------------------------------------------------------------
# orjson parses and writes JSON Lines several times faster than json; the
# stage works without it.
try:
    import orjson as _orjson

    _loads = _orjson.loads

    def _dumps_line(obj) -> bytes:
        return _orjson.dumps(obj, option=_orjson.OPT_APPEND_NEWLINE)
except ImportError:  # pragma: no cover - exercised only where orjson is missing
    _loads = json.loads

    def _dumps_line(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


# ---- text normalisation -----------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f\u00ad\u200b-\u200f\u2060\ufeff]")
# what the regex passes below would change that the substring tests in normalise_text do not see
_UNUSUAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_SPACE_AT_LINE_EDGE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFKC, invisible characters dropped, spaces collapsed, line breaks kept (at most one blank line)."""
    if text.isascii():
        # the common case: clean ASCII text needs only strip()
        if text.isprintable():
            return " ".join(text.split()) if "  " in text else text.strip()
        # ASCII with line breaks: isprintable() without them sees every other control character
        # (tabs and carriage returns included), which is all _UNUSUAL can find in ASCII
        if (text.replace("\n", "").isprintable() and not ("  " in text or " \n" in text or "\n " in text
                                                           or "\n\n\n" in text)):
            return text.strip()
    else:
        # NFKC turns no-break, ideographic and other spaces into " ", full-width forms into ASCII
        text = unicodedata.normalize("NFKC", text)
        if not ("\t" in text or "\r" in text or "  " in text or " \n" in text or "\n " in text
                or "\n\n\n" in text or _UNUSUAL.search(text)):
            return text.strip()
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_AT_LINE_EDGE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


# ASCII bytes: every character that is neither a word character nor a space (punctuation and control
# characters) becomes a space, capitals lower case; bytes.translate runs in C, str.translate per character
_ASCII_WORD_TABLE = bytes(
    (ord(c.lower()) if c.isalnum() or c.isspace() else 32) for c in map(chr, range(128))) + bytes(range(128, 256))
_NON_WORD = re.compile(r"[^\w\s]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# labels a template may put before a question ("Question: ...")
_QUESTION_LABELS = frozenset({"question", "questions", "q"})


def question_words(text: str) -> list[str]:
    """Case-folded, punctuation removed, split into words: the form contamination is matched on.

    Line breaks are spaces here, so a question that spans lines (a lab
    table in a MedQA vignette) is one run of words.
    """
    if not text.isascii():
        text = text.casefold()
        # the few non-ASCII characters of a mostly ASCII text ("°", "µ", "–") are usually punctuation:
        # replaced one by one, the text becomes ASCII and takes the fast path (the regex scans every character)
        for ch in set(_NON_ASCII.findall(text)):
            if not (ch.isalnum() or ch.isspace()):  # what [^\w\s] matches
                text = text.replace(ch, " ")
        if not text.isascii():
            return _NON_WORD.sub(" ", text.replace("_", " ")).split()
    return text.encode("ascii").translate(_ASCII_WORD_TABLE).decode("ascii").split()


def _find_run(words: list[str], run: list[str]) -> bool:
    """True if `run` occurs in `words` as consecutive words."""
    n = len(run)
    if not n:
        return False
    first = run[0]
    start = 0
    while True:
        try:
            i = words.index(first, start)
        except ValueError:
            return False
        if words[i:i + n] == run:
            return True
        start = i + 1


class EvalIndex:
    """Normalised evaluation questions, found anywhere in a training text.

    A training record is contaminated when its instruction or input contains
    a whole evaluation question as consecutive words, compared case-folded
    with punctuation, spacing and line breaks ignored: verbatim copies, copies
    with other case, spacing or line breaks (lab tables), with the options in
    another order, or embedded in a longer text all match. A question of
    fewer than ANCHOR_WORDS words ("Koplik spots are seen in") is a generic
    stem, so it counts only where it is a whole line (or a line after a
    "Question:" label or a ": ") or where all its options are there too.

    Lookup: each question is keyed by its rarest pair of adjacent words
    (the fewest eval questions share it; then the pair of longer words); a
    text is split into words once, and its adjacent pairs are intersected
    with the key set in C. Only texts that hold a key pair are compared word
    by word, around that pair.
    """

    def __init__(self) -> None:
        self.questions: list[tuple[list[str], str, list[list[str]]]] = []  # words, eval set, option words
        # key word pair -> [(the pair's position in the questions, their length,
        #                    {question words: [(eval set, option words), ...]})]
        self.keys: dict[tuple, list[tuple]] = {}
        self.key_set: frozenset = frozenset()
        self.size = 0
        self._built = True

    def add(self, question: str, eval_set: str, options: "list[str] | None" = None) -> None:
        words = question_words(question)
        if not words:
            return
        self.size += 1
        self.questions.append((words, eval_set, [w for w in (question_words(o) for o in options or ()) if w]))
        self._built = False

    def __bool__(self) -> bool:
        return self.size > 0

    def build(self) -> None:
        """Pick each question's key word pair (call once after the last `add`; `match` calls it if needed)."""
        df: Counter = Counter()
        for words, _s, _o in self.questions:
            df.update(set(zip(words, words[1:])))
        keys: dict = defaultdict(list)
        seen: set = set()
        for words, eval_set, options in self.questions:
            ident = (tuple(words), tuple(map(tuple, options)))
            if ident in seen:
                continue
            seen.add(ident)
            pairs = list(zip(words, words[1:])) or [(words[0], "")]
            # the pair the fewest eval questions share; among those, one of long words (numbers and
            # short words are common in any text, whatever their frequency among the questions)
            counts = list(map(df.__getitem__, pairs))
            fewest = min(counts)
            rarest = [p for p, c in zip(pairs, counts) if c == fewest]
            key = rarest[0] if len(rarest) == 1 else min(rarest, key=lambda p: (-min(len(p[0]), len(p[1])), p))
            keys[key].append((pairs.index(key), words, eval_set, options))
        # questions under one key grouped by (offset of the key, length): a text's words at one place
        # are then looked up among all of that group's questions at once
        grouped: dict = {}
        for key, entries in keys.items():
            groups: dict = defaultdict(dict)
            for offset, words, eval_set, options in entries:
                groups[(offset, len(words))].setdefault(tuple(words), []).append((eval_set, options))
            grouped[key] = [(offset, n, questions) for (offset, n), questions in groups.items()]
        self.keys = grouped
        self.key_set = frozenset(self.keys)
        self._built = True

    def match(self, text: str) -> str | None:
        """The eval set whose question `text` contains, or None."""
        if not self._built:
            self.build()
        words = question_words(text)
        hits = self.key_set.intersection(zip(words, words[1:]))
        if not hits and len(words) == 1:
            hits = self.key_set.intersection([(words[0], "")])
        if not hits:
            return None
        last = len(words) - 1
        for key in hits:
            first, second = key
            # where the key pair stands in the text: found once, then every question under the key is
            # compared at those places only (a key can carry tens of questions, a text many of its first word)
            places = []
            p = -1
            while True:
                try:
                    p = words.index(first, p + 1)
                except ValueError:
                    break
                if (words[p + 1] == second) if p < last else not second:
                    places.append(p)
            for offset, n, questions in self.keys[key]:
                for p in places:
                    s = p - offset
                    if s < 0:
                        continue
                    found = questions.get(tuple(words[s:s + n]))
                    if found is None:
                        continue
                    if n >= ANCHOR_WORDS:
                        return found[0][0]
                    question = words[s:s + n]
                    for eval_set, options in found:
                        if self._short_question_stands_alone(text, question, options, words):
                            return eval_set
        return None

    @staticmethod
    def _short_question_stands_alone(text: str, question: list[str], options: list[list[str]],
                                     words: list[str]) -> bool:
        if options and all(_find_run(words, o) for o in options):
            return True
        for line in text.split("\n"):
            line_words = question_words(line)
            if line_words == question or (line_words[1:] == question and line_words[0] in _QUESTION_LABELS):
                return True
            colon = line.find(": ")
            if colon >= 0 and question_words(line[colon + 2:]) == question:
                return True
        return False


def dedupe_text(adapter: str, instruction: str, input: str, output: str) -> str:
    """What two records must share to be duplicates: adapter and the whole text, case and spacing ignored.

    All three fields, not the instruction alone (HealthCareMagic repeats one
    instruction on every row); whitespace runs, line breaks included, count
    as one space, so a re-post with other line breaks is still a duplicate.
    """
    text = f"{adapter}\x00{instruction}\x00{input}\x00{output}".lower()
    if text.isascii() and "  " not in text:
        # normalised text has single spaces, line breaks and blank lines only: then collapsing the
        # breaks to one space is the same as split + join, without a string object per word
        spaced = text
        if "\n" in text:
            if " \n" in text or "\n " in text:
                return " ".join(text.split())
            while "\n\n" in spaced:
                spaced = spaced.replace("\n\n", "\n")
            spaced = spaced.replace("\n", " ")
        # any other whitespace (tabs, \x1c-\x1f) is not printable: the general path below
        if spaced.replace("\x00", "").isprintable() and not spaced.startswith(" ") and not spaced.endswith(" "):
            return spaced
    return " ".join(text.split())


# ---- per-record work (runs in the worker processes) ---------------------------

@dataclass
class _WorkerState:
    eval_index: "EvalIndex | None" = None
    seed: int = 0
    val_fraction: float = 0.1
    prose_names: bool = True


_STATE = _WorkerState()


def _init_worker(eval_index: EvalIndex, seed: int, val_fraction: float, prose_names: bool = True) -> None:
    global _STATE
    _STATE = _WorkerState(eval_index if eval_index else None, seed, val_fraction, prose_names)


def _init_worker_process(*init_args) -> None:
    """A pool worker's start: the signal dispositions of a worker, then its state."""
    from imi_lib.core.isolated_pool import worker_signals

    worker_signals()
    _init_worker(*init_args)


def split_fraction(record_id: str, seed: int) -> float:
    """A number in [0, 1) fixed by the record id and the seed: below val_fraction means val."""
    return xxhash.xxh64_intdigest(f"{seed}\x1f{record_id}".encode("utf-8")) / 2.0**64


def _quarantine_line(obj, reason: str, origin: str, counts: dict) -> bytes:
    """The RecordWriter.quarantine format ({"reason", "origin", "record"}), with the record scrubbed.

    Never raises: a record the scrubber or the JSON writer fails on is written
    without its content (the reason says why), never unscrubbed.
    """
    from imi_lib.data import phi

    try:
        found: dict = {}
        line = _dumps_line({"reason": reason, "origin": origin, "record": phi.scrub_value(obj, found)})
    except Exception as e:  # noqa: BLE001 - one record must not stop the stage
        return json.dumps({"reason": reason, "origin": origin, "record": None,
                           "withheld": f"the record could not be scrubbed or written ({_one_line(e)})"},
                          ensure_ascii=True).encode("ascii") + b"\n"
    for kind, c in found.items():
        counts[kind] = counts.get(kind, 0) + c
    return line


def _one_line(e: BaseException) -> str:
    from imi_lib.core.records import one_line

    return one_line(e)


def _quarantine_record(res: "ChunkResult", d, reason: str, label: str, n: int) -> None:
    source = d.get("source") if isinstance(d, dict) else None
    source = source if isinstance(source, str) and source else "unknown"
    # the full scrub whatever the source: quarantine is for diagnosis, over-scrubbing costs nothing there
    res.quarantine.append((n, _quarantine_line(d, reason, f"{label}:{n}", res.phi_counts)))
    res.reasons[reason.split(":")[0].strip() or reason] += 1
    res.by_source[source].update(("in", "invalid"))


# Sources whose text is not about patients: research abstracts, exam questions, regulatory
# documents and the synthetic sets built from them. Their PHI scrub keeps what is legitimate
# there (study periods, author and agency contacts, ISBNs); everything else gets the full scrub.
_DOCUMENT_SYNTHETIC = frozenset({"synthetic_usmle", "synthetic_compliance"})


def phi_scope(source: str) -> str:
    """"patient" (full PHI scrub) or "document" (only identifiers never legitimate there) for a record source."""
    from imi_lib.data.sources import SOURCES

    spec = SOURCES.get(source)
    if spec is not None:
        return spec.phi_scope
    if source.startswith("pdf_") or source in _DOCUMENT_SYNTHETIC:
        return "document"
    return "patient"


@dataclass
class Group:
    """The records of one adapter and split from one chunk, in input order: their keys and ids, and one blob."""

    keys: list = field(default_factory=list)  # dedupe keys (hashes of dedupe_text)
    ids: list = field(default_factory=list)
    sources: Counter = field(default_factory=Counter)  # records per source
    blob: bytes = b""  # the JSON lines
    ends: list = field(default_factory=list)  # where each line of the blob ends (after its line break)

    def _line(self, i: int) -> bytes:
        return self.blob[self.ends[i - 1] if i else 0:self.ends[i]]

    def split(self, indices: list[int]) -> tuple["Group", "Group"]:
        """(these records, the others), each in input order; only the lines of `indices` are parsed.

        The others' lines are cut out of the blob as whole runs between the
        chosen lines (a few slices, not a list of every line).
        """
        chosen = set(indices)
        picked_lines = [self._line(i) for i in indices]
        picked = Counter(_loads(line)["source"] for line in picked_lines)
        rest = [i for i in range(len(self.ids)) if i not in chosen]
        runs, pos, view = [], 0, memoryview(self.blob)
        for i in sorted(chosen):
            runs.append(view[pos:self.ends[i - 1] if i else 0])
            pos = self.ends[i]
        runs.append(view[pos:])

        def ends_of(which: list[int]) -> list[int]:
            return list(accumulate(self.ends[i] - (self.ends[i - 1] if i else 0) for i in which))

        return (Group([self.keys[i] for i in indices], [self.ids[i] for i in indices], picked,
                      b"".join(picked_lines), ends_of(indices)),
                Group([self.keys[i] for i in rest], [self.ids[i] for i in rest], self.sources - picked,
                      b"".join(runs), ends_of(rest)))


@dataclass
class ChunkResult:
    number: int
    groups: dict  # (adapter, split) -> Group
    quarantine: list  # JSON lines for quarantine.jsonl, in file order
    reasons: Counter  # invalid records by reason category
    by_source: dict  # source -> Counter(in=, invalid=, contaminated=)
    contaminated_by_set: Counter
    phi_counts: dict


def _scrub_isolated(texts: list, scopes: list, counts: dict, prose_names: bool = True) -> list:
    """`phi.scrub_batch` per scope; where a batch raises, each record alone, and a record that
    raises gets its exception in place of its texts (the caller quarantines it)."""
    from imi_lib.data import phi

    out: list = [None] * len(texts)
    for scope in sorted(set(scopes)):
        idx = [i for i, sc in enumerate(scopes) if sc == scope]
        found: dict = {}
        try:
            done = phi.scrub_batch([texts[i] for i in idx], found, scope, prose_names)
        except Exception:  # noqa: BLE001 - find the record that raises, keep the others
            done = []
            found = {}
            for i in idx:
                one: dict = {}
                try:
                    done.append(phi.scrub_fields(texts[i], one, scope=scope, prose_names=prose_names))
                except Exception as e:  # noqa: BLE001
                    done.append(e)
                    continue
                for kind, c in one.items():
                    found[kind] = found.get(kind, 0) + c
        for i, texts_out in zip(idx, done):
            out[i] = texts_out
        for kind, c in found.items():
            counts[kind] = counts.get(kind, 0) + c
    return out


def _prepare_chunk(task: tuple) -> ChunkResult:
    """Validate, normalise, guard, scrub, split and serialise the records in one byte range of one file.

    Every step of one record's work is isolated: a record that makes any of
    them raise is quarantined with the exception as its reason, and the
    chunk goes on.
    """
    from imi_lib.data import phi
    from imi_lib.core.records import MAX_FIELD_CHARS, InvalidRecord, check_record

    number, label, path, offset, length, first_line = task
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    eval_index, seed, val_fraction = _STATE.eval_index, _STATE.seed, _STATE.val_fraction
    res = ChunkResult(number, {}, [], Counter(), defaultdict(Counter), Counter(), {})
    counts = res.phi_counts
    lines: dict = {}  # (adapter, split) -> JSON lines
    # duplicates inside the chunk are dropped here, in input order; the parent drops those of earlier chunks
    seen_keys: set = set()
    seen_ids: set = set()
    scopes: dict[str, str] = {}
    # the same instruction template repeats on many rows: clean and check it once (per PHI scope)
    instruction_cache: dict[tuple[str, str], tuple[str, dict, str | None]] = {}
    valid = []  # (line number, record, clean instruction, its PHI counts, eval set it contains or None)
    texts = []  # [input, output] of each valid record, normalised; scrubbed below all at once
    text_scopes = []
    for n, raw in enumerate(data.split(b"\n"), first_line):
        if not raw or raw.isspace():
            continue
        try:
            d = _loads(raw)
        except ValueError as e:
            res.quarantine.append((n, _quarantine_line(raw.decode("utf-8", "replace"),
                                                       f"json: line {n} is not valid JSON ({e})", f"{label}:{n}",
                                                       counts)))
            res.reasons["json"] += 1
            res.by_source["unknown"].update(("in", "invalid"))
            continue
        try:
            if not plainly_valid(d):
                try:
                    check_record(d)
                except InvalidRecord as e:
                    _quarantine_record(res, d, str(e), label, n)
                    continue
            source = d["source"]
            scope = scopes.get(source)
            if scope is None:
                scope = scopes[source] = phi_scope(source)
            cached = instruction_cache.get((d["instruction"], scope))
            if cached is None:
                found: dict = {}
                normalised = normalise_text(d["instruction"])
                # the guard sees the text before scrubbing, as the eval questions are indexed
                contaminated = eval_index.match(normalised) if eval_index else None
                cached = (phi.scrub(normalised, found, scope, _STATE.prose_names), found, contaminated)
                if len(instruction_cache) < 4096:
                    instruction_cache[(d["instruction"], scope)] = cached
            inp, out = normalise_text(d["input"]), normalise_text(d["output"])
            contaminated = cached[2]
            if contaminated is None and eval_index and inp:
                contaminated = eval_index.match(inp)
        except Exception as e:  # noqa: BLE001 - one record must not stop the stage
            _quarantine_record(res, d, f"error: {_one_line(e)}", label, n)
            continue
        valid.append((n, d, cached[0], cached[1], contaminated))
        texts.append([inp, out])
        text_scopes.append(scope)

    kept_sources = []  # one entry per record that passed validation and the guards: counted at the end
    scrubbed = _scrub_isolated(texts, text_scopes, counts, _STATE.prose_names)
    for (n, d, instruction, found, contaminated), fields in zip(valid, scrubbed):
        if isinstance(fields, Exception):
            _quarantine_record(res, d, f"error: {_one_line(fields)}", label, n)
            continue
        for kind, c in found.items():
            counts[kind] = counts.get(kind, 0) + c
        try:
            inp, out = fields
            if not instruction or not out:
                _quarantine_record(res, d, f"{'instruction' if not instruction else 'output'}: "
                                           "empty after normalisation", label, n)
                continue
            if max(len(instruction), len(inp), len(out)) > MAX_FIELD_CHARS:
                _quarantine_record(res, d, f"text: longer than {MAX_FIELD_CHARS} characters after scrubbing",
                                   label, n)
                continue
            source = d["source"]
            if contaminated is not None:
                res.by_source[source].update(("in", "contaminated"))
                res.contaminated_by_set[contaminated] += 1
                continue
            adapter, record_id = d["adapter"], d["id"]
            key = xxhash.xxh3_128_digest(dedupe_text(adapter, instruction, inp, out).encode("utf-8"))
            line = _dumps_line({"id": record_id, "instruction": instruction, "input": inp, "output": out,
                                "source": source, "adapter": adapter, "license": d.get("license", ""),
                                "lineage": d.get("lineage", {})})
        except Exception as e:  # noqa: BLE001 - one record must not stop the stage
            _quarantine_record(res, d, f"error: {_one_line(e)}", label, n)
            continue
        kept_sources.append(source)
        if key in seen_keys or record_id in seen_ids:
            res.by_source[source]["duplicate" if key in seen_keys else "duplicate_id"] += 1
            continue
        seen_keys.add(key)
        seen_ids.add(record_id)
        fraction = split_fraction(record_id, seed)
        where = (adapter, "val" if fraction < val_fraction else "train")
        g = res.groups.get(where)
        if g is None:
            g = res.groups[where] = Group()
            lines[where] = []
        g.keys.append(key)
        g.ids.append(record_id)
        g.sources[source] += 1
        lines[where].append(line)
    for where, g in res.groups.items():
        g.blob = b"".join(lines[where])
        g.ends = list(accumulate(map(len, lines[where])))
    for source, c in Counter(kept_sources).items():
        res.by_source[source]["in"] += c
    res.quarantine = [line for _n, line in sorted(res.quarantine, key=lambda q: q[0])]
    return res


# ---- input discovery and chunking ------------------------------------------

@dataclass
class InputFile:
    role: str  # raw | processed | synthetic
    path: Path

    @property
    def label(self) -> str:
        return f"{self.role}/{self.path.name}"


def record_files(directory: Path, role: str) -> list[InputFile]:
    """The record files of one input directory: *.jsonl at its top level, quarantine files excluded."""
    if not directory.is_dir():
        return []
    return [InputFile(role, p) for p in sorted(directory.glob("*.jsonl"))
            if p.is_file() and not p.name.startswith("quarantine")]


def _chunks(files: list[InputFile], hashes: dict, line_counts: dict):
    """Yield worker tasks (number, label, path, offset, length, first line number) of whole lines.

    Reads every file once, in blocks, to cut it at line ends, number the
    lines and hash it (sha256, for the manifest); the workers read their own
    byte ranges, so no record text passes through the parent on the way in.
    """
    number = 0
    for f in files:
        sha = hashlib.sha256()
        line_no = 1
        start = 0  # file offset where the next task begins
        pending = 0  # bytes read since `start` that belong to the next task
        with open(f.path, "rb") as fh:
            while True:
                block = fh.read(CHUNK_BYTES)
                if not block:
                    break
                sha.update(block)
                cut = block.rfind(b"\n") + 1
                if cut == 0:
                    pending += len(block)
                    continue
                length = pending + cut
                yield number, f.label, str(f.path), start, length, line_no
                number += 1
                line_no += block.count(b"\n", 0, cut)
                start += length
                pending = len(block) - cut
        if pending:
            yield number, f.label, str(f.path), start, pending, line_no
            number += 1
            line_no += 1
        hashes[f.label] = sha.hexdigest()
        line_counts[f.label] = line_no - 1


def _run_tasks(tasks, workers: int, init_args: tuple, total_bytes: int):
    """Yield None once the workers run, then the chunk results in input order, from a process pool
    or (one worker) in this process."""
    import contextlib
    import multiprocessing as mp

    from tqdm import tqdm

    sizes = {}

    def sized(tasks):
        for task in tasks:
            sizes[task[0]] = task[4]
            yield task

    with contextlib.ExitStack() as stack:
        if workers > 1:
            # fork: the workers inherit the eval index instead of unpickling it, and start at once.
            # Threads the caller may run (tqdm's monitor, pyarrow's pools) are no hazard: the
            # workers never use tqdm, and Arrow and its allocator re-initialise after a fork.
            # The pool starts before the progress bar, whose monitor thread it would otherwise copy.
            ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
            pool = stack.enter_context(ctx.Pool(workers, initializer=_init_worker_process, initargs=init_args))
            results = pool.imap(_prepare_chunk, sized(tasks))
        else:
            pool = None
            _init_worker(*init_args)
            results = map(_prepare_chunk, sized(tasks))
        yield None  # the caller may do its own work while the workers start on the first chunks
        bar = stack.enter_context(tqdm(total=total_bytes, unit="B", unit_scale=True, desc="prepare", disable=None,
                                       file=sys.stderr))
        for result in results:
            bar.update(sizes.pop(result.number, 0))
            yield result
        if pool is not None:
            # every chunk is back: the workers get their end-of-work sentinel and exit on their own.
            # Leaving the `with` instead terminates them by signal, the path for a failed or
            # interrupted run only.
            pool.close()
            pool.join()


# ---- eval sets ---------------------------------------------------------------

@dataclass
class _EvalSet:
    path: Path
    label: str
    rows: list  # valid items, as dicts
    normalised: list  # [question, context, *options] of each row, normalised
    invalid: int


def read_eval_sets(eval_dir: Path, counts: dict, quarantine: list) -> tuple[EvalIndex, list, dict]:
    """Read and normalise every eval set; return the index of their questions, the sets and their sha256s.

    The index is all the workers need: `write_eval_sets` scrubs and writes
    the sets while the workers run.
    """
    from imi_lib.core.records import read_records, validate_eval_item
    from imi_lib.core.storage import sha256_file

    index = EvalIndex()
    sets: list = []
    hashes: dict = {}
    files = sorted(eval_dir.glob("*.jsonl")) if eval_dir.is_dir() else []
    for path in files:
        if path.name.startswith("quarantine"):
            continue
        label = f"eval/{path.name}"
        hashes[label] = sha256_file(path)
        invalid = 0

        def on_invalid(obj, reason, origin, label=label):
            nonlocal invalid
            invalid += 1
            quarantine.append(_quarantine_line(obj, reason, f"{label}:{origin.rsplit(':', 1)[-1]}", counts))

        rows = [item.to_dict() for item in read_records(path, validator=validate_eval_item, on_invalid=on_invalid)]
        normalised = [[normalise_text(t) for t in (d["question"], d.get("context", ""), *d["options"].values())]
                      for d in rows]
        # the guard compares texts before scrubbing (training text is scrubbed by its own source's scope)
        for texts in normalised:
            index.add(texts[0], path.stem, texts[2:])
        sets.append(_EvalSet(path, label, rows, normalised, invalid))
    index.build()
    return index, sets, hashes


def write_eval_sets(sets: list, out_eval: Path, counts: dict, quarantine: list) -> dict:
    """Scrub each eval set (by its source's scope) into out_eval; return {set: {items, invalid}}."""
    from imi_lib.core.records import write_jsonl

    stats: dict = {}
    for s in sets:
        # one scrub_batch per set and scope: its prefilters skip the passes that cannot find anything
        scrubbed = _scrub_isolated(s.normalised, [phi_scope(d.get("source", "")) for d in s.rows], counts)
        kept = []
        for d, texts in zip(s.rows, scrubbed):
            if isinstance(texts, Exception):  # never written unscrubbed
                s.invalid += 1
                quarantine.append(_quarantine_line(d, f"error: {_one_line(texts)}", f"{s.label}:{len(kept)}",
                                                   counts))
                continue
            d["question"], d["context"] = texts[0], texts[1]
            d["options"] = dict(zip(list(d["options"]), texts[2:]))
            kept.append(d)
        write_jsonl(out_eval / s.path.name, kept)
        stats[s.path.stem] = {"items": len(kept), "invalid": s.invalid}
    return stats


# ---- merging: duplicates and the split ------------------------------------------

class FinalSplits:
    """Collects the chunk results in input order, drops duplicates, and writes the twelve files.

    A record is a duplicate when its dedupe key (a hash of `dedupe_text`) or
    its id was already kept; the first one in input order stays. The workers
    drop duplicates within a chunk; here a chunk's records that repeat an
    earlier chunk's are dropped. Groups without such records are taken whole
    (set operations, no per-record Python work).
    """

    def __init__(self, seed: int, out: Path | None = None) -> None:
        self.seed = seed
        self.parts: dict = {(a, s): [] for a in ADAPTERS for s in SPLITS}
        # with `out`, each group is written as it is added (while the workers still run) and the
        # files are only rewritten where ensure_val moves a record; the groups stay for that
        self.out = out
        self.files: dict = {}
        self.hashes: dict = {}
        self.rewrite: set = set()
        if out is not None:
            for where in self.parts:
                self.files[where] = open(out / f"{where[0]}_{where[1]}.json", "wb")
                self.hashes[where] = hashlib.sha256()
        self.seen_keys: set = set()
        self.seen_ids: set = set()
        self.duplicate: Counter = Counter()  # per source
        self.duplicate_id: Counter = Counter()

    def add(self, where: tuple, g: Group) -> None:
        keys, ids = g.keys, g.ids
        if self.seen_keys.isdisjoint(keys) and self.seen_ids.isdisjoint(ids):
            self.seen_keys.update(keys)
            self.seen_ids.update(ids)
            self._append(where, g)
            return
        by_key, by_id = [], []
        for i, (key, record_id) in enumerate(zip(keys, ids)):
            if key in self.seen_keys:
                by_key.append(i)
            elif record_id in self.seen_ids:
                by_id.append(i)
            else:
                self.seen_keys.add(key)
                self.seen_ids.add(record_id)
        dropped, kept = g.split(by_key + by_id)
        key_drops = Counter(_loads(dropped._line(i))["source"] for i in range(len(by_key)))
        self.duplicate.update(key_drops)
        self.duplicate_id.update(dropped.sources - key_drops)
        self._append(where, kept)

    def _append(self, where: tuple, g: Group) -> None:
        self.parts[where].append(g)
        if where in self.files:
            self.files[where].write(g.blob)
            self.hashes[where].update(g.blob)

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()

    def count(self, adapter: str, split: str) -> int:
        return sum(len(g.ids) for g in self.parts[(adapter, split)])

    def ensure_val(self, val_fraction: float) -> None:
        """Every adapter with two or more records gets a val record (and a train record).

        The split is by id hash, so a small adapter can land entirely on one
        side; then the record with the smallest fraction moves to val (or the
        largest to train). Deterministic, and it only ever moves one record.
        """
        if not 0 < val_fraction < 1:
            return
        for adapter in ADAPTERS:
            n_train, n_val = self.count(adapter, "train"), self.count(adapter, "val")
            if n_train + n_val < 2 or (n_train and n_val):
                continue
            src, dst = ("train", "val") if not n_val else ("val", "train")
            pick = min if src == "train" else max
            _, pi, i = pick((split_fraction(record_id, self.seed), pi, i)
                            for pi, g in enumerate(self.parts[(adapter, src)]) for i, record_id in enumerate(g.ids))
            moved, self.parts[(adapter, src)][pi] = self.parts[(adapter, src)][pi].split([i])
            self.parts[(adapter, dst)].append(moved)
            self.rewrite.update({(adapter, src), (adapter, dst)})

    def write(self, out: Path) -> dict:
        """Write {adapter}_{split}.json; return {file: {records, sha256, by_source}}."""
        self.close()
        written = {}
        for (adapter, split), parts in self.parts.items():
            name = f"{adapter}_{split}.json"
            sha = self.hashes.get((adapter, split))
            if sha is None or (adapter, split) in self.rewrite or out != self.out:
                sha = hashlib.sha256()
                with open(out / name, "wb") as fh:
                    for g in parts:
                        fh.write(g.blob)
                        sha.update(g.blob)
            by_source: Counter = Counter()
            for g in parts:
                by_source.update(g.sources)
            written[name] = {"records": sum(len(g.ids) for g in parts), "sha256": sha.hexdigest(),
                             "by_source": by_source}
        return written


# ---- the stage ------------------------------------------------------------------

def _resolve_dirs(cfg: PrepareConfig) -> dict[str, str]:
    from imi_lib.core import storage

    d = cfg.data_dir
    return {
        "raw": cfg.raw_dir or storage.join(d, "raw"),
        "processed": cfg.processed_dir or storage.join(d, "processed"),
        "synthetic": cfg.synthetic_dir or storage.join(d, "synthetic"),
        "eval": cfg.eval_dir,  # empty: RAW/eval, once RAW is local
        "out": cfg.out_dir or storage.join(d, "final"),
    }


def _worker_count(cfg: PrepareConfig) -> int:
    if cfg.workers > 0:
        return cfg.workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_REBUILD = {"raw": "imi collect --data-dir {d}", "processed": "imi ingest --data-dir {d}",
            "synthetic": "imi synthesize --data-dir {d}"}


def _is_record_file(rel: str) -> bool:
    """What `record_files` reads, as a path relative to its directory."""
    return "/" not in rel and rel.endswith(".jsonl") and not rel.startswith("quarantine")


def _verified_input(stack, uri: str, rebuild: str, markers: dict | None = None) -> Path:
    """A local, verified copy of an input directory; a path that does not exist when the input is absent.

    With `markers`, a local directory's record files are checked by size here and their sha256s
    later (`_confirm_inputs`): `_chunks` reads them whole and hashes them anyway, and a second pass
    over hundreds of MB before the workers start would hold everything up. Nothing is published
    before they are confirmed. Every other file is checked here.
    """
    import tempfile

    from imi_lib.core import storage

    if markers is not None and not storage.is_s3(uri) and Path(uri).exists():
        markers[uri] = storage.require_complete(uri, rebuild=rebuild, deferred=_is_record_file)
        return Path(uri)
    local = stack.enter_context(storage.open_verified(uri, rebuild=rebuild, missing_ok=True))
    if local is None:
        return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="imi-absent-"))) / "absent"
    return Path(local)


def run(cfg: PrepareConfig) -> dict:
    """Prepare D/final; returns the stats (also written to stats.json) plus the seconds taken."""
    import contextlib

    from imi_lib.core import storage
    from imi_lib.core.summary import StageTimer, print_summary

    if not 0 <= cfg.val_fraction < 1:
        raise config.ConfigError(f"val_fraction: {cfg.val_fraction} is not in [0, 1)")
    if cfg.workers < 0:
        raise config.ConfigError("workers: must be 0 (one per CPU core) or more")
    from imi_lib.data import phi

    phi.check_resources(cfg.prose_names)
    timer = StageTimer("prepare")
    dirs = _resolve_dirs(cfg)
    with contextlib.ExitStack() as stack:
        # every input is checked against its marker (each file's sha256) before anything is read;
        # a missing directory counts as empty, an incomplete or changed one is refused
        markers: dict = {}  # local input dir -> its marker, whose record files' sha256s are confirmed later
        local = {role: _verified_input(stack, dirs[role], _REBUILD[role].format(d=cfg.data_dir), markers)
                 for role in ("raw", "processed", "synthetic")}
        local["eval"] = (_verified_input(stack, dirs["eval"], _REBUILD["raw"].format(d=cfg.data_dir))
                         if dirs["eval"] else local["raw"] / EVAL_SUBDIR)
        rebuild = f"imi prepare --data-dir {cfg.data_dir}" + (f" --out-dir {cfg.out_dir}" if cfg.out_dir else "")
        out = Path(stack.enter_context(storage.publish_dir(dirs["out"], stage="prepare", rebuild=rebuild)))
        stats = _prepare_local(cfg, local, out, dirs, timer, markers)
    print_summary("prepare", {
        "in": stats["records_in"], "train": stats["split_totals"]["train"], "val": stats["split_totals"]["val"],
        "invalid": stats["dropped"]["invalid"], "duplicate": stats["dropped"]["duplicate"],
        "contaminated": stats["dropped"]["contaminated"], "phi": sum(stats["phi_replacements"].values()),
        "out": dirs["out"],
    }, seconds=timer.seconds)
    for w in stats["warnings"]:
        print(f"[imi prepare] warning: {w}", file=sys.stderr)
    return {**stats, "seconds": round(timer.seconds, 3)}


def _confirm_inputs(cfg: PrepareConfig, inputs: list, dirs: dict, markers: dict, hashes: dict) -> None:
    """Each record file's sha256, computed while it was cut into chunks, against its directory's marker."""
    from imi_lib.core import storage

    for f in inputs:
        marker = markers.get(dirs[f.role])
        if marker is not None:
            storage.confirm_sha256(dirs[f.role], marker, f.path.name, hashes[f.label],
                                   rebuild=_REBUILD[f.role].format(d=cfg.data_dir))


def _prepare_local(cfg: PrepareConfig, local: dict, out: Path, dirs: dict, timer, markers: dict | None = None) -> dict:
    from imi_lib.data import phi
    from imi_lib.data.phi import PHI_TYPES

    inputs = []
    for role in ("raw", "processed", "synthetic"):
        inputs += record_files(local[role], role)
    total_bytes = sum(f.path.stat().st_size for f in inputs)
    if total_bytes == 0:
        raise UserError(
            f"no records to prepare: no non-empty *.jsonl record files in {dirs['raw']}, {dirs['processed']} "
            f"or {dirs['synthetic']}; run `imi collect`, `imi ingest` or `imi synthesize` first")

    out.mkdir(parents=True, exist_ok=True)
    # outputs of an earlier run that this one might not rewrite
    (out / QUARANTINE_FILE).unlink(missing_ok=True)
    if (out / EVAL_SUBDIR).is_dir():
        for old in (out / EVAL_SUBDIR).glob("*.jsonl"):
            old.unlink()

    phi_counts: Counter = Counter()
    quarantine: list[bytes] = []
    eval_phi: dict = {}
    eval_index, eval_sets, eval_hashes = read_eval_sets(local["eval"], eval_phi, quarantine)
    # what the scrubber's prefilters load on first use (pyarrow.compute, and pandas, which pyarrow
    # imports to check its input): once here, inherited by the forked workers
    phi.prefilter([""])
    if cfg.prose_names:  # the learned pass's weights and gazetteers, loaded once for every worker
        phi.learned_pass_ready()

    hashes: dict = {}
    line_counts: dict = {}
    workers = min(_worker_count(cfg), -(-total_bytes // CHUNK_BYTES))
    results = _run_tasks(_chunks(inputs, hashes, line_counts), workers,
                         (eval_index, cfg.seed, cfg.val_fraction, cfg.prose_names),
                         total_bytes)
    next(results)  # the workers have started: the eval sets are scrubbed and written meanwhile
    (out / EVAL_SUBDIR).mkdir(parents=True, exist_ok=True)
    eval_stats = write_eval_sets(eval_sets, out / EVAL_SUBDIR, eval_phi, quarantine)
    phi_counts.update(eval_phi)
    by_source: dict = defaultdict(Counter)
    reasons: Counter = Counter()
    contaminated_by_set: Counter = Counter()
    final = FinalSplits(cfg.seed, out)
    try:
        for res in results:
            quarantine += res.quarantine
            reasons.update(res.reasons)
            contaminated_by_set.update(res.contaminated_by_set)
            phi_counts.update(res.phi_counts)
            for source, c in res.by_source.items():
                by_source[source].update(c)
            for where, g in res.groups.items():
                final.add(where, g)
        _confirm_inputs(cfg, inputs, dirs, markers or {}, hashes)
        final.ensure_val(cfg.val_fraction)
        written = final.write(out)
    finally:
        final.close()
    if quarantine:
        (out / QUARANTINE_FILE).write_bytes(b"".join(quarantine))

    for source, n in final.duplicate.items():
        by_source[source]["duplicate"] += n
    for source, n in final.duplicate_id.items():
        by_source[source]["duplicate_id"] += n
    by_adapter = {a: {s: written[f"{a}_{s}.json"]["records"] for s in SPLITS} for a in ADAPTERS}
    by_source_adapter: dict = defaultdict(dict)
    for adapter in ADAPTERS:
        for split in SPLITS:
            for source, n in written[f"{adapter}_{split}.json"]["by_source"].items():
                by_source[source][split] += n
                by_source_adapter[source].setdefault(adapter, {"train": 0, "val": 0})[split] = n
    warnings = [f"adapter {a} has no records: its train and val files are empty"
                for a in ADAPTERS if not sum(by_adapter[a].values())]
    columns = ("in", "invalid", "contaminated", "duplicate", "duplicate_id", "train", "val")
    stats = {
        "records_in": sum(c["in"] for c in by_source.values()),
        "split_totals": {s: sum(v[s] for v in by_adapter.values()) for s in SPLITS},
        "dropped": {k: sum(c[k] for c in by_source.values())
                    for k in ("invalid", "duplicate", "duplicate_id", "contaminated")},
        "by_source": {s: {k: c.get(k, 0) for k in columns} for s, c in sorted(by_source.items())},
        "by_adapter": by_adapter,
        "by_source_adapter": {s: dict(sorted(v.items())) for s, v in sorted(by_source_adapter.items())},
        "invalid_reasons": dict(sorted(reasons.items())),
        "contaminated_by_eval_set": dict(sorted(contaminated_by_set.items())),
        "phi_replacements": {k: phi_counts.get(k, 0) for k in PHI_TYPES},
        "eval_sets": eval_stats,
        "input_dirs": {role: {"files": sum(1 for f in inputs if f.role == role),
                              "lines": sum(n for label, n in line_counts.items() if label.startswith(f"{role}/"))}
                       for role in ("raw", "processed", "synthetic")},
        "input_files": {label: {"lines": n} for label, n in line_counts.items()},
        "val_fraction": cfg.val_fraction,
        "seed": cfg.seed,
        "warnings": warnings,
    }
    (out / STATS_FILE).write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    manifest = {
        "stage": "prepare",
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(timer.seconds, 3),
        "seed": cfg.seed,
        "config": dataclasses.asdict(cfg),
        "directories": dirs,
        "inputs": {label: {"sha256": hashes[label], "lines": line_counts[label]} for label in hashes},
        "eval_inputs": {label: {"sha256": h} for label, h in eval_hashes.items()},
        "outputs": {name: {"records": w["records"], "sha256": w["sha256"]} for name, w in written.items()},
        "versions": provenance.package_versions(),
    }
    # written last: a final/ with a manifest is complete
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return stats


def add_arguments(parser) -> None:
    config.add_arguments(parser, PrepareConfig)


def main(args) -> int:
    run(config.from_args(PrepareConfig, args))
    return 0
