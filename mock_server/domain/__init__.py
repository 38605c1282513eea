"""Money, plans, installment schedules and loan servicing: pure Python, no I/O."""
