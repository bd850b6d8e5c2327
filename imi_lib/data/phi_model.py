"""The learned pass of the PHI scrubber: a token classifier run beside the rules, in patient text only.

The rules of `phi` catch the shapes their examples showed; on sets written
later by people who never saw them they missed 2-7% of identifiers, nearly
all in shapes no earlier set had. This pass is a multinomial logistic
regression over the words and shapes around each token that holds a capital
or a digit, trained on every labelled set in tests/phi_eval (the identifier
sets and the prose-name sets, with their PHI-free texts as negatives; see
names/make_phi_model.py). A token whose probability of being PHI is at
least THRESHOLD, of a class in APPLIED (addresses and identifying numbers)
and plausible for it, is replaced with its neighbours of the same kind in
what the rules left: the pass only adds replacements.

Features are hashed (CRC-32, HASH_BITS bits) so the weights are a dense
matrix, stored as float16 in names/phi_model.npz; inference needs numpy
only. Run with the prose-name pass (`prose_names`), on patient scope only:
research abstracts and regulatory text never see it.
"""

from __future__ import annotations

import itertools
import re
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

HASH_BITS = 18
CLASSES = ("O", "NAME", "DATE", "AGE", "ADDRESS", "ID")
# the labelled types each class stands for (an ID is any number or code tied to a person)
CLASS_OF_TYPE = {"NAME": 1, "DATE": 2, "AGE": 3, "ADDRESS": 4}
# the classes the pass replaces. Its names overrode what the prose-name rules know is no person (brands after
# "Dr.", "my daughter May have", pets, places); its dates and ages what the date and age rules know is a reading,
# a score or a product's date ("8/10", "11/2024", "94 de saturación", "96 F"): those stay the rules' own. They
# are still learned (they tell the other classes apart).
APPLIED = frozenset({"ADDRESS", "ID"})
THRESHOLD = 0.7  # chosen on sets 54, 55 and prose set 30 with a model trained without them (docs/prepare.md)
MODEL_FILE = Path(__file__).parent / "names" / "phi_model.npz"

TOKEN_RX = re.compile(r"\w+|[^\w\s]")
PAD = 3  # tokens of context on each side
# what may stand between two tokens of one identifier ("12/03/1929", "07700 900123", "Mary-Jane")
_JOINER_RX = re.compile(r"[ \-/.,:]{0,3}")
_JOINER_TOKENS = frozenset("-/.,:")  # the tokens _JOINER_RX may hold
_RUNS_RX = re.compile(r"(.)\1\1+")
_SHAPE_TABLE = {c: ("X" if chr(c).isupper() else "x" if chr(c).isalpha() else "d" if chr(c).isdigit() else "o")
                for c in range(0x3000)}
_AGE_WORD_RX = re.compile(r"(?i)(?:nine|one hundred|hundred)")
# readings an age-shaped number may be (a pulse of 93, SpO2 94%, BP 146/92, sugar 95 mg/dl)
_VITAL_BEFORE_RX = re.compile(r"(?i)(?:bp|pulse|hr|heart|rate|spo2|sp02|o2|sats?|saturation|sugar|glucose|fbs|rbs|"
                              r"ppbs|hb|temp\w*|weight|wt|rr|resp\w*|bpm|level|score|iq|percentiles?|percentil)"
                              r"\W{0,3}(?:\w+\W{1,3})?$|\d[/:]$")
_VITAL_AFTER_RX = re.compile(r"(?i)\s*(?:%|/|mg|mm|bpm|kg|lb|cm|mmol|g/|beats|per|over\b|units?\b|iu\b|ml\b)")
_BP_RX = re.compile(r"\d{2,3}\s*/\s*\d{2,3}")
_DIGIT_RUN_RX = re.compile(r"\d{3}")  # an ID has a run of three digits at least ("10 30 and 14 45" are times)
_POSTCODE_RX = re.compile(r"\d{4}")
_ANY_DIGIT_RX = re.compile(r"\d")
_DIGIT_KINDS = frozenset({"ADDRESS", "ID"})  # the kinds `_plausible` takes only with a digit (\d) in them
# the numbers of things, not people, before a code: lots, batches, catalogue references, books and papers, rooms
_THING_NUMBER_BEFORE_RX = re.compile(
    r"(?i)(?:lot|lote|lotto|batch|charge|ref|reference|cat|catalogue|catalog|isbn|issn|doi|pmid|pmcid|nct|room|"
    r"bed|ward|protocol|trial|study|model|version|reading|code|exp|expiry|expires)\b")
_LOWER_WORD_RX = re.compile(r"[a-z]{2,}")
_UNIT_AFTER_RX = re.compile(r"(?i)\s*(?:%|mmhg|mg\b|mcg|ml\b|kg\b|cm\b|mm\b|iu\b|units?\b|°)")
# (template, offsets) of the features: the token's word, shape, first and last three letters, length and
# gazetteer bits; the words of three tokens either side, the shapes and gazetteer bits of two; the two
# words before, the words either side, the shapes of the three tokens around
_UNARY = [(0, "w", 0), (1, "s", 0), (2, "p", 0), (3, "x", 0), (4, "l", 0), (5, "g", 0),
          (6, "w", -3), (7, "w", -2), (8, "w", -1), (9, "w", 1), (10, "w", 2), (11, "w", 3),
          (12, "s", -2), (13, "s", -1), (14, "s", 1), (15, "s", 2),
          (16, "g", -2), (17, "g", -1), (18, "g", 1), (19, "g", 2)]
_PAIRS = [(20, ("w", -2), ("w", -1)), (21, ("w", -1), ("w", 1)), (22, ("s", -1), ("s", 0))]
N_FEATURES = len(_UNARY) + len(_PAIRS) + 1  # + the shapes of three tokens (22's pair with the next shape)
_COLUMNS = {"w": 0, "s": 1, "p": 2, "x": 3, "l": 4, "g": 5}
_M1, _M2, _M3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)
_SHIFT = np.uint64(64 - HASH_BITS)


def shape(token: str) -> str:
    """Capitals X, other letters x, digits d, the rest o; runs of three or more cut to two ("Xxx", "dd-dd" -> "ddodd")."""
    s = token.translate(_SHAPE_TABLE)
    if len(s) > 2:
        s = _RUNS_RX.sub(r"\1\1", s)
    return s


def is_candidate(token: str) -> bool:
    """Only tokens with a capital or a digit are classified (identifiers in lower case are the rules' to find)."""
    return not token.islower() and any(c.isupper() or c.isdigit() for c in token)


def _crc(s: str) -> int:
    return zlib.crc32(s.encode("utf-8", "surrogatepass"))


class _Lexicon:
    """The gazetteers, and a table of what the features need of each token seen (its row in `rows`)."""

    def __init__(self, skip: frozenset = frozenset()) -> None:
        from imi_lib.data import phi

        self.skip = skip  # tokens never classified (frequent in training and never PHI there: "I", "The", "Dr")

        phi._gazetteer()
        self.names = phi._GAZETTEER
        self.vocab = phi._VOCABULARY
        self.places = phi._places()
        self.index: dict[str, int] = {}
        self.tokens: list[str] = []
        self.table: list[tuple] = []
        self.rows = np.zeros((0, 9), dtype=np.uint64)
        self._flags = np.zeros(0, dtype=np.uint8)
        self.start = self.row("<s>")
        self.end = self.row("</s>")

    def row(self, token: str) -> int:
        i = self.index.get(token)
        if i is None:
            if len(self.table) >= 1_000_000:  # a bound on memory over a long run: start again
                self.index.clear()
                self.tokens.clear()
                self.table.clear()
                self.rows = np.zeros((0, 9), dtype=np.uint64)
                self.start, self.end = self.row("<s>"), self.row("</s>")
            lo = token.lower()
            gaz = 4 * (lo in self.names) + 2 * (lo in self.vocab) + (lo in self.places)
            i = len(self.table)
            self.index[token] = i
            self.tokens.append(token)
            candidate = is_candidate(token) and token not in ("<s>", "</s>") and token not in self.skip
            self.table.append((_crc(lo), _crc(shape(token)), _crc(lo[:3]), _crc(lo[-3:]), min(len(token), 12), gaz,
                               candidate, candidate and _ANY_DIGIT_RX.search(token) is not None,
                               candidate or token in _JOINER_TOKENS))
        return i

    def matrix(self) -> np.ndarray:
        if len(self.rows) < len(self.table):
            self.rows = np.vstack([self.rows, np.asarray(self.table[len(self.rows):], dtype=np.uint64)])
        return self.rows

    def flags(self) -> np.ndarray:
        """Per row, one byte: 1 a candidate, 2 a candidate with a digit, 4 a candidate or a joiner token."""
        rows = self.matrix()
        if len(self._flags) != len(rows):
            self._flags = (rows[:, 6] | rows[:, 7] << np.uint64(1) | rows[:, 8] << np.uint64(2)).astype(np.uint8)
        return self._flags


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """The lexicon of training: every token with a capital or a digit is a candidate."""
    return _Lexicon()


def _mix(template: int, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    h = a * _M1 + np.uint64((template + 1) * int(_M2) & 0xFFFFFFFFFFFFFFFF)
    if b is not None:
        h = (h ^ (h >> np.uint64(29))) * _M3 + b * _M1
    return (h ^ (h >> np.uint64(31))) * _M3 >> _SHIFT


class Candidates:
    """The candidate tokens of a batch of texts: their hashed features, one array of column indices per
    feature template, and for each the text it is in, its index among `TOKEN_RX.findall(text)` and its row
    in the lexicon."""

    def __init__(self, columns: list, text: np.ndarray, position: np.ndarray, row: np.ndarray) -> None:
        self.columns, self.text, self.position, self.row = columns, text, position, row

    def __len__(self) -> int:
        return len(self.text)

    def matrix(self) -> np.ndarray:
        """candidates x N_FEATURES column indices (for training)."""
        return np.stack(self.columns, axis=1).astype(np.int64) if len(self) else np.zeros((0, N_FEATURES), np.int64)


def encode(texts: list[str], lex: _Lexicon | None = None, digit_runs: bool = False) -> Candidates:
    """The candidate tokens of `texts` and their features.

    With `digit_runs`, only the candidates of a run that holds a digit: a run is candidates and the tokens
    between them that `_JOINER_RX` may hold ("Flat 3, Rose Court", "AB12-345"), up to the first other token.
    Neighbours of one kind merge into a span only across such text, so a span of a run without a digit has
    none, and `_plausible` drops every address or ID without one: `Model.spans` finds the same spans.

    Python touches each token once, in C (findall, a dict lookup per token); the features are numpy."""
    lex = lex or _lexicon()
    get, row, s, e = lex.index.get, lex.row, lex.start, lex.end
    ids: list = []
    bounds: list[int] = []
    for text in texts:
        tokens = TOKEN_RX.findall(text)
        ids += (s, s, s)
        bounds.append(len(ids))
        found = list(map(get, tokens))
        if None in found:  # tokens not seen before
            found = [row(t) if i is None else i for t, i in zip(tokens, found)]
        ids += found
        ids += (e, e, e)
    table = lex.matrix()
    all_ids = np.asarray(ids, dtype=np.int64)
    flags = lex.flags()[all_ids]
    pos = np.nonzero(flags & 1)[0]
    if digit_runs and len(pos):
        # runs: maximal stretches of candidates and joiner tokens (the pads <s>, </s> break them)
        run = np.cumsum((flags & 4) == 0)
        has_digit = np.zeros(int(run[-1]) + 1, dtype=bool)
        has_digit[run[(flags & 2) != 0]] = True
        pos = pos[has_digit[run[pos]]]
    if not len(pos):
        empty = np.zeros(0, dtype=np.int64)
        return Candidates([], empty, empty, empty)
    starts = np.asarray(bounds, dtype=np.int64)
    which = np.searchsorted(starts, pos, side="right") - 1
    rows = table[all_ids[np.concatenate([pos + d for d in range(-PAD, PAD + 1)])]].reshape(2 * PAD + 1, len(pos), -1)

    def col(kind: str, offset: int) -> np.ndarray:
        return rows[offset + PAD, :, _COLUMNS[kind]]

    cols = [_mix(template, col(kind, offset)) for template, kind, offset in _UNARY]
    cols += [_mix(template, col(k1, o1), col(k2, o2)) for template, (k1, o1), (k2, o2) in _PAIRS]
    cols.append(_mix(23, cols[-1], col("s", 1)))  # the shapes of the three tokens around
    return Candidates(cols, which, pos - starts[which], all_ids[pos])


def token_offsets(text: str, limit: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, token) of each token of `text` (of the first `limit`), in `encode`'s order."""
    return [(m.start(), m.end(), m.group()) for m in itertools.islice(TOKEN_RX.finditer(text), limit)]


class Model:
    def __init__(self, weights: np.ndarray, bias: np.ndarray, threshold: float = THRESHOLD,
                 skip: frozenset = frozenset()) -> None:
        self.weights = weights.astype(np.float32)  # (2**HASH_BITS features, classes)
        self.bias = bias.astype(np.float32)
        self.threshold = threshold
        self.skip = skip
        self.applied = APPLIED
        self._lexicon: _Lexicon | None = None

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "Model":
        with np.load(path) as z:
            return cls(z["weights"], z["bias"], float(z["threshold"]), frozenset(z["skip"].tolist()))

    @property
    def lexicon(self) -> _Lexicon:
        if self._lexicon is None:
            self._lexicon = _Lexicon(self.skip)
        return self._lexicon

    def probabilities(self, columns: list) -> np.ndarray:
        """Class probabilities (tokens x CLASSES) of tokens given by their hashed features (`Candidates.columns`)."""
        scores = np.broadcast_to(self.bias, (len(columns[0]), len(self.bias))).copy()
        for column in columns:  # one feature at a time: no tokens x features x classes array
            scores += self.weights[column]
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)

    def spans(self, texts: list[str], scrubbed: list[str] | None = None) -> list[list[tuple[int, int, str]]]:
        """For each text, the spans (start, end, type) the model takes for PHI, neighbours of one type merged;
        with `scrubbed` (what the rules made of each text), only tokens the rules left in it."""
        if scrubbed is not None and self.applied <= _DIGIT_KINDS:
            # an address or an ID holds a digit (`_plausible`), and only tokens the rules left count: a text
            # whose scrubbed form has no digit left has nothing to find, and most patient texts have none
            keep = [k for k, done in enumerate(scrubbed) if _ANY_DIGIT_RX.search(done) is not None]
            if len(keep) < len(texts):
                out = [[] for _ in texts]
                if keep:
                    for k, found in zip(keep, self.spans([texts[k] for k in keep], [scrubbed[k] for k in keep])):
                        out[k] = found
                return out
        cands = encode(texts, self.lexicon, digit_runs=self.applied <= _DIGIT_KINDS)
        out: list[list] = [[] for _ in texts]
        if not len(cands):
            return out
        probs = self.probabilities(cands.columns)
        phi_prob = 1.0 - probs[:, 0]
        kinds = probs[:, 1:].argmax(axis=1) + 1
        tokens = self.lexicon.tokens
        hits = []  # (text, token index, kind) of the tokens taken for PHI that the rules left
        for n in np.nonzero(phi_prob >= self.threshold)[0].tolist():
            k = int(cands.text[n])
            if scrubbed is None or tokens[cands.row[n]] in scrubbed[k]:  # else the rules replaced it
                kind = CLASSES[kinds[n]]
                if kind in self.applied:
                    hits.append((k, int(cands.position[n]), kind))
        last: dict[int, int] = {}
        for k, p, _kind in hits:
            last[k] = p
        offsets = {k: token_offsets(texts[k], p + 1) for k, p in last.items()}
        for k, p, kind in hits:
            start, end, token = offsets[k][p]
            text, spans = texts[k], out[k]
            if kind == "AGE" and not _is_old_age(text, start, end, token):
                continue
            if spans and spans[-1][2] == kind and _JOINER_RX.fullmatch(text, spans[-1][1], start):
                spans[-1] = (spans[-1][0], end, kind)
            else:
                spans.append((start, end, kind))
        return [[sp for sp in spans if _plausible(texts[k][sp[0]:sp[1]], sp[2]) and _not_a_thing(texts[k], *sp)]
                for k, spans in enumerate(out)]


def _plausible(value: str, kind: str) -> bool:
    """What no identifier of `kind` looks like: a number alone as a date ("exp. 08/2026" gives the year only),
    an ID of fewer than four digits or a blood pressure (146/77), a one-letter name, an address of small numbers
    ("flat 2, 3 days")."""
    if kind == "DATE":
        return not value.isdigit()
    if kind == "ID":
        return sum(c.isdigit() for c in value) >= 4 and _DIGIT_RUN_RX.search(value) is not None \
            and not _BP_RX.fullmatch(value)
    if kind == "NAME":
        return len(value) > 1
    if kind == "ADDRESS":  # a street has a name and a number, a postcode four digits or letters and digits
        return (any(c.isalpha() for c in value) and _ANY_DIGIT_RX.search(value) is not None) or \
            _POSTCODE_RX.search(value) is not None
    return True


def _not_a_thing(text: str, start: int, end: int, kind: str) -> bool:
    """An ID after "Lot", "REF", "ISBN", "room" or before a unit is a thing's number or a reading."""
    if kind != "ID":
        return True
    if _UNIT_AFTER_RX.match(text, end):
        return False
    before = text[max(0, start - 40):start]
    things = list(_THING_NUMBER_BEFORE_RX.finditer(before))
    # the thing's word, then only codes and numbers up to the ID ("Reference GB12 ABCD 1234", "Lot no. 44521")
    rest = before[things[-1].end():] if things else ""
    return not things or _LOWER_WORD_RX.search(rest.replace("no", "").replace("number", "")) is not None


def _is_old_age(text: str, start: int, end: int, token: str) -> bool:
    """An age the rules must hide: a number over 89 (ages of 89 and under are kept) that is no reading, or one in words."""
    if token.isdecimal():
        return 90 <= int(token) <= 130 and not _VITAL_BEFORE_RX.search(text, max(0, start - 30), start) \
            and not _VITAL_AFTER_RX.match(text, end)
    return _AGE_WORD_RX.match(token) is not None


@lru_cache(maxsize=1)
def model() -> Model:
    return Model.load()


def apply(original: str, scrubbed: str, spans: list[tuple[int, int, str]], placeholders: dict,
          counts: dict | None) -> str:
    """`scrubbed` with every span of `original` that the rules left in it replaced (whole words only)."""
    for start, end, kind in spans:
        value = original[start:end]
        if value not in scrubbed:
            continue
        rx = re.compile(r"(?<!\w)" + re.escape(value) + r"(?!\w)")
        scrubbed, n = rx.subn(placeholders[kind].replace("\\", "\\\\"), scrubbed)
        if n and counts is not None:
            counts[kind] = counts.get(kind, 0) + n
    return scrubbed
