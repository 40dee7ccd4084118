"""Build hook: compile the gettext catalogs (.po -> .mo) into the package.

Metadata lives in pyproject.toml; this file only adds the catalog step, so an
installed congtac12 (wheel or editable) finds its translations with no manual
step. Babel reads the .po and writes the .mo (a build requirement only).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("src/congtac12/locale")


class build_py_with_catalogs(build_py):  # noqa: N801 - setuptools' naming
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(LOCALE.glob("*/LC_MESSAGES/congtac12.po")):
            if getattr(self, "editable_mode", False):
                target = po.with_suffix(".mo")  # the source tree is what gets imported
            else:
                target = Path(self.build_lib) / po.relative_to("src").with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as f:
                catalog = read_po(f)
            with target.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": build_py_with_catalogs})
