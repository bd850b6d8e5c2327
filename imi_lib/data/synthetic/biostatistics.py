"""Biostatistics and study-design questions in USMLE style (-> research).

The numbers are drawn, the answer is computed, and the distractors are the
other quantities a student typically confuses with it (specificity for
sensitivity, relative for absolute risk reduction...), each named in the
explanation. Study-design and bias items come from short scenario templates
with the definition of every option.
"""

from __future__ import annotations

import math
import random

from imi_lib.data.synthetic.common import Example, explained_answer, format_options, shuffled_options

ADAPTER = "research"

INSTRUCTIONS = (
    "Answer this biostatistics and research-methods question. Show the calculation or reasoning and explain why the other options are wrong.",
    "You are a research methods tutor. Choose the best answer and explain it.",
    "Critically appraise the study described and answer the question.",
)

DIAGNOSTIC_STUDIES = (
    ("a rapid antigen test", "streptococcal pharyngitis", "throat culture"),
    ("a single high-sensitivity troponin on arrival", "myocardial infarction", "serial troponin and clinical adjudication"),
    ("D-dimer", "pulmonary embolism", "CT pulmonary angiography"),
    ("a faecal immunochemical test", "colorectal cancer", "colonoscopy"),
    ("point-of-care ultrasound", "appendicitis", "surgical histology or 30-day follow-up"),
    ("procalcitonin", "bacterial pneumonia", "an expert panel diagnosis"),
    ("a new serum biomarker", "early sepsis", "blood culture and clinical criteria"),
    ("a smartphone ECG", "atrial fibrillation", "a 12-lead ECG read by cardiologists"),
    ("transvaginal ultrasound", "endometrial cancer", "endometrial biopsy"),
    ("a screening questionnaire", "major depressive disorder", "a structured psychiatric interview"),
)

TRIALS = (
    ("a new oral anticoagulant", "warfarin", "stroke", "patients with atrial fibrillation", "2 years"),
    ("a polypill", "usual care", "major cardiovascular events", "adults over 55", "5 years"),
    ("dexamethasone", "usual care", "28-day mortality", "patients with severe pneumonia", "28 days"),
    ("an SGLT2 inhibitor", "placebo", "heart-failure hospitalisation", "patients with heart failure", "18 months"),
    ("a fall-prevention exercise programme", "usual care", "hip fracture", "community-dwelling adults over 75", "3 years"),
    ("influenza vaccination", "placebo", "laboratory-confirmed influenza", "healthy adults", "one season"),
    ("a smoking-cessation drug", "placebo", "relapse to smoking", "recent quitters", "1 year"),
    ("early mobilisation", "standard bed rest", "hospital-acquired pneumonia", "older surgical patients", "30 days"),
)

EXPOSURES = (
    ("cigarette smoking", "bladder cancer"),
    ("night-shift work", "breast cancer"),
    ("regular aspirin use", "colorectal adenoma"),
    ("living near a major road", "childhood asthma"),
    ("high sugar-sweetened beverage intake", "type 2 diabetes"),
    ("long-term proton-pump inhibitor use", "hip fracture"),
    ("occupational benzene exposure", "acute myeloid leukaemia"),
    ("low vitamin D levels", "multiple sclerosis"),
    ("heavy alcohol use", "atrial fibrillation"),
    ("antibiotic use in infancy", "childhood obesity"),
)
SMOKING_RELATED = ("lung cancer", "pancreatic cancer", "myocardial infarction", "bladder cancer")
SCREENED_CANCERS = (("breast cancer", "mammography"), ("prostate cancer", "PSA testing"),
                    ("lung cancer", "low-dose CT"), ("colorectal cancer", "faecal immunochemical testing"))
CROSSOVER = (("chronic insomnia", "a new hypnotic", "sleep latency"),
             ("stable angina", "a new anti-anginal drug", "exercise time to angina"),
             ("mild hypertension", "a new antihypertensive", "24-hour ambulatory blood pressure"),
             ("knee osteoarthritis", "a topical NSAID", "pain scores"))

DESIGNS = {
    "Case-control study": "starts from people with and without the outcome and looks back at past exposure; it reports an odds ratio",
    "Prospective cohort study": "starts from exposed and unexposed people free of the outcome and follows them forward; it reports relative risk and incidence",
    "Retrospective cohort study": "uses past records to define exposed and unexposed groups and follows them forward in the records to the outcome",
    "Cross-sectional study": "measures exposure and outcome at one point in time; it gives prevalence but cannot establish which came first",
    "Randomised controlled trial": "assigns the intervention at random, balancing known and unknown confounders",
    "Ecological study": "compares groups (such as countries) rather than individuals, so it is open to the ecological fallacy",
    "Crossover trial": "gives each participant both treatments in random order separated by a washout, so each acts as their own control",
}


def _design_scenario(rng: random.Random, design: str) -> tuple[str, str]:
    """(scenario, the feature of it that identifies the design)."""
    exposure, outcome = rng.choice(EXPOSURES)
    n, m, years = rng.randint(150, 900), rng.randint(150, 900), rng.randint(3, 20)
    if design == "Case-control study":
        return (f"Investigators identify {n} adults with newly diagnosed {outcome} and {m} adults of similar age without it "
                f"from the same hospitals, and ask both groups about their history of {exposure}.",
                f"the groups are defined by the outcome ({n} with {outcome}, {m} without) and exposure is assessed looking back")
    if design == "Prospective cohort study":
        return (f"Investigators enrol {n * 10} adults free of {outcome}, record their {exposure} at baseline, "
                f"and follow them for {years} years to see who develops {outcome}.",
                f"{n * 10} people free of {outcome} are grouped by {exposure} now and followed forward for {years} years")
    if design == "Retrospective cohort study":
        return (f"Using employment and health records from {2024 - years}, investigators identify {n} people with {exposure} "
                f"and {m} without it, and search the records from then until now for diagnoses of {outcome}.",
                f"exposure groups ({n} exposed, {m} unexposed) are defined from records made in {2024 - years}, before the outcome, and followed through the records")
    if design == "Cross-sectional study":
        return (f"A survey of {n * 10} adults records {exposure} and the presence of {outcome} at a single visit "
                f"and compares the prevalence of {outcome} between groups.",
                f"{exposure} and {outcome} are measured at the same single visit in {n * 10} adults")
    if design == "Randomised controlled trial":
        drug, comparator, trial_outcome, population, duration = rng.choice(TRIALS)
        return (f"Investigators randomly assign {n * 2} {population} to {drug} or {comparator} and compare "
                f"{trial_outcome} over {duration}.",
                f"the investigators allocate {drug} or {comparator} at random to {n * 2} participants")
    if design == "Ecological study":
        k, r = rng.randint(18, 60), rng.randint(41, 89)
        return (f"Investigators plot national rates of {exposure} against national rates of {outcome} across {k} countries "
                f"and report a correlation coefficient of 0.{r}.",
                f"the unit of analysis is the country ({k} of them), not the individual")
    condition, drug, measure = rng.choice(CROSSOVER)
    weeks, n_x = rng.randint(4, 8), rng.randint(20, 80)
    return (f"{n_x} patients with {condition} receive {drug} and a placebo for {weeks} weeks each, in random order "
            f"separated by a 2-week washout, and {measure} is compared within each patient.",
            f"each of the {n_x} patients receives both {drug} and placebo in random order with a washout")


BIASES = {
    "Recall bias": ("people with the outcome remember or report past exposures differently from those without it",
                    "use recorded exposure data collected before the outcome occurred"),
    "Lead-time bias": ("earlier detection by screening makes survival from diagnosis look longer even if death is not delayed",
                       "compare mortality rather than survival from diagnosis"),
    "Length-time bias": ("screening preferentially detects slow-growing disease with a better prognosis",
                         "compare outcomes in randomised screened and unscreened populations"),
    "Confounding": ("a third factor associated with both exposure and outcome creates or hides an association",
                    "randomise, restrict, match or adjust for the confounder"),
    "Attrition bias": ("losses to follow-up differ between groups in ways related to the outcome",
                       "minimise losses, analyse by intention to treat and run sensitivity analyses"),
    "Observer bias": ("outcome assessors who know the allocation judge outcomes differently",
                      "blind the outcome assessors"),
    "Selection bias": ("the way participants are chosen makes the study groups unrepresentative or not comparable",
                       "sample from the population the results are meant for, with comparable control selection"),
    "Hawthorne effect": ("participants change their behaviour because they know they are being observed",
                         "use an observed control group or less obtrusive measurement"),
}


def _bias_scenario(rng: random.Random, bias: str) -> tuple[str, str]:
    """(scenario, the feature of it that points to the bias)."""
    exposure, outcome = rng.choice(EXPOSURES)
    n = rng.randint(120, 800)
    pct = rng.randint(18, 45)
    if bias == "Recall bias":
        return (f"In a case-control study of {outcome}, {n} cases and {n} controls are interviewed about {exposure} "
                f"years earlier; cases report the exposure far more often, though records made at the time show similar exposure in both groups.",
                f"the {n} cases over-report {exposure} compared with the records made at the time")
    if bias in ("Lead-time bias", "Length-time bias"):
        cancer, screen = rng.choice(SCREENED_CANCERS)
        if bias == "Lead-time bias":
            a, b = rng.randint(5, 9), rng.randint(2, 4)
            return (f"A {screen} programme reports that patients with screen-detected {cancer} survive a median of {a} years "
                    f"after diagnosis versus {b} years for symptom-detected patients, yet the age at death is the same in both groups.",
                    f"survival from diagnosis rises from {b} to {a} years while the age at death is unchanged")
        return (f"Cases of {cancer} found by {screen} are mostly small and slow-growing, while those diagnosed between "
                f"screening rounds are aggressive; the investigators conclude from {n} cases that screening improves prognosis.",
                f"{screen} preferentially finds the slow-growing {cancer} that has a better prognosis anyway")
    if bias == "Confounding":
        outcome = rng.choice(SMOKING_RELATED)
        return (f"A cohort study of {n * 10} adults finds that coffee drinkers have a higher rate of {outcome}; "
                f"coffee drinkers in the study are also much more likely to smoke, and smoking was not measured.",
                f"smoking is linked both to coffee drinking and to {outcome} in these {n * 10} adults and was not measured")
    if bias == "Attrition bias":
        drug, _comparator, trial_outcome, population, duration = rng.choice(TRIALS)
        lost_c = max(3, pct // 4)
        return (f"In a trial of {drug} for preventing {trial_outcome} among {population} over {duration}, {pct}% of the intervention "
                f"group and {lost_c}% of the control group are lost to follow-up, mostly because of side effects; the analysis "
                f"includes only those who completed the study.",
                f"{pct}% versus {lost_c}% are lost to follow-up and only completers are analysed")
    if bias == "Observer bias":
        weeks = rng.randint(6, 12)
        return (f"In an open-label trial of a new physiotherapy programme in {n} patients, the physiotherapists who delivered "
                f"the programme also rate each patient's mobility at {weeks} weeks, knowing which group each patient was in.",
                f"the unblinded physiotherapists rate mobility at {weeks} weeks knowing the allocation")
    if bias == "Selection bias":
        return (f"To study {exposure} and {outcome}, investigators recruit {n} volunteers through a health-food magazine and compare "
                f"them with national statistics, finding a much lower rate of {outcome} among the volunteers.",
                f"{n} health-conscious magazine volunteers are compared with the general population")
    rise = pct + rng.randint(25, 45)
    return (f"Hand-washing compliance on a ward rises from {pct}% to {rise}% during the two weeks that "
            f"auditors openly stand on the ward, and returns to baseline after they leave.",
            f"compliance rises from {pct}% to {rise}% only while staff know they are watched")


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def diagnostic_accuracy(rng: random.Random) -> Example:
    test, disease, reference = rng.choice(DIAGNOSTIC_STUDIES)
    while True:
        n_d, n_h = rng.randint(60, 400), rng.randint(200, 1600)
        tp = round(n_d * rng.uniform(0.62, 0.98))
        tn = round(n_h * rng.uniform(0.60, 0.98))
        fn, fp = n_d - tp, n_h - tn
        if min(tp, tn, fn, fp) < 1:
            continue
        values = {
            "sensitivity": (tp / (tp + fn), f"TP / (TP + FN) = {tp} / {tp + fn}"),
            "specificity": (tn / (tn + fp), f"TN / (TN + FP) = {tn} / {tn + fp}"),
            "positive predictive value": (tp / (tp + fp), f"TP / (TP + FP) = {tp} / {tp + fp}"),
            "negative predictive value": (tn / (tn + fn), f"TN / (TN + FN) = {tn} / {tn + fn}"),
        }
        texts = {name: _pct(v) for name, (v, _) in values.items()}
        if len(set(texts.values())) == 4:  # every option must be a different number
            break
    asked = rng.choice(tuple(values))
    wrong = [name for name in values if name != asked]
    options, answer = shuffled_options(rng, texts[asked], [texts[w] for w in wrong], 4)
    question = (f"A study evaluates {test} for {disease} in {n_d + n_h} patients, using {reference} as the reference standard. "
                f"Of {n_d} patients with {disease}, {tp} test positive; of {n_h} patients without it, {fp} test positive.\n\n"
                f"What is the {asked} of {test} in this study?\n\n{format_options(options)}")
    named = {texts[n]: n for n in wrong}
    lines = explained_answer(options, answer, [f"Build the 2x2 table: TP = {tp}, FN = {fn}, FP = {fp}, TN = {tn}.",
                                               f"The {asked} = {values[asked][1]} = {texts[asked]}."],
                             lambda text: f"{text} is the {named[text]} ({values[named[text]][1]}).")
    if asked in ("positive predictive value", "negative predictive value"):
        lines.append(f"Predictive values depend on prevalence, here {_pct(n_d / (n_d + n_h))}; sensitivity and specificity do not.")
    else:
        lines.append("Sensitivity and specificity are properties of the test; predictive values change with prevalence.")
    facts = {"kind": "diagnostic_accuracy", "asked": asked, "answer": answer, "tp": tp, "fn": fn, "fp": fp, "tn": tn}
    return Example(rng.choice(INSTRUCTIONS), question, "\n".join(lines), ADAPTER, "biostat.diagnostic", facts)


def treatment_effect(rng: random.Random) -> Example:
    drug, comparator, outcome, population, duration = rng.choice(TRIALS)
    while True:
        n_t, n_c = rng.randint(400, 3000), rng.randint(400, 3000)
        cer = rng.uniform(0.08, 0.35)
        eer = cer * rng.uniform(0.45, 0.9)
        e_c, e_t = round(n_c * cer), round(n_t * eer)
        cer, eer = e_c / n_c, e_t / n_t
        if e_t < 1 or eer >= cer:
            continue
        arr, rrr = cer - eer, (cer - eer) / cer
        nnt = math.ceil(1 / arr - 1e-9)
        asked = rng.choice(("absolute risk reduction", "relative risk reduction", "number needed to treat"))
        if asked == "number needed to treat":
            correct = str(nnt)
            wrong = {str(math.ceil(1 / rrr - 1e-9)): "1 / RRR, which uses the relative instead of the absolute difference",
                     str(math.ceil(1 / cer - 1e-9)): "1 / control event rate, which ignores the treated group",
                     str(math.ceil(1 / eer - 1e-9)): "1 / treated event rate, which ignores the control group"}
        else:
            values = {"absolute risk reduction": arr, "relative risk reduction": rrr,
                      "control event rate": cer, "experimental event rate": eer}
            correct = _pct(values[asked])
            wrong = {_pct(v): f"the {name}" for name, v in values.items() if name != asked}
        if correct not in wrong and len(wrong) == 3:
            break
    options, answer = shuffled_options(rng, correct, list(wrong), 4)
    question = (f"In a randomised trial among {population}, {e_t} of {n_t} patients given {drug} and {e_c} of {n_c} patients "
                f"given {comparator} had {outcome} over {duration}.\n\nWhat is the {asked} with {drug}?\n\n{format_options(options)}")
    lines = explained_answer(options, answer, [
        f"Control event rate (CER) = {e_c} / {n_c} = {_pct(cer)}; experimental event rate (EER) = {e_t} / {n_t} = {_pct(eer)}.",
        f"ARR = CER - EER = {_pct(arr)}; RRR = ARR / CER = {_pct(rrr)}; NNT = 1 / ARR = {1 / arr:.1f}, rounded up to {nnt}.",
    ], lambda text: f"{text} is {wrong[text]}.")
    lines.append("Absolute measures (ARR, NNT) describe the benefit for a patient at this baseline risk; the relative reduction looks larger and is more stable across risk groups.")
    facts = {"kind": "treatment_effect", "asked": asked, "answer": answer, "e_t": e_t, "n_t": n_t, "e_c": e_c, "n_c": n_c}
    return Example(rng.choice(INSTRUCTIONS), question, "\n".join(lines), ADAPTER, "biostat.treatment", facts)


def study_design(rng: random.Random) -> Example:
    design = rng.choice(tuple(DESIGNS))
    wrong = rng.sample([d for d in DESIGNS if d != design], 4)
    options, answer = shuffled_options(rng, design, wrong, 5)
    scenario, clue = _design_scenario(rng, design)
    question = f"{scenario}\n\nWhich of the following best describes this study design?\n\n{format_options(options)}"
    lines = explained_answer(options, answer, [f"Explanation: here {clue}. A {design.lower()} {DESIGNS[design]}."],
                             lambda text: f"A {text.lower()} {DESIGNS[text]}.")
    facts = {"kind": "study_design", "answer": answer, "design": design}
    return Example(rng.choice(INSTRUCTIONS), question, "\n".join(lines), ADAPTER, "biostat.design", facts)


def bias_question(rng: random.Random) -> Example:
    bias = rng.choice(tuple(BIASES))
    wrong = rng.sample([b for b in BIASES if b != bias], 4)
    options, answer = shuffled_options(rng, bias, wrong, 5)
    scenario, clue = _bias_scenario(rng, bias)
    question = (f"{scenario}\n\nWhich of the following most likely threatens the validity of this "
                f"conclusion?\n\n{format_options(options)}")
    meaning, remedy = BIASES[bias]
    lines = explained_answer(
        options, answer, [f"Explanation: here {clue}. {bias} arises when {meaning}. To prevent it, {remedy}."],
        lambda text: f"{text}: arises when {BIASES[text][0]}, which is not what the scenario describes.")
    facts = {"kind": "bias", "answer": answer, "bias": bias}
    return Example(rng.choice(INSTRUCTIONS), question, "\n".join(lines), ADAPTER, "biostat.bias", facts)


def generate(rng: random.Random) -> Example:
    return rng.choice((diagnostic_accuracy, treatment_effect, study_design, bias_question))(rng)
