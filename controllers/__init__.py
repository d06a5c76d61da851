from . import (
    adhesion,
    portal,
    portal_action,
    portal_assessment,
    portal_club,
    portal_evaluation,
    portal_guide,
    portal_guide_year,
    portal_guide_year_ag,
    portal_sponsorship,
    portal_stakeholder,
    public_commitments,
)
