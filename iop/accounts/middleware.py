class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a signed-in user hold client data: browsers and proxies
    must not keep a copy (DOMAIN.md section 10)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
