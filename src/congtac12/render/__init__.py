"""The one place that renders: results in, text, tables, pictures and ``--json`` dicts out.

Takes results (an Evaluation, listing rows) and never queries. ``labels`` (the
one label table), ``json`` (``--json`` shapes, ISO dates in every language),
``tables`` (Rich tables), ``explain`` (one cadre in detail), ``text`` (reminders,
the report template, the year-end summary, history), ``charts`` (terminal
pictures), ``sheet`` (the status as an XLSX/CSV sheet).
"""
