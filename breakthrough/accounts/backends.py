from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PersonBackend(ModelBackend):
    """Django's username/password backend that refuses demo accounts on a production server."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.ALLOW_DEMO_LOGINS:
            return False
        return super().user_can_authenticate(user)
