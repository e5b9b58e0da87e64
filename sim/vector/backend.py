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

Semantics follow numpy where the two libraries differ: stable sorts, reductions' result
dtypes, int8 codes used as indices, and numpy 2's dtype rules (NEP 50: ``int / int`` and
``int * 0.5`` are float64, a numpy scalar keeps its dtype), computed here (:func:`_promote`)
rather than by setting PyTorch's default dtype, which is process-wide. One difference stays:
when a plain assignment repeats a position, numpy keeps the last write and CUDA leaves the
winner undefined. The engine's sums go through ``np.add.at``; a GPU run that parted from
numpy's through such a write would show in the GPU tests (rows to 1e-6).

No write is lost on the way (the traps a review found, each with a test): a device array has
numpy's methods of a vetted list (:data:`_METHODS`), and ``sort``, ``put``, ``fill`` work in
place; another ndarray method is refused rather than run on a copy. ``np.copyto``, ``np.put``
and ``np.putmask`` write into the tensor, the other in-place functions through a host copy
written back (:data:`_WRITES_FIRST_ARGUMENT`), and a fallback hands numpy read-only copies,
so an in-place function nobody listed raises. ``out=`` is filled and returned, ufuncs take
``where=``, ``dtype=`` and ``casting=`` on the device under numpy's casting rule, and
``np.asarray`` of a device array is a copy on ``torch-cpu`` too (there ``.numpy()`` would
share the tensor's memory and hide, on the CPU, a lost write that a GPU would drop).
"""

from __future__ import annotations

import contextlib
import inspect
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
           "deterministic_kernels", "to_device", "to_host", "torch_device", "trace"]

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
def deterministic_kernels(dev) -> Iterator[None]:
    """PyTorch's deterministic algorithms while a batch lives on a GPU, as they were after.

    The same seed must give the same run, and CUDA's accumulating ``index_put_``
    (``np.add.at``) otherwise adds floats in a varying order. PyTorch has this switch only
    process-wide, so it is on only on CUDA and only while the batch runs; CPU kernels are
    deterministic already, so ``torch-cpu`` leaves every PyTorch setting untouched.
    ``warn_only``: an operation without a deterministic kernel warns instead of stopping the
    run. PyTorch's default dtype is never set: every operation here names numpy's dtype
    (:func:`_promote`), so other users of torch in the process are unaffected."""
    torch = _torch()
    if dev.type != "cuda":
        yield
        return
    det, warn = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
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
        return self.transpose()

    @property
    def nbytes(self) -> int:
        return self.t.numel() * self.t.element_size()

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
        """A host copy, always: on ``torch-cpu`` ``.numpy()`` would share the tensor's memory, and
        a write into it would change the device array there but not on a GPU."""
        if copy is False:
            raise ValueError("a device array reaches numpy only as a copy (np.asarray(a, copy=False) cannot be)")
        _count("d2h", self.t.numel() * self.t.element_size())
        a = self.t.detach().to("cpu", copy=True).numpy()
        return a if dtype is None else a.astype(dtype, copy=False)

    def tolist(self) -> list:
        return self.t.tolist()

    def item(self):
        return self.t.item()

    # methods that return a new array (more: _METHODS below)
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

    def transpose(self, *axes) -> TorchArray:
        """``a.transpose(1, 0)``, ``a.transpose((1, 0))`` or ``a.transpose()``, as numpy."""
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return _transpose(self.t.device, self, axes or None)

    # methods that write in place: on the tensor itself
    def fill(self, value) -> None:
        self.t.fill_(value.t if isinstance(value, TorchArray) else value)

    def sort(self, axis: int = -1, kind=None, order=None, stable=None) -> None:
        """In place, stable whatever ``kind`` (as :func:`_sort`)."""
        self.t.copy_(np.sort(self, axis=axis, kind=kind, order=order).t)

    def put(self, indices, values, mode: str = "raise") -> None:
        np.put(self, indices, values, mode=mode)

    def __getattr__(self, name: str):
        # Only for names the class lacks. ndarray's other methods are refused, not forwarded:
        # forwarding ``a.partition(k)`` to ``np.partition(a, k)`` would change a copy and return it.
        if not name.startswith("__") and hasattr(np.ndarray, name):
            raise AttributeError(f"a device array has no method {name!r}: only numpy's methods in "
                                 f"backend._METHODS and the in-place fill, sort and put run on the device "
                                 f"(call np.{name}(...) or add the method there, in place on the tensor if it writes)")
        raise AttributeError(name)

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
        if method == "__call__":
            return _call_ufunc(ufunc, inputs, out, kwargs, dev)
        if method == "at":
            return _ufunc_at(ufunc, inputs, dev)
        return _fallback(f"{ufunc.__name__}.{method}", getattr(ufunc, method), inputs, dev, kwargs, out)

    def __array_function__(self, func, types, args, kwargs):
        dev = self.t.device
        name = func.__name__
        args, kwargs, out = _without_out(func, args, kwargs)
        impl = _FUNCTIONS.get(name)
        result = NotImplemented if impl is None else impl(dev, *args, **kwargs)
        if result is NotImplemented:
            if name in _WRITES_FIRST_ARGUMENT:
                return _on_host_copy(name, func, args, kwargs, dev)
            return _fallback(name, func, args, dev, kwargs, None if out is None else (out,))
        if out is None:
            return result
        if isinstance(out, TorchArray) and out.dtype == result.dtype and out.shape == result.shape:
            out.t.copy_(result.t)
            return out
        # another dtype or shape: numpy's own casting and broadcasting rules decide, on the host
        return _fallback(name, func, args, dev, kwargs, (out,))


#: numpy's array methods a device array has: each is numpy's function of the same name (with
#: the array first), implemented on the device in _FUNCTIONS and returning a new array. A
#: method that writes into the array (``sort``, ``put``, ``fill``) is written out in the class.
_METHODS = ("all", "any", "argmax", "argmin", "argsort", "clip", "cumsum", "max", "mean", "min", "nonzero",
            "prod", "repeat", "round", "sum")


def _method(name: str):
    fn = getattr(np, name)

    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``np.{name}(a, ...)`` on the device."
    return method


for _name in _METHODS:
    setattr(TorchArray, _name, _method(_name))


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
    """Any array-like as a tensor on ``dev`` (numpy arrays are copied there: counted), in
    numpy's dtype (a Python float is float64 whatever PyTorch's default dtype)."""
    if type(x) is TorchArray:  # an engine's arrays all live on its one device
        return x.t
    torch = _torch()
    if isinstance(x, np.ndarray):
        _count("h2d", x.nbytes)
        if x.dtype == np.uint64:  # the hash words: reinterpreted as int64 (rng does the same)
            x = x.view(np.int64)
        return torch.tensor(x, device=dev)  # a copy, as on a GPU (from_numpy would share the host memory)
    if isinstance(x, torch.Tensor):
        return x.to(dev)
    if isinstance(x, np.generic):
        return torch.tensor(x.item(), dtype=_tdtype(x.dtype), device=dev)
    if isinstance(x, (bool, int, float)):
        return torch.tensor(x, dtype=_tdtype(type(x)), device=dev)
    return torch.as_tensor(np.asarray(x), device=dev)  # lists and tuples


def _operand(x, dev, tensor: bool = False):
    """A ufunc argument for :func:`_promote`: a tensor for an array, a Python scalar as it is, a
    numpy scalar (or 0-d array) as a numpy scalar; a tensor whatever it was if ``tensor``."""
    t = type(x)
    if t is TorchArray:
        return x.t
    if tensor:
        return as_tensor(x, dev)
    if t is float or t is int or t is bool or isinstance(x, np.generic):
        return x
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "biuf":
        return x[()]
    return as_tensor(x, dev)


def _promote(ops, dev, divide: bool = False, tensors: bool = False) -> list:
    """Operands (from :func:`_operand`) cast to the dtype numpy 2 computes in (NEP 50): arrays
    and numpy scalars keep their dtype, Python scalars adopt the arrays'; integer division is
    float64. PyTorch's own promotion differs twice: its default dtype decides ``int * 0.5``
    and ``int / int`` (float32 unless changed process-wide), and it lets 0-d tensors adopt
    the other operand's dtype as if they were Python scalars. So the dtype is computed here,
    the tensors are cast to it, and PyTorch's default dtype is never read. Python scalars
    stay scalars (they adopt the tensors' dtype, as in numpy), unless ``tensors``."""
    torch = _torch()
    if not tensors and _same_dtype(ops, divide, torch.Tensor):
        return ops
    want = np.result_type(*(_ndtype(o.dtype) if isinstance(o, torch.Tensor) else o for o in ops))
    if divide and want.kind in "biu":
        want = np.dtype(np.float64)
    tw = _tdtype(want)
    tensors = tensors or not any(isinstance(o, torch.Tensor) for o in ops)
    out = []
    for o in ops:
        if isinstance(o, torch.Tensor):
            out.append(o if o.dtype is tw else o.to(tw))
        elif tensors:
            out.append(torch.tensor(o.item() if isinstance(o, np.generic) else o, dtype=tw, device=dev))
        else:
            out.append(o.item() if isinstance(o, np.generic) else o)
    return out


def _same_dtype(ops, divide: bool, tensor_type) -> bool:
    """The common case, decided without numpy: tensors of one dtype with Python ints (not for
    bool tensors) or Python floats (only for float tensors) compute in that dtype, integer
    division aside."""
    dtype, floats, ints = None, False, False
    for o in ops:
        kind = type(o)
        if kind is tensor_type:
            if dtype is None:
                dtype = o.dtype
            elif o.dtype is not dtype:
                return False
        elif kind is float:
            floats = True
        elif kind is int:
            ints = True
        else:
            return False
    if dtype is None or dtype.is_floating_point:
        return dtype is not None
    return not (floats or divide or (ints and dtype is _TORCH.bool))


def as_index(key, dev):
    """A numpy index as a torch index: arrays to tensors, integer codes (int8 roles) to int64."""
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


def _host(x, readonly: bool = False):
    """Device arrays (also inside lists, tuples, dicts) as host copies; ``readonly`` ones for a
    fallback, so that a numpy function writing into one raises instead of changing a copy."""
    if isinstance(x, TorchArray):
        a = np.asarray(x)
        if readonly:
            a.flags.writeable = False
        return a
    if isinstance(x, (list, tuple)):
        return type(x)(_host(v, readonly) for v in x)
    if isinstance(x, dict):
        return {k: _host(v, readonly) for k, v in x.items()}
    return x


def _to_dev(x, dev):
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return TorchArray(as_tensor(x, dev))
    if isinstance(x, tuple):
        return tuple(_to_dev(v, dev) for v in x)
    if isinstance(x, list):
        return [_to_dev(v, dev) for v in x]
    return x


def _fallback(name: str, fn: Callable, args, dev, kwargs=None, out=None):
    """Compute on the host with numpy/SciPy and move the result back to ``dev`` (counted).

    The host copies of device arguments are read-only: a numpy function that writes into an
    argument raises rather than change a copy the device never sees (in-place functions go
    through :func:`_on_host_copy`). ``out`` (a tuple) is handed over as host copies of its
    arrays, current contents included (``where=`` keeps them), and written back into them."""
    _count(f"fallback:{name}")
    kwargs = _host(dict(kwargs or {}), readonly=True)
    if out is not None:
        host_out = tuple(_host(o) for o in out)
        kwargs["out"] = host_out[0] if len(host_out) == 1 else host_out
    try:
        result = fn(*_host(tuple(args), readonly=True), **kwargs)
    except ValueError as exc:
        if "read-only" not in str(exc):
            raise
        raise TypeError(f"np.{name} writes into an argument: on a device array that would change a host copy "
                        f"only (give it a device version in backend._FUNCTIONS, or list it in "
                        f"backend._WRITES_FIRST_ARGUMENT)") from exc
    if out is None:
        return _to_dev(result, dev)
    for o, h in zip(out, host_out):
        if isinstance(o, TorchArray):
            o.t.copy_(as_tensor(h, dev))
    return out[0] if len(out) == 1 else out


def _on_host_copy(name: str, func: Callable, args, kwargs, dev):
    """A numpy function that writes into its first argument (``np.place``, ``np.fill_diagonal``
    …) and has no device version: run on a host copy of that argument, which is then written
    back into the tensor. Exact, and counted as a fallback."""
    _count(f"fallback:{name}")
    target, rest, kwargs = args[0], _host(tuple(args[1:]), readonly=True), _host(kwargs, readonly=True)
    if not isinstance(target, TorchArray):  # a host array written with device values: in place there
        return func(target, *rest, **kwargs)
    host = _host(target)
    result = func(host, *rest, **kwargs)
    target.t.copy_(as_tensor(host, dev))
    return result


def _without_out(func: Callable, args: tuple, kwargs: dict) -> tuple[tuple, dict, Any]:
    """``(args, kwargs, out)``: a numpy function's call with its ``out`` argument taken out,
    given by keyword or by position (``np.cumsum(a, 0, None, out)``), so that no function
    implementation sees it and none can lose it."""
    if "out" in kwargs:
        kwargs = dict(kwargs)
        return args, kwargs, kwargs.pop("out")
    if func not in _PARAMETERS:
        try:
            _PARAMETERS[func] = list(inspect.signature(func).parameters)
        except (TypeError, ValueError):
            _PARAMETERS[func] = []
    names = _PARAMETERS[func]
    if "out" not in names or len(args) <= names.index("out"):
        return args, kwargs, None
    at = names.index("out")
    return args[:at], {**kwargs, **dict(zip(names[at + 1:], args[at + 1:]))}, args[at]


_PARAMETERS: dict[Callable, list[str]] = {}


# -- ufuncs ---------------------------------------------------------------------------------------
#: The keywords a ufunc call takes on the device (other values of ``order`` and ``subok``, and
#: ``signature``, go to the host).
_UFUNC_KEYWORDS = {"where": None, "dtype": None, "casting": None, "order": "K", "subok": True}
#: ufuncs whose output is boolean or whose loop dtype is not their output dtype: ``dtype=``
#: is left to numpy for them.
_NOT_TYPED = frozenset(("less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "logical_and",
                        "logical_or", "logical_xor", "logical_not", "isnan", "isfinite", "isinf", "true_divide",
                        "divide"))


def _call_ufunc(ufunc, inputs, out, kwargs, dev):
    """``ufunc(*inputs, out=…, where=…, dtype=…, casting=…)`` on the device, numpy's dtypes and
    casting rules included. A ufunc PyTorch lacks (SciPy's inverses), one with several
    outputs, or other keywords compute on the host (counted), ``out`` written back."""
    name = ufunc.__name__
    fn = _UFUNCS.get(name)
    dtype, where, casting = kwargs.get("dtype"), kwargs.get("where", True), kwargs.get("casting", "same_kind")
    if (fn is None or ufunc.nout != 1 or (dtype is not None and name in _NOT_TYPED)
            or kwargs and any(k not in _UFUNC_KEYWORDS or (_UFUNC_KEYWORDS[k] is not None and v != _UFUNC_KEYWORDS[k])
                   for k, v in kwargs.items())):
        return _fallback(name, ufunc, inputs, dev, kwargs, out)
    if where is not True and out is None:
        raise TypeError(f"np.{name}(..., where=...) without out=: numpy leaves the unselected entries "
                        f"uninitialised; pass out=")
    ops = [_operand(x, dev) for x in inputs]
    if dtype is None:
        ops = _promote(ops, dev, divide=name in ("true_divide", "divide"))
    else:
        ops = _cast(ops, np.dtype(dtype), casting, dev, name)
    result = fn(*ops)
    if out is None:
        return TorchArray(result)
    return _write_out(name, out[0], result, casting, where, dev)


def _cast(ops, want: np.dtype, casting: str, dev, name: str) -> list:
    """A ufunc's operands cast to its ``dtype=`` (numpy's loop dtype), under ``casting``."""
    torch = _torch()
    for o in ops:
        have = _ndtype(o.dtype) if isinstance(o, torch.Tensor) else np.result_type(o)
        if not isinstance(o, (bool, int, float)) and not np.can_cast(have, want, casting):
            raise TypeError(f"np.{name}: cannot cast an input from {have} to dtype={want} with casting={casting!r}")
    tw = _tdtype(want)
    return [o.to(tw) if isinstance(o, torch.Tensor) else torch.tensor(o.item() if isinstance(o, np.generic) else o,
                                                                      dtype=tw, device=dev) for o in ops]


def _write_out(name: str, out, result, casting: str, where, dev):
    """A ufunc's result into ``out``, in place, under numpy's casting rule (``a += 0.5`` on an
    integer array raises, as in numpy) and ``where=`` (unselected entries keep their values)."""
    torch = _torch()
    have, want = _ndtype(result.dtype), out.dtype
    if have != want and not np.can_cast(have, want, casting):
        raise TypeError(f"np.{name}: cannot cast the result from {have} to the out= array's {want} "
                        f"with casting={casting!r} (numpy's rule)")
    if not isinstance(out, TorchArray):  # a host array as out: written on the host
        np.copyto(out, np.asarray(TorchArray(result)), casting="unsafe", where=_host(where))
        return out
    if where is True:
        out.t.copy_(result)
    else:
        out.t.copy_(torch.where(as_tensor(where, dev).to(torch.bool), result.to(out.t.dtype), out.t))
    return out


def _ufunc_at(ufunc, inputs, dev):
    """``ufunc.at(target, index, values)``, where repeated positions all count (unlike
    ``target[index] += values``). A device target is written on the device (``_AT``), or for
    other ufuncs and values that numpy would compute in a wider dtype (floats added into
    integers), through a host copy written back (exact, counted); a host target stays there."""
    name = ufunc.__name__
    target, index, rest = inputs[0], inputs[1], inputs[2:]
    if not isinstance(target, TorchArray):
        _count(f"fallback:{name}.at")
        ufunc.at(target, *_host((index, *rest)))
        return None
    scatter = _AT.get(name)
    values = _operand(rest[0], dev, tensor=True) if rest and scatter else None
    if values is None or not np.can_cast(_ndtype(values.dtype), target.dtype, "same_kind"):
        _on_host_copy(f"{name}.at", ufunc.at, inputs, {}, dev)
        return None
    scatter(target.t, as_index(index, dev), values.to(target.t.dtype))
    return None


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
    """A torch function that wants two tensors (minimum, logical_and …) given promoted operands
    (:func:`_promote`): a Python scalar becomes a tensor of the other operand's dtype."""
    def g(a, b):
        torch = _torch()
        a = a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=b.dtype, device=b.device)
        b = b if isinstance(b, torch.Tensor) else torch.tensor(b, dtype=a.dtype, device=a.device)
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


def _subtract_at(t, index, values) -> None:
    _add_at(t, index, -values)


def _scatter_at(reduce: str):
    """``np.maximum.at`` / ``np.minimum.at``: a scatter-reduce over flat positions."""
    def at(t, index, values) -> None:
        flat = _flat_positions(index if isinstance(index, tuple) else (index,), t.shape, t.device).reshape(-1)
        t.view(-1).scatter_reduce_(0, flat, values.expand(flat.shape).reshape(-1), reduce=reduce)
    return at


def _flat_positions(index, dims, dev):
    """Row-major flat positions of a tuple of index arrays into an array of shape ``dims``."""
    torch = _torch()
    flat = torch.zeros((), dtype=torch.int64, device=dev)
    for i, n in zip(index, dims):
        flat = flat * int(n) + as_tensor(i, dev).to(torch.int64)
    return flat


#: ``ufunc.at`` on the device (the others through a host copy: :func:`_ufunc_at`).
_AT = {"add": _add_at, "subtract": _subtract_at, "maximum": _scatter_at("amax"), "minimum": _scatter_at("amin")}


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
    def impl(dev, a, axis=None, dtype=None, keepdims=False, **kw):
        if kw:  # initial=, where=
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
    x, y = _promote([_operand(x, dev), _operand(y, dev)], dev)  # a scalar next to a tensor adopts its dtype
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


def _cumsum(dev, a, axis=None, dtype=None):
    t = as_tensor(a, dev)
    if axis is None:
        t, axis = t.reshape(-1), 0
    return TorchArray(t.cumsum(axis, dtype=None if dtype is None else _tdtype(dtype)))


def _argmax(name):
    def impl(dev, a, axis=None, keepdims=False):
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


def _concatenate(dev, arrays, axis=0, dtype=None, casting="same_kind"):
    torch = _torch()
    ts = _common([as_tensor(a, dev) for a in arrays])
    if axis is None:
        ts, axis = [t.reshape(-1) for t in ts], 0
    t = torch.cat(ts, dim=axis)
    return TorchArray(t if dtype is None else t.to(_tdtype(dtype)))


def _stack(dev, arrays, axis=0, dtype=None, casting="same_kind"):
    t = _torch().stack(_common([as_tensor(a, dev) for a in arrays]), dim=axis)
    return TorchArray(t if dtype is None else t.to(_tdtype(dtype)))


def _repeat(dev, a, repeats, axis=None):
    torch = _torch()
    t = as_tensor(a, dev)
    if axis is None:
        t, axis = t.reshape(-1), 0
    rep = repeats if isinstance(repeats, int) else as_tensor(repeats, dev).to(torch.int64)
    return TorchArray(torch.repeat_interleave(t, rep, dim=axis))


def _clip(dev, a, a_min=None, a_max=None, **kw):
    """Bounds that are scalars or arrays, in numpy's dtype (``np.clip(ints, 0, 2.5)`` is float64)."""
    if kw:  # min=, max=, numpy's newer names
        return NotImplemented
    torch = _torch()
    bounds = [b for b in (a_min, a_max) if b is not None]
    t, *bounds = _promote([as_tensor(a, dev), *(_operand(b, dev) for b in bounds)], dev, tensors=True)
    if a_min is not None:
        t = torch.maximum(t, bounds.pop(0))
    if a_max is not None:
        t = torch.minimum(t, bounds.pop(0))
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


def _transpose(dev, a, axes=None):
    t = as_tensor(a, dev)
    return TorchArray(t.permute(*(reversed(range(t.dim())) if axes is None else (int(i) for i in axes))))


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


def _round(dev, a, decimals=0):
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


# numpy functions that write into their first argument: on the device tensor itself (those
# below), or through a host copy written back (:func:`_on_host_copy`) for the rest of
# _WRITES_FIRST_ARGUMENT. None of them may go through a plain fallback, which would write into
# a host copy and drop it.
_WRITES_FIRST_ARGUMENT = frozenset(("copyto", "put", "putmask", "place", "fill_diagonal", "put_along_axis"))


def _copyto(dev, dst, src, casting="same_kind", where=True):
    """``np.copyto`` into a device array: broadcast, under numpy's casting rule, ``where=`` kept."""
    if not isinstance(dst, TorchArray):
        return NotImplemented
    torch = _torch()
    s = _operand(src, dev)
    have = _ndtype(s.dtype) if isinstance(s, torch.Tensor) else np.result_type(dst.dtype, s)
    if not np.can_cast(have, dst.dtype, casting):
        raise TypeError(f"np.copyto: cannot cast from {have} to {dst.dtype} with casting={casting!r}")
    s = s.to(dst.t.dtype) if isinstance(s, torch.Tensor) else torch.tensor(
        s.item() if isinstance(s, np.generic) else s, dtype=dst.t.dtype, device=dev)
    if where is True:
        dst.t.copy_(s)
    else:
        dst.t.copy_(torch.where(as_tensor(where, dev).to(torch.bool), s, dst.t))
    return None


def _put(dev, a, ind, v, mode="raise"):
    """``np.put`` into a device array: flat positions, values cycled, cast unsafely (numpy's
    rules); a position given twice keeps its last value, as numpy's loop does."""
    if not isinstance(a, TorchArray) or mode != "raise" or not a.t.is_contiguous():
        return NotImplemented
    torch = _torch()
    flat = a.t.view(-1)
    pos = as_tensor(ind, dev).to(torch.int64).reshape(-1)
    values = _operand(v, dev, tensor=True).to(a.t.dtype).reshape(-1)
    if pos.numel() == 0 or values.numel() == 0:
        return None
    n = flat.numel()
    if bool(((pos < -n) | (pos >= n)).any()):
        raise IndexError(f"np.put: an index is out of bounds for size {n}")
    values = values[torch.arange(pos.numel(), device=dev) % values.numel()]
    pos = torch.where(pos < 0, pos + n, pos)
    order = torch.argsort(pos, stable=True)
    pos, values = pos[order], values[order]
    last = torch.ones(pos.numel(), dtype=torch.bool, device=dev)
    last[:-1] = pos[1:] != pos[:-1]
    flat[pos[last]] = values[last]
    return None


def _putmask(dev, a, mask, values):
    """``np.putmask`` on a device array: ``a.flat[n] = values[n % len(values)]`` where the mask
    holds (the position in the array, not the count of masked entries as ``np.place``)."""
    if not isinstance(a, TorchArray):
        return NotImplemented
    torch = _torch()
    m = as_tensor(mask, dev).to(torch.bool)
    if m.shape != a.t.shape:
        raise ValueError("putmask: mask and data must be the same size")
    v = _operand(values, dev, tensor=True).to(a.t.dtype).reshape(-1)
    if v.numel() == 0:
        return None
    if v.numel() != a.t.numel():
        v = v[torch.arange(a.t.numel(), device=dev) % v.numel()]
    a.t.copy_(torch.where(m, v.reshape(a.t.shape), a.t))
    return None


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
        "broadcast_arrays": _broadcast_arrays, "ravel": _ravel, "reshape": _reshape, "transpose": _transpose,
        "ravel_multi_index": _ravel_multi_index, "round": _round, "around": _round, "diff": _diff,
        "insert": _insert, "select": _select,
        "zeros": _creation(0), "ones": _creation(1), "empty": _creation(None), "full": _creation("full"),
        "arange": _arange, "copyto": _copyto, "put": _put, "putmask": _putmask,
    }


def _prod(t, dim, keepdim):
    for d in sorted(dim if isinstance(dim, tuple) else (dim,), reverse=True):
        t = t.prod(dim=d, keepdim=keepdim)
    return t


_FUNCTIONS = _LazyTable(_build_functions)
