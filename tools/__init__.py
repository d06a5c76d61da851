"""Plain helpers of the add-on, shared by its controllers, models, wizards
and reports: reading what people type (``inputs``), the layout of the guide
year's spreadsheet (``guide_spreadsheet``)."""

from . import guide_spreadsheet, inputs
