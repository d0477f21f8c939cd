"""The packages are found, not listed: every folder under cleaner/ with an __init__.py ships, and the
built-in packs of the top-level rules/ folder ship as the package data of cleaner.rules (setup.cfg
holds everything else)."""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["cleaner", "cleaner.*"]) + ["cleaner.rules"])
