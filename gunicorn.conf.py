"""gunicorn settings, read from the working directory (the image's /app).

The access log keeps the method, the path, the status and the time, but not
the query string nor the Referer: the client search carries a name or a date
of birth in its query string, and logs hold no client data (DOMAIN.md
section 10; Django's own logs are filtered by iop/logging.py).
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# The `Server` response header: gunicorn 27 writes `Server: gunicorn` (its
# name, no version: gunicorn/__init__.py, SERVER) on every response and has no
# setting to drop or change it (one was proposed and not merged:
# benoitc/gunicorn#825, #1617). A `Server` header set by the app is sent
# beside it over HTTP/1.1, not instead (gunicorn/http/wsgi.py). So the reverse
# proxy drops it: nginx does by default and sends its own, without a version
# under `server_tokens off`; see the README, "Logs, error pages and the
# browser's policy".
