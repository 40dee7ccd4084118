"""Keep the gettext catalogs in step with the source.

    python tools/i18n_catalog.py update   # add new messages to vi/en .po, drop gone ones
    python tools/i18n_catalog.py check    # list untranslated messages and placeholder mismatches
    python tools/i18n_catalog.py compile  # .po -> .mo beside it, for a development checkout

Messages are found in src/congtac12 by reading the code (ast): the first
argument of ``_()`` and ``N_()``, every ``help=`` string, and the docstrings of
command functions (decorated with ``@guarded``), which Typer shows as help.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "congtac12"
LOCALE = SRC / "locale"
LANGS = ("vi", "en")
_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _calls(tree: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            if (
                name in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield node.args[0].value, node.lineno
            for kw in node.keywords:
                if kw.arg == "help" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    yield kw.value.value, kw.value.lineno
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
            doc = ast.get_docstring(node, clean=False)
            if "guarded" in decorators and doc:
                yield inspect.cleandoc(doc), node.lineno


def extract(src: Path = SRC) -> dict[str, list[str]]:
    """msgid -> ["path:line", ...] for every translatable message in the package."""
    found: dict[str, list[str]] = {}
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for message, line in _calls(tree):
            if message.strip():
                found.setdefault(message, []).append(f"{path.relative_to(src.parent)}:{line}")
    return found


def placeholders(text: str) -> set[str]:
    return {m.group(1) or "" for m in _FIELD.finditer(text)}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "congtac12.po"


_FIXED = __import__("datetime").datetime(2026, 1, 1)  # no date churn in the .po headers


def compile_catalogs() -> None:
    """Write each .mo beside its .po, for a development checkout (the build does it too)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for lang in LANGS:
        with po_path(lang).open("rb") as f:
            catalog = read_po(f)
        with po_path(lang).with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    messages = extract()
    for lang in LANGS:
        path = po_path(lang)
        old = {}
        if path.exists():
            with path.open("rb") as f:
                old = {m.id: m.string for m in read_po(f) if m.id}
        catalog = Catalog(
            locale=lang,
            domain="congtac12",
            project="congtac12",
            charset="utf-8",
            fuzzy=False,
            creation_date=_FIXED,
            revision_date=_FIXED,
        )
        for msgid, where in messages.items():
            string = msgid if lang == "en" else old.get(msgid, "")
            locations = [(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where]
            catalog.add(msgid, string, locations=locations)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, include_previous=False)
        missing = 0 if lang == "en" else sum(1 for m in messages if not old.get(m))
        print(f"{path.relative_to(ROOT)}: {len(messages)} messages, {missing} untranslated")
    compile_catalogs()


def problems(lang: str) -> list[str]:
    """Every message of the source that the catalog lacks or translates with other placeholders."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = {m.id: m for m in read_po(f) if m.id}
    out = []
    for msgid, where in extract().items():
        entry = catalog.get(msgid)
        if entry is None or not entry.string:
            out.append(f"{where[0]}: no {lang} translation for {msgid!r}")
        elif entry.fuzzy:
            out.append(f"{where[0]}: fuzzy {lang} translation for {msgid!r}")
        elif placeholders(entry.string) != placeholders(msgid):
            out.append(
                f"{where[0]}: {lang} placeholders {sorted(placeholders(entry.string))} "
                f"differ from {sorted(placeholders(msgid))} in {msgid!r}"
            )
    return out


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
        return 0
    if argv[1:] == ["compile"]:
        compile_catalogs()
        return 0
    if argv[1:] == ["check"]:
        found = [p for lang in LANGS for p in problems(lang)]
        print("\n".join(found) or "catalogs complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
