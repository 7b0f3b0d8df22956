"""Who acted, for people: the name and the Chinese role of the account, or the login name recorded with
the event when there is no account (a failed login) or it has since been deleted."""

from shanglian.accounts.roles import role_from_group_names


def actor_name(event):
    actor = event.actor
    if actor is None:
        return event.username or "匿名访问"
    return actor.display_name or actor.username


def actor_role(event):
    """The actor's role today, from the groups the list prefetched; "—" without an account."""
    if event.actor is None:
        return "—"
    role = role_from_group_names(group.name for group in event.actor.groups.all())
    return role.label if role else "未分配角色"


def actor_login(event):
    return event.actor.username if event.actor is not None else event.username
