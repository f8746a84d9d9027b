"""Shared test texts, written for these tests: a few paragraphs of made-up reporting and
the three kinds of chaff, which the built-in model tags with confidence near 1."""

APPEAL = (
    "Donate now to keep our journalism free. Every gift, however small, helps our "
    "reporters keep digging."
)
CAPTION = (
    "Firefighters tackle the blaze at the warehouse on Tuesday night. "
    "Photograph: Maria Lopez/Northern Press"
)
BOILERPLATE = (
    "Sign up for our morning newsletter and get the day's headlines in your inbox. "
    "Copyright 2025. All rights reserved."
)
CHAFF = [APPEAL, CAPTION, BOILERPLATE]

REPORTING = [
    "The city council voted seven to two on Monday to raise bus fares by twenty cents "
    "from April, the first increase in five years, citing rising fuel costs.",
    "Transit officials said the extra revenue would pay for later evening service on four "
    "routes that serve the hospital district and the university.",
    "The harbour authority reopened the eastern pier to fishing boats on Thursday after "
    "engineers found no structural damage from last week's storm.",
    "Residents who opposed the plan told the meeting that many commuters on low wages "
    "already spend a large share of their income on travel.",
    "Police said the driver, a 43-year-old man from the town, was taken to hospital with "
    "minor injuries and was later released without charge.",
    "The school board approved a budget of 48 million dollars for the coming year, "
    "including money for two new science laboratories and extra teaching staff.",
]


def articles():
    """Eight articles as paragraph lists: reporting with chaff mixed in, one of chaff
    only (which cleaning empties) and one of reporting only."""
    r = REPORTING
    return [
        [r[0], APPEAL, r[1]],
        [r[5], CAPTION, r[4]],
        [r[2], r[3], BOILERPLATE],
        [APPEAL, CAPTION, BOILERPLATE],
        [r[5], APPEAL, r[0], CAPTION, r[1], BOILERPLATE],
        [r[1], r[3]],
        [BOILERPLATE, r[4], CAPTION, r[2]],
        [r[4], r[5], APPEAL],
    ]


def as_text(paragraphs):
    return "\n\n".join(paragraphs)

