"""The PyTorch back-end of the vector engine (sim/vector/backend.py).

Without a GPU these run the back-end on the CPU (``engine.device=torch-cpu``): the same code
path as ``cuda``, PyTorch kernels included, so a GPU run differs only in the device's float
rounding. Tests that need a GPU skip cleanly; without PyTorch every test here skips.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from analysis.compose import load_params  # noqa: E402
from sim.vector import backend, simulate_batch  # noqa: E402
from sim.vector.backend import TorchArray  # noqa: E402
from sim.vector.rng import DeviceStreams, Streams, keys_from_seeds  # noqa: E402

CPU = torch.device("cpu")
GPU = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


def dev(a) -> TorchArray:
    return TorchArray(torch.tensor(np.asarray(a)))


# -- the duck array: numpy's answer, dtype included -------------------------------------------------
x = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
f = np.array([0.5, 2.5, -1.5, 3.25, 0.0, 7.0, 1.5, 2.0, 2.5, -0.5])
m = x > 3
CASES = {
    "where": lambda np_, x, f, m: np_.where(m, x, 0.5),
    "where-one-arg": lambda np_, x, f, m: np_.where(m)[0],
    "flatnonzero": lambda np_, x, f, m: np_.flatnonzero(m),
    "bincount-weights": lambda np_, x, f, m: np_.bincount(x, weights=m, minlength=12),
    "lexsort": lambda np_, x, f, m: np_.lexsort((f, x)),
    "argsort-stable-ties": lambda np_, x, f, m: np_.argsort(x, kind="stable"),
    "searchsorted-right": lambda np_, x, f, m: np_.searchsorted(np_.sort(x), x, side="right"),
    "insert-repeated-positions": lambda np_, x, f, m: np_.insert(x, x[:4] % 3, x[4:8] * 10),
    "unique-index": lambda np_, x, f, m: np_.concatenate(np_.unique(x, return_index=True, return_counts=True)),
    "unique-inverse": lambda np_, x, f, m: np_.unique(x, return_inverse=True)[1],
    "select": lambda np_, x, f, m: np_.select([x > 4, x > 2], [f, -f], default=9.0),
    "isin": lambda np_, x, f, m: np_.isin(x, [1, 5]),
    "repeat-counts": lambda np_, x, f, m: np_.repeat(f, x % 3),
    "clip-array-bounds": lambda np_, x, f, m: np_.clip(x, 2, f + 3),
    "cumsum-axis": lambda np_, x, f, m: np_.cumsum(x.reshape(2, 5), axis=1),
    "int-true-division": lambda np_, x, f, m: x / 7,
    "floor-of-int": lambda np_, x, f, m: np_.floor(x),
    "minimum-float-scalar": lambda np_, x, f, m: np_.minimum(x, 2.5),
    "ravel-multi-index": lambda np_, x, f, m: np_.ravel_multi_index((x % 2, x), (2, 10)),
    "round-half-even": lambda np_, x, f, m: np_.round(f),
    "count-nonzero-axis": lambda np_, x, f, m: np_.count_nonzero(m.reshape(2, 5), axis=1),
    "any-axis": lambda np_, x, f, m: m.reshape(2, 5).any(axis=0),
    "sum-bool": lambda np_, x, f, m: m.sum(),
    "max-axis": lambda np_, x, f, m: np_.max(f.reshape(5, 2), axis=1),
    "argmax-bool": lambda np_, x, f, m: np_.argmax(m.reshape(2, 5), axis=1),
    "arange-like": lambda np_, x, f, m: np_.arange(x.size, like=x) * 2,
    "full-like-kw": lambda np_, x, f, m: np_.full(x.size, -1, like=x) + x,
    "astype-int8": lambda np_, x, f, m: (x * 30).astype(np_.int8),
    "exp-log1p": lambda np_, x, f, m: np_.exp(f) + np_.log1p(np_.abs(f)),
    "concatenate-host-and-device": lambda np_, x, f, m: np_.concatenate([[0], np_.cumsum(x)[:-1]]),
    "stack-axis1": lambda np_, x, f, m: np_.stack([x, f], axis=1),
    "diff": lambda np_, x, f, m: np_.diff(x),
    "broadcast-to": lambda np_, x, f, m: np_.broadcast_to(f[:, None], (10, 3)),
    # numpy's dtypes, not PyTorch's default dtype or its weak 0-d tensors (NEP 50)
    "where-two-scalars": lambda np_, x, f, m: np_.where(m, 1, 0.5),
    "int-times-float-scalar": lambda np_, x, f, m: (x + 2**24) * 0.5,
    "int-compared-with-float-scalar": lambda np_, x, f, m: (x + 2**24) < 2**24 + 2.5,
    "int-power-float": lambda np_, x, f, m: x ** 0.5,
    "clip-float-scalar-bounds": lambda np_, x, f, m: np_.clip(x, 0.5, 3),
    "select-int-choices-float-default": lambda np_, x, f, m: np_.select([m], [x], default=0.5),
    "numpy-scalar-is-not-weak": lambda np_, x, f, m: (x * 30).astype(np_.int8) * np_.int64(100),
    "float32-times-numpy-float64": lambda np_, x, f, m: f.astype(np_.float32) * np_.float64(0.1),
    "ufunc-dtype": lambda np_, x, f, m: np_.add((x * 30).astype(np_.int8), 100, dtype=np_.int16),
    "method-mean-axis": lambda np_, x, f, m: x.reshape(2, 5).mean(axis=1),
    "transpose": lambda np_, x, f, m: np_.broadcast_to(f[:, None], (10, 3)).transpose([1, 0]) + x,
    "transpose-T": lambda np_, x, f, m: x.reshape(2, 5).T.ravel(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_device_arrays_give_numpys_answer(name):
    want = np.asarray(CASES[name](np, x, f, m))
    got = CASES[name](np, dev(x), dev(f), dev(m))
    assert isinstance(got, TorchArray), "the result left the device"
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_in_place_writes_follow_numpy():
    want, got = x.copy(), dev(x)
    for a in (want, got):
        np.add.at(a, np.array([0, 0, 3, 9]), 2)  # repeated positions add up
        np.maximum.at(a, np.array([1, 1]), np.array([7, 4]))
        a[a > 5] += 100
        a[a[:3] % 10] = 0  # an index computed from the target
    np.testing.assert_array_equal(np.asarray(got), want)
    want, got = np.arange(10)[::-1].copy(), dev(np.arange(10)[::-1].copy())
    for a in (want, got):
        a[a[:3]] = 1  # an index that is a view of the target itself
    np.testing.assert_array_equal(np.asarray(got), want)
    roles = np.array([0, 3, 5], np.int8)
    table = backend.Lookup([True, False, True, True, False, True])
    np.testing.assert_array_equal(np.asarray(table[dev(roles)]), table[roles])


# -- the traps found in review (issue 29): writes reach the device array, or refuse ---------------
def test_in_place_methods_write_into_the_device_array():
    """``a.sort()`` sorts ``a`` (it used to sort a copy and drop it); ``put`` and ``fill`` too."""
    want, got = f.copy(), dev(f)
    for a in (want, got):
        assert a.sort() is None
        a.put([0, -1, 0], [7.5, 8.5, 9.5])  # a repeated position keeps its last value
    np.testing.assert_array_equal(np.asarray(got), want)
    got.fill(2.0)
    assert np.asarray(got).tolist() == [2.0] * 10
    assert got.nbytes == f.nbytes


@pytest.mark.parametrize("name", ["partition", "resize", "setflags", "setfield", "byteswap", "argpartition"])
def test_numpys_other_methods_are_refused_not_forwarded(name):
    """Forwarding ``a.partition(3)`` to ``np.partition(a, 3)`` would partition a copy."""
    with pytest.raises(AttributeError, match=f"no method '{name}'"):
        getattr(dev(x), name)
    assert not hasattr(dev(x), "no_such_thing")
    assert set(backend._METHODS) <= set(dir(np.ndarray))


def test_a_host_copy_is_a_copy_on_the_cpu_too():
    """On torch-cpu ``.numpy()`` shares the tensor's memory: a write into ``np.asarray(a)``
    would reach the device array there but not on a GPU, so the CPU check would hide a bug."""
    a = dev(x)
    host = np.asarray(a)
    host[0] = 99
    assert int(a[0]) == x[0]
    with pytest.raises(ValueError, match="copy"):
        np.asarray(a, copy=False)


WRITES = {  # numpy functions that write into an argument: (function, arguments after the target)
    "copyto": (np.copyto, lambda m: (np.arange(10.0) * 2,)),
    "copyto-where": (lambda a, *r: np.copyto(a, *r[:1], where=r[1]), lambda m: (-1.0, m)),
    "put-cycled": (np.put, lambda m: ([9, -2, 9, 3], [1.0, 2.0])),
    "putmask-cycled": (np.putmask, lambda m: (m, [10.0, 20.0, 30.0])),
    "place": (np.place, lambda m: (m, [10.0, 20.0, 30.0])),
    "fill_diagonal": (lambda a, v: np.fill_diagonal(a.reshape(2, 5), v), lambda m: (5.0,)),
    "put_along_axis": (lambda a, i, v: np.put_along_axis(a.reshape(2, 5), i, v, axis=1),
                       lambda m: (np.array([[0], [4]]), -3.0)),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_functions_that_write_into_an_array_write_into_the_device_array(name):
    fn, rest = WRITES[name]
    want, got = f.copy(), dev(f)
    fn(want, *rest(m))
    backend.counts.clear()
    fn(got, *rest(dev(m)))
    np.testing.assert_array_equal(np.asarray(got), want)
    if name.split("-")[0] in ("copyto", "put", "putmask"):  # these three on the tensor itself
        assert not [k for k in backend.counts if k.startswith("fallback")], backend.counts


def test_copyto_keeps_numpys_casting_rule():
    with pytest.raises(TypeError):
        np.copyto(dev(x), 0.5)
    with pytest.raises(TypeError):
        np.copyto(dev(x), dev(f))


def test_a_function_that_would_write_into_a_host_copy_refuses():
    """A fallback hands numpy read-only host copies: an unlisted in-place function raises."""
    with pytest.raises(TypeError, match="writes into an argument"):
        np.nan_to_num(dev(f), copy=False)


def test_out_is_the_device_array_written_in_place():
    """``out=`` by keyword or position, on the device or through the host: numpy returns
    ``out`` itself, filled; nothing computes into a copy that is then dropped."""
    a = dev(x.reshape(2, 5))
    for call in (lambda np_, a, o: np_.sum(a, axis=0, out=o), lambda np_, a, o: np_.cumsum(a[0], 0, None, o),
                 lambda np_, a, o: np_.clip(a[0], 2, 4, o), lambda np_, a, o: np_.add.reduce(a, 0, None, o),
                 lambda np_, a, o: np_.negative(a[1], o)):
        want_out, got_out = np.zeros(5, x.dtype), dev(np.zeros(5, x.dtype))
        assert call(np, x.reshape(2, 5), want_out) is want_out
        assert call(np, a, got_out) is got_out
        np.testing.assert_array_equal(np.asarray(got_out), want_out)
    got_out = dev(np.zeros(5))  # another dtype than the result's: numpy's rule, through the host
    assert np.sum(a, axis=0, out=got_out) is got_out
    np.testing.assert_array_equal(np.asarray(got_out), x.reshape(2, 5).sum(axis=0))


def test_ufunc_keywords_run_on_the_device_with_numpys_rules():
    backend.counts.clear()
    want, got = np.full(10, -7.0), dev(np.full(10, -7.0))
    assert np.add(x, f, out=want, where=m) is want  # the unselected entries keep their -7
    assert np.add(dev(x), dev(f), out=got, where=dev(m)) is got
    np.testing.assert_array_equal(np.asarray(got), want)
    a, b = x.copy(), dev(x)
    for arr in (a, b):
        np.multiply(arr, 1.5, out=arr, casting="unsafe")
        np.subtract(arr, 1, out=arr, dtype=np.int64)
    np.testing.assert_array_equal(np.asarray(b), a)
    assert not [k for k in backend.counts if k.startswith("fallback")], backend.counts
    for arr in (x.copy(), dev(x)):  # numpy's same_kind rule: a float result into integers raises
        with pytest.raises(TypeError):
            arr += 0.5
    with pytest.raises(TypeError, match="without out"):
        np.add(dev(x), 1, where=dev(m))


def test_ufunc_at_writes_into_the_device_array():
    """``ufunc.at``: repeated positions all count; floats into integers as numpy computes them."""
    idx = np.array([0, 0, 3, 9, 3])
    backend.counts.clear()
    for ufunc, target, values in ((np.subtract, f, np.arange(5.0)), (np.minimum, f, -np.arange(5.0)),
                                  (np.maximum, x, np.arange(5) * 2), (np.multiply, f, np.full(5, 3.0)),
                                  (np.add, x - 5, np.full(5, 0.5))):
        want, got = target.copy(), dev(target)
        ufunc.at(want, idx, values)
        ufunc.at(got, dev(idx), dev(values))
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=ufunc.__name__)
    # on the tensor itself for subtract, minimum, maximum; multiply and float-into-int via the host
    assert {k for k in backend.counts if k.startswith("fallback")} == {"fallback:multiply.at", "fallback:add.at"}


def test_the_engine_never_sets_pytorchs_global_state_on_the_cpu(monkeypatch):
    """float64 as torch's default dtype was set process-wide while a batch ran: another user of
    torch in the process (a thread, a notebook) would then get float64 from ``torch.tensor(0.5)``.
    Now every operation names numpy's dtype and nothing global is touched (on a GPU only the
    deterministic-algorithms switch, restored: :func:`backend.deterministic_kernels`)."""
    def refuse(*a, **k):
        raise AssertionError("the engine changed a process-wide PyTorch setting")
    monkeypatch.setattr(torch, "set_default_dtype", refuse)
    monkeypatch.setattr(torch, "use_deterministic_algorithms", refuse)
    assert torch.get_default_dtype() == torch.float32
    params = [load_params(["days=20"])]
    want, got = simulate_batch(params), simulate_batch(params, device="torch-cpu")
    assert len(list(want[0].rows)) == len(list(got[0].rows))


def test_a_one_element_mask_is_not_read_as_an_integer():
    """numpy turns objects with __index__ into integers: a one-element mask must not become 1."""
    host = np.array([10, 20])
    np.testing.assert_array_equal(host[dev(np.array([True, False]))], [10])
    with pytest.raises(TypeError):
        [0, 1][dev(np.array([True]))]


def test_device_streams_are_the_numpy_numbers_bit_for_bit():
    keys = keys_from_seeds([0, 1, 2**40, 7])
    a, b = Streams(keys), DeviceStreams(keys, CPU)
    a.day = b.day = 123
    rows, slots = np.array([0, 3, 3, 1]), np.array([0, 7, 2, 63])
    pairs = [
        (a.uniform(5, (3, 8)), b.uniform(5, (3, 8))),
        (a.uniform_of(9, rows, slots, 64), b.uniform_of(9, rows, slots, 64)),
        (a.uniform_of(9, rows, slots, 64, 2), b.uniform_of(9, dev(rows), dev(slots), 64, 2)),
        (a.uniform_at(4, rows[:, None], slots[:, None], np.arange(5)[None]),
         b.uniform_at(4, rows[:, None], slots[:, None], np.arange(5)[None])),
        (a.subset([3, 1]).uniform(2, 6), b.subset([3, 1]).uniform(2, 6)),
    ]
    for want, got in pairs:
        assert isinstance(got, TorchArray)
        np.testing.assert_array_equal(np.asarray(got), want)


def test_categorical_with_many_categories_shared_rows_on_the_device():
    """rng.categorical's binary-search branch (40 categories, 300 draws per weights row) uses
    ``a.transpose(perm)``: one of the methods a device array must have now that none is forwarded."""
    from sim.vector.rng import categorical

    w = np.random.default_rng(0).random((2, 1, 40))
    u = np.random.default_rng(1).random((2, 300))
    np.testing.assert_array_equal(np.asarray(categorical(dev(w), dev(u))), categorical(w, u))


# -- the engine on the back-end --------------------------------------------------------------------
def _compare(cases, seeds, days, device="torch-cpu", rtol=1e-9):
    """``cases``: scenario names, or lists of overrides."""
    cases = [[f"scenario={c}"] if isinstance(c, str) else c for c in cases]
    params = [load_params([*c, f"seed={k}", f"days={days}"]) for c in cases for k in range(seeds)]
    want, got = simulate_batch(params), simulate_batch(params, device=device)
    for p, a, b in zip(params, want, got):
        ra, rb = list(a.rows), list(b.rows)
        assert len(ra) == len(rb), (p.scenario, p.seed)
        for day, (u, v) in enumerate(zip(ra, rb)):
            far = [c for c in u if (u[c] != v[c] if isinstance(u[c], str) else
                                    not np.isclose(u[c], v[c], rtol=rtol, atol=rtol))]
            assert not far, f"{p.scenario} seed {p.seed} day {day}: {far[:5]} differ"
        key = ("id", "role_history", "join_day", "channel", "leave_day", "leave_reason", "messages_total")
        assert [[m[k] for k in key] for m in a.members] == [[m[k] for k in key] for m in b.members]
        assert [text for _, text in a.events] == [text for _, text in b.events]
    return want, got


def test_torch_back_end_lives_numpys_days():
    """Same counters, same hash, PyTorch kernels: every daily row equals numpy's to rounding
    (1e-9), members and turning points identically; a strategy switch on day 40 included."""
    _compare(["typical_group", "paid_community", "red_packet_group",
              ["timeline=application_and_ban", "switch_day=40"]], seeds=2, days=60)


def test_torch_back_end_stays_on_the_device():
    """In a day, only what PyTorch lacks goes to the host: SciPy's inverse incomplete beta and
    gamma (newcomers' traits), the Poisson inverse above rate 30, and widening the batch."""
    backend.counts.clear()
    simulate_batch([load_params([f"seed={k}", "days=30"]) for k in range(4)], device="torch-cpu")
    fallbacks = {k.split(":")[1] for k in backend.counts if k.startswith("fallback:")}
    assert fallbacks <= {"betaincinv", "gammaincinv", "pdtrik", "pdtr", "pad"}, fallbacks
    assert backend.counts["d2h bytes"] < 2e6 and backend.counts["h2d bytes"] < 2e6, backend.counts


@pytest.mark.slow
def test_torch_back_end_lives_every_scenarios_days():
    from analysis.compose import scenario_catalog

    _compare(list(scenario_catalog()), seeds=2, days=200)


def test_the_engine_leaves_pytorchs_settings_as_it_found_them():
    before = (torch.get_default_dtype(), torch.are_deterministic_algorithms_enabled())
    simulate_batch([load_params(["days=3"])], device="torch-cpu")
    assert (torch.get_default_dtype(), torch.are_deterministic_algorithms_enabled()) == before


def test_cuda_without_a_gpu_says_so():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(RuntimeError, match="no CUDA device"):
        simulate_batch([load_params(["days=5"])], device="cuda")


# -- on a GPU (skipped without one) ----------------------------------------------------------------
@GPU
def test_cuda_lives_numpys_days_to_rounding():
    """The GPU's exp and log may round differently in the last bit, so a run on it can part
    from numpy's at a knife-edge comparison; over 30 days of three scenarios it should not."""
    _compare(["typical_group", "paid_community", "red_packet_group"], seeds=2, days=30, device="cuda", rtol=1e-6)


@GPU
def test_deterministic_kernels_are_on_for_a_cuda_batch_only_and_restored():
    before = torch.are_deterministic_algorithms_enabled()
    with backend.deterministic_kernels(torch.device("cuda")):
        assert torch.are_deterministic_algorithms_enabled()
    assert torch.are_deterministic_algorithms_enabled() == before
    assert torch.get_default_dtype() == torch.float32


@GPU
def test_cuda_same_seed_same_run():
    """Deterministic kernels (backend.deterministic_kernels): no run-to-run drift from float atomics."""
    params = [load_params([f"seed={k}", "days=60"]) for k in range(3)]
    a, b = simulate_batch(params, device="cuda"), simulate_batch(params, device="cuda")
    assert [list(r.rows) for r in a] == [list(r.rows) for r in b]


@GPU
@pytest.mark.slow
def test_cuda_ensemble_matches_numpy_in_distribution():
    from scipy import stats

    params = [load_params([f"seed={k}", "days=365"]) for k in range(40)]
    a, b = simulate_batch(params), simulate_batch(params, device="cuda")
    for key in ("lifespan_days", "peak_members"):
        p = stats.mannwhitneyu([r.outcomes[key] for r in a], [r.outcomes[key] for r in b]).pvalue
        assert p > 0.01, (key, p)
