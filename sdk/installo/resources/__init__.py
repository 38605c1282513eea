"""Resource groups of the clients (`client.checkouts`, `client.loans`, ...)."""
