"""The API object: /api/v1/, its routers and its OpenAPI document (/api/v1/openapi.json).

ninja's Swagger UI is off: it would load from a CDN unless "ninja" is an installed app, and the site makes no
third-party requests. The documentation page is our own, /api/v1/ (docs.py), rendered from the same document.
Reads are rate-limited per client address, writes also per token (throttles.py).
"""

from ninja import NinjaAPI

from . import areas, frameworks, gaps, measures, observations, peers, practices, programmes
from .docs import docs_page
from .throttles import ReadThrottle

api = NinjaAPI(title="Millennium API", version="1", docs_url=None, urls_namespace="api-v1", throttle=[ReadThrottle()],
               description="Read the goals, areas, key figures, observations, assessments, gaps, similar "
                           "municipalities and good practices of the Millennium platform. Fields ending _sv are "
                           "Swedish, _en English. A municipality's API token (Authorization: Bearer <key>) writes "
                           "its observations and drafts its practices. Too many requests: 429 with Retry-After.")
for module in (frameworks, areas, measures, observations, peers):
    api.add_router("", module.router)
for module in (gaps, practices, programmes):
    api.add_router("", module.router)


@api.get("/", include_in_schema=False, url_name="docs")
def docs(request):
    return docs_page(request, api)
