"""Drug-interaction cases (-> clinical_pharmacist).

Every case is built around one well-documented interaction from the table
below (mechanism, severity, management and monitoring as found in standard
references such as the BNF, Stockley's and the FDA labels), placed in a
patient with an age, renal function and, where the interaction turns on one,
a laboratory value. Patient-specific risk is decided by explicit rules
(RISK_FACTORS, and each pair's `avoid_if`), so the advice always matches the
numbers in the case.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from imi_lib.data.synthetic.common import Example, Person, bullets, draw_person, join_and

ADAPTER = "clinical_pharmacist"

CONTRAINDICATED, MAJOR, MODERATE = "CONTRAINDICATED", "MAJOR", "MODERATE"


@dataclass(frozen=True)
class Drug:
    name: str
    doses: tuple[str, ...]
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Lab:
    name: str
    unit: str
    draw: tuple[float, float]
    decimals: int
    high: float | None = None  # values above this are the risky side when the pair says "high"
    low: float | None = None  # values below this are the risky side when the pair says "low"
    note: str = ""  # the usual target, for the explanation

    def fmt(self, value: float) -> str:
        text = f"{value:.{self.decimals}f}"
        return f"{text} {self.unit}".strip()


LABS: dict[str, Lab] = {
    "inr": Lab("INR", "", (1.6, 4.4), 1, high=3.0, low=2.0, note="target 2.0-3.0"),
    "potassium": Lab("serum potassium", "mmol/L", (3.6, 5.7), 1, high=5.0, note="the safe upper limit 5.0 mmol/L"),
    "lithium": Lab("serum lithium", "mmol/L", (0.4, 1.2), 2, high=0.8, note="usual target 0.6-0.8 mmol/L"),
    "digoxin": Lab("digoxin level", "ng/mL", (0.5, 2.0), 1, high=1.2, note="usual target 0.5-1.2 ng/mL"),
    "qtc": Lab("QTc", "ms", (410, 505), 0, high=470, note="values above 470 ms are prolonged"),
    "wbc": Lab("white cell count", "x10^9/L", (2.8, 9.5), 1, low=3.5, note="lower limit 3.5 x10^9/L"),
    "theophylline": Lab("theophylline level", "mg/L", (8, 19), 0, high=15, note="usual target 10-15 mg/L"),
    "tacrolimus": Lab("tacrolimus trough", "ng/mL", (5, 14), 1, high=10, note="usual target 5-10 ng/mL"),
}


@dataclass(frozen=True)
class Patient:
    person: Person
    egfr: int
    lab_value: float | None


@dataclass(frozen=True)
class Interaction:
    id: str
    a: Drug  # the medicine the patient already takes
    b: Drug  # the medicine being added
    severity: str
    mechanism: str
    effect: str
    management: str  # the advice when no avoid_if factor is present
    monitoring: str
    warning_signs: str
    risk_factors: tuple[str, ...] = ("age65",)
    lab: tuple[str, str] | None = None  # (LABS key, "high" | "low")
    avoid_if: tuple[str, ...] = ()  # factors that change the advice to avoid_text
    avoid_text: str = ""
    sex: str | None = None
    age: tuple[int, int] = (25, 88)
    variants: tuple[str, ...] = ("review", "new_start", "question")


def _lab_risky(pair: "Interaction", p: Patient) -> bool:
    if pair.lab is None or p.lab_value is None:
        return False
    lab = LABS[pair.lab[0]]
    return p.lab_value > lab.high if pair.lab[1] == "high" else p.lab_value < lab.low


def _lab_text(pair: "Interaction", p: Patient) -> str:
    lab = LABS[pair.lab[0]]
    side = f"above {lab.fmt(lab.high)}" if pair.lab[1] == "high" else f"below {lab.fmt(lab.low)}"
    return f"{lab.name} {lab.fmt(p.lab_value)} is {side} ({lab.note})"


# key -> (does it apply, how to say it). Order is the order they are reported.
RISK_FACTORS: dict[str, tuple[Callable[[Interaction, Patient], bool], Callable[[Interaction, Patient], str]]] = {
    "age65": (lambda pair, p: p.person.age >= 65,
              lambda pair, p: f"age {p.person.age} (65 or older: reduced clearance and greater sensitivity)"),
    "egfr30": (lambda pair, p: p.egfr < 30,
               lambda pair, p: f"eGFR {p.egfr} mL/min/1.73 m2 (below 30: severe renal impairment)"),
    "egfr60": (lambda pair, p: 30 <= p.egfr < 60 or (p.egfr < 30 and "egfr30" not in pair.risk_factors),
               lambda pair, p: f"eGFR {p.egfr} mL/min/1.73 m2 (below 60: reduced renal clearance)"),
    "lab": (_lab_risky, _lab_text),
}


def patient_risks(pair: Interaction, p: Patient) -> list[str]:
    """The risk-factor keys that apply to this patient, in RISK_FACTORS order."""
    keys = list(pair.risk_factors) + (["lab"] if pair.lab else [])
    return [k for k in RISK_FACTORS if k in keys and RISK_FACTORS[k][0](pair, p)]


WARFARIN = Drug("warfarin", ("3 mg daily", "5 mg daily", "4 mg daily"),
                ("atrial fibrillation", "a previous deep vein thrombosis", "a mechanical aortic valve"))
CLARITHROMYCIN = Drug("clarithromycin", ("500 mg twice daily for 7 days",),
                      ("community-acquired pneumonia", "Helicobacter pylori eradication", "a chest infection (penicillin allergy)"))
CITALOPRAM = Drug("citalopram", ("20 mg daily",), ("depression", "generalised anxiety disorder"))
CO_TRIMOXAZOLE = Drug("co-trimoxazole (trimethoprim-sulfamethoxazole)", ("960 mg twice daily for 7 days",),
                      ("a urinary tract infection", "an MRSA skin infection"))
CIPROFLOXACIN = Drug("ciprofloxacin", ("500 mg twice daily for 7 days",),
                     ("a urinary tract infection", "acute pyelonephritis"))
LITHIUM = Drug("lithium carbonate", ("400 mg twice daily", "800 mg at night"), ("bipolar disorder",))
DIGOXIN = Drug("digoxin", ("125 micrograms daily", "62.5 micrograms daily"),
               ("rate control in atrial fibrillation", "heart failure"))
CARBAMAZEPINE = Drug("carbamazepine", ("200 mg twice daily", "400 mg twice daily"), ("epilepsy", "trigeminal neuralgia"))
SPIRONOLACTONE = Drug("spironolactone", ("25 mg daily",), ("heart failure with reduced ejection fraction", "resistant hypertension"))

_BLEEDING = "black or tarry stools, vomiting blood, blood in the urine, nosebleeds or unusual bruising"
_SEROTONIN = "agitation, shaking, sweating, fever, muscle twitching or jerking, or diarrhoea"
_HYPERKALAEMIA = "muscle weakness, palpitations or a slow or irregular pulse"
_LITHIUM_TOX = "coarse tremor, vomiting, diarrhoea, unsteadiness, slurred speech or confusion"
_DIGOXIN_TOX = "nausea, loss of appetite, blurred or yellow-tinted vision, palpitations or confusion"
_MARROW = "sore throat, mouth ulcers, fever, unusual bruising or bleeding"

INTERACTIONS: tuple[Interaction, ...] = (
    Interaction(
        "warfarin_nsaid", WARFARIN,
        Drug("ibuprofen", ("400 mg three times daily",), ("knee osteoarthritis pain", "low back pain", "a sprained wrist")),
        MAJOR,
        "ibuprofen inhibits platelet function and injures the gastric mucosa, adding a bleeding source to warfarin's anticoagulation",
        "a several-fold higher risk of gastrointestinal and other serious bleeding",
        "Avoid the combination: use paracetamol at the lowest effective dose or a topical NSAID. If an oral NSAID is unavoidable, use the shortest course with a proton-pump inhibitor.",
        "Check the INR within 3-5 days of any change and review for bleeding.",
        _BLEEDING, ("age65", "egfr60"), ("inr", "high"), ("lab",),
        "Do not add an NSAID while the INR is above range: use paracetamol or a topical NSAID, and review the warfarin dose for the high INR.",
    ),
    Interaction(
        "warfarin_fluconazole", WARFARIN,
        Drug("fluconazole", ("50 mg daily for 7 days", "150 mg as a single dose"), ("oral thrush", "vaginal candidiasis")),
        MAJOR,
        "fluconazole inhibits CYP2C9, the main route of S-warfarin metabolism, so warfarin levels and the INR rise within days",
        "over-anticoagulation and bleeding",
        "Prefer a non-interacting local treatment: nystatin suspension for oral thrush (not miconazole oral gel, which also raises the INR) or a clotrimazole pessary for vaginal candidiasis. If systemic fluconazole is needed, check the INR within 3-5 days and be ready to reduce the warfarin dose.",
        "INR within 3-5 days of starting and again after the course ends.",
        _BLEEDING, ("age65",), ("inr", "high"), ("lab",),
        "With the INR already above range, do not give systemic fluconazole: treat with nystatin or a topical agent and address the high INR first.",
    ),
    Interaction(
        "warfarin_cotrimoxazole", WARFARIN, CO_TRIMOXAZOLE, MAJOR,
        "sulfamethoxazole inhibits CYP2C9 and displaces warfarin from plasma proteins, raising the INR within days",
        "a rapid rise in INR with bleeding",
        "Choose an alternative antibiotic suited to the infection and renal function. If co-trimoxazole is essential, check the INR within 3-5 days and adjust the warfarin dose.",
        "INR within 3-5 days and at the end of the course.",
        _BLEEDING, ("age65",), ("inr", "high"), ("lab",),
        "With the INR already above range, do not use co-trimoxazole: choose another antibiotic and address the high INR.",
    ),
    Interaction(
        "warfarin_amiodarone", WARFARIN,
        Drug("amiodarone", ("200 mg three times daily for 1 week, then reducing",), ("rhythm control of atrial fibrillation",)),
        MAJOR,
        "amiodarone inhibits CYP2C9, CYP1A2 and CYP3A4; because of its very long half-life the effect builds over weeks and persists for months after stopping",
        "a gradual, large rise in INR with bleeding",
        "Reduce the warfarin dose (often by 30-50%) when amiodarone is started and titrate to the INR.",
        "INR weekly for at least the first 6-8 weeks, and again whenever the amiodarone dose changes.",
        _BLEEDING, ("age65",), ("inr", "high"),
    ),
    Interaction(
        "warfarin_rifampicin", WARFARIN,
        Drug("rifampicin", ("600 mg daily",), ("latent tuberculosis", "a staphylococcal prosthetic joint infection")),
        MAJOR,
        "rifampicin strongly induces CYP2C9, CYP3A4 and CYP1A2, so warfarin is cleared much faster and the INR falls within days",
        "loss of anticoagulation and thrombosis; over-anticoagulation later if the warfarin dose is not reduced when rifampicin stops",
        "Avoid if an alternative exists. If rifampicin is required, expect to need a much higher warfarin dose with frequent INR checks, and reduce it again over about 2 weeks after rifampicin stops.",
        "INR twice weekly while doses are adjusted, and for several weeks after rifampicin stops.",
        "new leg swelling or pain, chest pain, breathlessness, or sudden weakness or speech difficulty",
        (), ("inr", "low"),
    ),
    Interaction(
        "warfarin_metronidazole", WARFARIN,
        Drug("metronidazole", ("400 mg three times daily for 7 days",), ("bacterial vaginosis", "Clostridioides difficile infection", "a dental abscess")),
        MAJOR,
        "metronidazole inhibits CYP2C9 metabolism of S-warfarin, often raising the INR substantially",
        "over-anticoagulation and bleeding",
        "Use an alternative antibiotic if one is suitable. If metronidazole is needed, consider a pre-emptive warfarin dose reduction and check the INR within 3-5 days.",
        "INR within 3-5 days of starting and after the course.",
        _BLEEDING, ("age65",), ("inr", "high"), ("lab",),
        "With the INR already above range, avoid metronidazole if at all possible and correct the INR first.",
    ),
    Interaction(
        "maoi_ssri", Drug("phenelzine", ("15 mg three times daily",), ("treatment-resistant depression",)),
        Drug("sertraline", ("50 mg daily",), ("depression", "panic disorder")),
        CONTRAINDICATED,
        "phenelzine irreversibly blocks monoamine oxidase, the enzyme that breaks down serotonin, while sertraline blocks serotonin reuptake",
        "serotonin syndrome, which can be fatal",
        "Do not combine. Allow at least 14 days after stopping phenelzine before starting sertraline (and at least 14 days after stopping sertraline, 5 weeks after fluoxetine, before starting an MAOI).",
        "If a switch is planned, supervise the washout and review mood weekly.",
        _SEROTONIN, (),
    ),
    Interaction(
        "ssri_linezolid", CITALOPRAM,
        Drug("linezolid", ("600 mg twice daily",), ("MRSA pneumonia", "a vancomycin-resistant enterococcal infection")),
        MAJOR,
        "linezolid is a reversible non-selective monoamine oxidase inhibitor, so combined with an SSRI serotonin accumulates",
        "serotonin syndrome",
        "Use a non-MAOI antibiotic where one is effective. If linezolid is essential, withhold citalopram and monitor for serotonin toxicity for 2 weeks or until 24 hours after the last linezolid dose, whichever comes first.",
        "Check for clonus, tremor, agitation and fever daily during treatment.",
        _SEROTONIN, (),
    ),
    Interaction(
        "ssri_tramadol", Drug("fluoxetine", ("20 mg daily",), ("depression", "bulimia nervosa")),
        Drug("tramadol", ("50 mg four times daily as needed",), ("post-operative pain", "acute back pain")),
        MAJOR,
        "both drugs are serotonergic; fluoxetine also inhibits CYP2D6, which converts tramadol to its active opioid metabolite",
        "serotonin syndrome and seizures, with weaker pain relief",
        "Prefer a non-serotonergic analgesic: paracetamol, a topical NSAID or, if an opioid is needed, low-dose morphine.",
        "Review pain control and watch for serotonin toxicity for the first days of any co-prescription.",
        "agitation, shaking, sweating, fever, muscle twitching, diarrhoea or a seizure", ("age65",),
    ),
    Interaction(
        "simvastatin_clarithromycin", Drug("simvastatin", ("40 mg at night", "20 mg at night"), ("hypercholesterolaemia", "secondary prevention after a myocardial infarction")),
        CLARITHROMYCIN, CONTRAINDICATED,
        "clarithromycin strongly inhibits CYP3A4, raising simvastatin exposure many-fold",
        "myopathy and rhabdomyolysis",
        "Do not combine: withhold simvastatin for the duration of the course, or choose a non-interacting antibiotic such as doxycycline or amoxicillin where appropriate.",
        "No routine test; check creatine kinase if muscle symptoms develop.",
        "unexplained muscle pain, tenderness or weakness, or dark urine", ("age65", "egfr60"),
    ),
    Interaction(
        "simvastatin_amlodipine", Drug("simvastatin", ("40 mg at night",), ("hypercholesterolaemia", "primary prevention of cardiovascular disease")),
        Drug("amlodipine", ("5 mg daily", "10 mg daily"), ("hypertension", "stable angina")),
        MODERATE,
        "amlodipine weakly inhibits CYP3A4 and nearly doubles simvastatin exposure",
        "a higher risk of myopathy",
        "Limit simvastatin to 20 mg daily with amlodipine, or switch to a statin less dependent on CYP3A4 (rosuvastatin or pravastatin) to keep the lipid-lowering intensity.",
        "Recheck lipids 2-3 months after the statin change.",
        "unexplained muscle pain, tenderness or weakness", ("age65",),
    ),
    Interaction(
        "acei_spironolactone", Drug("lisinopril", ("10 mg daily", "20 mg daily"), ("hypertension", "heart failure with reduced ejection fraction")),
        SPIRONOLACTONE, MAJOR,
        "lisinopril lowers aldosterone and spironolactone blocks the aldosterone receptor, so both reduce renal potassium excretion",
        "hyperkalaemia, particularly with renal impairment or dehydration",
        "The combination is useful in heart failure but needs safeguards: start spironolactone at 25 mg daily or less, stop potassium supplements and potassium-containing salt substitutes.",
        "Potassium and creatinine at 1 week and 4 weeks after starting, then periodically; hold if potassium exceeds 5.5 mmol/L.",
        _HYPERKALAEMIA, ("age65", "egfr30", "egfr60"), ("potassium", "high"), ("lab", "egfr30"),
        "Do not start spironolactone now: potassium above 5.0 mmol/L or eGFR below 30 makes dangerous hyperkalaemia likely. Correct the potassium and review with the heart-failure team.",
    ),
    Interaction(
        "methotrexate_trimethoprim", Drug("methotrexate", ("15 mg once weekly", "20 mg once weekly"), ("rheumatoid arthritis", "psoriasis")),
        Drug("trimethoprim", ("200 mg twice daily for 3 days",), ("a urinary tract infection",)),
        MAJOR,
        "both are folate antagonists and trimethoprim also reduces renal tubular secretion of methotrexate",
        "bone-marrow suppression (pancytopenia) and mucositis, with deaths reported even at weekly doses",
        "Avoid: choose an antibiotic without antifolate activity (for cystitis, nitrofurantoin if eGFR is 45 or more, or another agent guided by culture).",
        "If the two have already been taken together, check a full blood count promptly.",
        _MARROW, ("age65", "egfr60"), ("wbc", "low"),
    ),
    Interaction(
        "lithium_nsaid", LITHIUM,
        Drug("ibuprofen", ("400 mg three times daily",), ("knee pain", "dental pain")),
        MAJOR,
        "NSAIDs reduce renal prostaglandin-mediated blood flow and so reduce lithium clearance",
        "a rise in serum lithium and lithium toxicity",
        "Avoid regular NSAIDs; use paracetamol. If an NSAID is essential, check the lithium level 5-7 days after starting and adjust the lithium dose.",
        "Serum lithium (12 hours post-dose) 5-7 days after starting or stopping the NSAID, plus renal function.",
        _LITHIUM_TOX, ("age65", "egfr60"), ("lithium", "high"), ("lab",),
        "With lithium already above the target range, do not add an NSAID: use paracetamol and review the lithium dose.",
    ),
    Interaction(
        "lithium_thiazide", LITHIUM,
        Drug("bendroflumethiazide", ("2.5 mg daily",), ("hypertension",)),
        MAJOR,
        "thiazides cause sodium loss, and the kidney then reabsorbs more lithium with sodium in the proximal tubule, cutting lithium clearance by about a quarter",
        "lithium toxicity",
        "Prefer an antihypertensive that does not affect lithium handling, such as amlodipine. If a thiazide is essential, reduce the lithium dose and recheck levels.",
        "Serum lithium and sodium 5-7 days after starting, then at each dose change.",
        _LITHIUM_TOX, ("age65", "egfr60"), ("lithium", "high"), ("lab",),
        "With lithium already above the target range, do not add a thiazide: choose another antihypertensive.",
    ),
    Interaction(
        "digoxin_amiodarone", DIGOXIN,
        Drug("amiodarone", ("200 mg three times daily for 1 week, then reducing",), ("ventricular arrhythmia prevention", "rhythm control of atrial fibrillation")),
        MAJOR,
        "amiodarone inhibits P-glycoprotein and the renal clearance of digoxin, roughly doubling digoxin levels",
        "digoxin toxicity with bradycardia, heart block and arrhythmias",
        "Halve the digoxin dose when amiodarone is started.",
        "Digoxin level and ECG after 1-2 weeks, plus potassium and renal function.",
        _DIGOXIN_TOX, ("age65", "egfr60"), ("digoxin", "high"), ("lab",),
        "With the digoxin level already above the usual target, withhold digoxin until the level is rechecked, then restart at half the dose if it is still needed.",
    ),
    Interaction(
        "digoxin_clarithromycin", DIGOXIN, CLARITHROMYCIN, MAJOR,
        "clarithromycin inhibits P-glycoprotein, the transporter that clears digoxin through the kidney and gut",
        "digoxin toxicity",
        "Choose a non-macrolide antibiotic such as doxycycline or amoxicillin where suitable. If clarithromycin is essential, consider reducing the digoxin dose and check a level.",
        "Digoxin level and ECG within a few days of starting.",
        _DIGOXIN_TOX, ("age65", "egfr60"), ("digoxin", "high"), ("lab",),
        "With the digoxin level already above the usual target, do not add clarithromycin: use a non-interacting antibiotic.",
    ),
    Interaction(
        "clopidogrel_omeprazole", Drug("clopidogrel", ("75 mg daily",), ("secondary prevention after a coronary stent", "secondary prevention after an ischaemic stroke")),
        Drug("omeprazole", ("20 mg daily",), ("reflux symptoms", "gastroprotection")),
        MODERATE,
        "omeprazole inhibits CYP2C19, which converts clopidogrel to its active metabolite",
        "reduced antiplatelet effect and possibly more cardiovascular events",
        "Use pantoprazole instead if a proton-pump inhibitor is needed; it has little CYP2C19 inhibition.",
        "No test needed; review the indication for the PPI periodically.",
        "new chest pain, breathlessness, or sudden weakness or speech difficulty", (),
    ),
    Interaction(
        "nitrate_pde5", Drug("isosorbide mononitrate", ("60 mg modified-release daily",), ("stable angina",)),
        Drug("sildenafil", ("50 mg as needed",), ("erectile dysfunction",)),
        CONTRAINDICATED,
        "nitrates raise cGMP via nitric oxide and sildenafil blocks cGMP breakdown by PDE5, so vasodilatation is greatly amplified",
        "profound hypotension, syncope and myocardial ischaemia",
        "Do not co-prescribe. Discuss alternatives for erectile dysfunction with the cardiology team; if a PDE5 inhibitor is ever taken, no nitrate may be given within 24 hours (48 hours for tadalafil).",
        "Make sure the emergency plan for angina records the contraindication.",
        "dizziness, fainting or chest pain", ("age65",), sex="male", age=(40, 85),
    ),
    Interaction(
        "tizanidine_ciprofloxacin", Drug("tizanidine", ("4 mg three times daily",), ("spasticity from multiple sclerosis", "spasticity after a spinal cord injury")),
        CIPROFLOXACIN, CONTRAINDICATED,
        "ciprofloxacin strongly inhibits CYP1A2, raising tizanidine exposure about ten-fold",
        "severe hypotension, bradycardia and excessive sedation",
        "Do not combine: choose a non-fluoroquinolone antibiotic guided by culture.",
        "If given together in error, monitor blood pressure and heart rate closely.",
        "dizziness, fainting, extreme drowsiness or a slow pulse", ("age65",),
    ),
    Interaction(
        "theophylline_ciprofloxacin", Drug("theophylline", ("200 mg modified-release twice daily",), ("COPD", "asthma")),
        CIPROFLOXACIN, MAJOR,
        "ciprofloxacin inhibits CYP1A2, the main route of theophylline metabolism",
        "theophylline toxicity with vomiting, tachyarrhythmias and seizures",
        "Prefer an antibiotic that does not inhibit CYP1A2. If ciprofloxacin is essential, reduce the theophylline dose and check levels.",
        "Theophylline level 2-3 days after starting the antibiotic.",
        "vomiting, a racing heart, tremor or fits", ("age65",), ("theophylline", "high"), ("lab",),
        "With the theophylline level already above the usual target, do not add ciprofloxacin: choose another antibiotic.",
    ),
    Interaction(
        "levothyroxine_calcium", Drug("levothyroxine", ("100 micrograms daily", "75 micrograms daily"), ("hypothyroidism",)),
        Drug("calcium carbonate", ("1.25 g twice daily",), ("osteoporosis prevention", "dietary calcium supplementation")),
        MODERATE,
        "calcium binds levothyroxine in the gut and reduces its absorption",
        "under-replacement of thyroid hormone",
        "Keep both but separate them by at least 4 hours: levothyroxine on waking on an empty stomach, calcium with later meals.",
        "TSH 6-8 weeks after the calcium is started.",
        "tiredness, weight gain, feeling cold or constipation", (),
    ),
    Interaction(
        "ciprofloxacin_iron", Drug("ferrous sulfate", ("200 mg twice daily",), ("iron-deficiency anaemia",)),
        CIPROFLOXACIN, MODERATE,
        "iron chelates ciprofloxacin in the gut, cutting its absorption substantially",
        "antibiotic treatment failure",
        "Take ciprofloxacin at least 2 hours before or 6 hours after the iron, or pause the iron for the short antibiotic course.",
        "Review the clinical response after 48-72 hours.",
        "fever or urinary symptoms that are not improving after 2-3 days", (),
    ),
    Interaction(
        "azathioprine_allopurinol", Drug("azathioprine", ("100 mg daily", "150 mg daily"), ("Crohn's disease", "autoimmune hepatitis")),
        Drug("allopurinol", ("100 mg daily, increasing",), ("recurrent gout",)),
        MAJOR,
        "allopurinol inhibits xanthine oxidase, which inactivates 6-mercaptopurine, azathioprine's active metabolite",
        "accumulation of thiopurine metabolites and severe bone-marrow suppression",
        "Avoid unless a specialist supervises: if the combination is essential, reduce azathioprine to a quarter of the dose. Febuxostat has the same problem and is not an alternative.",
        "Full blood count weekly for the first month, then regularly.",
        _MARROW, ("age65",), ("wbc", "low"), ("lab",),
        "With the white cell count already low, do not start allopurinol now: discuss gout management and the low count with the specialist team.",
    ),
    Interaction(
        "metformin_contrast", Drug("metformin", ("1 g twice daily", "500 mg twice daily"), ("type 2 diabetes",)),
        Drug("iodinated contrast", ("as a single intravenous dose",), ("a contrast-enhanced CT of the abdomen", "CT pulmonary angiography", "coronary angiography")),
        MODERATE,
        "contrast can cause acute kidney injury, and metformin accumulates when renal function falls",
        "metformin-associated lactic acidosis (rare)",
        "With eGFR 30 or more and no acute kidney injury, metformin can continue through the contrast study (ACR and RCR guidance).",
        "Renal function is only needed afterwards if the patient was at risk.",
        "vomiting, abdominal pain, muscle pain or unusual drowsiness after the scan", ("egfr30",),
        avoid_if=("egfr30",),
        avoid_text="Withhold metformin at the time of the contrast study and for 48 hours afterwards, and restart only when renal function has been rechecked and is stable.",
        variants=("new_start", "question"),
    ),
    Interaction(
        "carbamazepine_coc", CARBAMAZEPINE,
        Drug("the combined oral contraceptive (ethinylestradiol/levonorgestrel)", ("30/150 micrograms daily",), ("contraception",)),
        MAJOR,
        "carbamazepine induces CYP3A4 and speeds the metabolism of both the oestrogen and the progestogen",
        "contraceptive failure and unplanned pregnancy (carbamazepine is also teratogenic)",
        "Recommend a method unaffected by enzyme inducers: a copper IUD, the levonorgestrel IUS or medroxyprogesterone injection, continued for 28 days after any inducer stops.",
        "Review contraception at every antiepileptic change.",
        "any missed period (do a pregnancy test)", (), sex="female", age=(18, 44),
    ),
    Interaction(
        "colchicine_clarithromycin", Drug("colchicine", ("500 micrograms twice daily",), ("recurrent pericarditis", "gout flare prophylaxis")),
        CLARITHROMYCIN, MAJOR,
        "clarithromycin inhibits CYP3A4 and P-glycoprotein, the two routes that clear colchicine",
        "colchicine toxicity, which has been fatal (diarrhoea, vomiting, myopathy, marrow suppression)",
        "Prefer a non-interacting antibiotic such as doxycycline or amoxicillin where appropriate. If clarithromycin is essential, withhold colchicine for the course.",
        "No routine test; review for toxicity symptoms.",
        "diarrhoea, vomiting, muscle pain or weakness", ("age65", "egfr60"), avoid_if=("egfr60",),
        avoid_text="With reduced renal function the combination is contraindicated: use a non-interacting antibiotic, or stop colchicine for the course.",
    ),
    Interaction(
        "citalopram_amiodarone", CITALOPRAM,
        Drug("amiodarone", ("200 mg three times daily for 1 week, then reducing",), ("rhythm control of atrial fibrillation",)),
        MAJOR,
        "both drugs prolong the QT interval, and the effects add",
        "torsades de pointes and sudden cardiac death",
        "Avoid if possible (consider switching the antidepressant, e.g. to sertraline). If both are needed, record a baseline ECG, correct potassium and magnesium, and keep citalopram at 20 mg or less.",
        "ECG at baseline and after the amiodarone loading phase; potassium and magnesium.",
        "palpitations, fainting or dizziness", ("age65",), ("qtc", "high"), ("lab",),
        "With the QTc already above 470 ms, do not combine: switch the antidepressant before amiodarone is started.",
    ),
    Interaction(
        "tacrolimus_clarithromycin", Drug("tacrolimus", ("3 mg twice daily", "2 mg twice daily"), ("a kidney transplant", "a liver transplant")),
        CLARITHROMYCIN, MAJOR,
        "clarithromycin inhibits CYP3A4 and P-glycoprotein, sharply raising tacrolimus levels",
        "tacrolimus toxicity: acute kidney injury, tremor, hyperkalaemia and neurotoxicity",
        "Use a non-interacting antibiotic (for example doxycycline or amoxicillin) where suitable. If clarithromycin is essential, reduce the tacrolimus dose with the transplant team.",
        "Tacrolimus trough level and creatinine within 2-3 days of starting and after stopping.",
        "tremor, headache, reduced urine output or confusion", ("egfr60",), ("tacrolimus", "high"), ("lab",),
        "With the tacrolimus trough already above target, do not add clarithromycin: use a non-interacting antibiotic and tell the transplant team about the level.",
    ),
    Interaction(
        "spironolactone_cotrimoxazole", SPIRONOLACTONE, CO_TRIMOXAZOLE, MAJOR,
        "trimethoprim blocks the epithelial sodium channel in the distal nephron like amiloride, adding to spironolactone's potassium retention",
        "hyperkalaemia; in older people the combination has been associated with sudden death",
        "Choose another antibiotic. If co-trimoxazole is essential, check potassium within 3 days.",
        "Potassium and creatinine within 3 days of starting.",
        _HYPERKALAEMIA, ("age65", "egfr60"), ("potassium", "high"), ("lab", "age65"),
        "Do not use co-trimoxazole in this patient: choose a non-interacting antibiotic.",
    ),
    Interaction(
        "opioid_benzodiazepine", Drug("oxycodone", ("10 mg modified-release twice daily",), ("chronic cancer pain", "severe osteoarthritis pain")),
        Drug("diazepam", ("5 mg three times daily",), ("anxiety", "muscle spasm")),
        MAJOR,
        "both depress the central nervous system and respiratory drive, and the effects add",
        "profound sedation, respiratory depression, coma and death",
        "Avoid co-prescribing. If both are unavoidable, use the lowest doses for the shortest time, avoid alcohol and supply naloxone.",
        "Assess sedation and breathing after each dose change.",
        "excessive sleepiness, slow or shallow breathing, or confusion", ("age65", "egfr60"),
    ),
    Interaction(
        "acei_nsaid", Drug("ramipril", ("5 mg daily", "10 mg daily"), ("hypertension", "chronic kidney disease with proteinuria")),
        Drug("naproxen", ("500 mg twice daily",), ("hip osteoarthritis pain", "gout")),
        MODERATE,
        "NSAIDs constrict the afferent glomerular arteriole while ACE inhibitors relax the efferent one, so filtration pressure falls",
        "acute kidney injury, hyperkalaemia and weaker blood-pressure control (worse still with a diuretic: the 'triple whammy')",
        "Prefer paracetamol or a topical NSAID. If an oral NSAID is needed, use the shortest course and check renal function.",
        "Creatinine and potassium within 1 week of starting.",
        "reduced urine output, swelling or weakness", ("age65", "egfr60"), ("potassium", "high"), ("lab", "egfr60"),
        "Do not add an oral NSAID in this patient: renal function or potassium already puts them at high risk of acute kidney injury.",
    ),
    Interaction(
        "valproate_lamotrigine", Drug("sodium valproate", ("500 mg twice daily",), ("epilepsy", "bipolar disorder")),
        Drug("lamotrigine", ("to be titrated",), ("epilepsy", "bipolar depression")),
        MAJOR,
        "valproate inhibits lamotrigine glucuronidation, roughly doubling lamotrigine levels",
        "serious rash, including Stevens-Johnson syndrome and toxic epidermal necrolysis",
        "Use the valproate-adjusted lamotrigine schedule: 25 mg on alternate days for weeks 1-2, 25 mg daily for weeks 3-4, then slow increases, with half the usual maintenance dose.",
        "Review skin at each titration step; stop lamotrigine at the first sign of rash unless clearly unrelated.",
        "any rash, mouth ulcers, fever or sore eyes", (), age=(50, 85),
    ),
    Interaction(
        "betablocker_verapamil", Drug("metoprolol", ("50 mg twice daily",), ("hypertension", "stable angina", "rate control in atrial fibrillation")),
        Drug("verapamil", ("80 mg three times daily",), ("angina", "prevention of supraventricular tachycardia")),
        MAJOR,
        "both slow AV-node conduction and depress myocardial contractility",
        "severe bradycardia, heart block, hypotension and heart failure",
        "Avoid the combination; if more blood-pressure or angina control is needed, add a dihydropyridine such as amlodipine instead.",
        "Pulse and blood pressure, and an ECG, if the combination is used under specialist supervision.",
        "dizziness, fainting, a slow pulse or breathlessness", ("age65",),
    ),
    Interaction(
        "tamoxifen_paroxetine", Drug("tamoxifen", ("20 mg daily",), ("adjuvant treatment of oestrogen-receptor-positive breast cancer",)),
        Drug("paroxetine", ("20 mg daily",), ("depression", "menopausal hot flushes")),
        MAJOR,
        "paroxetine strongly inhibits CYP2D6, which converts tamoxifen to its most active metabolite, endoxifen",
        "reduced tamoxifen efficacy, with higher breast-cancer mortality reported in a cohort study",
        "Choose an antidepressant with little CYP2D6 inhibition, such as venlafaxine.",
        "No test; make sure the oncology team knows about the choice.",
        "worsening mood or suicidal thoughts during any antidepressant change", (), sex="female", age=(35, 80),
    ),
    Interaction(
        "levodopa_metoclopramide", Drug("co-careldopa (levodopa/carbidopa)", ("25/100 mg three times daily",), ("Parkinson's disease",)),
        Drug("metoclopramide", ("10 mg three times daily",), ("nausea", "gastroparesis")),
        MAJOR,
        "metoclopramide blocks central dopamine D2 receptors, opposing levodopa",
        "marked worsening of parkinsonism",
        "Avoid: use domperidone (does not cross the blood-brain barrier; check the QT interval and cardiac risk first) for nausea.",
        "Review motor symptoms after any antiemetic change.",
        "increased stiffness, slowness, tremor or falls", ("age65",), age=(55, 90),
    ),
    Interaction(
        "ciclosporin_st_johns_wort", Drug("ciclosporin", ("150 mg twice daily",), ("a kidney transplant", "severe psoriasis")),
        Drug("St John's wort", ("300 mg three times daily (bought over the counter)",), ("low mood",)),
        MAJOR,
        "St John's wort induces CYP3A4 and P-glycoprotein, lowering ciclosporin levels",
        "loss of immunosuppression and transplant rejection",
        "Stop St John's wort; ciclosporin levels will rise again over 1-2 weeks, so monitor them. Treat low mood with a non-interacting option agreed with the transplant team.",
        "Ciclosporin level within a week of stopping St John's wort, and renal function.",
        "reduced urine output, fever or pain over the transplant", (),
    ),
    Interaction(
        "apixaban_carbamazepine", Drug("apixaban", ("5 mg twice daily",), ("atrial fibrillation", "a previous pulmonary embolism")),
        CARBAMAZEPINE, MAJOR,
        "carbamazepine strongly induces CYP3A4 and P-glycoprotein, cutting apixaban exposure by about half or more",
        "loss of anticoagulation, with stroke or recurrent thromboembolism",
        "Avoid: choose an antiepileptic that is not an enzyme inducer (for example levetiracetam), or switch anticoagulation to warfarin with INR monitoring.",
        "No routine apixaban level; review the anticoagulation plan at every antiepileptic change.",
        "sudden weakness, speech difficulty, leg swelling or breathlessness", (),
    ),
)
INTERACTION_BY_ID = {i.id: i for i in INTERACTIONS}


@dataclass(frozen=True)
class Filler:
    """A medicine that does not take part in the pair's interaction (listed to make the review realistic)."""

    name: str
    text: str
    use: str
    avoid_with: tuple[str, ...] = ()  # drug names it interacts with


FILLERS: tuple[Filler, ...] = (
    Filler("colecalciferol", "colecalciferol 1,000 units daily", "vitamin D deficiency", ("digoxin", "bendroflumethiazide")),
    Filler("latanoprost", "latanoprost 0.005% eye drops at night", "glaucoma"),
    Filler("emollient cream", "emollient cream twice daily", "eczema"),
    Filler("salbutamol", "salbutamol inhaler as needed", "asthma", ("metoprolol", "digoxin", "theophylline", "bendroflumethiazide")),
    Filler("metformin", "metformin 500 mg twice daily", "type 2 diabetes",
           ("iodinated contrast", "trimethoprim", "co-trimoxazole (trimethoprim-sulfamethoxazole)", "metformin")),
    Filler("loratadine", "loratadine 10 mg daily", "hay fever", ("amiodarone", "citalopram", "clarithromycin")),
    Filler("mometasone", "mometasone nasal spray daily", "allergic rhinitis"),
    Filler("paracetamol", "paracetamol 1 g up to four times daily as needed", "joint pain", ("warfarin",)),
    Filler("topical diclofenac", "topical diclofenac gel as needed", "hand osteoarthritis", ("lithium carbonate",)),
)


def _fillers_for(pair: Interaction) -> list[Filler]:
    names = (pair.a.name, pair.b.name)
    return [f for f in FILLERS if not any(n in f.avoid_with for n in names)]


INSTRUCTIONS = {
    "review": (
        "You are a clinical pharmacist. Review this medication list for clinically significant drug interactions and advise.",
        "Screen the following medicines for interactions and give your recommendation.",
    ),
    "new_start": (
        "You are a clinical pharmacist. A new medicine is proposed; check it against the current medicines and advise.",
        "Is the proposed prescription safe with this patient's current medicines? Explain and recommend.",
    ),
    "question": (
        "Answer the prescriber's drug-interaction question as a clinical pharmacist.",
        "Respond to this drug-information enquiry with mechanism, risk and management.",
    ),
}


def draw_patient(rng: random.Random, pair: Interaction) -> Patient:
    person = draw_person(rng, pair.age, pair.sex)
    band = rng.choices(((60, 110), (30, 59), (15, 29)), weights=(0.6, 0.3, 0.1))[0]
    egfr = rng.randint(*band)
    lab_value = None
    if pair.lab is not None:
        lab = LABS[pair.lab[0]]
        lab_value = round(rng.uniform(*lab.draw), lab.decimals)
    return Patient(person, egfr, lab_value)


def _results_line(pair: Interaction, p: Patient) -> str:
    items = [f"eGFR {p.egfr} mL/min/1.73 m2"]
    if pair.lab is not None:
        lab = LABS[pair.lab[0]]
        items.append(f"{lab.name} {lab.fmt(p.lab_value)}")
    return "; ".join(items)


@dataclass(frozen=True)
class Scenario:
    """The drawn details of one case: which doses, which indications, which other medicines."""

    variant: str
    a_dose: str
    a_use: str
    b_dose: str
    b_use: str
    fillers: tuple[Filler, ...]


def draw_scenario(rng: random.Random, pair: Interaction) -> Scenario:
    return Scenario(rng.choice(pair.variants), rng.choice(pair.a.doses), rng.choice(pair.a.uses),
                    rng.choice(pair.b.doses), rng.choice(pair.b.uses),
                    tuple(rng.sample(_fillers_for(pair), rng.randint(0, 3))))


def render_input(rng: random.Random, pair: Interaction, p: Patient, s: Scenario) -> str:
    who = f"{p.person.short.capitalize()}."
    if s.variant == "review":
        meds = [f"{pair.a.name} {s.a_dose} ({s.a_use})", f"{pair.b.name} {s.b_dose} ({s.b_use}, started this week)"]
        meds += [f"{f.text} ({f.use})" for f in s.fillers]
        rng.shuffle(meds)
        return "\n".join([who, "Medicines:", bullets(meds), f"Recent results: {_results_line(pair, p)}."])
    if s.variant == "new_start":
        current = [f"{pair.a.name} {s.a_dose} ({s.a_use})"] + [f"{f.text} ({f.use})" for f in s.fillers]
        rng.shuffle(current)
        return "\n".join([who, "Current medicines:", bullets(current),
                          f"Proposed: {pair.b.name} {s.b_dose} for {s.b_use}.",
                          f"Recent results: {_results_line(pair, p)}."])
    return (f"Prescriber: \"My patient is a {p.person.short} taking {pair.a.name} {s.a_dose} for {s.a_use}. "
            f"Is it safe to give {pair.b.name} {s.b_dose} for {s.b_use}?\" Latest results: {_results_line(pair, p)}.")


def render_output(pair: Interaction, p: Patient, s: Scenario, risks: list[str]) -> str:
    avoid = [k for k in risks if k in pair.avoid_if]
    opening = {
        "review": f"One clinically significant interaction on this list: {pair.a.name} (for {s.a_use}) with the newly started {pair.b.name} (for {s.b_use}).",
        "new_start": f"The proposed {pair.b.name} for {s.b_use} interacts with the current {pair.a.name} (for {s.a_use}).",
        "question": f"Giving {pair.b.name} for {s.b_use} to a patient on {pair.a.name} for {s.a_use} is a recognised interaction.",
    }[s.variant]
    patient = f"Patient: {p.person.short}, {_results_line(pair, p)}; {pair.a.name} {s.a_dose}, {pair.b.name} {s.b_dose}."
    lines = [
        opening,
        patient,
        f"Interaction: {pair.a.name} + {pair.b.name} - {pair.severity}.",
        f"Mechanism: {pair.mechanism}.",
        f"Clinical risk: {pair.effect}.",
    ]
    if risks:
        lines.append("Patient-specific factors that raise the risk: "
                     + "; ".join(RISK_FACTORS[k][1](pair, p) for k in risks) + ".")
    else:
        checked = [f"age {p.person.age}", f"eGFR {p.egfr}"]
        if pair.lab is not None:
            checked.append(f"{LABS[pair.lab[0]].name} {LABS[pair.lab[0]].fmt(p.lab_value)}")
        lines.append(f"Patient-specific factors: none beyond the interaction itself ({join_and(checked)} checked).")
    advice = pair.avoid_text if avoid else pair.management
    if "lab" in risks and "lab" not in pair.avoid_if:
        advice += f" The {LABS[pair.lab[0]].name} is already outside the target range: correct it before or alongside this change."
    lines.append(f"Recommendation: {advice}")
    lines.append(f"Monitoring: {pair.monitoring}")
    lines.append(f"Counsel the patient to report: {pair.warning_signs}.")
    if s.fillers:
        lines.append(f"Not involved in this interaction: {join_and([f.name for f in s.fillers])}.")
    return "\n".join(lines)


def generate(rng: random.Random) -> Example:
    pair = rng.choice(INTERACTIONS)
    patient = draw_patient(rng, pair)
    scenario = draw_scenario(rng, pair)
    risks = patient_risks(pair, patient)
    text_in = render_input(rng, pair, patient, scenario)
    avoid = bool([k for k in risks if k in pair.avoid_if])
    facts = {"pair": pair.id, "severity": pair.severity, "age": patient.person.age, "sex": patient.person.sex,
             "egfr": patient.egfr, "lab": patient.lab_value, "risks": risks, "avoid": avoid}
    return Example(rng.choice(INSTRUCTIONS[scenario.variant]), text_in,
                   render_output(pair, patient, scenario, risks), ADAPTER, f"interaction.{scenario.variant}", facts)
