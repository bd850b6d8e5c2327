"""Patient triage cases (-> patient_triage).

The triage level is never drawn at random: it is computed from the case by
one rule table, and the reasoning text is written from the rules that fired,
so level, reasons and recommendation always agree. The rules (adults only):

1. Observations are scored with NEWS2 (Royal College of Physicians, 2017):
   respiratory rate, SpO2 (scale 1), supplemental oxygen, systolic BP, pulse,
   consciousness (GCS < 15 counts as new confusion) and temperature.
   IMI maps the score to a level: >= 7 EMERGENCY; 5-6 or any single
   parameter scoring 3 URGENT; 3-4 SEMI-URGENT; 0-2 adds nothing.
2. Critical single values force EMERGENCY: SpO2 < 90 %, systolic BP < 90,
   pulse < 40 or >= 150, respiratory rate <= 8 or >= 30, GCS <= 12.
3. Suspected infection (temperature >= 38.0 C or an infective presentation)
   with qSOFA >= 2 (RR >= 22, SBP <= 100, GCS < 15) forces EMERGENCY.
4. Pain >= 8/10 is at least URGENT; 5-7/10 at least SEMI-URGENT.
5. Age >= 75 with temperature >= 38.0 C is at least URGENT.
6. Each presenting complaint has a floor level, and each red-flag feature
   of it (FAST stroke signs, thunderclap headache, anaphylaxis...) its own.

The level is the highest level any rule reaches; NON-URGENT when none fires.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from imi_lib.data.synthetic.common import Example, Person, bullets, draw_person, join_and, sentence, some

ADAPTER = "patient_triage"

NON_URGENT, SEMI_URGENT, URGENT, EMERGENCY = "NON-URGENT", "SEMI-URGENT", "URGENT", "EMERGENCY"
LEVELS = (NON_URGENT, SEMI_URGENT, URGENT, EMERGENCY)  # ascending acuity
RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class LevelPolicy:
    target: str
    disposition: str
    reassess: str


LEVEL_POLICY: dict[str, LevelPolicy] = {
    EMERGENCY: LevelPolicy(
        "immediate assessment",
        "Move to the resuscitation area now for immediate clinician assessment with continuous monitoring "
        "(outside hospital: call emergency services; do not travel by private car)",
        "Monitor continuously and escalate to the senior clinician on arrival",
    ),
    URGENT: LevelPolicy(
        "clinician assessment within 30 minutes",
        "Emergency department assessment by a clinician within 30 minutes, in a monitored space within view of staff",
        "Repeat observations every 15-30 minutes while waiting and re-triage at once if any worsen",
    ),
    SEMI_URGENT: LevelPolicy(
        "assessment within 2 hours",
        "Same-day assessment (emergency department or urgent care) within 2 hours",
        "Repeat observations hourly and re-triage if any observation or symptom worsens",
    ),
    NON_URGENT: LevelPolicy(
        "routine care within 24-72 hours",
        "No emergency care needed now: routine primary-care review within 24-72 hours or self-care",
        "Safety-net: seek urgent care if symptoms worsen or a red flag appears",
    ),
}


# ---- observations ------------------------------------------------------------

@dataclass(frozen=True)
class Vitals:
    hr: int
    sbp: int
    dbp: int
    rr: int
    spo2: int
    on_oxygen: bool
    temp: float
    gcs: int
    pain: int

    def as_dict(self) -> dict:
        return {"hr": self.hr, "sbp": self.sbp, "dbp": self.dbp, "rr": self.rr, "spo2": self.spo2,
                "on_oxygen": self.on_oxygen, "temp": self.temp, "gcs": self.gcs, "pain": self.pain}


# NEWS2 bands: (inclusive upper bound, points), checked in order.
NEWS2_BANDS: dict[str, tuple[tuple[float, int], ...]] = {
    "rr": ((8, 3), (11, 1), (20, 0), (24, 2), (float("inf"), 3)),
    "spo2": ((91, 3), (93, 2), (95, 1), (float("inf"), 0)),
    "sbp": ((90, 3), (100, 2), (110, 1), (219, 0), (float("inf"), 3)),
    "hr": ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2), (float("inf"), 3)),
    "temp": ((35.0, 3), (36.0, 1), (38.0, 0), (39.0, 1), (float("inf"), 2)),
}
NEWS2_LABELS = {"rr": "respiratory rate", "spo2": "SpO2", "oxygen": "supplemental oxygen", "sbp": "systolic BP",
                "hr": "pulse", "consciousness": "consciousness", "temp": "temperature"}


def news2_parts(v: Vitals) -> dict[str, int]:
    """Points per NEWS2 parameter, in NEWS2 chart order."""
    parts: dict[str, int] = {}
    for name in ("rr", "spo2"):
        parts[name] = _band(NEWS2_BANDS[name], getattr(v, name))
    parts["oxygen"] = 2 if v.on_oxygen else 0
    for name in ("sbp", "hr"):
        parts[name] = _band(NEWS2_BANDS[name], getattr(v, name))
    parts["consciousness"] = 3 if v.gcs < 15 else 0
    parts["temp"] = _band(NEWS2_BANDS["temp"], v.temp)
    return parts


def _band(bands, value) -> int:
    for upper, points in bands:
        if value <= upper:
            return points
    raise AssertionError("bands end at infinity")


# ---- presenting complaints -----------------------------------------------------

@dataclass(frozen=True)
class RedFlag:
    text: str  # as written in the case
    level: str
    reason: str  # why it raises the level
    action: str  # what to do about it
    deranges: tuple[tuple[str, str], ...] = ()  # (observation, direction) this feature always disturbs


@dataclass(frozen=True)
class Complaint:
    id: str
    phrases: tuple[str, ...]
    floor: str  # the lowest level this complaint can get
    floor_reason: str
    action: str  # the first steps for this complaint at any level
    onset: tuple[tuple[str, int, int], ...]  # (unit, lo, hi)
    affects: tuple[str, ...]  # observations this complaint can derange
    others: tuple[str, ...] = ()  # neutral accompanying features
    red_flags: tuple[RedFlag, ...] = ()
    infective: bool = False
    deranges: tuple[tuple[str, str], ...] = ()  # (observation, direction) this complaint always disturbs
    sex: str | None = None
    age: tuple[int, int] = (18, 92)
    pain: tuple[int, int] = (0, 4)  # usual pain score range


ALL_OBS = ("hr", "sbp", "rr", "spo2", "temp", "gcs")

COMPLAINTS: tuple[Complaint, ...] = (
    Complaint(
        "chest_pain", ("chest pain", "central chest discomfort", "pain in the chest"),
        URGENT, "adult chest pain needs an ECG within 10 minutes to exclude a coronary cause",
        "Record a 12-lead ECG within 10 minutes of arrival and send a troponin",
        (("minutes", 20, 55), ("hours", 1, 12)), ALL_OBS,
        others=("mild nausea", "pain worse on deep breathing", "pain reproduced by pressing on the chest wall",
                "has had similar twinges before"),
        red_flags=(
            RedFlag("pain radiating to the left arm and jaw with sweating", EMERGENCY,
                    "radiation to the arm and jaw with diaphoresis suggests acute coronary syndrome",
                    "treat as acute coronary syndrome until the ECG and troponin say otherwise"),
            RedFlag("sudden tearing pain going through to the back", EMERGENCY,
                    "sudden tearing pain radiating to the back suggests aortic dissection",
                    "compare blood pressure in both arms and arrange urgent CT angiography; withhold antiplatelets until dissection is excluded"),
            RedFlag("pleuritic pain after a long-haul flight, with a swollen calf", URGENT,
                    "pleuritic pain with a swollen calf after immobility suggests pulmonary embolism",
                    "apply the Wells score and arrange CT pulmonary angiography"),
        ),
        pain=(3, 9),
    ),
    Complaint(
        "breathlessness", ("shortness of breath", "difficulty breathing", "breathlessness"),
        SEMI_URGENT, "new breathlessness needs same-day assessment",
        "Check peak flow or a blood gas as indicated and obtain a chest X-ray",
        (("hours", 2, 23), ("days", 1, 5)), ALL_OBS,
        others=("dry cough", "known asthma", "wheeze", "ankle swelling", "recent cold"),
        red_flags=(
            RedFlag("unable to complete sentences", EMERGENCY,
                    "inability to complete sentences marks a severe or life-threatening exacerbation",
                    "give high-flow oxygen to target saturations and start nebulised bronchodilators at once",
                    (("rr", "high"), ("spo2", "low"), ("hr", "high"))),
            RedFlag("lips turning blue", EMERGENCY, "central cyanosis indicates life-threatening hypoxaemia",
                    "give high-flow oxygen immediately and call for senior help", (("spo2", "low"), ("rr", "high"))),
            RedFlag("breathless lying flat with pink frothy sputum", EMERGENCY,
                    "orthopnoea with pink frothy sputum suggests acute pulmonary oedema",
                    "sit the patient up, give oxygen and prepare for IV diuretic and nitrate therapy",
                    (("rr", "high"), ("spo2", "low"))),
        ),
        pain=(0, 3),
    ),
    Complaint(
        "headache", ("headache", "a bad headache", "head pain"),
        NON_URGENT, "",
        "Perform a focused neurological examination and check blood pressure",
        (("hours", 1, 20), ("days", 1, 10)), ("hr", "sbp", "temp", "gcs"),
        others=("sensitivity to light", "nausea", "took paracetamol without relief", "tension in the neck muscles"),
        red_flags=(
            RedFlag("sudden onset, 'the worst headache of my life', peaking within a minute", EMERGENCY,
                    "a thunderclap headache suggests subarachnoid haemorrhage",
                    "arrange an immediate non-contrast CT head"),
            RedFlag("fever with neck stiffness and a rash", EMERGENCY,
                    "fever, neck stiffness and rash suggest bacterial meningitis or meningococcal sepsis",
                    "take blood cultures and give IV antibiotics without delay", (("temp", "high"), ("hr", "high"))),
            RedFlag("new weakness of one arm and slurred speech", EMERGENCY,
                    "a focal neurological deficit suggests stroke",
                    "activate the stroke pathway and check capillary glucose"),
            RedFlag("woke with it daily for three weeks, worse on coughing, with vomiting", URGENT,
                    "early-morning headache worse on straining with vomiting suggests raised intracranial pressure",
                    "examine the fundi and arrange same-day brain imaging"),
        ),
        pain=(2, 8),
    ),
    Complaint(
        "abdominal_pain", ("abdominal pain", "tummy pain", "pain in the abdomen"),
        SEMI_URGENT, "acute abdominal pain needs same-day assessment",
        "Examine the abdomen, check a urine dipstick and obtain blood tests including lipase",
        (("hours", 2, 23), ("days", 1, 4)), ALL_OBS,
        others=("nausea", "loss of appetite", "loose stools", "last ate this morning"),
        red_flags=(
            RedFlag("pain that moved from around the navel to the right lower abdomen", URGENT,
                    "migratory right iliac fossa pain suggests appendicitis",
                    "keep nil by mouth and request a surgical review"),
            RedFlag("a rigid abdomen and pain on any movement", EMERGENCY,
                    "a rigid abdomen indicates peritonitis",
                    "keep nil by mouth, give IV fluids and analgesia and call the surgical team now", (("hr", "high"),)),
            RedFlag("vomiting blood", EMERGENCY, "haematemesis indicates an upper gastrointestinal bleed",
                    "insert two large-bore cannulas, send group and crossmatch and calculate the Glasgow-Blatchford score",
                    (("hr", "high"),)),
            RedFlag("pain radiating to the back with a pulsatile mass", EMERGENCY,
                    "back pain with a pulsatile abdominal mass suggests a leaking aortic aneurysm",
                    "alert the vascular surgeon and arrange bedside ultrasound", (("hr", "high"), ("sbp", "low"))),
        ),
        pain=(3, 9),
    ),
    Complaint(
        "stroke_signs", ("sudden facial droop and arm weakness", "sudden slurred speech and a weak arm"),
        EMERGENCY, "sudden face or arm weakness or speech disturbance (FAST positive) suggests stroke",
        "Activate the stroke pathway: note the time last known well, check capillary glucose and arrange immediate CT head",
        (("minutes", 15, 55), ("hours", 1, 3)), ("hr", "sbp", "gcs"),
        others=("noticed by a family member", "difficulty finding words", "blurred vision"),
        pain=(0, 2),
    ),
    Complaint(
        "fever", ("fever", "high temperature", "feeling hot and shivery"),
        NON_URGENT, "",
        "Look for a source of infection and check capillary lactate if unwell",
        (("days", 1, 6),), ALL_OBS,
        others=("aching muscles", "sore throat", "productive cough", "headache"),
        red_flags=(
            RedFlag("a rash that does not fade under a glass", EMERGENCY,
                    "a non-blanching rash with fever suggests meningococcal sepsis",
                    "give IV antibiotics immediately after blood cultures", (("temp", "high"), ("hr", "high"))),
            RedFlag("rigors a week after chemotherapy", EMERGENCY,
                    "fever within weeks of chemotherapy is neutropenic sepsis until proven otherwise",
                    "give IV broad-spectrum antibiotics within 1 hour of arrival", (("temp", "high"),)),
            RedFlag("burning on passing urine and pain in the flank", SEMI_URGENT,
                    "fever with dysuria and flank pain suggests pyelonephritis",
                    "send urine for culture and check renal function"),
        ),
        infective=True, deranges=(("temp", "high"),), pain=(0, 4),
    ),
    Complaint(
        "allergic_reaction", ("an allergic reaction", "itchy swelling after eating peanuts", "hives after a bee sting"),
        SEMI_URGENT, "an acute allergic reaction can progress and needs observation",
        "Stop the trigger and give an oral antihistamine; observe for progression",
        (("minutes", 10, 50), ("hours", 1, 3)), ("hr", "sbp", "rr", "spo2"),
        others=("itchy skin", "raised red welts", "known allergy"),
        red_flags=(
            RedFlag("swelling of the lips and tongue", EMERGENCY,
                    "lip and tongue swelling indicates angioedema that can obstruct the airway",
                    "give intramuscular adrenaline 0.5 mg (1:1000) and call for airway help"),
            RedFlag("wheeze and tightness in the throat", EMERGENCY,
                    "airway or breathing involvement after an allergen indicates anaphylaxis",
                    "give intramuscular adrenaline 0.5 mg (1:1000) into the anterolateral thigh now",
                    (("rr", "high"), ("hr", "high"))),
        ),
        pain=(0, 3),
    ),
    Complaint(
        "back_pain", ("low back pain", "back pain", "pain in the lower back"),
        NON_URGENT, "",
        "Assess lower-limb power, sensation and reflexes",
        (("hours", 6, 23), ("days", 1, 14)), ("hr", "sbp", "temp"),
        others=("pain after lifting a heavy box", "pain going into one buttock", "stiffness in the morning"),
        red_flags=(
            RedFlag("numbness around the back passage and new difficulty passing urine", EMERGENCY,
                    "saddle anaesthesia with bladder dysfunction suggests cauda equina syndrome",
                    "arrange emergency MRI of the lumbosacral spine"),
            RedFlag("fever and a history of injecting drugs", URGENT,
                    "back pain with fever in a person who injects drugs suggests a spinal epidural abscess",
                    "take blood cultures and arrange urgent MRI", (("temp", "high"),)),
        ),
        pain=(3, 8),
    ),
    Complaint(
        "sore_throat", ("a sore throat", "a painful throat", "throat pain"),
        NON_URGENT, "",
        "Examine the throat and apply the FeverPAIN or Centor score",
        (("days", 1, 7),), ("hr", "temp"),
        others=("runny nose", "mild cough", "hoarse voice", "swollen glands in the neck"),
        red_flags=(
            RedFlag("drooling and unable to swallow saliva", EMERGENCY,
                    "drooling with inability to swallow suggests epiglottitis and a threatened airway",
                    "do not examine the throat; keep the patient upright and call an anaesthetist and ENT surgeon"),
            RedFlag("a muffled voice and difficulty opening the mouth", URGENT,
                    "a muffled voice with trismus suggests a peritonsillar abscess",
                    "refer to ENT today for drainage"),
        ),
        infective=True, pain=(2, 6),
    ),
    Complaint(
        "ankle_injury", ("an ankle injury", "a twisted ankle", "ankle pain after a fall"),
        NON_URGENT, "",
        "Apply the Ottawa ankle rules, elevate and give analgesia",
        (("hours", 1, 20), ("days", 1, 2)), ("hr", "sbp"),
        others=("swelling over the outer ankle", "bruising", "twisted it playing football"),
        red_flags=(
            RedFlag("unable to take four steps since the injury", SEMI_URGENT,
                    "inability to bear weight meets the Ottawa ankle rules for an X-ray",
                    "arrange an ankle X-ray"),
            RedFlag("an obvious deformity of the ankle", URGENT, "a visible deformity suggests fracture-dislocation",
                    "splint, give analgesia and arrange urgent X-ray and orthopaedic review"),
            RedFlag("a cold, pale foot below the injury", EMERGENCY,
                    "a cold pale foot indicates vascular compromise",
                    "reduce the deformity urgently and call orthopaedics and vascular surgery"),
        ),
        pain=(3, 8),
    ),
    Complaint(
        "laceration", ("a cut to the hand", "a cut on the forearm", "a laceration to the leg"),
        NON_URGENT, "",
        "Control bleeding with direct pressure, check tetanus status and examine for tendon or nerve injury",
        (("minutes", 10, 55), ("hours", 1, 6)), ("hr", "sbp"),
        others=("cut on broken glass", "cut while cooking", "wound edges gaping"),
        red_flags=(
            RedFlag("bright red blood spurting from the wound", EMERGENCY, "pulsatile bleeding indicates arterial injury",
                    "apply firm direct pressure, consider a tourniquet for a limb and call the surgeon"),
            RedFlag("bleeding that has not stopped despite 10 minutes of pressure", URGENT,
                    "bleeding uncontrolled by sustained pressure needs prompt closure",
                    "apply a pressure dressing and arrange wound exploration and closure"),
            RedFlag("unable to bend the finger beyond the cut", URGENT,
                    "loss of finger flexion suggests a flexor tendon injury", "refer to hand surgery"),
        ),
        pain=(2, 6),
    ),
    Complaint(
        "vomiting_diarrhoea", ("vomiting and diarrhoea", "diarrhoea and vomiting", "stomach upset with vomiting"),
        NON_URGENT, "",
        "Assess hydration and encourage oral rehydration solution in small frequent sips",
        (("hours", 6, 23), ("days", 1, 4)), ("hr", "sbp", "temp"),
        others=("stomach cramps", "others at home have the same", "ate at a barbecue"),
        red_flags=(
            RedFlag("unable to keep any fluids down for 24 hours", SEMI_URGENT,
                    "failure of oral intake risks dehydration", "check electrolytes and give IV fluids if needed"),
            RedFlag("passed very little urine in the last 12 hours and feels faint on standing", URGENT,
                    "oliguria with postural symptoms indicates significant dehydration",
                    "check postural blood pressure, renal function and electrolytes and start IV fluids",
                    (("hr", "high"),)),
            RedFlag("blood mixed in the diarrhoea", SEMI_URGENT, "bloody diarrhoea suggests invasive infection or colitis",
                    "send stool culture and check inflammatory markers"),
        ),
        infective=True, pain=(1, 5),
    ),
    Complaint(
        "palpitations", ("palpitations", "a racing heart", "a fluttering heartbeat"),
        SEMI_URGENT, "palpitations need a prompt ECG",
        "Record a 12-lead ECG during symptoms and check electrolytes and thyroid function",
        (("minutes", 20, 55), ("hours", 1, 12)), ("hr", "sbp", "rr", "spo2"),
        others=("drank a lot of coffee", "feels anxious", "has had short episodes before"),
        red_flags=(
            RedFlag("fainted during the episode", URGENT, "syncope with palpitations suggests a dangerous arrhythmia",
                    "attach a cardiac monitor and review the ECG at once"),
            RedFlag("chest pain during the palpitations", URGENT,
                    "chest pain with palpitations suggests ischaemia or a compromising arrhythmia",
                    "attach a cardiac monitor and send a troponin"),
        ),
        pain=(0, 3),
    ),
    Complaint(
        "syncope", ("a faint", "passing out", "a blackout"),
        SEMI_URGENT, "a transient loss of consciousness needs an ECG and assessment",
        "Record a 12-lead ECG, lying and standing blood pressure and capillary glucose",
        (("hours", 1, 12),), ("hr", "sbp", "gcs"),
        others=("felt hot and light-headed first", "stood up quickly", "recovered within a minute"),
        red_flags=(
            RedFlag("collapsed during exercise", URGENT, "exertional syncope suggests a structural or arrhythmic cardiac cause",
                    "place on a cardiac monitor and request an echocardiogram"),
            RedFlag("no warning and a family history of sudden death under 40", URGENT,
                    "syncope without prodrome and a family history of sudden death suggests an inherited arrhythmia",
                    "place on a cardiac monitor and look for QT prolongation or Brugada pattern on the ECG"),
        ),
        pain=(0, 2),
    ),
    Complaint(
        "mental_health_crisis", ("thoughts of suicide", "low mood and thoughts of ending their life"),
        URGENT, "suicidal ideation needs prompt mental-health risk assessment in a safe place",
        "Keep the patient in a safe observed area, remove means of harm and request a mental-health assessment",
        (("days", 1, 14),), ("hr",),
        others=("recent relationship breakdown", "not sleeping", "drinking more alcohol"),
        red_flags=(
            RedFlag("a specific plan and access to the means", EMERGENCY,
                    "a plan with access to means indicates high immediate risk",
                    "provide one-to-one observation and an immediate psychiatric assessment"),
            RedFlag("took an overdose of paracetamol 4 hours ago", EMERGENCY,
                    "a deliberate overdose needs timed drug levels and antidote decisions",
                    "take a 4-hour paracetamol level and start acetylcysteine per the nomogram; call poisons advice"),
        ),
        pain=(0, 2),
    ),
    Complaint(
        "seizure", ("a seizure", "a fit", "a convulsion witnessed by a friend"),
        URGENT, "a seizure needs prompt assessment for the cause and recovery",
        "Check capillary glucose, place in the recovery position if drowsy and look for injuries",
        (("minutes", 20, 55), ("hours", 1, 4)), ("hr", "sbp", "rr", "spo2", "temp", "gcs"),
        others=("bit the tongue", "known epilepsy", "missed medication doses", "incontinent of urine during it"),
        red_flags=(
            RedFlag("a convulsion lasting more than 5 minutes", EMERGENCY,
                    "a seizure longer than 5 minutes is status epilepticus",
                    "give a benzodiazepine (buccal midazolam or IV lorazepam) and protect the airway", (("gcs", "low"),)),
        ),
        pain=(0, 3),
    ),
    Complaint(
        "urinary_symptoms", ("burning on passing urine", "needing to pass urine often", "pain when passing urine"),
        NON_URGENT, "",
        "Dip the urine and send a sample for culture",
        (("days", 1, 6),), ("hr", "temp"),
        others=("cloudy urine", "lower abdominal discomfort", "similar infection last year"),
        red_flags=(
            RedFlag("unable to pass urine for 10 hours with a painful swollen bladder", URGENT,
                    "painful inability to void indicates acute urinary retention",
                    "bladder scan and catheterise"),
            RedFlag("pain in the loin and vomiting", SEMI_URGENT, "loin pain with vomiting suggests upper urinary tract infection",
                    "check renal function and consider IV antibiotics"),
        ),
        infective=True, pain=(1, 5),
    ),
    Complaint(
        "rash", ("a rash", "a skin rash", "spots on the skin"),
        NON_URGENT, "",
        "Examine the whole skin surface and the mucous membranes",
        (("days", 1, 14),), ("hr", "temp"),
        others=("itchy", "started on the trunk", "new washing powder"),
        red_flags=(
            RedFlag("blistering and peeling skin with mouth sores after starting a new medicine", EMERGENCY,
                    "mucosal involvement with skin detachment suggests Stevens-Johnson syndrome/TEN",
                    "stop the suspected drug and arrange burns-unit or dermatology care"),
            RedFlag("a rapidly spreading hot, red, very painful area on the leg", URGENT,
                    "rapidly spreading painful erythema suggests severe cellulitis or necrotising infection",
                    "mark the margins, take blood cultures and give IV antibiotics; ask for surgical review if pain is out of proportion"),
        ),
        infective=True, pain=(0, 5),
    ),
    Complaint(
        "eye_problem", ("a red eye", "a sore eye", "an eye problem"),
        NON_URGENT, "",
        "Check visual acuity in both eyes first",
        (("hours", 2, 23), ("days", 1, 5)), ("hr",),
        others=("sticky discharge", "gritty feeling", "wears contact lenses"),
        red_flags=(
            RedFlag("sudden loss of vision in one eye", EMERGENCY, "sudden monocular visual loss suggests a vascular occlusion or retinal detachment",
                    "arrange immediate ophthalmology assessment"),
            RedFlag("a chemical splashed into the eye", EMERGENCY, "a chemical eye injury is time-critical",
                    "irrigate immediately with at least 1 litre of saline and check pH before anything else"),
            RedFlag("severe pain, haloes around lights and vomiting", URGENT,
                    "a painful red eye with haloes and vomiting suggests acute angle-closure glaucoma",
                    "refer to ophthalmology now for pressure-lowering treatment"),
        ),
        pain=(1, 5),
    ),
    Complaint(
        "pregnancy_bleeding", ("vaginal bleeding in early pregnancy", "bleeding at 8 weeks of pregnancy"),
        URGENT, "bleeding in early pregnancy needs prompt exclusion of ectopic pregnancy",
        "Confirm the pregnancy test, check haemoglobin and rhesus group and arrange an early-pregnancy ultrasound",
        (("hours", 1, 20),), ("hr", "sbp"),
        others=("mild cramping", "passed a small clot", "first pregnancy"),
        red_flags=(
            RedFlag("shoulder-tip pain and feeling faint", EMERGENCY,
                    "shoulder-tip pain with faintness suggests a ruptured ectopic pregnancy",
                    "insert two large-bore cannulas, crossmatch blood and call the gynaecologist now",
                    (("hr", "high"), ("sbp", "low"))),
            RedFlag("soaking a pad every hour", EMERGENCY, "heavy ongoing bleeding risks haemorrhagic shock",
                    "insert two large-bore cannulas, crossmatch blood and call the gynaecologist now", (("hr", "high"),)),
        ),
        sex="female", age=(18, 44), pain=(1, 6),
    ),
    Complaint(
        "testicular_pain", ("testicular pain", "pain in the testicle", "scrotal pain"),
        SEMI_URGENT, "scrotal pain needs same-day assessment",
        "Examine the scrotum and dip the urine",
        (("hours", 1, 12), ("days", 1, 3)), ("hr", "temp"),
        others=("some swelling", "nausea", "no injury"),
        red_flags=(
            RedFlag("sudden severe pain with vomiting and a high-riding testis", EMERGENCY,
                    "sudden severe testicular pain suggests torsion, which must be relieved within about 6 hours",
                    "refer immediately to urology for scrotal exploration; do not delay for imaging"),
        ),
        sex="male", age=(18, 40), pain=(3, 9),
    ),
    Complaint(
        "cough", ("a cough", "a chesty cough", "a persistent cough"),
        NON_URGENT, "",
        "Examine the chest; consider a chest X-ray if focal signs",
        (("days", 2, 21),), ("hr", "rr", "spo2", "temp"),
        others=("green sputum", "runny nose", "smoker", "mild wheeze"),
        red_flags=(
            RedFlag("coughing up blood", URGENT, "haemoptysis needs prompt investigation for PE, infection or malignancy",
                    "arrange a chest X-ray and check clotting"),
            RedFlag("three weeks of cough with night sweats and weight loss", SEMI_URGENT,
                    "prolonged cough with night sweats and weight loss suggests tuberculosis or malignancy",
                    "arrange a chest X-ray and sputum for acid-fast bacilli; isolate if TB is suspected"),
        ),
        infective=True, pain=(0, 3),
    ),
    Complaint(
        "dizziness", ("dizziness", "feeling dizzy", "a spinning sensation"),
        NON_URGENT, "",
        "Perform a neurological examination including gait and the HINTS examination",
        (("hours", 1, 23), ("days", 1, 5)), ("hr", "sbp", "gcs"),
        others=("feels sick", "worse on standing up", "recent viral illness"),
        red_flags=(
            RedFlag("double vision and slurred speech", EMERGENCY,
                    "vertigo with diplopia and dysarthria suggests posterior circulation stroke",
                    "activate the stroke pathway"),
            RedFlag("unable to walk unaided", URGENT, "new inability to walk suggests a central (cerebellar) cause",
                    "arrange urgent neurological assessment and imaging"),
        ),
        pain=(0, 2),
    ),
    Complaint(
        "burn", ("a burn", "a scald from a kettle", "a burn from a cooking fire"),
        NON_URGENT, "",
        "Cool the burn under running water for 20 minutes and estimate the burned area",
        (("minutes", 10, 55), ("hours", 1, 6)), ("hr", "sbp", "rr", "spo2"),
        others=("on the forearm", "red and painful", "small blisters"),
        red_flags=(
            RedFlag("singed nasal hairs and a hoarse voice after a house fire", EMERGENCY,
                    "hoarseness and singed nasal hair suggest inhalation injury with airway risk",
                    "give high-flow oxygen and call an anaesthetist for early airway assessment", (("rr", "high"),)),
            RedFlag("blistering covering an area larger than the palm", URGENT,
                    "a partial-thickness burn over about 1 % of body surface needs specialist dressing",
                    "cover with cling film after cooling and refer to the burns service"),
        ),
        pain=(3, 8),
    ),
    Complaint(
        "head_injury", ("a head injury", "a bang to the head", "a fall with a head injury"),
        SEMI_URGENT, "a head injury needs assessment against the CT head rules",
        "Assess against the NICE CT head rules and record GCS",
        (("hours", 1, 12),), ("hr", "sbp", "gcs"),
        others=("small scalp bruise", "mild headache", "remembers the event"),
        red_flags=(
            RedFlag("takes warfarin", URGENT, "a head injury on anticoagulation needs a CT head within 8 hours",
                    "check INR and arrange a CT head"),
            RedFlag("vomited twice since the injury", URGENT, "more than one episode of vomiting after a head injury meets the CT head criteria",
                    "arrange a CT head within 1 hour"),
            RedFlag("clear fluid leaking from the nose", URGENT, "CSF rhinorrhoea suggests a base-of-skull fracture",
                    "arrange a CT head within 1 hour"),
        ),
        pain=(1, 5),
    ),
    Complaint(
        "medication_request", ("a repeat prescription request", "running out of regular medicines"),
        NON_URGENT, "",
        "Confirm the medicines and doses and arrange the repeat prescription",
        (("days", 1, 7),), (),
        others=("ran out yesterday", "on holiday", "no new symptoms"),
        pain=(0, 1),
    ),
)
COMPLAINT_BY_ID = {c.id: c for c in COMPLAINTS}
_FLAG_BY_TEXT = {(c.id, f.text): f for c in COMPLAINTS for f in c.red_flags}


# ---- the case and the rule table --------------------------------------------

@dataclass(frozen=True)
class Case:
    person: Person
    complaint: Complaint
    red_flag: RedFlag | None
    others: tuple[str, ...]
    vitals: Vitals
    onset: str

    @property
    def news2(self) -> dict[str, int]:
        return news2_parts(self.vitals)

    @property
    def news2_total(self) -> int:
        return sum(self.news2.values())

    @property
    def qsofa(self) -> int:
        v = self.vitals
        return int(v.rr >= 22) + int(v.sbp <= 100) + int(v.gcs < 15)

    @property
    def infection_suspected(self) -> bool:
        return self.vitals.temp >= 38.0 or self.complaint.infective


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    applies: Callable[[Case], bool]
    reason: Callable[[Case], str]


def _news2_detail(c: Case) -> str:
    parts = [f"{NEWS2_LABELS[k]} {p}" for k, p in c.news2.items() if p]
    return f"NEWS2 {c.news2_total} ({', '.join(parts)})" if parts else "NEWS2 0"


def _v(c: Case) -> Vitals:
    return c.vitals


# Observation rules. Complaint floors and red flags (rule 6) come from COMPLAINTS.
RULES: tuple[Rule, ...] = (
    Rule("spo2_below_90", EMERGENCY, lambda c: _v(c).spo2 < 90,
         lambda c: f"SpO2 {_v(c).spo2}% is below 90% (severe hypoxaemia)"),
    Rule("sbp_below_90", EMERGENCY, lambda c: _v(c).sbp < 90,
         lambda c: f"systolic BP {_v(c).sbp} mmHg is below 90 (shock until proven otherwise)"),
    Rule("pulse_critical", EMERGENCY, lambda c: _v(c).hr < 40 or _v(c).hr >= 150,
         lambda c: f"pulse {_v(c).hr}/min is {'below 40' if _v(c).hr < 40 else 'at or above 150'} (critical rate)"),
    Rule("rr_critical", EMERGENCY, lambda c: _v(c).rr <= 8 or _v(c).rr >= 30,
         lambda c: f"respiratory rate {_v(c).rr}/min is {'8 or below' if _v(c).rr <= 8 else '30 or above'} (critical)"),
    Rule("gcs_12_or_less", EMERGENCY, lambda c: _v(c).gcs <= 12,
         lambda c: f"GCS {_v(c).gcs} is 12 or below (markedly reduced consciousness)"),
    Rule("sepsis_qsofa", EMERGENCY, lambda c: c.infection_suspected and c.qsofa >= 2,
         lambda c: f"suspected infection with qSOFA {c.qsofa} (of RR >= 22, SBP <= 100, altered mentation) indicates possible sepsis"),
    Rule("news2_high", EMERGENCY, lambda c: c.news2_total >= 7,
         lambda c: f"{_news2_detail(c)} is 7 or more (high clinical risk)"),
    Rule("news2_medium", URGENT, lambda c: 5 <= c.news2_total <= 6,
         lambda c: f"{_news2_detail(c)} is 5-6 (medium clinical risk)"),
    Rule("news2_red_parameter", URGENT, lambda c: c.news2_total < 7 and max(c.news2.values()) == 3,
         lambda c: "a single NEWS2 parameter scores 3 ("
                   + ", ".join(NEWS2_LABELS[k] for k, p in c.news2.items() if p == 3) + ")"),
    Rule("news2_low_medium", SEMI_URGENT, lambda c: 3 <= c.news2_total <= 4,
         lambda c: f"{_news2_detail(c)} is 3-4"),
    Rule("pain_severe", URGENT, lambda c: _v(c).pain >= 8,
         lambda c: f"pain {_v(c).pain}/10 is severe (8 or more)"),
    Rule("pain_moderate", SEMI_URGENT, lambda c: 5 <= _v(c).pain <= 7,
         lambda c: f"pain {_v(c).pain}/10 is moderate (5-7)"),
    Rule("older_adult_fever", URGENT, lambda c: c.person.age >= 75 and _v(c).temp >= 38.0,
         lambda c: f"age {c.person.age} with temperature {_v(c).temp:.1f} °C (age 75+ with fever: high risk of serious infection)"),
)


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    level: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)  # highest level first


def assess(case: Case) -> Assessment:
    """The triage level and every rule that fired, highest level first."""
    found: list[Finding] = []
    if RANK[case.complaint.floor] > RANK[NON_URGENT]:
        found.append(Finding(f"complaint:{case.complaint.id}", case.complaint.floor, case.complaint.floor_reason))
    if case.red_flag is not None:
        found.append(Finding(f"red_flag:{case.complaint.id}", case.red_flag.level, case.red_flag.reason))
    for rule in RULES:
        if rule.applies(case):
            found.append(Finding(rule.id, rule.level, rule.reason(case)))
    found.sort(key=lambda f: -RANK[f.level])  # stable: table order within a level
    level = found[0].level if found else NON_URGENT
    return Assessment(level, tuple(found))


def case_from_facts(facts: dict) -> Case:
    """Rebuild a Case from the facts a generated record carries in its lineage."""
    complaint = COMPLAINT_BY_ID[facts["complaint"]]
    flag = _FLAG_BY_TEXT[(complaint.id, facts["red_flag"])] if facts.get("red_flag") else None
    return Case(Person(facts["age"], facts["sex"]), complaint, flag, tuple(facts.get("others", ())),
                Vitals(**facts["vitals"]), facts.get("onset", ""))


# ---- drawing a case ---------------------------------------------------------------

# (normal range, then deranged ranges by severity 1..3) per direction.
_DERANGED = {
    "hr": {"high": ((96, 112), (113, 138), (139, 168)), "low": ((45, 52), (40, 44), (30, 39))},
    "sbp": {"low": ((96, 108), (89, 99), (68, 88)), "high": ((152, 178), (179, 212), (213, 238))},
    "rr": {"high": ((21, 23), (24, 28), (29, 40)), "low": ((10, 11), (9, 10), (6, 8))},
    "spo2": {"low": ((94, 95), (91, 93), (78, 90))},
    "temp": {"high": ((38.1, 38.9), (39.0, 39.9), (40.0, 41.2)), "low": ((35.5, 36.0), (35.1, 35.4), (33.0, 35.0))},
    "gcs": {"low": ((14, 14), (12, 13), (5, 11))},
}
_NORMAL = {"hr": (60, 90), "sbp": (112, 148), "rr": (12, 19), "spo2": (96, 99), "temp": (36.2, 37.7), "gcs": (15, 15)}
# how likely each direction is when an observation is deranged
_DIRECTION_WEIGHTS = {"hr": (("high", 0.85), ("low", 0.15)), "sbp": (("low", 0.6), ("high", 0.4)),
                      "rr": (("high", 0.93), ("low", 0.07)), "spo2": (("low", 1.0),),
                      "temp": (("high", 0.8), ("low", 0.2)), "gcs": (("low", 1.0),)}
# physiology profile -> (weight, probability an affected observation is deranged, severity weights)
_PROFILES = (
    ("stable", 0.45, 0.0, (1, 0, 0)),
    ("mild", 0.30, 0.35, (0.8, 0.2, 0.0)),
    ("moderate", 0.17, 0.5, (0.4, 0.5, 0.1)),
    ("critical", 0.08, 0.6, (0.2, 0.4, 0.4)),
)


def _draw(rng: random.Random, lo, hi):
    if isinstance(lo, float):
        return round(rng.uniform(lo, hi), 1)
    return rng.randint(lo, hi)


def draw_vitals(rng: random.Random, complaint: Complaint, red_flag: RedFlag | None) -> tuple[Vitals, str]:
    names = [p[0] for p in _PROFILES]
    profile = rng.choices(names, weights=[p[1] for p in _PROFILES])[0]
    _, _, p_deranged, sev_weights = _PROFILES[names.index(profile)]
    # features that always disturb an observation (fever, shock, a silent chest) do so in their direction
    forced = dict(complaint.deranges + (red_flag.deranges if red_flag else ()))
    values = {}
    for obs in ALL_OBS:
        lo, hi = _NORMAL[obs]
        if obs in forced:
            weights = sev_weights if profile != "stable" else (0.5, 0.4, 0.1)
            lo, hi = _DERANGED[obs][forced[obs]][rng.choices((0, 1, 2), weights=weights)[0]]
        elif obs in complaint.affects and rng.random() < p_deranged:
            dirs = _DIRECTION_WEIGHTS[obs]
            direction = rng.choices([d for d, _ in dirs], weights=[w for _, w in dirs])[0]
            severity = rng.choices((0, 1, 2), weights=sev_weights)[0]
            lo, hi = _DERANGED[obs][direction][severity]
        values[obs] = _draw(rng, lo, hi)
    sbp = values["sbp"]
    dbp = max(35, int(sbp * rng.uniform(0.55, 0.68)))
    # only presentations that can lower SpO2 come in on supplemental oxygen
    on_oxygen = "spo2" in complaint.affects and profile != "stable" and rng.random() < 0.1
    pain = rng.randint(*complaint.pain)
    vitals = Vitals(values["hr"], sbp, dbp, values["rr"], values["spo2"], on_oxygen, values["temp"],
                    values["gcs"], pain)
    return vitals, profile


def draw_case(rng: random.Random) -> Case:
    complaint = rng.choice(COMPLAINTS)
    person = draw_person(rng, complaint.age, complaint.sex)
    red_flag = rng.choice(complaint.red_flags) if complaint.red_flags and rng.random() < 0.4 else None
    others = tuple(some(rng, complaint.others, 0, 2))
    vitals, _profile = draw_vitals(rng, complaint, red_flag)
    unit, lo, hi = rng.choice(complaint.onset)
    n = rng.randint(lo, hi)
    onset = f"{n} {unit[:-1] if n == 1 else unit}"
    return Case(person, complaint, red_flag, others, vitals, onset)


# ---- writing it down ---------------------------------------------------------------

HISTORY = ("hypertension", "type 2 diabetes", "asthma", "COPD", "atrial fibrillation", "hypothyroidism",
           "depression", "osteoarthritis", "chronic kidney disease stage 3", "previous myocardial infarction")

INSTRUCTIONS = (
    "You are a medical triage assistant. Assess the patient and assign a triage level.",
    "Triage this patient: give the triage level (EMERGENCY, URGENT, SEMI-URGENT or NON-URGENT), the reasons, and the recommended next step.",
    "As the triage nurse, decide how urgently this patient needs to be seen and explain why.",
    "Assign a triage level and a disposition for the following presentation.",
)


def _obs_line(v: Vitals, style: int) -> str:
    air = "on 2 L/min oxygen" if v.on_oxygen else "on room air"
    if style == 0:
        return (f"HR {v.hr} bpm, BP {v.sbp}/{v.dbp} mmHg, RR {v.rr}/min, SpO2 {v.spo2}% {air}, "
                f"Temp {v.temp:.1f} °C, GCS {v.gcs}, pain {v.pain}/10")
    return (f"HR {v.hr} | BP {v.sbp}/{v.dbp} | RR {v.rr} | SpO2 {v.spo2}% ({'O2 2 L/min' if v.on_oxygen else 'RA'}) | "
            f"T {v.temp:.1f} °C | GCS {v.gcs} | pain {v.pain}/10")


def render_input(rng: random.Random, case: Case) -> str:
    p, c = case.person, case.complaint
    phrase = rng.choice(c.phrases)
    details = ([case.red_flag.text] if case.red_flag else []) + list(case.others)
    history = some(rng, HISTORY, 0, 2)
    style = rng.randrange(3)
    if style == 0:
        lines = [f"{p.short.capitalize()}.",
                 f"Chief complaint: {phrase}, started {case.onset} ago.",
                 f"Associated features: {'; '.join(details)}." if details else "No other features reported.",
                 f"Vitals: {_obs_line(case.vitals, 0)}.",
                 f"History: {join_and(history) if history else 'none'}."]
        return "\n".join(lines)
    if style == 1:
        sex = "M" if p.sex == "male" else "F"
        parts = [f"Triage note: {sex}, {p.age}y, presenting with {phrase} for {case.onset}."]
        if details:
            parts.append(sentence("; ".join(details)))
        parts.append(f"Obs: {_obs_line(case.vitals, 1)}.")
        parts.append(f"PMH: {join_and(history) if history else 'nil'}.")
        return " ".join(parts)
    text = f"A {p.short} comes in with {phrase} that began {case.onset} ago."
    if details:
        text += f" Notable: {'; '.join(details)}."
    text += f" {p.his.capitalize()} observations are: {_obs_line(case.vitals, 0)}."
    if history:
        text += f" {p.he.capitalize()} has a history of {join_and(history)}."
    return text


def render_output(case: Case, a: Assessment) -> str:
    policy = LEVEL_POLICY[a.level]
    v = case.vitals
    summary = (f"{case.person.short} with {case.complaint.phrases[0]} for {case.onset}: HR {v.hr}, BP {v.sbp}/{v.dbp}, "
               f"RR {v.rr}, SpO2 {v.spo2}%{' on oxygen' if v.on_oxygen else ''}, T {v.temp:.1f} °C, GCS {v.gcs}, "
               f"pain {v.pain}/10; NEWS2 {case.news2_total}.")
    lines = [f"Triage Level: {a.level} ({policy.target}).", f"Summary: {summary}", "Reasoning:"]
    if a.findings:
        lines.append(bullets([f"{f.level}: {f.reason}." for f in a.findings]))
        lines.append(f"The highest level reached by any rule sets the triage level: {a.level}.")
    else:
        lines.append(bullets([
            "no red-flag features in the history",
            f"{_news2_detail(case)}: below 3 and no single parameter scores 3",
            f"pain {v.pain}/10 is below 5",
        ]))
        lines.append("No rule raises the level, so the triage level is NON-URGENT.")
    steps = [policy.disposition]
    if case.red_flag is not None:
        steps.append(case.red_flag.action)
    steps.append(case.complaint.action)
    steps.append(policy.reassess)
    lines.append("Recommendation: " + " ".join(sentence(s) for s in steps))
    return "\n".join(lines)


def generate(rng: random.Random) -> Example:
    case = draw_case(rng)
    a = assess(case)
    facts = {
        "complaint": case.complaint.id,
        "red_flag": case.red_flag.text if case.red_flag else None,
        "others": list(case.others),
        "age": case.person.age,
        "sex": case.person.sex,
        "onset": case.onset,
        "vitals": case.vitals.as_dict(),
        "level": a.level,
        "rules": [f.rule for f in a.findings],
    }
    return Example(rng.choice(INSTRUCTIONS), render_input(rng, case), render_output(case, a), ADAPTER, "triage", facts)
