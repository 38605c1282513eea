"""HTTP layer: one router per resource; routers translate HTTP to service calls and back.

The modules that declare routes and dependencies do not use `from __future__ import annotations`:
FastAPI reads every endpoint's and dependency's signature once per route at start-up
(`inspect.signature(eval_str=True)`), and string annotations cost an `eval` each, some 1,500 of
them per start (see benchmarks/bench_startup.py).
"""
