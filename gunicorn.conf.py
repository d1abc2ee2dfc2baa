"""Gunicorn settings, read from the working directory (Dockerfile, docker-compose.yml, bench/load.py).

The access log names the path without its query string: searches (`?projectnaam=…`, a name or an
address) are personal data and stay out of the logs.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
