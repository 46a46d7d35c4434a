"""How the package writes numbers, shapes and float spacings: one formatter for each use.

- `Decimal`: what `shortest` and `brief` return, a number a message writes with its language's
  decimal separator (0,5 in Portuguese), while code and tensor values keep Python's point.
- `shortest(value, dtype)`: the shortest decimal that reads back as the same value in `dtype`,
  for verdicts and evidence, where the exact float matters (1.5409961, 409600.03).
- `brief(value)`: four significant digits, for graph pictures and step-by-step text, where a
  value is a reminder and must look the same on every machine.
- `values_text(tensor)`, `shape_text(shape)`: a small tensor's values and a shape as text.
- `memory_text(size)`: a memory size in GiB or MiB.
- `ulp(scale, dtype)` and `ulps_text(ulps)`: the spacing of floats and a distance in ulps.

Nothing here imports torch at module level except for dtype checks done on demand.
"""

from __future__ import annotations

import math
import struct


class Decimal(str):
    """A number written as Python writes it ("1.5409961", or with a unit: "⏱ 0.927 ms"). Given to a
    message as a field, it is put into words with that language's decimal separator
    (`autograd_lessons.i18n.message`); anywhere else (code, an f-string) it stays as Python
    writes it."""

    __slots__ = ()


BRIEF_DIGITS = 4  # significant digits in pictures: enough to recognise a value, short enough to fit a box
SINGLE_PRECISION = ("float32", "float16", "bfloat16")  # dtypes whose values round-trip through float32


def _as_float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def shortest(value: float, dtype: object | None = None) -> str:
    """The shortest decimal that reads back as the same value in `dtype` (no '-0', no '.0').

    `dtype` is a torch dtype (float32 and narrower round-trip through float32) or None for a
    Python float (float64).
    """
    value = float(value) + 0.0
    if math.isnan(value) or math.isinf(value):
        return Decimal(value)
    if value.is_integer() and abs(value) < 1e16:
        return Decimal(int(value))
    same = _as_float32 if str(dtype).removeprefix("torch.") in SINGLE_PRECISION else float
    for digits in range(1, 18):
        text = f"{value:.{digits}g}"
        if same(float(text)) == same(value):
            return Decimal(text)
    return Decimal(repr(value))


def brief(value: float) -> str:
    """A float with BRIEF_DIGITS significant digits, the same on every machine (and no '-0')."""
    return Decimal(f"{float(value) + 0.0:.{BRIEF_DIGITS}g}")


def memory_text(size: float) -> Decimal:
    """A memory size in bytes as GiB from 1 GiB up, else as MiB, to three significant digits:
    "1 GiB", "1.5 GiB", "256 MiB" (a Decimal: "1,5 GiB" in a Portuguese message)."""
    gib = 2**30
    return Decimal(f"{size / gib:.3g} GiB" if size >= gib else f"{size / 2**20:.3g} MiB")


def shape_text(shape) -> str:
    """A shape as Python writes a tuple: (), (4,), (3, 2)."""
    shape = tuple(int(s) for s in shape)
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def values_text(tensor) -> str:
    """A small tensor's values as a flat list like `[0, 1, 4, 9]`, or one number for a scalar."""
    flat = [shortest(v, tensor.dtype) for v in tensor.detach().reshape(-1).tolist()]
    return flat[0] if tensor.dim() == 0 else "[" + ", ".join(flat) + "]"


def ulp(scale: float, dtype) -> float:
    """The spacing of `dtype` numbers at magnitude `scale` (1 for integers and booleans)."""
    import torch

    if not (dtype.is_floating_point or dtype.is_complex):
        return 1.0
    info = torch.finfo(dtype)
    scale = abs(scale)
    if scale < info.tiny:
        return info.tiny * info.eps  # the subnormal spacing
    return 2.0 ** (math.frexp(scale)[1] - 1) * info.eps


def ulps_text(ulps: float) -> Decimal:
    """A distance in ulps with three significant digits (a Decimal: a message writes "2,5")."""
    return Decimal(f"{ulps:.3g}")


__all__ = [
    "BRIEF_DIGITS",
    "Decimal",
    "brief",
    "memory_text",
    "shape_text",
    "shortest",
    "ulp",
    "ulps_text",
    "values_text",
]
