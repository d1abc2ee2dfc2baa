"""Open exports in a real spreadsheet program: LibreOffice headless converts them to CSV."""

import shutil
import subprocess
from pathlib import Path

import pytest

# comma, double quote, UTF-8, …, cells as shown, …, every sheet to its own file (-1)
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
CSV_FIRST_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76"


def needs_libreoffice(test):  # type: ignore[no-untyped-def]
    """A test that opens a file in LibreOffice: skipped where it isn't installed, and `slow` (a second or more in
    LibreOffice: the whole suite runs it, the quick lane doesn't)."""
    installed = pytest.mark.skipif(
        shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc) is not installed"
    )
    return pytest.mark.slow(installed(test))


def libreoffice_to_csv(files: list[Path], folder: Path, *, filter_options: str = CSV_FIRST_SHEET) -> None:
    """Convert `files` to CSV next to each other in `folder` (its own LibreOffice profile there)."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/lo",
            "--headless",
            "--convert-to",
            filter_options,
            "--outdir",
            str(folder),
            *(str(path) for path in files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
