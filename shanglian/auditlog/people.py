"""Who acted, for people: the name, role and login recorded in the row when it was written (rows written
since the chain got its key carry them), else — for older rows — the account as it is today, or the login
name recorded with the event when there is no account (a failed login) or it has since been deleted."""

from shanglian.accounts.roles import role_from_group_names


def actor_name(event):
    if event.actor_display:
        return event.actor_display
    actor = event.actor
    if actor is None:
        return event.username or "匿名访问"
    return actor.display_name or actor.username


def actor_role(event):
    """The actor's role when the row was written; for older rows their role today, from the groups the list
    prefetched; "—" without an account."""
    if event.actor_role:
        return event.actor_role
    if event.actor is None:
        return "—"
    role = role_from_group_names(group.name for group in event.actor.groups.all())
    return role.label if role else "未分配角色"


def actor_login(event):
    if event.username or event.actor is None:
        return event.username
    return event.actor.username
