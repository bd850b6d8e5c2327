"""PHI scrubber: every Safe Harbor type it claims is replaced, and clinical text is left alone."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imi_lib.data import phi

# (text, the PHI that must disappear, the type it is counted as)
POSITIVE = [
    # names in greetings, titles, sign-offs, self-introductions and labels
    ("Hi Dr. Smith, my knee hurts.", "Smith", "NAME"),
    ("Hello Dr Ilir Sharka, thanks.", "Ilir Sharka", "NAME"),
    ("Consulted Dr. A. K. Sharma last week.", "Sharma", "NAME"),
    ("Dear John,\nI have a cough.", "John", "NAME"),
    ("hi Rahul, the rash is eczema", "Rahul", "NAME"),
    ("Hi Margaret. Palpitations after coffee are often harmless.", "Margaret", "NAME"),
    ("Hello Mrs. O'Brien, your results are normal.", "O'Brien", "NAME"),
    ("My name is Mary Jones and I have asthma.", "Mary Jones", "NAME"),
    ("my name is rahul and I am 25", "rahul", "NAME"),
    ("I am Rahul, 32 years old, with fever.", "Rahul", "NAME"),
    ("I'm Priya (28) and pregnant.", "Priya", "NAME"),
    ("Dear doctor, I am John Okafor, MRN 4478213.", "John Okafor", "NAME"),
    ("Myself Anil, 45, from Pune.", "Anil", "NAME"),
    ("this is Kavya, 30, I have a rash", "Kavya", "NAME"),
    ("Thanks, Priya", "Priya", "NAME"),
    ("Take rest and fluids.\nRegards,\nDr. Mary Jones", "Mary Jones", "NAME"),
    ("Thanks and regards, Sunil.", "Sunil", "NAME"),
    ("Patient name: Robert Brown", "Robert Brown", "NAME"),
    ("Please see Doctor Watson, he is good.", "Watson", "NAME"),
    # contact details
    ("Write to me at mary.jones+clinic@example.co.uk please.", "mary.jones+clinic@example.co.uk", "EMAIL"),
    ("Call (555) 123-4567 today.", "(555) 123-4567", "PHONE"),
    ("Call 555-123-4567 today.", "555-123-4567", "PHONE"),
    ("Call 555.123.4567 today.", "555.123.4567", "PHONE"),
    ("Toll free 1-800-555-0199.", "1-800-555-0199", "PHONE"),
    ("London office +44 20 7946 0958.", "+44 20 7946 0958", "PHONE"),
    ("My mobile is +91-98765-43210.", "+91-98765-43210", "PHONE"),
    ("WhatsApp me on 9876543210.", "9876543210", "PHONE"),
    ("Fax: 555-1234 for records.", "555-1234", "PHONE"),
    ("Records office.\nFax: 555-1234", "555-1234", "PHONE"),
    ("call me at 867 5309 tonight", "867 5309", "PHONE"),
    # government and medical identifiers
    ("SSN 123-45-6789 on file.", "123-45-6789", "SSN"),
    ("Social security number: 123456789.", "123456789", "SSN"),
    ("MRN: 1234567", "1234567", "MRN"),
    ("Medical record #A-7654321 attached.", "A-7654321", "MRN"),
    ("Patient ID 00453321 was admitted.", "00453321", "MRN"),
    ("UHID 20231145 at the front desk.", "20231145", "MRN"),
    ("Account number: 99887766.", "99887766", "ACCOUNT"),
    ("Health plan beneficiary number: HP-55512345.", "HP-55512345", "ACCOUNT"),
    ("Policy # XYZ-123456 covers it.", "XYZ-123456", "ACCOUNT"),
    ("Member ID W123456789 on the card.", "W123456789", "ACCOUNT"),
    ("Driver's license number D1234-5678 was shown.", "D1234-5678", "ID"),
    ("Aadhaar 1234 5678 9012 is linked.", "1234 5678 9012", "ID"),
    # addresses
    ("I live at 42 Birchwood Lane, Springfield.", "42 Birchwood Lane, Springfield", "ADDRESS"),
    ("Send it to 12 Oak Street, Apt 4, Springfield, IL 62704.", "12 Oak Street, Apt 4, Springfield, IL 62704", "ADDRESS"),
    ("Mail: P.O. Box 1234.", "P.O. Box 1234", "ADDRESS"),
    ("We moved to Boston, MA 02115 last year.", "Boston, MA 02115", "ADDRESS"),
    # dates other than the year
    ("Admitted on 03/14/2021 with pneumonia.", "03/14/2021", "DATE"),
    ("Seen 14.03.2021 in clinic.", "14.03.2021", "DATE"),
    ("Seen 3/4/21 in clinic.", "3/4/21", "DATE"),
    ("Surgery on 2021-03-14 went well.", "2021-03-14", "DATE"),
    ("Born March 14, 2021 at term.", "March 14, 2021", "DATE"),
    ("Seen on Mar 14th for review.", "Mar 14th", "DATE"),
    ("Discharged 14 Mar 2021.", "14 Mar 2021", "DATE"),
    ("Biopsy on the 14th of March showed no tumour.", "14th of March", "DATE"),
    ("Symptoms since March 2021.", "March 2021", "DATE"),
    # web and network
    ("See https://clinic.example.org/patients/42?id=7 for details.", "https://clinic.example.org/patients/42?id=7", "URL"),
    ("Visit www.example.com/portal.", "www.example.com/portal", "URL"),
    ("Logged in from 192.168.10.24 yesterday.", "192.168.10.24", "IP"),
    # identifier shapes of many countries, with or without a label
    ("Card number 4111 1111 1111 1111 was charged twice.", "4111 1111 1111 1111", "ACCOUNT"),  # Luhn-valid
    ("Paid with 5500-0000-0000-0004 at the lab.", "5500-0000-0000-0004", "ACCOUNT"),
    ("Ring me on 00971 50 123 4567 after six.", "00971 50 123 4567", "PHONE"),
    ("Office line 04-2345 6789, ask for the nurse.", "04-2345 6789", "PHONE"),
    ("Landline (03) 5555 0123 in the evening.", "(03) 5555 0123", "PHONE"),
    ("My IC is 880101-14-5566 and the clinic wants it.", "880101-14-5566", "ID"),
    ("Her national ID number is 19850312-4471.", "19850312-4471", "ID"),
    ("Hospital no. RMH/OP/20417 on the discharge card.", "RMH/OP/20417", "MRN"),
    ("The admission number ADM/24/99120 is on the file.", "ADM/24/99120", "MRN"),
    ("My case no. 3318/22 at the district hospital.", "3318/22", "MRN"),
    ("Insulin pump (serial QX7731942K) alarms at night.", "QX7731942K", "ID"),
    ("Transmitter SN 7HQ3M2 drops the signal.", "7HQ3M2", "ID"),
    ("Medicare number 3AB7-CD9-EF12 on the new card.", "3AB7-CD9-EF12", "ACCOUNT"),
    ("NI number is QQ 12 34 56 C for the sick note.", "QQ 12 34 56 C", "ID"),
    ("Car no. MH 12 AB 3456 was towed after the crash.", "MH 12 AB 3456", "ID"),
    ("PAN ABCDE1234F for the insurance claim.", "ABCDE1234F", "ID"),
    ("The group number 7741903 is on the back.", "7741903", "ACCOUNT"),
    # ages over 89 in words and after a person and a verb
    ("my grandmother is 96 and stopped eating", "96", "AGE"),
    ("He turned 91 last week and fell twice.", "91", "AGE"),
    ("Nana's 93 and very forgetful now.", "93", "AGE"),
    ("my father is ninety-four and has a cough", "ninety-four", "AGE"),
    ("a hundred and two years old and still walking", "a hundred and two", "AGE"),
    # dates in more shapes
    ("Vaccinated on 5-7-22 at the health centre.", "5-7-22", "DATE"),
    ("Operated 4-23-24, pain since.", "4-23-24", "DATE"),
    ("admitted on the 2nd of june with dengue", "2nd of june", "DATE"),
    ("Next review Tue 8/13 with the surgeon.", "8/13", "DATE"),
    ("the stitches came out on 14/11 and it still oozes", "14/11", "DATE"),
    ("her last period was on 22 august, now late", "22 august", "DATE"),
    ("My grandad is 97 and has swollen ankles.", "97", "AGE"),
    ("Auntie (she's ninety-two) cannot swallow tablets.", "ninety-two", "AGE"),
    ("email p.martin (at) free (dot) fr for the report", "p.martin (at) free (dot) fr", "EMAIL"),
    ("We are in Sao Paulo, call (21) 99876-5432 anytime.", "(21) 99876-5432", "PHONE"),
    ("reach my husband on 0176 98765432 in Berlin", "0176 98765432", "PHONE"),
    # addresses after what announces them, dwellings, postcodes
    ("My address is Plot 7, Lake Road, Entebbe. Malaria again?", "Plot 7, Lake Road, Entebbe", "ADDRESS"),
    ("We live at 14 Jalan Ampang, Kuala Lumpur and the clinic is far.", "14 Jalan Ampang, Kuala Lumpur", "ADDRESS"),
    ("I live in Calle Mayor 12, 28013 Madrid.", "Calle Mayor 12, 28013 Madrid", "ADDRESS"),
    ("Our flat is at Block C, Sunrise Towers, Sector 4. Is a home visit possible?",
     "Block C, Sunrise Towers, Sector 4", "ADDRESS"),
    ("We stay in Flat 12B, Green Park, Ring Road now.", "Flat 12B, Green Park, Ring Road", "ADDRESS"),
    ("Postcode EC1A 1BB, is that in your area?", "EC1A 1BB", "ADDRESS"),
    ("Postal code M5V 2T6 if that helps.", "M5V 2T6", "ADDRESS"),
    ("Near Andheri East, Mumbai 400069 please.", "400069", "ADDRESS"),
    ("Send it to 9 Hill Street, Parkville VIC 3052.", "3052", "ADDRESS"),
    # contacts and names in more shapes
    ("mail me at asha.k92 @ yahoo . com please", "asha.k92 @ yahoo . com", "EMAIL"),
    ("My IPv6 address was fe80:0:0:0:200:f8ff:fe21:67cf on the log.", "fe80:0:0:0:200:f8ff:fe21:67cf", "IP"),
    ("hi its Thandeka from Soweto, my cough is back", "Thandeka", "NAME"),
    ("My uncle Mr. Balasubramaniam Iyer aged 70 has gout.", "Balasubramaniam Iyer", "NAME"),
]


@pytest.mark.parametrize("text, secret, kind", POSITIVE, ids=[f"{k}:{s}" for _, s, k in POSITIVE])
def test_phi_is_replaced_and_counted(text, secret, kind):
    counts = {}
    out = phi.scrub(text, counts)
    assert secret not in out, out
    assert phi.PLACEHOLDERS[kind] in out, out
    assert counts.get(kind, 0) >= 1, counts


def test_ages_over_89_are_aggregated():
    counts = {}
    assert phi.scrub("My grandmother is 94 years old.", counts) == "My grandmother is 90+ years old."
    assert phi.scrub("A 101-year-old man.", counts) == "A 90+-year-old man."
    assert counts == {"AGE": 2}
    assert phi.scrub("A 65-year-old man; she is 89 yrs.") == "A 65-year-old man; she is 89 yrs."


@pytest.mark.parametrize("text,kept", [
    ("Father: 91. Mother: 86. Both on metformin.", "Father: 90+. Mother: 86."),  # a relative's label and its age
    ('The note said "Pt 96M, sepsis, GCS 13/15".', '"Pt 90+M, sepsis'),  # a case note's patient, age and sex
    ("An old man of about 95 in our village has a swelling on his neck.", "man of about 90+ in"),
    ("Is a blood pressure of 100/60 low for a woman of 90?", "woman of 90+?"),
    ("My father was born 1933 in Madeira, now 92, and has a sore heel.", "Madeira, now 90+, and"),
    ("Señora Pérez, edad 98, vive en una residencia.", "edad 90+, vive"),  # other languages' age labels
    ("Geburtsdatum unbekannt, Alter 94, Herzinsuffizienz.", "Alter 90+, Herz"),
    ("Hi, my obaachan is 95 and was in hospital until Monday.", "obaachan is 90+ and"),  # kin of other languages
    ("My tía is 97 and has a chest infection.", "tía is 90+ and"),
    ("My great aunt is pushing 95 and her feet are swollen.", "pushing 90+ and"),  # an approximate age
    ("My granny is approx 96, nobody knows exactly.", "approx 90+,"),
    ("My great-grandma is over 100 and her toes have turned black.", "over 90+ and"),
    ("Daughter here. Mom, 94, moved to memory care last week.", "Mom, 90+, moved"),  # a relative opening a sentence
    ("Carer's log: Mrs K (96) BP 132/78, HR 88.", "Mrs K (90+)"),  # a title and an initial
    ("Home visit note: Mrs Q, 96, pulse 92.", "Mrs Q, 90+, pulse 92"),
    ("My 90-y-o mother's medication review is on Friday.", "90+-y-o"),
])
def test_ages_over_89_after_labels_case_notes_and_birth_years(text, kept):
    assert kept in phi.scrub(text)
    assert phi.scrub_batch([[text]]) == [[phi.scrub(text)]]


@pytest.mark.parametrize("text,value", [
    ("Intake form. Age (yrs): 96. Allergies: none.", "96"),  # a form's other label shapes
    ("Patient details / Age - 103 / Ward 4", "103"),
    ("Age at death = 91, cause unknown.", "91"),
    ("his age is recorded as 94 in the GP notes", "94"),
    ("Resident aged approximately ninety-six, frail.", "ninety-six"),  # a label and a word of approximation
    ("Patient aged ~98 with a sacral sore.", "98"),
    ("my aunt insists she is really 93", "93"),  # "really" after a verb of being
    ("Lolo ko ay 101 na po, may ubo siya.", "101"),  # Tagalog "ay"
    ("Pitaji is almost 96 and forgets his tablets.", "96"),  # kin words of India
    ("She'll be a hundred and two on Sunday and wants cake.", "a hundred and two"),  # "'ll be"
    ("our uncle is in his mid-90s and falls a lot", "90s"),  # a person's decade
    ("Grandad, now in his late nineties, has a cough.", "nineties"),
    ("We celebrated my gran's 103rd b-day at the home.", "103"),  # a birthday, shortened
    ("My grandfather passed away at 96 last spring.", "96"),  # a death at an age
    ("Our neighbour died aged about ninety-eight.", "ninety-eight"),
    ("At 97, my mother still gardens daily.", "97"),  # an age opening a sentence before its person
    ("Visit went well. At ninety-two, he walks with a frame.", "ninety-two"),
    ('Mum keeps saying she is "ninety-one and counting".', "ninety-one"),  # in quotes
])
def test_ages_over_89_in_forms_decades_deaths_and_sentence_openings(text, value):
    out = phi.scrub(text)
    assert value not in out and "90+" in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "In the 90s, cholesterol targets were looser.", "Her sats were in the low 90s overnight.",
    "Her BP dropped to the 90s after the diuretic.", "Nineties music helps him sleep.",
    "At 95, the SpO2 was acceptable.", "At 100 mg the rash came back.", "The pump alarm died at 95% battery.",
    "Age group 90-99 was excluded.", "Ceftriaxone 1 g, lot K2210, exp 2027-01-31.",
    "Insulin pen, batch 7Q31X, use by 15/03/2027.", "Product licence PL 04569/0123 for the tablets.",
    "A man of 95 kg with a BMI of 31.", "Pt 96% on room air, pulse 92.", "Born 1990, now 95 kg after the diet.",
    "Mother: 100 mg at night.", "Patient 95 F temperature this morning.", "Father: 45. Mother: 44.",
    "SpO2: 96. HR: 92.", "Women of 90 and over were excluded from the cohort of 1,200.",
    "My mum's sugar is 100 after lunch.", "My mum's sugar is over 100 after lunch.", "my dad pulse is 96",
    "Her sugar is about 100.", "My dad is about 95 kg.", "Results. Dad, 100 mg twice daily.", "I saw Mr A, 95% sure.",
    "Sintrom 4 mg: 1 tablet Mon/Wed/Fri, 1/2 tablet other days.",  # a fraction of a dose after a weekday
])
def test_readings_and_weights_near_those_contexts_stay(text):
    assert phi.scrub(text, scope="patient") == text


def test_a_full_date_after_an_expiry_word_is_a_product_s_only_after_a_lot():
    assert phi.scrub("Ceftriaxone 1 g, lot K2210, exp 2027-01-31.") == "Ceftriaxone 1 g, lot K2210, exp 2027-01-31."
    assert phi.scrub("My health card expires 12/05/2027.") == "My health card expires [DATE]."
    assert phi.scrub("Card expires 2027-05-12, a lot of trouble to renew.") == (
        "Card expires [DATE], a lot of trouble to renew.")


def test_a_disease_named_after_a_person_after_a_diagnosis_word_is_no_name():
    assert phi.scrub("Bilirubin total 2.4 mg/dL, direct 0.3 - unconjugated, likely Gilbert.") == (
        "Bilirubin total 2.4 mg/dL, direct 0.3 - unconjugated, likely Gilbert.")
    assert phi.scrub("query Addison, check a morning cortisol") == "query Addison, check a morning cortisol"
    assert phi.scrub("My son Gilbert has a fever.") == "My son [NAME] has a fever."


def test_only_the_name_words_are_replaced():
    assert phi.scrub("Hi Dr. Smith, call me at 555-123-4567.") == "Hi Dr. [NAME], call me at [PHONE]."
    assert phi.scrub("Dear Sir John, my child has fever.") == "Dear Sir [NAME], my child has fever."
    assert phi.scrub("Regards,\nDr. Ilir Sharka, General & Family Physician") == (
        "Regards,\nDr. [NAME], General & Family Physician")


CLINICAL = [
    # look-alikes of the identifier shapes above
    "BP 130/90 and sugar is 110 fasting; HbA1c 7.1.",
    "He is 95 kg and his pulse was 92 on room air.",
    "G3P2L2 at 34 weeks with a BP of 150/100.",
    "Visual acuity 6/9 in the right eye, 6/12 in the left.",
    "Take 1-0-1 for 5 days, then 0-0-1.",
    "The ratio was 1/1000 and the dilution 1:100.",
    "I live with my parents and my brother.",
    "Vitamin D3 60000 IU once a week for 8 weeks.",
    "BP 120/80 mmHg, pulse 88/min, SpO2 97%.",
    "Take paracetamol 500 mg twice daily for 5 days, then 1/2 tablet at night.",
    "HbA1c 6.5%, creatinine 1.2 mg/dL, TSH 4.5 mIU/L, platelets 150000/uL, WBC 11,000.",
    "ICD-10 E11.9 and I10; CPT 99213.",
    "Diagnosed in 2019 and again in 2021; guideline updated 2023.",
    "Dr. Reddy's and Dr. Scholl's make these products.",
    "Hi doctor, I have a headache.",
    "Hello, Thanks for your query. Hope this helps. Take care.",
    "Thank you. Regards.",
    "Thanks, Doctor.",
    "Dear Sir/Madam, please advise.",
    "I am Indian, 32 years old.",
    "I am diabetic and hypertensive.",
    "This is a common problem.",
    "May 5 mg be enough for a child?",
    "A 45-year-old woman presents with fever of 38.5°C for 3 days.",
    "Give 0.5 mL of 1:1000 adrenaline IM; repeat every 5-15 min.",
    "Dosing schedule 1-0-1 after food, 10-20 units at bedtime.",
    "Normal range 3.5-5.0 mEq/L; ratio 2:1; visual acuity 6/6 and 20/20.",
    "Stage 2 hypertension (140/90) in a 62 year old.",
    "Tablet Dolo 650 three times a day; Crocin 500.",
    "Delhi, Ram said the pain improved.",
    "The patient weighs 70 kg and is 170 cm tall; BMI 24.2.",
    "Hemoglobin 13.5 g/dL, ESR 20 mm/hr, CRP 12 mg/L, Vitamin D 18 ng/mL.",
    "ECG showed sinus rhythm at 72 bpm; QTc 440 ms.",
    "Version 1.2.3 of the guideline; section 4.2.1.",
    "Gleason 3+4=7, T2N0M0, BRCA1 and BRCA2 negative.",
    "Dilute 1 vial in 100 ml NS over 30 min; 2 puffs every 4-6 hours.",
    "Call an ambulance if symptoms worsen.",
    "Record 2108972723a01e02 and build 20210314a are hex and version strings.",
    "In 95% of cases the disease resolves within 2 weeks.",
    "Platelet count 2,50,000 per cumm; TLC 8500 cells.",
    "CLINICAL TRIAL REGISTRATION: NCT00816829.",
]


@pytest.mark.parametrize("text", CLINICAL)
def test_clinical_text_is_left_alone(text):
    counts = {}
    assert phi.scrub(text, counts) == text
    assert counts == {}


def test_scrub_value_scrubs_nested_strings_only():
    counts = {}
    value = {"a": ["Call 555-123-4567", 7], "b": {"c": "Dear John,"}, "n": None}
    assert phi.scrub_value(value, counts) == {"a": ["Call [PHONE]", 7], "b": {"c": "Dear [NAME],"}, "n": None}
    assert counts == {"PHONE": 1, "NAME": 1}


def test_find_phi_spans_do_not_overlap():
    text = "Visit https://example.com/2021-03-14/report or email a.b@example.com on 03/14/2021."
    spans = phi.find_phi(text)
    assert [s[2] for s in spans] == ["URL", "EMAIL", "DATE"]
    for (_, end, _, _), (start, _, _, _) in zip(spans, spans[1:]):
        assert end <= start


def test_scrub_fields_matches_scrub_per_text():
    texts = ["Hi Dr. Smith, call 555-123-4567.\nThanks, Priya", "hi john, your MRN: 1234567 is ready",
             "BP 120/80.", "Regards,\nDr. Mary Jones"]
    counts_each, counts_joined = {}, {}
    assert phi.scrub_fields(texts, counts_joined) == [phi.scrub(t, counts_each) for t in texts]
    assert counts_joined == counts_each
    assert phi.scrub_fields(["a", "b"]) == ["a", "b"]


def _varied_texts():
    """Every test sentence alone, embedded mid-text, at a line start, and lower-cased."""
    import random

    base = [t for t, _, _ in POSITIVE] + CLINICAL + [
        "hi Rahul, the rash is eczema", "Hello Priya.\nUse the cream.", "14 Mar", "on 3 May 2020 and 5 May",
        "Suite 4, 221 Baker Street, London", "Aged 95 years.", "(ddd) 12", "+1", "Call +1 (555) 123-4567 now",
    ]
    rng = random.Random(5)
    out = []
    for t in base:
        out += [t, f"Note: {t} End of note.", f"First line.\n{t}\nLast line.", t.lower(), t.upper()]
    for _ in range(200):
        out.append(" ".join(rng.sample(base, 3)))
    return out


def test_prefilters_cover_every_match_and_batch_equals_scrub():
    texts = _varied_texts()
    digit_starts, cue_starts = phi.prefilter(texts)
    for text, d, c in zip(texts, digit_starts, cue_starts):
        # scanning each pass from where its prefilter says (None: skipped) finds what a full scan finds
        assert phi.find_phi(text, digit_pos=d, cue_pos=None) == phi.find_phi(text, cue_pos=None), text
        assert phi.find_phi(text, digit_pos=None, cue_pos=c) == phi.find_phi(text, digit_pos=None), text
    records = [texts[i:i + 2] for i in range(0, len(texts) - 1, 2)]
    counts_batch, counts_each = {}, {}
    assert phi.scrub_batch(records, counts_batch) == [[phi.scrub(t, counts_each) for t in r] for r in records]
    assert counts_batch == counts_each
    # the prefilters do filter
    assert digit_starts.count(None) > len(texts) / 4 and cue_starts.count(None) > len(texts) / 4


@pytest.mark.parametrize("first,second", [
    # a capitalised word ending the first field: the end-of-field passes (bare names, sign-offs, lower-case names)
    # used to look past the field's end in a batch (both found by test_prepare_robustness)
    ("jane.doe@example.com 0000000000000000 0 000. AAaA", "0000000000000000 0 000. AAaA"),
    ("thresholdHi \ufffd\n:8/ 9214 /851\nat\n555-123-4567\n0981IA\x943\ufffd\xc1\x90\x9bN\xf0\x87z)\n:\xe2\no,:P.O. BoxDr.",
     "0981IA\x943\ufffd\xc1\x90\x9bN\xf0\x87z)\n:\xe2\no,:P.O. BoxDr.thresholdHi \ufffd\n:8/ 9214 /851\nat"),
])
def test_a_name_ending_the_first_field_is_found_in_a_batch_too(first, second):
    assert phi.scrub_batch([[first, second]]) == [[phi.scrub(first), phi.scrub(second)]]
    assert phi.scrub(first).endswith("[NAME].") or phi.scrub(first).endswith("[NAME]")


# each field of a record is scrubbed as its own text: what a field ends or starts with is decided as at the end or
# start of a text scrubbed alone, whatever the fields beside it hold (found by scrubbing every text of tests/phi_eval
# with a question after it and before it; each case failed when fields were scrubbed joined)
@pytest.mark.parametrize("field", [
    "Tesfaye",  # a bare name that is the whole field
    "Good morning sir. Myself Venkatesh",
    "Can we come tomorrow? Sami, 03 987 654",
    "My son Minh Khoa has a fever for 4 days and red eyes and red lips. Could it be Kawasaki",
    "hi doc, im worried about my boy jayden. he fell off his bike and hit his head",
])
@pytest.mark.parametrize("other", ["What should I do?", "Thanks", "Rangi said hello."])
def test_a_field_is_scrubbed_as_when_it_is_alone_whatever_is_beside_it(field, other):
    alone = phi.scrub(field)
    assert phi.scrub_batch([[field, other]]) == [[alone, phi.scrub(other)]]
    assert phi.scrub_batch([[other, field]]) == [[phi.scrub(other), alone]]
    assert phi.scrub_fields([other, field, other]) == [phi.scrub(other), alone, phi.scrub(other)]


def test_myself_and_a_name_ending_the_text_is_the_writers_name():
    assert phi.scrub("Good morning sir. Myself Venkatesh") == "Good morning sir. Myself [NAME]"
    assert phi.scrub("sir myself venkatesh") == "sir myself [NAME]"
    assert phi.scrub("I did it all by myself Sunday") == "I did it all by myself Sunday"


def test_literal_gate_keeps_emails_urls_and_domains_in_batches():
    """scrub_batch skips the email/URL/domain passes for texts the batch gate rules out; none may slip through."""
    planted = ["write to j.doe+clinic@mail.example.org today", "see www.my-clinic.net/forms?id=7",
               "https://portal.hospital.com/records", "results at labs.example.edu/abc", "ftp://files.example.gov/x"]
    plain = ["BP 120/80, HR 88.", "Take 5 mg at night.", "e.g. rest, fluids", "dose 2.5 ml.com", "version 1.2.3"]
    records = [[p, q] for p, q in zip(planted, plain)] + [[q] for q in plain]
    counts_batch, counts_each = {}, {}
    out = phi.scrub_batch(records, counts_batch)
    assert out == [[phi.scrub(t, counts_each) for t in r] for r in records]
    assert counts_batch == counts_each
    for (scrubbed, _), original in zip(out, planted):
        assert "example" not in scrubbed and "clinic." not in scrubbed and "hospital.com" not in scrubbed, scrubbed
    assert counts_batch.get("EMAIL") == 1 and counts_batch.get("URL", 0) >= 4


def test_a_phone_candidate_rejected_in_a_document_does_not_hide_an_ssn_inside_it():
    # found by the property test: "0000-000 123" reads as a phone, which a document keeps,
    # and the scan must not skip past the SSN that starts inside it
    from imi_lib.data import phi

    assert phi.scrub_batch([["0000-000 123-45-6789"]], scope="document") == [["0000-000 [SSN]"]]


def test_a_phone_read_inside_a_longer_digit_run_takes_the_rest_of_the_run_with_it():
    # found by the property test: "60000 07700" reads as a phone and left the UK mobile's "900123"
    from imi_lib.data import phi

    (out,), = phi.scrub_batch([["60000 07700 900123"]])
    assert "900123" not in out and out.startswith("[PHONE]")


def test_what_announces_an_identifier_is_never_looked_for_in_the_field_before():
    # a record's fields are scrubbed together; each must come out as if scrubbed alone
    for fields in (["I am writing about my mother", "is 92 a normal sugar reading after food?"],
                   ["We moved the sofa to our new home", "The clinic is at the end of our road, 2 streets away."],
                   ["She said grandma", "turned 95 degrees on the thermostat"]):
        assert phi.scrub_batch([fields]) == [[phi.scrub(t) for t in fields]], fields



def test_a_small_decimal_after_a_label_word_is_a_measurement_not_an_identifier():
    # "group ... was" reads as a weak label ("group number was 0881424"); a decimal is a measurement
    assert phi.scrub("The mean age of the 90+ group was 93.1 years.") == "The mean age of the 90+ group was 93.1 years."
    assert phi.scrub("My group number was 0881424.") == "My group number was [ACCOUNT]."


# ---- codes no label names (the twelfth round) -------------------------------------------------------------------

@pytest.mark.parametrize("text,code", [
    ("Prior auth #PA-55102993 for Ozempic was denied.", "PA-55102993"),
    ("my appointment reference is APT-88120, can I move it?", "APT-88120"),
    ("the hospital gave me the wrong number on the letter, mine is 40028817 not 40028871", "40028817"),
    ("Clinic no. for him is 2025-PD-3391.", "2025-PD-3391"),
    ("住院卡: ZY20240315; they gave me a lot of tablets.", "ZY20240315"),  # (住院号, the inpatient number: an MRN)
    ("Inpatient No.: 2023-11-0456; Diagnosis: pneumonia", "2023-11-0456"),
    ("The case number from the travel insurer is TR-4417/25.", "TR-4417/25"),
])
def test_a_code_no_label_names_is_scrubbed_in_patient_text(text, code):
    out = phi.scrub(text, {}, "patient")
    assert code not in out and "[ID]" in out
    assert phi.scrub_batch([[text]]) == [[out]]
    assert code in phi.scrub(text, {}, "document")  # exam questions, abstracts, guidances keep their numbers


@pytest.mark.parametrize("text", [
    "BP 150/100, Na 135-145 mmol/L, co-amoxiclav 875/125 mg twice daily.",
    "Continue Biktarvy 50/200/25 mg once daily; viral load 48000000 copies/mL.",
    "The tablet strip says Lot No. B24117 and Exp 08/2027.",
    "NDC 0002-7510-01 is on my insulin box.",
    "LOINC 4548-4 haemoglobin A1c; SNOMED CT 38341003 hypertensive disorder.",
    "Platelet count 100000/cumm, vitamin D 50000IU weekly.",
    "My MTHFR result is rs1801133 heterozygous.",
    "The trial NCT01234567 is recruiting in my city.",
    "I was in hospital twice, 2019-2021, and paid Rs 25000000 in all.",
    "Cefalexin 500 mg capsules, 28 caps, product code 0093-3147-01.",
    "Pharmacy: pack of 30 x 20 mg omeprazole, PZN 01234567, price EUR 12.49.",
])
def test_look_alike_codes_stay(text):
    assert phi.scrub(text, {}, "patient") == text
    assert phi.scrub_batch([[text]]) == [[text]]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["A", "PD", "x", "0", "1", "23", "456", "7890", "12345", "-", "/", " ", "#", ".",
                                 ":", "IU", "mg"]), max_size=14).map("".join))
def test_the_code_prefilter_never_hides_a_code(text):
    """CODE_PREFILTER (RE2 in a batch) must match every text in which the pass finds a code."""
    assert phi._unlabelled_codes(text, gate=True) == phi._unlabelled_codes(text, gate=None)
    if phi._unlabelled_codes(text, gate=True):
        assert phi._code_gates([text]) == [True]


# ---- phones in groups no other shape knows (the thirteenth round) -----------------------------------------------

@pytest.mark.parametrize("text,phone", [
    ("手机 138 0013 8000, please call after 6pm Beijing time", "138 0013 8000"),
    ("Can you ring my landline 09 377 4120? mobile reception is bad", "09 377 4120"),
    ("tel familia 963 45 21 87", "963 45 21 87"),
    ("Wer kann testen? Tel. 089 / 21 44 78 90", "089 / 21 44 78 90"),
    ("00 44 20 7946 0321 is my UK landline while I'm travelling", "00 44 20 7946 0321"),
    ("0033 6 12 34 56 78 is my french mobile", "0033 6 12 34 56 78"),
])
def test_a_phone_in_groups_is_scrubbed_in_patient_text(text, phone):
    out = phi.scrub(text, {}, "patient")
    assert phone not in out and "[PHONE]" in out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "Glucose readings 5.6 7.8 9.1 10.2 11.4 this week.",
    "Doses were 250 500 750 1000 mg over four days.",
    "Hb 9.8, 10.2, 11.5 over three months.",
    "Seen 12 03 2020, weighed 3.2 kg.",  # (after "born" it is a date: the thirtieth round)
    "See ISBN 978 92 4 154995 0 for the guideline.",
    "Follow-up at 10 30 and 14 45 on the ward.",
])
def test_number_series_that_are_no_phone_stay(text):
    assert phi.scrub(text, {}, "patient") == text
    assert phi.scrub_batch([[text]]) == [[text]]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["0", "12", "345", "6789", "12345", " ", "  ", "-", ".", "/", " / ", "+", "x", "mg",
                                 "a"]), max_size=16).map("".join))
def test_the_shape_prefilter_never_hides_a_phone_in_groups(text):
    assert phi._grouped_phones(text, gate=True) == phi._grouped_phones(text, gate=None)
    if phi._grouped_phones(text, gate=True):
        assert phi._code_gates([text]) == [True]


def test_the_shape_rules_find_nothing_in_real_patient_questions():
    """The real iCliniq rows in tests/real/ (patient questions and doctors' answers) hold no code or grouped phone:
    the two rules of shape replace nothing there."""
    import json
    from pathlib import Path

    rows = [json.loads(line) for line in (Path(__file__).parent / "real" / "icliniq_rows.jsonl").read_text().splitlines()]
    texts = [v for row in rows for v in row.values() if isinstance(v, str)]
    assert len(texts) > 100
    assert [t for t in texts if phi._unlabelled_codes(t) or phi._grouped_phones(t)] == []


def test_every_module_level_name_of_the_scrubber_is_bound_once():
    """The scrubber has hundreds of module-level patterns and word lists; a second binding of one name silently
    replaces the first for every rule that uses it (a rule's list changing another rule's results)."""
    import ast
    import collections
    import inspect

    tree = ast.parse(inspect.getsource(phi))
    bound = collections.Counter()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            bound.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound[node.name] += 1
    assert [name for name, n in bound.items() if n > 1] == []


@pytest.mark.parametrize("text,scrubbed", [
    ("saw dr brown on tuesday and he upped my dose", "saw dr [NAME] on tuesday"),  # a surname that is a word
    ("the nurse said nurse baker would ring back", "nurse [NAME] would ring back"),
    ("asked mr okafor at the pharmacy about it", "asked mr [NAME] at the pharmacy"),
    ("my landlady mrs. ingrid halvorsen fell over", "mrs. [NAME] fell over"),  # and a second name
    ("Dr kowalski wants bloods", "Dr [NAME] wants bloods"),
    ("the school nurse mrs greenhalgh says wash everything", "nurse mrs [NAME] says"),  # a title after a title
])
def test_a_name_in_lower_case_after_a_title_in_any_case(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "the doctor said it was nothing", "dr said to rest", "doctor sahab my cough is worse", "nurse rang to say so",
    "i drink dr pepper every day", "dr. brown's bottles helped the colic", "mr muscle fumes made me cough",
    "doctor told me to stop", "the physio gave me exercises", "miss sunshine is her favourite film",
])
def test_words_after_a_title_in_lower_case_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("tariq my son has had a cough for 2 weeks", "[NAME] my son has"),  # a name in lower case before "my" and kin
    ("sorry to bother. rashida is my wife, she has piles", "[NAME] is my wife"),
    ("pls help, esther my 4 yo daughter wont eat", "[NAME] my 4 yo daughter"),
])
def test_a_name_in_lower_case_before_my_and_a_relative(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "hello my son has a rash", "monday my son had a fever", "today my wife fainted", "hope my son's rash clears soon",
    "salam my brother has jaundice", "milo my son drinks every day",
])
def test_greetings_days_and_possessives_before_my_and_a_relative_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text", [
    "Hola, my baby has diarrhoea since we came back from holiday.",  # a greeting the gazetteer does not name
    "Kedu, my baby has diarrhoea.",  # an unknown word before ", my baby"
    "Salam, my son has a cough.",  # a greeting that is a first name too
    "Shalom, my daughter cannot sleep.",
    "We celebrate Thanksgiving and I always get heartburn afterwards.",  # a feast before "and I"
    "We celebrate Diwali and I get migraines from the fireworks.",
    "My doctor prescribed Eliquis and I bruise easily now.",  # a medicine before "and I"
    "Just started on Citalopram and I feel sick.",
])
def test_greetings_feasts_and_medicines_are_no_names(text):
    assert phi.scrub(text) == text
    assert phi.scrub_batch([[text]]) == [[text]]


@pytest.mark.parametrize("text,scrubbed", [
    ("Maria, my baby has a cough.", "[NAME], my baby"),  # a name, not a greeting, before ", my baby"
    ("Hi\nSalam, my son Ali has a cough.", "my son [NAME] has"),
    ("Maria and I went to the clinic.", "[NAME] and I went"),
    ("Hi, it is Mwajuma again, the pain is worse.", "it is [NAME] again"),  # "it is" introduces the writer
    ("Fenella has her wisdom teeth removed tomorrow.", "[NAME] has her"),  # a pronoun of a person after "has"
    ("Amira's allergist said she can try baked egg.", "[NAME]'s allergist"),  # a person's carer after a possessive
    ("Tomasz's physio says rest.", "[NAME]'s physio"),
])
def test_names_beside_greetings_intros_pronouns_and_carers(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "Hi, it is Monday again, the pain is worse.", "It is Paracetamol, I think.", "Boots has her prescription ready.",
    "Google has her number.", "The NHS's nurse line was busy.",
])
def test_days_medicines_and_things_beside_the_new_cues_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("hi there im rafa my whatsapp is on my profile", "im [NAME] my whatsapp"),  # the writer, then "my"
    ("hi im ngozi my belly hurts since yesterday", "im [NAME] my belly"),
    ("i think its maria my sister who has it", "its [NAME] my sister"),
])
def test_the_writer_s_name_in_lower_case_before_my(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "im frank my son is sick", "im sure my son is fine", "im sorry my english is bad", "hi im new my son has fever",
    "im sunny my mood is low",
])
def test_words_after_im_before_my_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("Femi's sickle cell doctor wants him on hydroxyurea.", "[NAME]'s sickle cell doctor"),  # a carer with a kind
    ("The X-ray said Harriet's bone age is delayed.", "[NAME]'s bone age"),
    ("Joaquim's heart surgeon called.", "[NAME]'s heart surgeon"),
    ("Clarissa's new antidepressant makes her jittery.", "[NAME]'s new antidepressant"),  # a medicine by its kind
    ("Bilal's inhaler ran out.", "[NAME]'s inhaler"),
    ("Thank you for seeing Lungile last week.", "seeing [NAME] last"),  # "seeing" takes a person
])
def test_a_persons_medicines_and_carers_with_a_kind_and_seeing(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "Saracens' team doctor said my stinger would settle.",  # a club's doctor
    "My son plays for Flamengo's youth team and has a stress fracture.",
    "There was a positive Murphy's sign the doctor said.",  # an eponym, then a clause
    "My Crohn's disease nurse called.", "Parkinson's nurse specialist visited.", "I saw the Alzheimer's team.",
])
def test_clubs_and_eponyms_before_a_kind_of_carer_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("Rutendo has worms, she is itchy at night.", "[NAME] has worms"),  # a name before a condition
    ("Yara has recurring tonsillitis.", "[NAME] has recurring"),
    ("Tui has swollen legs and is tired.", "[NAME] has swollen legs"),
    ("Fiadh gets a blotchy rash whenever she eats strawberries.", "[NAME] gets a"),
    ("hey so marcus has been vomiting since last night", "so [NAME] has been"),  # a given name opening a sentence
    ("nadia has pain in her jaw when she chews", "[NAME] has pain"),
    ("i think so. larissa has a lump in her breast", "[NAME] has a lump"),
    ("Sent from Marta's phone - she has a swollen eye.", "from [NAME]'s phone"),  # what a person writes from
    ("Nurse practitioner Dolapo put me on antibiotics.", "practitioner [NAME] put"),
])
def test_names_before_conditions_and_lower_case_openings(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "Boots has thrush cream on offer.", "Calpol has paracetamol in it.", "Amazon has lice combs.",
    "lincoln has a county hospital.", "milo is my son's favourite but is it healthy?",  # a place, a drink
    "victoria falls spray soaked us.", "glen walks are tiring since the chemo.", "siri called 999 when i fell",
    "ive been taking ashwagandha and my liver test is high", "kaiser says i need a referral",
    "will has been wetting the bed", "grace has pain",  # given names that are words stay in lower case
    "During Oktoberfest my husband drank too much and his gout flared.",
])
def test_things_places_and_words_before_what_people_do_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("Oren's knuckles are swollen and stiff in the mornings.", "[NAME]'s knuckles"),  # a possessive before a body part
    ("Rosalie's voice has been hoarse for a month.", "[NAME]'s voice"),
    ("Thanks so much from Thabo and Palesa", "from [NAME] and [NAME]"),  # thanks "from" names at the end
    ("THANK YOU SO MUCH. FROM SVETLANA", "FROM [NAME]"),
    ("Will is 12 and still wets the bed.", "[NAME] is 12"),  # the modal never comes before "is"
    ("Hope is eight months pregnant and her feet are swollen.", "[NAME] is eight"),  # an age or pregnancy in words
    ("Bill and Pearl, my grandparents, both caught the flu.", "[NAME] and [NAME], my grandparents"),
    ("is it ok for tatiana to fly when she is 34 weeks pregnant", "for [NAME] to fly"),  # lower case, no word
    ("sipho says his ear rings all the time", "[NAME] says"),
    ("please reply fast, aleksander fell from bike", "fast, [NAME] fell"),
])
def test_body_parts_thanks_from_word_names_and_names_in_lower_case(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "The doctor at Manipal said it was Pott's spine.", "Greetings from Leeds", "Thanks from all of us",
    "Will it hurt?", "The Will is being read.", "Phase is two.",
    "Is Halal meat less likely to cause food poisoning?", "Is Fairy liquid toxic if my child drank some?",
    "My daughter swallowed Play-Doh.", "My son sprayed Lynx in his eyes.", "I bought Ray-Ban sunglasses.",
    # lower-case words the name lists hold that are English words, places or things, and what a thing does too
    "the ambulance crew said it was a panic attack", "nurse rang to say so", "the ward sister on ward 7 was brilliant",
    "had roast lamb on sunday and been sick since", "the doctor at hospital italiano said the mole was benign",
    "big brother naija stresses me and my bp goes up", "my wife has been craving ice and chalk since she got pregnant",
    "the italian nonna said garlic cures everything", "the super eagles lost and my father had chest pain",
])
def test_things_words_and_lower_case_words_of_the_name_lists_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("Hemi gets red painful eyes and back pain.", "[NAME] gets red"),  # two adjectives before a body part
    ("Gabriela bruises easily and her gums bleed.", "[NAME] bruises"),
    ("Çağla is on antidepressants and wants to get pregnant.", "[NAME] is on"),
    ("Baker is my surname but my wife is the one with the itching.", "[NAME] is my surname"),
    ("Kowalczyk is the surname of the surgeon who did my knee.", "[NAME] is the surname"),
    ("Adwoa's sickle cell son has yellow eyes.", "[NAME]'s sickle cell son"),
    ("Thanks for your help. Esperanza is doing much better.", "[NAME] is doing"),
    ("Björk (yes, like the singer) has a persistent cough.", "[NAME] (yes"),
])
def test_states_verbs_and_names_said_to_be_names(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


@pytest.mark.parametrize("text", [
    "Is Milo a good drink for a child who is underweight?", "Is Zumba good exercise after a C-section?",
    "Is the CPAP from ResMed better than Philips?", "Can I do Bikram yoga with high blood pressure?",
    "Is it safe to travel to Bali with a fresh tattoo?", "Are Hula Hoops gluten free for coeliac disease?",
    "Herbalife shakes made my liver tests go up.", "Penny-sized bruises keep appearing on my legs.",
    # the words after "bruises" are no first look of a person context: these stay as they were
    "Victory over cancer, the oncologist said, but I'm still tired.", "Nick from the razor is bleeding a lot on warfarin.",
    "Yalda night with pomegranates and watermelon.",
])
def test_things_asked_about_and_nouns_that_look_like_verbs_stay(text):
    assert phi.scrub(text) == text


@pytest.mark.parametrize("text,scrubbed", [
    ("Our clinic is at 7 Station Approach, Bromley.", "[ADDRESS]"),
    ("I live at 12 Riverside View, Leeds.", "[ADDRESS]"),
    ("Flat 3, 40 Harbour Quay, Wellington.", "[ADDRESS]"),
    ("Send it to 9 Mill Wharf please.", "[ADDRESS]"),
])
def test_streets_named_approach_view_quay_and_wharf(text, scrubbed):
    out = phi.scrub(text)
    assert scrubbed in out and "Approach" not in out and "View" not in out and "Quay" not in out, out


@pytest.mark.parametrize("text", ["We had a nice view of the Quay.", "Take 2 tablets at 7 View."])
def test_street_words_without_a_number_and_name_stay(text):
    assert phi.scrub(text) == text
