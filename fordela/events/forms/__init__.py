"""The training events' forms, one module per side (``registration``, the
organiser's)."""
