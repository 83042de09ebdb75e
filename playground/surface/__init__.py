"""Loss surfaces: toy 2-D landscapes (``toy``) and planes through a network's weights
(``directions`` picks the plane, ``grid`` evaluates the loss on it fast, ``network``
ties a run's trajectory, the plane and the fidelity check together)."""
