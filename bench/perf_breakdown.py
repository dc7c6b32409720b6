#!/usr/bin/env python3
"""Where a node's CPU time goes, from a profile that `PERF_OUT=FILE bench/run.sh` recorded.

Reads `perf script -F tid,ip,sym` output (it runs perf script itself when given a perf.data
file) and prints:
  * the share of samples in each stage of a transaction's path (admission, API, HTTP, block
    producer), every sample counted once, in the first category whose marker is on its stack;
  * the inclusive share of the most frequent functions, optionally only below --root.
Call stacks need `PERF_ARGS="-F 249 --call-graph dwarf,16384"`: the node is built without frame
pointers, so the default `-g` attributes leaf functions correctly but not their callers.
"""
import argparse
import collections
import subprocess
import sys

# (name, markers): a sample belongs to the first category with a marker in its stack.
CATEGORIES = [
    ("producer: Executor::Execute", ["Executor::Execute"]),
    ("producer: Merkle and state roots", ["MerkleRoot", "NextStateRoot"]),
    ("producer: commit (RocksDB synced write)", ["Chain::Commit"]),
    ("producer: mempool take/confirm", ["Mempool::TakeBatch", "Mempool::Confirm"]),
    ("producer: other", ["ProduceLoop"]),
    ("admission: signature verify", ["Suite::Verify"]),
    ("admission: RocksDB reads (duplicate, signer)", ["Store::GetTxLocation", "LoadAccountByKey"]),
    ("admission: decode, hash, mempool, other", ["Node::Submit"]),
    ("api: JSON reply (MessageToJsonString)", ["MessageToJsonString"]),
    ("api: GET block (the bench's follower)", ["Node::GetBlock"]),
    ("api: other route work", ["api::Server::Impl"]),
    ("http: write response (send)", ["write_response"]),
    ("http: read and parse request", ["Server::process_request"]),
    ("http: keep-alive wait (poll)", ["keep_alive", "select_read"]),
    ("http: other", ["httplib::"]),
    ("rocksdb background threads", ["rocksdb::"]),
]
OTHER = "other (kernel, allocator, unresolved)"


def read_samples(path):
    if not path.endswith((".txt", ".script")):
        text = subprocess.run(["perf", "script", "-i", path, "-F", "tid,ip,sym"],
                              capture_output=True, text=True, errors="replace").stdout
        lines = text.splitlines()
    else:
        lines = open(path, errors="replace").read().splitlines()
    samples, frames = [], None
    for line in lines:
        if not line.strip():
            if frames is not None:
                samples.append(frames)
            frames = None
        elif not line.startswith("\t"):
            frames = []
        elif frames is not None:
            parts = line.strip().split(None, 1)
            frames.append((parts[1] if len(parts) > 1 else "?").replace(" (inlined)", ""))
    if frames is not None:
        samples.append(frames)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", help="perf.data, or perf script output ending in .txt")
    parser.add_argument("--root", help="only samples below this function (substring)")
    parser.add_argument("--top", type=int, default=40, help="functions to list")
    args = parser.parse_args()
    samples = read_samples(args.profile)
    if not samples:
        sys.exit("no samples in " + args.profile)
    counts = collections.Counter()
    for frames in samples:
        stack = "\n".join(frames)
        name = next((n for n, markers in CATEGORIES if any(m in stack for m in markers)), OTHER)
        counts[name] += 1
    print(f"{len(samples)} samples; share of the node's CPU time by stage")
    for name in [n for n, _ in CATEGORIES] + [OTHER]:
        print(f"  {100.0 * counts[name] / len(samples):5.1f}%  {name}")
    inclusive = collections.Counter()
    selected = 0
    for frames in samples:
        if args.root:
            below = [i for i, f in enumerate(frames) if args.root in f]
            if not below:
                continue
            frames = frames[: below[-1] + 1]
        selected += 1
        for function in set(frames):
            inclusive[function] += 1
    scope = f"below {args.root} ({100.0 * selected / len(samples):.1f}% of samples)" \
        if args.root else "all samples"
    print(f"\ninclusive share of functions, {scope}")
    for function, count in inclusive.most_common(args.top):
        print(f"  {100.0 * count / max(1, selected):5.1f}%  {function[:140]}")


if __name__ == "__main__":
    main()
