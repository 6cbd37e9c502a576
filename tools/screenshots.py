"""Screenshots of each page type, for the README: docs/screenshots/<name>.png.

Run against a served site with data (`make demo` in another terminal, or `millennium serve`):
    .venv/bin/python tools/screenshots.py [--base-url http://127.0.0.1:8000] [--out docs/screenshots]
Uses Debian's chromium (/usr/bin/chromium) through Playwright, as the browser tests do.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("home", "/"),
    ("municipality", "/kommun/1280/"),
    ("goal", "/kommun/1280/mal/11/"),
    ("key-figure", "/kommun/1280/nyckeltal/N01982/"),
    ("map", "/karta/N00945/"),
    ("compare", "/jamfor/?nyckeltal=N00945&kommun=1280&kommun=0180&kommun=1480"),
    ("gender", "/kommun/1280/jamstalldhet/"),
    ("region", "/region/12/"),
    ("reporting", "/rapportering/"),
    ("about", "/om/"),
    ("districts", "/kommun/1280/omraden/"),
    ("practices", "/praktiker/?q=jämställd"),
    ("key-figure-en", "/en/kommun/1280/nyckeltal/N01982/"),
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        for name, path in PAGES:
            response = page.goto(args.base_url + path)
            if response is None or response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status if response else 'no response'}")
            # Pages with charts are shot once the charts are drawn.
            page.wait_for_function("[...document.querySelectorAll('figure[data-chart]')]"
                                   ".every(f => f.dataset.drawn || f.dataset.error)")
            page.screenshot(path=args.out / f"{name}.png", full_page=False)
            print(args.out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
