"""The header's sign-in / my account / sign-out links.

Public pages are cached whole and shared by every visitor (web/page_cache.py). On those the header must not
depend on who asks — a cached "Log out" with someone's CSRF token would be served to everyone — so they get
one neutral link to the account page, which sends a visitor who is not signed in to the sign-in page. Every
other page shows the visitor's own state.
"""

from django import template

from millennium.web.page_cache import cached_page

register = template.Library()

_CACHED_PAGE_CODE = cached_page(lambda request: None).__code__


def is_shared_page(request) -> bool:
    """True when the page may be cached for everyone, or when we cannot tell (an error page has no view)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return True
    return getattr(match.func, "__code__", None) is _CACHED_PAGE_CODE


@register.inclusion_tag("organisations/account_nav.html", takes_context=True)
def account_nav(context):
    request = context.get("request")
    shared = request is None or is_shared_page(request)
    on_sign_in_page = request is not None and request.resolver_match.url_name == "login" if not shared else False
    return {"shared": shared, "signed_in": not shared and request.user.is_authenticated,
            "next": "" if shared or on_sign_in_page else request.get_full_path(),
            "csrf_token": context.get("csrf_token")}
