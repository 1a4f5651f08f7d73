"""The pages of people who answer: parent and practitioner forms (``/s/``), the child's tablet (``/k/``),
participant-code pages (``/c/``) and the privacy notice. Never imports lead, partner, api or cli."""
