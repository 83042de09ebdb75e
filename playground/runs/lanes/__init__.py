"""Training lanes: single runs trained in worker processes, one thread each.

Why: every run as a thread of the app process does not scale past a few runs. The
Python part of each step holds the GIL, and each of torch's ~15 calls per step lets it
go and must win it back; with the pages' own Python busy (20 live sessions build their
figures), every win-back waits out the 5 ms switch interval. Measured on 2 cores
(``bench/classroom_load.py``): 20 Watch runs as threads reached 20 steps/s each of the
150 asked and a click waited 5 s. A lane is a process that trains many runs on *one*
thread, in turns (:mod:`.scheduler`): no run waits for the GIL behind another, and the
app process keeps its GIL for the pages.

The app process keeps a :class:`~.mirror.MirrorRecord` per run — the same RunRecord the
pages, the reaper and the run store already read — and the lane sends it what changed
(:mod:`.delta`) ten times a second and after every command. Commands go the other way
(:class:`~.pool.LanePool`). Runs handed a task object (an upload from the Lessons page)
and comparison groups still train on threads of the app process.
"""
