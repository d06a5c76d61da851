from . import adhesion
from . import portal
