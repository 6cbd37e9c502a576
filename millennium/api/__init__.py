"""The read side of the REST API (/api/v1/), built with django-ninja; its OpenAPI document is /api/v1/openapi.json."""
