"""Regulatory compliance scenarios (-> regulatory_qa).

Each scenario is a GMP, data-integrity or GCP finding with the requirements
it breaches (21 CFR Parts 11, 50, 211 and 314; EU GMP chapters and Annexes
1, 11 and 15; ICH Q7, Q9(R1), Q10 and E6; ALCOA+), the containment,
investigation, CAPA and effectiveness check it calls for. The classification
is decided by explicit rules (see `classify`): every scenario has a baseline
(minor, major, critical) that is raised one step when a released batch may
be affected, and one step when the same event has recurred twice or more in
12 months (the earlier CAPA did not work).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from imi_lib.data.synthetic.common import Example, bullets

ADAPTER = "regulatory_qa"

MINOR, MAJOR, CRITICAL = "MINOR", "MAJOR", "CRITICAL"
CLASSES = (MINOR, MAJOR, CRITICAL)

# citation -> what it requires, written once and reused by every scenario
REQUIREMENTS: dict[str, str] = {
    "21 CFR 11.10(a)": "computerised systems must be validated for accuracy, reliability and the ability to discern invalid or altered records",
    "21 CFR 11.10(c)": "records must be protected so that they can be accurately and readily retrieved throughout the retention period",
    "21 CFR 11.10(d)": "system access must be limited to authorised individuals",
    "21 CFR 11.10(e)": "secure, computer-generated, time-stamped audit trails must record the creation, modification and deletion of records",
    "21 CFR 11.50(a)": "signed electronic records must show the signer's printed name, the date and time, and the meaning of the signature",
    "21 CFR 11.70": "electronic signatures must be linked to their records so they cannot be copied or transferred",
    "21 CFR 11.300(a)": "each combination of user ID and password must be unique to one person",
    "21 CFR 50.20 and 50.27(a)": "no subject may take part before legally effective informed consent is obtained and documented on a signed, dated form",
    "21 CFR 211.22": "the quality unit has the responsibility and authority to approve or reject all procedures, specifications and batches",
    "21 CFR 211.25(a)": "personnel must have the training to perform their assigned functions, in the particular operations they perform",
    "21 CFR 211.42(c)(10)": "aseptic processing areas need systems for monitoring environmental conditions",
    "21 CFR 211.67": "equipment must be cleaned and maintained at appropriate intervals to prevent contamination, following written procedures",
    "21 CFR 211.68(a)": "automatic, mechanical and electronic equipment must be calibrated and checked according to a written programme",
    "21 CFR 211.68(b)": "computer systems need controls so only authorised people change records, input and output are checked for accuracy, and data are backed up",
    "21 CFR 211.84(d)": "each component lot needs at least one identity test, and a supplier's certificate can replace full testing only after the supplier's results are validated",
    "21 CFR 211.100(a)": "production procedures, and any changes to them, must be drafted, reviewed and approved by the quality unit",
    "21 CFR 211.100(b)": "procedures must be followed and documented at the time of performance, with any deviation recorded and justified",
    "21 CFR 211.113(a)": "written procedures must prevent objectionable microorganisms in non-sterile drug products",
    "21 CFR 211.113(b)": "procedures must prevent microbiological contamination of sterile products, including validation of all aseptic processes",
    "21 CFR 211.125": "labelling issuance must be controlled and reconciled, with discrepancies investigated",
    "21 CFR 211.130(e)": "packaging and labelling lines must be inspected immediately before use to remove materials from previous operations (line clearance)",
    "21 CFR 211.142(b)": "drug products must be stored under appropriate conditions of temperature, humidity and light",
    "21 CFR 211.160(a)": "laboratory controls must be scientifically sound",
    "21 CFR 211.160(b)(4)": "instruments must be calibrated at suitable intervals, and instruments that fail calibration must not be used",
    "21 CFR 211.165": "each batch must be tested against its specifications before release",
    "21 CFR 211.180(e)": "the quality standards of each product must be evaluated at least annually using batch, complaint, recall and investigation data",
    "21 CFR 211.188": "batch production records must document each significant step as it is performed",
    "21 CFR 211.192": "any unexplained discrepancy or failure must be thoroughly investigated, extended to other batches that may be affected, and documented",
    "21 CFR 211.194(a)": "laboratory records must include complete data from all tests performed",
    "21 CFR 211.198": "written complaint procedures must ensure every complaint is reviewed and, where relevant, investigated",
    "21 CFR 312.60": "the investigator must obtain informed consent before the trial involves a subject",
    "21 CFR 314.70": "changes to an approved application (including a new component supplier where it matters to the filing) need the appropriate regulatory notification",
    "21 CFR 314.81(b)(1)": "a Field Alert Report is due within 3 working days of information that a distributed NDA/ANDA batch may fail its specifications",
    "EU GMP Annex 1 (2022), section 9": "Grade A zones have a 'no growth' limit for viable monitoring, and any excursion must be investigated with an impact assessment on the batches filled",
    "EU GMP Annex 1 (2022), aseptic process simulation": "a single contaminated unit fails the media fill; the line must be investigated and requalified by successful repeat simulations",
    "EU GMP Annex 11, section 4": "computerised systems and the spreadsheets that act as them must be validated",
    "EU GMP Annex 11, section 7": "data must be secured, backed up regularly and the restore process verified",
    "EU GMP Annex 11, section 9": "audit trails must be enabled for GMP-relevant changes and deletions and reviewed regularly",
    "EU GMP Annex 11, section 12": "access must be restricted to authorised persons by physical and logical controls",
    "EU GMP Annex 15, section 10": "cleaning procedures must be validated against limits based on toxicological evaluation",
    "EU GMP Annex 15, section 11": "changes must be controlled and their impact on validated status assessed",
    "EU GMP Chapter 1, section 1.10": "a product quality review must be done regularly, normally every year",
    "EU GMP Chapter 4, section 4.8": "records must be made or completed at the time each action is taken",
    "EU GMP Chapter 8": "complaints and quality defects must be investigated, with recall decisions made promptly where patients may be at risk",
    "ICH Q7, section 7": "materials must come from approved suppliers and be tested or verified on receipt",
    "ICH Q9(R1)": "quality risks must be assessed, controlled, communicated and reviewed with formality proportionate to the risk",
    "ICH Q10, section 2.7": "the company stays responsible for the quality of purchased materials and outsourced activities",
    "ICH Q10, section 3.2.2": "a CAPA system must find root causes and check that actions are effective",
    "ICH Q10, section 3.2.3": "a change management system must evaluate, approve and review changes using quality risk management",
    "ICH Q10, section 3.2.4": "management review must evaluate process performance and product quality",
    "ICH E6(R2), section 4.8.8": "the consent form must be signed and personally dated by the subject before participation in the trial",
    "FDA OOS guidance (2006, rev. 2022)": "an OOS result may only be invalidated when a documented laboratory investigation finds an assignable cause",
    "FDA data integrity Q&A (2018)": "all data, including 'trial' injections and uncontrolled worksheets, are CGMP records and must be retained and reviewed",
    "Ph. Eur. Purified Water (0008)": "purified water has an action limit of 100 CFU/mL for total viable aerobic count",
    "ICH Q1A(R2)": "stability data are the basis for judging the effect of a storage excursion",
}

ALCOA = {
    "attributable": "Attributable: every entry must show who did it",
    "legible": "Legible: records must be readable and permanent",
    "contemporaneous": "Contemporaneous: data are recorded when the work is done",
    "original": "Original: the first capture of the data (or a certified copy) is kept",
    "accurate": "Accurate: data are correct, with edits traceable",
    "complete": "Complete: all data, including repeats and failed runs, are kept",
    "consistent": "Consistent: the sequence of events is dated and traceable",
    "enduring": "Enduring: records survive for the retention period",
    "available": "Available: records can be retrieved for review and inspection",
}


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    category: str
    finding: str  # template; slots are filled from the drawn context
    baseline: str
    baseline_reason: str
    requirements: tuple[str, ...]
    immediate: tuple[str, ...]
    investigation: str
    capa: tuple[str, ...]
    effectiveness: str
    alcoa: tuple[str, ...] = ()
    sites: tuple[str, ...] = ("sterile", "oral", "api", "biologics", "packaging")
    batch: bool = True  # a batch is involved, so the release rule applies
    recurrence: bool = True  # the recurrence rule applies


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "shared_login", "Shared login on a chromatography data system", "data integrity",
        "QC analysts share a single generic login on the chromatography data system of {hplc}; {count} release tests for batch {batch} were run under it.",
        MAJOR, "results cannot be attributed to an individual",
        ("21 CFR 11.10(d)", "21 CFR 11.300(a)", "21 CFR 211.68(b)", "EU GMP Annex 11, section 12"),
        ("Disable the shared account and issue individual accounts with role-based privileges",
         "Secure the audit trail and data for the affected period"),
        "Establish who performed each affected test from logbooks, timesheets and instrument records, and review the audit trail for deletions or reprocessing",
        ("Separate administrator and analyst roles", "Introduce periodic user-access reviews",
         "Train staff on data-integrity expectations"),
        "Access reviews at 3 and 6 months find no shared accounts, and audit-trail reviews of release tests show no unexplained changes",
        alcoa=("attributable",), sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "audit_trail_off", "Audit trail disabled on a laboratory system", "data integrity",
        "An internal audit found the audit trail on the data system of {hplc} switched off for {days} days; results for {count} batches, including {batch}, were reported in that period.",
        MAJOR, "changes to GMP data in that period cannot be reconstructed",
        ("21 CFR 11.10(e)", "21 CFR 211.194(a)", "EU GMP Annex 11, section 9", "FDA data integrity Q&A (2018)"),
        ("Re-enable the audit trail and lock the configuration",
         "Identify every result generated while it was off"),
        "Determine who disabled it and why, and compare reported results with raw data and instrument logs for the affected batches",
        ("Restrict configuration rights to IT administrators independent of the laboratory",
         "Add audit-trail configuration to periodic system review", "Review audit trails as part of result approval"),
        "Configuration checks over 6 months confirm audit trails stay enabled and are reviewed before release",
        alcoa=("attributable", "complete", "consistent"), sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "trial_injections", "Unreported 'trial' injections", "data integrity",
        "Audit-trail review shows {count} unreported injections of batch {batch} samples on {hplc} before the reportable sequence; only the passing sequence was reported.",
        CRITICAL, "selective reporting is testing into compliance",
        ("21 CFR 211.194(a)", "21 CFR 211.160(a)", "21 CFR 211.192", "FDA data integrity Q&A (2018)"),
        ("Place all batches tested this way on hold", "Preserve the raw data and audit trails"),
        "Evaluate every unreported injection as a potential OOS result, and extend the review to other analysts, instruments and products",
        ("Prohibit trial injections; use system-suitability samples from a separate, documented source",
         "Make audit-trail review part of result approval", "Address any pressure to pass results through management review"),
        "Audit-trail review of all release tests for 6 months finds no unreported injections",
        alcoa=("complete", "original", "accurate"), sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "oos_invalidated", "OOS result invalidated without investigation", "laboratory",
        "An out-of-specification assay result for batch {batch} ({oos}% of label claim; specification 95.0-105.0%) was invalidated as 'analyst error' and the sample retested without a documented laboratory investigation.",
        MAJOR, "an OOS result was discarded without an assignable cause",
        ("21 CFR 211.192", "21 CFR 211.165", "FDA OOS guidance (2006, rev. 2022)"),
        ("Reinstate the original OOS result",),
        "Run a phase I laboratory investigation (instrument, standards, calculations, sample preparation), and a phase II full-scale investigation including manufacturing if no laboratory cause is proven",
        ("Revise the OOS procedure to forbid invalidation without an assignable cause",
         "Trend invalidated results by analyst and method", "Retrain laboratory staff on the OOS procedure"),
        "No OOS result is invalidated without a documented assignable cause over the next 6 months of trending",
        alcoa=("complete",), sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "backdating", "Batch record completed after the fact", "documentation",
        "An operator was seen completing the batch record for batch {batch} at the end of the shift, entering times for steps done {hours} hours earlier; one entry was backdated to the previous day.",
        MAJOR, "the record no longer shows when work was really done",
        ("21 CFR 211.100(b)", "21 CFR 211.188", "EU GMP Chapter 4, section 4.8"),
        ("Interview the operator and secure the original record",),
        "Reconstruct the real timeline from equipment logs, MES or access-control data, and find out why recording was delayed (workload, record design, culture)",
        ("Redesign the batch record so entries are made at the point of work",
         "Coach supervisors to check contemporaneous recording on the floor", "Reinforce good documentation practice training"),
        "Floor audits over 3 months find entries made at the time of each step",
        alcoa=("contemporaneous", "accurate", "consistent"), sites=("sterile", "oral", "api", "biologics", "packaging"),
    ),
    Scenario(
        "uncontrolled_forms", "Uncontrolled blank worksheets", "data integrity",
        "Analysts photocopy blank, unnumbered worksheets to record weighings for batch {batch}; {count} spoiled worksheets were found in a waste bin.",
        MAJOR, "results could be rewritten or discarded without trace",
        ("21 CFR 211.100(b)", "21 CFR 211.194(a)", "FDA data integrity Q&A (2018)"),
        ("Withdraw uncontrolled copies", "Retrieve and review the discarded worksheets"),
        "Compare the discarded worksheets with reported data and determine whether results were selectively recorded",
        ("Issue numbered, reconciled worksheets controlled by QA", "Reconcile issued forms at batch review",
         "Move weighing data to a validated electronic capture"),
        "Form reconciliation at every batch review for 6 months accounts for all issued worksheets",
        alcoa=("original", "complete"), sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "cold_room_excursion", "Storage temperature excursion", "storage and distribution",
        "Cold room {room} (2-8 °C) reached {temp} °C for {hours} hours over a weekend with {count} lots inside, including batch {batch}; the alarm was acknowledged but not escalated.",
        MAJOR, "product may have been exposed outside its labelled storage conditions",
        ("21 CFR 211.142(b)", "ICH Q1A(R2)", "21 CFR 211.192"),
        ("Quarantine the affected lots", "Verify the cold room is back in range and the alarm escalation works"),
        "Assess each lot against its stability data for the time and temperature of the excursion, and find why the alarm was not escalated",
        ("Fix the alarm call-out and escalation chain", "Retrain staff on alarm response",
         "Review the temperature-mapping and maintenance of the cold room"),
        "Quarterly alarm-challenge tests succeed and no excursion goes unescalated for 6 months",
        sites=("sterile", "biologics"),
    ),
    Scenario(
        "grade_a_excursion", "Viable excursion in the Grade A zone", "aseptic processing",
        "Environmental monitoring during filling of batch {batch} recovered {cfu} CFU on a Grade A settle plate at the filling needles.",
        CRITICAL, "sterility assurance for the batch is in question",
        ("EU GMP Annex 1 (2022), section 9", "21 CFR 211.113(b)", "21 CFR 211.42(c)(10)"),
        ("Identify the organism to species level",),
        "Review interventions, personnel monitoring, airflow and the filling record for the session, trend recent monitoring data and assess sterility assurance for the batch",
        ("Correct the root cause (intervention practice, gowning or airflow)", "Retrain and requalify involved operators",
         "Increase monitoring until trends return to baseline"),
        "Monitoring data return to baseline, and the next aseptic process simulation passes",
        sites=("sterile", "biologics"),
    ),
    Scenario(
        "media_fill_failure", "Failed aseptic process simulation", "aseptic processing",
        "A media fill on the line used for {product} had {cfu} contaminated units out of {units} filled.",
        CRITICAL, "the aseptic process is not demonstrated to be capable",
        ("EU GMP Annex 1 (2022), aseptic process simulation", "21 CFR 211.113(b)", "21 CFR 211.192"),
        ("Stop aseptic production on the line",
         "Assess every batch filled since the last successful simulation, including batch {batch}"),
        "Identify the contaminant, link it to interventions recorded during the simulation and review environmental and personnel monitoring",
        ("Correct the root cause", "Requalify the line with three consecutive successful simulations",
         "Review intervention design and operator qualification"),
        "Three consecutive successful simulations and stable monitoring data",
        sites=("sterile", "biologics"), recurrence=False,
    ),
    Scenario(
        "cleaning_residue", "Cleaning residue above the limit", "cleaning validation",
        "Swab results after cleaning {vessel} following a {api} campaign were {residue} µg/swab against a limit of 10 µg/swab, and batch {batch} of the next product had already been started in it.",
        MAJOR, "cross-contamination of the next product is possible",
        ("21 CFR 211.67", "EU GMP Annex 15, section 10", "ICH Q9(R1)"),
        ("Re-clean and re-sample {vessel} before further use",),
        "Estimate the possible carry-over into the batch against its health-based exposure limit, and find why cleaning failed (procedure, hold time, equipment design)",
        ("Revise and revalidate the cleaning procedure", "Require passing swab results before the next product starts"),
        "Three consecutive cleanings meet the limit, and no product starts before results are approved",
        sites=("oral", "api"),
    ),
    Scenario(
        "calibration_overdue", "Instrument used past its calibration date", "equipment",
        "Balance {balance} was used to dispense batch {batch} {days} days after its calibration fell due; the as-found calibration {as_found}.",
        MINOR, "a control lapsed, though the as-found result shows whether measurements were affected",
        ("21 CFR 211.68(a)", "21 CFR 211.160(b)(4)"),
        ("Remove the balance from use until calibrated", "List everything weighed on it since the due date"),
        "Use the as-found calibration to decide whether the weighings were accurate, and find why the calibration schedule was missed",
        ("Block overdue instruments in the equipment management system", "Review calibration scheduling and ownership"),
        "No instrument is used past its due date in 6 months of system checks",
        sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "unapproved_change", "Supplier change without change control", "change control",
        "The site switched to a new supplier of {excipient} for {product} without a change control; {count} batches, including {batch}, were made with the new material.",
        MAJOR, "the impact on the validated process and the registered dossier was never assessed",
        ("ICH Q10, section 3.2.3", "21 CFR 211.100(a)", "21 CFR 211.84(d)", "21 CFR 314.70"),
        ("Hold unreleased batches made with the new material", "Open a retrospective change control"),
        "Assess the new material's qualification, the effect on product quality and stability, and whether a regulatory submission was needed",
        ("Link purchasing to the change-control system so new suppliers cannot be ordered without approval",
         "Train procurement and production on change control"),
        "A 6-month review finds every material and supplier change raised through change control before use",
        sites=("oral", "api", "biologics"),
    ),
    Scenario(
        "recurring_deviation", "Recurring deviation closed as operator error", "CAPA",
        "{occurrences} deviations for {issue} on {line} in the last 12 months were each closed as 'operator error' with retraining; the latest affected batch {batch}.",
        MAJOR, "repeated events show the root cause was never found",
        ("ICH Q10, section 3.2.2", "21 CFR 211.192", "ICH Q9(R1)"),
        ("Review the {occurrences} deviation reports together",),
        "Investigate all occurrences together with a structured root-cause method (for example fishbone and 5 whys), looking beyond the operator at equipment, procedure and design",
        ("Fix the systemic cause", "Stop accepting retraining as the only action for repeat deviations",
         "Trend deviations by type and line at management review"),
        "No recurrence of the deviation in the 6 months after the CAPA is implemented",
        sites=("sterile", "oral", "biologics", "packaging"), recurrence=False,
    ),
    Scenario(
        "late_deviation", "Deviation investigation overdue", "deviation management",
        "The deviation for {issue} on batch {batch} has been open for {days} days against a 30-day procedure limit.",
        MINOR, "the investigation timeline was not met",
        ("21 CFR 211.192", "21 CFR 211.22", "ICH Q10, section 3.2.2"),
        ("Set a documented extension with a justified date",),
        "Complete the root-cause investigation and impact assessment, and find why it is overdue (resources, complexity)",
        ("Review the deviation backlog at weekly quality meetings", "Escalate deviations nearing their limit"),
        "Over 6 months at least 90% of deviations close within their procedure limit",
        sites=("sterile", "oral", "api", "biologics", "packaging"),
    ),
    Scenario(
        "untrained_operator", "Operator not trained on the procedure", "personnel",
        "An operator with no completed training record for the {step} procedure performed that step on batch {batch}.",
        MINOR, "the task was done by someone not shown to be qualified",
        ("21 CFR 211.25(a)",),
        ("Stop the operator from doing the task until trained",
         "Review the batch record for errors in the step"),
        "Check whether training was done but not recorded, and how scheduling allowed an untrained operator on the task",
        ("Link the training matrix to shift scheduling", "Complete and document the operator's training"),
        "Spot checks for 3 months find only trained operators on each task",
    ),
    Scenario(
        "unqualified_supplier", "Material from an unapproved supplier", "materials management",
        "An active substance lot used in batch {batch} came from a supplier not on the approved list and was accepted on the supplier's certificate of analysis without an identity test.",
        MAJOR, "the identity and quality of the active substance are unverified",
        ("21 CFR 211.84(d)", "ICH Q7, section 7", "ICH Q10, section 2.7"),
        ("Quarantine the remaining material and batch {batch}", "Test retained samples for identity and full specification"),
        "Find how the material bypassed supplier approval and whether other lots from the supplier were used",
        ("Block receipt of material from unapproved suppliers in the ERP system", "Qualify or reject the supplier through audit"),
        "No receipts from unapproved suppliers in 6 months, confirmed by a system report",
        sites=("oral", "sterile", "biologics"),
    ),
    Scenario(
        "particle_complaints", "Complaint trend: visible particles", "complaints",
        "{count} market complaints in two months report visible particles in {product} from batch {batch}.",
        MAJOR, "a potential quality defect in distributed product",
        ("21 CFR 211.198", "21 CFR 211.192", "EU GMP Chapter 8"),
        ("Examine retained samples and returned units", "Check other batches made on the same line"),
        "Identify the particles and trace their source (components, filling, process), and decide on the scope of affected batches",
        ("Fix the source of particles", "Add or tighten inspection for particles"),
        "Complaint rates for particles return to baseline over the following 6 months",
        sites=("sterile", "biologics"), recurrence=False,
    ),
    Scenario(
        "pqr_missing", "Annual product quality review not done", "quality system",
        "The annual product quality review for {product} covering last year is {days} days overdue; {count} batches were released in that period.",
        MAJOR, "trends in quality, deviations and complaints have not been evaluated",
        ("21 CFR 211.180(e)", "EU GMP Chapter 1, section 1.10", "ICH Q10, section 3.2.4"),
        ("Complete the review, now {days} days overdue, of the {count} released batches by a set deadline",),
        "Find why the review was missed and whether other products are overdue",
        ("Schedule reviews in the quality system with owners and escalation", "Report review status at management review"),
        "All product reviews are completed on schedule for the next cycle",
        batch=False,
    ),
    Scenario(
        "esignature_manifestation", "Electronic signature lacks its manifestation", "data integrity",
        "Batch {batch} was approved electronically in the manufacturing execution system, but the printed record shows only a username, with no printed name, date and time, or meaning of the signature.",
        MINOR, "the signature's meaning and time cannot be read from the record",
        ("21 CFR 11.50(a)", "21 CFR 11.70"),
        ("Confirm from the system that the approval was made by the right person at the right time",),
        "Check whether the system configuration or the report template drops the signature details",
        ("Correct the system configuration and validate the change", "Review other reports from the system"),
        "Printed and displayed records show full signature manifestations after the change",
        sites=("sterile", "oral", "api", "biologics", "packaging"),
    ),
    Scenario(
        "unvalidated_spreadsheet", "Unvalidated spreadsheet for release calculations", "computerised systems",
        "Potency results for batch {batch} are calculated in an unlocked, unvalidated spreadsheet whose formulas any analyst can edit.",
        MAJOR, "release results depend on an uncontrolled calculation",
        ("21 CFR 211.68(b)", "21 CFR 11.10(a)", "EU GMP Annex 11, section 4"),
        ("Verify the calculations for recent batches by independent manual calculation",),
        "Check the formulas against the method and look for evidence of edits",
        ("Validate and lock the spreadsheet or move the calculation into the validated data system",
         "Inventory all GMP spreadsheets and assess them"),
        "A spreadsheet inventory shows every GMP calculation tool validated and controlled",
        alcoa=("accurate",), sites=("sterile", "oral", "api", "biologics"),
    ),
    Scenario(
        "data_deleted", "Data deleted from a standalone instrument", "data integrity",
        "Files for {count} dissolution runs of batch {batch} were deleted from the standalone PC of {dissolution}; the PC has a shared local administrator account and no backup.",
        CRITICAL, "original GMP data were destroyed and cannot be reviewed",
        ("21 CFR 211.68(b)", "21 CFR 11.10(c)", "EU GMP Annex 11, section 7", "21 CFR 211.194(a)"),
        ("Take the PC out of use and preserve it for forensic review", "Hold batches whose data came from it"),
        "Recover what can be recovered, establish who deleted the files and why, and review all standalone systems",
        ("Connect instruments to a network with automated backup", "Remove local administrator rights from analysts",
         "Review audit trails of standalone systems regularly"),
        "Restore tests succeed and access reviews show no shared or analyst-level administrator accounts",
        alcoa=("original", "complete", "enduring", "available"), sites=("oral", "api", "sterile"),
    ),
    Scenario(
        "no_risk_assessment", "New equipment without a risk assessment", "quality risk management",
        "A new high-speed blister line ({line}) for {product} was brought into use without a documented quality risk assessment; the qualification tested only {tested} of the {modes} failure modes the vendor lists, and {packed} batches have been packed on it.",
        MAJOR, "known failure modes are uncontrolled",
        ("ICH Q9(R1)", "ICH Q10, section 3.2.3", "EU GMP Annex 15, section 11"),
        ("Assess the {packed} batches packed on {line} so far", "Add interim 100% checks for the untested failure modes"),
        "Carry out a formal risk assessment (for example FMEA) of all {modes} failure modes and compare it with the qualification, which covered {tested}",
        ("Extend qualification to the uncontrolled failure modes", "Require risk assessment in the change-control procedure for new equipment"),
        "The completed FMEA shows every high-risk failure mode controlled and verified",
        sites=("oral", "packaging"), batch=False,
    ),
    Scenario(
        "purified_water", "Purified water above the action limit", "utilities",
        "Purified water from use point {use_point} gave {water_cfu} CFU/mL on the day batch {batch} was granulated.",
        MAJOR, "water used in manufacture exceeded its microbial action limit",
        ("Ph. Eur. Purified Water (0008)", "21 CFR 211.113(a)", "21 CFR 211.192"),
        ("Resample {use_point} and the rest of the loop",),
        "Identify the organisms, assess them as objectionable or not for the product, and review sanitisation records and loop trends",
        ("Sanitise the loop and fix the cause (dead leg, temperature, filter)", "Increase sampling until trends recover"),
        "Three months of results below the alert level at all use points",
        sites=("oral", "api"),
    ),
    Scenario(
        "consent_after_procedures", "Informed consent after study procedures", "good clinical practice",
        "At a clinical trial site, participant {subject} signed the informed consent form {days} days after screening blood samples were taken.",
        MAJOR, "trial procedures were done before consent, breaching the participant's rights",
        ("ICH E6(R2), section 4.8.8", "21 CFR 50.20 and 50.27(a)", "21 CFR 312.60"),
        ("Report the deviation for participant {subject} to the sponsor and the IRB/ethics committee",
         "Decide with the sponsor whether the samples taken before consent can be used"),
        "Check the consent process for all participants at the site",
        ("Add a consent check to the screening checklist before any procedure", "Retrain site staff on the consent process"),
        "Monitoring of every new participant for 6 months shows consent dated before the first procedure",
        sites=("clinical",), batch=False,
    ),
    Scenario(
        "line_clearance", "Line clearance failure", "packaging",
        "During packaging of batch {batch} of {product}, {count} cartons of a different strength were found on the line after line clearance was signed as complete.",
        MAJOR, "a mix-up of strengths could reach patients",
        ("21 CFR 211.130(e)", "21 CFR 211.125", "21 CFR 211.192"),
        ("Stop the line and segregate all packed material",
         "Do a 100% check of packed units for the wrong strength"),
        "Find how the cartons survived clearance (procedure, checklist, line design) and reconcile all labelling materials",
        ("Redesign the line-clearance checklist with independent verification", "Remove unneeded material storage from the line"),
        "Independent line-clearance checks find no foreign materials over the next 6 months",
        sites=("oral", "packaging"),
    ),
)
SCENARIO_BY_ID = {s.id: s for s in SCENARIOS}

SITES = {
    "sterile": ("a sterile injectables plant", ("ceftriaxone 1 g powder for injection", "enoxaparin prefilled syringes",
                                                "ondansetron 2 mg/mL injection")),
    "oral": ("an oral solid dose facility", ("metformin 500 mg tablets", "amlodipine 5 mg tablets",
                                             "levothyroxine 50 microgram tablets", "atorvastatin 20 mg tablets")),
    "api": ("an active substance manufacturing site", ("ibuprofen (active substance)", "paracetamol (active substance)",
                                                       "atorvastatin calcium (active substance)")),
    "biologics": ("a biologics fill-finish site", ("a monoclonal antibody concentrate for infusion", "insulin glargine cartridges")),
    "packaging": ("a contract packaging site", ("sertraline 50 mg tablets in blisters", "omeprazole 20 mg capsules in bottles")),
    "clinical": ("a phase III clinical trial site", ("an investigational anticoagulant",)),
}


def classify(s: Scenario, released: bool, occurrences: int) -> tuple[str, list[str]]:
    """The classification and the reasons, rule by rule."""
    level = CLASSES.index(s.baseline)
    reasons = [f"Baseline {s.baseline.lower()}: {s.baseline_reason}."]
    if s.batch and released and level < CLASSES.index(CRITICAL):
        level += 1
        reasons.append(f"Raised to {CLASSES[level].lower()}: the affected batch has been released to market.")
    if s.recurrence and occurrences >= 2 and level < CLASSES.index(CRITICAL):
        level += 1
        reasons.append(f"Raised to {CLASSES[level].lower()}: the same event has occurred {occurrences} times before in 12 months, so earlier actions were ineffective.")
    return CLASSES[level], reasons


INSTRUCTIONS = (
    "You are a GMP compliance specialist. Identify which regulations apply to this finding and what must be done.",
    "As QA, classify this finding, cite the requirements it breaches, and outline containment, investigation and CAPA.",
    "Draft the quality response to this audit observation: applicable regulations, impact, and corrective and preventive actions.",
    "What regulatory requirements does this situation breach, how serious is it, and how should the company respond?",
)


def _batch_no(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.randint(20, 25)}-{rng.randint(1, 9999):04d}"


def draw_slots(rng: random.Random, s: Scenario, product: str, batch: str) -> dict:
    as_found_ok = rng.random() < 0.6
    return {
        "batch": batch, "product": product,
        "hplc": f"HPLC-{rng.randint(1, 40):02d}", "dissolution": f"dissolution bath DISS-{rng.randint(1, 12):02d}",
        "balance": f"BAL-{rng.randint(100, 399)}", "room": f"CR-{rng.randint(1, 9)}", "vessel": f"vessel V-{rng.randint(100, 899)}",
        "line": f"packaging line {rng.randint(1, 12)}", "use_point": f"POU-{rng.randint(1, 60):02d}",
        "subject": f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "count": rng.randint(3, 40), "days": rng.randint(5, 120), "hours": rng.randint(2, 60),
        "temp": round(rng.uniform(9.0, 18.0), 1), "cfu": rng.randint(1, 4), "units": rng.randint(5000, 12000),
        "oos": round(rng.choice((rng.uniform(88.0, 94.8), rng.uniform(105.2, 109.0))), 1),
        "residue": round(rng.uniform(11.0, 60.0), 1), "water_cfu": rng.randint(120, 900),
        "occurrences": rng.randint(3, 7), "packed": rng.randint(2, 400),
        "modes": rng.randint(9, 16), "tested": rng.randint(2, 6),
        "api": rng.choice(("methotrexate", "warfarin", "estradiol", "carbamazepine")),
        "excipient": rng.choice(("magnesium stearate", "microcrystalline cellulose", "croscarmellose sodium", "lactose monohydrate")),
        "issue": rng.choice(("tablet weight variation", "seal integrity failures", "missing batch-record entries",
                             "label misprints", "fill-volume rejects")),
        "step": rng.choice(("granulation end-point", "filter integrity testing", "visual inspection", "label reconciliation")),
        "as_found": "was within tolerance" if as_found_ok else "failed (reading 0.4% high)",
        "as_found_ok": as_found_ok,
    }


def generate(rng: random.Random) -> Example:
    s = rng.choice(SCENARIOS)
    site_key = rng.choice(s.sites)
    site_name, products = SITES[site_key]
    product = rng.choice(products)
    batch = _batch_no(rng)
    slots = draw_slots(rng, s, product, batch)
    released = s.batch and (s.id == "particle_complaints" or rng.random() < 0.25)
    occurrences = rng.choice((0, 0, 0, 0, 1, 1, 2, 3)) if s.recurrence else 0
    level, reasons = classify(s, released, occurrences)
    # an instrument that failed its as-found calibration may have given wrong weighings: treat like product impact
    if s.id == "calibration_overdue" and not slots["as_found_ok"] and level == MINOR:
        level = MAJOR
        reasons.append("Raised to major: the as-found calibration failed, so the weighings may be wrong.")
    finding = s.finding.format(**slots)

    lines_in = [f"Site: {site_name}.", f"Product: {product}.", f"Finding: {finding}"]
    if s.batch:
        lines_in.append(f"Batch status: {'released to market' if released else 'not yet released'}.")
    if s.recurrence:
        lines_in.append("History: first occurrence." if occurrences == 0 else
                        f"History: the same event occurred {'once' if occurrences == 1 else f'{occurrences} times'} in the previous 12 months.")

    immediate = [a.format(**slots) for a in s.immediate]
    if s.batch:
        immediate.append(
            f"Assess batch {batch} for recall with the Qualified Person and, for a US NDA/ANDA product, decide whether a Field Alert Report "
            f"is due within 3 working days (21 CFR 314.81(b)(1))" if released else
            f"Keep batch {batch} in quarantine until the investigation is closed and QA approves its disposition")
    out = [
        f"Classification: {level} ({s.category}: {s.title.lower()}) for {product} at {site_name}.",
        "Basis for the classification:", bullets(reasons),
        "Applicable requirements:", bullets([f"{c}: {REQUIREMENTS[c]}" for c in s.requirements]),
    ]
    if s.alcoa:
        out += ["ALCOA+ principles breached:", bullets([ALCOA[p] for p in s.alcoa])]
    out += [
        "Immediate actions:", bullets([a[0].upper() + a[1:] for a in immediate]),
        f"Investigation: {s.investigation.format(**slots)}.",
        "CAPA:", bullets([c.format(**slots) for c in s.capa]),
        f"Effectiveness check: {s.effectiveness}.",
    ]
    facts = {"scenario": s.id, "site": site_key, "batch": batch if s.batch else None, "released": released,
             "occurrences": occurrences, "classification": level}
    return Example(rng.choice(INSTRUCTIONS), "\n".join(lines_in), "\n".join(out), ADAPTER, f"compliance.{s.id}", facts)
