"""Password rules of the 等保 profile (DESIGN §5, SECURITY §5): length, 3 of 4 classes, upper bound."""

import string

from django.conf import settings
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c.isdigit()),
    ("特殊字符", lambda c: not c.isalnum()),
)


class CharacterClassValidator:
    def __init__(self, min_classes=None):
        self.min_classes = min_classes or getattr(settings, "PASSWORD_MIN_CLASSES", 3)

    def validate(self, password, user=None):
        present = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """No reuse of the current password nor of the previous ones (PASSWORD_HISTORY_COUNT in all)."""

    def __init__(self, count=None):
        self.count = count or getattr(settings, "PASSWORD_HISTORY_COUNT", 5)

    def validate(self, password, user=None):
        if user is None or getattr(user, "pk", None) is None:
            return
        from django.contrib.auth.hashers import check_password

        from .models import PasswordHistory, User

        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        hashes = ([current] if current else []) + PasswordHistory.recent_hashes(user)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.message(), code="password_reused")

    def message(self):
        return f"新密码不能与最近 {self.count} 次使用过的密码相同。"

    def get_help_text(self):
        return self.message()


class MaximumLengthValidator:
    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(f"密码不能超过 {self.max_length} 个字符。", code="password_too_long")

    def get_help_text(self):
        return f"密码不能超过 {self.max_length} 个字符。"
