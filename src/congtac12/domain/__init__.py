"""The pure rules of the domain: facts in, results out.

No database, no clock (the "as of" date is an argument), no printing, no Rich.
``states`` (the states the rules give), ``policy`` (what a policy requires),
``facts`` (what the rules read), ``results`` (what they give back),
``counting`` (days and the evaluation), ``owed`` (result reports and reminders),
``summary`` (briefing and year-end figures), ``vocab`` (kinds, levels, leave reasons).
"""
