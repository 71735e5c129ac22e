"""The training events' state changes, one module per side: ``registration``
(the public side: register, cancel, the waiting list's offers, anonymising)
and the organiser's."""
