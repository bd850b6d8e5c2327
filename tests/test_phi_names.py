"""The prose-name pass of the PHI scrubber (`phi.find_phi(..., prose_names=True)`, patient text only).

Its first rules were tuned on DEV_NAMES and DEV_NON_NAMES below, with the set in
tests/phi_eval/ (prose_names_heldout.jsonl, capitalised_non_names.txt) held
out; that set then became a development set too (its misses and false
positives were fixed by general rules: unknown words in a person's place,
word-names, lower-case name pairs, place, company and medicine contexts), so
its figures here are floors, not an estimate for new text. PERSON_CONTEXT and
NOT_A_PERSON below pin each rule down.
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


def test_prose_names_recall_on_the_phi_eval_set_is_at_least_99_percent():
    result = scoring.score_prose(phi.scrub)
    assert result["names"] >= 60
    # 67 of 71 (94.4%) when the set was held out; 71 of 71 since it is a development set as well
    assert result["caught"] / result["names"] >= 0.99, result["misses"]


def test_capitalised_non_names_of_the_phi_eval_set_lose_at_most_1_percent():
    result = scoring.score_prose(phi.scrub)
    assert result["texts"] >= 200
    # 5 of 237 (2.1%) when the set was held out; 0 of 237 since it is a development set as well
    assert result["fp"] / result["texts"] <= 0.01, result["false_positives"]


# The prose sets 2-13 (tests/phi_eval/HELDOUT*.md, scoring.PROSE_STATUS), each written by hand without the rules.
# set: (names, non-name sentences, names caught at least, sentences hit at most), and how each was used:
# 2: held out 187/200 (93.5%), 4/320; its misses became rules (a relative's name in any case, the writer's name,
#    medicine contexts).
# 3: held out 336/408 (82.4%), 29/544; 374/408, 23/544 with the rules from sets 1-2; its misses became rules
#    (peoples, insurers, teams, travel and employer contexts, capitals after an introduction, lists, quotes ...).
# 4: scored once after those: 374/398 (94.0%), 22/553 (366/398, 28/553 before the set-3 rules).
# 5: held out 371/407 (91.2%), 100/581 (17.2%); its misses became rules (lists of places, peoples and feasts,
#    things named by a person's name, sentence-opening words, two-person eponyms, capitals after titles ...).
# 6: held out after those: 351/402 (87.3%), 67/572 (11.7%); then rules for possessives, giving verbs, listed names.
# 7: held out after those: 368/400 (92.0%), 57/594 (9.6%); then rules for lower-case lists.
# 8: held out until every rule of that day was final, scored once: 390/423 (92.2%), 26/558 (4.7%), against
#    381/423 and 44/558 with the rules of the day before; then a development set of the next day's rounds.
# The next day's sets, written blind that day; "start": the rules of the day before.
# 9: start 511/556 (91.9%), 78/570; its misses became the fourth round (naming words, labels, roles, lower case).
# 10: held out until the fourth round was final: 405/430 (94.2%), 56/572 (9.8%) (start 398/430, 56/572).
# 11: first scored on the fourth round: 389/403 (96.5%), 37/571 (6.5%) (start 386/403, 37/571); its misses, and
#     those of set 10, became the fifth round.
# 12: held out until the fifth round was final, scored once: 388/403 (96.3%), 32/551 (5.8%) (start 379/403,
#     32/551); its misses, and those of identifier set 11, then became a sixth round.
# 13: held out until the sixth round was final, scored once: 409/421 (97.1%), 26/564 (4.6%) (start 405/421,
#     26/564); no rule changed after it was read: the estimate for new text.
# 14-19: the third day's four rounds (HELDOUT14-19.md); 17, 18 and 19 held out and scored once.
# 20, 21: the fourth day's sets, written blind; the eleventh round (false positives only: a plural noun after a
#     name, a lone surname or a common word with a name needs a person context) was built on sets 1-19, then
#     20 and 21 scored once: 450/472, 53/551 and 397/416, 25/555 (start 451/472, 65/551 and 397/416, 30/555).
# 22, 23: the fifth day's sets, written blind; a round of false positives only (a thing's noun after the name, a
#     sentence that says the name is a kind of thing, what is done with it, or that it has an institution) was built
#     on sets 1-19, then 20-23 scored: 450/472, 49/551; 397/416, 22/555; 394/403, 19/559; 382/393, 40/615 (start 53,
#     25, 22 and 42 sentences hit; names the same).
# 24: the sixth day's set, written blind, scored once at the start and after the twenty-fourth round: 471/485 (97.1%),
#     14/581 both times; then the twenty-fifth round's development set (words for a relative used as a name, "Nana
#     uses ...", are none): 9/581.
# 26: the seventh day's set (no set 25 was delivered whole), written blind 22:55-23:05 UTC, scored once at the start
#     (de1505a) and after the twenty-eighth round: 573/595 (96.3%), 14/551 both times; then the twenty-ninth round's
#     development set (who a child is, "Sky is my 3 year old"; "we named her Sakura"; drinks and foods' brands): 578, 10.
# 27: the same day's last set, written blind 23:19-23:27 UTC with no emphasis, scored once at the start, after the
#     twenty-eighth and after the twenty-ninth round: 417/426 (97.9%), 19, 19 and 18 of 560 sentences hit.
# 28: written blind 23:32-23:39 UTC (partners, friends, coworkers and teachers writing about someone else), scored once
#     at the start and after each of the day's three rounds: 391/397 (98.5%); 22, 22, 20 and 20 of 564 sentences hit.
# 29: written blind 01:49-01:55 UTC on the fifth day (no emphasis), scored once at the start (519807b) and after the
#     thirty-second round: 399/411 (97.1%), 13 and 13 of 556 sentences hit; then the thirty-third round's development set.
# 30: written blind 01:47-01:53 UTC (hurried messages, long stories about several people), scored once at the start,
#     after the thirty-second and after the thirty-third round: 416/426 (97.7%), 25, 25 and 25 of 549 sentences hit.
# 31: written blind 04:09-04:15 UTC on the sixth day (names of many origins), scored with the rules alone and with the
#     learned pass trained without it: 383/399 (96.0%) both; 20 and 21 of 550 sentences hit (names stay the rules').
# 32, 33: written blind 07:18-07:27 UTC in the sixth day's second session (32: carers naming several relatives, names
#     that are words; 33: names of many origins in lower-case chat), held out from the rules and the model, scored
#     once: 440/470 (93.6%), 22 of 601 sentences hit; 346/406 (85.2%), 20 of 552 (HELDOUT_IDS.md, "Sets 58 and 59").
# 34, 35: written blind 09:55-09:59 UTC in the seventh day's session (34: lower-case chat, names that are words; 35: no
#     emphasis), held out from the model, scored at the start: 227/429 (52.9%), 23 of 579 sentences hit; 411/419
#     (98.1%), 8 of 561; 35 held out from the rules too (HELDOUT_IDS.md, "Sets 63 and 64"). 34 then the development
#     set of names in lower case after titles and before "my" and a relative: 263/429, 23 of 579; 35 unchanged.
#     With names/things.txt (hospitals, shops, brands and apps named like people): 34 263/429, 9 of 579; 35
#     411/419, 7 of 561 (held out: scored once more, its misses and hits not read).
# 36: written blind 12:46-12:50 UTC on the eighth day (no emphasis), held out from the rules and the model, scored at
#     the start: 351/358 (98.0%), 10 of 549 sentences hit; after the day's rules 351/358, 9 of 549. 35 then the
#     development set of greetings that open a message, feasts and medicines before "and I", "it is" introducing the
#     writer, "has her" after a name and a person's carers after a possessive: 414/419, 4 of 561; of the sets held out
#     from every rule, 23 gained three names (385/393), 33 four (350/406) and 20 lost a hit (40 of 551). Then the
#     writer's name in lower case before "my" (`im rafa my whatsapp`, from identifier set 64): 17 391/399, 20 451/472.
# 37: written blind 14:56-14:59 UTC on the ninth day (no emphasis), held out from the rules and the model, scored at the
#     start: 345/366 (94.3%), 14 of 557 sentences hit, and after the day's rules: the same. 36 then the development set
#     of a person's medicines and carers with a kind after a possessive ("Femi's sickle cell doctor", "Harriet's bone
#     age", "Clarissa's new antidepressant") and "seeing" before a name: 355/358, 9 of 549; of the sets held out from
#     every rule, 20 gained a name (452/472) and 21 one (398/416).
# 38: written blind 15:20-15:23 UTC that day (no emphasis), held out from the rules and the model, scored at the start
#     of the day's second round (9cca81b) and after it: 331/356 (93.0%) and 332/356 (93.3%), 8 of 559 sentences hit
#     both times. 37 then that round's development set (a name before a condition, "Branka has shingles"; a known
#     given name in lower case opening a sentence before what a person does, "nadia has pain in her jaw"; "Sent from
#     Marta's phone"; "Nurse practitioner Dolapo"): 345 -> 354/366, 14 of 557 both times; of the sets held out from
#     every rule, 23 gained a name (386/393) and 33 six (356/406); development set 34 (lower-case chat) 263 -> 283/429.
# 39: written blind 18:02-18:08 UTC on the tenth day (no emphasis), held out from the rules and the model, scored at
#     the start (f912d8f): 329/351 (93.7%), 11 of 567 sentences hit; after the day's rules 330/351, 11 of 567. 38 then
#     the development set of a possessive before more body parts ("Oren's knuckles"), thanks "from" names at a field's
#     end, "Will" before "is" or "has", ages and pregnancies in words, "Bill and Pearl, my grandparents", more things
#     and the verbs and nouns of things (`swallowed`, `sprayed`, `meat`, `liquid`): 332 -> 346/356, 8 -> 2 of 559;
#     with them the names in lower case that are no word, place or thing, read with the rules for capitalised text
#     (`_truecased_names`); of the sets held out from every rule, 21 gained two names (400/416), 32 four (444/470) and
#     33 five (361/406); lower-case chat set 34 283 -> 297/429. The other floors moved to the day's figures.
# 40: written blind 19:03-19:17 UTC on the tenth day (no emphasis), held out from the rules and the model, scored at
#     the day's start (f912d8f), after its first round (b6ca58b) and after its second: 344, 345 and 345/353 (97.7%),
#     6, 5 and 4 of 552 sentences hit. 39 then the development set of the second round (a body part after up to two
#     adjectives, "Hemi gets red painful eyes"; "bruises easily"; "is on antidepressants"; "is my surname"; a kind
#     and a relative after a possessive, "Adwoa's sickle cell son"; "is doing much better"; a name in any letters
#     before "(yes, like the singer)"; "travel to" a place; things asked about, "Is Milo a good drink"; "better than"
#     a brand; yoga and classes after a name): 330 -> 338/351, 11 -> 4 of 567; of the sets held out from every rule,
#     20 and 23 lost a hit each (39 of 551, 30 of 615) and 33 gained a name (362/406).
PROSE_FLOORS = {2: (200, 320, 199, 0), 3: (408, 544, 406, 0), 4: (398, 553, 386, 10), 5: (407, 581, 396, 17),
                6: (402, 572, 374, 21), 7: (400, 594, 391, 20), 8: (423, 558, 414, 15), 9: (556, 570, 532, 31),
                10: (430, 572, 415, 29), 11: (403, 571, 392, 16), 12: (403, 551, 396, 7), 13: (421, 564, 412, 12),
                14: (396, 557, 388, 27), 15: (411, 616, 406, 17), 16: (407, 562, 395, 34), 17: (399, 637, 392, 29),
                18: (418, 608, 406, 29), 19: (408, 559, 396, 13), 20: (472, 551, 452, 39), 21: (416, 555, 400, 18),
                22: (403, 559, 396, 16), 23: (393, 615, 386, 30), 24: (485, 581, 477, 4), 26: (595, 551, 581, 9),
                27: (426, 560, 421, 12), 28: (397, 564, 392, 12), 29: (411, 556, 405, 8), 30: (426, 549, 417, 20),
                31: (399, 550, 384, 14), 32: (470, 601, 444, 13), 33: (406, 552, 362, 15), 34: (429, 579, 297, 9),
                35: (419, 561, 414, 3), 36: (358, 549, 355, 9), 37: (366, 557, 357, 12), 38: (356, 559, 346, 1),
                39: (351, 567, 338, 4), 40: (353, 552, 345, 4)}


@pytest.mark.parametrize("which", sorted(PROSE_FLOORS))
def test_each_prose_set_stays_at_its_measured_level(which):
    names, texts, caught, fp_max = PROSE_FLOORS[which]
    result = scoring.score_prose(phi.scrub, which=which)
    assert result["names"] == names and result["texts"] == texts
    assert result["caught"] >= caught, result["misses"]
    assert result["fp"] <= fp_max, result["false_positives"]


@pytest.mark.parametrize("which", list(range(4, 25)))
def test_the_batch_path_gives_the_per_text_result_on_the_later_prose_sets(which):
    msgs, free = scoring.load_prose(which)
    texts = [m["text"] for m in msgs] + free
    assert phi.scrub_batch([[t] for t in texts]) == [[phi.scrub(t)] for t in texts]


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


def test_the_gazetteer_and_vocabulary_ship_with_the_package_and_their_licence():
    here = Path(phi.__file__).parent / "names"
    with gzip.open(here / "names.txt.gz", "rt", encoding="utf-8") as fh:
        names = fh.read().split()
    assert len(names) > 200_000 and names == sorted(names)
    assert "priya" in names and "parkinson" in names and "will" not in names and "march" not in names
    with gzip.open(here / "words.txt.gz", "rt", encoding="utf-8") as fh:
        words = fh.read().split()
    assert len(words) > 150_000 and words == sorted(words) and not set(words) & {"priya", "ahmed", "mary"}
    assert "hospital" in words and "metformin" in words and "bongani" not in words
    assert (here / "words.txt.gz").stat().st_size < 1_000_000
    word_names = (here / "word_names.txt").read_text(encoding="utf-8").split()
    assert "blessing" in word_names and "ama" in word_names and "said" not in word_names
    assert "REGENTS OF THE UNIVERSITY OF CALIFORNIA" in (here / "LICENSE").read_text()
    assert "words.txt.gz" in (here / "LICENSE").read_text() and "word_names.txt" in (here / "LICENSE").read_text()


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


# Names the gazetteer lacks ("Bongani"), names that are words ("Rose"), lower-case names: caught only where the
# sentence treats the word as a person. One example a rule.
PERSON_CONTEXT = [
    ("Bongani and his wife want to know if the pill affects fertility.", ["Bongani"]),  # "and his"
    ("Rose said her migraine starts with flashing lights.", ["Rose"]),  # a verb only people do
    ("Nomvula has been coughing blood since Sunday.", ["Nomvula"]),  # "has been" + a person's state
    ("I noticed that Ravindu is breathing fast.", ["Ravindu"]),  # "is" + a person's state
    ("The swelling on Tshepo's leg is red.", ["Tshepo"]),  # a possessive with a body part
    ("The results for Xiaoming show ALT 180.", ["Xiaoming"]),  # results for
    ("Can Xiulan take aspirin with her blood thinner?", ["Xiulan"]),  # modal + a verb people do
    ("Is Oyinda too young for braces at 10?", ["Oyinda"]),  # "Is" + a person's state
    ("Both Lerato and Kagiso have chickenpox.", ["Lerato", "Kagiso"]),  # both ... have
    ("I gave Yohannes some ibuprofen.", ["Yohannes"]),  # a giving verb, then the thing given
    ("According to Aigerim the pain moves to the groin.", ["Aigerim"]),  # according to
    ("Lwazi, 34, has a cough.", ["Lwazi"]),  # an age in apposition
    ("Xiulan, my daughter, has a cough.", ["Xiulan"]),  # a relative in apposition
    ("The boy, Lwazi, fell off the swing.", ["Lwazi"]),  # an apposition after a role noun
    ("I am asking about Thulani who is 3 years old.", ["Thulani"]),  # "who"
    ("Mark Brown has had gout in his toe twice.", ["Mark Brown"]),  # word-names with a person verb
    ("Ah-young Park has thyroid nodules.", ["Ah-young Park"]),  # a hyphenated unknown name, "has" + illness
    ("i took my mother to see ramesh kumar at the clinic.", ["ramesh kumar"]),  # lower-case pair
    ("i am asking for my wife shalini verma who has thyroid.", ["shalini verma"]),  # lower-case, relative
    ("i am worried about my husband vijay patil, he drinks daily.", ["vijay patil"]),  # lower-case, a comma after
    ("I took Thabo for an X-ray and his wrist is broken.", ["Thabo"]),  # taken somewhere
    ("My son-in-law Ravshan has blood in his urine.", ["Ravshan"]),  # an in-law before
    ("Last night Rufaro could not stop shivering.", ["Rufaro"]),  # an ability only people have
    ("Does Mpho have to stay home with chickenpox?", ["Mpho"]),  # modal + "have to"
    ("Should Gulnaz stop breastfeeding while on these antibiotics?", ["Gulnaz"]),  # modal + stop + -ing
    ("Ama and her twin both have ear infections.", ["Ama"]),  # a word-name from word_names.txt
    ("The doctor gave Mpumi antibiotics but the rash spread.", ["Mpumi"]),  # giving verb + plural noun
    ("Please check if Ulugbek can fly after the operation.", ["Ulugbek"]),  # a modal and what people do after
    ("I share a room with Baurzhan and he coughs all night.", ["Baurzhan"]),  # "and he"
    ("Since surgery Enkhjargal has numbness in her leg.", ["Enkhjargal"]),  # "has" + a "-ness" complaint
    ("Is it safe for Nkechi to fly at 34 weeks?", ["Nkechi"]),  # for X to <what people do>
    ("We found Nikolai unconscious on the floor.", ["Nikolai"]),  # found/noticed X + a person's state
    ("We need advice for Hiba, she is 8 months pregnant.", ["Hiba"]),  # ", she"
    ("Jordan Ellis hurt his back lifting boxes.", ["Jordan Ellis"]),  # hurt his ...
    ("Tui got stung by a bee.", ["Tui"]),  # got + what happens to people
    ("Murphy was positive for dengue last year.", ["Murphy"]),  # positive for: a person, not a sign
    ("Hope Mwale has swelling in both legs.", ["Hope Mwale"]),  # a word-name and an unknown word, has + complaint
    ("Nazlı fell down the stairs.", ["Nazlı"]),  # a letter outside Latin-1
    ("I noticed Mehrnaz breathing heavily at night.", ["Mehrnaz"]),  # noticed X + a state beats "X breathing"
]
# Capitalised words that the sentence treats as a thing: left alone even where they are known names
NOT_A_PERSON = [
    "Hope this helps. Grace period is 30 days. Mark the date.",  # word-names without a person context
    "I was admitted to Groote Schuur for the surgery.",  # admitted to: a place
    "My uncle was treated at Johns Hopkins for his cancer.",  # at: a place
    "We live near Lake Victoria and malaria is common.",  # near, lake
    "The rash started after a trip to Bali.",  # a trip to
    "Fortis hospital charged a lot for the ICU stay.",  # an institution word after the run
    "My sister works at Marks & Spencer and Johnson & Johnson recalled the powder.",  # "&": companies
    "Yasmin pills gave me headaches.",  # a product noun after the run
    "I take Allegra for my hay fever and switched from Camila to the patch.",  # a medicine verb before
    "My mother takes Montair LC and Telma H every night.",  # a brand suffix after the run
    "My aunt forgets to take her Aricept and my Fitbit says 110.",  # a determiner before the run
    "My company Tata Consultancy gave me insurance.",  # a kind of organisation before the run
    "I use Johnson's baby oil and we eat at McDonald's.",  # a possessive that is not a person's
    "Lupin is the manufacturer and Bayer makes aspirin.",  # drug companies
    "After Lunar New Year and the Sabbath fast my sugar dropped.",  # holidays
    "Take Rho (D) immune globulin after delivery.",  # a letter in parentheses after the word
    "Is Montair safe? Pantocid before breakfast did not stop the burning.",  # unknown words, no person context
    "Cheyne-Stokes breathing was noted and the Chi-square test was used.",  # eponyms
    "Wegener granulomatosis and a Mallory-Weiss tear were found.",  # a disease word after the run
    "Chelsea and Westminster Hospital did my scan.",  # "X and Y Hospital"
    "Cheston Cold made me drowsy.",  # a brand suffix closing the run
    "Murphy was positive on exam and Babinski was upgoing.",  # a sign's finding after the run
    "Tab Meftal Spas can be taken for cramps. Take Tab. Pantocid DSR daily.",  # a dosage form before the run
    "Hodgkin's was treated with chemo.",  # a possessive eponym with its noun left out
    "Kawasaki was diagnosed late and Hashimoto was confirmed by antibodies.",  # a disease's finding after the run
    "The Kenyatta hospital referred us to Mater. Harrison's textbook says so. Ebstein anomaly was seen.",
    "My daughter goes to St Mary's school and I used Dove soap and ate Maggi noodles.",  # saints, products
    "I drank Red Bull, tried a pill such as Portia, and Cipla and Pfizer make it.",  # medicines, drug makers
    "They sent me to Guy's and St Thomas' for the surgery.",  # "X and St Y"
    "I speak Tagalog and my mother speaks Ilocano. Nike running shoes helped.",  # languages, products
    # the fifth day's round: a thing's noun after the name, a sentence that says the name is a kind of thing, what
    # is done with it, or that it has an institution
    "Star lager and Kingfisher lager give me gout.",
    "Olive oil and Juniper berries, are they safe in pregnancy?",
    "Zorba is a huge procession in Belém and we walked all day.",
    "Fanta and Ting are sodas in Jamaica.",
    "Guttuso has a good private hospital.",
    "Merengue is played at every wedding and my knees hurt.",
]
# ... and the people the same shapes must still find
THING_SHAPES_WITH_PEOPLE = [
    ("Tom is a nurse and Ann is my sister.", ["Tom", "Ann"]),
    ("Oliver has a fever and Maria has a rash.", ["Oliver", "Maria"]),
    ("My son Ethan is the only one who eats Maggi noodles.", ["Ethan"]),
]


@pytest.mark.parametrize("text,names", PERSON_CONTEXT)
def test_words_in_a_persons_place_are_names(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", NOT_A_PERSON)
def test_capitalised_words_in_a_things_place_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", THING_SHAPES_WITH_PEOPLE)
def test_people_in_the_sentences_the_thing_rules_read_are_still_names(text, names):
    assert _caught(text, names) == names


def test_a_possessive_keeps_the_name_but_not_the_s():
    assert phi.scrub("Kalani's fever went up to 104.") == "[NAME]'s fever went up to 104."


def test_the_kinds_of_capitalised_words():
    names, _titled = phi._gazetteer()
    kinds = {w: phi._prose_word_kind(w, names) for w in
             ("Priya", "Bongani", "Rose", "Hospital", "Metformin", "Covid", "ICU", "Ah-young", "Chi-square")}
    assert kinds == {"Priya": "name", "Bongani": "unknown", "Rose": "wordname", "Hospital": "institution",
                     "Metformin": "word", "Covid": "not", "ICU": "not", "Ah-young": "unknown",
                     "Chi-square": "name"}


@pytest.mark.parametrize("text,out", [
    # a given name that is also a word, with no person context in its sentence
    ("Unlike Holly at that age, he never crawled.", "Unlike Holly at that age, he never crawled."),
    # a name split by a word that is never a name and is no surname either
    ("Dumisani Wednesday is on ARVs.", "Dumisani Wednesday is on ARVs."),
    # a brand that is a known name, with no medicine context
    ("Take a pill such as Ortho Cyclen or Portia.", "Take a pill such as Ortho Cyclen or [NAME]."),
    # the cue rules take a capitalised word after a relative whatever it is
    ("my wife Bought some Crocin.", "my wife [NAME] some Crocin."),
    # a dish named after a person, opening a sentence
    ("Peach Melba is my favourite dessert.", "[NAME] is my favourite dessert."),
])
def test_the_limits_docs_prepare_md_names_are_still_limits(text, out):
    # docs/prepare.md ("What it still misses") names these; a rule that fixes one must update the docs
    assert phi.scrub(text, {}, "patient") == out


@pytest.mark.parametrize("text,value", [
    ("Maria van der Berg has asthma.", "Maria van der Berg"),
    ("I saw Lucas de Souza yesterday.", "Lucas de Souza"),
    ("Ahmad bin Ismail has a cough.", "Ahmad bin Ismail"),
])
def test_surname_particles_stay_inside_the_name(text, value):
    out = phi.scrub(text, {}, "patient")
    assert value.split()[-1] not in out and value.split()[1] not in out.split()[:1] and "[NAME]" in out
    assert out == text.replace(value, "[NAME]")


# ---- a relative's name, whatever its case ----
@pytest.mark.parametrize("text,names", [
    ("MY SON IDRIS HAS HAD A COUGH FOR 2 DAYS", ["IDRIS"]),
    ("PLEASE HELP, MY HUSBAND RAJESH KUMAR IS 45 AND HAS CHEST PAIN", ["RAJESH KUMAR"]),
    ("OUR DAUGHTER ZAINAB HAS A RASH", ["ZAINAB"]),
    ("my wife priya has a migraine every week", ["priya"]),
    ("my father mohammed iqbal has diabetes", ["mohammed iqbal"]),
    ("my son in law chidi has jaundice", ["chidi"]),
    ("My sister-in-law Ngozi is anaemic.", ["Ngozi"]),
    ("my mum Precious has high BP", ["Precious"]),
    ("Our twins are fine but her twin Faith is not", ["Faith"]),
    ("Mum says Gran (Winifred) has a cough.", ["Winifred"]),
])
def test_a_relatives_name_is_found_in_any_case(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text,names", [
    # names the gazetteer leaves out as a month, a modal or a place: a name right after a relative
    ("my daughter May has tonsillitis again", ["May"]),
    ("my son Will broke his arm playing rugby", ["Will"]),
    ("her brother Max has asthma", ["Max"]),
    ("my husband Jordan is diabetic", ["Jordan"]),
    # or with a relative or an age in apposition
    ("Georgia, my daughter, has a cough.", ["Georgia"]),
    ("Austin, my 15 year old, has acne on his back.", ["Austin"]),
    ("Paris is my sister and she has lupus.", ["Paris"]),
])
def test_a_name_that_is_also_a_place_or_a_modal_is_a_name_after_a_relative(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "my daughter may have a fever",
    "My daughter May have a fever?",
    "my son will be 5 next month",
    "My son Will be fine, won't he?",
    "my son May need stitches?",
    "my son May pass the stone by himself?",
    "MY SON HAS HIGH FEVER SINCE 3 DAYS PLEASE HELP",
    "MY SON DIAGNOSED WITH TB LAST MONTH",
    "MY WIFE PREGNANT 6 MONTHS",
    "MY FATHER AGED 60 HAS A COUGH",
    "MY SON TSH LEVEL IS HIGH",
    "my husband has been vomiting",
    "my son cant sleep at night",
    "my baby gal has colic",
    "my son bhi has it",
    "Jordan, my home country, has good hospitals.",
    "India, my country, has many doctors.",
    "We moved to Georgia last year and my son has asthma.",
])
def test_words_after_a_relative_that_are_not_names_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


# ---- an unknown name doing what people do, a surname that is also a place ----
@pytest.mark.parametrize("text,names", [
    ("Could Alibek have picked up worms from the dog?", ["Alibek"]),
    ("Should Zhanar have stopped the tablets?", ["Zhanar"]),
    ("Why does Nurlan keep getting nosebleeds?", ["Nurlan"]),
    ("Yerlan picked up a cold at school.", ["Yerlan"]),
    ("the syrup Amaka bought did not help", ["Amaka"]),
    ("Bongani is my son and he has a fever.", ["Bongani"]),
    ("O'Neill from our office has shingles.", ["O'Neill"]),
    ("Dumisani Zulu is on ARVs.", ["Dumisani Zulu"]),
    ("I met Sarah London at the clinic.", ["Sarah London"]),
])
def test_an_unknown_name_doing_what_people_do_or_with_a_surname_that_is_a_place(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "Could Metformin have caused this rash?",
    "Why does Lipitor keep causing muscle pain?",
    "Manipal Bangalore is a good hospital.",
    "I speak Zulu and English at home.",
    "Lagos Nigeria is very hot in March.",
])
def test_things_in_those_places_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


# ---- the writer's own name ----
@pytest.mark.parametrize("text,names", [
    ("i am rahul from delhi and i have acne", ["rahul"]),
    ("i am kavita, 29, married", ["kavita"]),
    ("myself ramesh from pune, having back pain", ["ramesh"]),
    ("I am Jordan, 25, with acne", ["Jordan"]),
    ("My son has a fever.\n- Mwangi", ["Mwangi"]),
    ("Please help me.\n\nOlusegun Adeyemi", ["Olusegun Adeyemi"]),
])
def test_the_writers_own_name_and_signature(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "I am Catholic and I fast on Fridays.",
    "We are Muslims and I fast during Ramadan.",
    "i am fine now but i have a cough",
    "Please help\nUrgent",
    "Thanks\n- Sent from my phone",
    "Please reply soon\nGod Bless",
    "Kindly advise.\nThank You",
])
def test_faiths_and_words_where_a_writers_name_would_be_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


# ---- "X and I": a person, not a place or a faith ----
def test_and_i_takes_a_person_not_a_place_or_a_faith():
    assert phi.scrub("Yesterday Kwabena and I went hiking.") == "Yesterday [NAME] and I went hiking."
    assert phi.scrub("Yesterday Jordan and I went hiking.") == "Yesterday [NAME] and I went hiking."
    for text in ("We had a holiday in Goa and I got food poisoning.", "We visited Kerala and I got dengue.",
                 "We are Catholic and I want to know about natural family planning."):
        assert phi.scrub(text, {}, "patient", prose_names=False) == text
        assert phi.scrub(text, {}, "patient") == text


# ---- medicines that are known names ----
@pytest.mark.parametrize("text", [
    "Meftal Spas helps my period cramps.",
    "Meftal Spas for period cramps, how many can I take?",
    "Eno every night for gas, is that safe?",
    "Digene twice a day for acidity.",
    "Candid B lotion on my son's ringworm.",
    "Crocin Advance worked wonders.",
])
def test_a_known_name_used_as_a_medicine_stays(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", [
    ("I took Nkiru for her cough to the clinic.", ["Nkiru"]),
    ("Priya helps my mother with her insulin.", ["Priya"]),
    ("I took Tendai, my grandmother, for a checkup.", ["Tendai"]),
])
def test_a_person_with_those_words_nearby_is_still_a_name(text, names):
    assert _caught(text, names) == names


def test_the_batch_path_gives_the_per_text_result_for_the_case_blind_rules():
    # PROSE_PREFILTER (RE2, over the batch) gates the lower-case, capitals and signature rules
    texts = ["MY SON IDRIS HAS A COUGH", "my wife priya has a migraine", "Please help me.\nKofi Mensah",
             "Thanks.\n- Bongani", "i am rahul from delhi", "Nothing Here to see.", "Hope this helps.",
             "Regards\nDr. Anita Rao"]
    records = [[a, b] for a in texts for b in texts]
    counts_batch, counts_each = {}, {}
    assert phi.scrub_batch(records, counts_batch) == \
        [phi.scrub_fields(r, counts_each) for r in records]
    assert counts_batch == counts_each and counts_batch["NAME"] > len(texts)


@pytest.mark.parametrize("text,names", [
    ("Hi, I am Zhanibek. I have a rash on my arm.", ["Zhanibek"]),
    ("I'm Yerkebulan, and I have a cough.", ["Yerkebulan"]),
    ("Zhanibek here, I have a question about my knee.", ["Zhanibek"]),
    ("Thank you so much, Joy", ["Joy"]),
    ("Many thanks\nOlu", ["Olu"]),
    ("Best,\nAna", ["Ana"]),
    ("Thanks a lot, Rukhsana", ["Rukhsana"]),
    ("Nurlan texted me that he has a fever.", ["Nurlan"]),
    ("Aigerim tested positive for covid.", ["Aigerim"]),
    ("my youngest Chidera has a cough", ["Chidera"]),
    ("my bf Tyler took 10 tablets", ["Tyler"]),
])
def test_more_ways_people_write_about_themselves_and_others(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "Is Meftal Spas safe for my cramps?",
    "Meftal Spas side effects?",
    "I am Diabetic. Can I eat mango?",
    "I am Vegan and have low B12.",
    "Metformin here is expensive.",
    "Thank you so much, Doctor",
    "Best hospital for knee surgery?",
    "Best,\nThanks",
])
def test_and_the_same_words_around_things_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", [
    ("Since Tolganai started school she gets headaches.", ["Tolganai"]),
    ("Should Dinmukhamed see a cardiologist?", ["Dinmukhamed"]),
    ("How much paracetamol can Nurzhan have?", ["Nurzhan"]),
    ("Ask Yerzhan to rest for a week.", ["Yerzhan"]),
    ("Olzhas does not sleep well.", ["Olzhas"]),
    ("The doctor said Olzhas needs an MRI.", ["Olzhas"]),
    ("Olzhas is on insulin since May.", ["Olzhas"]),
    ("Olzhas weighs 20 kg at 6 years.", ["Olzhas"]),
    ("Olzhas uses an inhaler at night.", ["Olzhas"]),
])
def test_an_unknown_name_as_the_subject_or_object_of_what_people_do(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "Ondem does not work for my nausea.",
    "Should Cetzine be taken at night?",
    "Cipladine needs a prescription?",
    "Tell Me More about the Liv 52 syrup.",
    "I gave Calpol 5 ml at night.",
])
def test_the_same_verbs_around_a_medicine_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


def _eval_texts() -> list:
    msgs, free = scoring.load()
    texts = [m["text"] for m in msgs] + [f["text"] if isinstance(f, dict) else f for f in free]
    for which in (1, 2):
        names, non_names = scoring.load_prose(which)
        texts += [m["text"] for m in names] + non_names
    return texts + ["Maria van der Berg has", "xAnita Rao", "(Anita Rao", "Dr. Anita Rao", "A van van van Berg",
                    "Élodie Ça Ôscar", "x " * 80 + "Ab Cd Ef", "O'Neill Smith", "Priya don't know", "Priya’s leg"]


def test_the_fast_person_after_test_equals_the_full_regex():
    # `_person_after` rules out by the next word's first three letters what `_PERSON_AFTER_RX` cannot match
    for text in _eval_texts():
        for end in range(len(text) + 1):
            full, fast = phi._PERSON_AFTER_RX.match(text, end), phi._person_after(text, end)
            assert (full is None) == (fast is None) and (full is None or full.end() == fast.end()), text[end:]


def test_the_walk_back_to_a_runs_start_equals_the_anchored_search():
    import re
    for text in _eval_texts():
        for m in re.finditer(r"[A-ZÀ-ÖØ-Þ]", text):
            i = j = m.start()
            if i >= 2 and text[i - 1] in "'’-" and text[i - 2].isalnum():
                j = max(text.rfind(" ", 0, i), text.rfind("\t", 0, i), text.rfind("\n", 0, i)) + 1
            slow = phi._RUN_BEFORE_RX.search(text, max(0, j - 100), j).start()
            # ("$" also matches before a final line break: the search may start one character early, on it)
            assert phi._run_start(text, i) in (slow, slow + 1 if text[slow] == "\n" else slow), text[:i + 5]


@pytest.mark.parametrize("text", [
    "Medicines I take:\nQuvaril Dexomet",
    "What I take now\n- Crocin\n- Quvaril",
])
def test_a_list_item_on_the_last_line_is_not_a_signature(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


def test_the_medicine_after_gate_equals_the_full_regex():
    for text in _eval_texts() + ["Eno every night", "Meftal Spas for period cramps", "Candid side-effects",
                                 "Crocin helps with my headache", "Digene twice a day", "X is safe for kids"]:
        for end in range(len(text) + 1):
            assert phi._medicine_after(text, end) == bool(phi._MEDICINE_AFTER_RX.match(text, end)), text[end:]


@pytest.mark.parametrize("text", [
    "I am Brazilian and my mother had the same rash.",
    "We are Cuban and my uncle had glaucoma too.",
    "My Tongan grandmother has diabetes.",
    "I am Norwegian and never had vitamin D tested.",
    "My claim with Humana was rejected last week.",
    "Bupa would not pay for the scan.",
    "Tricare covers the physiotherapy?",
    "I watched the Lakers game and my chest felt tight.",
    "He supports Juventus and drinks on match nights.",
    "We flew to Tbilisi and my son got a fever there.",
    "My husband is from Lusaka and has sickle cell trait.",
])
def test_peoples_insurers_teams_and_places_that_are_also_surnames_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", [
    ("My husband Ivan Welsh has a cough.", ["Ivan Welsh"]),
    ("I saw Dr. Polish and Mr. English today.", ["Polish", "English"]),
])
def test_a_people_word_after_a_given_name_or_title_is_still_a_surname(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "We went on a honeymoon to Zanzibar and I got bitten by something.",
    "After the pilgrimage to Ujjain my father had a fever.",
    "We drove from Pune to Nashik and the baby vomited twice.",
    "They are from Quetta and my mother-in-law has a goitre.",
    "I live near New Rochelle and the pollen is bad.",
    "My cousin moved to Port Moresby last year.",
    "I love the Caribbean and I go every winter.",
    "I support Millwall and I drink on match days.",
    "We support Sheffield Wednesday and I shout a lot at matches.",
])
def test_places_after_travel_words_routes_and_place_prefixes_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text", [
    "I drink two cans of Monster every night.",
    "She has a glass of Milo before bed.",
    "Is Fanta bad for my teeth?",
    "My aunt takes Zinnat for her sinusitis.",
    "We give our daughter Nestum and she has gas.",
    "I gave my son Calpol and he slept.",
    "we feed our baby lactogen milk",
])
def test_drinks_foods_and_things_given_to_a_relative_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", [
    ("I gave my son Tomasz a biscuit and he choked.", ["Tomasz"]),
    ("We brought Kwabena to the clinic after he fell.", ["Kwabena"]),
    ("Yesterday Deepa and I went to the lab.", ["Deepa"]),
])
def test_a_relative_or_person_in_those_places_is_still_a_name(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text,names", [
    ("my bf tyler took 10 tablets", ["tyler"]),
    ("my bestie kayla has a lump in her breast", ["kayla"]),
    ("my mate connor reckons it is a sprain", ["connor"]),
    ("my nan dorothy is 85 and keeps falling", ["dorothy"]),
    ("my teammate jessica fainted at practice", ["jessica"]),
    ("my daughter's friend priyanka has chickenpox", ["priyanka"]),
    ("my grandson joão swallowed a coin", ["joão"]),
    ("We (Marta and I) both have the flu.", ["Marta"]),
    ("Our baby Seo-yeon was born early.", ["Seo-yeon"]),
])
def test_more_relatives_and_friends_and_names_in_any_script_case_or_shape(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text,names", [
    ("My neighbour Oksana lent us a nebuliser. Oksana says it helped her son.", ["Oksana"]),
    ("Dr. Okonkwo said it is viral, but Okonkwo also gave antibiotics.", ["Okonkwo"]),
])
def test_a_name_found_once_is_scrubbed_wherever_it_recurs(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "my wife rose early today, her blood pressure rose to 160",
    "My daughter Jordan flew to Jordan and got diarrhoea.",
])
def test_a_recurring_name_that_is_also_a_word_or_place_is_left_where_it_is_the_word(text):
    out = phi.scrub(text, {}, "patient")
    assert out.count("[NAME]") <= 1, out


@pytest.mark.parametrize("text,names", [
    ("HELLO I AM OLUWASEUN FROM LAGOS. I HAVE A COUGH.", ["OLUWASEUN"]),
    ("MY NAME IS BOGDAN PETROVIC I AM 52 AND I HAVE GOUT", ["BOGDAN PETROVIC"]),
    ("THIS IS THANDIWE, 41, WITH A QUESTION ABOUT MY THYROID", ["THANDIWE"]),
    ("MY MOTHER IS FATUMA HASSAN, 70, SHE HAS PAIN IN HER KNEES", ["FATUMA HASSAN"]),
    ("MY SON'S NAME IS KWAME AND HE HAS ASTHMA", ["KWAME"]),
    ("PLEASE REPLY SOON. - GRZEGORZ", ["GRZEGORZ"]),
    ("Thank you for the advice. - Thulani", ["Thulani"]),
])
def test_a_name_in_capitals_after_an_introduction_and_a_dash_signature(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "I AM DIABETIC AND 55 YEARS OLD",
    "I AM NEPALI, 30, AND HAVE A COUGH",
    "MY SON IS VERY SICK SINCE MONDAY",
    "I AM BACK FROM LONDON AND FEEL TIRED",
    "I take two medicines. - Crocin",
    "Is this normal? - Sent from my phone",
])
def test_capitals_and_dashes_without_a_name_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


def test_the_batch_path_gives_the_per_text_result_for_capitals_and_dash_signatures():
    texts = ["I AM OLUWASEUN FROM LAGOS.", "MY NAME IS DEJAN, 33", "Thanks. - Thulani", "THANKS. - ZUBAIR",
             "Nothing to see here.", "I AM FINE"]
    records = [[a, b] for a in texts for b in texts]
    counts_batch, counts_each = {}, {}
    assert phi.scrub_batch(records, counts_batch) == [phi.scrub_fields(r, counts_each) for r in records]
    assert counts_batch == counts_each and counts_batch["NAME"] >= 2 * len(texts)


@pytest.mark.parametrize("text,names", [
    ("my sister hope is 7 months pregnant and has swollen feet", ["hope"]),
    ("my husband mark has had gout for years", ["mark"]),
    ("my son lucky fell off his bike", ["lucky"]),
    ("i am autumn, 31, and my periods are late", ["autumn"]),
])
def test_a_word_that_is_a_given_name_in_lower_case_after_a_relative_with_a_verb(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "my wife rose early and her blood pressure rose too",
    "my daughter summer camp starts next week",
    "my husband rich food habits worry me",
    "my baby hope was that it would pass",
    "my friend young and healthy died suddenly",
    "i am autumn born",
])
def test_the_same_words_as_words_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", [
    ("My boys (Kagiso 9 and Tumelo 4) both have a rash.", ["Kagiso", "Tumelo"]),
    ("we have two kids, Zanele and little Sipho, and both cough at night", ["Zanele", "Sipho"]),
    ("My in-laws Radhika and Venkat stay with us.", ["Radhika", "Venkat"]),
    ("Her twins are Amara & Chidi and they are 2.", ["Amara", "Chidi"]),
])
def test_names_listed_after_relatives_in_the_plural(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text,names", [
    ('My dad always says "Hazel, you worry too much" but the pain is real.', ["Hazel"]),
    ("I keep telling him 'Obinna, please see a doctor' but he refuses.", ["Obinna"]),
    ("my daughter in law is called nokuthula and she is pregnant", ["nokuthula"]),
    ("Our son's name is Tawanda and he is 4.", ["Tawanda"]),
    ("Hi, Wiremu here, 52 from Hamilton. My knee is swollen.", ["Wiremu"]),
])
def test_names_addressed_in_quotes_named_by_is_called_and_before_here_with_an_age(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "My kids Christmas presents made them so happy.",
    "our parents Medicare plan does not cover it",
    "My daughters (ages 6 and 3) have lice.",
    "She shouted \"Stop, you are hurting me\" when I touched her arm.",
    "The new tablet is called Ozempic.",
    "Pain here, 5 days now, worse at night.",
    '"Honey, you look pale" my husband said this morning.',
    '"Beta, you must eat" is what my mother says.',
    "my kids Fortnite addiction worries me",
    "my boys Nike shoes give them blisters",
    "our twins Pampers gave them a rash",
])
def test_lists_quotes_and_naming_without_a_name_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text,names", [
    ("ok i will try the cream. thanks, anjali", ["anjali"]),
    ("my mother went to dr. banerjee and he said it is gastritis", ["banerjee"]),
    ("I am Friday, 35, from Ibadan, and my chest hurts.", ["Friday"]),
])
def test_lower_case_sign_offs_and_titles_and_a_weekday_name_with_an_age(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "i will try it. thanks doctor",
    "the dr. said to rest for a week",
    "regards, hope it gets better",
    "I am Monday to Friday at the office.",
])
def test_lower_case_cues_without_a_name_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


@pytest.mark.parametrize("text", [
    "I work for Accenture and sit at a desk all day.",
    "My plan with Humana does not cover this.",
    "I ordered from Flipkart a new BP machine.",
    "Our dog Bella licked my cut yesterday.",
    "After Hurricane Ian we had no clean water.",
])
def test_employers_shops_pets_and_storms_are_not_persons(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts


def test_a_colleague_one_works_with_is_still_a_person():
    assert _caught("I work for a bank with Okonkwo and he cut his hand.", ["Okonkwo"]) == ["Okonkwo"]


def test_the_batch_path_gives_the_per_text_result_for_one_field_records():
    # a record of one field is scrubbed with its own PROSE_PREFILTER result (the case-blind rules skipped where it
    # does not match): the same result as scrubbing the text alone
    texts = ["MY SON IDRIS HAS A COUGH", "my wife priya has a migraine", "Please help me.\nKofi Mensah",
             "Thanks.\n- Bongani", "Thanks. - Thulani", "Thanks. - Thulani\n", "ok thanks, anjali\n",
             "i am autumn, 31", "I AM OLUWASEUN FROM LAGOS.", "dr. banerjee said so and i agree",
             "Nothing Here to see.", "Hope this helps.", "Regards\nDr. Anita Rao", "my sister hope is pregnant"]
    counts_batch, counts_each = {}, {}
    assert phi.scrub_batch([[t] for t in texts], counts_batch) == [[phi.scrub(t, counts_each)] for t in texts]
    assert counts_batch == counts_each and counts_batch["NAME"] >= 10


def test_discourse_adverbs_foods_and_doses_before_a_brand_are_not_names():
    # words of real patient and doctor text that the name lists hold: none is a person here
    for text in ["I went through your reports. Hence, an MRI is the next step.",
                 "Avoid curd and ghee at night; roti and dal are fine.",
                 "She takes 50 mg Zentel, 10 mg Ondem and then vomits.",
                 "Take Nexito at night for a month.",
                 "Prolomet, which is used for blood pressure, makes me dizzy.",
                 "My doctor gave Sinarest (combination of paracetamol and phenylephrine)."]:
        assert phi.scrub(text) == text, phi.scrub(text)
    # a person in the same places stays a person
    assert "[NAME]" in phi.scrub("Hence, Priya Raman called me at night.")



def test_a_recurring_name_is_looked_for_in_its_own_field_only():
    # prepare scrubs a record's fields together (scrub_batch); each must come out as if scrubbed alone
    fields = ["My son's friend Tobias stayed over. Tobias had a fever too.", "Tobias is a common name."]
    assert phi.scrub_batch([fields]) == [[phi.scrub(t) for t in fields]]
    assert phi.scrub_batch([fields])[0][0].count("[NAME]") == 2


@pytest.mark.parametrize("text", [
    # places, peoples, languages and feasts listed beside one another
    "We toured Izmir and Antalya and I caught a cold.",
    "Flights from Porto Alegre and Curitiba were cancelled, so we drove.",
    "Hamburg, Dresden and Leipzig all have travel clinics.",
    "The nurse speaks Dari and Pashto, but not Tigrinya.",
    "Aymara and Quechua families come to the health post.",
    # things named by a person's name, told by the word that ends them
    "Ryder Cup and Davis Cup weekends keep my husband awake.",
    "Castle Lager every Friday, is that bad for gout?",
    "Orlando Pirates and Kaizer Chiefs fans shout a lot.",
    "Whit Monday and Ash Wednesday are fasting days for us.",
    # a known name opening a sentence, a common noun after it
    "Basil leaves and ginger for a cough, does it work?",
    "Petri dish cultures grew nothing.",
    "Ferris wheel rides make me dizzy.",
    # diseases named by two people, signs found in pairs without "was"
    "After the flu he developed Guillain-Barré and could not walk.",
    "Prader-Willi children are always hungry.",
    "Can Charcot-Marie-Tooth skip a generation in our family?",
    "Hawkins and Neer positive, strength 5/5.",
    "Ortolani and Barlow negative at the six week check.",
    # a word that starts with a relative
    "I DRINK A LOT OF WATER, COULD MY KIDNEY STONES COME BACK",
])
def test_places_feasts_teams_and_eponyms_listed_or_named_are_not_names(text):
    assert phi.scrub(text, {}, "patient") == text, phi.scrub(text, {}, "patient")


@pytest.mark.parametrize("text,names", [
    ("Lagos and Kofi, which is worse for my asthma?", ["Kofi"]),  # a known name beside a place stays a name
    ("Basil has a fever since Monday.", ["Basil"]),  # a word-name opening a sentence, said of a person
    ("Priya helps my mother with her insulin.", ["Priya"]),
    ("DEAR DR OYELARAN I HAVE PAIN AFTER THE SURGERY", ["OYELARAN"]),  # a title in capitals
    ("PLEASE HELP MY DAUGHTER MARÍA CANT BREATHE", ["MARÍA"]),  # accented capitals after a relative
    ("MY BROTHER TUNDE AND HIS WIFE FOLAKE BOTH HAVE MALARIA", ["TUNDE", "FOLAKE"]),  # two relatives in one clause
    ("my stepdad houston has a cough and he smokes", ["houston"]),  # a place-name after a relative, lower case
    ("my sister melody cuts her arms, what do i do", ["melody"]),
    ("grandpa sterling fell asleep at the wheel", ["sterling"]),  # a grandparent at a sentence's start
])
def test_names_beside_places_in_capitals_or_after_a_bare_relative_are_found(text, names):
    assert _caught(text, names) == names


def test_the_place_list_ships_with_its_source_and_licence():
    here = Path(phi.__file__).parent / "names"
    with gzip.open(here / "places.txt.gz", "rt", encoding="utf-8") as fh:
        places = fh.read().splitlines()
    assert len(places) > 25_000 and places == sorted(places)
    assert {"antalya", "curitiba", "porto alegre", "nairobi", "kenya"} <= set(places)
    assert "priya" not in places and "kofi" not in places
    assert (here / "places.txt.gz").stat().st_size < 300_000
    assert "GeoNames" in (here / "make_places.py").read_text() and "places.txt.gz" in (here / "LICENSE").read_text()


@pytest.mark.parametrize("text,names", [
    ("She told me, Olumide, you need rest, but I cannot sleep.", ["Olumide"]),  # a person spoken to
    ("I, Tendai, am 41 and my knees ache.", ["Tendai"]),  # the writer in apposition
    ("Chipo and Rudo are my daughters and both have a rash.", ["Chipo", "Rudo"]),  # relatives in the plural
    ("Tatenda, Kuda and Nyasha are my children.", ["Tatenda", "Kuda", "Nyasha"]),
    ("My husband is Farayi, he is 50.", ["Farayi"]),  # a relative named after "is"
    ("My father in law Tafadzwa is diabetic.", ["Tafadzwa"]),  # "in law" without hyphens
    ("Nyasha's eczema is worse this winter.", ["Nyasha"]),  # a person's condition after a possessive
    ("me and tobias both got sick after the party", ["tobias"]),  # the writer and one more, lower case
])
def test_people_named_by_address_apposition_or_a_plural_relative_are_names(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    '"Honey, you look pale" my husband said this morning.',  # an endearment spoken to someone is no name
    "Me and my sister both got the flu.",
])
def test_endearments_and_the_writers_relatives_stay(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text", [
    "Lance the abscess or leave it?",  # a name that is a verb in the imperative
    "Teddy bears carry dust mites, should we wash them?",  # a plural noun after a word-name
    "Raksha Bandhan sweets are too much for my sugar.",  # a festival named by a given name
    "Makar Sankranti kites cut my hand.",
])
def test_imperatives_plural_nouns_and_festivals_after_a_given_name_stay(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,name", [
    ("My daughter Şebnem has a painful lump.", "Şebnem"),  # capitals of Latin Extended-A (Turkish, Polish, Czech ...)
    ("Łukasz came home with a fever.", "Łukasz"),
    ("my son Čeněk keeps coughing", "Čeněk"),
])
def test_names_opening_with_extended_latin_capitals_are_found(text, name):
    assert _caught(text, [name]) == [name]


@pytest.mark.parametrize("text,name", [
    ("I AM YUSUF AL-HASHIMI, 47, WITH GOUT.", "AL-HASHIMI"),  # a compound surname in capitals after an introduction
    ("MY HUSBAND SEAN O'REILLY HAS GOUT", "O'REILLY"),
])
def test_compound_names_in_capitals_are_found(text, name):
    assert _caught(text, [name]) == [name]


@pytest.mark.parametrize("text", ["MY SON NEEDS AN X-RAY", "MY SON FOLLOW-UP IS TODAY"])
def test_compound_words_in_capitals_stay(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,names", [
    ("We measured Jordan's BP at the pharmacy.", ["Jordan"]),  # a place-name with a person's possessive
    ("Bactrim gave Denver a rash all over.", ["Denver"]),  # a giving verb and the thing given
    ("Daycare has given Ruby a cough.", ["Ruby"]),
    ("We are three sisters, Aroha, Mereana and Huia, all with thyroid problems.", ["Aroha", "Mereana", "Huia"]),
    ("The kids next door, Ximeno and Tobias, have been coughing.", ["Ximeno", "Tobias"]),  # listed beside a name
    ("i am writing for my aunty wanjiru, she has a lump", ["wanjiru"]),
    ("my ex rocco gave me herpes", ["rocco"]),
    ("Name - Gulnara. Age - 37.", ["Gulnara"]),
])
def test_names_by_possessive_giving_list_or_a_dashed_label_are_found(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "Jordan's hospitals are good for cardiac surgery.", "We flew to Jordan last week.",
    "I was given Augmentin for a week.", "My son Kofi, Lagos and Accra are on my route.",
])
def test_places_and_medicines_near_those_contexts_stay(text):
    out = phi.scrub(text, {}, "patient")
    assert "Jordan" in out or "Jordan" not in text
    assert "Augmentin" in out or "Augmentin" not in text
    assert "Lagos" in out or "Lagos" not in text


@pytest.mark.parametrize("text,names", [
    ("hi doc so basically me, tomas and freya went to the festival", ["tomas", "freya"]),  # lower case, a list
    ("my kids are tomas, freya and little rosario, all with a rash", ["tomas", "freya", "rosario"]),
    ("my grandma lives with auntie rosario and uncle benito now", ["rosario", "benito"]),  # bare relatives
])
def test_lower_case_lists_of_known_names_are_found(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", ["Smith's fracture after a fall on the wrist.", "Bennett's fracture of the thumb.",
                                  "me and my sister both got the flu"])
def test_eponymous_fractures_and_a_relative_after_me_and_stay(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,names", [
    ("I'm writing for my grandma, whose name is Nomsa. Her ankles are swollen.", ["Nomsa"]),
    ("my grandma's name is hoang and she doesnt speak english", ["hoang"]),
    ("Form: Name of child - Lerato Mokoena. Parent - Palesa Mokoena. Concern - stammering.",
     ["Lerato Mokoena", "Palesa Mokoena"]),
    ("My mother-in-law, Hiltrud, is on warfarin and her gums bleed.", ["Hiltrud"]),
    ("I want to know about my mum, Mereana. She has gout.", ["Mereana"]),
    ("the physio, brenda, told me to ice my shoulder", ["brenda"]),
    ("my mum rukhsana has thyroid and is gaining weight", ["rukhsana"]),
    ("my husband is murat, he has pain in testicle", ["murat"]),
    ("my sister olga-maria had a seizure for the first time", ["olga-maria"]),
    ("hi i'm mercy-ann and i have a cough for a month", ["mercy-ann"]),
    ("i am pasang sherpa, i get headache at high altitude", ["pasang sherpa"]),
    ("hey its dominic, my ankle has been swollen for 2 weeks", ["dominic"]),
    ("please help my brother dmytro he fell from the roof", ["dmytro"]),
    ("hi doc my supervisor desmond gave me some pills", ["desmond"]),
    ("MY HUSBAND FRANCISCO JAVIER HAS BLOOD IN HIS VOMIT.", ["FRANCISCO JAVIER"]),
    ("MY SISTERS NKEMDIRIM AND CHINENYE BOTH HAVE SICKLE CELL.", ["NKEMDIRIM", "CHINENYE"]),
    ("PLEASE HELP. THANK YOU. MARIAMA", ["MARIAMA"]),
    ("HELLO I AM CONCEPCIÓN RAMÍREZ, 61. I HAVE PAIN IN MY JAW.", ["CONCEPCIÓN RAMÍREZ"]),
    ("Prezada Dra. Camargo, minha avó tem Alzheimer. É hereditário? Att, Renata", ["Camargo", "Renata"]),
    ("Buongiorno dottore, sono la signora Rossi. Mia madre ha 88 anni.", ["Rossi"]),
    ("hi doc my girlfriend sinead keeps fainting when she stands up. the GP gave her iron.", ["sinead"]),
    ("Hello Dr. van der Merwe, I wanted to ask about the biopsy on my skin.", ["van der Merwe"]),
    ("I have a red bump on my eyelid for a week. Do I need drops? Ta, Shazza", ["Shazza"]),
    ("Dobrý den, jmenuji se Jana Dvořáková. Moje dcera má vyrážku.", ["Jana Dvořáková"]),
    ("Me (Dhruv) and my wife (Priya) both have dengue.", ["Dhruv", "Priya"]),
    ("MY BABY NAMED FIRDAUS IS 7 DAYS AND HER NAVEL IS RED.", ["FIRDAUS"]),
    ("Mum (Tigist) has had a cough for two months and night sweats.", ["Tigist"]),
    ("I have a rash on my hands since the weekend. Thanks a million, Dympna", ["Dympna"]),
    ("Our daughter Siân is getting stomach aches before school.", ["Siân"]),
    ("hi doc my manager scarlett says wear gloves at the bakery", ["scarlett"]),
    ("Hola doctor, me llamo María José y tengo fiebre desde ayer.", ["María José"]),
])
def test_names_announced_by_naming_words_labels_roles_and_titles_of_other_languages_are_found(text, names):
    assert _caught(text, names) == names


@pytest.mark.parametrize("text", [
    "The drug's name is Zerodol. His name is not on the list.",
    "my son is brave and my wife is clever, my son is sunny today",
    "my son alwys has fever. my son plz help. my son dont eat. my son hav fever",
    "my son bhi has it since monday",
    "For my son, Zyrtec helps him at night.",
    "MY KIDS HAVE FEVER AND COUGH. THANK YOU. GOD BLESS",
    "Child-Pugh B (8 points), MELD 16. Mother: Diabetic since 2010.",
    "Signo de Murphy positivo, Blumberg negativo.",
    "Fundus: papilla vitale, Makula o.B., periphere Netzhaut anliegend.",
])
def test_naming_words_relatives_and_notes_in_other_languages_without_names_stay(text):
    counts: dict = {}
    assert phi.scrub(text, counts, "patient") == text, counts



@pytest.mark.parametrize("text", [
    "Sloan Kettering reviewed my biopsy and said it is benign.", "Great Ormond Street said he needs grommets.",
    "Specsavers said my eye pressure is high.", "Strava says my resting heart rate is 42.",
    "Holland and Barrett sold me melatonin.", "Kaiser Permanente denied my claim.", "Stella Artois gives me gout.",
])
def test_a_known_hospital_shop_or_brand_is_no_name(text):
    # names/things.txt: names of things that the prose-name pass took for people
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,name", [
    ("My friend Stella has had a cough for a week.", "Stella"),  # a first name alone is never taken for a thing
    ("Maria Costa has a fever since Monday.", "Maria Costa"),  # nor a brand of one word inside a longer name
    ("Flo has had diarrhoea since the party.", "Flo"),
    ("Jack Daniel and his sister came to see me.", "Jack Daniel"),  # full names of people are not listed
])
def test_a_thing_word_inside_a_person_name_stays_a_name(text, name):
    assert name not in phi.scrub(text)
