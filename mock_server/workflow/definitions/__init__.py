"""The loan process definitions the sandbox ships."""
