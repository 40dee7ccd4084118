"""Floor F1: a minimal Typer app's ``--help``, importing nothing but Typer.

Same Typer settings as congtac12's root app (no Rich markup, no pretty
exceptions), a callback and one command so that it is a group like ours.
"""

import typer

app = typer.Typer(
    help="A minimal Typer app.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(db: str = typer.Option(None, "--db", help="A database file.")) -> None:
    """A minimal Typer app."""


@app.command()
def hello(name: str = typer.Option("world", "--name", help="Who to greet.")) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
