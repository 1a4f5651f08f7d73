"""Every signed-in page under ``/lead/``: sign-in, initiatives, questionnaires and sessions, quotes, summary,
reach, privacy and erasure, accounts and the audit log. Never imports respondent, partner, api or cli."""
