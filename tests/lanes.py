"""The two lanes of the suite (README). The quick lane (`scripts/test --quick` sets SRM_QUICK=1) takes smaller
samples of the proofs that try many of a kind: fuzz examples, XSS payloads, formula texts, unknown ids around each
object. The whole suite, the CI command, takes them all; a nightly run goes deeper with SRM_FUZZ_EXAMPLES."""

import os
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

QUICK = os.environ.get("SRM_QUICK") == "1"


def sample(items: Sequence[T], quick: int) -> list[T]:
    """All of `items`; in the quick lane the first `quick` of them (so put the most different first)."""
    return list(items[:quick] if QUICK else items)


def depth(full: int, quick: int) -> int:
    """A count for the whole suite, or for the quick lane."""
    return quick if QUICK else full


def examples(full: int, quick: int = 3) -> int:
    """Hypothesis examples per case: SRM_FUZZ_EXAMPLES where set (a nightly run: hundreds), else by lane."""
    return int(os.environ.get("SRM_FUZZ_EXAMPLES") or depth(full, quick))
