"""PHI scrubber: identifiers as patients from many countries write them (national numbers under their own names,
labels a few words before the value, European and Latin American addresses, spelled e-mails under any domain,
dates written as month/year or weekday and ordinal), and the clinical text around them left alone."""

import pytest

from imi_lib.data import phi

# (text, the identifier that must disappear, the type it is counted as)
POSITIVE = [
    # national and health numbers under their own names
    ("For the booking they asked my CPF, it is 987.654.321-00.", "987.654.321-00", "ID"),
    ("My NIE is Y1234567X and I have a cough for 3 weeks.", "Y1234567X", "ID"),
    ("DNI 51234876T - do I need a referral for the dermatologist?", "51234876T", "ID"),
    ("Mi cédula 1712345678 no aparece en el sistema.", "1712345678", "ID"),
    ("PESEL 85010212345, the clinic in Gdansk needs it.", "85010212345", "ID"),
    ("my personnummer is 19850102-1234 if the lab asks", "19850102-1234", "ID"),
    ("NHI: BCD5521\nmy knee is swollen again", "BCD5521", "ID"),
    ("RFC MELM8305281H0 for the invoice please", "MELM8305281H0", "ID"),
    ("my iqama number is 2456781234, the clinic in Jeddah asked", "2456781234", "ID"),
    ("CPR-nummer 150387-4421, I need a new GP in Aarhus", "150387-4421", "ID"),
    ("cédula de ciudadanía 1.032.456.789 para la cita", "1.032.456.789", "ID"),
    ("PPS number 7654321WA - can I get the medical card?", "7654321WA", "ID"),
    ("his UR number 00874412 at the Royal Melbourne", "00874412", "MRN"),
    ("Passport No. of my father: K8812047, he is travelling with me", "K8812047", "ID"),
    ("refund to GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32", "ACCOUNT"),
    ("our GPS address is GW-0184-5521 in Accra", "GW-0184-5521", "ADDRESS"),
    ("Carte Vitale 2 91 07 69 123 456 12, est-ce remboursé ?", "2 91 07 69 123 456 12", "ID"),
    # dates in other languages and scripts, a day and month with dots in a range
    ("Ho fatto le analisi il 12 febbraio 2025 e la ferritina è 8.", "12 febbraio 2025", "DATE"),
    ("Mi hijo nació el 2 de noviembre de 2019 y todavía no habla.", "2 de noviembre de 2019", "DATE"),
    ("seit dem Sturz am 3. März kann sie nicht laufen", "3. März", "DATE"),
    ("jeg har time fredag 14. mars kl. 08.30", "14. mars", "DATE"),
    ("14 Ocak 2025'te sezaryen oldum", "14 Ocak 2025", "DATE"),
    ("Admission date 15 Σεπτεμβρίου 2024. Regards", "15 Σεπτεμβρίου 2024", "DATE"),
    ("Fecha de nacimiento: 30-ago-1962. Diabetes tipo 2.", "30-ago-1962", "DATE"),
    ("Appointment on 2025年3月18日 at Peking Union.", "2025年3月18日", "DATE"),
    ("thank you for the consultation on 令和6年5月20日.", "令和6年5月20日", "DATE"),
    ("I will be in Vienna from 2.5. to 9.5. and need dialysis there.", "9.5.", "DATE"),
    ("Me operaron de la vesícula el 17/04. Todavía dolor.", "17/04", "DATE"),
    ("I am pregnant 20 weeks, last period 14/3.", "14/3", "DATE"),
    # ages over 89 in other languages, in digits and in words
    ("mi mamá tiene noventa y tres años y le duele la cadera", "noventa y tres", "AGE"),
    ("Mi nonna ha novantasei anni e prende Coumadin.", "novantasei", "AGE"),
    ("ma mère a quatre-vingt-quatorze ans, elle vit à la maison", "quatre-vingt-quatorze", "AGE"),
    ("Babam doksan iki yaşında, prostat büyümesi var.", "doksan iki", "AGE"),
    ("escribo por mi abuelo de 98 años, estuvo ingresado", "98", "AGE"),
    ("Hallo, ich bin 92 Jahre alt und mein Hausarzt ist in Rente.", "92", "AGE"),
    # record, insurance, identity and phone labels in other languages
    ("nº de historia clínica 04418273. Le dieron el alta.", "04418273", "MRN"),
    ("Aufnahmenummer 24-118903, Station 7B.", "24-118903", "MRN"),
    ("N° de dossier: 0047-885-12. Le chirurgien a dit", "0047-885-12", "MRN"),
    ("mi seguro médico es Sanitas, número de póliza 45-889021-03.", "45-889021-03", "ACCOUNT"),
    ("Mutuelle: adhérent n° 7785 4412 09. Ils ne remboursent pas.", "7785 4412 09", "ACCOUNT"),
    ("Mi RUT es 15.284.391-K. Tengo una mancha en la piel.", "15.284.391-K", "ID"),
    ("Mi DNI es 34.567.890 y necesito un certificado.", "34.567.890", "ID"),
    ("o meu telemóvel é 912 345 067", "912 345 067", "PHONE"),
    ("Mi teléfono fijo: 93 412 56 78 (Barcelona).", "93 412 56 78", "PHONE"),
    ("Numéro: 01 45 67 89 12 (fixe). J'ai une douleur.", "01 45 67 89 12", "PHONE"),
    ("please reply to ocampo_familia arroba gmail punto com, thanks", "ocampo_familia arroba gmail punto com",
     "EMAIL"),
    ("Email: yuna.m (at) docomo.ne.jp. My 10-month old has not crawled yet.", "yuna.m (at) docomo.ne.jp", "EMAIL"),
    # streets named by a suffix, postcodes by their label or beside a town
    ("Wir wohnen Schönhauser Allee 112, 10439 Berlin. Kinderarzt ist zu.", "Schönhauser Allee 112", "ADDRESS"),
    ("Wir wohnen Schönhauser Allee 112, 10439 Berlin. Kinderarzt ist zu.", "10439", "ADDRESS"),
    ("Min adresse er Nørrebrogade 45, 2. th., 2200 København N.", "Nørrebrogade 45", "ADDRESS"),
    ("Adresimiz Bağdat Caddesi No: 215 D: 8, 34728 Kadıköy/İstanbul.", "Bağdat Caddesi No: 215", "ADDRESS"),
    ("she fell at home, São Paulo, CEP 01304-001. The ambulance is coming?", "01304-001", "ADDRESS"),
    ("Postcode 1017 CT, Keizersgracht 221. Should I bring anything?", "Keizersgracht 221", "ADDRESS"),
    ("My mother lives alone in Nagoya 460-0002. Her legs are swollen.", "460-0002", "ADDRESS"),
    # Islamic, Roman-numeral and Korean months; English dates in words and in lower case
    ("My husband had his kidney transplant on 30 Dhul Hijjah and now creatinine is rising.", "30 Dhul Hijjah",
     "DATE"),
    ("had my second dose of the HPV vaccine on 24.IV.2025 and my arm is sore", "24.IV.2025", "DATE"),
    ("The appointment is on 2024년 3월 5일 at the clinic.", "2024년 3월 5일", "DATE"),
    ("the blood test appointment is on the twelfth of December at 8:30", "the twelfth of December", "DATE"),
    ("the school form must be back by October thirty-first, my cell is below", "October thirty-first", "DATE"),
    ("i had a miscarriage at 9 weeks on oct 30. bleeding stopped.", "oct 30", "DATE"),
    # ages in words after "aged" or in brackets after a person, a birthday's date, more labels, spelled e-mails
    ("A member of my church, aged ninety-eight, is refusing food.", "ninety-eight", "AGE"),
    ("Our elderly member (96) has blood in urine.", "96", "AGE"),
    ("my grandmother (ninety-three) fell yesterday, she is on warfarin", "ninety-three", "AGE"),
    ("On her birthday, 14/11, she had a fall and now her wrist is swollen.", "14/11", "DATE"),
    ("Please contact me on my work number 1800 555 219 only after 5pm.", "1800 555 219", "PHONE"),
    ("My matric number is 215883. Can ibuprofen cause kidney injury?", "215883", "ID"),
    ("His student number 2045517 at the grammar school.", "2045517", "ID"),
    ("Please reply to: rahul DOT verma AT proton DOT me", "verma AT proton DOT me", "EMAIL"),
    ("hisemail: olumide.adeyemi{at}gmail{dot}com. I am 78.", "olumide.adeyemi{at}gmail{dot}com", "EMAIL"),
    # a label with what it belongs to between it and the value
    ("the VIN of my scooter is 1HGCM82633A004352, the insurer wants a note", "1HGCM82633A004352", "ID"),
    ("The serial number of my CPAP machine is 22T0481193 and it beeps.", "22T0481193", "ID"),
    ("account number for the standing order is 73920415, is that enough?", "73920415", "ACCOUNT"),
    ("The MRN on my wristband was B-0042-7731 but it is someone else's.", "B-0042-7731", "MRN"),
    ("Dad's folder number at the district hospital is DH/23/004417.", "DH/23/004417", "MRN"),
    ("her file # at the eye clinic: EC-2024-00917. She has glaucoma.", "EC-2024-00917", "MRN"),
    # qualifiers "as" and "identifier", a parenthesis after the label
    ("the portal shows my hospital number as 4471-0082 for some reason", "4471-0082", "MRN"),
    ("my Medicare Beneficiary Identifier is 2AB4-CD5-EF67 per the new card", "2AB4-CD5-EF67", "ACCOUNT"),
    ("The pump lists its device ID as 7C2E-91AB-44F0-0D13 in the app.", "7C2E-91AB-44F0-0D13", "ID"),
    ("Hospital ID (MRN): 0052-7710-4 - the drain site is red", "0052-7710-4", "MRN"),
    ("my BSN (burgerservicenummer) is 111222333 and the GP needs it", "111222333", "ID"),
    # a second value joined to a labelled one
    ("Serial numbers are 19K0045521 (left) and 19K0045522 (right).", "19K0045522", "ID"),
    ("passport no. P7731442 and P7731443 for my two kids", "P7731443", "ID"),
    ("The plate number of the car that hit me is GXK 319 TR, I need a report.", "GXK 319 TR", "ID"),
    # street addresses in European and Latin American layouts: the street and the postcode both go
    ("Please send it to Bergstraße 7, 04109 Leipzig, my asthma got worse.", "Bergstraße 7", "ADDRESS"),
    ("Please send it to Bergstraße 7, 04109 Leipzig, my asthma got worse.", "04109", "ADDRESS"),
    ("home visit: Keizersgracht 114-3, 1015 CW Amsterdam, second floor", "Keizersgracht 114-3", "ADDRESS"),
    ("home visit: Keizersgracht 114-3, 1015 CW Amsterdam, second floor", "1015 CW", "ADDRESS"),
    ("the parcel goes to 8 avenue des Tilleuls, 31000 Toulouse please", "8 avenue des Tilleuls", "ADDRESS"),
    ("the parcel goes to 8 avenue des Tilleuls, 31000 Toulouse please", "31000", "ADDRESS"),
    ("Moro na Rua das Flores, 220, apto 12 - 80010-130 Curitiba, tenho febre.", "80010-130", "ADDRESS"),
    ("Moro na Rua das Flores, 220, apto 12 - 80010-130 Curitiba, tenho febre.", "Rua das Flores, 220", "ADDRESS"),
    ("I live in Poland now, ul. Kwiatowa 9, 30-001 Kraków.", "30-001", "ADDRESS"),
    ("Home collection at H.No. 8-2-293/A, Banjara Hills, Hyderabad please.", "H.No. 8-2-293/A", "ADDRESS"),
    ("SEND THE KIT TO 46 LAKESHORE DRIVE, KINGSTON ON PLEASE", "46 LAKESHORE DRIVE", "ADDRESS"),
    ("my new address 3 The Orchards, Naas, Co. Kildare W91 R2X4. Thanks", "3 The Orchards", "ADDRESS"),
    ("my new address 3 The Orchards, Naas, Co. Kildare W91 R2X4. Thanks", "W91 R2X4", "ADDRESS"),
    ("Av. Reforma 222, Col. Juárez, 06600 Ciudad de México, ¿pueden venir?", "06600", "ADDRESS"),
    ("Av. Reforma 222, Col. Juárez, 06600 Ciudad de México, ¿pueden venir?", "Av. Reforma 222", "ADDRESS"),
    ("estoy en Calle 53 # 21-40, Bogotá, con fiebre", "Calle 53 # 21-40", "ADDRESS"),
    ("we are staying near Via Garibaldi 18 in Torino", "Via Garibaldi 18", "ADDRESS"),
    ("my mum is at Kerkstraat 41, 9000 Gent, can the nurse come", "Kerkstraat 41", "ADDRESS"),
    ("deliver to #45, 2nd Cross, 4th Block, Jayanagar, Bengaluru", "#45, 2nd Cross", "ADDRESS"),
    # spelled e-mails under any domain, bare hosts with a path under any top-level domain
    ("write to me at lena_k at posteo dot example, the old one is closed", "lena_k at posteo dot example", "EMAIL"),
    ("from: ravi.m.nair at outlook dot test\nthe rash is spreading", "ravi.m.nair at outlook dot test", "EMAIL"),
    ("reply to kwame at gmail dot zz please", "kwame at gmail dot zz", "EMAIL"),
    ("my mail is oluwaseun.a at yahoo . com for the results", "oluwaseun.a at yahoo . com", "EMAIL"),
    ("my scans are on share.scanbox.example/s/j-okoro-88, can you look?", "share.scanbox.example/s/j-okoro-88", "URL"),
    ("all my readings: glucolog.example/u/tanvir_77", "glucolog.example/u/tanvir_77", "URL"),
    ("my insta @kemi.bakes_ng has the pictures of the rash", "@kemi.bakes_ng", "URL"),
    # dates: day/month after a cue, month/year, an ordinal day after a weekday or a month
    ("LMP 19/3, cycles are regular, could I be pregnant?", "19/3", "DATE"),
    ("My last booster was 09/2019... do I need another one?", "09/2019", "DATE"),
    ("the physio comes on Friday 21st. Should I rest till then?", "Friday 21st", "DATE"),
    ("the scan is on Tuesday the 3rd, fasting from midnight", "Tuesday the 3rd", "DATE"),
    ("my period started on March the 9th and stopped early", "March the 9th", "DATE"),
    ("her surgery is on november 22nd, is that too soon?", "november 22nd", "DATE"),
    ("the first infusion was 27/9. My hair is falling out.", "27/9", "DATE"),
    ("she fainted on the 19th, and again yesterday", "19th", "DATE"),
    # an age over 89 mentioned again without its cue
    ("Grandad turned 97 last week. Is a hip operation safe at 97?", "at 97", "AGE"),
    ("My grandmother (98) fell last night and her wrist is swollen.", "98", "AGE"),
    ("the insurer's claim reference CLM-2025-00417 was rejected", "CLM-2025-00417", "ACCOUNT"),
    ("the monitor's MAC address is 3C:22:FB:91:0A:7E, the app lost it", "3C:22:FB:91:0A:7E", "ID"),
    ("my page: social.example/ngozi.eze.7 has the photos of the rash", "social.example/ngozi.eze.7", "URL"),
    # names with cues of forms, sign-offs and chat exports
    ("NAME: WANJIKU ACHIENG OTIENO\nAGE: 41\nCOMPLAINT: COUGH", "WANJIKU ACHIENG OTIENO", "NAME"),
    ("Is the dose right for her kidneys? Kind regards, Bronwen (daughter)", "Bronwen", "NAME"),
    ("Copied from the group: [21:05] Kwabena: his sugar is 14 again. [21:06] Kwabena: should he eat?",
     "Kwabena", "NAME"),
    ("03/04/2025, 08:15 - Nomsa Dlamini: the rash is back", "Nomsa Dlamini", "NAME"),
    ("My name is Li Na (李娜) and I have had a cough for a month.", "李娜", "NAME"),
]

# the fourteenth round (HELDOUT_IDS.md, "Sets 23 and 24"): dates without a year after an event, a weekday or a time,
# in ranges and with dots; ages over 89 in other languages, in words and before "this year"; postcodes before or after
# a town; more street types; the writer's first name after "this is"/"its"
POSITIVE += [
    ("follow up: IP no. 4471, discharged 28/03, wound check needed", "28/03", "DATE"),
    ("she was admitted 15/11 and discharged 19/11, sugars 300+", "15/11", "DATE"),
    ("Next visit: 12/03 (Thursday)", "12/03", "DATE"),
    ("When: 22/09 at 14h, Where: the clinic", "22/09", "DATE"),
    ("my employer needs a sick note for 12/06 to 16/06 when I had malaria", "16/06", "DATE"),
    ("I want to do full body checkup on 15.12.", "15.12", "DATE"),
    ("I had a miscarriage on 3. 9. and bleeding has not stopped", "3. 9.", "DATE"),
    ("appt: 10.12. um 8:15 beim Kardiologen", "10.12.", "DATE"),
    ("He had flu 10.11-14.11. and missed school", "14.11", "DATE"),
    ("I was ill from 2.11. to 6.11. and the employer wants a note", "2.11.", "DATE"),
    ("I am Noa from Haifa, born 5.4.58", "5.4.58", "DATE"),
    ("they did angioplasty on monday 3 march. now he is breathless", "3 march", "DATE"),
    ("MY SON WAS BITTEN BY A DOG ON SATURDAY 22ND NOV, RABIES VACCINE NEEDED?", "22ND NOV", "DATE"),
    ("my baby is due 15 Ogos, is it safe to fly", "15 Ogos", "DATE"),
    ("DOB: 21 Farvardin 1365", "21 Farvardin", "DATE"),
    ("My son was admitted on 1445/03/12 (hijri) with dengue.", "1445/03/12", "DATE"),
    ("my mother's age is actually 93 this year, and she has shingles", "93", "AGE"),
    ("Hallo, mein Vater ist 93 und hat seit gestern Fieber", "93", "AGE"),
    ("Hij is 91 en heeft sinds 2 weken oedeem", "91", "AGE"),
    ("re my nan, 104 in march, she's on bisoprolol", "104", "AGE"),
    ("the lady in bed 4 is one hundred and one and they want a colonoscopy", "one hundred and one", "AGE"),
    ("dear dr, my nan (ninety-one) has had diarrhoea since Friday", "ninety-one", "AGE"),
    ("MY GRANDFATHER IS OLD. ONE HUNDRED AND FOUR. HE STILL EATS WELL", "ONE HUNDRED AND FOUR", "AGE"),
    ("Ship the glucose strips to: 48 Marine Parade, Napier 4110", "48 Marine Parade", "ADDRESS"),
    ("Ship the glucose strips to: 48 Marine Parade, Napier 4110", "4110", "ADDRESS"),
    ("we are at 41B Ogunlana Drive, Surulere not 41A.", "41B Ogunlana Drive", "ADDRESS"),
    ("I live at Prosta 12 m. 15, 00-514 Warszawa. Please send the referral", "00-514", "ADDRESS"),
    ("address for the pickup: Rua das Flores 12, 4050-262 Porto. thank you", "4050-262", "ADDRESS"),
    ("Ms. Berg, 2 Storgatan, 111 51 Stockholm, requests a copy of her records.", "111 51", "ADDRESS"),
    ("Home: 9 Rehov Herzl, Haifa 3303109. My grandfather refuses to eat", "3303109", "ADDRESS"),
    ("texted from my phone sorry typos: its Ashley, my sons birthday is soon", "Ashley", "NAME"),
    ("hi its Brandon (brandon@example.com) - need a refill", "Brandon", "NAME"),
]

# the fifteenth round: names after form labels, greetings in capitals, "my name is" in other languages and other
# countries' titles; ages after a person's name and before "birthday"; ordinal days after a cue or in a list, day
# lists and ranges in other languages
POSITIVE += [
    ("Patient sticker text: \"SURNAME: OYELARAN  FORENAME: BISI  DOB: 01/02/1960\"", "OYELARAN", "NAME"),
    ("Patient sticker text: \"SURNAME: OYELARAN  FORENAME: BISI  DOB: 01/02/1960\"", "BISI", "NAME"),
    ("Here is the form: Surname: OYELARAN First name: ADEBOLA Date of birth: 12/12/1990", "ADEBOLA", "NAME"),
    ("Surname: Moyo\nFirst name: Tendai", "Moyo", "NAME"),
    ("\"Dear JOSEPHINE MAKENA, your appointment at the hospital is on Thursday\"", "JOSEPHINE MAKENA", "NAME"),
    ("The pharmacy texted: \"Hi SARAH, your repeat is ready\"", "SARAH", "NAME"),
    ("Guten Tag, mein Name ist Katharina Brunnhuber. Ich brauche ein Rezept", "Katharina Brunnhuber", "NAME"),
    ("bonjour, je m'appelle Élodie Martin et j'ai mal au dos", "Martin", "NAME"),
    ("hola, me llamo Juan Pérez y tengo fiebre", "Juan Pérez", "NAME"),
    ("Prof. Dr. med. Schreiber hat mir Pantoprazol 40 verordnet.", "Schreiber", "NAME"),
    ("Termin bestätigt, Praxis Dr. med. Weber, 10:30", "Weber", "NAME"),
    ("A Drª Sofia Mendes pediu análises para mim.", "Sofia Mendes", "NAME"),
    ("I look after my father, Mr. Brennan, 97, in a nursing home.", "97", "AGE"),
    ("Patient (Mr Khan, 93) refuses the PEG tube", "93", "AGE"),
    ("I'm calling about Zainab Bibi, 97, who has pneumonia", "97", "AGE"),
    ("My grandfather just celebrated his 100th birthday and his PSA is 14.", "100th", "AGE"),
    ("the hospitalisation was from 3rd to 10 March. Please help", "3rd", "DATE"),
    ("Dear Sir, visits on 2nd, 9th and 16th June, please reimburse", "9th", "DATE"),
    ("I need my yellow card stamped before the 15th.", "15th", "DATE"),
    ("Sessions on 3/9, 11/9 and 18/9. Receipts attached.", "11/9", "DATE"),
    ("Termin am Montag, den 14.12. im AKH.", "14.12.", "DATE"),
    ("absente du lundi 2 au jeudi 5 novembre, merci", "lundi 2", "DATE"),
    ("absente du lundi 2 au jeudi 5 novembre, merci", "5 novembre", "DATE"),
    ("Anna war vom 9. bis 13.11. krank (Angina).", "9.", "DATE"),
    ("estive internado de 20 a 24 de março no hospital", "20", "DATE"),
    ("Sehr geehrte Frau Dr. Weiss, ich bin seit dem 05.09. krankgeschrieben.", "05.09.", "DATE"),
    ("She has been in ICU since 01.11 and is unresponsive.", "01.11", "DATE"),
    ("Due date 10.06., I'm 38 weeks, contractions every 10 min", "10.06.", "DATE"),
    ("Mrs Ng, seen 13/01 by the GP, given 1/52 of antibiotics", "13/01", "DATE"),
    ("I'm Zoe Park, 97, living alone, my legs cramp at night.", "97", "AGE"),
    ("My mother Anna Berg, 94, at Hill Road 3 needs a home visit.", "94", "AGE"),
    ("my grand-dad is 104 and still sharp as a tack", "104", "AGE"),
    ("Ibu saya 94 tahun, sering pusing.", "94", "AGE"),
    ("Бабушке 99 лет, она плохо спит.", "99", "AGE"),
    ("See my cv at sarahokeeffe.ie, I'm a physio asking for a friend", "sarahokeeffe.ie", "URL"),
    ("my linktree is linktr.ee/wanjiku.k, I shared my story there", "linktr.ee/wanjiku.k", "URL"),
    ("I keep a blog of my chemo: chemo-diary-anouk.nl - today is cycle 4", "chemo-diary-anouk.nl", "URL"),
]

# the sixteenth round: names after sign-offs in capitals and in other languages, other languages' form labels,
# introductions and titles; ages in brackets after a name, before "lat"/"år"; "the 22nd"; a day and month after an
# event's verb; dwellings in lower case
POSITIVE += [
    ("Best regards, JOHN-PAUL MCALLISTER (father of Ann, chart # 3)", "JOHN-PAUL MCALLISTER", "NAME"),
    ("thanks so much, SIOBHAN O'DRISCOLL", "SIOBHAN O'DRISCOLL", "NAME"),
    ("Cordialement, MARIE-NOËLLE BOUCHARD", "MARIE-NOËLLE BOUCHARD", "NAME"),
    ("Pozdrawiam, MAŁGORZATA NOWICKA, tel. 601 234 567", "MAŁGORZATA NOWICKA", "NAME"),
    ("Met vriendelijke groet, Pieter van der Heijden, BSN 1", "Pieter van der Heijden", "NAME"),
    ("NOM : LEFEBVRE  Prénom : Claire le : 3", "LEFEBVRE", "NAME"),
    ("Apellidos: García López, Nombre: Inmaculada, NHC 2290417", "Inmaculada", "NAME"),
    ("Cognome: ESPOSITO Nome: Gennaro", "ESPOSITO", "NAME"),
    ("NAME ..... Cristóbal Ibarra   D.O.B ..... 3/4/1990", "Cristóbal Ibarra", "NAME"),
    ("Je suis Yannick Kerbrat, j'habite à Brest.", "Yannick Kerbrat", "NAME"),
    ("This is Latoya Brisbane at 3 Elm Street. My pharmacy needs a new script.", "Latoya Brisbane", "NAME"),
    ("My grandmother, Alice Moyo (94), keeps falling at night.", "94", "AGE"),
    ("My dad, Mr Ochieng [92], has a pacemaker.", "92", "AGE"),
    ("Hi Dr Li, grandma (94 in Jan) fell again", "94", "AGE"),
    ("Dedem, Ayşe (94), dün düştü.", "94", "AGE"),
    ("moja babcia ma 96 lat i nie może chodzić.", "96", "AGE"),
    ("my appt is the 22nd right? I need the script", "22nd", "DATE"),
    ("that's a school day, can we do the 13th instead?", "13th", "DATE"),
    ("Visits on 2nd, 9th and 16th June, please reimburse", "2nd", "DATE"),
    ("I've been on prednisone since May and the taper ends 12/21.", "12/21", "DATE"),
    ("biopsy taken 9/30, results still not back.", "9/30", "DATE"),
    ("Admitted in May, readmitted 10/12 with fever", "10/12", "DATE"),
    ("my name is Amal, villa 27, Al Olaya district. my mother cannot swallow", "villa 27", "ADDRESS"),
    ("Bldg 4, Apt 1207 in Dubai Marina, I need a dermatologist", "Bldg 4", "ADDRESS"),
]

# the seventeenth round: eight-digit phones after a phone word, e-mails voice-typed with spaces, "for 17th", "on 30th
# with", a day and month after "yesterday"
POSITIVE += [
    ("my NRIC S1234567D pls update my phone number to 9123 5567 thank you", "9123 5567", "PHONE"),
    ("Pls note my new mobile 9876 5432 and home 2655 1100. Chart no. 4", "2655 1100", "PHONE"),
    ("My email is: j o h n . b a k e r 8 8 @ g m a i l . c o m (sorry the voice to text adds spaces)",
     "j o h n . b a k e r 8 8 @ g m a i l . c o m", "EMAIL"),
    ("Booked a vasectomy consult for 17th. Do I need a referral?", "17th", "DATE"),
    ("Hi, i was discharged from ward 9 on 30th with a drain still in.", "30th", "DATE"),
    ("my father was admitted to icu yesterday 24/11 can you tell me how is he", "24/11", "DATE"),
]

# the eighteenth round: introductions with an age in other languages, plates under other languages' labels, usernames
# after a plain space, ages before "lata" and "ετών" and after "turn", Romanian months, a day and month after "started"
POSITIVE += [
    ("Buongiorno, sono Giulia Ferraresi. Il mio codice fiscale è RSSMRA.", "Giulia Ferraresi", "NAME"),
    ("Goedemiddag, ik ben Sanne de Vries, 33 jaar. Ik heb sinds de bevalling", "Sanne de Vries", "NAME"),
    ("Ciao, sono Marco, ho 31 anni e faccio il cameriere.", "Marco", "NAME"),
    ("Witam, jestem Magdalena, mam 35 lat, TSH 7,2", "Magdalena", "NAME"),
    ("Hallo, ich bin Lukas, 19 Jahre alt, Student in Köln.", "Lukas", "NAME"),
    ("Numero di targa AB123CD, devo lasciare la macchina al pronto soccorso?", "AB123CD", "ID"),
    ("Mi matrícula es 1234 BCD, el parking del hospital me multó.", "1234 BCD", "ID"),
    ("Mein Kennzeichen ist M-AB 1234, ich parke", "M-AB 1234", "ID"),
    ("i forgot my login for the portal, username farah.k1990 registered with x@y.com", "farah.k1990", "ID"),
    ("Hi, my username on your app is chloe.d.1990 and it says account locked", "chloe.d.1990", "ID"),
    ("my name is Siri, I have pain. Line id: siri_porn77", "siri_porn77", "ID"),
    ("ko doctor, my mom turn 93 next week and she has constipation", "93", "AGE"),
    ("Ο πατέρας μου είναι 92 ετών και έχει διαβήτη.", "92", "AGE"),
    ("Piszę w imieniu mojej babci, która ma 93 lata.", "93", "AGE"),
    ("Am inceput chimioterapia pe 1 octombrie la spitalul din Cluj", "1 octombrie", "DATE"),
    ("dr pls the pain started 24/12 after christmas party, vomiting", "24/12", "DATE"),
]

NEGATIVE = [
    # numbers that are not identifiers, even after words that label identifiers elsewhere
    "The device was set to 12500 units per hour on the pump for the night.",
    "Platelets were 123.456 x10^9/L on the first count, repeat pending.",
    "She scored 21 and 23 on the two tests, both normal.",
    "The file for the appeal is long: 35 pages with the referral letters.",
    "Ferritin 10.5 and vitamin D 45 and B12 310 in the last panel.",
    "The account of the accident was 3 pages long.",
    "The registration of the patient was 2019 and the follow-up ran for 36 months.",
    "I TOOK 2 PILLS ON THE ROAD, THEN FELT DIZZY.",
    "Dose: paracetamol 1 g, 10000 Units heparin, 5000 Units at night.",
    "Enrolled at 12 sites, 2400 Patients were randomised.",
    "Start at 0.5 mcg.kg/min, give 1 mg/kg i.v./i.m. and then 2 tabs.bd/tds.",
    "The sample was taken at home dot the i and cross the t, as they say.",
    "Fluids at 2 ml/kg/h, see e.g./i.e. the protocol; Na/K ratio 28.",
    "Pain was 7/10 and now is 3/10. MMSE was 24/30, GCS was 14/15.",
    "LMP 3/7 ago, non-weight-bearing for 6/52, review in 2/12.",
    "Vaccine lot AB1234, expiry 08/2026, stored at 2-8 C.",
    "Insulin batch 5KQ112, expires Mar 2027; still fine to use?",
    "The risk is 1/2000 at 30 and 1/1500 at 35.",
    "She was 18/12 when she walked and he was 14/7 post-op.",
    "At 95 her sats were fine; pulse 95 and 95 mg of iron daily, BP 130/95.",
    "NAME: NOT GIVEN\nAGE: 4\nWEIGHT: 16 KG",
    "Take one at 08:30 - Morning: with food; [22:00] Night: the second one.",
    "[10:15] Me: is that normal? [10:16] Doctor: yes, keep going.",
    "The genome was deposited in GenBank under accession number MN908947.",
    "Firmware version 1.2.300.4 fixed the pump alarm; EC 3.1.1.11 is pectinesterase.",
    "The leaflet was revised 11/2024 and the SmPC text of 12/2023 says 5 mg once daily.",
    "Ethics approval: REC ref P412/06/2019, the 3rd Brigade 4 times a year.",
    "Sent Via WhatsApp 3 times; #1, take the tablets twice a day.",
    "The trial (95) arms were balanced; HR (96) and BP were stable.",
    "Take 1 tablet on Monday 1st week, 2 tablets in the 2nd week.",
    "The ratio was 15/5 in the control arm and her fasting was 16/8.",
    "He moved from Via Crucis 3 years ago.",
    "[10:42] Pain: 7/10 after walking, [10:50] Pain: 5/10.",
    "The patient (94) and control (96) groups were similar.",
    "Aspirin (阿司匹林) 100 mg daily since the stent.",
    "The clinic is on the 2nd floor; on the 3rd attempt the cannula went in.",
    "Reference GB12 ABCD 1234 5678 9012 34 in the trial protocol is a made-up code.",
    # what the rules for other languages must leave: a decimal after "to", a score, a year before a town, a brigade
    "Reduce the warfarin to 2.5. Then recheck the INR in a week.",
    "I am 3/7 post op and the Apgar was 8/9/10 at birth.",
    "In 2019 Paris hosted the congress; Bring 2 tablets to the clinic.",
    "We were at home.It was raining and the pain got worse.",
    "Hemocultivos 2/2 positivos, dose 90 mg per day, she is 88 anos? no, 88.",
    "Pain 7/10 at rest and 3/10 at 5pm; half a tablet (1/2) at 8 am.",
    "The patient (94) and control (96) groups were similar, aged 40 to 70.",
    # what the fourteenth round's rules must leave: measures in words, fractions and scores before a time or in a
    # range, decimals after "on", versions, a year after a town, "may"/"march" as verbs, festivals after "it's"
    "Samsung Health shows my oxygen at ninety two while sleeping.",
    "My Omron machine shows my blood pressure as one fifty over ninety five.",
    "Yesterday the fever went up to a hundred and three.",
    "I am ninety-nine percent sure it is a cold, he walked a hundred and one steps.",
    "VA 6/9 to 6/12, pain 3/10 to 7/10, power 4/5 - 5/5, 3/7 to 5/7 since the fall.",
    "Started on 2.5 mg, Hb 13.5-17.5, K 3.50-5.10, on 10.25 mg daily.",
    "Firmware 1.5.10 and section 2.3.12 of the manual.",
    "I took it for 3 weeks, Version 2021. Also, Dose 1000.",
    "I took 2 may be too many, and 3 march past the clinic.",
    "This is Panadol. It's Tuesday, this is London. It's Ramadan, it's Diwali.",
    # what the fifteenth round's rules must leave
    "Child 4 years, 16 kg, weight on 25th centile, dropped from 50th to 9th centile.",
    "Cardiac arrest: VF, adrenaline 1 mg after the 3rd shock, on 2nd floor, from 1st grade.",
    "Name: ____  SURNAME: N/A  Dear PATIENT, Hi TEAM, Dear DOCTOR, Dear NHS,",
    "BP 120, 95, 100 over three visits; her 45th birthday party was fine.",
    "Am Freitag um 10 Uhr, Dienstag 9 Uhr, lunes 3 veces; reduce from 5 to 10 mg, de 2 a 3 comprimidos.",
    "Started on 12.05 mg, then on 10.12 units; my page has my symptoms. My blog says nothing, my site is down.",
    # what the sixteenth round's rules must leave
    "Regards, NHS TEAM. Thanks, THE CLINIC. Signed, PATIENT. PATIENT: FEMALE, 3 tablets.",
    "The trial (95) arms; HR (96); Group (93) and Control (96), ÉCHO (95).",
    "the 3rd, 4th and 5th ribs hurt; the 2nd and 3rd doses; for the 2nd time.",
    "taken 1/2 tablet, taken 2/3 of the dose, done 3/7 ago, scanned 6/9 vision, taken 5/10 mg",
    "I feel flat 2, 3 days now; the house 4, 5 times a week; apartment 3, 4 people",
    "In Buenos Aires the pharmacist sold me Tafirol; Mit freundlichen Grüßen.",
    # what the seventeenth round's rules must leave
    "the dose is 1000 2000 mg; room number 2012 2013; BP 1234 5678; at home 2000 3000 steps",
    "for 2nd time, for 3rd week, today 1/2 tablet, for the 2nd opinion",
    # what the eighteenth round's rules must leave
    "started 1/2 tablet after food, began 3/4 of the dose; my username is wrong and login failed, user name please",
]


@pytest.mark.parametrize("text,value,kind", POSITIVE)
def test_identifier_is_scrubbed_and_counted(text, value, kind):
    counts: dict = {}
    out = phi.scrub(text, counts)
    assert value not in out, out
    assert counts.get(kind), (counts, out)


@pytest.mark.parametrize("text", NEGATIVE)
def test_text_without_identifiers_is_left_alone(text):
    counts: dict = {}
    assert phi.scrub(text, counts) == text
    assert counts == {}


def test_batch_scrubs_these_identifiers_as_scrub_does():
    texts = [t for t, _v, _k in POSITIVE] + NEGATIVE
    records = [[t] for t in texts] + [["", t] for t in texts] + [[texts[i], texts[-1 - i]] for i in range(len(texts))]
    assert phi.scrub_batch(records) == [[phi.scrub(t) for t in r] for r in records]


@pytest.mark.parametrize("text,value", [
    ("The glucose meter shows serial no. GLM4418820913, the readings are off.", "GLM4418820913"),  # capitals glued
    ("My accession number is S25-019384, the lab cannot find it.", "S25-019384"),
    ("My daughter's clinic number is 7781-4402 at the children's hospital.", "7781-4402"),
    ("the number on my prescription is RX-5528190, pharmacist says no", "RX-5528190"),
    ("my tax file number 123 456 782 was asked over the phone", "123 456 782"),  # no age in its first group
])
def test_identifiers_after_lab_clinic_prescription_and_tax_labels_are_scrubbed(text, value):
    assert value not in phi.scrub(text, {}, "patient")


def test_a_sequence_accession_and_a_version_stay():
    for text in ["The genome was deposited in GenBank under accession number MN908947.",
                 "COVID19 vaccine, 2 doses; H1N1 12345 units is no dose."]:
        assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value", [
    ("ALL MY RECORDS ARE THERE. DATE OF ADMISSION 07 MAR 2025.", "07 MAR 2025"),  # a month in capitals
    ("Bonjour, c'est Anne, tél 06 12 34 56 78, mon bébé a de la fièvre.", "06 12 34 56 78"),  # a French label
    ("my pharmacy customer number is 100-2844-19 and they ran out", "100-2844-19"),
    ("FROM: LEILANI KAHALE\nSUBJECT: RASH ON MY ARMS", "LEILANI KAHALE"),  # an e-mail header in capitals
])
def test_capital_months_french_phone_labels_customer_numbers_and_caps_headers_are_scrubbed(text, value):
    out = phi.scrub(text, {}, "patient")
    assert value not in out, out
    assert phi.scrub_batch([[text]]) == [[out]]


def test_may_in_capitals_and_a_period_in_capitals_stay():
    for text in ["I TOOK 2 MAY BE 3 TABLETS", "FROM: 2019 TO 2021 I WAS ON METFORMIN"]:
        assert phi.scrub(text, {}, "patient") == text


def test_a_cue_before_a_non_ascii_capital_is_found_by_the_batch_path_too():
    """pyarrow's find_substring_regex misses a cue the RE2 prefilter matches when a non-ASCII capital follows it
    ("Patient name: Ødegaard"); the batch path must still scan that text."""
    text = "Patient name: Ødegaard, Ingrid. Request: renewal of levothyroxine 75 mcg."
    assert "Ødegaard" not in phi.scrub(text)
    assert phi.scrub_batch([[text], [text, "Thanks"]]) == [[phi.scrub(text)], [phi.scrub(text), "Thanks"]]


def test_a_sequence_database_in_the_field_before_does_not_unlabel_a_record_number():
    """The GenBank exception looks back for its words within the number's own field only."""
    fields = ["The genome was deposited in GenBank under accession number MN908947.",
              "Aufnahmenummer 24-118903, Station 7B."]
    counts: dict = {}
    out = phi.scrub_fields(fields, counts)
    assert out[1] == "Aufnahmenummer [MRN], Station 7B.", out
    assert out[0] == fields[0]
    assert phi.scrub_batch([fields]) == [out]


@pytest.mark.parametrize("unit,gone", [
    ("Alice (94) ", ["Alice", "94"]),
    ("Mr. Brennan, 97, ", ["Brennan", "97"]),
    ("Cordialement, MARIE-NOËLLE BOUCHARD\n", ["BOUCHARD"]),
    ("on the 1st, ", ["1st"]),
])
def test_every_one_of_many_repeated_mentions_is_scrubbed(unit, gone):
    """A text that repeats one shape hundreds of times (a pasted log, a form printed twice) is scrubbed whole;
    `benchmarks/bench_phi.py` shows the time per character stays flat as such a text grows."""
    out = phi.scrub(unit * 400, {}, "patient")
    for value in gone:
        assert value not in out, (value, out[:200])


@pytest.mark.parametrize("text,value,kind", [
    # Chinese, Japanese and Korean introductions, labels, a record's opening and a name that signs off
    ("我叫王丽，今年45岁，最近经常胃痛。", "王丽", "NAME"),
    ("我係陳大文，想問下食咗降血壓藥頭暈係咪正常？", "陳大文", "NAME"),
    ("我的名字是周婷，30岁。最近体检发现甲状腺有个结节。", "周婷", "NAME"),
    ("李明华，男，1965年出生，高血压十年。", "李明华", "NAME"),
    ("私の名前は佐藤健一です。健康診断で肝臓の数値が高いと言われました。", "佐藤健一", "NAME"),
    ("こんにちは。私は鈴木美咲と申します。32歳です。", "鈴木美咲", "NAME"),
    ("名前：山本花子\u3000症状：めまい", "山本花子", "NAME"),
    ("田中です。子どもが夜中に咳き込みます。", "田中", "NAME"),
    ("저는 김민준입니다. 3월 5일에 수술을 받았는데 아직도 열이 나요.", "김민준", "NAME"),
    ("저는 최유진이고 29살입니다. 생리통이 너무 심해요.", "최유진", "NAME"),
    ("医生(黃醫生)說可能是認知障礙症。", "黃", "NAME"),
    ("請問我們可以先做甚麼？電話 +852 6123 4567。陳小明", "陳小明", "NAME"),
    # their ages over 89 and months of a year; a Hungarian date
    ("我母親今年九十三歲，住在香港沙田。", "九十三", "AGE"),
    ("母は95歳です。", "95", "AGE"),
    ("가족관계: 어머니 (92세) – 치매 약을 바꿔야 할까요?", "92", "AGE"),
    ("Since 2026年10月 I have blood in my stool.", "2026年10月", "DATE"),
    ("2025년 12월에 건강검진에서 간수치가 높게 나왔습니다.", "2025년 12월", "DATE"),
    ("születési dátumom 1971. április 3. Kérném a zárójelentésem másolatát.", "1971. április 3.", "DATE"),
    # a name after thanks or a greeting at a message's end, in many languages
    ("Ne zamandan sonra tetkik yapmak gerekir? Teşekkür ederim, Selin", "Selin", "NAME"),
    ("Máme ho vzít znovu do nemocnice a chtít CT? Bydlí s námi v Olomouci. Děkuji, Hana", "Hana", "NAME"),
    ("Lo fate anche voi e quanto costa? Grazie per la risposta, Chiara", "Chiara", "NAME"),
    ("¿Qué análisis le deberíamos pedir? Muchas gracias, Paloma", "Paloma", "NAME"),
    ("Brauchen wir eine spezielle Versicherung? Herzliche Grüsse, Monika", "Monika", "NAME"),
    ("Sizin hastanede diyetisyen var mı? Teşekkürler, Serkan Aydın", "Serkan Aydın", "NAME"),
    # a writer who gives one name at a message's opening, after a greeting
    ("Bonjour, c'est Yannick. J'ai des aphtes depuis un mois, c'est grave? ", "Yannick", "NAME"),
    ("Ciao, sono Marco. Ho messo le foto della mia cicatrice sul mio sito.", "Marco", "NAME"),
    ("Hallo, ich bin Lukas aus Basel. Ich möchte über meine Herz-OP schreiben.", "Lukas", "NAME"),
    ("Merhaba, ben Hakan, 40 yaşındayım. Sigarayı bırakmak istiyorum.", "Hakan", "NAME"),
    ("Patient: Hemi Parata. DOB 30.01.1955. Reason for message: wants copy of discharge summary.", "Hemi Parata", "NAME"),
])
def test_the_nineteenth_rounds_names_ages_and_dates_are_scrubbed(text, value, kind):
    out = _scrubbed_as(text, value, kind)
    # the same text in a record's second field: the rules that look at a field's start or end see it there too
    assert phi.scrub_batch([["Question:", text]]) == [["Question:", out]]


@pytest.mark.parametrize("text", [
    "我是医生，想问一个问题。",  # "I am a doctor": no surname opens it
    "请问需要马上去医院吗？谢谢",  # thanks at the end is no name
    "我去看医生了，医生说没事。家庭医生建议我做检查。",
    "私は大丈夫です。",
    "저는 공무원입니다. 요즘 피곤해요.",  # "I am a civil servant"
    "저는 간호사입니다.",
    "I am Indian, 34 years old, living in Dubai for the last 6 years.",
    "Hi, I'm Diabetic, what should I eat?",
    "The HbA1c was 7.2% in 2023 and the cohort aged 85 and over was small.",
])
def test_what_the_nineteenth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    # introductions in Arabic, Persian, Russian, Ukrainian, Greek and Thai
    ("السلام عليكم دكتور، اسمي أحمد الشمري، عمري ٣٧ سنة، عندي ضغط مرتفع", "أحمد الشمري", "NAME"),
    ("السلام عليكم، أنا فاطمة الزهراء من المغرب، عندي ألم في الركبة", "فاطمة الزهراء", "NAME"),
    ("سلام دکتر، من زهرا احمدی هستم. سرفه خشک دارم", "زهرا احمدی", "NAME"),
    ("Здравствуйте, меня зовут Ольга Смирнова, мне 52 года.", "Ольга Смирнова", "NAME"),
    ("Доброго дня, я Іван Петренко, записаний на УЗД.", "Іван Петренко", "NAME"),
    ("Γεια σας γιατρέ, είμαι η Ελένη Παπαδοπούλου, 60 ετών, έχω πόνο στο γόνατο.", "Ελένη Παπαδοπούλου", "NAME"),
    ("สวัสดีค่ะคุณหมอ ดิฉันชื่อ สมศรี ใจดี อายุ 50 ปี มีอาการปวดหัวเรื้อรัง", "สมศรี ใจดี", "NAME"),
    ("こんにちは、田中美咲です。妊娠20週ですが、お腹が張ります。", "田中美咲", "NAME"),
    # an introduction after a greeting and a word of address, with an article, in Hindi/Urdu, with a surname
    ("Merhaba doktor, ben Elif Yılmaz, tiroid sonuçlarım kötü.", "Elif Yılmaz", "NAME"),
    ("Salam docteur, je suis Nadia, est-ce que la consultation est remboursée?", "Nadia", "NAME"),
    ("ola doutor sou a Fernanda, tô com febre e manchas no corpo", "Fernanda", "NAME"),
    ("asalam, main Bilal hoon, mujhe kal se seene mein jalan hai", "Bilal", "NAME"),
    ("We are in Kano. Dad: Musa Garba, please call him.", "Musa Garba", "NAME"),
    # ages: Arabic-Indic digits, Hindi/Urdu and Swahili in Latin letters
    ("السلام عليكم، والدتي عمرها ٩٣ سنة وتعاني من إمساك شديد", "٩٣", "AGE"),
    ("meri naani 95 saal ki hain aur unki bhook khatam ho gayi hai", "95", "AGE"),
    ("mzee wetu ana miaka 98, hawezi kumeza chakula tena.", "98", "AGE"),
    ("baba yangu ana miaka tisini na tano, anakohoa usiku", "tisini na tano", "AGE"),
    # a phone and a record number after their labels in Chinese and Japanese
    ("你好医生，我叫王小明，最近血压很高。我的电话是138 5550 2741", "138 5550 2741", "PHONE"),
    ("お腹が張ります。診察券番号は 0048271 です。", "0048271", "MRN"),
    ("住院号: ZY20240315; they gave me a lot of tablets.", "ZY20240315", "MRN"),
])
def test_the_twentieth_rounds_names_ages_and_numbers_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "انا مريض، عندي ألم في المعدة",  # "I am ill": what the writer is, not who
    "أنا حامل من ثلاثة أشهر، هل الدواء آمن؟",
    "my son is 12 saal ka, he has asthma",  # an age under 90
    "ana miaka 45 na ana kisukari",
    "Я не знаю, что делать с давлением.",  # "I do not know": no capital after "я"
    "Merhaba doktor, ben diyabetim, ne yemeliyim?",
    "Ciao, sono Italiana, abito a Roma.",
])
def test_what_the_twentieth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    # a day and month after a preposition and an appointment or admission; a month and year in other languages
    ("Devo portare la tessera sanitaria all'appuntamento del 21/05?", "21/05", "DATE"),
    ("Necesito autorizacion para la resonancia del 2/9.", "2/9", "DATE"),
    ("Bonjour, mon rdv du 8/5 est-il maintenu ?", "8/5", "DATE"),
    ("Prontuário 123, internação dia 14/03 no Hospital de Clínicas", "14/03", "DATE"),
    ("Führerschein-Nr. B072RRE2I55, bitte Gutachten bis 30.06.", "30.06", "DATE"),
    ("Fiz a cirurgia bariátrica em março de 2025 e meu cabelo está caindo.", "março de 2025", "DATE"),
    ("Meine letzte Impfung war im Oktober 2024, brauche ich eine Auffrischung?", "Oktober 2024", "DATE"),
    # ages over 89 after "I am", "has", a relative, a patient abbreviation; in Korean words
    ("Grüezi, ich bin 92 und brauche ein Zeugnis für die Fahrtauglichkeit.", "92", "AGE"),
    ("Número de afiliado PAMI 123, mi mamá tiene 94.", "94", "AGE"),
    ("mi papá de 91 tiene neumonía, lo pueden ver a domicilio?", "91", "AGE"),
    ("Pat. 96 J., Z.n. Schenkelhalsfraktur li.", "96", "AGE"),
    ("저희 할머니가 올해 아흔셋이신데 요즘 밥을 잘 못 드세요", "아흔셋", "AGE"),
    # introductions in Nordic languages, Finnish, Portuguese, Czech, Indonesian, Vietnamese
    ("Hej! Jeg er Mette Kjær, CPR 150387-4421. Min søn har feber.", "Mette Kjær", "NAME"),
    ("Hei, olen Aino Virtanen, henkilötunnus 131052-308T.", "Aino Virtanen", "NAME"),
    ("Oi doutor, aqui é o Thiago, tenho 31 anos e sinto tontura.", "Thiago", "NAME"),
    ("Jmenuji se Petra a je mi 36, mám bolesti v podbřišku", "Petra", "NAME"),
    ("Saya sudah 3 hari demam. Nama saya Dewi Lestari, HP 0812 3456 7890", "Dewi Lestari", "NAME"),
    ("Xin chào bác sĩ, tên tôi là Nguyễn Văn An, 45 tuổi", "Nguyễn Văn An", "NAME"),
    # record, registration and card numbers under their labels in other languages; a phone after 係
    ("Nº processo hospitalar 7712049. A minha filha tem 4 anos.", "7712049", "MRN"),
    ("Regards, Dr Okafor, GMC 7034521, locum at the Manchester clinic", "7034521", "ID"),
    ("mi credencial de OSDE es 61 234567 8 01. Necesito autorizacion.", "61 234567 8 01", "ACCOUNT"),
    ("我嘅電話係 9123 4567，想問下頸痛可唔可以做物理治療", "9123 4567", "PHONE"),
])
def test_the_twenty_first_rounds_dates_ages_names_and_numbers_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text,scope", [
    # expiry dates and batches in other languages
    ("Lote 2410F3, caducidad 11/2027.", "patient"),
    ("Lote nº BX77123, validade 08/2027.", "patient"),
    ("Ch.-B. 1234567, verw. bis 05/2028.", "patient"),
    ("Lotto 2301A, scadenza 12/2027.", "patient"),
    ("Numéro de lot 5F89A, péremption 02/2028.", "patient"),
    # eponyms of tests, classifications, formulas and solutions
    ("Weber B ankle fracture, stable.", "patient"),
    ("Rinne positive bilaterally, Weber central.", "patient"),
    ("Breslow thickness 1.2 mm, Clark level IV.", "patient"),
    ("Dix–Hallpike positive on the right; Epley manoeuvre performed.", "patient"),
    ("Wt 78 kg, creatinine clearance 96 mL/min (Cockcroft-Gault).", "patient"),
    ("Fluids: 1 L 0.9% NaCl over 8h, then 1 L Hartmann's over 8h.", "patient"),
    ("Seen at the clinic in 2019 for the same thing, they said Hashimoto's.", "patient"),
    ("Is 1 in 250 a high chance for Down syndrome? The screen also said 1 in 4000 for Edwards and Patau.", "patient"),
    ("Nil by mouth from midnight, clear fluids until 2 hours pre-op.", "patient"),
    # a day and month after a preposition with no appointment before it; a fraction of a tablet; a saturation
    ("tomo 1 comprimido del 1/2 al día", "patient"),
    ("el niño tiene 94 de saturación", "patient"),
    # medicines agencies' published addresses in documents
    ("Correo institucional: sugerencias@aemps.es", "document"),
    ("HPRA medsafety@hpra.ie, tel +353 1 676 4971.", "document"),
])
def test_what_the_twenty_first_rounds_rules_leave_alone(text, scope):
    assert phi.scrub(text, {}, scope) == text


def test_an_eponym_is_still_a_name_where_a_person_is_meant():
    assert phi.scrub("Dr Weber called me about the results", {}, "patient") == "Dr [NAME] called me about the results"
    assert "Clark" not in phi.scrub("Mrs Clark is 94 and fell at home", {}, "patient")


@pytest.mark.parametrize("text,value,kind", [
    # a booking's, invoice's or letter's reference ("ref" in lower case; a device's REF symbol stays)
    ("Subject: Refund request - booking ref BK-2291-77XQ. I paid 35 GBP", "BK-2291-77XQ", "ID"),
    ("My card was charged twice for the same consult. Ref INV-20250211-339", "INV-20250211-339", "ID"),
    ("discharged on Monday, discharge summary ref IP/24/118832. She still has fever.", "IP/24/118832", "ID"),
    # Quebec's health card and the US Medicare beneficiary identifier
    ("Bonjour, ma carte d'assurance maladie est TREG 6802 1512, je voudrais changer mon rendez-vous.", "TREG 6802 1512", "ACCOUNT"),
    ("Bonsoir, ma mère est tombée à la résidence. Son NAM est GIRM 2810 0519.", "GIRM 2810 0519", "ACCOUNT"),
    ("Số bảo hiểm Medicare của bà là 5TW2-QP8-RN41.", "5TW2-QP8-RN41", "ACCOUNT"),
    # dates in Tagalog, Haitian Creole, Vietnamese, English in lower case
    ("Tito ko po ay naospital noong Nobyembre 20, 2026 sa ER ninyo.", "Nobyembre 20, 2026", "DATE"),
    ("Mwen bezwen yon randevou pou 10 desanm, doktè Célestin.", "10 desanm", "DATE"),
    ("Xin chào, tôi sinh ngày 12 tháng 8 năm 1974, muốn đặt lịch khám mắt.", "12 tháng 8 năm 1974", "DATE"),
    ("can i get a letter confirming im fit to exercise after my heart attack in sept 2024", "sept 2024", "DATE"),
    # a Haitian Creole title; ages in Tagalog, Haitian Creole and "is about"
    ("Mwen bezwen yon randevou pou 10 desanm, doktè Célestin.", "Célestin", "NAME"),
    ("Apa po si Lola Remedios, 98 na po siya. Pwede po ba ang home visit?", "98", "AGE"),
    ("Tatay ko po ay 93 taong gulang, may diabetes at hypertension.", "93", "AGE"),
    ("Madanm mwen gen 96 an, li pa ka mache ankò.", "96", "AGE"),
    ("my mother is about 91 nobody knows exactly, born in a village.", "91", "AGE"),
])
def test_the_twenty_second_rounds_codes_cards_dates_and_ages_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "G3P2012 at 32+4 weeks, fundal height 33 cm, FHR 140s.",  # gravida and para
    "The box says REF 400-2231-11 and LOT 24A113.",  # a device's reference and lot
    "my sugar is about 110 after meals and she is about 95 kg",  # readings, not ages
    "he was nearly 100 bpm at rest",
])
def test_what_the_twenty_second_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    # "my name is" in Hindi, Bengali, Sinhala, Hebrew; Arabic before "and"; Thai after a label; Swahili, Indonesian
    ("नमस्ते डॉक्टर साहब, मेरा नाम सुनीता देवी है। मेरी उम्र 47 साल है।", "सुनीता देवी", "NAME"),
    ("আসসালামু আলাইকুম ডাক্তার সাহেব। আমার নাম রহিমা খাতুন। আমার বয়স ৩৮।", "রহিমা খাতুন", "NAME"),
    ("ආයුබෝවන් දොස්තර මහත්මයා, මගේ නම කමල් ජයසූරිය. මට දියවැඩියාව තියෙනවා.", "කමල් ජයසූරිය", "NAME"),
    ("שלום, שמי יוסי כהן, בן 67. יש לי כאבים בחזה במאמץ.", "יוסי כהן", "NAME"),
    ("السلام عليكم دكتور، اسمي يوسف العلمي ورقم هاتفي 0612345678. عندي ألم في الظهر", "يوسف العلمي", "NAME"),
    ("ข้อมูลผู้ป่วย ชื่อ: นายประเสริฐ วงศ์ทอง เลขบัตรประชาชน 1234", "นายประเสริฐ วงศ์ทอง", "NAME"),
    ("Dokta, ni Baraka Mollel, nipigie 0754 123 456. Nina maumivu ya kifua.", "Baraka Mollel", "NAME"),
    ("halo, saya Hendra (0812 3456 7890). anak saya demam tinggi", "Hendra", "NAME"),
    ("Dok, saya ingin tahu hasil swab saya. Nama: Yohanes Pratama, tgl lahir 3 Mei 1990", "Yohanes Pratama", "NAME"),
    # sign-offs: an abbreviation, a sentence's end before the name
    ("Ring mig på 070 123 45 67 efter kl 16. Mvh Sven", "Sven", "NAME"),
    ("Tolong kirim hasil lab ke email saya. Terima kasih. Ratna", "Ratna", "NAME"),
    ("Γράψτε μου στο email, ευχαριστώ. Κώστας", "Κώστας", "NAME"),
    # dates with Arabic and Thai months
    ("أريد موعد مع طبيب الجلدية يوم 10 ديسمبر. رقمي", "10 ديسمبر", "DATE"),
    ("วันเกิด 3 มี.ค. 2508", "3 มี.ค. 2508", "DATE"),
    # ages: Indonesian, Greek, Tagalog, after a relative's "is", after "passed ... at", in brackets after a parent
    ("eyang saya umur 97 th, sesak napas kalau malam.", "97", "AGE"),
    ("Ο παππούς μου είναι 95 χρονών και έχει πυρετό", "95", "AGE"),
    ("hi doc, nasa ICU po ang tatay ko, 91 na siya, intubated.", "91", "AGE"),
    ("my appachchi is 98 and has pneumonia again.", "98", "AGE"),
    ("My dad passed on 3 May at 97. The nurses were angels.", "97", "AGE"),
    ("Stuur de uitslag per post aub, mijn vader (95) leest geen e-mail.", "95", "AGE"),
    # record numbers under their labels
    ("bht no 4471/26, baby bilirubin 16", "4471/26", "MRN"),
    ("Mijn patiëntnummer in het Radboud is 7720418. Groet", "7720418", "MRN"),
])
def test_the_twenty_third_rounds_names_dates_and_ages_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "his BP is 95 and his sugar is 110",
    "my mother is 95 kg and 160 cm",
    "the patient died at 95% saturation",
    "Thanks. Best",
])
def test_what_the_twenty_third_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


def _scrubbed_as(text: str, value: str, kind: str) -> str:
    """Scrub `text` as patient text: `value` must be gone, counted as `kind`, and the batch path must agree."""
    counts: dict = {}
    out = phi.scrub(text, counts, "patient")
    assert value not in out, out
    assert counts.get(kind), counts
    assert phi.scrub_batch([[text]]) == [[out]]
    return out


@pytest.mark.parametrize("text,value,kind", [
    # labels in any script, and labels that end with a qualifier of their own
    ("Merhaba, randevumu iptal etmek istiyorum. Hasta no 5512093.", "5512093", "MRN"),
    ("Hasta numarası 5512093, Dr. Öztürk", "5512093", "MRN"),
    ("Numer księgi głównej 2026/0412, pacjent przyjęty wczoraj.", "2026/0412", "MRN"),
    ("Bonjou doktè, nimewo dosye m se 0044718. Mwen gen doulè nan vant.", "0044718", "MRN"),
    ("Bố tôi 90+ tuổi, số hồ sơ bệnh án là 8810377. Ông bị táo bón nặng.", "8810377", "MRN"),
    ("مرحبا دكتور، عندي ألم في الظهر منذ شهر. رقم ملفي 552031.", "552031", "MRN"),
    ("nomor rekam medis saya 00-88-12-45. tgl lahir kemarin", "00-88-12-45", "MRN"),
    # codes with capitals after a label
    ("Her hospital number is KATH 0082415. She is weak.", "KATH 0082415", "MRN"),
    ("UHID APL.0021877463. Can I rebook online?", "APL.0021877463", "MRN"),
    ("Reg no: 4412-A. the scan shows a stone", "4412-A", "MRN"),
    ("my case number is CASE-0091-LG. the wound is oozing", "CASE-0091-LG", "MRN"),
    ("i paid with my mpesa till, transaction code RKL4X8PQ2Z, please confirm.", "RKL4X8PQ2Z", "ACCOUNT"),
    ("Guten Tag, meine Reisepassnummer ist C4KT91R27, bitte ergänzen.", "C4KT91R27", "ID"),
    ("i work at woolies and my staff number is 3304819, HR wants a cert", "3304819", "ID"),
    # postcodes near an address or after an address cue
    ("Adresa: Str. Florilor nr. 23, bl. A4, ap. 12, 010512 București", "010512", "ADDRESS"),
    ("Διεύθυνση: Οδός Ερμού 45, 105 63 Αθήνα. Η μητέρα μου", "105 63", "ADDRESS"),
    ("Please send the CD to 1200 Peachtree St NE, Suite 400, Atlanta GA 30326", "30326", "ADDRESS"),
    ("please send to flat 12b, sunrise towers, plot 45 sector 18, noida 201301, thanks", "201301", "ADDRESS"),
    ("ghar ka address 45-B Gulberg III, 54660", "45-B Gulberg III", "ADDRESS"),
    ("Please send the sick note to: 33 Glenview Park, Tallaght, Dublin 24, D24 X7K2. I missed work.", "D24 X7K2", "ADDRESS"),
    ("Post to: P.O. Box 4471-00100, Nairobi. I want a copy of my report.", "00100", "ADDRESS"),
    # plates after a longer phrase, after "plaque" and right after the vehicle
    ("placa do meu carro é BRA2E19 e fui multado no estacionamento", "BRA2E19", "ID"),
    ("My car plate is Dubai N 48213, I got a parking ticket", "Dubai N 48213", "ID"),
    ("Car reg for disabled parking at the clinic: KX19 TLV. Appointment Monday", "KX19 TLV", "ID"),
    ("targa della macchina FG 482 KL, posso parcheggiare?", "FG 482 KL", "ID"),
    ("j'ai eu un accident de voiture, plaque AB-482-KT, l'assurance demande", "AB-482-KT", "ID"),
    ("My husband's car T 447 DKR was in an accident and he is in ICU.", "T 447 DKR", "ID"),
    ("Kenteken van de auto waarmee ik het ongeluk had: 4-KLX-28. De verzekering", "4-KLX-28", "ID"),
    # a day and month after a rebooking word, a birthday
    ("Appointment on Monday at 3pm, can we change it to 6/17? My number", "6/17", "DATE"),
    ("Hi, I can't make 11/30 - can we do 12/3 instead? The follow up", "12/3", "DATE"),
    ("Exame marcado para 19/3.", "19/3", "DATE"),
    ("Hej, jag vill avboka min tid den 3/12.", "3/12", "DATE"),
    ("my boyfriend's birthday is 25/12 lol but he has a rash", "25/12", "DATE"),
    # a name alone at a message's end; "it's me again, X"; Danish "jeg hedder"
    ("Employee number 123. Sick from today. Thabo Mokoena", "Thabo Mokoena", "NAME"),
    ("THIS IS THE THIRD TIME I AM ASKING. CALL ME 0803 555 0192. GARY PRICE", "GARY PRICE", "NAME"),
    ("Hej, jeg hedder Mette Kjærgaard og mit CPR-nummer er 1234.", "Mette Kjærgaard", "NAME"),
    # ages: "and is", "is like", "mums", a bracket with a comma, Nordic, Finnish and Dutch
    ("She has been bedridden since May and is 96", "96", "AGE"),
    ("ok so my grandma is like 94 and she keeps falling", "94", "AGE"),
    ("my mums 91 and in a care home in Leeds", "91", "AGE"),
    ("My dad (106, yes really) has a chest infection.", "106", "AGE"),
    ("min pappa har fått tid hos kardiolog men han är 94 och kan inte åka själv.", "94", "AGE"),
    ("Hyvää iltaa, isäni on 93-vuotias ja hän on hengenahdistunut.", "93", "AGE"),
    ("Goedemiddag, mijn vader van 96 is gisteren opgenomen.", "96", "AGE"),
    # a Danish and a Norwegian phone in pairs after their word
    ("who does those in Denmark? his number is 52 71 88 04", "52 71 88 04", "PHONE"),
    ("Med vennlig hilsen Kari, tlf 912 34 567", "912 34 567", "PHONE"),
])
def test_the_twenty_fourth_and_fifth_rounds_identifiers_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "I have dental plaque 2 mm thick and plaque psoriasis on 3 spots",
    "I take the bus 42 to the clinic. The car park level P2 is full.",
    "the appointment: take 1/2 tablet to 3/4 tablet for pain",
    "follow up in clinic, reduce to 1/2 dose, pain 4/10 down to 2/10.",
    "Booked for 2/12 review and 6/12 DEXA.",
    "VA 6/9 to 6/12 at the follow up, pain 3/10 to 7/10.",
    "Child 3 yrs, weight 12.5 kg (<3rd centile), height 89 cm. MUAC 12.1 cm. Plan: RUTF.",
    "What I take now\n- Crocin\n- Quvaril",
    "I have had a cough for 3 weeks and took some pills. Should I take more Panadol",
    "her sats are like 94 and the pulse is nearly 100",
    "Signe de Murphy positif, échographie : vésicule lithiasique.",
    "Malattia di Hashimoto, anticorpi anti-TPO 480 UI/ml.",
    "Nana uses a Freestyle Libre sensor but it keeps falling off in the shower.",
    "Grandad has had a cough since the weekend.",
    "the reading number is 12 34 56 78 mmHg",
    "Lot AB-1234 of the vaccine, expiry 2027",
])
def test_what_the_twenty_fourth_and_fifth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text
    assert phi.scrub_batch([[text]]) == [[text]]


@pytest.mark.parametrize("text,value,kind", [
    # digits of other scripts are looked at as ASCII digits: Bengali, Devanagari, Persian, Arabic-Indic
    ("আমার নাম রহিমা। আমার বয়স ৫৪। হাঁটুতে ব্যথা। ফোন: ০১৮১৯-৪৪৭২০৩", "০১৮১৯-৪৪৭২০৩", "PHONE"),
    ("नमस्ते, मेरो बुबा ९३ वर्षको हुनुहुन्छ। उहाँलाई खोकी लागेको छ।", "९३", "AGE"),
    ("नागरिकता नं. २७-०१-७५-०३३१८", "२७-०१-७५-०३३१८", "ID"),
    ("سلام دکتر، کد ملی ۰۰۷۱۴۴۸۲۳۹. آزمایش تیروئیدم", "۰۰۷۱۴۴۸۲۳۹", "SSN"),
    ("دیگه غذا نمی‌خوره. شماره پرونده بیمارستان ۴۴۷۱۸۲. تلفن ۰۹۱۲ ۴۴۸ ۷۷۳۰", "۴۴۷۱۸۲", "MRN"),
    ("دیگه غذا نمی‌خوره. تلفن ۰۹۱۲ ۴۴۸ ۷۷۳۰", "۰۹۱۲ ۴۴۸ ۷۷۳۰", "PHONE"),
    ("جدتي عمرها ٩٣ سنة وعندها جلطة", "٩٣", "AGE"),
    # ages before a year's word in Hindi and Malayalam
    ("मेरी दादी 96 साल की हैं, उन्हें रात में सांस लेने में तकलीफ होती है।", "96", "AGE"),
    ("മുത്തശ്ശിക്ക് 95 വയസ്സായി.", "95", "AGE"),
    # "my name is" in Urdu, Tamil, Telugu; a doctor's title in Devanagari and Malayalam
    ("ہیلو ڈاکٹر صاحب، میرا نام عمران علی ہے۔ میری والدہ کی عمر 76 سال ہے", "عمران علی", "NAME"),
    ("என் பெயர் செல்வி முருகன். என் அம்மாவுக்கு உடம்பு சரியில்லை.", "செல்வி முருகன்", "NAME"),
    ("నా పేరు శ్రీనివాస్ రెడ్డి, హైదరాబాద్. గుండె దడ వస్తోంది.", "శ్రీనివాస్ రెడ్డి", "NAME"),
    ("मेरी दादी बीमार हैं। डॉ. शर्मा ने नेबुलाइज़र दिया है।", "शर्मा", "NAME"),
    ("ഡോ. മേനോൻ പറഞ്ഞത് ഹൃദയം ദുർബലമാണെന്ന്.", "മേനോൻ", "NAME"),
    # days listed after a date; a postcode after a town and a hyphen; a Japanese postcode and street
    ("He was vaccinated for rabies on 1/11, 4/11, 8/11 and 15/11 - is the 28th day dose needed?", "15/11", "DATE"),
    ("My mother's address is 7/B, Road 11, Dhanmondi R/A, Dhaka-1209. She cannot travel.", "7/B, Road 11", "ADDRESS"),
    ("〒153-0064 東京都目黒区下目黒3-14-7 ハイツ目黒202号 に薬を送ってください。", "153-0064", "ADDRESS"),
    ("〒153-0064 東京都目黒区下目黒3-14-7 ハイツ目黒202号 に薬を送ってください。", "下目黒3-14-7 ハイツ目黒202号", "ADDRESS"),
])
def test_the_twenty_sixth_rounds_identifiers_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "मेरी दादी 56 साल की हैं",
    "take 1/2 tab, 1/4 tab and 3/4 tab",
    "我每天吃2片药，血压150/90。",
    "TSH ۹ است و T4 ۱٫۲",
])
def test_what_the_twenty_sixth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text
    assert phi.scrub_batch([[text]]) == [[text]]


def test_digits_of_other_scripts_are_kept_where_nothing_is_replaced():
    """The passes look at ASCII digits; the text that comes out keeps its own digits around a placeholder."""
    text = "ফোন: ০১৮১৯-৪৪৭২০৩, বয়স ৫৪"
    out = phi.scrub(text, {}, "patient")
    assert out == "ফোন: [PHONE], বয়স ৫৪"
    assert phi.scrub_batch([["", text]]) == [["", out]]


@pytest.mark.parametrize("text,value", [
    ("mevrouw Peeters van de balie zei dat ik moest mailen", "Peeters"),
    ("Sono il marito della signora Bianchi, lei ha 90+ anni.", "Bianchi"),
    ("Bonsoir, c'est M. Girard, ma femme est enceinte.", "Girard"),
    ("Je suis M. Karim Haddou, opéré le 3 mars.", "Karim Haddou"),
    ("Geachte dokter Vermeulen, mijn moeder heeft een blaasontsteking.", "Vermeulen"),
    ("mijn afspraak is bij dr. Bakker. Kunt u mailen", "Bakker"),
    ("ο γιατρός κ. Αντωνίου είπε να κάνω μαγνητική", "Αντωνίου"),
    ("blessings, Sister Joy Williams 0803 555 0192", "Joy Williams"),
    ("Piszę w sprawie mojego taty, pana Józefa Nowaka, lat 90", "Józefa Nowaka"),
])
def test_a_name_after_a_title_of_another_language_is_scrubbed(text, value):
    _scrubbed_as(text, value, "NAME")


@pytest.mark.parametrize("text", [
    "I use a Pan Am bag and Sister Act is my favourite film.",
    "My husband chews Pan Parag masala and now has white patches.",
    "M. tuberculosis was grown from the sputum culture.",
])
def test_a_titles_word_before_a_thing_stays(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value", [
    ("Home: 9 Rehov Herzl, Haifa 3303109. My grandfather is refusing to eat.", "9 Rehov Herzl"),
    ("we stay in 221, Sector 15-A, Noida, UP 201301. any good pediatric neurologist nearby?", "221, Sector 15-A"),
    ("my old address was 4F-2, No. 35, Lane 120, Section 3, Zhongxiao East Road, Da'an District, Taipei 106", "Lane 120"),
    ("Our house number is 99/12 Moo 5, Tambon Suthep, Mueang Chiang Mai 50200", "99/12 Moo 5"),
    ("her GN address is No 45, Peradeniya Road, Kandy", "No 45, Peradeniya Road"),
    ("rwanda, i have hypertension, and i live KG 11 Ave 25, Kigali", "KG 11 Ave 25"),
    ("Vivo en Jr. Lampa 545, Cercado de Lima. Tengo 62 años", "Jr. Lampa 545"),
    ("j'habite 7 bis rue des Lilas, 69003 Lyon. Mon numéro", "7 bis rue des Lilas"),
    ("we live in Brīvības iela 88-15, LV-1010 Rīga.", "Brīvības iela 88-15"),
    ("Ik woon op Prinsengracht 263-1hoog, 1016 GV Amsterdam.", "Prinsengracht 263-1hoog"),
    ("my name is Omar and my adress is 17 al rawda st, amman. cough 2 weeks", "17 al rawda st"),
    ("I live alone at 3 Church View, Kells A82 K2F3, and the meals on wheels have stopped.", "3 Church View"),
    ("vivo en la 12 calle 4-56 zona 1, Guatemala. ¿Atienden?", "12 calle 4-56 zona 1"),
])
def test_a_street_after_more_address_cues_is_scrubbed(text, value):
    _scrubbed_as(text, value, "ADDRESS")


@pytest.mark.parametrize("text", [
    "we live in Lagos with my 2 kids and they have malaria",
    "I had to stay in 2 weeks in hospital. We live in London since 2019.",
    "we stay in hospital for 3 days and live on 2 meals a day",
])
def test_what_the_address_cues_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value", [
    ("Acceso denegado desde la IP 10.0.0.1 al portal del paciente, usuario: pgarcia_1970", "pgarcia_1970"),
    ("then it locked my account jsmith_1979", "jsmith_1979"),
    ("taiwanese in vancouver, my line id is linda_lin_tw and my mom", "linda_lin_tw"),
    ("WeChat me: wxid_lee8812 / or call", "wxid_lee8812"),
    ("doc the booking ref is QF7H2K, flight tomorrow, need a fit to fly letter.", "QF7H2K"),
    ("booking no.JL-559-20391/ flight tomorrow Can I fly?", "JL-559-20391"),
])
def test_logins_and_booking_references_are_scrubbed(text, value):
    _scrubbed_as(text, value, "ID")


def test_a_savings_account_and_a_confirmation_email_stay():
    text = "I have a savings account and my booking was cancelled, the confirmation email came."
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    ("My card ending 4417 was charged twice, full number 4532 7153 3790 4417, for the teleconsult.",
     "4532 7153 3790 4417", "ACCOUNT"),
    ("My card ending 4417 was charged twice.", "4417", "ACCOUNT"),
    ("Carte bancaire se terminant par 4417, débitée deux fois !", "4417", "ACCOUNT"),
    ("Last four of my social: 4419, DOB 3/4/1970.", "4419", "SSN"),
    ("Hola, soy Ana, C.I. 3.456.789-1. Mi correo es a@b.com.", "3.456.789-1", "SSN"),
    ("les escribe Luis (C.I. V-18.442.907). Quisiera una segunda opinión", "V-18.442.907", "SSN"),
    ("Somos de Buenos Aires. DNI de ella 4.512.087", "4.512.087", "SSN"),
    ("pls reply to ABENA.MENSAH(AT)EXAMPLE.COM.GH , my phone has no credit.", "ABENA.MENSAH(AT)EXAMPLE.COM.GH", "EMAIL"),
    ("Please send the invoice by mail: hana.novak&#64;example.cz (sorry).", "hana.novak&#64;example.cz", "EMAIL"),
    ("PATIENT: SEN, ANINDITA (F, 94Y) IP NO: 12345 ADMITTED", "94", "AGE"),
    ("Mój dziadek, pan Stanisław Zieliński, lat 97, ma odleżyny.", "97", "AGE"),
    ("Καλησπέρα, είμαι η Ελένη. Η γιαγιά μου είναι 96.", "96", "AGE"),
])
def test_cards_last_digits_dotted_identity_numbers_spelled_emails_and_ages_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "I walked the last four miles, ending 2019 in pain. We were ending 1200 mg dose.",
    "the dose is 1.250.000 IU and creatinine 1.2, pending 2 weeks",
    "90Y radioembolization was done last year.",
    "Η θερμοκρασία είναι 96 F",
])
def test_what_the_card_dotted_number_and_age_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value", [
    ("reports attached below:\n\nNAME : KRISHNAMURTHY S\nAGE/SEX : 71/M", "KRISHNAMURTHY"),
    ("Name: PIOTR WIŚNIEWSKI / PESEL: 123", "WIŚNIEWSKI"),
    ("first name: aroha   surname: ngata   nhi: ABC1234", "ngata"),
    ("Member: Grace Achieng. Member number: 12345.", "Grace Achieng"),
    ("Compte rendu: Nom/Prénom: MERCIER Hélène, IPP 12345", "MERCIER Hélène"),
])
def test_a_name_after_a_forms_label_is_scrubbed(text, value):
    _scrubbed_as(text, value, "NAME")


def test_a_forms_label_before_no_name_leaves_it():
    text = "Name: N/A. Name of the medicine: Augmentin 625"
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value", [
    ("so anyway siddharth and i went hiking and he got stung", "siddharth"),
    ("i (tremaine) have had a cold sore inside my nose for a week", "tremaine"),
    ("ok so basically me (tamsin) and my bf both have itching", "tamsin"),
    ("hey, it's fenna again, the antibiotics gave me thrush, what do i do", "fenna"),
    ("thanks so much, olamide", "olamide"),
    ("thanks doc, bless you. from chinonso", "chinonso"),
    ("me and kwabena have been together 5 yrs", "kwabena"),
    ("hi im tiago, 30, i get dizzy", "tiago"),
])
def test_a_name_in_lower_case_after_a_persons_cue_is_scrubbed(text, value):
    _scrubbed_as(text, value, "NAME")


@pytest.mark.parametrize("text", [
    "we went to bali and i got bali belly, what to take",
    "bread and i don't mix. me and my sister. thanks, doctor. it's bad again. me and him",
    "hi, sorry to bother. me and crystal were eating oysters yesterday",  # a word that is a name too: left
])
def test_lower_case_cues_before_a_word_or_a_place_leave_it(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    ("Привет, я Олег, нужна справка для ГИБДД до 20 декабря 2026.", "20 декабря 2026", "DATE"),
    ("Здравствуйте, выписали 1 ноября, температура опять 38", "1 ноября", "DATE"),
    ("Dobrý den, syn má 39 horečky, narozen 5. 8. 2020. Petr", "5. 8. 2020", "DATE"),
    ("Я Иван, проживаю ул. Ленина, д. 45, кв. 12, 620014 Екатеринбург", "ул. Ленина, д. 45, кв. 12", "ADDRESS"),
    ("Добрий вечір, вул. Хрещатик 22, кв. 5, 01001 Київ, дитині 3 роки", "01001", "ADDRESS"),
    ("Мене звати Оля, мені 92 років, живу сама.", "92", "AGE"),
    ("Мама 1929 года рождения, ей 97, живём одни", "97", "AGE"),
    ("Bolnava: Ana, 93 de ani, CNP 123", "93", "AGE"),
    ("Jméno: Jan, datum narození 22. 4. 1931, věk 95", "95", "AGE"),
    ("хочу перенести прием на завтра, Светлана Орлова, +7 912 345 67 89", "Светлана Орлова", "NAME"),
    ("ДР 1.1.1950, Ковальчук Іван, скарги на біль у грудях", "Ковальчук Іван", "NAME"),
    ("Sent from Yahoo Mail. Nurlan Abenov, a@b.com, tel 123", "Nurlan Abenov", "NAME"),
    ("Dobrý den, píše Jana Dvořáková, číslo pojištěnce 123", "Jana Dvořáková", "NAME"),
])
def test_the_twenty_seventh_rounds_eastern_european_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "Taras Shevchenko National University has a dormitory doctor.",
    "My pastor at the Redeemed Christian Church of God said to pray.",
    "Molson Canadian and Labatt Blue at the hockey game, then a kidney stone.",
    "The Centrum Zdrowia Dziecka in Warsaw diagnosed my son with Crohn's.",
    "Температура 38 уже 3 дня, дочке 9 лет.",
])
def test_what_the_twenty_seventh_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    # streets with their number after the name, and street words before it in more languages
    ("Regards, Mr Arakelyan, Yerevan, Tumanyan St 21, apt 5", "Tumanyan St 21", "ADDRESS"),
    ("I park next to the clinic on Navoi street 12, is parking free?", "Navoi street 12", "ADDRESS"),
    ("Διεύθυνση: Οδός Ερμού 45, 105 63 Αθήνα", "Οδός Ερμού 45", "ADDRESS"),
    ("she lives in Chisinau, str. Ștefan cel Mare 64, MD-2001", "str. Ștefan cel Mare 64", "ADDRESS"),
    ("mi sono trasferita in viale Monza 148, 20127 Milano", "viale Monza 148", "ADDRESS"),
    # days and months after an event, a range, a booking, a weekday; a day in words
    ("had my IUD inserted 10/4 and have cramps since", "10/4", "DATE"),
    ("had dengue from 2 March to 12/1, still tired", "12/1", "DATE"),
    ("Please book me for 30/11. I'm Joan", "30/11", "DATE"),
    ("Can I do the glucose test on Sunday 29.11?", "29.11", "DATE"),
    ("My appointment on Wednesday the twenty-fifth was cancelled", "Wednesday the twenty-fifth", "DATE"),
    ("Since the 9th my stomach hurts after eating", "9th", "DATE"),
    # phones after a call verb of any language, a landline, a name
    ("She is now 93. Call 9912 3345. Khalid", "9912 3345", "PHONE"),
    ("Samoa here, we call him on 7712345", "7712345", "PHONE"),
    ("Posso chiamarla al 333 1234567?", "333 1234567", "PHONE"),
    ("my dad needs a home nurse, landline 01 345 678", "01 345 678", "PHONE"),
    ("Emergency contact is my neighbor, Mrs. Gloria Haskins, 555-0147", "555-0147", "PHONE"),
    ("Can we come tomorrow? Sami, 03 987 654", "03 987 654", "PHONE"),
    # ages after a name and in words after a relative
    ("My dad, Chief Emeka Obi, 97, had a stroke", "97", "AGE"),
    ("im writing for my employer mrs Ortiz, 96, she has shingles", "96", "AGE"),
    ("my grandma, ninety-nine, refuses to drink water", "ninety-nine", "AGE"),
    ("pls help, patient age hundred and one, sodium 118", "hundred and one", "AGE"),
    # a file's number in any shape after its word, a long personal domain
    ("She was in hospital (file 2219/K) in January", "2219/K", "MRN"),
    ("номер истории болезни 55/7781, выписали вчера", "55/7781", "MRN"),
    ("Mijn patiëntnummer bij het ziekenhuis is 7012345. Mag ik rijden?", "7012345", "MRN"),
    ("Il mio sito è marcofotografo.it, ho messo le foto", "marcofotografo.it", "URL"),
    # names: a greeting and "this is" a name no list knows; "here"; from a town; other languages' openings
    ("hi sorry to disturb. this is Ploy. hn 12345 at Siriraj", "Ploy", "NAME"),
    ("Hey Dr, Jordan here — my watch flagged AFib", "Jordan", "NAME"),
    ("Hello, Nomvula from Durban. My son is 13", "Nomvula", "NAME"),
    ("Caro dottore, sono Francesca, le scrivo dal mio sito", "Francesca", "NAME"),
    ("Allô, c'est Marc-André Bouchard, j'ai une plaie", "Marc-André", "NAME"),
    ("thanks dr Papadopoulou. the scan is next week", "Papadopoulou", "NAME"),
    ("Can we get home care? Contact Anjali 0722 555 013", "Anjali", "NAME"),
    ("hi can i change my appointment? name is Grace Tan, IC S1234567D", "Grace", "NAME"),
    ("Mgonjwa: Juma Hamisi, namba ya bima NHIF 123456", "Juma Hamisi", "NAME"),
    ("thank you doctor\n\nMARCUS ODHIAMBO\nmarcus.o@example.com", "MARCUS ODHIAMBO", "NAME"),
    ("send the letter to 27 Cregagh Park, Belfast", "27 Cregagh Park", "ADDRESS"),
    ("我住在 2750 Kingsway, Vancouver BC", "2750 Kingsway", "ADDRESS"),
])
def test_the_twenty_eighth_rounds_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "pain went from 8/10 to 2/10 after the injection",
    "VA 6/9 improving to 6/6 with pinhole",
    "Tumour staged T2 N1 M0, ER 8/8, PR 6/8, HER2 1+.",
    "may the fourth be with you, doctor",
    "sat 2.5 hours in the waiting room",
    "I walked down Main Street 3 times",
    "Hi, this is Lisinopril, is it safe with grapefruit?",
    "Nurofen Zavance from Boots Ireland, how is it different?",
    "Singapore here. Is dengue common now?",
    "call Reception on the ward, they know",
    "I take my tablets.in the morning",
    "I sent the file 2019 version to the GP",
    "we saw 2 Jurassic Park films and then took 2 Halfway pills",
    "the brand name is Xarelto and the drug's name is Eliquis",
])
def test_what_the_twenty_eighth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


def test_a_unit_after_a_number_is_no_lower_case_title():
    text = "ECG: sinus rhythm 72, QTc 452 ms. First-degree heart block. Tramadol 50 mg sr Twice daily."
    assert phi.scrub(text, {}, "patient") == text


@pytest.mark.parametrize("text,value,kind", [
    ("parking pass? my van is reg YK19 OPX and i come three times a week", "YK19 OPX", "ID"),
    ("The app says not registered. Device ID: a3f9-22c1-77be-0b41, logged in as martha.gibbs.", "a3f9-22c1-77be-0b41", "ID"),
    ("The app says not registered, logged in as martha.gibbs.", "martha.gibbs", "ID"),
    ("Dear booking office. I am Frau Dr. Ingrid Haas. My insurance number is T987654321.", "Ingrid Haas", "NAME"),
    ("Beste dokter, ik ben Sanne de Vries, geboren 3 mei 1961. Moet ik me zorgen maken?", "Sanne", "NAME"),
    ("please note my late husband's GHS number 4471-0092 must be closed.", "4471-0092", "ID"),
    ("Claimant: Jo. Employer no. 0044178. Date of injury 2 May", "0044178", "ID"),
    ("Dear Dr Silva, this is Conceição writing for my mother", "Conceição", "NAME"),
    ("helo dokter i am the son of Pak Harjono he is 90+ tahun.", "Harjono", "NAME"),
    ("Name: Thu. DOB: 1/1/1929 (97 tuoi). Insurance: 123", "97", "AGE"),
    ("mother 93, weight 38 kg, bedridden, pressure ulcer", "93", "AGE"),
    ("my granpa is 94 and my granma is 88 both have dementia", "94", "AGE"),
    ("Sky is my 3 year old and she has had a rash on her cheeks", "Sky", "NAME"),
    ("the baby, we named her Sakura, has a blocked tear duct", "Sakura", "NAME"),
])
def test_the_twenty_ninth_rounds_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "VA RE 6/9, LE 6/12 unaided; pinhole 6/6 both.",
    "Weight on the 9th centile, length on the 25th.",
    "CD19 CAR T cells were given in the trial I joined.",
    "the FDA number 1234567 for the device is on the box",
    "Metformin is my mother's medicine and she takes it at night",
    "Heinz baked beans and Pepsi are all my husband eats.",
])
def test_what_the_twenty_ninth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


def test_a_public_insurers_customer_care_mailbox_stays_in_a_document():
    text = "NHIF Kenya, NHIF Building, Ragati Road, Nairobi; customercare@nhif.or.ke; 0800 720 601."
    assert phi.scrub(text, {}, "document") == text


@pytest.mark.parametrize("text,value,kind", [
    ("my vehicle no. is MH 12 KT 4471, i was in an accident on 21/10, still neck pain", "21/10", "DATE"),
    ("me atendieron el 19 de nov en la guardia, pido copia", "19 de nov", "DATE"),
    ("minha consulta ficou marcada pra 28/11 as 14h mas eu vou viajar", "28/11", "DATE"),
    ("my name is Ann dob 2 11 1955 need my bp pills", "2 11 1955", "DATE"),
    ("Mera naam Suresh hai. Meri website pe BP chart hai.", "Suresh", "NAME"),
    ("HOSPITAL BILL SUMMARY / Patient: RAHUL MEHTA / Room: Twin Sharing", "RAHUL MEHTA", "NAME"),
    ("I run a small clinic blog at drshaziaclinic.pk about my surgery", "drshaziaclinic.pk", "URL"),
])
def test_the_thirtieth_rounds_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "Patient: 45 year old male with chest pain",
    "pain went from 8/10 to 2/10 after the injection; seen on 8/10 for pain",
])
def test_what_the_thirtieth_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


def test_a_birth_date_in_groups_is_a_date_not_a_phone():
    counts: dict = {}
    assert phi.scrub("Born 12 03 2020, weighed 3.2 kg.", counts, "patient") == "Born [DATE], weighed 3.2 kg."
    assert counts == {"DATE": 1}


@pytest.mark.parametrize("text,value,kind", [
    ("Hi Dr Tan, my mother Siew Lan is 96, on dialysis MWF", "96", "AGE"),
    ("Bác sĩ ơi, em gửi kết quả siêu âm ngày 15/11 qua zalo", "15/11", "DATE"),
    ("con tôi nhập viện 2/11, xuất viện 9/11", "9/11", "DATE"),
    ("I'm writing from Hawaii, my zip is 96720, the nearest cardiologist is far", "96720", "ADDRESS"),
    ("Caso clínico 0043-2026, mi hija de 6 años tiene convulsiones", "0043-2026", "MRN"),
    ("Selamat siang, saya Dewi Lestari, pasien RS Siloam", "Dewi", "NAME"),
])
def test_the_thirty_first_rounds_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


def test_what_the_thirty_first_rounds_rules_leave_alone():
    assert phi.scrub("Sats 91% on air, 96% on 28% Venturi.", {}, "patient") == "Sats 91% on air, 96% on 28% Venturi."
    text = "Thai FDA, 88/24 Tiwanon Road, Nonthaburi 11000; e-mail saraban@fda.moph.go.th."
    assert phi.scrub(text, {}, "document") == text


@pytest.mark.parametrize("text,value,kind", [
    ("ya doctor, mama 91 sana and she fell in the bathroom", "91", "AGE"),
    ("Viber me, I am a caregiver in Taiwan, my employer's grandma 95 fell", "95", "AGE"),
    ("Pa-check po, si Lolo Berto 93 na po at nag-susuka", "93", "AGE"),
    ("ok so my mum (nenek to my kids) is 92 and she refuses to wear hearing aids", "92", "AGE"),
    ("she is 90+ , actually 92, and breathing fast", "92", "AGE"),
    ("My uncle is in his nineties, 97 I think, and has had a cough", "97", "AGE"),
    ("hello! i'm 34, had covid in may 2021 and since then hair fall is crazy", "may 2021", "DATE"),
    ("Our baby was born on Christmas Eve 2025 and still isn't rolling over", "Christmas Eve 2025", "DATE"),
    ("the rash started around Diwali 2023", "Diwali 2023", "DATE"),
    ("Hospital reg no. 4471. Bill no. 44128. Discharged today", "44128", "ID"),
    ("good morning, I'm Ana, employee 74412 at Jollibee, my urine had protein", "74412", "ID"),
    ("your SGK provizyon no 1234567 for next week is approved", "1234567", "ID"),
    ("Kindly reschedule my dialysis session. Renal unit no. RU-0019. Thanks", "RU-0019", "ID"),
    ("Sou o Rui, nº de funcionário 40912, preciso de atestado", "40912", "ID"),
])
def test_the_thirty_second_rounds_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text", [
    "my dad's sugar 95 fasting, mom 98.6 F, grandma 95% sats, mom 92 kg",
    "Grand Total 95 items; you may 2021 not know",
    "Lot no. 44521, batch no 55210, Lote nº BX77123, room no. 4412, there is no 2000 mg dose",
])
def test_what_the_thirty_second_rounds_rules_leave_alone(text):
    assert phi.scrub(text, {}, "patient") == text


def test_an_age_written_90_plus_keeps_one_plus():
    assert phi.scrub("grandmom aged 90+ plus, exactly 103", {}, "patient") == "grandmom aged 90+ plus, exactly 90+"


@pytest.mark.parametrize("text,value,kind", [
    ("call me back at four one six, five five five, zero one four two, thanks.", "four one six, five five five", "PHONE"),
    ("my number is 312 five five five oh one six nine.", "312 five five five oh one six nine", "PHONE"),
    ("im calling from cebu my number is 0 9 1 7   8 8 2   4 1 0 3    baby has cough", "0 9 1 7   8 8 2", "PHONE"),
    ("date of birth June fifth nineteen sixty, about my blood work", "June fifth nineteen sixty", "DATE"),
    ("Just saw my results on the app from Oct 28: ALT 88.", "Oct 28", "DATE"),
    ("Form: Surname: Lee  D.O.B.: 12 / 05 / 1977  Postcode: E1 6AN", "12 / 05 / 1977", "DATE"),
    ("Re: appointment 9/2 at 2:30pm, can we make it 9/14 instead?", "9/14", "DATE"),
    ("Mrs Ana Diaz (nonagenarian, 93 in fact) lost her hearing aids", "93", "AGE"),
    ("Hello, my mother's birthday is soon, she'll be 95, and she's worried", "95", "AGE"),
    ("I'm Ana Diaz, 91 this spring, and my new glasses aren't right", "91", "AGE"),
    ("Mrs Ana Diaz, ninety-six, had a fall at 3am.", "ninety-six", "AGE"),
    ("I'm Yossi Mizrahi 054-555-1234, savta is 99, she stopped eating", "99", "AGE"),
    ("Portal error log pasted: user=hroberts time 10:14Z", "hroberts", "ID"),
    ("Intake sheet — Name: Ann Lee | Ins: Aetna W228 419 702 | Cell: 555 201 3344", "W228 419 702", "ACCOUNT"),
    ("mail: aissatou point ba arobase orange point sn, pour les résultats", "aissatou point ba", "EMAIL"),
    ("Salamu, naitwa Baraka Mwakyusa, namba ya bima", "Baraka Mwakyusa", "NAME"),
    ("أنا الدكتور خالد الشمري، أحيل المريضة سارة العتيبي لعيادة القلب", "سارة العتيبي", "NAME"),
    ("الاسم: رنا الخطيب، الهاتف: 0551234567", "رنا الخطيب", "NAME"),
    ("Nilikuwa kwenye kliniki tarehe 4 Novemba 2026, nambari ya faili", "4 Novemba 2026", "DATE"),
    ("عنواني: ٣٥ شارع الملك فهد، الرياض ١٢٢٧١، جوال 0551234567", "شارع الملك فهد", "ADDRESS"),
    ("jina: Amani Juma, anwani: Mtaa wa Uhuru 22, Dar es Salaam", "Mtaa wa Uhuru 22", "ADDRESS"),
    ("[WhatsApp, 12/03/2026 08:15] Kiptoo: daktari my dad had a fall", "Kiptoo", "NAME"),
    ("WhatsApp me 0722 555 013, Sipho. The clinic lost my TB card.", "Sipho", "NAME"),
    ("can we make it 9/14 instead? Sorry. Jordan", "Jordan", "NAME"),
    ("Sent from my iPhone\n--\nBarbara J. Hollis, RN (ret.)\n555-201-3344\nbjh@mail.com", "Barbara J. Hollis", "NAME"),
])
def test_the_thirty_third_rounds_forms_are_scrubbed(text, value, kind):
    _scrubbed_as(text, value, kind)


@pytest.mark.parametrize("text,scope", [
    ("one of the two tablets, three times a day for five days; BP 120 80 pulse 72 temp 37", "patient"),
    ("it'll be 95 degrees; he turns 92 kg; Mar 10:30 am", "patient"),
    ("the point is that at home it hurts", "patient"),
    ("It starts at the point at which the mother perceives true labour pains", "patient"),
    ("It starts at the point at which the mother perceives true labour pains", "document"),
    ("المريض: يعاني من ألم", "patient"),
    ("Call 0722 555 013, Nairobi.", "patient"),
    ("ECG: sinus rhythm 72/min, QTc 460 ms, LVH by Sokolow-Lyon.", "patient"),
    ("MCAZ, 106 Baines Avenue, Harare; mcaz@mcaz.co.zw.", "document"),
])
def test_what_the_thirty_third_rounds_rules_leave_alone(text, scope):
    assert phi.scrub(text, {}, scope).replace("[PHONE]", "0722 555 013") == text
