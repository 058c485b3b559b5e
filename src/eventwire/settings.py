"""Every setting eventwire reads from its environment, in one table.

Each row gives the name, the default, the environment variable that
overrides it and a line of help. Nothing else in eventwire reads
``os.environ`` for its own settings; the README's "Settings" table lists
the same rows (a test keeps the two in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

VERSION = "0.1.0"
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
# The checkout's root (src/eventwire/../..): where floors.json and the
# shared gold data sit beside a development install.
CHECKOUT_DIR = PACKAGE_DIR.parents[1]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    env: str
    help: str

    def value(self) -> str:
        """The environment's value, else the default ("" when neither)."""
        return os.environ.get(self.env) or self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("token", "", "EVENTWIRE_TOKEN", "bearer token that `eventwire serve` requires on write endpoints"),
    Setting(
        "eval_dir", "", "EVENTWIRE_EVAL_DIR",
        "folder of gold data for `eventwire eval` (default: ../shared/eval beside the checkout)",
    ),
    Setting(
        "article_seconds", "60", "EVENTWIRE_ARTICLE_SECONDS",
        "time limit for the extractors of one article; past it the article is one error and the batch goes on (0: none)",
    ),
    Setting("ray_usage_stats", "0", "RAY_USAGE_STATS_ENABLED", "Ray's usage reporting; eventwire turns it off unless set"),
)  # fmt: skip

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
SETTINGS_BY_ENV = {s.env: s for s in SETTINGS}


def setting(name: str) -> str:
    """The current value of the setting called ``name``."""
    return SETTINGS_BY_NAME[name].value()
