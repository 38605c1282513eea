"""The API's request models and the fields they share (pydantic only, no HTTP framework).

The routes declare these bodies and the services take them as they are, so a use case reads
`body.amount`, never `int(body["amount"])`; `mock_server.api.bodies` re-exports them.
"""
