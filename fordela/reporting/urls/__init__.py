"""National reporting and what the public sees, one module per part: the
administrative costs, the uptake map, open data."""

from . import costs, dashboard, jobs, map, national, opendata

app_name = "reporting"
urlpatterns = (
    costs.urlpatterns
    + dashboard.urlpatterns
    + map.urlpatterns
    + national.urlpatterns
    + opendata.urlpatterns
    + jobs.urlpatterns
)
