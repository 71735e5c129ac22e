"""The recovery forms, one module per stage, as the views: decisions,
invoices, incoming payments."""
