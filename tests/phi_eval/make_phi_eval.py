"""Writes the labelled PHI evaluation set: patient messages with every identifier marked, and PHI-free text.

    python tests/phi_eval/make_phi_eval.py      # rewrites patient_messages.jsonl and phi_free.jsonl here

patient_messages.jsonl: {"text", "phi": [{"type", "value"}]}: messages in the
voice of HealthCareMagic / iCliniq patients (greetings, run-on sentences,
Indian, UK and US conventions), each identifier labelled with the scrubber's
type and the exact string that must not survive. Covers the HIPAA Safe Harbor
kinds that free text carries: names, geographic units below a state (street
addresses, city + ZIP), dates, phone and fax numbers, emails, SSNs, medical
record numbers, health plan beneficiary and account numbers, certificate and
licence numbers, vehicle identifiers and plates, device serial numbers, URLs,
IP addresses, other identifying numbers (passport, Aadhaar) and ages over 89.
`"prose": true` marks a name in running prose without any cue (no title,
greeting, sign-off or label): the gap of rule-based detection.

phi_free.jsonl: {"text", "kind": clinical | research | regulatory}: text
with no PHI that must come out unchanged: clinical notes and patient
questions (doses, lab values, vital signs, eponyms), research abstracts
(study periods, ages as ranges, ISBNs, EC numbers, trial ids, author
citations) and regulatory text (section numbers, dockets, agency contacts).
Research and regulatory text is scrubbed with the "document" scope in
prepare; clinical text with the "patient" scope.

Deterministic (seeded); the committed files are its output.
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
R = random.Random(20261125)

FIRST = ["Rahul", "Priya", "Anil", "Kavya", "Margaret", "Olumide", "Siobhan", "Wei", "Fatima", "Carlos", "Grace",
         "Ramesh", "Deepa", "Thomas", "Aisha", "Mohammed", "Elena", "Sunil", "Meera", "Joseph"]
LAST = ["Sharma", "Okafor", "Ramachandran", "Nguyen", "Fitzgerald", "Iyer", "Kowalski", "Mensah", "Haddad",
        "Patel", "Ellison", "Banerjee", "Oyelaran", "Castillo", "Murphy"]
STREETS = ["Birchwood Lane", "Oak Street", "MG Road", "Station Road", "Maple Avenue", "Park Drive", "Church Street"]
CITIES = [("Springfield", "IL", "62704"), ("Austin", "TX", "78701"), ("Columbus", "OH", "43215"),
          ("Portland", "OR", "97205"), ("Tampa", "FL", "33602")]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October", "November"]


def n(k):
    return "".join(R.choice("0123456789") for _ in range(k))


def nz(k):
    return R.choice("123456789") + n(k - 1)


def person():
    return R.choice(FIRST), R.choice(LAST)


# Each builder returns (text, [(type, value), ...]) or (text, [...], prose_values)
def greeting_and_signoff():
    f, l = person()
    f2 = R.choice(FIRST)
    return (f"Hello Dr. {l}, my son has had a fever of 102 F for 3 days and now a rash on his chest. "
            f"Should I give him paracetamol 250 mg again? Thanks, {f2}",
            [("NAME", l), ("NAME", f2)])


def intro_age_phone():
    f, l = person()
    phone = f"{nz(3)}-{nz(3)}-{n(4)}"
    return (f"Hi doctor, I am {f} {l}, 34 years old female. I have burning urination since two days. "
            f"Please call me on {phone} if you need more details.", [("NAME", f"{f} {l}"), ("PHONE", phone)])


def uk_mobile_and_nhs():
    f, _ = person()
    mob = f"07{n(3)} {n(6)}"
    return (f"My name is {f}. I booked through portal.nhs.uk but nobody called back. "
            f"My mobile is {mob}, I am worried about the lump in my neck.",
            [("NAME", f), ("URL", "portal.nhs.uk"), ("PHONE", mob)])


def doctor_no_comma():
    l = R.choice(LAST)
    return (f"I was seen by Doctor {l} at the city hospital last week and he gave me amoxicillin 500 mg "
            f"three times a day. Is it ok to take it with ibuprofen?", [("NAME", l)])


def aged_over_89():
    age = str(R.randint(90, 104))
    return R.choice([
        (f"My grandmother is {age} years old and has swelling in both legs since a week.", [("AGE", age)]),
        (f"My father, aged {age}, fell in the bathroom yesterday and now his hip hurts when he walks.",
         [("AGE", age)]),
        (f"Hello, my great-aunt ({age} yrs) is on warfarin and her INR is 4.2. What should we do?",
         [("AGE", age)]),
    ])


def dates():
    d1 = f"{R.randint(2015, 2023)}/{R.randint(1, 12):02d}/{R.randint(1, 28):02d}"
    d2 = f"{R.randint(1, 28)} {R.choice(MONTHS)} {R.randint(2015, 2023)}"
    d3 = f"{R.randint(1, 12)}/{R.randint(1, 28)}/{R.randint(2015, 2023)}"
    return R.choice([
        (f"I had my gallbladder removed on {d1} and since then I get loose motions after every meal.",
         [("DATE", d1)]),
        (f"My last period was on {d2} and the pregnancy test is negative. Should I worry?", [("DATE", d2)]),
        (f"Admitted on {d3} for pneumonia, discharged after 5 days, still coughing.", [("DATE", d3)]),
    ])


def email_forms():
    f, l = person()
    user = f"{f.lower()}.{l.lower()}{R.randint(1, 99)}"
    return R.choice([
        (f"Please send the report to {user}@gmail.com, I could not download it.", [("EMAIL", f"{user}@gmail.com")]),
        (f"You can write to me at {user} at gmail dot com since the app is not working.",
         [("EMAIL", f"{user} at gmail dot com")]),
        (f"My email is {user}(at)yahoo(dot)com, please send the diet chart.", [("EMAIL", f"{user}(at)yahoo(dot)com")]),
    ])


def ssn_mrn():
    ssn = f"{nz(3)}-{n(2)}-{n(4)}"
    mrn = nz(7)
    return R.choice([
        (f"The hospital asked for my SSN {ssn} before they would release my MRI results.", [("SSN", ssn)]),
        (f"My MRN is {mrn} at the cardiology clinic; the echo showed an EF of 45%.", [("MRN", mrn)]),
        (f"Medical record number: {mrn}. They said my creatinine is 1.9 mg/dL, is that kidney failure?",
         [("MRN", mrn)]),
        (f"UHID {mrn}, I was told my HbA1c is 8.2% and the metformin dose must go up.", [("MRN", mrn)]),
    ])


def plan_and_account():
    ben = f"{R.choice('ABCDEFGHJK')}{nz(8)}"
    acct = nz(10)
    return R.choice([
        (f"Insurance claim was rejected, my member ID is {ben} and the policy covers physiotherapy.",
         [("ACCOUNT", ben)]),
        (f"Health plan beneficiary number: {ben}. Can the surgery be done as day care?", [("ACCOUNT", ben)]),
        (f"They charged my account number {acct} twice for the same blood test.", [("ACCOUNT", acct)]),
    ])


def licences_devices_vehicles():
    plate = f"{R.choice(['KA', 'MH', 'DL', 'TN'])} {n(2)} {R.choice(['AB', 'CK', 'MZ'])} {nz(4)}"
    serial = f"{R.choice(['PX', 'SN', 'MD'])}{nz(7)}"
    lic = f"{R.choice('DLKM')}{nz(7)}"
    return R.choice([
        (f"After the accident the police noted my licence plate {plate} and I had neck pain since.",
         [("ID", plate)]),
        (f"My pacemaker serial number {serial} was recalled, do I need surgery again?", [("ID", serial)]),
        (f"The pharmacist asked for my driver's license number {lic} to sell the cough syrup.", [("ID", lic)]),
        (f"My insulin pump device ID {serial} keeps showing an occlusion alarm at night.", [("ID", serial)]),
    ])


def address():
    house = str(R.randint(12, 980))
    street = R.choice(STREETS)
    city, st, zc = R.choice(CITIES)
    return R.choice([
        (f"We live at {house} {street}, {city} and the water smells of sewage; my kids have diarrhoea.",
         [("ADDRESS", f"{house} {street}")]),
        (f"Please send the prescription to {house} {street}, {city}, {st} {zc}.",
         [("ADDRESS", f"{house} {street}"), ("ADDRESS", zc)]),
        (f"I moved to {city}, {st} {zc} last month and need a new endocrinologist for my thyroid.",
         [("ADDRESS", zc)]),
    ])


def web_and_ip():
    ip = f"{R.randint(11, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    page = f"https://myclinic-{n(3)}.example.com/patients/{n(5)}"
    return R.choice([
        (f"The lab portal at {page} shows my TSH as 9.8, is that hypothyroidism?", [("URL", page)]),
        (f"The telehealth app blocked my login from {ip}, so I am writing here about my chest pain.",
         [("IP", ip)]),
    ])


def other_numbers():
    pp = f"{R.choice('JKLMNPZ')}{nz(7)}"
    aad = f"{nz(4)} {n(4)} {n(4)}"
    fax = f"({nz(3)}) {nz(3)}-{n(4)}"
    return R.choice([
        (f"For the medical visa they need my passport number {pp} on the letter.", [("ID", pp)]),
        (f"The hospital linked my Aadhaar {aad} to the reports but the name is misspelt.", [("ID", aad)]),
        (f"Please fax the discharge summary to {fax}, attention orthopaedics.", [("PHONE", fax)]),
        (f"My husband's number is +91 98{n(3)} {n(5)} if I do not answer.", None),
    ])


def intl_phone():
    num = f"+91 98{n(3)} {n(5)}"
    return (f"My husband's number is {num} if I do not answer. He knows my medical history.", [("PHONE", num)])


def prose_names():
    f = R.choice(FIRST)
    f2, l2 = person()
    return R.choice([
        (f"My friend {f} told me that ginger tea helps with the nausea, is it safe in pregnancy?", [("NAME", f)],
         True),
        (f"My neighbour {f2} {l2} had the same symptoms and it turned out to be dengue.", [("NAME", f"{f2} {l2}")],
         True),
        (f"Yesterday {f} and I went for a walk and I felt short of breath after ten minutes.", [("NAME", f)], True),
    ])


BUILDERS = [greeting_and_signoff, intro_age_phone, uk_mobile_and_nhs, doctor_no_comma, aged_over_89, dates,
            email_forms, ssn_mrn, plan_and_account, licences_devices_vehicles, address, web_and_ip, other_numbers,
            intl_phone, prose_names]


def patient_messages(count=170):
    out = []
    while len(out) < count:
        built = R.choice(BUILDERS)()
        text, phi = built[0], built[1]
        if phi is None:
            continue
        prose = len(built) > 2 and built[2]
        out.append({"text": text, "phi": [{"type": t, "value": v, **({"prose": True} if prose else {})}
                                         for t, v in phi]})
    return out


# ---- PHI-free text ----------------------------------------------------------------
CLINICAL = [
    "BP {s}/{d} mmHg, pulse {p}/min, SpO2 {o}% on room air.",
    "Take paracetamol {mg} mg every 6 hours for {k} days, not more than 4 g a day.",
    "HbA1c {a}%, fasting glucose {g} mg/dL, creatinine 1.{c} mg/dL, eGFR {e} mL/min/1.73m2.",
    "Start amlodipine 5 mg once daily and recheck the blood pressure in {k} weeks.",
    "Hashimoto thyroiditis is the commonest cause of hypothyroidism; TSH {t} mIU/L needs levothyroxine {u} mcg.",
    "A {age}-year-old man with Parkinson disease presents with falls; Hoehn and Yahr stage {k}.",
    "Platelets {pl},000/uL, WBC {w},{w2}00/uL, haemoglobin 1{h}.{h2} g/dL.",
    "Give 0.{k} mL of 1:1000 adrenaline IM and repeat every 5-15 minutes if needed.",
    "Thanks for the query. Hypothyroidism is treated with levothyroxine taken on an empty stomach.",
    "Regards, and take care. Follow up after {k} weeks with a lipid profile.",
    "Dose schedule 1-0-1 after food for {k} days; Dolo 650 if the fever is above 100 F.",
    "ECG shows sinus rhythm at {p} bpm, QTc {q} ms, no ST changes.",
    "Stage {k} chronic kidney disease: avoid NSAIDs and keep potassium below 5.{c} mEq/L.",
    "Grave disease and Addison disease can coexist; check cortisol at 8 am.",
    "In {pc}% of cases the rash resolves within 2 weeks without treatment.",
    "Vitamin D {vd} ng/mL is low; take cholecalciferol 60,000 IU weekly for 8 weeks.",
    "ICD-10 E11.{k} and I10; CPT 99213 for the follow-up visit.",
    "Dr. Reddy's and Cipla make generic versions of this inhaler.",
    "Visual acuity 6/{va} in the right eye and 20/20 in the left.",
    "Gleason 3+4=7 adenocarcinoma, PSA {ps}.{c} ng/mL, T2N0M0.",
]
RESEARCH = [
    "Between January {y1} and December {y2}, {N} consecutive patients were enrolled at {k} centres.",
    "From March {y1} to June {y2}, we retrospectively reviewed {N} charts.",
    "Patients aged {a1} to {a2} years (median {m}) were randomised 1:1 to the two arms.",
    "The trial was registered at ClinicalTrials.gov (NCT0{nct}).",
    "Lipase (EC 3.1.1.{k}) activity was measured at 37 C in triplicate.",
    "Methods followed the WHO manual (ISBN 978924{isbn}).",
    "Smith et al. reported a hazard ratio of 0.{k}{c} (95% CI 0.{c}{k}-0.9{k}) in {y1}.",
    "Survival at 5 years was {pc}% (p = 0.0{k}); follow-up ended in {y2}.",
    "Data were analysed with SPSS version 2{k}.0 and R 4.{c}.{k}.",
    "The cohort included {N} women aged 90 years and older from {k} nursing homes.",
    "Samples were stored at -80 C between {y1} and {y2} and thawed once.",
    "A total of {N} abstracts published from {y1} through {y2} were screened.",
    "Enrollment took place during {y1}, {y2}, and {y3} in two academic hospitals.",
    "Serum IL-6 was higher in the ICU group (median {m} pg/mL, IQR {a1}-{a2}).",
    "Correspondence should be addressed to the Department of Medicine, University Hospital.",
]
REGULATORY = [
    "Submit comments to the Dockets Management Staff (HFA-305), Food and Drug Administration, 5630 Fishers Lane, "
    "Rm. 1061, Rockville, MD 20852.",
    "For questions regarding this draft document, contact the Division of Drug Information at 855-543-3784 or "
    "druginfo@fda.hhs.gov.",
    "Additional copies are available from the Office of Communications, Division of Drug Information, "
    "10001 New Hampshire Ave., Hillandale Bldg., 4th Floor, Silver Spring, MD 20993-0002; Phone: 301-796-3400.",
    "Section 11.10(e) requires secure, computer-generated, time-stamped audit trails.",
    "Comments may be submitted under docket number FDA-2017-D-{dk}.",
    "This guidance was issued on {mo} {day}, {y2} and supersedes the version of {y1}.",
    "See 21 CFR 211.{k}8 and 21 CFR part 820, subpart C.",
    "Annex 11 of EudraLex Volume 4 applies to all forms of computerised systems used as part of GMP regulated "
    "activities.",
    "ICH Q9(R1) was adopted by the ICH Assembly on {day} January 2023.",
    "Requests may be sent to industry.biologics@fda.hhs.gov or to the CBER Office at 1-800-835-4709.",
    "The WHO Technical Report Series, No. 9{k}7, Annex {c} (ISBN 978 92 4 {isbn3}).",
    "Records shall be retained for at least 1 year after the expiration date of the batch.",
    "Paragraph 4.{k} describes the qualification of the HVAC system; see Table {c}.",
    "Federal Register / Vol. 8{k}, No. 1{c}{k} / page 4{k}{c}{k}{c}.",
    "European Medicines Agency, Domenico Scarlattilaan 6, 1083 HS Amsterdam, The Netherlands.",
]


def fill(template):
    y1 = R.randint(1995, 2015)
    return template.format(
        s=R.randint(100, 180), d=R.randint(60, 110), p=R.randint(55, 120), o=R.randint(88, 100),
        mg=R.choice([250, 500, 650]), k=R.randint(1, 9), a=R.randint(5, 12), g=R.randint(80, 300),
        c=R.randint(0, 9), e=R.randint(15, 120), t=R.randint(5, 40), u=R.choice([25, 50, 75, 100]),
        age=R.randint(18, 89), pl=R.randint(90, 450), w=R.randint(4, 19), w2=R.randint(1, 9),
        h=R.randint(0, 6), h2=R.randint(0, 9), q=R.randint(380, 500), pc=R.randint(5, 95),
        vd=R.randint(6, 30), va=R.choice([6, 9, 12, 18, 24]), ps=R.randint(2, 30), y1=y1,
        y2=R.randint(y1 + 1, 2024), y3=R.randint(y1 + 2, 2025), N=R.randint(30, 5000), a1=R.randint(18, 40),
        a2=R.randint(60, 95), m=R.randint(40, 70), nct=n(7), isbn=n(6), isbn3=nz(6), dk=n(4),
        mo=R.choice(MONTHS), day=R.randint(1, 28))


def phi_free():
    out = []
    for kind, templates, each in (("clinical", CLINICAL, 12), ("research", RESEARCH, 14),
                                  ("regulatory", REGULATORY, 14)):
        seen = set()
        for t in templates:
            for _ in range(each):
                text = fill(t)
                if text not in seen:
                    seen.add(text)
                    out.append({"text": text, "kind": kind})
    # real text: the sentences of the MedQA test rows and PubMedQA abstracts in tests/real
    real = HERE.parent / "real"
    for line in (real / "medqa_test_rows.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out += [{"text": s, "kind": "clinical"} for s in _sentences(row["question"])]
    for row in json.loads((real / "pubmedqa_pqal_rows.json").read_text(encoding="utf-8")).values():
        for passage in [*row["CONTEXTS"], row["LONG_ANSWER"]]:
            out += [{"text": s, "kind": "research"} for s in _sentences(passage)]
    return out


def _sentences(text):
    import re

    return [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z0-9])", text.replace("\n", " ")) if len(s) > 20]


def main():
    msgs = patient_messages()
    free = phi_free()
    for name, rows in (("patient_messages.jsonl", msgs), ("phi_free.jsonl", free)):
        with open(HERE / name, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    ids = sum(len(m["phi"]) for m in msgs)
    print(f"{len(msgs)} patient messages, {ids} identifiers; {len(free)} PHI-free texts")


if __name__ == "__main__":
    main()
