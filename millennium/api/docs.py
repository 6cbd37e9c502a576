"""The API's documentation page (/api/v1/): the served OpenAPI document as an accessible HTML page.

ninja's Swagger UI would load its scripts from a CDN; this page is rendered by the server from the same
document (/api/v1/openapi.json), with nothing from third parties: every endpoint with its parameters, request
body and responses, and every schema with its fields.
"""

import json

from django.shortcuts import render


def _type(schema: dict) -> str:
    """A short, readable type: "string (pattern …)", "list of ObservationIn", "integer 1–10000", "T | K | M"."""
    if not isinstance(schema, dict) or not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(t for t in (_type(s) for s in schema["anyOf"]) if t)
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if kind == "object" and "additionalProperties" in schema:
        return f"object of {_type(schema['additionalProperties']) or 'any'}"
    if kind == "null":
        return "null"
    limits = []
    low, high = schema.get("minimum", schema.get("exclusiveMinimum")), schema.get("maximum")
    if low is not None or high is not None:
        limits.append(f"{'' if low is None else low}–{'' if high is None else high}")
    if "pattern" in schema:
        limits.append(f"pattern {schema['pattern']}")
    if "maxLength" in schema:
        limits.append(f"at most {schema['maxLength']} characters")
    if "format" in schema:
        limits.append(schema["format"])
    return kind + (f" ({', '.join(limits)})" if limits else "")


def _schema_rows(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [{"name": name, "type": _type(field), "required": name in required,
             "description": field.get("description", ""),
             "default": json.dumps(field["default"]) if "default" in field else ""}
            for name, field in schema.get("properties", {}).items()]


def outline(document: dict) -> dict:
    """The document reshaped for the template: operations (by tag) and schemas, references as names."""
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            operations.append({
                "id": op.get("operationId", f"{method}-{path}"), "method": method.upper(), "path": path,
                "tag": (op.get("tags") or [""])[0], "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "auth": bool(op.get("security")),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "type": _type(p.get("schema", {})),
                                "description": p.get("description", p.get("schema", {}).get("description", ""))}
                               for p in op.get("parameters", [])],
                "body": _type(body),
                "responses": [{"status": status, "description": r.get("description", ""),
                               "types": ", ".join(f"{kind}: {_type(c.get('schema', {}))}"
                                                  for kind, c in r.get("content", {}).items())}
                              for status, r in op.get("responses", {}).items()],
            })
    tags = {}
    for op in operations:
        tags.setdefault(op["tag"], []).append(op)
    schemas = [{"name": name, "description": s.get("description", ""), "fields": _schema_rows(s)}
               for name, s in sorted(document.get("components", {}).get("schemas", {}).items())]
    return {"title": document.get("info", {}).get("title", ""), "version": document.get("info", {}).get("version"),
            "description": document.get("info", {}).get("description", ""),
            "tags": [{"name": name, "operations": ops} for name, ops in tags.items()], "schemas": schemas}


def docs_page(request, api):
    return render(request, "api/docs.html", {"doc": outline(api.get_openapi_schema()),
                                             "openapi_url": request.path + "openapi.json"})
