"""Peers for bench:gbdt: XGBoost `hist` and scikit-learn HistGradientBoosting on the matrix bench/gbdt.mjs wrote.

usage: python3 gbdt_peers.py DIR LIB THREADS   (LIB: xgboost | sklearn)
DIR holds x.f32 (row-major, rows x cols), y.f64, meta.json {rows, cols, train_rows, rounds, leaves, lr, bins,
min_leaf}. Prints one JSON object: {seconds, rmse (training), mae (held-out rows), version, threads}.
The thread count is set before the library is imported (OpenMP reads it once).
"""
import json
import os
import sys

d, lib, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.environ["OMP_NUM_THREADS"] = str(threads)
import time  # noqa: E402

import numpy as np  # noqa: E402

m = json.load(open(os.path.join(d, "meta.json")))
x = np.fromfile(os.path.join(d, "x.f32"), dtype=np.float32).reshape(m["rows"], m["cols"])
y = np.fromfile(os.path.join(d, "y.f64"), dtype=np.float64)
n = m["train_rows"]
xt, yt, xv, yv = x[:n], y[:n], x[n:], y[n:]

if lib == "xgboost":
    import xgboost as xgb

    version = xgb.__version__
    dtrain = xgb.DMatrix(xt, label=yt, nthread=threads)
    params = {
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": m["leaves"],
        "max_depth": 0,
        "eta": m["lr"],
        "max_bin": m["bins"],
        "lambda": 0.0,
        "min_child_weight": m["min_leaf"],  # hessian 1 per row: the row count
        "objective": "reg:squarederror",
        "base_score": float(yt.mean()),
        "nthread": threads,
        "verbosity": 0,
    }
    t0 = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=m["rounds"])
    seconds = time.perf_counter() - t0
    pt = booster.predict(dtrain)
    pv = booster.predict(xgb.DMatrix(xv, nthread=threads)) if len(yv) else np.zeros(0)
elif lib == "sklearn":
    import sklearn
    from sklearn.ensemble import HistGradientBoostingRegressor

    version = sklearn.__version__
    model = HistGradientBoostingRegressor(
        max_iter=m["rounds"],
        learning_rate=m["lr"],
        max_leaf_nodes=m["leaves"],
        max_bins=m["bins"],
        min_samples_leaf=m["min_leaf"],
        l2_regularization=0.0,
        early_stopping=False,
    )
    t0 = time.perf_counter()
    model.fit(xt, yt)
    seconds = time.perf_counter() - t0
    pt = model.predict(xt)
    pv = model.predict(xv) if len(yv) else np.zeros(0)
else:
    raise SystemExit(f"unknown library {lib}")

print(
    json.dumps(
        {
            "seconds": round(seconds, 3),
            "rmse": float(np.sqrt(np.mean((pt - yt) ** 2))),
            "mae": float(np.mean(np.abs(pv - yv))) if len(yv) else None,
            "version": version,
            "threads": threads,
        }
    )
)
