"""Benchmark the data half: `imi collect` from a hub mirror, then `imi prepare`, at full volume.

    .venv/bin/python benchmarks/bench_data.py                 # ~325k rows -> ~330k records
    .venv/bin/python benchmarks/bench_data.py --scale 0.1     # a quick run
    .venv/bin/python benchmarks/bench_data.py --workdir /tmp/bench --keep

Builds a synthetic corpus shaped like the five datasets at their real split
sizes (MedQA 10.2k+1.3k, MedMCQA 183k+4.2k+6.2k, PubMedQA 1k, HealthCareMagic
112k with one identical instruction, iCliniq 7.3k) with realistic text
lengths, planted PHI (~2% of patient messages), near-duplicates (whitespace
and case variants) and eval questions repeated in training splits. It is
written in the hub mirror layout by the fixture writers in
tests/fixtures/make_hub_fixtures.py (their row tables are swapped for the
generated rows), so collect reads it through `datasets.load_dataset` exactly
as it reads the fixtures.

Prints seconds, records/s per stage and in total, CPU seconds (this process
plus children: a fairer figure when other jobs share the cores), and peak
RSS. Target: collect + prepare of the full corpus in <= 15 s on 2 cores,
<= 4 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fixtures"))

import make_hub_fixtures as hubfx  # noqa: E402  (the fixture layout and writers)

SYMPTOMS = ["headache", "chest pain", "fever", "dry cough", "abdominal pain", "lower back pain", "dizziness", "itchy rash",
            "fatigue", "nausea", "knee pain", "shortness of breath", "burning urination", "palpitations", "sore throat",
            "swelling of the feet", "loose motions", "acidity", "hair fall", "irregular periods", "numbness in the hands"]
DRUGS = ["paracetamol", "ibuprofen", "amoxicillin", "metformin", "amlodipine", "omeprazole", "cetirizine", "azithromycin",
         "atorvastatin", "levothyroxine", "pantoprazole", "diclofenac", "montelukast", "losartan", "prednisolone"]
TESTS = ["CBC", "ESR", "urine routine", "chest X-ray", "ECG", "thyroid profile", "HbA1c", "lipid profile", "LFT", "KFT",
         "ultrasound abdomen", "MRI of the spine", "vitamin D level", "serum B12"]
CAUSES = ["a viral infection", "muscle spasm", "acid reflux", "anxiety", "a urinary infection", "migraine", "allergy",
          "a thyroid problem", "anaemia", "a disc bulge", "gastritis", "an ear infection", "sinusitis"]
SPECIALISTS = ["physician", "cardiologist", "neurologist", "urologist", "dermatologist", "gynaecologist", "orthopaedician"]
RELATIVES = ["my father", "my mother", "my wife", "my son", "my daughter", "my husband", "my brother", "my sister"]
FIRST = ["Rahul", "Priya", "Anil", "Kavya", "John", "Mary", "Ahmed", "Fatima", "Wei", "Olga", "Carlos", "Grace"]
LAST = ["Sharma", "Patel", "Okafor", "Jones", "Smith", "Khan", "Chen", "Ivanova", "Garcia", "Mensah"]
DOCTORS = ["Dr. Ilir Sharka", "Dr. Prasad", "Dr. Anita Rao", "Dr. Samuel Cohen", "Dr. R. K. Gupta"]
SUBJECTS = [("Pharmacology", "Autonomic drugs"), ("Pathology", "Neoplasia"), ("Anatomy", "Upper limb"),
            ("Physiology", "Renal physiology"), ("Microbiology", "Bacteriology"), ("Medicine", "Cardiology"),
            ("Surgery", "Trauma"), ("Pediatrics", "Neonatology"), ("Biochemistry", "Vitamins"),
            ("Gynaecology & Obstetrics", "Labour"), ("Ophthalmology", "Glaucoma"), ("ENT", "Ear")]
WORDS = ("enzyme receptor nerve artery syndrome deficiency toxicity marker infection tumour reflex hormone vaccine "
         "antibody muscle ligament gland valve channel pathway inhibitor agonist antagonist lesion").split()


def _planted_phi(r: random.Random) -> str:
    """One sentence of PHI of a random type (what real patient messages sometimes contain)."""
    first, last = r.choice(FIRST), r.choice(LAST)
    n = r.randint(1000000, 9999999)
    return r.choice([
        f"My name is {first} {last}.",
        f"I am {first}, {r.randint(18, 80)} years old.",
        f"You can email me at {first.lower()}.{last.lower()}{r.randint(1, 99)}@example.com.",
        f"My phone is 555-{r.randint(100, 999)}-{r.randint(1000, 9999)}.",
        f"Call me on +91 98{r.randint(100, 999)} {r.randint(10000, 99999)}.",
        f"My MRN is {n}.",
        f"I was admitted on {r.randint(1, 12)}/{r.randint(1, 28)}/20{r.randint(10, 23)}.",
        f"I live at {r.randint(1, 999)} {r.choice(['Oak', 'Maple', 'Park', 'Lake'])} Street, Springfield.",
        f"My SSN is {r.randint(100, 899)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}.",
        f"Policy number: PX-{n}.",
    ])


def patient_message(r: random.Random, phi_rate: float = 0.02) -> str:
    who = r.choice(RELATIVES + ["I"] * 4)
    be = "am" if who == "I" else "is"
    parts = [
        r.choice(["Hi doctor,", "Hello doctor,", "Hi,", "Dear doctor,", "Respected sir,", "Hello,"]),
        f"{who} {be} {r.randint(2, 85)} years old and {'have' if who == 'I' else 'has'} {r.choice(SYMPTOMS)} "
        f"for the past {r.randint(2, 30)} days.",
        f"It is worse in the {r.choice(['morning', 'evening', 'night', 'afternoon'])} and "
        f"{r.choice(['comes and goes', 'is constant', 'started suddenly', 'is getting worse'])}.",
        f"We took {r.choice(DRUGS)} {r.choice([250, 400, 500, 650])} mg {r.choice(['twice', 'thrice', 'once'])} a day but "
        f"there is {r.choice(['no relief', 'little relief', 'some relief'])}.",
        f"BP was {r.randint(100, 160)}/{r.randint(60, 100)} and pulse {r.randint(60, 110)}, sugar {r.randint(80, 250)} mg/dl.",
        f"There is also {r.choice(SYMPTOMS)} since {r.randint(1, 4)} weeks and {r.choice(SYMPTOMS)} at times.",
        f"{r.choice(['We did a', 'The doctor advised a', 'I got a'])} {r.choice(TESTS)} which showed "
        f"{r.choice(['normal values', 'mild changes', 'a high count', 'low levels'])}.",
        r.choice(["Please advise what should I do?", "Is it serious?", "What is the treatment?",
                  "Should I see a specialist?", "Please help."]),
    ]
    if r.random() < phi_rate:
        parts.insert(r.randint(1, len(parts) - 1), _planted_phi(r))
    return " ".join(parts)


def doctor_answer(r: random.Random) -> str:
    parts = [
        r.choice(["Hello,", "Hi,", "Thanks for your query.", "Hello and welcome to HCM.", "Hi, thanks for using HCM."]),
        f"I have gone through your query. The {r.choice(SYMPTOMS)} may be due to {r.choice(CAUSES)}.",
        f"I would suggest you to take {r.choice(DRUGS)} {r.choice([5, 10, 20, 40, 500])} mg "
        f"{r.choice(['once daily', 'twice daily', 'at bedtime'])} for {r.randint(3, 14)} days.",
        f"Get a {r.choice(TESTS)} and {r.choice(TESTS)} done.",
        f"Normal values are {r.randint(4, 11)}.{r.randint(0, 9)} to {r.randint(12, 40)} and yours is {r.randint(1, 60)}.",
        r.choice(["Drink plenty of water and take rest.", "Avoid spicy food and alcohol.",
                  "Do regular exercise and lose weight.", "Do steam inhalation twice daily."]),
        f"If it persists beyond {r.randint(2, 7)} days, consult a {r.choice(SPECIALISTS)}.",
        "Hope this helps.", r.choice(["Take care.", "Regards.", "Wish you good health."]),
        r.choice([f"Regards, {r.choice(DOCTORS)}", r.choice(DOCTORS), "Thanks", f"Regards\n{r.choice(DOCTORS)}", ""]),
    ]
    return " ".join(p for p in parts if p)


def vignette(r: random.Random) -> str:
    return (f"A {r.randint(18, 85)}-year-old {r.choice(['man', 'woman'])} presents with {r.choice(SYMPTOMS)} and "
            f"{r.choice(SYMPTOMS)} for {r.randint(1, 10)} days. He has a history of {r.choice(CAUSES)} treated with "
            f"{r.choice(DRUGS)}. Temperature is {r.randint(36, 40)}.{r.randint(0, 9)}°C, pulse {r.randint(60, 130)}/min, "
            f"respirations {r.randint(12, 30)}/min and blood pressure {r.randint(90, 170)}/{r.randint(50, 100)} mm Hg. "
            f"Examination shows {r.choice(['mild tenderness', 'pallor', 'a systolic murmur', 'bilateral crackles'])}. "
            f"A {r.choice(TESTS)} shows {r.choice(['a raised count', 'normal findings', 'a low level'])} "
            f"({r.randint(1, 400)} units). Which of the following is the most likely diagnosis?")


def medqa_row(r: random.Random) -> tuple:
    return (vignette(r), [f"{r.choice(CAUSES).capitalize()} {r.randint(1, 99)}" for _ in range(4)],
            r.choice("ABCD"), r.choice(["step1", "step2&3"]))


def medmcqa_question(r: random.Random) -> str:
    w = r.choice
    return w([
        f"Drug of choice for {w(CAUSES)} with {w(WORDS)} {w(WORDS)} in a {r.randint(2, 80)} year old is",
        f"Most common site of {w(WORDS)} {w(WORDS)} in {w(CAUSES)} after {r.randint(2, 60)} days is",
        f"All of the following are true about {w(WORDS)} {w(WORDS)} in {w(CAUSES)} at {r.randint(2, 80)} years except",
        f"Which of the following {w(WORDS)}s is involved in {w(CAUSES)} with {w(WORDS)} grade {r.randint(1, 60)}?",
    ])


def medmcqa_row(r: random.Random) -> tuple:
    subject, topic = r.choice(SUBJECTS)
    exp = None
    if r.random() < 0.8:
        exp = " ".join(f"The {r.choice(WORDS)} acts on the {r.choice(WORDS)} and {r.choice(['raises', 'lowers', 'blocks'])} "
                       f"the {r.choice(WORDS)} within {r.randint(1, 48)} hours (Ref: Harrison {r.randint(15, 21)}th ed, "
                       f"p {r.randint(10, 2900)})." for _ in range(r.randint(1, 5)))
    return (medmcqa_question(r), [f"{r.choice(WORDS).capitalize()} {r.randint(1, 500)}" for _ in range(4)],
            r.randrange(4), r.choice(["single", "multi"]), exp, subject, topic)


def near_duplicate(text: str, r: random.Random) -> str:
    """The same message with different spacing and case, as re-posted rows look."""
    variant = r.choice(["spaces", "case", "both"])
    if variant in ("spaces", "both"):
        text = text.replace(" ", "  ", 3).replace(". ", ".\n", 1)
    if variant in ("case", "both"):
        text = text.lower()
    return text


def build_mirror(hub: Path, scale: float, seed: int) -> dict:
    """Write the synthetic corpus in hub layout; return its row counts."""
    r = random.Random(seed)

    def size(source: str, split: str) -> int:
        return max(1, round(hubfx.FULL_VOLUME[source][split] * scale))

    hubfx.MEDQA_TRAIN = [medqa_row(r) for _ in range(size("medqa", "train"))]
    hubfx.MEDQA_TEST = [medqa_row(r) for _ in range(size("medqa", "test"))]
    validation = [medmcqa_row(r) for _ in range(size("medmcqa", "validation"))]
    train = [medmcqa_row(r) for _ in range(size("medmcqa", "train"))]
    # MedMCQA repeats some questions across rows and splits: exact duplicates and eval questions in train
    for k in range(len(train) // 200):
        train[r.randrange(len(train))] = train[r.randrange(len(train))]
        train[r.randrange(len(train))] = validation[r.randrange(len(validation))]
    hubfx.MEDMCQA_TRAIN, hubfx.MEDMCQA_VALIDATION = train, validation
    hubfx.MEDMCQA_TEST = [row[:2] for row in (medmcqa_row(r) for _ in range(size("medmcqa", "test")))]
    for name, source in (("HCM_ROWS", "healthcaremagic"), ("ICLINIQ_ROWS", "icliniq")):
        rows = [(patient_message(r), doctor_answer(r)) for _ in range(size(source, "train"))]
        for k in range(len(rows) // 100):  # ~1% re-posted with other spacing/case
            i, j = r.randrange(len(rows)), r.randrange(len(rows))
            rows[j] = (near_duplicate(rows[i][0], r), rows[i][1])
        setattr(hubfx, name, rows)
    hubfx.make_medqa(hub)
    hubfx.make_medmcqa(hub)
    hubfx.make_pubmedqa(hub, {"train": size("pubmedqa", "train")})
    hubfx.make_healthcaremagic(hub)
    hubfx.make_icliniq(hub)
    return {"medqa": len(hubfx.MEDQA_TRAIN) + len(hubfx.MEDQA_TEST),
            "medmcqa": len(train) + len(validation) + len(hubfx.MEDMCQA_TEST),
            "pubmedqa": size("pubmedqa", "train"), "healthcaremagic": len(hubfx.HCM_ROWS),
            "icliniq": len(hubfx.ICLINIQ_ROWS)}


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the real split sizes (default 1.0)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to build the corpus (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--prepare-only", action="store_true",
                        help="reuse WORKDIR/data/raw from an earlier --keep run and time prepare alone")
    parser.add_argument("--no-prose-names", action="store_true",
                        help="prepare without the prose-name pass (imi prepare --no-prose-names)")
    args = parser.parse_args()

    from imi_lib.data import collect, prepare

    work = args.workdir or Path(tempfile.mkdtemp(prefix="imi-bench-data-"))
    hub, data = work / "hub", work / "data"
    print(f"work dir: {work}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    timings = {}
    try:
        if not args.prepare_only:
            shutil.rmtree(hub, ignore_errors=True)
            shutil.rmtree(data, ignore_errors=True)
            t = time.perf_counter()
            rows = build_mirror(hub, args.scale, args.seed)
            print(f"corpus: {sum(rows.values())} rows {rows}, {_size_mb(hub):.0f} MB in hub layout "
                  f"(built in {time.perf_counter() - t:.1f}s, not timed)", flush=True)
            cpu, t = _cpu_seconds(), time.perf_counter()
            summary = collect.run(collect.CollectConfig(data_dir=str(data), hub_mirror=str(hub)))
            timings["collect"] = (time.perf_counter() - t, _cpu_seconds() - cpu, summary.get("records", 0))
        cpu, t = _cpu_seconds(), time.perf_counter()
        stats = prepare.run(prepare.PrepareConfig(data_dir=str(data), prose_names=not args.no_prose_names))
        timings["prepare"] = (time.perf_counter() - t, _cpu_seconds() - cpu, stats["records_in"])
        print(f"raw/ {_size_mb(data / 'raw'):.0f} MB -> final/ {_size_mb(data / 'final'):.0f} MB")
        print("prepare:", json.dumps({k: stats[k] for k in ("split_totals", "dropped", "contaminated_by_eval_set",
                                                             "phi_replacements")}))
        print(f"{'stage':10s} {'seconds':>8s} {'cpu s':>8s} {'records':>9s} {'records/s':>10s}")
        for stage, (secs, cpu_s, n) in timings.items():
            print(f"{stage:10s} {secs:8.2f} {cpu_s:8.2f} {n:9d} {n / secs:10.0f}")
        if len(timings) == 2:
            secs = sum(v[0] for v in timings.values())
            n = timings["collect"][2]
            print(f"{'total':10s} {secs:8.2f} {sum(v[1] for v in timings.values()):8.2f} {n:9d} {n / secs:10.0f}"
                  f"   (target <= 15 s)")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
        print(f"peak RSS: this process {own:.2f} GiB, largest child {kids:.2f} GiB (target <= 4 GiB)")
        print(f"load average now {os.getloadavg()[0]:.2f}: seconds grow with other jobs on the cores, cpu s much less")
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
