"""Several comparison runs stepped in one batched pass (the fast path of a group)."""
