from . import adhesion, portal
