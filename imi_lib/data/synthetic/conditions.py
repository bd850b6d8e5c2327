"""The condition table shared by the clinical-decision and USMLE generators.

Each condition lists what a case of it looks like (key findings that are
always shown, optional history and examination findings, supportive results
and the result that confirms it), how it is distinguished from its
neighbours (`hallmark`), how it is confirmed (`test`) and the best next step
once it is (`next_step`), with hand-written wrong tests and wrong steps and
the reason each is wrong. Conditions that share a `group` present alike, so
they are each other's differential diagnoses and plausible distractors.

The content follows current standard teaching (NICE, ESC, BTS, JBDS, ACR
and the usual USMLE review texts); it is training material for a model, not
clinical guidance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from imi_lib.data.synthetic.common import Person, join_and, sentence, some


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    group: str
    age: tuple[int, int]
    complaint: tuple[str, ...]  # chief complaint, as "presents with ..."
    onset: tuple[str, ...]
    key: tuple[str, str]  # always in the vignette: (key history, key examination finding)
    history: tuple[str, ...]  # optional supporting history
    exam: tuple[str, ...]  # optional examination findings
    results: tuple[str, ...]  # supportive investigations (hidden when the question asks for the test)
    confirmation: str  # the result that confirms it (shown only when the question is about management)
    vitals: dict  # name -> (lo, hi): hr, sbp, rr, temp, spo2
    hallmark: str  # how it typically presents: used to say why it is less likely for another case
    workup: tuple[str, ...]
    test: str
    wrong_tests: tuple[tuple[str, str], ...]  # (test, why it is not the best choice)
    next_step: str
    wrong_steps: tuple[tuple[str, str], ...]
    teaching: str
    sex: str | None = None  # who the generator draws for this condition
    sex_specific: bool = False  # never offered as a distractor for the other sex
    known: tuple[str, ...] = ()  # results already known at presentation (shown in every question)


_NORMAL = {"hr": (64, 92), "sbp": (112, 142), "rr": (12, 18), "temp": (36.5, 37.4), "spo2": (96, 99)}


def _vitals(**over) -> dict:
    v = dict(_NORMAL)
    v.update(over)
    return v


CONDITIONS: tuple[Condition, ...] = (
    # ---- chest pain -------------------------------------------------------------------
    Condition(
        "stemi", "Acute inferior ST-elevation myocardial infarction", "chest_pain", (45, 85),
        ("crushing central chest pain", "heavy, pressure-like chest pain"), ("1 hour", "45 minutes", "2 hours"),
        ("pressure-like substernal chest pain radiating to the jaw and left arm", "profuse sweating"),
        ("nausea", "long-standing hypertension", "smoking 20 cigarettes a day", "hyperlipidaemia",
         "a father who had a myocardial infarction at 52"),
        ("an S4 gallop", "clear lung fields", "cool, clammy skin"),
        ("ECG shows ST-segment elevation in leads II, III and aVF with reciprocal ST depression in I and aVL",
         "high-sensitivity troponin I is elevated"),
        "",
        _vitals(hr=(88, 112), sbp=(100, 150), rr=(16, 24), spo2=(93, 98)),
        "pressure-like chest pain with ST elevation in contiguous leads",
        ("12-lead ECG within 10 minutes of arrival", "serial high-sensitivity troponin", "chest X-ray",
         "electrolytes, renal function and coagulation"),
        "12-lead ECG",
        (("CT pulmonary angiography", "pleuritic pain with hypoxaemia and leg swelling would point to embolism, not pressure-like pain"),
         ("Exercise stress test", "contraindicated while ischaemic pain is ongoing"),
         ("Upper gastrointestinal endoscopy", "reflux is considered only after cardiac causes are excluded"),
         ("Chest X-ray alone", "cannot show myocardial ischaemia and delays the ECG")),
        "Aspirin and emergency reperfusion by primary percutaneous coronary intervention",
        (("Outpatient exercise stress testing", "delays reperfusion of an occluded artery"),
         ("Ibuprofen and colchicine", "treatment for pericarditis; NSAIDs are harmful in myocardial infarction"),
         ("A proton-pump inhibitor and observation", "treats reflux, not an occluded coronary artery"),
         ("Sublingual nitroglycerin and discharge home", "an evolving infarct needs reperfusion, not discharge")),
        "Inferior ST elevation usually reflects right coronary artery occlusion; the door-to-balloon target is under 90 minutes, and nitrates are avoided if right-ventricular infarction causes hypotension.",
    ),
    Condition(
        "aortic_dissection", "Acute type A aortic dissection", "chest_pain", (50, 85),
        ("sudden severe chest pain", "abrupt chest pain"), ("30 minutes", "1 hour", "2 hours"),
        ("sudden tearing chest pain radiating through to the back between the shoulder blades",
         "a systolic blood pressure 30 mm Hg higher in the right arm than the left"),
        ("long-standing poorly controlled hypertension", "a known bicuspid aortic valve", "smoking"),
        ("a soft early diastolic murmur at the left sternal edge", "diaphoresis"),
        ("chest X-ray shows a widened mediastinum", "ECG shows left ventricular hypertrophy without ST elevation"),
        "CT angiography shows an intimal flap extending from the ascending aorta",
        _vitals(hr=(90, 118), sbp=(150, 195), rr=(16, 24)),
        "sudden tearing pain radiating to the back with unequal arm blood pressures and a widened mediastinum",
        ("CT angiography of the chest (transoesophageal echo if unstable)", "blood pressure in both arms",
         "group and crossmatch", "ECG and troponin"),
        "CT angiography of the chest",
        (("Ventilation-perfusion scan", "evaluates pulmonary embolism, not the aorta"),
         ("Serial troponin measurement", "does not image the aorta and delays the diagnosis"),
         ("Exercise ECG", "dangerous and uninformative in an acute aortic syndrome"),
         ("Abdominal ultrasound", "does not image the thoracic aorta")),
        "Intravenous beta-blocker (esmolol or labetalol) to lower heart rate and blood pressure, and emergency cardiothoracic surgery",
        (("Aspirin and a heparin infusion", "antithrombotic drugs worsen bleeding from the dissected aorta"),
         ("Intravenous alteplase", "thrombolysis in aortic dissection is often fatal"),
         ("Primary percutaneous coronary intervention", "there is no ST elevation, and stenting does not treat the dissection"),
         ("Intravenous hydralazine alone", "vasodilation without beta-blockade causes reflex tachycardia and raises aortic wall stress")),
        "Stanford type A dissections involve the ascending aorta and need emergency surgery; type B dissections are usually managed medically, with heart rate below 60/min and systolic pressure 100-120 mm Hg as targets.",
    ),
    Condition(
        "pulmonary_embolism", "Acute pulmonary embolism", "chest_pain", (25, 80),
        ("sudden pleuritic chest pain and shortness of breath", "sudden breathlessness with sharp chest pain"),
        ("3 hours", "6 hours", "1 day"),
        ("sudden-onset pleuritic chest pain with breathlessness", "a swollen, tender left calf"),
        ("a 14-hour flight 3 days ago", "a total knee replacement 2 weeks ago",
         "a previous deep vein thrombosis"),
        ("clear lungs on auscultation", "no murmurs"),
        ("chest X-ray is normal", "ECG shows sinus tachycardia", "D-dimer is elevated",
         "arterial blood gas shows hypoxaemia with a low PaCO2"),
        "CT pulmonary angiography shows a filling defect in the right main pulmonary artery; the blood pressure remains stable",
        _vitals(hr=(102, 124), sbp=(112, 138), rr=(22, 28), spo2=(89, 94)),
        "sudden pleuritic pain and hypoxaemia with a clear chest X-ray and signs of deep vein thrombosis",
        ("Wells score", "D-dimer if probability is low", "CT pulmonary angiography", "ECG and chest X-ray",
         "renal function before contrast"),
        "CT pulmonary angiography",
        (("Chest X-ray alone", "often normal in pulmonary embolism and cannot exclude it"),
         ("Coronary angiography", "looks for coronary occlusion, not clot in the pulmonary arteries"),
         ("Spirometry", "assesses airway obstruction, not acute clot"),
         ("Serum troponin alone", "may rise with right-heart strain but cannot confirm or exclude embolism")),
        "Start anticoagulation (low-molecular-weight heparin or a direct oral anticoagulant)",
        (("Systemic thrombolysis with alteplase", "reserved for massive embolism with hypotension; this patient is haemodynamically stable"),
         ("Inferior vena cava filter", "used only when anticoagulation is contraindicated"),
         ("Surgical embolectomy", "reserved for massive embolism when thrombolysis fails or is contraindicated"),
         ("Aspirin alone", "antiplatelet therapy does not treat venous thromboembolism")),
        "Use the Wells score to choose between D-dimer and CT pulmonary angiography; stable pulmonary embolism is treated with anticoagulation for at least 3 months.",
    ),
    Condition(
        "pericarditis", "Acute pericarditis", "chest_pain", (18, 60),
        ("sharp chest pain", "stabbing central chest pain"), ("2 days", "1 day", "3 days"),
        ("sharp chest pain that worsens lying flat and eases on sitting forward",
         "a scratchy friction rub at the left sternal edge"),
        ("a viral upper respiratory infection a week earlier", "pain also worse on deep inspiration", "no cardiac risk factors"),
        ("clear lung fields", "normal jugular venous pressure"),
        ("ECG shows diffuse concave ST elevation with PR depression", "troponin is within normal limits"),
        "echocardiography shows a small pericardial effusion without tamponade",
        _vitals(hr=(88, 108), temp=(37.5, 38.2)),
        "positional pleuritic pain with a friction rub and diffuse ST elevation with PR depression",
        ("12-lead ECG", "troponin and inflammatory markers", "echocardiography for effusion", "chest X-ray"),
        "12-lead ECG",
        (("Coronary angiography", "not indicated without evidence of coronary occlusion"),
         ("CT pulmonary angiography", "there is no hypoxaemia or risk factor pointing to embolism"),
         ("Upper gastrointestinal endoscopy", "positional pain with a rub is not oesophageal"),
         ("Exercise stress test", "does not evaluate pericardial inflammation")),
        "Ibuprofen (or aspirin) plus colchicine",
        (("Primary percutaneous coronary intervention", "diffuse concave ST elevation with PR depression is not an infarct pattern"),
         ("Oral prednisolone first-line", "glucocorticoids increase recurrence and are kept for NSAID contraindications"),
         ("Emergency pericardiocentesis", "kept for tamponade or a large effusion"),
         ("Heparin infusion", "anticoagulation risks haemopericardium")),
        "Adding colchicine to an NSAID roughly halves the recurrence rate of acute pericarditis.",
    ),
    Condition(
        "pneumothorax", "Primary spontaneous pneumothorax", "chest_pain", (18, 35),
        ("sudden right-sided chest pain and breathlessness", "sudden one-sided chest pain"), ("2 hours", "5 hours", "1 day"),
        ("sudden right-sided pleuritic chest pain with breathlessness at rest",
         "reduced breath sounds and hyper-resonance over the right hemithorax"),
        ("tall and thin build", "smoking 10 cigarettes a day", "no previous lung disease"),
        ("trachea central", "no calf swelling"),
        ("ECG shows sinus tachycardia",),
        "chest X-ray shows a right-sided pneumothorax with a 3-cm rim and no mediastinal shift",
        _vitals(hr=(102, 118), rr=(20, 26), spo2=(92, 96)),
        "sudden pleuritic pain with unilateral absent breath sounds and hyper-resonance in a tall young smoker",
        ("Chest X-ray", "oxygen saturation", "assessment for tension (hypotension, tracheal deviation)"),
        "Chest X-ray",
        (("CT pulmonary angiography", "the examination points to air in the pleural space, not clot"),
         ("D-dimer", "helps exclude thromboembolism, not pneumothorax"),
         ("Echocardiography", "does not image the pleural space"),
         ("Spirometry", "unsafe and uninformative with a pneumothorax")),
        "Needle aspiration of the pneumothorax",
        (("Immediate needle decompression for tension pneumothorax", "there is no hypotension or mediastinal shift, so this is not tension"),
         ("Anticoagulation with heparin", "there is no thromboembolism"),
         ("Video-assisted thoracoscopic surgery now", "surgery is for recurrence or a persistent air leak"),
         ("Discharge without treatment or follow-up", "a breathless patient with a large pneumothorax needs intervention")),
        "A symptomatic primary pneumothorax with a rim over 2 cm is treated by aspiration or an ambulatory device; advise stopping smoking and avoiding flying until resolution.",
    ),
    # ---- breathlessness ---------------------------------------------------------------
    Condition(
        "acute_heart_failure", "Acute decompensated heart failure", "dyspnoea", (60, 90),
        ("worsening breathlessness", "breathlessness and leg swelling"), ("1 week", "2 weeks", "5 days"),
        ("breathlessness that wakes them at night and needs three pillows to sleep",
         "bibasal crackles with pitting oedema to the knees"),
        ("a myocardial infarction 3 years ago", "weight gain of 4 kg in 2 weeks", "having stopped furosemide"),
        ("raised jugular venous pressure", "a third heart sound"),
        ("chest X-ray shows upper-lobe diversion, Kerley B lines and small bilateral effusions",
         "NT-proBNP is markedly elevated"),
        "echocardiography shows a left ventricular ejection fraction of 30%",
        _vitals(hr=(96, 118), sbp=(128, 168), rr=(22, 28), spo2=(89, 94)),
        "orthopnoea and paroxysmal nocturnal dyspnoea with crackles, oedema and a raised JVP",
        ("NT-proBNP", "chest X-ray", "12-lead ECG", "transthoracic echocardiography", "renal function and electrolytes"),
        "Transthoracic echocardiography",
        (("Spirometry", "assesses obstructive lung disease and is not done during acute decompensation"),
         ("CT pulmonary angiography", "signs of fluid overload, not embolism, explain the picture"),
         ("Sputum culture", "there are no features of infection"),
         ("Ventilation-perfusion scan", "evaluates embolism, not ventricular function")),
        "Intravenous furosemide, with oxygen if hypoxaemic",
        (("Intravenous fluid bolus", "worsens pulmonary congestion"),
         ("Nebulised salbutamol and oral prednisolone", "treats bronchospasm, not fluid overload"),
         ("Intravenous ceftriaxone alone", "there are no features of infection"),
         ("Start high-dose beta-blocker today", "beta-blockers are not started or up-titrated during acute decompensation")),
        "Loop diuretics relieve congestion; once stable, start disease-modifying therapy (ACE inhibitor or ARNI, beta-blocker, MRA and SGLT2 inhibitor) for reduced ejection fraction.",
    ),
    Condition(
        "asthma_exacerbation", "Acute severe asthma exacerbation", "dyspnoea", (18, 45),
        ("wheeze and breathlessness", "worsening wheeze"), ("2 days", "1 day", "3 days"),
        ("known asthma with wheeze worsening since a cold",
         "widespread expiratory wheeze"),
        ("using the reliever inhaler every hour", "allergy to house dust mite", "poor adherence to the preventer inhaler"),
        ("use of accessory muscles", "able to speak only in short phrases"),
        ("peak expiratory flow is 45% of best", "chest X-ray shows hyperinflation without consolidation"),
        "",
        _vitals(hr=(110, 124), rr=(25, 30), spo2=(92, 95)),
        "episodic wheeze in a known asthmatic with a reduced peak flow",
        ("peak expiratory flow", "oxygen saturation", "arterial blood gas if SpO2 < 92%", "chest X-ray if pneumothorax or consolidation is suspected"),
        "Peak expiratory flow measurement",
        (("Spirometry with bronchodilator reversibility", "diagnoses asthma when stable; it is not how an acute attack is graded"),
         ("CT of the chest", "adds radiation and nothing to the acute assessment"),
         ("D-dimer", "there is nothing to suggest embolism"),
         ("Sputum culture", "there are no features of bacterial infection")),
        "Oxygen-driven nebulised salbutamol with oral prednisolone 40-50 mg",
        (("A long-acting beta-agonist alone", "LABA monotherapy is associated with asthma deaths and is too slow"),
         ("Intravenous furosemide", "there is no fluid overload"),
         ("Oral amoxicillin alone", "antibiotics do not treat bronchospasm and there is no sign of infection"),
         ("A benzodiazepine for the anxiety", "sedation in acute asthma can cause fatal respiratory depression")),
        "A peak flow of 33-50% of best marks acute severe asthma; below 33%, SpO2 < 92%, a silent chest or exhaustion mark life-threatening asthma.",
    ),
    Condition(
        "copd_exacerbation", "Infective exacerbation of COPD", "dyspnoea", (55, 85),
        ("increasing breathlessness and cough", "worse breathlessness and sputum"), ("3 days", "4 days", "1 week"),
        ("a 40-pack-year smoking history with increased sputum volume and purulence",
         "prolonged expiration with scattered wheeze and pursed-lip breathing"),
        ("two hospital admissions for chest infections last year", "use of tiotropium and a salbutamol inhaler",
         "breathlessness walking 100 m on the flat at baseline"),
        ("a barrel-shaped chest", "no ankle oedema"),
        ("chest X-ray shows hyperinflated lungs without consolidation",
         "spirometry last year showed an FEV1/FVC ratio of 0.55"),
        "arterial blood gas: pH 7.37, PaCO2 6.4 kPa, PaO2 7.6 kPa on room air",
        _vitals(hr=(96, 112), rr=(22, 28), spo2=(85, 90), temp=(37.4, 38.2)),
        "a heavy smoker with chronic airflow obstruction and more purulent sputum",
        ("arterial blood gas", "chest X-ray", "sputum culture if purulent", "ECG", "full blood count and CRP"),
        "Arterial blood gas",
        (("Spirometry", "confirms COPD when stable; it is not used during an exacerbation"),
         ("CT pulmonary angiography", "nothing points to embolism"),
         ("Echocardiography", "does not assess the exacerbation or gas exchange"),
         ("Alpha-1 antitrypsin level", "a diagnostic test for early-onset emphysema, not for managing an exacerbation")),
        "Controlled oxygen to a target SpO2 of 88-92%, nebulised bronchodilators, oral prednisolone and an antibiotic for purulent sputum",
        (("High-flow oxygen to an SpO2 of 100%", "risks worsening hypercapnic respiratory failure"),
         ("Long-term oral corticosteroids", "steroids are given as a 5-day course, not long term"),
         ("Intravenous furosemide", "there is no fluid overload"),
         ("Immediate intubation", "the patient is not acidotic; non-invasive ventilation would come first if acidosis developed")),
        "In COPD, target saturations of 88-92% avoid oxygen-induced hypercapnia; non-invasive ventilation is indicated for respiratory acidosis (pH < 7.35) despite treatment.",
    ),
    Condition(
        "pneumonia", "Community-acquired pneumonia", "dyspnoea", (30, 85),
        ("fever and productive cough", "cough, fever and breathlessness"), ("3 days", "4 days", "2 days"),
        ("fever with a cough productive of rust-coloured sputum and right-sided pleuritic pain",
         "bronchial breathing and dullness to percussion at the right base"),
        ("rigors", "loss of appetite", "a recent viral illness"),
        ("coarse crackles at the right base", "increased vocal resonance at the right base"),
        ("white cell count 18 x10^9/L with neutrophilia", "CRP 210 mg/L", "urea 5.1 mmol/L"),
        "chest X-ray shows right lower lobe consolidation",
        _vitals(hr=(98, 118), rr=(20, 26), temp=(38.3, 39.6), spo2=(91, 95)),
        "fever and productive cough with focal consolidation signs",
        ("chest X-ray", "CURB-65 score", "full blood count, CRP, urea and electrolytes", "blood and sputum cultures if moderate or severe"),
        "Chest X-ray",
        (("CT pulmonary angiography", "focal consolidation signs with fever point to infection, not clot"),
         ("Bronchoscopy", "not a first-line test in community-acquired pneumonia"),
         ("Spirometry", "does not diagnose infection"),
         ("Echocardiography", "there is no sign of heart failure")),
        "Start empirical antibiotics chosen by the CURB-65 severity score",
        (("Oseltamivir alone", "there are no influenza features and consolidation suggests bacterial pneumonia"),
         ("Observe without antibiotics", "bacterial pneumonia needs prompt antibiotics"),
         ("Therapeutic anticoagulation", "there is no thromboembolism"),
         ("Bronchoscopy before any treatment", "delays antibiotics without benefit")),
        "CURB-65 (confusion, urea > 7 mmol/L, RR >= 30, low BP, age >= 65) guides where to treat and how broad the antibiotics are.",
    ),
    Condition(
        "anaphylaxis", "Anaphylaxis", "dyspnoea", (18, 70),
        ("sudden breathlessness and swelling", "throat tightness and a rash"), ("10 minutes", "15 minutes", "20 minutes"),
        ("lip and tongue swelling, widespread hives and wheeze within minutes of eating prawns",
         "hypotension with wheeze and throat tightness"),
        ("a known shellfish allergy", "a similar but milder reaction last year"),
        ("urticaria over the trunk", "a hoarse voice"),
        ("serum mast cell tryptase is raised 1 hour after onset",),
        "",
        _vitals(hr=(112, 132), sbp=(78, 92), rr=(24, 30), spo2=(90, 94)),
        "rapid-onset airway or breathing problems with hypotension and skin changes after an allergen",
        ("clinical diagnosis; do not delay treatment", "timed mast cell tryptase samples", "allergy clinic referral"),
        "Timed serum mast cell tryptase",
        (("Skin-prick testing now", "done later in the allergy clinic, never during a reaction"),
         ("Chest X-ray", "does not diagnose anaphylaxis"),
         ("Total IgE level", "non-specific and unhelpful acutely"),
         ("Peak flow measurement alone", "grades bronchospasm but does not establish anaphylaxis")),
        "Intramuscular adrenaline 0.5 mg (1:1000) into the anterolateral thigh",
        (("Oral cetirizine alone", "antihistamines do not reverse airway or circulatory compromise"),
         ("Intravenous hydrocortisone as the first drug", "steroids act too slowly to be first-line"),
         ("Subcutaneous adrenaline 1:10 000", "wrong route and wrong concentration"),
         ("Nebulised salbutamol alone", "does not treat the hypotension or angioedema")),
        "Intramuscular adrenaline is the first treatment for anaphylaxis and can be repeated after 5 minutes; patients go home with two auto-injectors and an allergy referral.",
    ),
    # ---- abdominal pain ---------------------------------------------------------------
    Condition(
        "appendicitis", "Acute appendicitis", "abdominal_pain", (18, 45),
        ("abdominal pain", "pain in the lower abdomen"), ("18 hours", "1 day", "12 hours"),
        ("periumbilical pain that migrated to the right lower quadrant", "tenderness at McBurney's point with rebound"),
        ("anorexia and nausea", "one episode of vomiting after the pain began"),
        ("a positive Rovsing sign", "pain on extending the right hip (psoas sign)"),
        ("white cell count 14 x10^9/L with neutrophilia", "urinalysis is normal"),
        "CT of the abdomen shows a dilated, non-compressible appendix with surrounding fat stranding",
        _vitals(hr=(92, 108), temp=(37.6, 38.3)),
        "pain migrating from the umbilicus to the right lower quadrant with McBurney's point tenderness",
        ("full blood count and CRP", "urinalysis", "CT of the abdomen and pelvis (ultrasound in young women and children)"),
        "CT of the abdomen and pelvis with intravenous contrast",
        (("Plain abdominal X-ray", "non-specific and rarely shows the appendix"),
         ("Colonoscopy", "contraindicated in an acute abdomen because of perforation risk"),
         ("Serum lipase", "tests for pancreatitis, which causes epigastric pain radiating to the back"),
         ("Hepatobiliary (HIDA) scan", "assesses the gallbladder, not the appendix")),
        "Appendicectomy with preoperative intravenous antibiotics",
        (("Colonoscopy", "risks perforation and does not treat appendicitis"),
         ("Discharge with oral analgesia", "untreated appendicitis can perforate"),
         ("Barium enema", "contraindicated and not therapeutic"),
         ("Elective surgery in 6 weeks", "interval appendicectomy is for an appendix mass, not acute appendicitis")),
        "Pain classically starts periumbilically (visceral) and moves to the right iliac fossa once the parietal peritoneum is irritated.",
        sex="male",
    ),
    Condition(
        "cholecystitis", "Acute calculous cholecystitis", "abdominal_pain", (30, 75),
        ("upper abdominal pain", "right-sided abdominal pain"), ("10 hours", "1 day", "18 hours"),
        ("constant right upper quadrant pain after a fatty meal", "inspiratory arrest on palpation of the right upper quadrant (Murphy sign)"),
        ("previous short episodes of similar pain after meals", "pain radiating to the right shoulder tip"),
        ("no jaundice", "guarding in the right upper quadrant"),
        ("white cell count 15 x10^9/L", "bilirubin and lipase are normal"),
        "ultrasound shows gallstones, a thickened gallbladder wall and pericholecystic fluid",
        _vitals(hr=(92, 108), temp=(38.1, 38.8)),
        "constant right upper quadrant pain with fever and a positive Murphy sign",
        ("right upper quadrant ultrasound", "liver function tests and lipase", "full blood count and CRP"),
        "Right upper quadrant ultrasound",
        (("Plain abdominal X-ray", "most gallstones are not radio-opaque"),
         ("ERCP", "an invasive procedure for bile-duct stones, and the bilirubin is normal"),
         ("Upper gastrointestinal endoscopy", "examines the stomach and duodenum, not the gallbladder"),
         ("Serum amylase alone", "tests for pancreatitis, not cholecystitis")),
        "Intravenous antibiotics, fluids and analgesia with laparoscopic cholecystectomy within 1 week",
        (("ERCP", "kept for bile-duct stones or cholangitis; bilirubin is normal"),
         ("Oral ursodeoxycholic acid", "too slow and does not treat acute inflammation"),
         ("Discharge with analgesia and an outpatient appointment", "acute cholecystitis needs admission"),
         ("Colonoscopy", "irrelevant to gallbladder disease")),
        "Early laparoscopic cholecystectomy (within a week of presentation) shortens hospital stay compared with delayed surgery.",
    ),
    Condition(
        "pancreatitis", "Acute alcohol-related pancreatitis", "abdominal_pain", (30, 75),
        ("severe upper abdominal pain", "epigastric pain and vomiting"), ("12 hours", "1 day", "8 hours"),
        ("severe epigastric pain radiating to the back after a weekend of heavy drinking, with repeated vomiting",
         "epigastric tenderness with guarding"),
        ("drinking about 60 units of alcohol a week", "pain eased by sitting forward"),
        ("reduced bowel sounds", "no jaundice"),
        ("serum lipase is six times the upper limit of normal", "calcium and triglycerides are normal"),
        "",
        _vitals(hr=(100, 120), sbp=(100, 130), temp=(37.4, 38.2)),
        "epigastric pain radiating to the back with a lipase over three times normal",
        ("serum lipase", "liver function tests", "calcium and triglycerides", "ultrasound for gallstones", "Glasgow or APACHE II severity scoring"),
        "Serum lipase",
        (("CT of the abdomen in the first hour", "not needed when typical pain and enzymes make the diagnosis; kept for uncertainty or deterioration"),
         ("Upper gastrointestinal endoscopy", "does not examine the pancreas"),
         ("ERCP", "invasive and only for obstructing stones or cholangitis"),
         ("Plain abdominal X-ray", "cannot diagnose pancreatitis")),
        "Goal-directed intravenous crystalloid, analgesia and early oral feeding as tolerated",
        (("Prophylactic intravenous meropenem", "antibiotics are not given without infected necrosis"),
         ("Nil by mouth for a week", "early feeding improves outcomes"),
         ("Emergency laparotomy", "surgery has no role in early uncomplicated pancreatitis"),
         ("Emergency ERCP", "only for cholangitis or persisting bile-duct obstruction")),
        "Diagnosis needs two of: typical pain, lipase or amylase over three times normal, and imaging features; gallstones and alcohol cause most cases.",
    ),
    Condition(
        "small_bowel_obstruction", "Adhesional small bowel obstruction", "abdominal_pain", (40, 85),
        ("colicky abdominal pain and vomiting", "abdominal swelling and vomiting"), ("1 day", "2 days", "18 hours"),
        ("colicky central abdominal pain with bilious vomiting and no flatus", "a distended abdomen with high-pitched tinkling bowel sounds"),
        ("an open appendicectomy 10 years ago", "a hysterectomy scar"),
        ("no hernias", "mild diffuse tenderness without peritonism"),
        ("abdominal X-ray shows dilated small-bowel loops", "lactate is normal"),
        "CT shows dilated small bowel with a single transition point and no signs of ischaemia",
        _vitals(hr=(96, 112)),
        "colicky pain, vomiting, distension and absolute constipation after previous abdominal surgery",
        ("CT of the abdomen and pelvis with contrast", "urea, electrolytes and lactate", "group and save"),
        "CT of the abdomen and pelvis with intravenous contrast",
        (("Colonoscopy", "contraindicated in obstruction and does not reach the small bowel"),
         ("Barium swallow", "barium can worsen obstruction"),
         ("Serum lipase", "tests for pancreatitis"),
         ("Right upper quadrant ultrasound", "does not show the level or cause of bowel obstruction")),
        "Nil by mouth, nasogastric decompression and intravenous fluids, with surgical review",
        (("Oral laxatives", "contraindicated in mechanical obstruction"),
         ("Immediate laparotomy", "without ischaemia or peritonitis, adhesional obstruction is first managed conservatively"),
         ("Colonoscopic decompression", "treats sigmoid volvulus, not small-bowel obstruction"),
         ("Discharge with antiemetics", "obstruction needs admission")),
        "Adhesions cause most small-bowel obstruction in patients with previous surgery; fever, peritonism, raised lactate or CT signs of ischaemia mean strangulation and urgent surgery.",
    ),
    Condition(
        "ureteric_colic", "Ureteric colic (distal ureteric stone)", "abdominal_pain", (25, 60),
        ("severe flank pain", "left-sided loin pain"), ("3 hours", "5 hours", "2 hours"),
        ("sudden severe colicky left loin pain radiating to the groin", "a patient writhing and unable to lie still"),
        ("a previous kidney stone", "nausea"),
        ("left costovertebral angle tenderness", "a soft abdomen"),
        ("urinalysis shows microscopic haematuria", "creatinine is normal", "no fever"),
        "non-contrast CT shows a 6-mm stone in the distal left ureter without hydronephrosis or infection",
        _vitals(hr=(90, 108), sbp=(135, 160)),
        "colicky loin-to-groin pain in a restless patient with haematuria",
        ("urinalysis", "renal function", "non-contrast CT of the kidneys, ureters and bladder", "temperature and inflammatory markers to exclude infection"),
        "Non-contrast CT of the kidneys, ureters and bladder",
        (("Intravenous urography", "superseded by non-contrast CT and needs contrast"),
         ("Colonoscopy", "the bowel is not the source"),
         ("Serum lipase", "tests for pancreatitis"),
         ("Plain abdominal X-ray alone", "misses radiolucent stones and cannot show obstruction well")),
        "NSAID analgesia and medical expulsive therapy with tamsulosin",
        (("Urgent percutaneous nephrostomy", "kept for an obstructed, infected kidney; there is no fever"),
         ("Intravenous antibiotics alone", "there are no signs of infection"),
         ("Emergency open surgery", "a 6-mm distal stone usually passes"),
         ("Oral opioids as first-line with no NSAID", "NSAIDs are more effective first-line analgesics for renal colic")),
        "Stones under 5 mm usually pass; for distal stones of 5-10 mm tamsulosin improves passage. Fever with an obstructed kidney is an emergency needing decompression.",
        sex="male",
    ),
    Condition(
        "ectopic_pregnancy", "Tubal ectopic pregnancy", "abdominal_pain", (18, 40),
        ("lower abdominal pain", "left-sided pelvic pain"), ("1 day", "2 days", "12 hours"),
        ("six weeks of amenorrhoea with lower abdominal pain and vaginal spotting", "left adnexal tenderness"),
        ("a previous chlamydia infection", "no contraception"),
        ("a closed cervical os", "no peritonism"),
        ("serum beta-hCG is 1,200 IU/L", "haemoglobin is 128 g/L"),
        "transvaginal ultrasound shows an empty uterus and a 20-mm left adnexal mass without a fetal heartbeat or free fluid",
        _vitals(hr=(80, 98)),
        "amenorrhoea, a positive pregnancy test and adnexal tenderness",
        ("urine or serum beta-hCG", "transvaginal ultrasound", "full blood count and group and save"),
        "Transvaginal ultrasound",
        (("CT of the abdomen and pelvis", "radiation in a possible pregnancy and less accurate than ultrasound"),
         ("Diagnostic laparoscopy as the first test", "ultrasound comes first in a stable patient"),
         ("Serum lipase", "tests for pancreatitis"),
         ("Abdominal X-ray", "cannot show a pregnancy")),
        "Intramuscular methotrexate",
        (("Dilation and curettage", "the pregnancy is in the tube, not the uterus"),
         ("Repeat the pregnancy test in 2 weeks", "delays treatment of a possible rupture"),
         ("Mifepristone and misoprostol", "medical management of an intrauterine miscarriage, not an ectopic pregnancy"),
         ("Emergency laparotomy", "kept for haemodynamic instability or rupture")),
        "Methotrexate suits a stable woman with an unruptured ectopic, no heartbeat, hCG below 1,500 IU/L and a mass under 35 mm; otherwise laparoscopic salpingectomy.",
        sex="female", sex_specific=True, known=("urine pregnancy test is positive",),
    ),
    Condition(
        "diverticulitis", "Acute uncomplicated diverticulitis", "abdominal_pain", (50, 85),
        ("lower abdominal pain", "left-sided abdominal pain"), ("3 days", "2 days", "4 days"),
        ("left lower quadrant pain with fever", "tenderness in the left iliac fossa without peritonism"),
        ("long-standing constipation", "a low-fibre diet"),
        ("no palpable mass", "normal bowel sounds"),
        ("white cell count 13 x10^9/L", "CRP 90 mg/L"),
        "CT shows sigmoid diverticula with pericolic fat stranding and no abscess or free air",
        _vitals(hr=(88, 104), temp=(38.0, 38.6)),
        "left lower quadrant pain and fever in an older adult",
        ("full blood count and CRP", "CT of the abdomen and pelvis with contrast", "urinalysis"),
        "CT of the abdomen and pelvis with intravenous contrast",
        (("Colonoscopy now", "risks perforation in acute inflammation; it is deferred for 6-8 weeks"),
         ("Barium enema", "contraindicated acutely"),
         ("Right upper quadrant ultrasound", "examines the wrong region"),
         ("Serum lipase", "tests for pancreatitis")),
        "Outpatient treatment with oral antibiotics, analgesia and a clear-liquid diet, with review in 48 hours",
        (("Colonoscopy now", "deferred for 6-8 weeks because of perforation risk"),
         ("Emergency Hartmann's procedure", "kept for perforation with peritonitis"),
         ("CT-guided percutaneous drainage", "only for an abscess, and there is none"),
         ("Nil by mouth with total parenteral nutrition", "not needed for uncomplicated disease")),
        "Uncomplicated diverticulitis is usually managed as an outpatient; colonoscopy after recovery excludes colorectal cancer.",
    ),
    # ---- headache and acute neurology ----------------------------------------------------
    Condition(
        "subarachnoid_haemorrhage", "Subarachnoid haemorrhage", "headache_neuro", (30, 70),
        ("a sudden severe headache", "a sudden, excruciating headache"), ("2 hours", "3 hours", "1 hour"),
        ("a sudden severe occipital headache that peaked within seconds while lifting weights", "neck stiffness"),
        ("two episodes of vomiting", "a brief loss of consciousness at onset", "smoking and hypertension"),
        ("photophobia", "no focal neurological deficit"),
        ("ECG shows sinus rhythm",),
        "non-contrast CT of the head shows blood in the basal cisterns",
        _vitals(hr=(60, 88), sbp=(150, 185)),
        "a thunderclap headache peaking within a minute",
        ("non-contrast CT of the head", "lumbar puncture for xanthochromia if CT is negative beyond 6 hours", "CT angiography to find the aneurysm"),
        "Non-contrast CT of the head",
        (("MRI of the brain with gadolinium first", "slower and less available than CT, which is the first-line test"),
         ("Lumbar puncture before imaging", "imaging comes first; LP is only for a negative CT beyond 6 hours"),
         ("Electroencephalography", "does not detect haemorrhage"),
         ("Temporal artery biopsy", "tests for giant cell arteritis")),
        "Oral nimodipine and urgent neurosurgical referral to secure the aneurysm",
        (("Sumatriptan", "a migraine treatment, and vasoconstriction is harmful here"),
         ("Intravenous alteplase", "thrombolysis in haemorrhage is catastrophic"),
         ("Aspirin 300 mg", "antiplatelets worsen bleeding"),
         ("Discharge with analgesia", "aneurysmal rebleeding is often fatal")),
        "Nimodipine reduces delayed cerebral ischaemia from vasospasm; the aneurysm is secured by coiling or clipping as early as possible.",
    ),
    Condition(
        "bacterial_meningitis", "Acute bacterial meningitis", "headache_neuro", (18, 45),
        ("headache and fever", "fever, headache and vomiting"), ("12 hours", "1 day", "8 hours"),
        ("fever, severe headache and neck stiffness", "photophobia with a positive Kernig sign"),
        ("vomiting", "a petechial rash on the legs", "drowsiness noted by a flatmate"),
        ("no focal neurological signs", "no papilloedema"),
        ("white cell count 22 x10^9/L", "CRP 250 mg/L"),
        "lumbar puncture shows turbid CSF with 1,800 neutrophils/mm3, raised protein and a CSF:serum glucose ratio of 0.2",
        _vitals(hr=(104, 124), sbp=(100, 128), temp=(38.8, 40.1)),
        "fever with headache, neck stiffness and photophobia developing over hours",
        ("blood cultures", "lumbar puncture if no contraindication", "CT head first only with focal signs, papilloedema or reduced consciousness", "glucose and lactate"),
        "Lumbar puncture with CSF analysis (after blood cultures)",
        (("Electroencephalography", "does not diagnose meningitis"),
         ("MRI of the spine", "not relevant to meningitis"),
         ("Temporal artery biopsy", "tests for giant cell arteritis"),
         ("Carotid Doppler ultrasound", "assesses carotid stenosis")),
        "Blood cultures and immediate intravenous ceftriaxone with dexamethasone",
        (("Oral amoxicillin and review in 48 hours", "far too little, too late"),
         ("Aciclovir alone", "covers herpes encephalitis, not bacterial meningitis"),
         ("Wait for CSF culture before antibiotics", "any delay increases mortality"),
         ("CT head before any antibiotic", "antibiotics must not wait for imaging")),
        "Dexamethasone given with or just before the first antibiotic dose reduces hearing loss and mortality in pneumococcal meningitis.",
    ),
    Condition(
        "migraine", "Migraine with aura", "headache_neuro", (18, 45),
        ("a throbbing headache", "a recurrent headache"), ("6 hours", "10 hours", "1 day"),
        ("a unilateral throbbing headache with nausea and sensitivity to light, preceded by zigzag visual lines for 20 minutes",
         "a normal neurological examination"),
        ("similar episodes about monthly since adolescence", "a mother with migraine"),
        ("normal fundi", "no neck stiffness"),
        (),
        "",
        _vitals(),
        "recurrent unilateral throbbing headaches with aura and a normal examination",
        ("clinical diagnosis; no imaging with typical features and a normal examination", "headache diary"),
        "No investigation: the diagnosis is clinical",
        (("MRI of the brain with contrast", "not needed with typical features and a normal examination"),
         ("Lumbar puncture", "no features of infection or haemorrhage"),
         ("ESR and temporal artery biopsy", "giant cell arteritis affects people over 50"),
         ("Electroencephalography", "does not diagnose migraine")),
        "An oral triptan with an NSAID for the acute attack",
        (("Codeine-based analgesia", "less effective and risks medication-overuse headache"),
         ("Intravenous alteplase", "there is no stroke"),
         ("Urgent neurosurgical referral", "nothing suggests a structural cause"),
         ("High-dose oral prednisolone", "glucocorticoids are for giant cell arteritis, not migraine")),
        "Women who have migraine with aura should not take combined hormonal contraception because of the added stroke risk.",
    ),
    Condition(
        "ischaemic_stroke", "Acute ischaemic stroke (left middle cerebral artery)", "headache_neuro", (55, 85),
        ("sudden weakness and trouble speaking", "sudden right-sided weakness"), ("90 minutes", "1 hour", "2 hours"),
        ("sudden right arm and face weakness with difficulty speaking", "a right facial droop sparing the forehead with expressive aphasia"),
        ("atrial fibrillation, not anticoagulated", "hypertension"),
        ("right-sided pronator drift", "an irregularly irregular pulse"),
        ("capillary glucose is 6.2 mmol/L",),
        "non-contrast CT of the head shows no haemorrhage",
        _vitals(hr=(76, 104), sbp=(150, 180)),
        "sudden focal neurological deficit in a vascular territory",
        ("capillary glucose", "non-contrast CT of the head", "CT angiography for large-vessel occlusion", "ECG"),
        "Non-contrast CT of the head",
        (("Lumbar puncture", "not part of acute stroke assessment"),
         ("Electroencephalography", "does not distinguish ischaemia from haemorrhage"),
         ("Carotid Doppler ultrasound first", "done later for secondary prevention, not before treatment"),
         ("Echocardiography first", "investigates the embolic source later, not before reperfusion")),
        "Intravenous thrombolysis (within 4.5 hours of onset) and CT angiography for possible thrombectomy",
        (("Aspirin before imaging", "haemorrhage must be excluded first, and aspirin is delayed 24 hours after thrombolysis"),
         ("Immediate heparin infusion", "early anticoagulation increases haemorrhagic transformation"),
         ("Lower blood pressure below 120/80 at once", "aggressive lowering reduces penumbral perfusion"),
         ("Observe and repeat CT in 24 hours", "the thrombolysis window would be lost")),
        "Time is brain: thrombolysis up to 4.5 hours and thrombectomy for large-vessel occlusion (up to 24 hours in selected patients) improve outcomes.",
    ),
    Condition(
        "giant_cell_arteritis", "Giant cell arteritis", "headache_neuro", (55, 85),
        ("a new headache", "headache and scalp tenderness"), ("2 weeks", "3 weeks", "10 days"),
        ("a new temporal headache with pain in the jaw on chewing", "a tender, thickened, pulseless right temporal artery"),
        ("morning stiffness of the shoulders", "tiredness and weight loss", "scalp tenderness when brushing hair"),
        ("normal visual acuity", "no focal deficit"),
        ("CRP 80 mg/L", "platelets 480 x10^9/L"),
        "",
        _vitals(temp=(37.2, 37.9)),
        "new temporal headache in an older adult with jaw claudication and raised inflammatory markers",
        ("ESR and CRP", "temporal artery ultrasound or biopsy", "same-day ophthalmology if visual symptoms"),
        "Temporal artery biopsy (or temporal artery ultrasound)",
        (("Non-contrast CT of the head", "does not show arteritis"),
         ("Lumbar puncture", "no features of meningitis or haemorrhage"),
         ("Electroencephalography", "does not diagnose vasculitis"),
         ("Carotid Doppler ultrasound", "does not assess the temporal arteries")),
        "High-dose oral prednisolone immediately, without waiting for the biopsy",
        (("Wait for the biopsy before treatment", "untreated arteritis can cause irreversible blindness"),
         ("Sumatriptan", "a migraine treatment and a vasoconstrictor"),
         ("NSAIDs alone", "do not control the vasculitis"),
         ("Lumbar puncture", "not indicated")),
        "Biopsy remains positive for about 2 weeks after steroids start, so treatment never waits for it.",
        known=("ESR 92 mm/h",),
    ),
    # ---- metabolic and endocrine emergencies ------------------------------------------------
    Condition(
        "dka", "Diabetic ketoacidosis", "metabolic", (18, 40),
        ("vomiting and abdominal pain", "feeling very unwell with vomiting"), ("2 days", "1 day", "3 days"),
        ("known type 1 diabetes with vomiting, abdominal pain, thirst and polyuria",
         "deep, rapid (Kussmaul) breathing with a fruity smell on the breath"),
        ("missed insulin doses during a stomach bug", "weight loss"),
        ("dry mucous membranes", "diffuse mild abdominal tenderness"),
        ("blood ketones 5.2 mmol/L", "venous pH 7.12 with bicarbonate 9 mmol/L", "potassium 5.1 mmol/L"),
        "",
        _vitals(hr=(108, 126), sbp=(98, 118), rr=(26, 32)),
        "hyperglycaemia with ketonaemia and metabolic acidosis in type 1 diabetes",
        ("capillary glucose and blood ketones", "venous blood gas", "urea and electrolytes", "look for a precipitant (infection, missed insulin)"),
        "Venous blood gas with blood ketone measurement",
        (("HbA1c", "reflects control over months, not the acute state"),
         ("Oral glucose tolerance test", "dangerous and irrelevant during hyperglycaemia"),
         ("CT of the abdomen", "abdominal pain in DKA usually resolves with treatment"),
         ("C-peptide level", "helps classify diabetes later, not the emergency")),
        "Intravenous 0.9% sodium chloride and a fixed-rate intravenous insulin infusion (0.1 units/kg/h) with potassium replacement",
        (("Intravenous sodium bicarbonate", "not indicated unless pH is below about 6.9"),
         ("A single subcutaneous insulin bolus and discharge", "DKA needs a monitored insulin infusion"),
         ("Oral metformin", "irrelevant in type 1 diabetes and DKA"),
         ("Intravenous 50% glucose", "the patient is hyperglycaemic")),
        "Potassium falls as insulin drives it into cells, so it is added to fluids once below 5.5 mmol/L; glucose is added when it drops below 14 mmol/L.",
        known=("capillary glucose 28 mmol/L",),
    ),
    Condition(
        "hhs", "Hyperosmolar hyperglycaemic state", "metabolic", (60, 90),
        ("confusion and thirst", "increasing drowsiness"), ("4 days", "1 week", "5 days"),
        ("known type 2 diabetes with several days of increasing thirst, polyuria and new confusion",
         "very dry mucous membranes and reduced skin turgor"),
        ("a recent urinary tract infection", "living alone"),
        ("no Kussmaul breathing", "no focal neurology"),
        ("serum osmolality 345 mOsm/kg", "blood ketones 0.8 mmol/L with pH 7.36"),
        "",
        _vitals(hr=(102, 122), sbp=(92, 112)),
        "extreme hyperglycaemia and hyperosmolality without significant ketosis in type 2 diabetes",
        ("glucose, ketones and serum osmolality", "urea and electrolytes", "look for a precipitant"),
        "Serum osmolality with glucose and ketone measurement",
        (("HbA1c", "reflects months of control, not the acute state"),
         ("Lumbar puncture", "confusion is explained by hyperosmolality"),
         ("Electroencephalography", "unhelpful"),
         ("Thyroid function tests", "do not explain the hyperglycaemia")),
        "Cautious intravenous 0.9% sodium chloride, adding insulin only when glucose stops falling with fluids alone",
        (("A high-dose intravenous insulin bolus before fluids", "a rapid fall in osmolality risks cerebral oedema and circulatory collapse"),
         ("Intravenous sodium bicarbonate", "there is no acidosis"),
         ("Oral fluids at home", "severe dehydration and confusion need admission"),
         ("Restrict fluids", "fluid replacement is the main treatment")),
        "HHS develops over days in older people with type 2 diabetes; fluids alone lower glucose, and osmolality should fall no faster than 3-8 mOsm/kg/h.",
        known=("capillary glucose 48 mmol/L",),
    ),
    Condition(
        "thyroid_storm", "Thyroid storm", "metabolic", (20, 60),
        ("fever, palpitations and agitation", "agitation and a racing heart"), ("1 day", "2 days", "12 hours"),
        ("known Graves' disease, stopped carbimazole two months ago, now fever, agitation and palpitations after a chest infection",
         "tremor, a diffuse goitre with a bruit, and an irregular tachycardia"),
        ("diarrhoea", "weight loss"),
        ("lid lag", "warm, moist skin"),
        ("free T4 markedly raised with an undetectable TSH", "ECG shows atrial fibrillation"),
        "",
        _vitals(hr=(138, 160), sbp=(140, 170), temp=(38.8, 40.2), rr=(20, 26)),
        "hyperthyroid features with fever, tachyarrhythmia and agitation after a trigger",
        ("free T4, T3 and TSH", "ECG", "look for the trigger (infection, stopped treatment)", "Burch-Wartofsky score"),
        "Thyroid function tests (free T4, T3 and TSH)",
        (("Radioactive iodine uptake scan now", "delays treatment and is not used in the acute storm"),
         ("Lumbar puncture", "agitation and fever are explained by thyrotoxicosis"),
         ("CT head", "there are no focal signs"),
         ("Thyroid fine-needle aspiration", "for nodules, not thyrotoxicosis")),
        "Propranolol, propylthiouracil or carbimazole, then iodine an hour later, plus hydrocortisone",
        (("Radioactive iodine now", "can worsen thyrotoxicosis acutely"),
         ("Aspirin for the fever", "displaces thyroid hormone from binding proteins"),
         ("Levothyroxine", "adds thyroid hormone"),
         ("Immediate thyroidectomy", "surgery is unsafe until the patient is made euthyroid")),
        "Iodine is given at least an hour after the thionamide so it is not used to make more hormone.",
    ),
    Condition(
        "adrenal_crisis", "Adrenal crisis", "metabolic", (25, 70),
        ("vomiting and dizziness", "vomiting and collapse"), ("1 day", "2 days", "18 hours"),
        ("known Addison's disease with vomiting and unable to keep hydrocortisone down",
         "hypotension with hyperpigmented palmar creases and buccal mucosa"),
        ("a recent viral gastroenteritis", "increasing fatigue"),
        ("dry mucous membranes", "diffuse abdominal tenderness"),
        ("sodium 126 mmol/L", "potassium 5.8 mmol/L", "glucose 3.4 mmol/L"),
        "",
        _vitals(hr=(108, 126), sbp=(74, 88)),
        "hypotension with hyponatraemia and hyperkalaemia in known adrenal insufficiency",
        ("serum cortisol and ACTH before treatment (without delaying it)", "urea and electrolytes", "glucose"),
        "Random serum cortisol and ACTH taken before treatment",
        (("Short Synacthen test before treatment", "done later; treatment cannot wait for it"),
         ("CT of the adrenals", "does not change acute management"),
         ("24-hour urinary free cortisol", "tests for Cushing's syndrome"),
         ("Dexamethasone suppression test", "tests for Cushing's syndrome")),
        "Hydrocortisone 100 mg intravenously or intramuscularly at once with intravenous 0.9% sodium chloride",
        (("Wait for the cortisol result before treatment", "delay can be fatal"),
         ("Fludrocortisone alone", "too slow and does not replace glucocorticoid"),
         ("Double the oral hydrocortisone", "the patient is vomiting and cannot absorb it"),
         ("Intravenous insulin and glucose as the first step", "hyperkalaemia corrects with hydrocortisone and fluids")),
        "Patients with adrenal insufficiency double their hydrocortisone when ill and carry an emergency injection kit and a steroid card.",
    ),
    Condition(
        "sulfonylurea_hypoglycaemia", "Sulfonylurea-induced hypoglycaemia", "metabolic", (60, 90),
        ("confusion and sweating", "being found confused"), ("1 hour", "2 hours", "45 minutes"),
        ("type 2 diabetes treated with gliclazide, found confused and sweating", "tremor and pallor"),
        ("reduced food intake over recent days", "chronic kidney disease"),
        ("no focal neurological signs", "a GCS of 13"),
        ("capillary glucose 2.1 mmol/L", "eGFR 28 mL/min/1.73 m2"),
        "",
        _vitals(hr=(96, 112)),
        "neuroglycopenic and adrenergic symptoms with a low capillary glucose on a sulfonylurea",
        ("capillary glucose", "renal function", "review of medicines"),
        "Capillary blood glucose",
        (("Non-contrast CT of the head", "treat and recheck glucose first; confusion usually resolves"),
         ("HbA1c", "reflects months of control, not the acute state"),
         ("Electroencephalography", "unhelpful"),
         ("Serum insulin and C-peptide now", "used to investigate unexplained hypoglycaemia, not this")),
        "Intravenous glucose (10% glucose), then admission to observe for recurrent hypoglycaemia",
        (("Discharge after one sugary drink", "sulfonylurea hypoglycaemia recurs for many hours, especially with renal impairment"),
         ("Subcutaneous insulin", "worsens hypoglycaemia"),
         ("CT head before treatment", "glucose must be corrected first"),
         ("Increase the gliclazide dose", "the drug is the cause")),
        "Sulfonylureas accumulate in renal impairment; hypoglycaemia can recur for 24 hours or more, so patients are admitted and the drug is reviewed.",
    ),
)
CONDITION_BY_ID = {c.id: c for c in CONDITIONS}
GROUPS: dict[str, tuple[Condition, ...]] = {}
for _c in CONDITIONS:
    GROUPS[_c.group] = GROUPS.get(_c.group, ()) + (_c,)


def neighbours(cond: Condition, sex: str) -> list[Condition]:
    """The other conditions of its group that are plausible for this patient, in table order."""
    return [c for c in GROUPS[cond.group] if c.id != cond.id and not (c.sex_specific and c.sex != sex)]


# ---- writing a case down -------------------------------------------------------------

@dataclass(frozen=True)
class Vignette:
    text: str
    clues: tuple[str, ...]  # the clinical findings shown (key findings first)
    shown_results: tuple[str, ...]  # investigation results shown
    vitals: dict


def draw_vitals(rng: random.Random, cond: Condition) -> dict:
    out = {}
    for name, (lo, hi) in cond.vitals.items():
        out[name] = round(rng.uniform(lo, hi), 1) if isinstance(lo, float) else rng.randint(lo, hi)
    return out


def _fahrenheit(c: float) -> float:
    return round(c * 9 / 5 + 32, 1)


def draw_vignette(rng: random.Random, cond: Condition, person: Person, *, results: bool, confirmation: bool) -> Vignette:
    """A case of `cond`: the key findings always, a random subset of the rest; results only when asked."""
    history = [cond.key[0]] + some(rng, cond.history, 0, 2)
    exam = [cond.key[1]] + some(rng, cond.exam, 0, 2)
    shown = list(cond.known)
    if results:
        shown += some(rng, cond.results, min(1, len(cond.results)), len(cond.results))
        if confirmation and cond.confirmation:
            shown.append(cond.confirmation)
    v = draw_vitals(rng, cond)
    complaint, onset = rng.choice(cond.complaint), rng.choice(cond.onset)
    if rng.random() < 0.6:
        setting = rng.choice(("comes to the emergency department", "is brought to the emergency department",
                              "presents to the urgent care clinic"))
        parts = [f"A {person.short} {setting} because of {complaint} for {onset}.",
                 f"The history is notable for {'; '.join(history)}.",
                 f"{person.his.capitalize()} temperature is {v['temp']:.1f}°C ({_fahrenheit(v['temp'])}°F), pulse is {v['hr']}/min, "
                 f"respirations are {v['rr']}/min, and blood pressure is {v['sbp']}/{int(v['sbp'] * 0.62)} mm Hg. "
                 f"Pulse oximetry on room air shows an oxygen saturation of {v['spo2']}%.",
                 f"Examination shows {'; '.join(exam)}."]
        if shown:
            parts.append(sentence(f"Investigations: {'; '.join(shown)}"))
        text = " ".join(parts)
    else:
        lines = [f"Patient: {person.short}.",
                 f"Presenting complaint: {complaint} for {onset}.",
                 f"History: {'; '.join(history)}.",
                 f"Observations: T {v['temp']:.1f} °C, HR {v['hr']}/min, BP {v['sbp']}/{int(v['sbp'] * 0.62)} mm Hg, "
                 f"RR {v['rr']}/min, SpO2 {v['spo2']}% on room air.",
                 f"Examination: {'; '.join(exam)}."]
        if shown:
            lines.append(f"Investigations: {'; '.join(shown)}.")
        text = "\n".join(lines)
    return Vignette(text, tuple(history + exam), tuple(shown), v)


# Thresholds for calling an observation abnormal in the explanations (adult values).
def abnormal_observations(v: dict) -> list[str]:
    out = []
    if v["hr"] > 100:
        out.append(f"tachycardia ({v['hr']}/min)")
    elif v["hr"] < 50:
        out.append(f"bradycardia ({v['hr']}/min)")
    if v["sbp"] < 90:
        out.append(f"hypotension ({v['sbp']} mm Hg systolic)")
    elif v["sbp"] >= 160:
        out.append(f"raised blood pressure ({v['sbp']} mm Hg systolic)")
    if v["rr"] > 20:
        out.append(f"tachypnoea ({v['rr']}/min)")
    if v["spo2"] < 94:
        out.append(f"hypoxaemia (SpO2 {v['spo2']}%)")
    if v["temp"] >= 38.0:
        out.append(f"fever ({v['temp']:.1f} °C)")
    return out


def observations_line(v: dict) -> str:
    abnormal = abnormal_observations(v)
    if not abnormal:
        return (f"Observations: within normal limits (HR {v['hr']}, BP {v['sbp']} systolic, RR {v['rr']}, "
                f"SpO2 {v['spo2']}%, T {v['temp']:.1f} °C).")
    return "Observations: " + join_and(abnormal) + "."
