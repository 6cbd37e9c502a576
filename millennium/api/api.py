"""The API object: /api/v1/, its routers and its OpenAPI document (/api/v1/openapi.json).

The rendered docs page is off: ninja's Swagger UI would load from a CDN unless "ninja" is an installed app
(its static files ship with it), and the site makes no third-party requests.
"""

from ninja import NinjaAPI

from . import areas, frameworks, measures, observations, peers

api = NinjaAPI(title="Millennium API", version="1", docs_url=None, urls_namespace="api-v1",
               description="Read the goals, areas, key figures, observations, assessments and similar "
                           "municipalities of the Millennium platform. Fields ending _sv are Swedish, _en English.")
for module in (frameworks, areas, measures, observations, peers):
    api.add_router("", module.router)
