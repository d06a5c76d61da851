"""Plain helpers of the add-on, shared by its controllers, models, wizards
and reports: reading what people type (``inputs``)."""

from . import inputs
