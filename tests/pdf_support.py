"""A real browser prints our HTML: headless Chromium to PDF, poppler's pdftotext back to text.

`.ci/run` installs Debian's `chromium`, `fonts-noto-cjk` (Chromium needs a CJK
font to draw Chinese) and `poppler-utils` when they are missing. Tests that
use these fail, naming what is missing, rather than skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _tool(names: tuple[str, ...], package: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"{names[0]} is not installed: `apt-get install {package}` "
                "(.ci/run installs it when missing)")


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> Path:
    """Print an HTML file to PDF with headless Chromium, as a person's Print would."""
    browser = _tool(BROWSERS, "chromium fonts-noto-cjk")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={profile}", "--no-pdf-header-footer",
           f"--print-to-pdf={pdf}", html.resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -raw: in drawing order, a cell's text together)."""
    tool = _tool(("pdftotext",), "poppler-utils")
    done = subprocess.run([tool, "-raw", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60, check=True)
    pages = done.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squeeze(text: str) -> str:
    """Text without any white space: wording wrapped over lines compares whole."""
    return "".join(text.split())


def page_size_mm(pdf: Path) -> tuple[float, float]:
    tool = _tool(("pdfinfo",), "poppler-utils")
    done = subprocess.run([tool, str(pdf)], capture_output=True, text=True, timeout=60,
                          check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("Page size:"))
    w, h = line.split(":", 1)[1].split("pts")[0].split("x")
    return float(w) / 72 * 25.4, float(h) / 72 * 25.4
