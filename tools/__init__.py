"""Plain helpers of the add-on, shared by its controllers, models, wizards
and reports: reading what people type (``inputs``), figures for a reader
(``formats``), scheduled work in batches (``scheduling``), the layout of the guide
year's spreadsheet (``guide_spreadsheet``), the best assignment of a cohort
(``assignment``), the words of the library's full-text search
(``fulltext``), files people send (``uploads``), a network at scale for benchmarks and
``./dev populate`` (``scale``)."""

from . import assignment, formats, fulltext, guide_spreadsheet, inputs, scale, scheduling, uploads
