"""Choosing how a comparison group steps its members: 1 or 2 cores, batched or not.

Which is fastest depends on the model and the machine. Big models spend their time in
torch kernels that release the GIL, so two threads really use two cores. Tiny models
spend it in Python and dispatch overhead, where two threads mostly hand the GIL back
and forth (each hand-off is a context switch) and a batched pass over several runs
(:mod:`playground.compare.packed.pack`) wins instead. Rather than guess, the group *measures*: it
tries each way for a short window, keeps the fastest, and re-checks now and then
because other users' runs change what is fastest. The result never depends on the
choice (lockstep is kept in every mode); only the speed does.
"""
from __future__ import annotations

TRIAL_S = 0.12      # how long each way is tried
RETUNE_S = 30.0     # how often the choice is measured again
# A way that runs clearly slower than the best one tried so far is dropped early: on a
# busy 2-core machine two threads can run at half speed, and every trial is real time
# the user's runs spend in it.
EARLY_LOOK = 0.25   # fraction of TRIAL_S after which a trial may be cut short
EARLY_CUT = 0.8     # ...when it runs below this fraction of the best rate so far

Mode = tuple[int, bool]     # (lanes, batched)


class ModeTuner:
    def __init__(self, trial_s: float = TRIAL_S, retune_s: float = RETUNE_S):
        self.trial_s, self.retune_s = trial_s, retune_s
        self.rates: dict[Mode, float] = {}
        self.best: Mode | None = None
        self._trying: list[Mode] = []
        self._start: float | None = None
        self._work = 0
        self._next = 0.0
        self._candidates: tuple[Mode, ...] = ()

    def choose(self, candidates: tuple[Mode, ...], now: float) -> Mode:
        """The mode for the next tick; call :meth:`done` after it with its work."""
        if len(candidates) == 1:
            return candidates[0]
        if candidates != self._candidates or (not self._trying and now >= self._next):
            self._candidates = candidates     # what is possible changed: measure again
            # The last winner first: it sets the bar that lets slow ways be cut short.
            order = sorted(candidates, key=lambda m: m != self.best)
            self._trying, self.rates, self._start = order, {}, None
        if not self._trying:
            return self.best if self.best in candidates else candidates[0]
        if self._start is None:
            self._start, self._work = now, 0
        elif self._trial_over(now - self._start):
            self.rates[self._trying.pop(0)] = self._work / (now - self._start)
            self._start, self._work = now, 0
            if not self._trying:
                self.best = max(self.rates, key=self.rates.get)
                self._next = now + self.retune_s
                return self.best
        return self._trying[0]

    def _trial_over(self, elapsed: float) -> bool:
        if elapsed >= self.trial_s:
            return True
        if elapsed < EARLY_LOOK * self.trial_s or not self.rates:
            return False
        return self._work / elapsed < EARLY_CUT * max(self.rates.values())

    @property
    def settled(self) -> bool:
        """True between measurements (a choice is made and no trial is running)."""
        return self.best is not None and not self._trying

    def retune_due(self, now: float) -> bool:
        return now >= self._next

    def done(self, member_steps: int) -> None:
        self._work += member_steps

    def pause(self) -> None:
        """Idle time (pauses, waiting for a slot) must not count against a trial."""
        self._start = None
