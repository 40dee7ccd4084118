"""Use cases: what any front end (the command line, later a web page) calls.

One function per use case, plain arguments in (a database target, ids, dates,
text) and plain results out (dataclasses of the domain or of the use case);
no parsing of command-line text and no printing. A service opens the
database through ``store``, reads facts, asks ``domain`` to decide, and
returns what it decided; a front end hands the result to ``render``.
"""
