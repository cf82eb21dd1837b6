"""dbscan() against scikit-learn's DBSCAN on the same rows and the same scaled features.

scikit-learn (Debian's python3-sklearn) is the oracle: core points must be identical
and clusters equal. Both grow clusters one at a time, seeded in input order, and a
border point keeps the first cluster that reaches it, so the labels are compared as
they are, numbering included (functions/clustering/dbscan.h); a mismatch in numbering
alone would still be reported, as the renumbering check below says which it was.

    tests/run_host.sh /usr/bin/python3 tests/python/test_dbscan_sklearn.py
"""
import os
import sqlite3
import sys
import unittest

try:
    import numpy as np
    from sklearn.cluster import DBSCAN
    from sklearn.preprocessing import MinMaxScaler, Normalizer, StandardScaler
except ImportError as exc:  # pragma: no cover - the machine lacks the oracle
    print(f"SKIP: scikit-learn is not installed ({exc}); scripts/setup installs python3-sklearn")
    sys.exit(77)

EXTENSION = os.environ["SQLHUNT_EXTENSION"]


def connect():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    return conn


def blobs(n, dims, seed):
    """Dense groups at different scales per column, and uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, size=(5, dims))
    scale = np.array([1, 100, 0.01, 1000][:dims])
    x = centres[rng.integers(0, 5, n)] + rng.normal(0, 0.4, size=(n, dims))
    noise = rng.random(n) < 0.1
    x[noise] = rng.uniform(-12, 12, size=(noise.sum(), dims))
    return x * scale


def ours(conn, x, eps, min_samples, scale):
    conn.execute("drop table if exists pts")
    cols = ", ".join(f"f{i}" for i in range(x.shape[1]))
    conn.execute(f"create table pts(id integer primary key, {cols})")
    conn.executemany(f"insert into pts values (?, {', '.join('?' * x.shape[1])})",
                     [(i, *map(float, row)) for i, row in enumerate(x)])
    rows = conn.execute("select key, cluster_id, is_core, cluster_size from dbscan(?, ?, ?, ?)",
                        (f"select id, {cols} from pts order by id", eps, min_samples, scale)).fetchall()
    assert [r[0] for r in rows] == list(range(len(x))), "one row out per row in, in order"
    labels = np.array([-1 if r[1] is None else r[1] for r in rows])
    core = np.array([r[2] for r in rows], dtype=bool)
    sizes = np.array([r[3] for r in rows])
    return labels, core, sizes


class DbscanAgainstSklearn(unittest.TestCase):
    def compare(self, x, eps, min_samples, scale, scaled):
        conn = connect()
        labels, core, sizes = ours(conn, x, eps, min_samples, scale)
        ref = DBSCAN(eps=eps, min_samples=min_samples, algorithm="kd_tree").fit(scaled)
        ref_core = np.zeros(len(x), dtype=bool)
        ref_core[ref.core_sample_indices_] = True
        self.assertTrue((core == ref_core).all(), f"core points differ ({scale}): {np.flatnonzero(core != ref_core)[:10]}")
        # Equal up to renumbering first (the definition), then equal as numbered.
        pairs = {(a, b) for a, b in zip(labels, ref.labels_)}
        self.assertEqual(len({a for a, _ in pairs}), len(pairs), f"a cluster of ours spans two of sklearn's ({scale})")
        self.assertEqual(len({b for _, b in pairs}), len(pairs), f"a cluster of sklearn's spans two of ours ({scale})")
        self.assertTrue((labels == ref.labels_).all(), f"numbering differs ({scale})")
        for lab in set(labels) - {-1}:
            self.assertTrue((sizes[labels == lab] == (labels == lab).sum()).all())
        self.assertTrue((sizes[labels == -1] == 1).all())
        return labels

    def test_scalings(self):
        for dims in (2, 3, 4):
            x = blobs(3000, dims, seed=dims)
            self.compare(x, 0.3, 5, "standard", StandardScaler().fit_transform(x))
            self.compare(x, 0.05, 5, "minmax", MinMaxScaler().fit_transform(x))
            self.compare(x, 0.01, 2, "unit", Normalizer().fit_transform(x))  # msticpy's defaults
            self.compare(x, 40.0, 4, "none", x)

    def test_many_clusters_and_min_samples(self):
        x = blobs(5000, 3, seed=11)
        for eps, ms in ((0.05, 1), (0.2, 3), (0.5, 10), (2.0, 50)):
            self.compare(x, eps, ms, "standard", StandardScaler().fit_transform(x))

    def test_duplicate_points_and_ties_at_eps(self):
        # Integer grid: many distances are exactly eps (sklearn counts <= eps).
        g = np.array([(i, j) for i in range(30) for j in range(30)] * 2, dtype=float)
        self.compare(g, 1.0, 5, "none", g)
        self.compare(g, 1.0, 9, "none", g)


if __name__ == "__main__":
    unittest.main()
