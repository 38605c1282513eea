"""The rule engine: policies as data, compiled once, every decision explained."""
