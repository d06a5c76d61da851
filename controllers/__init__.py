from . import adhesion, portal, portal_guide
