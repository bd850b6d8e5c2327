"""The five open datasets `imi collect` reads, and how each row becomes records.

One `SourceSpec` per dataset: its hub id, the pinned revision, the config,
the license, which adapters it feeds, what each split is for (training,
evaluation, or skipped), and the function that maps one row to records.
docs/sources.md explains the choices; this module is the single place they
are made.

A row mapper takes the row (a dict, as `datasets` yields it) and a `RowContext`
and returns a list of `Record`s and/or `(eval set, EvalItem)` pairs. It raises
`InvalidRecord(reason)` when the row cannot be mapped (the collect stage then
quarantines the row with that reason). The mappers are plain functions of the
row, so they are cheap: no regexes compiled per row, no copies of the row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

from imi_lib.core.records import EvalItem, InvalidRecord, Record, stable_id

LETTERS = "ABCD"


@dataclass(frozen=True)
class RowContext:
    """Where a row came from; becomes the record's lineage and id."""

    source: str
    hub_id: str
    revision: str
    config: str | None
    split: str
    license: str

    def lineage(self, row: int) -> dict:
        return {"hub_id": self.hub_id, "revision": self.revision, "config": self.config,
                "split": self.split, "row": row}

    @cached_property
    def _id_prefix(self) -> str:
        return "\x1f".join((self.hub_id, self.revision, self.config or "", self.split, ""))

    def record_id(self, row: int, adapter: str) -> str:
        # adapter is part of the id because one row may feed two adapters; the same digest as
        # stable_id(hub_id, revision, config or "", split, row, adapter), the fixed parts joined once
        return hashlib.sha1(f"{self._id_prefix}{row}\x1f{adapter}".encode("utf-8")).hexdigest()[:16]

    def eval_id(self, row: int) -> str:
        return stable_id(self.hub_id, self.revision, self.config or "", self.split, row, "eval")


Mapper = Callable[[dict, int, RowContext], list]


@dataclass(frozen=True)
class SourceSpec:
    name: str  # short name: D/raw/<name>.jsonl and Record.source
    hub_id: str
    revision: str  # pinned commit on the hub (see the note on each source)
    config: str | None  # the `name=` passed to load_dataset
    license: str
    adapters: tuple[str, ...]
    # split -> "train" | "eval:<set name>" | "skip:<reason>"
    splits: dict[str, str]
    map_train: Mapper
    map_eval: Mapper | None = None
    eval_sets: tuple[str, ...] = ()  # every eval set this source can write
    description: str = ""
    approx_rows: int = 0  # rows in all splits of the real dataset; schedules the big ones first
    # PHI scrub in prepare: "patient" (everything) for patient conversations, "document" (only
    # identifiers never legitimate there) for exam questions and research abstracts
    phi_scope: str = "patient"

    def split_role(self, split: str) -> str:
        return self.splits.get(split, "skip:split not used by IMI Train")


# ---- instruction templates ------------------------------------------------
# One wording per (source kind, adapter); docs/sources.md shows them.

MCQ_EDUCATION = "Answer this USMLE-style multiple-choice question. Give the letter and the text of the correct option."
MCQ_CLINICAL_DECISION = ("Work through this clinical vignette as the treating physician and choose the best diagnosis "
                         "or next step in management from the options.")
MEDMCQA_EDUCATION = "Answer this {subject} multiple-choice question from a medical entrance exam and explain the answer."
MEDMCQA_PHARMACIST = ("As a clinical pharmacist, answer this pharmacology multiple-choice question ({topic}) and "
                      "explain the answer.")
PUBMEDQA_RESEARCH = ("Answer the research question from the abstract: state the conclusion the evidence supports, "
                     "then a final verdict of yes, no or maybe.")
PATIENT_TRIAGE = ("You are a doctor answering a patient's online message. Assess the problem, say how urgently "
                  "they should be seen, and give safe advice.")
CLINICAL_PHARMACIST = ("You are a clinical pharmacist answering a patient's question about their medicines. Explain "
                       "the medication issue (dose, side effect or interaction) and give safe advice.")


def _text(value: Any, what: str, *, required: bool = True) -> str:
    if value is None:
        if required:
            raise InvalidRecord(f"{what}: missing")
        return ""
    if not isinstance(value, str):
        raise InvalidRecord(f"{what}: expected text, got {type(value).__name__}")
    if required and not value.strip():
        raise InvalidRecord(f"{what}: empty")
    return value.strip()


def _options_block(options: dict) -> str:
    return "\n".join(f"{k}. {v}" for k, v in options.items())


def _four_options(values: list, what: str) -> dict:
    opts = {}
    for letter, v in zip(LETTERS, values):
        if not isinstance(v, str) or not v.strip():
            raise InvalidRecord(f"options: option {letter} of {what} is empty")
        opts[letter] = v.strip()
    return opts


# ---- MedQA (USMLE, 4 options) --------------------------------------------

def _medqa_parse(row: dict) -> tuple[str, dict, str]:
    question = _text(row.get("question"), "question")
    raw = row.get("options")
    if not isinstance(raw, dict):
        raise InvalidRecord("options: expected a mapping of letters to text")
    options = _four_options([raw.get(k) for k in LETTERS], "the question")
    letter = (row.get("answer_idx") or "").strip()
    if letter not in options:
        raise InvalidRecord(f"answer: answer_idx {letter!r} is not one of {', '.join(options)}")
    return question, options, letter


def map_medqa_train(row: dict, i: int, ctx: RowContext) -> list:
    question, options, letter = _medqa_parse(row)
    text = options[letter]
    prompt = f"{question}\n\n{_options_block(options)}"
    out = [Record(instruction=MCQ_EDUCATION, input=prompt, output=f"The correct answer is {letter}. {text}",
                  source=ctx.source, adapter="education", id=ctx.record_id(i, "education"),
                  license=ctx.license, lineage=ctx.lineage(i))]
    # Step 2/3 questions are management and diagnosis vignettes: the decision-support adapter
    # learns from those; Step 1 (basic science) stays with education only.
    if "2" in str(row.get("meta_info") or ""):
        out.append(Record(instruction=MCQ_CLINICAL_DECISION, input=prompt,
                          output=f"Best choice: {letter}. {text}", source=ctx.source, adapter="clinical_decision",
                          id=ctx.record_id(i, "clinical_decision"), license=ctx.license, lineage=ctx.lineage(i)))
    return out


def map_medqa_eval(row: dict, i: int, ctx: RowContext) -> list:
    question, options, letter = _medqa_parse(row)
    return [("medqa_test", EvalItem(id=ctx.eval_id(i), question=question, options=options, answer=letter,
                                    source=ctx.source, license=ctx.license, lineage=ctx.lineage(i)))]


# ---- MedMCQA (AIIMS/NEET PG) ---------------------------------------------

def _medmcqa_parse(row: dict) -> tuple[str, dict, str]:
    question = _text(row.get("question"), "question")
    options = _four_options([row.get(k) for k in ("opa", "opb", "opc", "opd")], "the question")
    cop = row.get("cop")
    if not isinstance(cop, int) or not 0 <= cop <= 3:
        raise InvalidRecord(f"answer: cop {cop!r} is not 0-3")
    return question, options, LETTERS[cop]


def map_medmcqa_train(row: dict, i: int, ctx: RowContext) -> list:
    question, options, letter = _medmcqa_parse(row)
    subject = (row.get("subject_name") or "").strip()
    topic = (row.get("topic_name") or "").strip()
    field_ = f"{subject} ({topic})" if subject and topic else (subject or "medical")
    output = f"The correct answer is {letter}. {options[letter]}"
    explanation = (row.get("exp") or "").strip()
    if explanation:
        output += f"\n\nExplanation: {explanation}"
    prompt = f"{question}\n\n{_options_block(options)}"
    out = [Record(instruction=MEDMCQA_EDUCATION.format(subject=field_), input=prompt,
                  output=output, source=ctx.source, adapter="education", id=ctx.record_id(i, "education"),
                  license=ctx.license, lineage=ctx.lineage(i))]
    # Pharmacology questions (drug choice, mechanisms, adverse effects, interactions) are the pharmacist
    # adapter's knowledge too: its second real-data source beside iCliniq's medicine questions
    if subject.lower() == "pharmacology":
        out.append(Record(instruction=MEDMCQA_PHARMACIST.format(topic=topic or "pharmacology"), input=prompt,
                          output=output, source=ctx.source, adapter="clinical_pharmacist",
                          id=ctx.record_id(i, "clinical_pharmacist"), license=ctx.license, lineage=ctx.lineage(i)))
    return out


def map_medmcqa_eval(row: dict, i: int, ctx: RowContext) -> list:
    question, options, letter = _medmcqa_parse(row)
    return [("medmcqa_validation", EvalItem(id=ctx.eval_id(i), question=question, options=options, answer=letter,
                                            source=ctx.source, license=ctx.license, lineage=ctx.lineage(i)))]


# ---- PubMedQA (pqa_labeled) -----------------------------------------------

PUBMEDQA_DECISIONS = {"yes": "A", "no": "B", "maybe": "C"}
PUBMEDQA_HOLDOUT_PERCENT = 20


def pubmedqa_is_holdout(pubid: Any) -> bool:
    """Deterministic ~20% hold-out of PQA-L by a hash of the pubid.

    Keyed on the pubid (not the row index) so a re-ordered or extended
    snapshot keeps every question on the same side of the split.
    """
    h = hashlib.sha1(f"pubmedqa-holdout:{pubid}".encode()).digest()
    return int.from_bytes(h[:4], "big") % 100 < PUBMEDQA_HOLDOUT_PERCENT


def _pubmedqa_abstract(row: dict) -> str:
    ctx = row.get("context") or {}
    contexts = ctx.get("contexts") or []
    labels = ctx.get("labels") or []
    parts = []
    for n, text in enumerate(contexts):
        if not isinstance(text, str) or not text.strip():
            continue
        label = labels[n] if n < len(labels) and isinstance(labels[n], str) else ""
        parts.append(f"{label.strip().upper()}: {text.strip()}" if label.strip() else text.strip())
    return "\n".join(parts)


def map_pubmedqa(row: dict, i: int, ctx: RowContext) -> list:
    question = _text(row.get("question"), "question")
    decision = (row.get("final_decision") or "").strip().lower()
    if decision not in PUBMEDQA_DECISIONS:
        raise InvalidRecord(f"answer: final_decision {row.get('final_decision')!r} is not yes, no or maybe")
    abstract = _pubmedqa_abstract(row)
    pubid = row.get("pubid")
    lineage = {**ctx.lineage(i), "pubid": pubid}
    if pubmedqa_is_holdout(pubid):
        item = EvalItem(id=ctx.eval_id(i), question=question, options={"A": "yes", "B": "no", "C": "maybe"},
                        answer=PUBMEDQA_DECISIONS[decision], source=ctx.source, context=abstract,
                        license=ctx.license, lineage=lineage)
        return [("pubmedqa_holdout", item)]
    long_answer = _text(row.get("long_answer"), "output")
    if not abstract:
        raise InvalidRecord("input: the abstract has no context passages")
    return [Record(instruction=PUBMEDQA_RESEARCH, input=f"Question: {question}\n\nAbstract:\n{abstract}",
                   output=f"{long_answer}\n\nFinal answer: {decision}", source=ctx.source, adapter="research",
                   id=ctx.record_id(i, "research"), license=ctx.license, lineage=lineage)]


# ---- ChatDoctor: HealthCareMagic-100k and iCliniq -------------------------

def map_healthcaremagic(row: dict, i: int, ctx: RowContext) -> list:
    # The source's own instruction is the same sentence on all 112k rows; our
    # template says what the adapter should do instead (prepare hashes the
    # whole record, so the shared instruction does not collapse rows).
    patient = _text(row.get("input"), "input")
    answer = _text(row.get("output"), "output")
    return [Record(instruction=PATIENT_TRIAGE, input=patient, output=answer, source=ctx.source,
                   adapter="patient_triage", id=ctx.record_id(i, "patient_triage"), license=ctx.license,
                   lineage=ctx.lineage(i))]


# ---- routing iCliniq: the medicine-question rule ----------------------------
# A message goes to the pharmacist adapter when what the patient *asks* is about a medicine, not when a
# medicine is merely mentioned in the history ("I took paracetamol for the fever, now the rash ..."):
#  1. it uses a pharmacotherapy term anywhere (side effect, interaction, overdose, missed dose, dosage,
#     withdrawal, "along with"/"together with" a medicine, "safe to take/use", "despite taking"), or
#  2. one of its question sentences (ends in "?" or opens with a request: can/should/is it safe/how
#     long/please suggest/I request you/I am wondering ...) names a medicine or a dose: a drug by name or
#     by its class suffix, a dosage form (tablet, capsule, syrup, injection, inhaler, ointment, gel,
#     lotion, spray, vaccine, medicine, medication, drug, product), a dose, a name with a strength
#     ("Thyronorm 75 mcg"), or a capitalised name after a verb of taking ("when should I stop my
#     Clexane?"); a short question ("Is it safe?") is read together with the sentence before it.
# The cues were chosen on real iCliniq messages (tests/real/icliniq_medicine_labels.jsonl); they are
# general phrasings, no product list beyond the common Indian brands already named.
_MEDICINE = (r"(?:tablets?|tabs?|capsules?|caps|pills?|syrups?|injections?|inhalers?|ointments?|creams?|drops|"
             r"gels?|lotions?|sprays?|suppositor(?:y|ies)|lozenges?|vaccines?|products?|"
             r"medicines?|medications?|meds|drugs?|antibiotics?|painkillers?|antidepressants?|contraceptives?|"
             r"supplements?|vitamins?|steroids?|insulin|paracetamol|acetaminophen|aspirin|ibuprofen|dolo|crocin|"
             r"warfarin|levothyroxine|thyronorm|eltroxin|metformin|glimepiride|prednisolone|cetirizine|"
             r"montelukast|pantoprazole|omeprazole|ranitidine|diclofenac|tramadol|clonazepam|alprazolam|"
             r"escitalopram|sertraline|fluoxetine|gabapentin|pregabalin|azithromycin|amoxicillin|ciprofloxacin|"
             r"doxycycline|metronidazole|fluconazole|acyclovir|valacyclovir|ivermectin|albendazole|"
             r"[a-z]{3,}(?:cillin|mycin|cycline|prazole|tidine|sartan|pril|olol|statin|formin|floxacin|dipine|profen|"
             r"farin|azepam|zolam|oxetine|pramine|triptyline|gliptin|glitazone|semide|thiazide|conazole|vir|"
             r"mab|nib|parin|xaban|gatran|caine|dronate|sone|olone|lukast|tadine|setron))\b")
_PHARMACOTHERAPY = re.compile(
    r"\b(?:side[- ]?effects?|adverse effects?|interactions?|interact|overdose|overdosed|missed (?:a |my |the )?dose|"
    r"double dose|dosage|dosing|withdrawal|safe to (?:take|use|give|continue|consume)|"
    r"(?:despite|in spite of) (?:taking|using|being on)|"
    r"(?:along|together) with (?:my |the |a |this )?" + _MEDICINE + ")",
    re.IGNORECASE)
_MEDICINE_RX = re.compile(r"\b(?:" + _MEDICINE + r"|\bdos(?:e|es|age)\b)", re.IGNORECASE)
# a brand or drug name the lists cannot know: a capitalised name with a strength, or after a verb of taking
_NAMED_DRUG = re.compile(
    r"\b[A-Z][A-Za-z-]{2,}\s?\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ug|ml|mL|IU)\b|"
    r"\b(?:[Tt]ake|[Tt]aking|[Ss]top|[Ss]topping|[Ss]tart|[Ss]tarting|[Cc]ontinue|[Uu]se|[Uu]sing|[Aa]pply|[Gg]ive)"
    r"\s+(?:my |the |this |these |her |his |him |me )?[A-Z][a-z]{3,}")
_REQUEST = re.compile(r"^\W*(?:(?:now|so|also|and|but|then|doctor|sir|madam),?\s+)?"
                      r"(?:can|could|should|shall|may|is it|is this|are they|will|would|how (?:long|much|many|often)|"
                      r"when (?:should|can|to)|which|what (?:dose|medicine|tablet|drug)|"
                      r"(?:please|kindly)(?! help\b)|suggest|i request|i (?:am|was) wondering|"
                      r"i (?:would )?(?:like|want|wish|need) to know|let me know)\b",
                      re.IGNORECASE)
# "Should I stop?", "What is the benefit of continuing it?": a question about going on with a treatment,
# asked of a message that names a medicine somewhere
_CONTINUE = re.compile(r"\b(?:stop|stopping|continue|continuing|discontinue|discontinuing|reduce|reducing|taper|"
                       r"tapering|skip|skipping|switch|switching)(?:\s+(?:it|them|this|these|that|taking|using))?"
                       r"\s*(?:[?.]|$)", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.?!\n]+[.?!]*")


def is_medicine_question(message: str) -> bool:
    """The medicine-question rule (see above): True if the patient asks about a medicine."""
    if _PHARMACOTHERAPY.search(message):
        return True
    previous = ""
    for sentence in _SENTENCE.findall(message):
        if sentence.rstrip().endswith("?") or _REQUEST.search(sentence):
            # a short question ("Is it safe?", "What should I do?") is about the sentence before it
            about = f"{previous} {sentence}" if len(sentence.split()) <= 6 else sentence
            if _MEDICINE_RX.search(about) or _NAMED_DRUG.search(about):
                return True
            if _CONTINUE.search(sentence) and (_MEDICINE_RX.search(message) or _NAMED_DRUG.search(message)):
                return True
        previous = sentence
    return False


def map_icliniq(row: dict, i: int, ctx: RowContext) -> list:
    # Only the human doctor's answer is training data: answer_chatgpt and
    # answer_chatdoctor are model outputs and are never read.
    patient = _text(row.get("input"), "input")
    answer = _text(row.get("answer_icliniq"), "output")
    if is_medicine_question(patient):
        adapter, instruction = "clinical_pharmacist", CLINICAL_PHARMACIST
    else:
        adapter, instruction = "patient_triage", PATIENT_TRIAGE
    return [Record(instruction=instruction, input=patient, output=answer, source=ctx.source, adapter=adapter,
                   id=ctx.record_id(i, adapter), license=ctx.license, lineage=ctx.lineage(i))]


# ---- the registry ---------------------------------------------------------
# Revisions: the commit each dataset is pinned to. They were read from the
# hub's web pages through an offline index and could not be checked against
# the live hub from this environment; `imi collect` passes them to
# `load_dataset(revision=...)` unchanged.

SOURCES: dict[str, SourceSpec] = {
    "medqa": SourceSpec(
        name="medqa",
        hub_id="GBaker/MedQA-USMLE-4-options",
        # head of main, "Update README.md" (Jan 2023): README.md, phrases_no_exclude_{train,test}.jsonl
        revision="0fb93dd23a7339b6dcd27e241cb9b5eca62d4d18",
        config=None,
        # the hub card says cc-by-4.0; the upstream MedQA code and data repo (jind11/MedQA) is MIT
        license="cc-by-4.0",
        adapters=("education", "clinical_decision"),
        splits={"train": "train", "test": "eval:medqa_test"},
        map_train=map_medqa_train,
        map_eval=map_medqa_eval,
        eval_sets=("medqa_test",),
        description="USMLE-style questions with 4 options (10.2k train, 1.27k test)",
        approx_rows=11451,
        phi_scope="document",
    ),
    "medmcqa": SourceSpec(
        name="medmcqa",
        hub_id="openlifescienceai/medmcqa",
        # "Convert dataset to Parquet (#4)" (Jan 2024), head of main: data/{train,validation,test}-00000-of-00001.parquet
        revision="91c6572c454088bf71b679ad90aa8dffcd0d5868",
        config=None,
        license="apache-2.0",
        adapters=("education", "clinical_pharmacist"),
        splits={"train": "train", "validation": "eval:medmcqa_validation", "test": "skip:no answer key (cop = -1)"},
        map_train=map_medmcqa_train,
        map_eval=map_medmcqa_eval,
        eval_sets=("medmcqa_validation",),
        description="Indian medical entrance exam questions, 4 options, explanations (183k train, 4.2k validation)",
        approx_rows=193155,
        phi_scope="document",
    ),
    "pubmedqa": SourceSpec(
        name="pubmedqa",
        hub_id="qiaojin/PubMedQA",
        # Files: pqa_{labeled,artificial,unlabeled}/train-00000-of-00001.parquet. The sha that independent
        # public code pins for pqa_labeled (several projects load it); `make verify-revisions` checks it.
        revision="9001f2853fb87cab8d220904e0de81ac6973b318",
        config="pqa_labeled",
        license="mit",
        adapters=("research",),
        splits={"train": "train"},  # one split; ~20% by pubid hash becomes the pubmedqa_holdout eval set
        map_train=map_pubmedqa,
        eval_sets=("pubmedqa_holdout",),
        description="1k expert-labelled research questions over PubMed abstracts (yes/no/maybe + conclusion)",
        approx_rows=1000,
        phi_scope="document",
    ),
    "healthcaremagic": SourceSpec(
        name="healthcaremagic",
        hub_id="lavita/ChatDoctor-HealthCareMagic-100k",
        # head of main, "Upload README.md with huggingface_hub" (Sep 2023): the full sha of the 505443e
        # commit, as public code that loads this dataset pins it; `make verify-revisions` checks it.
        # Files: data/train-00000-of-00001-5e7cb295b9cff0bf.parquet
        revision="505443eac4e99ccedeffbb6f640061223d1d4bb3",
        config=None,
        # no license on the card; ChatDoctor (Li et al. 2023) releases the data for research use
        license="research-only (ChatDoctor; no license on the hub card)",
        adapters=("patient_triage",),
        splits={"train": "train"},
        map_train=map_healthcaremagic,
        description="112k patient questions with doctors' answers from HealthCareMagic.com",
        approx_rows=112165,
    ),
    "icliniq": SourceSpec(
        name="icliniq",
        hub_id="lavita/ChatDoctor-iCliniq",
        # head of main (Sep 2023): the full sha of the f2220c8 commit, as public code pins it; checked as above.
        # Files: data/train-00000-of-00001-7f15f39e4c3a7ee9.parquet
        revision="f2220c8483eb01c0e962ee37b5d32f4879fb0b74",
        config=None,
        license="research-only (ChatDoctor; no license on the hub card)",
        adapters=("patient_triage", "clinical_pharmacist"),
        splits={"train": "train"},
        map_train=map_icliniq,
        description="7.3k patient questions with iCliniq doctors' answers (plus ChatGPT/ChatDoctor answers, unused)",
        approx_rows=7321,
    ),
}


def resolve_sources(spec: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """`all`/None, a comma list or a list -> known source names, in registry order."""
    if spec is None:
        return list(SOURCES)
    names = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else [str(s).strip() for s in spec]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in SOURCES and n != "all"]
    if unknown:
        from imi_lib.core.config import ConfigError

        raise ConfigError(f"unknown source {', '.join(repr(u) for u in unknown)}; "
                          f"choose 'all' or any of: {', '.join(SOURCES)}")
    if not names or "all" in names:
        return list(SOURCES)
    return [n for n in SOURCES if n in names]


# ---- column types ---------------------------------------------------------
# What each source's columns must hold, as `datasets` yields them. collect
# checks every row against it before the row's mapper runs: a mirror whose
# column holds another type (integers where the hub has text) is quarantined
# with the reason, never stringified. None (a missing value) passes here; the
# mappers decide whether the column is required.

_TEXT = (str,)
SCHEMAS: dict[str, dict[str, tuple[type, ...]]] = {
    "medqa": {"question": _TEXT, "answer": _TEXT, "options": (dict,), "meta_info": _TEXT, "answer_idx": _TEXT},
    "medmcqa": {"question": _TEXT, "opa": _TEXT, "opb": _TEXT, "opc": _TEXT, "opd": _TEXT, "cop": (int,),
                "subject_name": _TEXT, "topic_name": _TEXT, "exp": _TEXT, "choice_type": _TEXT, "id": _TEXT},
    "pubmedqa": {"pubid": (int,), "question": _TEXT, "context": (dict,), "long_answer": _TEXT,
                 "final_decision": _TEXT},
    "healthcaremagic": {"instruction": _TEXT, "input": _TEXT, "output": _TEXT},
    "icliniq": {"input": _TEXT, "answer_icliniq": _TEXT, "answer_chatgpt": _TEXT, "answer_chatdoctor": _TEXT},
}
_TYPE_NAMES = {str: "text", int: "an integer", dict: "a mapping", list: "a list", float: "a number"}


def _python_type(feature) -> type | None:
    """The Python type every non-null value of a `datasets` feature has, or None when it cannot be told."""
    if isinstance(feature, dict):
        return dict
    if type(feature).__name__ == "ClassLabel":
        return int
    if type(feature).__name__ in ("List", "Sequence", "LargeList"):
        return list
    dtype = getattr(feature, "dtype", None)
    if dtype in ("string", "large_string"):
        return str
    if dtype == "bool":
        return bool
    if isinstance(dtype, str) and dtype.startswith(("int", "uint")):
        return int
    if isinstance(dtype, str) and dtype.startswith("float"):
        return float
    return None


def columns_to_check(source: str, features) -> tuple[str, ...]:
    """The schema columns whose type a split's features do not already guarantee (checked row by row).

    An Arrow column of one type yields only that type (or None), so where it
    matches the schema no row needs a check: the common case costs nothing per row.
    """
    out = []
    for column, allowed in SCHEMAS.get(source, {}).items():
        if column not in features:
            continue
        have = _python_type(features[column])
        if have is None or have not in allowed:
            out.append(column)
    return tuple(out)


def column_type_error(source: str, row: dict, columns: tuple[str, ...] | None = None) -> str | None:
    """The quarantine reason when a column of `row` holds a type the source's schema does not allow, else None.

    `columns`: only these schema columns (see `columns_to_check`); all of them by default.
    """
    schema = SCHEMAS.get(source, {})
    for column, allowed in (schema.items() if columns is None else ((c, schema[c]) for c in columns)):
        value = row.get(column)
        if value is None:
            continue
        # bool is an int to Python, never to a schema
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            return (f"schema: column {column!r} holds {type(value).__name__} {str(value)[:40]!r}, "
                    f"expected {_TYPE_NAMES.get(allowed[0], allowed[0].__name__)}")
    return None
