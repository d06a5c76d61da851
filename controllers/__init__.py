from . import adhesion, portal, portal_assessment, portal_guide, portal_stakeholder
