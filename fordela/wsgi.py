import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fordela.settings.production")
application = get_wsgi_application()

# The payment due date needs the year's Swedish holidays, which take the
# `holidays` package most of a second the first time: worked out here, as
# each web process starts, not in the first submission it serves.
from fordela.core import clock  # noqa: E402
from fordela.payments.working_days import payment_due_date  # noqa: E402

payment_due_date(clock.today())
