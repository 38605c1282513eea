"""HTTP layer: one router per resource; routers translate HTTP to service calls and back.

The modules that declare routes, dependencies and models do not use `from __future__ import
annotations`: FastAPI reads every endpoint's and dependency's signature once per route at start-up
(`inspect.signature(eval_str=True)`) and pydantic every model field's annotation when its class
is declared, and each string annotation costs an `eval`, some 2,000 of them per start (see
benchmarks/bench_startup.py).
"""
