"""Integration accounts and their API tokens, out of band (whoever runs the integration, with the server's
shell): never in /admin, so the sysadmin cannot mint a token and act as someone else."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shanglian.accounts import tokens
from shanglian.accounts.models import User
from shanglian.accounts.roles import SEPARATED_ROLES, Role


class Command(BaseCommand):
    help = "接口集成账号与接口令牌：create-account 新建集成账号，issue 签发令牌（仅显示一次），list 列出，revoke 撤销。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        account = sub.add_parser("create-account", help="新建接口集成账号（无密码，不能登录网页）")
        account.add_argument("username")
        account.add_argument("--display-name", default="")
        account.add_argument("--role", required=True,
                             choices=[r.value for r in Role if r not in SEPARATED_ROLES])
        account.add_argument("--federation", type=int)
        account.add_argument("--chamber", type=int)
        account.add_argument("--department", type=int)
        issue = sub.add_parser("issue", help="为集成账号签发令牌")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="用途，如 12345 热线对接")
        issue.add_argument("--days", type=int, default=tokens.MAX_DAYS, help=f"有效天数，最多 {tokens.MAX_DAYS}")
        listing = sub.add_parser("list", help="列出集成账号的令牌")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="按前缀撤销令牌")
        revoke.add_argument("username")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        try:
            getattr(self, action.replace("-", "_"))(**options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

    def create_account(self, *, username, display_name, role, federation, chamber, department, **options):
        def get(field, pk):  # the scope's model through the user's own field (orgs is on a higher floor)
            if pk is None:
                return None
            model = User._meta.get_field(field).related_model
            found = model.objects.filter(pk=pk).first()
            if found is None:
                raise ValidationError(f"没有编号为 {pk} 的{model._meta.verbose_name}。")
            return found

        user = tokens.create_integration_account(
            username=username, display_name=display_name, role=role, federation=get("federation", federation),
            chamber=get("chamber", chamber), department=get("department", department))
        self.stdout.write(f"已新建接口集成账号 {user.username}。")

    def issue(self, *, username, name, days, **options):
        token, key = tokens.issue(user=tokens.integration_account(username), name=name, days=days)
        expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"令牌（仅显示这一次，请立即保存）：{key}")
        self.stdout.write(f"前缀 {token.prefix}，到期 {expires}。")

    def list(self, *, username, **options):
        for token in tokens.tokens_of(tokens.integration_account(username)):
            state = ("已撤销" if token.revoked_at else "已过期" if not token.is_valid else "有效")
            expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d")
            used = token.last_used_on.isoformat() if token.last_used_on else "从未使用"
            self.stdout.write(f"{token.prefix}  {token.name}  到期 {expires}  {state}  最近使用 {used}")

    def revoke(self, *, username, prefix, **options):
        token = tokens.revoke(user=tokens.integration_account(username), prefix=prefix)
        self.stdout.write(f"已撤销令牌 {token.prefix}。")
