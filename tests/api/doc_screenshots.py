"""The documentation's screenshots (docs/web/*.png, shown in docs/web.md): run the browser journeys of
every role with their screenshots in a temporary folder (or take an earlier run's folder), then keep the start
page of each role at desktop width, reduced to a 256-colour palette with Pillow so the PNGs stay small.

    PYTHONPATH=$PWD .venv/bin/python -m tests.api.doc_screenshots            # runs the journeys (Chromium)
    PYTHONPATH=$PWD .venv/bin/python -m tests.api.doc_screenshots --from DIR  # screenshots already taken
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ["tests/api/test_web_browser.py", "tests/api/test_web_browser_projects.py",
            "tests/api/test_web_reviewer_browser.py", "tests/api/test_web_supplier_browser.py",
            "tests/api/test_web_admin_browser.py"]
# the journey's screenshot -> the documentation's file
KEEP = {"web-02-sme-dashboard-desktop.png": "sme-dashboard.png",
        "web-09-project-outcome-desktop.png": "sme-project.png",
        "web-reviewer-01-queue-desktop.png": "reviewer-queue.png",
        "web-supplier-01-dashboard-desktop.png": "supplier-dashboard.png",
        "web-admin-desktop-01-start.png": "admin-start.png",
        "web-admin-desktop-06-kpis.png": "admin-kpis.png"}
MAX_HEIGHT = 1600  # a full-page shot longer than this is cut (the top of the page is what the docs show)


def take(folder: Path) -> None:
    env = {**os.environ, "AXR_SCREENSHOT_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", *JOURNEYS], cwd=ROOT, env=env, check=True)


def keep(folder: Path, out: Path) -> list[tuple[Path, int]]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source, name in KEEP.items():
        with Image.open(folder / source) as shot:
            image = shot.convert("RGB")
        if image.height > MAX_HEIGHT:
            image = image.crop((0, 0, image.width, MAX_HEIGHT))
        target = out / name
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
        written.append((target, target.stat().st_size))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="folder", type=Path, help="a folder of screenshots already taken")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "web")
    args = parser.parse_args()
    if args.folder:
        written = keep(args.folder, args.out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            take(Path(tmp))
            written = keep(Path(tmp), args.out)
    for path, size in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
