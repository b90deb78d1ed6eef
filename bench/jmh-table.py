#!/usr/bin/env python3
"""Markdown table of kvasir-bench JMH results (-rf json): wall and CPU time per call, and what they
mean against the machine's limits: GB/s of weights (matvec), GFLOP/s (matmul), streaming bandwidth
and FMA peak (StreamBenchmark). Rates use CPU time (see CpuTime.java): on a shared machine wall time
mostly measures waiting for a core. Usage: bench/jmh-table.py result.json [more.json ...]"""
import json
import sys

TYPE_BYTES = {"F32": (4, 1), "F16": (2, 1), "BF16": (2, 1), "Q8_0": (34, 32), "Q4_0": (18, 32), "Q4_1": (20, 32),
              "Q5_0": (22, 32), "Q5_1": (24, 32), "Q4_K": (144, 256), "Q5_K": (176, 256), "Q6_K": (210, 256)}
FMA_ITERATIONS = 1 << 20


def main():
    rows = []
    for path in sys.argv[1:]:
        for r in json.load(open(path)):
            name = r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1]
            p = r.get("params", {})
            sec = r.get("secondaryMetrics", {})
            cpu = sec["cpuNanos"]["score"] / sec["calls"]["score"] / 1e3 if "cpuNanos" in sec else None
            unit = r["primaryMetric"]["scoreUnit"]
            wall = r["primaryMetric"]["score"] * {"us/op": 1, "ms/op": 1e3}[unit]
            err = r["primaryMetric"]["scoreError"] * {"us/op": 1, "ms/op": 1e3}[unit]
            rate = ""
            t = cpu or wall
            if name in ("StreamBenchmark.stream", "StreamBenchmark.streamArray"):
                rate = "%.1f GB/s read" % (int(p["bytes"]) / t / 1e3)
            elif name == "StreamBenchmark.fmaPeak":
                lanes = 16  # FloatVector.SPECIES_PREFERRED on the recorded CPU
                rate = "%.1f GFLOP/s" % (2 * lanes * 12 * FMA_ITERATIONS / t / 1e3)
            elif name.startswith("MatVec"):
                rws, cols = map(int, p["shape"].split("x"))
                size, block = TYPE_BYTES[p["type"]]
                rate = "%.1f GB/s of weights" % (rws * cols // block * size / t / 1e3)
            elif name.startswith("MatMul"):
                rate = "%.1f GFLOP/s" % (2 * 2048 * 2048 * int(p["batch"]) / t / 1e3)
            label = ", ".join("%s=%s" % kv for kv in sorted(p.items()) if kv[0] != "bytes")
            rows.append("| %s | %s | %.0f ± %.0f | %s | %s | %s |" % (
                path.rsplit("/", 1)[-1], name + (" (" + label + ")" if label else ""), wall, err,
                "%.0f" % cpu if cpu else "-", rate, r["forks"]))
    print("| file | benchmark | wall µs/op | CPU µs/op | rate (by CPU time) | forks |")
    print("|---|---|---:|---:|---|---:|")
    print("\n".join(rows))


main()
