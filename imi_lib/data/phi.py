"""PHI scrubbing: replace the HIPAA Safe Harbor identifiers that free text can carry.

    from imi_lib.data import phi
    counts = {}
    clean = phi.scrub("Hi Dr. Smith, call me at 555-123-4567", counts)
    # -> "Hi Dr. [NAME], call me at [PHONE]"; counts == {"NAME": 1, "PHONE": 1}

What is replaced, and with which placeholder (`PLACEHOLDERS`):
- NAME: person names where the text itself says it is a name: after a title
  (Dr., Mr., Mrs., Ms., Prof., "Doctor X,"), in greetings ("Hi John,", "Dear
  Mary,"), sign-offs ("Thanks, Priya", "Regards,\\nJohn"), self-introductions
  ("My name is ...", "I am Rahul, 32", "Myself Rahul,") and name labels
  ("Patient name: ..."). In patient text, also names in running prose without
  such a cue ("I saw Priya Raman last week"): the prose-name pass, a gazetteer
  of given names and surnames (data/names/names.txt.gz), unknown words where
  the sentence treats them as a person ("Bongani and his wife"), and rules for
  what is not a name (eponyms, places, institutions, companies, medicines); it
  can be turned off (`prose_names=False`). docs/prepare.md has its figures.
- EMAIL, URL (http(s)/ftp/www and bare .com/.org/.net/.edu/.gov domains), IP (IPv4).
- PHONE: US formats ((555) 123-4567, 555-123-4567, 1-800-...), international
  (+44 20 7946 0958), bare 10-13 digit numbers, and any number after a phone,
  fax, mobile or "call me at" label.
- SSN: 123-45-6789 / 123 45 6789, or any 9-digit number after an SSN label.
- MRN, ACCOUNT, ID: an identifier with at least five digits after a label
  (MRN, medical record #, patient ID, UHID; account, policy, member ID, health
  plan; licence, certificate, serial, device, vehicle, passport, Aadhaar).
- ADDRESS: street addresses ("12 Oak Street, Apt 4, Springfield, IL 62704"),
  P.O. boxes and "City, ST 12345" ZIP codes.
- DATE: every date element other than the year alone: 03/14/2021, 14.03.2021,
  2021-03-14, March 14, 2021, Mar 14th, 14 Mar 2021, 14th of March, March 2021.
  A year on its own ("since 2019") stays.
- AGE: ages over 89 become "90+" (Safe Harbor aggregates them): "95 years old"
  -> "90+ years old".

Clinical text must survive: doses (5 mg, 0.5 mL), blood pressure (120/80),
fractions (1/2 tablet), lab values, ICD codes (E11.9), years, drug and company
names after "Dr." (Dr. Reddy's) are not touched; tests/test_phi.py holds both
directions.

Speed: the corpus is ~250 MB of text, so every pattern starts with a literal
or a single character class (which lets Python's regex engine skip to
candidate characters in C), the rare families are gated by substring tests,
and all families are matched on the original text and merged as spans in one
pass, so one family never sees another's placeholders. `scrub_batch` first
runs RE2 prefilters (pyarrow.compute, C++) over a whole batch: a text skips
the digit or the cue-word pass when that pass cannot match it. Each field is
scrubbed as its own text, so its result never depends on the fields beside it.
"""

from __future__ import annotations

import re
from typing import Any

# Digits of other scripts (Devanagari "९३", Bengali "০১৭১১", Persian "۰۹۱۲", Arabic-Indic "٩٣", fullwidth "０９"):
# the passes look at a copy with ASCII digits, one character for one, so every position holds for the original.
_NATIVE_DIGITS = {c: ord("0") + int(chr(c)) for c in range(0x80, 0x1FC00) if chr(c).isdecimal()}
_NATIVE_DIGIT_RX = re.compile(r"[^\D0-9]")


def _ascii_digits(text: str) -> str:
    """`text` with the digits of other scripts as ASCII digits (the same text where it has none)."""
    if text.isascii() or not _NATIVE_DIGIT_RX.search(text):
        return text
    return text.translate(_NATIVE_DIGITS)


PLACEHOLDERS: dict[str, str] = {
    "NAME": "[NAME]",
    "EMAIL": "[EMAIL]",
    "PHONE": "[PHONE]",
    "SSN": "[SSN]",
    "MRN": "[MRN]",
    "ACCOUNT": "[ACCOUNT]",
    "ID": "[ID]",
    "ADDRESS": "[ADDRESS]",
    "DATE": "[DATE]",
    "URL": "[URL]",
    "IP": "[IP]",
    "AGE": "90+",
}
PHI_TYPES: tuple[str, ...] = tuple(PLACEHOLDERS)

# ---- shared pieces -----------------------------------------------------------

# A capitalised name word: John, O'Brien, McDonald, Mary-Jane, José.
_NAME = r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ](?:[a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſ]+(?:[A-Z][a-z]+)?(?:['’][a-z]{3,})?|'[A-Z][a-z]+)(?:-[A-Z][a-z]+)?"
_NAMES3 = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
_NAMES2 = rf"{_NAME}(?:[ \t]+{_NAME})?"
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Miss|Doctor|DR|Frau|Herr|Mme)\b"
# a name-cue rule without a title only fires when the name ends the clause
_CLAUSE_END = r"(?=[ \t]*(?:[,.!:;?\n]|$))"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_NOT_A_QUANTITY = (r"(?![ \t]*(?:mg|mcg|µg|ug|ml|mL|g|kg|l|L|IU|iu|units?|%|tablets?|tabs?|capsules?|drops?|puffs?"
                   r"|times|days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|patients?|cases?|people|percent)\b)")
_STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace"
           r"|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Nagar|Marg|Colony|Parade|Pde|Row|Crescent|Cres|Close"
           r"|Grove|Mews|Esplanade|Park|Gardens|Hill|Rise|Walk|Approach|View|Vale|Wharf|Quay|Yard|Chase|Croft|Heights"
           r"|Trail|Alley|Promenade|Embankment|Wynd)")

# ---- digit-first identifiers -------------------------------------------------
# One pass for everything that starts with a digit. The pattern opens with a
# single character class so the engine scans for digits in C (re.ASCII: an
# ASCII range is cheaper to test than the Unicode digit category). The
# lookbehind skips digits inside a number, and the lookahead lets through only
# the shapes some alternative can match (five digits with single separators,
# d/m/y, 9x/1xx before "y"), so doses, blood pressures, decimals, years and
# page numbers cost one failed test. Each alternative re-checks the consumed digit with a lookbehind
# where it matters; the empty group closing it names what matched
# (m.lastgroup). Digits before a capitalised word (street addresses, "14 Mar")
# are found from the word, in the cue pass.
# The gate of the common shapes (numbers of five digits, dates, ages), and of the rare ones: identifiers with
# letters or slashes ("8GK2P7", "KCH/IP/88341", "5523/21"), ordinal dates with a month in any case ("3rd of may"),
# postcodes ("SW11 4NJ", "K1A 0B1"), a month and day after a weekday ("Fri 7/19"), vehicle plates, PAN numbers. The
# rare shapes are a second pattern with the same alternatives, so the common scan stays as fast as it was; in a
# batch, RARE_PREFILTER tells which texts need it.
_DIGIT_GATE_COMMON = r"""
    (?= (?:[-. ]?[0-9]){4} | [0-9]?/[0-9][0-9]?/[0-9] | (?<=[12])[0-9]{3}/[0-9] | (?<=9)[0-9](?![0-9])
      | (?<=1)[0-2][0-9](?![0-9]) | (?<=9)[0-9][ \t-]*y | (?<=1)[0-2][0-9][ \t-]*y
      | [0-9]?\.[0-9][0-9]?\.[0-9][0-9](?![0-9]|\.[0-9]) )
"""
_DIGIT_GATE_RARE = r"""
    (?= (?<=[12])[0-9]{3}/[A-Z] | [0-9]?/[0-9]{4} | [0-9]?-[0-9][0-9]?-[0-9][0-9](?![0-9]) | [0-9]{3}/[0-9] | [0-9]*[A-Z][-0-9A-Z]{3,} | [0-9]?(?:st|nd|rd|th)(?![A-Za-z0-9])
      | [0-9]?/[0-9][0-9]?(?![0-9/]|\.[0-9]) | [0-9]?[ -]?[A-Z]{1,3}[ -]?[0-9]{4}(?![A-Za-z0-9])
      | [0-9]?(?:ST|ND|RD|TH)[ \t]+(?:OF[ \t]+)?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)
      | [0-9]?[ \t]+(?:march|may)(?![A-Za-z])
      | [0-9]?[ \t]+(?:of[ \t]+)?(?:jan|feb|apr|jun|jul|aug|sep|oct|nov|dec|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEP|OCT|NOV|DEC
                                  |MAY(?=[,.;)\n\x1e]|$|[ \t]+(?:19|20)[0-9][0-9]))
      | (?<=[A-Z]{3}[0-9])[0-9]{3}(?![A-Za-z0-9])
      | (?<=[A-Z]{5}[0-9])[0-9]{3}[A-Z](?![A-Za-z0-9])
      | (?<=[A-Z][0-9])[0-9A-Z]?[ \t][0-9][A-Z]{2}(?![A-Za-z0-9]) | (?<=[A-Z][0-9])[A-Z][ \t][0-9][A-Z][0-9](?![A-Za-z0-9]) )
"""
_DIGIT_BODY = r"""
    (?:
        (?<=[12]) [0-9]{3} (?P<isep>[-/.]) [0-9][0-9]? (?P=isep) [0-9][0-9]? (?![0-9A-Za-z]) (?P<date_iso>)
      | [0-9][0-9] (?P<ssep>[- ]) [0-9][0-9] (?P=ssep) [0-9]{4} (?![0-9A-Za-z]|-[0-9]) (?P<ssn>)
      | (?<=1) [-. ] [0-9]{3} [-. ] [0-9]{3} [-. ] [0-9]{4} (?![0-9A-Za-z]) (?P<phone_us1>)
      | [0-9][0-9] [-. ] [0-9]{3} [-. ] [0-9]{4} (?![0-9A-Za-z]) (?P<phone_us>)
      | (?<=[6-9]) [0-9]{4} [ -] [0-9]{5} (?![0-9A-Za-z]) (?P<phone_in>)
      | [0-9]{3} (?P<csep>[- ]) [0-9]{4} (?P=csep) [0-9]{4} (?P=csep) [0-9]{4} (?![0-9A-Za-z]) (?P<card>)
      | (?<=0) 0 [1-9][0-9]{0,3} [ .-] [0-9]{2,4} (?:[ .-]?[0-9]{2,4}){1,3} (?![0-9A-Za-z]) (?P<phone_00>)
      | (?<=0) [1-9] (?:[ .][0-9]{2}){4} (?![0-9A-Za-z]) (?![.,][0-9]) (?P<phone_fr>)
      | (?<=0) [0-9]{1,4} [ -] [0-9]{3,4} (?:[ -]?[0-9]{3,4})? (?![0-9A-Za-z]) (?P<phone_zero>)
      | [0-9]{9,12} (?![0-9A-Za-z]) (?P<phone_bare>)
      | [0-9]{0,2} \. [0-9]{1,3} \. [0-9]{1,3} \. [0-9]{1,3} (?![0-9A-Za-z]) (?!\.[0-9]) (?P<ip>)
      | [0-9]? (?P<dsep>[/.-]) [0-9][0-9]? (?P=dsep) (?:[0-9]{4}|[0-9][0-9]) (?![0-9A-Za-z]) (?![/.-][0-9]) (?P<date_num>)
      | (?<=,[ \t][A-Z][A-Z][ \t][0-9]) [0-9]{4} (?:-[0-9]{4})? (?![0-9A-Za-z]) (?P<zip>)
      | (?:(?<=9)[0-9]|(?<=1)[0-2][0-9]) (?=Y[)\],;]|[ \t-]*(?:years?|yrs?|yo|y/o|y-o|y\.o\.|(?i:a[ñn]os|anni|ans|jahre|jaar|tahun|lat|lata|let|vuotias|vuotiaana)|år|ετών|AÑOS|साल|वर्ष|বছর|سال|سنة|வயது|ఏళ్ల|വയസ്|ปี|岁|歳|살
           |yaşında|yaş|лет|года|tuổi)(?![a-z])) (?P<age>)
      | (?:(?<=9)[0-9]|(?<=1)[0-2][0-9]) (?![0-9]|\.[0-9]|[ -][0-9]{3}) (?P<age_bare>)
      | [0-9]? (?:st|nd|rd|th|ST|ND|RD|TH) [ \t]+ (?:of[ \t]+|OF[ \t]+)?
        (?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?
           |oct(?:ober)?|nov(?:ember)?|dec(?:ember)?) (?![A-Za-z]) (?:,?[ \t]+(?:19|20)[0-9][0-9](?![0-9]))? (?P<date_ord>)
      | [0-9]? [ \t]+ (?:of[ \t]+)? (?:january|february|april|june|july|august|september|october|november|december
           |jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec
           |JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER
           |JAN|FEB|MAR|APR|JUN|JUL|AUG|SEPT?|OCT|NOV|DEC|MAY(?=[,.;)\n\x1e]|$|[ \t]+(?:19|20)[0-9][0-9]))
           (?![A-Za-z]) (?:,?[ \t]+(?:19|20)[0-9][0-9](?![0-9]))? (?P<date_lower>)
      | [0-9]? [ \t]+ (?:march|may) (?![A-Za-z]) (?:,?[ \t]+(?:19|20)[0-9][0-9](?![0-9]))? (?P<date_verb_month>)
      | (?<=[A-Z][0-9]) [0-9A-Z]? [ \t] [0-9][A-Z]{2} (?![A-Za-z0-9]) (?P<postcode_uk>)
      | (?<=[A-Z][0-9]) [A-Z] [ \t] [0-9][A-Z][0-9] (?![A-Za-z0-9]) (?P<postcode_ca>)
      | (?<=[1-8]) [0-9]{5} (?![0-9A-Za-z]) (?=[ \t]*(?:[,.;)\n]|$|[A-Za-z])) (?P<pin>)
      | (?<=[A-Z]{5}[0-9]) [0-9]{3} [A-Z] (?![A-Za-z0-9]) (?P<pan>)
      | (?<=[A-Z][A-Z][ -][0-9]) [0-9]? [ -]? [A-Z]{1,3} [ -]? [0-9]{4} (?![A-Za-z0-9]) (?P<plate_in>)
      | [0-9]? (?:st|nd|rd|th) (?![A-Za-z0-9]) (?P<day_ord>)
      | [0-9]? / (?:19|20)[0-9][0-9] (?![0-9/]|\.[0-9]) (?P<month_year>)
      | [0-9]? / [0-9][0-9]? (?![0-9/]|\.[0-9]) (?P<month_day>)
      | (?:[0-9A-Z]|[. ](?=[0-9])|[-/](?=[0-9A-Z]))* (?P<labelled>)
    )
"""
_DIGIT_RX = re.compile(r"[0-9] (?<![0-9][0-9])" + _DIGIT_GATE_COMMON + _DIGIT_BODY, re.VERBOSE | re.ASCII)
_DIGIT_RARE_RX = re.compile(r"[0-9] (?<![0-9][0-9])" + _DIGIT_GATE_RARE + _DIGIT_BODY, re.VERBOSE | re.ASCII)
# phone numbers that open with "(" or "+" (both literal, so the scan is a fast search)
_PAREN_PLUS_RX = re.compile(
    r"""
        \( [0-9]{3} \) [ \t]? [0-9]{3} [-. \t] [0-9]{4} (?![0-9]) (?P<phone_paren>)
      | \( 0?[1-9][0-9]{0,3} \) [ \t]? [0-9]{3,5} [-. \t]? [0-9]{3,4} (?![0-9]) (?P<phone_trunk>)
      | \+ [0-9]{1,3} (?: [-. \t]? \(? [0-9]{1,5} \)? ){1,5} (?P<phone_intl>)
    """,
    re.VERBOSE | re.ASCII,
)
# before a street suffix: house number and street name ("42 Birchwood" + " Lane")
_STREET_HEAD_RX = re.compile(
    r"(?<![0-9A-Za-z])[0-9]{1,5}[A-Z]?[ \t]+(?:(?:[A-Z][a-z]+|[A-Z]{2,3}|[0-9]+(?:st|nd|rd|th)|[NSEW])\.?[ \t]+){1,4}$")
# after it: unit, city, state and ZIP
_STREET_TAIL_RX = re.compile(
    r"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|\#)\.?[ \t]*[A-Za-z0-9-]+)?"
    r"(?:,[ \t]*[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})?"
    r"(?:,?[ \t]*[A-Z]{2}[ \t]+[0-9]{5}(?:-[0-9]{4})?(?![0-9]))?")
# before a month name: the day ("14 ", "14th of ", "14-")
_DAY_BEFORE_MONTH_RX = re.compile(r"(?<![0-9])([0-9]{1,2})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t-]+$")
_YEAR_AFTER_MONTH_RX = re.compile(r",?[ \t-]+(?:19|20)[0-9][0-9](?![0-9])")

# ---- cue-word rules: names, month-first dates, P.O. boxes --------------------
# (rule, cue phrases, what follows the cue). "@G@" names the group that holds the
# value; every phrase becomes its own alternative that starts with a literal
# capital letter (grouped by that letter), which lets the engine skip to those
# letters in C. Lower-case cues, which would stop it at every "t" or "h", get
# their own literal-prefix patterns below.
_AGE_CONTEXT = (r"(?=[ \t]*(?:,[ \t]*(?:an?[ \t]+|aged?[ \t]+)?\d|\([ \t]*\d|aged?[ \t]+\d|,?[ \t]*from[ \t]"
                r"|here\b|again\b|and[ \t]+I\b"
                # a phone right after the name: "I'm Yossi Mizrahi 054-555-1234, savta is 99"
                r"|\+?\(?[0-9]{2,5}\)?[ -]?[0-9]{2,5}[ -]?[0-9]{2,5}(?![0-9])"
                # other languages' "I am 31": "sono Marco, ho 31 anni", "jestem Piotr, mam 36 lat", "soy Ana, tengo 25"
                r"|,[ \t]*(?:ho|mam|tengo|tenho|j['’]ai|habe|heb)[ \t]+\d"
                # "ik ben Sanne de Vries, geboren 3 mei 1961", "I'm Tom Hale, born 1950": a birth after the name
                r"|,[ \t]*(?:born|geboren|geb\.|née?|nata|nato|nacid[oa]|nascid[oa]|urodzon[ay]|f\.|född|født)[ \t]))")
_GREETING_REST = rf"[ \t]*[,!:]?[ \t]*(?!{_TITLE})(?P<@G@>{_NAMES3}){_CLAUSE_END}"
_INTRO_REST = rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAMES2}){_AGE_CONTEXT}"
_FESTIVALS = frozenset("""ramadan ramzan eid christmas xmas easter diwali deepavali holi passover hanukkah chanukah lent
advent thanksgiving halloween navratri navaratri dussehra pongal onam kwanzaa nowruz vesak purim sukkot lohri
baisakhi vaisakhi ugadi chuseok songkran carnival carnaval""".split())
_OWN_CONTACT_AFTER_RX = re.compile(r"[ \t]*(?:\([ \t]*[\w.+-]+@|\([ \t]*\+?[0-9]|,[ \t]*(?:my|I)\b)")
_INTRO_FIRST_REST = rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAME})(?=[ \t]*(?:[,.(\n]|$)|[ \t]+(?:writing|messaging|speaking)\b)"
_MYSELF_REST = rf"[ \t]+(?P<@G@>{_NAMES2})(?=[ \t]*(?:[,.(\n]|$)|[ \t]+(?:and|from|here|aged?)\b)"
_MYNAME_REST = rf"[ \t]*(?P<@G@>[A-Za-z][a-z]+(?:[ \t]+{_NAME}){{0,2}})"
_CHILD_WORDS = (r"(?:child|kid|baby|toddler|infant|youngest|eldest|oldest|little[ \t]+(?:girl|boy|one)"
                r"|(?:baby|little|youngest|eldest|oldest)[ \t]+(?:girl|boy|son|daughter))")
# "my friend Meera", "my neighbour Olumide Okafor": a person named right after a relation
_RELATIONS = (r"(?:(?:brother|sister|son|daughter|mother|father)[ \t]+in[ \t]+law"
              r"|friend|neighbou?r|colleague|cousin|brother|sister|son|daughter|husband|wife|boyfriend|girlfriend"
              r"|fianc[eé]e?|partner|uncle|aunt|nephew|niece|grandson|granddaughter|grandmother|grandfather|boss"
              r"|roommate|flatmate|classmate|teacher|coach|doctor|physician|dentist|nurse|therapist|mother-in-law"
              r"|father-in-law|mum|mom|dad|mother|father|twin|grandma|grandpa|granny|nana|stepson|stepdaughter"
              r"|stepmother|stepfather|spouse|hubby|sister-in-law|brother-in-law|son-in-law|daughter-in-law"
              # chat words for partners and friends, and more relatives and roles: "my gf Sierra", "my bff Ivy",
              # "my mate Dylan", "my nan Winifred", "my teammate Kennedy"
              r"|gf|bf|bff|bestie|mate|buddy|pal|teammate|workmate|coworker|co-worker|housemate|schoolmate|playmate"
              r"|nan|nanna|grandad|granddad|grandmom|grandmum|granddaddy|grandchild|grandkid|stepbrother|stepsister"
              r"|stepdad|stepmom|stepmum|godson|goddaughter|godmother|godfather|fiance|carer|caregiver|nanny"
              r"|aunty|auntie|ex"
              # people at work, school and church: "my supervisor Desmond", "her coach Winter", "our pastor Obed"
              r"|supervisor|manager|foreman|pastor|deacon|student|pupil|tutor|trainer|physio|midwife|landlord|landlady"
              r"|employer|priest|imam|rabbi|vicar"
              # chat and other languages' words for relatives: "my bro tunde", "my tía Fe", "my shangazi Mwanaisha"
              r"|bro|sis|tia|tía|tio|tío|novio|novia|shangazi|mjomba|bibi|babu|mamu|bhabhi|didi|bhaiya|chacha|chachi)")
# how a name value starts (its first two characters, or an initial): for the prefilters
_CAP = "[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſ'.]"
_PARTICLE = r"(?:van|von|der|den|de|del|della|da|di|du|dos|das|ter|ten|le|la)"
# a given name and a surname that may have particles: "Sanne de Vries", "Pieter van der Heijden"
_NAMES2P = rf"{_NAME}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_NAME})?"
# sign-offs of other languages: "Mit freundlichen Grüßen, Heike", "Cordialement, Marie", "Un saludo, Alejandro"
_FOREIGN_SIGNOFFS = ["Mvh", "MVH", "Mfg", "MfG", "Vh", "Hälsningar", "Terveisin", "Pozdrawiam", r"Mit[ \t]+freundlichen[ \t]+Grüßen", r"Mit[ \t]+freundlichen[ \t]+Grüssen", r"Viele[ \t]+Grüße",
                     r"Liebe[ \t]+Grüße", r"Beste[ \t]+Grüße", "Cordialement", r"Bien[ \t]+à[ \t]+vous", r"Bien[ \t]+cordialement",
                     r"Un[ \t]+saludo", "Saludos", "Atentamente", r"Distinti[ \t]+saluti", r"Cordiali[ \t]+saluti",
                     r"Met[ \t]+vriendelijke[ \t]+groet(?:en)?", "Groeten", "Pozdrawiam", r"Z[ \t]+poważaniem", "Saygılarımla",
                     "Atenciosamente", "Abraços", r"Med[ \t]+vänliga[ \t]+hälsningar", r"Med[ \t]+venlig[ \t]+hilsen",
                     r"Vennlig[ \t]+hilsen", "Ystävällisin terveisin"]
# a run of name words in capitals, accented ones too ("MAŁGORZATA NOWICKA", "MARIE-NOËLLE BOUCHARD", "AYŞE KAPLAN")
_UPPER = _CAP[:_CAP.index("]") + 1]
_CAPS_NAMES = rf"{_UPPER}(?:{_UPPER}|['’-])+(?:[ \t]+{_UPPER}(?:{_UPPER}|['’-])+){{0,3}}"
# Each rule: (name, cue phrases, what follows the cue, prefilter). The
# prefilter is an RE2 pattern (pyarrow.compute) that every match of the rule
# also matches: "@P@" stands for the phrases. `prefilter` runs them over many
# texts at once in C++; a text none of them matches skips this pass.
_CUE_RULES: list[tuple[str, list[str], str, str]] = [
    ("greet", ["Hi+", "Hello", "Helo", "Hey", "Dear", "Greetings", "Respected",
               r"Good[ \t]+(?:morning|afternoon|evening|day)"], _GREETING_REST, rf"@P@[ \t]*[,!:]?[ \t]*{_CAP}"),
    # (a title before "Dr": "Frau Dr. Ingrid Haas", "Herr Prof. Weber")
    ("title", [r"Frau[ \t]+(?:Dr|Prof)", r"Herr[ \t]+(?:Dr|Prof)", r"Mme[ \t]+(?:Dr|Prof)", r"Sra\.?[ \t]+Dra?",
               "Mrs", "Mr", "Ms", "Mx", "Miss", "Prof", "Dr", "DR",
               # other countries' titles and degrees before a name: "Dr. med. Weber", "Prof. Dr. med. Schreiber",
               # "Drª Sofia Mendes", "Dott.ssa Bianchi", "Frau Huber", "Mme Lefèvre", "Sra. Gómez"
               r"Dr\.?[ \t]+med(?:\.[ \t]*(?:dent|univ|vet))?", r"Prof\.?[ \t]+Dr(?:\.?[ \t]+med)?", "Drª", r"Dr\.ª", "Dra",
               r"Dott(?:\.?[ \t]*ssa)?", "Herr", "Frau", "Mme", "Mlle", "Sra", "Srta", "Dokter", "Doktorze", "Mevrouw",
               "Meneer", "Señora", "Señor", "Senhora", "Senhor", "Signora", r"Sig\.ra"],
     rf"\.?[ \t]+(?!{_TITLE})(?P<@G@>(?:[A-Z]\.[ \t]*){{0,3}}(?:(?:van|von|der|den|de|del|della|da|di|du|dos|das|ter|ten|le|la)"
     rf"[ \t]+){{0,2}}{_NAMES3})",
     rf"@P@\.?[ \t]+(?:{_CAP}|(?:van|von|der|den|de|del|della|da|di|du|dos|das|ter|ten|le|la)[ \t])"),
    # "Doctor Ramachandran at the clinic": capitalised words after "Doctor" are a name, as after "Dr."
    ("doctor", ["Doctor"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAMES3})", rf"@P@[ \t]+{_CAP}"),
    ("signoff", [r"Thanks[ \t]+(?:and|&)[ \t]+[Rr]egards", r"Thanks[ \t]+in[ \t]+advance",
                 r"Thanks[ \t]+(?:so|very)[ \t]+much", r"Thank[ \t]+you[ \t]+(?:so|very)[ \t]+much", r"Thanks[ \t]+again",
                 r"Many[ \t]+thanks", r"Thanks[ \t]+a[ \t]+(?:lot|ton|bunch|million)", r"Thank[ \t]+you[ \t]+(?:again|a[ \t]+lot)", r"Best[ \t]*,", r"Warm[ \t]+wishes", "Blessings", "Warmly", "Thanks",
                 r"Thank[ \t]+you", "Thanx", "Regards", r"Best[ \t]+[Rr]egards", r"Kind[ \t]+[Rr]egards",
                 r"Warm[ \t]+[Rr]egards", r"With[ \t]+[Rr]egards", r"Best[ \t]+[Ww]ishes", "Sincerely",
                 r"Yours[ \t]+(?:sincerely|truly|faithfully)", r"Take[ \t]+care", "Cheers", "Ta", r"Thanks[ \t]+heaps", "Signed",
                 r"Sorry[ \t]*[.!]", *_FOREIGN_SIGNOFFS],
     rf"[ \t]*[,.!:—–-]*[ \t]*\n?[ \t]*(?!{_TITLE})(?P<@G@>{_NAME}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_NAME}){{0,2}})"
     rf"(?=[ \t]*(?:[,.!(\n]|$|(?:&|and)[ \t]+{_NAME}[ \t]*(?:[,.!(\n]|$)))",
     rf"@P@[ \t]*[,.!:—–-]*[ \t]*\n?[ \t]*{_CAP}"),
    ("intro", [r"I[ \t]+am", "I'm", "I’m", "Im", r"This[ \t]+is", r"It['’]?s"], _INTRO_REST, rf"@P@[ \t]+{_CAP}"),
    # "Ik ben Sanne de Vries, 33 jaar", "Ciao, sono Marco, ho 31 anni", "Jestem Piotr, mam 36 lat", "Ich bin Lukas, 19"
    ("intro", [r"Sono", r"Ich[ \t]+bin", r"Je[ \t]+suis", r"Soy", r"Ik[ \t]+ben", r"Jestem", r"Eu[ \t]+sou", r"Sou[ \t]+[oa]"],
     rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}"),
    # "I am John Okafor, MRN ...": first and last name, no age needed
    ("intro", [r"I[ \t]+am", "I'm", "I’m", r"This[ \t]+is", r"Je[ \t]+suis", r"Ich[ \t]+bin", "Soy", "Sono", r"Ik[ \t]+ben",
               r"Eu[ \t]+sou", r"Jestem"],
     rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAME}[ \t]+{_NAME})(?:{_CLAUSE_END}|(?=[ \t]+(?:at|from|here)\b))", rf"@P@[ \t]+{_CAP}"),
    # "This is Bongani. IP address ...", "It's Ashley, my son's ...": one word that ends the clause, a known first
    # name only (see `_cue_span`)
    ("introfirst", [r"This[ \t]+is", r"It['’]?s"], _INTRO_FIRST_REST, rf"@P@[ \t]+{_CAP}"),
    ("myself", ["Myself"], _MYSELF_REST, rf"@P@[ \t]+{_CAP}"),
    # a title after the relative is the title rule's ("My father Mr. Venkatesh Rao")
    ("relation", [rf"My[ \t]+{_RELATIONS}", rf"Our[ \t]+{_RELATIONS}"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAMES2})",
     rf"@P@[ \t]+{_CAP}"),
    # a child named after "my baby", "our kid", "my little girl": only where a person's verb follows ("my baby Ocean
    # sleeps 18 hours", not "my baby Calpol")
    ("childname", [rf"My[ \t]+{_CHILD_WORDS}", rf"Our[ \t]+{_CHILD_WORDS}"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAME})",
     rf"@P@[ \t]+{_CAP}"),
    ("myname", [r"My[ \t]+name(?:[ \t]+is|'s|’s|[ \t]*:)",
                # in other languages: "Mein Name ist", "Ich heiße", "Je m'appelle", "Me llamo", "Mi nombre es",
                # "Meu nome é", "Mi chiamo", "Ik heet", "Mijn naam is", "Nazywam się"
                r"Mein[ \t]+Name[ \t]+ist", r"Ich[ \t]+hei(?:ß|ss)e", r"Je[ \t]+m['’]appelle", r"Me[ \t]+llamo",
                r"Mi[ \t]+nombre[ \t]+es", r"Meu[ \t]+nome[ \t]+é", r"Mi[ \t]+chiamo", r"Ik[ \t]+heet",
                r"Mijn[ \t]+naam[ \t]+is", r"Nazywam[ \t]+się"],
     _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]"),
    ("label", [r"Patient(?:'s)?[ \t]+[Nn]ame(?:[ \t]+is|[ \t]*:)", r"Patient[ \t]*:", r"Name[ \t]*[:=]", r"NAME[ \t]*[:=]", r"Posted[ \t]+by", r"Name[ \t]+[-–]",
               r"From[ \t]*:", r"Surname[ \t]*:", r"Forenames?[ \t]*:", r"First[ \t]+[Nn]ame[ \t]*:",
               r"Last[ \t]+[Nn]ame[ \t]*:", r"Given[ \t]+[Nn]ames?[ \t]*:", r"Full[ \t]+[Nn]ame[ \t]*:", r"Apellidos?[ \t]*:",
               r"Nama[ \t]*:", r"Nama[ \t]+[Ll]engkap[ \t]*:",
               r"Nachname[ \t]*:", r"Vorname[ \t]*:", r"Nom[ \t]*:", r"Prénom[ \t]*:", r"Cognome[ \t]*:",
               r"Nome[ \t]*:", r"Nombre[ \t]*:", r"Family[ \t]+[Nn]ame[ \t]*:", r"Name[ \t]*\.{2,}", r"NAME[ \t]*\.{2,}"],
     rf"[ \t]*(?!{_TITLE})(?P<@G@>{_NAMES3})", rf"@P@[ \t]*{_CAP}"),  # a title after it is the title rule's
    # a form in capitals: "NAME: GRACE WANJIRU KAMAU" (the whole line)
    ("capslabel", [r"NAME[ \t]*:", r"PATIENT[ \t]+NAME[ \t]*:", r"FROM[ \t]*:", r"SURNAME[ \t]*:", r"FORENAMES?[ \t]*:",
                   r"FIRST[ \t]+NAME[ \t]*:", r"LAST[ \t]+NAME[ \t]*:", r"GIVEN[ \t]+NAMES?[ \t]*:", r"FULL[ \t]+NAME[ \t]*:",
                   # a name in capitals after a label in mixed case: "Surname: OYELARAN First name: ADEBOLA"
                   r"Surname[ \t]*:", r"Forenames?[ \t]*:", r"First[ \t]+[Nn]ame[ \t]*:", r"Last[ \t]+[Nn]ame[ \t]*:",
                   r"Given[ \t]+[Nn]ames?[ \t]*:", r"Full[ \t]+[Nn]ame[ \t]*:", r"Name[ \t]*:", r"Patient[ \t]+[Nn]ame[ \t]*:",
                   # other languages' labels and layouts: "NOM : LEFEBVRE", "Cognome: ESPOSITO", "Nom/Prénom: MERCIER",
                   # "PATIENT: MUKHERJEE, ANINDITA", "FAMILY NAME: TAN"
                   r"NOM[ \t]*:", r"NOMBRE[ \t]*:", r"APELLIDOS?[ \t]*:", r"COGNOME[ \t]*:", r"NACHNAME[ \t]*:", r"Nom[ \t]*:",
                   r"Nom/Prénom[ \t]*:", r"Cognome[ \t]*:", r"Nachname[ \t]*:", r"Apellidos?[ \t]*:", r"PATIENT[ \t]*:",
                   r"Family[ \t]+[Nn]ame[ \t]*:", r"FAMILY[ \t]+NAME[ \t]*:"],
     # (what follows: the clause's end, a gap of two spaces or the next label of the form)
     r"[ \t]*(?P<@G@>[A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+){0,3})"
     r"(?=[ \t]*(?:[\n,;\"]|\.[ \t]|$)|[ \t]{2,}|[ \t]+[A-Z][A-Za-z /.]{0,20}:)", r"@P@[ \t]*[A-Z][A-Z]"),
    # a name in capitals after a sign-off: "Best regards, JOHN-PAUL MCALLISTER", "Cordialement, MARIE-NOËLLE BOUCHARD"
    ("capslabel", [r"Regards", r"Best[ \t]+[Rr]egards", r"Kind[ \t]+[Rr]egards", r"Warm[ \t]+[Rr]egards", "Thanks",
                   r"Thank[ \t]+you", r"Thanks[ \t]+so[ \t]+much", r"Many[ \t]+thanks", "Sincerely", "Signed", r"Best[ \t]*,",
                   "Cheers", r"Yours[ \t]+(?:sincerely|truly|faithfully)", "REGARDS", "THANKS", *_FOREIGN_SIGNOFFS],
     rf"[ \t]*[,.!:—–-]*[ \t]*\n?[ \t]*(?P<@G@>{_CAPS_NAMES})(?=[ \t]*(?:[,.!(\n]|$))",
     rf"@P@[ \t]*[,.!:—–-]*[ \t]*\n?[ \t]*{_UPPER}{_UPPER}"),
    # a name in capitals after a greeting: "Dear JOSEPHINE MAKENA, your appointment", "Hi SARAH, your repeat"
    ("capslabel", ["Dear", "Hi", "Hello", "DEAR", "HI", "HELLO"],
     r"[ \t]+(?P<@G@>[A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+){0,2})(?=[ \t]*,)", r"@P@[ \t]+[A-Z][A-Z]"),
    ("date", [_m for _m in _MONTH[3:-1].split("|")],
     rf"\.?(?:[ \t]+\d\d?(?:st|nd|rd|th)?(?!\d|:\d)(?:,?[ \t]+(?:19|20)\d\d(?!\d))?|,?[ \t]+(?:19|20)\d\d(?!\d))"
     rf"{_NOT_A_QUANTITY}(?P<@G@>)", r"@P@\.?,?[ \t]+[0-9]"),
    # month names without a day or year after them: a date only with a day before ("14 Mar", "14th of March")
    ("month", [_m for _m in _MONTH[3:-1].split("|")], r"\.?(?![A-Za-z])(?P<@G@>)",
     r"[0-9](?:st|nd|rd|th)?(?:[ \t]+of)?[ \t-]+@P@"),
    ("pobox", ["P"], r"\.?[ \t]*O\.?[ \t]*Box[ \t]*[0-9]+(?P<@G@>)", r"@P@\.?[ \t]*O\.?[ \t]*Box[ \t]*[0-9]"),
    # street suffixes: an address when a house number and street name come before
    ("street", _STREET[3:-1].split("|"), r"(?![A-Za-z])\.?(?P<@G@>)",
     r"[0-9][A-Z]?[ \t]+(?:(?:[A-Z][a-z]+|[A-Z]{2,3}|[0-9]+(?:st|nd|rd|th)|[NSEW])\.?[ \t]+){1,4}@P@"),
]
# lower-case cues: each a literal prefix, so each is a fast substring search, gated by a substring
_LOWER_CUE_RULES: list[tuple[str, list[tuple[str, list[str], str, str]]]] = [
    ("name", [("myname", [r"my[ \t]+name(?:[ \t]+is|'s|’s|[ \t]*:)"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]"),
              ("label", [r"patient(?:'s)?[ \t]+name(?:[ \t]+is|[ \t]*:)", r"name[ \t]*:"],
               rf"[ \t]*(?P<@G@>{_NAMES3})", rf"@P@[ \t]*{_CAP}")]),
    # "mein Name ist", "ich heiße", "je m'appelle", "me llamo", "mi nombre es", "meu nome é", "mi chiamo", "ik heet",
    # "mijn naam is", "nazywam się" inside a sentence
    ("ame ist", [("myname", [r"mein[ \t]+Name[ \t]+ist"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    # "sono Giulia Ferraresi.", "ik ben Bram, 58 jaar", "jestem Magdalena, mam 35 lat", "ich bin Lukas, 19 Jahre"
    ("sono ", [("intro", [r"sono"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}"),
               ("intro", [r"sono"], rf"[ \t]+(?P<@G@>{_NAME}[ \t]+{_NAME}){_CLAUSE_END}", rf"@P@[ \t]+{_CAP}")]),
    (" ben ", [("intro", [r"ik[ \t]+ben"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}")]),
    ("jestem", [("intro", [r"jestem"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}")]),
    ("ich bin", [("intro", [r"ich[ \t]+bin"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}")]),
    ("je suis", [("intro", [r"je[ \t]+suis"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}")]),
    ("soy ", [("intro", [r"soy"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}", rf"@P@[ \t]+{_CAP}")]),
    ("sou ", [("intro", [r"sou(?:[ \t]+[oa])?", r"eu[ \t]+sou(?:[ \t]+[oa])?"], rf"[ \t]+(?P<@G@>{_NAMES2P}){_AGE_CONTEXT}",
               rf"@P@[ \t]+{_CAP}")]),
    ("ich hei", [("myname", [r"ich[ \t]+hei(?:ß|ss)e"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("appelle", [("myname", [r"je[ \t]+m['’]appelle"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("llamo", [("myname", [r"me[ \t]+llamo"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("nombre es", [("myname", [r"mi[ \t]+nombre[ \t]+es"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("nome é", [("myname", [r"meu[ \t]+nome[ \t]+é"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("chiamo", [("myname", [r"mi[ \t]+chiamo"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("heet", [("myname", [r"ik[ \t]+heet"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("naam is", [("myname", [r"mijn[ \t]+naam[ \t]+is"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("nazywam", [("myname", [r"nazywam[ \t]+się"], _MYNAME_REST, r"@P@[ \t]*[A-Za-z][a-z]")]),
    ("this", [("intro", [r"this[ \t]+is"], _INTRO_REST, rf"@P@[ \t]+{_CAP}"),
              # "Hi this is Darkhan Seitkali, phone ...": first and last name, no age needed
              ("intro", [r"this[ \t]+is"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAME}[ \t]+{_NAME}){_CLAUSE_END}",
               rf"@P@[ \t]+{_CAP}"),
              ("introfirst", [r"this[ \t]+is"], _INTRO_FIRST_REST, rf"@P@[ \t]+{_CAP}")]),
    ("myself", [("myself", ["myself"], _MYSELF_REST, rf"@P@[ \t]+{_CAP}")]),
    ("my", [("relation", [rf"my[ \t]+{_RELATIONS}"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAMES2})", rf"@P@[ \t]+{_CAP}"),
            ("childname", [rf"my[ \t]+{_CHILD_WORDS}"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAME})", rf"@P@[ \t]+{_CAP}")]),
    (" our ", [("relation", [rf"our[ \t]+{_RELATIONS}"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAMES2})", rf"@P@[ \t]+{_CAP}"),
             ("childname", [rf"our[ \t]+{_CHILD_WORDS}"], rf"[ \t]+(?!{_TITLE})(?P<@G@>{_NAME})", rf"@P@[ \t]+{_CAP}")]),
    # "hi its Lindiwe from Durban": the writer, as after "this is"
    ("its ", [("intro", [r"its"], _INTRO_REST, rf"@P@[ \t]+{_CAP}"),
              ("introfirst", [r"its"], _INTRO_FIRST_REST, rf"@P@[ \t]+{_CAP}")]),
    ("it's ", [("intro", [r"it's"], _INTRO_REST, rf"@P@[ \t]+{_CAP}"),
               ("introfirst", [r"it's"], _INTRO_FIRST_REST, rf"@P@[ \t]+{_CAP}")]),
    # a sign-off in lower case before a capitalised name: "... with my atorvastatin 40? thanks, Bill"
    ("thank", [("capslabel", [r"thanks(?:[ \t]+so[ \t]+much)?", r"thank[ \t]+you"],
                rf"[ \t]*[,.!:-]+[ \t]*\n?[ \t]*(?P<@G@>{_CAPS_NAMES})(?=[ \t]*(?:[,.!(\n]|$))",
                rf"@P@[ \t]*[,.!:-]+[ \t]*\n?[ \t]*{_UPPER}{_UPPER}"),
               ("signoff", [r"thanks", r"thank[ \t]+you"], rf"[ \t]*[,.!:-]+[ \t]*\n?[ \t]*(?!{_TITLE})(?P<@G@>{_NAMES2})"
               rf"(?=[ \t]*[.!]?[ \t]*$)", rf"@P@[ \t]*[,.!:-]+[ \t]*\n?[ \t]*{_CAP}")]),
]


def _build_cue_rx(rules: list[tuple[str, list[str], str, str]]) -> re.Pattern:
    by_first: dict[str, list[str]] = {}
    n = 0
    for rule, phrases, rest, _prefilter in rules:
        for phrase in phrases:
            n += 1
            by_first.setdefault(phrase[0], []).append(phrase[1:] + rest.replace("@G@", f"{rule}__{n}"))
    return re.compile("|".join(f"{re.escape(c)}(?:{'|'.join(alts)})" for c, alts in by_first.items()), re.ASCII)


_CUE_RX = _build_cue_rx(_CUE_RULES)
_LOWER_CUE_RXS = tuple((gate, _build_cue_rx(rules)) for gate, rules in _LOWER_CUE_RULES)
# a lower-case greeting opening the text ("hi John, ...")
_OPENING_GREETING_RX = re.compile(rf"[ \t]*(?:hi+|hello|hey|dear)(?:{_GREETING_REST.replace('@G@', 'greet__0')})",
                                  re.ASCII)

_EMAIL_RX = re.compile(r"[A-Za-z0-9._%+-]+[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")  # (＠: a full-width keyboard's)
# an e-mail address typed or voice-typed with a space between every character: "j o h n . b a k e r 8 8 @ g m a i l . c o m"
_SPACED_EMAIL_RX = re.compile(r"(?<![\w.])(?:[A-Za-z0-9._-] ){2,}@(?: [A-Za-z0-9_-])+(?: \.(?: [A-Za-z0-9_-])+)+")
# the words before a phone number of two groups of four (`_FOUR_FOUR_PHONE_RX`, `_CALL_WORD_RX`, EXTRA_PREFILTER)
_PHONE_WORDS = r"phone|mobile|mob|cell|tel|telephone|home|office|landline|whatsapp|hp|contact|call|ring"
_URL_RX = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'\])]+")
_DOMAIN_GATE_RX = re.compile(r"\.(?:com|org|net|edu|gov)(?![A-Za-z0-9])")
_DOMAIN_RX = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|edu|gov)(?![A-Za-z0-9])(?:/[^\s<>\"'\])]*)?")
# country-code and other domains: "portal.nhs.uk", "apollo.co.in", "clinic.info". A bare "x.in" is
# too often a missing space ("started.in the"), so a country code needs a second-level label or two labels.
_CC = r"(?:uk|in|au|ca|nz|ie|za|sg|pk|ng|ke|ae|ph|my|lk|bd|np)"
_CCTLD_GATE_RX = re.compile(rf"\.(?:{_CC}|info|io|biz|me)(?![A-Za-z0-9])")
_CCTLD_DOMAIN_RX = re.compile(
    rf"(?<![A-Za-z0-9.@-])(?:[A-Za-z0-9-]+\.)+(?:co|com|gov|ac|org|net|nhs|nic|edu|health)\.{_CC}(?![A-Za-z0-9])"
    rf"(?:/[^\s<>\"'\])]*)?"
    rf"|(?<![A-Za-z0-9.@-])[A-Za-z0-9-]+\.[A-Za-z0-9-]+\.{_CC}(?![A-Za-z0-9])(?:/[^\s<>\"'\])]*)?"
    rf"|(?<![A-Za-z0-9.@-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:info|io|biz)(?![A-Za-z0-9])(?:/[^\s<>\"'\])]*)?"
    # a personal site: "jamesmaina.me" (a name of six letters or more: "call.me", "text.me" are missing spaces)
    rf"|(?<![A-Za-z0-9.@-])[A-Za-z0-9-]{{6,}}(?:\.[A-Za-z0-9-]+)*\.me(?![A-Za-z0-9.])(?:/[^\s<>\"'\])]*)?")
# a bare domain of a long first label under a country's or a newer top-level domain: "marcofotografo.it",
# "quinlanfamilymedicine.ie", "ozempic-deals.shop" (a label of eight characters or more that is no word of the
# language: "tablets.in the morning" is a missing space)
_LONG_TLD = (r"(?:it|be|fr|de|es|nl|pl|pt|ch|se|dk|fi|gr|ie|in|uk|au|ca|nz|za|sg|my|ph|ng|ke|pk|lk|bd|np|ae|eg|gh|tz|ug"
             r"|mx|br|ar|cl|pe|shop|store|online|site|blog|clinic|app)")
_LONG_LABEL_DOMAIN_RX = re.compile(rf"(?<![\w.@-])(?P<l>[a-z0-9][a-z0-9-]{{7,}})\.{_LONG_TLD}(?![\w@-]|\.[A-Za-z0-9])")
_LONG_LABEL_GATE = rf"[a-z0-9-]{{8}}\.{_LONG_TLD}(?:[^\w@-]|$)"
_LONG_LABEL_GATE_RX = re.compile(_LONG_LABEL_GATE)


# a host under any top-level domain with a path after it: "app.healthvault.example/u/mkaplan-2291". The labels
# before the (lower-case) top-level one have three characters or more, so "i.v./i.m.", "mg/kg", "e.g./i.e." are
# none, and the path has a second segment or a digit, "-", "_", "@" or "~" in its first, so "mcg.kg/min" is none
_PATH_GATE_RX = re.compile(r"\.[a-z]{2,12}/[A-Za-z0-9~@_-]")
_PATH_DOMAIN_RX = re.compile(
    r"(?<![A-Za-z0-9.@/-])(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]{3,}\.[a-z]{2,12}"
    r"/(?=[A-Za-z0-9.~@_-]*(?:[0-9~@_-]|/[A-Za-z0-9]))[A-Za-z0-9~@_-][^\s<>\"'\])]*"
    # or a host of three labels of three letters or more, whatever its path: "myportal.fortishealthcare.example/login"
    r"|(?<![A-Za-z0-9.@/-])[A-Za-z0-9-]{3,}\.[A-Za-z0-9-]{3,}\.[a-z]{2,12}/[A-Za-z0-9~@_-][^\s<>\"'\])]*")
# a domain of any top-level domain after the writer's own site or blog: "See my cv at sarahokeeffe.ie", "my shop site
# tuanmobile.vn", "My blog is lifewithlupus.nz", "a blog of my chemo: chemo-diary-anouk.nl", "linktr.ee/wanjiku.k"
_OWN_SITE_CUE = (r"(?i:(?:my|our|personal|shop)[ \t]+(?:web[ \t]?)?(?:site|blog|page|linktree|homepage|portfolio|cv)"
                 r"|blog[ \t]+of[ \t]+my)")
_OWN_SITE_DOMAIN_RX = re.compile(
    _OWN_SITE_CUE + r"[^\n]{0,40}?(?<![A-Za-z0-9.@/-])(?P<d>[A-Za-z0-9-]{3,}(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,12}(?![A-Za-z0-9@])"
    r"(?:/[^\s<>\"'\])]*)?)|(?<![A-Za-z0-9.@/-])(?P<l>linktr\.ee/[^\s<>\"'\])]+)")
# a social media handle after its platform: "my tiktok @dance.mom.ng", "IG: @priya_runs"
_HANDLE_RX = re.compile(r"(?<![A-Za-z])(?i:tiktok|instagram|insta|ig|twitter|snapchat|snap|telegram|threads|youtube|yt"
                        r"|facebook|fb|x|handle|username)(?:[ \t]+(?i:is|handle|account|id|username|page|channel))?"
                        r"[ \t]*[:=-]?[ \t]*(@[A-Za-z0-9_](?:[A-Za-z0-9._]{0,28}[A-Za-z0-9_])?)")
# "jdoe at gmail dot com", "jdoe(at)gmail(dot)com", "jdoe@gmail dot com"
# "at" and "dot" spelled out, in English and in Spanish, Portuguese, Italian, French and German ("arroba", "punto")
_AT = r"(?:[ \t]*[(\[{](?:at|AT|arobase|arroba)[)\]}][ \t]*|[ \t]+(?:at|AT|arroba|chiocciola|arobase)[ \t]+|[ \t]*@[ \t]*)"
# (the same, with a plain " at " named: after it the host's last dot must be spelled too, "at home.It was" is no
# address)
_AT_NAMED = (r"(?:[ \t]*[(\[{](?:at|AT|arobase|arroba)[)\]}][ \t]*|[ \t]+(?P<plain_at>at)[ \t]+"
             r"|[ \t]+(?:AT|arroba|chiocciola|arobase)[ \t]+|[ \t]*@[ \t]*)")
_DOT = (r"(?:[ \t]*[(\[{](?:dot|DOT|point|punto|ponto|punkt)[)\]}][ \t]*|[ \t]+(?:dot|DOT|punto|ponto|point|punkt)[ \t]+"
        r"|[ \t]+\.[ \t]+)")
_SPELLED_EMAIL_RX = re.compile(
    # (a dot spelled in the mailbox too: "aissatou point ba arobase orange point sn")
    rf"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:{_DOT}[A-Za-z0-9._%+-]+){{0,3}}{_AT_NAMED}[A-Za-z0-9-]+(?:(?:{_DOT}|\.)[A-Za-z0-9-]+)*?(?(plain_at){_DOT}|(?:{_DOT}|(?<=[a-z0-9])\.))"
    rf"(?:com|org|net|edu|gov|co|in|uk|info|io|fr|de|es|it|nl|be|ch|at|se|no|dk|pl|pt|br|mx|ar|za|ng|ke|gh|ae|sa|pk|bd"
    rf"|lk|np|ph|my|sg|au|nz|ca|ie|jp|kr|cn|ru|tr|ir|eg|us|cl|pe|ve|uy|cr|ec|bo|py|gt|hn|pa|cu|jm|tt|eu|gr|cz|sk|hu"
    rf"|ro|bg|ua|il|qa|kw|om|jo|lb|ma|tn|tz|ug|rw|zm|zw|vn|th|tw|hk|fi|lt|lv|ee|hr|rs|si|biz|sn|ci|cm|bj|bf|ml|ne|tg|ga"
    rf"|cd|cg|mg|mu|dz|ly|sd|et|mw|mz|na|bw|ao)(?![A-Za-z0-9])", re.I)
# under any other domain when the local part looks like a mailbox ("hannah_b", "jess.t.wong", "k.o2") or the host
# is a mail provider: "hannah_b at outlook dot example", "mo at gmail dot whatever"
_SPELLED_EMAIL_ANY_RX = re.compile(
    rf"(?<![A-Za-z0-9._%+-])(?:[A-Za-z0-9%+-]*[._0-9][A-Za-z0-9._%+-]*{_AT}[A-Za-z0-9-]+"
    rf"|[A-Za-z0-9._%+-]+(?:{_DOT}[A-Za-z0-9._%+-]+)*{_AT}(?i:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|icloud|me|mac|aol|proton"
    rf"|protonmail|pm|yandex|mail|gmx|web|rediffmail|rediff|qq|163|126|zoho|fastmail|tutanota|hey))"
    rf"(?:(?:{_DOT}|\.)[A-Za-z0-9-]+)*?{_DOT}[A-Za-z]{{2,12}}(?![A-Za-z0-9])")
# licence plates and vehicle registrations, after their label: "licence plate KA 01 AB 1234"
_PLATE_RX = re.compile(
    r"(?<![A-Za-z])(?i:licen[cs]e[ \t]+plate|number[ \t]+plate|plate|registration|car[ \t]+reg"
    r"|vehicle(?:[ \t]+(?:number|no\.?|reg(?:istration)?\.?))?"
    # other languages: "numero di targa AB123CD", "mi matrícula es 1234 BCD", "kenteken is 12-ABC-3", "Kennzeichen ist
    # M-AB 1234", "plaque d'immatriculation", "placa"
    r"|(?:numero[ \t]+di[ \t]+)?targa|matr[ií]cula|kenteken|kennzeichen|immatriculation|placa|rejestracja|plaque)(?![A-Za-z])"
    r"(?i:[ \t]+(?:number|no\.?|#))?"
    # what the plate belongs to: "plate number for the parking permit is" (then letters and digits); in other
    # languages and longer: "placa do meu carro é", "Car reg for disabled parking at the clinic:", "Kenteken van de
    # auto waarmee ik het ongeluk had:", "targa della macchina"
    r"(?P<of>[ \t]+(?i:for|of|on)(?:[ \t]+[A-Za-z'’]+){1,5}?(?=[ \t]+(?i:is|was)[ \t])"
    r"|(?:[ \t]+[^\W\d_][\w'’]*){1,8}?(?=[ \t]*:|[ \t]+(?:is|was|é|è|es|ist|est|er|är)[ \t])"
    r"|[ \t]+(?i:(?:of|do|da|de|della|del|van|von|för|på)(?:[ \t]+(?:my|the|meu|minha|mi|la|el|mia|de|mijn|onze|meinem))?"
    r"[ \t]+(?:car|carro|coche|auto|macchina|voiture|wagen|bil|vehicle|ve[ií]culo|veicolo|moto|motorbike|van|truck)))?"
    r"[ \t]*(?i:is|was|es|ist|est|è|é|er|är|:|#|-)?[ \t]*"
    # (an emirate before a Gulf plate: "Dubai N 48213")
    r"(?P<v>(?:(?:Dubai|Abu[ \t]Dhabi|Sharjah|Ajman|RAK|Fujairah|UAQ|Doha|Qatar|Muscat|Oman|Bahrain|Kuwait)[ \t]+)?"
    r"[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){0,4})(?![A-Za-z0-9])")
# a plate right after the vehicle's word: "my husband's car T 447 DKR was", "the ambulance KA 05 G 1234"
_VEHICLE_PLATE_RX = re.compile(
    r"(?<![A-Za-z])(?i:car|vehicle|truck|van|motorbike|scooter|ambulance|taxi|cab|bus|auto|coche|carro|voiture|wagen"
    r"|macchina)(?:[ \t]+(?i:(?:had|has|with)[ \t]+)?(?i:number|no\.?|reg\.?|registration|plates?|regn?o?\.?)?)?[ \t]*:?[ \t]*"
    r"(?P<v>[A-Z]{1,3}[ -]?[0-9]{1,4}[ -]?[A-Z]{1,3}|[A-Z]{2}[ -]?[0-9]{1,2}[A-Z]?[ -]?[A-Z]{1,3}[ -]?[0-9]{3,4}"
    r"|[0-9]{1,3}[ -]?[A-Z]{2,3}[ -]?[0-9]{1,3}|[A-Z]{2}[0-9]{2}[ ][A-Z]{3}|[A-Z]{3}[0-9][A-Z0-9][0-9]{2})(?![A-Za-z0-9])")


_NAME_RULES = frozenset({"greet", "title", "doctor", "signoff", "intro", "myself", "myname", "label", "relation",
                         "capslabel"})
# "Yesterday Deepa and I went ...": a capitalised word before "and I" is a person
_AND_I_RX = re.compile(rf"(?<![A-Za-z'])(?P<and_i__0>{_NAME})[ \t]+and[ \t]+I(?![A-Za-z'])")
_WORD_RX = re.compile(r"\S+")
# nationalities, peoples and languages (the demonyms of the world's countries and larger peoples): "I am Polish and
# ...", "my Samoan grandmother"; many are surnames too (Irish, Welsh, English), and none is a given name alone
_PEOPLES = frozenset("""
afghan albanian algerian andorran angolan argentine argentinian armenian australian austrian azerbaijani azeri
bahamian bahraini bangladeshi barbadian belarusian belgian belizean beninese bhutanese bolivian bosnian botswanan
brazilian bruneian bulgarian burmese burundian cambodian cameroonian canadian chadian chilean chinese colombian
congolese croatian cuban cypriot czech danish djiboutian dominican dutch ecuadorian egyptian emirati eritrean
estonian ethiopian fijian filipino filipina finnish french gabonese gambian georgian german ghanaian greek grenadian
guatemalan guinean guyanese haitian honduran hungarian icelandic indonesian iranian iraqi irish israeli italian
ivorian jamaican japanese jordanian kazakh kenyan kiwi korean kosovar kuwaiti kyrgyz laotian latvian lebanese
liberian libyan lithuanian luxembourgish macedonian malagasy malawian malaysian maldivian malian maltese mauritian
mexican moldovan mongolian montenegrin moroccan mozambican namibian nepali nepalese nicaraguan nigerian nigerien
norwegian omani pakistani palestinian panamanian paraguayan persian peruvian polish portuguese qatari romanian
russian rwandan salvadoran samoan saudi scottish scots senegalese serbian leonean singaporean slovak slovakian
slovenian somali somalian sudanese surinamese swazi swedish swiss syrian taiwanese tajik tanzanian tibetan
togolese tongan trinidadian tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh
yemeni zambian zimbabwean british english american african asian european caribbean latino latina latinx hispanic
arab arabian creole cajun native aboriginal indigenous inuit maori māori pakeha pacific polynesian melanesian
micronesian tamil sinhalese sinhala bengali punjabi gujarati marathi malayali kannadiga telugu sindhi pashtun
baloch kashmiri bihari odia assamese gurkha newar hazara tajik kurd kurdish
yoruba igbo ibo hausa fulani fula efik ijaw tiv akan ewe ga fante zulu xhosa sotho tswana venda
tsonga ndebele shona swahili kikuyu luhya kalenjin kamba maasai masai somali amhara oromo tigrayan berber
amazigh bedouin druze copt coptic armenian assyrian chaldean kurd hakka cantonese mandarin hokkien uyghur
hmong khmer malay javanese sundanese balinese visayan tagalog ilocano romani gypsy slav slavic baltic nordic
scandinavian celtic gaelic anglo flemish walloon basque catalan galician andalusian sicilian sardinian
corsican breton cornish ulster highlander afrikaner afrikaans boer cape coloured
thai lao aussie brit kiwis farsi dari pashto quechua aymara guarani nahuatl mayan cree ojibwe navajo cherokee lakota sioux apache mohawk
metis métis sami saami yupik dene mi'kmaq ismaili ahmadi alawite yazidi zoroastrian parsee rastafarian shia shiite
sunni sufi wolof mandinka bambara lingala kinyarwanda kirundi luganda luo chichewa tigrinya dinka nuer bemba tumbuka
"""  # languages and peoples of every continent ("Quechua and Aymara women", "Dari and Farsi")
    .split())
# faiths, peoples and languages: what "I am ..." and "... and I" take that is not a name ("I am Catholic and I ...")
_FAITHS_AND_PEOPLES = frozenset("""
hindu hindus muslim muslims christian christians catholic catholics jewish jew jews sikh sikhs buddhist buddhists jain
jains parsi islam islamic protestant orthodox baptist methodist mormon lutheran pentecostal anglican evangelical
adventist quaker amish atheist agnostic vegan vegetarian
indian indians american americans british african africans asian asians european europeans kenyan ghanaian nigerian
pakistani chinese arab english hindi tamil telugu urdu bengali punjabi gujarati marathi kannada malayalam arabic
french spanish german italian japanese korean russian portuguese dutch greek turkish persian swahili yoruba igbo
hausa zulu xhosa latin filipino mexican
""".split()) | _PEOPLES
# before "X and I": a place or a state, not a person ("a holiday in Goa and I", "We are Catholic and I")
_NOT_PERSON_BEFORE_AND_I = frozenset("in at to from into near via visited visiting am are is was were be been being "
                                     "the a an this that my our your his her their "
                                     "support supports supported watch watched watching follow follows followed "
                                     "become became feel felt "
                                     # a feast or a medicine: "We celebrate Thanksgiving and I", "prescribed Eliquis
                                     # and I", "I take Synthroid and I"
                                     "celebrate celebrates celebrated celebrating observe observes observed observing "
                                     "prescribed prescribe prescribes take takes taking took started starting stopped "
                                     "stopping tried trying using used on".split())
# disease and procedure words ("Thanks. Hypothyroidism.") are not names
_MEDICAL_WORD_RX = re.compile(r"(?:ism|itis|osis|[ae]mia|omas?|pathy|ectomy|otomy|algia|plasia|trophy|uria|penia|iasis"
                              r"|ology|ysis|ema|oid|iac)[.,:;!?]*$")

# Capitalised words that follow a greeting, title or sign-off but are not names.
_NOT_NAMES = frozenset("""
sir madam mam maam ma'am madame doctor doc dr docter dear respected all everyone everybody team friend friends
there folks guys patient patients user users member members guest concerned reader readers colleague
again anyway also and but or so then now today tomorrow yesterday sure okay ok yes no well please thanks thank
thankyou welcome regards greetings hello hi hey bye goodbye cheers good great best kind warm sincerely
take care wish wishes wishing hope hoping god bless blessings namaste sorry hopefully regarding re
i im i'm me my mine we our you your yours he she it they them his her their this that these those the a an
what how why when where who which whose is are was were am be been have has had do does did can could would
should will shall may might must let lets let's as at in on for from with by of to after before about
first second last next sir/madam mr mrs ms miss prof professor nurse sister brother mother father mom mum dad
son daughter wife husband baby child kid boy girl man woman male female mother's father's
chat doctor's healthcaremagic hcm icliniq chatdoctor query question answer reply
indian american british pakistani nigerian african asian european canadian australian chinese arab
diabetic hypertensive pregnant asthmatic married single unmarried divorced working worried confused scared
healthy sick ill fine suffering concerned student engineer teacher very really extremely quite too not just
always still currently presently highly totally completely seriously getting having feeling taking
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
""".split())
# Brand names that follow "Dr." (Dr. Reddy's Laboratories, Dr. Scholl's, Dr Pepper).
_BRANDS_AFTER_TITLE = frozenset({"reddy", "reddy's", "reddys", "scholl", "scholl's", "scholls", "morepen", "pepper", "oetker"})

_US_STATES = frozenset("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR""".split())
_CITY_BEFORE_ZIP_RX = re.compile(r"[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2},[ \t][A-Z][A-Z][ \t]$")

# Labels that make the number after them an identifier, keyed by their last
# words (lower case, punctuation dropped). "weak" labels only count when a
# qualifier (number/no/id/#/:) sits between them and the number.
_STRONG_LABELS = {
    "mrn": "MRN", "m r n": "MRN", "mrd": "MRN", "ipp": "MRN", "remiss": "MRN", "medical record": "MRN", "medical records": "MRN", "uhid": "MRN",
    "ssn": "SSN", "social security": "SSN", "tax file": "ID", "tfn": "ID",
    "account": "ACCOUNT", "acct": "ACCOUNT", "a/c": "ACCOUNT", "policy": "ACCOUNT", "medicaid": "ACCOUNT",
    "medicare": "ACCOUNT", "member id": "ACCOUNT", "health plan": "ACCOUNT",
    "license": "ID", "licence": "ID", "passport": "ID", "vin": "ID", "aadhaar": "ID", "aadhar": "ID", "serial": "ID",
    "phone": "PHONE", "telephone": "PHONE", "tel": "PHONE", "tél": "PHONE", "téléphone": "PHONE", "mobile": "PHONE", "mob": "PHONE", "cell": "PHONE",
    "employer": "ID", "cellphone": "PHONE", "fax": "PHONE", "fax to": "PHONE", "text me on": "PHONE", "ring me on": "PHONE", "whatsapp": "PHONE", "whats app": "PHONE", "call me": "PHONE",
    "call me at": "PHONE", "call me on": "PHONE", "landline": "PHONE", "reach me at": "PHONE", "text me at": "PHONE", "ph": "PHONE",
    "contact me at": "PHONE", "contact me on": "PHONE",
    # national identity and insurance numbers by their names
    "cnic": "ID", "nric": "ID", "mykad": "ID", "udid": "ID", "national insurance": "ID", "philhealth": "ACCOUNT", "nhif": "ACCOUNT",
    "nhis": "ACCOUNT", "mediclaim": "ACCOUNT", "ohip": "ACCOUNT", "iban": "ACCOUNT", "medical aid": "ACCOUNT",
    "zip": "ADDRESS", "zip code": "ADDRESS", "zipcode": "ADDRESS", "postcode": "ADDRESS", "postal code": "ADDRESS",
    "gps": "ADDRESS", "digital address": "ADDRESS", "gps address": "ADDRESS", "sn": "ID", "s/n": "ID",
    # national identity, tax and health numbers of other countries, by their usual names
    "cpf": "ID", "dni": "ID", "nie": "ID", "nif": "ID", "curp": "ID", "rfc": "ID", "nss": "ID", "codice fiscale": "ID",
    "bsn": "ID", "rut": "ID", "pesel": "ID", "personnummer": "ID", "cpr": "ID", "tckn": "ID", "kimlik": "ID",
    "nik": "ID", "ktp": "ID", "nhi": "ID", "cédula": "ID", "cedula": "ID", "cuil": "ID", "cuit": "ID", "hkid": "ID",
    "amka": "ID", "tfn": "ID", "ihi": "ID", "abha": "ID", "bvn": "ACCOUNT", "sss": "ID", "umid": "ID", "omang": "ID",
    "huduma": "ID", "ssnit": "ID", "phn": "ID", "hcn": "ID", "iqama": "ID", "zehut": "ID", "melli": "ID", "nid": "ID",
    "rrn": "ID", "resident registration": "ID", "cccd": "ID", "cmnd": "ID", "bpjs": "ACCOUNT", "ird": "ID", "ramq": "ACCOUNT",
    "pps": "ID", "ppsn": "ID", "cnp": "ID", "ahv": "ID", "avs": "ID", "svnr": "ID", "sozialversicherungsnummer": "ID",
    "versichertennummer": "ACCOUNT", "krankenversichertennummer": "ACCOUNT", "fødselsnummer": "ID", "hetu": "ID",
    "henkilötunnus": "ID", "rijksregisternummer": "ID", "burgerservicenummer": "ID", "vitale": "ID",
    "sécurité sociale": "ID", "securite sociale": "ID", "sanitaria": "ID", "nuss": "ID", "utente": "ID", "ciudadanía": "ID",
    "ciudadania": "ID", "citizenship": "ID", "imss": "ACCOUNT", "cns": "ID", "imei": "ID",
    "folio": "ACCOUNT", "legajo": "MRN", "snils": "ID", "oms": "ACCOUNT", "polis": "ACCOUNT", "medical card": "MRN",
    # records, insurance, identity and phone labels in other languages ("nº de historia clínica", "número de póliza",
    # "Aufnahmenummer", "adhérent n°", "o meu telemóvel é", "teléfono fijo:")
    "historia clínica": "MRN", "historia clinica": "MRN", "ficha clínica": "MRN", "ficha clinica": "MRN",
    "cartella clinica": "MRN", "prontuário": "MRN", "prontuario": "MRN", "aufnahmenummer": "MRN",
    "fallnummer": "MRN", "patientennummer": "MRN", "dossier médical": "MRN", "dossier medical": "MRN",
    "póliza": "ACCOUNT", "poliza": "ACCOUNT", "apólice": "ACCOUNT", "apolice": "ACCOUNT", "polizza": "ACCOUNT",
    "adhérent": "ACCOUNT", "adherent": "ACCOUNT", "afiliación": "ACCOUNT", "afiliacion": "ACCOUNT",
    "afiliado": "ACCOUNT", "carteirinha": "ACCOUNT", "mutuelle": "ACCOUNT", "krankenkasse": "ACCOUNT",
    "seguridad social": "SSN", "seguridade social": "SSN", "previdenza sociale": "SSN", "sozialversicherung": "SSN",
    "identità": "ID", "identita": "ID", "identidad": "ID", "identidade": "ID", "identité": "ID", "identite": "ID",
    "personalausweis": "ID", "ausweis": "ID", "reisepass": "ID", "pasaporte": "ID", "passaporte": "ID",
    "passeport": "ID", "passaporto": "ID", "placa": "ID", "matrícula": "ID", "kennzeichen": "ID", "rg": "ID",
    "teléfono": "PHONE", "telefono": "PHONE", "telefone": "PHONE", "telefon": "PHONE", "telemóvel": "PHONE",
    "telemovel": "PHONE", "celular": "PHONE", "cel": "PHONE", "móvil": "PHONE", "movil": "PHONE", "handy": "PHONE",
    "fijo": "PHONE", "portable": "PHONE", "cellulare": "PHONE", "telefonnummer": "PHONE", "rufnummer": "PHONE",
    "processo": "MRN", "processo hospitalar": "MRN", "processo clínico": "MRN", "processo clinico": "MRN",
    "księgi głównej": "MRN", "księga główna": "MRN", "gmc": "ID", "npf": "ID", "credencial": "ACCOUNT",
    "sv-nummer": "SSN", "svnr.": "SSN",
    "bht": "MRN", "bht no": "MRN", "rekam medis": "MRN", "hasta no": "MRN", "hasta numarası": "MRN",
    "patiëntnummer": "MRN", "patientnummer": "MRN", "regd no": "MRN", "nssf": "ACCOUNT", "moh number": "ID",
    "esenzione": "ID", "dowodu osobistego": "ID", "dowód osobisty": "ID",
    # in Cyrillic, Vietnamese, Haitian Creole and Arabic: "полис ОМС", "số hồ sơ bệnh án là", "nimewo dosye m se",
    # "رقم ملفي"
    "transaction": "ACCOUNT", "transaction code": "ACCOUNT", "txn": "ACCOUNT", "reisepassnummer": "ID",
    "passnummer": "ID", "booking": "ID", "booking ref": "ID", "pnr": "ID",
    "полис": "ACCOUNT", "омс": "ACCOUNT", "снилс": "ID", "паспорт": "ID", "инн": "ID", "история болезни": "MRN",
    "hồ sơ": "MRN", "bệnh án": "MRN", "mã bệnh nhân": "MRN", "dosye": "MRN", "nimewo dosye": "MRN",
    "ملفي": "MRN", "الملف": "MRN", "الملف الطبي": "MRN", "رقم الملف": "MRN",
    # Persian, Nepali and Hindi: "شماره پرونده بیمارستان ۴۴۷۱۸۲", "کد ملی", "नागरिकता नं.", "फ़ोन"
    "پرونده": "MRN", "پرونده بیمارستان": "MRN", "کد ملی": "SSN", "تلفن": "PHONE", "موبایل": "PHONE",
    "नागरिकता": "SSN", "फोन": "PHONE", "फ़ोन": "PHONE", "मोबाइल": "PHONE", "ফোন": "PHONE", "মোবাইল": "PHONE",
}
_WEAK_LABELS = {
    "record": "MRN", "patient": "MRN", "hospital": "MRN", "chart": "MRN", "registration": "MRN", "reg": "MRN",
    "case": "MRN", "ip": "MRN", "op": "MRN", "admission": "MRN", "clinic": "MRN", "prescription": "ID", "rx": "ID",
    "accession": "MRN",  # a pathology lab's; weak, so that a GenBank accession in an abstract stays
    "member": "ACCOUNT", "membership": "ACCOUNT", "customer": "ACCOUNT", "insurance": "ACCOUNT", "beneficiary": "ACCOUNT",
    "subscriber": "ACCOUNT", "group": "ACCOUNT", "claim": "ACCOUNT", "card": "ACCOUNT", "plan": "ACCOUNT",
    "bank": "ACCOUNT",
    "certificate": "ID", "device": "ID", "vehicle": "ID", "pan": "ID", "employee": "ID",
    "contact": "PHONE", "my": "PHONE", "emergency": "PHONE",
    "sort": "ACCOUNT",  # a British bank's sort code ("code" is a qualifier)
    "dl": "ID", "cc": "ID", "c c": "ID",  # a driving licence ("Florida DL is"), a Colombian cédula ("cc. 52.874.119")
    "mr": "MRN", "nin": "ID", "nic": "ID", "ic": "ID", "ni": "ID", "nhs": "ID", "emirates": "ID", "national": "ID", "voter": "ID",
    "kra": "ID", "transmitter": "ID", "sensor": "ID", "pump": "ID", "sin": "ID", "hosp": "MRN", "file": "MRN",
    "folder": "MRN", "chi": "ID", "tin": "ID", "pin": "ID", "cr": "MRN", "hn": "MRN", "opd": "MRN", "ipd": "MRN",
    "urn": "MRN", "ur": "MRN", "episode": "MRN", "encounter": "MRN", "specimen": "MRN", "rg": "ID", "sus": "ID",
    "invoice": "ACCOUNT", "receipt": "ACCOUNT", "acc": "ACCOUNT", "mbr": "ACCOUNT", "work": "PHONE",
    "matric": "ID", "student": "ID", "staff": "ID", "ring": "PHONE", "sms": "PHONE",
    "historia": "MRN", "ficha": "MRN", "dossier": "MRN", "expediente": "MRN", "cartella": "MRN", "hc": "MRN",
    "contrato": "ACCOUNT", "beneficiario": "ACCOUNT", "tessera": "ID", "étudiant": "ID", "etudiant": "ID",
    "estudiante": "ID", "carnet": "ID", "utente": "ID",
}
_QUALIFIERS = frozenset({"number", "num", "no", "nr", "id", "#", "code", "is", "was", "at", "on", "plate", "as", "ref",
                         "reference",
                         "identifier", "numbers", "are", "were", "nummer", "numero", "número", "nro", "núm",
                         # in other languages: "n°", "nº", "numéro", "es", "é", "è", "est", "ist", "är", "er", "de"
                         "n", "n°", "nº", "n.º", "№", "numéro", "numer", "numara", "es", "é", "è", "est", "ist", "är", "er",
                         "de", "do", "da", "del", "di", "du", "le", "la", "el", "il", "a",
                         # "rekam medis saya", "nimewo dosye m se", "số hồ sơ là"
                         "saya", "se", "m", "là", "là:", "नं", "नंबर", "नम्बर", "نمبر", "شماره", "নং", "নম্বর"})
# (letters of any script: "hasta numarası", "księgi głównej", "полис")
_LABEL_WORD_RX = re.compile(r"(?:[^\W\d_]|[/'])+|#")
# the last word a label can end with (labels, their last words, qualifiers; "" for a bare ":" or "#"; "and" of a
# second value after a labelled one)
_LABEL_LAST_WORDS = frozenset(
    {phrase.split()[-1] for phrase in (*_STRONG_LABELS, *_WEAK_LABELS)} | _QUALIFIERS | {"", "and", "or", "&"}
    | {"mine", "hers", "his", "theirs", "ours"})
# a label with what it belongs to between it and the value: "the VIN of the car is", "account number for direct
# debit is", "folder number at Korle Bu is" (the words of the label's clause, qualifiers at its end popped)
_OF_WORDS = frozenset("of for on at in".split())
# "21H0577413 (left) and ": the identifier a second one is joined to (its label labels both)
_PREVIOUS_VALUE_RX = re.compile(r"(?<![A-Za-z0-9])([A-Z0-9](?:[-/.]?[A-Z0-9])*)(?:[ \t]*\([^()\n]{1,24}\))?"
                                r"[ \t]*,?[ \t]*(?:and|or|&)(?:[ \t]+(?:mine|hers|his|theirs|ours))?[ \t]*$")
_PARENTHESIS_RX = re.compile(r"[ \t]*\([^()]*\)")
_CLAUSE_BREAK_RX = re.compile(r"[,;!?\n]|(?<!no)(?<!nr)(?<!num)(?<!ref)\.[ \t]")  # "Passport No. of my mother:"


_PRODUCT_LICENCES = frozenset(f"{what} {word}" for word in ("licence", "license") for what in (
    "product", "manufacturing", "manufacturer's", "manufacturers", "wholesale", "wholesaler's", "import", "drug",
    "establishment", "site", "marketing"))


def _label_type(text: str, start: int, digits: int = 0, strong_only: bool = False) -> str | None:
    """The identifier type named by the label just before `start`, if any. A weak label counts with a
    qualifier between it and the number ("group no. 0881424") or before a number of six digits or more."""
    tail = text[max(0, start - 48):start]
    cut = tail.rfind("\x1e")
    if cut >= 0:
        tail = tail[cut + 1:]  # a label never reaches back into the previous field (see FIELD_SEPARATOR)
    tail = tail.rstrip(" \t").lower()
    if ")" in tail:
        tail = _PARENTHESIS_RX.sub("", tail).rstrip(" \t")  # "BSN (citizen service number) is", "ID (MRN):"
    # most numbers follow an ordinary word: reject those on the last word alone
    # rsplit of a string that is only whitespace (a field separator, "\x1e") is empty
    parts = tail.rsplit(None, 1)
    last = parts[-1].strip(":#=-.()№") if parts else ""
    if "-" in last:
        last = last.rsplit("-", 1)[-1]  # "CPR-nummer", "Steuer-ID"
    if last not in _LABEL_LAST_WORDS:
        # "file # at the cancer centre:": a label, what it belongs to and a colon
        return _label_of(tail) if tail.endswith(":") and not strong_only else None
    if last in ("mine", "hers", "his", "theirs", "ours"):
        # "Aadhaar no 1234-5678-9012 and mine 8812-3345-6670": the same label for one more person
        if not tail[:-len(last)].rstrip().endswith((" and", " or", " &", ",")):
            return None
        last = "and"
    if last in ("and", "or", "&"):
        prev = _PREVIOUS_VALUE_RX.search(text, max(0, start - 64), start)
        if prev is None or _digits(prev.group(1)) < 4 or prev.start(1) >= start:
            return None
        return _label_type(text, prev.start(1), digits, strong_only)
    qualified = bool(tail) and tail[-1] in ":#="
    words = _LABEL_WORD_RX.findall(tail)[-5:]
    # a label that ends with a qualifier of its own: "Hasta no", "Regd No.", "BHT no"
    for k in (3, 2):
        if len(words) >= k and words[-1] in _QUALIFIERS:
            kind = _STRONG_LABELS.get(" ".join(words[-k:]))
            if kind:
                return kind
    # "Medical record number is" -> drop the qualifiers from the end
    popped = []
    while words and words[-1] in _QUALIFIERS:
        qualified = True
        popped.append(words.pop())
    weak = (qualified or digits >= 6) and not strong_only
    for k in (3, 2, 1):
        if len(words) >= k:
            phrase = " ".join(words[-k:])
            if phrase in _PRODUCT_LICENCES:
                return None  # "Product licence PL 04569/0123": a product's or a firm's licence, not a person's
            kind = _STRONG_LABELS.get(phrase)
            if kind:
                return kind
            if weak:
                kind = _WEAK_LABELS.get(phrase)
                if kind:
                    return kind
    if qualified and not strong_only:
        # a label word a word or two further back: "hospital MR No.", "certificate UDID no.", "policy of my mediclaim"
        for word in words[-3:-1]:
            kind = _STRONG_LABELS.get(word) or _WEAK_LABELS.get(word)
            if kind and kind != "PHONE":
                return kind
        if "id" in popped:
            return "ID"  # "Emirates ID is", "my KRA and ID number is"
        acronym = _ACRONYM_LABEL_RX.search(text, max(0, start - 32), start) if digits >= 6 and words else None
        if acronym and acronym.group("a") not in _PRODUCT_ACRONYMS \
                and not _CODE_NOT_AFTER_LABEL_RX.search(text, max(0, start - 48), start):
            return "ID"  # "my late husband's GHS number 4471-0092": a scheme's acronym and "number"
        return _label_of(tail)
    return None


# an acronym of a scheme or an office before "number"/"no."/"#": "GHS number", "UIF no.", "NSSF #" (not a product's or a
# publication's code: `_CODE_NOT_AFTER_LABEL_RX`)
_ACRONYM_LABEL_RX = re.compile(r"(?<![\w-])(?P<a>[A-Z]{2,6})[ \t]+(?i:number|num\.?|no\.?|nr\.?|n[º°o]\.?|#)[ \t]*(?:is|:|#|-)?[ \t]*$")


# regulators' and registries' numbers of products, not of persons: "the FDA number 1234567 of the device"
_PRODUCT_ACRONYMS = frozenset("""FDA EMA MHRA CE UDI GMDN CAS EC ATC ISO USP BP ANDA NDA BLA IND EUA PL MA EU DIN NPN ARTG
AUST NAFDAC CDSCO TGA HSA PMDA NMPA ANVISA INVIMA COFEPRIS SAHPRA KEBS WHO UN GTIN EAN UPC SKU CAT REF LOT NDC ISBN ISSN
DOI PMID NCT CFR FR""".split())


def _label_of(tail: str) -> str | None:
    """The type of a label that names what it belongs to before the value: "the VIN of the car is", "MRN on my
    bracelet was", "folder number at Korle Bu is" (`tail`: lower case, up to the value). A weak label needs a
    qualifier of its own before the "of" ("file # at the cancer centre:")."""
    cut = max((m.end() for m in _CLAUSE_BREAK_RX.finditer(tail)), default=0)
    words = _LABEL_WORD_RX.findall(tail[cut:])
    while words and words[-1] in _QUALIFIERS:
        words.pop()
    for i in range(max(1, len(words) - 5), len(words) - 1):
        if words[i] not in _OF_WORDS:
            continue
        j = i
        while j > 0 and words[j - 1] in _QUALIFIERS:
            j -= 1
        for k in (2, 1):
            if j >= k:
                phrase = " ".join(words[j - k:j])
                kind = _STRONG_LABELS.get(phrase) or (_WEAK_LABELS.get(phrase) if j < i else None)
                if kind and kind != "PHONE":
                    return kind
    return None


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _valid_dmy(a: int, b: int) -> bool:
    """True if (a, b) is a day/month or month/day pair."""
    return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)


_NEXT_DIGIT_GROUP_RX = re.compile(r"[ \t-][0-9]{3,}(?![0-9A-Za-z])")
_ID_GROUPS_AFTER_RX = re.compile(r"(?:[-/][0-9A-Z]+)+(?![0-9A-Za-z])")


# a product's expiry: the word right before the date and a lot or batch number shortly before it (a person's
# card that "expires 12/05/2027" is still a date)
_PRODUCT_EXPIRY_BEFORE_RX = re.compile(r"(?i:\b(?:exp|expiry|expires?|expiring|expiration|use[ \t]+by|best[ \t]+before)\b)\.?"
                                       r"(?:[ \t]+(?i:date))?[ \t]*[:=]?[ \t]*$")
_LOT_BEFORE_RX = re.compile(r"(?i:\b(?:lot|batch|ch\.-b|lote|lotto|charge)\b)")


def _product_expiry(text: str, start: int) -> bool:
    return _PRODUCT_EXPIRY_BEFORE_RX.search(text, max(0, start - 24), start) is not None and \
        _LOT_BEFORE_RX.search(text, max(0, start - 64), start) is not None


def _digit_span(m: re.Match, text: str) -> tuple[int, int, str, str] | None:
    kind = m.lastgroup
    start, end = m.span()
    s = m.group()
    prev = text[start - 1] if start else " "
    if kind in ("postcode_uk", "postcode_ca"):
        # "SW11 4NJ", "M1 1AE", "K1A 0B1": the letters before the first digit are the code's own
        lead = 2 if start >= 2 and text[start - 2].isupper() and kind == "postcode_uk" else 1
        if start < lead or (start > lead and (text[start - lead - 1].isalnum() or text[start - lead - 1] in "-/")):
            return None  # "COVID19 2AB", a longer token
        return start - lead, end, "ADDRESS", PLACEHOLDERS["ADDRESS"]
    if kind not in ("labelled", "pan") and s[0].isdigit() and (prev.isalnum() or prev in "._"):
        if not prev.isupper():
            return None  # part of a longer token (a decimal, a code, a version)
        kind = "labelled"  # capitals glued before the digits ("GLM4418820913", "S25-019384"): only with a label
    if kind == "card":
        if _luhn(s) or _CARD_WORD_BEFORE_RX.search(text, max(0, start - 40), start):
            # a payment card number; or one that fails the check after a card's word ("full number 4532 7153 3790
            # 4417", "Numéro complet 4970 1122 3344 4417": mistyped, or made up in a test)
            return start, end, "ACCOUNT", PLACEHOLDERS["ACCOUNT"]
        kind = "labelled"  # sixteen digits in fours that fail the check: an identifier only with a label
    if kind == "pin":
        # an Indian PIN code after the place it belongs to ("Andheri West, Mumbai 400053") or its label
        if _PIN_PLACE_BEFORE_RX.search(text, max(0, start - 40), start) or \
                _PIN_LABEL_BEFORE_RX.search(text, max(0, start - 16), start):
            return start, end, "ADDRESS", PLACEHOLDERS["ADDRESS"]
        kind = "labelled"
    if kind == "pan":
        return start - 5, end, "ID", PLACEHOLDERS["ID"]  # an Indian PAN: five letters, four digits, a letter
    if kind == "plate_in":
        # an Indian vehicle registration: state, district, series, number ("KA 05 MH 4432"); "ON 3 MAY 2020" is a date
        series = "".join(c for c in s if c.isalpha())
        if ((start == 3 or (start > 3 and not text[start - 4].isalnum())) and text[start - 3:start - 1] in _IN_STATES
                and series not in _MONTH_ABBREVIATIONS):
            return start - 3, end, "ID", PLACEHOLDERS["ID"]
        return None
    if kind == "month_day":
        # "Fri 7/19", "bitten on 28/10", "LMP 28/2": a day and month after a weekday or a date cue; other fractions
        # ("6/9", "1/2", "BP 130/90", "LMP 3/7 ago") are none. After "was"/"is" only a day that cannot be a month
        # and a month that is not a duration's denominator ("the cycle was 31/10"; "pain was 7/10", "14/7", "18/12")
        a, b = (int(p) for p in s.split("/"))
        if a in (6, 20) and _ACUITY_NEAR_RX.search(text, max(0, start - 40), min(len(text), end + 24)):
            return None  # "VA RE 6/9, LE 6/12 unaided": visual acuity, not days and months
        if _valid_dmy(a, b) and (_WEEKDAY_BEFORE_RX.search(text, max(0, start - 12), start)
                                 or (_DATE_CUE_BEFORE_RX.search(text, max(0, start - 12), start)
                                     and not (b == 10 and a <= 10 and _out_of_ten(text, start, end)))
                                 # (a weekday or time after: not a score out of ten or a fraction, "pain 3/10 at
                                 # 5pm", "1/2 at 8 am")
                                 or (_WEEKDAY_OR_TIME_AFTER_RX.match(text, end) and b != 10 and not a < b <= 4)) \
                and not _AGO_AFTER_RX.match(text, end) and not _NOT_A_DAY_AFTER_RX.match(text, end):
            return start, end, "DATE", PLACEHOLDERS["DATE"]  # (not "Mon/Wed/Fri, 1/2 tablet other days")
        if _day_range(text, start, end, a, b):
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        if _valid_dmy(a, b) and b != 10 and not a < b <= 4 and _DATE_LIST_BEFORE_RX.search(text, max(0, start - 40), start):
            return start, end, "DATE", PLACEHOLDERS["DATE"]  # "sessions on 3/9, 11/9 and 18/9"
        if _valid_dmy(a, b) and b != 10 and not a < b <= 4 and _DAY_END_RX.match(text, end) and \
                _EVENT_BEFORE_DAY_RX.search(text, max(0, start - 24), start):
            # "biopsy taken 9/30, results", "the taper ends 12/21.", "last fill 10/02,", "readmitted 10/12 with fever"
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        if 13 <= a <= 31 and 1 <= b <= 11 and b != 7 and _WAS_BEFORE_RX.search(text, max(0, start - 8), start) \
                and not _MEASURE_WAS_BEFORE_RX.search(text, max(0, start - 24), start):
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        # "Last period was 9/15", "my next chemo cycle is 12/3": a day and month (either order) after "was"/"is"
        # when what was or is names an event of a date
        # (not a duration in days, months or weeks: "review in 6/12", "3/7", "6/52")
        if b not in (7, 12, 52) and (_valid_dmy(a, b) or _valid_dmy(b, a)) and \
                _IS_WAS_BEFORE_RX.search(text, max(0, start - 8), start) \
                and _DATED_EVENT_BEFORE_RX.search(text, max(0, start - 36), start) \
                and not _MEASURE_WAS_BEFORE_RX.search(text, max(0, start - 24), start):
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        if _valid_dmy(a, b) and _BIRTHDAY_BEFORE_RX.search(text, max(0, start - 16), start) and \
                not _NOT_A_DAY_AFTER_RX.match(text, end):
            return start, end, "DATE", PLACEHOLDERS["DATE"]  # "his birthday is 25/12"
        # "can we change it to 6/17?", "I can't make 11/30", "cancel 14/11", "exame marcado para 19/3", "ngày 5/12":
        # a day and month after a rebooking verb or a word for "on", in a message about an appointment
        if _valid_dmy(a, b) and not (a < b <= 4) and _BOOKING_VERB_BEFORE_RX.search(text, max(0, start - 12), start) \
                and not _NOT_A_DAY_AFTER_RX.match(text, end) \
                and not (b == 10 and ("/10" in text[end:] or "/10" in text[:start])) \
                and not _FRACTION_TO_BEFORE_RX.search(text, max(0, start - 16), start) \
                and _BOOKING_WORD_RX.search(text, text.rfind("\x1e", 0, start) + 1,
                                            len(text) if text.find("\x1e", end) < 0 else text.find("\x1e", end)):
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        return None
    if kind == "day_ord":
        # "Monday 14th", "Thursday the 17th", "January the 4th", "december 15th": an ordinal day after a weekday or
        # a month in any case (the day before a month: date_ord)
        if _CENTILE_NEAR_RX.search(text, max(0, start - 48), min(len(text), end + 16)):
            return None  # "Weight on the 9th centile, length on the 25th": growth centiles
        before = _DAY_OWNER_BEFORE_RX.search(text, max(0, start - 16), start)
        if before is None and 1 <= int(s[:-2]) <= 31 and _ordinal_date_end(text, end) and (
                _ORDINAL_CUE_BEFORE_RX.search(text, max(0, start - 12), start)
                or _ORDINAL_LIST_BEFORE_RX.search(text, max(0, start - 16), start)):
            # "from 3rd to 10th", "before the 15th", "visits on 2nd, 9th and 16th": a day after a date cue or
            # after another day in a list or range, where no noun follows ("on 2nd floor", "after the 3rd shock",
            # "from 50th to 9th centile" count something else)
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        if before is None or not 1 <= int(s[:-2]) <= 31 or _COUNTED_AFTER_RX.match(text, end):
            return None  # "on Monday 1st week": an ordinal of something else
        year = _YEAR_AFTER_MONTH_RX.match(text, end)
        first = start if before.group()[:2].lower() == "on" else before.start()  # "on the 22nd": the day only
        return first, year.end() if year else end, "DATE", PLACEHOLDERS["DATE"]
    if kind == "month_year":
        # "last tetanus was 06/2014", "since 3/2019": a month and year, written with two digits or after a date
        # cue ("the risk is 1/2000" is a ratio); an expiry ("expiry 08/2025", "exp 11/2026") or a batch's date is not the patient's
        mo = int(s.split("/")[0])
        if prev not in "/-" and 1 <= mo <= 12 and (s[1] != "/" or _DATE_CUE_BEFORE_RX.search(text, max(0, start - 10), start)) \
                and not _EXPIRY_BEFORE_RX.search(text, max(0, start - 24), start) \
                and not _DOCUMENT_DATE_BEFORE_RX.search(text, max(0, start - 24), start) \
                and _label_type(text, start) is None:
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        kind = "labelled"  # "case no. 12/2019"
    if kind == "date_ord":
        return start, end, "DATE", PLACEHOLDERS["DATE"]  # "the 3rd of may", "21st Dec 2024"
    if kind == "date_verb_month":
        # "on monday 3 march", "since 2 may 2024": a day before "march" or "may" (verbs too: "3 may need") only
        # after a weekday or a date cue, or with a year
        if 1 <= int(s[:2] if s[1:2].isdigit() else s[:1]) <= 31 and (
                s[-1].isdigit() or _WEEKDAY_BEFORE_RX.search(text, max(0, start - 12), start)
                or _DATE_CUE_BEFORE_RX.search(text, max(0, start - 12), start)):
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        return None
    if kind == "date_lower":
        if 1 <= int(s[:2] if s[1:2].isdigit() else s[:1]) <= 31:
            return start, end, "DATE", PLACEHOLDERS["DATE"]  # "on 10 june", "3 dec 2024" (the capitalised: cue pass)
        return None
    if kind == "phone_trunk" and not 8 <= _digits(s) <= 11:
        return None
    if (kind == "phone_zero" and not 10 <= _digits(s) <= 12) or (kind == "phone_00" and not 11 <= _digits(s) <= 15):
        # not the length of a UK/EU national number (0 + 9 or 10 digits: "07700 900123", "020 7946 0958") or of
        # "00" + country code + number ("00966 55 812 3374"): an identifier only with a label ("GPS GA-018-4421")
        kind = "labelled"
    if kind in ("phone_paren", "phone_trunk", "phone_us1", "phone_us", "phone_in", "phone_bare", "phone_zero",
                "phone_00", "phone_fr"):
        if _GROUPED_NOT_AFTER_RX.match(text, end):
            return None  # a series of doses or readings: "250 500 750 1000 mg"
        if kind == "phone_bare":
            if _NOT_A_PHONE_BEFORE_RX.search(text, max(0, start - 16), start):
                return None  # ISBN 9789241549950, PMID, ISSN
            label = _label_type(text, start, _digits(s))
            if label and label != "PHONE":
                return start, end, label, PLACEHOLDERS[label]  # "PESEL 85010212345", "cédula 1712345678"
        # a group of 3+ digits right after it belongs to the same number ("60000 07700 900123" must not
        # leave "900123" behind); the number is scrubbed whole
        while (more := _NEXT_DIGIT_GROUP_RX.match(text, end)) is not None:
            end = more.end()
        return start, end, "PHONE", PLACEHOLDERS["PHONE"]
    if kind == "phone_intl":
        # trim a trailing separator the greedy groups may have eaten, and whole groups of digits
        # beyond the 15 a phone number can have ("+44 20 7946 0958 00000000": the last run is not part of it)
        while s and not s[-1].isdigit():
            s = s[:-1]
            end -= 1
        while _digits(s) > 15:
            cut = max(s.rfind(c) for c in " \t-.(")
            if cut <= 0:
                break
            end -= len(s) - cut
            s = s[:cut].rstrip(" \t-.(")
            end = start + len(s)
        if 8 <= _digits(s) <= 15:
            return start, end, "PHONE", PLACEHOLDERS["PHONE"]
        return None
    if kind == "ssn":
        return start, end, "SSN", PLACEHOLDERS["SSN"]
    if kind == "ip":
        if _NOT_AN_IP_BEFORE_RX.search(text, max(0, start - 8), start):
            return None  # enzyme numbers (EC 3.1.1.11), section and version numbers
        if all(0 <= int(p) <= 255 for p in s.split(".")):
            return start, end, "IP", PLACEHOLDERS["IP"]
        kind = "labelled"  # "cédula 1.020.304.050": an identifier if a label names it
    if kind in ("date_iso", "date_num") and _product_expiry(text, start):
        return None  # "lot 4B7721, exp 2027-08-31", "batch TD2741, expires 30/06/2027": a product's date
    if kind == "date_iso":
        y, mo, d = (int(p) for p in s.split(m.group("isep")))
        # (with slashes also a year of the Hijri calendars: "admitted on 1445/03/12", "born 1365/01/21")
        if (1900 <= y <= 2099 or (1300 <= y <= 1460 and m.group("isep") == "/")) and 1 <= mo <= 12 and 1 <= d <= 31:
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        return None
    if kind == "date_num":
        if "pgar" in text[max(0, start - 12):start]:
            return None  # "Apgar 8/9/10": scores at one, five and ten minutes
        sep = m.group("dsep")
        a, b, y = s.split(sep)
        # (1.5.10 or 1-2-10 is a version or a schedule, not a date; "3-14-25", "on 12-6-21" are dates)
        if (sep == "/" or len(y) == 4 or (sep == "-" and 12 < max(int(a), int(b)) <= 31) or
                _DATE_CUE_BEFORE_RX.search(text, max(0, start - 10), start)) and _valid_dmy(int(a), int(b)):
            return start, end, "DATE", PLACEHOLDERS["DATE"]
        label = _label_type(text, start, 6) if sep == "-" else None
        if label and label not in ("PHONE", "MRN"):
            return start, end, label, PLACEHOLDERS[label]  # "sort code 30-99-50": no date, a labelled number
        return None
    if kind == "zip":
        if text[start - 3:start - 1] not in _US_STATES:
            return None
        city = _CITY_BEFORE_ZIP_RX.search(text, max(0, start - 48), start)
        return (city.start() if city else start - 3), end, "ADDRESS", PLACEHOLDERS["ADDRESS"]
    if kind == "age":
        if 90 <= int(s) <= 130:
            return start, end, "AGE", PLACEHOLDERS["AGE"]
        return None
    if kind == "age_bare":
        # "aged 97", "age: 102": an age label before a bare number
        if 90 <= int(s) <= 130 and (_AGE_LABEL_BEFORE_RX.search(text, max(0, start - _AGE_LABEL_REACH), start) or (
                _age_verb_before(text, start) and _person_is_before(text, start)
                and not _NOT_AN_AGE_AFTER_RX.match(text, end))):
            return start, end, "AGE", PLACEHOLDERS["AGE"]
        if 90 <= int(s) <= 130 and _KIN_RIGHT_BEFORE_AGE_RX.search(text, max(0, start - 40), start) and \
                not _NOT_AN_AGE_AFTER_RX.match(text, end):
            return start, end, "AGE", PLACEHOLDERS["AGE"]  # "My mother 91 came from Vietnam"
        if 90 <= int(s) <= 120 and _AGE_CLOSE_AFTER_RX.match(text, end) and \
                _NAMED_PERSON_BEFORE_AGE_RX.search(text, max(0, start - 48), start):
            return start, end, "AGE", PLACEHOLDERS["AGE"]  # "my father, Mr. Brennan, 97, in a home", "(Mr Khan, 90)"
        if 90 <= int(s) <= 120 and not _NOT_AN_AGE_AFTER_RX.match(text, end) and (
                _DEATH_AT_BEFORE_RX.search(text, max(0, start - 40), start)
                or (_AT_AGE_BEFORE_RX.search(text, max(0, start - 16), start) and _AT_AGE_AFTER_RX.match(text, end))):
            return start, end, "AGE", PLACEHOLDERS["AGE"]  # "passed away at 94", "At 95, my dad still walks"
        if 90 <= int(s) <= 120 and _THIS_YEAR_AFTER_AGE_RX.match(text, end):
            return start, end, "AGE", PLACEHOLDERS["AGE"]  # "actually 93 this year", "she'll be 100 next month"
        if 90 <= int(s) <= 130 and _SEX_AFTER_AGE_RX.match(text, end) and \
                (text[max(0, start - 2):start] in (", ", "(") or (
                    _PT_BEFORE_AGE_RX.search(text, max(0, start - 12), start)  # (not "Patient 95 F temperature")
                    and not _TEMPERATURE_BEFORE_RX.search(text, end, end + 24))) \
                and not _TEMPERATURE_BEFORE_RX.search(text, max(0, start - 24), start):
            return start, end, "AGE", PLACEHOLDERS["AGE"]  # "Ptn: Jane Roe, 92F, bedbound", "(94 M)", "Pt 96M"
        if 90 <= int(s) <= 120 and not _NOT_AN_AGE_AFTER_RX.match(text, end) and (
                _PERSON_OF_AGE_BEFORE_RX.search(text, max(0, start - 40), start)
                or _born_now(text, start, int(s))):
            return start, end, "AGE", PLACEHOLDERS["AGE"]  # "a man of about 95", "born 1933 ..., now 92"
        return None
    # a number with at least four digits: an identifier only if a label names it
    while s and not s[-1].isalnum():
        s = s[:-1]
        end -= 1
    more = _ID_GROUPS_AFTER_RX.match(text, end)  # "0071-3382-9": the groups a phone shape left behind
    if more:
        end = more.end()
    if end < len(text) and text[end].isalnum():
        # "MRN 7654321 0a": a last group glued to the next word belongs to that word, the number ends before it
        token = text[start:end]
        cut = max(token.rfind(" "), token.rfind("\t"))
        if cut <= 0:
            return None  # a longer token with lower-case letters: a hex or version string ("2108972723a01e02")
        end = start + len(token[:cut].rstrip(" \t.-/"))
    # include letters glued to the front ("AB-1234567", "LUTH/2019/48812")
    while start and (text[start - 1].isalnum() or (text[start - 1] in "-/" and start > 1 and text[start - 2].isalnum())):
        start -= 1
    if _TRIAL_REGISTRY_RX.match(text, start):
        return None  # a public trial registration ("CLINICAL TRIAL REGISTRATION: NCT00816829"), not a person's
    if _SMALL_DECIMAL_RX.fullmatch(text, start, end):
        return None  # a measurement ("the 90+ group was 93.1 years"), whatever label comes before it
    kind = _label_type(text, start, _digits(text[start:end]))
    if kind is None:
        # a short group of capitals before the digits is part of the identifier ("NI number is JT 48 27 19 B")
        lead = _CAPS_GROUP_BEFORE_RX.search(text, max(0, start - 5), start)
        if lead is None:
            return None
        kind = _label_type(text, lead.start(), _digits(text[start:end]))
        if kind is None:
            return None
        start = lead.start()
        tail = _CAPS_GROUP_AFTER_RX.match(text, end)
        if tail:
            end = tail.end()
    n = _digits(text[start:end])
    if kind == "PHONE" and not 7 <= n <= 15:
        return None
    if kind == "SSN" and n != 9:
        return None
    if kind == "MRN" and _SEQUENCE_DATABASE_BEFORE_RX.search(
            text, max(0, start - 60, text.rfind("\x1e", 0, start) + 1), start):
        # "deposited in GenBank under accession number MN908947": a sequence's, no patient's (never looking back
        # into the previous field, see FIELD_SEPARATOR)
        return None
    return start, end, kind, PLACEHOLDERS[kind]


_CARD_WORD_BEFORE_RX = re.compile(r"(?i:card|visa|master|amex|carte|tarjeta|cart[ãa]o|karte|full[ \t]+(?:no|number)"
                                  r"|num[ée]ro[ \t]+complet|n[úu]mero[ \t]+completo|ending)")
# the last digits of a card or a number after "ending", "last four": "Visa ending 4417", "Last four of my social: 4419"
_LAST_DIGITS_RX = re.compile(
    r"(?<![\w])(?:(?i:(?P<ssn>social|ssn)[^\n.;]{0,12}?|(?:card|visa|mastercard|master[ \t]?card|amex|account|carte|tarjeta)"
    r"[^\n.;]{0,12}?)(?<![\w])(?i:ending(?:[ \t]+(?:in|with))?|se[ \t]+terminant[ \t]+par|terminada[ \t]+en"
    r"|que[ \t]+termina[ \t]+en)"
    r"|(?i:last[ \t]+(?:four|4)(?:[ \t]+digits)?(?:[ \t]+(?:of|are|is))?)"
    r"(?:[ \t]+(?:of[ \t]+)?(?:my|the)[ \t]+(?P<ssn2>social|ssn|card))?)"
    r"[ \t]*[:#-]?[ \t]*(?P<v>[0-9]{4})(?![0-9])(?![ \t]*(?i:mg|ml|kg|g|km|miles|steps|units)\b)")
# a number of identity in dots after its label: "C.I. 3.456.789-1", "(C.I. V-18.442.907)", "DNI de ella 4.512.087",
# "documento 5.123.456-7", "RUT 12.345.678-K", "CPF 123.456.789-09"
_DOTTED_ID_RX = re.compile(
    r"(?<![\w])(?:C\.[ \t]?I\.|(?i:ci|dni|documento|c[ée]dula|rut|run|cpf|rg|nif|nie)(?:[ \t]+(?:de[ \t]+(?:ella|[ée]l)|n[º°o]\.?))?)"
    r"[ \t]*[:#]?[ \t]*(?P<v>(?:[VEJPG]-?)?[0-9]{1,3}(?:\.[0-9]{3}){1,3}(?:-[0-9Kk]{1,2})?)(?![\w]|\.[0-9])")
_SEQUENCE_DATABASE_BEFORE_RX = re.compile(r"(?i:genbank|ena|ddbj|refseq|uniprot|deposited|sequence)")


def _name_span(m: re.Match, group: str, *, after_title: bool, strict: bool = False) -> tuple[int, int, str, str] | None:
    """The span of the name words in a cue match, skipping honorifics and stopping at non-names (`strict`: also
    faiths, peoples, places and holidays: "I am Catholic and I ...")."""
    base = m.start(group)
    value = m.group(group)
    first = last = None
    for w in _WORD_RX.finditer(value):
        word = w.group().lower()
        if after_title and first is None and word.rstrip(".") in _BRANDS_AFTER_TITLE:
            return None
        if word in _NOT_NAMES or (len(word) >= 7 and _MEDICAL_WORD_RX.search(word)) or (
                strict and word.rstrip(".,;:!?") in _FAITHS_AND_PEOPLES):
            if first is None:
                continue  # "Dear Sir John," -> skip "Sir"
            break
        if first is None:
            first = w.start()
        last = w.end()
    if first is None:
        return None
    return base + first, base + last, "NAME", PLACEHOLDERS["NAME"]


# weekdays and months that are given names too ("I am Sunday, 40 years", "I am April, 26"): the writer's name when
# an age follows
_CALENDAR_NAMES = frozenset("""sunday monday tuesday wednesday thursday friday saturday january february march april
may june july august september october november december""".split())


_KIN_NAME_VERB_AFTER_RX = re.compile(
    r"[ \t]+(?:(?:is|was)[ \t]+[0-9]|(?:has|had|fell|felt|got|gets|keeps|cries|coughs|vomited|vomits|should|can't"
    r"|cannot|won't|woke|complains|says|said|sleeps|eats|drinks|wakes|feels|seems|looks|keeps|gets)\b"
    r"|(?:is|was)[ \t]+(?:having|sick|ill|unwell|born|diagnosed|bitten)\b"
    r"|[ \t]*\((?:she|he|they|we|yes|born|aged?|[0-9]))")


_SIGNOFF_PAIR_RX = re.compile(rf"[ \t]*(?:&|and)[ \t]+{_NAME}(?=[ \t]*(?:[,.!(\n]|$))")
_DOCTOR_THING_WORDS = frozenset("service services hospital clinic clinics centre center surgery app".split())


_WRITING_AFTER_RX = re.compile(r"[ \t]+(?:writing|messaging|speaking)\b")
# the endings of medicines' names (no person's name): "this is Lisinopril", "it's Rosuvastatin"
_DRUG_ENDING_RX = re.compile(r"(?:mab|nib|pril|sartan|olol|statin|azole|mycin|cillin|floxacin|pine|zepam|zolam|tidine"
                             r"|prazole|gliptin|flozin|glutide|tide|vir|xaban|parin|semide|thiazide|cycline|profen|fenac"
                             r"|triptan|setron|dronate|lukast|terol|sone|lone|olone|amine|oxetine|aline|apine|idone|afil)$")
# the opening of a message up to "this is"/"it's": a greeting or a doctor addressed, a few words at most
_GREETING_OPENS_RX = re.compile(
    r"[ \t\n]*(?i:hi+|hello|hey|dear|good[ \t]+(?:morning|afternoon|evening|day)|greetings|dr\.?|doctor|doc|sir|madam)\b"
    r"[^\n]{0,48}?[,.!?:;—–-][ \t]*$")


_LANDMARK_STREET_WORDS = frozenset("Park Gardens Hill Rise Walk".split())
_CLAUSE_END_AFTER_RX = re.compile(r"[ \t]*(?:[,;:)\n]|\.(?![0-9])|$)")


def _cue_span(m: re.Match, text: str) -> tuple[int, int, str, str] | None:
    start = m.start()
    if start and (text[start - 1].isalnum() or text[start - 1] == "'"):
        return None  # "Delhi, Ram" is not "Hi, Ram"
    group = m.lastgroup
    rule = group.split("__")[0]
    if rule == "introfirst":
        # "This is Bongani.", "its Ashley,": the writer, where the word is a known first name (not a place, not
        # a word of the language: "This is Panadol.", "It's Grace.", "this is Monday.")
        if _FIRST_NAMES is None:
            _first_names()
        if _VOCABULARY is None:
            _gazetteer()
        word = m.group(group)
        key = _lower_key(word)
        if key in _FIRST_NAMES and key not in _VOCABULARY and key not in _CALENDAR_NAMES \
                and key not in _FESTIVALS and word not in _PROSE_NOT_NAMES and (
                    key not in (_PLACES or _places()) or _OWN_CONTACT_AFTER_RX.match(text, m.end(group))):
            # (a first name that is also a town only before the writer's own contact: "its Brandon (b@x.com)")
            return m.start(group), m.end(group), "NAME", PLACEHOLDERS["NAME"]
        if _WRITING_AFTER_RX.match(text, m.end(group)) and key not in _VOCABULARY and key not in _CALENDAR_NAMES:
            # "this is Conceição writing for my mother": whoever writes is a person, whatever else the word names
            return m.start(group), m.end(group), "NAME", PLACEHOLDERS["NAME"]
        if key not in _FIRST_NAMES and key not in _VOCABULARY and key not in _CALENDAR_NAMES and key not in _FESTIVALS \
                and word not in _PROSE_NOT_NAMES and key not in (_PLACES or _places()) and len(word) >= 3 \
                and word[1:].islower() and not _DRUG_ENDING_RX.search(word) \
                and _GREETING_OPENS_RX.match(text, text.rfind("\x1e", 0, start) + 1, start):
            # a name no list knows, where the message opens with a greeting and goes on to say who writes: "hi sorry
            # to disturb. this is Ploy.", "Hi!! It's Mandla, I'll be late", "Dr Tembo, this is Mulenga, the lab slip"
            return m.start(group), m.end(group), "NAME", PLACEHOLDERS["NAME"]
        return None
    if rule == "childname":
        span = _name_span(m, group, after_title=False)
        if span is None and m.group(group).lower() in _CALENDAR_NAMES:
            span = m.start(group), m.end(group), "NAME", PLACEHOLDERS["NAME"]  # "my child Sunday has been"
        if span is None or not _KIN_NAME_VERB_AFTER_RX.match(text, span[1]):
            return None
        return span
    if rule in _NAME_RULES:
        span = _name_span(m, group, after_title=(rule in ("title", "doctor")), strict=(rule == "intro"))
        if span and rule == "signoff":
            pair = _SIGNOFF_PAIR_RX.match(text, span[1])
            if pair:  # "Signed, Kowhai and Tawhiri (parents of ...)", "Thanks heaps — Kirsty & Ngarie"
                return span[0], pair.end(), "NAME", PLACEHOLDERS["NAME"]
        if span and rule == "doctor" and not _DOCTOR_THING_WORDS.isdisjoint(text[span[0]:span[1]].lower().split()):
            return None  # "Royal Flying Doctor Service": a service, not Doctor Service
        if span and rule == "relation" and _given_to_kin(text, span[0], span[1]):
            return None  # "I gave my daughter Calpol and ...": the thing given
        if span and rule == "capslabel":
            # the first word must be able to be a name ("NAME: NOT GIVEN", "NAME: UNKNOWN": none)
            first = _WORD_RX.match(text, span[0])
            if span[0] != m.start(group) or not _caps_name_words(text, span[0], first.end(), _GAZETTEER or _gazetteer()[0]):
                return None
        if span is None and rule == "relation":
            # a weekday or a short word as a relative's name, where what follows is said of a person: "My coworker
            # Wednesday has a tremor", "my son Or fell"
            word = _WORD_RX.match(m.group(group)).group()
            if word[:1].isupper() and word[1:].islower() and _KIN_NAME_VERB_AFTER_RX.match(text, m.start(group) + len(word)):
                return m.start(group), m.start(group) + len(word), "NAME", PLACEHOLDERS["NAME"]
        if span is None and rule == "intro":
            word = _WORD_RX.match(m.group(group)).group()
            if word.lower() in _CALENDAR_NAMES and _SELF_AGE_AFTER_RX.match(text, m.start(group) + len(word)):
                return m.start(group), m.start(group) + len(word), "NAME", PLACEHOLDERS["NAME"]
        return span
    if rule in ("date", "month"):
        end = m.end()
        day_after = _FIRST_NUMBER_RX.search(m.group())
        if day_after and len(day_after.group()) <= 2 and not 1 <= int(day_after.group()) <= 31:
            return None
        day = _DAY_BEFORE_MONTH_RX.search(text, max(0, start - 12), start)
        if day and 1 <= int(day.group(1)) <= 31:
            start = day.start()
        elif rule == "month":
            return None  # "in March", "May I ask": a month name alone is not a date
        elif day_after and len(day_after.group()) == 4 and _EXPIRY_BEFORE_RX.search(text, max(0, start - 24), start):
            return None  # "lot 7HX204, expires Feb 2026": a product's month and year, not the patient's
        if rule == "month":
            year = _YEAR_AFTER_MONTH_RX.match(text, end)
            if year:
                end = year.end()
        return start, end, "DATE", PLACEHOLDERS["DATE"]
    if rule == "street":
        head = _STREET_HEAD_RX.search(text, max(0, start - 80), start)
        if not head:
            return None  # "St. John's wort", "the Court"
        if text[start:m.end()].rstrip(".") in _LANDMARK_STREET_WORDS and not _CLAUSE_END_AFTER_RX.match(text, m.end()):
            return None  # "we saw 2 Jurassic Park films": a street word that names other things only ends a clause
        return head.start(), _STREET_TAIL_RX.match(text, m.end()).end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]
    if rule == "pobox":
        return start, m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]
    return None


# ---- names in running prose (patient scope; the `prose_names` pass) ------------
# A name that no cue announces ("I saw Priya Raman last week") is found by
# what it is and where it stands:
# - a run of capitalised words in which at least one word is a known given
#   name or surname (the gazetteer, data/names/names.txt.gz, built from
#   philter-lite's name lists less their list of ordinary and medical words)
#   and none is a word that is not a name;
# - a capitalised word that is neither a known name nor an English, medical or
#   drug word (the vocabulary, data/names/words.txt.gz) -- "Bongani",
#   "Xiaoming" -- or a given name that is also a word ("Rose", "Hope"), where
#   the sentence treats it as a person: a verb only people do after it ("Rose
#   said", "Nomvula has been coughing"), "and his wife", a possessive with a
#   body part or relative ("Musa's leg"), a verb that takes a person before it
#   ("I told Tshepo"), "Can Xiulan take ...";
# - in text written all in lower case, two known names side by side with the
#   same person context ("to see ramesh kumar at the clinic").
# Runs that name a disease or test after a person (eponyms: "Parkinson's
# disease", "Babinski sign"), a place or an institution ("Mayo Clinic", "at
# Johns Hopkins", "Fortis hospital"), a company ("Johnson & Johnson") or a
# medicine ("Lasix 40 mg", "Yasmin pills", "I take Allegra for ...", "her
# Aricept") are left alone. Only patient text is searched: in research and
# regulatory text capitalised surnames are authors, eponyms and agencies.
_GAZETTEER: frozenset | None = None  # lower case
_GAZETTEER_TITLED: frozenset | None = None  # "Priya": what the batch test intersects with the text's words
_VOCABULARY: frozenset | None = None  # lower case: words that are not names
_WORD_NAMES_ALL: frozenset = frozenset()  # lower case: given names that are also words, see `_WORD_NAMES`
# names the gazetteer drops because they are places, months or languages ("Jordan", "Georgia", "April", "Zulu"), and
# "Will", "May", "Max": a name only right after a relative ("my daughter May has ...", "Jordan, my 16 year old"),
# and (less the months) as the second word of a name ("Dumisani Zulu")
_KIN_ONLY_NAMES: frozenset = frozenset()
_KIN_ONLY_TITLED: frozenset = frozenset()
_SURNAME_ONLY_NAMES: frozenset = frozenset()
_SURNAME_ONLY_TITLED: frozenset = frozenset()
# of those, never a person's name: greetings, holidays, faiths, companies, peoples
_NEVER_KIN_NAMES = frozenset("""
bless blessings bye chat cheers docter guest hey kid mam query reader shall sir town lent lunar lord allah bible christ
koran quran puja padwa ashura hajj umrah eid ramadan ramzan rosh sabbath easter christmas kwanzaa gilead
boehringer janssen lupin merck mylan nestle roche sandoz squibb takeda teva novo dolo uk kingdom cape asian british
indian kenyan christian christians arab latin africa asia
""".split())
# large cities that are also surnames: after an unknown word they are a hospital's or a shop's branch ("Manipal
# Bangalore"), not a surname
_CITIES = frozenset("""
amsterdam angeles atlanta austin bangalore belfast berlin birmingham bombay cairo cardiff chicago colombo dallas denver
dublin durban geneva houston kochi lagos leeds lisbon liverpool london madrid manchester manila melbourne miami montreal
mysore nairobi paris philadelphia phoenix rome seattle surat sydney tokyo toronto vegas vienna zurich
""".split())
_KIN_EXTRA_NAMES = frozenset("will may max georgia dakota".split())
_MONTH_WORDS = frozenset(_MONTH[3:-1].replace(".", "").lower().split("|"))


def _gazetteer() -> tuple[frozenset, frozenset]:
    global _GAZETTEER, _GAZETTEER_TITLED, _VOCABULARY, _WORD_NAMES_ALL
    if _GAZETTEER is None:
        import gzip
        from pathlib import Path

        here = Path(__file__).parent / "names"
        with gzip.open(here / "names.txt.gz", "rt", encoding="utf-8") as fh:
            words = fh.read().split()
        with gzip.open(here / "words.txt.gz", "rt", encoding="utf-8") as fh:
            _VOCABULARY = frozenset(fh.read().split())
        names = frozenset(words) - _PROSE_NOT_NAMES
        global _KIN_ONLY_NAMES, _KIN_ONLY_TITLED, _SURNAME_ONLY_NAMES, _SURNAME_ONLY_TITLED
        _KIN_ONLY_NAMES = (_PROSE_NOT_NAMES.intersection(words) - _NEVER_KIN_NAMES) | _KIN_EXTRA_NAMES
        _KIN_ONLY_TITLED = frozenset(w.capitalize() for w in _KIN_ONLY_NAMES)
        _SURNAME_ONLY_NAMES = _KIN_ONLY_NAMES - _MONTH_WORDS - _KIN_EXTRA_NAMES
        _SURNAME_ONLY_TITLED = frozenset(w.capitalize() for w in _SURNAME_ONLY_NAMES)
        listed = frozenset((here / "word_names.txt").read_text(encoding="utf-8").split())
        _WORD_NAMES_ALL = (listed - _PROSE_NOT_NAMES - names - _INSTITUTION_WORDS - _EPONYM_NOUNS - _PRODUCT_WORDS) \
            | _WORD_NAMES
        _GAZETTEER_TITLED = frozenset(w.capitalize() for w in names)
        _GAZETTEER = names
    return _GAZETTEER, _GAZETTEER_TITLED


_PLACES: frozenset | None = None  # lower case, accents folded; names of several words whole

# the data files the passes read (names/): the rules' gazetteers, and the learned pass's model for prose names
_NAMES_DIR = None
_RULE_FILES = ("names.txt.gz", "words.txt.gz", "word_names.txt", "places.txt.gz", "first_names.txt.gz", "things.txt",
               "name_words.txt.gz")


def check_resources(prose_names: bool = True) -> None:
    """Raise a one-line UserError naming the scrubber's data files this installation lacks (a wheel built without
    them): checked before a stage starts, so a missing file fails it at once instead of failing each record that
    reaches the pass that reads it."""
    from pathlib import Path

    from imi_lib.core.errors import UserError

    folder = Path(_NAMES_DIR) if _NAMES_DIR is not None else Path(__file__).parent / "names"
    wanted = _RULE_FILES + (("phi_model.npz",) if prose_names else ())
    missing = [name for name in wanted if not (folder / name).is_file()]
    if missing:
        raise UserError(f"the PHI scrubber's data files are missing from this installation: {', '.join(missing)} "
                        f"(in {folder}); reinstall imi-train from a complete wheel or checkout")


def _places() -> frozenset:
    """The place names of names/places.txt.gz (cities of 15,000 people or more, countries, capitals, US states,
    continents: see make_places.py)."""
    global _PLACES
    if _PLACES is None:
        import gzip
        from pathlib import Path

        with gzip.open(Path(__file__).parent / "names" / "places.txt.gz", "rt", encoding="utf-8") as fh:
            _PLACES = frozenset(fh.read().splitlines())
    return _PLACES


# Capitalised words that are not names in running prose, beyond the cue rules' list: holidays,
# religion, languages and peoples, places, companies, and words that open or close a name-shaped run.
_PROSE_NOT_NAMES = _NOT_NAMES | frozenset("""
hence thus therefore thereby hereby whereas whilst albeit
mit freundlichen grüßen grüssen grüße gruesse liebe viele beste sehr geehrte geehrter hallo guten morgen abend bonjour
bonsoir cordialement merci madame monsieur salut hola saludos gracias atentamente estimado estimada grazie
buongiorno buonasera saluti distinti cordiali egregio goedemorgen goedemiddag geachte groet groeten vriendelijke bedankt
pozdrawiam szanowny szanowna obrigado obrigada olá atenciosamente abraços saygılarımla merhaba hälsningar
grußen gruße grussen grusse ola abracos saygilarimla halsningar
curd ghee dal daal roti chapati paneer lassi tulsi haldi jeera ajwain methi hing amla neem triphala sachet
christmas easter diwali deepavali holi eid ramadan ramzan navratri pongal onam thanksgiving hanukkah passover lent
halloween xmas new year sabbath shabbat lunar
god gods lord allah jesus christ bhagwan buddha bible quran koran church temple mosque
hindu hindus muslim muslims christian christians catholic jewish jew sikh buddhist jain parsi islam islamic
christianity judaism sikhism buddhism jainism hinduism protestant protestants orthodox baptist methodist mormon
lutheran pentecostal anglican evangelical adventist quaker amish jehovah catholics sikhs jains buddhists atheist
english hindi tamil telugu urdu bengali punjabi gujarati marathi kannada malayalam arabic french spanish german
italian japanese korean russian portuguese dutch greek turkish persian swahili yoruba igbo hausa zulu latin
african africans asian asians european europeans american americans indian indians british kenyan ghanaian
india pakistan bangladesh nepal sri lanka china japan korea vietnam thailand malaysia singapore indonesia
philippines australia zealand canada mexico brazil argentina chile peru colombia usa america england scotland
wales ireland britain uk france germany italy spain portugal netherlands belgium switzerland austria sweden
norway denmark finland poland russia ukraine turkey greece egypt nigeria ghana kenya uganda tanzania ethiopia
somalia sudan africa morocco algeria tunisia saudi arabia uae dubai qatar kuwait oman bahrain iran iraq israel
jordan lebanon syria afghanistan europe asia
alaska arkansas armenia belize benin bolivia burma congo cuba cyprus czech delaware faso gabon guatemala haiti
hampshire hawaii holland iowa jamaica kansas laos libya louisiana macedonia maine missouri monaco montenegro
nebraska niger oklahoma ontario palau palestine panama quebec romania rwanda samoa senegal serbia taiwan tennessee
togo utah vermont wyoming zimbabwe kingdom
delhi mumbai bombay kolkata calcutta chennai madras bangalore bengaluru hyderabad pune ahmedabad jaipur lucknow
kanpur nagpur indore bhopal patna surat kochi cochin trivandrum coimbatore madurai mysore mangalore chandigarh
amritsar ludhiana goa kerala karnataka maharashtra gujarat rajasthan punjab haryana bihar odisha orissa assam
bengal telangana andhra pradesh uttar madhya tamil nadu kashmir jharkhand chhattisgarh uttarakhand himachal
karachi lahore islamabad dhaka kathmandu colombo london manchester birmingham liverpool leeds glasgow edinburgh
cardiff belfast dublin paris berlin rome madrid lisbon amsterdam brussels vienna zurich geneva moscow istanbul
cairo lagos abuja accra nairobi kampala johannesburg cape town durban beijing shanghai tokyo seoul manila
bangkok jakarta sydney melbourne toronto vancouver montreal york boston chicago houston dallas austin seattle
francisco angeles los las vegas miami atlanta denver phoenix philadelphia washington california texas florida
ohio michigan georgia virginia carolina arizona colorado oregon nevada jersey massachusetts illinois
google whatsapp facebook instagram youtube twitter amazon apple microsoft
pfizer moderna novartis roche sanofi bayer merck gsk glaxo glaxosmithkline astrazeneca cipla lupin zydus cadila
glenmark mankind alkem intas biocon wockhardt ranbaxy aurobindo teva mylan viatris sandoz novo nordisk boehringer
ingelheim takeda astellas janssen amgen gilead biogen regeneron allergan squibb medtronic dabur patanjali himalaya
unilever nestle
both since while because although though if whether every recently unfortunately luckily apparently
hajj umrah kwanzaa vesak purim kippur rosh hashanah lohri baisakhi vaisakhi puja chaturthi bandhan chauth chhath
ugadi gudi padwa sankranti bihu dussehra dasara muharram ashura nowruz songkran
covid corona omicron delta vitamin type stage grade class level phase
dolo
""".split()) | _PEOPLES | frozenset("""
aetna cigna humana anthem permanente bupa axa allianz medicare medicaid tricare unitedhealthcare
unitedhealth optum centene wellcare highmark ambetter metlife cigna bonitas medshield momentum
discovery fedhealth bestmed nhif nhis cghs echs esic ergo religare
lakers yankees celtics warriors dodgers knicks bulls packers steelers cowboys patriots raiders
broncos seahawks chiefs ravens mets cubs sox blacks wallabies springboks barcelona barca juventus arsenal
tottenham spurs bayern dortmund ajax porto benfica celtic rangers sixers raptors leafs
canucks oilers bruins penguins blackhawks clippers rockets mavericks spurs
varanasi benares haridwar shirdi sabarimala vrindavan mathura ayodhya dwarka
ajmer mecca makkah madinah jerusalem bethlehem vatican karbala najaf
everest kilimanjaro himalayas himalaya alps andes serengeti caribbean mediterranean atlantic pacific
balkans scandinavia siberia patagonia amazon tehran baghdad kabul riyadh jeddah doha muscat beirut damascus
ankara tashkent almaty bishkek dushanbe yerevan tbilisi baku kyiv kiev minsk warsaw krakow prague budapest
bucharest belgrade zagreb athens stockholm oslo copenhagen helsinki reykjavik barcelona seville
naples turin munich frankfurt hamburg marseille porto orleans nassau
bogota quito caracas montevideo tijuana guadalajara monterrey cancun acapulco honolulu
anchorage fresno sacramento tucson albuquerque nashville louisville detroit cincinnati
pittsburgh baltimore newark manhattan queens bronx harlem tampa jacksonville tulsa omaha
wichita milwaukee minneapolis indianapolis lagos ibadan enugu
onitsha kaduna abeokuta benin warri port calabar kumasi tamale harare bulawayo lusaka lilongwe
blantyre maputo gaborone windhoek pretoria soweto polokwane mbabane maseru kigali bujumbura kinshasa dodoma
arusha mombasa kisumu nakuru eldoret entebbe gulu khartoum addis ababa asmara mogadishu hargeisa dakar
bamako abidjan yaounde douala freetown monrovia conakry niamey ouagadougou lome cotonou tunis rabat casablanca
marrakech algiers tripoli luxor aswan rotorua auckland christchurch dunedin brisbane perth
canberra fiji suva apia nuku'alofa rarotonga salaam
""".split())
# given names that are also English words: a name only where the sentence treats the word as a person ("Rose
# said"), never alone ("Hope this helps", "Grace period"); with data/names/word_names.txt (philter-lite's first
# names that are on its list of words, less the words hardly ever a name)
_WORD_NAMES = frozenset("""
rose hope grace faith joy violet lily iris daisy ivy holly hazel pearl ruby amber crystal jade dawn summer autumn
april june july august mark bill frank jack rob pat sandy sunny precious blessing gift patience prudence charity
mercy honor honour constance destiny harmony melody heather olive rosemary ginger candy chance hunter mason
drew chase grant sterling earl dean don guy bob art ray rich miles reed rocky sage sky skye star storm river
rain robin jay rusty sonny carol penny victor king baker cook brown white black green young wood hill stone
innocent lucky loveness prosper comfort princess
pepsi coca-cola cola sprite fanta maggi ovaltine horlicks bournvita hydralyte lucozade ribena gatorade powerade
otex kellogg kellogg's nestle nestlé cadbury nutella heinz colgate dettol vicks nivea weetabix cheerios oreo pringles
doritos mcdonald's kfc starbucks tesco walmart costco netflix spotify instagram facebook tiktok youtube venturi
""".split())
# a run with one of these words names a product, not a person: "Aloe Vera Topical", "Valerian Root Extract",
# "Yasmin pills", "Dove soap"
_PRODUCT_WORDS = frozenset("""
topical extract preparation tablet tablets capsule capsules cream ointment gel syrup injection drops spray powder
oil root leaf seed seeds plant jelly tea juice vinegar bullet spotted fever ataxia gravis factor claw angina
thyroid acid pill pills inhaler inhalers patch patches shot shots vaccine vaccines jab coil implant soap shampoo
lotion wipes toothpaste pads diapers nappies milk supplement supplements app watch sensor strip strips
brand brands suspension sachet sachets granules lozenges lozenge pen pens vial vials range products product
company companies tab tabs cap caps syp syr inj oint mouthwash sunscreen noodles meal meals food foods biscuits chocolate chocolates
bread coffee beer wine water snack snacks cereal kit meter machine monitor chicken pizza burger
burgers fries shoes shoe clothes perfume phone laptop mattress pillow glasses lenses textbook book books
guide guidelines manual
""".split())
# a run with one of these words names a place or an institution, not a person: "Royal Free Hospital", "Mayo
# Clinic", "Fortis hospital", "Lake Victoria"
_INSTITUTION_WORDS = frozenset("""
hospital hospitals clinic clinics institute university college centre center medical memorial foundation
pharma pharmaceuticals laboratories labs lab health healthcare trust society association council ministry
department school academy infirmary dispensary nursing pharmacy insurance bank street road avenue lane nagar
county district state city town village railway station airport mall
lake river mount mountain island islands bay beach sea ocean valley hills garden gardens square market bridge
tower plaza estate colony sector corp corporation inc ltd limited group industries motors airlines hotel
st saint ste restaurant restaurants cafe shop shops store stores outlet supermarket international royal
pharm pharmacies chemist chemists hypermarket
chu hopital clinique clinica klinik klinikum ospedale policlinic polyclinic sanatorium service services
schools colleges universities institutes centres centers academies
dia día feria festa fiesta semana carnaval copa
bayram bayramı bayrami
lada dacia skoda tofas toyota hyundai peugeot citroen renault volkswagen mitsubishi subaru mahindra maruti chevrolet
nissan mazda
""".split())
# what comes right after a brand's name ("Montair LC", "Telma H", "Crocin Advance"): a medicine, not a person
_BRAND_SUFFIXES = frozenset("""
LC H D DS XR SR CR ER XL MR OD CD MF AM Plus Forte Max Advance Extra Cold Junior Duo Trio Total Rapid Retard
Kid Kids Active Lite
""".split())

# words after a capitalised run, or in it, that make it an eponym, not a person: "Parkinson's disease",
# "Apgar score", "Turner Syndrome"
_EPONYM_NOUNS = frozenset("""
disease diseases syndrome syndromes sign signs test tests palsy phenomenon sarcoma lymphoma tumour tumor tumours
tumors carcinoma leukemia leukaemia anemia anaemia procedure operation manoeuvre maneuver position point score type
regimen protocol tubercles tubercle nevus naevus contractions sequence anomaly malformation
scale contracture fracture cyst cysts diverticulum oesophagus esophagus ulcer ulcers law triad reflex solution
method criteria classification repair incision catheter monitor tube tubes area cells cell fibres fibers duct
ducts gland glands canal node nodes body bodies virus arteritis encephalopathy thyroiditis lactate stain blot
curve curves exact t-test diet formula equation index ratio angle line lines pattern effect rule maneuvre
psychosis dementia disorder deformity lesion lesions nodules spots staging tendon bone ligament
harness splint brace stocking stockings mask device pump valve shunt needle forceps clamp bandage cast frame
aphasia stage stages grade grades class tear tears protein proteins plates chart charts antigen antibody antibodies
stool croup view views block flap loop breathing respiration murmur sounds anomaly malformation defect hernia aneurysm ring u-test u-tests correlation coefficient coefficients regression model chain
chains questionnaire schedule inventory plot plots analysis estimator statistic statistics distribution process
grid nomogram positive negative positivo negativo positiv negativ
""".split())
# a capitalised word, apostrophe and hyphen compounds included ("O'Connell", "Al-Farsi", "Min-jun"); not inside
# a longer token ("non-Hodgkin", "e-Mail", "x.Com")
_PROSE_WORD_RX = re.compile(r"(?<![\w'’.@/-])[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w]*(?:['’-][\w]+)*")
_TITLED_WORD_RX = re.compile(r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſ]+")
# a sign's finding right after the run: "Murphy was positive on exam" (but "Priya was positive for dengue")
# (or of two signs: "Hawkins and Neer positive", "Ortolani and Barlow negative"; bedside notes drop the "was")
_SIGN_FINDING_AFTER_RX = re.compile(
    r"['’]?s?(?:[ \t]+(?:and|or|&)[ \t]+[A-Z][\w'’-]*)?"
    r"(?:[ \t]+(?:is|was|were|are)[ \t]+(?:positive|negative|present|absent|elicited|upgoing|downgoing|equivocal"
    r"|normal|abnormal|lax|reduced|painful|up-?going|down-?going)"
    r"|[ \t]+(?:lateralis|lateraliz)(?:es|ed)[ \t]+(?:to[ \t]+)?(?:the[ \t]+)?(?:left|right|L|R)\b"
    r"|[ \t]+(?:positive|negative|equivocal|up-?going|down-?going)(?:[ \t]*[,.;]"
    r"|[ \t]+(?:on|bilaterally|medially|laterally|but|and|at|in)\b))(?![ \t]+(?:for|to|with|about|after|since)\b)")
# a disease's finding: "Kawasaki was diagnosed late" (but "Li Wei was diagnosed with hepatitis B")
_DISEASE_FINDING_AFTER_RX = re.compile(
    r"[ \t]+(?:was|is|were|has[ \t]+been)[ \t]+(?:diagnosed|confirmed|suspected|ruled[ \t]+out|excluded|detected)"
    r"(?![ \t]+(?:with|as|to|positive|negative|pregnant|for|having)\b)")
_ELLIPTICAL_EPONYM_AFTER_RX = re.compile(
    r"['’]s?[ \t]+(?:is|was|were|has|had|can|could|causes?|caused|makes?|made|runs?|ran|affects?|affected|and|or"
    r"|gets?|got)\b")
_WIDE_WORD_RX = re.compile(r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][^\W\d_]+")
_HYPHENATED_RX = re.compile(r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſ]+-[A-Za-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſ]+")
_POSSESSIVE_RX = re.compile(r"(?:['’]s|s['’])$")
_AFTER_RUN_RX = re.compile(r"(?:['’]s?)?[ \t]+([A-Za-z][\w-]*)")
# (not the pronoun: "My wife and I (Ingrid and Tomas)")
_CAPITALISED_BEFORE_PAREN_RX = re.compile(r"(?:[A-Z][\w-]+|(?<![\w'’])[A-HJ-Z])[ \t]*\($")
_LETTER_IN_PARENS_RX = re.compile(r"[ \t]+\([A-Z]\)")
_TITLE_BEFORE_RX = re.compile(r"(?:Dr|DR)\.?[ \t]+$")
_BEFORE_RUN_EPONYM_RX = re.compile(
    r"(?:['’]s?)?[ \t]+(?:and|or|&)[ \t]+([A-Z][\w-]*)['’]?s?[ \t]+([A-Za-z][\w-]*)(?:[ \t]+([a-z][\w-]*))?")

# ---- where a sentence treats a word as a person, or as a thing ----
# what a person has and a thing does not: conditions a patient has, by name ("Branka has shingles"), and the words of
# their kind before one ("recurring", "gastric", "sickle cell"); no function word, no thing's ("Boots has thrush cream")
_CONDITIONS = (
    r"worms|yaws|lice|nits|scabies|shingles|thrush|hiccups|hives|warts|verrucas?|ringworm|impetigo|croup|colic|reflux"
    r"|heartburn|sciatica|vertigo|tinnitus|lupus|insomnia|constipation|diarrh?o?ea|anaemia|anemia|dementia|epilepsy"
    r"|autism|adhd|endometriosis|fibromyalgia|gallstones|haemorrhoids|hemorrhoids|hernia|glaucoma|cataracts?"
    r"|pneumonia|bronchiolitis|chickenpox|measles|mumps|scarlet[ \t]+fever|glandular[ \t]+fever|tonsillitis"
    r"|conjunctivitis|sinusitis|gastritis|cystitis|mastitis|cellulitis|arthritis|bronchitis|dermatitis|otitis"
    r"|[a-z]*(?:itis|osis|emia|aemia|algia|pathy)|sickle[ \t]+cell|restless[ \t]+legs|sleep[ \t]+apnoea|sleep[ \t]+apnea"
    r"|nosebleeds|cold[ \t]+sores|mouth[ \t]+ulcers|ulcers?|rash|rashes|fever|temperature|cough|infections?"
    r"|palpitations|cramps|boils|blisters|spots|lumps?|cysts?|nodules?|polyps|stones|seizures|fits|tremors?")
_CONDITION_KIND = (r"(?!(?:the|a|an|and|or|to|of|for|in|on|at|my|his|her|their|our|no|any|some|this|that|these|those"
                   r"|been|not|never|got|had|has|is|was|it|its|them|him|me|us|you|new|more|less|enough|too|so)\b)"
                   r"[a-z][a-z-]+")
_NOT_A_CONDITION_AFTER = (r"cream|creams|tablets?|treatments?|medicines?|medication|remedies|remedy|relief|products?"
                          r"|section|aisle|range|spray|gel|shampoo|kits?|tests?|strips|drops|syrup|sachets|patches"
                          r"|lozenges|clinic|clinics|service|services|ward|unit|team|leaflets?|advice|page|charity")
# "Rutendo has worms", "Yara has recurring tonsillitis", "Tui has swollen legs": a condition, with up to two words of
# its kind before it, or a body part that hurts (its words are no first look of a person context: `_FIRST_AFTER`)
_CONDITION_VERBS = (
    rf"(?:has|had|have|gets|got|get|develops|developed)[ \t]+(?:{_CONDITION_KIND}[ \t]+){{0,2}}"
    rf"(?:{_CONDITIONS})\b(?![ \t]+(?:{_NOT_A_CONDITION_AFTER})\b)"
    r"|(?:has|had|have|gets|got|get)(?:[ \t]+(?:swollen|sore|painful|itchy|aching|numb|stiff|cold|puffy|red|bleeding"
    r"|dry|watery|sticky|cracked|blotchy)){1,2}"
    r"[ \t]+(?:legs|feet|ankles|hands|fingers|toes|knees|joints|eyes|lips|gums|ears|arms|wrists|hips|glands|tonsils)\b")
# how a body bruises or bleeds ("Gabriela bruises easily"; "Penny-sized bruises keep appearing" has none): its words are
# no first look of a person context (`_FIRST_AFTER`)
_HOW_OFTEN_AFTER = (r"[ \t]+(?:easily|so[ \t]+easily|badly|a[ \t]+lot|heavily|from|when|every|after|at[ \t]+night"
                    r"|all[ \t]+over)")
# verbs and states only people have, right after the run (auxiliaries and adverbs between): "Rose said",
# "Nomvula has been coughing", "Ravindu is breathing fast", "Deshawn is 15"
_PERSON_VERBS = (
    r"said|says|told|tells|asked|asks|thinks|thought|wants|wanted|wonders|feels|felt|complains|complained|noticed"
    r"|notices|woke|wakes|fainted|faints|fell|falls|cries|cried|died|vomited|vomits|coughs|coughed|snores|snored"
    r"|sleeps|slept|ate|eats|drinks|drank|smokes|smoked|works|worked|lives|lived|went|goes|came|comes|lost|gained"
    r"|broke|twisted|sprained|swallowed|developed|suffers|suffered|refuses|refused|found|describes|described"
    r"|sneezes|wheezes|stammers|stutters|sleepwalks|(?:bruises|bleeds|sweats|itches)" + _HOW_OFTEN_AFTER
    + r"|mentions|mentioned|runs(?![ \t]+out)|ran|swims|swam|walks|walked|plays|played"
    r"|bought|buys|picked[ \t]+up|caught|hugged|kissed|visited|stayed|travell?ed|cooked|studied|studies|texted"
    r"|messaged|emailed|phoned|rang|tested[ \t]+(?:positive|negative)"
    r"|(?:took|takes|brought|brings|drove|drives|called|calls|asked|told|showed)[ \t]+(?:me|us|him|her|them)\b"
    r"|(?:hurt|injured|cut|burned|burnt|bumped|banged|scraped|scratched|bit|broke|lost)[ \t]+(?:his|her|their)\b"
    # "Fenella has her wisdom teeth out tomorrow", "Tariq had his tonsils removed": what a person has, with a pronoun
    r"|(?:has|had|gets|got)[ \t]+(?:his|her)[ \t]+(?!own\b)[a-z]+"
    r"|needs?[ \t]+(?:surgery|stitches|an[ \t]+operation|a[ \t]+scan|a[ \t]+biopsy|a[ \t]+root|a[ \t]+tetanus"
    r"|an[ \t]+x-ray|glasses|braces|a[ \t]+transfusion)"
    r"|(?:cannot|can't|couldn't|could[ \t]+not|can[ \t]+not|unable[ \t]+to|is[ \t]+unable[ \t]+to)[ \t]+(?:sleep|stop"
    r"|walk|breathe|eat|stand|move|pass|see|hear|speak|talk|swallow|get[ \t]+up|lift|bend|focus|remember|concentrate"
    r"|sit|run|climb|feel|open|close|straighten)"
    r"|passed[ \t]+out|keeps[ \t]+\w+ing|kept[ \t]+\w+ing|has[ \t]+had|had[ \t]+had"
    r"|(?:has|had|got|gets|caught)[ \t]+(?:a|an|the[ \t]+same|the[ \t]+flu)[ \t]"
    rf"|{_CONDITION_VERBS}"
    r"|(?:has|had|have|gets|got|get|develops)[ \t]+(?:(?:bad|severe|mild|high|low|chronic|acute|some|little|swollen"
    r"|painful|sore|itchy|dry|double|blurred|blurry|chest|back|stomach|joint)"
    r"[ \t]+)?(?:thyroid|diabetes|asthma|cancer|gout|piles|fibroids|acne|eczema|psoriasis|migraines?|headaches?"
    r"|fever|cough|cold|flu|pain|diarrh?o?ea|vomiting|dengue|malaria|typhoid|jaundice|covid|chickenpox|measles"
    r"|mumps|tb|hiv|pcos|sugar|bp|blood[ \t]+pressure|high[ \t]+blood|kidney|liver|heart|vision|pains?|cramps"
    r"|nosebleeds|rashes|hives|sores|infections?|seizures?|fits|allergies|allergy|swelling|bleeding|tingling"
    r"|discharge|pus|blood[ \t]+in|trouble|difficulty|shortness"
    r"|[a-z]*(?:itis|osis|emia|aemia|oma|pathy|algia|ulcers?|stones?|nodules?|cysts?|spots|lumps?|boils?|warts?"
    r"|ness))\b"
    r"|started[ \t]+(?:the|on|taking|having|getting|using|vomiting|coughing|bleeding|crying|limping|wheezing"
    r"|sweating|shaking|shivering|snoring|itching|scratching|complaining|losing|gaining)"
    r"|stopped[ \t]+(?:taking|having|using|eating|drinking|smoking)"
    r"|(?:is|was|turned)[ \t]+[0-9]{1,3}(?![0-9.])(?![ \t]*(?:mg|mcg|ml|mL|g|%|units?|iu|IU)\b)"
    # "Hope is eight months pregnant", "Will is twelve and ...": an age or a pregnancy in words
    r"|(?:is|was|turned)[ \t]+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty)(?:[ \t]+(?:years?|months?|weeks?)[ \t]+"
    r"(?:old|pregnant)\b|(?=[ \t]*(?:,|\.|and\b)))"
    r"|started[ \t]+(?:school|work|college|daycare|nursery|kindergarten|preschool|university|walking|talking"
    r"|crawling|teething|puberty|her|his)\b"
    r"|(?:does|did|do)(?:n't|n’t|[ \t]+not)[ \t]+(?:sleep|eat|walk|talk|speak|listen|want|like|feel|respond|cry"
    r"|drink|remember|understand|recogni[sz]e|breathe|pee|poop|go|play|move|smile|gain|grow)\b"
    r"|needs?[ \t]+(?:an?[ \t]+)?(?:MRI|CT|ECG|EKG|EEG|ultrasound|injection|check-?up|appointment|referral|booster"
    r"|vaccine|biopsy|blood[ \t]+test)\b"
    r"|(?:is|was|has[ \t]+been)[ \t]+on[ \t]+(?:insulin|dialysis|oxygen|chemo(?:therapy)?|antibiotics|steroids"
    r"|antidepressants|antipsychotics|painkillers|antihistamines|statins|thyroxine|levothyroxine|lithium|methadone"
    r"|medication|medicines?|treatment|tablets|a[ \t]+ventilator|the[ \t]+ventilator|ARVs?|blood[ \t]+thinners)\b"
    r"|weighs|weighed|(?:uses|used)[ \t]+(?:a|an|his|her|their)[ \t]+(?:inhaler|nebuli[sz]er|wheelchair|walker|cane"
    r"|stick|cpap|CPAP|pump|hearing)")
# states only people are in, after "is", "was", "has been", "keeps": "Ravindu is breathing fast", "Oyinda is too
# young"
_PERSON_STATES = (
    r"breathing|coughing|vomiting|crying|sleeping|complaining|bleeding|sweating|scratching|limping|wheezing|snoring"
    r"|gaining|eating|drinking|walking|talking|speaking|growing|feeding|teething|crawling|responding|recovering"
    r"|shivering|shaking|sneezing|itching|urinating|peeing|feeling|taking|having|getting"
    r"|losing|suffering|diagnosed|admitted|hospitali[sz]ed|discharged|stabbed|assaulted|mugged|circumcised|intubated"
    r"|born|allergic|pregnant|unable|young|old|tall|short"
    r"|overweight|underweight|thin|fat|diabetic|asthmatic|ana?emic|breastfeeding|vaccinated|sick|ill|unwell|tired"
    r"|dizzy|feverish|constipated|worried|scared|afraid|anxious|depressed|upset|pale|unconscious|awake|asleep"
    r"|married|divorced|retired|alive|dead|passing|stung|bitten|hit|hurt|injured|burnt|burned|at[ \t]+risk"
    r"|contagious|infectious|small|cold|hot|thirsty|hungry|sleepy|weak|breathless|treated|operated|examined|discharged|vaccinated|seen[ \t]+by"
    r"|allowed[ \t]+to[ \t]+(?:swim|fly|travel|eat|drink|go|play|take|exercise|breastfeed)"
    r"|doing[ \t]+(?:much[ \t]+|a[ \t]+lot[ \t]+|so[ \t]+|far[ \t]+)?(?:better|worse)")
_ADVERBS = (r"(?:(?:also|still|just|never|often|always|now|then|usually|only|too|both|really|suddenly|again|recently"
            r"|later|even|sometimes|finally|very|so|quite|more|less|not|getting)[ \t]+)*")
_AUXILIARIES = (r"(?:is|was|are|were|has[ \t]+been|had[ \t]+been|have[ \t]+been|been|keeps|kept|gets|got|became"
                r"|seems|looks)")
_STATE_AFTER_RX = re.compile(rf"[ \t]+{_ADVERBS}(?:{_PERSON_STATES})\b")
# what people do, after a modal: "Can Xiulan take ...", "if Ulugbek can fly"
_AGENT_VERBS = (
    r"(?:take|use|eat|drink|go|fly|travel|swim|breastfeed|continue|get|wait|return|play|exercise|sleep|attend"
    r"|work|drive|walk|come|visit|be[ \t]+(?:vaccinated|tested)|(?:need|have)[ \t]+to[ \t]+(?!be\b)"
    r"|need[ \t]+(?:a|an|antibiotics|surgery|stitches|treatment|rest)\b"
    r"|stop[ \t]+(?:his|her|their|the|[a-z]+ing)\b|be[ \t]+(?:allergic|pregnant|contagious"
    r"|infectious|vaccinated|tested|breastfeeding|immune)"
    # "Could Alibek have picked up worms", "Why does Nurlan keep getting nosebleeds"
    r"|have[ \t]+(?:picked|caught|got|gotten|eaten|swallowed|had|taken|missed|fallen|broken|hurt|injured|contracted"
    r"|inherited|passed|stopped|started|used|been[ \t]+(?:exposed|bitten|infected|stung|scratched))\b"
    r"|do[ \t]+about\b|have(?=[ \t]*[?.!])|see[ \t]+(?:a|an|the|his|her|their|my)\b"
    r"|keep[ \t]+(?!causing|making|giving|coming)[a-z]+ing\b)")
# people's body parts, relatives and belongings after a possessive: "Musa's leg", "Babatunde's blood sugar"
_PERSON_NOUNS = (
    r"leg|legs|arm|arms|hand|hands|foot|feet|knee|knees|shoulder|shoulders|back|head|eye|eyes|ear|ears|skin|face"
    r"|chest|stomach|tummy|belly|neck|throat|toe|toes|finger|fingers|wrist|ankle|hip|hips|hair|teeth|tooth|mouth"
    r"|nose|lip|lips|tongue|heart|liver|kidney|kidneys|lung|lungs|brain|breast|breasts|scalp|nails?|bladder|body"
    r"|mother|father|mum|mom|dad|husband|wife|son|daughter|baby|brother|sister|child|children|kids?|family|parents"
    r"|grandmother|grandfather|grandma|grandpa|granny|grandad|granddad|nan|nana|aunt|auntie|uncle|cousin|nephew|niece"
    r"|tonsils|asthma|eczema|allergy|allergies|seizures?|headaches?|migraines?|jaundice|wheez(?:e|ing)|acne|diarrh(?:o)?ea"
    r"|vomiting|nappy|diaper"
    r"|knuckles|eyelids?|eyebrows?|eyelashes|voice|elbows?|armpits?|gums|jaw|cheeks|chin|forehead|thumbs?|thighs?"
    r"|shins?|calves|ribs|muscles|groin|nipples?|nostrils?|ankles|wrists|bowels?|periods|testicles?"
    r"|blood|sugar|weight|temperature|fever|cough|pressure|reports?|results?|scan|symptoms?|condition|health"
    r"|doctor|school|house|home|room|bed|birthday|wedding|surgery|treatment|medicines?|tablets|pills|insulin"
    r"|pain|rash|sleep|appetite|periods?|pregnancy|delivery|mood|behaviou?r|memory|speech|vision|hearing|age"
    r"|thyroid|sugars?|haemoglobin|hemoglobin|cholesterol|ferritin|creatinine|hba1c|platelets?|eyesight|wound|cut"
    r"|cough|lump|swelling|ulcers?|stools?|urine|breath|breathing|snoring|tonsils|eczema|asthma|acne|allergy"
    r"|allergies|diarrh?o?ea|vomiting|headaches?|migraines?|seizures?|fits|jaundice|diabetes|bp|ecg|mri|x-ray|biopsy"
    r"|bloods|labs|injury|infection|diagnosis|medication|meds|dose|chemo|dialysis|anxiety"
    r"|depression|boyfriend|girlfriend|partner|grandson|granddaughter|teacher"
    # a person's carers: "Amira's allergist said", "Tomasz's physio"
    r"|allergist|dentist|paediatrician|pediatrician|gp|physio|physiotherapist|therapist|surgeon|consultant|midwife"
    r"|nurse|dermatologist|cardiologist|neurologist|oncologist|psychiatrist|psychologist|counsell?or|optician"
    r"|orthodontist|specialist|carer|caregiver|nanny|health[ \t]+visitor|social[ \t]+worker|key[ \t]+worker"
    # a person's medicines by kind: "Clarissa's new antidepressant", "Bilal's inhaler"
    r"|antidepressants?|antibiotics?|inhalers?|painkillers?|steroids?|antihistamines?|antipsychotics?|anticonvulsants?"
    r"|anti-?epileptics?|epipen|eye[ \t]+drops|ear[ \t]+drops"
    # what a person writes from: "Sent from Marta's phone"
    r"|phone|iphone|mobile|cellphone|laptop|email|e-mail|inbox")
# the carers and measures a person's possessive may name with a kind before them: "Femi's sickle cell doctor",
# "Harriet's bone age", "Joaquim's heart surgeon"
# (the kind is one or two words that are no function word and no club's: "Murphy's sign the doctor said", "Saracens'
# team doctor", "Flamengo's youth team" are no person's)
_PERSON_COMPOUND_NOUNS = (r"doctor|doctors|specialist|consultant|nurse|surgeon|therapist|age|son|daughter|baby|child"
                          r"|husband|wife")
_COMPOUND_KIND = (r"(?!(?:the|a|an|and|or|to|of|for|in|on|at|my|his|her|their|our|said|says|told|is|was|has|had|team"
                  r"|club|youth|squad|academy|first|reserve)\b)[a-z]+")
# words between a possessive and a relative ("my little brother", "our 3 year old son") and an age alone
_KIN_AGE = r"(?:[0-9]{1,2}[ \t-]*(?:years?|yrs?|months?|weeks?)[ \t-]*old|[0-9]{1,2}[ \t-]*(?:yo|y/o|yr|mo)\b)"
_KIN_MODS = rf"(?:little|younger|older|elder|eldest|youngest|baby|twin|only|best|new|late|dear|teenage|adopted|{_KIN_AGE})"
_PERSON_AFTER_RX = re.compile(
    rf"(?:['’]s?[ \t]+(?:(?:left|right|little|big|younger|older|elder|new|own|whole|lower|upper)[ \t]+)?"
    rf"(?:{_PERSON_NOUNS})\b(?![ \t]+(?:oil|powder|shampoo|lotion|wipes|soap|cream|food|formula|products?)\b)"
    rf"|['’]s?[ \t]+(?:{_COMPOUND_KIND}[ \t]+){{1,2}}(?:{_PERSON_COMPOUND_NOUNS})\b"
    rf"|(?:[ \t]+and[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)?)?[ \t]*,?[ \t]+{_ADVERBS}"
    rf"(?:(?:has|had|have|is|was|will|can|could|would|does|did)[ \t]+{_ADVERBS})?(?:{_PERSON_VERBS})\b"
    rf"|(?:[ \t]+and[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)?)?[ \t]+{_ADVERBS}{_AUXILIARIES}[ \t]+"
    rf"{_ADVERBS}(?:{_PERSON_STATES})\b"
    rf"|[ \t]+and[ \t]+(?:his|her|I|me|their|he|she)\b"
    rf"|[ \t]+(?:can|could|should|may|must|will|cannot|can't)[ \t]+(?:not[ \t]+|still[ \t]+)?{_AGENT_VERBS}\b"
    rf"|[ \t]*,?[ \t]+who\b"
    rf"|[ \t]*,[ \t]+(?:the|a|an|my|our|his|her)[ \t]+(?:man|woman|lady|boy|girl|guy|gentleman|chap|fellow)\b"
    rf"|(?:[ \t]+and[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)?[ \t]+(?:both|all)[ \t]+(?:have|had|got|caught|tested|need)\b"
    rf"|[ \t]*(?:,|[ \t]+(?:because|as|since|when|but|so|while|if|why|until|after|before))[ \t]+(?:he|she)\b"
    rf"|[ \t]*(?:,[ \t]*(?:aged?[ \t]+)?|\([ \t]*)[0-9]{{1,3}}[ \t]*(?:\)|,|years?\b|yrs?\b|y/?o\b|months?\b)"
    rf"|[ \t]*,[ \t]*(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS}|baby|child|kid|boy|girl)\b"
    # "Jordan, my 16 year old, ...": an age in apposition
    rf"|[ \t]*,[ \t]*(?:my|our|his|her|their)[ \t]+{_KIN_AGE}\b"
    # "Major is our son's actual name", "Baker is my surname": a name said to be one
    rf"|[ \t]+(?:is|was)[ \t]+(?:my|our|his|her|their|the)[ \t]+(?:[a-z]+['’]s[ \t]+)?(?:(?:actual|real|first|last|middle"
    rf"|family|given|full|maiden)[ \t]+)?(?:name|surname)\b"
    # "Bongani is my son": a relative's name
    rf"|[ \t]+(?:is|was)[ \t]+(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS}|baby|child|kid"
    rf"|boy|girl|patient)\b"
    # "Mensimah and Kojo are my parents", "Bill and Pearl, my grandparents, ...": relatives in the plural
    rf"|(?:[ \t]*,[ \t]*[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)*(?:[ \t]+and[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)?(?:[ \t]+(?:are|were)[ \t]+|[ \t]*,[ \t]*)"
    rf"(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+)*(?:parents|children|kids|sons|daughters|twins|brothers"
    rf"|sisters|siblings|grandparents|grandchildren|grandkids|friends|cousins|neighbou?rs|in-?laws|boys|girls)\b"
    # "Zhanibek here, ...": the writer
    rf"|[ \t]+here[ \t]*[,.!(\n-]"
    # "O'Neill from our office": a person from a place people belong to
    rf"|[ \t]+from[ \t]+(?:my|our|his|her|their|the)[ \t]+(?:office|work|church|school|team|class|college|gym|mosque"
    rf"|temple|building|department|ward|choir|club|neighbou?rhood|hostel)\b"
    # "Szymański from downstairs caught her": a neighbour
    rf"|[ \t]+from[ \t]+(?:downstairs|upstairs|next[ \t]+door|across[ \t]+the[ \t]+(?:street|road|hall))\b)")
# `_PERSON_AFTER_RX` tries dozens of alternatives (about 2.5 µs a call); most words are followed by a word that
# none of them can start with. The first three letters of every literal word in it (optional letters and letter
# classes in it come later than the third letter of a first word) rule those out with one set lookup.
# The relatives only come after "my", "is my" or a comma, never first, and the nouns of a person only after an
# apostrophe (which the gate lets through): both are left out of the gate.
_PERSON_AFTER_PREFIXES = frozenset(
    w[:3] for w in re.findall(r"[a-z']+", _PERSON_AFTER_RX.pattern.replace(_RELATIONS, "").replace(_PERSON_NOUNS, "")
                              .replace(_CONDITION_VERBS, "has").replace(_COMPOUND_KIND, ""))
) | {"don"}  # "do" + "n't"
_GATE_WORD_RX = re.compile(r"[ \t]*([,(]|[A-Za-z'’]+)")


def _person_after(text: str, end: int):
    """`_PERSON_AFTER_RX.match(text, end)`, ruling out first what cannot match."""
    if text[end:end + 1] not in ("'", "’"):
        m = _GATE_WORD_RX.match(text, end)
        if m is None:
            return None
        w = m.group(1)
        if w != "," and w != "(" and w[:3] not in _PERSON_AFTER_PREFIXES:
            return None
    return _PERSON_AFTER_RX.match(text, end)


# The words right before a run (lower case, the nearest last) decide much of what it is. A verb that takes a
# person: "I told Tshepo", "to see ramesh kumar", "heard from Svetlana", "the results for Xiaoming"
_PERSON_BEFORE = frozenset("""
told tell asked ask met meet saw see seen seeing visited visit visiting called phoned texted messaged hugged married accompanied
helped help adopted im wife husband son daughter mother father brother sister friend cousin neighbour neighbor uncle aunt nephew
niece grandson granddaughter grandmother grandfather colleague boyfriend girlfriend nurse doctor physiotherapist
mum mom dad twin gran granny grandma grandpa nana papa mama hubby spouse fiance fiancee stepson stepdaughter partner
roommate flatmate housemate classmate coworker co-worker sibling i'm i’m
therapist midwife carer caregiver maid nanny teacher coach boss patient baby child toddler infant boy girl kid
auntie aunty babysitter sitter childminder hija hijo madre padre esposa esposo marido mujer hermana hermano abuela abuelo filha filho mãe pai irmã irmão figlia
figlio moglie marito sorella fratello nonna nonno fille fils mère père femme mari sœur frère tochter sohn mutter vater
frau mann schwester bruder oma opa dochter zoon moeder vader
attendant practitioner neurologist urologist dentist surgeon cardiologist gynaecologist gynecologist paediatrician pediatrician
oncologist dermatologist psychiatrist psychologist consultant ent gp physio trainer helper driver tutor pastor priest
imam rabbi chaplain pharmacist optician optometrist chiropractor osteopath dietitian dietician nutritionist
counsellor counselor specialist mentor student pupil players patients teammates team-mates colleagues friends
neighbours neighbors classmates coworkers co-workers cousins dear regards thanks cheers love groeten
""".split())
_PERSON_BEFORE_PAIRS = frozenset(tuple(p.split()) for p in """
heard from|spoke to|spoke with|talked to|talked with|told by|worried about|concerned about|caring for|care of
looking after|look after|results for|result for|reports for|report for|results of|reports of|according to
talk to|talk with|speak to|speak with|asking for|scared for|stayed with|stay with|went with|came with|played with
please help|help with|appointment for|medicines for|tablets for|looked after|explain to|explained to
said to|worried for|afraid for|i am|regards from|love from|greetings from
""".strip().replace("\n", "|").split("|"))
# "Can Xiulan take ...", "How long should Xochitl wait": a modal, the run, a verb of what people do
_MODALS = frozenset("can could should does did will would may must".split())
# "I gave Yohannes some ibuprofen": a giving verb, the run, then the thing given
_GIVING_VERBS = frozenset("gave give gives giving given bought brought sent showed show fed feed feeding".split())
_GIVEN_THING_AFTER_RX = re.compile(r"[ \t]+(?:some|a|an|the|his|her|their|two|one|half|my|your|[a-z]{3,}s)\b")
# a determiner, possessive or kind of thing before the run: a thing, not a person ("her Aricept", "my Fitbit",
# "the Sabbath", "my company Tata Consultancy")
_DETERMINERS = frozenset("""
the a an my your his her our their its every each any some company firm employer brand insurer app website
speak speaks spoke speaking
""".split())
# a place: "at Johns Hopkins", "in Vellore", "near Lake Victoria", "admitted to Groote Schuur"
_PLACE_BEFORE = frozenset("at in near".split())
_SENT_SOMEWHERE_RX = re.compile(
    r"(?i:referred|sent|took|taken|transferred|moved|rushed|brought|shifted)[ \t]+(?:me|us|him|her|them)[ \t]+to[ \t]+$")
_MOTION_VERBS = frozenset("""
admitted referred went go going gone moved move travelled traveled flew flown transferred rushed shifted returned
back trip trips holiday holidays vacation flight flights journey tour visit visits
pilgrimage pilgrimages honeymoon cruise trek hike expedition excursion safari drove drive driving drives flying flies
sailed sail cycled walked emigrated migrated immigrated relocated relocating moving commute commuted posted
deployed stationed evacuated came come coming travelling traveling road train bus ferry travel travels fly
""".split())
# a sports fan's words before a team
_FAN_BEFORE = frozenset("support supports supported supporting supporter supporters".split())
_FAN_BEFORE_PAIRS = frozenset(tuple(p.split()) for p in "fan of|fans of|cheer for|cheered for|cheering for|cheers for"
                              "|root for|rooting for|rooted for".split("|"))
# an employer or insurer before the run: "I work for Deloitte", "insured with Aetna"
_COMPANY_BEFORE_PAIRS = frozenset(tuple(p.split()) for p in """
work for|works for|worked for|working for|employed by|insured with|insured by
insurance with|covered by|cover with|coverage with|policy with|plan with|subscribed to
""".strip().replace("\n", "|").split("|"))
_BUYING_VERBS = frozenset("bought buy buying ordered order ordering purchased purchase got get getting".split())
# an animal or a storm before the run: its name is no person's
_PET_AND_STORM_WORDS = frozenset("""
dog dogs puppy pup cat cats kitten kitty pet pets horse pony parrot bird rabbit bunny hamster guinea tortoise turtle
goldfish fish hurricane storm cyclone typhoon
""".split())
_THING_BEFORE = _FAN_BEFORE | _PET_AND_STORM_WORDS
_THING_BEFORE_PAIRS = _FAN_BEFORE_PAIRS | _COMPANY_BEFORE_PAIRS
# "takes Panado for her arthritis": a habit, a medicine ("took Nkiru for her cough" is taking a person somewhere)
_HABITUAL_TAKE = frozenset("take takes taking".split())
# before "from": where a person is from ("We are from Tehran", "she came from Lagos") is a place
_BEING_BEFORE_FROM = frozenset("am are is was were be been i'm i’m we're we’re they're he's she's originally come comes "
                               "came hail hails".split())
_PLACE_PREFIXES = frozenset("new port fort san santa santo los las puerto porto mount mt mt. lake cape saint st st. sao são"
                            .split())
# "drove from Houston to Austin": a route's second place
_ROUTE_BEFORE_RX = re.compile(r"\bfrom[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*){0,2}[ \t]+to[ \t]+$")
# the first word of a place's name ("New Orleans", "Port Harcourt", "San Pedro", "Lake Malawi"), before the run
_PLACE_PREFIX_BEFORE_RX = re.compile(
    r"(?<![\w'’])(?:New|Port|Fort|San|Santa|Santo|Los|Las|Puerto|Porto|Mount|Mt\.?|Lake|Cape|Saint|St\.?|Sao|São)[ \t]+$")
# a medicine: "I take Allegra for ...", "switched from Allegra to", "a dose of Yasmin" (but "I took Harpreet to")
_MEDICINE_BEFORE = frozenset("""
take takes taking took tried try trying using use used uses prescribed on stopped stop apply applied applying
mg mcg µg ml iu units
given bought buy ordered eat eats ate eating drink drinks drank drinking had have having suggested recommended
swallowed swallow swallows swallowing sprayed spray sprays spraying
recommend like including tab tab. tabs cap cap. caps syp syp. syrup inj inj. injection cream oint gel
""".split())
_MEDICINE_BEFORE_PAIRS = frozenset(tuple(p.split()) for p in """
started on|switched to|switched from|changed to|changed from|gave me|dose of|doses of|course of|tablet of
tablets of|pill of|pills of|strip of|bottle of|tube of|pack of|box of|such as
bottles of|can of|cans of|tin of|tins of|glass of|glasses of|cup of|cups of|mug of|packet of|packets of|sachet of
sachets of|spoon of|spoons of|spoonful of|scoop of|scoops of|jar of|bar of|bars of|pint of|pints of|shot of|shots of
tubes of|packs of|boxes of|strips of|drops of|sip of|sips of
better than|worse than|cheaper than|stronger than|safer than|healthier than
""".strip().replace("\n", "|").split("|"))


def _words_before(text: str, start: int) -> tuple[str, str]:
    """The two words right before `start`, lower case, nearest first ("" where punctuation or the text's start
    comes first)."""
    head = text[max(0, start - 30):start]
    if not head or head[-1] not in " \t":
        return "", ""
    words = head.split()
    w1 = words[-1].lower() if words else ""
    w2 = words[-2].lower() if len(words) > 1 else ""
    return w1, w2


_AGENT_VERB_AFTER_RX = re.compile(rf"[ \t]+{_AGENT_VERBS}\b")
# "Both Lerato and Kagiso have ..."
_BOTH_BEFORE_RX = re.compile(r"(?i:\bboth)[ \t]+(?:[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*[ \t]+and[ \t]+)?$")
_BOTH_AFTER_RX = re.compile(r"(?:[ \t]+and[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)?[ \t]+(?:have|had|got|caught|tested|need)\b")
_SEEING_VERBS = frozenset("found find noticed notice saw see watched heard left keep kept".split())
_FOR_TO_AFTER_RX = re.compile(
    r"[ \t]+to[ \t]+(?:fly|travel|take|swim|eat|drink|breastfeed|go|sleep|exercise|play|get|bleed|have|feel|lose"
    r"|gain|walk|run|stay|return|fast|drive)\b")
# "I took Thabo for an X-ray", "We brought Tamika to the ER": taken somewhere, a person (a medicine is not)
_ESCORTING_VERBS = frozenset("took take taking takes brought bring bringing drove drive carried carry rushed".split())
_ESCORTED_AFTER_RX = re.compile(
    r"[ \t]+(?:to|home|out|back|along|inside|upstairs|into|for[ \t]+(?:his|her|a[ \t]+walk)"
    r"|for[ \t]+(?:a|an|the|his|her)[ \t]+(?:scan|[xX]-ray|test|check|checkup|check-up|walk|consultation|vaccination"
    r"|blood[ \t]+test|visit|review|follow-up))\b")
_LOWER_PAIR_RX = re.compile(r"(?<![\w'’-])([a-z]{3,})(?=[ \t]+([a-z]{3,})(?![\w'’-]))")


def _fold(word: str) -> str:
    """"Joaquín" -> "joaquin": the gazetteer is ASCII."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# eponymous diseases and findings named by two or three people ("Guillain-Barré", "Prader-Willi"): a run holding one
# names a disease, not people (keys lower case, accents folded, apostrophes and "s" of a possessive dropped)
_HYPHENATED_EPONYMS = frozenset("""
guillain-barre prader-willi charcot-marie-tooth henoch-schonlein creutzfeldt-jakob wolff-parkinson-white
stevens-johnson ehlers-danlos osgood-schlatter legg-calve-perthes epstein-barr arnold-chiari dandy-walker
peutz-jeghers zollinger-ellison mallory-weiss budd-chiari wiskott-aldrich chediak-higashi kasabach-merritt
klippel-feil klippel-trenaunay sturge-weber hippel-lindau von-hippel-lindau brown-sequard lambert-eaton tolosa-hunt
waterhouse-friderichsen wernicke-korsakoff jervell-lange-nielsen romano-ward smith-lemli-opitz beckwith-wiedemann
russell-silver silver-russell bardet-biedl laurence-moon crigler-najjar dubin-johnson kearns-sayre lesch-nyhan
hand-schuller-christian letterer-siwe niemann-pick tay-sachs marchiafava-bignami kimmelstiel-wilson plummer-vinson
cheyne-stokes jarisch-herxheimer bence-jones reed-sternberg sinding-larsen-johansson sever-osgood kaposi-stemmer
austin-flint graham-steell carey-coombs mckenzie-pratt holt-oram treacher-collins pierre-robin wolf-hirschhorn
cri-du-chat shy-drager steele-richardson-olszewski hallervorden-spatz gerstmann-straussler-scheinker
devic-neuromyelitis kluver-bucy anton-babinski ramsay-hunt bell-magendie chiari-frommel stein-leventhal
fitz-hugh-curtis dressler-kawasaki mayer-rokitansky-kuster-hauser alport-fechtner gilles-de-la-tourette
coffin-lowry coffin-siris cornelia-de-lange rubinstein-taybi noonan-turner tietze-costochondritis
dix-hallpike holliday-segar cockcroft-gault sokolow-lyon romhilt-estes mallampati-samsoon glasgow-blatchford
kayser-fleischer hardy-weinberg kaplan-meier mantel-haenszel bland-altman lown-ganong-levine
""".split())


def _prose_word_kind(word: str, names: frozenset) -> str:
    """One capitalised word's kind: "name" (a known name), "wordname" (a given name that is also a word), "unknown"
    (no name, no word: a name the gazetteer lacks, a brand or a place), "word" (ordinary vocabulary), "not" (never
    part of a name) or "institution"."""
    key = _POSSESSIVE_RX.sub("", word).lower() if ("'" in word or "’" in word) else word.lower()
    if not key.isascii():
        key = _fold(key)
    if key in _INSTITUTION_WORDS or key in _EPONYM_NOUNS or key in _PRODUCT_WORDS or key in _HYPHENATED_EPONYMS:
        return "institution"  # the whole run names a place, a disease ("Turner Syndrome") or a product
    if key.startswith("health") or key.endswith(("health", "healthcare", "pharma")) or key.count("-") >= 2 and \
            all(p[:1].isupper() for p in word.split("-")):
        return "institution"  # "Healthdirect", "Healthline", "Vogt-Koyanagi-Harada": a service or an eponym
    if key in _WORD_NAMES_ALL and word[1:2].islower():
        return "wordname"
    if key in _PROSE_NOT_NAMES:
        return "not"
    if not any(c.islower() for c in word) or "â€" in word or "Ã" in word:
        return "not"  # ICU, HIV, AIIMS: acronyms; "Itâ€™s": mojibake
    if any(c.isdigit() for c in word) or (len(key) >= 7 and _MEDICAL_WORD_RX.search(key)):
        return "not"
    if key in names:
        return "name"
    parts = re.split(r"['’-]", key)
    if len(parts) > 1:
        if any(p in _PROSE_NOT_NAMES for p in parts):
            return "not"
        if "-" in key and parts[0] in _VOCABULARY and parts[-1] in _VOCABULARY and parts[-1] not in names:
            return "word"  # "Chi-square", "Meta-regression", "Follow-up": a compound word
        if any(p in names for p in parts if len(p) > 1):
            return "name"
    if len(key) < 3 or key in _VOCABULARY or (len(parts) > 1 and all(p in _VOCABULARY for p in parts if p)):
        return "word"
    return "unknown"


# the kind of each capitalised word seen (a corpus has few distinct ones): most words cost one dict lookup
_KIND_CACHE: dict[str, str] = {}
_TRIGGERS = frozenset({"unknown", "wordname"})
# capitalised words seen whose kind is not a trigger: taken off each text's words in one set operation
_PLAIN_WORDS: set[str] = set()


# the lower-case words of a text, to tell English from another language (`_other_language`)
_LOWER_WORD3_RX = re.compile(r"(?<![\w'’-])[a-zß-öø-ÿ]{3,}(?![\w'’-])")
# short words of other languages that the English word list also holds ("und", "hat", "con", "per", "den")
_OTHER_LANGUAGE_WORDS = frozenset("""
und ist hat seit nicht mit der die das ein eine ich sie wir auf bei nach von zur zum den dem des sich auch aber oder
wenn kann darf nimmt war wird sind haben habe mein meine los las del con para por una que muy pero tiene como mas sin
esta hay com uma nao sem ele ela foi tem per che sono della dei les des une est avec pour dans sur pas qui het een
van niet met voor och jag det som med har til jeg ikke bir ile icin dan
""".split())


def _other_language(text: str) -> bool:
    """Whether most of the text's lower-case words are no English words: a note in German, Spanish, Portuguese ...,
    where capitalised nouns ("Makula", "Nacht") and signs ("Blumberg negativo") are unknown words but no names."""
    if " the " in text or " and " in text:
        return False  # English's commonest words (no other language written in Latin letters has them)
    words = _LOWER_WORD3_RX.findall(text)
    if len(words) < 2:
        return False
    names = _GAZETTEER or _gazetteer()[0]
    english = sum(1 for w in words if (w in _VOCABULARY or w in names) and w not in _OTHER_LANGUAGE_WORDS)
    return english < 0.7 * len(words)


_OTHER_LANGUAGE_LAST: list = [None, -1, False]  # the last text and field asked about, and the answer


def _other_language_cached(text: str, pos: int = 0) -> bool:
    """`_other_language` of the field of `text` (fields joined by FIELD_SEPARATOR) that holds `pos`, remembered for
    the last field asked about (the rules of one text ask several times)."""
    start = text.rfind(FIELD_SEPARATOR, 0, pos)
    start = 0 if start < 0 else start + len(FIELD_SEPARATOR)
    if _OTHER_LANGUAGE_LAST[0] is not text or _OTHER_LANGUAGE_LAST[1] != start:
        end = text.find(FIELD_SEPARATOR, pos)
        _OTHER_LANGUAGE_LAST[:] = [text, start, _other_language(text[start:end if end >= 0 else len(text)])]
    return _OTHER_LANGUAGE_LAST[2]


_WILL_NAME_RX = re.compile(r"(?<![\w'’])(?<!the )(?<!The )(?<!my )(?<!his )(?<!her )(?<!a )(?<!living )"
                           r"Will(?=[ \t]+(?:is|was|has|had|says|said|keeps|gets|got|complains|woke|fell|can't|won't"
                           r"|doesn't|didn't)\b)")


def _prose_name_spans(text: str, gate: bool = True, truecase: bool = True) -> list:
    """The prose-name spans of `text`. `gate`: False where `PROSE_PREFILTER` (run over a batch in C++) does not
    match: the text has no capitals after a possessive, no lower-case "i", is not all lower case and has no line
    that a signature could be, so the lower-case, capitals and signature rules are skipped."""
    names, titled = _gazetteer()
    words = _TITLED_WORD_RX.findall(text)
    cache = _KIND_CACHE
    if len(cache) > 200_000:
        cache.clear()
    hits = set(titled.intersection(words))
    if not text.isascii():
        hits.update(w for w in words if not w.isascii() and _fold(w) in titled)  # "Joaquín", "Lucía"
    plain = _PLAIN_WORDS
    if len(plain) > 200_000:
        plain.clear()
    candidates = set(words).difference(titled, plain)  # in C: most texts have none left
    if "-" in text:
        candidates.update(_hyphenated_words(text))  # "Ah-young", "Dong-hyun": one word to the kinds
    if not text.isascii():
        candidates.update(w for w in _WIDE_WORD_RX.findall(text) if not w.isascii() and w not in titled)  # "Nazlı"
    named = list(hits)  # the capitalised words that can be names: the rules for lists and quotes need one
    for w in candidates:
        kind = cache.get(w)
        if kind is None:
            kind = cache[w] = _prose_word_kind(w, names)
        if kind == "name" and "-" in w:
            hits.add(w)  # "Min-jun", "Ah-young": its parts are words, the whole a known name
            named.append(w)
        elif kind not in _TRIGGERS:
            plain.add(w)
        else:
            if kind == "unknown":
                if _other_language_cached(text, max(0, text.find(w))):
                    continue  # another language's capitalised words: only known names are looked at there
            named.append(w)
            if _may_be_person(text, w):
                hits.add(w)  # a name only where the sentence says it is a person: `_person_context`
    spans: list = []
    kin_only = _KIN_ONLY_TITLED.intersection(words)  # few texts have any: one set operation for the rest
    if kin_only:
        for word in _SURNAME_ONLY_TITLED.intersection(kin_only):
            i = text.find(word)
            while i >= 0:
                if _run_start(text, i) < i:  # "Dumisani Zulu": after a capitalised word, the run is looked at
                    hits.add(word)  # even when its other word needs a context ("Austin, TX" alone is not)
                    break
                i = text.find(word, i + len(word))
    if hits:
        for window_start, window_end in _windows(text, hits):
            run: list = []  # [(start, end, kind)] of adjacent capitalised words
            for m in _PROSE_WORD_RX.finditer(text, window_start, window_end):
                start = m.start()
                if run and (run[-1][1] + 1 != start or text[start - 1] not in " \t") and \
                        not _PARTICLE_GAP_RX.fullmatch(text, run[-1][1], start):
                    _close_run(text, run, spans)
                    run = []
                word = m.group()
                kind = cache.get(word)
                if kind is None:
                    kind = cache[word] = _prose_word_kind(word, names)
                run.append((start, m.end(), kind))
            _close_run(text, run, spans)
    lower = gate and (" i " in text or text[:1].islower() or text.islower() or "\ni " in text or (
        "\x1e" in text and any(f.islower() for f in text.split(FIELD_SEPARATOR))))  # one field of a record
    # the known names written in lower case (one set operation in C)
    lower_words = text.translate(_LOWER_GATE_PUNCT).split() if lower else ()
    lower_names = names.intersection(lower_words) if lower else ()
    if lower and not text.isascii():  # "tomás": the gazetteer is ASCII
        lower_names = set(lower_names)
        lower_names.update(w for w in lower_words if not w.isascii() and w.islower() and _fold(w) in names)
    lower_unknown = _lower_unknown_words(lower_words, names) if lower else ()
    if lower_unknown:
        lower_names = set(lower_names)
        lower_names.update(lower_unknown)
        lower_unknown = {w for w in lower_unknown if "-" not in w}  # a compound of known names is one
    if len(lower_names) > 1:
        _lower_case_names(text, names, spans)
    if lower_names and truecase:
        _truecased_names(text, names, lower_names, spans)
    if "Will " in text:  # "Will is 12 and still wets the bed": the modal never comes before "is" or "has"
        spans += [(m.start(), m.start() + 4, "NAME", PLACEHOLDERS["NAME"]) for m in _WILL_NAME_RX.finditer(text)]
    if "(y" in text or "(Y" in text:  # "Monday (yes that's really her name)", "I'm March (yes, like the month)"
        spans += [(m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]) for m in _YES_NAME_RX.finditer(text)
                  if m.group("n").lower() not in _NOT_NAMES or m.group("n").lower() in _CALENDAR_NAMES]
    head = text[:48]
    if text[:1] in "TtIiHhDdMm" and ("his is" in head or "t's" in head or "ts " in head or "t’s" in head
                                     or "essage" in head or "HIS IS" in head) and _OPENING_INTRO_GATE_RX.match(text):
        _opening_intro(text, names, spans)
    if "@" in text:  # a forum reply to someone: "@Brody you said", "Forum reply: @Genevieve I had"
        spans += [(m.start(1), m.end(1), "NAME", PLACEHOLDERS["NAME"]) for m in _AT_MENTION_RX.finditer(text)
                  if _prose_word_kind(m.group(1), names) in ("name", "unknown", "wordname")]
    if " here" in text:  # the writer at a clause's start: "Boitumelo here from Gaborone.", "hi, Memo here, 19."
        for m in _TITLE_HERE_RX.finditer(text):
            if _prose_word_kind(m.group("n"), names) in ("name", "unknown", "wordname"):
                spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    if lower_names and " here" in text:  # the writer, in lower case: "hi doc, kourosh here. i have hair loss"
        spans += [(m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]) for m in _LOWER_HERE_RX.finditer(text)
                  if m.group("n") in lower_names and m.group("n") not in _LOWER_NOT_NAMES]
    if kin_only or lower_names or gate:
        _kin_names(text, names, kin_only, spans, lower_names, gate, lower_unknown or frozenset())
    listed = quoted = False
    if named:  # few texts have a name right after a relative in the plural or an opening quote
        listed, quoted = _after_plural_kin_or_quote(text, named)
        if listed:
            _kin_list_names(text, names, spans, _PLURAL_KIN_TOKENS.intersection(text.split()))
    called = "called" in text or "named" in text
    here = " here," in text
    if quoted or called or here:
        _cued_word_names(text, names, spans, quoted, called, here)
    if gate:  # (PROSE_PREFILTER holds what each of these rules needs)
        _naming_names(text, names, spans, words)
        # (titles in lower case only in a text with accents: a substring test per title would scan every text)
        if not _FOREIGN_CUE_TITLED.isdisjoint(words) or not text.isascii() and (
                "signor" in text or "dott" in text or "señor" in text or "senhor" in text or "doutor" in text
                or "doktor" in text or "madame" in text or "monsieur" in text or "herr " in text or "frau " in text
                or "doktè" in text):
            _foreign_cued_names(text, names, spans)
        if ", " in text:
            _role_apposition_names(text, names, spans)
    if lower:
        _lower_cued_names(text, names, spans)
        if "my " in text or "our " in text:
            for m in _LOWER_PLURAL_KIN_RX.finditer(text):  # the first of a list; `_listed_names` takes the rest
                if _lower_listed_name_ok(m.group(1), names):
                    spans.append((m.start(1), m.end(1), "NAME", PLACEHOLDERS["NAME"]))
        lower_word_names = _WORD_NAMES_ALL.intersection(lower_words) | _KIN_ONLY_NAMES.intersection(lower_words)
        if lower_word_names:
            _lower_word_names(text, lower_word_names, spans)
    if gate and "\n" in text:
        _signature_names(text, names, spans)
    if gate:
        if "DR " in text or "DR." in text or "MR" in text or "MS " in text or "MS." in text:
            _caps_title_names(text, names, spans)
        if "M " in text or "IS " in text or "MYSELF" in text:  # "I AM", "I'M", "MY NAME IS", "THIS IS"
            _caps_intro_names(text, names, spans)
        if "\x1e" in text:
            _dash_signature(text, names, spans)
        else:  # one field: its end only
            tail = text[-80:]
            if "-" in tail or "–" in tail or "—" in tail or "~" in tail:
                m = _DASH_SIGNATURE_RX.search(text, max(0, len(text) - 80))
                if m is not None:
                    _add_dash_signature(text, m, names, spans)
    if spans and text[:1].isupper():
        _drop_opening_greetings(text, spans)
    return spans


# a greeting word that opens a message or a line, before a comma or "!" or alone: "Hola, my baby has ...",
# "Salam, my son ...", "Kedu, doctor". Many are first names too (Salam, Shalom, Aloha, Moi), or unknown words that
# the kin and capitalised-run rules take for a name before ", my son". Only the greeting at the line's start is spared.
_OPENING_GREETING_WORDS_RX = re.compile(
    r"^[ \t]*(?P<g>(?i:hola|ola|olá|oi|ciao|salve|bonjour|bonsoir|salut|merhaba|marhaba|selam|selamlar|hej|hoi|moin"
    r"|servus|grüezi|gruezi|hallo|howdy|aloha|shalom|salam|salaam|salaams|asalam|assalam|namaste|namaskar|namaskaram"
    r"|vanakkam|jambo|habari|mambo|shikamoo|sawubona|sannu|kedu|bawo|hei|moi|tere|ahoj|privet|zdravo|szia|yassou"
    r"|yassas|geia|konnichiwa|annyeong|kamusta|kumusta|mabuhay|ahlan|buongiorno|buonasera|buenas|goedemorgen"
    r"|goedemiddag|goedenavond|goddag|hejsan|tjena|labas|sveiki|dobrý|dobry|cześć|czesc|zdravstvuyte|sat[ \t]+sri[ \t]+akal"
    r"|kia[ \t]+ora|xin[ \t]+chào|xin[ \t]+chao|ni[ \t]+hao|sawasdee|sawadee))(?=[ \t]*[,!]|[ \t]*$)", re.M)


def _drop_opening_greetings(text: str, spans: list) -> None:
    """Remove the name spans that are exactly a greeting opening a line (`_OPENING_GREETING_WORDS_RX`)."""
    greetings = {(m.start("g"), m.end("g")) for m in _OPENING_GREETING_WORDS_RX.finditer(text)}
    if greetings:
        spans[:] = [sp for sp in spans if (sp[0], sp[1]) not in greetings]


# the words that can open a person context after a run, or stand right before one (a superset: a first look)
_FIRST_AFTER = frozenset(w for w in re.findall(r"[a-z']+", _PERSON_VERBS.replace(_CONDITION_VERBS, "")
                                                 .replace(_HOW_OFTEN_AFTER, "") + _PERSON_STATES
                                                 + _ADVERBS + _AUXILIARIES)
                         if len(w) > 1) | {
    "and", "who", "both", "all", "has", "had", "have", "'s", "’s", "is", "was", "will", "can", "could", "would",
    "does", "did", "should", "may", "must", "cannot", "because", "as", "since", "when", "but", "so", "while", "if",
    "why", "until", "after", "before", "gets", "got", "get", "develops", "needs", "need", "hurt", "injured",
    "hospitalised", "hospitalized", "anaemic", "anemic", "take", "use", "eat", "drink", "go", "fly", "travel", "swim",
    "breastfeed", "continue", "get", "wait", "return", "play", "exercise", "sleep", "attend", "work", "drive",
    "walk", "come", "visit", "be", "need", "here"}
_FIRST_BEFORE = _PERSON_BEFORE | _MODALS | _GIVING_VERBS | _ESCORTING_VERBS | _SEEING_VERBS | {"for"} | {
    w for _w2, w in _PERSON_BEFORE_PAIRS} | {"is", "was", "isn't", "wasn't", "both", "and"}
_NEXT_WORD_RX = re.compile(r"[ \t]*,?[ \t]*([A-Za-zÀ-ÖØ-öø-ÿ'’]+)")


def _hyphenated_words(text: str) -> list:
    """The capitalised words with a hyphen inside ("Ah-young"): a walk over the hyphens, faster than a regex scan."""
    out = []
    j = text.find("-")
    while j >= 0:
        if j and text[j - 1].islower() and text[j + 1:j + 2].isalpha():
            m = _HYPHENATED_RX.match(text, text.rfind(" ", 0, j) + 1)
            if m:
                out.append(m.group())
        j = text.find("-", j + 1)
    return out


def _first_before(w1: str) -> bool:
    """Whether the word before a run can open a person context: `_FIRST_BEFORE`, or a relative and a comma."""
    return w1 in _FIRST_BEFORE or (w1[-1:] == "," and (w1[:-1] in _KIN_LAST_WORDS or w1.endswith("-in-law,")))



def _may_be_person(text: str, word: str) -> bool:
    """A cheap first look for a word that is a name only in a person's place ("Hope this helps" is not): whether
    one of its occurrences, alone or with the capitalised words after it, has a person context."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        nxt = _NEXT_WORD_RX.match(text, end)
        if not (nxt and (nxt.group(1).lower() in _FIRST_AFTER or nxt.group(1)[0].isupper()
                         or nxt.group(1)[0] in "'’")) and text[end:end + 2].lstrip()[:1] not in ",(" and (
                i < 2 or text[i - 2] in ".!?\n" or not _first_before(_words_before(text, i)[0]
                                                                     if text[i - 1] in " \t" else "")) and \
                text[i - 1:i] != "(":
            i = text.find(word, end)
            continue  # neither the word after nor the word before can start a person context: "Hope this helps"
        run_end = _RUN_FROM_RX.match(text, i).end()
        if text.endswith(("'s", "’s"), i, run_end):
            run_end -= 2
        if _person_context(text, i, end) or (run_end > end and _person_context(text, i, run_end)):
            return True
        i = text.find(word, end)
    return False


# a carer's word, which in lower case is followed by a verb as often as by a name ("nurse rang to say so", "doctor
# sahab said"): a word after it is a name only where a person's verb or state follows it
_ROLES_BEFORE_A_VERB = frozenset("""
nurse doctor dr doc gp midwife therapist physio physiotherapist surgeon consultant specialist dentist teacher coach boss
pastor priest imam rabbi pharmacist carer caregiver sahab sir madam maam
""".split())
_SENTENCE_START_LOWER_RX = re.compile(r"(?:^|[.!?\n][ \t\n]*)([a-z])")


_NAME_WORDS: frozenset | None = None


def _name_words() -> frozenset:
    """names/name_words.txt.gz: the name lists' words that are ordinary lower-case English words ("crew", "rang")."""
    global _NAME_WORDS
    if _NAME_WORDS is None:
        _NAME_WORDS = _word_list("name_words.txt.gz")
    return _NAME_WORDS


def _in_thing_phrase(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (one word) ends, begins or follows a thing's name of several words in `_things` ("big
    brother naija"), in any case."""
    _single, by_first, by_last = _THINGS or _things()
    word = _lower_key(text[start:end])
    before = _words_before(text, start)[0]
    if any(_fold(text[max(0, start - 1 - len(ph)):start - 1].lower()) == ph for ph in by_last.get(before, ())):
        return True  # "big brother naija": a thing's name and a word more
    return any(_fold(text[max(0, end - len(ph)):end].lower()) == ph for ph in by_last.get(word, ())) or \
        any(_fold(text[start:start + len(ph)].lower()) == ph for ph in by_first.get(word, ()))


def _truecased_names(text: str, names: frozenset, lower_names, spans: list) -> None:
    """Names written in lower case that are no word, place or thing's name ("is it ok for tatiana to fly", "sipho says
    his ear rings"): the text again with those names and its sentences' first letters capitalised, through the rules for
    capitalised text. A span they find that starts at one of those names is kept (same offsets: one letter each) where
    a person's verb or state follows it, a relative or a verb that takes a person comes before it, or "for ... to";
    not after a carer's word alone ("nurse rang"), a relative after it ("salam my brother"), a pronoun after a
    conjunction ("chalk since she") or what a place or a thing does too ("glen walks are")."""
    places, things, name_words = _PLACES or _places(), (_THINGS or _things())[0], _NAME_WORDS or _name_words()
    cands = [w for w in lower_names if w.isalpha() and w.islower() and w not in _LOWER_NOT_NAMES
             and len(w[0].upper()) == 1 and not _in_vocabulary(w) and w not in name_words and _lower_name_not_word(w)
             and w not in places
             and w not in things and w not in _THINGS_NAMED_LIKE_PEOPLE
             and _cached_kind(w.capitalize(), names) == "name"]
    if not cands:
        return
    chars = list(text)
    starts = set()
    for m in re.finditer(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, cands)) + r")(?![\w-])", text):
        chars[m.start()] = text[m.start()].upper()
        starts.add(m.start())
    if not starts:
        return
    for m in _SENTENCE_START_LOWER_RX.finditer(text):
        chars[m.start(1)] = text[m.start(1)].upper()
    cased = "".join(chars)
    taken = {sp[0] for sp in spans}
    for sp in _prose_name_spans(cased, True, truecase=False):
        if sp[0] not in starts or sp[0] in taken:
            continue
        if _LOWER_OPENING_WEAK_RX.match(text, sp[1]) and not _LOWER_OPENING_STRONG_RX.match(text, sp[1]):
            continue  # what a place, a brand or an app does too: "glen walks are tiring" (`_lower_opening_names`)
        w1, w2 = _words_before(cased, sp[0])
        if w1 in _INSTITUTION_WORDS or w1 in _PLACE_PREFIXES or _in_thing_phrase(text, sp[0], sp[1]) or \
                _other_language_cached(cased, sp[0]):
            continue  # "the doctor at hospital italiano said", "st lucia", "big brother naija", "mi hijo tomó mucho"
        after = _person_after(cased, sp[1])
        if after and (" my " in after.group() or " our " in after.group() or after.group().endswith(("he", "she"))):
            after = None  # "milo is my son's favourite", "craving ice and chalk since she": a thing's, too
        if after or _kin_before(cased, sp[0]) or (
                w1 not in _ROLES_BEFORE_A_VERB and (w1 in _PERSON_BEFORE or (w2, w1) in _PERSON_BEFORE_PAIRS)) or (
                w1 == "for" and _FOR_TO_AFTER_RX.match(cased, sp[1])):
            spans.append(sp)


def _lower_case_names(text: str, names: frozenset, spans: list) -> None:
    """Text written in lower case ("i took my mother to see ramesh kumar"): two known names side by side, where the
    sentence treats them as a person."""
    for m in _LOWER_PAIR_RX.finditer(text):
        if m.group(1) in names and m.group(2) in names and _person_context(text, m.start(), m.end(2)):
            # a kin or chat word the lists hold as a name is not part of it: "my bro tunde has hiccups"
            start = m.start(2) if m.group(1) in _LOWER_NOT_NAMES else m.start()
            spans.append((start, m.end(2), "NAME", PLACEHOLDERS["NAME"]))


# ---- a relative's name in any case, the writer's own name, a name signed alone ----
# a possessive, a relative and nothing else before a word: "my son", "her younger brother", "our 3 year old
# daughter", "my son in law", "Mum says Gran (" (searched in the lower-cased text before the word)
_KIN_BEFORE_RX = re.compile(
    rf"(?<![\w'’])(?:my|our|his|her|their|your)[ \t]+(?:{_KIN_MODS}[ \t]+){{0,3}}(?:{_RELATIONS}|baby|child|kid|boy"
    r"|girl|friend's[ \t]+(?:husband|wife|son|daughter))(?:[ \t]+in[ \t-]+law)?[ \t]*[,(]?[ \t]*$"
    r"|(?<![\w'’])(?:mum|mom|dad|gran|granny|grandma|grandpa|nana|baby|auntie|aunty|uncle)[ \t]*\([ \t]*$"
    # "grandpa sterling fell asleep", "lives with auntie rosario and uncle benito": a grandparent, aunt or uncle
    r"|(?:^|[.!?\n][ \t]*|(?<=[\s,(]))(?:gran|granny|grandma|grandpa|grandad|granddad|nana|auntie|aunty|uncle)"
    r"[ \t]+$")
# the writer, lower case: "i am rahul from delhi", "myself deepa, 30", "this is kofi here"
# the writer and one more: "me and jonah both got", "me n rich had"
_ME_AND_BEFORE_RX = re.compile(r"(?:^|(?<=[\s,.!?]))(?:me|i)(?:[ \t]+(?:and|n|&)[ \t]+|[ \t]*,[ \t]*)$")
_ME_AND_LAST_WORDS = frozenset(["and", "n", "&", "me", "i"])
# a relative, then "is": "my husband is murat, he has pain" (with a name that is no English word)
_KIN_IS_BEFORE_RX = re.compile(
    rf"(?<![\w'’])(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+){{0,3}}(?:{_RELATIONS})(?:[ \t]+in[ \t-]+law)?"
    r"(?:['’]s[ \t]+name)?[ \t]+(?:is|was)[ \t]+$")
_SELF_BEFORE_RX = re.compile(r"(?:^|(?<=[\s,.!?]))(?:i[ \t]+am|i'm|i’m|im|myself|this[ \t]+is|its|it's|it’s)[ \t]+$")
_SELF_LAST_WORDS = frozenset(["am", "i'm", "i’m", "im", "myself", "is", "its", "it's", "it’s"])
_SELF_AFTER_RX = re.compile(r"[ \t]*(?:[,.!?(\n]|$|[0-9]|(?:and|from|here|aged?|with|a|an)\b)")
# the writer's name in lower case, then what they say of themselves, for a name that is no word ("im rafa my whatsapp
# is", "hi im ngozi my belly hurts"; not "im frank my son", "im sunny my")
_SELF_MY_AFTER_RX = re.compile(r"[ \t]+my\b")
# capitals: "MY SON AHMAD HAS ...", "MY FATHER MOHAMMED IQBAL"
_KIN_CAPS_RX = re.compile(
    rf"(?<![\w'’])(?i:(?:my|our|his|her|their|your)[ \t]+(?:{_KIN_MODS}[ \t]+){{0,3}}(?:{_RELATIONS}|baby|child|kid"
    r"|boy|girl)(?:[ \t]+in[ \t-]+law)?)(?![\w'’])[ \t]*,?[ \t]*"
    r"(?P<w>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ'’-]+(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ'’-]+){0,2})"
    r"(?![\w'’])")  # ("MY KIDNEY" is no kid; "MY DAUGHTER ELOÍSA")
_CAPS_LIST_SEP_RX = re.compile(r"[ \t]*(?:,[ \t]*(?:AND[ \t]+|&[ \t]*)?|AND[ \t]+|&[ \t]*)(?=[A-Z])")
# a sign-off in capitals, then a name alone at a field's end: "THANK YOU. MARIAMA", "REGARDS, OBINNA"
_CAPS_SIGNOFF_RX = re.compile(
    r"(?<![\w'’])(?:THANK[ \t]+YOU(?:[ \t]+(?:DOCTOR|DOC|SO[ \t]+MUCH|VERY[ \t]+MUCH))?|THANKS|REGARDS|CHEERS"
    r"|GOD[ \t]+BLESS(?:[ \t]+YOU)?)[ \t]*[.,!:-]*[ \t\n]*(?P<w>[A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+)?)[ \t]*[.!]?"
    r"[ \t]*(?=\n\x1e|\Z)")
# after "May" or "Will" a verb in the base form makes it the modal: "my daughter May have a fever"
# known names that in lower-case chat are words: kin terms, slang, Hindi ("my baby gal", "my son bhi", "i am hai")
_LOWER_NOT_NAMES = frozenset("""
gal bro bhai didi ji baba papa mama nana dada amma abba ammi chacha chachi mami nani dadi bub bubba hubby bae babe sonny
lil wat wen coz jee sahab saab haan kya hai thi hain nhi nahin ko ka mein mai usko ye
nonna nonno
""".split())
_MODAL_NAMES = frozenset("may will can must might shall".split())
_NAME_THEN_VERB_RX = re.compile(
    r"(?:['’]s\b|[ \t]*(?:[,.!?;:)\n]|$)|[ \t]+(?:and|has|had|is|was|says|said|got|gets|keeps|broke|fell|ate|took|went"
    r"|came|woke|ran|cut|hit|hurt|caught|can't|cannot|also|still|just|never|who|wrote|told|gave|sent|felt|saw|lost|slept"
    r"|spoke|brought|bought|thought|found|became|began|drank|swallowed|kept|paid|grew|threw|bit|forgot"
    r"|[a-z]+(?<![se])(?:s|ed))\b)")
_WORD_AT_RX = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LOWER_GATE_PUNCT = str.maketrans({c: " " for c in ".,;:!?()[]\"/"})
# a line that is a name alone, after another line: a dash and a name ("- Bongani") or a text's last line
_NAME_LINE_RX = re.compile(r"\n[ \t]*(?P<dash>[-–—~]+[ \t]*)?(?P<n>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+){0,2})"
                           r"[ \t]*[.!]?[ \t]*(?=\n|$)")


# the last word of every phrase `_KIN_BEFORE_RX` ends with
_KIN_LAST_WORDS = frozenset(
    _RELATIONS[3:-1].replace("neighbou?r", "neighbour|neighbor").replace("fianc[eé]e?", "fiance|fiancee|fiancé|fiancée")
    .split("|")) | frozenset("baby child kid boy girl husband wife son daughter law mum mom dad gran granny grandma "
                             "grandpa nana auntie aunty uncle".split())


# a giving verb and a relative right before the word: "We give our son Cerelac", "I fed my baby gripe water": the
# word is the thing given, unless a second object follows it ("I gave my son Tomasz a biscuit")
_GIVEN_TO_KIN_RX = re.compile(
    rf"(?<![\w'’])(?:give|gives|gave|giving|feed|feeds|fed|feeding|buy|buys|bought|make|makes|made|offer|offered"
    rf"|serve|served|pour|poured)[ \t]+(?:my|our|his|her|their|the)[ \t]+(?:{_KIN_MODS}[ \t]+){{0,3}}"
    rf"(?:{_RELATIONS}|baby|child|kid|boy|girl|kids|children|babies|toddler|infant|twins)[ \t]+$")


def _given_to_kin(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is what is given to a relative named before it (see `_GIVEN_TO_KIN_RX`)."""
    return _GIVEN_TO_KIN_RX.search(text[max(0, start - 60):start].lower()) is not None and \
        not _GIVEN_THING_AFTER_RX.match(text, end) and not text.startswith(("'", "’"), end)


def _thing_after(text: str, end: int, names: frozenset) -> bool:
    """A capitalised word after that is no name: "my daughter Georgia Tech student" is a place's."""
    after = _AFTER_RUN_RX.match(text, end)
    return bool(after and after.group(1)[0].isupper() and
                _prose_word_kind(after.group(1), names) not in ("name", "unknown", "wordname"))


# a relative's relative or friend: "my son's friend", "her sister's husband" (searched where the text has "'s")
_KIN_OF_KIN_BEFORE_RX = re.compile(
    rf"(?<![\w'’])(?:my|our|his|her|their|your)[ \t]+(?:{_KIN_MODS}[ \t]+){{0,3}}(?:{_RELATIONS}|baby|child|kid)['’]s"
    rf"[ \t]+(?:{_KIN_MODS}[ \t]+){{0,2}}(?:{_RELATIONS}|baby|child|kid|boy|girl)[ \t]*[,(]?[ \t]*$")


def _kin_head(head: str) -> bool:
    """Whether the lower-cased `head` ends with a relative (`_KIN_BEFORE_RX`, `_KIN_OF_KIN_BEFORE_RX`)."""
    return _KIN_BEFORE_RX.search(head) is not None or (
        ("'s " in head or "’s " in head) and _KIN_OF_KIN_BEFORE_RX.search(head) is not None)


def _kin_before(text: str, start: int) -> bool:
    head = text[max(0, start - 60):start].lower()
    last = head.rstrip(" \t,(").rsplit(None, 1)
    if not last or last[-1] not in _KIN_LAST_WORDS:
        return False  # the word right before is no relative: no need for the search (tried at every position)
    return _kin_head(head)


def _lower_key(word: str) -> str:
    key = _POSSESSIVE_RX.sub("", word).lower() if ("'" in word or "’" in word) else word.lower()
    return _fold(key) if not key.isascii() else key


def _kin_word_ok(word: str, names: frozenset, style: str) -> bool:
    """Whether a word right after a relative is (part of) a name, for the word's case: "caps" (a text in capitals:
    a known name or a word that is no English, medical or drug word), "lower" (a known name only) or "title"."""
    key = _lower_key(word)
    if len(key) < 2:
        return False
    if style == "caps":
        if key in names or key in _KIN_ONLY_NAMES or (
                len(key) >= 4 and key not in _VOCABULARY and key not in _PROSE_NOT_NAMES and key.isalpha()):
            return True
        # a compound in capitals ("AL-MANSOORI", "MENSAH-BONSU", "O'REILLY"): no part a word, one part a name or
        # long and no word ("X-RAY", "FOLLOW-UP" stay)
        parts = [p for p in re.split(r"['’-]", key) if p]
        return len(parts) > 1 and all(p.isalpha() and p not in _VOCABULARY and p not in _PROSE_NOT_NAMES
                                      for p in parts) and any(p in names or len(p) >= 4 for p in parts)
    if style == "lower":
        return key in names and len(key) >= 3 and key not in _LOWER_NOT_NAMES
    return key in names or key in _KIN_ONLY_NAMES or _prose_word_kind(word, names) in ("name", "unknown", "wordname")


_POSSESSIVE_PERSON_RX = re.compile(
    rf"['’]s[ \t]+(?:(?:left|right|little|big|new|own|lower|upper)[ \t]+)?(?i:{_PERSON_NOUNS})\b"
    rf"(?![ \t]+(?:oil|powder|shampoo|lotion|wipes|soap|cream|food|formula|products?|hospital|clinic|road|street)\b)")


def _strong_person_context(text: str, start: int, end: int) -> bool:
    """What only a person has, for a name that is also a place, month or modal ("Jordan's BP", "Bactrim gave Denver
    a rash", "Daycare has given Ruby a cough"): a possessive before a body part, symptom or relative, or a giving
    verb before it and the thing given after it."""
    if text.startswith(("'s", "’s"), end):
        return _POSSESSIVE_PERSON_RX.match(text, end) is not None
    w1 = _words_before(text, start)[0]
    return w1 in _GIVING_VERBS and _GIVEN_THING_AFTER_RX.match(text, end) is not None


# a pronoun that takes up a relative's name: "my brother dmytro he fell from the roof"
_PRONOUN_AFTER_RX = re.compile(r"[ \t]+(?:he|she|they)[ \t]+[a-z]")
# chat spellings and contractions without an apostrophe that no word list holds: never a name after "my son"
_CHAT_WORDS = frozenset("""
dont doesnt didnt cant wont isnt hasnt havent hadnt wasnt werent couldnt shouldnt wouldnt arent aint im ive ill id
youre thats whats theres hes shes theyre wanna gonna gotta lemme kinda sorta alot plz pls plzz thx thnx thanx abt wud
cud shud tmrw tmr bcoz bcz becoz coz cuz thru tho nd wid frm hv hav hes abt yrs yr mnths mths wks hrs mins pic pics
ofc omg lol btw idk imo tbh rn smth sth sb sum evry alwys nvr nw hw wat wht wen whn ppl bday
bhi toh aur nahi nai kuch bahut abhi kal aaj hoon tha thi kar karo raha rahi wala wali
""".split())


# states a relative may be in that the name lists also hold ("my son is brave"): never a name after "is"
_STATE_NAMES = frozenset("""
brave clever bland gay love jolly merry hardy dusty stormy sunny lucky rusty happy sweet kind fine well sharp moody
strong young rich free bright smart quiet calm sober frank earnest constant patience hope joy grace faith early
""".split())


def _lower_name_not_word(word: str) -> bool:
    """A known name in lower case that is hardly a word a sentence would put after "my son is"."""
    return word not in _WORD_NAMES_ALL and word not in _STATE_NAMES and word not in _KIN_ONLY_NAMES and \
        not word.endswith(("y", "ful", "ive", "ous", "ish", "ed", "ing", "est", "ly", "ble", "less"))


# a word the writer says is a name, in brackets after it
_YES_NAME_RX = re.compile(r"(?<![\w'’-])(?P<n>[^\W\d_][^\W\d_'’-]+)[ \t]*\([ \t]*(?i:yes|yeah|yep)\b[^)\n]{0,50}?"
                          r"\b(?i:(?:her|his|my|their|a|real)[ \t]+name|like[ \t]+the)\b")
# the writer, named at the opening of a message and followed by a full stop or comma: "This is Bongani. My
# router ...", "This message is from Grace Akinyi.", "hey its Jess. my insta", "This is Nomvula, writing for my son"
_OPENING_INTRO_GATE_RX = re.compile(r"(?i:(?:hi|hello|hey|dear)\b[^\n]{0,20}?)?(?i:this|it|message)")
_OPENING_INTRO_RX = re.compile(
    r"(?:(?i:hi|hello|hey|dear)(?:[ \t]+(?i:doctor|doc|dr|sir|madam|there|all|team))?[ \t]*[,!.]?[ \t]*)?"
    r"(?i:this[ \t]+is|it['’]?s|this[ \t]+message[ \t]+is[ \t]+from|message[ \t]+from)[ \t]+"
    r"(?P<n>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+)?)[ \t]*[,.!](?![0-9])")
_OPENING_INTRO_AFTER_RX = re.compile(
    r"[ \t]*(?:writing|asking|here|from|mother|father|wife|husband|son|daughter|a[ \t]|an[ \t]|I[ \t]|I['’]m|I[ \t]am"
    r"|[Mm]y[ \t]|me[ \t]|[0-9])")


def _opening_intro(text: str, names: frozenset, spans: list) -> None:
    m = _OPENING_INTRO_RX.match(text)
    if m is None:
        return
    kinds = [_prose_word_kind(w, names) for w in m.group("n").split()]
    if not all(k in ("name", "unknown", "wordname") for k in kinds):
        return
    if any(k != "name" for k in kinds) and not _OPENING_INTRO_AFTER_RX.match(text, m.end()):
        return  # "This is Crocin. Is it safe ...": a brand, unless what follows is the writer's
    spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))


_AT_MENTION_RX = re.compile(r"(?<![\w.@])@([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)(?![\w.@-])")
_TITLE_HERE_RX = re.compile(r"(?:^|(?<=[,.!?:\n]))[ \t]*(?P<n>[A-ZÀ-ÖØ-Þ][\w'’-]+)[ \t]+here\b"
                            r"(?=[ \t]*,?[ \t]*(?:from\b|[0-9])|[ \t]*[.!](?:[ \t]|$))")
_LOWER_HERE_RX = re.compile(r"(?:^|(?<=[,.!?:\n]))[ \t]*(?P<n>[a-zß-öø-ÿ][\w'’-]{2,})[ \t]+here\b"
                            r"(?=[ \t]*(?:[.,!:\n]|$)|[ \t]+(?:from|again|and|with)\b)")


def _lower_unknown_words(lower_words, names: frozenset) -> set:
    """The lower-case words of a text that may be names nobody listed: no known name, no English, medical or drug
    word, no chat spelling (`_CHAT_WORDS`); and compounds of known names ("olga-maria", "dae-jung")."""
    out = set()
    for w in set(lower_words).difference(names, _VOCABULARY, _CHAT_WORDS, _LOWER_NOT_NAMES):
        if len(w) < 3 or not w.islower():
            continue
        if "-" in w:
            parts = w.split("-")
            if all(len(p) >= 2 and p.isalpha() and (p in names or p not in _VOCABULARY) for p in parts) and \
                    any(p in names for p in parts) and not any(p in _PROSE_NOT_NAMES for p in parts):
                out.add(w)
            continue
        key = w if w.isascii() else _fold(w)
        if w.isalpha() and key not in _VOCABULARY and key not in names and key not in _PROSE_NOT_NAMES:
            out.add(w)
    return out


# before a place, not a person: "I'm 40, from Lagos, my father had it" (a relative after the comma names no one)
_PLACE_PREPOSITIONS = frozenset("from in at to near of".split())


def _kin_names(text: str, names: frozenset, kin_only, spans: list, lower_names, gate: bool = True,
               lower_unknown=frozenset()) -> None:
    """A relative's name that the capitalised-run pass cannot see: in capitals ("MY SON AHMAD"), in lower case ("my
    husband ricardo", "i am rahul from delhi"), or a name the gazetteer leaves out as a place or a word, right after a
    relative or with a relative in apposition ("my daughter May has", "her brother Max", "Jordan, my 16 year old").
    `lower_unknown`: the text's lower-case words that are neither known names nor English words (in `lower_names`
    too), names only where a relative or "i am" comes before and a person's verb or a clause's end after."""
    if gate and ("MY " in text or "OUR " in text or "HIS " in text or "HER " in text or "THEIR " in text
                 or "YOUR " in text or "\t" in text):
        m = _KIN_CAPS_RX.search(text)
        while m is not None:
            end = None
            run = list(_WORD_AT_RX.finditer(text, m.start("w"), m.end("w")))
            for k, w in enumerate(run):
                if not _kin_word_ok(w.group(), names, "caps"):
                    # a given name that is also a place or a word, before a known name: "MY HUSBAND FRANCISCO JAVIER"
                    if not (end is None and k + 1 < len(run) and len(w.group()) >= 4 and w.group().isalpha()
                            and not w.group().endswith(("S", "ED", "ING", "LY"))
                            and _lower_key(run[k + 1].group()) in names):
                        break
                end = w.end()
            if end is not None:
                spans.append((m.start("w"), end, "NAME", PLACEHOLDERS["NAME"]))
            # the next relative may stand among the words taken after this one ("MY SISTER CHIOMA AND HER HUSBAND")
            m = _KIN_CAPS_RX.search(text, end if end is not None else m.start("w"))
        for m in _CAPS_PLURAL_KIN_RX.finditer(text):  # "MY SISTERS NKEMDIRIM AND CHINENYE"
            pos = m.end()
            while True:
                w = _WORD_AT_RX.match(text, pos)
                if w is None or not w.group().isupper() or w.group() in ("AND", "BOTH", "ARE", "WERE", "ALL") or \
                        not _kin_word_ok(w.group(), names, "caps"):
                    break
                spans.append((w.start(), w.end(), "NAME", PLACEHOLDERS["NAME"]))
                sep = _CAPS_LIST_SEP_RX.match(text, w.end())
                if sep is None:
                    break
                pos = sep.end()
    if gate and ("THANK" in text or "REGARDS" in text or "CHEERS" in text or "BLESS" in text):
        for m in _CAPS_SIGNOFF_RX.finditer(text):  # "THANK YOU. MARIAMA" at a field's end
            end = _caps_name_words(text, m.start("w"), m.end("w"), names)
            if end is not None:
                spans.append((m.start("w"), end, "NAME", PLACEHOLDERS["NAME"]))
    for word in kin_only:  # the text's capitalised words in `_KIN_ONLY_TITLED`
        i = text.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or not text[i - 1].isalnum()) and (end == len(text) or not text[end].isalnum()) and ((
                    (_kin_before(text, i) and (word.lower() not in _MODAL_NAMES or _NAME_THEN_VERB_RX.match(text, end)))
                    or (_KIN_AFTER_RX.match(text, end) and _words_before(text, i)[0] not in _PLACE_PREPOSITIONS))
                    and not _thing_after(text, end, names) and \
                    not _given_to_kin(text, i, end) or _strong_person_context(text, i, end)):
                spans.append((i, end, "NAME", PLACEHOLDERS["NAME"]))
            i = text.find(word, end)
    if lower_names:
        for word in lower_names:
            if len(word) < 3 or word in _LOWER_NOT_NAMES:
                continue
            i = text.find(word)
            while i >= 0:
                end = i + len(word)
                if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "'’-")) and \
                        (end == len(text) or not (text[end].isalnum() or text[end] in "-")):
                    head = text[max(0, i - 60):i].lower()
                    last = head.rstrip(" \t,(").rsplit(None, 1)[-1:] or [""]
                    nxt = _AFTER_RUN_RX.match(text, end)
                    nxt = nxt.group(1).lower() if nxt else ""
                    if nxt in _PRODUCT_WORDS or nxt in _EPONYM_NOUNS or nxt in _INSTITUTION_WORDS or (
                            last[0] in _KIN_LAST_WORDS and _given_to_kin(text, i, end)):
                        pass  # "our baby gripe water", "we give our son cerelac": a thing
                    elif last[0] in _KIN_LAST_WORDS or last[0] in _SELF_LAST_WORDS or last[0] in _ME_AND_LAST_WORDS:
                        stop = end
                        while True:  # "my father mohammed iqbal has"
                            nxt = _WORD_AT_RX.match(text, stop + 1) if text[stop:stop + 1] == " " else None
                            # (or a second word no list holds: "my father-in-law elshad ismayilov has")
                            if not (nxt and nxt.group().islower() and (_kin_word_ok(nxt.group(), names, "lower")
                                                                       or nxt.group() in lower_unknown)):
                                break
                            stop = nxt.end()
                        # a word that is no name and no English word ("my mum rukhsana has") only where what
                        # follows is what follows a person's name, not a typo's next word
                        unknown = word in lower_unknown
                        if (last[0] in _KIN_LAST_WORDS and _kin_head(head) and (
                                not unknown or _NAME_THEN_VERB_RX.match(text, stop)
                                or _PRONOUN_AFTER_RX.match(text, stop) or _SELF_AGE_AFTER_RX.match(text, stop))) or (
                                last[0] in _SELF_LAST_WORDS and _SELF_BEFORE_RX.search(head) and
                                (_SELF_AFTER_RX.match(text, end) or _SELF_AFTER_RX.match(text, stop)
                                 or _lower_name_not_word(word) and _SELF_MY_AFTER_RX.match(text, stop))) or (
                                not unknown and last[0] in _ME_AND_LAST_WORDS and _ME_AND_BEFORE_RX.search(head) and
                                _ME_AND_AFTER_RX.match(text, end)) or (
                                last[0] in ("is", "was") and _lower_name_not_word(word) and
                                _KIN_IS_BEFORE_RX.search(head) and _SELF_AFTER_RX.match(text, stop)):
                            spans.append((i, stop, "NAME", PLACEHOLDERS["NAME"]))
                            end = stop
                i = text.find(word, end)


# ---- names in lists after relatives, in quoted speech, after "is called", after "here" ----
# relatives in the plural, or a count of children, then a list of names: "my daughters (Aisha 6 and Safiya 3)", "we
# have 3 kids Keisha, Destiny and Cash", "my in-laws Vasanthi and Ravi", "my cousin's kids Ali and Omar"
_PLURAL_KIN = (r"(?:kids|children|sons|daughters|twins|boys|girls|grandchildren|grandkids|grandsons|granddaughters"
               r"|in-laws|inlaws|parents|brothers|sisters|siblings|friends|cousins|nephews|nieces|babies|aunts|uncles"
               r"|grandparents|roommates|flatmates|housemates|colleagues|coworkers|co-workers|classmates|teammates"
               r"|stepsons|stepdaughters|stepkids)")
# (found by the relative and what follows it, then the words before it are looked at)
_PLURAL_KIN_AT_RX = re.compile(
    rf"(?<![\w'’-])(?i:{_PLURAL_KIN})[ \t]*(?:[:(,-]|[ \t]+(?i:are|were|called|named))?[ \t]*(?=[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ])")
# the plural relatives as whitespace-separated tokens, in three cases and with the punctuation that may follow
_PLURAL_KIN_TOKENS = frozenset(v + p for w in _PLURAL_KIN[3:-1].split("|") for v in (w, w.capitalize(), w.upper())
                               for p in ("", ",", ":", "(", "-"))
_PLURAL_KIN_HEAD_RX = re.compile(
    rf"(?<![\w'’])(?:(?:my|our|his|her|their)[ \t]+(?:(?:{_RELATIONS}|baby)['’]s[ \t]+)?"
    rf"|(?:we|i|they|she|he)[ \t]+(?:have|has|had)[ \t]+)(?:(?:[0-9]|two|three|four|five|six|both|little|young"
    rf"|younger|older|elder|grown|twin|teenage|adult|adopted|step)[ \t]+){{0,2}}$")
_LIST_ITEM_RX = re.compile(r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)?")
_LIST_AGE_RX = re.compile(r"[ \t]*(?:,[ \t]*)?\(?[0-9]{1,2}(?:[ \t]*(?:y|yrs?|years?|yo|y/o|m|mo|months?)\b)?\)?")
_LIST_SEP_RX = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+|&[ \t]*)?|and[ \t]+|&[ \t]*)"
                          r"(?:(?:little|baby|young|big|wee|our|my)[ \t]+)?(?=[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ])")


_PLURAL_KIN_SET = frozenset(_PLURAL_KIN[3:-1].split("|"))
# relatives in the plural in capitals, then their names: "MY SISTERS NKEMDIRIM AND CHINENYE BOTH HAVE"
_CAPS_PLURAL_KIN_RX = re.compile(
    rf"(?<![\w'’])(?:MY|OUR|HIS|HER|THEIR)[ \t]+(?:(?:[0-9]|TWO|THREE|FOUR|LITTLE|YOUNGER|OLDER|ELDER|TWIN)[ \t]+)?"
    rf"(?:{_PLURAL_KIN[3:-1].upper()})(?:[ \t]+(?:ARE|WERE))?[ \t]*[:,(-]?[ \t]*(?=[A-Z][A-Z])")
_LIST_OPENERS = frozenset("are were called named".split())


def _after_plural_kin_or_quote(text: str, words) -> tuple[bool, bool]:
    """Whether one of `words` (capitalised words that can be names) comes, where it first occurs, right after a
    relative in the plural, as the first item of a list ("my kids Tom, ...", "my daughters (Aisha", "her twins are
    Amara"), and whether one comes right after an opening quote ("Amber, you ..."): a first look."""
    listed = quoted = False
    for w in words:
        i = text.find(w)  # its first occurrence: where a list names someone first
        if i < 1:
            continue
        if text[i - 1] in "\"“‘'" or text[i - 2:i - 1] in ("\"", "“", "‘", "'"):
            quoted = True
        head = text[max(0, i - 24):i].rstrip(" \t(:,-")
        if not listed and head[-1:] in ("s", "n", "e", "d", "S", "N", "E", "D") and head:  # kids, children, are
            last = head.lower().rsplit(None, 2)
            listed = last[-1] in _PLURAL_KIN_SET or (
                last[-1] in _LIST_OPENERS and len(last) > 1 and last[-2] in _PLURAL_KIN_SET)
    return listed, quoted


def _thing_after_list_item(text: str, end: int) -> bool:
    """A product, eponym or institution word right after: the capitalised word before it names a thing."""
    after = _AFTER_RUN_RX.match(text, end)
    if after is None:
        return False
    nxt = after.group(1).lower()
    return nxt in _PRODUCT_WORDS or nxt in _EPONYM_NOUNS or nxt in _INSTITUTION_WORDS


def _plural_kin_at(text: str, tokens) -> list:
    """The matches of `_PLURAL_KIN_AT_RX` at the occurrences of `tokens` (the plural relatives seen as tokens)."""
    out = []
    for word in {t.rstrip(",:(-") for t in tokens}:
        i = text.find(word)
        while i >= 0:
            m = _PLURAL_KIN_AT_RX.match(text, i)
            if m:
                out.append(m)
            i = text.find(word, i + len(word))
    return out


def _kin_list_names(text: str, names: frozenset, spans: list, tokens) -> None:
    """The names listed after relatives in the plural (see `_PLURAL_KIN_AT_RX`): each item a known or unknown name or
    a word-name (after the first, an ordinary word too: "Destiny and Cash"), an age after it allowed. `tokens`: the
    plural relatives among the text's tokens (`_PLURAL_KIN_TOKENS`)."""
    for m in _plural_kin_at(text, tokens):
        if not _PLURAL_KIN_HEAD_RX.search(text[max(0, m.start() - 40):m.start()].lower()):
            continue
        pos = m.end()
        first = True
        while True:
            item = _LIST_ITEM_RX.match(text, pos)
            if item is None:
                break
            words = item.group().split()
            kinds = [_prose_word_kind(w, names) for w in words]
            allowed = ("name", "unknown", "wordname") if first else ("name", "unknown", "wordname", "word")
            if not all(k in allowed for k in kinds) or (first and all(k == "word" for k in kinds)):
                break
            pos = item.end()
            age = _LIST_AGE_RX.match(text, pos)
            sep = _LIST_SEP_RX.match(text, age.end() if age else pos)
            if first and not age and not sep and not text.startswith(")", pos) and (
                    _thing_after_list_item(text, pos) or (
                        "name" not in kinds and not _person_after(text, pos))):
                break  # one item alone: "my boys Nike shoes", "our twins Pampers gave" are things
            spans.append((item.start(), item.end(), "NAME", PLACEHOLDERS["NAME"]))
            first = False
            if age:
                pos = age.end()
            if sep is None:
                break
            pos = sep.end()


# a name addressed in quoted speech: "Amber, you are too young for this", "Bill, please see someone"
_QUOTED_VOCATIVE_RX = re.compile(
    r"[\"“‘'][ \t]*(?P<n>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+)[ \t]*,[ \t]*(?i:you|your|you're|you’re|please|don't|don’t|stop|come"
    r"|go|wake|look|listen|we|i|it's|it’s|are|can|could|did|do|have|take|eat|drink|sit|get)\b")
# a relative's name after "is called" or "is named": "my daughter in law is called wanjiku"
_CALLED_BEFORE_RX = re.compile(
    rf"(?<![\w'’])(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+){{0,3}}(?:{_RELATIONS}|baby|child|kid|boy|girl"
    rf"|{_PLURAL_KIN[3:-1]})(?:[ \t]+in[ \t-]+law)?(?:['’]s[ \t]+name)?[ \t]+(?:is|was|are)[ \t]+(?:called|named)?[ \t]*$")
_CALLED_RX = re.compile(r"(?:called|named)[ \t]+(?P<n>[A-Za-zÀ-ÖØ-öø-ÿ][\w'’-]+)")
# the writer's name before "here" and an age: "Ngaio here, 38 from Rotorua" (a word too, as no cue needs)
_HERE_AGE_RX = re.compile(r"(?P<n>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+)[ \t]+here,[ \t]*[0-9]{1,2}(?![0-9])"
                          r"(?:[ \t]*(?:years?|yrs?|y/?o)\b)?[ \t]*,?[ \t]*(?:from|male|female|[MFmf])\b")


# what people are called in quoted speech that is no name: "Mummy, you ...", "Beta, you must eat"
_ADDRESS_TERMS = frozenset("""
daddy dad mummy mommy mum mom mama mamma papa baba honey sweetie sweetheart darling dear babe baby bro brother sis
sister son beta beti bhai didi dude mate man guys kids boys girls love hun hon buddy pal sir madam doc doctor nurse
grandma granny grandpa nana gran auntie aunty uncle boss chief mister miss lady sonny kiddo child friend friends
everyone everybody folks people children ladies gentlemen bae bub bubba hubby wifey mister ma pa
""".split())


def _cued_word_names(text: str, names: frozenset, spans: list, quoted: bool = True, called: bool = True,
                     here: bool = True) -> None:
    """Names in quoted speech, after "is called" and before "here, 38" (see the patterns above); the flags: whether
    the text has an opening quote and a capitalised word that can be a name, "called" or "named", " here,"."""
    if quoted:  # (an apostrophe alone opens no quote)
        for m in _QUOTED_VOCATIVE_RX.finditer(text):
            if m.group("n").lower() not in _ADDRESS_TERMS and \
                    _prose_word_kind(m.group("n"), names) in ("name", "unknown", "wordname"):
                spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    for cue in ("called", "named") if called else ():
        i = text.find(cue)
        while i >= 0:
            m = _CALLED_RX.match(text, i)
            i = text.find(cue, i + 5)
            if m is None:
                continue
            word = m.group("n")
            key = _lower_key(word)
            if not text[max(0, m.start() - 4):m.start()].rstrip(" \t").endswith(("is", "was", "are")) or \
                    not _CALLED_BEFORE_RX.search(text[max(0, m.start() - 60):m.end("n") - len(word)].lower()):
                continue
            if (word[0].isupper() and _prose_word_kind(word, names) in ("name", "unknown", "wordname")) or (
                    word.islower() and key not in _LOWER_NOT_NAMES and (key in names or (
                        key.isalpha() and len(key) >= 3 and key not in _VOCABULARY and key not in _PROSE_NOT_NAMES))):
                spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    i = text.find(" here,") if here else -1
    while i > 0:
        m = _HERE_AGE_RX.match(text, max(text.rfind(" ", 0, i), text.rfind("\n", 0, i), text.rfind("\t", 0, i)) + 1)
        if m and m.end("n") == i and _prose_word_kind(m.group("n"), names) not in ("not", "institution"):
            spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
        i = text.find(" here,", i + 5)


# ---- names the text announces as names: "her name is Nomsa", "my grandma's name is hoang", form labels ----------
# a possessive or a relative's possessive, then "name is" / "name:" (in any case), or a form's "Name of child -"
_NAMING_RX = re.compile(
    r"(?<![\w'’])(?i:(?P<owner>my|his|her|their|our|your|whose|[a-z]+(?:-in-law)?['’]s)[ \t]+"
    r"(?:(?:first|last|full|given|real|nick|middle|christian|sur|maiden)[ \t-]*)?name(?:[ \t]+(?:is|was)|['’]s|[ \t]*[:=])"
    r"|(?:my|our|his|her|their)[ \t]+(?:baby|son|daughter|boy|girl|child|kid|twin|twins|dog|cat)[ \t]+named"
    r"|(?:a|the)[ \t]+(?:lad|boy|girl|man|woman|lady|guy|kid|child|baby|person|patient|gentleman)[ \t]+named"
    # a nickname: "(we call him June)"
    r"|(?:we|they|i|everyone|everybody|people|just)[ \t]+call(?:s|ed)?[ \t]+(?:him|her|me)"
    # a form's fields: "Patient name = Gulnora Ismoilova. Mother name = Nodira."
    r"|(?:patient|mother|father|parent|guardian|child|husband|wife|spouse|carer|caregiver|informant)[ \t]+name[ \t]*[:=]"
    r"|name[ \t]+of[ \t]+(?:the[ \t]+|my[ \t]+|your[ \t]+)?(?:child|patient|baby|mother|father|parent|guardian|husband"
    r"|wife|son|daughter|carer|caregiver|spouse|kid|boy|girl|infant|student|relative|informant)[ \t]*[:=–-])[ \t]*")
# "my name is" in other languages: "me llamo", "je m'appelle", "ich heiße", "jmenuji se", "nazywam się", "ik heet"
_FOREIGN_MYNAME_RX = re.compile(
    r"(?<![\w'’])(?i:me[ \t]+llamo|mi[ \t]+nombre[ \t]+es|je[ \t]+m['’]appelle|ich[ \t]+hei(?:ße|sse)|mein[ \t]+name[ \t]+ist"
    r"|mi[ \t]+chiamo|il[ \t]+mio[ \t]+nome[ \t]+è|meu[ \t]+nome[ \t]+é|chamo-me|eu[ \t]+me[ \t]+chamo|jmenuji[ \t]+se"
    r"|nazywam[ \t]+się|ik[ \t]+heet|mijn[ \t]+naam[ \t]+is|jeg[ \t]+heter|jag[ \t]+heter|jeg[ \t]+hedder|eg[ \t]+heiter|benim[ \t]+adım|adım"
    # "soy"/"sou" ("I am") only where a clause starts: "Hola, soy Carmen", "Olá, sou a Juliana" (not "soy Milk")
    r"|(?:(?<![^\n,.!?¡:])|(?<=[\n,.!?¡:][ \t])|(?<=yo[ \t])|(?<=eu[ \t]))(?:soy|sou(?:[ \t]+[ao])?))[ \t]+"
    r"(?=[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ])")


def _foreign_myname_gate(text: str) -> bool:
    """Whether `_FOREIGN_MYNAME_RX` can match: substring tests (a regex scan of every text would cost more)."""
    return ("llamo" in text or "nombre es" in text or "appelle" in text or "hei" in text and (
        "heiße" in text or "heisse" in text) or "name ist" in text or "chiamo" in text or "mio nome" in text
        or "meu nome" in text or "chamo" in text or "jmenuji" in text or "nazywam" in text or "k heet" in text
        or "naam is" in text or "g heter" in text or "hedder" in text or "heiter" in text or "adım" in text or "sou " in text or "soy " in text
        or "Sou " in text or "Soy " in text)
# a form's person labels before a name: "Parent - Palesa Mokoena", "Mother: Thandeka"
_PERSON_LABEL_RX = re.compile(
    r"(?:^|(?<=[\n.;|]))[ \t]*(?i:parent|mother|father|guardian|carer|caregiver|spouse|next[ \t]+of[ \t]+kin|child"
    r"|emergency[ \t]+contact|informant|referred[ \t]+by|husband|wife|son|daughter|dad|mum|mom)(?:[ \t]*:|[ \t]+[–-])[ \t]*"
    r"(?=[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ])")
# whose name a possessive word names: a relative or a carer, not a medicine's, a hospital's or a dog's
_NAMING_OWNERS = frozenset("""
son daughter husband wife mother father mum mom dad brother sister baby child kid boy girl friend cousin uncle aunt
auntie aunty nephew niece grandson granddaughter grandmother grandfather grandma grandpa granny gran nana boyfriend
girlfriend partner fiance fiancee fiancé fiancée neighbour neighbor colleague roommate flatmate doctor nurse surgeon
dentist physio physiotherapist therapist midwife gp pharmacist consultant specialist paediatrician pediatrician
teacher carer caregiver nanny maid boss patient stepson stepdaughter stepmother stepfather twin hubby wife's
mother-in-law father-in-law sister-in-law brother-in-law son-in-law daughter-in-law
""".split())
# words after "name is" that are no name: "his name is not on the list", "her name is spelled ..."
_NAMING_NOT = frozenset("""
not on in at the a an also still spelled spelt written listed unknown same different mentioned above below
confidential private withheld given printed wrong correct missing hard difficult very so too like similar just only
long short weird unusual strange common rare easy unique pronounced there here what that this it and or but
""".split())
_NAME_KINDS = ("name", "unknown", "wordname")


_TITLE_WORD_RX = re.compile(_TITLE + r"\.?")


# a name set off by commas after a carer's or clinician's role: "the physio, brenda, told me", "our nurse, Ifeoma, said"
_COMMA_WORD_COMMA_RX = re.compile(r",[ \t]*(?P<n>[^\W\d_][\w'’-]*)[ \t]*,")
_ROLES = ("physio physiotherapist nurse doctor midwife therapist pharmacist receptionist dentist surgeon consultant "
          "paramedic carer caregiver teacher coach gp optician counsellor counselor psychologist psychiatrist specialist "
          "visitor technician worker chemist trainer nanny maid neighbour neighbor landlord landlady boss manager tutor "
          "babysitter housekeeper driver").split()
_ROLE_HEAD_RX = re.compile(
    r"(?:^|[^\w'’])(?:the|my|our|his|her|their|your|a|an)[ \t]+(?:health[ \t]+|social[ \t]+)?(?:"
    + "|".join(_ROLES) + r")$")
# the last words `_ROLE_HEAD_RX` ends with: the first look at the word before the comma
_ROLE_WORDS = frozenset(_ROLES)


def _role_apposition_names(text: str, names: frozenset, spans: list) -> None:
    """A name between commas after a role ("the physio, brenda, told me"): a known name or, capitalised, an unknown
    word; in lower case a known name that is no English word, or no word at all."""
    for m in _COMMA_WORD_COMMA_RX.finditer(text):
        word = m.group("n")
        before = text[max(0, m.start() - 16):m.start()].rsplit(None, 1)
        if not before or before[-1].lower() not in _ROLE_WORDS or \
                not _ROLE_HEAD_RX.search(text[max(0, m.start() - 40):m.start()].lower()):
            continue
        key = _lower_key(word)
        if word[0].isupper():
            ok = _prose_word_kind(word, names) in _NAME_KINDS
        else:
            ok = word.islower() and len(key) >= 3 and key not in _LOWER_NOT_NAMES and key not in _CHAT_WORDS and (
                (key in names and _lower_name_not_word(key)) or (key not in _VOCABULARY and key not in _PROSE_NOT_NAMES))
        if ok:
            spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))


# titles and sign-offs of other languages before a capitalised name: "Prezada Dra. Camargo", "la signora Rossi",
# "il dott. Esposito", "Herr Dr. Weber", "Att, Renata", "Un saludo, Ramón"
_FOREIGN_TITLE_RX = re.compile(
    r"(?<![\w'’])(?i:dra|sra|srta|sr|dott|dott\.ssa|dottssa|herr|frau|mme|mlle|signora|signor|señora|señor|senhora"
    r"|senhor|madame|monsieur|doutor|doutora|doctora|dottore|dottoressa|sig\.ra|doktor|doktorka|doktora|doktè)\.?[ \t]+"
    r"(?P<n>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+"
    r"(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+)?)")
_FOREIGN_SIGNOFF_RX = re.compile(
    r"(?:^|(?<=[.!?\n,]))[ \t]*(?:Att|Atte|Atenciosamente|Abraços|Abraço|Saludos|Un[ \t]+saludo|Cordialmente|Gracias"
    r"|Obrigad[oa]|Grazie|Cordiali[ \t]+saluti|Distinti[ \t]+saluti|Cordialement|Merci|Bien[ \t]+à[ \t]+vous|Gruß|Grüße"
    r"|Viele[ \t]+Grüße|Mit[ \t]+freundlichen[ \t]+Grüßen|Met[ \t]+vriendelijke[ \t]+groet|Groetjes|Hilsen"
    r"|Met[ \t]+vriendelijke[ \t]+groeten|Med[ \t]+vänliga[ \t]+hälsningar|Pozdrawiam|Saygılarımla)[ \t]*[,.!:-]*[ \t\n]*"
    r"(?P<n>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+"
    r"(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+)?)[ \t]*[.!]?[ \t]*(?=\n|$)")


# the capitalised words those patterns open with: a text with none of them (and none of the lower-case titles
# `_prose_name_spans` looks for) is not scanned
_FOREIGN_CUE_TITLED = frozenset("""
Dra Sra Srta Sr Dott Herr Frau Mme Mlle Signora Signor Señora Señor Senhora Senhor Madame Monsieur Doutor Doutora
Doctora Dottore Dottoressa Doktor Doktorka Sig Att Atte Atenciosamente Abraços Abraço Saludos Un Cordialmente Gracias Obrigado Obrigada
Grazie Cordiali Distinti Cordialement Merci Bien Gruß Grüße Viele Mit Met Groetjes Hilsen Med Pozdrawiam Saygılarımla
""".split())


def _foreign_cued_names(text: str, names: frozenset, spans: list) -> None:
    """Names after a title or before a sign-off's end in another language (see the patterns above)."""
    for rx in (_FOREIGN_TITLE_RX, _FOREIGN_SIGNOFF_RX):
        for m in rx.finditer(text):
            end = None
            for w in _WORD_AT_RX.finditer(text, m.start("n"), m.end("n")):
                if _prose_word_kind(w.group(), names) not in _NAME_KINDS and \
                        not (_lower_key(w.group()) in names or _lower_key(w.group()) in _KIN_ONLY_NAMES):
                    break
                end = w.end()
            if end is not None:
                spans.append((m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]))


# the capitalised words a person label opens with (labels in lower case are not looked for)
_PERSON_LABEL_TITLED = frozenset("""
Parent Mother Father Guardian Carer Caregiver Spouse Next Child Emergency Informant Referred Husband Wife Son Daughter
Dad Mum Mom
""".split())


def _naming_names(text: str, names: frozenset, spans: list, words=()) -> None:
    """Names after "her name is", "my grandma's name is", "Name of child -", and after a form's person label: the
    first word anything but a function word or a title (a label wants a capitalised name or unknown word), the
    words after it, in the same case, known names or words that are no English word."""
    for rx, label in ((_NAMING_RX, False), (_PERSON_LABEL_RX, True), (_FOREIGN_MYNAME_RX, False)):
        if not (("name" in text or "Name" in text or "NAME" in text or "call h" in text or "call me" in text)
                if rx is _NAMING_RX else
                _foreign_myname_gate(text) if rx is _FOREIGN_MYNAME_RX else
                not _PERSON_LABEL_TITLED.isdisjoint(words)):
            continue
        for m in rx.finditer(text):
            if rx is _NAMING_RX:
                owner = (m.group("owner") or "").lower()
                if owner.endswith(("'s", "’s")) and owner[:-2] not in _NAMING_OWNERS:
                    continue  # "the drug's name is", "the hospital's name is"
            # a nickname ("we call him June") must look like one: capitalised, a name or no English word
            titled = label or (rx is _NAMING_RX and "call" in m.group().lower())
            pos, end, lower = m.end(), None, False
            while True:
                w = _WORD_AT_RX.match(text, pos)
                if w is None:
                    break
                word = w.group()
                key = _lower_key(word)
                if key in _NAMING_NOT or _TITLE_WORD_RX.fullmatch(word):
                    break
                if end is None:
                    if titled and not (word[0].isupper() and _prose_word_kind(word, names) in _NAME_KINDS):
                        break
                    lower = word.islower()
                elif word.islower() != lower or not (
                        (not lower and _prose_word_kind(word, names) in _NAME_KINDS) or
                        (lower and key not in _VOCABULARY and key not in _PROSE_NOT_NAMES and len(key) >= 2)):
                    break
                end = w.end()
                if text[end:end + 1] not in (" ", "\t"):
                    break
                pos = end + 1
            if end is not None:
                spans.append((m.end(), end, "NAME", PLACEHOLDERS["NAME"]))


# after a word-name in lower case, what makes it the subject: a verb ("my wife rose is 8 months pregnant", "my friend
# june has"), not an adverb or an object ("my wife rose early", "the price rose to")
_WORD_NAME_THEN_VERB_RX = re.compile(
    r"[ \t]+(?:and[ \t]+(?:i|me|her|his|my)|has|had|is|was|says|said|got|gets|keeps|kept|broke|fell|ate|took|went"
    r"|came|woke|ran|cut|hit|hurt|caught|can't|cannot|can|could|will|would|does|did|doesn't|didn't|also|still|just|never"
    r"|who|both|[a-z]{3,}ed|cuts|feels|complains|coughs|sleeps|wants|needs|hurts|cries|vomits|eats|drinks|smokes|gets"
    r"|keeps|snores|wakes|sees|looks|seems)\b")
# after "me and X": more of the list, then a verb ("me, tomas and freya went")
_ME_AND_AFTER_RX = re.compile(r"(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|n|&)[ \t]+)[a-z][a-z'’-]+){0,3}"
                              + _WORD_NAME_THEN_VERB_RX.pattern)
# the writer's word-name in lower case, with an age after it: "i am april, 26"
_SELF_AGE_AFTER_RX = re.compile(r"[ \t]*(?:,[ \t]*|\([ \t]*)[0-9]{1,2}(?![0-9])")


def _lower_word_names(text: str, words, spans: list) -> None:
    """Given names that are also words ("rose", "june", "ivy"), in lower case: a name right after a relative with a
    verb after it ("my wife rose is ...", "my friend june has"; not after "baby", which makes compounds: "my baby
    gift was"), or after "i am" with an age ("i am april, 26")."""
    for word in words:
        i = text.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "'’-")) and \
                    (end == len(text) or not (text[end].isalnum() or text[end] in "-'’")):
                head = text[max(0, i - 60):i]
                last = head.rstrip(" \t,(").rsplit(None, 1)[-1:] or [""]
                if (last[0] in _KIN_LAST_WORDS and last[0] != "baby" and _kin_head(head) and
                        _WORD_NAME_THEN_VERB_RX.match(text, end) and not _given_to_kin(text, i, end)) or (
                        last[0] in _ME_AND_LAST_WORDS and _ME_AND_BEFORE_RX.search(head) and
                        _ME_AND_AFTER_RX.match(text, end)) or (
                        last[0] in _SELF_LAST_WORDS and _SELF_BEFORE_RX.search(head) and
                        _SELF_AGE_AFTER_RX.match(text, end)):
                    spans.append((i, end, "NAME", PLACEHOLDERS["NAME"]))
            i = text.find(word, end)


# a relative in apposition after the word: "Jordan, my 16 year old", "Georgia, my daughter", "Paris is my sister"
# (and "Ruby and Pearl, my two daughters", "Georgia, my youngest,", "Bentley, our two year old,")
_WORD_KIN_AGE = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
                 r"|seventeen|eighteen)[ \t-]+(?:years?|months?|weeks?)[ \t-]+old")
_KIN_AFTER_RX = re.compile(
    rf"[ \t]*[,(][ \t]*(?:my|our|his|her|their)[ \t]+(?:(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS}|baby|child|kid|boy|girl)\b"
    rf"|{_KIN_AGE}|{_WORD_KIN_AGE}\b|(?:two|three|four|both|twin)[ \t]+(?:(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS})s|kids|children|boys|girls)\b"
    rf"|(?:youngest|eldest|oldest|middle[ \t]+one|little[ \t]+one)[ \t]*[,)])"
    rf"|[ \t]+(?:is|was)[ \t]+(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS})\b")


# the writer's or a relative's name in capitals after "I AM", "THIS IS", "MYSELF", "MY NAME IS", "MY FATHER IS",
# "MY SON'S NAME IS": "I AM PRAKASH FROM NEPAL", "MY NAME IS DEJAN, 33", "MY FATHER IS AHMED RAZA KHAN, 66"
_CAPS_INTRO_RX = re.compile(
    rf"(?<![\w'’])(?:(?P<weak>I[ \t]+AM|I['’]M|IM|THIS[ \t]+IS|MYSELF|(?:MY|OUR|HIS|HER|THEIR)[ \t]+"
    rf"(?:(?i:{_KIN_MODS})[ \t]+){{0,2}}(?i:{_RELATIONS}|BABY|CHILD|KID|BOY|GIRL)[ \t]+IS)"
    rf"|(?:MY|OUR|HIS|HER|THEIR)[ \t]+(?:(?:(?i:{_RELATIONS}|BABY|CHILD|KID|BOY|GIRL))['’]S[ \t]+)?NAME"
    rf"(?:[ \t]+IS|['’]S|[ \t]*:))[ \t]*:?[ \t]+(?P<w>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+){{0,3}})(?![\w'’])")
# after the name a weak cue ("I AM", "THIS IS") needs what follows a name there: a comma, an age, "FROM", "AND"
_CAPS_INTRO_AFTER_RX = re.compile(
    r"[ \t]*(?:[,.!?(\n:;-]|$|[0-9]|(?:FROM|AND|HERE|AGED?|AGE|I|WHO|HAS|HAVE|WITH|A|AN|MY)(?![\w'’]))")
# a name after a dash at the end of the text's last sentence: "GOD BLESS YOU. - CARMEN", "today. - Lwazi"
_DASH_SIGNATURE_RX = re.compile(
    r"[.!?)][ \t]*[-–—~]+[ \t]*(?P<n>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+){0,2})[ \t]*[.!]?[ \t]*(?=\n\x1e|\Z)")


def _caps_name_words(text: str, start: int, stop: int, names: frozenset) -> int | None:
    """Where the run of name words in capitals from `start` ends (None: the first is no name): a known name or a word
    that is no English, medical or drug word, and no people, place or faith ("I AM NEPALI")."""
    end = None
    for w in _WORD_AT_RX.finditer(text, start, stop):
        key = _lower_key(w.group())
        if not _kin_word_ok(w.group(), names, "caps") or key in _PROSE_NOT_NAMES or key in _FAITHS_AND_PEOPLES:
            break
        end = w.end()
    return end


# a title in capitals: "DEAR DR NAKAMURA I HAVE FEVER", "MRS OKAFOR SAID"
_CAPS_TITLE_RX = re.compile(r"(?<![\w'’])(?:DR|MR|MRS|MS|PROF)\.?[ \t]+(?P<w>[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ'’-]+"
                            r"(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ'’-]+){0,2})(?![\w'’])")


def _caps_title_names(text: str, names: frozenset, spans: list) -> None:
    for m in _CAPS_TITLE_RX.finditer(text):
        end = _caps_name_words(text, m.start("w"), m.end("w"), names)
        if end is not None:
            spans.append((m.start("w"), end, "NAME", PLACEHOLDERS["NAME"]))


def _caps_intro_names(text: str, names: frozenset, spans: list) -> None:
    for m in _CAPS_INTRO_RX.finditer(text):
        end = _caps_name_words(text, m.start("w"), m.end("w"), names)
        if end is not None and (m.group("weak") is None or _CAPS_INTRO_AFTER_RX.match(text, end)):
            spans.append((m.start("w"), end, "NAME", PLACEHOLDERS["NAME"]))


# a sign-off in lower case at a text's end: "regards, pooja", "thanks\nkavya"
_LOWER_SIGNOFF_RX = re.compile(
    r"(?<![\w'’])(?:regards|thanks|thank[ \t]+you|thanx|thx|cheers|sincerely|best[ \t]+wishes|love)[ \t]*[,.!:-]*"
    r"[ \t]*\n?[ \t]*(?P<n>[a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?)[ \t]*[.!]?[ \t]*(?=\n\x1e|\Z)")
# a title in lower case: "dr. mehta gave", "mrs kapoor said"
_LOWER_TITLE_RX = re.compile(r"(?:dr|mr|mrs|ms|prof)\.?[ \t]+(?P<n>[a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?)")


def _lower_known_names(text: str, start: int, stop: int, names: frozenset) -> int | None:
    """Where the known names in lower case from `start` end (None: the first is none): gazetteer names that are no
    English word ("pooja", "mehta"; not "will", "hope")."""
    end = None
    for w in _WORD_AT_RX.finditer(text, start, stop):
        key = _lower_key(w.group())
        if key not in names or key in _VOCABULARY or key in _LOWER_NOT_NAMES or key in _WORD_NAMES_ALL or \
                len(key) < 3 or key in _NOT_LOWER_TITLED:
            break
        end = w.end()
    return end


def _lower_cued_names(text: str, names: frozenset, spans: list) -> None:
    """A lower-case sign-off at a field's end and a name after a lower-case title."""
    end = len(text)
    while end >= 0:
        tail = text[max(0, end - 60):end]
        m = _LOWER_SIGNOFF_RX.search(text, max(0, end - 60), end) if (
            "thank" in tail or "regards" in tail or "thx" in tail or "thanx" in tail or "cheers" in tail
            or "sincerely" in tail or "best" in tail or "love" in tail) else None
        if m is not None:
            stop = _lower_known_names(text, m.start("n"), m.end("n"), names)
            if stop is not None:
                spans.append((m.start("n"), stop, "NAME", PLACEHOLDERS["NAME"]))
        end = text.rfind("\n\x1e", 0, end)
    for title in ("dr", "mr", "ms", "prof"):
        i = text.find(title)
        while i >= 0:
            m = _LOWER_TITLE_RX.match(text, i) if i == 0 or not text[i - 1].isalnum() else None
            if m:
                stop = _lower_known_names(text, m.start("n"), m.end("n"), names)
                if stop is not None:
                    spans.append((m.start("n"), stop, "NAME", PLACEHOLDERS["NAME"]))
            i = text.find(title, i + 2)


def _dash_signature(text: str, names: frozenset, spans: list) -> None:
    end = len(text)
    while end >= 0:  # each field's end: a signature is a text's last words
        tail = text[max(0, end - 80):end]
        m = _DASH_SIGNATURE_RX.search(text, max(0, end - 80), end) if (
            "-" in tail or "–" in tail or "—" in tail or "~" in tail) else None
        if m is not None:
            _add_dash_signature(text, m, names, spans)
        end = text.rfind("\n\x1e", 0, end)


def _add_dash_signature(text: str, m: re.Match, names: frozenset, spans: list) -> None:
    start, stop = m.span("n")
    value = text[start:stop]
    if value.isupper():
        end = _caps_name_words(text, start, stop, names)
        if end is not None:
            spans.append((start, end, "NAME", PLACEHOLDERS["NAME"]))
    elif all(_prose_word_kind(w, names) in ("name", "unknown") for w in value.split()):
        spans.append((start, stop, "NAME", PLACEHOLDERS["NAME"]))


def _signature_names(text: str, names: frozenset, spans: list) -> None:
    """A name alone on a line at the end of a message ("Please advise.\nKofi Mensah") or after a dash ("- Bongani"):
    a signature. Every word must be a known or unknown name, not a word ("- Sent from my phone", "Thanks")."""
    for m in _NAME_LINE_RX.finditer(text):  # a literal first: the engine skips to each line break in C
        if m.start() and text[m.start() - 1] == "\x1e":
            continue  # a field's first line
        end = m.end()
        if not (end == len(text) or text.startswith("\n\x1e", end)):
            continue  # a signature is a text's last line
        prev = text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
        if prev.endswith(":") or prev[:1] in ("-", "–", "—", "~", "*", "•"):
            continue  # the last item of a list ("I take:\nMeftal Spas", "- Crocin\n- Meftal Spas")
        start, stop = m.span("n")
        kinds = [_prose_word_kind(w, names) for w in text[start:stop].split()]
        if all(k in ("name", "unknown") for k in kinds):
            spans.append((start, stop, "NAME", PLACEHOLDERS["NAME"]))


# the capitalised words, single-spaced, right before and from a known name: the run that holds it
# surname particles inside a run: "Maria van der Berg", "Ahmad bin Ismail", "Lucas de Souza"
_PARTICLES = r"(?:van|von|der|den|de|da|del|della|di|du|dos|das|la|le|bin|binti|bint|ibn|al|el|ter|ten|zu)"
_PARTICLE_GAP_RX = re.compile(rf"[ \t](?:{_PARTICLES}[ \t]){{1,2}}")
_RUN_BEFORE_RX = re.compile(rf"(?:[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*[ \t](?:{_PARTICLES}[ \t]){{0,2}})*$")
_RUN_FROM_RX = re.compile(rf"[\w'’-]*(?:[ \t](?:{_PARTICLES}[ \t]){{0,2}}[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*)*")
_CUE_TITLE_BEFORE_RX = re.compile(r"(?<![A-Za-z])(?:Dr|DR|Mr|Mrs|Ms|Mx|Prof|Doctor)\.?[ \t]+$")


def _run_start(text: str, i: int) -> int:
    """Where the run of capitalised words (surname particles inside) that holds the word at `i` starts: what
    `_RUN_BEFORE_RX.search(text, max(0, i - 100), i).start()` finds, by a walk back word by word (that search,
    anchored at the end, is tried at every one of the 100 positions before)."""
    if i >= 2 and text[i - 1] in "'’-" and text[i - 2].isalnum():
        i = max(text.rfind(" ", 0, i), text.rfind("\t", 0, i), text.rfind("\n", 0, i)) + 1  # "O'Neill": its token
    lo = max(0, i - 100)
    start = pos = i
    particles = 0
    while pos - 2 >= lo and text[pos - 1] in " \t":
        k = pos - 1
        while k > lo and (text[k - 1].isalnum() or text[k - 1] in "_'’-"):
            k -= 1
        word = text[k:pos - 1]
        if not word:
            break
        if "A" <= word[0] <= "Z" or "À" <= word[0] <= "Þ" and word[0] != "×":
            start = pos = k
            particles = 0
            continue
        if particles < 2 and word in _PARTICLE_WORDS:
            particles += 1
            pos = k
            continue
        for j, c in enumerate(word):  # "xAnita": the run starts at its capital
            if "A" <= c <= "Z" or "À" <= c <= "Þ" and c != "×":
                start = k + j
                break
        break
    return start


_PARTICLE_WORDS = frozenset(_PARTICLES[3:-1].split("|"))


def _windows(text: str, hits: set) -> list:
    """The runs of capitalised words that hold a known name, less those after a title (the cue pass
    scrubs "Dr. Anita Rao"): only these are looked at, not every capitalised word of the text."""
    windows = set()
    for word in hits:
        i = text.find(word)
        while i >= 0:
            start = _run_start(text, i)
            if not _CUE_TITLE_BEFORE_RX.search(text, max(0, start - 8), start):
                windows.add((start, _RUN_FROM_RX.match(text, i).end()))
            i = text.find(word, i + len(word))
    return sorted(windows)


_THINGS: tuple | None = None  # (names of one word, {first word: names of several}, {last word: names of several})
# the names of one word that are first names too ("siri", "flo"): no person in lower case (`_lower_opening_names`)
_THINGS_NAMED_LIKE_PEOPLE: frozenset = frozenset()


def _things() -> tuple:
    """names/things.txt: hospitals, shops, brands, apps and shows named like people. A name of one word that is a
    first name on the gazetteer's lists is left out ("costa", "flo")."""
    global _THINGS
    if _THINGS is None:
        from pathlib import Path

        global _THINGS_NAMED_LIKE_PEOPLE
        first_names = _first_names()
        single, by_first, by_last, like_people = set(), {}, {}, set()
        for line in (Path(__file__).parent / "names" / "things.txt").read_text(encoding="utf-8").splitlines():
            words = line.split() if line and not line.startswith("#") else []
            if len(words) == 1 and _lower_key(words[0]) not in first_names:
                single.add(_lower_key(words[0]))
            elif len(words) == 1:
                like_people.add(_lower_key(words[0]))
            elif len(words) > 1:
                phrase = " ".join(words)
                by_first.setdefault(_lower_key(words[0]), []).append(phrase)
                by_last.setdefault(_lower_key(words[-1]), []).append(phrase)
        _THINGS_NAMED_LIKE_PEOPLE = frozenset(like_people)
        _THINGS = (frozenset(single), by_first, by_last)
    return _THINGS


def _is_known_thing(text: str, run: list) -> bool:
    """Whether a run of capitalised words is a known thing's name (`_things`), or begins or ends one ("Johns Hopkins
    said", "Holland" and "Barrett" of "Holland and Barrett", "Stella Artois and")."""
    single, by_first, by_last = _THINGS or _things()
    first, last = _lower_key(text[run[0][0]:run[0][1]]), _lower_key(text[run[-1][0]:run[-1][1]])
    if len(run) == 1 and first in single:
        return True
    start, end = run[0][0], run[-1][1]
    for phrase in by_first.get(first, ()):
        if _fold(text[start:start + len(phrase)].lower()) == phrase:
            return True
    for phrase in by_last.get(last, ()):
        if _fold(text[max(0, end - len(phrase)):end].lower()) == phrase:
            return True
    return False


def _close_run(text: str, run: list, spans: list) -> None:
    """Split a run of capitalised words at the words that are never names; a piece with a known name is a name,
    a piece with an unknown word or a word-name is one where the sentence treats it as a person."""
    if not run or any(k == "institution" for _s, _e, k in run) or _is_known_thing(text, run):
        return
    piece: list = []
    for item in [*run, None]:
        if item and item[2] == "not" and piece and piece[-1][2] in ("name", "unknown") and \
                _lower_key(text[item[0]:item[1]]) in _SURNAME_ONLY_NAMES and \
                (piece[-1][2] == "name" or _lower_key(text[item[0]:item[1]]) not in _CITIES):
            item = (item[0], item[1], "name")  # "Dumisani Zulu", "Sarah Jordan": a surname that is also a place
        if item is None or item[2] == "not":
            if piece and item is not None and (_lower_key(text[item[0]:item[1]]) in _WEEKDAYS
                                               or _lower_key(text[item[0]:item[1]]) in _THING_HEADS):
                piece = []  # "Ash Wednesday", "Whit Monday": a day of the year; "Kaizer Chiefs": a team
            if piece and len(piece) > 1 and _lower_key(text[piece[-1][0]:piece[-1][1]]) in _THING_HEADS:
                piece = []  # "Stanley Cup", "Orlando Pirates", "Castle Lager": a thing's name ends in a common noun
            if piece and len(piece) > 1 and _other_language_cached(text, piece[0][0]):
                # in another language an unknown capitalised word is a noun or a sign's word ("Signo de Murphy"):
                # the piece is its known names alone
                piece = [item for item in piece if item[2] != "unknown"]
            if piece:
                if any(k == "name" for _s, _e, k in piece):
                    # one known name alone needs a person context at a sentence's start ("Grace period") and in
                    # another language, whose nouns and signs are capitalised ("Signo de Murphy positivo")
                    # and so does a surname alone that opens a sentence ("Guinness and Jameson", "Babinski
                    # up-going", "Kaiser refused the claim"): more often a brand, place or eponym than a person
                    _maybe_add(text, piece, spans, (len(piece) == 1 and (
                        _initial_word(text, piece[0][0], piece[0][1]) or _other_language_cached(text, piece[0][0])
                        or _surname_at_start(text, piece[0][0], piece[0][1])
                        or _surname_only(text, piece[0][0], piece[0][1]))) or (
                        len(piece) == 2 and _word_and_name(text, piece)),
                               run[0][0])
                elif any(k in _TRIGGERS for _s, _e, k in piece) and not (
                        any(k == "unknown" for _s, _e, k in piece) and _other_language_cached(text, piece[0][0])):
                    while piece[0][2] == "word":
                        piece = piece[1:]  # "Ask Yerzhan to rest": a sentence's first word is not the name's
                    _maybe_add(text, piece, spans, True, run[0][0])
            piece = []
        else:
            piece.append(item)


# the last word of the name of a thing, an event or a team ("Davis Cup", "Bastille Day", "Kaizer Chiefs")
_THING_HEADS = frozenset("""
cup cups trophy open championship championships league derby marathon classic games olympics series show shows
festival fest day days eve week night mela puja jayanti utsav bandhan chaturthi sankranti purnima navami ashtami
raya krathong raymi patrias posadas bihu lohri
lager beer ale stout rum gin whisky whiskey vodka wine cola tea teas coffee juice water salt salts powder oil balm
cream drops syrup biscuits cookies noodles chips crisps sauce soup flakes tips bar bars
chiefs pirates rovers wanderers rangers stars giants kings lions tigers eagles bulls warriors knights united
heist things boss news times express post airways airlines telecom
bazar bazaar camp circuit trek yatra rally sevens
""".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_SENTENCE_END_BEFORE_RX = re.compile(r"(?:^|[.!?:\n\x1e]|[.!?][\"')\]]?)[ \t]*$")


_LOWER_NEXT_RX = re.compile(r"[ \t]+([a-z]{3,})\b(?!['’])")


_FIRST_NAMES: frozenset | None = None


def _first_names() -> frozenset:
    """The given names of the gazetteer's lists (names/first_names.txt.gz, see names/make_gazetteer.py)."""
    global _FIRST_NAMES
    if _FIRST_NAMES is None:
        _FIRST_NAMES = _word_list("first_names.txt.gz")
    return _FIRST_NAMES


def _word_list(name: str) -> frozenset:
    """The words of names/<name>, a gzipped list of one word per line."""
    import gzip
    from pathlib import Path

    with gzip.open(Path(__file__).parent / "names" / name, "rt", encoding="utf-8") as fh:
        return frozenset(fh.read().split())


# what `_KIN_RIGHT_AFTER_RX` can start with (a test before the regex)
_KIN_RIGHT_AFTER_STARTS = (" my", " our", " here", " is ", " was ", " tested", " came", "\tmy", "\tour")
_KIN_RIGHT_AFTER_RX = re.compile(rf"[ \t]+(?:here\b|(?:my|our)[ \t]+(?:(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS})\b(?!['’]))"
                                 r"|(?:is|was|tested|came[ \t]+back)[ \t]+(?:positive|negative)[ \t]+for\b)")
# before a capitalised word, a full stop that ends a title or an initial, not a sentence ("dr. Kulkarni", "S. Perera")
_TITLE_OR_INITIAL_STOP_RX = re.compile(r"(?:^|[^\w.])(?:(?i:dr|mr|mrs|ms|mx|prof|sr|sra|st)|[A-Z])\.[ \t]*$")


def _surname_at_start(text: str, start: int, end: int) -> bool:
    """A known name that opens a sentence and is no first name on the gazetteer's lists (see
    names/make_gazetteer.py): unless it signs the message off ("... Can I book in? Rangi")."""
    key = _lower_key(text[start:end])
    first_names = _FIRST_NAMES or _first_names()
    if (key in first_names and key not in (_PLACES or _places())) or \
            not _SENTENCE_END_BEFORE_RX.search(text, max(0, start - 3), start):
        return False
    if _TITLE_OR_INITIAL_STOP_RX.search(text, max(0, start - 8), start):
        return False
    if _KIN_AFTER_RX.match(text, end) or _KIN_RIGHT_AFTER_RX.match(text, end):
        return False  # "Brooklyn (my 5 year old) has", "Santiago my husband had", "Ngozi here", "Murphy was positive
        # for dengue" (a sign is positive, a person positive for something)
    return bool(text[end:].strip(" \t.!,\n"))


def _word_and_name(text: str, piece: list) -> bool:
    """Two capitalised words, one a common word of four letters or more, the other a known name ("Seven Seas",
    "Crash Landing", "Bake Off", "During Meskel"): more often a title, a brand or an event than a person, so the
    pair needs a person context ("my brother Shadow Ncube", "my name is Happy Singh"); a role or a verb of telling
    first is one ("Coach Delroy", "Physio Ananya", "Tell Pooja", "Quoting Hamish")."""
    (s1, e1, k1), (s2, e2, k2) = piece
    if not ((k1 == "word" and e1 - s1 >= 4) or (k2 == "word" and e2 - s2 >= 4)):
        return False
    first = text[s1:e1].lower()
    if k1 == "word" and (first in _PERSON_BEFORE or first in _ROLE_WORDS or first in _TELLING_WORDS):
        return False
    return not _INTRO_BEFORE_RX.search(text, max(0, s1 - 16), s1)  # "this is Daan de Vries", "Name: Happy Singh"


_INTRO_BEFORE_RX = re.compile(r"(?i:this[ \t]+is|it['’]?s|name[ \t]+is|name['’]s|i[ \t]+am|i['’]?m|name[ \t]*[:=-]"
                              r"|patient[ \t]*[:=-]|from[ \t]*:|pt\.?)[ \t]*$")


_TELLING_WORDS = frozenset("tell ask asking quoting quote thank thanks call ring text message email uncle auntie "
                           "aunty granny grandpa grandma nana papa coach pastor father brother sister".split())


def _surname_only(text: str, start: int, end: int) -> bool:
    """A lone known name that is no first name ("Whipple's", "sphincter of Oddi", "We watched Borgen"): more
    often a brand, an eponym, a firm or a place than a person in patient prose, so it needs a person context
    wherever it stands ("the neurologist Papadakis did a CT", "Szymański from downstairs caught her"); a title,
    an initial or an honorific says the same ("dr Nowak", "S. Perera", "Chaudhary ji")."""
    if _FIRST_NAMES is None:
        _first_names()
    key = _lower_key(_POSSESSIVE_RX.sub("", text[start:end]))
    if key in _FIRST_NAMES or "-" in key:
        return False  # "Seo-yeon", "Ngozi-Adaeze": hyphenated, more often a given name of two parts
    head = text[max(0, start - 40):start]
    prev = head.split()[-1] if head[-1:] in (" ", "\t") and head.strip() else ""
    if prev[:1].isupper() and prev[-1] not in ".!?:;," and prev.lower() not in _VOCABULARY:
        return False  # "Mr Ștefan Dumitrescu": the last word of a longer name (a capital no run pattern knows)
    if _LOWER_TITLE_OR_INITIAL_BEFORE_RX.search(text, max(0, start - 12), start) or _HONORIFIC_AFTER_RX.match(text, end):
        return False
    if text[end:end + 1] == ")" and start and text[start - 1] == "(":
        return False  # "0772 456 123 (Okello)", "The urologist (O'Rourke) said": a name in brackets
    rest = text[end:end + 3].lstrip(" \t.!")
    if not rest or rest[0] == "\n":
        return False  # "... Can I book in? Rangi": a message signed off
    if _SURNAME_PERSON_AFTER_RX.match(text, end) or _ME_AND_BEFORE_RX.search(text, max(0, start - 12), start):
        return False  # "Sipho her husband", "Mendoza, the dentist,", "me and Sipho"
    return True


# after a lone surname, what says it is a person: a relative or a role in apposition, "and I/me"
_SURNAME_PERSON_AFTER_RX = re.compile(
    rf"[ \t]*[,(]?[ \t]*(?:(?:my|our|his|her|their)[ \t]+(?:{_KIN_MODS}[ \t]+)*(?:{_RELATIONS}|baby|child|kid|dad|mum|mom)\b"
    rf"|(?:the|our|my|his|her|their|a)[ \t]+(?:{'|'.join(_ROLES)})\b)|[ \t]+and[ \t]+(?:I|me|myself)\b")


_LOWER_TITLE_OR_INITIAL_BEFORE_RX = re.compile(r"(?:^|[^\w.])(?:(?i:dr|mr|mrs|ms|mx|prof|doc|doctor|sr|sra|sir|madam)\.?"
                                               r"|[A-Z]\.|(?i:name['’]s|name[ \t]+is)|(?:^|\n)(?:To|Dear|Hi|Hello))[ \t]*$")
_HONORIFIC_AFTER_RX = re.compile(r"[ \t]+(?:ji|san|sama|sensei|sahib|saheb|bhai|didi|bhaiya|jan|hanim|bey|efendi"
                                 r"|ssi|nim|shi|xiansheng)\b")


def _initial_word(text: str, start: int, end: int) -> bool:
    """A known name that opens a sentence with a common word after it ("Dusty rooms make me sneeze", "Lance the
    boil", "Basil leaves and tulsi tea"): its capital says nothing there, and a person's name is seldom followed
    by a noun, so it is a name only where the sentence treats it as a person ("Basil has a fever")."""
    if not _SENTENCE_END_BEFORE_RX.search(text, max(0, start - 3), start):
        return False
    if _lower_key(text[start:end]) in _VOCABULARY:
        return True
    nxt = _LOWER_NEXT_RX.match(text, end)
    if nxt is None:
        return False
    word = nxt.group(1)
    if word in ("the", "a", "an"):
        return True  # "Lance the boil", "Pierce a blister": a verb in the imperative
    if not _in_vocabulary(word) or word in _FIRST_AFTER or word.endswith("ed"):
        return False
    # "Priya helps my mother": a verb in -s, with its object after it ("Basil leaves and tulsi": a noun)
    return not (nxt.group(1).endswith("s") and _OBJECT_AFTER_VERB_RX.match(text, nxt.end()))


def _in_vocabulary(word: str) -> bool:
    """A lower-case word, or its singular ("bears", "berries", "dishes"), in the vocabulary."""
    return word in _VOCABULARY or (word.endswith("s") and (
        word[:-1] in _VOCABULARY or (word.endswith("es") and word[:-2] in _VOCABULARY)
        or (word.endswith("ies") and word[:-3] + "y" in _VOCABULARY)))


# after a word in -s, what says it was a verb ("Kofi keeps coughing", "Amara needs stitches"... are caught by the
# object test; "Kofi sleeps badly", "Kofi lives alone": an adverb)
_LOWER_NEXT_VERBISH_RX = re.compile(r"[ \t]+(?:[a-z]+ly|[a-z]+ing|alone|again|still|too|so|much|more|well|badly|late"
                                    r"|early|now|then|here|there|home|away|back|down|[0-9])\b")
_OBJECT_AFTER_VERB_RX = re.compile(r"[ \t]+(?:my|me|her|him|his|them|us|our|their|the|a|an|to|with|at|in|on|out|up"
                                   r"|off|for|about|every|everyone|everything|it|this|that)\b")


# a capitalised word listed beside another ("Mecca and Medina", "Hamburg, Munich and Stuttgart", "AXA and Allianz")
_COORD_BEFORE_RX = re.compile(
    r"(?<![\w'’-])([A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*){0,2})(?:[ \t]*,|[ \t]+(?:and|or|&))[ \t]+$")
_COORD_AFTER_RX = re.compile(
    r"(?:[ \t]*,|[ \t]+(?:and|or|&))[ \t]+([A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*){0,2})")
# what a listed word beside a name-shaped one says: the list is of places, peoples, languages, feasts or companies
_LIST_KINDS_NOT_NAMES = None


_FEASTS = frozenset("""
christmas easter diwali deepavali holi eid ramadan ramzan navratri pongal onam thanksgiving hanukkah passover lent
advent epiphany pentecost whitsun halloween xmas vesak songkran tet nowruz carnival kwanzaa purim sukkot
""".split())


def _is_place_or_thing(run: str, last: bool, strict: bool = False) -> bool:
    """Whether a run of capitalised words is a place (`_places`), a people, language, faith or feast, or a company's
    acronym ("AXA", "AOK"); `last`: the run's last word stands next to the coordination (else its first)."""
    global _LIST_KINDS_NOT_NAMES
    if _LIST_KINDS_NOT_NAMES is None:
        _LIST_KINDS_NOT_NAMES = _FAITHS_AND_PEOPLES | _FEASTS
    places = _PLACES or _places()
    key = _lower_key(run)
    words = key.split()
    near = words[-1] if last else words[0]
    if key in _LIST_KINDS_NOT_NAMES or near in _LIST_KINDS_NOT_NAMES:
        return True
    if (key in places or near in places) and not (strict and near in (_GAZETTEER or _gazetteer()[0])):
        return True  # (strict: a place that is no known name too: "Izmir", not "Kuda" or "Florence")
    near_word = run.split()[-1] if last else run.split()[0]
    return len(near_word) >= 3 and near_word.isupper() and near_word.isalpha()


# two names and the relatives they are: "Bill and Pearl, my grandparents," (Pearl is a town too)
_PLURAL_KIN_APPOSITION_RX = re.compile(
    rf"[ \t]+and[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]*[ \t]*(?:,|[ \t]+(?:are|were))[ \t]*(?:my|our|his|her|their)[ \t]+"
    rf"(?:{_KIN_MODS}[ \t]+)*(?:parents|grandparents|children|kids|sons|daughters|twins|brothers|sisters|siblings"
    rf"|grandchildren|grandkids|friends|cousins|in-?laws)\b")


def _listed_with_places(text: str, start: int, end: int, known_name: bool) -> bool:
    """A name-shaped word listed beside a place or a thing ("Mecca and Medina", "Dari and Farsi", "AXA and Allianz")
    is one too, when it is a place itself or no known name ("Lagos and Kofi" keeps Kofi)."""
    if known_name and _lower_key(text[start:end]) not in (_PLACES or _places()):
        return False
    before = _COORD_BEFORE_RX.search(text, max(0, start - 40), start)
    if before is not None and _is_place_or_thing(before.group(1), True):
        return True
    after = _COORD_AFTER_RX.match(text, end)
    # after a comma a list may go on with people: "Tatenda, Kuda and Nyasha" (Kuda is also a town)
    return after is not None and _is_place_or_thing(after.group(1), False, after.group().lstrip(" \t")[:1] == ",")


# "is called Ozempic": naming, not phoning ("I called Priya"); a relative's name after it is `_cued_word_names`'s
_NAMING_BEFORE_CALLED = frozenset("is was are were be been being it's its it’s also".split())


_VOCATIVE_AFTER_RX = re.compile(r",[ \t]+(?:you|please|can[ \t]+you|could[ \t]+you|do[ \t]+you|did[ \t]+you"
                                r"|are[ \t]+you|thank[ \t]+you)\b")
# after a name set off by a comma after a relative: the apposition's end, not a thing that acts ("my son, Calpol works")
_KIN_APPOSITION_AFTER_RX = re.compile(r"[ \t]*(?:[,.;:!?)\n]|$|(?:and|who|is|was|has|had|aged?)\b|[0-9])")
_SELF_APPOSITION_AFTER_RX = re.compile(r"[ \t]*,[ \t]*(?:am|was|have|had|aged?|[0-9])")


# the writer, a name in brackets after: "Me (Dhruv) and my wife (Priya) both have dengue"
_ME_BEFORE_PAREN_RX = re.compile(r"(?:^|(?<![\w'’]))(?i:me|i)[ \t]*\($")


def _person_context(text: str, start: int, end: int) -> bool:
    """Whether the sentence treats text[start:end] as a person (see `_PERSON_AFTER_RX` and the rules below it)."""
    if _person_after(text, end) or (text.startswith(_KIN_RIGHT_AFTER_STARTS, end)
                                    and _KIN_RIGHT_AFTER_RX.match(text, end)):
        return True  # ... or "Memory my daughter is 15", "Sweety my sister is 16"
    w1, w2 = _words_before(text, start)
    if (w1 in _PERSON_BEFORE and not (w1 == "called" and w2 in _NAMING_BEFORE_CALLED)) or \
            (w2, w1) in _PERSON_BEFORE_PAIRS or (w1[-1:] == "," and w1[:-1] in _PERSON_BEFORE) \
            or w1.endswith("-in-law"):
        return True  # "I told Tshepo", "heard from Svetlana", "The boy, Lwazi, ...", "my son-in-law Ravshan"
    if (w2, w1) == ("in", "law") or (w1 in ("is", "was") and w2 in _KIN_LAST_WORDS):
        return True  # "my mother in law Sabitri", "my wife is Graziela"
    if start and text[start - 1] == "(" and text.startswith(")", end) and (
            _kin_head(text[max(0, start - 60):start].lower())
            or _ME_BEFORE_PAREN_RX.search(text, max(0, start - 6), start)):
        return True  # "Mum (Tigist) has had a cough", "my husband (Olumide) says"
    if w1 == "i," and _SELF_APPOSITION_AFTER_RX.match(text, end):
        return True  # "I, Rutendo, am 33"
    if w1[-1:] == "," and (w1[:-1] in _KIN_LAST_WORDS or w1.endswith("-in-law,")) and \
            _KIN_APPOSITION_AFTER_RX.match(text, end) and _kin_head(text[max(0, start - 60):start].lower()):
        return True  # "about my mum, Mereana.", "My mother-in-law, Hiltrud, is on warfarin"
    if w1[-1:] == "," and _VOCATIVE_AFTER_RX.match(text, end):
        return True  # "He said, Zanele, you must stop": a person spoken to (not "Honey, you look pale")
    if w1 in _MODALS and _AGENT_VERB_AFTER_RX.match(text, end):
        return True
    if w1 in ("is", "was", "isn't", "wasn't") and _STATE_AFTER_RX.match(text, end):
        return True  # "Is Oyinda too young ...?"
    if w1 in _GIVING_VERBS and _GIVEN_THING_AFTER_RX.match(text, end):
        return True  # "I gave Yohannes some ibuprofen"
    if w1 in _ESCORTING_VERBS and _ESCORTED_AFTER_RX.match(text, end):
        return True  # "I took Thabo for an X-ray", "We brought Tamika to the ER"
    if w1 in _SEEING_VERBS and _STATE_AFTER_RX.match(text, end):
        return True  # "We found Nikolai unconscious", "We noticed Lindiwe limping"
    if w1 == "for" and _FOR_TO_AFTER_RX.match(text, end):
        return True  # "Is it safe for Nkechi to fly ...?"
    if "oth" in text[max(0, start - 30):start] and _BOTH_BEFORE_RX.search(text, max(0, start - 30), start) and \
            _BOTH_AFTER_RX.match(text, end):
        return True
    return False


def _maybe_add(text: str, piece: list, spans: list, needs_context: bool, run_start: int) -> None:
    start, end = piece[0][0], piece[-1][1]
    word = text[start:end]
    possessive = word[-1] in "s'’" and ("'" in word or "’" in word)
    value = _POSSESSIVE_RX.sub("", word) if possessive else word
    end = start + len(value)
    after = _AFTER_RUN_RX.match(text, end)
    persons = possessive and _person_after(text, end) is not None
    if persons or (after and _words_before(text, start)[0] in _SEEING_VERBS and _STATE_AFTER_RX.match(text, end)):
        after = None  # "Kalani's fever", "Musa's leg", "I noticed Mehrnaz breathing": a person's
    if after:
        nxt = after.group(1).lower()
        if nxt in _EPONYM_NOUNS or nxt in _PRODUCT_WORDS or nxt in _INSTITUTION_WORDS or nxt[0].isdigit():
            return  # "Parkinson's disease", "Foley catheter", "Yasmin pills", "Fortis hospital"
        if len(nxt) >= 6 and _MEDICAL_WORD_RX.search(nxt):
            return  # "Hashimoto's thyroiditis", "Wernicke encephalopathy", "Wegener granulomatosis"
        if not after.group().startswith(("'", "’")) and after.group(1) in _BRAND_SUFFIXES:
            return  # "Montair LC", "Telma H", "Crocin Advance": a medicine
        second = _NEXT_WORD_RX.match(text, after.end())
        if second and second.group(1).lower() in _PRODUCT_WORDS and nxt not in _FIRST_AFTER:
            return  # "Nike running shoes", "Johnson baby powder": a product two words on
    if len(piece) > 1 and text[piece[-1][0]:piece[-1][1]] in _BRAND_SUFFIXES:
        return  # "Cheston Cold", "Crocin Advance": a medicine
    if len(piece) > 1 and not persons and _lower_key(value) in (_PLACES or _places()):
        return  # "Buenos Aires", "Tel Aviv", "Santa Cruz": a place of several words (one word may be a first name)
    if len(piece) > 1 and not persons and _lower_key(text[piece[-1][0]:piece[-1][1]]) in (_PLACES or _places()) and \
            _lower_key(text[piece[-1][0]:piece[-1][1]]) not in (_GAZETTEER or _gazetteer()[0]) and \
            not _person_context(text, start, end):
        return  # "Raja Casablanca", "Barys Astana": a team or a firm named with its town (not "Levski Sofia": Sofia is a name)
    if not persons and _IN_PLACE_AFTER_RX.match(text, end) and \
            _SENTENCE_END_BEFORE_RX.search(text, max(0, run_start - 3), run_start) and \
            _lower_key(_IN_PLACE_AFTER_RX.match(text, end).group(1)) in (_PLACES or _places()) and \
            not _person_context(text, start, end):
        return  # "Hadassah in Ein Kerem has a big IVF unit", "Sidra Medicine in Doha delivered my baby": a sentence
        # that opens with a name-shaped run and where it is tells of an institution
    if _TITLE_BEFORE_RX.search(text, max(0, start - 5), start) and \
            _POSSESSIVE_RX.sub("", text[start:piece[0][1]]).lower() in _BRANDS_AFTER_TITLE:
        return  # "Dr. Reddy's", "Dr. Scholl's": companies (the cue rules know them too)
    if (text.startswith(" (", end) or text.startswith("(", end)) and _KIN_AFTER_RX.match(text, end):
        pass  # "Rocky (my dad) has back pain": a relative in brackets, not a brand's generic name
    elif text.startswith("(", end) or _LETTER_IN_PARENS_RX.match(text, end) or (
            start and text[start - 1] == "(" and _CAPITALISED_BEFORE_PAREN_RX.search(text, max(0, start - 40), start)
            and not _kin_before(text, start) and not _ME_BEFORE_PAREN_RX.search(text, max(0, start - 6), start)):
        return  # "Rho(D)", "Rho (D)", "Tobramycin (Tobi)", "Lithium (Li)": a brand or abbreviation after its drug
    close = text[end:end + 3].lstrip(" \t")[:1]
    if close.isdigit():
        return  # "Lasix 40 mg", "Dolo 650": a medicine and its dose
    if possessive and not persons and _ELLIPTICAL_EPONYM_AFTER_RX.match(text, end):
        return  # "Hodgkin's was treated", "has Alzheimer's and forgets": a disease with its noun left out
    if _SIGN_FINDING_AFTER_RX.match(text, end) or _DISEASE_FINDING_AFTER_RX.match(text, end):
        return  # "Murphy was positive on exam", "Babinski was upgoing", "Hashimoto was confirmed by antibodies"
    both = _BEFORE_RUN_EPONYM_RX.match(text, end)
    if both and any(g and (g.lower() in _EPONYM_NOUNS or g.lower() in _INSTITUTION_WORDS) for g in both.groups()):
        return  # "Kernig and Brudzinski signs", "Chelsea and Westminster Hospital"
    if close == "&" or text[max(0, start - 3):start].rstrip(" \t")[-1:] == "&":
        return  # "Johnson & Johnson", "Marks & Spencer": companies
    w1, w2 = _words_before(text, start)
    if w1 in _DETERMINERS:
        return  # "her Aricept", "my Fitbit", "the Sabbath"
    if not persons and _things_pair(text, start, end):
        return  # "Claro and Movistar networks", "Sehat Kahani and Marham apps": two names of things
    if w1 in ("is", "are") and not persons and _asked_to_be_a_thing(text, end):
        return  # "Is Milo a good drink for ...?", "Is Zumba good exercise after ...?"
    if w1 == "be" and not persons and _QUESTION_END_AFTER_RX.match(text, end):
        return  # "Could it be Kawasaki?", "the geneticist thinks it might be DiGeorge.": a diagnosis
    if w1 in _KIN_LAST_WORDS and not persons and _given_to_kin(text, start, end):
        return  # "We give our son Cerelac and ...": the thing given
    if w1 in _THING_BEFORE or (w2, w1) in _THING_BEFORE_PAIRS or (w1 == "from" and w2 in _BUYING_VERBS):
        return  # "I support Millwall", "a fan of Arsenal" (a team), "I work for Deloitte", "insured with Aetna",
        # "ordered from Flipkart" (a company or a shop), "our dog Bella" (a pet)
    if len(piece) > 1 and text[start:piece[0][1]].lower() in _PET_AND_STORM_WORDS:
        return  # "Hurricane Ian": a storm's name, no person's
    if not persons:
        r1, r2 = _words_before(text, run_start) if run_start < start else (w1, w2)
        for b1, b2 in ((w1, w2), (r1, r2)):
            if b1 in _PLACE_BEFORE or (b1 in ("to", "from") and b2 in _MOTION_VERBS) or (
                    b1 == "from" and b2 in _BEING_BEFORE_FROM):
                return  # "at Johns Hopkins", "in Vellore", "admitted to Groote Schuur", "We are from Tehran"
            if b1 == "to" and _ROUTE_BEFORE_RX.search(text, max(0, run_start - 60), run_start):
                return  # "drove from Houston to Dallas": the route's second place
            if b1 == "to" and b2 in ("me", "us", "him", "her", "them") and \
                    _SENT_SOMEWHERE_RX.search(text, max(0, run_start - 40), run_start):
                return  # "referred us to Mater", "sent me to Guy's"
        if w1 in _PLACE_PREFIXES and _PLACE_PREFIX_BEFORE_RX.search(text, max(0, start - 8), start):
            return  # "New Orleans", "Port Harcourt", "Lake Malawi": "New" is no name, so the run starts after it
        if not (w1 in _GIVING_VERBS and _GIVEN_THING_AFTER_RX.match(text, end)) and \
                ((w2, w1) in _MEDICINE_BEFORE_PAIRS or (w1 in _MEDICINE_BEFORE and (
                not _ESCORTED_AFTER_RX.match(text, end) or (w1 in _HABITUAL_TAKE and _medicine_after(text, end))))) \
                and not _person_after(text, end):
            return  # "I take Allegra for my hay fever", "I use Johnson's baby oil" (not "I took Harpreet to ...", "the
            # syrup Amaka bought", "I took Nkechi, my grandmother, ...": what follows is said of a person)
    if not persons and _medicine_after(text, end) and not _person_context(text, start, end):
        return  # "Eno every night", "Meftal Spas for period cramps", "Crocin helps my headache": a medicine
    if not persons and _listed_with_places(text, start, end, any(k == "name" for _s, _e, k in piece)) and \
            not _PLURAL_KIN_APPOSITION_RX.match(text, end):
        return  # "Mecca and Medina", "Hamburg, Munich and Stuttgart": places; "Dari and Farsi": languages
    if needs_context and not _person_context(text, start, end):
        return
    if not persons and not needs_context and _noun_after(text, end) and not _person_context(text, start, end):
        return  # "Epstein pearls", "Marie Curie nurses", "Sue Ryder hospice": a name that qualifies a noun
    if (_thing_noun_after(text, end) and w1 not in _GIVING_VERBS and w1 not in _FEEDING_VERBS
            and text[start:piece[0][1]].lower() not in _FEEDING_VERBS  # "Give Chidi Okeke honey": the run opens with it
            and not _person_context(text, start, end)) or _said_to_be_a_thing(text, end):
        return  # "Dettol soap", "Kingfisher lager", "Olive oil", "Juniper berries": a product's or a thing's name,
        # whatever names it shares
    spans.append((start, end, "NAME", PLACEHOLDERS["NAME"]))


# nouns of products and things that follow a brand's or a thing's name ("Dettol soap", "Star lager", "Uncle Ben's
# rice") and, being no verbs, never follow a person's name in a sentence
_THING_NOUNS = frozenset("""
cream creams soap soaps powder powders cubes syrup syrups oil oils ointment balm lotion lotions shampoo gel spray sprays
drops inhaler inhalers tea teas coffee rum beer beers lager lagers wine wines gin whisky whiskey vodka juice juices soda
sodas milk cereal cereals oats flour butter rice bread sauce sauces masala noodles chips crisps biscuits cookies
chocolate chocolates candy sweets gum brand brands app apps cuff strips kit kits vaccine vaccines injection injections
pills capsules caplets tablets lozenges toothpaste nappies diapers wipes sachets pharmacy pharmacies hospital clinic
supermarket supermarkets network airline airlines university college mall hotel restaurant cafe gym festival prayers
vision therapy pollen spores bark rugby football cricket series movie movies band league club boots shoes sneakers
jeans bottles berries vitamins wings lager honey jam ketchup mayonnaise yoghurt yogurt cheese sausages spices leaves
meat liquid sunglasses glasses goggles yoga pilates classes workout workouts
""".split())


# verbs whose object can be a person before the thing ("Give Chidi Okeke honey", "buy Maria chocolate")
_FEEDING_VERBS = frozenset("give gave giving get got getting buy bought buying bring brought make made feed fed "
                           "offer offered pour poured send sent pass passed".split())


def _thing_noun_after(text: str, end: int) -> bool:
    nxt = _LOWER_NEXT_RX.match(text, end)
    return nxt is not None and nxt.group(1) in _THING_NOUNS


# what a sentence says of a thing, never of a person: that it is a kind of thing ("X is a festival in Maranhão", "X
# and Y are sodas in Jamaica", "X is my favourite dessert", "Magnecyl and X are old aspirin brands"), what is done with
# it ("X is played on clay", "X is given to children", "X is said to be good for iron"), or that it has an
# institution ("X has a good private hospital", "X has a long waiting list")
_CATEGORY_NOUNS = frozenset("""
festival festivals holiday holidays feast feasts procession fast day days time times season celebration tradition
show shows series programme program soap film films movie movies game games sport sports team teams club clubs league
band song brand brands company companies shop shops store stores chain bank banks network networks airline service
services app apps website site drink drinks soda sodas beer beers dish dishes dessert desserts food foods snack snacks
sweet sweets cereal drug drugs medicine medicines painkiller painkillers remedy remedies supplement supplements cream
creams ointment tablet tablets pill pills vaccine vaccines cure spice spices fruit fruits plant plants herb herbs
tree trees town towns city cities village villages island islands country countries region province state district
hospital hospitals clinic clinics school schools university universities church churches mosque temple place places
""".split())
# "X is a huge procession in", "X and Y are sodas in", "Magnecyl and X are old aspirin brands, can": the verb,
# then up to four words of the noun phrase, which must end in a category noun (see `_said_to_be_a_thing`)
_CATEGORY_AFTER_RX = re.compile(
    r"(?:[ \t]+(?:and|&|or)[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]+){1,3}(?:are|were)|[ \t]+(?:is|are|was|were))"
    r"((?:[ \t]+[a-z][a-z'’-]*){1,5})(?P<after>[ \t]*(?:[.,;:!?)]|$|[ \t]+[a-z]+))")
_DETERMINERS_AND_SUCH = frozenset("a an the my our his her their both all also just only such one another".split())
_PHRASE_ENDERS = frozenset("in at on for from with and or but that which where when during every since so because "
                           "can could is are was were".split())
_THING_PASSIVE_AFTER_RX = re.compile(
    r"[ \t]+(?:is|are|was|were)[ \t]+(?:said[ \t]+to[ \t]+be|given[ \t]+to|played[ \t]+(?:on|in|at|with)|cooked|brewed"
    r"|sold[ \t]+(?:in|at|by|as|everywhere)|made[ \t]+(?:from|with|of)|celebrated|observed|broadcast|aired|shown[ \t]+on"
    r"|eaten|drunk)\b"
    r"|[ \t]+(?:has|had)[ \t]+(?:a|an)[ \t]+(?:[a-z][a-z'’-]*[ \t]+){0,3}(?:hospital|clinic|service|airport|university"
    r"|campus|branch|waiting[ \t]+list)[ \t]*(?:[.,;!?]|online\b|for\b|in\b|$)")


# a question that asks what kind of thing the run is: "Is Milo a good drink ...?", "Is Zumba good exercise ...?"
_ASKED_THING_AFTER_RX = re.compile(
    r"[ \t]+(?:(?:a|an)[ \t]+)?(?:(?:good|bad|safe|healthy|healthier|complete|decent|proper|better|worse|ok|okay"
    r"|suitable|effective|cheap|real)[ \t]+)?(?P<noun>[a-z]+)\b")
_ASKED_THING_NOUNS = frozenset("exercise meal meals replacement option alternative choice diet product workout".split())


def _asked_to_be_a_thing(text: str, end: int) -> bool:
    m = _ASKED_THING_AFTER_RX.match(text, end)
    return m is not None and (m.group("noun") in _CATEGORY_NOUNS or m.group("noun") in _ASKED_THING_NOUNS)


def _said_to_be_a_thing(text: str, end: int) -> bool:
    m = _CATEGORY_AFTER_RX.match(text, end)
    if m is not None:
        words = m.group(1).split()
        after = m.group("after").split()
        while words and words[0] in _DETERMINERS_AND_SUCH:
            words.pop(0)
        # the noun phrase's last word is a category noun, and what comes after it ends the phrase ("Ann is in a band
        # at school" and "Ann is a band member" are people: a preposition before, a noun after)
        for k, w in enumerate(words):
            if w in _PHRASE_ENDERS or w.endswith("ing") or w == "not":
                words = words[:k]
                next_word = w
                break
        else:
            next_word = after[0] if after else ""
        if words and words[-1] in _CATEGORY_NOUNS and (not next_word or next_word in _PHRASE_ENDERS):
            return True
    return _THING_PASSIVE_AFTER_RX.match(text, end) is not None


def _noun_after(text: str, end: int) -> bool:
    """A plural noun right after a name-shaped run: a person's name is seldom followed by one ("Epstein pearls",
    "Marie Curie nurses"); a verb in -s is, with what it does after it ("Tom keeps coughing", "Tom works at")."""
    nxt = _LOWER_NEXT_RX.match(text, end)
    if nxt is None:
        return False
    word = nxt.group(1)
    if not word.endswith("s") or word.endswith(("ss", "us")) or word in _FIRST_AFTER or word in _NOT_PLURAL_NOUNS \
            or not _in_vocabulary(word):
        return False
    return not _OBJECT_AFTER_VERB_RX.match(text, nxt.end()) and not _LOWER_NEXT_VERBISH_RX.match(text, nxt.end())


# a pair of capitalised names and the plural noun they qualify: after a pair of people a verb in the plural
# has no -s, so a word in -s there is a noun ("Jazz and Zong networks", "Gala and Cabin biscuits")
_PAIR_AFTER_RX = re.compile(r"[ \t]+(?:and|&|or)[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]+){1,3}([a-z]{3,}s)\b")
_PAIR_BEFORE_RX = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]+(?:and|&|or)[ \t]+$")
_PAIR_NOUN_AFTER_RX = re.compile(r"(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*){0,2}[ \t]+([a-z]{3,}s)\b")
_NOT_PLURAL_NOUNS = frozenset("""was has is does says goes always sometimes perhaps yes thus this his its twins kids
children sons daughters boys girls brothers sisters parents siblings friends cousins babies grandkids grandchildren
grandparents families folks guys neighbours neighbors colleagues classmates patients""".split())


def _things_pair(text: str, start: int, end: int) -> bool:
    def plural_noun(word: str) -> bool:
        return not word.endswith("ss") and word not in _NOT_PLURAL_NOUNS and _in_vocabulary(word)
    m = _PAIR_AFTER_RX.match(text, end)
    if m and plural_noun(m.group(1)):
        return True
    if _PAIR_BEFORE_RX.search(text, max(0, start - 40), start):
        m = _PAIR_NOUN_AFTER_RX.match(text, end)
        return bool(m and plural_noun(m.group(1)))
    return False


_QUESTION_END_AFTER_RX = re.compile(r"[ \t]*(?:[?.]|$)")
_IN_PLACE_AFTER_RX = re.compile(r"[ \t]+in[ \t]+([A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+)?)")


def _medicine_after(text: str, end: int) -> bool:
    """`_MEDICINE_AFTER_RX.match(text, end)`, after a look at the next word (most words cannot start it)."""
    m = _GATE_WORD_RX.match(text, end)
    if m and m.group(1) in (",", "("):
        return bool(_MEDICINE_AFTER_PUNCT_RX.match(text, end))  # "Yasmin, which is used ...", "Yasmin (combination"
    return bool(m and m.group(1) in _MEDICINE_AFTER_FIRST and _MEDICINE_AFTER_RX.match(text, end))


_MEDICINE_AFTER_PUNCT_RX = re.compile(
    r",[ \t]*which[ \t]+(?:is|are|was)[ \t]+(?:used|given|prescribed|taken)\b"
    r"|[ \t]*\((?:a[ \t]+)?(?:combination|contains|containing|generic|tablets?|capsules?|syrup)\b")


_SYMPTOMS = (r"(?:pains?|cramps?|aches?|headaches?|migraines?|fever|gas|acidity|heartburn|bloating|indigestion|colds?"
             r"|cough|flu|allerg(?:y|ies)|infections?|rash(?:es)?|itch(?:ing)?|acne|pimples|constipation|diarrh?o?ea"
             r"|loose[ \t]+motions|nausea|vomiting|sleep|insomnia|anxiety|stress|depression|bp|sugar|diabetes|thyroid"
             r"|periods?|ringworm|fungus|worms|piles|ulcers?|wounds?|burns?|dandruff|hair[ \t]*(?:fall|loss)"
             r"|swelling|spasms?|sore[ \t]+throat|congestion|sinus|dryness|eczema|asthma|gout|cholesterol|epilepsy"
             r"|[a-z]+(?:itis|osis|algia|pathy|[ae]mia))\b")
# what is said of a medicine, not of a person: a schedule, what it is for, what it relieves
_MEDICINE_AFTER_RX = re.compile(
    r"[ \t]+(?:(?:every|each)[ \t]+(?:night|day|morning|evening|[0-9]+)\b|(?:once|twice|thrice)[ \t]+(?:a|daily|per"
    r"|every)\b|daily\b|nightly\b|at[ \t]+bedtime\b"
    rf"|for[ \t]+(?:(?:my|his|her|their|our|the|a|an|your)[ \t]+)?(?:[a-z]+[ \t]+)?{_SYMPTOMS}"
    r"|at[ \t]+night\b|(?:can|could|should|may|will)[ \t]+be[ \t]+(?:used|taken|given|continued|stopped|prescribed)\b"
    r"|(?:helps|helped|works|worked|relieves|relieved|cures|cured|reduces|reduced|soothes|soothed|eases|eased|controls"
    r"|controlled|clears|cleared|stops|stopped)[ \t]+(?:(?:with|for|on)[ \t]+)?(?:(?:my|his|her|their|our|the|your)"
    rf"[ \t]+)?(?:[a-z]+[ \t]+)?{_SYMPTOMS}"
    r"|(?:works|worked|helps|helped)[ \t]+(?:well|wonders|great|fine|better|best)\b"
    r"|(?:safe|effective|good|ok|okay|addictive|harmful|dangerous|bad|unsafe|healthy|unhealthy|toxic|risky|fattening)"
    r"[ \t]+(?:for|to|in|with|during|while|if)\b"
    r"|side[ \t-]+effects?\b|dose\b|dosage\b|overdose\b|withdrawal\b)")
_MEDICINE_AFTER_FIRST = frozenset("""
every each once twice thrice daily nightly at for can could should may will helps helped works worked relieves relieved
cures cured reduces
reduced soothes soothed eases eased controls controlled clears cleared stops stopped safe effective good ok okay
addictive harmful dangerous bad unsafe healthy unhealthy toxic risky fattening side dose dosage overdose
withdrawal""".split())


_FIRST_NUMBER_RX = re.compile(r"[0-9]+")
# IPv6 addresses, full or with one "::" (at least three groups, so "12:30" and "2:1" are none)
_IPV6_RX = re.compile(r"(?<![0-9A-Za-z:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                      r"|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![0-9A-Za-z:])")
# a device's MAC address: "00:1B:44:11:3A:B7"
_MAC_RX = re.compile(r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}(?![0-9A-Za-z:])")
_TRIAL_REGISTRY_RX = re.compile(r"(?:NCT|ISRCTN|ACTRN|CTRI|DRKS|ChiCTR|EUCTR|EudraCT|JPRN|KCT|IRCT|PACTR|NTR)[-/]?[0-9]")
_NOT_A_PHONE_BEFORE_RX = re.compile(r"(?:ISBN|ISSN|PMID|PMCID|DOI|ISBN-1[03])[ \t]*(?:[:#]|no\.?)?[ \t]*$", re.I)
_NOT_AN_IP_BEFORE_RX = re.compile(r"(?:\bEC|§|\bsection|\bversion|\bv)[ \t]*$", re.I)
# what after such a number makes it a measurement, not an age ("he is 95 kg", "she was 92% on air")
_NOT_AN_AGE_AFTER_RX = re.compile(
    r"[ \t]*(?:%|/|\.[0-9]|[-–][0-9]|°|(?i:kgs?|kilos?|lbs?|pounds|percent|per\b|bpm|beats|mmhg|mm\b|cm\b|inch"
    r"|degrees?|f\b|c\b|mg|ml|mmol|units?|days?|weeks?|months?|hours?|hrs?|mins?|minutes?|over\b|times|points?"
    r"|marks|grams?|g\b|miles|km|steps|feet|ft\b|floors|fasting|random|spo2|sats?|pulse|on[ \t]+(?:room|air)))")
# before a six-digit number: the place it is the PIN code of ("Mumbai 400053"), or a PIN label
_PIN_PLACE_BEFORE_RX = re.compile(
    r"(?<![A-Za-z])(?!(?:No|Number|Code|Ref|Lot|Batch|Room|Ward|Bed|Page|Case|Card|Account|Policy|Patient|Hospital"
    r"|Registration|Record|Phone|Mobile|Serial|Vitamin|Tab|Tablet|Syrup|Dose|Rupees|Naira|Shillings)\b)"
    r"[A-Z][a-z]{2,}(?:[ \t]+(?:West|East|North|South|Nagar|City))?[ \t]*[,-]?[ \t]*$")
_PIN_LABEL_BEFORE_RX = re.compile(r"(?i:pin[ \t]*code|pincode|pin|postal[ \t]+code|post[ \t]*code|zip(?:[ \t]*code)?)"
                                  r"[ \t]*(?:is|:|-|no\.?)?[ \t]*$")
# a short group of capitals before an identifier's digits and a letter or two after them ("JT 48 27 19 B")
_CAPS_GROUP_BEFORE_RX = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,3}[ \t]$")
_CAPS_GROUP_AFTER_RX = re.compile(r"[ \t][A-Z]{1,2}(?![A-Za-z0-9])")


# the state codes of Indian vehicle registrations, and what a series of letters must not be
_IN_STATES = frozenset("""AN AP AR AS BH BR CG CH DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL OD PB PY RJ SK
TN TR TS UK UP WB""".split())
_MONTH_ABBREVIATIONS = frozenset("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())
_WEEKDAY_BEFORE_RX = re.compile(r"(?i:\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?)"
                                r"[ \t]+$")
_DATE_CUE_BEFORE_RX = re.compile(r"(?i:\b(?:on|dated?|since|from|till|until|dob|d\.o\.b\.?|born|lmp|edd|edc|appointment|appt"
                                 # "last period 14/3"; "el 17/04", "le 3/5": "on" in other languages
                                 r"|period|birthday|el|le|il|em|desde|depuis|seit"
                                 # "discharged 28/03", "admitted 15/11"
                                 r"|admitted|discharged|seen"
                                 # Vietnamese and Indonesian: "ngày 15/11", "nhập viện 2/11", "tanggal 3/12"
                                 r"|ngày|viện|tanggal|tgl)[ \t:,]*)$")
_DATED_EVENT_BEFORE_RX = re.compile(
    r"(?i:\b(?:period|lmp|cycle|appointment|appt|surgery|operation|scan|visit|review|follow-?up|due[ \t]+date"
    r"|delivery|procedure|booking|birthday|wedding|flight|date)\b[^.!?\n]*)$")
# after a day and month: a weekday or a time of day ("12/03 (Thursday)", "22/09 at 14h", "10.12. um 8:15")
_WEEKDAY_OR_TIME_AFTER_RX = re.compile(
    r"[ \t]*(?:\(|,)?[ \t]*(?i:mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|rsday|urday)?\b"
    r"|[ \t]+(?:at|@|um|às|a[ \t]+las)[ \t]*(?:[01]?[0-9]|2[0-3])(?:[:.h][0-5][0-9]|h|[ \t]?[ap]\.?m\b)")
# an event's verb before a day and month, and what may follow a date ("taken 9/30, results", not "taken 2/3 of")
_EVENT_VERBS = (r"ends?|ended|fill(?:ed)?|taken|readmitted|drawn|collected|done|operated|vaccinated|injected|scanned|booked"
                r"|scheduled|moved|changed|postponed|rescheduled|yesterday|today|tomorrow|started|began|happened"
                # "had my IUD inserted 10/4", "Had my biopsy 3/12", "seen at ED 30/6", "discharged 9/11"
                r"|inserted|fitted|removed|delivered|discharged|admitted|biopsy|ED|A&E")
_EVENT_BEFORE_DAY_RX = re.compile(rf"(?i:\b(?:{_EVENT_VERBS}))[ \t]+(?:(?i:on|to|for)[ \t]+)?$")
_DAY_END_RX = re.compile(r"[ \t]*(?:[,.;:!?)\n]|$|(?i:and|with|at|but|so|because|results?|still|can|could|please|pls"
                         r"|i|we|he|she|my|after|before|when|since)\b|[-–—])")
# the dates before a day and month in a list after a date cue: "sessions on 3/9, 11/9 and "
_DATE_LIST_BEFORE_RX = re.compile(r"(?i:\b(?:on|dated?|visits?|sessions?|appointments?))[ \t:]+"
                                  r"(?:[0-9]{1,2}/[0-9]{1,2}[ \t]*(?:,|and|&)[ \t]*)+$")
# a range of days of one month: "sick note for 12/06 to 16/06" (the other end of the range, either side)
_DM_RANGE_AFTER_RX = re.compile(r"[ \t]*(?:to|till|until|-|–)[ \t]*([0-9]{1,2})/([0-9]{1,2})(?![0-9/]|\.[0-9])")
_DM_RANGE_BEFORE_RX = re.compile(r"(?<![0-9/.])([0-9]{1,2})/([0-9]{1,2})[ \t]*(?:to|till|until|-|–)[ \t]*$")


_ACUITY_NEAR_RX = re.compile(r"(?i:\bva\b|acuity|\bre\b|\ble\b|\bod\b|\bos\b|pinhole|unaided|snellen|vision|\bbcva\b)")
_CENTILE_NEAR_RX = re.compile(r"(?i:centile|percentile|\bcentil)")
# a score out of ten near "x/10": "pain went from 8/10 to 2/10", "rated 7/10 since" (no day in October)
_SCORE_WORD_RX = re.compile(r"(?i:pain|score|scored|rated?|rating|scale|severity|out[ \t]+of|vas|nrs)")


def _out_of_ten(text: str, start: int, end: int) -> bool:
    return _SCORE_WORD_RX.search(text, max(0, start - 40), min(len(text), end + 10)) is not None


def _day_range(text: str, start: int, end: int, a: int, b: int) -> bool:
    """Whether the day/month a/b at start..end is one end of a range of days of one month ("12/06 to 16/06"): the
    same month, the days in order, a month written with two digits or a day past 12; never a month that is a
    duration's or a score's denominator ("3/7 to 5/7" days, "3/10 to 7/10" pain, "3/12 to 6/12" months)."""
    if b in (7, 10, 12) or not 1 <= b <= 12 or not 1 <= a <= 31:
        return False
    after = _DM_RANGE_AFTER_RX.match(text, end)
    if after is not None:
        a2, b2 = int(after.group(1)), int(after.group(2))
        return b2 == b and a < a2 <= 31 and (len(after.group(2)) == 2 or a2 > 12)
    before = _DM_RANGE_BEFORE_RX.search(text, max(0, start - 16), start)
    if before is not None:
        a1, b1 = int(before.group(1)), int(before.group(2))
        return b1 == b and a1 < a and (len(before.group(2)) == 2 or a > 12)
    return False


_IS_WAS_BEFORE_RX = re.compile(r"\b(?i:was|is)[ \t]+$")
_WAS_BEFORE_RX = re.compile(r"\b(?i:was|is|were|in)[ \t]+$")
# after an ordinal: what it counts ("1st week", "2nd dose"), so no day of a month
_COUNTED_AFTER_RX = re.compile(r"[ \t]+(?i:weeks?|doses?|times?|cycles?|days?|line|trimester|visits?|attempts?|rounds?"
                               r"|floor|grade|years?|months?|child|baby|pregnancy|degree|stage|sessions?|shots?"
                               r"|injections?|vaccines?|booster|place|generation|birthday|anniversary|try|cohort)\b")
# "the ratio was 15/5", "fasting was 16/8": a measure before "was", so a ratio, not a day and month
_MEASURE_WAS_BEFORE_RX = re.compile(r"(?i:ratio|score|scores|fasting|split|count|level|pressure|bp|rate|result|value"
                                    r"|reading|titres?|titers?|power|strength|vision|acuity|grade)[ \t]+(?:was|is|were)"
                                    r"[ \t]+$")
_BOOKING_VERB_BEFORE_RX = re.compile(r"(?i:\b(?:by|make|do|to|cancel|move|change|reschedule|rebook|book|booked|ngày|para|pra"
                                     r"|(?:make|move|change|push|switch|put)[ \t]+(?:it|that|this|mine)"
                                     r"|a|op|am|til|till|not|down|den|(?:me|us|him|her|it|in)[ \t]+for)[ \t]+)$|يوم[ \t]+$")
# (and the end of a range after a date: "had dengue from 2 March to 12/1", "off 3/03 - 7/03")
_NEXT_DAY_MONTH_RX = re.compile(r"[ \t]*(?:,|and|&|or|to|till|until|through|thru|-|–)[ \t]*(?:and[ \t]+)?"
                                r"(?P<d>(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2}))"
                                r"(?![0-9/]|\.[0-9])(?![ \t]*(?:%|mg|ml|tab|dose|of)\b)")
_FRACTION_TO_BEFORE_RX = re.compile(r"[0-9]/[0-9]+[ \t]*(?:to|-|–)[ \t]+$")
_BIRTHDAY_BEFORE_RX = re.compile(r"(?i:\b(?:birthday|bday|born|dob))[ \t:]+(?:(?i:is|was|on)[ \t]+)?$")
_NOT_A_DAY_AFTER_RX = re.compile(r"[ \t]*(?:[/%x×]|[.,][0-9]|(?i:tabs?|tablets?|pills?|caps?|capsules?|doses?|of|cups?"
                                 r"|spoons?|teaspoons?|ml|mg|strength|times|ago|back|hx|duration|post|glass|bottle"
                                 r"|days?|weeks?|months?|years?|pack)\b)")
_BOOKING_WORD_RX = re.compile(r"(?i:appointment|appt|booking|booked|\bbook\b|cancel|reschedul|rebook|\bcita\b|consulta|rendez|termin"
                              r"|afspraak|exame|marcado|scheduled|follow[ -]?up|lịch|موعد|turno|\bvisit|avboka|afbestil|\btid\b|\btime\b|bokat|booket)")
_AGO_AFTER_RX = re.compile(r"[ \t]*(?i:ago|back)\b")
_EXPIRY_BEFORE_RX = re.compile(r"(?i:\bexp|expir[a-z]*|use[ \t]+by|best[ \t]+before|valid[ \t]+(?:until|till|thru|to)|\blot"
                               r"|batch|mfg|mfd|manufactured|made"
                               # other languages' expiry and batch words: "caducidad 11/2027", "validade 08/2027",
                               # "verw. bis 05/2028", "scadenza 12/2027", "péremption 02/2028", "Lote 2410F3"
                               r"|caducidad|\bcad|vencimiento|\bvence|validade|\bval|verwendbar|\bverw|\bmhd|scadenza|\bscad"
                               r"|p[ée]remption|\bp[ée]r|houdbaar|ważn[a-ząęóśłżźćń]*|son[ \t]+kullanma|\bskt|utgångs[a-zåäö]*"
                               r"|udløb[a-zæøå]*|\blote|\blotto|\bcharge|ch\.-b|\bpartij|fecha[ \t]+de[ \t]+fabricaci[oó]n)"
                               r"\b[^\n]{0,12}$")
# before a month/year in figures: a document's date ("revised 11/2024", "SmPC text of 12/2023"), not the patient's
_DOCUMENT_DATE_BEFORE_RX = re.compile(r"(?i:revised|revision|version|edition|effective|published|text[ \t]+of)\b"
                                      r"[^\n]{0,12}$")
_ORDINAL_DATE_END_RX = re.compile(r"[ \t]*(?:[,.;:!?)\n]|$|(?:and|&|to|till|until|or|at|instead|please)\b|[-–])")
_ORDINAL_CUE_BEFORE_RX = re.compile(r"(?i:\b(?:on|from|since|until|till|before|by|after|for|discharged|admitted|operated"
                                    r"|seen|born|booked))[ \t]+(?i:the[ \t]+)?$"
                                    r"|(?i:\b(?:the|is|for|do|of)[ \t]+the|\b(?:is|was|be)[ \t]+the|[^\w \t][ \t]*the)[ \t]+$")
# the rest of a list of ordinals and the word after it: "3rd, 4th and 5th ribs" counts ribs
_ORDINAL_LIST_REST_RX = re.compile(r"(?:[ \t]*(?:,|and|&|or|to|-|–)[ \t]*(?:the[ \t]+)?[0-9]{1,2}(?:st|nd|rd|th)){0,8}"
                                   r"[ \t]+(?P<w>[A-Za-z]+)")
_ORDINAL_FREE_WORDS = frozenset("and or to till until at instead please then of in this next so but if because as "
                                # "Since the 9th my stomach hurts": the sentence going on with its subject
                                "my i he she we they it her his our still "
                                "when is was will would could can morning afternoon evening night right ok okay yes no with "
                                # a month or weekday after the list: "on 2nd, 9th and 16th June"
                                "january february march april may june july august september october november december "
                                "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
                                "friday saturday sunday".split())


def _ordinal_date_end(text: str, end: int) -> bool:
    """Whether an ordinal day ends where a date can: punctuation, the end or a link word, and a list of ordinals
    it opens does not end in a noun ("the 3rd, 4th and 5th ribs", "the 2nd and 3rd doses")."""
    rest = _ORDINAL_LIST_REST_RX.match(text, end)
    if rest is not None:
        return rest.group("w").lower() in _ORDINAL_FREE_WORDS
    return bool(_ORDINAL_DATE_END_RX.match(text, end))
_ORDINAL_LIST_BEFORE_RX = re.compile(r"(?<![0-9])[0-9]{1,2}(?:st|nd|rd|th)[ \t]*(?:,|and|&|to|till|until|-|–)[ \t]*"
                                     r"(?:and[ \t]+)?(?i:the[ \t]+)?$")
_DAY_OWNER_BEFORE_RX = re.compile(
    r"(?i:\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?"
    r"|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\.?,?[ \t]+"
    r"(?i:the[ \t]+)?$|(?i:\bon[ \t]+the)[ \t]+$")
_AGE_VERBS = frozenset("is was am now turned turns turning turn be i'm i’m im he's he’s she's she’s who's who’s"
                       # "90+ plus, exactly 103", "she is 90++ , actually 92"
                       " exactly actually"
                       # "mein Vater ist 93", "il est 94", "mi abuela tiene 96", "babcia jest 93"
                       " ist war wird est tiene tem jest är"
                       # "she is like 94", "Sie ist jetzt 94", "he is nearly 100"
                       " like jetzt nun already nearly almost είναι"
                       # "she says she is really 97", "Lola ko ay 96 na po" (Tagalog)
                       " really ay".split())
# "she is approx 96", "my aunt is pushing 95", "my great-grandma is over 100": only right after a verb of being
_AGE_APPROX = frozenset("approx approx. approximately about around over pushing roughly circa".split())
# what a person's reading is of, right before its verb ("my mum's sugar is over 100")
_MEASURES = frozenset("""sugar sugars glucose bp pressure pulse hr rate weight temp temperature sats saturation saturations
oxygen o2 spo2 level levels reading readings count score cholesterol heartbeat bmi iq fever bs bgl""".split())
_APPROX_AFTER = frozenset("is was now be turns turned she's he's she’s he’s".split())


def _age_verb_before(text: str, start: int) -> bool:
    """Whether the word right before `start` is a verb of being or turning (most numbers of 90-130 follow "/" or a
    label: "BP 130/90", "sugar 110"; one look at the word before spares them the subject regex), or a word of
    approximation right after one ("is pushing 95", "is approx 96")."""
    before = text[max(0, start - 10):start]
    before = before[before.rfind("\x1e") + 1:]
    if not before.endswith((" ", "\t")):
        return False
    words = before.split()
    if not words:
        return False
    last = words[-1].lower().strip("(\"")  # "(she's 91)"
    if last in _AGE_VERBS or (last.endswith(("'s", "’s")) and last[:-2] in _AGE_SUBJECTS) or last in _KIN_S:
        return True  # "my gran's 92"
    words = text[max(0, start - 24):start].split()
    return len(words) >= 2 and words[-1].lower() in _AGE_APPROX and words[-2].lower() in _APPROX_AFTER


# grandparents and parents in other languages, written in English text ("my obaachan is 95", "my tía is 97", "my
# halmeoni is 96"): for `_AGE_SUBJECTS` and DIGIT_PREFILTER's subject branch
_OTHER_KIN_AGE = ("obaachan obaasan ojiichan ojiisan halmeoni halmoni harabeoji naniji nanaji dadiji dadaji tía tío "
                  "abuelita abuelito vovó vovô avó avô babushka dedushka omi opi mamie mémé pépé nenek datuk kakek ummi "
                  "abah jiddo teta sitti mkhulu bibi zaida nonnie grandmama grandpapa bapuji pitaji mataji babuji bauji "
                  "baba-ji")
_AGE_SUBJECTS = frozenset("""
i he she who mother father mom mum mommy mummy mamma dad daddy papa grandma grandpa grandmother grandfather grandmom
granpa granma
grandmum granddad grandad grampa gramps gramma grannie nanna oma opa abuela abuelo grandparent granny gran nana nani
dadi dada husband wife uncle aunt auntie aunty neighbour neighbor
patient brother sister man woman lady gentleman friend in-law father-in-law mother-in-law mr mrs ms miss mx
nan mam mammy nonna nonno bubbe zayde lola lolo ouma oupa gogo babcia dziadek yiayia pappou
koro kuia amma appa ammachi appachan paati thatha ajji grand-dad grand-ma grand-pa grand-mother grand-father
hij zij er sie vater mutter opa oma il elle padre madre abuelo pai mae vader moeder mormor morfar farmor farfar
han hon hun hän pappa mamma far mor γιαγιά παππούς μητέρα πατέρας μαμά μπαμπάς
""".split()) | frozenset(_OTHER_KIN_AGE.split())
_SUBJECT_THEN_VERB_RX = re.compile(r"(?i:\b(?:he|she|mother|father|mom|mum|dad|grand[a-z]*|husband|wife|uncle|aunt[a-z]*"
                                   r"|man|woman|lady|patient|sister|brother|han|hon|hun|hän|er|sie|il|elle|hij|zij)\b)"
                                   r"[^\n]{0,40}?\b(?i:is|was|now|ist|är|est)(?:[ \t]+(?i:now|like|already|nearly|almost|jetzt))?[ \t]*$")
_KIN_S = frozenset("mums moms dads grans nans nanas grandmas grandpas grandads nannas".split())
_SUBJECT_CONTRACTIONS = frozenset("i'm i’m im he's he’s she's she’s who's who’s".split())


def _name_before_paren(text: str, start: int) -> bool:
    """Whether a capitalised word that is no word of the language ends right before `start` (a name: "Ayşe (94)",
    not "HR (96)", "The trial (95)", "Group (93)")."""
    m = _NAME_BEFORE_PAREN_RX.search(text, max(0, start - 32), start)
    if m is None or not m.group(1)[0].isupper() or m.group(1).isupper():
        return False
    if _VOCABULARY is None:
        _gazetteer()
    key = _lower_key(m.group(1))
    return key not in _VOCABULARY and key not in _PROSE_NOT_NAMES and key not in _CALENDAR_NAMES


_NAME_BEFORE_PAREN_RX = re.compile(r"(?<![\w'’])([^\W\d_][\w'’-]+)[ \t]*$")
# "my grandma (96) fell": a person right before an age in brackets
_PAREN_AGE_RX = re.compile(r"[(\[](9[0-9]|1[0-2][0-9])(?:[)\]]|,[ \t]+(?=[a-z])|[ \t]+(?:in|this|next|on)\b|[ \t]*(?:J\.|j\.|Jahre|jaar|ans|años|anos|anni)[)\]]"
                           # with a word for years of age, whoever comes before: "DOB: 1/1/1929 (97 tuoi)", "(96 y/o)"
                           r"|(?P<unit>[ \t]*(?:tuoi|tuổi|tahun|taon|y/o|y\.o\.|yo|yrs[ \t]+old|years[ \t]+old)[)\]]))")
_AGE_SUBJECT_BEFORE_PAREN_RX = re.compile(
    r"(?i:\b(?:he|she|mother|father|mom|mum|mommy|mummy|mamma|dad|daddy|papa|grand[a-z]*|granny|gran|nana|nani|dadi"
    r"|dada|husband|wife|uncle|aunt[a-z]*|neighbou?r|brother|sister|man|woman|lady|gentleman|friend|in-law"
    r"|member|resident|client"
    # other languages' parents and grandparents: "mijn vader (95)", "meine Oma (93)", "mon père (91)"
    r"|vader|moeder|opa|oma|vater|mutter|père|pere|mère|mere|padre|madre|pai|mãe|mae|nonno|nonna|abuelo|abuela|avô|avó"
    r"|appachchi|ammachchi|lola|lolo|eyang|nenek|kakek|dede|nine|babcia|dziadek|tata|mama)"
    r"(?:['’]s)?)[ \t]*$")


def _born_now(text: str, start: int, age: int) -> bool:
    """Whether a birth year and "now" come right before the age and add up to a year of this century's first
    half: "born 1933 in Madeira, now 92" (not "born 1990, now 95 kg" nor a count)."""
    m = _BORN_NOW_BEFORE_AGE_RX.search(text, max(0, start - 64), start)
    return m is not None and 2000 <= int(m.group("y")) + age <= 2060


def _person_is_before(text: str, start: int) -> bool:
    """Whether a person and a verb of being or turning come right before `start`: "my mother is 92", "grandpa
    Ramesh is now 91", "who is 97", "I'm 93", "my gran's 92"."""
    window = text[max(0, start - 48):start]
    window = window[window.rfind("\x1e") + 1:]  # never into the field before (see FIELD_SEPARATOR)
    words = [w.strip(",.;:!?()\"") for w in window.lower().split()]
    if not words:
        return False
    if words[-1] in _SUBJECT_CONTRACTIONS or (words[-1].endswith(("'s", "’s")) and words[-1][:-2] in _AGE_SUBJECTS):
        return True
    if len(words) >= 2 and words[-1] in _KIN_S and words[-2] in ("my", "our"):
        return True  # "my mums 91", "our nans 94": "'s" without its apostrophe
    k = len(words) - 1  # the verb; "is now", "just turned", "will be", "ist jetzt", "is like": one more word back
    if k and words[k - 1] in ("is", "just", "will", "ist", "was", "war"):
        k -= 1
    if k and words[k - 1] in _MEASURES:
        return False  # "my mum's sugar is 100", "my dad's pulse is 96": a reading of the person, not their age
    for w in words[max(0, k - 3):k]:
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        elif w.endswith(("'ll", "’ll")):
            w = w[:-3]  # "he'll be ninety in a fortnight"
        if w.startswith("great-"):
            w = w[6:]  # "my great-grandmother is 104"
        if w in _AGE_SUBJECTS:
            return True
    if k and words[k - 1] in ("and", "und", "et", "y", "e"):
        # "He has prostate cancer and is now 93", "She has been bedridden since May and is 96": the subject opens
        # the sentence
        # (within the reach of DIGIT_PREFILTER's subject-and-verb branch: 40 characters between them)
        sentence = text[max(0, start - 64):start]
        sentence = sentence[max(sentence.rfind("\x1e"), sentence.rfind("."), sentence.rfind("!"), sentence.rfind("?"),
                                sentence.rfind("\n")) + 1:]
        first = sentence.split()[:3]
        return any(w.lower().strip(",") in _AGE_SUBJECTS and w.lower() != "i" for w in first) and bool(
            _SUBJECT_THEN_VERB_RX.search(sentence))
    return False


# an IBAN, with or without its spaces, that passes its check digits: "GB29 NWBK 6016 1331 9268 19"
_IBAN_GATE_RX = re.compile(r"[A-Z][A-Z][0-9][0-9]")
_IBAN_RX = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")


def _ibans(text: str) -> list:
    spans = []
    for m in _IBAN_RX.finditer(text):
        code = m.group().replace(" ", "")
        digits = "".join(str(int(c, 36)) for c in code[4:] + code[:4])
        if int(digits) % 97 == 1:
            spans.append((m.start(), m.end(), "ACCOUNT", PLACEHOLDERS["ACCOUNT"]))
    return spans


def _luhn(number: str) -> bool:
    """The Luhn check of a payment card number (separators ignored)."""
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_KIN_RIGHT_BEFORE_AGE_RX = re.compile(
    r"(?:(?<![\w'’])(?i:my|our|his|her|their)[ \t]+|^[ \t]*|(?<=[.!?\n])[ \t]*)(?:(?i:old|elderly|late|grand|great)[ \t-]+)?(?i:mother|father|mom|mum"
    r"|granpa|granma|grandmom|grandmum|grandad|granddad|ah[ \t]+ma|ah[ \t]+gong|mama|papa"
    r"|dad|grandmother|grandfather|grandma|grandpa|granny|gran|nana|nani|dadi|dada|aunt|auntie|aunty|uncle"
    r"|mother-in-law|father-in-law|husband|wife|neighbou?r|nan|nanna|koro|kuia|amma|oma|opa|nonna|nonno|abuela"
    r"|abuelo|lola|lolo)[ \t]*[,:]?[ \t]*$"
    # "mijn vader van 96", "onze oma van 94"
    r"|(?<![\w'’])(?i:mijn|onze)[ \t]+(?i:vader|moeder|opa|oma|oom|tante|schoonvader|schoonmoeder)[ \t]+van[ \t]*$")
# a person named right before an age in commas or brackets: a title or "about"/"for" and a name
_NAMED_PERSON_BEFORE_AGE_RX = re.compile(
    r"(?:\b(?i:Mr|Mrs|Ms|Miss|Mx|Dr|Herr|Frau|Mme|Sr|Sra|Mister|Madam|meneer|mevrouw|pan|pani)\.?[ \t]+|(?i:\b(?:about|for|regarding|re|i['’]?m"
    r"|i[ \t]+am|this[ \t]+is|it['’]?s|(?:my|our|his|her)[ \t]+[a-z-]+))[ \t]+)"
    r"[A-Z](?:[\w'’-]+|\.)?(?:[ \t]+[A-Z][\w'’-]+){0,2}[ \t]*[,(][ \t]*$")
_AGE_CLOSE_AFTER_RX = re.compile(r"[ \t]*(?:[,;)]|$)")
# after an age: the year or month it is reached in ("93 this year", "100 next month")
_THIS_YEAR_AFTER_AGE_RX = re.compile(r"[ \t]+(?i:this|next)[ \t]+(?i:year|month)\b")
# a case note's age and sex: "92F", "94 M" (after a comma or bracket; not a temperature in Fahrenheit)
_SEX_AFTER_AGE_RX = re.compile(r"[ \t]?[MF](?![\w°])")
_TEMPERATURE_BEFORE_RX = re.compile(r"(?i:temp|fever|febrile|pyrexi|°|degrees?)")
_AGE_LABEL_BEFORE_RX = re.compile(r"\b(?:aged?|age[ \t]*[:=]|age[ \t]+of|age[ \t]+is"
                                  # a form's other shapes: "Age (years): 92", "Age - 91", "Age at death: 94", "her
                                  # age is listed as 95"
                                  r"|age[ \t]*\((?:years?|yrs?|y)\)[ \t]*[:=]?|age[ \t]*[-–]|age[ \t]+at[ \t]+death[ \t]*[:=]?"
                                  r"|age[ \t]+is[ \t]+(?:listed|given|recorded|written|stated|noted|shown|put)[ \t]+(?:as|at)"
                                  # other languages' age labels: "edad 98", "Alter: 93", "âge : 95", "umur 97"
                                  r"|(?:edad|idade|età|âge|alter|leeftijd|wiek|umur|usia|ålder|alder)[ \t]*[:=]?)"
                                  # and a word of approximation: "aged about ninety-four", "aged ~95"
                                  r"(?:[ \t]+(?:about|around|approx\.?|approximately|roughly|nearly|almost|circa))?[ \t]*~?[ \t]*$",
                                  re.I)
_AGE_LABEL_REACH = 36  # ("her age is recorded as about 95")
# a person "of" an age, maybe about it: "an old man of about 95", "a woman of 90", "a widow of nearly 100"
_PERSON_OF_AGE_BEFORE_RX = re.compile(
    r"\b(?i:man|woman|lady|gentleman|gent|person|patient|chap|fellow|widow|widower)[ \t]+of[ \t]+"
    r"(?:(?i:about|around|nearly|almost|over|some|roughly|approximately|approx\.?|maybe|perhaps|just|well)[ \t]+)?$")
# a birth year and "now" before the age: "born 1933 in Madeira, now 92"
_BORN_NOW_BEFORE_AGE_RX = re.compile(
    r"(?i:born)[ \t]+(?:in[ \t]+)?(?P<y>(?:18|19)[0-9][0-9])(?![0-9])[^.\n]{0,40}?\b(?i:now)[ \t]+$")
# a case note's patient before an age and sex: "Pt 96M", "pt: 92 F"
_PT_BEFORE_AGE_RX = re.compile(r"\b(?i:pt|patient)[.:]?[ \t]+$")


def find_phi(text: str, starts: tuple[int, ...] = (0,), *, digit_pos: int | None = 0,
             cue_pos: int | None = 0, literal: bool = True, scope: str = "patient",
             prose_names: bool = True, prose_gate: bool = True, rare_pos: int | None = 0,
             extra: bool = True, codes: bool | None = None) -> list[tuple[int, int, str, str]]:
    """All PHI spans in `text` as (start, end, type, replacement), sorted, not overlapping.

    `starts`: where the texts begin when several are scrubbed as one (see
    `scrub_fields`); a lower-case greeting is only looked for there.
    `digit_pos`/`cue_pos`: where the digit-first and the cue-word passes start
    scanning, None to skip one (`prefilter` knows where nothing can start).
    `literal`: False skips the email, URL and domain passes (the batch
    prefilter saw none of "@", "://", "www.", ".com" etc. in the text).
    `scope`: "patient" finds every type; "document" (research abstracts,
    regulatory documents, exam questions) only what can never be legitimate
    there: SSNs, labelled record/account numbers, phones after a personal cue
    ("my mobile", "call me") and emails outside public agency domains.
    `prose_names`: in the patient scope, also the names in running prose that
    no cue announces (the gazetteer pass, `_prose_name_spans`); False turns it off.
    `prose_gate`: False where PROSE_PREFILTER saw nothing for that pass's case-blind rules (see `_prose_name_spans`).
    `rare_pos`: where the scan for the rare digit shapes starts (`_DIGIT_RARE_RX`), None to skip it;
    `extra`: False skips the cued-address, word-age and IPv6 passes (EXTRA_PREFILTER saw none of their cues).
    `codes`: whether SHAPE_PREFILTER matches (the passes for codes no label names and phones in groups), None: not
    looked yet.
    """
    text = _ascii_digits(text)
    if scope == "document":
        return _find_document_phi(text, digit_pos, literal, rare_pos)
    spans = []
    if digit_pos is not None:
        spans += _digit_spans(text, digit_pos)
        if "(" in text or "+" in text:
            for m in _PAREN_PLUS_RX.finditer(text, digit_pos):
                span = _digit_span(m, text)
                if span:
                    spans.append(span)
    if rare_pos is not None:
        spans += _digit_spans(text, rare_pos, rx=_DIGIT_RARE_RX)
    if digit_pos is not None and _IBAN_GATE_RX.search(text):
        spans += _ibans(text)
    if cue_pos is not None:
        for m in _CUE_RX.finditer(text, cue_pos):
            span = _cue_span(m, text)
            if span:
                spans.append(span)
        for gate, rx in _LOWER_CUE_RXS:
            if gate in text:
                for m in rx.finditer(text, cue_pos):
                    span = _cue_span(m, text)
                    if span:
                        spans.append(span)
        if " and I" in text:
            for m in _AND_I_RX.finditer(text, cue_pos):
                span = _name_span(m, "and_i__0", after_title=False)
                if span and m.group("and_i__0").lower() not in _FAITHS_AND_PEOPLES and \
                        m.group("and_i__0").lower() not in _FESTIVALS and \
                        not _listed_with_places(text, m.start("and_i__0"), m.end("and_i__0"), False) and \
                        _words_before(text, m.start())[0] not in _NOT_PERSON_BEFORE_AND_I and \
                        _words_before(text, _run_start(text, m.start()))[0] not in _NOT_PERSON_BEFORE_AND_I:
                    spans.append(span)
        for start in starts:
            m = _OPENING_GREETING_RX.match(text, start)
            if m:
                span = _cue_span(m, text)
                if span:
                    spans.append(span)
    if prose_names:
        spans += _prose_name_spans(text, prose_gate)
        if spans:
            spans += _listed_names(text, spans)
            spans += _repeated_names(text, spans)
    if literal and ("@" in text or "＠" in text):
        spans += [(m.start(), m.end(), "EMAIL", PLACEHOLDERS["EMAIL"]) for m in _EMAIL_RX.finditer(text)]
        if " @ " in text:
            spans += [(m.start(), m.end(), "EMAIL", PLACEHOLDERS["EMAIL"]) for m in _SPACED_EMAIL_RX.finditer(text)]
        spans += [(m.start(1), m.end(1), "URL", PLACEHOLDERS["URL"]) for m in _HANDLE_RX.finditer(text)]
        if "UPI" in text or "upi" in text or "Upi" in text:
            spans += [(m.start("v"), m.end("v"), "ACCOUNT", PLACEHOLDERS["ACCOUNT"]) for m in _UPI_RX.finditer(text)]
    if literal and "t.me/" in text:
        spans += [(m.start(), m.end(), "URL", PLACEHOLDERS["URL"]) for m in _TELEGRAM_RX.finditer(text)]
    if literal and ("://" in text or "www." in text):
        for m in _URL_RX.finditer(text):
            end = m.end()
            while text[end - 1] in ".,;:!?":
                end -= 1
            spans.append((m.start(), end, "URL", PLACEHOLDERS["URL"]))
    # substring tests first: the gate regex alone stops at every "." of the text
    if literal and (".com" in text or ".org" in text or ".net" in text or ".edu" in text or ".gov" in text) \
            and _DOMAIN_GATE_RX.search(text):
        spans += [(m.start(), m.end(), "URL", PLACEHOLDERS["URL"]) for m in _DOMAIN_RX.finditer(text)]
    if literal and _CCTLD_GATE_RX.search(text):
        spans += [(m.start(), m.end(), "URL", PLACEHOLDERS["URL"]) for m in _CCTLD_DOMAIN_RX.finditer(text)]
    if literal and "." in text and _LONG_LABEL_GATE_RX.search(text):
        if _VOCABULARY is None:
            _gazetteer()
        spans += [(m.start(), m.end(), "URL", PLACEHOLDERS["URL"]) for m in _LONG_LABEL_DOMAIN_RX.finditer(text)
                  if m.group("l") not in _VOCABULARY]
    if literal and _OWN_SITE_GATE_RX.search(text):
        for m in _OWN_SITE_DOMAIN_RX.finditer(text):
            g = "d" if m.group("d") else "l"
            end = m.end(g)
            while text[end - 1] in ".,;:!?":
                end -= 1
            spans.append((m.start(g), end, "URL", PLACEHOLDERS["URL"]))
    if literal and "/" in text and _PATH_GATE_RX.search(text):
        for m in _PATH_DOMAIN_RX.finditer(text):
            end = m.end()
            while text[end - 1] in ".,;:!?":
                end -= 1
            spans.append((m.start(), end, "URL", PLACEHOLDERS["URL"]))
    if literal:
        spans += _spelled_emails(text)
        if ":" in text and ("]" in text or " -" in text or " –" in text):
            spans += _chat_senders(text)
    if extra:
        spans += _cued_addresses(text)
        if "day" in text or "DAY" in text or "Day" in text:
            # "his 100th birthday", "her 95th birthday party", "her 100th bday": an age over 89
            spans += [(m.start(), m.end(1), "AGE", PLACEHOLDERS["AGE"]) for m in _ORDINAL_BIRTHDAY_RX.finditer(text)]
        if "0s" in text or "0's" in text or "0’s" in text or "inetie" in text or "INETIE" in text:
            spans += [(m.start(1), m.end(1), "AGE", PLACEHOLDERS["AGE"]) for m in _DECADE_AGE_RX.finditer(text)]
        if "inety" in text or "undred" in text or "INETY" in text or "UNDRED" in text:
            spans += _word_ages(text)
            if "(" in text:
                spans += [(m.start(1), m.end(1), "AGE", PLACEHOLDERS["AGE"]) for m in _PAREN_WORD_AGE_RX.finditer(text)
                          if _AGE_SUBJECT_BEFORE_PAREN_RX.search(text, max(0, m.start() - 24), m.start())]
        if _FOREIGN_GATE_RX.search(text):
            spans += _foreign_dates_and_ages(text)
        if _YEAR_RX.search(text) or "/" in text or "." in text:
            spans += _foreign_month_years_and_days(text)
        if "(" in text or "[" in text:
            # "my grandma (96) fell", "grandma (94 in Jan)", "Dedem, Ayşe (94), dün düştü", "Mr Ochieng [92]"
            spans += [(m.start(1), m.end(1), "AGE", PLACEHOLDERS["AGE"]) for m in _PAREN_AGE_RX.finditer(text)
                      if m.group("unit") or _AGE_SUBJECT_BEFORE_PAREN_RX.search(text, max(0, m.start() - 24), m.start())
                      or _name_before_paren(text, m.start())]
        if "011" in text or (("all" in text or "ALL" in text or "ing " in text or "ext" in text or "hone" in text
                              or "pp" in text or "each" in text or "ontact" in text or "obile" in text or "ome" in text
                              or "umber" in text or "ell" in text or "el" in text or "hp" in text or "ob" in text
                              or "ffice" in text or "andline" in text or "hiam" in text or "lam" in text
                              or "igue" in text or "igar" in text or "ppel" in text or "ruf" in text)
                             and _CALL_WORD_RX.search(text)):
            spans += _called_phones(text)
        if _SPOKEN_PHONE_GATE_RX.search(text):  # (EXTRA_PREFILTER holds `_SPOKEN_PHONE_GATE`)
            spans += _spoken_phones(text)
        if "=" in text:
            spans += [(m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]) for m in _KEY_VALUE_LOGIN_RX.finditer(text)]
        if "ns" in text or "NS" in text or "lan" in text:
            spans += [(m.start("v"), m.end("v"), "ACCOUNT", PLACEHOLDERS["ACCOUNT"])
                      for m in _INSURER_CODE_RX.finditer(text) if _digits(m.group("v")) >= 7]
        spans += _file_codes(text)  # (EXTRA_PREFILTER holds `_FILE_CODE_GATE`)
        if "ob" in text or "OB" in text or "orn" in text or "irth" in text or "o.b" in text or "O.B" in text:
            # (and `_SPACED_BIRTH_DATE_GATE`)
            spans += [(m.start("d"), m.end("d"), "DATE", PLACEHOLDERS["DATE"]) for m in _SPACED_BIRTH_DATE_RX.finditer(text)]
        if "id" in text or "ID" in text or "Id" in text:  # (and `_DEVICE_HEX_GATE`)
            spans += [(m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]) for m in _DEVICE_HEX_RX.finditer(text)]
        spans += [(m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]) for m in _UK_PLATE_RX.finditer(text)
                  if m.group("v")[-3:] not in _NOT_PLATE_TAILS]  # (and `_UK_PLATE_GATE`)
        if " the " in text or " THE " in text or " The " in text or "\tthe" in text:  # (and `_WORD_DAY_GATE`)
            spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _WORD_DAY_RX.finditer(text)
                      if not m.group().startswith(("may ", "may\t"))]  # "may the fourth be with you": a verb
        if "." in text:  # (EXTRA_PREFILTER holds `_WEEKDAY_DOT_DATE_GATE`)
            spans += [(m.start("d"), m.end("d"), "DATE", PLACEHOLDERS["DATE"]) for m in _WEEKDAY_DOT_DATE_RX.finditer(text)
                      if _valid_dmy(int(m.group("a")), int(m.group("b")))
                      and not (_NOT_AN_AGE_AFTER_RX.match(text, m.end()) or _QUANTITY_AFTER_RX.match(text, m.end()))]
        if "mex" in text or "MEX" in text or "ard" in text or "ARD" in text or "xpress" in text:  # Amex, card
            spans += [(m.start(), m.end(), "ACCOUNT", PLACEHOLDERS["ACCOUNT"]) for m in _AMEX_RX.finditer(text)
                      if _luhn(m.group())]  # an American Express number, 4-6-5, that passes its check digit
        if "-" in text or "(" in text or " " in text:  # "8 (916) 402-77-15", "050 388 14 72": pairs at the end
            spans += [(m.start(), m.end(), "PHONE", PLACEHOLDERS["PHONE"]) for m in _TRUNK_PHONE_RX.finditer(text)
                      if 10 <= _digits(m.group()) <= 11]
        if "/" in text and _UPPER_SLASH_RX.search(text):  # a hospital's file number: "DMCH/ENT/2291"
            spans += [(m.start(), m.end(), "MRN", PLACEHOLDERS["MRN"]) for m in _SLASHED_FILE_RX.finditer(text)]
        if ("hat" in text or "kype" in text or "LINE" in text or "Line" in text or "ser" in text or "ogin" in text
                or "iber" in text or "suario" in text or "tilisateur" in text or "enutzer" in text or "ebruiker" in text
                or "utente" in text or "line id" in text or "ccount" in text
                or "akao" in text or "alo" in text or "ignal" in text or "elegram" in text or "in as" in text):
            spans += [(m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]) for m in _MESSAGING_ID_RX.finditer(text)]
        if "[at]" in text or "(at)" in text or "{at}" in text or "[AT]" in text or "(AT)" in text or "&#64;" in text:
            spans += [(m.start(), m.end(), "EMAIL", PLACEHOLDERS["EMAIL"]) for m in _BRACKET_AT_EMAIL_RX.finditer(text)]
        if "::" in text or text.count(":") >= 5:
            spans += [(m.start(), m.end(), "IP", PLACEHOLDERS["IP"]) for m in _IPV6_RX.finditer(text)]
            spans += [(m.start(), m.end(), "ID", PLACEHOLDERS["ID"]) for m in _MAC_RX.finditer(text)]
    if not text.isascii():
        spans += _cjk_spans(text)
        if "tháng" in text:
            spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _VI_DATE_RX.finditer(text)]
    if ", lat " in text or ", lat. " in text:  # Polish: "pan Stanisław Zieliński, lat 97, ma odleżyny"
        spans += [(m.start(1), m.end(1), "AGE", PLACEHOLDERS["AGE"]) for m in _POLISH_LAT_AGE_RX.finditer(text)]
    if "saal" in text or "miaka" in text or "sal ki" in text or "sal ke" in text or "varsh" in text:
        spans += [(m.start(g), m.end(g), "AGE", PLACEHOLDERS["AGE"]) for m in _LATIN_SCRIPT_AGE_RX.finditer(text)
                  for g in ("a", "b", "w") if m.group(g)]
    spans += _end_signoff_names(text, starts)
    spans += _thanks_from_names(text)
    spans += _bare_end_names(text, starts)
    shapes = codes is not False and (codes is True or bool(_SHAPE_GATE_RX.search(text)))
    spans += _its_me_and_paired_phones(text, shapes)
    if extra and any(g in text for g in _FOREIGN_TITLE_GATES):  # (EXTRA_PREFILTER holds `_FOREIGN_TITLE_GATE`)
        spans += _foreign_title_names(text)
    if extra and (":" in text or "=" in text or " - " in text):  # (EXTRA_PREFILTER holds `_FORM_NAME_GATE`)
        spans += _form_label_names(text)
    if not text.isascii() or extra:  # (EXTRA_PREFILTER holds `_EAST_GATE`)
        spans += _east_european_spans(text)
    if prose_names:
        spans += _lower_cue_names(text, starts)
        spans += _lower_titled_names(text)
        spans += _lower_names_before_kin(text)
        spans += _lower_opening_names(text, starts)
    spans += _opening_intro_names(text, starts)
    spans += _opening_here_names(text, starts)
    if any(g in text for g in _HEALTH_CARD_GATES):
        spans += _health_card_numbers(text)
    if extra:  # (EXTRA_PREFILTER holds what these need)
        spans += _foreign_short_ages(text)
        if any(g in text for g in _MYNAME_INTL_GATES):
            spans += _myname_intl_names(text)
    spans += _unlabelled_codes(text, codes)
    spans += _grouped_phones(text, codes)
    kinds = {sp[2] for sp in spans} if spans else ()
    if "NAME" in kinds and "(" in text and not text.isascii():
        spans += _names_in_script_after(text, spans)
    if "NAME" in kinds and "(" in text:  # "my son Vihaan (Aarav)", "my tia Lupe (Graciela Ramírez)": another name for one
        spans += [(m.start(1), m.end(1), "NAME", PLACEHOLDERS["NAME"]) for sp in spans if sp[2] == "NAME"
                  for m in (_BRACKETED_NAME_AFTER_RX.match(text, sp[1]),) if m]
    if "NAME" in kinds:
        spans += _after_name_ages_and_phones(text, spans)
    spans += _signoff_name_phones(text)
    spans += _titled_and_contact_names(text, spans, kinds, prose_gate)
    spans += _name_is_names(text)
    spans += _name_lines_above_contacts(text, digit_pos is not None)
    spans += _said_to_be_people(text)
    if "AGE" in kinds:
        spans += _repeated_ages(text, spans)
    if "DATE" in kinds and "/" in text:  # "vaccinated on 1/11, 4/11, 8/11 and 15/11": the days listed after a date
        for sp in [sp for sp in spans if sp[2] == "DATE"]:
            end = sp[1]
            while (m := _NEXT_DAY_MONTH_RX.match(text, end)) is not None and _valid_dmy(int(m.group("a")), int(m.group("b"))) \
                    and not (m.group("b") == "10" and int(m.group("a")) <= 10 and _out_of_ten(text, m.start("d"), m.end("d"))):
                spans.append((m.start("d"), m.end("d"), "DATE", PLACEHOLDERS["DATE"]))
                end = m.end("d")
    if "PHONE" in kinds:  # "Tel: 6123 4567 (home), 9123 4567 (hp)": a second number listed after a phone
        for sp in [sp for sp in spans if sp[2] == "PHONE"]:
            m = _NEXT_PHONE_RX.match(text, sp[1])
            if m and 7 <= _digits(m.group("n")) <= 15:
                spans.append((m.start("n"), m.end("n"), "PHONE", PLACEHOLDERS["PHONE"]))
    found = _near_postcodes(text, spans, extra) if extra or "ADDRESS" in kinds else ()
    if found:
        spans += found
        kinds = {sp[2] for sp in spans}
    spans += _labelled_letter_codes(text, shapes, extra)
    if extra and ("nding" in text or "ast four" in text or "ast 4" in text or "ermina" in text or "NDING" in text):
        # (EXTRA_PREFILTER holds `_LAST_DIGITS_GATE`)
        for m in _LAST_DIGITS_RX.finditer(text):
            kind = "SSN" if m.group("ssn") or (m.group("ssn2") or "").lower() in ("social", "ssn") else "ACCOUNT"
            spans.append((m.start("v"), m.end("v"), kind, PLACEHOLDERS[kind]))
    if extra and "." in text:  # (EXTRA_PREFILTER holds `_DOTTED_ID_GATE`)
        spans += [(m.start("v"), m.end("v"), "SSN", PLACEHOLDERS["SSN"]) for m in _DOTTED_ID_RX.finditer(text)]
    if "ADDRESS" in kinds:
        spans = [_with_postcode(text, sp) if sp[2] == "ADDRESS" else sp for sp in spans]
    if "NAME" in kinds:
        # (a word for a relative used as a name, "Nana uses a Libre sensor", "Grandad has had a cough", is none)
        spans = [sp for sp in spans if sp[2] != "NAME" or not (
            _clinical_eponym(text, sp[0], sp[1]) or (text[sp[0]:sp[1]].lower() in _KIN_AS_NAMES
                                                     and text[max(0, sp[0] - 4):sp[0]].rstrip(" \t")[-1:] in _OPENS))]
    # the substrings of the labels in lower case and in capitals (the labels are matched in any case)
    if ("late" in text or "egistration" in text or "ehicle" in text or "LATE" in text or "EGISTRATION" in text
            or "EHICLE" in text or "ar reg" in text or "AR REG" in text or "ar Reg" in text or "targa" in text
            or "trícula" in text or "tricula" in text or "enteken" in text or "ennzeichen" in text
            or "mmatriculation" in text or "placa" in text or "ejestracja" in text or "laque" in text):
        for m in _PLATE_RX.finditer(text):
            value = m.group("v")
            if len(value) >= 4 and any(c.isdigit() for c in value) and not _TRIAL_REGISTRY_RX.match(value) and (
                    m.group("of") is None or any(c.isalpha() for c in value)):
                spans.append((m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]))
    if extra and ("car " in text or "CAR " in text or "Car " in text or "ehicle" in text or "truck" in text
            or "mbulance" in text or "taxi" in text or "coche" in text or "carro" in text or "oiture" in text
            or "wagen" in text or "acchina" in text or "otorbike" in text or "cooter" in text):
        for m in _VEHICLE_PLATE_RX.finditer(text):
            value = m.group("v")
            if any(c.isdigit() for c in value) and sum(c.isalpha() for c in value) >= 2 and \
                    not _TRIAL_REGISTRY_RX.match(value) and not _NOT_AN_AGE_AFTER_RX.match(text, m.end("v")):
                spans.append((m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]))
    if shapes and _NUMBERED_CODE_GATE_RX.search(text):  # (SHAPE_PREFILTER holds `_NUMBERED_CODE_GATE`)
        # (last: a code that another rule took keeps that rule's type)
        spans += [sp for sp in _numbered_codes(text) if not any(t[0] < sp[1] and sp[0] < t[1] for t in spans)]
    return _merge(spans)


# ---- eponyms of clinical tests, classifications and formulas ------------------------------------------------
# A surname that names a test, a classification or a formula in a clinical note is no person: "Weber B ankle
# fracture", "Rinne positive, Weber central", "Clark level IV", "Dix–Hallpike positive", "Holliday-Segar", "1 L
# Hartmann's", "Hashimoto's", "Nil by mouth", "1 in 4000 for Edwards and Patau". Each only in its context: "Dr Weber
# called" and "Mrs Clark is 94" keep their names.
_CLINICAL_EPONYMS = frozenset("""
weber rinne clark breslow dix hallpike epley holliday segar cockcroft gault parkland gustilo salter harris garden
lachman mcmurray phalen tinel finkelstein apley homans rovsing mcburney kernig brudzinski romberg apgar bishop wells
killip forrest ranson glasgow mallampati nil
""".split())
# a diagnosis's words before a disease named after a person: "likely Gilbert", "query Addison", "r/o Cushing"
_DIAGNOSIS_BEFORE_RX = re.compile(r"(?:(?i:\b(?:likely|probably|probable|possibly|possible|suspected|suspect|query|"
                                  r"r/o|rule[ \t]+out|ruled[ \t]+out|consistent[ \t]+with|suggestive[ \t]+of|c/w|dx|ddx|"
                                  r"diagnosis|diagnosed[ \t]+with|known)\b)|\?)[ \t:]*$")
_EPONYM_CONTEXT_AFTER_RX = re.compile(
    r"[ \t]*(?:[A-D](?![\w'’])|[IV]{1,3}(?![\w'’])|(?i:central|level|thickness|positive|negative|test|tests|lateralis\w*"
    r"|lateraliz\w*|balance|score|scale|classification|formula|manoeuvre|maneuver|by[ \t]+mouth|type|grade|stage"
    r"|fracture|sign|equation|regimen|criteria)\b)")
# diseases and solutions named by a surname and "'s": "Hashimoto's", "Hartmann's", "Crohn's"
_OPENS = ("", ".", "!", "?", "\n", "\x1e")  # what comes before a sentence's first word (FIELD_SEPARATOR too)
_KIN_AS_NAMES = frozenset("""grandpa grandad granddad grandma granny gran nan nana nanna auntie aunty uncle mum mom
mummy mommy dad daddy grandmother grandfather grandmum grandmom gramps grampa""".split())
_EPONYM_HEADS = frozenset("""malattia maladie enfermedad doença doenca morbus sindrome síndrome syndrome signe signo
segno test prueba teste manovra manœuvre maniobra manobra tumore tumeur tumor linfoma lymphome reflexe réflexe riflesso
reflejo""".split())
_EPONYM_HEAD_BEFORE_RX = re.compile(
    r"(?i:(?<![\w])(?:" + "|".join(sorted(_EPONYM_HEADS)) + r")(?:[ \t]+(?:de|di|du|des|da|do|del|della|von|van))?"
    r"(?:[ \t]+|[ \t]*d['’]))$")
_DISEASE_POSSESSIVES = frozenset("""
hartmann ringer curling hashimoto addison cushing graves crohn parkinson alzheimer bell hodgkin paget raynaud
sjogren sjögren tourette wilson meniere ménière huntington asperger barrett bartholin baker dupuytren peyronie
kawasaki kaposi osgood perthes scheuermann behcet behçet still whipple hirschsprung wegener gilbert
""".split())
_TRISOMY_EPONYMS = frozenset({"edwards", "patau", "down"})


def _clinical_eponym(text: str, start: int, end: int) -> bool:
    value = text[start:end]
    key = value.lower()
    # a disease, sign or test named after a person in a Romance or German phrase: "Malattia di Hashimoto", "Signe de
    # Murphy positif", "maladie de Crohn", "Morbus Bechterew" (the head before the name, or the name's span taken whole)
    if _EPONYM_HEAD_BEFORE_RX.search(text, max(0, start - 24), start) or (
            " " in key and key.split()[0] in _EPONYM_HEADS and _EPONYM_HEAD_BEFORE_RX.match(
                value[:value.rfind(" ") + 1])):
        return True
    if " " in key:
        return False
    if key in _CLINICAL_EPONYMS and _EPONYM_CONTEXT_AFTER_RX.match(text, end):
        return True
    if key in _DISEASE_POSSESSIVES and _DIAGNOSIS_BEFORE_RX.search(text, max(0, start - 24), start):
        return True  # "unconjugated, likely Gilbert.", "?Addison", "consistent with Crohn": the disease
    nxt = text[end:end + 2]
    if key in _DISEASE_POSSESSIVES and nxt[:1] in ("'", "’") and nxt[1:2] in ("s", "S"):
        return True
    if nxt[:1] in ("-", "–") and end + 1 < len(text) and text[end + 1:end + 2].isupper():
        m = _WORD_AT_RX.match(text, end + 1)
        if m and f"{_fold(key)}-{_fold(m.group().lower())}" in _HYPHENATED_EPONYMS:
            return True
    if key in _TRISOMY_EPONYMS:
        low = text.lower()
        return "trisomy" in low or "syndrome" in low or "screen" in low
    return False


# ---- other scripts' and languages' introductions, sign-offs, ages and dates ----------------------------------
# Chinese, Japanese and Korean self-introductions ("我叫王丽，", "我係陳大文，", "私は鈴木美咲と申します", "저는 김민준입니다"),
# a name after a form's label ("名前：山本花子", "姓名：李明华"), a name opening a record ("李明华，男，1965年出生") or a
# message ("田中です。"); the name's first character a common surname of its language (the family name comes first),
# so "我是医生，" (I am a doctor) and "私は大丈夫です" are none.
_CN_SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖田董袁潘于蒋蔣蔡"
    "余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎"
    "贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申"
    "欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻"
    "祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党宫宮费費卜冷晏席卫衛米柏"
    "宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏佘池查麻苑迟遲邝鄺区區欧阳歐陽"
    "司马馬上官诸葛諸葛")
_JP_SURNAMES = frozenset("""
佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎 森 池田
橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 福田 太田 西村 藤井 金子 岡本 藤原
中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 内田 柴田 酒井 宮崎 横山 高木 安藤 宮本 大野 小島 谷口
今井 工藤 高田 増田 丸山 杉山 村田 大塚 新井 小山 平野 藤本 河野 上野 野口 武田 松井 千葉 岩崎 菅原 木下 久保 佐野 野村 松尾
市川 菊地 杉本 古川 大西 島田 水野 桜井 高野 渡部 吉川 山内 西田 飯田 菊池 西川 小松 北村 安田 五十嵐 川口 平田 関 中田
久保田 服部 東 岩田 土屋 川崎 福島 本田 辻 樋口 秋山 田口 永井 山中 中西 吉村 川上 大橋 石原 松岡 浜田 馬場 森本 矢野 浅野
星野 松下 大久保 吉岡 小池 野田 荒木 大谷 内藤 松浦 熊谷 黒田 尾崎 永田 川村 望月 田辺 松村 荒井 堀 大島 平井 早川 菅野 栗原
西山 広瀬 横田 石橋 萩原 岩本 片山 関口 宮田 大石 高山 本間 吉野 須藤 岡崎 小田 伊東 鎌田 上原 篠原 小西 松原 福井 成田 古田
大森 小泉 奥村 内山 沢田 桑原 三宅 片岡 富田 杉田 比嘉 金城 宮城 新垣
""".split())
_KR_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현"
                         "함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범"
                         "좌팽승상갈시견")
# three syllables after "저는" that are no name: a role or a state ("저는 공무원입니다": I am a civil servant)
_KR_NOT_NAMES = frozenset("공무원 임산부 한국인 유학생 조산사 장애인 신입생 학부모 고등학생 대학생 중학생 초등학생 간호사 회사원 "
                          "직장인 자영업 주부예 남자예 여자예 엄마예 아빠예 이번에 이제는 지금은 오늘은 정말로 어제는 요즘은 "
                          "지난달 올해는 한국에 서울에 부산에 미국에 환자인 환자이 학생이 주부이 의사이 교사이 군인이".split())
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# words that end a message but are no name ("谢谢": thanks)
_CJK_NOT_SIGNOFFS = frozenset("谢谢 謝謝 多谢 多謝 谢谢您 謝謝您 感谢 感謝 万分感谢 萬分感謝 祝好 敬上 叩谢 叩謝 李子 高兴 高興 周末 周一 周二 周三 "
                              "周四 周五 周六 周日 周日见".split())
_CJK_NAME_RX = re.compile(
    # Chinese: "我叫王丽", "我是刘建国", "我係陳大文", "我的名字是周婷", "本人李明", "姓名：李明华", "患者：王小明"
    rf"(?:我叫|我是|我係|我系|我的名字是|我的名字叫|我名叫|我姓名是|本人(?:叫|是)?|(?:患者)?姓名[ \t]*[：:][ \t]*"
    rf"|患者[ \t]*[：:][ \t]*|名字[ \t]*[：:][ \t]*)(?P<cn>[{_CJK}]{{2,3}})(?=[，,。.、！!？?\s（(：:]|今年|男|女|$)"
    # a record that opens with a name, its sex after it: "李明华，男，1965年出生"
    rf"|(?:^|(?<=[\n\x1e。]))(?P<cnrec>[{_CJK}]{{2,3}})[ \t]*[，,、][ \t]*(?:男|女)(?=[，,、 \t]|性)"
    # Japanese: "私の名前は佐藤健一です", "私は鈴木美咲と申します", "名前：山本花子", "氏名：", "田中です。" opening a message
    rf"|(?:私の名前は|わたしの名前は|私は|わたしは|僕は|俺は|名前[ \t]*[：:][ \t]*|氏名[ \t]*[：:][ \t]*)"
    rf"(?P<jp>[{_CJK}々]{{2,5}})(?=と申します|といいます|と言います|です|でございます|[。、\s　]|$)"
    rf"|(?:^|(?<=[\n\x1e])|(?<=こんにちは、)|(?<=こんにちは。)|(?<=こんばんは、)|(?<=はじめまして、)|(?<=はじめまして。))"
    rf"(?P<jpopen>[{_CJK}々]{{1,4}})(?=です[。、！!]|と申します)"
    # a surname before a title: "黃醫生" (Dr Huang), "王先生", "田中先生", "佐藤さん"
    rf"|(?P<cntitle>[{_CJK}]{{1,2}})(?=醫生|医生|大夫|先生|小姐|女士|太太|老師|老师|護士|护士|さん|様|さま|医師)"
    # a name alone that signs a message off: "...電話 +852 6123 4567。陳小明"
    rf"|(?<=[。！？!?\n])[ \t]*(?P<cnend>[{_CJK}]{{2,3}})[ \t。.]*(?=\x1e|$)"
    # Korean: "저는 김민준입니다", "저는 이서준이고", "제 이름은 최유진입니다", "이름: 박지훈"
    r"|(?:저는|제[ \t]*이름은|내[ \t]*이름은|나는|이름[ \t]*[：:][ \t]*|성명[ \t]*[：:][ \t]*)[ \t]*"
    r"(?P<kr>[가-힣]{3})(?=입니다|이고|이에요|이예요|예요|이라고|라고|이며|인데|이구요|이고요|[,.\s]|$)")
# an age over 89 in those languages: "93岁", "95歳", "(92세)", "九十三歲"
_CJK_AGE_RX = re.compile(r"(?<![0-9])(?P<d>9[0-9]|1[0-2][0-9])[ \t]*(?:岁|歲|歳|세|살|才)"
                         r"|(?P<k>아흔(?:하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|한|두|세|네)?)(?=[ \t]*(?:살|세|이|에|\s|$))"
                         r"|(?P<w>九十[一二三四五六七八九]?|一百(?:零?[一二三四五六七八九十]+)?)(?=[ \t]*(?:岁|歲|歳|才))")
# a phone or a record number after its label in Chinese or Japanese: "我的电话是138 5550 2741", "診察券番号は 0048271"
_CJK_LABELLED_RX = re.compile(
    r"(?P<pl>电话|電話|手机|手機|联系电话|聯絡電話|電話番号|携帯番号|携帯|전화번호|연락처)(?:号码|號碼|番号)?[ \t]*(?:是|係|は|：|:|는|은)?[ \t]*"
    r"(?P<p>\+?[0-9][0-9 \t()-]{5,16}[0-9])(?![0-9])"
    r"|(?P<ml>診察券番号|患者番号|カルテ番号|病历号|病歷號|门诊号|門診號|就诊卡号|就診卡號|病案号|病案號|住院号|住院號|환자번호|등록번호)"
    r"[ \t]*(?:是|は|：|:|는|은)?[ \t]*(?P<m>[A-Z0-9][A-Z0-9-]{3,19})(?![A-Z0-9-])")
# a year and month: "2026年10月", "2025년 12월" (a month and year is a date); Hungarian dates: "1971. április 3."
_CJK_YEAR_MONTH_RX = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}[ \t]*(?:年|년)[ \t]*(?:1[0-2]|0?[1-9])[ \t]*(?:月|월)")
_HU_DATE_RX = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}\.[ \t]*(?i:január|február|március|április|május|június|július|augusztus|szeptember"
    r"|október|november|december|jan|febr|márc|ápr|máj|jún|júl|aug|szept|okt|nov|dec)\.?(?:[ \t]+(?:[12][0-9]|3[01]|0?[1-9])\.?)?")
_CJK_GATE_RX = re.compile(rf"[{_CJK}가-힣]")


# Self-introductions in Arabic, Persian, Russian, Ukrainian, Greek and Thai: "اسمي أحمد الشمري،", "أنا فاطمة الزهراء من",
# "من زهرا احمدی هستم", "меня зовут Ольга Смирнова,", "я Іван Петренко,", "είμαι η Ελένη Παπαδοπούλου,", "ดิฉันชื่อ สมศรี ใจดี";
# ages over 89 with Arabic-Indic digits ("عمرها ٩٣ سنة")
_AR = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
_SCRIPT_INTRO_RX = re.compile(
    rf"(?:اسمي|إسمي|اسمى|اسم[ \t]+من|اینجانب)[ \t]+(?P<arn>[{_AR}]+(?:[ \t]+[{_AR}]+){{0,2}}?)"
    rf"(?=[ \t]*(?:[،,.؛\n]|$|من[ \t]|است\b|هستم|عمري|عمرى)|[ \t]+و)"
    # "my name is" in Hindi, Bengali, Sinhala and Hebrew: "मेरा नाम सुनीता देवी है", "আমার নাম রহিমা খাতুন।",
    # "මගේ නම කමල් ජයසූරිය.", "שמי יוסי כהן,"
    r"|(?:मेरा[ \t]+नाम|मेरा[ \t]+नाम[ \t]+है)[ \t]+(?P<hi>[\u0900-\u0963\u0966-\u097f]+(?:[ \t]+[\u0900-\u0963\u0966-\u097f]+){0,2}?)(?=[ \t]+(?:है|हूँ|हूं)|[ \t]*[।,.])"
    r"|আমার[ \t]+নাম[ \t]+(?P<bn>[\u0980-\u09e3\u09e6-\u09ff]+(?:[ \t]+[\u0980-\u09e3\u09e6-\u09ff]+){0,2}?)(?=[ \t]*[।,.]|[ \t]+(?:আমি|আমার))"
    r"|මගේ[ \t]+නම[ \t]+(?P<si>[\u0d80-\u0dff]+(?:[ \t]+[\u0d80-\u0dff]+){0,2}?)(?=[ \t]*[.,।])"
    r"|(?:שמי|קוראים[ \t]+לי)[ \t]+(?P<he>[\u05d0-\u05ea'׳\"״]+(?:[ \t]+[\u05d0-\u05ea'׳]+){0,2}?)(?=[ \t]*[,.]|[ \t]+(?:בן|בת)\b)"
    rf"|(?:^|(?<=[\s،,.!؟]))(?:أنا|انا|آنا)[ \t]+(?P<ar>[{_AR}]+(?:[ \t]+[{_AR}]+)?)(?=[ \t]*(?:[،,]|من[ \t]))"
    rf"|(?:^|(?<=[\s،,.!؟]))من[ \t]+(?P<fa>[{_AR}]+(?:[ \t]+[{_AR}]+)?)[ \t]+هستم"
    # an Arabic form's label, a doctor's title, a referral: "الاسم: رنا الخطيب،", "مريض: أحمد بن علي،", "الدكتور خالد
    # الشمري،", "أحيل المريضة سارة العتيبي"
    rf"|(?:الاسم|اسم[ \t]+المريضة?|المريضة?|مريضة?)[ \t]*[:：][ \t]*(?P<arl>[{_AR}]+(?:[ \t]+[{_AR}]+){{0,2}}?)"
    rf"(?=[ \t]*(?:[،,.؛:\n]|$))"
    rf"|(?:الدكتورة?|دكتورة?|د\.)[ \t]*(?P<ard>[{_AR}]+(?:[ \t]+[{_AR}]+)?)(?=[ \t]*(?:[،,.؛:\n]|$))"
    rf"|(?:أحيل|احيل)[ \t]+(?:المريضة?)[ \t]+(?P<arr>[{_AR}]+[ \t]+[{_AR}]+)"
    r"|(?i:меня[ \t]+зовут|мене[ \t]+звати|моё[ \t]+имя|мое[ \t]+имя|я|είμαι[ \t]+(?:η|ο)|λέγομαι|με[ \t]+λένε|ονομάζομαι)[ \t]+"
    r"(?P<cy>[А-ЯЁІЇЄҐΑ-ΩΆΈΉΊΌΎΏ][а-яёіїєґα-ωάέήίόύώϊϋΐΰ'’-]+(?:[ \t]+[А-ЯЁІЇЄҐΑ-ΩΆΈΉΊΌΎΏ][а-яёіїєґα-ωάέήίόύώϊϋΐΰ'’-]+){0,2})"
    r"|(?:ชื่อ|ดิฉันชื่อ|ผมชื่อ|หนูชื่อ)[ \t]*[:：]?[ \t]*(?P<th>[\u0e01-\u0e4e]+(?:[ \t]+[\u0e01-\u0e4e]+)?)"
    # "my name is" in Urdu, Tamil, Telugu, Malayalam and Kannada: "میرا نام عمران علی ہے", "என் பெயர் செல்வி முருகன்.",
    # "నా పేరు శ్రీనివాస్ రెడ్డి,", "എന്റെ പേര് അനിൽ കുമാർ.", "ನನ್ನ ಹೆಸರು ರಮೇಶ್."
    rf"|(?:میرا|ميرا)[ \t]+نام[ \t]+(?P<ur>[{_AR}]+(?:[ \t]+[{_AR}]+){{0,2}}?)(?=[ \t]+(?:ہے|ہیں|ہوں)|[ \t]*[۔،,.])"
    r"|என்[ \t]+பெயர்[ \t]+(?P<ta>[\u0b80-\u0bff]+(?:[ \t]+[\u0b80-\u0bff]+){0,2}?)(?=[ \t]*[.,।])"
    r"|నా[ \t]+పేరు[ \t]+(?P<te>[\u0c00-\u0c7f]+(?:[ \t]+[\u0c00-\u0c7f]+){0,2}?)(?=[ \t]*[.,।])"
    r"|എന്റെ[ \t]+പേര്[ \t]+(?P<ml>[\u0d00-\u0d7f]+(?:[ \t]+[\u0d00-\u0d7f]+){0,2}?)(?=[ \t]*[.,।])"
    r"|ನನ್ನ[ \t]+ಹೆಸರು[ \t]+(?P<kn>[\u0c80-\u0cff]+(?:[ \t]+[\u0c80-\u0cff]+){0,2}?)(?=[ \t]*[.,।])"
    # a doctor's title in Devanagari, Bengali, Tamil, Telugu, Kannada and Malayalam script: "डॉ. शर्मा", "ডাঃ রহমান",
    # "ഡോ. മേനോൻ" (the word after it)
    r"|(?:डॉ\.?|डा\.|ডাঃ|ডা\.|டாக்டர்|டா\.|డా\.|డాక్టర్|ಡಾ\.|ഡോ\.|ഡോക്ടർ)[ \t]*(?P<dr>[\u0900-\u0963\u0966-\u097f\u0980-\u09ff\u0b80-\u0bff\u0c00-\u0c7f\u0c80-\u0cff\u0d00-\u0d7f]+)")
# dates with Arabic and Thai month names: "يوم 10 ديسمبر", "วันเกิด 3 มี.ค. 2508"
_SCRIPT_DATE_RX = re.compile(
    r"(?<![0-9٠-٩])[0-9٠-٩]{1,2}[ \t]+(?:يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر"
    r"|اكتوبر|نوفمبر|ديسمبر|كانون[ \t]+الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين[ \t]+الأول|تشرين[ \t]+الثاني"
    r"|كانون[ \t]+الأول)(?:[ \t]+[0-9٠-٩]{4})?"
    r"|(?<![0-9])[0-9]{1,2}[ \t]*(?:ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\."
    r"|มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม)(?:[ \t]*[0-9]{4})?")
# words after "أنا"/"انا" that say what the writer is or has, not who ("أنا مريض،", "انا حامل من")
_AR_NOT_NAMES = frozenset("عندي مريض مريضة حامل أم ام أب اب طالب طالبة أعاني اعاني قلق قلقة خائف خائفة متزوج متزوجة "
                          "بخير مصاب مصابة أشعر اشعر ابن بنت زوجة زوج ممرض ممرضة طبيب طبيبة "
                          # (prepositions and verbs: "المريض: يعاني من ألم" is no name)
                          "من في على عن مع إلى الى لا لم يعاني تعاني يشكو تشكو لديه لديها عنده عندها عمره عمرها كان كانت "
                          "هو هي قال قالت".split())
_TH_NOT_NAMES = frozenset("อายุ เบอร์ โทร มี ค่ะ ครับ คะ เป็น และ".split())
_ARABIC_AGE_RX = re.compile(r"(?<![0-9٠-٩۰-۹])(?P<a>[9٩۹][0-9٠-٩۰-۹]|[1١۱][01٠١۰۱][0-9٠-٩۰-۹])[ \t]*(?:سنة|سنه|عام|عاما|عامًا|ساله|سال)")
_SCRIPT_GATE_RX = re.compile(r"[\u0600-\u06ff\u0400-\u04ff\u0370-\u03ff\u0e00-\u0e7f\u0900-\u0dff\u0590-\u05ff]")


def _script_intro_spans(text: str) -> list:
    spans = []
    for m in _SCRIPT_INTRO_RX.finditer(text):
        g = m.lastgroup
        words = m.group(g).split()
        if g in ("ar", "fa", "arl", "ard", "arr") and (words[0] in _AR_NOT_NAMES or any(w in _AR_NOT_NAMES for w in words)):
            continue
        if g == "th":
            if words[0] in _TH_NOT_NAMES:
                continue
            if len(words) > 1 and words[1] in _TH_NOT_NAMES:
                words = words[:1]
        start = m.start(g)
        end = start + len(" ".join(words)) if g == "th" else m.end(g)
        spans.append((start, end, "NAME", PLACEHOLDERS["NAME"]))
    spans += [(m.start("a"), m.end("a"), "AGE", PLACEHOLDERS["AGE"]) for m in _ARABIC_AGE_RX.finditer(text)]
    spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _SCRIPT_DATE_RX.finditer(text)]
    return spans


_CJK_ADDRESS_RX = re.compile(
    r"(?:[\u3040-\u30ff\u4e00-\u9fff]{1,6}(?:都|道|府|県|省|市|区|區|町|村|郡|路|街|段|巷|弄)){1,5}[\u3040-\u30ff\u4e00-\u9fff]{0,6}"
    r"[0-9]+(?:(?:-|丁目|番地?)[0-9]+){0,2}(?:号|號|番地?|弄)?"
    r"(?:[ \t]*[\u3040-\u30ff\u4e00-\u9fffA-Za-z]{1,12}[0-9]+(?:号室?|號|室|樓|楼|F))?")


def _cjk_spans(text: str) -> list:
    """Names after a self-introduction or a form's label, ages over 89 and year-and-month dates in Chinese, Japanese
    and Korean; Hungarian dates (year, month's name, day)."""
    spans = []
    if "á" in text or "ó" in text or "ú" in text:
        spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _HU_DATE_RX.finditer(text)]
    if _SCRIPT_GATE_RX.search(text):
        spans += _script_intro_spans(text)
    if not _CJK_GATE_RX.search(text):
        return spans
    # a Japanese, Chinese or Taiwanese street address: "東京都目黒区下目黒3-14-7 ハイツ目黒202号", "台北市信義路五段7號"
    spans += [(m.start(), m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]) for m in _CJK_ADDRESS_RX.finditer(text)]
    for m in _CJK_NAME_RX.finditer(text):
        g = m.lastgroup
        name = m.group(g)
        if g == "cntitle":
            # the character (or two) before the title: a Chinese or Japanese surname
            if name in _JP_SURNAMES or name[-1:] in _JP_SURNAMES:
                name = name if name in _JP_SURNAMES else name[-1:]
            elif name[-1:] in _CN_SURNAMES:
                name = name[-1:]
            else:
                continue
            spans.append((m.end(g) - len(name), m.end(g), "NAME", PLACEHOLDERS["NAME"]))
            continue
        if g == "cnend" and name in _CJK_NOT_SIGNOFFS:
            continue
        if g in ("cn", "cnrec", "cnend"):
            # a surname of two characters ("欧阳", "司马") or of one
            if not (name[:1] in _CN_SURNAMES or name[:2] in _CN_SURNAMES):
                continue
        elif g == "jpopen":
            if not (name in _JP_SURNAMES or any(name.startswith(s) for s in _JP_SURNAMES if len(s) > 1)):
                continue
        elif g == "jp":
            label = m.group()[: m.start(g) - m.start()]
            if "：" not in label and ":" not in label and not any(name.startswith(s) for s in _JP_SURNAMES):
                continue
        elif g == "kr":
            if name[0] not in _KR_SURNAMES or name in _KR_NOT_NAMES:
                continue
        spans.append((m.start(g), m.end(g), "NAME", PLACEHOLDERS["NAME"]))
    for m in _CJK_LABELLED_RX.finditer(text):
        if m.group("p"):
            if 7 <= _digits(m.group("p")) <= 15:
                spans.append((m.start("p"), m.end("p"), "PHONE", PLACEHOLDERS["PHONE"]))
        elif any(c.isdigit() for c in m.group("m")):
            spans.append((m.start("m"), m.end("m"), "MRN", PLACEHOLDERS["MRN"]))
    for m in _CJK_AGE_RX.finditer(text):
        g = "d" if m.group("d") else "k" if m.group("k") else "w"
        spans.append((m.start(g), m.end(g), "AGE", PLACEHOLDERS["AGE"]))
    if "年" in text or "년" in text:
        spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _CJK_YEAR_MONTH_RX.finditer(text)]
    return spans


_VI_DATE_RX = re.compile(r"(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])[ \t]+tháng[ \t]+(?:1[0-2]|0?[1-9])(?![0-9])"
                         r"(?:,?[ \t]+năm[ \t]+(?:19|20)[0-9]{2})?|(?<![0-9])tháng[ \t]+(?:1[0-2]|0?[1-9])[ \t]+năm[ \t]+(?:19|20)[0-9]{2}")


# an age over 89 after "I am", "has" or a relative in other languages: "Ich bin 92 und", "mi mamá tiene 94.", "mi papá
# de 91 tiene", "Pat. 96 J."
_SHORT_AGE_SELF_BEFORE_RX = re.compile(
    r"(?<![\w])(?i:ich[ \t]+bin|er[ \t]+ist|sie[ \t]+ist|tiene|tem|il[ \t]+a|elle[ \t]+a|heeft|is[ \t]+nu)[ \t]+$")
_SHORT_AGE_SELF_AFTER_RX = re.compile(r"[ \t]*(?:[.,;!?)]|$|(?i:und|y|e|et|en|and|jahre|j\.|años|anos|ans|jaar)\b)")
_SHORT_AGE_KIN_BEFORE_RX = re.compile(
    r"(?<![\w])(?i:pap[aá]|mam[aá]|abuel[ao]|nonn[ao]|av[óô]|vov[óô]|oma|opa|padre|madre)[ \t]+de[ \t]+$")
_SHORT_AGE_KIN_NOT_AFTER_RX = re.compile(r"[.,][0-9]|[ \t]*(?:kg|kilos?|%|mg|años?[ \t]+de)")
_SHORT_AGE_PATIENT_BEFORE_RX = re.compile(r"(?<![\w])(?i:pat\.?|patient(?:in)?|pt\.?|pac\.?)[ \t]+$")
_SHORT_AGE_PATIENT_AFTER_RX = re.compile(r"[ \t]*(?:J\.|j\.|Jahre|a\.|años|yo\b|y/o|yrs?\b)")


_SHORT_AGE_YEARS_AFTER_RX = re.compile(r"[ \t]+(?:taong[ \t]+gulang|anyos|na[ \t]+(?:po[ \t]+)?(?:siya|sya|ako|si)|tuổi"
                                       r"|χρονών|χρονων|χρόνων|ετών|ετων)(?![^\W\d_])")
# a kin word right before "is" and an age: "my appachchi is 98", "dad is 93 and"
_SHORT_AGE_KIN_IS_BEFORE_RX = re.compile(
    r"(?i:\b(?:mother|father|mom|mum|dad|daddy|grand\w*|granny|gran|nan|nana|husband|wife|aunt|auntie|uncle|appachchi"
    r"|ammachchi|lola|lolo|eyang|nenek|kakek|nani|nana|dadi|dada|abuela|abuelo|nonna|nonno|oma|opa|baba|bibi|babu"
    r"|savta|saba|teta|tita|jiddo|jeddo|sitti|jadda|mbuya|sekuru|gogo)"
    r"[ \t]+is)[ \t]+$")
_SHORT_AGE_KIN_IS_AFTER_RX = re.compile(r"[ \t]*(?:[,.;!?)]|$|(?i:and|now|years|yrs|y/o|yo|this|next|but|with)\b)")
_DIED_BEFORE_RX = re.compile(r"(?i:\b(?:passed(?:[ \t]+away)?|died|death))\b[^.!?\n]{0,40}$")
_SHORT_AGE_ABOUT_WORDS = frozenset("about around nearly almost roughly approximately".split())
_SHORT_AGE_PERSON_BEFORE_RX = re.compile(
    r"(?i:\b(?:mother|father|mom|mum|dad|grand\w*|granny|gran|nan|nana|husband|wife|aunt|auntie|uncle|she|he|patient)"
    r"[ \t]+(?:is|was|turned|turns|will[ \t]+be|'s))[ \t]+\w+[ \t]+$")
_SHORT_AGE_UNIT_AFTER_RX = re.compile(r"[ \t]*(?:%|kg|kgs|kilos?|lbs?|pounds|mg|mmhg|bpm|beats|degrees|°|/|percent)", re.I)
_SHORT_AGE_AN_AFTER_RX = re.compile(r"[ \t]+an\b")
_SHORT_AGE_LAST_WORDS = frozenset("bin ist tiene tem a heeft nu de pat pat. patient patientin pt pt. pac pac.".split())
# an elder relative right before an age, a name between them or not ("mama 91 sana", "my employer's grandma 95 fell",
# "Lolo Berto 93 na"), or words in brackets and "is" between them ("my mum (nenek to my kids) is 92"); an age said
# again more exactly after "90+" or "nineties" ("she is 90+, actually 92", "in his nineties, 97 I think")
_ELDER_KIN = (r"mother|father|mom|mum|mama|mamma|mummy|mommy|papa|dad|daddy|grandma|grandpa|grandmother|grandfather"
              r"|granddad|grandad|grandmom|grandmum|grandmama|grandpapa|granny|gran|nan|nana|nanna|aunt|auntie|uncle"
              r"|appachchi|ammachchi|lola|lolo|eyang|nenek|kakek|nani|dadi|dada|abuela|abuelo|nonna|nonno|oma|opa|bibi|babu"
              r"|savta|saba|teta|tita|jiddo|jeddo|sitti|jadda|halmeoni|harabeoji|obaachan|ojiichan|ayah|ibu|mbuya|sekuru|gogo|ugogo")
_ELDER_KIN_BEFORE_RX = re.compile(rf"(?<!\w)(?i:{_ELDER_KIN})(?:[ \t]+[A-Z][a-z]+)?[ \t]+$")
_KIN_PAREN_IS_BEFORE_RX = re.compile(rf"(?<!\w)(?i:{_ELDER_KIN})[ \t]*\([^()\n]{{1,40}}\)[ \t]+is[ \t]+$")
_AGE_RESTATED = r"(?i:9[0-9][ \t]*\++|90s|ninet(?:y|ies)\b|nonagenarian|centenarian)[^.!?\n]{0,24}(?i:actually|exactly|,)[ \t]+"
_AGE_RESTATED_BEFORE_RX = re.compile(_AGE_RESTATED + "$")
_DECIMAL_AFTER_RX = re.compile(r"[.,][0-9]")
# "she'll be 95", "he will turn 91": a person's coming age (not "it'll be 95 degrees": a unit follows, or "it")
_PRONOUN_WILL_BE = r"(?i:\b(?:she|he)(?:['’]ll|[ \t]+will|[ \t]+would)[ \t]+(?:be|turn)|\b(?:she|he)[ \t]+(?:turns|is[ \t]+turning))[ \t]+"
_PRONOUN_WILL_BE_BEFORE_RX = re.compile(_PRONOUN_WILL_BE + "$")


# Quebec's health card number (RAMQ, "NAM": four letters, eight digits: "TREG 6802 1512") and the US Medicare
# beneficiary identifier ("5TW2-QP8-RN41"), after their card's words
_HEALTH_CARD_RX = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{4}[ \t]?[0-9]{4}[ \t]?[0-9]{4}"
                             r"|[1-9][A-Z][A-Z0-9][0-9]-?[A-Z][A-Z0-9][0-9]-?[A-Z]{2}[0-9]{2})(?![A-Za-z0-9])")
_HEALTH_CARD_GATES = ("RAMQ", "NAM", "aladie", "ealth card", "edicare", "MBI", "arte soleil")


def _health_card_numbers(text: str) -> list:
    return [(m.start(), m.end(), "ACCOUNT", PLACEHOLDERS["ACCOUNT"]) for m in _HEALTH_CARD_RX.finditer(text)]


def _foreign_short_ages(text: str) -> list:
    """An age over 89 after "I am", "has" or a relative in other languages: "Ich bin 92 und", "mi mamá tiene 94.",
    "mi papá de 91 tiene", "Pat. 96 J." (each number from 90 to 119 looked at in its context)."""
    spans = []
    for m in _FOREIGN_SHORT_AGE_GATE_RX.finditer(text):
        start, end = m.span()
        if _SHORT_AGE_YEARS_AFTER_RX.match(text, end):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))  # "93 taong gulang", "98 na po siya"
            continue
        # the word right before the number must be one that the patterns end with (most numbers fail here)
        if start < 2 or text[start - 1] not in " \t":
            continue
        before = text[max(0, start - 12):start].split()
        last = before[-1].lower() if before else ""
        if last in _SHORT_AGE_ABOUT_WORDS:
            # "my mother is about 91", "grandpa is nearly 95": a person is about that age, not a reading
            if _SHORT_AGE_PERSON_BEFORE_RX.search(text, max(0, start - 40), start) and \
                    not _SHORT_AGE_UNIT_AFTER_RX.match(text, end):
                spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))
            continue
        if last == "gen" and _SHORT_AGE_AN_AFTER_RX.match(text, end):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))  # Haitian Creole: "li gen 96 an"
            continue
        if last in ("umur", "usia") and not _SHORT_AGE_UNIT_AFTER_RX.match(text, end):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))  # Indonesian and Malay: "umur 97 th"
            continue
        if last == "is" and _SHORT_AGE_KIN_IS_BEFORE_RX.search(text, max(0, start - 30), start) and \
                _SHORT_AGE_KIN_IS_AFTER_RX.match(text, end):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))
            continue
        if last == "at" and _DIED_BEFORE_RX.search(text, max(0, start - 60), start) and \
                not _SHORT_AGE_UNIT_AFTER_RX.match(text, end):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))  # "my dad passed on 3 May at 97"
            continue
        if (_ELDER_KIN_BEFORE_RX.search(text, max(0, start - 30), start) or (
                last == "is" and _KIN_PAREN_IS_BEFORE_RX.search(text, max(0, start - 70), start)) or
                _AGE_RESTATED_BEFORE_RX.search(text, max(0, start - 50), start) or
                _PRONOUN_WILL_BE_BEFORE_RX.search(text, max(0, start - 24), start)) and \
                not (_SHORT_AGE_UNIT_AFTER_RX.match(text, end) or _DECIMAL_AFTER_RX.match(text, end)):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))
            continue
        if last not in _SHORT_AGE_LAST_WORDS:
            continue
        window = max(0, start - 24)
        if (_SHORT_AGE_SELF_BEFORE_RX.search(text, window, start) and _SHORT_AGE_SELF_AFTER_RX.match(text, end)) or (
                _SHORT_AGE_KIN_BEFORE_RX.search(text, window, start) and not _SHORT_AGE_KIN_NOT_AFTER_RX.match(text, end)) \
                or (_SHORT_AGE_PATIENT_BEFORE_RX.search(text, window, start) and _SHORT_AGE_PATIENT_AFTER_RX.match(text, end)):
            spans.append((start, end, "AGE", PLACEHOLDERS["AGE"]))
    return spans


_FOREIGN_SHORT_AGE_GATE_RX = re.compile(r"(?<![0-9])(?:9[0-9]|1[01][0-9])(?![0-9])")
_POLISH_LAT_AGE_RX = re.compile(r", lat\.?[ \t]+(9[0-9]|1[01][0-9])(?![0-9])")
_LATIN_SCRIPT_AGE_RX = re.compile(
    r"(?<![0-9.])(?P<a>9[0-9]|1[01][0-9])[ \t]*(?i:saal|sal|varsh|baras)\b"
    r"|(?i:\bmiaka)[ \t]+(?:(?P<b>9[0-9]|1[01][0-9])(?![0-9])|(?P<w>(?i:tisini|mia)(?:[ \t]+na[ \t]+[a-z]+)?)\b)")


# A name that signs a message off after a word of thanks or greeting in one of many languages, at a field's end:
# "Teşekkür ederim, Selin", "Děkuji, Hana", "Grazie per la risposta, Chiara", "Herzliche Grüsse, Monika",
# "Muchas gracias, Paloma", "Hvala, Tomislav", "Спасибо, Ольга". The phrase opens a sentence, a comma, dash or line
# break comes before the name, and the name's words are capitalised names or words no list knows.
_THANKS_STEMS = (r"thank|merci|gracias|grazie|danke|dank|bedankt|obrigad|děkuj|dekuj|díky|diky|dziękuj|dzięki|köszön"
                 r"|mulțumesc|mulţumesc|multumesc|tack|kiitos|takk|hvala|teşekkür|tesekkur|sağol|sagol|спасибо|дякую"
                 r"|благодар|ευχαριστώ|grüß|grüss|gruß|gruss|groet|saludo|cumprimento|abraço|abrazo|beijo|bisou|cordialement"
                 r"|salutation|salut[io]|pozdr|üdvözlet|hälsning|hilsen|terveisin|regards|shukran|asante|dhanyava|shukriya"
                 r"|mihi|cheers|blessings|s[ \t]+pozdravem|srdačan|lijep|cu[ \t]+stim|με[ \t]+εκτίμηση|с[ \t]+уважением"
                 r"|z[ \t]+poważaniem|atenciosamente|atentamente|saygılar|sevgiler|selamlar|mfg|lg|terima[ \t]+kasih|makasih"
                 r"|salamat|cảm[ \t]+ơn|cam[ \t]+on|mvh|sorry|apolog")
_END_SIGNOFF_RX = re.compile(
    rf"(?:^|(?<=[.!?\n;,)…]))[ \t]*(?:[^\W\d_]+[ \t]+){{0,2}}(?i:(?<![^\W\d_])(?:{_THANKS_STEMS}))[^\W\d_]*"
    r"(?:[ \t]+[^\W\d_'’]+){0,5}?[ \t]*(?:[,—–-]+[ \t]*\n?|[.!:]?[ \t]*\n|[.!][ \t]+)[ \t]*"
    r"(?P<n>[^\W\d_][^\W\d_'’-]*(?:[ \t]+[^\W\d_][^\W\d_'’-]*){0,2})[ \t]*[.!]?[ \t]*$")
# capitalised words that sign off but are no person ("Danke, Doktor", "Grüße, Familie", "Thanks, Team")
_END_SIGNOFF_NOT = frozenset("doktor doctor docteur dottore doutor doctora team ekip equipo equipe familie famille familia "
                             "family everyone all todos tutti alle tous you"
                             # a title: the title rules take the name after it ("Regards, Dr. Prasad")
                             " dr dr. mr mr. mrs mrs. ms ms. prof prof. sr sr. sra sra. dra dra. sister".split())


def _cached_kind(word: str, names: frozenset) -> str:
    kind = _KIND_CACHE.get(word)
    if kind is None:
        kind = _KIND_CACHE[word] = _prose_word_kind(word, names)
    return kind


# thanks, love or greetings "from" one or two names at a field's end: "Thanks so much from Thabo and Palesa", "THANK
# YOU SO MUCH. FROM SVETLANA", "Love from Grandma Rose" (the words must be names or words no list knows; a town alone
# is where the writer is: "Greetings from Leeds")
_THANKS_FROM_RX = re.compile(
    r"(?i:thank|thanks|love|regards|greetings|wishes|cheers|blessings|hugs)[^\n?]{0,30}?(?<![\w'’])(?i:from)[ \t]+"
    r"(?P<n>[^\W\d_][^\W\d_'’-]*(?:[ \t]+(?:and|&|AND)[ \t]+[^\W\d_][^\W\d_'’-]*)?)[ \t]*[.!]*[ \t]*(?=\x1e|$)")


def _thanks_from_names(text: str) -> list:
    tail = text[-80:].lower()
    if "from" not in tail:
        return []
    spans = []
    names = _GAZETTEER or _gazetteer()[0]
    if _FIRST_NAMES is None:
        _first_names()
    # (a field of its own: its last 120 characters; fields joined: each field's end)
    for m in _THANKS_FROM_RX.finditer(text, 0 if FIELD_SEPARATOR in text else max(0, len(text) - 120)):
        found, pos = [], m.start("n")
        for w in re.split(r"([ \t]+(?:and|&|AND)[ \t]+)", m.group("n")):
            if w.strip(" \t") not in ("and", "&", "AND"):
                key = _lower_key(w)
                if not (w[:1].isupper() and key not in _END_SIGNOFF_NOT and key not in _KIN_AS_NAMES
                        and _cached_kind(w.capitalize() if w.isupper() and len(w) > 1 else w, names) in _NAME_KINDS
                        and (key not in (_PLACES or _places()) or key in _FIRST_NAMES)):
                    break
                found.append((pos, pos + len(w), "NAME", PLACEHOLDERS["NAME"]))
            pos += len(w)
        else:
            spans += found
    return spans


def _end_signoff_names(text: str, starts: tuple) -> list:
    """`_END_SIGNOFF_RX` at the end of each field of `text` (the fields begin at `starts`)."""
    spans = []
    ends = [s - len(FIELD_SEPARATOR) for s in starts[1:]] + [len(text)]  # (each field's own end)
    for end in ends:
        tail_end = end
        while tail_end > 0 and text[tail_end - 1] in " \t\n.!":
            tail_end -= 1
        # the words after the last comma, dash or line break: at most three, the first capitalised (most texts end
        # with a sentence, which fails here)
        if tail_end == 0 or not text[tail_end - 1].isalpha():
            continue  # a field that ends in "?", ")" or a number ends with no name
        near = max(0, tail_end - 49)
        cut = max(text.rfind(",", near, tail_end), text.rfind("\n", near, tail_end), text.rfind("-", near, tail_end),
                  text.rfind("—", near, tail_end), text.rfind("–", near, tail_end), text.rfind(". ", near, tail_end) + 1)
        if cut < 0 or tail_end - cut > 48:
            continue
        if text[cut] == " " and _TITLE_OR_INITIAL_STOP_RX.search(text, max(0, cut - 8), cut):
            continue  # "Regards, Dr. Prasad", "S. Perera": a title's or an initial's full stop; the title rules' names
        tail = text[cut + 1:tail_end].split()
        if not tail or len(tail) > 3 or not all(w[:1].isupper() for w in tail):
            continue
        # the words must be able to be a name before the sign-off is looked for ("..., Take care. Thanks" is none)
        names = _GAZETTEER or _gazetteer()[0]
        if any(_lower_key(w) in _END_SIGNOFF_NOT for w in tail) or not all(
                _cached_kind(w.capitalize() if w.isupper() and len(w) > 1 else w, names) in _NAME_KINDS for w in tail):
            continue
        field_start = max(s for s in starts if s <= cut)
        m = _END_SIGNOFF_RX.search(text, max(field_start, cut - 64), end)
        if not m:
            continue
        words = m.group("n").split()
        if any(_lower_key(w) in _END_SIGNOFF_NOT for w in words) or not all(
                _cached_kind(w.capitalize() if w.isupper() and len(w) > 1 else w, names) in _NAME_KINDS for w in words):
            continue
        if len(words) == 1:
            # a town alone is where the writer is, unless it is a given name too ("Thanks, Leeds" / "Thanks, Florence")
            if _FIRST_NAMES is None:
                _first_names()
            key = _lower_key(words[0])
            if key in (_PLACES or _places()) and key not in _FIRST_NAMES:
                continue
        spans.append((m.start("n"), m.start("n") + len(m.group("n").rstrip()), "NAME", PLACEHOLDERS["NAME"]))
    return spans


# A name alone after the last sentence of a message, maybe with a phone number or e-mail after it: "... please don't
# charge twice. Esi", "Sick from 3 May to 7 May. Thabo Mokoena", "... Can we come tomorrow? Sami, 03 987 654",
# "...CALL ME. GARY PRICE", "Should I stop them?\n\nGrace\n07700 900123". Its words must be names or words no list
# knows (a given name that is a word too, "Grace", only on a line of its own or before a number or an e-mail).
_CONTACT_AT_END_RX = re.compile(r"(?:[ \t]*[,\n][ \t]*|[ \t]+)(?:\+?[0-9][0-9 ().-]{5,}[0-9]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)[ \t.]*$")
_LIST_HEAD_BEFORE_RX = re.compile(r"(?::[ \t]*|(?:^|\n)[ \t]*(?:[-—–*•·]|[0-9]+[.)])[^\n]*)\n?[ \t\n]*$")
_BARE_NAME_WORD_RX = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_SENTENCE_BEFORE_NAME_RX = re.compile(r"(?:[.!?][ \t]+|[.!?]?[ \t]*\n[ \t\n]*|[ \t]+[-—–][ \t]+)$")


# "hi its me again, Jordan.", "this is me, Ama Owusu": the writer's name after "it's me"
_ITS_ME_NAME_RX = re.compile(r"(?<![\w'’])(?i:it['’]?s|this[ \t]+is)[ \t]+(?i:me|only[ \t]+me)(?:[ \t]+(?i:again))?[ \t]*[,—–-][ \t]*"
                            r"(?P<n>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)(?=[ \t]*(?:[.,!\n(]|$))")
# a phone of eight digits in pairs or 3-2-3 after its word: "his number is 52 71 88 04", "tlf 912 34 567"
_PAIRED_DIGITS_RX = re.compile(r"(?<![\w.,/+-])(?:[0-9]{2}(?: [0-9]{2}){3}|[0-9]{3} [0-9]{2} [0-9]{3})(?![\w]|[ .,/-][0-9])")
_PHONE_WORD_BEFORE_RX = re.compile(r"(?<![A-Za-z])(?i:number|no\.?|tlf\.?|tel\.?|telefon|telefonnummer|mobil|mobile|phone|ring"
                                   r"|call|nr\.?|mob\.?|cell)[ \t:]*(?:(?i:is|er|är|ist|on|at)[ \t:]*)?$")


# titles of other languages, and English ones the title rules leave, before a surname or a full name: "mevrouw
# Peeters van de balie", "della signora Bianchi", "c'est M. Girard", "dokter Vermeulen", "bij dr. Bakker", "κ.
# Αντωνίου", "Sister Joy Williams", "pana Józefa Nowaka", "pani Stanisławy Kowalskiej"; the words after it must be
# names or words no list knows
_FOREIGN_TITLE_NAME_RX = re.compile(
    r"(?<![\w'’.])(?:(?i:mevrouw|meneer|mevr\.|dhr\.|signora|signor|signorina|sig\.(?:ra)?|dottoressa|dottor|dott\.|dokter"
    r"|doktor|doktora|señora|señor|senhora|senhor|sra\.|sr\.|frau|herr|madame|monsieur|mme"
    r"|mlle|κ\.|κα\.|κύριος|κυρία|κυρίου|κυρίας|sayın|hanım)|pan|pani|pana|panią|panu|panem|dr\.|M\.|Sister|Matron|Pastor"
    r"|Rev\.|Pak|Bapak|Ibu)[ \t]+"
    r"(?P<n>[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩΆ-Ώ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩΆ-Ώ][\w'’-]+){0,2})")
# (RE2 syntax: part of EXTRA_PREFILTER)
_FOREIGN_TITLE_GATE = (r"(?i:mevrouw|meneer|mevr\.|dhr\.|signora|signor|sig\.|dott|dokter|doktor|señor|senhor|sra\.|sr\."
                       r"|frau|herr|madame|monsieur|mme|mlle|κ\.|κα\.|κύρι|κυρί|sayın|hanım)[ \t]+[^ \t\n]"
                       r"|\bpan[a-zą]*[ \t]+[A-ZÀ-ÞĀ-Ž]|dr\.[ \t]+[A-ZÀ-Þ]|(?:^|[^A-Za-z.])M\.[ \t]+[A-ZÀ-Þ][a-zà-ÿ]"
                       r"|Sister[ \t]+[A-Z]|Matron|Pastor"
                       r"|Rev\.|\b(?:Pak|Bapak|Ibu)[ \t]+[A-Z]")
_LAST_DIGITS_GATE = r"(?i:\bending|last[ \t]+(?:four|4)|terminant|terminada|termina[ \t]+en)[^0-9\n]{0,40}[0-9]{4}"
# (and the labels of a patient, an account's holder or an insured person in more languages: "Mgonjwa: Juma Hamisi",
# "Kontoinhaber: Dieter Maaß", "Paciente: Marta Ezquerra", "ФИО: ...")
_MORE_FORM_LABELS = (r"patient|claimant|mgonjwa|jina|kontoinhaber|account[ \t]+holder|titular|intestatario|paziente|paciente|policyholder"
                     r"|insured|assicurato|versicherte[rn]?|soyad[ıi]|adı|jméno|příjmení|имя|фамилия|фио|ім['’]я|прізвище")
_FORM_NAME_GATE = (r"(?i:names?|surname|nom|pr[ée]nom|nombre|apellidos?|vorname|nachname|imię|nazwisko|navn|naam"
                   r"|voornaam|achternaam|cognome|member|emergency[ \t]+contact|" + _MORE_FORM_LABELS + r")[ \t]*(?::|=|-[ \t])")
# what `_east_european_spans` needs in ASCII text (RE2 syntax: part of EXTRA_PREFILTER)
_EAST_GATE = (r"[0-3]?[0-9]\.[ \t][01]?[0-9]\.[ \t](?:19|20)[0-9]{2}|(?:9[0-9]|1[01][0-9])[ \t]+(?:de[ \t]+ani|ani|jaar)"
              r"|(?:vek|wiek)[ \t:]+(?:9[0-9]|1[01][0-9])"
              r"|[A-Z][a-z]+[ \t]+[A-Z][a-z]+(?:ov|ova|ev|eva|enko|chuk|yuk|sky|skyi|ska|ski|cka|cki|vich|vna|yan|ian|shvili|dze"
              r"|ovic|ic|escu|eanu|zoda|zade|bekov|bayev|baeva)\b")
_DOTTED_ID_GATE = (r"C\.[ \t]?I\.|(?i:\bci|\bdni|documento|c[ée]dula|\brut|\brun|\bcpf|\brg|\bnif|\bnie)[^\n]{0,16}?"
                   r"[0-9]{1,3}\.[0-9]{3}")
_FOREIGN_TITLE_GATES = ("evrouw", "eneer", "evr.", "dhr.", "ignor", "ig.", "ott", "okt", "pan", "Pan", "eñor", "enhor",
                        "ra.", "r.", "rau", "err", "adame", "onsieur", "me ", "lle ", "κ.", "κα.", "ύρι", "υρί",
                        "ayın", "anım", "M. ", "Sister", "Matron", "Pastor", "Rev.", "Pak ", "Ibu ")
# ("Pan" in capitals is a brand's word as often as a Polish title: "Pan Parag", "Pan Am"; only "pan" in lower case)


# a name after a form's label and a colon, in capitals, lower case or with letters of any Latin script: "NAME :
# KRISHNAMURTHY S", "Name: PIOTR WIŚNIEWSKI / PESEL", "first name: aroha   surname: ngata", "Member: Grace Achieng.",
# "Patient surname Ó Súilleabháin," (the words must be names or words no list knows; it ends at a separator, a
# number, two spaces or the next label)
_FORM_NAME_RX = re.compile(
    r"(?:^|(?<=[\n/|;,(\x1e])|(?<=[ \t]))(?i:(?:full|first|given|last|family|middle|patient(?:['’]s)?|pt|child(?:['’]s)?"
    r"|mother(?:['’]s)?|father(?:['’]s)?|husband(?:['’]s)?|wife(?:['’]s)?|member|contact|sender)[ \t]+)?"
    r"(?i:names?|surname|nom|pr[ée]nom|nombre|apellidos?|vorname|nachname|imię|nazwisko|navn|naam|voornaam|achternaam"
    r"|cognome|member|emergency[ \t]+contact|" + _MORE_FORM_LABELS + r")[ \t]*(?::|=|-(?=[ \t]))[ \t]*"
    r"(?P<n>[^\W\d_][\w'’.-]*(?:[ ,][ ]?[^\W\d_][\w'’.-]*){0,3})")
_FORM_NAME_STOP = frozenset("""n/a na none nil not unknown my your his her the a an same as mr mrs ms dr
patient baby self see""".split())


def _form_label_names(text: str) -> list:
    spans = []
    names = None
    for m in _FORM_NAME_RX.finditer(text):
        names = names or _GAZETTEER or _gazetteer()[0]
        value = m.group("n")
        words = []
        for w in re.split(r"(?<=,)[ ]?|[ ]", value):
            key = w.rstrip(",.")
            if not key:
                break
            low = key.lower()
            if low in _FORM_NAME_STOP or low in _LABEL_LAST_WORDS_FORM or (
                    len(key) > 1 and _cached_kind(key.capitalize() if key.isupper() or key.islower() else key,
                                                  names) not in _NAME_KINDS and not (len(key) <= 2 and key.isupper())):
                break
            words.append(w)
            if w.endswith(".") and len(key) > 2:
                break
        if not words:
            continue
        pos = m.start("n")  # the end of the last word taken
        for w in words:
            pos = text.index(w, pos) + len(w)
        end = pos
        while end > m.start("n") and text[end - 1] in ",. ":
            end -= 1
        if end - m.start("n") >= 2:
            spans.append((m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]))
    return spans


# the words a form's value must not be (labels and their words: "Name: MRN 123", "name: date of birth")
_LABEL_LAST_WORDS_FORM = frozenset("mrn dob age sex date phone tel mobile email address pesel nhi passport id ipp".split())


# names written in lower case after the cues that name a person in any case: "me and kwabena", "siddharth and i",
# "i (tremaine) have", "me (tamsin) and my bf", "it's fenna again", "hi im tiago,", "thanks so much, olamide", "thanks
# doc, bless you. from chinonso" (a word a list holds as a given name; one no list knows only in brackets after "i")
# (one pattern per cue, each opening with its literal, so that the scan is a fast search; the end-of-message ones are
# tried on each field's last characters only)
_LOWER_CUE_NAME_RXS = (
    ("me and ", re.compile(r"(?<![\w'’])me[ \t]+(?:and|&)[ \t]+(?P<n>[a-z][a-z'’-]+)\b")),
    (" and i ", re.compile(r"(?<![\w'’])(?P<n>[a-z][a-z'’-]+)[ \t]+and[ \t]+i\b(?!['’])")),
    ("(", re.compile(r"(?<![\w'’])(?:i|me|myself)[ \t]*\([ \t]*(?P<n>[a-z][a-z'’-]+)[ \t]*\)")),
    (" again", re.compile(r"(?<![\w'’])it['’]?s[ \t]+(?P<n>[a-z][a-z'’-]+)[ \t]+again\b")),
    # (at a field's opening only)
    ("h", re.compile(r"[ \t\n]*h(?:i|ello|ey)[ \t,]+(?:im|i['’]m|i[ \t]+am|its|it['’]s|this[ \t]+is)[ \t]+(?P<n>[a-z][a-z'’-]+)"
                     r"(?=[ \t]*[,.!]|[ \t]+here\b)")),
)
_LOWER_END_NAME_RX = re.compile(
    r"(?:(?:thanks|thank[ \t]+you|thx|ty|cheers|regards|blessings)[^\n.?]{0,24}?,[ \t]*|(?:(?<=[.!])[ \t]+|^)from[ \t]+)"
    r"(?P<n>[a-z][a-z'’-]+)[ \t.!]*$")


# a name in lower case opening a sentence or a clause before "my" or "is my" and a relative: "noor my daughter has
# fever", "kiran is my wife", "ok, meena my sister has" (a word a list holds as a name; no greeting, month or day).
# Looked for at each "my"/"our" (found with str.find): the relative after it, then the name before it
_KIN_AFTER_MY_RX = re.compile(rf"(?:my|our)[ \t]+(?:[a-z0-9-]+[ \t]+){{0,3}}?{_RELATIONS}\b(?!['’])")  # (not "hope my
# son's rash clears": a possessive)
_NAME_BEFORE_MY_RX = re.compile(r"(?:^|(?<=[.!?\n])[ \t]*|(?<=,)[ \t]*)(?P<n>[a-z][a-z'’-]{1,})[ \t]*,?[ \t]+(?:is[ \t]+)?$")
_NOT_NAMES_BEFORE_KIN = frozenset("""salam salaam assalam hiya hello hey bhai bhaiya sir madam doc doctor namaste dear
milo""".split())


def _lower_names_before_kin(text: str) -> list:
    spans = []
    names = None
    for possessive in ("my ", "our "):
        p = text.find(possessive)
        while p >= 0:
            if p and text[p - 1] in " \t" and _KIN_AFTER_MY_RX.match(text, p):
                m = _NAME_BEFORE_MY_RX.search(text, max(0, p - 40), p)
                word = m.group("n") if m else None
                if word and word not in _NOT_NAMES_BEFORE_KIN and word not in _CALENDAR_NAMES:
                    names = names or _GAZETTEER or _gazetteer()[0]
                    if _cached_kind(word.capitalize(), names) in ("name", "wordname"):
                        spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
            p = text.find(possessive, p + 1)
    return spans


# a name in lower case after a title, in any case: "dr brown prescribed", "nurse baker said", "mr cook at the pharmacy",
# "mr. tanaka hiroyuki" (a word a list holds as a name; a second word too where a list holds it as a name and no word).
# Looked for at each title (found with str.find)
_LOWER_TITLES_ANY_CASE = ("dr", "doctor", "mr", "ms", "miss", "nurse", "prof", "physio")  # (looked for in lower case)
_LOWER_NAME_AFTER_TITLE_RX = re.compile(r"s?\.?[ \t]+(?P<n>[a-z][a-z'’-]{2,})(?![\w'’-])"
                                        r"(?=[ \t]+(?P<s>[a-z][a-z'’-]{2,})(?![\w'’-]))?")
# honorifics after a title, and the brands and characters named with one ("doctor sahab", "dr pepper", "mr muscle")
_NOT_LOWER_TITLED = frozenset("""sahab sahib saab saheb sab ji jee rang hung joins hub pepper martens dash oetker
kipling biggs muscle sheen bean whippy motivator sunshine brown's brown’s""".split())


def _lower_titled_names(text: str) -> list:
    spans = []
    names = None
    low = text.lower()  # (the same length: the titles' letters are ASCII, and "İ" is none of them)
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for title in _LOWER_TITLES_ANY_CASE:
        i = low.find(title)
        while i >= 0:
            j = i + len(title)
            m = None
            if (not i or not (text[i - 1].isalnum() or text[i - 1] in "_'’.")) and text[i + 1:j].islower():
                # (the title in lower case or capitalised: "dr", "Dr"; "mrs" is "mr" and an "s"; not "ms" in
                # "symptoms", "dr" in "address")
                m = _LOWER_NAME_AFTER_TITLE_RX.match(text, j)
                if m and m.group().startswith("s") and title != "mr":
                    m = None
            if m:
                word = m.group("n")
                names = names or _GAZETTEER or _gazetteer()[0]
                if word not in _NOT_LOWER_TITLED and _cached_kind(word.capitalize(), names) in ("name", "wordname"):
                    end = m.end("n")
                    second = m.group("s")
                    if second and second not in _NOT_LOWER_TITLED and _cached_kind(second.capitalize(), names) == "name":
                        end = m.end("s")
                    spans.append((m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]))
            i = low.find(title, j)
    return spans


def _lower_cue_names(text: str, starts: tuple = (0,)) -> list:
    """Names in lower case after the cues that name a person in any case: "me and kwabena", "siddharth and i", "i
    (tremaine) have", "it's fenna again", "hi im tiago,", "thanks so much, olamide", "... from chinonso" (a word a list
    holds as a given name; one no list knows only in brackets after "i")."""
    found = []
    for gate, rx in _LOWER_CUE_NAME_RXS:
        if gate == "h":
            found += [(m.start("n"), m.end("n"), rx) for m in (rx.match(text, s) for s in starts) if m]
            continue
        if gate == "(":
            if not ("i (" in text or "me (" in text or "myself (" in text):
                continue
        elif gate not in text and not (gate == "me and " and "me & " in text):
            continue
        found += [(m.start("n"), m.end("n"), rx) for m in rx.finditer(text)]
    ends = [s - len(FIELD_SEPARATOR) for s in starts[1:]] + [len(text)]  # (each field's own end)
    for field_start, end in zip(starts, ends):
        tail = end
        while tail > field_start and text[tail - 1] in " \t.!":
            tail -= 1
        last = text.rfind(" ", field_start, tail)
        if tail <= field_start or not text[last + 1:last + 2].islower():
            continue  # the name would be the field's last word, in lower case
        window = text[max(field_start, end - 60):end]
        if "," in window or "from " in window:
            m = _LOWER_END_NAME_RX.search(text, max(field_start, end - 60), end)
            if m:
                found.append((m.start("n"), m.end("n"), _LOWER_END_NAME_RX))
    spans = []
    names = None
    for start, stop, rx in found:
        word = text[start:stop]
        if rx is _LOWER_CUE_NAME_RXS[1][1] and _words_before(text, start)[0] in _LOWER_PLACE_BEFORE:
            continue  # "we went to bali and i got bali belly": a place
        names = names or _GAZETTEER or _gazetteer()[0]
        kind = _cached_kind(word.capitalize(), names)
        if kind == "name" or (kind == "unknown" and rx is _LOWER_CUE_NAME_RXS[2][1] and len(word) >= 4):
            spans.append((start, stop, "NAME", PLACEHOLDERS["NAME"]))
    return spans


# a sentence's first word in lower case, after a filler or none: "hey so marcus has been vomiting", "nadia has pain in
# her jaw", "ok dmitri drank too much" (a given name the lists hold that is no word, then a person's context)
# (the text's start is matched on its own: a pattern that opens with a character class is scanned for fast)
_LOWER_OPENING = (
    r"[ \t]*(?:(?:hey|hi|hello|so|ok|okay|well|and|um|basically|also|but)[ \t,]+){0,3}"
    r"(?P<n>[a-zà-öø-ÿāăąćčďđēėęěğīįıķļľłńņňōőœŕřśşšţťūůűųźżž][a-zà-öø-ÿāăąćčďđēėęěğīįıķļľłńņňōőœŕřśşšţťūůűųźżž'-]{2,})"
    r"(?=[ \t])")
_LOWER_OPENING_RX = re.compile(r"[.!?\n]" + _LOWER_OPENING)
_LOWER_OPENING_AT_START_RX = re.compile(_LOWER_OPENING)


# what follows such a name that a place, a brand or an app does too: "lincoln has a county hospital", "milo is my son's
# favourite", "victoria falls spray", "glen walks are tiring" (a condition or a pronoun after "has a" is a person's:
# "larissa has a lump in her breast", "isla has a sore on her lip")
_LOWER_OPENING_WEAK_RX = re.compile(r"[ \t]+(?:is[ \t]+(?![0-9]|[a-z]+ing\b)|(?:has|had|got|gets)[ \t]+(?:a|an)[ \t]"
                                    r"|(?:walks|falls|played|plays)\b)")
_LOWER_OPENING_STRONG_RX = re.compile(
    rf"[ \t]+(?:has|had|got|gets)[ \t]+(?:a|an)[ \t]+(?:(?:{_CONDITION_KIND}[ \t]+){{0,2}}(?:{_CONDITIONS})\b"
    r"|(?:[a-z'-]+[ \t]+){1,5}(?:her|his)\b)")


def _lower_opening_names(text: str, starts: tuple) -> list:
    """A known given name in lower case opening a sentence before what a person does (`_LOWER_OPENING_RX`); not a
    word, a place, a chat word or a thing named like a person, and not before what a thing does too."""
    spans = []
    first = _LOWER_OPENING_AT_START_RX.match(text)
    for m in ([first] if first else []) + list(_LOWER_OPENING_RX.finditer(text)):
        word = m.group("n")
        if word in _LOWER_NOT_NAMES or word in _CHAT_WORDS or word not in (_FIRST_NAMES or _first_names()):
            continue
        if _cached_kind(word.capitalize(), _GAZETTEER or _gazetteer()[0]) != "name" or word in _places():
            continue  # a word too ("will", "rose", "grace"), a surname only, a place ("lincoln")
        if _THINGS is None:
            _things()
        end = m.end("n")
        if word in _THINGS_NAMED_LIKE_PEOPLE or not _person_after(text, end):
            continue
        if _LOWER_OPENING_WEAK_RX.match(text, end) and not _LOWER_OPENING_STRONG_RX.match(text, end):
            continue
        spans.append((m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]))
    return spans


_LOWER_PLACE_BEFORE = frozenset("to in at from into near of on visited visit via through".split())


# Eastern European forms: dates with Russian and Ukrainian months ("20 декабря 2026", "1 ноября"), Czech and Slovak
# dates with spaces ("3. 12. 2026"), Cyrillic streets ("ул. Ленина, д. 45, кв. 12", "вул. Хрещатик 22, кв. 5"), ages
# ("мені 90 років", "ей 97", "93 de ani", "věk 95", "בת 94"), and a full name whose surname has a Slavic, Caucasian or
# Central Asian ending ("Светлана Орлова", "Ковальчук Іван", "Nurlan Abenov", "Jana Dvořáková")
_CY_MONTHS = ("января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
              "|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня")
_EAST_DATE_RX = re.compile(
    rf"(?<![0-9])[0-3]?[0-9][ \t]+(?:{_CY_MONTHS})(?:[ \t]+(?:19|20)[0-9]{{2}}(?:[ \t]*(?:г\.|року|года))?)?(?![\w])"
    r"|(?<![0-9.])[0-3]?[0-9]\.[ \t][01]?[0-9]\.[ \t](?:19|20)[0-9]{2}(?![0-9])")
_CY_STREET_RX = re.compile(
    r"(?<![\w])(?:ул|вул|пр|просп|пер|бул|пл|ш|наб|мкр)\.[ \t]*[А-ЯЁІЇЄҐ][\w'’.-]*(?:[ \t]+[А-ЯЁІЇЄҐ][\w'’.-]*)?"
    r"(?:,?[ \t]*(?:д\.|буд\.)?[ \t]*[0-9]+[\w/-]*)(?:,?[ \t]*(?:кв|корп|стр|к)\.[ \t]*[0-9]+[\w/-]*)*")
_EAST_AGE_RX = re.compile(
    r"(?<![0-9])(9[0-9]|1[01][0-9])[ \t]+(?:років|роки|рік|de[ \t]+ani|ani|éves|yaşında|jaar)(?![\w])"
    r"|(?<![\w])(?:мені|мне|ей|ему|їй|йому|věk|vek|wiek|возраст|вік|בת|בן)[ \t:]+(9[0-9]|1[01][0-9])(?![0-9])")
_SLAVIC_SURNAME = (r"(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|енко|ук|юк|чук|ський|ська|ский|ская|цький|цька|цкий|цкая|ич|вич"
                   r"|ян|швили|дзе|ли|ев|зода|заде)")
_CY_FULL_NAME_RX = re.compile(
    rf"(?<![\w])(?P<n>(?:[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+{_SLAVIC_SURNAME}[ \t]+[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+"
    rf"|[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+[ \t]+[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+{_SLAVIC_SURNAME})(?:[ \t]+[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:вич|вна|ич|ична))?)"
    r"(?![\w])")
_LATIN_EAST_FULL_NAME_RX = re.compile(
    r"(?<![\w'’])(?P<n>[A-Z][a-zà-ž]+[ \t]+[A-Z][a-zà-ž]+(?:ov|ova|ev|eva|enko|chuk|yuk|sky|skyi|ska|ski|cka|cki|vich|vna"
    r"|yan|ian|shvili|dze|ová|ský|ská|ović|ovic|ić|escu|eanu|zoda|zade|bekov|bayev|baeva))(?![\w])")


def _east_european_spans(text: str) -> list:
    spans = []
    cyr = _CYRILLIC_GATE_RX.search(text) is not None
    if cyr:
        spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _EAST_DATE_RX.finditer(text)]
        spans += [(m.start(), m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]) for m in _CY_STREET_RX.finditer(text)]
        spans += [(m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]) for m in _CY_FULL_NAME_RX.finditer(text)]
    elif ". " in text and "." in text[text.find(". ") + 2:]:
        spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _EAST_DATE_RX.finditer(text)]
    spans += [(m.start(m.lastindex), m.end(m.lastindex), "AGE", PLACEHOLDERS["AGE"]) for m in _EAST_AGE_RX.finditer(text)]
    names = None
    for m in _LATIN_EAST_FULL_NAME_RX.finditer(text):
        names = names or _GAZETTEER or _gazetteer()[0]
        first, last = m.group("n").split()
        if _cached_kind(first, names) not in ("name", "unknown") or _cached_kind(last, names) not in ("name", "unknown") \
                or _INSTITUTION_AFTER_RX.match(text, m.end("n")) or _words_before(text, m.start("n"))[0] in _EAST_INSTITUTION_BEFORE:
            continue  # "Molson Canadian", "Centrum Zdrowia Dziecka", "Taras Shevchenko National University"
        spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    return spans


_CYRILLIC_GATE_RX = re.compile(r"[\u0400-\u04ff]")
_EAST_INSTITUTION_BEFORE = frozenset("""centrum centre center szpital klinika clinic hospital instytut institute university
universitet uniwersytet univerzita nemocnice spital saint st sv svatý""".split())
_INSTITUTION_AFTER_RX = re.compile(r"(?:[ \t]+[A-Z][\w'’-]*){0,2}?[ \t]+(?:University|Institute|Hospital|Clinic|Centre|Center"
                                   r"|Church|School|College|Foundation|Museum|Street|Avenue|Park|Airport|Station|Prize|Award"
                                   r"|Fund|Trust|Society|Academy|Medical)\b")


def _foreign_title_names(text: str) -> list:
    spans = []
    names = None
    for m in _FOREIGN_TITLE_NAME_RX.finditer(text):
        names = names or _GAZETTEER or _gazetteer()[0]
        words = m.group("n").split()
        while words and not (_cached_kind(words[-1], names) in _NAME_KINDS
                             and _lower_key(words[-1]) not in _END_SIGNOFF_NOT):
            words.pop()  # "Dr. Bakker Kunt": the name ends before a word
        if not words or not all(_cached_kind(w, names) in _NAME_KINDS and _lower_key(w) not in _END_SIGNOFF_NOT
                                for w in words):
            continue
        start = m.start("n")
        spans.append((start, start + len(" ".join(words)) if len(words) == len(m.group("n").split())
                      else text.index(words[-1], start) + len(words[-1]), "NAME", PLACEHOLDERS["NAME"]))
    return spans


def _its_me_and_paired_phones(text: str, shapes: bool) -> list:
    spans = []
    if "s me" in text or "S ME" in text or "s Me" in text:
        names = None
        for m in _ITS_ME_NAME_RX.finditer(text):
            names = names or _GAZETTEER or _gazetteer()[0]
            words = m.group("n").split()
            if all(_cached_kind(w, names) in _NAME_KINDS for w in words) and not any(
                    _lower_key(w) in _END_SIGNOFF_NOT for w in words):
                spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    if shapes:  # (GROUPED_PHONE_PREFILTER, part of SHAPE_PREFILTER, matches every such number)
        for m in _PAIRED_DIGITS_RX.finditer(text):
            if _PHONE_WORD_BEFORE_RX.search(text, max(0, m.start() - 24), m.start()) and \
                    not _GROUPED_NOT_AFTER_RX.match(text, m.end()):
                spans.append((m.start(), m.end(), "PHONE", PLACEHOLDERS["PHONE"]))
    return spans


_CLOSING_WORDS = frozenset("""regards care thanks thank health helps help you cheers bye wishes sincerely faithfully
truly best luck soon appreciated doc doctor sir madam team everyone all god bless amen please asap urgent""".split())


def _bare_end_names(text: str, starts: tuple) -> list:
    spans = []
    ends = [s - len(FIELD_SEPARATOR) for s in starts[1:]] + [len(text)]  # (each field's own end)
    names = None
    for field_start, end in zip(starts, ends):
        tail_end = end
        while tail_end > field_start and text[tail_end - 1] in " \t\n.!":
            tail_end -= 1
        if tail_end <= field_start:
            continue
        contact = False
        last_char = text[tail_end - 1]
        if last_char.isalpha():
            last = max(text.rfind(" ", field_start, tail_end), text.rfind("\n", field_start, tail_end))
            if not text[last + 1:last + 2].isupper() and "@" not in text[last + 1:tail_end]:
                continue  # most fields end with a sentence whose last word is in lower case ("... take care")
            if text[last + 1:tail_end].lower() in _CLOSING_WORDS:
                continue  # "... Regards", "Take Care", "Thanks" (words no name is)
        elif not last_char.isdigit():
            continue
        if last_char.isdigit() or "@" in text[max(field_start, tail_end - 40):tail_end]:
            m = _CONTACT_AT_END_RX.search(text, max(field_start, tail_end - 60), tail_end)
            if m is None:
                continue
            contact = True
            tail_end = m.start()
            while tail_end > field_start and text[tail_end - 1] in " \t,":
                tail_end -= 1
        if tail_end <= field_start or not text[tail_end - 1].isalpha():
            continue
        last = max(text.rfind(" ", field_start, tail_end), text.rfind("\n", field_start, tail_end))
        if not text[last + 1:last + 2].isupper():
            continue  # most fields end with a sentence whose last word is in lower case ("... take care")
        near = max(field_start, tail_end - 40)
        cut = max(text.rfind(". ", near, tail_end), text.rfind("? ", near, tail_end), text.rfind("! ", near, tail_end),
                  text.rfind("\n", near, tail_end), text.rfind(" - ", near, tail_end), text.rfind(" — ", near, tail_end),
                  text.rfind(" – ", near, tail_end), text.rfind(".\t", near, tail_end))
        if cut < 0:
            continue
        words = text[cut + 1:tail_end].split()
        if not words or len(words) > 4 or not (words[0][:1].isupper() or words[0] in ("-", "—", "–", "*", "•", "·")):
            continue  # (most fields end with a sentence)
        if text.count(" ", field_start, cut) < 3 or not _SENTENCE_BEFORE_NAME_RX.search(
                text, max(field_start, cut - 8), cut + 1 + (text[cut] != "\n")):
            continue
        if text[cut] == "." and _TITLE_OR_INITIAL_STOP_RX.search(text, max(0, cut - 8), cut + 1):
            continue  # "Regards, Dr. Prasad": the title rules' name
        if text[cut] == "\n" and (words[:1] and words[0] in ("-", "—", "–", "*", "•", "·")
                                  or _LIST_HEAD_BEFORE_RX.search(text, max(field_start, cut - 80), cut)):
            continue  # the last item of a list ("Medicines I take:\nQuvaril", "- Crocin\n- Quvaril")
        if words and words[0] in ("-", "—", "–"):
            words = words[1:]
        if not words or len(words) > 3 or not all(w[:1].isupper() and _BARE_NAME_WORD_RX.fullmatch(w) for w in words):
            continue
        names = names or _GAZETTEER or _gazetteer()[0]
        kinds = [_cached_kind(w.capitalize() if w.isupper() and len(w) > 1 else w, names) for w in words]
        if any(_lower_key(w) in _END_SIGNOFF_NOT for w in words) or not all(k in _NAME_KINDS for k in kinds):
            continue
        own_line = text[cut] == "\n"
        if all(k == "wordname" for k in kinds) and not (contact or own_line):
            continue  # "... no more pain. Grace" / "Faith" at a sentence's end: a word
        if any(w.isupper() and len(w) > 1 and k != "name" for w, k in zip(words, kinds)) and len(words) < 2:
            continue  # "... is it normal? HELP", "Plan: RUTF": an acronym
        start = text.index(words[0], cut)
        spans.append((start, tail_end, "NAME", PLACEHOLDERS["NAME"]))
    return spans


# a writer who introduces themselves at a field's start, after a greeting, in another language or in English with one
# capitalised word: "Bonjour, c'est Yannick.", "Ciao, sono Marco.", "Hallo, ich bin Lukas aus Basel", "hi its Ana,"
_OPENING_SELF_RX = re.compile(
    r"[ \t]*(?:(?i:hi+|hello|hey|hallo|hola|ola|olá|oi|ciao|salve|bonjour|bonsoir|salut|merhaba|selam|hej|hoi|moin"
    r"|servus|grüezi|dzień[ \t]+dobry|dobry[ \t]+den|dobrý[ \t]+den|buongiorno|buonasera|buenas(?:[ \t]+(?:tardes|noches))?"
    r"|halo|dok|dokta|jambo|mambo|shikamoo"
    r"|buenos[ \t]+días|bom[ \t]+dia|boa[ \t]+tarde|boa[ \t]+noite|guten[ \t]+(?:tag|morgen|abend)|goedemorgen|goedemiddag"
    r"|goedenavond|god[ \t]+dag|kia[ \t]+ora|namaste|salam|asalam|assalamu[ \t]+alaikum|habari|hei|moi|tere|ahoj"
    r"|god[ \t]+morgen|godmorgen|goddag|caro|cara|gentile|allô|allo|alô|estimad[oa]|querid[oa]"
    r"|selamat[ \t]+(?:pagi|siang|sore|malam|petang))[ \t]*[,!.]*"
    # a word of address after the greeting: "Merhaba doktor, ben ...", "Salam docteur, je suis ...", "ola doutor sou a ..."
    r"(?:[ \t]+(?i:doctor|doktor|docteur|doutor|doutora|dottore|dottoressa|doctora|doc|dr|sir|madam|ji|sahab|daktari|hocam)"
    r"(?:[ \t]+(?i:bey|hanım|hanim|sahib|saheb|sahab|ji))?)?"
    r"[ \t]*[,!.]*[ \t]+)?"
    r"(?i:c['’]est|ici|sono|soy|sou|ich[ \t]+bin|hier[ \t]+ist|ik[ \t]+ben|jestem|je[ \t]+suis|ben|jsem|i[ \t]+am|i['’]?m"
    r"|this[ \t]+is|it['’]?s|it[ \t]+is|main|mein|jeg[ \t]+er|jag[ \t]+är|eg[ \t]+er|olen|minä[ \t]+olen|aqui[ \t]+é|aqui[ \t]+fala"
    r"|sou[ \t]+eu|saya|aku|ako[ \t]+(?:po[ \t]+)?si|dito[ \t]+si|ni|mimi[ \t]+ni|naitwa|jina[ \t]+langu[ \t]+ni|é)[ \t]+"
    r"(?:(?i:a|o|la|el|le)[ \t]+)?"
    r"(?P<n>[^\W\d_](?:[^\W\d_'’]|-(?=[^\W\d_]))+(?:[ \t]+[^\W\d_](?:[^\W\d_'’]|-(?=[^\W\d_]))+){0,2})"
    r"(?=[ \t]*(?:[,.!;(]|\n|$)|[ \t]+(?i:aus|de|da|from|di|z|uit|van|from|again|here|hoon|hun|hu|hai)\b)")


_MYNAME_INTL_RX = re.compile(
    r"(?<![\w])(?i:jmenuji[ \t]+se|jmenuju[ \t]+se|volám[ \t]+sa|nama[ \t]+saya|nama[ \t]+aku|me[ \t]+chamo|mă[ \t]+numesc"
    r"|ma[ \t]+numesc|mitt[ \t]+namn[ \t]+är|mit[ \t]+navn[ \t]+er|mitt[ \t]+navn[ \t]+er|nimeni[ \t]+on|ime[ \t]+mi[ \t]+je"
    r"|zovem[ \t]+se|a[ \t]+nevem|pangalan[ \t]+ko[ \t]+(?:ay|ay[ \t]+si)?|ang[ \t]+pangalan[ \t]+ko[ \t]+ay|tên[ \t]+tôi[ \t]+là"
    r"|tôi[ \t]+tên[ \t]+là|tôi[ \t]+là|em[ \t]+tên[ \t]+là|nevem|mera[ \t]+naam|mera[ \t]+nam|meraa[ \t]+naam"
    # Swahili, and Arabic written in Latin letters: "naitwa Baraka Mwakyusa", "jina langu ni Rehema", "smiti Salma"
    r"|naitwa|ninaitwa|jina[ \t]+langu[ \t]+ni|ismi|esmi|esmy|ismy|smiti|smiya[ \t]+dyali)[ \t]*:?[ \t]+"
    r"(?P<n>[^\W\d_][^\W\d_'’-]+(?:[ \t]+[^\W\d_][^\W\d_'’-]+){0,2})")
_MYNAME_INTL_GATES = ("menuj", "olám", "ama saya", "ama aku", "chamo", "numesc", "namn", "navn", "imeni", "me mi je",
                      "ovem se", "nevem", "angalan", "tên", "ôi là", "era naam", "era nam", "eraa naam", "aitwa",
                      "angu ni", "smi", "smy", "smiti", "miya dyali")


def _myname_intl_names(text: str) -> list:
    spans = []
    for m in _MYNAME_INTL_RX.finditer(text):
        end = m.start("n")
        for w in _WORD_AT_RX.finditer(text, m.start("n"), m.end("n")):
            word = w.group()
            # capitalised words only; a lower-case one ends the name ("Jmenuji se Petra a je mi 36")
            if not word[:1].isupper() or _lower_key(word) in _CALENDAR_NAMES:
                break
            end = w.end()
        if end > m.start("n"):
            spans.append((m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]))
    return spans


# a message that opens with the writer's name and "here" or where they write from: "Hey Dr, Jordan here — my watch",
# "Grace from Port of Spain here, is it safe", "Hello, Nomvula from Durban. My son is 13"
_OPENING_HERE_RX = re.compile(
    r"[ \t]*(?:(?i:hi+|hello|hey|hiya|good[ \t]+(?:morning|afternoon|evening))[ \t]*[,!.]*[ \t]*"
    r"(?:(?i:dr|doctor|doc|sir|madam)\.?[ \t]*[,!.]*[ \t]*)?)?"
    r"(?P<n>[A-Z][a-z]+)(?P<s>[ \t]+[A-Z][a-z]+)?"
    r"(?:[ \t]+here\b|(?P<f>[ \t]+from[ \t]+[A-Z][\w'’-]+(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’-]+){0,3})"
    r"(?P<h>[ \t]+here\b)?[ \t]*[,.!—–-])")
_NOT_OPENING_NAMES = frozenset("greetings regards love hello news doctor nurse someone everyone patient mother father "
                               "sister brother son daughter wife husband parent parents family team".split())


def _opening_here_names(text: str, starts: tuple) -> list:
    spans = []
    if " here" not in text and " from " not in text:
        return spans
    for start in starts:
        if text.find(" here", start, start + 100) < 0 and text.find(" from ", start, start + 100) < 0:
            continue  # (what the pattern needs near the field's opening)
        m = _OPENING_HERE_RX.match(text, start)
        if not m:
            continue
        if _FIRST_NAMES is None:
            _first_names()
        if _VOCABULARY is None:
            _gazetteer()
        key = _lower_key(m.group("n"))
        if key in _CALENDAR_NAMES or key in _FESTIVALS or key in _KIN_AS_NAMES or key in _NOT_OPENING_NAMES \
                or m.group("n") in _PROSE_NOT_NAMES or key in _FAITHS_AND_PEOPLES:
            continue
        known = key in _FIRST_NAMES
        unknown = key not in _VOCABULARY and key not in (_PLACES or _places())
        if not (unknown or (known and (m.group("f") or key not in _VOCABULARY))):
            continue
        if m.group("f") and not (known or m.group("h") or m.start("n") > start + 1):
            continue  # "Nurofen Zavance from Boots Ireland, ...": a product, where no greeting or "here" says more
        if m.group("s") and _lower_key(m.group("s").strip()) in _VOCABULARY:
            continue  # "Grace Church here": a word after it
        spans.append(_name_and_surname(m))
    return spans


def _opening_intro_names(text: str, starts: tuple) -> list:
    spans = []
    for start in starts:
        m = _OPENING_SELF_RX.match(text, start)
        if not m:
            continue
        words = m.group("n").split()
        names = _GAZETTEER or _gazetteer()[0]
        if _FIRST_NAMES is None:
            _first_names()
        end = m.start("n")
        for i, word in enumerate(words):
            parts = word.split("-")  # "Marc-André"
            if not all(part[:1].isupper() and part[1:].islower() for part in parts):
                break
            key = _lower_key(parts[0])
            if key in _CALENDAR_NAMES or key in _FESTIVALS or word in _PROSE_NOT_NAMES or key in _END_SIGNOFF_NOT \
                    or key in _FAITHS_AND_PEOPLES:
                break
            kind = _prose_word_kind(parts[0], names)
            # the given name a known first name or no word; a surname after it any name or no word
            if not (kind in _NAME_KINDS and (i or key not in (_PLACES or _places())) or key in _FIRST_NAMES):
                break
            end = text.index(word, end) + len(word)
        if end > m.start("n"):
            spans.append((m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]))
    return spans


# ---- codes no label names ------------------------------------------------------------------------------------
# In patient text a reference, booking, claim, file or card number often comes with a label the cue rules do not
# know ("Prior auth #PA-55102993", "my appointment reference is APT-88120", "NICU file 3345-NB", "住院号: ZY20240315")
# or with none. A token of capitals, digits, "-" and "/" with five digits or more (three of them in a row) is such a
# code, unless it is a shape of something else: a range, ratio or dose ("135-145", "875/125", "50/200/25"), a unit
# after it ("100000/CUMM", "50000IU"), a year range, a trial registration, or a label before it that names a code
# of a product or a terminology (lot, batch, NDC, LOINC, SNOMED, expiry ...). Lower-case letters make it no code
# ("100000/cumm", "rs1801133", "ben.carter84"). Only in the patient scope.
_CODE_RUN_RX = re.compile(r"[0-9]{3}")
# what every such token holds (each case of where its run of three stands): five digits in a row; the run beside a
# capital; three groups of digits; a capital, a group and the run, or the run, a group and a capital ("AB-12-345").
# A blood pressure ("143/81") holds none of them. In a batch RE2 looks for it over all texts at once
# (CODE_PREFILTER); alone, Python's re does.
CODE_PREFILTER = (r"[0-9]{5}|[0-9]{3}[-/]?[A-Z]|[A-Z][-/]?[0-9]{3}|[0-9][-/][0-9]+[-/][0-9]"
                  r"|[A-Z][-/]?[0-9]+[-/][0-9]{3}|[0-9]{3}[-/][0-9]+[-/]?[A-Z]")
_CODE_GATE_RX = re.compile(CODE_PREFILTER)
_CODE_NOT_AFTER_LABEL_RX = re.compile(
    r"(?<![A-Za-z])(?:REF|PL|PLGB|PLPI|DIN|NPN|(?i:lot|lote|lotto|charge|ch\.-b|partij|batch|ndc|loinc|snomed(?:[ \t]+ct)?|exp|expiry|expires|cat"
    r"|catalogue|catalog|model|(?:catalog(?:ue)?|product|item|article|device|order|rec|irb|ethics|protocol|approval|study)"
    r"[ \t]+ref|icd(?:-?1[01])?"
    r"|cpt|atc|gtin|upc|ean|barcode|version|ver|isbn|issn|pmid|pmcid|doi|nct|eudract|accession|genbank|hgvs|iso|en"
    r"|product|pzn|cip|sku|item|article|art|docket|fr|cfr|section|page|pp?))"
    r"\.?[ \t]*(?i:no\.?|nº|n°|n\.º|nr\.?|núm\.?|number|numéro|número|numero|code|#|:)?[ \t]*[:#]?[ \t]*$")
# obstetric notation: gravida and para ("G3P2012", "G2P1")
_GRAVIDA_PARA_RX = re.compile(r"G[0-9]{1,2}P[0-9]{1,4}(?:A[0-9]{1,2})?")
_CODE_UNIT_AFTER_RX = re.compile(r"[ \t]*(?:copies|cells|cfu|units?|iu|IU|x|×|mg|mcg|µg|ml|mL|g|kg|mmol|per|%|/)")
_CODE_MONEY_BEFORE_RX = re.compile(r"(?:[$£€₹¥₦₱]|(?i:rs|inr|usd|eur|gbp|ngn|kes|php|rm|aed|sar)\.?)[ \t]*$")
_CODE_UNIT_END_RX = re.compile(r"(?:IU|MG|MCG|ML|KG|MMHG|MM|CM|HZ|KCAL|MOSM|[0-9]U)$")
# ratios and doses ("875/125", "50/200/25"), ranges ("135-145", "90-120"), year ranges; not "2023-11-0456"
_CODE_SHAPE_NOT_RX = re.compile(r"[0-9]{1,4}(?:/[0-9]{1,4})+|[0-9]{1,4}-[0-9]{1,4}|(?:19|20)[0-9]{2}[-/](?:19|20)?[0-9]{2}")


# ---- phones in groups no other shape knows ---------------------------------------------------------------------
# "138 0013 8000", "09 377 4120", "963 45 21 87", "089 / 21 44 78 90", "00 44 20 7946 0321", "0033 6 12 34 56 78":
# in patient text three groups of digits or more, each of at most five, nine to fifteen digits in all, separated by
# spaces, a dash, a dot or a slash, are a phone number, unless a unit follows (a series of doses or readings), a
# label of a product or a publication comes before, dots and spaces mix (a list of decimals: "9.8 10.2 11.5"),
# another group of digits follows that the shape cannot take (part of a longer number), or a token of capitals and
# digits comes right before (the digits of a longer code).
_GROUPED_PHONE_RX = re.compile(r"(?<![\w.,/+:-])(\+?[0-9]{1,5}(?:(?:[ \t]{1,2}|[-.]|[ \t]?/[ \t]?)[0-9]{1,5}){2,9})"
                               r"(?![0-9]|[.,:/-][0-9]|\w|[ \t]{1,2}/?[ \t]?[0-9])")
GROUPED_PHONE_PREFILTER = r"[0-9](?:(?:[ \t]{1,2}|[-.]|[ \t]?/[ \t]?)[0-9]{1,5}){2}"
_GROUPED_PHONE_GATE_RX = re.compile(GROUPED_PHONE_PREFILTER)
_GROUPED_NOT_AFTER_RX = re.compile(r"[ \t]*(?:mg|mcg|ml|mL|g|kg|%|mmol|mm|cm|units?|iu|IU|cells|copies|hrs?|min"
                                   r"|days?|weeks?|years?|am|pm|AM|PM|bpm|mmHg)\b")


# a token of capitals and digits mixed, and maybe one more of capitals or digits, right before
_CODE_PART_BEFORE_RX = re.compile(r"(?<![\w])[A-Z0-9]*(?:[A-Z][0-9]|[0-9][A-Z])[A-Z0-9]*[ \t]+(?:[A-Z0-9]{2,}[ \t]+)?$")


def _grouped_phones(text: str, gate: bool | None = None) -> list:
    """The phones written in groups (see above). `gate`: whether a prefilter that holds GROUPED_PHONE_PREFILTER
    (SHAPE_PREFILTER in a batch) matches the text, None where it is not known yet."""
    if gate is False or (gate is None and not _GROUPED_PHONE_GATE_RX.search(text)):
        return []
    spans = []
    for m in _GROUPED_PHONE_RX.finditer(text):
        value = m.group(1)
        groups = [g for g in re.split(r"[^0-9]+", value) if g]
        if len(groups) < 3 or not 9 <= sum(map(len, groups)) <= 15 or ("." in value and " " in value):
            continue
        if _GROUPED_NOT_AFTER_RX.match(text, m.end()) or \
                _CODE_NOT_AFTER_LABEL_RX.search(text, max(0, m.start() - 24), m.start()):
            continue  # a series of readings, a publication's or a product's number ("product code 0093-3147-01")
        if _CODE_PART_BEFORE_RX.search(text, max(0, m.start() - 24), m.start()):
            continue  # the digits of a longer code in capitals ("GB12 ABCD 1234 5678 9012 34"): not a phone
        spans.append((m.start(1), m.end(1), "PHONE", PLACEHOLDERS["PHONE"]))
    return spans


def _code_char(c: str) -> bool:
    return c.isascii() and c.isalnum()


# a number after a label no other rule knows, with "no.", "number", "#" or "nº" ("Bill no. 44128", "ticket no 55120",
# "order #55123", "SGK provizyon no 1234567", "Renal unit no. RU-0019"), or after a word for a staff member or a
# member ("employee 74412", "nº de funcionário 40912"): the person's code, unless the label names something else
# (a product's lot or batch, a room, a page, a dose; a phone or an address, which other rules take)
_NUMBERED_CODE_RX = re.compile(
    r"(?<![\w'’])(?:(?P<l>[^\W\d_][^\W\d_'’-]*)\.?[ \t]+(?:(?i:no|nr|n°|nº|num|number|numero|número|nummer|numer)\.?"
    r"|#)|(?i:employee|emp|staff|student|roll|badge|worker|funcion[aá]rio|empleado|matricule|personnel)"
    r"(?:[ \t]+(?i:id|no\.?|number|#))?)[ \t]*[:#]?[ \t]*"
    r"(?P<v>(?:[A-Z]{1,4}[ \t]?-?)?[0-9](?:[0-9]|-(?=[0-9A-Z])){3,14}(?:-?[A-Z0-9]{1,4})?)(?![\w@]|[.,/-][0-9A-Za-z])")
# (where the pattern is looked for, held by SHAPE_PREFILTER: "no." and its kin or "#", or a staff word, and four
# digits in a row soon after)
_NUMBERED_CODE_GATE = r"(?i:n[oº°r]\.?|num|#|mploy|emp|staff|student|roll|badge|worker|funcion|matric|personnel)[^\n]{0,8}[0-9]{4}"
_NUMBERED_CODE_GATE_RX = re.compile(_NUMBERED_CODE_GATE)
_NOT_CODE_LABELS = frozenset("""lot batch room bed ward page pages table figure fig model version item part cat catalogue catalog
ndc size step phase dose protocol study trial form guideline annex section article docket house flat apt apartment plot door
building block road street st avenue ave lane sector gate platform bus route train seat box counter window cabin bay floor
level chapter volume vol issue edition regulation rule act law year cycle session visit week day month vial pack tablet
tablets capsule capsules strip grade stage type class exit highway channel option question slide phone telephone tel mobile
mob cell contact fax whatsapp landline pin otp zip postal postcode pincode code my your his her our their the a an this that
same new old which what any is was and or to of in on at with for by from yes say said reply answer there have has had not
no lote lotto lotti lotes charge chargen partij partida série serie quarto habitación chambre zimmer stanza
kamer
accession genbank isbn issn pmid pmcid doi nct eudract ctri isrctn cas ec atc icd snomed loinc rxnorm cpt hcpcs
uniprot pdb clone fda ema mhra cdsco nafdac anvisa tga hsa pmda nmpa sfda product drug device medicine""".split())


def _numbered_codes(text: str) -> list:
    spans = []
    for m in _NUMBERED_CODE_RX.finditer(text):
        label = m.group("l")
        if label is not None and label.lower() in _NOT_CODE_LABELS:
            continue
        value = m.group("v")
        if sum(c.isdigit() for c in value) < 4 or _CODE_UNIT_AFTER_RX.match(text, m.end("v")) or \
                _CODE_MONEY_BEFORE_RX.search(text, max(0, m.start("v") - 6), m.start("v")) or \
                _CODE_SHAPE_NOT_RX.fullmatch(value):
            continue
        spans.append((m.start("v"), m.end("v"), "ID", PLACEHOLDERS["ID"]))
    return spans


def _unlabelled_codes(text: str, gate: bool | None = None) -> list:
    """The codes no label names (see above): each run of three digits grown to its token. `gate`: whether a
    prefilter that holds CODE_PREFILTER (SHAPE_PREFILTER in a batch) matches the text, None where it is not known yet."""
    if gate is False or (gate is None and not _CODE_GATE_RX.search(text)):
        return []
    spans: list = []
    n = len(text)
    end = -1
    for m in _CODE_RUN_RX.finditer(text):
        if m.start() < end:
            continue
        start, end = m.start(), m.end()
        while start and (_code_char(text[start - 1]) or (text[start - 1] in "-/" and start > 1
                                                         and _code_char(text[start - 2]))):
            start -= 1
        while end < n and (_code_char(text[end]) or (text[end] in "-/" and end + 1 < n and _code_char(text[end + 1]))):
            end += 1
        token = text[start:end]
        if sum(c.isdigit() for c in token) < 5 or not token.isupper() and not token.replace("-", "").replace(
                "/", "").isdigit():
            continue  # fewer than five digits, or lower-case letters in it
        if start and (text[start - 1] in ".,:+#@_\\" and start > 1 and text[start - 2].isalnum()
                      or text[start - 1] in "._@\\"):
            continue  # a decimal, a version, an e-mail, a path ("1.12345", "v2.10045")
        if end < n and text[end] in "._@%" and end + 1 < n and text[end + 1].isalnum():
            continue
        if token.isdigit():
            if len(token) < 8 or _CODE_UNIT_AFTER_RX.match(text, end) or \
                    _CODE_MONEY_BEFORE_RX.search(text, max(0, start - 6), start):
                continue  # a count or an amount, not a code ("48000000 copies", "Rs 25000000")
        elif not any(c.isalpha() for c in token):
            if _CODE_SHAPE_NOT_RX.fullmatch(token) or _CODE_UNIT_AFTER_RX.match(text, end):
                continue  # a range, a ratio, a dose or a year range
        elif _CODE_UNIT_END_RX.search(token) or _TRIAL_REGISTRY_RX.match(token) or _GRAVIDA_PARA_RX.fullmatch(token):
            continue
        if _CODE_NOT_AFTER_LABEL_RX.search(text, max(0, start - 24), start):
            continue  # a product's or a terminology's code (lot, NDC, LOINC ...)
        spans.append((start, end, "ID", PLACEHOLDERS["ID"]))
    return spans


_NEXT_PHONE_RX = re.compile(r"[ \t]*(?:\([^()\n]{1,24}\))?[ \t]*(?:,|/|;|or|and)[ \t]*"
                            r"(?P<n>\+?[0-9]{1,5}(?:[ .-]?[0-9]{2,5}){1,4})(?![0-9A-Za-z])")
_MEASURE_BEFORE_RX = re.compile(r"(?i:pulse|hr|heart[ \t]+rate|spo2|sats?|saturation|o2|bp|sugars?|glucose|weight|wt"
                                r"|temp(?:erature)?|score|level|rate|fbs|rbs|ppbs|ldl|hdl|tsh|ferritin|b12)[ \t:=]*(?:of|is|was)?"
                                r"[ \t:=]*$")


# a name written again in its own script in brackets right after it: "Wei Zhang (张伟)", "Kim Min-jun (김민준)"
_SCRIPT_NAME_AFTER_RX = re.compile(r"[ \t]*\(([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
                                   r"\u0600-\u06ff\u0900-\u097f\u0400-\u04ff\u0370-\u03ff ]{1,24})\)")


_BRACKETED_NAME_AFTER_RX = re.compile(rf"[ \t]*\((?:(?:real[ \t]+name|called|aka|nickname)[ \t:]*)?({_NAMES3})\)")


def _names_in_script_after(text: str, spans: list) -> list:
    found = []
    for start, end, kind, _repl in spans:
        m = _SCRIPT_NAME_AFTER_RX.match(text, end) if kind == "NAME" else None
        if m and m.group(1).strip():
            found.append((m.start(1), m.end(1), "NAME", PLACEHOLDERS["NAME"]))
    return found


def _repeated_ages(text: str, spans: list) -> list:
    """The other mentions of an age over 89 found once ("my father is turning 100 ... continuing it at 100?"): the
    same number, whole and not a measurement, in the same text (not in another field, see FIELD_SEPARATOR)."""
    found = []
    done = set()  # (age, field): each number is looked for once per field, however often it was found there
    for start, end, kind, _repl in spans:
        if kind != "AGE" or not text[start:end].isdigit():
            continue
        lo = text.rfind("\x1e", 0, start) + 1
        if (text[start:end], lo) in done:
            continue
        done.add((text[start:end], lo))
        hi = text.find("\x1e", end)
        hi = len(text) if hi < 0 else hi
        for m in re.finditer(rf"(?<![0-9.,/:+-]){text[start:end]}(?![0-9]|[.,][0-9]|\+)", text[lo:hi]):
            a, b = lo + m.start(), lo + m.end()
            if not _NOT_AN_AGE_AFTER_RX.match(text, b) and not _MEASURE_BEFORE_RX.search(text, max(lo, a - 16), a):
                found.append((a, b, "AGE", PLACEHOLDERS["AGE"]))  # (the first mention too: _merge drops the twin)
    return found


# a capitalised word listed right after or before a found name: "[NAME], Mereana and Huia", "Ximeno and [NAME]"
_LIST_NEXT_RX = re.compile(r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+)([A-ZÀ-ÖØ-Þ][\w'’-]*)(?![\w'’-])")
_LIST_PREV_RX = re.compile(r"(?<![\w'’-])([A-ZÀ-ÖØ-Þ][\w'’-]*)(?:[ \t]*,[ \t]*|[ \t]+(?:and|&)[ \t]+)$")


_LOWER_LIST_NEXT_RX = re.compile(r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+)(?:little[ \t]+)?"
                                 r"([a-z][a-z'’-]+)(?![\w'’-])")
_LOWER_LIST_PREV_RX = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]+)(?:[ \t]*,[ \t]*|[ \t]+(?:and|&)[ \t]+)$")
# "my kids are ifeanyi, chinaza and obi", "my flatmates bongiwe and lerato": the first of a list, lower case
_LOWER_PLURAL_KIN_RX = re.compile(rf"(?<![\w'’])(?:my|our)[ \t]+{_PLURAL_KIN}(?:[ \t]+(?:are|were))?[ \t]*[,:(]?"
                                  r"[ \t]*([a-z][a-z'’-]+)(?![\w'’-])")


def _lower_listed_name_ok(word: str, names: frozenset) -> bool:
    return word in names and len(word) >= 3 and word not in _VOCABULARY and word not in _LOWER_NOT_NAMES


def _listed_names(text: str, spans: list) -> list:
    """Names listed beside a name found by a rule: a known name or an unknown word (no English word, place,
    people, feast or acronym) right before or after it in a list; in lower case, a known name that is no English
    word. Followed along the list, a few steps."""
    names = _GAZETTEER or _gazetteer()[0]
    found = [(a, b) for a, b, kind, _r in spans if kind == "NAME"]
    out: list = []
    taken = set(found)
    # the characters the names taken cover (a set: "inside a taken name" is one lookup, however many names there are)
    covered = {i for x, y in found for i in range(x, y)}
    for _step in range(4):
        new = []
        for a, b in found:
            if text[a:b].islower():
                for m in (_LOWER_LIST_NEXT_RX.match(text, b), _LOWER_LIST_PREV_RX.search(text, max(0, a - 40), a)):
                    if m is not None and _lower_listed_name_ok(m.group(1), names) and m.span(1) not in taken \
                            and m.start(1) not in covered:
                        taken.add(m.span(1))
                        covered.update(range(*m.span(1)))
                        new.append(m.span(1))
                continue
            for m in (_LIST_NEXT_RX.match(text, b), _LIST_PREV_RX.search(text, max(0, a - 40), a)):
                if m is None:
                    continue
                s, e = m.span(1)
                if (s, e) in taken or s in covered:
                    continue
                word = m.group(1)
                kind = _KIND_CACHE.get(word) or _prose_word_kind(word, names)
                if kind not in ("name", "unknown") or _is_place_or_thing(word, True, True) or \
                        (s == 0 or _SENTENCE_END_BEFORE_RX.search(text, max(0, s - 3), s)) and kind != "name":
                    continue
                taken.add((s, e))
                covered.update(range(s, e))
                new.append((s, e))
        if not new:
            break
        out += [(s, e, "NAME", PLACEHOLDERS["NAME"]) for s, e in new]
        found = new
    return out


def _repeated_names(text: str, spans: list) -> list:
    """The other occurrences of a name found once ("my son's friend Tobias stayed over ... Tobias had them"): the
    same word, whole, in the same text, unless it is also an English word, a word-name or a place ("rose", "Hope",
    "Jordan"), which elsewhere in the text may be the word. Fields scrubbed together (`FIELD_SEPARATOR`) are
    separate texts here, as when each is scrubbed alone."""
    out: list = []
    seen = None
    counted: dict = {}  # (value, field) -> its count there: each value is counted once per field
    for start, end, kind, _repl in spans:
        if kind != "NAME":
            continue
        lo = text.rfind("\x1e", 0, start) + 1
        hi = text.find("\x1e", end)
        hi = len(text) if hi < 0 else hi
        value = text[start:end]
        for value in (value,) if value.isalpha() else _WORD_AT_RX.findall(value):
            n = counted.get((value, lo))
            if n is None:
                n = counted[value, lo] = text.count(value, lo, hi)
            if n < 2:
                continue  # most names occur once
            if seen is None:
                seen = set()
                names = _GAZETTEER or _gazetteer()[0]
            key = _lower_key(value)
            if (value, lo) in seen or len(key) < 3 or key in _VOCABULARY or key in _WORD_NAMES_ALL or \
                    key in _PROSE_NOT_NAMES or key in _KIN_ONLY_NAMES or (key not in names and value.islower()):
                continue
            seen.add((value, lo))
            i = text.find(value, lo, hi)
            while i >= 0:
                j = i + len(value)
                if not start <= i < end and (i == 0 or not text[i - 1].isalnum()) and \
                        (j == len(text) or not text[j].isalnum()):
                    out.append((i, j, "NAME", PLACEHOLDERS["NAME"]))
                i = text.find(value, j, hi)
    return out


# An address after what announces one ("my address is", "I live at", "our house is at"), to the end of its clause:
# it must hold a number or two commas ("I live at home" is no address). After "live in" only what starts like a
# street address ("Rue de la Paix 18, 75002 Paris", "Flat 4B, ..."), not a town. The cues are found as substrings of
# the lower-cased text; only then is the value matched, at that place.
_ADDRESS_VALUE_RX = re.compile(
    r"[ \t]*(?P<v>(?:[^\n.;!?]|\.(?=[^ \t\n])|(?<=\bNo)\.|(?<=\bno)\.|(?<=\bSt)\.|(?<=\bRd)\.|(?<=\bAve)\."
    r"|(?<=\bApt)\.|(?<=\bH)\.|(?<=\bCo)\.|(?<=\bJr)\.|(?<=\bStr)\.|(?<=\bpr)\.|(?<=\bnr)\.|(?<=\bbl)\.|(?<=\bap)\."
    r"|(?<=\bAv)\.){3,120}?)"
    r"(?=(?<!\bNo)(?<!\bno)(?<!\bSt)(?<!\bRd)(?<!\bAve)(?<!\bApt)(?<!\bH)(?<!\bCo)(?<!\bJr)(?<!\bStr)(?<!\bnr)(?<!\bbl)"
    r"(?<!\bap)(?<!\bAv)[ \t]*(?:[.;!?](?:[ \t\n]|$)|\n|$)"
    r"|[ \t]+(?:and|but|so|where|since|because|which|for|near|from|with|if|when|or)[ \t]|[ \t]+[—–][ \t]"
    # (a phone's label after a comma ends it: "..., الرياض ١٢٢٧١، جوال ...", "..., simu ...")
    r"|[ \t]*[,،][ \t]*(?i:tel|tél|phone|mobile|cell|simu|جوال|هاتف|تلفون|موبايل)(?![\w]))")
_ADDRESS_AFTER_CUE_RX = re.compile(r"(?:[ \t]+is|[ \t]+was|[ \t]*[:-]|[ \t]+(?=[0-9]))")  # "address is", "address:", "address 5"
_ADDRESS_OWNER_RX = re.compile(r"(?i:(?:my|our|his|her|their|home|postal|residential|current|permanent|mailing|new|old"
                               r"|delivery|billing)"
                               # (one more word between: "her GN address is", "my home address")
                               r"[ \t]+(?:[A-Za-z]+[ \t]+)?)$")
_OTHER_ADDRESS_BEFORE_RX = re.compile(r"(?i:e-?mail|ip|web|mac|url|ipv[46]|mailing)[ \t]*$")
_HOME_BEFORE_IS_AT_RX = re.compile(r"(?i:\b(?:home|house|flat|apartment|residence)\b)")
_STREET_START_RX = re.compile(r"[ \t]+(?=[0-9]|(?:Flat|House|Plot|Apt|Apartment|Unit|Villa|Rue|Calle|Via|Avenida|Av\."
                              r"|Strasse|Straße|Jalan|Jl\.|Lorong|Carrer|Rua|Ulica|ul\.|Strada|Str\.|Jr\.|Odos|Οδός|Rehov"
                              r"|house|flat|plot|lot|block|blk|no\.?|No\.?)(?!\w)"
                              # a capitalised street name and its number: "Brīvības iela 88-15,", "Prinsengracht 263-1hoog,",
                              # "Jr. Lampa 545,", "KG 11 Ave 25,"
                              r"|[A-ZÀ-ÞĀ-Ž][\w'’.-]*(?:[ \t]+[\w'’.-]+){0,2}[ \t]+[0-9]+[A-Za-z]?(?:[-/][0-9A-Za-z]+)?"
                              r"(?:[ \t]*[,.]|[ \t]*$))")
_DWELLING_RX = re.compile(r"(?<![A-Za-z])(?:House|Flat|Plot|Villa|Apartment|Apt|H\.[ \t]*No|D\.[ \t]*No|Door[ \t]+No"
                          r"|Bldg|Building)\.?"
                          r"[ \t]*(?:No\.?|Number|#)?[ \t]*[0-9]+[A-Za-z]?(?:[-/][0-9A-Za-z]+)*,[ \t]*[A-Z0-9]")
# in lower case where the word is no adjective and a capitalised part follows ("villa 27, Al Olaya", "flat no 302, B
# wing", "bldg 4, Dubai Marina"; not "apartment 3, 4 people")
_DWELLING_LOWER_RX = re.compile(r"(?<![A-Za-z])(?:villa|apartment|apt|bldg|building|(?:flat|house)(?=[ \t]*(?:no\b|#)))\.?"
                                r"[ \t]*(?:[Nn]o\.?|Number|#)?[ \t]*[0-9]+[A-Za-z]?(?:[-/][0-9A-Za-z]+)*,[ \t]*[A-Z]")
# a count or a time after "stay in"/"live in", no address: "stay in 2 weeks", "lived in 3 countries", "live in 1 room"
_COUNT_AFTER_CUE_RX = re.compile(r"[ \t]+(?:[0-9]+|a|an|one|two|three)[ \t]+(?i:days?|weeks?|months?|years?|hours?|nights?"
                                 r"|countries|cities|places|rooms?|bedrooms?|flats?|houses?|kids|children|people|of)\b")
_LIVE_CUES = ("live at", "lives at", "living at", "stay at", "stays at", "staying at", "reside at", "resides at",
              "residing at", "live alone at", "lives alone at")
_LIVE_IN_CUES = ("live in", "lives in", "living in", "stay in", "stays in",
                 "staying in", "i live", "we live", "home:", "our home:", "our house is", "house number is", "vivo en",
                 "vivo en la", "vive en", "vivimos en", "viven en", "j'habite", "j’habite", "ik woon op", "ik woon aan",
                 "wij wonen op", "we wonen op", "abito in", "moro na", "moro em", "we are at", "adresas:", "adresa:",
                 "adres:", "adress is", "adresse:", "dirección:", "direccion:", "endereço:", "indirizzo:", "anschrift:",
                 # Swahili, French, Arabic and Egyptian Arabic in Latin letters: "anwani: Mtaa wa Uhuru 22", "mon adresse
                 # est Cité Keur Gorgui, Villa n° 118", "عنواني: ٣٥ شارع الملك فهد", "el 3enwan: 9 shar3 El Tahrir"
                 "anwani:", "anwani yangu ni", "adresse est", "عنواني:", "العنوان:", "3enwan:", "3enwany:")


# A street address in European and Latin American layouts, found from its postcode: after a comma or a dash, a
# postcode of one of the common shapes (10969, 1016 GV, 01304-001, 111 22, 00-950, 1000-001) before a capitalised
# town, with a street before the comma that names itself as one: a street word before or after its name ("Via
# Roma 12", "12 rue des Lilas", "Rua Augusta, 1508, apto 42") or a street ending ("Lindenstraße 14",
# "Prinsengracht 263-2", "Storgatan 1"). The town alone is not PHI and stays.
_POSTCODE = (r"[ \t]+(?P<pc>[0-9]{5}-[0-9]{3}|[0-9]{4}-[0-9]{3}|[0-9]{2}-[0-9]{3}|[0-9]{3}[ \t][0-9]{2}"
             r"|[0-9]{4}[ \t]?[A-Z]{2}|[0-9]{4,5})(?![0-9A-Za-z-])[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]")
# one pattern per lead, each opening with a literal (a fast scan)
_DASH_POSTCODE = r"[ \t]+(?P<pc>[0-9]{4,5}-[0-9]{3})(?![0-9A-Za-z-])[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]"  # "- 01304-001 São Paulo"
_POSTCODE_TOWN_RXS = (re.compile("," + _POSTCODE), re.compile(" -" + _DASH_POSTCODE), re.compile(" –" + _DASH_POSTCODE))
_STREET_WORDS = (r"(?i:rue|avenue|av|boulevard|bd|chemin|allée|allee|impasse|place|quai|cours|route|via|viale|piazza"
                 r"|corso|vicolo|calle|carrer|avenida|rua|travessa|praça|praca|alameda|paseo|camino|plaza|ul|ulica"
                 r"|aleja|street|road)")
_STREET_ENDINGS = (r"(?:straße|strasse|str|weg|gasse|platz|allee|damm|ufer|gracht|straat|laan|kade|plein|singel|dijk"
                   r"|steeg|vej|gade|gatan|vägen|gata|gaten|veien|katu|tie|utca)")
_HOUSE_NUMBER = r"[0-9]{1,5}[A-Za-z]?(?:[-/][0-9A-Za-z]{1,4})?"
_UNIT = r"(?:,?[ \t]*(?i:apto|apt|ap|piso|bus|app|appt|flat|unit|bloco|dpto|depto|esc|puerta|top|étage)\.?[ \t]*[0-9A-Za-z-]+)?"
_STREET_BEFORE_POSTCODE_RX = re.compile(
    # "Via Roma 12", "Rua Augusta, 1508, apto 42", "ul. Długa 5"
    rf"(?:(?<![\w.])(?:{_STREET_WORDS}\.?[ \t]+(?:[\w'’.-]+[ \t]+){{0,3}}?[\w'’.-]+"
    # "Lindenstraße 14", "Prinsengracht 263-2", "Hauptstr. 5"
    rf"|(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*{_STREET_ENDINGS}\.?)"
    rf",?[ \t]+{_HOUSE_NUMBER}"
    # "12 rue des Lilas", "18 Avenue de la République"
    rf"|(?<![\w.,])(?<![0-9],[ \t]){_HOUSE_NUMBER},?[ \t]+{_STREET_WORDS}[ \t]+(?:[\w'’.-]+[ \t]+){{0,3}}?[\w'’-]+)"
    # a neighbourhood between street and postcode: "Av. Insurgentes Sur 1234, Col. Del Valle, 03100 Ciudad de México"
    rf"{_UNIT}(?:,[ \t]*[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ \t]+[\w'’.-]+){{0,3}})?[ \t]*$")
# a street address in capitals before ", TOWN": "221 HARBOUR VIEW ROAD, HALIFAX NS"
_CAPS_STREET_RX = re.compile(
    r"[0-9](?<![A-Za-z0-9][0-9])[0-9]{0,4}[A-Z]?[ \t]+(?P<n>(?:[A-Z][A-Z'’-]+[ \t]+){1,3})(?:STREET|ROAD|AVENUE|LANE|DRIVE"
    r"|BOULEVARD|CRESCENT|COURT|PLACE|TERRACE|HIGHWAY|PARKWAY|CLOSE|GROVE|RD|ST|AVE|DR)\.?(?=,[ \t]*[A-Z]{2})")
_NOT_CAPS_STREET_NAMES = frozenset("THE ON IN AT TO AND OF FOR MY A AN WITH FROM EVERY PER OR BY HOURS DAYS WEEKS "
                                   "YEARS MONTHS TIMES PILLS TABLETS KM MILES MG".split())


# street words before the name in Greek, Romanian, Moroccan, Italian lower-case and Russian transliterated addresses:
# "Odos Ermou 55", "Οδός Ερμού 45", "Bd. Unirii 22", "str. Ștefan cel Mare 64", "Derb Sidi Ahmed 23", "viale Monza 148"
_MORE_STREET_PREFIXES = (r"Odos|Odós|Οδός|Οδ\.|Λεωφόρος|Bd\.|Bdul\.?|Bulevardul|Calea|Strada|Str\.|str\.|Derb|viale|corso"
                         r"|piazza|ulitsa|Ulitsa|prospekt|Prospekt|pr\.|ул\.|улица|пр\.|проспект")
# the same street forms without a postcode, where the street word is not English: "Via Roma 12", "Calle 45 # 12-34",
# "Rua Augusta, 1508", "Kerkstraat 12", "Nørregade 7" (an English word with such an ending, "Brigade 3", is none)
_FOREIGN_STREET_RX = re.compile(
    r"(?:(?<![\w.])(?P<p>Via|Viale|Piazza|Corso|Calle|Carrer|Carrera|Cra\.|Avenida|Avda\.|Av\.|Rua|Rue|Praça|Travessa"
    r"|Alameda|Paseo|Jalan|Jl\.|ul\.|Ul\.|ulica|Ulica|al\.|Al\.|" + _MORE_STREET_PREFIXES + r")[ \t]+"
    r"(?:(?:[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯȘȚ][\w'’.-]*|de|del|della|di|da|do|dos|das|des|du|la|le|los|las|cel|lui"
    r"|y|e)[ \t]+){0,3}[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯȘȚ0-9][\w'’.-]*)"
    rf",?[ \t]+(?:(?:n[º°o]\.?|\#)[ \t]*)?{_HOUSE_NUMBER}(?![0-9A-Za-z]){_UNIT}")
# "#12, 3rd Cross, 5th Main": a house number after "#" in an Indian address, a street word not far after
_HASH_HOUSE_RX = re.compile(
    r"(?<![\w#])\#[ \t]*[0-9]+[A-Za-z]?(?:[-/][0-9A-Za-z]+)*,[ \t]*(?=[^\n]{0,40}?\b(?:Cross|Main|Road|Rd|Street|St"
    r"|Stage|Block|Phase|Sector|Layout|Nagar|Colony|Lane|Avenue|Marg|Apartments?|Residency|Enclave)\b)")


# where a street named in another language or one in capitals may be (a capital letter first: the engine then
# skips to capitals in C)
_ANY_DIGIT_RX = re.compile(r"[0-9]")
# (what `_NUMBER_FIRST_STREET_RX`'s street named by its ending needs)
_NUMBER_FIRST_SUFFIX = r"[0-9][A-Za-z]?,?[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:way|gatan|gata|vägen|vej|gade|veien|gaten)\b"
_STREET_GATE_RX = re.compile(
    _NUMBER_FIRST_SUFFIX + "|"
    r"(?:ul|al)\.[ \t]+[A-ZÀ-ÖØ-ÞŁŚŻŹ]|ulica[ \t]"  # a Polish street in lower case: "ul. Piotrkowska 104"
    r"|[0-9][A-Za-z]?,?[ \t]+(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai)[ \t]"
    r"|(?:" + _MORE_STREET_PREFIXES + r")[ \t]"
    r"|[A-ZÀ-ÖØ-Þ](?:(?:ia|iale|iazza|orso|alle|arrer|arrera|ra\.|venida|vda\.|v\.|ua|ue|raça|ravessa|lameda|aseo|alan"
    r"|l\.|lica)[ \t]"
    r"|[A-Z'’-]*[ \t]+(?:[A-Z][A-Z'’-]+[ \t]+){0,2}(?:STREET|ROAD|AVENUE|LANE|DRIVE|BOULEVARD|CRESCENT|COURT|PLACE"
    r"|TERRACE|HIGHWAY|PARKWAY|CLOSE|GROVE|RD|ST|AVE|DR)\.?,)")


_QUANTITY_AFTER_RX = re.compile(_NOT_A_QUANTITY[3:-1])


# streets named by a suffix or a street word after the name, in German, Dutch, Scandinavian, Finnish, Hungarian,
# Polish and Turkish addresses, with the house number after: "Schönhauser Allee 112", "Keizersgracht 221",
# "Nørrebrogade 45, 2. th.", "Bağdat Caddesi No: 215 D: 8", "Hauptstr. 5"
_STREET_SUFFIXES = (r"straße|strasse|str\.|allee|weg|gasse|platz|laan|gracht|straat|plein|kade|singel|gade|vej|gatan"
                    r"|vägen|gata|gaten|veien|katu|utca|ulica")  # ending the street's name: "Keizersgracht"
_STREET_WORDS_AFTER = (r"Allee|Straße|Strasse|Weg|Platz|Gasse|Laan|Caddesi|Cad\.|Sokak|Sokağı|Sk\.|Bulvarı|Blv\.|Mahallesi"
                       r"|Mah\.|utca|ulica"
                       # the English words, the number after the name as in the Caucasus and Central Asia: "Tumanyan
                       # St 21", "Chavchavadze Ave 37", "Navoi street 12"
                       r"|St|St\.|Street|street|Ave|Ave\.|Avenue|avenue|Rd|Rd\.|Road|road|Blvd|Blvd\.|Prospekt|prospekti|kuchasi|ko'chasi")  # a word after the name: "Schönhauser Allee", "Bağdat Caddesi"
_HOUSE_NUMBER_NO = r"[ \t]+(?:No[ \t]*[:.]?[ \t]*)?[0-9]"  # " 112", " No: 215"
_SUFFIX_STREET_RX = re.compile(
    rf"(?<![\w'’-])(?:[A-ZÀ-ÖØ-ÞÇĞİŞ][\w'’-]*(?:{_STREET_SUFFIXES})|[A-ZÀ-ÖØ-ÞÇĞİŞ][\w'’-]*[ \t]+(?:{_STREET_WORDS_AFTER}))"
    rf"{_HOUSE_NUMBER_NO}[0-9]{{0,3}}[a-zA-Z]?(?![\w])(?:[ \t]*/[ \t]*[0-9]+)?"
    r"(?:[ \t]+D[ \t]*:[ \t]*[0-9]+|,[ \t]*[0-9]{1,2}\.(?:[ \t]*(?:th|tv|mf)\.?)?)?")
# (also RE2 syntax: part of EXTRA_PREFILTER)
_SUFFIX_STREET_GATE_RX = re.compile(rf"(?:{_STREET_SUFFIXES}|{_STREET_WORDS_AFTER}){_HOUSE_NUMBER_NO}")
# a postcode by its label in other languages: "CEP 01304-001", "Postcode 1017 CT", "PLZ 10439", "C.P. 28012"
_LABELLED_POSTCODE_RX = re.compile(
    r"(?<![\w.])(?:CEP|PLZ|C\.P\.|CP|Postcode|Post[ \t]code|Postleitzahl|[Cc]ódigo[ \t]+[Pp]ostal|[Cc]odigo[ \t]+[Pp]ostal"
    r"|[Cc]ode[ \t]+[Pp]ostal|[Pp]ostnummer|[Pp]osta[ \t]+[Kk]odu|〒|[Ee]ircode(?:[ \t]+is)?)[ \t:]*(?P<pc>[0-9]{3}-[0-9]{4}|[0-9]{4,6}(?:-[0-9]{3,4})?"
    r"(?:[ \t]?[A-Z]{2}(?![\w]))?|[A-Z][0-9]{4}[A-Z]{3}|[A-Z][0-9][0-9W][ \t]?[A-Z0-9]{4})(?![\w-])")
# a postcode beside its town: "Nagoya 460-0002", "Seoul 05551", "28012 Madrid", "10439 Berlin", "C1045AAB CABA"
_TOWN_POSTCODE_RX = re.compile(
    r"(?<![\w'’-])(?P<town>[A-ZÀ-ÖØ-Þ][\w'’-]+)[ \t]+(?:[-–][ \t]+)?(?P<pc>[0-9]{3}-[0-9]{4}|[0-9]{5,6})(?![\w-])"
    r"|(?<![\w.,-])(?P<pc2>[0-9]{4,5}|[0-9]{2}-[0-9]{3}|[A-Z][0-9]{4}[A-Z]{3}|[0-9]{4}-[0-9]{3}|[0-9]{3}[ ][0-9]{2})"
    r"[ \t]+(?P<town2>[A-ZÀ-ÖØ-ÞŁŚŻŹ][\w'’-]+)"
    # after a comma, a town and a postcode of four or seven digits at the end of the address ("..., Napier 4110",
    # "Tacloban City 6500", "Haifa 3303109")
    r"|,[ \t]*(?P<town3>[A-ZÀ-ÖØ-Þ][\w'’-]+)(?:[ \t]+City)?[ \t]+(?P<pc3>[0-9]{4}|[0-9]{7})(?![\w-])"
    r"(?=[ \t]*(?:[,.;)\n]|$))")


_ADDRESS_END_RX = re.compile(r"[ \t]*(?:[,.;)\n]|$)")
# what `_postcodes` needs (RE2 syntax: part of EXTRA_PREFILTER)
_POSTCODE_GATE = (r"(?:CEP|PLZ|C\.P\.|CP|Postcode|Post[ \t]code|Postleitzahl|[Cc][óo]digo[ \t]+[Pp]ostal|[Cc]ode[ \t]+[Pp]ostal"
                  r"|[Ee]ircode(?:[ \t]+is)?"
                  r"|[Pp]ostnummer|[Pp]osta[ \t]+[Kk]odu|〒)[ \t:]*[0-9A-Z]|[A-ZÀ-ÖØ-Þ][^ \t\n]*[ \t]+(?:[-–][ \t]+)?(?:[0-9]{3}-[0-9]{4}|[0-9]{5})"
                  r"|[0-9]{4,5}[ \t]+[A-ZÀ-ÖØ-Þ]|[A-Z][0-9]{4}[A-Z]{3}|[0-9]{2}-[0-9]{3}[ \t]+[A-ZÀ-ÖØ-ÞŁŚŻŹ]"
                  r"|(?:ul|Ul|al|Al)\.[ \t]+[A-ZÀ-ÖØ-ÞŁŚŻŹ]|[Uu]lica[ \t]|[A-Z][A-Z],?[ \t]+[0-9]{5}-[0-9]{3}"
                  r"|[A-Z][A-Z][ \t]*[-–,]?[ \t]*[1-8][0-9]{5}|[A-Z][A-Z]-[0-9]{4,5}[ \t]+[A-Z]"
                  r"|[0-9]{4}-[0-9]{3}[ \t]+[A-ZÀ-ÖØ-Þ]|[0-9]{3}[ ][0-9]{2}[ \t]+[A-ZÀ-ÖØ-Þ]"
                  r"|,[ \t]*[A-ZÀ-ÖØ-Þ][^ \t\n,]*(?:[ \t]+City)?[ \t]+(?:[0-9]{4}|[0-9]{7})(?:[^0-9A-Za-z-]|$)")
# a Brazilian CEP after its state's code ("Curitiba - PR, 80010-090"); an Argentine CPA, whose shape is its own
# ("C1193AAE")
_STATE_CEP_RX = re.compile(r"(?<![\w'’-])[A-Z][A-Z],?[ \t]+(?P<pc>[0-9]{5}-[0-9]{3})(?![\w-])"
                           # an Indian PIN after its state's code: "Noida, UP 201301"
                           r"|(?<![\w'’-])(?:" + "|".join(sorted(_IN_STATES)) + r")[ \t]*[-–,]?[ \t]*(?P<pin>[1-8][0-9]{5})(?![\w-])"
                           r"|(?<![\w'’-])(?P<cpa>[A-Z][0-9]{4}[A-Z]{3})(?![\w-])"
                           # a European postcode with its country's letters before a town: "LT-01103 Vilnius"
                           r"|(?<![\w'’-])(?P<eu>(?:LT|LV|EE|PL|CZ|SK|HU|SI|HR|RO|BG|GR|CY|MT|LU|BE|NL|DE|AT|CH|FR|IT|ES|PT|FI"
                           r"|SE|DK|NO|IE|IS)-[0-9]{4,5})(?=[ \t]+[A-ZÀ-ÖØ-Þ])")


def _postcodes(text: str) -> list:
    """Postcodes by their label or beside a town of the place list (a year before a town is no postcode)."""
    spans = [(m.start(m.lastgroup), m.end(m.lastgroup), "ADDRESS", PLACEHOLDERS["ADDRESS"])
             for rx in (_LABELLED_POSTCODE_RX, _STATE_CEP_RX) for m in rx.finditer(text)]
    places = None
    for m in _TOWN_POSTCODE_RX.finditer(text):
        pc, town = ("pc", "town") if m.group("pc") else ("pc2", "town2") if m.group("pc2") else ("pc3", "town3")
        code = m.group(pc)
        if code.isdigit() and len(code) == 4 and code[:2] in ("19", "20"):
            continue  # "in 2019 Paris"
        places = places or _places()
        if _fold(m.group(town).lower()) in places or (pc == "pc2" and code[0].isalpha() and m.group(town).isupper()) or (
                # a Polish or Portuguese postcode before a town that ends the address ("00-514 Warszawa.",
                # "4050-262 Porto,"): their shapes are their own
                pc == "pc2" and len(code) in (6, 8) and "-" in code and _ADDRESS_END_RX.match(text, m.end(town))):
            spans.append((m.start(pc), m.end(pc), "ADDRESS", PLACEHOLDERS["ADDRESS"]))
    return spans


# a French street, number first: "12 rue des Lilas", "2207 Rue Sainte-Catherine O" (Montréal's west side)
# (and a street's name that ends in its street word after the number: "2750 Kingsway", "2 Storgatan", "14 Nørregade")
_NUMBER_FIRST_STREET_RX = re.compile(
    r"(?<![\w.,/-])[0-9]{1,4}[A-Za-z]?,?[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:way|gatan|gata|vägen|vej|gade|veien|gaten)(?![\w])"
    r"(?=[ \t]*(?:[,;:)\n]|\.(?![0-9])|$))"
    r"|(?<![\w.,/-])[0-9]{1,5}[A-Za-z]?,?[ \t]+(?:rue|Rue|avenue|Avenue|boulevard|Boulevard|bd|Bd|chemin|Chemin"
    r"|allée|Allée|impasse|Impasse|quai|Quai)[ \t]+(?:(?:de|des|du|la|le|l['’]|d['’])[ \t]*)*[A-ZÀ-ÖØ-Þ][\w'’.-]*"
    r"(?:[ \t]+(?:(?:de|des|du|la|le)[ \t]+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2}(?:[ \t]+(?:O|E|N|S|Ouest|Est|Nord|Sud)(?![\w]))?")


def _foreign_streets(text: str) -> list:
    spans = [(m.start(), m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]) for m in _NUMBER_FIRST_STREET_RX.finditer(text)]
    for m in _FOREIGN_STREET_RX.finditer(text):
        if _NOT_AN_AGE_AFTER_RX.match(text, m.end()) or _QUANTITY_AFTER_RX.match(text, m.end()):
            continue  # "Via WhatsApp 3 times", "from Via Crucis 3 years ago"
        spans.append((m.start(), m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]))
    return spans


def _street_before_postcodes(text: str) -> list:
    spans = []
    for lead, rx in zip(",-–", _POSTCODE_TOWN_RXS):
        if lead not in text:
            continue
        for m in rx.finditer(text):
            street = _STREET_BEFORE_POSTCODE_RX.search(text, max(0, m.start() - 64), m.start())
            if street is not None:
                spans.append((street.start(), m.end("pc"), "ADDRESS", PLACEHOLDERS["ADDRESS"]))
    return spans


def _caps_streets(text: str) -> list:
    return [(m.start(), m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]) for m in _CAPS_STREET_RX.finditer(text)
            if not _NOT_CAPS_STREET_NAMES.intersection(m.group("n").split())]


def _cued_addresses(text: str) -> list:
    starts = []  # where a value may begin
    found = []
    if _ANY_DIGIT_RX.search(text):  # every street form here has a house number or a postcode
        if ", " in text or ",\t" in text or " -" in text or " –" in text:
            found += _street_before_postcodes(text)
        if _STREET_GATE_RX.search(text):
            found += _foreign_streets(text) + _caps_streets(text)
        if _SUFFIX_STREET_GATE_RX.search(text):
            found += [(m.start(), m.end(), "ADDRESS", PLACEHOLDERS["ADDRESS"]) for m in _SUFFIX_STREET_RX.finditer(text)
                      if not (_NOT_AN_AGE_AFTER_RX.match(text, m.end()) or _QUANTITY_AFTER_RX.match(text, m.end())
                              or m.group().lower().startswith(("brigade", "renegade")))]
        found += _postcodes(text)
    # "House No. 45, Kileleshwa Estate, Othaya Road", "Flat 4B, Palm Heights": a dwelling and its number, with at
    # least one more part after a comma
    if ("House" in text or "Flat" in text or "Plot" in text or "Villa" in text or "Apartment" in text or "Apt" in text
            or "H.No" in text or "H. No" in text or "D.No" in text or "D. No" in text or "Door" in text
            or "ldg" in text or "uilding" in text):
        for m in _DWELLING_RX.finditer(text):
            starts.append((m.start(), True))
    if "villa" in text or "apartment" in text or "apt" in text or "bldg" in text or "building" in text \
            or "flat" in text or "house" in text:
        starts += [(m.start(), True) for m in _DWELLING_LOWER_RX.finditer(text)]
    if "#" in text:
        starts += [(m.start(), True) for m in _HASH_HOUSE_RX.finditer(text)]
    low = text.lower()
    if not ("address" in low or "live" in low or "living" in low or "stay" in low or "resid" in low
            or " is at " in low or "home:" in low or "house" in low or "viv" in low or "habite" in low or "woon" in low
            or "wonen" in low or "abito" in low or "moro " in low or "we are at" in low or "adres" in low
            or "direcci" in low or "endere" in low or "indirizzo" in low or "anschrift" in low or "anwani" in low
            or "عنوان" in low or "3enwan" in low):
        return found + _address_values(text, starts)
    i = low.find("address")
    while i >= 0:
        after = _ADDRESS_AFTER_CUE_RX.match(text, i + 7)
        # "my address is", "Address: ..." (not an email, IP or web address)
        if after and (_ADDRESS_OWNER_RX.search(text, max(0, i - 40), i) or (
                after.group().strip() in (":", "-") and not _OTHER_ADDRESS_BEFORE_RX.search(text, max(0, i - 12), i))):
            starts.append((after.end(), False))
        i = low.find("address", i + 7)
    for cue in _LIVE_CUES:
        i = low.find(cue)
        while i >= 0:
            if not i or not low[i - 1].isalpha():
                starts.append((i + len(cue), False))
            i = low.find(cue, i + len(cue))
    for cue in _LIVE_IN_CUES:
        i = low.find(cue)
        while i >= 0:
            if (not i or not low[i - 1].isalpha()) and _STREET_START_RX.match(text, i + len(cue)) and \
                    not _COUNT_AFTER_CUE_RX.match(text, i + len(cue)):
                starts.append((i + len(cue), False))
            i = low.find(cue, i + len(cue))
    i = low.find(" is at ")
    while i >= 0:
        if _HOME_BEFORE_IS_AT_RX.search(text, max(0, i - 32, text.rfind("\x1e", 0, i) + 1), i):
            starts.append((i + 6, False))
        i = low.find(" is at ", i + 6)
    return found + _address_values(text, starts)


def _address_values(text: str, starts: list) -> list:
    spans = []
    for pos, _ in starts:
        m = _ADDRESS_VALUE_RX.match(text, pos)
        if m is None:
            continue
        value = m.group("v").rstrip(" \t,")
        if any(c.isdigit() for c in value) or value.count(",") >= 2:
            spans.append((m.start("v"), m.start("v") + len(value), "ADDRESS", PLACEHOLDERS["ADDRESS"]))
    return spans


# ages over 89 in words: "ninety-three", "a hundred and one" after a person and a verb of being or before "years"
_WORD_AGE = (r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
             r"|(?:a|one)[ -]hundred(?:[ -](?:and[ -])?(?:one|two|three|four|five|six|seven|eight|nine|ten))?"
             # "patient age hundred and one"
             r"|hundred[ -]and[ -](?:one|two|three|four|five|six|seven|eight|nine|ten))")
_WORD_AGE_RX = re.compile(rf"(?i:\b{_WORD_AGE}\b)(?=(?i:[ \t-]*(?:years?|yrs?)\b))|(?i:\b{_WORD_AGE}\b)")
# what a number in words counts when it is no age: "ninety-nine percent", "a hundred and one things"
_COUNTED_WORD_AFTER_RX = re.compile(r"[ \t-]*(?i:percent|per\b|times|people|patients|cases|things|pills|tablets|dollars"
                                    r"|rupees|euros|pounds|seconds|calories|metres|meters|miles|questions|ways|reasons"
                                    r"|steps|words|years[ \t]+ago)")
_WORD_AGE_BEFORE_RX = re.compile(r"(?:(?i:\b(?:is|was|be|turns|turned|turning|now|am|are))[ \t]+|[(\"“][ \t]*|[.!?][ \t]+|^"
                                 r"|(?i:\b(?:yes|yeah|actually))[ \t]*,?[ \t]+)$")
_MEASURE_BEFORE_WORD_AGE_RX = re.compile(
    r"(?i:oxygen|sats?\b|spo2|pressure|\bbp\b|fever|temp|sugar|glucose|pulse|heart|rate|reading|weigh|level|count"
    r"|score|bill|cost|price|over\b|up[ \t]+to|percent)[^.!?\n]*$")
_ROUND_WORD_NUMBERS = frozenset({"ninety", "a hundred", "one hundred"})
_ORDINAL_BIRTHDAY_RX = re.compile(r"(?<![0-9])(?:9[0-9]|1[01][0-9])((?i:st|nd|rd|th))[ \t]+"
                                  r"(?i:birthday|birth[ \t]+day|bday|b-day|b['’]day)")
# a person's decade of life: "in his early 90s", "in her late nineties", "my mid-90s" (not "the 90s", a decade of years)
_DECADE_AGE_RX = re.compile(r"(?i:\b(?:his|her|their|my|your|our)[ \t]+(?:(?:early|mid|late|upper)[ \t-]*)?)"
                            r"((?:9|10)0['’]?s|(?i:nineties))\b")
# a death at an age: "passed away at 94", "left us at ninety-three", "died at about 101"
_DEATH_AT_BEFORE_RX = re.compile(
    r"(?i:\b(?:died|passed(?:[ \t]+away|[ \t]+on)?|left[ \t]+us|(?:we|i)[ \t]+lost[ \t]+(?:him|her|them))[ \t]+(?:at|aged)"
    r"[ \t]+(?:(?:about|around|nearly|almost|just)[ \t]+)?)$")
# an age opening a sentence before its person: "At ninety-seven, she still reads", "At 95, my dad walks"
_AT_AGE_BEFORE_RX = re.compile(r"(?:^|(?<=[.!?\n])[ \t]*)(?i:at)[ \t]+(?:(?i:almost|nearly|over|about|just)[ \t]+)?$")
_AT_AGE_AFTER_RX = re.compile(r",[ \t]+(?i:he|she|i|my|our|his|her|they|mum|mom|dad|grandma|grandpa|gran|nan|nana)\b")
_PAREN_WORD_AGE_RX = re.compile(rf"\((?i:({_WORD_AGE}))\)")


def _word_ages(text: str) -> list:
    spans = []
    for m in _WORD_AGE_RX.finditer(text):
        after_years = re.match(r"(?i:[ \t-]*(?:years?|yrs?)\b)", text[m.end():m.end() + 8])
        if after_years or _AGE_LABEL_BEFORE_RX.search(text, max(0, m.start() - _AGE_LABEL_REACH), m.start()) or (
                _DEATH_AT_BEFORE_RX.search(text, max(0, m.start() - 40), m.start())
                and not _COUNTED_WORD_AFTER_RX.match(text, m.end())) or (
                _AT_AGE_BEFORE_RX.search(text, max(0, m.start() - 16), m.start())
                and _AT_AGE_AFTER_RX.match(text, m.end())) or (
                # "my grandma, ninety-nine, refuses", "My grandmother, ninety-four this spring"
                _KIN_RIGHT_BEFORE_AGE_RX.search(text, max(0, m.start() - 40), m.start())
                and not _NOT_AN_AGE_AFTER_RX.match(text, m.end()) and not _COUNTED_WORD_AFTER_RX.match(text, m.end())) or (
                _age_verb_before(text, m.start()) and _person_is_before(text, m.start())
                and not _NOT_AN_AGE_AFTER_RX.match(text, m.end())) or (
                # a compound number of 91-110 in words after a verb of being, in brackets or as a sentence ("is
                # ninety nine na po", "(ninety-one)", "YEARS OLD. ONE HUNDRED AND FOUR."): an age unless it counts
                # something ("ninety-nine percent") or a measure comes before ("my oxygen at ninety two", "the
                # fever went up to a hundred and three", "BP one fifty over ninety five")
                m.group().lower().replace("-", " ") not in _ROUND_WORD_NUMBERS
                and _WORD_AGE_BEFORE_RX.search(text, max(0, m.start() - 8), m.start())
                and not _MEASURE_BEFORE_WORD_AGE_RX.search(text, max(0, m.start() - 48), m.start())
                and not _NOT_AN_AGE_AFTER_RX.match(text, m.end())
                and not _COUNTED_WORD_AFTER_RX.match(text, m.end())):
            spans.append((m.start(), m.end(), "AGE", PLACEHOLDERS["AGE"]))
    return spans


# ---- dates and ages in other languages ------------------------------------------------------------------
# month names of the languages patients abroad write in (Spanish, Portuguese, Italian, French, German, Dutch,
# Scandinavian, Polish and Czech in the genitive, Turkish, Greek in the genitive), after a day: "12 febbraio 2025",
# "2 de noviembre de 2019", "3. März", "fredag 14. mars", "14 Ocak 2025", "15 Σεπτεμβρίου 2024"
_FOREIGN_MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
    # Tagalog and Haitian Creole (those that are no word of another language)
    "|pebrero|marso|hunyo|hulyo|setyembre|oktubre|nobyembre|disyembre|janvye|fevriye|jiyè|septanm|oktòb|novanm|desanm"
    "|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro"
    "|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
    "|januar|jänner|jaenner|februar|feber|märz|maerz|juni|juli|oktober|dezember|april|august|september|november"
    "|januari|februari|maart|mei|augustus|augusti|maj|marts|desember"
    # Swahili ("tarehe 4 Novemba 2026", "12 Machi 1950")
    "|machi|aprili|juni|julai|agosti|septemba|oktoba|novemba|desemba"
    "|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|wrzesnia|października|pazdziernika"
    "|listopada|grudnia|ledna|února|unora|března|brezna|dubna|května|kvetna|června|cervna|července|cervence|srpna"
    "|září|zari|října|rijna|listopadu|prosince"
    "|ocak|şubat|subat|mart|nisan|mayıs|mayis|haziran|temmuz|ağustos|agustos|eylül|eylul|ekim|kasım|kasim|aralık"
    "|aralik"
    "|ιανουαρίου|φεβρουαρίου|μαρτίου|απριλίου|μαΐου|μαίου|ιουνίου|ιουλίου|αυγούστου|σεπτεμβρίου|οκτωβρίου"
    "|νοεμβρίου|δεκεμβρίου"
    # the months of the Islamic calendar: "30 Dhul Hijjah", "12 Rabi al-Awwal"
    "|muharram|safar|rabi(?:[ \t]+al)?[ \t-](?:awwal|thani|akhir)|jumada(?:[ \t]+al)?[ \t-](?:awwal|ula|thani|akhirah|akhira)"
    "|rajab|sha['’]?ban|shawwal|dhu(?:l|[ \t]+al)?[ \t-]?(?:qa['’]?dah|qi['’]?dah|hijjah|hijja)"
    "|ramadan|ramadhan|ramazan|ramzan"
    # Malay and Indonesian ("15 Ogos", "2 Disember", "17 Agustus"), and the solar Hijri calendar ("21 Farvardin 1365")
    "|mac|maret|julai|ogos|agustus|disember|nopember|pebruari"
    "|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie"
    "|farvardin|ordibehesht|khordad|mordad|shahrivar|aban|azar|bahman|esfand")
_FOREIGN_DATE_RX = re.compile(
    rf"(?<![0-9.,])(?:[12][0-9]|3[01]|0?[1-9])(?:\.|º|°|er|o)?[ \t]*(?:(?:de|di|del)[ \t]+)?"
    rf"(?P<mon>(?i:{_FOREIGN_MONTHS}))(?![^\W\d_])(?:[ \t]*(?:,|de|del|di)?[ \t]*(?:19|20)[0-9][0-9](?![0-9]))?"
    # a day, a month's abbreviation and a year with dashes or dots: "30-ago-1962", "8-ene-2025", "12.dic.2024"
    r"|(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])(?P<sep>[-./])(?i:ene|abr|ago|dic|dez|gen|mag|giu|lug|ott|set|out|fev|mai"
    r"|okt|mrt|maj)(?P=sep)(?:19|20)?[0-9][0-9](?![0-9])"
    # a month's abbreviation after "de": "me atendieron el 19 de nov", "dia 3 de set." (the whole name is above)
    r"|(?<![0-9.,])(?:[12][0-9]|3[01]|0?[1-9])[ \t]+de[ \t]+(?i:ene|feb|abr|ago|sept?|set|oct|out|nov|dic|dez)\.?(?![^\W\d_])"
    # a month in Roman numerals: "24.IV.2025", "3/XII/2024"
    r"|(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])(?P<rsep>[./-])(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)(?P=rsep)"
    r"(?:19|20)?[0-9][0-9](?![0-9])"
    # Chinese, Japanese and Korean dates: "2025年3月18日", "4月2日", "令和6年5月20日", "2024년 3월 5일"
    r"|(?:(?:19|20)[0-9][0-9]年|(?:令和|平成|昭和)[0-9元]{1,2}年)?[0-9]{1,2}月[0-9]{1,2}日"
    r"|(?:(?:19|20)[0-9][0-9]년[ \t]*)?[0-9]{1,2}월[ \t]*[0-9]{1,2}일")
# a day and month with dots: a range ("from 2.5. to 9.5.", "3.9.-7.9."), after "am"/"vom"/"seit" ("am 3. 9."), or
# after LMP/EDD ("LMP 15.12"); a decimal after "to" ("reduce to 2.5.") is none of these
_DAY_MONTH = r"(?:[12][0-9]|3[01]|0?[1-9])\.[ ]?(?:1[0-2]|0?[1-9])"
_DOTTED_DAY_MONTH_RX = re.compile(
    rf"(?<![0-9.])(?P<a>{_DAY_MONTH}\.)[ \t]*(?:to|bis|-|–|al|au|a|do|till|til|until)[ \t]*(?P<b>{_DAY_MONTH}\.?)(?![0-9]|\.[0-9])"
    rf"|(?i:\b(?:am|vom|seit|ab|den|dem)[ \t]+)(?P<c>{_DAY_MONTH}\.)(?![0-9]|\.[0-9])"
    rf"|(?i:\b(?:lmp|edd|edc)[ \t:]*)(?P<d>{_DAY_MONTH}\.?)(?![0-9]|\.[0-9])"
    # after "on", "appt", "since" and the like: with a closing dot ("checkup on 15.12.", "appt: 10.12. um 8:15",
    # "miscarriage on 3. 9.") or a month of two digits ("on 15.12"), never a quantity ("on 10.25 mg")
    rf"|(?i:\b(?:on|appt|appointment|termin|since|from|until|till|due|born|admitted|discharged|date|seen)[ \t]*:?[ \t]+)"
    rf"(?P<e>{_DAY_MONTH}\.(?![0-9]|\.[0-9])|(?:[12][0-9]|3[01]|0?[1-9])\.(?:1[0-2]|0[1-9])(?![0-9]|\.[0-9]|[ \t]*(?:[%µ]"
    rf"|(?i:mg|mcg|ml|mmol|g|kg|l|iu|units?|u|x|mm|cm|mmhg|bpm)\b)))"
    # (the start of a range is the range's: "from 2.11. to 6.11.")
    rf"(?!\.?[ \t]*(?:to|bis|-|–|al|au|a|do|till|til|until)[ \t]*{_DAY_MONTH})"
    # a range of days of one month with months of two digits: "flu 10.11-14.11" (checked in code)
    rf"|(?<![0-9.])(?P<f>(?:[12][0-9]|3[01]|0?[1-9])\.(?:1[0-2]|0[1-9]))[ \t]*[-–][ \t]*"
    rf"(?P<g>(?:[12][0-9]|3[01]|0?[1-9])\.(?:1[0-2]|0[1-9]))(?![0-9]|\.[0-9])")
# a day after a weekday of another language: "du lundi 2 au jeudi 5", "Montag, 14.12.", "el jueves 3", "sexta-feira 9"
_FOREIGN_WEEKDAYS = (r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag"
                     r"|samstag|sonntag|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
                     r"|segunda-feira|terça-feira|terca-feira|quarta-feira|quinta-feira|sexta-feira|lunedì|martedì"
                     r"|mercoledì|giovedì|venerdì|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag")
_FOREIGN_WEEKDAY_DAY_RX = re.compile(
    rf"(?i:\b(?:{_FOREIGN_WEEKDAYS}))[ \t]*,?[ \t]+(?:(?i:den|le|el|il|o|dia)[ \t]+)?"
    r"(?P<d>(?:[12][0-9]|3[01]|0?[1-9])(?:\.[ ]?(?:1[0-2]|0?[1-9])\.?)?)(?![0-9]|\.[0-9]|[ \t]*(?:[:h][0-9]"
    r"|(?i:[ap]m\b|uhr|h\b|heures?|horas?|hrs?|veces|vezes|fois|mal\b|times|tabletten|comprimidos?|mg|ml)))")
# the start of a range of days whose end is a date: "vom 9. bis 13.11.", "de 20 a 24 de março", "from 5 to 9 March"
_RANGE_START_RX = re.compile(
    r"(?i:\b(?:vom|von|from|du|de|del|desde))[ \t]+(?P<d>(?:[12][0-9]|3[01]|0?[1-9])\.?)[ \t]+"
    r"(?i:bis|au|a|al|to|till|until|hasta|até)[ \t]+(?:(?P<e>(?:[12][0-9]|3[01]|0?[1-9])\.[ ]?(?:1[0-2]|0?[1-9])\.)"
    r"(?![0-9])|(?=(?:[12][0-9]|3[01]|0?[1-9])\.?[ \t]*"
    rf"(?:de[ \t]+)?(?i:{_FOREIGN_MONTHS}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))")
# ages over 89 in words of other languages, before the word for years: "noventa y tres años", "novantasei anni",
# "quatre-vingt-quatorze ans", "doksan iki yaşında", "cento e dois anos", "einundneunzig Jahre"
_FOREIGN_WORD_AGE_RX = re.compile(
    r"(?i:\b(?:noventa(?:[ \t]+[ye][ \t]+[^\W\d_]+)?|cien|ciento(?:[ \t]+(?:y[ \t]+)?[^\W\d_]+)?|cem|cento"
    r"(?:[ \t]+e[ \t]+[^\W\d_]+)?|novant[^\W\d_]*|cent(?:o|[ \t-][^\W\d_]+)?|quatre-vingt-(?:dix|onze|douze|treize"
    r"|quatorze|quinze|seize)(?:-[^\W\d_]+)?|nonante(?:[ -][^\W\d_]+)?|(?:[^\W\d_]+und)?neunzig|hundert[^\W\d_]*"
    r"|(?:[^\W\d_]+en)?negentig|honderd[^\W\d_]*|doksan(?:[ \t]+[^\W\d_]+)?|yüz(?:[ \t]+[^\W\d_]+)?))"
    r"(?=[ \t]+(?i:años|anos|anni|ans|jahre|jahren|jaar|yaşında|yasinda|yaş|år|lat|let)\b)")


# what a text needs for `_foreign_dates_and_ages`: a day before a month name of another language, a day and month
# with dots, the words for years of other languages (in RE2's syntax too: part of EXTRA_PREFILTER)
_FOREIGN_GATE = (r"[0-9](?:\.|o|º|°)?[ \t]*(?:(?:de|di|del)[ \t]+)?(?i:" + _FOREIGN_MONTHS + r")|[0-9]月|[0-9]월"
    r"|[0-9]-(?i:ene|abr|ago|dic|dez|gen|mag|giu|lug|ott|set|out|fev|mai|okt|mrt|maj)-|[0-9]\.[ ]?[0-9]{1,2}\."
    r"|[0-9][ \t]+de[ \t]+(?i:ene|feb|abr|ago|sep|set|oct|out|nov|dic|dez)"
    r"|(?i:on|appt|appointment|termin|since|from|until|till|due|born|admitted|discharged|date|seen)[ \t]*:?[ \t]+[0-9]{1,2}\.[01][0-9]"
    r"|[0-9]\.[01][0-9][ \t]*[-–][ \t]*[0-9]{1,2}\.[01][0-9]"
    r"|[0-9][./-](?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)[./-][0-9]"
    # a day after a weekday of another language, the start of a range of days
    r"|(?i:" + _FOREIGN_WEEKDAYS + r")[ \t]*,?[ \t]+(?:(?i:den|le|el|il|o|dia)[ \t]+)?[0-9]"
    r"|(?i:vom|von|from|du|de|del|desde)[ \t]+[0-9]{1,2}\.?[ \t]+(?i:bis|au|a|al|to|till|until|hasta|até)[ \t]+[0-9]"
    # English dates in `_WORD_DATE_RX`'s shapes
    r"|(?:jan|feb|apr|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]+[0-9]|(?i:first|second|third|fourth|fifth|sixth"
    r"|seventh|eighth|ninth|tenth|eleventh|twelfth|teenth|twentieth|thirtieth)[ \t]+of[ \t]+[A-Za-z]"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)[ \t]+"
    r"(?:the[ \t]+)?(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|teenth"
    r"|twentieth|thirtieth|twenty|thirty)"
    r"|(?i:lmp|edd|edc)[ \t:]*[0-9]{1,2}\.[0-9]|[ \t](?i:años|anos|anni|ans|jahre|jahren|jaar|yaşında|yasinda|yaş|år)[ \t.,;!?)]"
)
_FOREIGN_GATE_RX = re.compile(_FOREIGN_GATE)
# a month and year of another language ("março de 2025", "Oktober 2024"); a day and month after a preposition ("la
# cita del 2/9", "mon rdv du 8/5", "internação dia 14/03", "bis 30.06."): `_foreign_month_years_and_days`, whose
# Python side looks from each year or day and month back, so only RE2 scans for the words (in EXTRA_PREFILTER)
# Tagalog and Haitian Creole months (those that are no English word), English ones in lower case and abbreviated
_MORE_MONTHS = ("enero|pebrero|marso|abril|mayo|hunyo|hulyo|agosto|setyembre|oktubre|nobyembre|disyembre"
                "|janvye|fevriye|avril|jiyè|jiye|septanm|oktòb|oktob|novanm|desanm"
                "|january|february|march|june|july|october|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_FOREIGN_GATE_MORE = (r"(?i:" + _FOREIGN_MONTHS + "|" + _MORE_MONTHS + r")\.?[ \t]+(?:[0-9]{1,2},?[ \t]+)?"
                      r"(?:(?i:de|del)[ \t]+)?(?:19|20)[0-9][0-9]"
                      r"|(?i:del|du|dia|dal|al|bis|am|op|do|da)[ \t]+[0-9]{1,2}[/.][0-9]{1,2}")
_YEAR_RX = re.compile(r"(?:19|20)[0-9][0-9](?![0-9])")
_FOREIGN_MONTH_BEFORE_YEAR_RX = re.compile(
    rf"(?<![^\W\d_])(?P<mon>(?i:{_FOREIGN_MONTHS}|{_MORE_MONTHS}))\.?[ \t]+(?:(?:[12][0-9]|3[01]|0?[1-9]),?[ \t]+)?"
    rf"(?:(?i:de|del)[ \t]+)?$")
_DAY_MONTH_RX = re.compile(
    r"(?P<d>(?:[12][0-9]|3[01]|0?[1-9])(?P<sep>[/.])(?:1[0-2]|0?[1-9])(?:\.(?![0-9]))?)(?![0-9]|[/.,][0-9])")
_PREP_BEFORE_DAY_RX = re.compile(r"(?<![\w])(?P<p>(?i:del|du|dia|dal|al|bis|am|op|do|da))[ \t]+$")
# what comes before such a day and month within a sentence: an appointment, an admission, an examination
_FOREIGN_EVENT_BEFORE_RX = re.compile(
    r"(?i:cita|turno|consulta|rdv|rendez|appuntament|visita|termin|afspraak|resonancia|risonanza|cirug|operaci|internaç"
    r"|internac|ingreso|ricovero|exame|examen|análisis|analisis|analisi|esame|prise[ \t]+de[ \t]+sang|control|contrôle"
    r"|vacuna|vacina|vaccin|impfung|gutachten|attest|ecograf|ultrass|scan|appointment|appt|surgery|biops|prova|ensayo"
    r"|spedal|hospital|urgenc|alta\b|dimissione|entlassung|aufnahme|opname|kontrol)[^\n.!?]{0,40}$")


# English dates written otherwise: a month in lower case before its day ("on oct 30", "december 5th"), a day in words
# ("the twelfth of December", "October thirty-first")
_MONTHS_EN = ("january|february|march|april|may|june|july|august|september|october|november|december"
              "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_ORDINAL_WORDS = ("(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second"
                  "|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth"
                  "|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth")
_UNIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"
# a year read out: "nineteen sixty", "nineteen oh five", "two thousand and three", "twenty twenty-one"
_YEAR_IN_WORDS = (rf"(?:nineteen|twenty)[ \t-]+(?:(?:oh|o)[ \t-]+(?:{_UNIT_WORDS})|ten|eleven|twelve|thirteen|fourteen"
                  rf"|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                  rf"(?:[ \t-](?:{_UNIT_WORDS}))?|hundred)(?![\w-])"
                  rf"|two[ \t]+thousand(?:[ \t]+and)?(?:[ \t]+(?:{_UNIT_WORDS}|ten|eleven|twelve|thirteen|fourteen|fifteen"
                  rf"|sixteen|seventeen|eighteen|nineteen|twenty(?:[ \t-](?:{_UNIT_WORDS}))?))?(?![\w-])")
_WORD_DATE_RX = re.compile(
    # (no "may" or "march" in lower case: "may 5 people", "march 5 km")
    r"(?<![\w'’-])(?:january|february|april|june|july|august|september|october|november|december|jan|feb|apr|jun"
    r"|jul|aug|sept|sep|oct|nov|dec)\.?[ \t]+(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![0-9A-Za-z])"
    + _NOT_A_QUANTITY + r"(?:,?[ \t]+(?:19|20)[0-9][0-9](?![0-9]))?"
    rf"|(?<![\w'’-])(?:the[ \t]+)?(?i:{_ORDINAL_WORDS})[ \t]+of[ \t]+(?:(?i:{_MONTHS_EN})|May|March)(?![A-Za-z])"
    rf"|(?<![\w'’-])(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    rf"[ \t]+(?i:{_ORDINAL_WORDS})(?![A-Za-z])(?:,?[ \t]+(?:(?i:of)[ \t]+)?(?i:{_YEAR_IN_WORDS}))?"
    rf"(?![ \t]+[a-z]{{3,}}(?<!and)(?<!the)\b)")


def _foreign_dates_and_ages(text: str) -> list:
    # a month's name in capitals in a text that is not ("budesonide/formoterol 200/6 MART") is an acronym
    spans = [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _FOREIGN_DATE_RX.finditer(text)
             if not (m.group("mon") and m.group("mon").isupper() and len(m.group("mon")) > 2 and not text.isupper())]
    if "." in text:
        for m in _DOTTED_DAY_MONTH_RX.finditer(text):
            if m.group("f"):
                (d1, m1), (d2, m2) = (map(int, m.group(g).split(".")) for g in "fg")
                if m1 == m2 and d1 < d2:
                    spans += [(m.start(g), m.end(g), "DATE", PLACEHOLDERS["DATE"]) for g in "fg"]
                continue
            spans += [(m.start(g), m.end(g), "DATE", PLACEHOLDERS["DATE"]) for g in "abcde" if m.group(g)]
    spans += [(m.start(), m.end(), "AGE", PLACEHOLDERS["AGE"]) for m in _FOREIGN_WORD_AGE_RX.finditer(text)]
    spans += [(m.start("d"), m.end("d"), "DATE", PLACEHOLDERS["DATE"]) for m in _FOREIGN_WEEKDAY_DAY_RX.finditer(text)]
    for m in _RANGE_START_RX.finditer(text):
        spans += [(m.start(g), m.end(g), "DATE", PLACEHOLDERS["DATE"]) for g in "de" if m.group(g)]
    spans += [(m.start(), m.end(), "DATE", PLACEHOLDERS["DATE"]) for m in _WORD_DATE_RX.finditer(text)]
    return spans


def _field_at(text: str, pos: int) -> str:
    """The field of a joined text (fields joined by FIELD_SEPARATOR) that `pos` is in."""
    end = text.find("\x1e", pos)
    return text[text.rfind("\x1e", 0, pos) + 1:end if end >= 0 else len(text)]


# a year after "may" in lower case and a preposition ("had covid in may 2021": the verb takes no year), or after a
# holiday, which names its day ("born on Christmas Eve 2025", "since Diwali 2023")
_MAY_OR_HOLIDAY = (r"christmas(?:[ \t]+(?:eve|day))?|new[ \t]+year['’]?s(?:[ \t]+(?:eve|day))?|thanksgiving(?:[ \t]+day)?"
                   r"|easter(?:[ \t]+(?:sunday|monday))?|halloween|boxing[ \t]+day|valentine['’]?s[ \t]+day"
                   r"|independence[ \t]+day|fourth[ \t]+of[ \t]+july|guy[ \t]+fawkes(?:[ \t]+night)?|bonfire[ \t]+night"
                   r"|diwali|deepavali|holi|eid(?:[ \t-]+(?:al|ul)[ \t-]+(?:fitr|adha))?|hanukkah|rosh[ \t]+hashanah"
                   r"|yom[ \t]+kippur|(?:chinese|lunar)[ \t]+new[ \t]+year|songkran|onam|pongal|navratri|durga[ \t]+puja|ramadan")
_MAY_OR_HOLIDAY_BEFORE_YEAR_RX = re.compile(
    r"(?:(?<![\w'’])(?i:in|since|from|until|till|during|of|last|early|late|mid|before|after|to|by)[ \t]+(?P<may>(?i:may))"
    rf"|(?<![\w'’])(?P<h>(?i:{_MAY_OR_HOLIDAY})))[ \t]*,?[ \t]+(?:(?i:of)[ \t]+)?$")


def _foreign_month_years_and_days(text: str) -> list:
    """A month and year of another language; a day and month after a preposition and an appointment or admission;
    a year after "may" or a holiday (`_MAY_OR_HOLIDAY_BEFORE_YEAR_RX`)."""
    spans = []
    for y in _YEAR_RX.finditer(text):
        if y.start() and text[y.start() - 1].isdigit():
            continue
        h = _MAY_OR_HOLIDAY_BEFORE_YEAR_RX.search(text, max(0, y.start() - 40), y.start())
        if h:
            spans.append((h.start("may") if h.group("may") else h.start("h"), y.end(), "DATE", PLACEHOLDERS["DATE"]))
        m = _FOREIGN_MONTH_BEFORE_YEAR_RX.search(text, max(0, y.start() - 20), y.start())
        if m and not (m.group("mon").isupper() and not _field_at(text, m.start()).isupper()) \
                and not _EXPIRY_BEFORE_RX.search(text, max(0, m.start() - 24), m.start()):
            spans.append((m.start(), y.end(), "DATE", PLACEHOLDERS["DATE"]))
    for d in _DAY_MONTH_RX.finditer(text):
        start = d.start()
        if start and (text[start - 1].isdigit() or text[start - 1] in "./"):
            continue
        p = _PREP_BEFORE_DAY_RX.search(text, max(0, start - 6), start)
        if p is None:
            continue
        value = d.group("d")
        if (d.group("sep") == "." and value.endswith(".") and p.group("p").lower() == "bis") or \
                _FOREIGN_EVENT_BEFORE_RX.search(text, max(0, p.start() - 48), p.start()):
            spans.append((start, d.end("d") - (1 if value.endswith(".") and d.group("sep") == "/" else 0),
                          "DATE", PLACEHOLDERS["DATE"]))
    return spans


# after an address: its town and postcode ("Randwick NSW 2031", ", Johannesburg, 2196", " Giza 12611", "Co. Kildare
# W91 X2T4"): four to six digits or an Eircode-like code, after at most a place word and a state code
_POSTCODE_AFTER_ADDRESS_RX = re.compile(
    r"(?:,?[ \t]*(?:Co\.[ \t]+)?[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)?(?:,?[ \t]*[A-Z]{2,3})?,?[ \t]*"
    r"(?:[0-9]{4,6}|[A-Z][0-9]{2}[ \t]?[0-9A-Z]{4})(?![0-9A-Za-z])")


def _with_postcode(text: str, span: tuple) -> tuple:
    if text[span[1]:span[1] + 1] == "-" and text[span[1] + 1:span[1] + 6].isdigit() and not \
            text[span[1] + 6:span[1] + 7].isalnum():
        return span[0], span[1] + 6, span[2], span[3]  # "P.O. Box 4471-00100, Nairobi"
    m = _POSTCODE_AFTER_ADDRESS_RX.match(text, span[1])
    return (span[0], m.end(), span[2], span[3]) if m else span


# ---- codes with capitals after a label, postcodes near an address ---------------------------------------------
# A record number with capitals in it, in parts or after a hospital's letters: "MRN: NICU-KBT-0441", "file number
# is SCD/0441", "UHID APL.0021877463", "Reg no: 4412-A", "hospital number is KATH 0082415". Only after a label
# (`_label_type`); a product's or a terminology's code stays ("lot AB-1234").
_LETTER_CODE_RX = re.compile(
    r"(?<![\w./-])(?:[A-Z][A-Z0-9]*(?:[-/.][A-Z0-9]+)+|[0-9]{3,}[-/][A-Z]{1,3}|[A-Z]{2,5}(?:[ \t][0-9]{3,}){1,2})"
    r"(?![\w/]|[-.][A-Za-z0-9])")


# a code of capitals and digits with no separator after a payment's or a passport's label: "M-Pesa transaction
# code RKL4X8PQ2Z", "meine Reisepassnummer ist C4KT91R27"
_MIXED_CODE_AFTER_LABEL_RX = re.compile(
    r"(?<![A-Za-z])(?i:(?:m-?pesa[ \t]+)?transaction(?:[ \t]+(?:code|id|no\.?|number|ref(?:erence)?))?|txn(?:[ \t]+id)?"
    # a booking's reference: "the booking ref is QF7H2K", "PNR: X7KQ2B"
    r"|booking(?:[ \t]+(?:ref(?:erence)?|no\.?|number|code|id))?|pnr|reservation(?:[ \t]+(?:code|no\.?|number))?"
    r"|confirmation[ \t]+(?:code|no\.?|number)"
    r"|reisepassnummer|passnummer|passport(?:[ \t]+(?:no\.?|number|#))?|passeport|pasaporte|passaporto|passaporte)"
    r"[ \t]*(?i:is|ist|est|es|è|é|:|#|-)?[ \t]*(?P<v>(?=[A-Z0-9]*[A-Z][A-Z0-9]*[0-9]|[A-Z0-9]*[0-9][A-Z0-9]*[A-Z])[A-Z0-9]{6,12})"
    r"(?![\w-])")


def _labelled_letter_codes(text: str, shapes: bool, extra: bool = True) -> list:
    """Where EXTRA_PREFILTER matches (`extra`) `_MIXED_CODE_AFTER_LABEL_RX`, and where SHAPE_PREFILTER matches
    (`shapes`) `_LETTER_CODE_RX` after a label."""
    spans = []
    if extra and ("ransaction" in text or "RANSACTION" in text or "txn" in text or "TXN" in text or "Txn" in text
                  or "ooking" in text or "OOKING" in text or "PNR" in text or "pnr" in text or "eservation" in text
                  or "onfirmation" in text
                  or "assport" in text or "ASSPORT" in text or "assnummer" in text or "asseport" in text
                  or "asaporte" in text or "assaport" in text):
        spans += [(m.start("v"), m.end("v"), "ACCOUNT" if m.group()[:1] in "TtMm" and "ooking" not in m.group() else "ID", "")
                  for m in _MIXED_CODE_AFTER_LABEL_RX.finditer(text)]
        spans = [(a, b, k, PLACEHOLDERS[k]) for a, b, k, _ in spans]
    if not shapes:
        return spans
    for m in _LETTER_CODE_RX.finditer(text):
        n = _digits(m.group())
        if n < 3 or _TRIAL_REGISTRY_RX.match(text, m.start()):
            continue
        kind = _label_type(text, m.start(), n)
        if kind is None or kind == "PHONE" or _CODE_NOT_AFTER_LABEL_RX.search(text, max(0, m.start() - 24), m.start()):
            continue
        spans.append((m.start(), m.end(), kind, PLACEHOLDERS[kind]))
    return spans


# A postcode beside a place shortly after an address already found, or after an address cue: "[street], int. 5,
# 00153 Roma", "[street]. San Isidro, Makati 1234", "Atlanta GA 30326", "address 45-B Gulberg III, 54660", "send to
# ..., noida 201301", "010512 București", "105 63 Αθήνα", "C1193 CABA", "1100-053 Lisboa", "Cape Town\n8001"
_NEAR_POSTCODE_RX = re.compile(
    r"(?:(?<=[^\W\d_])[ \t]*,?[ \t]*|(?<=[^\W\d_])[ \t]*\n[ \t]*|(?<![\w.,/+#-])|(?<=[^\W\d_])-(?=[0-9]{4}(?![\w-])))"
    r"(?P<pc>[0-9]{3}[ ][0-9]{2}|[0-9]{4}-[0-9]{3}|[0-9]{2}-[0-9]{3}|[0-9]{5}-[0-9]{3,4}|[0-9]{3}-[0-9]{4}"
    r"|[A-Z][0-9]{4}(?:[A-Z]{3})?|[0-9]{4}[ ]?[A-Z]{2}(?![A-Za-z])|[A-Z][0-9]{2}[ ][0-9A-Z]{4}|PC[ \t][0-9]{3}|[0-9]{4,6})"
    r"(?![\w/]|[.,:-][0-9])")
_AFTER_POSTCODE_RX = re.compile(r"[ \t]*(?:$|[,.;)\n—–-]|[ \t]*[^\W\d_])")
_ADDRESS_CUE_RX = re.compile(
    r"(?i:address|adress|adresse|adres|adresa|adresas|direcci[oó]n|endere[cç]o|indirizzo|alamat|anschrift|osoite"
    r"|(?:send|sent|post|mail)[ \t]+(?:it[ \t]+|them[ \t]+|(?:the|a|my)(?:[ \t]+\w+){1,3}[ \t]+)?to|deliver(?:ed)?[ \t]+to|vivo[ \t]+en"
    r"|live[ \t]+(?:at|in|on)|moved[ \t]+to|we[ \t]+are[ \t]+at)|Διεύθυνση|διεύθυνση|адрес|Адрес")
_NOT_POSTCODE_BEFORE_RX = re.compile(r"(?:(?i:\b(?:rs|inr|usd|kes|php|no|nr|room|ward|bed|ext|unit|suite|apt|app|ap)\.?)"
                                     r"|[$€£#])[ \t]*$")
_POSTCODE_CUE_GATE_RX = re.compile(r"[0-9]{4}|[0-9]{3} [0-9]{2}|[0-9]{2}-[0-9]{3}|PC [0-9]|[A-Z][0-9]{2} [0-9A-Z]{4}")


def _near_postcodes(text: str, spans: list, extra: bool = True) -> list:
    """The postcodes near an ADDRESS span of `spans`, and where EXTRA_PREFILTER matches (`extra`) after a cue."""
    anchors = [sp[1] for sp in spans if sp[2] == "ADDRESS"]
    cues = []
    if extra and _POSTCODE_CUE_GATE_RX.search(text):
        cues = [m.end() for m in _ADDRESS_CUE_RX.finditer(text)]
    out = []
    for anchor, reach, from_cue in [(a, 64, False) for a in anchors] + [(c, 110, True) for c in cues]:
        end = min(len(text), anchor + reach)
        for stop in ("?", "!", "\n\n", "\x1e"):
            i = text.find(stop, anchor, end)
            if i >= 0:
                end = i
        for m in _NEAR_POSTCODE_RX.finditer(text, anchor, end):
            pc = m.group("pc")
            if pc.isdigit() and len(pc) == 4 and pc[:2] in ("19", "20") and not text[max(0, m.start("pc") - 4):
                                                                                    m.start("pc")].rstrip(" ,").isupper():
                continue  # a year ("moved here in 2019"); "QLD 4225" keeps its postcode
            if not _AFTER_POSTCODE_RX.match(text, m.end("pc")) or _NOT_AN_AGE_AFTER_RX.match(text, m.end("pc")) or \
                    _QUANTITY_AFTER_RX.match(text, m.end("pc")):
                continue
            if _NOT_POSTCODE_BEFORE_RX.search(text, max(anchor, m.start("pc") - 12), m.start("pc")):
                continue  # an amount, a house, room or bed number
            start = m.start("pc")
            if from_cue and not any(a <= start <= a + 64 for a in anchors):
                # the street between the cue and the postcode ("address 45-B Gulberg III, 54660")
                head = _CUE_STREET_RX.match(text, anchor, start)
                if head:
                    start = head.start("s")
            out.append((start, m.end("pc"), "ADDRESS", PLACEHOLDERS["ADDRESS"]))
            break
    return out


# the street after an address cue, when it opens with a house number or a dwelling's word
_CUE_STREET_RX = re.compile(
    r"[ \t]*(?::|-|is|es|é|ka|ist)?[ \t]*(?P<s>(?:(?i:no\.?|house|flat|plot|lot|blk|block|h\.?[ \t]*no\.?)[ \t]*)?[0-9][^\n?!]*?)"
    r"[ \t,]*$")


# the sender of a line in an exported chat: "[10:42] Ama: ...", "[12/03/24, 10:42:13] Ama Mensah: ...",
# "12/03/2024, 10:42 - Priyanka S: ..."
_CHAT_SENDER = r"(?P<n>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2})[ \t]*:"
# (one pattern per layout, the bracketed one opening with a literal)
_CHAT_SENDER_RXS = (
    # (an app's name may open the brackets: "[WhatsApp, 12/03/2026 08:15] Kiptoo:")
    re.compile(r"\[(?:[A-Za-z]{3,12},?[ \t]*)?(?:[0-9/.-]{6,10},?[ \t]*)?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
               r"(?:[ \t]*[AaPp]\.?[Mm]\.?)?\][ \t]*"
               + _CHAT_SENDER),
    re.compile(r"(?<![0-9])[0-9/.-]{6,10},[ \t]*[0-9]{1,2}:[0-9]{2}(?:[ \t]*[AaPp][Mm])?[ \t]+[-–][ \t]+" + _CHAT_SENDER))


# what a time in brackets may head instead of a sender: a dose schedule ("[22:00] Night: ...")
_SCHEDULE_WORDS = frozenset("""morning afternoon evening night noon midday midnight breakfast lunch dinner supper bedtime
dose doses reminder note update alarm meds medicine medicines tablets""".split())


def _chat_senders(text: str) -> list:
    spans = []
    for m in (m for rx, leads in zip(_CHAT_SENDER_RXS, (("]",), (" -", " –"))) if any(lead in text for lead in leads)
              for m in rx.finditer(text)):
        first = m.group("n").split()[0].lower().rstrip(".")
        if len(first) >= 4 and first in (_VOCABULARY or _gazetteer() and _VOCABULARY) and first not in _GAZETTEER:
            continue  # "[10:42] Pain: 7/10": a word, not a sender
        if first not in _PROSE_NOT_NAMES and first not in _SCHEDULE_WORDS:  # "Me:", "Doctor:", "Mum:"
            spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    return spans


# a number to call, by the verb before it ("call my daughter on 55 4127 8830", "text me at 0803 555 0192"), and a
# number dialled from North America to another country ("011 54 9 11 5555-2938")
# (the verbs and "on" of other languages too: "Posso chiamarla al 333 1234567", "llámame al 612 345 678")
_CALL_VERBS = (r"call|ring|text|phone|whatsapp|reach|contact|contacted|chiamar[a-z]*|chiamami|chiamatemi|llamar[a-z]*"
               r"|llámame|llamame|ligue|ligar|ligue-me|appelez|appeler|anrufen")
_CALL_PREPS = r"on|at|al|au|am|unter|op|no|en|para|sul"
_CALLED_PHONE_RX = re.compile(
    rf"(?i:\b(?:{_CALL_VERBS})(?:[ \t]+(?!(?:{_CALL_PREPS})\b)[\w'’]+){{0,3}}[ \t]+(?:{_CALL_PREPS})[ \t]+)"
    r"(?P<num>\+?[0-9][0-9 ().-]{5,}[0-9])(?![\w])")
_INTL_011_RX = re.compile(r"(?<![\w+])(?P<num>011[ .-]?[1-9][0-9]{0,2}(?:[ .-]?[0-9]{1,5}){2,6})(?![\w])")


# an Indian payment address after its label: "UPI ID ravi.k.patel@okhdfcbank"
_TELEGRAM_RX = re.compile(r"(?<![\w.])t\.me/[A-Za-z0-9_]{3,}")
# a messaging account after its app's name: "WeChat ID: wxid_liuyang_8871", "on LINE, my ID is aya_nk_0721",
# "skype: live:.cid.8e41a2b7c0d9", "portal username is huong.tran84" (a value with a digit, "_" or ".")
_MESSAGING_ID_RX = re.compile(
    r"(?<![\w])(?:(?i:wechat|weixin|skype|viber|kakao(?:talk)?|zalo|signal|telegram|user[ \t]?name|user[ \t]+id|login"
    # other languages' and other words for a login: "usuario: pgarcia_1970", "my account jsmith_1979", "line id is"
    r"|usuario|utilisateur|benutzer(?:name)?|gebruikersnaam|nome[ \t]+utente|line[ \t]+id|account"
    r"|logged[ \t]+in[ \t]+as|signed[ \t]+in[ \t]+as)|LINE"
    r"|Line[ \t]+(?i:id))"
    r"(?:[ \t]+(?i:me|at|on))?"
    r"(?:[^\n.:]{0,16}?\b(?i:id|handle|name|account|app|portal))?(?:[ \t]+(?i:is)|[ \t]*:|[ \t]+)[ \t]*"
    r"(?P<v>(?=[\w.:-]*[0-9_.])[A-Za-z][\w.:-]{3,}[\w])")
_SMALL_DECIMAL_RX = re.compile(r"[0-9]{1,4}\.[0-9]{1,3}")
_UPI_RX = re.compile(r"(?<![\w])(?i:upi)(?:[ \t]+(?i:id|handle|address))?[ \t]*[:#-]?[ \t]*(?P<v>[\w.-]+@[A-Za-z]+)(?![\w.@])")
_AMEX_RX = re.compile(r"(?<![0-9])3[47][0-9]{2}[ -]?[0-9]{6}[ -]?[0-9]{5}(?![0-9])")
# a phone number with a trunk prefix and two pairs at the end, as in Russia, Ukraine, Kazakhstan and Turkey
_TRUNK_PHONE_RX = re.compile(r"(?<![\w+(.,/-])[08][ -]?(?:\([0-9]{2,4}\)|[0-9]{2,4})[ -]?[0-9]{2,3}[ -][0-9]{2}[ -][0-9]{2}"
                             r"(?![\w.,/-]?[0-9])")
_UPPER_SLASH_RX = re.compile(r"[A-Z]/[A-Z]")
_SLASHED_FILE_RX = re.compile(r"(?<![\w/.-])[A-Z]{2,6}(?:/[A-Z]{2,6}){1,2}/[0-9]{3,8}(?![\w/])")
# "thandi.m [at] uct.example": an address whose "@" is spelled in brackets and whose dots are real
_BRACKET_AT_EMAIL_RX = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+[ \t]*(?:[(\[{](?:at|AT)[)\]}]|&#64;)[ \t]*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,12}(?![\w])")


_CALL_WORD_RX = re.compile(rf"\b(?i:{_CALL_VERBS})\b[^\n]*?[ \t](?i:{_CALL_PREPS})[ \t]+\+?[0-9]"
                           rf"|\b(?i:{_PHONE_WORDS})\b[^\n]{{0,16}}?[2-9][0-9]{{3}}[ -][0-9]{{4}}(?![0-9])")


# eight digits in two groups of four (Singapore, Hong Kong) right after a phone word: "update my phone number to 9123
# 5567", "mobile 9012 3456", "home 2655 1100"
_FOUR_FOUR_PHONE_RX = re.compile(
    rf"\b(?i:{_PHONE_WORDS})(?:[ \t]+(?i:number|no\.?|is|to|at|on)){{0,2}}[ \t]*[:.-]?[ \t]*"
    r"(?P<num>(?<![0-9])[2-9][0-9]{3}[ -][0-9]{4})(?![0-9]|[ -]?[0-9])")


# a day and month with a dot after a weekday: "the glucose test on Sunday 29.11?", "Mon 3.12." (German and
# Scandinavian weekdays are `_foreign_dates_and_ages`')
_WEEKDAY_DOT_DATE_RX = re.compile(r"\b(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                                  r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?),?"
                                  r"[ \t]+(?P<d>(?P<a>[0-9]{1,2})\.(?P<b>[0-9]{1,2}))(?![0-9]|\.[0-9])")
_WEEKDAY_DOT_DATE_GATE = r"(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+[0-9]{1,2}\.[0-9]{1,2}(?:[^0-9.]|\.[^0-9]|\.?$)"


# right after a person's name: an age over 89 set off by commas ("My dad, Chief Emeka Obi, 97, had a stroke", "mrs
# Ortiz, 90, she has shingles", "grandpa Tomas 90, he") and a phone number ending the clause ("Mrs Koh, 8123 4409",
# "Mrs. Gloria Haskins, 555-0147", "Søren Mikkelsen, 20 12 34 56, soren@...")
_AGE_AFTER_NAME_RX = re.compile(
    r"(?:,?[ \t]+|[ \t]+(?:is|was|turned|turns)[ \t]+)(?P<a>9[0-9]|1[01][0-9]"
    r"|(?i:ninety(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?))(?=[ \t]*(?:[,;)]|\.(?![0-9])|$|\n)"
    r"|[ \t]+(?i:and|but|has|had|is|was|lives|still|already|now|he|she|who|with|yrs?|years?|this|next|last|since"
    r"|today|tomorrow|soon)\b)")
_PHONE_SHAPE = r"\+?[0-9]{2,5}(?:[ -][0-9]{2,5}){1,4}|[0-9]{7,8}"
_PHONE_AFTER_NAME_RX = re.compile(rf",?[ \t]+(?P<n>{_PHONE_SHAPE})(?=[ \t]*(?:[,;)]|\.?[ \t]*(?:\n|$)))")
_YEARS_ONLY_RX = re.compile(r"(?:(?:19|20)[0-9]{2}[ -]?)+")


def _phone_like(value: str) -> bool:
    return 7 <= _digits(value) <= 13 and not _YEARS_ONLY_RX.fullmatch(value)


def _after_name_ages_and_phones(text: str, spans: list) -> list:
    found = []
    for sp in spans:
        if sp[2] != "NAME":
            continue
        m = _AGE_AFTER_NAME_RX.match(text, sp[1])
        if m:
            found.append((m.start("a"), m.end("a"), "AGE", PLACEHOLDERS["AGE"]))
            continue
        m = _PHONE_AFTER_NAME_RX.match(text, sp[1])
        if m and _phone_like(m.group("n")):
            found.append((m.start("n"), m.end("n"), "PHONE", PLACEHOLDERS["PHONE"]))
    return found


# a capitalised name after a title written in lower case, "thanks dr Papadopoulou.", "ask mrs Odhiambo", and the name
# of whom to call before a phone number, "Contact Anjali 0722 555 013", "call Bongani on 082 555 0193"
# (not a unit after a number: "QTc 452 ms. First-degree heart block")
_LOWER_TITLE_NAME_RX = re.compile(r"(?<![\w'’.])(?<![0-9][ \t])(?<![0-9])(?:dr|mr|mrs|ms|prof|dra|sr|sra)\.?[ \t]+"
                                  r"(?P<n>[A-Z][a-zà-ÿ'’-]{2,})"
                                  r"(?P<s>[ \t]+[A-Z][a-zà-ÿ'’-]{2,})?")
# (looked for before a phone found: "Contact Anjali " before "0722 555 013")
_CONTACT_NAME_BEFORE_PHONE_RX = re.compile(
    r"\b(?i:contact|call|ring|text|whatsapp|phone|ask[ \t]+for)[ \t]+(?P<n>[A-Z][a-z]{2,})(?P<s>[ \t]+[A-Z][a-z]{2,})?"
    r"[ \t]*[:,(-]?[ \t]*(?:(?i:on|at)[ \t]+)?$")
# (and the writer's name after their number at a clause's end: "WhatsApp me 0722 555 013, Sipho. The clinic ...")
_NAME_AFTER_PHONE_RX = re.compile(r"[ \t]*,[ \t]*(?P<n>[A-Z][a-z]{2,})(?P<s>[ \t]+[A-Z][a-z]{2,})?[ \t]*(?=[.!\n]|$)")
_LOWER_TITLE_GATE = r"(?:^|[^A-Za-z0-9'’.])(?:dr|mrs?|ms|prof|dra|sra?)\.?[ \t]+[A-Z][a-z]"
_LOWER_TITLES = ("dr ", "dr. ", "mr ", "mr. ", "mrs ", "mrs. ", "ms ", "ms. ", "prof ", "prof. ", "dra ", "dra. ", "sr ",
                 "sr. ", "sra ", "sra. ")


def _titled_and_contact_names(text: str, spans: list, kinds, lower_titles: bool = True) -> list:
    """`lower_titles`: whether to look for a name after a title in lower case (PROSE_PREFILTER holds
    `_LOWER_TITLE_GATE`: False where it saw none)."""
    found = []
    if lower_titles and any(t in text for t in _LOWER_TITLES):
        found += list(_LOWER_TITLE_NAME_RX.finditer(text))
    if "PHONE" in kinds:
        found += [m for sp in spans if sp[2] == "PHONE"
                  for m in (_CONTACT_NAME_BEFORE_PHONE_RX.search(text, max(0, sp[0] - 48), sp[0]),
                            _NAME_AFTER_PHONE_RX.match(text, sp[1])) if m]
    if not found:
        return []
    if _VOCABULARY is None:
        _gazetteer()
    spans = []
    for m in found:
        key = _lower_key(m.group("n"))
        if key in _VOCABULARY or key in _CALENDAR_NAMES or m.group("n") in _PROSE_NOT_NAMES or key in _KIN_AS_NAMES \
                or (m.re is _NAME_AFTER_PHONE_RX and key in (_PLACES or _places())):
            continue  # "call Reception on ...", "dr Google", "Call 0722 555 013, Nairobi."
        spans.append(_name_and_surname(m))
    return spans


def _name_and_surname(m: re.Match) -> tuple:
    """The NAME span of a match's given name (group "n") and, where it is no word of the language, the capitalised word
    after it (group "s"): "Grace Tan" keeps "Tan" out (a word), "Anjali Mehta" takes both."""
    end = m.end("n")
    if m.group("s") and _lower_key(m.group("s").strip()) not in _VOCABULARY:
        end = m.end("s")
    return m.start("n"), end, "NAME", PLACEHOLDERS["NAME"]


# "name is Grace Tan", "his name is Kwame", "the nurse's name was Lerato": a person's name after "name is" without
# "my" (not the name of a thing: "the brand name is Xarelto", "the app's name is Flo")
_NAME_IS_RX = re.compile(r"(?:name|Name)[ \t]+(?:is|was)[ \t]+(?P<n>[A-Z][a-zà-ÿ'’-]+)(?P<s>[ \t]+[A-Z][a-zà-ÿ'’-]+)?")
_WORD_BEFORE_NAME_IS_RX = re.compile(r"(?P<pre>[\w'’]+)[ \t]+$")
_THING_BEFORE_NAME = frozenset("""the its it's drug brand medicine medication tablet tablets pill product generic trade
app app's company hospital clinic pharmacy file user disease condition test procedure device street school shop
website site program programme plan account insurance scheme syndrome vaccine surgery operation cream injection
lab village town city place ward unit""".split())


def _name_is_names(text: str) -> list:
    if "ame is" not in text and "ame was" not in text:
        return []
    if _VOCABULARY is None:
        _gazetteer()
    if _FIRST_NAMES is None:
        _first_names()
    spans = []
    found = []
    for cue in ("ame is", "ame was"):
        i = text.find(cue)
        while i >= 1:
            if not text[i - 2:i - 1].isalnum():  # "name is", not "surname is"
                m = _NAME_IS_RX.match(text, i - 1)
                if m:
                    found.append(m)
            i = text.find(cue, i + len(cue))
    for m in found:
        before = _WORD_BEFORE_NAME_IS_RX.search(text, max(0, m.start() - 30), m.start())
        pre = before.group("pre").lower() if before else ""
        if pre in _THING_BEFORE_NAME or pre in ("my", "mein") or pre.endswith(("'s", "’s")) and pre[:-2] in _THING_BEFORE_NAME:
            continue
        key = _lower_key(m.group("n"))
        if (key in _VOCABULARY and key not in _FIRST_NAMES) or key in _CALENDAR_NAMES or m.group("n") in _PROSE_NOT_NAMES \
                or _DRUG_ENDING_RX.search(key):
            continue
        spans.append(_name_and_surname(m))
    return spans


# a signature: a line of one to three capitalised words (or words in capitals) right above a line with an e-mail
# or a phone number: "thank you doctor\n\nMARCUS ODHIAMBO\nmarcus.o@...", "Regards\nKiss Gábor\n+36 30 ..."
_SEVEN_DIGITS_RX = re.compile(r"[0-9](?:[ ().-]?[0-9]){6}")
_NAME_LINE_ABOVE_CONTACT_RX = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?P<n>[A-ZÀ-ÖØ-Þ][\w'’.-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’.-]+){0,2})"
    # (a credential after it: "Barbara J. Hollis, RN (ret.)")
    r"(?:[ \t]*,[ \t]*[A-Z][A-Za-z]{1,4}\.?(?:[ \t]*\([^()\n]{1,12}\))?)?[ \t]*,?[ \t]*\n"
    r"(?=[ \t]*[^\n]*(?:@|\+?[0-9][0-9 ().-]{6,}[0-9]))")


def _name_lines_above_contacts(text: str, digits: bool = True) -> list:
    """`digits`: False where DIGIT_PREFILTER saw no run of five digits (so no phone to sign above)."""
    if "@" not in text and (not digits or not _SEVEN_DIGITS_RX.search(text)):
        return []
    if text.count("\n") <= 2 * text.count("\x1e"):
        return []  # (no line break but FIELD_SEPARATOR's)
    found = list(_NAME_LINE_ABOVE_CONTACT_RX.finditer(text))
    if not found:
        return []
    if _VOCABULARY is None:
        _gazetteer()
    if _FIRST_NAMES is None:
        _first_names()
    spans = []
    for m in found:
        words = m.group("n").split()
        keys = [_lower_key(w.strip(".,")) for w in words]
        if any((k in _VOCABULARY and k not in _FIRST_NAMES) or k in _CALENDAR_NAMES or k in _FESTIVALS
               or k in _PROSE_NOT_NAMES or k in _NOT_OPENING_NAMES or not k for k in keys):
            continue  # "Pharmacy Team", "Sent from my iPhone", "Monday"
        if len(words) == 1 and keys[0] not in _FIRST_NAMES:
            continue  # one word no list knows as a given name: a heading more often than a name
        spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
    return spans


# who a child or a relative is, said of a capitalised word at a sentence's start or after a naming verb: "Sky is my 3
# year old and she has a rash", "Jasper is my 4 year old", "we named her Sakura", "everyone calls her Charing",
# "first name kathleen" (a word that is also a word of the language too: the sentence says it is a person)
_IS_MY_CHILD_RX = re.compile(
    r"(?:^|(?<=[.!?\n\x1e])[ \t]*|(?<=[.!?][ \t]))(?P<n>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)[ \t]+is[ \t]+(?:my|our)[ \t]+"
    r"(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|little|eldest|youngest|oldest|middle"
    r"|baby|son|daughter|boy|girl|grandson|granddaughter|husband|wife|partner|mother|father|mum|mom|dad|brother|sister"
    r"|nephew|niece|twin|stepson|stepdaughter)\b(?!['’])")
_NAMED_AS_RX = re.compile(r"(?:named|calls?|call|christened)[ \t]+(?:her|him|them|the[ \t]+baby)[ \t]+"
                          r"(?P<n>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w'’-])")
_FIRST_NAME_LABEL_RX = re.compile(r"(?i:first|given|christian)[ \t]+name[ \t]*(?:is|:)?[ \t]*(?P<n>[a-z][a-z'’-]+)\b")


def _said_to_be_people(text: str) -> list:
    spans = []
    if " is my " in text or " is our " in text:
        spans += [(m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]) for m in _IS_MY_CHILD_RX.finditer(text)
                  if _lower_key(m.group("n")) not in _KIN_AS_NAMES and m.group("n") not in _PROSE_NOT_NAMES
                  and _lower_key(m.group("n")) not in _CALENDAR_NAMES and m.group("n") not in ("This", "That", "It", "He",
                                                                                                 "She", "Mine", "Who")]
    for cue in ("named ", "calls ", "call ", "christened "):
        i = text.find(cue)
        while i >= 0:
            m = _NAMED_AS_RX.match(text, i) if not (i and text[i - 1].isalpha()) else None
            if m and m.group("n") not in _PROSE_NOT_NAMES and _lower_key(m.group("n")) not in _CALENDAR_NAMES:
                spans.append((m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]))
            i = text.find(cue, i + len(cue))
    if "irst name" in text or "iven name" in text or "IRST NAME" in text:
        if _FIRST_NAMES is None:
            _first_names()
        spans += [(m.start("n"), m.end("n"), "NAME", PLACEHOLDERS["NAME"]) for m in _FIRST_NAME_LABEL_RX.finditer(text)
                  if _lower_key(m.group("n")) in _FIRST_NAMES]
    return spans


# a sign-off that is a first name and a phone number at the end of a message: "Can we come tomorrow? Sami, 03 987
# 654", "Thanks. Khalid 9912 3345" (a known first name that is no word of the language)
_SIGNOFF_NAME_PHONE_RX = re.compile(
    rf"(?:^|[.!?\n][ \t]*)(?P<w>[A-Z][a-z]{{2,}}),?[ \t]+(?P<n>{_PHONE_SHAPE})[ \t]*[.!]?[ \t]*$")


def _signoff_name_phones(text: str) -> list:
    if not text or not text.rstrip(" \t.!")[-1:].isdigit():
        return []
    m = _SIGNOFF_NAME_PHONE_RX.search(text, max(0, len(text) - 48))
    if m is None or not _phone_like(m.group("n")):
        return []
    if _FIRST_NAMES is None:
        _first_names()
    if _VOCABULARY is None:
        _gazetteer()
    key = _lower_key(m.group("w"))
    if key not in _FIRST_NAMES or key in _VOCABULARY or key in _CALENDAR_NAMES or key in (_PLACES or _places()):
        return []
    return [(m.start("w"), m.end("w"), "NAME", PLACEHOLDERS["NAME"]),
            (m.start("n"), m.end("n"), "PHONE", PLACEHOLDERS["PHONE"])]


# a hospital file's number in any shape after the file's own word: "file 2219/K", "NICU file 3345-NB", "hospital card
# no 25/CMCH/ped/4419", "NHC: 4418290", "IP No 558/24", "expediente 445/2023", "fișa nr. 2026-1187", "картка 2211-К",
# "номер истории болезни 55/7781", "Mijn patiëntnummer bij het ziekenhuis is 7012345", "Appt 0045512"; at least
# three digits, and not a year alone ("the file 2019")
_FILE_WORDS = (r"file|files|caso[ \t]+cl[ií]nico|historia[ \t]+cl[ií]nica|ficha|expediente|nhc|ip[ \t]+no|ipd[ \t]+no|card[ \t]+no|fi[sș]a|dossier|prontu[aá]rio|cartella"
               r"|patiëntnummer|patientnummer|patientennummer|fallnummer|journalnummer|appt|истории[ \t]+болезни"
               r"|історії[ \t]+хвороби|картка|карта|карты")
_FILE_CODE_RX = re.compile(
    rf"(?<![\w])(?P<l>(?i:{_FILE_WORDS}))(?:[^\n0-9:.,;!?]{{0,28}}?[ \t](?i:is|es|ist|est|è|é|är|er))?"
    r"(?:[ \t]*(?i:no\.?|nr\.?|n[º°o]\.?|number|num\.?|#|:|-))*[ \t]*"
    r"(?P<v>(?=[^\s]*[0-9][^\s]*[0-9][^\s]*[0-9])[^\W_]*[0-9][^\W_]*(?:[/.-][^\W_]+)*)(?![\w/])")
_FILE_CODE_GATE = (r"(?i:\bfiles?|caso[ \t]+cl|historia[ \t]+cl|ficha|expediente|nhc|ip[ \t]+no|ipd[ \t]+no|card[ \t]+no|fi[sș]a|dossier|prontu|cartella"
                   r"|nummer|appt|болезни|хвороби|картка|карта|карты)[^0-9\n]{0,30}[0-9]")
_YEAR_ONLY_RX = re.compile(r"(?:19|20)[0-9]{2}")


def _file_codes(text: str) -> list:
    spans = []
    for m in _FILE_CODE_RX.finditer(text):
        value = m.group("v")
        first_digit = next(i for i, c in enumerate(value) if c.isdigit())
        if m.start("v") + first_digit - m.end("l") > 30:
            continue  # (what `_FILE_CODE_GATE` sees: a digit at most 30 characters after the word)
        if _YEAR_ONLY_RX.fullmatch(value) or _NOT_AN_AGE_AFTER_RX.match(text, m.end("v")) \
                or _QUANTITY_AFTER_RX.match(text, m.end("v")) or _digits(value) < 3:
            continue
        spans.append((m.start("v"), m.end("v"), "MRN", PLACEHOLDERS["MRN"]))
    return spans


# a day in ordinal words after a weekday or a month and "the": "on Wednesday the twenty-fifth", "december the fourth"
# (voice typing spaces it out: "december   the   fourth"; `_ORDINAL_WORDS` as in `_WORD_DATE_RX`)
_WORD_DAY_RX = re.compile(
    r"(?<![\w])(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july"
    r"|august|september|october|november|december),?[ \t]+(?i:the)[ \t]+"
    rf"(?i:{_ORDINAL_WORDS})(?![\w-])(?![ \t]+(?i:time|week|day|dose|month|year|floor|of[ \t]+(?:my|the|his|her)))")
_WORD_DAY_GATE = (r"(?i:day|uary|ember|ober|march|april|may|june|july|august),?[ \t]+(?i:the)[ \t]+"
                  r"(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
                  r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|twenty|thirty)")


# a British number plate, two letters, two digits, a space and three letters: "my van is reg YK19 OPX", "a blue
# corolla AB12 CDE" (not a marker and an acronym: "CD19 CAR T cells", "IL17 ...")
_UK_PLATE_RX = re.compile(r"(?<![\w-])(?P<v>(?!CD|IL|TP|PD|HL|GP)[A-Z]{2}[0-9]{2}[ ][A-Z]{3})(?![\w-])")
_UK_PLATE_GATE = r"[A-Z]{2}[0-9]{2}[ ][A-Z]{3}(?:[^A-Za-z0-9-]|$)"
_NOT_PLATE_TAILS = frozenset("CAR MRI ECG EEG ICU ENT USS BMI HIV HPV PCR CSF".split())


# a device's identifier in hexadecimal groups after its label: "Device ID: a3f9-22c1-77be-0b41", "UUID
# 3f2a9c1e-...", "IMEI 356938035643809" is a plain number the digit rules take
_DEVICE_HEX_RX = re.compile(r"(?i:device[ \t]+id|uuid|udid|android[ \t]+id|installation[ \t]+id)[ \t]*(?:is|:|#|=)?[ \t]*"
                            r"(?P<v>(?=[0-9a-fA-F-]*[0-9])[0-9a-fA-F]{4,}(?:-[0-9a-fA-F]{2,})+|[0-9a-fA-F]{12,})(?![\w-])")
_DEVICE_HEX_GATE = r"(?i:device[ \t]+id|uuid|udid|android[ \t]+id|installation[ \t]+id)"


# a birth date in figures with spaces after its label: "dob 2 11 1955", "born 14 07 1930"
_SPACED_BIRTH_DATE_RX = re.compile(r"(?i:\b(?:dob|d\.o\.b\.?|born(?:[ \t]+on)?|date[ \t]+of[ \t]+birth))[ \t:.-]+"
                                   r"(?P<d>(?:[12][0-9]|3[01]|0?[1-9])(?P<s>[ \t]|[ \t]+[/.-][ \t]+)(?:[12][0-9]|3[01]|0?[1-9])(?P=s)"
                                   r"(?:19|20)[0-9]{2})(?![0-9])")
# ("dob 2 11 1955", "D.O.B.: 12 / 05 / 1977")
_SPACED_BIRTH_DATE_GATE = (r"(?i:dob|d\.o\.b|born|birth)[ \t:.-]+[0-9]{1,2}(?:[ \t]|[ \t]+[/.-][ \t]+)[0-9]{1,2}"
                           r"(?:[ \t]|[ \t]+[/.-][ \t]+)(?:19|20)[0-9]{2}")


# a phone number read out digit by digit, in words or spaced digits (voice-mail transcripts, voice typing): "four one
# six, five five five, zero one four two", "312 five five five oh one six nine", "zero seven seven zero nine double
# four ...", "0 9 1 7   8 8 2   4 1 0 3": seven to fifteen digits, two of them words or seven single spaced digits
_DIGIT_WORDS = {"zero": 1, "oh": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1, "six": 1, "seven": 1,
                "eight": 1, "nine": 1, "double": 1, "triple": 2}
_SPOKEN_DIGIT = r"(?:(?i:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)(?![\w'’])|[0-9]{1,4}(?![\w.,/][0-9]))"
_SPOKEN_PHONE_RX = re.compile(rf"(?<![\w.,/+-]){_SPOKEN_DIGIT}(?:[ \t]*[,-]?[ \t]*{_SPOKEN_DIGIT}){{6,24}}")
_SPOKEN_PHONE_GATE = (r"(?i:zero|one|two|three|four|five|six|seven|eight|nine|oh|double)[ \t,-]+"
                      r"(?i:zero|one|two|three|four|five|six|seven|eight|nine|oh|double|[0-9])[ \t,-]+"
                      r"(?i:zero|one|two|three|four|five|six|seven|eight|nine|oh|double|[0-9])"
                      r"|[0-9][ \t]+[0-9][ \t,-]+[0-9][ \t]+[0-9][ \t,-]+[0-9][ \t]+[0-9]")
_SPOKEN_PHONE_GATE_RX = re.compile(_SPOKEN_PHONE_GATE)
_SPOKEN_TOKEN_RX = re.compile(r"[A-Za-z]+|[0-9]+")


# a login in a pasted log or form, "user=hroberts", "login: mtorres" (letters only; other logins need a digit, see
# `_MESSAGING_ID_RX`)
_KEY_VALUE_LOGIN_RX = re.compile(r"(?<![\w])(?i:user|username|uid|login|userid)[ \t]*=[ \t]*(?P<v>[A-Za-z][\w.-]{2,}[\w])")
# a member number after an insurance label and the insurer's name, in groups: "Ins: Aetna W228 419 702"
_INSURER_CODE_RX = re.compile(r"(?<![\w])(?i:ins|insurance|insurer|insured|health[ \t]+plan)\.?[ \t]*[:#-]?[ \t]*"
                              r"(?:[A-Z][A-Za-z&]+[ \t]+){0,3}"
                              r"(?P<v>[A-Z]{0,3}[0-9]{2,5}(?:[ -][0-9]{2,5}){1,4})(?![\w]|[.,/-][0-9])")


def _spoken_phones(text: str) -> list:
    spans = []
    for m in _SPOKEN_PHONE_RX.finditer(text):
        digits = words = singles = 0
        for token in _SPOKEN_TOKEN_RX.findall(m.group()):
            if token.isdigit():
                digits += len(token)
                singles += len(token) == 1
            else:
                digits += _DIGIT_WORDS[token.lower()]
                words += 1
        if 7 <= digits <= 15 and (words >= 2 or singles >= 7):
            spans.append((m.start(), m.end(), "PHONE", PLACEHOLDERS["PHONE"]))
    return spans


def _called_phones(text: str) -> list:
    spans = [(m.start("num"), m.end("num"), "PHONE", PLACEHOLDERS["PHONE"]) for m in _FOUR_FOUR_PHONE_RX.finditer(text)
             if not _NOT_AN_AGE_AFTER_RX.match(text, m.end("num"))]  # "at home 2000 3000 steps": a count
    for rx in (_CALLED_PHONE_RX, _INTL_011_RX):
        for m in rx.finditer(text):
            if 7 <= _digits(m.group("num")) <= 17:
                spans.append((m.start("num"), m.end("num"), "PHONE", PLACEHOLDERS["PHONE"]))
    return spans


def _spelled_emails(text: str) -> list:
    if not (" dot " in text or "(dot)" in text or "[dot]" in text or " DOT " in text or " . " in text
            or "(at)" in text or "[at]" in text or " arroba " in text or " punto " in text or " ponto " in text
            or "{at}" in text or "{dot}" in text or " point " in text or "arobase" in text or "(point)" in text
            or " punkt " in text or "(punkt)" in text):
        return []
    # (a French "point" only with a French "arobase": "at the point at which" is English, not "the.at")
    return [(m.start(), m.end(), "EMAIL", PLACEHOLDERS["EMAIL"]) for rx in (_SPELLED_EMAIL_RX, _SPELLED_EMAIL_ANY_RX)
            for m in rx.finditer(text) if " point " not in m.group() or "arobase" in m.group().lower()]


def _merge(spans: list) -> list:
    """Earliest start wins; at the same start the longest span."""
    if len(spans) < 2:
        return spans
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged = []
    pos = 0
    for span in spans:
        if span[0] >= pos:
            merged.append(span)
            pos = span[1]
    return merged


# "document" scope: domains whose addresses are published contacts of public bodies
_PUBLIC_EMAIL_DOMAIN_RX = re.compile(r"(?:^|\.)(?:gov|gov\.[a-z]{2}|gouv\.[a-z]{2}|int|mil|europa\.eu|nhs\.uk|nhs\.net"
                                     r"|who\.int|ich\.org|pic-scheme\.org|[a-z-]+\.gc\.ca|canada\.ca|go\.[a-z]{2}|nic\.in"
                                     r"|gob\.[a-z]{2}|govt\.nz|admin\.ch|gv\.at|swissmedic\.ch|edqm\.eu|bfarm\.de"
                                     r"|sante\.fr|sahpra\.org\.za"
                                     # medicines agencies and data regulators under their own domains
                                     r"|aemps\.es|hpra\.ie|aifa\.gov\.it|infarmed\.pt|lakemedelsverket\.se|fimea\.fi"
                                     r"|dkma\.dk|legemiddelverket\.no|cbg-meb\.nl|famhp\.be|fagg-afmps\.be|sukl\.cz|anm\.ro"
                                     r"|eof\.gr|ogyei\.gov\.hu|halmed\.hr|jazmp\.si|urpl\.gov\.pl|tga\.gov\.au|medsafe\.govt\.nz"
                                     r"|anvisa\.gov\.br|invima\.gov\.co|anmat\.gob\.ar|ispch\.cl|pmda\.go\.jp|mfds\.go\.kr"
                                     r"|hsa\.gov\.sg|nafdac\.gov\.ng|sfda\.gov\.sa|gpdp\.it|cnil\.fr|aepd\.es|ico\.org\.uk"
                                     r"|mhra\.gov\.uk|ema\.europa\.eu|fda\.hhs\.gov)$", re.I)
# a mailbox of an office, not of a person ("info@", "queries@", "pharmacovigilance@"): kept in documents
_ROLE_MAILBOX_RX = re.compile(
    r"(?i:info|enquir(?:y|ies)|inquir(?:y|ies)|quer(?:y|ies)|contact|contacts|support|help|helpdesk|admin|office"
    r"|secretariat|registry|registrations?|submissions?|comments|dockets?|press|media|webmaster|mailbox|no-?reply"
    r"|feedback|pv|pharmacovigilance|drugsafety|safety|medinfo|medical[._-]?information|regulatory|questions|ask"
    r"|mail|general|reception|customer[._-]?(?:service|care|support)|complaints|licensing|inspections?|gmp|gcp|gdp|qa|hotline)"
    r"(?:[._-]?[a-z]{0,12})?")


def _is_office_mailbox(local: str) -> bool:
    """An office's mailbox ("queries@", "medicines@", "drug.safety@"), not a person's ("jsmith@", "john.smith@")."""
    if _ROLE_MAILBOX_RX.fullmatch(local):
        return True
    _gazetteer()
    parts = [p for p in re.split(r"[._-]", local.lower()) if p]
    return bool(parts) and all(len(p) >= 4 and p in _VOCABULARY and p not in _GAZETTEER for p in parts)


# a phone number after one of these is a person's, in any text
_PERSONAL_PHONE_RX = re.compile(r"\b(?:my|me|mobile|cell(?:phone)?|whats[ \t]?app|home|personal|residence|mob)\b"
                                r"[^\n.;]{0,24}$", re.I)
_DOCUMENT_TYPES = frozenset({"SSN", "MRN", "ACCOUNT"})


def _digit_spans(text: str, pos: int, keep=None, rx: re.Pattern = _DIGIT_RX) -> list:
    """The digit-first identifiers from `pos` on. A candidate that turns out to be nothing
    ("0 123-45-6789" read as one unlabelled number), or that `keep(span)` rejects (a phone in a
    document: "0000-000 123-45-6789"), is left one digit later, not at its end, so an
    identifier inside it is still found."""
    spans = []
    search = rx.search
    while True:
        m = search(text, pos)
        if m is None:
            return spans
        span = _digit_span(m, text)
        if span and (keep is None or keep(span)):
            spans.append(span)
            pos = max(m.end(), span[1])
        else:
            pos = m.start() + 1


def _find_document_phi(text: str, digit_pos: int | None, literal: bool, rare_pos: int | None = 0) -> list:
    spans = []

    def keep(span) -> bool:
        if span[2] in ("MRN", "ACCOUNT") and _label_type(text, span[0], strong_only=True) is None:
            return False  # "registration number", "Investigation Plan": a product's or a procedure's number
        return span[2] in _DOCUMENT_TYPES or (
            span[2] == "PHONE" and _PERSONAL_PHONE_RX.search(text, max(0, span[0] - 40), span[0]) is not None)

    if digit_pos is not None:
        spans += _digit_spans(text, digit_pos, keep)
        if "(" in text or "+" in text:
            spans += [s for s in (_digit_span(m, text) for m in _PAREN_PLUS_RX.finditer(text, digit_pos))
                      if s is not None and keep(s)]
    if rare_pos is not None:
        spans += _digit_spans(text, rare_pos, keep, rx=_DIGIT_RARE_RX)
    if literal and "@" in text:
        for m in _EMAIL_RX.finditer(text):
            local, domain = m.group().replace("＠", "@").rsplit("@", 1)
            # (an organisation's mailbox under its own name: "mcaz@mcaz.co.zw", "sahpra@sahpra.org.za")
            if not (_PUBLIC_EMAIL_DOMAIN_RX.search(domain) or _is_office_mailbox(local)
                    or local.lower() == domain.split(".", 1)[0].lower()):
                spans.append((m.start(), m.end(), "EMAIL", PLACEHOLDERS["EMAIL"]))
    if literal:
        spans += _spelled_emails(text)
    return _merge(spans)


def _replace(text: str, spans: list, counts: dict | None) -> str:
    out = []
    pos = 0
    for start, end, kind, repl in spans:
        out.append(text[pos:start])
        out.append(repl)
        if kind == "AGE":
            while text.startswith("+", end):  # "aged 90+": one "+", the placeholder's
                end += 1
        pos = end
        if counts is not None:
            counts[kind] = counts.get(kind, 0) + 1
    out.append(text[pos:])
    return "".join(out)


def scrub(text: str, counts: dict | None = None, scope: str = "patient", prose_names: bool = True) -> str:
    """Replace PHI in `text` with typed placeholders; add the replacements per type to `counts`.

    `scope`: "patient" (everything) or "document" (see `find_phi`); `prose_names`: see `find_phi`."""
    spans = find_phi(text, scope=scope, prose_names=prose_names)
    out = _replace(text, spans, counts) if spans else text
    if prose_names and scope != "document":
        out = _learned([text], [out], counts)[0]
    return out


def learned_pass_ready() -> None:
    """Load what the learned pass needs (its weights, the gazetteers) now rather than on its first text."""
    from imi_lib.data import phi_model

    phi_model.model().lexicon
    _name_words()


def _learned(texts: list[str], scrubbed: list[str], counts: dict | None) -> list[str]:
    """The learned pass (`phi_model`) over patient texts the rules have scrubbed: only adds replacements."""
    from imi_lib.data import phi_model

    spans = phi_model.model().spans(texts, scrubbed)
    return [phi_model.apply(t, out, s, PLACEHOLDERS, counts) if s else out
            for t, out, s in zip(texts, scrubbed, spans)]


# What the passes treat as the end of one text and the start of the next where a text holds it (normalised text
# never holds \x1e, the record separator): no pattern crosses it. `scrub_batch` scrubs each field alone.
FIELD_SEPARATOR = "\n\x1e\n"


def scrub_fields(texts: list[str], counts: dict | None = None, *, scope: str = "patient",
                 prose_names: bool = True) -> list[str]:
    """`scrub` for each field of one record (`scrub_batch` of that one record)."""
    return scrub_batch([list(texts)], counts, scope, prose_names)[0]


# ---- many records at once -------------------------------------------------------
# RE2 patterns (run by pyarrow.compute in C++, over a whole batch) that every
# text the digit pass or the cue pass can find PHI in matches: the lookahead of
# _DIGIT_RX and the "(ddd)" / "+d" phones; each cue rule's prefilter and the
# lower-case opening greeting. A text neither matches skips that pass, which
# is most of them. tests/test_phi.py checks that scrub_batch == scrub.
DIGIT_PREFILTER = (r"[0-9](?:[-. ]?[0-9]){4}|[0-9][0-9]?/[0-9][0-9]?/[0-9]|[0-9]\.[0-9][0-9]?\.[0-9][0-9]|(?:9[0-9]|1[0-2][0-9])[ \t-]*y"
                   r"|(?:9[0-9]|1[0-2][0-9])Y[)\],;]"
                   # Greek: "η γιαγιά μου είναι 96"
                   r"|(?:γιαγιά|παππούς|μητέρα|πατέρας|μαμά|μπαμπάς)[^\n]{0,40}?είναι[ \t]+(?:9[0-9]|1[01][0-9])"
                   r"|(?:9[0-9]|1[0-2][0-9])[ \t-]*(?:años|AÑOS|лет|года|tuổi|år|ετών|(?i:anos|anni|ans|jahre|jaar|tahun|lat|lata"
                   r"|let|vuotias|vuotiaana)|साल|वर्ष|বছর|سال|سنة|வயது|ఏళ్ల|വയസ്|ปี|岁|歳|살)"
                   r"|\([0-9]{3}\)|\(0?[1-9][0-9]{0,3}\)[ \t]?[0-9]{3}|\+[0-9]|[12][0-9]{3}/[0-9]"
                   r"|(?i:age(?:d|[ \t]*(?:[:=]|of|is|\((?:years?|yrs?|y)\)[ \t]*[:=]?|[-–]|at[ \t]+death[ \t]*[:=]?"
                   r"|is[ \t]+[a-z]+[ \t]+(?:as|at)))?(?:[ \t]+(?:about|around|approx\.?|approximately|roughly|nearly|almost"
                   r"|circa))?)[ \t]*~?[ \t]*(?:9[0-9]|1[0-2][0-9])(?:[^0-9]|$)"
                   # a person and a verb of being or turning before an age over 89 (`_person_is_before`)
                   r"|(?i:\b(?:i|he|she|who|mother|father|mom|mum|mommy|mummy|mamma|dad|daddy|papa|grand[a-z]*|granny"
                   r"|gran|nana|nani|dadi|dada|husband|wife|uncle|aunt[a-z]*|neighbou?r|patient|brother|sister|man|woman"
                   r"|lady|gentleman|friend|in-law|mrs?|ms|miss|mx|nan|mam|mammy|nonna|nonno|bubbe|zayde|lola|lolo|ouma"
                   r"|oupa|gogo|babcia|dziadek|yiayia|pappou|koro|kuia|amma|appa|ammachi|appachan|paati|thatha|ajji|hij|zij|er|sie"
                   r"|" + _OTHER_KIN_AGE.replace(" ", "|") +
                   r"|vater|mutter|opa|oma|il|elle|padre|madre|abuelo|pai|mae|vader|moeder|mormor|morfar"
                   r"|farmor|farfar|han|hon|hun|hän|pappa|mamma|far|mor|granpa|granma)\b[^\n]{0,40}?\b(?:is|was|am|now|be"
                   r"|turn[a-z]*|ist|war|wird|est|tiene|tem|jest|like|jetzt|nun|already|nearly|almost|exactly|actually|really|ay)|[ \t]är"
                   r"|\b(?:i['’]m|im|[a-z]+['’]s)|(?:my|our)[ \t]+(?:mums|moms|dads|grans|nans|nanas|grandmas|grandpas"
                   r"|grandads|nannas)|(?:vader|moeder|opa|oma|oom|tante|schoonvader|schoonmoeder)[ \t]+van)"
                   # (and a word of approximation: "is pushing 95", `_AGE_APPROX`)
                   r"(?:[ \t]+(?i:approx\.?|approximately|about|around|over|pushing|roughly|circa))?"
                   r"[ \t]+(?:9[0-9]|1[0-2][0-9])(?:[^0-9]|$)"
                   # a relative right before the age ("My mother 91 came"), a case note's age and sex ("92F")
                   r"|(?i:\b(?:mother|father|mom|mum|dad|grand[a-z]*|granny|gran|nana|nani|dadi|dada|aunt[a-z]*|uncle"
                   r"|husband|wife|neighbou?r|nan|nanna|koro|kuia|amma|oma|opa|nonna|nonno|abuela|abuelo|lola|lolo|granpa"
                   r"|granma|ah[ \t]+ma|ah[ \t]+gong|mama|papa)\b)"
                   r"[ \t]*[,:]?[ \t]*(?:9[0-9]|1[0-2][0-9])(?:[^0-9]|$)"
                   r"|(?:,[ \t]|\(|(?i:\bpt|\bpatient)[.:]?[ \t]+)(?:9[0-9]|1[0-2][0-9])[ \t]?[MF](?:[^A-Za-z0-9]|$)"
                   # an age label of another language ("edad 98", "Alter: 93"), a person "of about 95", a birth year
                   # and "now" ("born 1933 in Madeira, now 92")
                   r"|(?i:edad|idade|età|âge|alter|leeftijd|wiek|umur|usia|ålder|alder)[ \t]*[:=]?[ \t]*(?:9[0-9]|1[0-2][0-9])"
                   r"(?:[^0-9]|$)"
                   r"|(?i:man|woman|lady|gentleman|gent|person|patient|chap|fellow|widow|widower)[ \t]+of[ \t]+"
                   r"(?:[a-z]+[ \t]+)?(?:9[0-9]|1[0-2][0-9])(?:[^0-9]|$)"
                   r"|(?i:born)[ \t]+(?:in[ \t]+)?(?:18|19)[0-9][0-9][^.\n]{0,40}?(?i:now)[ \t]+(?:9[0-9]|1[0-2][0-9])(?:[^0-9]|$)"
                   # a death at an age ("passed away at 94"), an age opening a sentence ("At 95, my dad")
                   r"|(?i:died|passed|left[ \t]+us|lost[ \t]+(?:him|her|them))[^\n]{0,12}?(?i:at|aged)[ \t]+(?:[a-z]+[ \t]+)?"
                   r"(?:9[0-9]|1[0-2][0-9])(?:[^0-9]|$)"
                   r"|(?:^|[.!?\n][ \t]*)(?i:at)[ \t]+(?:[a-z]+[ \t]+)?(?:9[0-9]|1[0-2][0-9]),[ \t]+[A-Za-z]"
                   # an age over 89 before "this year" or "next month" ("she is actually 93 this year")
                   r"|(?:9[0-9]|1[0-2][0-9])[ \t]+(?i:this|next)[ \t]+(?i:year|month)"
                   # a name in commas or brackets before it ("Mr. Brennan, 97, in a home")
                   r"|[A-Za-z'’-][ \t]*[,(][ \t]*(?:9[0-9]|1[01][0-9])[ \t]*(?:[,;)]|$)")
# what `_DIGIT_RARE_RX` can find something in (at or before where it starts): identifiers with letters or slashes,
# ordinal dates, postcodes, a month and day after a weekday, vehicle plates, PAN numbers
_RARE_PREFILTER_DOCUMENT = (
    r"[12][0-9]{3}/[A-Z]|[0-9]{1,2}/[0-9]{4}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{2}|[0-9]{4}/[0-9]|[0-9]+[A-Z][-0-9A-Z]{3}"
    r"|[0-9]{1,2}(?i:st|nd|rd|th)[ \t]+(?i:of[ \t]+)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|[A-Z][0-9][0-9A-Z]?[ \t][0-9][A-Z]{2}|[A-Z][0-9][A-Z][ \t][0-9][A-Z][0-9]"
    r"|(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+[0-9]{1,2}/[0-9]"
    r"|(?i:on|dated?|since|from|till|until|dob|born|period|birthday|el|le|il|em|desde|depuis|seit|appointment|appt"
    r"|admitted|discharged|seen|ngày|viện|tanggal|tgl)[ \t:,]+[0-9]{1,2}/[0-9]"
    # a day and month before a weekday or a time ("12/03 (Thursday)", "22/09 at 14h"), a range of days of one
    # month ("12/06 to 16/06")
    r"|[0-9]{1,2}/[0-9]{1,2}[ \t]*\(?(?i:mon|tue|wed|thu|fri|sat|sun)"
    r"|[0-9]{1,2}/[0-9]{1,2}[ \t]+(?:at|@|um|às|a[ \t]+las)[ \t]*[0-9]"
    r"|[0-9]{1,2}/[0-9]{1,2}[ \t]*(?:to|till|until|-)[ \t]*[0-9]{1,2}/[0-9]"
    r"|[0-9]{1,2}[ \t]+(?:of[ \t]+)?(?:jan|feb|apr|jun|jul|aug|sep|oct|nov|dec|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
    r"|MAY[,.;)\n\x1e]|MAY$|MAY[ \t]+(?:19|20))"
    r"|[0-9]{1,2}[ -]?[A-Z]{1,3}[ -]?[0-9]{4}|[A-Z]{5}[0-9]{4}[A-Z]|[A-Z]{3}[0-9]{4}")
# in patient text also the dates only it scrubs: a day/month after LMP or "was", an ordinal day ("Monday 14th",
# "january the 4th": the weekday or month is looked for before it). The document scope keeps no date, so its
# prefilter leaves them out: each piece costs a scan of the batch (RE2 on long abstracts)
RARE_PREFILTER = (_RARE_PREFILTER_DOCUMENT
                  + r"|(?i:lmp|edd|edc)[ \t:]+[0-9]{1,2}/[0-9]|(?i:was|is|were|in)[ \t]+(?:1[3-9]|2[0-9]|3[01])/[0-9]"
                  r"|(?i:was|is)[ \t]+[0-9]{1,2}/[0-9]"
                  r"|(?i:" + _EVENT_VERBS + r")[ \t]+(?:(?i:on|to|for)[ \t]+)?[0-9]{1,2}/[0-9]"
                  r"|[0-9]{1,2}(?:st|nd|rd|th)"
                  # "can we change it to 6/17", "cancel 14/11", "marcado para 19/3" (`_BOOKING_VERB_BEFORE_RX`)
                  r"|(?i:by|make|do|to|cancel|move|change|reschedule|rebook|book|booked|ngày|para|pra|a|op|am|til|till|not"
                  r"|down|den|for)[ \t]+[0-9]{1,2}/[0-9]|يوم[ \t]+[0-9]"
                  # "my boyfriend's birthday is 25/12" (`_BIRTHDAY_BEFORE_RX`)
                  r"|(?i:birthday|bday|born|dob)[ \t:]+(?:(?i:is|was|on)[ \t]+)?[0-9]{1,2}/[0-9]"
                  # "on monday 3 march", "since 2 may 2024": the months that are also verbs, after a weekday or cue
                  r"|(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+[0-9]{1,2}[ \t]+(?:march|may)"
                  r"|(?i:on|since|from|until|till|born|dob)[ \t:]+[0-9]{1,2}[ \t]+(?:march|may)"
                  r"|[0-9]{1,2}[ \t]+(?:march|may),?[ \t]+(?:19|20)[0-9][0-9]")
# the cues of the cued-address, word-age and IPv6 passes (a superset)
EXTRA_PREFILTER = (r"(?i:address|live|living|stay|resid|[ \t]is[ \t]at[ \t]|house|flat|plot|villa|apartment|apt|anwani|عنوان"
                   r"|3enwan|adresse est"
                   r"|ninety|hundred|birthday|b-?day|b['’]day|birth[ \t]+day|0['’]?s\b|nineties|adress|adres|direcci|endere|indirizzo|alamat|anschrift|osoite|viv[eoi][a-z]*[ \t]+en"
                   r"|habite|woon|wonen|abito|moro[ \t]|home:"
                   r"|moved[ \t]+to|we[ \t]+are[ \t]+at|deliver|(?:send|sent|post|mail)[ \t]+(?:[^ \t\n]+[ \t]+){0,4}to\b)"
                   r"|Διεύθυνση|διεύθυνση|адрес|Адрес"
                   # payment and passport codes (`_MIXED_CODE_AFTER_LABEL_RX`), a vehicle's plate (`_VEHICLE_PLATE_RX`)
                   # titles of other languages (`_foreign_title_names`), identity numbers in dots (`_DOTTED_ID_RX`)
                   r"|" + _FOREIGN_TITLE_GATE + "|" + _DOTTED_ID_GATE + "|" + _LAST_DIGITS_GATE + "|" + _FORM_NAME_GATE + "|" + _WEEKDAY_DOT_DATE_GATE + "|" + _FILE_CODE_GATE + "|" + _WORD_DAY_GATE +
                   "|" + _UK_PLATE_GATE + "|" + _DEVICE_HEX_GATE + "|" + _SPACED_BIRTH_DATE_GATE +
                   r"|" + _EAST_GATE +
                   # logins under more words (`_MESSAGING_ID_RX`): "usuario: pgarcia_1970", "my account jsmith_1979"
                   r"|(?i:line[ \t]+id|usuario|utilisateur|benutzer|gebruikersnaam|nome[ \t]+utente"
                   r"|account[ \t:]+[a-z][a-z0-9.-]*[0-9_.]|(?:wechat|line|skype|viber|telegram)[ \t]+(?:me|at|on)\b)"
                   r"|(?i:transaction|txn|booking|pnr|reservation|confirmation|passport|passnummer|passeport|pasaporte|passaporto|passaporte|\bcar[ \t]|vehicle|truck"
                   r"|ambulance|taxi|coche|carro|voiture|wagen|macchina|motorbike|scooter)|::|(?i:" + _PHONE_WORDS + r")[^\n]{0,16}"
                   r"[2-9][0-9]{3}[ -][0-9]{4}(?:[^0-9]|$)|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:"
                   # dates and ages in other languages (`_foreign_dates_and_ages`), streets named by a suffix and
                   # postcodes by their label or beside a town (`_postcodes`)
                   r"|" + _FOREIGN_GATE + "|" + _FOREIGN_GATE_MORE + "|" + _SUFFIX_STREET_GATE_RX.pattern + "|" + _POSTCODE_GATE +
                   # "H.No. 12-4-56", "#12, 3rd Cross" (`_DWELLING_RX`, `_HASH_HOUSE_RX`), an age in brackets
                   r"|[HD]\.[ \t]*No|Door[ \t]+No|\#[ \t]*[0-9]|[(\[](?:9[0-9]|1[0-2][0-9])(?:[)\]]|,[ \t]+[a-z]|[ \t]+(?:in|this|next|on)\b"
                   r"|[ \t]*(?:J\.|j\.|Jahre|jaar|ans|años|anos|anni|tuoi|tuổi|tahun|taon|y/o|y\.o\.|yo|yrs[ \t]+old|years[ \t]+old)[)\]])"
                   # a short age in other languages (`_foreign_short_ages`), "my name is" in more (`_myname_intl_names`)
                   r"|\b(?i:ich[ \t]+bin|er[ \t]+ist|sie[ \t]+ist|tiene|tem|il[ \t]+a|elle[ \t]+a|heeft|is[ \t]+nu|pat\.?|patient"
                   r"|patientin|pt\.?|pac\.?|(?:pap[aá]|mam[aá]|abuel[ao]|nonn[ao]|av[óô]|vov[óô]|oma|opa|padre|madre)[ \t]+de)"
                   r"[ \t]+(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|(?:9[0-9]|1[01][0-9])[ \t]+(?i:taong|anyos|na[ \t]+po|na[ \t]+si|na[ \t]+sya|tuổi|an\b|χρον|χρόν|ετών|ετων)"
                   r"|(?i:umur|usia)[ \t]+(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|(?i:mother|father|mom|mum|dad|daddy|grand|granny|gran|nan|nana|husband|wife|aunt|auntie|uncle"
                   r"|appachchi|ammachchi|lola|lolo|eyang|nenek|kakek|nani|dadi|dada|abuela|abuelo|nonna|nonno|oma|opa|baba"
                   r"|bibi|babu|savta|saba|teta|tita|jiddo|jeddo|sitti|jadda|mbuya|sekuru|gogo)[a-z]*[ \t]+is[ \t]+"
                   r"(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|(?i:passed|died|death)[^.!?\n]{0,48}(?i:at)[ \t]+(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|(?i:about|around|nearly|almost|roughly|approximately|gen)[ \t]+(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|(?i:" + _ELDER_KIN + r")(?:[ \t]+[A-Z][a-z]+)?[ \t]+(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|(?i:" + _ELDER_KIN + r")[ \t]*\([^()\n]{1,40}\)[ \t]+is[ \t]+(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|" + _AGE_RESTATED + r"(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|" + _PRONOUN_WILL_BE + r"(?:9[0-9]|1[01][0-9])(?:[^0-9]|$)"
                   r"|" + _SPOKEN_PHONE_GATE +
                   r"|(?i:user|username|uid|login|userid)[ \t]*=[ \t]*[A-Za-z]"
                   r"|(?i:ins|insurance|insurer|insured|health[ \t]+plan)\.?[ \t]*[:#-]?[ \t]*(?:[A-Z][A-Za-z&]+[ \t]+){0,3}"
                   r"[A-Z]{0,3}[0-9]{2,5}[ -][0-9]{2,5}"
                   r"|(?i:may|christmas|eve|day|year'?s|year’s|thanksgiving|easter|sunday|monday|halloween|night|diwali"
                   r"|deepavali|holi|eid|fitr|adha|hanukkah|hashanah|kippur|songkran|onam|pongal|navratri|puja|ramadan)"
                   r"[ \t]*,?[ \t]+(?:(?i:of)[ \t]+)?(?:19|20)[0-9][0-9]"
                   r"|" + "|".join(re.escape(g) for g in _MYNAME_INTL_GATES) +
                   # a postcode before a town after a comma or a dash (`_street_before_postcodes`), a street in capitals
                   # (ASCII classes and a town's first letter as "not lower case": RE2 scans them faster)
                   r"|,[ \t]+(?:[0-9]{4,5}(?:-[0-9]{3}|[ \t]?[A-Z]{2})?|[0-9]{2}-[0-9]{3}|[0-9]{3}[ \t][0-9]{2})[ \t]+[^a-z0-9 \t\n]"
                   r"|[ \t][-–][ \t]+[0-9]{4,5}-[0-9]{3}"
                   # an American Express number, a hospital's file number with slashes, an e-mail with its "@" in brackets
                   r"|3[47][0-9]{2}[ -]?[0-9]{6}[ -]?[0-9]{5}"
                   r"|[A-Z]{2}/[A-Z]{2,6}/[0-9]|[A-Z]{2}/[A-Z]{2,6}/[A-Z]{2,6}/[0-9]|[(\[{](?:at|AT)[)\]}]"
                   # a car's registration (`_PLATE_RX`)
                   r"|(?i:car[ \t]+reg)"
                   # a phone with a trunk prefix and pairs (`_TRUNK_PHONE_RX`)
                   r"|[08][ -]?\(?[0-9]{2,4}\)?[ -]?[0-9]{2,3}[ -][0-9]{2}[ -][0-9]{2}"
                   # a messaging account after its app's name (`_MESSAGING_ID_RX`)
                   r"|(?i:wechat|weixin|skype|viber|kakao|zalo|signal|telegram|user[ \t]?name|user[ \t]+id|login"
                   r"|logged[ \t]+in[ \t]+as|signed[ \t]+in[ \t]+as)|LINE"
                   r"|Line[ \t]+(?i:id)"
                   # a number to call (`_called_phones`)
                   r"|(?i:" + _CALL_VERBS + r")[^\n]*[ \t](?i:" + _CALL_PREPS + r")[ \t]+\+?[0-9]|011[ .-]?[1-9]"
                   r"|[0-9][ \t]+(?:[A-Z][A-Z'’-]+[ \t]+){1,3}[A-Z]{2,}\.?,"
                   # streets named in other languages (`_foreign_streets`)
                   r"|(?:Via|Viale|Piazza|Corso|Calle|Carrer|Carrera|Cra\.|Avenida|Avda\.|Av\.|Rua|Rue|Praça|Travessa"
                   r"|Alameda|Paseo|Jalan|Jl\.)[ \t]"
                   r"|(?:" + _MORE_STREET_PREFIXES + r")[ \t]"
                   r"|" + _NUMBER_FIRST_SUFFIX +
                   r"|[0-9][A-Za-z]?,?[ \t]+(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai)[ \t]")
CUE_PREFILTER = "|".join(
    [prefilter.replace("@P@", "(?:" + "|".join(phrases) + ")")
     for rules in (_CUE_RULES, *(rules for _gate, rules in _LOWER_CUE_RULES))
     for _rule, phrases, _rest, prefilter in rules]
    + [r"(?:^|\x1e\n)[ \t]*(?:hi+|hello|hey|dear)", rf"{_CAP}[^ \t]*[ \t]+and[ \t]+I"])


# what the email, URL and domain passes of find_phi look for first
_OWN_SITE_GATE = _OWN_SITE_CUE + r"|linktr\.ee/"
_OWN_SITE_GATE_RX = re.compile(_OWN_SITE_GATE)
LITERAL_PREFILTER = (r"@|＠|://|www\.|t\.me/|\.(?:com|org|net|edu|gov)|" + _OWN_SITE_GATE + "|" + _LONG_LABEL_GATE +
                     rf"|\.(?:{_CC}|info|io|biz|me)(?:[^A-Za-z0-9]|$)|[ (\[](?:dot|DOT)[ )\]]|[ \t]\.[ \t]"
                     r"|\.[a-z]{2,12}/[A-Za-z0-9~@_-]|[(\[{]at[)\]}]|[{(\[]dot[})\]]|[ \t](?:arroba|punto|ponto)[ \t]"
                     r"|arobase|[ \t(](?:point|punkt)[ \t)]"
                     # a chat line's time before its sender (`_chat_senders`)
                     r"|[0-9]:[0-9]{2}(?::[0-9]{2})?(?:[ \t]*[AaPp]\.?[Mm]\.?)?(?:\]|[ \t]+[-–][ \t])")


# what the prose-name pass's case-blind rules need (`_prose_name_spans`, `gate`): a possessive in capitals ("MY SON
# AHMAD"), a lower-case "i" or a text without capitals ("my husband ricardo"), a line after a line break that can be
# a signature ("- Bongani", "...\nKofi Mensah")
PROSE_PREFILTER = (r"(?:MY|OUR|HIS|HER|THEIR|YOUR)[ \t]|(?:^|[ \n])i[ \t]|(?:^|\x1e\n)[^A-Z\x1e]*(?:\n\x1e|$)|^[a-z]"
                   # a name after a title in lower case (`_titled_and_contact_names`)
                   r"|" + _LOWER_TITLE_GATE +
                   # what `_naming_names`, `_role_apposition_names` and `_foreign_cued_names` need
                   # (a capitalised word as the rules see it: not followed by a lower-case letter)
                   r"|(?i:name)|call[ \t]+(?:h|me)|(?:" + "|".join(sorted(_PERSON_LABEL_TITLED)) + r")(?:[^a-z]|$)"
                   r"|llamo|nombre es|appelle|heiße|heisse|name ist|chiamo|mio nome|meu nome|chamo|jmenuji|nazywam"
                   r"|k heet|naam is|g heter|hedder|heiter|adım|[Ss]ou |[Ss]oy "
                   r"|(?i:the|my|our|his|her|their|your|an?)[ \t]+(?i:health[ \t]+|social[ \t]+)?(?i:"
                   + "|".join(_ROLES) + r")[ \t]*,"
                   r"|(?:" + "|".join(sorted(_FOREIGN_CUE_TITLED)) + r")(?:[^a-z]|$)"
                   r"|signor|dott|señor|senhor|doutor|madame|monsieur|herr |frau |doktor|doktè"
                   r"|I[ \t]+AM[ \t]|I['’]M[ \t]|(?:^|[^A-Za-z])IM[ \t]|THANK|REGARDS|CHEERS|BLESS"
                   r"|THIS[ \t]+IS[ \t]|MYSELF[ \t]|(?:DR|MRS?|MS|PROF)\.?[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ]{2}"
                   r"|[.!?)][ \t]*[-–—~]+[ \t]*[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][^\n]*(?:\n\x1e|$)"
                   r"|(?:^|[^\x1e])\n[ \t]*(?:[-–—~]|[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][^ \t\n.!]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][^ \t\n.!]*){0,2}"
                   r"[ \t]*[.!]?[ \t]*(?:\n\x1e|$))")


def prefilter(texts: list[str]) -> tuple[list, list]:
    """Where the digit pass and the cue pass should start scanning each text (None: nothing to find).

    Every match of a pass starts at or after the leftmost match of its
    prefilter, so scanning starts there: often near the end ("Regards, Dr. X").
    RE2 reports byte offsets, which are character offsets only for ASCII text;
    other text is scanned from 0.
    """
    digit_starts, cue_starts, *_rest = _prefilters(texts)
    return digit_starts, cue_starts


def _prefilters(texts: list[str], prose: bool = False,
                document: bool = False) -> tuple[list, list, list, list, list, list]:
    """`prefilter`, and for each text whether LITERAL_PREFILTER matches it (the email/URL/domain gate), with
    `prose` whether PROSE_PREFILTER does (else all True), where the rare digit shapes' scan starts
    (RARE_PREFILTER) and whether EXTRA_PREFILTER matches (the cued-address, word-age and IPv6 gate).
    `document`: for the document scope, which has no cue or extra pass (those come back None and False, unscanned)
    and whose rare pass keeps no date (`_RARE_PREFILTER_DOCUMENT`)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow comes with datasets
        n = len(texts)
        return [0] * n, [0] * n, [True] * n, [True] * n, [0] * n, [True] * n
    array = pa.array(texts, type=pa.large_string())
    out = []
    other = None  # the texts with non-ASCII characters
    for pattern in (DIGIT_PREFILTER, None if document else CUE_PREFILTER,
                    _RARE_PREFILTER_DOCUMENT if document else RARE_PREFILTER):
        if pattern is None:
            out.append([None] * len(texts))
            continue
        found = pc.find_substring_regex(array, pattern).to_pylist()
        if pattern is RARE_PREFILTER or pattern is _RARE_PREFILTER_DOCUMENT:
            pass  # (ASCII only: the rare shapes' prefilter has no non-ASCII character to miss)
        elif other is None:
            other = [i for i, text in enumerate(texts) if not text.isascii()]
        missed = [i for i in other if found[i] < 0] if other and not (
            pattern is RARE_PREFILTER or pattern is _RARE_PREFILTER_DOCUMENT) else ()
        if missed:
            # a text with non-ASCII characters is scanned from 0 anyway; and find_substring_regex misses matches that
            # match_substring_regex finds there ("Patient name: Ødegaard"), so the match decides for those
            matched = pc.match_substring_regex(pa.array([texts[i] for i in missed], type=pa.large_string()),
                                               pattern).to_pylist()
            for i, hit in zip(missed, matched):
                found[i] = 0 if hit else -1
        out.append([None if pos < 0 else pos if text.isascii() else 0 for pos, text in zip(found, texts)])
    literal = pc.match_substring_regex(array, LITERAL_PREFILTER).to_pylist()
    extra = [False] * len(texts) if document else pc.match_substring_regex(array, EXTRA_PREFILTER).to_pylist()
    prose_gates = pc.match_substring_regex(array, PROSE_PREFILTER).to_pylist() if prose else [True] * len(texts)
    return out[0], out[1], literal, prose_gates, out[2], extra


def scrub_batch(records: list[list[str]], counts: dict | None = None, scope: str = "patient",
                prose_names: bool = True) -> list[list[str]]:
    """`scrub` for every field of many records: the prefilters run once over the batch (RE2 in C++), the passes only
    where they can find something, and the learned pass over every field at once (one matrix product).

    Each field is scrubbed as its own text, so a field's result never depends on the fields beside it: a name ending
    one field is found as it is at the end of a text scrubbed alone (tests/test_phi.py checks scrub_batch == scrub)."""
    flat = [field for fields in records for field in fields]
    prose = prose_names and scope != "document"
    # (the prefilters look at what the passes look at: digits of other scripts as ASCII digits, see `find_phi`)
    detect = [_ascii_digits(text) for text in flat]
    digit_starts, cue_starts, literal, prose_gates, rare_starts, extras = _prefilters(detect, prose,
                                                                                      scope == "document")
    if scope == "document":
        # the document scope has only the digit and the literal passes: a text neither prefilter
        # matches has nothing to find (most exam questions and abstracts)
        out = [_replace(text, find_phi(text, digit_pos=d and 0, cue_pos=None, literal=lit, scope=scope,
                                       prose_names=prose_names, rare_pos=r and 0, extra=False), counts)
               if d is not None or lit or r is not None else text
               for text, d, lit, r in zip(flat, digit_starts, literal, rare_starts)]
    else:
        codes = _code_gates(detect)
        # (a prefilter's position is where the pass may start; each text is scanned from 0 where it may find any)
        out = [_replace(text, find_phi(text, digit_pos=d and 0, cue_pos=c and 0, literal=lit, scope=scope,
                                       prose_names=prose_names, prose_gate=g, rare_pos=r and 0, extra=x,
                                       codes=k), counts)
               for text, d, c, lit, g, r, x, k in zip(flat, digit_starts, cue_starts, literal, prose_gates,
                                                      rare_starts, extras, codes)]
        if prose:
            out = _learned(flat, out, counts)
    done, k = [], 0
    for fields in records:
        done.append(out[k:k + len(fields)])
        k += len(fields)
    return done


def _code_gates(texts: list[str]) -> list:
    """Whether SHAPE_PREFILTER matches each text (RE2 over the batch; None for each where pyarrow is missing)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow comes with datasets
        return [None] * len(texts)
    return pc.match_substring_regex(pa.array(texts, type=pa.large_string()), SHAPE_PREFILTER).to_pylist()


# what the passes for codes no label names and for phones in groups need (either of their prefilters)
SHAPE_PREFILTER = CODE_PREFILTER + "|" + GROUPED_PHONE_PREFILTER + "|" + _NUMBERED_CODE_GATE
_SHAPE_GATE_RX = re.compile(SHAPE_PREFILTER)


def scrub_value(value: Any, counts: dict | None = None, scope: str = "patient", prose_names: bool = True) -> Any:
    """Scrub every string inside a JSON-like value (dicts, lists), keys left alone."""
    if isinstance(value, str):
        return scrub(value, counts, scope, prose_names)
    if isinstance(value, dict):
        return {k: scrub_value(v, counts, scope, prose_names) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(v, counts, scope, prose_names) for v in value]
    return value
