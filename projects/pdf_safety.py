"""Is an uploaded file a plain PDF? Parsed with pypdf, every object looked at, within bounds.

Documents on a project are read by every contactpersoon, so a PDF that runs something when
opened (JavaScript, a launch or submit action, an embedded file, Flash, an XFA form) is refused,
as is one we cannot read (not a PDF, broken, encrypted).

The parsing runs in a child process with a CPU, memory and wall-clock limit: pypdf recovers
from broken files in non-strict mode, and some hostile files (deep nesting, thousands of
dangling references) make that recovery take minutes. A child that runs out of its limits is
killed and the file refused as unreadable; the web worker never hangs on it. This module
imports nothing of Django or the portal, so it runs as that child (`python -I pdf_safety.py`).
"""

import io
import logging
import re
import subprocess
import sys
import time

from pypdf import PdfReader, apply_configuration
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

NOT_READABLE = "Dit bestand is geen geldige PDF of is beschadigd. Sla het opnieuw op als PDF en probeer het nog eens."
ENCRYPTED = "Deze PDF is beveiligd of versleuteld. Voeg een PDF zonder wachtwoord of beveiliging toe."
ACTIVE_CONTENT = (
    "Deze PDF bevat actieve inhoud (zoals JavaScript, een ingesloten bestand of een formulieractie) "
    "en kan daarom niet worden toegevoegd. Sla het document opnieuw op als gewone PDF, "
    "bijvoorbeeld met ‘Afdrukken als PDF’."
)
# What the child answers; anything else (a crash, a kill by a limit) counts as unreadable.
VERDICTS: dict[str, str | None] = {
    "ok": None,
    "unreadable": NOT_READABLE,
    "encrypted": ENCRYPTED,
    "active": ACTIVE_CONTENT,
}

# Names that mean "run, open or send something": as a key (/JS, /EmbeddedFiles, /XFA) or as a
# value (/S /JavaScript, /Type /EmbeddedFile, /Subtype /RichMedia).
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/RichMediaExecute",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
    }
)
# The longer of these names in the raw bytes too: a second look that does not depend on how
# leniently the file parses (a viewer may read an object that pypdf skips as broken). Not /JS:
# three bytes turn up by chance in compressed data (a /JS key comes with an action that is named).
ACTIVE_BYTES = re.compile(
    rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia|RichMediaExecute|XFA|SubmitForm|ImportData|GoToE)"
    rb"(?=[\s/<>\[\]()%]|$)"
)
ENCRYPT_BYTES = re.compile(rb"/Encrypt(?=[\s/<>\[\]()%]|$)")

# Limits of the child process. A real PDF of 1 MB takes some 0.2 s, most of it starting Python.
CHILD_CPU_SECONDS = 10
CHILD_MEMORY_BYTES = 768 * 1024 * 1024  # address space, not resident memory
CHILD_WALL_SECONDS = 20.0  # CPU time plus waiting for a busy machine
# Budget of the walk itself, so most hostile files end with a verdict rather than a kill.
MAX_OBJECTS = 50_000  # indirect objects (a 1 MB document has a few thousand)
MAX_NODES = 300_000  # dictionaries, arrays and names looked at in total
MAX_SECONDS = 5.0
# pypdf's own limits, tightened for files of at most a few MB.
PYPDF_LIMITS = {
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "brotli_maximum_output_length": 20_000_000,
    "stream_decoding_work_maximum_length": 50_000_000,
    "array_maximum_element_count": 50_000,
    "dictionary_maximum_element_count": 50_000,
}


def pdf_refusal(data: bytes) -> str | None:
    """Why `data` may not be stored as a document (a Dutch message for the user), or None."""
    try:
        child = subprocess.run(  # noqa: S603 - runs this very module on the upload's bytes (stdin)
            [sys.executable, "-I", __file__],
            input=data,
            capture_output=True,
            timeout=CHILD_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return NOT_READABLE
    return VERDICTS.get(child.stdout.decode("ascii", "replace").strip(), NOT_READABLE)


def pdf_verdict(data: bytes) -> str:
    """One of the VERDICTS keys for `data`; runs in the child process."""
    if ACTIVE_BYTES.search(data):
        return "active"
    try:
        with apply_configuration(None, **PYPDF_LIMITS):
            reader = PdfReader(io.BytesIO(data), strict=False, xref_stream_maximum_entries=MAX_OBJECTS)
            if reader.is_encrypted:
                return "encrypted"
            if _has_active_content(reader):
                return "active"
            if len(reader.pages) < 1:
                return "unreadable"
    except Exception:  # any parser error, recursion or limit: we could not read it, so it is refused
        # pypdf tries the empty password while opening; AES needs a library we do not ship.
        return "encrypted" if ENCRYPT_BYTES.search(data) else "unreadable"
    return "ok"


class _TooMuchWork(Exception):
    pass


def _has_active_content(reader: PdfReader) -> bool:
    """Walk every object of the file (reachable or not) with a budget of objects, nodes and time."""
    stack: list[object] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    if len(stack) > MAX_OBJECTS:
        raise _TooMuchWork
    deadline = time.monotonic() + MAX_SECONDS
    seen: set[tuple[int, int]] = set()
    nodes = 0
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > MAX_NODES or (nodes % 64 == 0 and time.monotonic() > deadline):
            raise _TooMuchWork
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key not in seen:
                seen.add(key)
                if len(seen) > MAX_OBJECTS:  # references to objects the file does not have
                    raise _TooMuchWork
                stack.append(node.get_object())
        elif isinstance(node, DictionaryObject):  # streams too: their dictionary, not their data
            for name, value in node.items():
                if name in ACTIVE_NAMES or _is_action(name, value):
                    return True
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, NameObject) and node in ACTIVE_NAMES:
            return True
    return False


def _is_action(name: str, value: object) -> bool:
    """/AA (actions on open, close, focus …) always; /OpenAction unless it only goes to a page."""
    if name not in ("/AA", "/OpenAction"):
        return False
    target = value.get_object() if isinstance(value, IndirectObject) else value
    if name == "/AA":
        return not isinstance(target, DictionaryObject) or len(target) > 0
    if isinstance(target, ArrayObject) or target is None:  # a destination: open at this page
        return False
    return not (isinstance(target, DictionaryObject) and target.get("/S") == "/GoTo")


def _child_main() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    logging.disable(logging.CRITICAL)  # pypdf warns about every repair; the verdict is what counts
    sys.stdout.write(pdf_verdict(sys.stdin.buffer.read()))


if __name__ == "__main__":
    _child_main()
