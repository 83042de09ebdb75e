"""The fast path of a training step: the optimizer's update without its Python overhead.

``lean.lean_step`` is what :class:`playground.training.step.Step` calls when
``FAST`` is on; ``fused.direct_step`` is the fused kernel called directly. Both make
exactly the update torch would make (tested bit for bit).
"""
