"""Installo lending sandbox: the lender's consumer-finance system with a simulated outside world."""
