import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
application = get_wsgi_application()

if os.environ.get("SHANGLIAN_ENV") == "production":
    # Refuse to start while a demo login with the published password could sign in (demo/checks.py).
    from django.core.management import call_command

    call_command("check", tags=["shanglian_production"])
