from celery import shared_task

from .services.rules import policy_uploads_cleanup


@shared_task
def cleanup_policy_uploads() -> int:
    """Daily: remove policy workbooks that were uploaded but not published within POLICY_UPLOAD_KEEP_DAYS."""
    return policy_uploads_cleanup()
