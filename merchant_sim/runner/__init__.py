"""The headless scenario runner: scenario files, the engine, reports."""
