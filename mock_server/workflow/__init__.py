"""The workflow engine: loan processes as data, instances that wait and resume."""
