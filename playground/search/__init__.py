"""Hyper-parameter search over several RunConfig fields: the space, the trial, the
backends that run trials (in-process, a pool of worker processes, Ray) and the
ask/tell loop that drives an Optuna sampler over them."""
