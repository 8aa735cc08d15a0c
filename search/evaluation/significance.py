"""Paired significance tests on per-query scores of two runs: Student's t and a randomisation (sign-flip) test."""
from __future__ import annotations

import warnings

import numpy as np

PERMUTATIONS = 10_000


def paired_t(a: np.ndarray, b: np.ndarray) -> float | None:
    """Two-sided paired t-test p-value; None when the two runs score every query alike (nothing to test)."""
    from scipy.stats import ttest_rel

    if np.array_equal(a, b):
        return None
    with warnings.catch_warnings():  # one query or a constant difference: no variance, p is NaN (scipy warns)
        warnings.simplefilter("ignore", RuntimeWarning)
        p = float(ttest_rel(a, b, alternative="two-sided").pvalue)
    return p if p == p else None


def randomisation(a: np.ndarray, b: np.ndarray, permutations: int = PERMUTATIONS, seed: int = 42) -> float | None:
    """Two-sided paired randomisation test (Fisher; Smucker et al., CIKM 2007): swap each query's two scores at
    random and count how often the mean difference is at least the observed one. p = (count + 1) / (permutations + 1),
    so never 0, and the same seed gives the same p. None when the runs score every query alike."""
    if np.array_equal(a, b):
        return None
    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    observed = abs(diff.mean()) - 1e-12  # ties count as at least as extreme
    rng = np.random.default_rng(seed)
    extreme, done = 0, 0
    while done < permutations:
        chunk = min(1000, permutations - done)
        signs = rng.integers(0, 2, size=(chunk, diff.size), dtype=np.int8) * 2 - 1
        extreme += int((np.abs(signs @ diff) / diff.size >= observed).sum())
        done += chunk
    return (extreme + 1) / (permutations + 1)


TESTS = {"student": paired_t, "fisher": randomisation}
