"""Build hook: ship the repository's rules/, scenarios/ and datasets/ inside the wheel.

They stay in the repository's fixed layout (one copy in git) and are copied to
``decision_support/_data/`` only in the build tree; ``decision_support.resources``
finds them there with importlib.resources. Editable installs skip the copy and use
the checkout's folders directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("rules", "scenarios", "datasets")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "decision_support" / "_data"
        for name in SHIPPED:
            if (root / name).is_dir():
                shutil.copytree(root / name, target / name, ignore=IGNORED, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
