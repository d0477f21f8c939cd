"""Render a real report in headless Chromium and save a screenshot, to look at it as a person would.

    python bench/report_screenshot.py [--out bench/out/report.png]

Runs the installed command on the fixtures (two runs, two --stats files), writes the report,
and has Debian's chromium (`apt-get install chromium`) take a full-page screenshot.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 2000) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("chromium is not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={png}", page.resolve().as_uri()], check=True, capture_output=True, timeout=120)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "report.png")  # bench/out/ is git-ignored
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    exe = shutil.which("corpus-cleaner", path=str(Path(sys.executable).parent)) or "corpus-cleaner"
    with tempfile.TemporaryDirectory() as tmp:
        stats = []
        for name in ("seeds", "indonews_sample"):
            out = Path(tmp) / f"{name}.stats.json"
            subprocess.run([exe, str(ROOT / "fixtures" / f"{name}.jsonl"), "-o", str(Path(tmp) / "out.jsonl"),
                            "--stats", str(out), "-q", "--no-progress"], check=True)
            stats.append(str(out))
        page = Path(tmp) / "report.html"
        subprocess.run([exe, "report", *stats, "-o", str(page)], check=True)
        screenshot(page, args.out)
    print(f"screenshot: {args.out}")


if __name__ == "__main__":
    main()
