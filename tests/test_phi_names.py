"""The prose-name pass of the PHI scrubber (`phi.find_phi(..., prose_names=True)`, patient text only).

Its rules were tuned on DEV_NAMES and DEV_NON_NAMES below; the held-out set in
tests/phi_eval/ (prose_names_heldout.jsonl, capitalised_non_names.txt) was
written and committed before them and is only measured, here with the figures
it gave (benchmarks/bench_phi.py prints them).
"""

import gzip
import sys
from pathlib import Path

import pytest

from imi_lib.data import phi, prepare

sys.path.insert(0, str(Path(__file__).parent / "phi_eval"))
import scoring  # noqa: E402

DEV_NAMES = [
    ("I went with Arjun Mehta to the lab and he fainted after the blood draw.", ["Arjun Mehta"]),
    ("Adaeze has had a rash on her neck since she used the new soap.", ["Adaeze"]),
    ("We think Kenji Watanabe caught shingles from his grandson.", ["Kenji Watanabe"]),
    ("Since the fall, Brigid cannot lift her arm above the shoulder.", ["Brigid"]),
    ("Tunde Bakare told me his urine is dark and foamy.", ["Tunde Bakare"]),
    ("Is it safe for Fiona to take melatonin every night?", ["Fiona"]),
    ("The cough that Rustam has gets worse at night.", ["Rustam"]),
    ("Salma Begum was started on insulin last month and feels shaky in the mornings.", ["Salma Begum"]),
    ("I carried Joaquín to the car because he could not stand on his ankle.", ["Joaquín"]),
    ("Nadia Petrova says the pills make her hair fall out.", ["Nadia Petrova"]),
    ("After the vaccine Chukwuemeka had a fever for two days.", ["Chukwuemeka"]),
    ("Hyun-woo Lee has headaches every afternoon at school.", ["Hyun-woo Lee"]),
    ("Fatou Diallo keeps losing weight even though she eats well.", ["Fatou Diallo"]),
    ("Recently Prakash noticed blood in his stool.", ["Prakash"]),
    ("The lab called about Ahmed's potassium, it was 2.9.", ["Ahmed"]),
    ("Gabriela Souza has had a sore throat for three weeks.", ["Gabriela Souza"]),
    ("I told Brendan that his snoring is getting worse.", ["Brendan"]),
    ("Yesenia and her baby both have thrush.", ["Yesenia"]),
    ("Rohan Iyer's knee is swollen after the cricket match.", ["Rohan Iyer"]),
    ("Aunty Shanthi takes amlodipine and her ankles are swollen.", ["Shanthi"]),
    ("Can Ibrahim Musa take paracetamol with his HIV medicines?", ["Ibrahim Musa"]),
    ("Magdalena Kowalczyk had a miscarriage last year and is pregnant again.", ["Magdalena Kowalczyk"]),
    ("Every morning Tariq wakes up with a stiff back.", ["Tariq"]),
    ("Sean O'Brien had a seizure at work yesterday.", ["Sean O'Brien"]),
    ("Both Divya and Karthik have dengue now.", ["Divya", "Karthik"]),
    ("Ahmad Karimi has kidney stones again.", ["Ahmad Karimi"]),
    ("The nurse, Precious Ndlovu, said the wound looks infected.", ["Precious Ndlovu"]),
    ("We took Manuel Ortega to the ER after he passed out.", ["Manuel Ortega"]),
    ("Anh Tran has had diarrhoea since the trip.", ["Anh Tran"]),
    ("Will Harris cut his hand on glass, does he need stitches?", ["Will Harris"]),
]
DEV_NON_NAMES = [
    "She has Graves disease and takes carbimazole.",
    "The MRI suggested multiple sclerosis, and a Lhermitte sign was present.",
    "He was diagnosed with Addison disease last year.",
    "I had a Caesarean section two years ago.",
    "Is Gilbert's syndrome dangerous? My bilirubin is 2.1.",
    "The Hamilton Depression Rating Scale score was 18.",
    "Lyme arthritis affects the knees.",
    "My son was checked for Duchenne muscular dystrophy.",
    "Her Bishop score was 8 before induction.",
    "The Wells score for DVT was 3.",
    "I take Metformin and Glycomet is the same thing.",
    "Crocin Advance did not help my fever.",
    "I was given Amoxil for the ear infection.",
    "My doctor in Chennai gave me Telma 40.",
    "Is Dolo safe for children?",
    "I moved to Manchester last year and got asthma.",
    "My brother lives in Nairobi and has malaria.",
    "The Royal Free Hospital treated my hepatitis.",
    "I went to Kokilaben Hospital in Mumbai.",
    "Christian Medical College Vellore did my surgery.",
    "On Friday my fever went up to 103.",
    "In January I had the flu.",
    "Thank God my reports are normal.",
    "Before Ramadan I want to adjust my insulin.",
    "I read on Facebook that turmeric cures cancer.",
    "Please help me, Doctor, my chest hurts.",
    "Hi Doctor, I have a question about my thyroid.",
    "After Covid I have had brain fog.",
    "The Pfizer booster made my arm sore.",
    "I am Catholic and do not want IVF.",
    "The ECG showed a left bundle branch block.",
    "I have Hepatitis C and want treatment.",
    "My HbA1c is 7.2, is Januvia needed?",
    "The Fontan operation was done when he was four.",
    "He had a Nissen fundoplication for reflux.",
    "A Pavlik harness was used for his hip dysplasia.",
    "The Mallampati class was III.",
    "The Ranson criteria predicted severe pancreatitis.",
    "Wernicke's aphasia after the stroke.",
    "Hoehn and Yahr stage 3 Parkinson disease.",
    "Dr. Reddy's and Dr. Scholl's make these products.",
]
# eponyms whose person's name is also in the gazetteer: the pass must leave every one alone
EPONYMS = [
    "Parkinson's disease", "Parkinson disease", "Hodgkin lymphoma", "non-Hodgkin lymphoma", "Crohn's disease",
    "Cushing's syndrome", "Addison's disease", "Graves' disease", "Bell's palsy", "Wilson's disease",
    "Turner syndrome", "Marfan syndrome", "Baker's cyst", "Paget's disease", "Barrett's oesophagus",
    "Kaposi sarcoma", "Ewing sarcoma", "Burkitt lymphoma", "Babinski sign", "Apgar score", "Foley catheter",
    "Holter monitor", "Gleason score", "Murphy's sign", "Huntington's disease", "Alzheimer's disease",
    "Stevens-Johnson syndrome", "Guillain-Barré syndrome", "Wolff-Parkinson-White pattern", "Achilles tendon",
    "Hashimoto's thyroiditis", "Kernig and Brudzinski signs",
]


def _caught(text: str, names: list, prose_names: bool = True) -> list:
    out = phi.scrub(text, {}, "patient", prose_names)
    return [n for n in names if n not in out]


@pytest.mark.parametrize("text,names", DEV_NAMES)
def test_names_in_running_prose_are_scrubbed_in_patient_text(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", DEV_NON_NAMES)
def test_capitalised_words_that_are_not_names_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("eponym", EPONYMS)
def test_eponyms_are_not_names(eponym):
    text = f"My mother was told she has {eponym} and needs treatment."
    assert phi.scrub(text, {}, "patient") == text


def test_held_out_prose_names_recall_is_at_least_the_measured_94_percent():
    result = scoring.score_prose(phi.scrub)
    assert result["names"] >= 60
    # measured when the set was first scored: 67 of 71 (94.4%); the misses are a name that is also a
    # word ("Rose"), names missing from the gazetteer and an all-lower-case name
    assert result["caught"] >= 67, result["misses"]


def test_held_out_capitalised_non_names_lose_at_most_the_measured_five_sentences():
    result = scoring.score_prose(phi.scrub)
    assert result["texts"] >= 200
    # measured when the set was first scored: 5 of 237 (2.1%): two brands, two institutions without an
    # institution word ("Johns Hopkins", "Fortis hospital" in lower case) and a company
    assert result["fp"] <= 5, result["false_positives"]


def test_without_the_pass_the_held_out_names_mostly_leak():
    result = scoring.score_prose(lambda text, counts, scope: phi.scrub(text, counts, scope, prose_names=False))
    assert result["caught"] <= 10  # only the few with a relation or title cue
    assert result["fp"] == 0


def test_research_and_regulatory_text_is_never_searched_for_prose_names():
    text = "Smith and Jones (2019) reported that Priya Raman's cohort had fewer relapses; Garcia disagreed."
    assert phi.scrub(text, {}, "document") == text
    assert phi.scrub_batch([[text, "Nguyen et al. replicated it."]], {}, "document") == \
        [[text, "Nguyen et al. replicated it."]]
    assert "Priya Raman" not in phi.scrub(text, {}, "patient")


def test_the_batch_path_gives_the_per_text_result():
    msgs, free = scoring.load_prose()
    texts = [m["text"] for m in msgs] + free + [t for t, _ in DEV_NAMES] + DEV_NON_NAMES
    assert phi.scrub_batch([[t] for t in texts]) == [[phi.scrub(t)] for t in texts]


def test_a_name_next_to_another_identifier_leaves_no_part_of_either():
    out = phi.scrub("Ngozi Adeyemi priya.raman@gmail.com 555-123-4567 said so.")
    assert "Adeyemi" not in out and "gmail" not in out and "4567" not in out


def test_prepare_runs_the_pass_by_default_and_can_turn_it_off():
    assert prepare.PrepareConfig().prose_names is True
    texts = [["Chidi Okeke has a cough.", "Give Chidi Okeke honey."]]
    on = prepare._scrub_isolated(texts, ["patient"], {}, True)
    off = prepare._scrub_isolated(texts, ["patient"], {}, False)
    assert "Okeke" not in str(on) and off == texts
    assert prepare._scrub_isolated(texts, ["document"], {}, True) == texts


def test_the_gazetteer_ships_with_the_package_and_its_licence():
    here = Path(phi.__file__).parent / "names"
    with gzip.open(here / "names.txt.gz", "rt", encoding="utf-8") as fh:
        names = fh.read().split()
    assert len(names) > 200_000 and names == sorted(names)
    assert "priya" in names and "parkinson" in names and "will" not in names and "march" not in names
    assert "REGENTS OF THE UNIVERSITY OF CALIFORNIA" in (here / "LICENSE").read_text()


@pytest.mark.parametrize("text", [
    "Rocky Mountain spotted fever and Scarlet Fever both give a rash.",
    "Take Tobramycin (Tobi) and Lithium (Li) as prescribed; Rho(D) immune globulin after delivery.",
    "Turner Syndrome, Huntington Disease and Meckel Diverticulum were discussed.",
    "Aloe Vera Topical and Valerian Root Extract are not proven.",
    "Armour Thyroid is desiccated thyroid.",
    "Ludwig angina and Friedrich ataxia are rare.",
])
def test_title_case_disease_and_product_names_in_doctor_answers_stay(text):
    assert phi.scrub(text, {}, "patient") == text


def test_a_name_with_accents_is_found_beside_a_plain_one():
    out = phi.scrub("Priya and Lucía both have a fever; Joaquín too.")
    assert "Priya" not in out and "Lucía" not in out and "Joaquín" not in out
