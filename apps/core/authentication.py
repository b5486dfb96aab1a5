"""Bearer JWT authentication accepting both header spellings.

The Comms spec writes ``Authentication: Bearer <t>``; HTTP and everyone else write
``Authorization: Bearer <t>``. Both are accepted on every endpoint.
"""

from rest_framework_simplejwt.authentication import JWTAuthentication


class BearerJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, reading ``Authorization`` or else ``Authentication``."""

    www_authenticate_realm = "fusion"

    def get_header(self, request):
        header = request.META.get("HTTP_AUTHORIZATION") or request.META.get("HTTP_AUTHENTICATION")
        return header.encode("iso-8859-1") if isinstance(header, str) else header
