"""The data files under `shanglian/demo/data/`, read with the standard library, order kept."""

import csv
import tomllib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_toml(name):
    """The parsed `data/<name>` TOML file (tables and arrays in file order)."""
    with (DATA_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


def load_csv(name):
    """The rows of `data/<name>` as dicts keyed by its header, in file order."""
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def words(cell):
    """A cell that lists words separated by "、" → the list of words (empty cell → [])."""
    return [word for word in cell.split("、") if word]
