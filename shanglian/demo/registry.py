"""The registry of demo builders: each app's `demo.py` registers the step that saves its demo data.

    @register("appeals", after=("members",), counts=counts)
    def seed(run):
        return build(run.results["members"], end=run.today)

`seed_demo` calls `discover()` (which imports every installed app's `demo` module), then runs
`ordered()` one after the other inside one transaction: a builder runs after the builders it names in
`after`; builders that do not depend on each other run in the order of their names, so the order (and
the ids of what they save) does not depend on the order the apps are installed or imported in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

# Enterprises in a default demo district (`seed_demo --enterprises`).
DEFAULT_ENTERPRISES = 1500
# A larger district is the default district (its logins, officers and showcase appeals) plus firms
# streamed in batches on top of it (`DemoRun.extra`).
CORE_ENTERPRISES = DEFAULT_ENTERPRISES
# Appeals per enterprise and year: the default district's rate, and the rate of a larger district
# (the city measured in issue 19: ~205,000 a year for 105,000 firms).
DEFAULT_APPEALS_PER_ENTERPRISE = 0.85
LARGE_APPEALS_PER_ENTERPRISE = 2.0


@dataclass
class DemoRun:
    """What one `seed_demo` run hands every builder: its options and what the earlier builders returned."""

    today: date
    enterprises: int = DEFAULT_ENTERPRISES
    years: int | None = None  # of appeals; None: 1 for the default district, 3 for a larger one
    appeals_per_enterprise: float | None = None  # a year; None: the default or the large rate
    batch: int = 5000  # enterprises per streamed batch
    report: Callable[[str], None] | None = None  # where progress lines go
    results: dict = field(default_factory=dict)  # builder name → what its function returned

    @property
    def core(self):
        """Enterprises of the default-shaped district every run builds first."""
        return min(self.enterprises, CORE_ENTERPRISES)

    @property
    def extra(self):
        """Enterprises streamed on top of the core district."""
        return self.enterprises - self.core

    @property
    def appeal_years(self):
        if self.years is not None:
            return self.years
        return 1 if self.enterprises <= DEFAULT_ENTERPRISES else 3

    @property
    def appeal_rate(self):
        if self.appeals_per_enterprise is not None:
            return self.appeals_per_enterprise
        return DEFAULT_APPEALS_PER_ENTERPRISE if self.enterprises <= DEFAULT_ENTERPRISES \
            else LARGE_APPEALS_PER_ENTERPRISE

    def progress(self, label):
        """A `saving.Progress` that prints through `report`, its lines prefixed with `label`."""
        from .saving import Progress

        return Progress(None if self.report is None else (lambda line: self.report(f"  {label}：{line}")))


@dataclass(frozen=True)
class Builder:
    name: str
    build: Callable[[DemoRun], object]
    after: tuple[str, ...] = ()
    counts: Callable[[], list[tuple[str, int]]] | None = None  # (label, count) rows for the summary


_builders: dict[str, Builder] = {}


def register(name, *, after=(), counts=None):
    """Decorator: `build(run)` is the demo step `name`, run after the steps named in `after`.

    `counts()` (optional) returns the (label, count) rows `seed_demo` prints for this step.
    """

    def decorator(build):
        builder = Builder(name=name, build=build, after=tuple(after), counts=counts)
        known = _builders.get(name)
        if known is not None and _where(known.build) != _where(build):  # not the same module imported again
            raise ImproperlyConfigured(f"demo builder {name!r} is registered twice")
        _builders[name] = builder
        return build

    return decorator


def _where(function):
    return function.__module__, function.__qualname__


def discover():
    """Import every installed app's `demo` module, so each registers its builder."""
    autodiscover_modules("demo")


def builders():
    """Every registered builder, by name."""
    return dict(_builders)


def ordered(registered=None):
    """The builders in the order they run: each after those it names in `after`, otherwise by name."""
    registered = builders() if registered is None else registered
    for builder in registered.values():
        unknown = [name for name in builder.after if name not in registered]
        if unknown:
            raise ImproperlyConfigured(
                f"demo builder {builder.name!r} runs after {', '.join(unknown)}, which no app registers")
    done, order = set(), []
    while len(order) < len(registered):
        ready = sorted(name for name, b in registered.items() if name not in done and set(b.after) <= done)
        if not ready:
            cycle = sorted(set(registered) - done)
            raise ImproperlyConfigured("demo builders depend on each other in a cycle: " + ", ".join(cycle))
        done.add(ready[0])
        order.append(registered[ready[0]])
    return order
