"""Check `pmle metrics` against scikit-learn to 1e-9 (run by scripts/test).

Usage: python check_metrics_sklearn.py PATH/TO/pmle

Random data sets with ties, imbalance and a few extremes; for each, the calculator's JSON is
compared with sklearn's roc_auc_score, average_precision_score, confusion_matrix,
precision_score, recall_score, f1_score and accuracy_score.
"""

import json
import os
import random
import subprocess
import sys
import tempfile

from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

PMLE = os.path.abspath(sys.argv[1])
TOL = 1e-9
passed = failed = 0


def close(name, got, want):
    global passed, failed
    if abs(got - want) <= TOL:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: pmle {got!r} vs sklearn {want!r}")


def main():
    rng = random.Random(2026)
    work = tempfile.mkdtemp(prefix="pmle-metrics-")
    for case in range(40):
        n = rng.choice([5, 20, 200, 2000])
        share = rng.choice([0.5, 0.2, 0.03])
        ties = rng.choice([None, 10, 3])
        labels, scores = [], []
        for _ in range(n):
            y = 1 if rng.random() < share else 0
            s = min(1.0, max(0.0, rng.gauss(0.62 if y else 0.4, 0.2)))
            if ties:
                s = round(s * ties) / ties
            labels.append(y)
            scores.append(s)
        if len(set(labels)) < 2:
            labels[0], labels[1] = 0, 1
        threshold = rng.choice([0.5, 0.3, 0.7])
        path = os.path.join(work, f"case{case}.csv")
        with open(path, "w") as f:
            f.write("label,score\n")
            for y, s in zip(labels, scores):
                f.write(f"{y},{s!r}\n")
        out = subprocess.run([PMLE, "metrics", path, "--threshold", str(threshold), "--json"], check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        pred = [1 if s >= threshold else 0 for s in scores]
        close(f"case {case} roc_auc", r["roc_auc"], roc_auc_score(labels, scores))
        close(f"case {case} average precision", r["pr_auc"], average_precision_score(labels, scores))
        tn, fp, fn, tp = confusion_matrix(labels, pred, labels=[0, 1]).ravel()
        c = r["at"]["confusion"]
        close(f"case {case} confusion", abs(c["tp"] - tp) + abs(c["fp"] - fp) + abs(c["tn"] - tn) + abs(c["fn"] - fn), 0)
        close(f"case {case} accuracy", r["at"]["accuracy"], accuracy_score(labels, pred))
        if tp + fp > 0:
            close(f"case {case} precision", r["at"]["precision"], precision_score(labels, pred))
        close(f"case {case} recall", r["at"]["recall"], recall_score(labels, pred))
        close(f"case {case} f1", r["at"]["f1"], f1_score(labels, pred))
    print(f"metrics: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
