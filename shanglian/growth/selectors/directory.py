"""The member directory's one projection: what an entry shows is decided here, for the pages, the API and the
export alike — a field the member did not choose to show is never read into what leaves the server.

`entry(listing)` → {"id", "name", "fields": [(key, label, value), …]} with only the shown, non-empty fields, in
the order of `DIRECTORY_FIELDS`. The enterprise's name is always shown. Its contact mobile is shown whole only
when the member chose to show it (the directory exists to be contacted); nothing else of the registry is read.
"""

from ..models import DIRECTORY_FIELDS


def _value(listing, key):
    enterprise = listing.enterprise
    if key == "industry":
        return str(enterprise.industry) if enterprise.industry_id else ""
    if key == "street":
        return str(enterprise.street) if enterprise.street_id else ""
    if key in ("address", "contact_name", "contact_mobile"):
        return getattr(enterprise, key) or ""
    return getattr(listing, key) or ""  # products, intro, website: the listing's own words


def shown_keys(listing):
    chosen = set(listing.shown_fields or [])
    return [key for key, _ in DIRECTORY_FIELDS if key in chosen]


def entry(listing):
    labels = dict(DIRECTORY_FIELDS)
    fields = [(key, labels[key], value) for key in shown_keys(listing) if (value := _value(listing, key))]
    return {"id": listing.pk, "enterprise_id": listing.enterprise_id, "name": listing.enterprise.name,
            "fields": fields}


def entry_dict(listing):
    """An entry as a flat mapping (API, export): the name and the shown fields only, hidden keys absent."""
    data = entry(listing)
    return {"id": data["id"], "name": data["name"], **{key: value for key, _, value in data["fields"]}}
