"""Whose turn it is on a lane, with a made-up clock."""
from playground.runs.lanes import scheduler
from playground.runs.lanes.scheduler import Turns, next_run


def test_the_earliest_due_paced_step_goes_first_and_full_speed_waits_for_it():
    turns = {"a": Turns(pace=100, due=1.02), "b": Turns(pace=100, due=1.01), "f": Turns()}
    assert next_run(turns, {"a", "b", "f"}, now=1.05)[:2] == ("b", "paced")
    assert next_run(turns, {"a", "b", "f"}, now=1.0)[:2] == ("f", "full")


def test_nothing_ready_says_how_long_until_the_next_paced_step():
    turns = {"a": Turns(pace=100, due=2.5)}
    rid, kind, wait = next_run(turns, {"a"}, now=2.0)
    assert rid is None and abs(wait - 0.5) < 1e-9
    assert next_run(turns, set(), now=2.0) == (None, "", None)   # paused: no wait at all


def test_a_paced_run_far_behind_restarts_its_schedule_instead_of_bursting():
    t = Turns(pace=10, due=0.0)
    scheduler.after_paced_step(t, now=0.05)      # on time: next due one period later
    assert abs(t.due - 0.1) < 1e-9
    scheduler.after_paced_step(t, now=5.0)       # the lane was busy for seconds
    assert t.due == 5.0                          # from now on, not 49 steps owed


def test_on_an_overloaded_lane_every_paced_run_is_slowed_alike():
    """A lane that can do 300 steps/s serving 6 runs asking 100 each: each gets ~50."""
    turns = {f"r{i}": Turns(pace=100, due=0.0) for i in range(6)}
    now, steps = 0.0, {rid: 0 for rid in turns}
    while now < 10.0:
        rid, kind, wait = next_run(turns, set(turns), now)
        if rid is None:
            now += wait
            continue
        now += 1 / 300                           # one step costs 1/300 s of the lane
        steps[rid] += 1
        scheduler.after_paced_step(turns[rid], now)
    rates = [s / 10.0 for s in steps.values()]
    assert max(rates) / min(rates) < 1.15 and 45 <= min(rates) and max(rates) <= 55


def test_full_speed_runs_take_turns_by_cpu_used_and_a_newcomer_starts_level():
    turns = {"long": Turns(cpu_used=30.0), "short": Turns(cpu_used=29.5)}
    assert next_run(turns, {"long", "short"}, now=0)[0] == "short"
    turns["new"] = Turns()
    scheduler.join_full_speed(turns, "new")
    assert turns["new"].cpu_used == 29.5        # no turns owed from before it came


def test_slowed_only_when_clearly_below_its_pace():
    t = Turns(pace=150)
    for i in range(300):                          # 300 steps over 2 s = 150 steps/s
        scheduler.count_step(t, now=i / 150)
    scheduler.count_step(t, now=2.01)
    assert not scheduler.is_slowed(t)
    slow = Turns(pace=150)
    for i in range(101):                          # 50 steps/s
        scheduler.count_step(slow, now=i / 50)
    assert scheduler.is_slowed(slow)
    assert not scheduler.is_slowed(Turns())       # full speed is never "slowed"


def test_each_session_polls_at_its_own_place_in_a_quarter_period():
    from playground.ui.widgets.live import session_spread

    spreads = [session_spread(f"{i:012x}") for i in range(200)]
    assert all(0 <= s < 1 for s in spreads)
    assert session_spread("abc") == session_spread("abc")          # fixed per session
    assert len({round(s, 2) for s in spreads}) > 50                 # and spread out
