"""The API's docs page (/api/v1/docs): the endpoints as the served OpenAPI
document describes them, on a page of the site's own design (Swedish first,
axe-clean), instead of Swagger UI (which fails axe: contrast, nested
controls, no lang)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


def endpoints(document: dict) -> list[dict]:
    rows = []
    for path, item in document["paths"].items():
        operation = item["get"]
        description = operation.get("description", "")
        rows.append(
            {
                "path": path,
                # Split after each "/" so that a long path wraps on a phone (<wbr>).
                "parts": [part + "/" for part in path.split("/")[:-1]] + [path.split("/")[-1]],
                "summary": description.split("\n\n")[0].replace("\n", " "),
                "tag": (operation.get("tags") or [""])[0],
                "parameters": [
                    parameter["name"]
                    for parameter in operation.get("parameters", [])
                    if parameter["in"] == "query"
                ],
                "statuses": sorted(operation["responses"]),
            }
        )
    return rows


class DocsPage(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.html",
            {
                "document": document,
                "endpoints": endpoints(document),
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )
