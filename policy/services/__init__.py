"""Changes to a region's policy and content; each checks who may make it and keeps the audit trail."""


class ConcurrentEditError(Exception):
    """Someone else saved the same object since this form was opened; the message is for the user."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen: bekijk de nieuwe "
            "versie en breng uw wijziging opnieuw aan."
        )
