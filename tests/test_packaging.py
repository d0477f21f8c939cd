"""What users install: the wheel holds every module of `cleaner/` and every built-in pack."""

import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT

# what a source checkout needs to build the wheel; the rest of the repository is not shipped
BUILD_FILES = ("setup.py", "setup.cfg", "pyproject.toml", "README.md", "LICENSE")


def build_wheel(tmp_path) -> zipfile.ZipFile:
    """Build the wheel as pip does for `pip install .`, from a copy of the checkout (no build/ left behind)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in BUILD_FILES:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    for folder in ("cleaner", "rules"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(src)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    (wheel,) = (tmp_path / "dist").glob("corpus_cleaner-*.whl")
    return zipfile.ZipFile(wheel)


def shipped_files() -> set[str]:
    """Every file the wheel must hold: everything under cleaner/ (modules and package data such as the
    language models), and the packs, their README and test cases as cleaner/rules/."""
    modules = {f"cleaner/{p.relative_to(ROOT / 'cleaner').as_posix()}" for p in (ROOT / "cleaner").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    rules = ROOT / "rules"
    packs = [*rules.glob("*.toml"), rules / "README.md", *(p for p in rules.glob("tests/*/*") if p.is_file())]
    return modules | {f"cleaner/rules/{p.relative_to(rules).as_posix()}" for p in packs}


def test_the_wheel_holds_every_module_and_pack(tmp_path):
    wheel = build_wheel(tmp_path)
    names = wheel.namelist()
    package = {n for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert sorted(shipped_files() - package) == [], "missing from the wheel"
    assert sorted(package - shipped_files()) == [], "in the wheel but not in the checkout"
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)
    licence = [n for n in names if n.split("/")[-1] == "LICENSE"]
    assert licence and "MIT License" in wheel.read(licence[0]).decode()
