"""The check of an uploaded invulbestand (issue #29): kept with what it found; no line is saved from it here."""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User

from ..invulbestand import check_rows
from ..models import Invulbestand, Project
from ..permissions import can_edit_verantwoording
from . import require


def invulbestand_check(*, project: Project, upload: UploadedFile, by: User) -> Invulbestand:
    """Read and check every row of `upload` for `project`; the file and its problems are kept for the
    error workbook (and the commit, issue #30). Nothing of the verantwoording changes.

    A file that can't be read at all is not kept: ValidationError on `file` says why."""
    require(can_edit_verantwoording(by, project))
    content = upload.read()
    result = check_rows(project, by, content, upload.name or "")
    if result.refused:
        raise ValidationError({"file": result.refused})
    return Invulbestand.objects.create(
        project=project,
        uploaded_by=by,
        file_name=(upload.name or "invulbestand")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        rows=result.rows,
        new=result.new,
        changed=result.changed,
        problems=[{"row": p.row, "column": p.column, "message": p.message} for p in result.problems],
    )


def invulbestanden_cleanup(now: datetime | None = None) -> int:
    """Uploaded files hold personal data (kandidaten): a check is removed INVULBESTAND_KEEP_DAYS after its
    upload. Returns how many were removed."""
    cut_off = (now or timezone.now()) - timedelta(days=settings.INVULBESTAND_KEEP_DAYS)
    removed, _ = Invulbestand.objects.filter(uploaded_at__lt=cut_off).delete()
    return removed
