"""Finding a learning rate: the range test, short runs at fixed LRs, and the rules that
suggest an LR from a curve."""
