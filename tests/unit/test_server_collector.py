"""mock-server's start: the collector paused while the sandbox is built, what it built frozen,
then young collections after 10,000 new objects instead of Python's 700."""

from __future__ import annotations

import gc

from mock_server.__main__ import YOUNG_GENERATION_THRESHOLD, _collector_paused


def test_the_start_pauses_freezes_then_widens_the_young_generation() -> None:
    thresholds = gc.get_threshold()
    try:
        gc.set_threshold(700, *thresholds[1:])
        frozen_before = gc.get_freeze_count()
        with _collector_paused():
            assert not gc.isenabled()
            built = [[n] for n in range(1000)]  # what a start keeps for the process's life
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + len(built)
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *thresholds[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
