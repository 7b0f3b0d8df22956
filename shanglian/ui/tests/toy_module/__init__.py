"""A new module as the next issues will add one (events, engagement …), written only in its own package:
a page in the navigation, an import kind, a 待办, a 工作台 panel, a figure and demo data. The test that
installs it (`test_new_module.py`) proves that no other app had to be edited for any of them."""
