"""The web face (``congtac12 web``): the status board, each cadre's page and the forms, over the services.

The optional extra ``congtac12[web]`` (Starlette, Jinja2, Uvicorn). ``app.create_app`` builds
the ASGI application; the routes are by concern: ``pages`` (reads), ``forms`` (writes and
logging in), ``api`` (the ``--json`` outputs); ``context`` is what a handler sees and
``sessions`` who is asking. The front end's layer, as ``cli``: it calls services and render.
"""
