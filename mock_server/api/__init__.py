"""HTTP layer: one router per resource; routers translate HTTP to service calls and back."""
