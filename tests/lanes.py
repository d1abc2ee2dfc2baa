"""How deep the proofs that try many of a kind go (README, "Lanes").

Every run, the whole suite (the CI command) and the quick lane alike, takes a sample of each: a few fuzz examples
per form, the most different XSS payloads and formula texts, unknown ids a few either side of each object. A deep
run (`scripts/test --deep`, which sets SRM_DEEP=1: nightly) takes them all; SRM_FUZZ_EXAMPLES sets the number of
fuzz examples of either (hundreds, with SRM_FUZZ_RANDOM=1, to explore)."""

import os
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

DEEP = os.environ.get("SRM_DEEP") == "1"


def sample(items: Sequence[T], per_run: int) -> list[T]:
    """The first `per_run` of `items` (so put the most different first); a deep run takes them all."""
    return list(items if DEEP else items[:per_run])


def depth(deep: int, per_run: int) -> int:
    """A count for every run, or for a deep one."""
    return deep if DEEP else per_run


def examples(deep: int, per_run: int = 3) -> int:
    """Hypothesis examples per case: SRM_FUZZ_EXAMPLES where set, else by depth."""
    return int(os.environ.get("SRM_FUZZ_EXAMPLES") or depth(deep, per_run))
