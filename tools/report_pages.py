"""Images of the first pages of Malmö's report, for the README and each release: docs/screenshots/report-sv-N.png.

Renders the PDF with `millennium report` against the configured database (MILLENNIUM_HOME / DATABASE_URL, with
the Kolada extract imported, e.g. after `make demo`) and turns its first pages into PNG with poppler's pdftoppm:
    .venv/bin/python tools/report_pages.py [--code 1280] [--lang sv] [--pages 6] [--out docs/screenshots]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from millennium.cli import main as millennium  # noqa: E402

#: Dots per inch: an A4 page becomes about 500 × 700 pixels, enough to see the layout, small in the repository.
RESOLUTION = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", default="1280")
    parser.add_argument("--lang", choices=["sv", "en"], default="sv")
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        if millennium(["report", args.code, "--lang", args.lang, "--format", "pdf", "-o", str(pdf)]) != 0:
            raise SystemExit(1)
        prefix = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l", str(args.pages), str(pdf),
                        str(prefix)], check=True)
        for old in args.out.glob(f"report-{args.lang}-*.png"):
            old.unlink()
        # pdftoppm pads the page number to the width of the last page's (page-01.png of 33 pages).
        for image in sorted(Path(folder).glob("page-*.png")):
            target = args.out / f"report-{args.lang}-{int(image.stem.split('-')[-1])}.png"
            target.write_bytes(image.read_bytes())
            print(target)


if __name__ == "__main__":
    main()
