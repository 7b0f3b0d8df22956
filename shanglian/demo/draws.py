"""Small helpers the demo builders draw with, each from a given `random.Random`."""

from datetime import timedelta


def weighted(rng, pairs):
    """One value of [(value, weight), …], drawn with its weight."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def day_between(rng, start, end):
    """A day in [start, end] (start when the range is empty)."""
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def weighted_sample(rng, items, weights, k):
    """k of the items without replacement, each drawn with its weight (Efraimidis–Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1 / w), n) for n, w in enumerate(weights) if w > 0), reverse=True)
    return [items[n] for _key, n in keyed[:k]]
