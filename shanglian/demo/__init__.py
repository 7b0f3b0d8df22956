"""The demo district: the registry of demo builders, the organisation and logins every builder stands on,
the literals as data files (`data/`), and `manage.py seed_demo`, which runs the registered builders.

Each app adds its demo data in its own `demo.py` (found by `registry.discover()`):

    # events/demo.py
    from shanglian.demo.registry import register

    @register("events", after=("members",), counts=counts)
    def seed(run):
        return build(run.results["members"], end=run.today)

This package never imports the apps whose builders it runs.
"""
