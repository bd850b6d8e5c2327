"""The scrubber on the labelled PHI evaluation set (tests/phi_eval): recall >= 99% and FPR <= 1% per type."""

import sys
from pathlib import Path

from imi_lib.data import phi

sys.path.insert(0, str(Path(__file__).parent / "phi_eval"))
import scoring  # noqa: E402


def test_the_set_is_large_enough_and_covers_every_type():
    msgs, free = scoring.load()
    assert sum(len(m["phi"]) for m in msgs) >= 200
    assert len(free) >= 500
    types = {p["type"] for m in msgs for p in m["phi"]}
    assert types == set(phi.PHI_TYPES)  # every placeholder type has labelled identifiers
    assert {f["kind"] for f in free} == {"clinical", "research", "regulatory"}


def test_recall_is_at_least_99_percent_per_type():
    result = scoring.score(phi.scrub)
    for kind, (hit, total) in result["recall"].items():
        assert hit / total >= 0.99, (kind, hit, total, [m for m in result["misses"] if m[0] == kind])


def test_false_positive_rate_is_at_most_1_percent_per_type():
    result = scoring.score(phi.scrub)
    n = result["free_total"]
    for kind, fp in result["fp_by_type"].items():
        assert fp / n <= 0.01, (kind, fp, [f for f in result["false_positives"] if kind in f[2]])
    for kind, count in result["texts"].items():
        assert result["fp_by_kind"].get(kind, 0) / count <= 0.01, kind


def test_research_and_regulatory_text_would_be_over_scrubbed_as_patient_text():
    """Why the scope exists: the full scrub replaces study periods, agency contacts and dates in documents."""
    result = scoring.score(phi.scrub)
    assert result["fp_if_patient_scope"]["research"] > 0.05 * result["texts"]["research"]
    assert result["fp_if_patient_scope"]["regulatory"] > 0.05 * result["texts"]["regulatory"]


# Held-out sets for every identifier type (phi_eval/HELDOUT_IDS.md): each written blind; set 1 scored 227/271 on the
# scrubber before the rules it led to, set 2 257/274, set 3 255/285 and set 4 262/294 on rules written before they
# were read. Floors at the figures measured now (a rule change must not lose what these sets show).
ID_FLOORS = {1: (271, 0), 2: (274, 5), 3: (285, 3), 4: (294, 0),  # set: (caught at least, PHI-free texts hit at most)
             # (set 3's third PHI-free text hit is a month and year in lower case, `since march 2024`: an element of a
             # date, which Safe Harbor removes, as every later set labels it; the set's writer did not)
             5: (300, 3),  # set 5 held out until that day's first rules were final: 272/302 (90.1%), 7/350
             6: (294, 0),  # set 6 held out until the second round was final: 277/296 (93.6%), 6/350
             7: (292, 1),  # set 7 held out until the third round was final: 280/293 (95.6%), 4/350
             # the next day's sets, each written blind that day (HELDOUT_IDS.md):
             8: (429, 5),  # set 8: 312/431 (72.4%), 19/350 before its rules (mostly European and Latin American text)
             9: (291, 0),  # set 9 held out until the fourth round was final: 274/291 (94.2%), 8/350
             10: (295, 2),  # set 10 first scored on the fourth round: 271/300 (90.3%), 3/350
             11: (300, 2),  # set 11 held out until the fifth round was final: 285/300 (95.0%), 4/350
             12: (296, 1),  # set 12 held out until the sixth round was final: 290/297 (97.6%), 3/350
             # the third day's sets (HELDOUT_IDS.md, "Sets 13 to 16"):
             13: (370, 0),  # set 13: 346/371 (93.3%), 4/350 before the seventh round, its development set
             14: (347, 3),  # set 14 held out until the seventh round was final: 328/348 (94.3%), 4/350
             15: (302, 1),  # set 15 held out until the eighth round was final: 284/304 (93.4%), 2/350
             16: (316, 0),  # set 16 held out until the ninth round was final: 302/317 (95.3%), 1/350
             17: (306, 1),  # set 17 held out too, scored once on that code: 281/307 (91.5%), 2/350
             18: (460, 1),  # set 18 held out until the tenth round was final: 436/464 (94.0%), 2/350
             # the fourth day's sets, written blind, held out until the eleventh and twelfth rounds were final:
             19: (306, 5),  # set 19: 286/308 (92.9%), 6/350 at the start; 291/308 (94.5%), 5/350 scored once
             20: (286, 3),  # set 20: 262/290 (90.3%), 3/350 at the start; 269/290 (92.8%), 3/350 scored once
             # held out until the thirteenth round (phones in groups) was final, scored once:
             21: (351, 2),  # set 21: 326/357 (91.3%), 3/350 at the start; 338/357 (94.7%), 3/350
             22: (382, 0),  # set 22: 350/383 (91.4%), 0/350 at the start; 364/383 (95.0%), 2/350 (two product
             # codes read as codes and a phone: those labels were added to the exclusions after)
             # the fifth day's sets, written blind, held out until the fourteenth round (dates without a year, ages
             # in words and other languages, postcodes beside a town) was final, scored once:
             23: (417, 1),  # set 23: 358/421 (85.0%), 2/350 at the start; 371/421 (88.1%), 2/350
             24: (419, 0),  # set 24: 381/421 (90.5%), 1/350 at the start; 383/421 (91.0%), 1/350 scored once,
             # 384 after the one loss it showed was fixed (a range's start taken by the "on 2.11." rule); then the
             # fifteenth round's development set, with 23
             # held out until the fifteenth round (names after form labels and other languages' cues, ordinal and
             # listed days, ages after a name) was final, scored once:
             25: (521, 6),  # set 25: 469/528 (88.8%), 8/350 at the start; 472 after the fourteenth round; 482/528 (91.3%)
             26: (426, 0),  # set 26: 370/430 (86.0%), 1/350 at the start; 374 after the fourteenth round; 400/430 (93.0%)
             # (25 and 26 then the sixteenth round's development sets)
             # held out until the sixteenth round (sign-offs in capitals and other languages, ages in brackets after a
             # name, "the 22nd", a day and month after an event's verb) was final, scored once:
             27: (416, 1),  # set 27: 408/417 (97.8%), 2/350 at the start; 411/417 (98.6%), 2/350
             28: (307, 1),  # set 28: 288/315 (91.4%), 2/350 at the start; 292/315 (92.7%), 2/350; then with 27 the
             # seventeenth round's development set
             # held out until the seventeenth round (eight-digit phones after a phone word, spaced e-mails, "for 17th")
             # was final, scored once (no emphasis: a day's mix in Africa and Asia, and in Europe and Latin America):
             29: (562, 1),  # set 29: 541/567 (95.4%), 1/350 at the start; 544/567 (95.9%), 1/350
             30: (553, 0),  # set 30: 499/559 (89.3%), 3/350 at the start; 509/559 (91.1%), 3/350
             # (29 and 30 then the eighteenth round's development sets)
             # held out until the eighteenth round (introductions with an age in other languages, plates under other
             # languages' labels, usernames, more ages and dates) was final, scored once (no emphasis):
             31: (373, 1),  # set 31: 338/375 (90.1%), 2/350 at the start; 342 after the seventeenth; 345/375 (92.0%)
             32: (527, 0),  # set 32: 492/530 (92.8%), 1/350 at the start; 497 after the seventeenth; 498/530 (94.0%)
             # (31 and 32 then the nineteenth round's development sets)
             # held out until the nineteenth round (Chinese, Japanese and Korean introductions, ages and months;
             # sign-offs after thanks in many languages at a message's end; a one-word introduction at its opening)
             # was final, scored once (no emphasis: Africa, the Middle East and South Asia; the whole world):
             33: (358, 1),  # set 33: 342/360 (95.0%), 1/350 at the start and after the round
             34: (385, 0),  # set 34: 364/389 (93.6%), 0/350 at the start; 368/389 (94.6%), 0/350
             # (33 and 34 then the twentieth round's development sets)
             # held out until the twentieth round (introductions in Arabic, Persian, Cyrillic, Greek and Thai
             # script; introductions after a greeting and a word of address; ages in Hindi/Urdu and Swahili
             # words and Arabic-Indic digits; Chinese and Japanese phone and record labels) was final, scored
             # once (no emphasis: Europe and Latin America; North America, East and Southeast Asia, Oceania):
             35: (371, 0),  # set 35: 336/374 (89.8%), 10/350 at the start; 337 after the nineteenth; 338/374
             36: (339, 0),  # set 36: 323/341 (94.7%), 2/350 at the start; 328 after the nineteenth; 330/341
             # (35 and 36 then the twenty-first round's development sets)
             # held out until the twenty-first round (expiry and batch words and clinical eponyms of other languages
             # as no PHI; days and months after a preposition and an appointment, months and years, short ages, more
             # introductions and labels in other languages) was final, scored once (no emphasis: a US and Canadian
             # health system's portal; an online-doctor service in the UK, Ireland, South Asia, Africa, the Gulf and
             # Australia):
             37: (322, 1),  # set 37: 297/325 (91.4%), 2/350 at the start; 303 after the twentieth; 304/325 (93.5%)
             38: (301, 0),  # set 38: 291/302 (96.4%), 1/350 at the start and after the round
             # (37 and 38 then the twenty-second round's development sets)
             # held out until the twenty-second round (references after "ref", Quebec's and Medicare's card numbers,
             # Tagalog, Haitian Creole, Vietnamese and lower-case English dates, more ages) was final, scored once
             # (no emphasis: Southeast Asia, South Asia and the Middle East; Europe and Africa):
             39: (428, 0),  # set 39: 385/435 (88.5%), 0/350 at the start; 392 after the twenty-first; 394/435 (90.6%)
             40: (368, 0),  # set 40: 340/373 (91.2%), 2/350 at the start; 349/373 after the twenty-first and the twenty-second
             # (39 and 40 then the twenty-third to twenty-fifth rounds' development sets; no blind set was scored after
             # the twenty-third round)
             # held out until the twenty-fourth round (labels in any script and labels that end with a qualifier, codes
             # with capitals after a label, postcodes near an address, plates after longer phrases, a day and month
             # after a rebooking word, a name alone at a message's end, more ages) was final, scored once (no
             # emphasis: an English-speaking online-doctor service; Europe and Latin America in ten languages):
             41: (302, 0),  # set 41: 294/303 (97.0%), 0/350 at the start and after the round
             42: (340, 0),  # set 42: 329/340 (96.8%), 2/350 at the start and after the round
             # (41 and 42 then the twenty-fifth round's development sets)
             # held out until the twenty-fifth round (payment and passport codes, Danish and Nordic names, ages and
             # phones, birthdays, "it's me again", eponyms after a Romance disease word, kin words as no name) was
             # final, scored once (no emphasis: South, Southeast and East Asia and the Middle East):
             43: (334, 2),  # set 43: 308/345 (89.3%), 2/350 at the start; 311/345 (90.1%), 2/350
             # (43 then the twenty-sixth round's development set: digits of other scripts, Indic ages, names and
             # titles, days listed after a date, Japanese and Chinese streets; then titles of other languages,
             # streets after more cues, logins, booking references, card numbers, form labels, lower-case names)
             # held out until the twenty-sixth round was final, scored once (no emphasis: Eastern Europe, Russia,
             # the Caucasus, Central Asia, North and East Africa, the Middle East; no set 44 was delivered):
             45: (489, 0),  # set 45: 434/500 (86.8%), 0/350 at the start; 444 after the twenty-fifth; 444/500 (88.8%)
             # (45 then the twenty-seventh round's development set: Russian and Ukrainian dates, Czech dates, Cyrillic
             # streets, Eastern European ages and full names)
             # the seventh day's sets, written blind 22:43-23:07 UTC, held out until the twenty-eighth round (built on
             # sets 1-45) was final, scored once at the start (de1505a) and after it (emphases: South and Southeast
             # Asia, Africa and Latin America in English; English-speaking countries and continental Europe):
             46: (424, 0),  # set 46: 415/428 (97.0%), 1/350 at the start; 416/428 (97.2%), 1/350
             47: (397, 0),  # set 47: 391/400 (97.8%), 2/350 at the start and after the round
             # (46 and 47 then the twenty-ninth round's development sets: plates, device IDs, logins, "Frau Dr.", an
             # introduction before "born", acronyms before "number", ages in brackets with a word for years, visual
             # acuity and growth centiles as no dates)
             # written blind 23:19-23:25 UTC, held out until the twenty-ninth round was final, scored once at the
             # start, after the twenty-eighth and after the twenty-ninth (emphases: South Asia, the Gulf and Africa in
             # English; a US portal, Australian telehealth and Latin American clinics in Spanish and Portuguese):
             48: (378, 1),  # set 48: 375/384 (97.7%), 2/350 at the start; 374 after the 28th; 374/384 (97.4%), 1/350
             # (the day lost, "an accident on 21/10, still neck pain" read as a pain score, was found again after)
             49: (402, 1),  # set 49: 398/407 (97.8%), 1/350 at the start; 399 after the 28th; 399/407 (98.0%), 1/350
             # (48 and 49 then the thirtieth round's development sets: day/month abbreviations after "de", "pra",
             # spaced birth dates, "mera naam", "Patient:" before a name in capitals, more country domains)
             # written blind 23:32-23:40 UTC, held out until the thirtieth round was final, scored once at the start and
             # after each of the day's rounds (no emphasis: an international online-doctor service; East and Southeast
             # Asia, Eastern Europe and Turkey in English mixed with their languages and scripts):
             50: (317, 0),  # set 50: 314/320 (98.1%), 1/350 at the start; 314, 315; 315/320 (98.4%), 1/350
             51: (479, 0),  # set 51: 473/501 (94.4%), 1/350 at the start; 474, 474; 474/501 (94.6%), 1/350
             # (50 and 51 then the thirty-first round's development sets: an age after a name and "is", Vietnamese and
             # Indonesian date words, government domains "go.xx", zip codes, Spanish case files, Malay greetings)
             # the fifth day's sets (HELDOUT_IDS.md, "Sets 52 to 55"), written blind while the thirty-second round was
             # built on sets 1-51, scored once at the start (519807b) and after it; 52 and 53 then the thirty-third
             # round's development sets, 54 and 55 held out until it was final and scored once more:
             52: (416, 0),  # set 52: 400/420 (95.2%), 0/350 at the start; 401/420 (95.5%), 0/350 after the 32nd
             53: (444, 0),  # set 53: 426/458 (93.0%), 2/350 at the start; 427/458 (93.2%), 2/350 after the 32nd
             54: (299, 0),  # set 54: 298/305 (97.7%), 0/350 at the start; 299, 0; 299/305 (98.0%), 0/350 after the 33rd
             55: (382, 3),  # set 55: 382/401 (95.3%), 3/350 at the start; 382, 3; 382/401 (95.3%), 3/350 after the 33rd
             # the learned pass's validation sets: 54 and 55 with a model trained without them: 300/305 (98.4%), 0/350
             # and 392/401 (97.8%), 3/350 (addresses and IDs only; 304 and 398 with every class, which hit traps)
             # sets 56 and 57, written blind on the sixth day (HELDOUT_IDS56.md, HELDOUT_IDS57.md), scored with a model
             # trained without them: rules 399/406 (98.3%), 0/350 and 310/317 (97.8%), 1/350; rules and the learned
             # pass 402/406 (99.0%), 0/350 and 312/317 (98.4%), 1/350 (docs/prepare.md); the shipped model learned them
             56: (402, 0), 57: (313, 1),
             # sets 58 and 59, written blind in the sixth day's second session (HELDOUT_IDS58.md, HELDOUT_IDS59.md),
             # held out from the model (scoring.MODEL_HELD_OUT_IDS) and from the rules, scored once: rules alone
             # 379/388 (97.7%), 5/350 and 395/403 (98.0%), 1/350; with the learned pass 381/388 (98.2%), 6/350 and
             # 397/403 (98.5%), 1/350 (HELDOUT_IDS.md, "Sets 58 and 59"); then development sets of the ages after
             # labels, case notes and birth years: 384/388, 6/350 and 399/403, 1/350; 385 after the second round
             58: (385, 4), 59: (399, 0),  # (58: `likely Gilbert` is no name since; 59: `Fri, 1/2 tablet` no date)
             # sets 60-62, written blind while the first round of ages was built (HELDOUT_IDS.md, "Sets 60 to 62"),
             # held out from the model; 60 (ages of the very old) then the second round's development set: 448/469
             # (95.5%) before the rounds, 449 after the first, 461/469 (98.3%) after the second, 0/350 throughout;
             # 61 and 62 held out from the rules too: 316/321 (98.4%), 0/350 before and after both rounds; 430/447
             # (96.2%) before them, 435/447 (97.3%) after them, 2/350 both times
             60: (463, 0), 61: (316, 0), 62: (436, 2),  # 62: 436 after the eighth day's lower-case "im raj my"
             # sets 63 and 64, written blind on the seventh day (HELDOUT_IDS63.md, HELDOUT_IDS64.md), held out from the
             # model; 63 (ages of the very old, numbers that look like identifiers) then the development set of the day's
             # ages (forms, decades, deaths, sentence openings) and product expiries: 283/301 (94.0%), 4/350 at the
             # start, 299/301 (99.3%), 1/350 after; 64 held out from the rules too: 352/354 (99.4%), 0/350 before and
             # after; 60 gained two ages, 58 lost its expiry hit (`exp 2025-03-31` after a lot), 61 and 62 unchanged
             63: (299, 1), 64: (353, 0),  # 64: then the development set of a lower-case "im rafa my": 353/354
             # set 65, written blind on the eighth day (HELDOUT_IDS65.md, no emphasis), held out from the model and the
             # rules: 329/330 (99.7%), 0/350 at the start and after the day's rules (its one miss a clinic's street);
             # then the development set of streets named "Approach", "View", "Quay" ...: 330/330
             65: (330, 0),
             # set 66, written blind on the ninth day (HELDOUT_IDS66.md, no emphasis), held out from the model and the
             # rules: 378/382 (99.0%), 0/350 at the start and after the day's rules
             66: (378, 0),
             # set 67, written blind later that day (HELDOUT_IDS67.md, no emphasis), held out from the model and the
             # rules: 340/342 (99.4%), 0/350 at the start (9cca81b) and after the day's second round
             67: (340, 0),
             # set 68, written blind on the tenth day (HELDOUT_IDS68.md, no emphasis), held out from the model and the
             # rules: 327/331 (98.8%), 1/350 at the start (f912d8f) and after the day's rules
             68: (327, 1)}


def test_held_out_identifier_sets_stay_at_their_measured_levels():
    for which, (caught, fp_max) in ID_FLOORS.items():
        r = scoring.score_ids(phi.scrub, which)
        assert r["caught"] >= caught, (which, r["caught"], r["misses"])
        assert sum(r["fp_by_kind"].values()) <= fp_max, (which, r["false_positives"])


def test_held_out_identifier_sets_batch_equals_scrub():
    """prepare scrubs through scrub_batch and its prefilters: on these sets it must find what scrub finds."""
    for which in scoring.ID_SETS:
        msgs, _free = scoring.load_ids(which)
        texts = [m["text"] for m in msgs]
        assert phi.scrub_batch([[t] for t in texts]) == [[phi.scrub(t)] for t in texts], which

