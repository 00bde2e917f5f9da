"""gunicorn settings, read from the working directory (the image's /app).

The access log keeps the method, the path, the status and the time, but not
the query string nor the Referer: the client search carries a name or a date
of birth in its query string, and logs hold no client data (DOMAIN.md
section 10; Django's own logs are filtered by iop/logging.py).
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
