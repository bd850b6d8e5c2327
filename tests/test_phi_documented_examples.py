"""Every example docs/prepare.md and tests/phi_eval/HELDOUT_IDS.md give for the rules of the third day's four
rounds and the fourth day's one (names in prose: what is a person and what is a thing; identifiers of more
countries and shapes) does what the text says it does. A rule that changes one must change the docs too."""

import pytest

from imi_lib.data import phi

# (text, scrubbed): names the rules find, and capitalised words they leave as things
NAMES = [
    # the fourth day's round: a plural noun after a name, a lone surname, a common word with a name are things
    # unless a person context says otherwise
    ("My newborn has little white bumps on the gums, the nurse called them Epstein pearls.",
     "My newborn has little white bumps on the gums, the nurse called them Epstein pearls."),
    ("Marie Curie nurses came at night for the last week.", "Marie Curie nurses came at night for the last week."),
    ("Post-op day 2 after Whipple's. Drain amylase 3x serum.", "Post-op day 2 after Whipple's. Drain amylase 3x serum."),
    ("We watched Borgen all evening and my father forgot his insulin.",
     "We watched Borgen all evening and my father forgot his insulin."),
    ("Crash Landing on You kept me up all night and now I have a migraine.",
     "Crash Landing on You kept me up all night and now I have a migraine."),
    ("During Meskel the bonfire smoke made my grandmother cough.",
     "During Meskel the bonfire smoke made my grandmother cough."),
    ("My husband has headaches, the neurologist Papadakis did a CT.",
     "My husband has headaches, the neurologist [NAME] did a CT."),
    ("Our family doctor in Kraków, dr Nowak, retired.", "Our family doctor in Kraków, dr [NAME], retired."),
    ("Dear Chaudhary ji, my daughter has been scratching at night.",
     "Dear [NAME] ji, my daughter has been scratching at night."),
    ("After the extraction by Mendoza, the dentist, my face is swollen.",
     "After the extraction by [NAME], the dentist, my face is swollen."),
    ("He has no phone so use mine (Okello).", "He has no phone so use mine ([NAME])."),
    ("Brooklyn keeps fainting; Szymański from downstairs caught her last time.",
     "[NAME] keeps fainting; [NAME] from downstairs caught her last time."),
    ("My bhuti Sipho was stabbed in the stomach last year.", "My bhuti [NAME] was stabbed in the stomach last year."),
    ("My brother Shadow Ncube has burns on his leg.", "My brother [NAME] has burns on his leg."),
    ("Coach Delroy made the boys run in the heat.", "[NAME] made the boys run in the heat."),
    ("Hi this is Daan de Vries, my daughter has a stiff neck.", "Hi this is [NAME], my daughter has a stiff neck."),
    # a surname alone opening a sentence needs a person context; with one it is still a name
    ("We drank Guinness and Jameson at the wedding.", "We drank [NAME] and [NAME] at the wedding."),
    ("Pupils 4 mm sluggish, Babinski up-going on left.", "Pupils 4 mm sluggish, Babinski up-going on left."),
    ("Murphy was positive for dengue last year.", "[NAME] was positive for dengue last year."),
    # places, towns at a run's end, institutions, pairs of things, feasts
    ("Sofia is polluted in winter and my asthma gets worse.", "Sofia is polluted in winter and my asthma gets worse."),
    ("We flew to Buenos Aires last week.", "We flew to Buenos Aires last week."),
    ("Raja Casablanca won the derby.", "Raja Casablanca won the derby."),
    ("Barys Astana hockey team.", "Barys Astana hockey team."),
    ("Levski Sofia won the league.", "[NAME] won the league."),  # the docs' counter-example: Sofia is a name
    ("Sidra Medicine in Doha delivered my baby early.", "Sidra Medicine in Doha delivered my baby early."),
    ("Claro and Movistar networks have no signal in the Andes.",
     "Claro and Movistar networks have no signal in the Andes."),
    ("Día de Reyes rosca cake, is it safe for celiacs?", "Día de Reyes rosca cake, is it safe for celiacs?"),
    ("Kurban Bayramı meat every day for a week and my gout flared.",
     "Kurban Bayramı meat every day for a week and my gout flared."),
    ("CHU Ibn Sina in Rabat did my thyroid surgery.", "CHU Ibn Sina in Rabat did my thyroid surgery."),
    ("Braxton Hicks contractions every ten minutes, is that labour?",
     "Braxton Hicks contractions every ten minutes, is that labour?"),
    # relatives, children, forms, nicknames, the writer
    ("Hello, our son River is 2 and fell from the couch.", "Hello, our son [NAME] is 2 and fell from the couch."),
    ("Please my tía Fe is diabetic and her sugar is 400 today.",
     "Please my tía [NAME] is diabetic and her sugar is 400 today."),
    ("hw far doc, my bro tunde has hiccups for 2 days nonstop",
     "hw far doc, my bro [NAME] has hiccups for 2 days nonstop"),
    ("My coworker Wednesday has a tremor when she holds her coffee.",
     "My coworker [NAME] has a tremor when she holds her coffee."),
    ("Is it normal that my baby Ocean sleeps 18 hours a day?",
     "Is it normal that my baby [NAME] sleeps 18 hours a day?"),
    ("Form: Patient name = Gulnora Ismoilova. Mother name = Nodira.",
     "Form: Patient name = [NAME]. Mother name = [NAME]."),
    ("My grandson Tim (we call him June) has a runny nose.",
     "My grandson [NAME] (we call him [NAME]) has a runny nose."),
    ("her name is Tuliana but everyone calls her Tina, she moved in with us.",
     "her name is [NAME] but everyone calls her [NAME], she moved in with us."),
    ("Doctor my son Vihaan (Aarav) is 3 and not speaking.", "Doctor my son [NAME] ([NAME]) is 3 and not speaking."),
    ("So I've been up all night with Monday (yes that's really her name) and she is floppy.",
     "So I've been up all night with [NAME] (yes that's really her name) and she is floppy."),
    ("This is Nomvula, writing for my son (6). He had tonsils out.",
     "This is [NAME], writing for my son (6). He had tonsils out."),
    ("Dear doc, Boitumelo here from Gaborone. I have a lump.", "Dear doc, [NAME] here from Gaborone. I have a lump."),
    ("hi doc, kourosh here. i have hair loss on the crown.", "hi doc, [NAME] here. i have hair loss on the crown."),
    ("My brother in law Fa'amoe had a stroke last year.", "My brother in law [NAME] had a stroke last year."),
    ("Signed, Kowhai and Tawhiri", "Signed, [NAME]"),
    ("RE: chest pain. @Brody you said it's just a pulled muscle.",
     "RE: chest pain. @[NAME] you said it's just a pulled muscle."),
]

# (text, scrubbed): identifiers of the shapes and labels the rounds added
IDENTIFIERS = [
    ("Ptn: Jane Roe, 92F, bedbound.", "Ptn: [NAME], 90+F, bedbound."),
    ("my nan is 99 and she's still on warfarin", "my nan is 90+ and she's still on warfarin"),
    ("My mother 91 came from Vietnam, she has cough 3 weeks", "My mother 90+ came from Vietnam, she has cough 3 weeks"),
    ("My great-grandmother is 104 and has a urine infection.", "My great-grandmother is 90+ and has a urine infection."),
    ("my name is Ann btw, dob 22.11.94", "my name is [NAME] btw, dob [DATE]"),
    ("MY HUSBAND WAS ADMITTED 14 MAY, HOSPITAL NUMBER PENDING.",
     "MY HUSBAND WAS ADMITTED [DATE], HOSPITAL NUMBER PENDING."),
    ("Re: appointment 12/09 with the diabetes nurse.", "Re: appointment [DATE] with the diabetes nurse."),
    ("Last period was 9/15. nausea is terrible.", "Last period was [DATE]. nausea is terrible."),
    ("Address: Curitiba - PR, 80010-090.", "Address: [ADDRESS]."),
    ("My sister lives at Av. Corrientes 3247, C1193AAE Buenos Aires.",
     "My sister lives at [ADDRESS]."),  # ("Av." no longer ends the street after "lives at": one span to the end)
    ("we stay in Noida, UP 201301. any good doctor nearby?", "we stay in Noida, UP [ADDRESS]. any good doctor nearby?"),
    ("Our Eircode is D6W F6K2 if the nurse wants to call out.", "Our Eircode is [ADDRESS] if the nurse wants to call out."),
    ("Adresas: 45 Gedimino pr., LT-01103 Vilnius", "Adresas: [ADDRESS]"),  # (the street too since "Adresas:")
    ("2207 Rue Sainte-Catherine O, Montréal QC", "[ADDRESS], Montréal QC"),
    ("sort code 30-99-50 - the practice asked for it.", "sort code [ACCOUNT] - the practice asked for it."),
    ("File No: ABUTH/NICU/0455", "File No: [MRN]"),
    ("UPI ID ravi.k.patel@okhdfcbank paid 1500 for the consult", "UPI ID [ACCOUNT] paid 1500 for the consult"),
    ("Amex 3714 496353 98431 was charged by the travel clinic", "Amex [ACCOUNT] was charged by the travel clinic"),
    ("WeChat ID: wxid_liuyang_8871, doctor can add me?", "WeChat ID: [ID], doctor can add me?"),
    ("I'm on telegram t.me/olga_pediatric_mom if easier", "I'm on telegram [URL] if easier"),
    ("check jamesmaina.me where i post my readings", "check [URL] where i post my readings"),
    ("email thandi.m [at] uct.example. I'm a student", "email [EMAIL]. I'm a student"),
    ("email me on haruka.tanaka.0712＠docomo.ne.jp please", "email me on [EMAIL] please"),
    ("his MRN 123456 and hers 654321", "his MRN [MRN] and hers [MRN]"),
    ("SNILS 112-233-445 95 – the polyclinic says it is lost", "SNILS [ID] – the polyclinic says it is lost"),
    ("new one is 8 (916) 402-77-15. Please update it.", "new one is [PHONE]. Please update it."),
    ("or 011 54 9 11 5555-2938 (Buenos Aires)", "or [PHONE] (Buenos Aires)"),
    ("call my daughter on 55 4127 8830 she lives with me", "call my daughter on [PHONE] she lives with me"),
    ("Tel: 6123 4567 (home), 9123 4567 (hp)", "Tel: [PHONE] (home), [PHONE] (hp)"),
]


@pytest.mark.parametrize("text,scrubbed", NAMES + IDENTIFIERS)
def test_the_documented_example_is_scrubbed_as_the_docs_say(text, scrubbed):
    assert phi.scrub(text, {}, "patient") == scrubbed


def test_the_batch_path_scrubs_the_documented_examples_the_same_way():
    texts = [t for t, _ in NAMES + IDENTIFIERS]
    assert phi.scrub_batch([[t] for t in texts]) == [[s] for _, s in NAMES + IDENTIFIERS]
