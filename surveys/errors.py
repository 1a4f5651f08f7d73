"""What can go wrong in the survey domain, in terms the web layer maps to statuses and pages."""


class SurveyError(Exception):
    """Base of Heard's domain errors."""


class NotFound(SurveyError):
    """No such thing (or not one this person may see: we don't say which)."""


class SessionClosed(SurveyError):
    """The session's answering window has ended."""

    def __init__(self, closed_at=None):
        self.closed_at = closed_at
        super().__init__("This session has closed")


class SessionNotOpenYet(SurveyError):
    """The session's answering window hasn't started."""

    def __init__(self, opens_at):
        self.opens_at = opens_at
        super().__init__("This session is not open yet")


class InitiativeArchived(SurveyError):
    """The initiative is archived: it takes no new sessions until it is restored."""
