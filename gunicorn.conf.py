"""gunicorn's settings for Fördela. gunicorn reads this file from the working
directory by itself (or give it with ``-c gunicorn.conf.py``); the bind
address and the number of workers stay on the command line
(docs/operations.md)."""

import gunicorn.http.wsgi

# gunicorn names itself in a "Server: gunicorn" header on every response. Its
# responses take the name from this module's SERVER when each is created (the
# package's gunicorn.SERVER is copied in at import, so changing that one does
# nothing): empty, the header names no software. The reverse proxy in front
# sends its own Server header; see docs/operations.md.
gunicorn.http.wsgi.SERVER = ""
