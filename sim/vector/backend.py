"""The vector engine's array back-ends: numpy on the CPU, PyTorch on a GPU.

The engine is written once, against numpy's API. On ``engine.device=cuda`` its state arrays
are :class:`TorchArray` — a thin duck array around a ``torch.Tensor`` that numpy's own
dispatch protocols route to PyTorch: ``__array_ufunc__`` (NEP 13: ``np.exp``, operators,
``np.add.at``) and ``__array_function__`` (NEP 18: ``np.where``, ``np.bincount``,
``np.lexsort`` …). So ``np.where(mask, a, b)`` on device arrays runs ``torch.where`` on the
device, and no line of ``sim/vector/day.py`` names a back-end. This is how Dask and CuPy
arrays pass through numpy code; it keeps one engine instead of two that drift apart.

What PyTorch lacks (SciPy's inverse incomplete beta and gamma, ``np.pad`` …) *falls back to
the host*: the arguments are copied to the CPU, numpy or SciPy computes, the result is copied
back. Exact, and slow only where it happens; ``counts`` tallies every fallback and host↔device
copy, so a profile says what to port next. An array the engine creates on the host
(``np.zeros(R)`` without ``like=``) joins the device the first time it meets a device array
(an ``h2d`` copy, counted too).

``engine.device=torch-cpu`` runs the PyTorch back-end on the CPU: slower than numpy, it is
there so that the GPU code path is tested on machines without a GPU (tests/vector/test_backend.py).

Semantics follow numpy where the two libraries differ: stable sorts, ``float64`` for integer
division and float scalars, reductions' result dtypes, int8 codes used as indices, and
deterministic kernels (:func:`numpy_semantics`). One difference stays: when a plain assignment
repeats a position, numpy keeps the last write and CUDA leaves the winner undefined. The
engine's sums go through ``np.add.at``; a GPU run that parted from numpy's through such a write
would show in the GPU tests (rows to 1e-6).
"""

from __future__ import annotations

import contextlib
import operator
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from sim.params import ENGINE_DEVICES

__all__ = ["ARRAYS", "DEVICES", "Lookup", "TorchArray", "as_index", "as_tensor", "asarray", "counts",
           "numpy_semantics", "to_device", "to_host", "torch_device", "trace"]

#: engine.device values: numpy on the CPU, PyTorch on a GPU, PyTorch on the CPU (tests).
DEVICES = ENGINE_DEVICES

#: Host fallbacks and copies since the last ``counts.clear()``: "fallback:<name>", "h2d", "d2h",
#: and the bytes copied ("h2d bytes", "d2h bytes"). With ``trace(True)`` each key also names the
#: engine line that caused it (slower: for finding what to port next).
counts: Counter = Counter()
_trace = False


def trace(on: bool) -> None:
    """Tally host copies and fallbacks per engine line (see ``counts``)."""
    global _trace
    _trace = on


def _count(key: str, nbytes: int = 0) -> None:
    if _trace:
        f = sys._getframe(2)
        while f is not None and (f.f_code.co_filename == __file__ or "sim/vector" not in f.f_code.co_filename):
            f = f.f_back
        if f is not None:
            key = f"{key} @ {Path(f.f_code.co_filename).name}:{f.f_lineno}"
    counts[key] += 1
    if nbytes:
        counts[key.replace(" @", " bytes @") if " @" in key else key + " bytes"] += nbytes


_TORCH = None


def _torch():
    """The torch module, imported on first use (an optional extra: pip install -e ".[gpu]")."""
    global _TORCH
    if _TORCH is None:
        try:
            import torch
        except ImportError as exc:
            raise ImportError("engine.device=cuda|torch-cpu needs PyTorch: pip install -e \".[gpu]\"") from exc
        _TORCH = torch
    return _TORCH


def torch_device(device: str):
    """The torch.device of an engine.device value (``cuda``, ``torch-cpu``); a clear error
    when PyTorch is missing or sees no GPU."""
    torch = _torch()
    if device == "torch-cpu":
        return torch.device("cpu")
    if device == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("engine.device = 'cuda': PyTorch finds no CUDA device on this machine "
                               "(engine.device=cpu runs numpy; torch-cpu runs the PyTorch back-end on the CPU)")
        return torch.device(device)
    raise ValueError(f"engine.device = {device!r}: allowed {', '.join(DEVICES)}")


@contextlib.contextmanager
def numpy_semantics() -> Iterator[None]:
    """PyTorch settings while the engine runs, restored after:

    - numpy's float default: ``int_tensor / 7`` and ``int_tensor * 0.5`` are float64 (PyTorch's
      default is float32);
    - deterministic algorithms, so the same seed gives the same run on a GPU too (CUDA's
      accumulating ``index_put_`` otherwise adds in a varying order); ``warn_only``: an operation
      without a deterministic kernel warns instead of stopping the run.
    """
    torch = _torch()
    dtype = torch.get_default_dtype()
    det, warn = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    torch.set_default_dtype(torch.float64)
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.set_default_dtype(dtype)
        torch.use_deterministic_algorithms(det, warn_only=warn)


# -- dtypes ---------------------------------------------------------------------------------------
_NP_TO_TORCH: dict[np.dtype, Any] = {}
_TORCH_TO_NP: dict[Any, np.dtype] = {}


def _dtype_maps() -> None:
    torch = _torch()
    for n, t in ((np.float64, torch.float64), (np.float32, torch.float32), (np.int64, torch.int64),
                 (np.int32, torch.int32), (np.int16, torch.int16), (np.int8, torch.int8), (np.uint8, torch.uint8),
                 (np.bool_, torch.bool), (np.uint64, torch.uint64)):
        _NP_TO_TORCH[np.dtype(n)] = t
        _TORCH_TO_NP[t] = np.dtype(n)


def _tdtype(dtype):
    """A numpy dtype (or type, or torch dtype) as a torch dtype."""
    if not _NP_TO_TORCH:
        _dtype_maps()
    if dtype in _TORCH_TO_NP:
        return dtype
    if dtype is float:
        dtype = np.float64
    elif dtype is int:
        dtype = np.int64
    elif dtype is bool:
        dtype = np.bool_
    return _NP_TO_TORCH[np.dtype(dtype)]


def _ndtype(tdtype) -> np.dtype:
    if not _NP_TO_TORCH:
        _dtype_maps()
    return _TORCH_TO_NP[tdtype]


# -- the duck array -------------------------------------------------------------------------------
class TorchArray(NDArrayOperatorsMixin):
    """A ``torch.Tensor`` that numpy code can use as an ``np.ndarray`` (see the module docstring)."""

    __slots__ = ("t",)
    __array_priority__ = 100

    def __init__(self, t) -> None:
        self.t = t

    # numpy's attributes
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.t.shape)

    @property
    def ndim(self) -> int:
        return self.t.dim()

    @property
    def size(self) -> int:
        return self.t.numel()

    @property
    def dtype(self) -> np.dtype:
        return _ndtype(self.t.dtype)

    @property
    def T(self) -> TorchArray:
        return TorchArray(self.t.permute(*reversed(range(self.t.dim()))))

    @property
    def device(self):
        return self.t.device

    def __len__(self) -> int:
        return len(self.t)

    def __iter__(self):
        return (TorchArray(x) for x in self.t)

    def __bool__(self) -> bool:
        return bool(self.t)

    def __int__(self) -> int:
        return int(self.t)

    def __float__(self) -> float:
        return float(self.t)

    def __index__(self) -> int:
        if self.t.dim():  # numpy would read a one-element mask as the integer 1 (or 0)
            raise TypeError("only a 0-d integer array is an index")
        if self.t.is_floating_point() or self.t.dtype == _torch().bool:
            raise TypeError("only integer arrays are indices")
        return int(self.t)

    def __format__(self, spec: str) -> str:
        return format(self.t.item(), spec)

    def __repr__(self) -> str:
        return f"TorchArray({self.t!r})"

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        _count("d2h", self.t.numel() * self.t.element_size())
        a = self.t.detach().cpu().numpy()
        return a if dtype is None else a.astype(dtype, copy=False)

    def tolist(self) -> list:
        return self.t.tolist()

    def item(self):
        return self.t.item()

    # methods: numpy's functions (dispatched below)
    def astype(self, dtype, copy: bool = True) -> TorchArray:
        return _astype(self.t.device, self, dtype, copy=copy)

    def copy(self) -> TorchArray:
        return TorchArray(self.t.clone())

    def view(self, dtype) -> TorchArray:
        return TorchArray(self.t.view(_tdtype(dtype)))

    def reshape(self, *shape, **kw) -> TorchArray:
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return TorchArray(self.t.reshape(tuple(int(n) for n in shape)))

    def ravel(self) -> TorchArray:
        return TorchArray(self.t.reshape(-1))

    def fill(self, value) -> None:
        self.t.fill_(value)

    def __getattr__(self, name: str):
        # sum, any, all, max, min, mean, prod, cumsum, argmax, argsort, nonzero, clip, repeat …
        if name.startswith("__") or not hasattr(np, name):
            raise AttributeError(name)
        fn = getattr(np, name)
        return lambda *a, **k: fn(self, *a, **k)

    # indexing
    def __getitem__(self, key) -> TorchArray:
        return TorchArray(self.t[as_index(key, self.t.device)])

    def __setitem__(self, key, value) -> None:
        key = as_index(key, self.t.device)
        if _shares(key, self.t):  # x[x] = … : PyTorch wants the index apart from the target
            key = tuple(k.clone() if hasattr(k, "data_ptr") else k for k in key) if isinstance(key, tuple) \
                else key.clone()
        if isinstance(value, (TorchArray, np.ndarray)):
            value = as_tensor(value, self.t.device).to(self.t.dtype)
        self.t[key] = value

    # numpy's protocols
    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        dev = self.t.device  # numpy calls this on one of the operands: the engine's device
        name = ufunc.__name__
        fn = _UFUNCS.get(name) if method == "__call__" and not kwargs else None
        if method == "at" and name in _AT and isinstance(inputs[0], TorchArray):
            target, index = inputs[0], inputs[1]
            values = inputs[2] if len(inputs) > 2 else 1
            v = _operand(values, dev)
            v = (v.to(target.t.dtype) if hasattr(v, "to")
                 else _torch().full((), v, dtype=target.t.dtype, device=dev))
            _AT[name](target.t, as_index(index, dev), v)
            return None
        if method == "at":  # onto a host target (an array the engine made today): in place there
            _count(f"fallback:{name}.at")
            ufunc.at(*_host(inputs))
            return None
        if fn is None:
            return _fallback(f"{name}.{method}" if method != "__call__" else name,
                             lambda *a: getattr(ufunc, method)(*a, out=_host_out(out), **kwargs), inputs, dev,
                             out)
        result = fn(*(_operand(x, dev) for x in inputs))
        if out is not None:
            return _write_out(out[0], result)
        return _wrap(result)

    def __array_function__(self, func, types, args, kwargs):
        dev = self.t.device
        impl = _FUNCTIONS.get(func.__name__)
        if impl is not None:
            result = impl(dev, *args, **kwargs)
            if result is not NotImplemented:
                return result
        return _fallback(func.__name__, func, args, dev, kwargs=kwargs)


class Lookup:
    """A small constant table (role code -> property) that codes on any back-end index:
    ``TABLE[role]`` is a numpy array for numpy codes, a device array for device codes (the
    table is copied to a device once)."""

    def __init__(self, values) -> None:
        self.values = np.asarray(values)
        self._on: dict = {}

    def __getitem__(self, codes):
        if isinstance(codes, TorchArray):
            dev = codes.t.device
            if dev not in self._on:
                self._on[dev] = as_tensor(self.values, dev)
            return TorchArray(self._on[dev][codes.t.to(_torch().int64)])
        return self.values[codes]


#: What the engine's arrays may be (``isinstance`` checks).
ARRAYS = (np.ndarray, TorchArray)


def asarray(x, dtype=None):
    """``np.asarray`` that leaves a device array on its device (``np.asarray`` copies it to the host)."""
    if isinstance(x, TorchArray):
        return x if dtype is None else x.astype(dtype, copy=False)
    return np.asarray(x, dtype=dtype)


# -- moving values --------------------------------------------------------------------------------
def as_tensor(x, dev):
    """Any array-like as a tensor on ``dev`` (numpy arrays are copied there: counted)."""
    if type(x) is TorchArray:  # an engine's arrays all live on its one device
        return x.t
    torch = _torch()
    if isinstance(x, np.ndarray):
        _count("h2d", x.nbytes)
        if x.dtype == np.uint64:  # the hash words: reinterpreted as int64 (rng does the same)
            x = x.view(np.int64)
        return torch.tensor(x, device=dev)  # a copy, as on a GPU (from_numpy would share the host memory)
    if isinstance(x, np.generic):
        return torch.tensor(x.item(), dtype=_tdtype(x.dtype), device=dev)
    if isinstance(x, (list, tuple)):
        return torch.as_tensor(np.asarray(x), device=dev)
    return torch.as_tensor(x, device=dev)


def _operand(x, dev, tensor: bool = False):
    """A ufunc argument: tensors for arrays, Python scalars as they are (PyTorch, like numpy 2,
    lets a Python scalar adopt the array's dtype), unless ``tensor``."""
    t = type(x)
    if t is TorchArray:
        return x.t
    if (t is float or t is int or t is bool) and not tensor:
        return x
    if isinstance(x, np.generic) or (isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "biuf"):
        if not tensor:
            return x.item()
    return as_tensor(x, dev)


def as_index(key, dev):
    """A numpy index as a torch index: arrays to tensors, integer codes (int8 roles) to int64."""
    kind = type(key)
    if kind is TorchArray:
        k = key.t
        return k if k.dtype is _torch().int64 or k.dtype is _TORCH.bool else k.to(_TORCH.int64)
    if kind is tuple:
        return tuple(as_index(k, dev) for k in key)
    if kind is slice or kind is int or key is None or key is Ellipsis:
        return key
    torch = _torch()
    if isinstance(key, np.ndarray) or (isinstance(key, list) and key and not isinstance(key[0], slice)):
        t = as_tensor(key, dev)
        if t.dtype != torch.bool and t.dtype != torch.int64:
            t = t.to(torch.int64)
        return t
    if isinstance(key, np.integer):
        return int(key)
    return key


def _shares(key, t) -> bool:
    """Does an index tensor share memory with ``t`` (``x[x] = …``, ``x[x[:3]] = …``)?"""
    keys = key if isinstance(key, tuple) else (key,)
    mem = t.untyped_storage().data_ptr()
    return any(hasattr(k, "untyped_storage") and k.numel() and k.untyped_storage().data_ptr() == mem for k in keys)


def _wrap(x):
    torch = _torch()
    if isinstance(x, torch.Tensor):
        return TorchArray(x)
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


def _write_out(out, result):
    if isinstance(out, TorchArray):
        out.t.copy_(result if not isinstance(result, (bool, int, float)) else out.t.new_tensor(result))
        return out
    out[...] = result.cpu().numpy()
    return out


def _host(x):
    if isinstance(x, TorchArray):
        return np.asarray(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_host(v) for v in x)
    if isinstance(x, dict):
        return {k: _host(v) for k, v in x.items()}
    return x


def _host_out(out):
    return None if out is None else tuple(np.empty(o.shape, o.dtype) if isinstance(o, TorchArray) else o
                                          for o in out)


def _to_dev(x, dev):
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return TorchArray(as_tensor(x, dev))
    if isinstance(x, tuple):
        return tuple(_to_dev(v, dev) for v in x)
    if isinstance(x, list):
        return [_to_dev(v, dev) for v in x]
    return x


def _fallback(name: str, fn: Callable, args, dev, out=None, kwargs=None):
    """Compute on the host with numpy/SciPy and move the result back to ``dev`` (counted)."""
    _count(f"fallback:{name}")
    result = fn(*_host(tuple(args)), **_host(kwargs or {}))
    if out is not None:
        host_out = result if isinstance(result, tuple) else (result,)
        for o, h in zip(out, host_out):
            if isinstance(o, TorchArray):
                o.t.copy_(as_tensor(h, dev))
        return out[0] if len(out) == 1 else out
    return _to_dev(result, dev)


def to_device(obj, dev, seen: set | None = None) -> None:
    """Move every numeric numpy array attribute of ``obj`` (and of the plain objects it holds:
    sections, tie tables, ring buffers) to ``dev``; string and object columns stay on the host."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for name, value in list(vars(obj).items()):
        if isinstance(value, np.ndarray):
            if value.dtype.kind in "biuf":  # read-only (shared) ones too: the device gets a copy
                setattr(obj, name, TorchArray(as_tensor(value, dev)))
        elif hasattr(value, "__dict__") and type(value).__module__.startswith(("sim.vector", "types")):
            to_device(value, dev, seen)


def to_host(obj, seen: set | None = None) -> None:
    """The inverse of :func:`to_device`: every TorchArray attribute back to a numpy array,
    those in lists, tuples and dicts (the roster, role changes, events) included."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for name, value in list(vars(obj).items()):
        if isinstance(value, (TorchArray, list, tuple, dict)):
            setattr(obj, name, _host(value))
        elif hasattr(value, "__dict__") and type(value).__module__.startswith(("sim.vector", "types")):
            to_host(value, seen)


# -- ufuncs ---------------------------------------------------------------------------------------
def _floating(f):
    """A float-only function (exp, log …) on any dtype: integers become float64, as in numpy."""
    def g(x):
        if not x.is_floating_point():
            x = x.to(_torch().float64)
        return f(x)
    return g


def _integral_kept(f):
    """floor, ceil: integers stay integers of their dtype (numpy 2)."""
    def g(x):
        return f(x) if x.is_floating_point() else x.clone()
    return g


def _binary_tensor(name: str):
    """A torch function that wants two tensors (minimum, logical_and …) given numpy-style operands."""
    def g(a, b):
        torch = _torch()
        dev = a.device if isinstance(a, torch.Tensor) else b.device
        a = a if isinstance(a, torch.Tensor) else torch.tensor(a, device=dev)
        b = b if isinstance(b, torch.Tensor) else torch.tensor(b, device=dev)
        return getattr(torch, name)(a, b)
    return g


def _build_ufuncs() -> dict[str, Callable]:
    torch = _torch()
    table = {
        "add": operator.add, "subtract": operator.sub, "multiply": operator.mul, "true_divide": operator.truediv,
        "divide": operator.truediv, "floor_divide": operator.floordiv, "remainder": operator.mod,
        "power": operator.pow, "negative": operator.neg, "positive": operator.pos, "absolute": torch.abs,
        "invert": operator.invert, "bitwise_and": operator.and_, "bitwise_or": operator.or_,
        "bitwise_xor": operator.xor, "left_shift": operator.lshift, "right_shift": operator.rshift,
        "less": operator.lt, "less_equal": operator.le, "greater": operator.gt, "greater_equal": operator.ge,
        "equal": operator.eq, "not_equal": operator.ne,
        "logical_not": torch.logical_not, "isnan": torch.isnan, "isfinite": torch.isfinite, "isinf": torch.isinf,
        "sign": torch.sign,
        # SciPy's inverse normal CDF: PyTorch's agrees to ~1e-15 (a draw may differ in its last bits).
        "ndtri": _floating(torch.special.ndtri),
    }
    for name in ("minimum", "maximum", "fmin", "fmax", "logical_and", "logical_or", "logical_xor"):
        table[name] = _binary_tensor(name)
    for name, f in (("exp", torch.exp), ("log", torch.log), ("log1p", torch.log1p), ("expm1", torch.expm1),
                    ("sqrt", torch.sqrt), ("tanh", torch.tanh), ("log2", torch.log2), ("log10", torch.log10)):
        table[name] = _floating(f)
    table["rint"] = _floating(torch.round)  # numpy's rint of an integer is float64; floor and ceil keep it
    for name, f in (("floor", torch.floor), ("ceil", torch.ceil)):
        table[name] = _integral_kept(f)
    return table


class _LazyTable(dict):
    def __init__(self, build):
        super().__init__()
        self._build = build

    def get(self, key, default=None):
        if not self:
            self.update(self._build())
        return super().get(key, default)


_UFUNCS = _LazyTable(_build_ufuncs)


def _add_at(t, index, values) -> None:
    t.index_put_(index if isinstance(index, tuple) else (index,), values, accumulate=True)  # values broadcast


def _max_at(t, index, values) -> None:
    flat = _flat_positions(index if isinstance(index, tuple) else (index,), t.shape, t.device).reshape(-1)
    t.view(-1).scatter_reduce_(0, flat, values.expand(flat.shape).reshape(-1), reduce="amax")


def _flat_positions(index, dims, dev):
    """Row-major flat positions of a tuple of index arrays into an array of shape ``dims``."""
    torch = _torch()
    flat = torch.zeros((), dtype=torch.int64, device=dev)
    for i, n in zip(index, dims):
        flat = flat * int(n) + as_tensor(i, dev).to(torch.int64)
    return flat


_AT = {"add": _add_at, "maximum": _max_at}


# -- functions ------------------------------------------------------------------------------------
def _common(tensors):
    """Tensors promoted to one dtype (numpy's concatenate and stack do this)."""
    torch = _torch()
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = torch.promote_types(dt, t.dtype)
    return [t.to(dt) for t in tensors]


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _reduce(tfn_all, tfn_dim, cast_bool_float=False):
    def impl(dev, a, axis=None, dtype=None, out=None, keepdims=False, **kw):
        if out is not None or kw:
            return NotImplemented
        t = as_tensor(a, dev)
        if cast_bool_float and not t.is_floating_point():
            t = t.to(_torch().float64)
        if dtype is not None:
            t = t.to(_tdtype(dtype))
        if axis is None and not keepdims:
            return TorchArray(tfn_all(t))
        return TorchArray(tfn_dim(t, dim=_axis(axis) if axis is not None else tuple(range(t.dim())), keepdim=keepdims))
    return impl


def _where(dev, cond, x=None, y=None):
    torch = _torch()
    c = as_tensor(cond, dev)
    if x is None:
        return tuple(TorchArray(i) for i in torch.nonzero(c, as_tuple=True))
    c = c if c.dtype == torch.bool else c != 0
    x, y = _operand(x, dev), _operand(y, dev)
    if not isinstance(x, torch.Tensor) and not isinstance(y, torch.Tensor):
        x = torch.tensor(x, device=dev)
    return TorchArray(torch.where(c, x, y))


def _nonzero(dev, a):
    return tuple(TorchArray(i) for i in _torch().nonzero(as_tensor(a, dev), as_tuple=True))


def _flatnonzero(dev, a):
    return TorchArray(_torch().nonzero(as_tensor(a, dev).reshape(-1), as_tuple=True)[0])


def _like(fill):
    """np.zeros_like / ones_like / empty_like (fill None) / full_like (fill "full": its value next)."""
    def impl(dev, a, *args, dtype=None, order="K", subok=True, shape=None, **kw):
        torch = _torch()
        value = args[0] if fill == "full" else fill
        t = as_tensor(a, dev)
        dt = t.dtype if dtype is None else _tdtype(dtype)
        shape = t.shape if shape is None else shape
        if value is None:
            return TorchArray(torch.empty(shape, dtype=dt, device=dev))
        return TorchArray(torch.full(shape, value, dtype=dt, device=dev))
    return impl


def _astype(dev, x, dtype, copy=True, **kw):
    t = as_tensor(x, dev)
    dt = _tdtype(dtype)
    return TorchArray(t.to(dt, copy=copy) if copy or t.dtype != dt else t)


def _cumsum(dev, a, axis=None, dtype=None, out=None):
    if out is not None:
        return NotImplemented
    t = as_tensor(a, dev)
    if axis is None:
        t, axis = t.reshape(-1), 0
    return TorchArray(t.cumsum(axis, dtype=None if dtype is None else _tdtype(dtype)))


def _argmax(name):
    def impl(dev, a, axis=None, out=None, keepdims=False):
        if out is not None:
            return NotImplemented
        t = as_tensor(a, dev)
        if t.dtype == _torch().bool:
            t = t.to(_torch().uint8)
        return TorchArray(getattr(_torch(), name)(t, dim=axis, keepdim=keepdims))
    return impl


def _argsort(dev, a, axis=-1, kind=None, order=None, stable=None):
    if order is not None:
        return NotImplemented
    return TorchArray(_torch().argsort(as_tensor(a, dev), dim=axis, stable=True))


def _sort(dev, a, axis=-1, kind=None, order=None, stable=None):
    if order is not None:
        return NotImplemented
    t = as_tensor(a, dev)
    if axis is None:
        t, axis = t.reshape(-1), 0
    return TorchArray(_torch().sort(t, dim=axis, stable=True).values)


def _lexsort(dev, keys, axis=-1):
    """The last key is the primary one: stable sorts from the first key to the last."""
    torch = _torch()
    keys = [as_tensor(k, dev) for k in keys]
    if not keys:
        return NotImplemented
    idx = torch.argsort(keys[0], stable=True)
    for k in keys[1:]:
        idx = idx[torch.argsort(k[idx], stable=True)]
    return TorchArray(idx)


def _searchsorted(dev, a, v, side="left", sorter=None):
    torch = _torch()
    a = as_tensor(a, dev)
    v = as_tensor(v, dev)
    dt = torch.promote_types(a.dtype, v.dtype)
    s = None if sorter is None else as_tensor(sorter, dev)
    return TorchArray(torch.searchsorted(a.to(dt).contiguous(), v.to(dt).contiguous(), right=side == "right",
                                         sorter=s))


def _bincount(dev, x, weights=None, minlength=0):
    torch = _torch()
    x = as_tensor(x, dev).to(torch.int64)
    w = None if weights is None else as_tensor(weights, dev).to(torch.float64)
    if w is not None and x.is_cuda:  # CUDA's weighted bincount adds floats in a varying order
        n = max(int(minlength), int(x.max()) + 1 if x.numel() else 0)
        return TorchArray(torch.zeros(n, dtype=torch.float64, device=dev).index_put_((x,), w, accumulate=True))
    return TorchArray(torch.bincount(x, weights=w, minlength=int(minlength)))


def _concatenate(dev, arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    if out is not None:
        return NotImplemented
    torch = _torch()
    ts = _common([as_tensor(a, dev) for a in arrays])
    if axis is None:
        ts, axis = [t.reshape(-1) for t in ts], 0
    t = torch.cat(ts, dim=axis)
    return TorchArray(t if dtype is None else t.to(_tdtype(dtype)))


def _stack(dev, arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    if out is not None:
        return NotImplemented
    t = _torch().stack(_common([as_tensor(a, dev) for a in arrays]), dim=axis)
    return TorchArray(t if dtype is None else t.to(_tdtype(dtype)))


def _repeat(dev, a, repeats, axis=None):
    torch = _torch()
    t = as_tensor(a, dev)
    if axis is None:
        t, axis = t.reshape(-1), 0
    rep = repeats if isinstance(repeats, int) else as_tensor(repeats, dev).to(torch.int64)
    return TorchArray(torch.repeat_interleave(t, rep, dim=axis))


def _clip(dev, a, a_min=None, a_max=None, out=None, **kw):
    if out is not None or kw:
        return NotImplemented
    torch = _torch()
    t = as_tensor(a, dev)
    lo = None if a_min is None else _operand(a_min, dev, tensor=True)
    hi = None if a_max is None else _operand(a_max, dev, tensor=True)
    dt = t.dtype
    for b in (lo, hi):
        if b is not None:
            dt = torch.promote_types(dt, b.dtype) if b.dim() else torch.result_type(t, b.item())
    t = t.to(dt)
    if lo is not None:
        t = torch.maximum(t, lo.to(dt))
    if hi is not None:
        t = torch.minimum(t, hi.to(dt))
    return TorchArray(t)


def _isin(dev, element, test_elements, assume_unique=False, invert=False, **kw):
    if kw:
        return NotImplemented
    torch = _torch()
    e = as_tensor(element, dev)
    te = as_tensor(test_elements, dev).to(e.dtype) if not isinstance(test_elements, (int, float)) else test_elements
    if isinstance(te, torch.Tensor) and te.numel() == 0:
        return TorchArray(torch.full(e.shape, invert, dtype=torch.bool, device=dev))
    return TorchArray(torch.isin(e, te, invert=invert))


def _count_nonzero(dev, a, axis=None, keepdims=False):
    if keepdims:
        return NotImplemented
    return TorchArray(_torch().count_nonzero(as_tensor(a, dev), dim=axis))


def _broadcast_to(dev, array, shape, subok=False):
    shape = (shape,) if isinstance(shape, int) else tuple(int(n) for n in shape)
    return TorchArray(as_tensor(array, dev).expand(shape))


def _broadcast_arrays(dev, *args, subok=False):
    return tuple(TorchArray(t) for t in _torch().broadcast_tensors(*(as_tensor(a, dev) for a in args)))


def _ravel(dev, a, order="C"):
    return TorchArray(as_tensor(a, dev).reshape(-1))


def _reshape(dev, a, shape=None, order="C", **kw):
    shape = kw.get("newshape", shape)
    shape = (shape,) if isinstance(shape, int) else tuple(int(n) for n in shape)
    return TorchArray(as_tensor(a, dev).reshape(shape))


def _ravel_multi_index(dev, multi_index, dims, mode="raise", order="C"):
    return TorchArray(_flat_positions(multi_index, dims, dev))


def _copy(dev, a, order="K", subok=False):
    return TorchArray(as_tensor(a, dev).clone())


def _round(dev, a, decimals=0, out=None):
    if out is not None:
        return NotImplemented
    return TorchArray(_torch().round(as_tensor(a, dev), decimals=decimals))  # half to even, as numpy


def _diff(dev, a, n=1, axis=-1, **kw):
    if kw:
        return NotImplemented
    return TorchArray(_torch().diff(as_tensor(a, dev), n=n, dim=axis))


def _insert(dev, arr, obj, values, axis=None):
    """1-D ``np.insert`` with an array of positions: values go before ``arr[obj]``, equal
    positions in the order given (numpy sorts the positions stably)."""
    torch = _torch()
    a = as_tensor(arr, dev)
    if a.dim() != 1 or axis not in (None, 0) or isinstance(obj, (int, slice)):
        return NotImplemented
    pos = as_tensor(obj, dev).to(torch.int64).reshape(-1)
    order = torch.argsort(pos, stable=True)
    at = pos[order] + torch.arange(pos.numel(), device=dev)
    out = torch.empty(a.numel() + pos.numel(), dtype=a.dtype, device=dev)
    rest = torch.ones(out.numel(), dtype=torch.bool, device=dev)
    rest[at] = False
    out[rest] = a
    out[at] = _operand(values, dev, tensor=True).to(a.dtype).expand(pos.shape)[order]
    return TorchArray(out)


def _unique(dev, ar, return_index=False, return_inverse=False, return_counts=False, axis=None, **kw):
    """Sorted unique values of the flattened array; the first index of each by a stable sort."""
    if axis is not None or kw:
        return NotImplemented
    torch = _torch()
    t = as_tensor(ar, dev).reshape(-1)
    order = torch.argsort(t, stable=True)
    st = t[order]
    first = torch.ones(st.numel(), dtype=torch.bool, device=dev)
    first[1:] = st[1:] != st[:-1]
    out = [TorchArray(st[first])]
    if return_index:
        out.append(TorchArray(order[first]))
    if return_inverse:
        inv = torch.empty_like(order)
        inv[order] = torch.cumsum(first, 0) - 1
        out.append(TorchArray(inv))
    if return_counts:
        starts = torch.nonzero(first, as_tuple=True)[0]
        ends = torch.cat([starts[1:], torch.tensor([st.numel()], device=dev)])
        out.append(TorchArray(ends - starts))
    return out[0] if len(out) == 1 else tuple(out)


def _select(dev, condlist, choicelist, default=0):
    """The first condition that holds picks its choice (numpy's rule), as nested wheres."""
    torch = _torch()
    choices = [_operand(c, dev, tensor=True) for c in choicelist] + [_operand(default, dev, tensor=True)]
    dt = choices[0].dtype
    for c in choices[1:]:
        dt = torch.promote_types(dt, c.dtype)
    conds = [as_tensor(c, dev) for c in condlist]
    shape = torch.broadcast_shapes(*(c.shape for c in conds + choices))
    out = choices[-1].to(dt).expand(shape)
    for cond, choice in zip(reversed(conds), reversed(choices[:-1])):
        out = torch.where(cond, choice.to(dt), out)
    return TorchArray(out.contiguous())


def _creation(fill):
    """np.zeros / ones / empty / full with ``like=`` a device array (NEP 35): made on its device."""
    def impl(dev, shape, *args, dtype=None, order="C", device=None, **kw):
        torch = _torch()
        if fill == "full":
            value, args = args[0], args[1:]
        else:
            value = fill
        if args:
            dtype = args[0]
        if dtype is None:
            dtype = np.asarray(value).dtype if fill == "full" else np.float64
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
        if value is None:
            return TorchArray(torch.empty(shape, dtype=_tdtype(dtype), device=dev))
        if isinstance(value, (TorchArray, np.ndarray)):
            return TorchArray(as_tensor(value, dev).to(_tdtype(dtype)).expand(shape).clone())
        return TorchArray(torch.full(shape, value, dtype=_tdtype(dtype), device=dev))
    return impl


def _arange(dev, start, stop=None, step=None, dtype=None, **kw):
    torch = _torch()
    if stop is None:
        start, stop = 0, start
    dt = _tdtype(dtype) if dtype is not None else (
        torch.float64 if any(isinstance(v, float) for v in (start, stop, step)) else torch.int64)
    return TorchArray(torch.arange(int(start) if dt == torch.int64 else start, int(stop) if dt == torch.int64
                                   else stop, 1 if step is None else step, dtype=dt, device=dev))


def _build_functions() -> dict[str, Callable]:
    torch = _torch()
    return {
        "where": _where, "nonzero": _nonzero, "flatnonzero": _flatnonzero,
        "zeros_like": _like(0), "ones_like": _like(1), "empty_like": _like(None), "full_like": _like("full"),
        "astype": _astype, "copy": _copy,
        "sum": _reduce(torch.sum, torch.sum), "prod": _reduce(torch.prod, lambda t, dim, keepdim: _prod(t, dim, keepdim)),
        "mean": _reduce(torch.mean, torch.mean, cast_bool_float=True),
        "any": _reduce(torch.any, torch.any), "all": _reduce(torch.all, torch.all),
        "max": _reduce(torch.max, torch.amax), "amax": _reduce(torch.max, torch.amax),
        "min": _reduce(torch.min, torch.amin), "amin": _reduce(torch.min, torch.amin),
        "cumsum": _cumsum, "argmax": _argmax("argmax"), "argmin": _argmax("argmin"),
        "argsort": _argsort, "sort": _sort, "lexsort": _lexsort, "searchsorted": _searchsorted,
        "bincount": _bincount, "concatenate": _concatenate, "stack": _stack, "repeat": _repeat, "clip": _clip,
        "isin": _isin, "unique": _unique, "count_nonzero": _count_nonzero, "broadcast_to": _broadcast_to,
        "broadcast_arrays": _broadcast_arrays, "ravel": _ravel, "reshape": _reshape,
        "ravel_multi_index": _ravel_multi_index, "round": _round, "around": _round, "diff": _diff,
        "insert": _insert, "select": _select,
        "zeros": _creation(0), "ones": _creation(1), "empty": _creation(None), "full": _creation("full"),
        "arange": _arange,
    }


def _prod(t, dim, keepdim):
    for d in sorted(dim if isinstance(dim, tuple) else (dim,), reverse=True):
        t = t.prod(dim=d, keepdim=keepdim)
    return t


_FUNCTIONS = _LazyTable(_build_functions)
