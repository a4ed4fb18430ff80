import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopnet.settings")
application = get_wsgi_application()

# A serving process keeps the machine's shared partner-search index current (one writer per machine).
from coopnet.exchange import engine  # noqa: E402

engine.serving()
