"""Helpers the demo builders save with."""


def bulk_created_ids(model, objs, key):
    """The primary keys of bulk-created `objs` of `model`, in order (found again by the unique field
    `key` where the backend does not return them from a bulk insert)."""
    ids = [obj.pk for obj in objs]
    if None not in ids:
        return ids
    by_key = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in objs]}).values_list(key, "pk"))
    return [by_key[getattr(o, key)] for o in objs]
