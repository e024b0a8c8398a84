"""Render pages of a built report to one PNG contact sheet (for the README and for review).

Usage::

    .venv/bin/python scripts/preview_report.py reports/water_filter.pdf docs/report_preview.png --pages 1 3 6

Needs pypdfium2 (in the ``dev`` extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--pages", type=int, nargs="*", help="1-based page numbers (default: all)")
    parser.add_argument("--scale", type=float, default=0.8)
    args = parser.parse_args()

    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(str(args.pdf))
    pages = args.pages or list(range(1, len(pdf) + 1))
    images = [pdf[p - 1].render(scale=args.scale).to_pil().convert("RGB") for p in pages]
    width, height = images[0].size
    gap = 12
    sheet = Image.new("RGB", (len(images) * (width + gap) - gap, height), "#d9d9d9")
    for i, image in enumerate(images):
        sheet.paste(image, (i * (width + gap), 0))
    args.png.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.png, optimize=True)


if __name__ == "__main__":
    main()
