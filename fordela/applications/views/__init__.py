"""Application pages, one module per stage: applying, assessment,
consultation and decisions."""
