"""Demo: the PDSA ramps, the seven lessons and the change package v2.0 draft (DEMO.md §8, §10).

Every cycle is planned through `do_plan_cycle`, must pass each gate it went through (a demo cycle
that would not pass fails the command), and is dated inside the action periods; Sable Bay starts
in February 2009. Adoptions annotate the linked measures through `pdsa.annotations`. Acceptance
checks: the cycle count per team is the table's, and exactly AG 6.1, FD 5.2 and CL 2.1 trip the
lone-cycle flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from breakthrough.changes import actions as change_actions
from breakthrough.changes.models import ChangePackage
from breakthrough.collaboratives.models import Event
from breakthrough.pdsa import actions
from breakthrough.pdsa.models import STATES, PDSACycle, Ramp
from breakthrough.pdsa.quality import flag_map, with_flag_data

from . import DemoContext, DemoError

D = date


@dataclass
class Cycle:
    scale: str
    start: date
    end: date | None
    decision: str  # adopt, adapt, abandon, expand_scale; "" = open at close
    happened: str
    results: str = ""
    outcomes: tuple[str, ...] = ()
    learned: str = ""
    next_steps: str = ""
    problems: str = ""
    implementation: str = ""
    predictions: tuple[str, ...] = ()  # overrides the ramp's predictions
    decided: date | None = None  # default: 4 days after the end
    state: str = "decided"


@dataclass
class RampSpec:
    team: str
    idea: str
    title: str
    objective: str
    questions: tuple[tuple[str, str], ...]  # (question, prediction)
    what: str
    who: str
    where: str
    data_plan: str
    measures: tuple[str, ...]
    author: str
    cycles: list[Cycle] = field(default_factory=list)
    purpose: str = "test"


ADOPTED = "Run it as standard practice; review it at the monthly joint data review."

# fmt: off
RAMPS = [
    # Brightwater (13) ------------------------------------------------------------------------
    RampSpec(
        "BW", "1.1", "Daily match of intake lists against CW cases",
        "Can a daily match of the detention-intake list against child-welfare cases identify crossover youth the same day?",
        (("Does the match find every intake youth with an open or prior CW case?", "The match finds every crossover youth on the list"),),
        "Match the intake list against CW cases and compare with the agencies' monthly list", "Priya Raman, DCFS research unit", "DCFS research unit",
        "Count youth found and missed against the monthly hand-built list.", ("M1",), "bw-data",
        [
            Cycle("1 day's list, matched by hand", D(2008, 8, 4), D(2008, 8, 5), "adapt",
                  "Priya matched 9 intake youth against CW cases by hand in 2 hours.",
                  "7 of 9 crossover youth found; 2 missed on spelling.", ("not",),
                  "Names alone miss youth; the match needs the birth date.",
                  "Match on name and birth date for a full week.", problems="Spelling differences in names hid 2 youth."),
            Cycle("5 days, name + birth date", D(2008, 8, 18), D(2008, 8, 22), "adapt",
                  "31 intake youth matched over 5 days on name and birth date.",
                  "28 of 30 crossover youth found; 2 missed because CW knows them under an alias.", ("partly",),
                  "The birth date fixes spelling; aliases still slip through.",
                  "Add the CW alias table; run two weeks on all intake.", problems="Youth known under an alias were missed."),
            Cycle("2 weeks, all intake", D(2008, 9, 8), D(2008, 9, 19), "expand_scale",
                  "All 64 intake youth matched each morning by 9 a.m.",
                  "All 19 crossover youth found the same day.", ("confirmed",),
                  "The match works; doing it by hand does not last.",
                  "Automate it as a nightly script and run it for a month.", problems="Matching by hand takes 90 minutes a day."),
            Cycle("nightly script, 1 month", D(2008, 10, 31), D(2008, 11, 25), "adopt",
                  "The nightly script ran on 25 of 25 nights; the list reached intake by 7 a.m.",
                  "All 41 crossover youth found by morning; none missed.", ("confirmed",),
                  "An automated nightly match holds without extra staff time.",
                  "Run the script every night; the data contact checks the log each Monday.",
                  problems="One night the CW extract was late; the script re-ran at 6 a.m.",
                  implementation="The script is a DCFS scheduled job owned by the research unit; the data contact reviews its log weekly."),
        ], purpose="develop",
    ),
    RampSpec(
        "BW", "1.2", "Crossover flag on the probation intake screen",
        "Will a crossover flag on the probation intake screen prompt officers to call child welfare?",
        (("Do officers notice the flag and call CW?", "Officers see the flag for every flagged youth and call CW"),),
        "Show the crossover flag at intake and note what the officer does", "Marcus Feld, probation manager", "Detention intake",
        "Tally flagged youth, calls made and youth not on the nightly match.", ("M1",), "bw-lead",
        [
            Cycle("mock-up, 2 officers", D(2008, 9, 2), D(2008, 9, 5), "adapt",
                  "Two officers reviewed a paper mock-up of the screen during 6 intakes.",
                  "Both officers understood the flag; they would have called CW for 5 of 6 youth.", ("partly",),
                  "The flag is only as good as its source.", "Try a paper flag on intake files for 2 weeks.",
                  problems="Officers asked where the flag would come from."),
            Cycle("paper flag, 2 weeks", D(2008, 11, 10), D(2008, 11, 21), "abandon",
                  "Intake clerks put a paper flag on 14 files.",
                  "All 14 flags duplicated the nightly match; no new youth were found.", ("not",),
                  "The flag duplicates the nightly match.", "Stop the flag; rely on the nightly match (1.1).",
                  problems="Every flagged youth was already on the nightly match list."),
        ],
    ),
    RampSpec(
        "BW", "1.3", "CW liaison before detention",
        "Does calling the CW liaison before a detention decision change decisions for youth with an open CW case?",
        (("Is the liaison reachable in time?", "3 of 3 calls answered within 15 minutes"),
         ("Does the call change the decision?", "At least 1 of 3 youth returned to placement instead of detained")),
        "Call the CW liaison before each detention decision for the first eligible youth", "Tom Kessler, intake officer, day shift", "Detention intake",
        "Tally of call, answer and decision times.", ("M3",), "bw-lead",
        [
            Cycle("1 officer, 3 youth", D(2008, 11, 3), D(2008, 11, 7), "adapt",
                  "2 calls answered in 10 minutes, 1 after 40 (liaison in court).",
                  "2 of 3 met the prediction; 1 youth went back to placement with a safety plan.", ("partly", "confirmed"),
                  "The call can change the decision; one liaison alone is not always reachable.",
                  "Add a backup number; run a full week of day shifts.", problems="The liaison was in court for one call.",
                  decided=D(2008, 11, 10)),
            Cycle("day shift, 1 week", D(2008, 12, 1), D(2008, 12, 5), "adapt",
                  "Officers on the day shift called the liaison (or the backup) for 11 youth.",
                  "7 of 7 day-time calls answered within 15 minutes; 3 of 11 youth returned to placement.", ("confirmed", "confirmed"),
                  "The call works by day; evenings are the gap.",
                  "Add the CW after-hours on-call line and cover all shifts for 2 weeks.",
                  problems="4 youth arrived after 5 p.m., when no liaison answers.",
                  predictions=("All day-time calls answered within 15 minutes", "At least 2 youth returned to placement")),
            Cycle("all shifts, 2 weeks, on-call line", D(2009, 1, 12), D(2009, 1, 23), "expand_scale",
                  "All shifts called for 26 youth, using the on-call line after 5 p.m.",
                  "24 of 26 answered within 15 minutes; 8 youth returned to placement or kin instead of detention.", ("partly", "confirmed"),
                  "The on-call line covers the gap; a few slow answers remain.",
                  "Make the call standard on all shifts for 3 weeks.", problems="2 on-call calls took over 30 minutes.",
                  predictions=("All calls answered within 15 minutes", "At least 1 in 5 youth returned to placement")),
            Cycle("all shifts", D(2009, 4, 6), D(2009, 4, 24), "adopt",
                  "The call was made for 49 of 51 youth with an open CW case.",
                  "47 of 49 answered within 15 minutes; detention of crossover youth fell from about 40% to 28% of referrals.", ("confirmed", "confirmed"),
                  "A CW voice at the decision keeps youth out of detention for placement reasons.",
                  "Keep the call on every shift; review misses at the monthly joint data review.",
                  problems="Two calls were missed at a shift change.",
                  implementation="Written into the intake procedure; probation and DCFS review the liaison roster and on-call line monthly.",
                  predictions=("At least 9 in 10 calls answered within 15 minutes", "Detention of crossover youth falls")),
        ],
    ),
    RampSpec(
        "BW", "2.1", "Joint assessment meeting within 10 days",
        "Can we hold a joint child welfare, probation and family meeting within 10 days of identification?",
        (("Who comes?", "Both workers and a parent attend"), ("Is it timely?", "The meeting happens within 10 days")),
        "Convene the joint meeting and record attendance and timing", "Marcus Feld and a DCFS unit supervisor", "DCFS office",
        "Days from identification to meeting; who attended.", ("M5", "M7"), "bw-lead",
        [
            Cycle("2 youth", D(2009, 2, 2), D(2009, 2, 13), "adapt",
                  "Meetings held for 2 youth, on day 8 and day 13.",
                  "Both workers and a parent at both; 1 of 2 within 10 days.", ("confirmed", "partly"),
                  "Scheduling across three agencies is the bottleneck, not willingness.",
                  "Hold a standing Tuesday slot for one unit.", problems="Finding a time took a week of calls."),
            Cycle("Tuesday slot, 1 unit", D(2009, 4, 7), D(2009, 5, 1), "expand_scale",
                  "The Tuesday 2 p.m. slot held 7 meetings in 4 weeks.",
                  "A parent attended 6 of 7; all 7 within 10 days.", ("partly", "confirmed"),
                  "A standing slot removes the scheduling delay.",
                  "Open the slot to all units, with an evening slot once a month.",
                  problems="One family could not come during work hours."),
            Cycle("all units", D(2009, 5, 18), D(2009, 6, 19), "adopt",
                  "24 meetings in the Tuesday slot across all units.",
                  "Both workers and a parent at 20 of 24; 22 of 24 within 10 days.", ("partly", "confirmed"),
                  "One convener and a standing slot make joint meetings routine.", ADOPTED,
                  implementation="The DCFS unit supervisor convenes every Tuesday; probation books the slot at identification."),
        ], purpose="test",
    ),
    # Ashgrove (9) -----------------------------------------------------------------------------
    RampSpec(
        "AG", "1.1", "Weekly match by hand",
        "Can a match by hand of the intake list against CW cases identify crossover youth?",
        (("How many crossover youth does the match find?", "The match finds at least 8 in 10 crossover youth"),),
        "Match the week's intake list against CW records", "Sofia Lindqvist, probation data analyst", "Juvenile Probation",
        "Youth found by the match against the quarterly list.", ("M1",), "ag-sofia-lindqvist",
        [
            Cycle("by hand, 1 week", D(2008, 11, 10), D(2008, 11, 14), "adapt",
                  "Sofia matched 6 intake youth in 3 hours.", "4 of 6 found.", ("not",),
                  "Manual matching is slow and depends on faxes.", "Ask CW for an electronic extract and try 2 weeks.",
                  problems="CW records came by fax; two were illegible."),
            Cycle("2 weeks", D(2008, 12, 1), D(2008, 12, 12), "adapt",
                  "The CW extract arrived by e-mail; 12 youth matched.", "9 of 12 found; the extract came late twice.", ("not",),
                  "Without a daily extract the match lags.", "Run a month with the extract on a fixed day."),
            Cycle("1 month", D(2009, 1, 12), D(2009, 2, 6), "abandon",
                  "The match ran for 2 of 4 weeks.", "11 youth matched in 2 weeks; none in the last 2.", ("not",),
                  "The test stopped when the analyst was reassigned; nobody else could run it.",
                  "Stop until a senior leader assigns the match to a role, not a person.",
                  problems="The analyst was reassigned to a court project in week 3."),
        ],
    ),
    RampSpec(
        "AG", "2.1", "Joint meeting within 10 days",
        "Can we hold joint assessment meetings within 10 days of identification?",
        (("Are meetings timely?", "Meetings happen within 10 days"),),
        "Schedule and hold the joint meeting", "Ben Whitaker, Children's Services", "Children's Services",
        "Days from identification to meeting.", ("M5", "M7"), "ag-ben-whitaker",
        [
            Cycle("2 youth", D(2009, 2, 16), D(2009, 2, 27), "adapt",
                  "Two meetings held, on days 14 and 19.", "0 of 2 within 10 days.", ("not",),
                  "No one owned the scheduling.", "Try one unit with a named scheduler."),
            Cycle("1 unit", D(2009, 4, 13), D(2009, 5, 8), "adapt",
                  "The unit held 6 meetings.", "2 of 6 within 10 days.", ("not",),
                  "Scheduling fell apart when the scheduler changed.", "Run the unit again with the supervisor convening.",
                  problems="The scheduler left the unit in week 2."),
            Cycle("1 unit again", D(2009, 6, 1), D(2009, 6, 26), "adapt",
                  "The supervisor convened 7 meetings.", "3 of 7 within 10 days.", ("partly",),
                  "Meetings happen when the supervisor is there; leave weeks break the pattern.",
                  "Name a new convener with a deputy; keep one unit."),
            Cycle("1 unit, new convener", D(2009, 10, 5), None, "",
                  "The new convener has held 4 meetings so far.", state="doing"),
        ],
    ),
    RampSpec(
        "AG", "6.1", "Joint cross-training session",
        "Does a joint cross-training session change how CW and probation staff work together?",
        (("Do staff know whom to call?", "Staff report knowing whom to call in the other agency"),),
        "Run a half-day joint training and a follow-up survey", "Grace Kim and Ben Whitaker", "County training room",
        "Post-training survey; M1 and M5 in the following months.", ("M1", "M5"), "ag-ben-whitaker",
        [
            Cycle("1 session, 12 staff", D(2009, 3, 2), D(2009, 3, 13), "adopt",
                  "12 staff from both agencies attended the session on 10 March.",
                  "11 of 12 said they knew whom to call; no change in M1 or M5 followed.", ("confirmed",),
                  "Staff liked the training; we did not measure a change in practice.",
                  "Run the session twice a year.",
                  implementation="Cross-training is on the annual training calendar of both agencies."),
        ],
    ),
    RampSpec(
        "AG", "5.2", "Evening joint meetings",
        "Will families attend joint meetings held in the evening?",
        (("Does the family come?", "The family attends an evening meeting"),),
        "Hold one joint meeting after 6 p.m.", "Kayla Moreno, youth partner, and Ben Whitaker", "Northside Community Center",
        "Attendance at the meeting.", ("M7",), "ag-youth",
        [
            Cycle("1 family", D(2009, 5, 11), D(2009, 5, 22), "abandon",
                  "An evening meeting was set for one family and then cancelled.", "0 of 1 meetings held.", ("not",),
                  "Overtime rules block evening meetings.", "Drop evening meetings until the staff agreement changes.",
                  problems="Overtime rules do not allow probation staff to meet after 5 p.m."),
        ],
    ),
    # Sable Bay (8), from February 2009 ------------------------------------------------------
    RampSpec(
        "SB", "1.5", "Pre-filing diversion conference",
        "Can a pre-filing conference with the family, child welfare and probation divert crossover youth from formal charges?",
        (("Does the prosecutor divert?", "The prosecutor diverts at least half of the youth conferenced"),),
        "Hold the conference before the petition is filed", "Monique Baptiste, probation supervisor", "Juvenile Probation",
        "Youth conferenced and diverted, from the prosecutor's log.", ("M4",), "sb-monique-baptiste",
        [
            Cycle("2 youth", D(2009, 2, 9), D(2009, 2, 20), "adapt",
                  "Two conferences held with family and probation.", "1 of 2 diverted.", ("confirmed",),
                  "The prosecutor needs to hear from child welfare.", "Invite the CW worker; run a month with one prosecutor.",
                  problems="No CW worker attended; the prosecutor asked about placement."),
            Cycle("1 prosecutor, 1 month", D(2009, 3, 2), D(2009, 3, 26), "adapt",
                  "Five conferences with one prosecutor; the CW worker came to 3.",
                  "3 of 5 diverted; the 2 without a CW worker were not.", ("confirmed",),
                  "Diversion follows when the CW worker speaks to the placement plan.",
                  "Always include the CW worker; extend to all group-home referrals for 6 weeks.", decided=D(2009, 3, 30)),
            Cycle("group-home referrals, 6 weeks", D(2009, 4, 13), D(2009, 5, 22), "expand_scale",
                  "Ten conferences for group-home referrals, each with the CW worker.", "7 of 10 diverted.", ("confirmed",),
                  "It works for group-home referrals too.", "Offer the conference for all crossover referrals."),
            Cycle("all crossover referrals", D(2009, 6, 1), D(2009, 6, 26), "adopt",
                  "17 conferences held.", "11 of 17 diverted; diversion rose from about 20% to 45%.", ("confirmed",),
                  "A conference with the CW worker diverts most crossover youth.", "Review diverted cases monthly.",
                  implementation="The conference is in the prosecutor–probation protocol; CW attends every one."),
        ],
    ),
    RampSpec(
        "SB", "1.6", "Group-home incident protocol",
        "Will a group-home incident protocol cut arrests for minor behaviour?",
        (("Do minor incidents still lead to arrest?", "No arrest for a minor incident in the home during the test"),),
        "Use the protocol for every incident and log the response", "Rosa Delgado and the group-home director", "Group homes",
        "Incident log: incidents, police calls, arrests.", ("M4",), "sb-monique-baptiste",
        [
            Cycle("1 home", D(2009, 7, 6), D(2009, 7, 31), "adapt",
                  "The home logged 6 minor incidents.", "1 arrest in 6 minor incidents.", ("not",),
                  "Night staff did not know the protocol.", "Train night staff; try 3 homes.",
                  problems="Night staff called the police for one incident."),
            Cycle("3 homes", D(2009, 8, 10), D(2009, 8, 28), "adopt",
                  "Three homes used the protocol, night staff included.", "0 arrests in 11 minor incidents.", ("confirmed",),
                  "Trained staff of all shifts keep minor incidents out of court.", "Offer the protocol to the remaining homes.",
                  implementation="The 3 homes signed the protocol; dispatch flags calls from them.", decided=D(2009, 8, 31)),
        ],
    ),
    RampSpec(
        "SB", "4.2", "One-page sharing guide",
        "Will a one-page 'what we can share' guide make intake staff share information?",
        (("Do staff share the CW status at intake?", "Staff share the CW status for every crossover youth"),),
        "Hand out the guide and note each intake where it is used", "Harold Nguyen and Kevin O'Rourke", "Intake units",
        "Intakes where the CW status was shared.", ("M1", "M2"), "sb-kevin-orourke",
        [
            Cycle("5 workers", D(2009, 8, 3), D(2009, 8, 14), "adapt",
                  "Five workers used the guide for 11 youth.", "CW status shared for 9 of 11 youth.", ("partly",),
                  "Workers want the contacts on the back.", "Add contacts; give it to all intake staff."),
            Cycle("all intake staff", D(2009, 9, 14), D(2009, 9, 25), "adopt",
                  "Every intake worker has the guide.", "CW status shared for 21 of 23 youth.", ("confirmed",),
                  "A one-page guide changes practice where the MOU alone did not.", "Share the guide with the other teams.",
                  implementation="The guide is in every intake packet and reviewed each quarter."),
        ],
    ),
    # Corliss Valley (11) ----------------------------------------------------------------------
    RampSpec(
        "CV", "4.4", "Crossover alert within 24 hours",
        "Can an alert reach both workers within 24 hours of a crossover youth's arrest?",
        (("Are both workers alerted in time?", "Both workers alerted within 24 hours"),),
        "Send the alert and log when each worker received it", "Emily Chen, court services", "Juvenile Court Services",
        "Hours from arrest to each worker's alert.", ("M2",), "cv-emily-chen",
        [
            Cycle("3 youth", D(2008, 8, 11), D(2008, 8, 22), "adapt",
                  "Alerts sent for 3 youth by e-mail.", "2 of 3 within 24 hours.", ("partly",),
                  "Weekend arrests wait until Monday.", "Alert for all youth for 2 weeks."),
            Cycle("all, 2 weeks", D(2008, 9, 15), D(2008, 9, 26), "adapt",
                  "Alerts sent for 12 youth.", "8 of 12 within 24 hours; the 4 late ones were after hours.", ("partly",),
                  "After-hours arrests need another route.", "Send the alert through the sheriff's dispatch, which runs all night."),
            Cycle("all, via sheriff's dispatch", D(2008, 11, 3), D(2008, 12, 5), "adopt",
                  "Dispatch sent every alert to both workers' on-call numbers.", "15 of 15 within 24 hours.", ("confirmed",),
                  "Dispatch reaches workers at any hour.", "Report M2 monthly.",
                  implementation="Dispatch sends the alert; court services checks the log weekly."),
        ],
    ),
    RampSpec(
        "CV", "1.5", "Diversion conference before filing",
        "Will a diversion conference before filing divert crossover youth?",
        (("Is the youth diverted?", "At least half of the conferenced youth are diverted"),),
        "Hold the conference and record the prosecutor's decision", "Janet Albright, juvenile court services", "Courthouse",
        "Conferences and diversions.", ("M4",), "cv-janet-albright",
        [
            Cycle("2 youth", D(2008, 11, 10), D(2008, 11, 21), "adapt",
                  "Two conferences held.", "1 of 2 diverted.", ("confirmed",),
                  "The family's voice helped the decision.", "Run it for a month."),
            Cycle("1 month", D(2009, 1, 5), D(2009, 1, 30), "expand_scale",
                  "Six conferences in January.", "4 of 6 diverted.", ("confirmed",),
                  "It holds over a month.", "Offer it for all crossover referrals."),
            Cycle("all", D(2009, 2, 9), D(2009, 3, 20), "adopt",
                  "Thirteen conferences.", "9 of 13 diverted.", ("confirmed",),
                  "Most crossover youth can be diverted with a conference.", ADOPTED,
                  implementation="Court services schedules a conference for every crossover referral."),
        ],
    ),
    RampSpec(
        "CV", "3.3", "One judge, one family",
        "Does assigning one judge to both cases of a dual-status youth give one coordinated plan?",
        (("Are both cases heard together?", "Both cases heard together at the first hearing"),),
        "Docket both cases before one judge", "Janet Albright and the presiding judge", "Juvenile Court",
        "Dual cases heard together, and days to the joint hearing.", ("M5", "M6"), "cv-janet-albright",
        [
            Cycle("2 cases", D(2009, 4, 13), D(2009, 5, 8), "adapt",
                  "Two dual cases docketed together.", "2 of 2 heard together; scheduling took 3 weeks.", ("confirmed",),
                  "It works; scheduling must be faster.", "All new dual cases, with a weekly docket slot."),
            Cycle("all new dual cases", D(2009, 5, 18), D(2009, 6, 19), "adopt",
                  "Eight new dual cases docketed together.", "7 of 8 heard together within 10 days.", ("confirmed",),
                  "One judge gives one plan.", ADOPTED,
                  implementation="The presiding judge's order assigns every dual case to one judge."),
        ],
    ),
    RampSpec(
        "CV", "7.2", "Joint monthly data review",
        "Will a joint monthly data review by agency leaders keep the measures on track?",
        (("Do leaders attend and act?", "Every agency leader attends and at least one action is agreed"),),
        "Review the month's charts together", "Emily Chen, data contact", "Courthouse",
        "Attendance and actions agreed.", ("M2", "M4"), "cv-emily-chen",
        [
            Cycle("1 meeting", D(2009, 7, 6), D(2009, 7, 17), "adapt",
                  "One review meeting held.", "3 of 4 leaders attended; 2 actions agreed.", ("partly",),
                  "The sheriff's office must be at the table.", "Hold it monthly with the sheriff invited."),
            Cycle("monthly", D(2009, 8, 3), D(2009, 8, 28), "adopt",
                  "Two monthly reviews held.", "4 of 4 leaders at both; 3 actions closed.", ("confirmed",),
                  "A standing review keeps leaders looking at the data.", ADOPTED,
                  implementation="The review is on every leader's calendar for the first Monday of the month.", decided=D(2009, 9, 1)),
        ],
    ),
    RampSpec(
        "CV", "5.3", "Peer advocate prepares the youth",
        "Does a peer advocate preparing the youth help the youth speak at the joint meeting?",
        (("Does the youth speak?", "The youth speaks at the meeting"),),
        "Meet the youth before the joint meeting", "Jordan Ellis, youth partner", "Valley Youth Voice",
        "Whether the youth spoke; the youth's feedback card.", ("M7",), "cv-samuel-ortiz",
        [
            Cycle("1 youth", D(2009, 10, 5), D(2009, 10, 16), "abandon",
                  "Jordan met the youth twice before the meeting.", "The youth spoke at the meeting.", ("confirmed",),
                  "It works, but there is no funded advocate beyond the test.",
                  "Drop it until funding is found; raise it with the sponsor."),
        ],
    ),
    # Farrowdale (10) --------------------------------------------------------------------------
    RampSpec(
        "FD", "2.1", "Joint meeting with a distant CW worker",
        "Can a small county hold joint meetings within 10 days when the CW worker is 80 miles away?",
        (("Is the meeting timely, with both workers?", "Meeting within 10 days with both workers"),),
        "Hold the joint meeting", "Matt Dorsey, probation officer", "Probation office",
        "Days to meeting; who took part.", ("M5", "M7"), "fd-matt-dorsey",
        [
            Cycle("1 youth", D(2008, 11, 3), D(2008, 11, 14), "adapt",
                  "The meeting was held on day 12.", "Not within 10 days; the CW worker could not travel.", ("not",),
                  "Distance, not will, is the barrier.", "The distant CW worker joins by phone."),
            Cycle("3 youth", D(2008, 12, 1), D(2008, 12, 19), "adapt",
                  "Three meetings, the CW worker by phone.", "3 of 3 held; 2 within 10 days.", ("partly",),
                  "Phone works; the line must be booked ahead.", "All youth, with a booked conference line."),
            Cycle("all", D(2009, 1, 12), D(2009, 2, 13), "adopt",
                  "Five meetings with a booked line.", "5 of 5 within 10 days, both workers present.", ("confirmed",),
                  "A booked phone line brings the distant worker in.", ADOPTED,
                  implementation="Probation books the line when the youth is identified."),
        ],
    ),
    RampSpec(
        "FD", "5.1", "Family partner contacts the family first",
        "Will families come to the joint meeting if the family partner contacts them first?",
        (("Does the family attend?", "The family attends the joint meeting"),),
        "Call and visit the family before the meeting", "Dale Hutchins, family partner", "Family homes",
        "Attendance at the meeting.", ("M7",), "fd-matt-dorsey",
        [
            Cycle("1 family", D(2008, 12, 1), D(2008, 12, 12), "adapt",
                  "Dale visited the family 3 days before.", "The family attended.", ("confirmed",),
                  "A known face makes the difference.", "Try 3 families."),
            Cycle("3 families", D(2009, 1, 12), D(2009, 1, 30), "expand_scale",
                  "Dale contacted 3 families.", "3 of 3 attended.", ("confirmed",),
                  "It holds for several families.", "Do it for every family."),
            Cycle("all", D(2009, 2, 9), D(2009, 3, 13), "adopt",
                  "Dale contacted all 7 families.", "6 of 7 attended.", ("confirmed",),
                  "Families come when someone they know invites them.", ADOPTED,
                  implementation="The family partner is called at identification, before the meeting is set."),
        ],
    ),
    RampSpec(
        "FD", "5.2", "After-hours meetings with transport",
        "Will families attend more if meetings are after work hours, with transport?",
        (("Do families attend evening meetings?", "Families attend evening meetings"),),
        "Hold joint meetings after 5 p.m. and offer a ride", "Ruth Engstrom, Human Services", "Human Services office",
        "Attendance.", ("M7",), "fd-matt-dorsey",
        [
            Cycle("all", D(2009, 4, 6), D(2009, 5, 1), "adopt",
                  "Five evening meetings, two with a ride.", "5 of 5 families attended.", ("confirmed",),
                  "Evening meetings suit working parents.", ADOPTED,
                  implementation="Evening slots are offered to every family."),
        ],
    ),
    RampSpec(
        "FD", "6.2", "Job shadowing across agencies",
        "Does a day shadowing the other agency help workers coordinate?",
        (("Does the worker change practice?", "The worker names two things to do differently"),),
        "Spend one day with the other agency", "Matt Dorsey and Carol Pike", "Probation and Human Services",
        "The worker's list of changes.", (), "fd-matt-dorsey",
        [
            Cycle("1 worker", D(2009, 5, 11), D(2009, 5, 22), "adapt",
                  "One probation officer shadowed a CW worker.", "The worker named 3 changes.", ("confirmed",),
                  "Shadowing opens eyes.", "Try 2 workers."),
            Cycle("2 workers", D(2009, 6, 8), D(2009, 6, 19), "abandon",
                  "One of 2 shadow days happened.", "No cover for caseloads; the second day was cancelled.", ("not",),
                  "The staff are too thin to free a day.", "Drop it; use joint supervision instead."),
        ],
    ),
    RampSpec(
        "FD", "2.5", "School liaison at the joint meeting",
        "Does a school liaison at the joint meeting settle the youth's school plan?",
        (("Is a school plan agreed?", "A school plan is agreed at the meeting"),),
        "Invite the school counsellor to the meeting", "Angela Ruiz, school counsellor", "School",
        "Plans agreed at the meeting.", ("M5",), "fd-matt-dorsey",
        [
            Cycle("2 meetings", D(2009, 10, 19), D(2009, 11, 13), "adapt",
                  "The counsellor joined 2 meetings.", "1 of 2 meetings agreed a school plan.", ("partly",),
                  "The counsellor needs the records before the meeting.", "Invite the counsellor to every meeting in January, with records."),
        ],
    ),
    # Granite Plains (8) -----------------------------------------------------------------------
    RampSpec(
        "GP", "4.1", "Crossover information-sharing MOU",
        "Can we get the three agencies to sign a crossover information-sharing MOU?",
        (("Will the agencies sign?", "All three agencies sign"),),
        "Draft, review and circulate the MOU", "Wes Calder, regional manager", "Regional office",
        "Signatures and review time.", ("M2",), "gp-lead",
        [
            Cycle("draft to county attorney", D(2008, 11, 3), D(2008, 11, 28), "adapt",
                  "The draft went to the county attorney.", "Approved in 3 weeks with 2 changes.", ("partly",),
                  "Legal review is quick when the draft is short.", "Collect signatures.",
                  predictions=("The county attorney approves the draft within 4 weeks",)),
            Cycle("signed by 2 of 3 agencies", D(2009, 2, 2), D(2009, 3, 13), "adapt",
                  "Family Services and probation signed.", "2 of 3 signed; the school district asked for a student-records clause.", ("partly",),
                  "Schools need their own clause.", "Add the student-records clause."),
            Cycle("all", D(2009, 4, 6), D(2009, 5, 8), "adopt",
                  "The revised MOU went to all three.", "3 of 3 signed.", ("confirmed",),
                  "The MOU is in place; it will not change practice by itself.", "Train staff on what the MOU allows.",
                  implementation="The MOU is filed with each agency and reviewed yearly.", decided=D(2009, 5, 12)),
        ], purpose="implement",
    ),
    RampSpec(
        "GP", "4.4", "Phone alert within 24 hours",
        "Can a phone alert reach both workers within 24 hours?",
        (("Are both workers alerted in time?", "Both workers alerted within 24 hours"),),
        "Phone both workers after an arrest", "Holly Brandt, probation officer", "District probation",
        "Hours from arrest to each call.", ("M2",), "gp-lead",
        [
            Cycle("2 youth", D(2009, 6, 8), D(2009, 6, 26), "adapt",
                  "Calls made for 2 youth.", "1 of 2 within 24 hours.", ("partly",),
                  "A weekend arrest waited; an on-call number is needed.", "All youth, with the on-call number."),
            Cycle("all", D(2009, 7, 13), D(2009, 8, 21), "adopt",
                  "Calls made for 3 youth.", "3 of 3 within 24 hours.", ("confirmed",),
                  "The phone alert works in a frontier county.", ADOPTED,
                  implementation="The call is on the probation intake checklist."),
        ],
    ),
    RampSpec(
        "GP", "2.1", "Joint meeting by video",
        "Can the joint meeting be held by video across the region?",
        (("Does the video hold?", "The meeting runs by video without dropping"),),
        "Hold the joint meeting by video", "Holly Brandt, probation officer", "District probation and regional office",
        "Connection log; attendance.", ("M5",), "gp-lead",
        [
            Cycle("1 youth", D(2009, 2, 2), D(2009, 2, 13), "abandon",
                  "The meeting started by video.", "The video dropped 4 times; the meeting moved to the phone.", ("not",),
                  "The bandwidth is not there.", "Try a phone conference instead (new ramp)."),
        ],
    ),
    RampSpec(
        "GP", "2.1", "Joint meeting by phone conference",
        "Can the joint meeting be held as a phone conference?",
        (("Is the meeting timely with everyone on the line?", "Meeting within 10 days with all parties on the line"),),
        "Hold the joint meeting by phone conference", "Holly Brandt, probation officer", "By phone",
        "Days to meeting; who was on the line.", ("M5",), "gp-lead",
        [
            Cycle("1 youth", D(2009, 9, 14), D(2009, 9, 25), "adapt",
                  "One phone conference.", "Held on day 9 with everyone on the line.", ("confirmed",),
                  "Phone works where video did not.", "Try 2 youth."),
            Cycle("2 youth", D(2009, 11, 9), None, "",
                  "The first of two phone conferences was held.", state="doing"),
        ],
    ),
    # Cloudwater (9) ---------------------------------------------------------------------------
    RampSpec(
        "CL", "4.4", "Tribal notification within 24 hours",
        "Can the Nation be notified within 24 hours when a tribal youth with a CW case is arrested?",
        (("Is the Nation notified in time?", "The Nation's ICWA worker is notified within 24 hours"),),
        "Notify the ICWA worker after an arrest", "Shannon Ames, ICWA caseworker", "Nation Family Services",
        "Hours from arrest to notification.", ("M2",), "cl-data",
        [
            Cycle("2 youth", D(2008, 8, 4), D(2008, 8, 22), "adapt",
                  "Notifications for 2 youth.", "1 of 2 within 24 hours.", ("partly",),
                  "State probation did not know whom to call.", "State probation calls the tribal on-call line."),
            Cycle("state probation calls the tribal on-call line", D(2008, 9, 15), D(2008, 10, 10), "adapt",
                  "Probation called the on-call line for 3 youth.", "2 of 3 within 24 hours.", ("partly",),
                  "The line works; one call went to an old number.", "Update the number; do it for all youth."),
            Cycle("all", D(2008, 11, 3), D(2009, 1, 9), "adopt",
                  "Notifications for 4 youth.", "4 of 4 within 24 hours.", ("confirmed",),
                  "The on-call line makes notification routine.", ADOPTED,
                  implementation="The tribal on-call number is in the state probation manual."),
        ],
    ),
    RampSpec(
        "CL", "5.1", "Elder or family partner invites the family",
        "Do families come when an elder or family partner invites them?",
        (("Does the family attend?", "The family attends the joint meeting"),),
        "Invite the family in person", "Martha Lane, Elders Council", "Family homes",
        "Attendance.", ("M7",), "cl-data",
        [
            Cycle("1 family", D(2009, 1, 19), D(2009, 1, 30), "adapt",
                  "Martha invited one family.", "The family came, with the grandmother.", ("confirmed",),
                  "An elder's invitation is heard.", "Invite every family."),
            Cycle("all", D(2009, 2, 9), D(2009, 3, 13), "adopt",
                  "Invitations to 3 families.", "3 of 3 families attended.", ("confirmed",),
                  "Families come when someone they know invites them.", ADOPTED,
                  implementation="The Elders Council invites every family."),
        ],
    ),
    RampSpec(
        "CL", "2.1", "Joint meeting at the tribal family centre",
        "Are joint meetings better attended at the tribal family centre?",
        (("Do youth and family attend?", "Youth and family attend"),),
        "Hold the joint meeting at the family centre", "Lorraine Castillo, Family Services", "Tribal family centre",
        "Attendance.", ("M5", "M7"), "cl-data",
        [
            Cycle("all", D(2009, 4, 13), D(2009, 5, 15), "adopt",
                  "Two meetings at the centre.", "Youth and family attended both.", ("confirmed",),
                  "The centre is where families feel at home.", ADOPTED,
                  implementation="Joint meetings are held at the family centre."),
        ],
    ),
    RampSpec(
        "CL", "7.1", "Monthly count from the tribal court docket",
        "Can we count crossover youth each month from the tribal court docket?",
        (("Does the count match?", "The docket count matches the state list"),),
        "Count crossover youth on the docket and compare", "Shannon Ames and Daniel Wolfe", "Tribal Court",
        "Docket count against the state list.", ("M1",), "cl-data",
        [
            Cycle("1 month", D(2009, 6, 1), D(2009, 6, 30), "adapt",
                  "June's docket counted.", "Docket count 2, state list 1.", ("not",),
                  "The state list misses tribal cases.", "Count two months and reconcile."),
            Cycle("2 months", D(2009, 7, 13), D(2009, 8, 28), "adapt",
                  "July and August counted.", "Counts matched in 1 of 2 months.", ("partly",),
                  "Reconciling needs the state's case numbers of the month, in aggregate only.",
                  "Make it a standing monthly count.", decided=D(2009, 9, 1)),
            Cycle("ongoing", D(2009, 9, 14), D(2009, 11, 13), "adopt",
                  "September and October counted.", "Counts matched in 2 of 2 months.", ("confirmed",),
                  "A docket count gives the Nation its own number.", ADOPTED,
                  implementation="The court administrator counts on the first working day of each month."),
        ],
    ),
]
# fmt: on

EXPECTED = {"BW": 13, "AG": 9, "SB": 8, "CV": 11, "FD": 10, "GP": 8, "CL": 9}
LONE = {("AG", "6.1"), ("FD", "5.2"), ("CL", "2.1")}

LESSONS = [
    (
        "Identification holds only with an automated daily match.",
        "Brightwater's nightly match found every crossover youth from November 2008 and M1 rose from "
        "45% to about 78%; Ashgrove's match by hand stopped when its analyst was reassigned.",
        ["1.1", "7.1"],
        [("BW", "1.1"), ("AG", "1.1")],
        ["M1"],
        "implemented",
        True,
    ),
    (
        "A child-welfare voice at the detention decision prevents placement-driven detentions.",
        "Brightwater's liaison call and Sable Bay's conference with the CW worker kept youth in "
        "placement; Brightwater's M3 fell from about 40% to 27% from May 2009.",
        ["1.3", "1.5"],
        [("BW", "1.3"), ("SB", "1.5")],
        ["M3", "M4"],
        "spread",
        True,
    ),
    (
        "Joint meetings need one convener and a standing slot.",
        "Brightwater's Tuesday slot and Farrowdale's booked phone line made meetings within 10 days "
        "routine; Ashgrove's meetings slipped whenever the scheduler changed.",
        ["2.1"],
        [("BW", "2.1"), ("FD", "2.1")],
        ["M5"],
        "spread",
        True,
    ),
    (
        "Families come when someone they know invites them, at a time that suits them.",
        "Farrowdale's family partner and Cloudwater's elders brought nearly every family; evening "
        "meetings helped in Farrowdale.",
        ["5.1", "5.2"],
        [("FD", "5.1"), ("FD", "5.2"), ("CL", "5.1")],
        ["M7"],
        "spread",
        True,
    ),
    (
        "An MOU alone changes little; a one-page staff guide does.",
        "Granite Plains signed its MOU in May 2009 without a change in practice until staff knew what "
        "it allowed; Sable Bay's one-page guide raised sharing at intake.",
        ["4.1", "4.2"],
        [("SB", "4.2"), ("GP", "4.1")],
        ["M2"],
        "implemented",
        True,
    ),
    (
        "Small teams need quarterly pooled views.",
        "With 0 to 7 youth a month, Farrowdale, Granite Plains and Cloudwater show no monthly signal; "
        "Farrowdale's quarterly pooled M5 rises after March 2009.",
        ["7.2", "7.1"],
        [("CL", "7.1")],
        ["M5"],
        "tested",
        True,
    ),
    (
        "Tests stall without a senior leader at the monthly review.",
        "Ashgrove's match and joint meetings stopped each time a person moved; no senior leader "
        "reviewed the tests between March and September 2009.",
        ["7.2"],
        [("AG", "2.1"), ("AG", "1.1")],
        [],
        "tested",
        False,
    ),
]

# v2.0 draft: (code, changes) edits; retire; additions (parent code, code, title, description).
V2_EDITS = {
    "1.1": dict(
        title="Nightly automated match of arrest and detention-intake lists against CW cases",
        evidence_notes="Lesson 1: identification held only with an automated match (BW adopted "
        "Nov 2008; AG's match by hand stopped when the analyst was reassigned).",
    ),
    "1.3": dict(
        description="With a backup number by day and the CW on-call line after hours.",
        evidence_notes="Lesson 2 (BW, SB).",
    ),
    "2.1": dict(
        description="One convener and a standing weekly slot; distant workers join by phone.",
        evidence_notes="Lesson 3 (BW, FD).",
    ),
    "4.1": dict(evidence_notes="Lesson 5: an MOU alone changed little; pair it with 4.2."),
    "5.1": dict(evidence_notes="Lesson 4 (FD, CL): an elder or family partner invites the family."),
}
V2_RETIRE = ["1.2"]
V2_ADD = [
    (
        "C7",
        "7.6",
        "Quarterly pooled view of small teams' measures",
        "Lesson 6: small teams read quarterly pooled charts, not monthly ones.",
    ),
]


def _aware(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _periods(ctx: DemoContext) -> list[tuple[date, date]]:
    return list(
        Event.objects.filter(collaborative=ctx.collaborative, kind=Event.Kind.ACTION_PERIOD)
        .order_by("start")
        .values_list("start", "end")
    )


def _check_dates(spec: RampSpec, c: Cycle, decided: date | None, periods) -> None:
    for label, day in (("start", c.start), ("end", c.end), ("decision", decided)):
        if day is None:
            continue
        if not any(start <= day <= end for start, end in periods):
            raise DemoError(
                f"{spec.team} {spec.idea} cycle {c.scale!r}: {label} {day} is outside the action periods."
            )
    if spec.team == "SB" and c.start < date(2009, 2, 1):
        raise DemoError("Sable Bay's tests start in February 2009.")


def _gate(cycle: PDSACycle, state: str) -> None:
    problems = cycle.gate_problems(state)
    if problems:
        raise DemoError(f"Demo cycle {cycle} cannot enter {state}: {'; '.join(problems)}")


def seed_ramp(ctx: DemoContext, spec: RampSpec, periods) -> Ramp:
    team = ctx.teams[spec.team]
    author = ctx.people[spec.author]
    ramp = None
    for c in spec.cycles:
        decided = (c.decided or (c.end + timedelta(days=4))) if c.decision else None
        _check_dates(spec, c, decided, periods)
        predictions = c.predictions or tuple(p for _, p in spec.questions)
        questions = [
            {"question": q, "prediction": p}
            for (q, _), p in zip(spec.questions, predictions, strict=True)
        ]
        when = f"{c.start:%-d %b} – {c.end:%-d %b %Y}" if c.end else f"from {c.start:%-d %b %Y}"
        cycle = actions.do_plan_cycle(
            author=author,
            team=team,
            title=spec.title,
            objective=spec.objective,
            nodes=[ctx.nodes[spec.idea]],
            purpose="implement"
            if c.decision == "adopt" and spec.purpose != "develop"
            else spec.purpose,
            scale=c.scale,
            questions=questions,
            tasks=[{"what": spec.what, "who": spec.who, "when": when, "where": spec.where}],
            data_plan=spec.data_plan,
            measures=[ctx.measures[m] for m in spec.measures],
            planned_start=c.start,
            planned_end=c.end,
            ramp=ramp,
        )
        ramp = cycle.ramp
        _gate(cycle, "doing")
        cycle.start, cycle.end = c.start, c.end
        cycle.do_notes, cycle.do_problems = c.happened, c.problems
        changed = c.start
        if c.state != "doing":
            _gate(cycle, "studying")
            cycle.results, cycle.learned = c.results, c.learned
            cycle.questions = [
                {**q, "outcome": o} for q, o in zip(cycle.questions, c.outcomes, strict=True)
            ]
            cycle.refresh_derived()
            _gate(cycle, "decided")
            cycle.decision, cycle.next_steps = c.decision, c.next_steps
            cycle.implementation_note = c.implementation
            cycle.decided_on = decided
            changed = decided
        cycle.state = c.state
        cycle.state_changed_at = _aware(changed)
        cycle.created_at = _aware(c.start - timedelta(days=7), 10)
        cycle.save()
    ramp.status = {"adopt": "adopted", "abandon": "abandoned"}.get(spec.cycles[-1].decision, "open")
    ramp.created_at = _aware(spec.cycles[0].start - timedelta(days=7), 10)
    ramp.save(update_fields=["status", "created_at"])
    return ramp


def seed_lessons(ctx: DemoContext, ramps: dict[tuple[str, str], list[Ramp]]) -> None:
    author, director = ctx.people["faculty"], ctx.people["director"]
    for statement, detail, nodes, evidence, measures, strength, endorsed in LESSONS:
        cycles = [
            cycle
            for key in evidence
            for ramp in ramps[key]
            for cycle in ramp.cycles.order_by("cycle_no")
        ]
        lesson = change_actions.do_create_lesson(
            collaborative=ctx.collaborative,
            author=author,
            statement=statement,
            detail=detail,
            nodes=[ctx.nodes[code] for code in nodes],
            cycles=cycles,
            teams=[ctx.teams[team] for team, _ in evidence],
            measures=[ctx.measures[m] for m in measures],
            strength=strength,
            endorsed_by=director if endorsed else None,
            endorsed_on=date(2009, 12, 3) if endorsed else None,
        )
        lesson.created_at = _aware(date(2009, 11, 20))
        lesson.save(update_fields=["created_at"])


def seed_draft_package(ctx: DemoContext) -> ChangePackage:
    v1 = ctx.extra["package"]
    draft = change_actions.do_draft_package(
        v1,
        version="2.0",
        title="JJ-CW Integration Change Framework (demo)",
        by=ctx.people["director"],
    )
    copies = {n.lineage_id: n for n in draft.nodes.all()}
    for code, fields in V2_EDITS.items():
        node = copies[ctx.nodes[code].pk]
        change_actions.do_update_node(node, expected_version=node.edit_version, **fields)
    for code in V2_RETIRE:
        change_actions.do_retire_node(copies[ctx.nodes[code].pk])
    for parent, code, title, description in V2_ADD:
        change_actions.do_add_node(
            draft, kind="idea", parent=copies[ctx.nodes[parent].pk], code=code, title=title,
            description=description,
        )  # fmt: skip
    ctx.extra["package_v2"] = draft
    return draft


def check(ctx: DemoContext) -> None:
    """Acceptance checks of DEMO.md §8; a failure fails the command."""
    for code, expected in EXPECTED.items():
        n = PDSACycle.objects.filter(team=ctx.teams[code]).count()
        if n != expected:
            raise DemoError(f"{code} has {n} PDSA cycles; DEMO.md §8 says {expected}.")
    cycles = with_flag_data(
        PDSACycle.objects.filter(team__collaborative=ctx.collaborative).select_related(
            "team", "ramp__change_node"
        )
    )
    flags = flag_map(cycles, ctx.collaborative)
    lone = {
        (c.team.code, c.ramp.change_node.code)
        for c in cycles
        if any(f.code == "lone" for f in flags[c.pk])
    }
    if lone != LONE:
        raise DemoError(f"Lone-cycle flags on {sorted(lone)}; DEMO.md §8 expects {sorted(LONE)}.")
    if any(c.state not in STATES for c in cycles):
        raise DemoError("A demo cycle has an unknown state.")


def seed(ctx: DemoContext) -> None:
    periods = _periods(ctx)
    ramps: dict[tuple[str, str], list[Ramp]] = {}
    for spec in RAMPS:
        ramps.setdefault((spec.team, spec.idea), []).append(seed_ramp(ctx, spec, periods))
    seed_lessons(ctx, ramps)
    seed_draft_package(ctx)
    check(ctx)
