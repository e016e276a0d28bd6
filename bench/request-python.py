"""Debian's python3-monascaclient doing the bench's call: a fixed token, a fixed endpoint, sequential.

    /usr/bin/python3 bench/request-python.py <endpoint> <requests> <rounds>   -> median microseconds per request
"""
import statistics
import sys
import time

from keystoneauth1 import session, token_endpoint
from monascaclient import client

endpoint, requests, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
monasca = client.Client(api_version="2_0", endpoint=endpoint, session=session.Session(auth=token_endpoint.Token(endpoint, "bench-token")))


def once():
    return monasca.metrics.list_names(limit=20)


for _ in range(50):
    once()
samples = []
for _ in range(rounds):
    start = time.perf_counter()
    for _ in range(requests):
        once()
    samples.append((time.perf_counter() - start) / requests * 1e6)
print(statistics.median(samples))
