"""The training events' pages, one module per side: ``registration`` (the
public event page, the registration form, the signed links) and the
organiser's."""
