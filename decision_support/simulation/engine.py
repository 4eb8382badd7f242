"""The queue engine: one unit's staff serving customers and back-office jobs, on SimPy's event list.

One :class:`QueueRun` is one unit over one stretch of time (a working day, or a long steady-state run in the
validation tests). Its inputs are plain data: the job classes, the servers (staff) with their skills and on-duty
intervals, and the jobs, whose arrival times and service requirements were drawn before the run from the
streams of :mod:`.streams` (so the n-th customer needs the same work whoever serves it).

Rules, in the order they matter:

- **Routing by skills.** A job of class ``c`` can only be served by a server whose skills include ``c``. An
  arriving job goes to an idle, on-duty, skilled server, the most specialised first (fewest skills, then the
  order given), so generalists stay free for the work only they can do.
- **Priorities.** Customers come before back-office work. A waiting customer is taken before any back-office
  job; an arriving customer who finds no idle server interrupts a skilled server's back-office job, which goes
  back to the head of its queue with the work left (pre-emptive resume). Within a priority, the job that arrived
  first is served first.
- **Shift changes** (``semantics``, docs/simulation.md "Shift changes"): at the end of a server's on-duty interval
  before closing,

  * ``finish_then_leave`` (default): *that* server finishes their own customer in hand, as overtime, takes no
    one else and then leaves; the others simply continue. (Not "the first server to become free leaves", the
    N_exc rule, nor "every busy server finishes as overtime while the new shift starts", Ciw's rule.)
  * ``preempt_resume``: the customer in hand goes back to the head of the queue with the work left, and the next
    free server resumes it.

  Back-office work is always put down at a shift end (pre-emptive resume), never finished as overtime.
- **Closing** (the same under every semantic). Arrivals stop at the door-closing time ``close``. Servers whose
  last interval ends at or after ``close`` stay on while customers they can serve are still inside, starting
  services until ``close + max_overtime``; a service in progress is always finished (customers are never sent
  home half-served, so ``max_overtime = 0`` is the limit of small overtimes); customers still waiting at the
  limit are sent home (``unserved``). Back-office jobs left over are the backlog.
- **Customer behaviour.** ``capacity`` limits the customers present (waiting or in service): an arrival that
  finds it full is blocked. Baulking: an arrival that finds ``n`` present leaves at once with the probability
  of the highest ``baulk`` threshold at or below ``n``. Reneging: a waiting customer leaves when their patience
  (drawn at arrival) runs out.
- **Ties** at one instant: service completions first, then roster changes, then arrivals (SimPy orders events by
  time, then by the priority below, then first scheduled first), so the order is the same on every run.

Records are plain lists appended per event and turned into NumPy arrays at the end; no per-event monitors.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from simpy import Environment
from simpy.events import Event

#: Tie-break priorities of events at the same instant.
COMPLETION, ROSTER, ARRIVAL = 0, 1, 2

#: Job states, as stored in :attr:`QueueRecords.state`.
FUTURE, WAITING, IN_SERVICE, DONE, BLOCKED, BAULKED, RENEGED, UNSERVED = range(8)

FINISH_THEN_LEAVE, PREEMPT_RESUME = "finish_then_leave", "preempt_resume"
SEMANTICS = (FINISH_THEN_LEAVE, PREEMPT_RESUME)


@dataclass(frozen=True)
class JobClass:
    """A kind of job: a customer service (``customer=True``) or one position's back-office work."""

    name: str
    customer: bool = True


@dataclass(frozen=True)
class ServerSpec:
    """One member of staff: the job classes they can serve and their on-duty intervals (sorted, disjoint)."""

    skills: tuple[int, ...]
    shifts: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Behaviour:
    """Customer behaviour: the capacity (customers present) and the baulking thresholds."""

    capacity: int | None = None
    #: (present at least, probability of leaving at once), ascending by presence.
    baulk: tuple[tuple[int, float], ...] = ()

    def baulk_probability(self, present: int) -> float:
        probability = 0.0
        for threshold, p in self.baulk:
            if present >= threshold:
                probability = p
        return probability


@dataclass
class JobInput:
    """The jobs of one run, sorted by arrival; drawn before the run so that both arms see the same jobs."""

    arrival: np.ndarray
    cls: np.ndarray
    work: np.ndarray
    #: Patience of each job (``inf``: never reneges); ``None`` when nobody reneges.
    patience: np.ndarray | None = None
    #: A uniform number per job for the baulking decision; ``None`` when nobody baulks.
    baulk_u: np.ndarray | None = None
    #: Further visits of each job's customer: (class, work) steps after the first; ``None`` for one-visit jobs.
    routes: list[tuple[tuple[int, float], ...]] | None = None


@dataclass
class QueueRecords:
    """What happened in one run, one row per job (visits after the first are jobs of their own)."""

    arrival: np.ndarray
    cls: np.ndarray
    work: np.ndarray
    #: First service start (``nan`` if never started).
    start: np.ndarray
    #: Completion, or the time the job left unserved (``nan`` if still inside at the end).
    end: np.ndarray
    state: np.ndarray
    #: Index of the customer's first visit (the job itself for a first visit).
    customer: np.ndarray
    #: Work not yet done (0 for completed jobs).
    remaining: np.ndarray
    seg_job: np.ndarray
    seg_server: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    #: Integrals measured during the run: customers present x time, customers waiting x time.
    area_present: float
    area_waiting: float
    t_end: float
    shifts: tuple[tuple[tuple[float, float], ...], ...]
    classes: tuple[JobClass, ...] = field(default=())


class _Tick(Event):
    """An event at ``now + delay`` with a tie-break priority, one callback and a payload (a lean Timeout)."""

    def __init__(
        self, env: Environment, delay: float, priority: int, callback: Callable[[Event], None], value: object
    ) -> None:
        self.env = env
        self.callbacks = [callback]
        self._value = value
        self._ok = True
        env.schedule(self, priority, delay)  # type: ignore[arg-type]  # simpy orders any int priority


class _Server:
    __slots__ = ("closer", "closing", "customer_skills", "index", "job", "on_duty", "seg_start", "skills", "token")

    def __init__(self, index: int, spec: ServerSpec, customer_classes: set[int], close: float) -> None:
        self.index = index
        self.skills = spec.skills
        self.customer_skills = tuple(c for c in spec.skills if c in customer_classes)
        self.closer = bool(spec.shifts) and spec.shifts[-1][1] >= close and math.isfinite(close)
        self.closing = False
        self.job = -1
        self.on_duty = False
        self.seg_start = 0.0
        self.token = 0


class QueueRun:
    """One unit's queueing system over one run; :meth:`run` returns its :class:`QueueRecords`."""

    def __init__(
        self,
        classes: Sequence[JobClass],
        servers: Sequence[ServerSpec],
        jobs: JobInput,
        *,
        close: float = math.inf,
        max_overtime: float = math.inf,
        semantics: str = FINISH_THEN_LEAVE,
        behaviour: Behaviour | None = None,
    ) -> None:
        if semantics not in SEMANTICS:
            raise ValueError(f"semantics must be one of {SEMANTICS}, not {semantics!r}")
        self.classes = tuple(classes)
        self.specs = tuple(servers)
        self.close, self.hard_stop = close, close + max_overtime
        self.preempt_customers = semantics == PREEMPT_RESUME
        self.behaviour = behaviour or Behaviour()
        self.env = Environment()
        self.is_customer = [c.customer for c in self.classes]
        self.rank = [0 if c.customer else 1 for c in self.classes]
        customers = {i for i, c in enumerate(self.classes) if c.customer}
        self.has_back_office = len(customers) < len(self.classes)
        self.servers = [_Server(i, spec, customers, close) for i, spec in enumerate(self.specs)]
        order = sorted(self.servers, key=lambda s: (len(s.skills), s.index))
        self.eligible = [[s for s in order if c in s.skills] for c in range(len(self.classes))]
        self.queues: list[deque[int]] = [deque() for _ in self.classes]
        self._load_jobs(jobs)
        self.seg_job: list[int] = []
        self.seg_server: list[int] = []
        self.seg_start: list[float] = []
        self.seg_end: list[float] = []
        self.present = self.waiting = 0
        self.area_present = self.area_waiting = 0.0
        self._t_present = self._t_waiting = 0.0

    def _load_jobs(self, jobs: JobInput) -> None:
        n = len(jobs.arrival)
        self.n_first = n
        self.arrival = jobs.arrival.tolist()
        self.cls = jobs.cls.tolist()
        self.work = jobs.work.tolist()
        self.remaining = list(self.work)
        self.patience = jobs.patience.tolist() if jobs.patience is not None else None
        self.baulk_u = jobs.baulk_u.tolist() if jobs.baulk_u is not None else None
        self.routes = jobs.routes
        self.start = [-1.0] * n
        self.end = [-1.0] * n
        self.state = [FUTURE] * n
        self.customer = list(range(n))
        self.step = [0] * n

    # -- running -------------------------------------------------------------------------------------------
    def run(self) -> QueueRecords:
        """Run until no event is left and return the records."""
        env = self.env
        for server, spec in zip(self.servers, self.specs, strict=True):
            for begin, finish in spec.shifts:
                _Tick(env, begin, ROSTER, self._on_shift_start, server)
                if math.isfinite(finish):
                    _Tick(env, finish, ROSTER, self._on_shift_end, server)
        if self.n_first:
            _Tick(env, self.arrival[0], ARRIVAL, self._on_arrival, 0)
        if math.isfinite(self.hard_stop):
            _Tick(env, self.hard_stop, ROSTER, self._on_hard_stop, None)
        env.run()
        self._count_present(env.now)
        self._count_waiting(env.now)
        return self._records()

    def _count_present(self, now: float) -> None:
        self.area_present += self.present * (now - self._t_present)
        self._t_present = now

    def _count_waiting(self, now: float) -> None:
        self.area_waiting += self.waiting * (now - self._t_waiting)
        self._t_waiting = now

    # -- arrivals ------------------------------------------------------------------------------------------
    def _on_arrival(self, event: Event) -> None:
        i = event._value
        now = self.env._now
        if i + 1 < self.n_first:
            _Tick(self.env, self.arrival[i + 1] - now, ARRIVAL, self._on_arrival, i + 1)
        if self.is_customer[self.cls[i]] and not self._admit(i, now):
            return
        self._offer(i, now)

    def _admit(self, i: int, now: float) -> bool:
        """Capacity and baulking: False (and the job closed) when the customer does not stay."""
        behaviour = self.behaviour
        if behaviour.capacity is not None and self.present >= behaviour.capacity:
            self._close_job(i, BLOCKED, now)
            return False
        if self.baulk_u is not None and self.baulk_u[i] < behaviour.baulk_probability(self.present):
            self._close_job(i, BAULKED, now)
            return False
        self._count_present(now)
        self.present += 1
        return True

    def _offer(self, i: int, now: float) -> None:
        """A job enters: an idle skilled server takes it, else it interrupts back office, else it waits."""
        c = self.cls[i]
        for server in self.eligible[c]:
            if server.job < 0 and server.on_duty:
                self._start(server, i, now)
                return
        if self.has_back_office and self.is_customer[c]:
            for server in self.eligible[c]:
                if (
                    server.on_duty
                    and server.job >= 0
                    and not server.closing
                    and not self.is_customer[self.cls[server.job]]
                ):
                    self._preempt(server, now)
                    self._start(server, i, now)
                    return
        self._enqueue(i, now)

    def _enqueue(self, i: int, now: float, *, front: bool = False) -> None:
        self.state[i] = WAITING
        queue = self.queues[self.cls[i]]
        if front:
            queue.appendleft(i)
        else:
            queue.append(i)
        if self.is_customer[self.cls[i]]:
            self._count_waiting(now)
            self.waiting += 1
            if self.patience is not None and not front and self.step[i] == 0:
                patience = self.patience[i]
                if math.isfinite(patience):
                    _Tick(self.env, patience, ARRIVAL, self._on_renege, i)

    # -- service -------------------------------------------------------------------------------------------
    def _start(self, server: _Server, i: int, now: float) -> None:
        if self.state[i] == WAITING and self.is_customer[self.cls[i]]:
            self._count_waiting(now)
            self.waiting -= 1
        self.state[i] = IN_SERVICE
        if self.start[i] < 0:
            self.start[i] = now
        server.job = i
        server.seg_start = now
        server.token += 1
        _Tick(self.env, self.remaining[i], COMPLETION, self._on_complete, (server, server.token))

    def _record_segment(self, server: _Server, i: int, now: float) -> None:
        self.seg_job.append(i)
        self.seg_server.append(server.index)
        self.seg_start.append(server.seg_start)
        self.seg_end.append(now)

    def _on_complete(self, event: Event) -> None:
        server, token = event._value
        if token != server.token:
            return  # this service was interrupted; its completion no longer stands
        now = self.env._now
        i = server.job
        self._record_segment(server, i, now)
        self.remaining[i] = 0.0
        server.job = -1
        self.state[i] = DONE
        self.end[i] = now
        if self.is_customer[self.cls[i]]:
            self._next_visit_or_leave(i, now)
        self._serve_next(server, now)

    def _next_visit_or_leave(self, i: int, now: float) -> None:
        first = self.customer[i]
        route = self.routes[first] if self.routes is not None else ()
        step = self.step[i]
        if step < len(route):
            c, work = route[step]
            j = self._new_job(first, c, work, now, step + 1)
            self._offer(j, now)
            return
        self._count_present(now)
        self.present -= 1

    def _new_job(self, first: int, c: int, work: float, now: float, step: int) -> int:
        """Append the next visit of customer ``first`` as a job of its own; return its index."""
        self.arrival.append(now)
        self.cls.append(c)
        self.work.append(work)
        self.remaining.append(work)
        self.start.append(-1.0)
        self.end.append(-1.0)
        self.state.append(FUTURE)
        self.customer.append(first)
        self.step.append(step)
        return len(self.arrival) - 1

    def _serve_next(self, server: _Server, now: float) -> None:
        """A free server takes the next job it may serve, or goes off duty if its time is over."""
        if not server.on_duty:
            return
        i = self._pick(server)
        if i >= 0:
            self._start(server, i, now)
        elif server.closing:
            server.on_duty = server.closing = False

    def _pick(self, server: _Server) -> int:
        """The waiting job with the best (priority, arrival) among the server's classes; -1 if none."""
        state = self.state
        best, best_key = -1, None
        for c in server.customer_skills if server.closing else server.skills:
            queue = self.queues[c]
            while queue and state[queue[0]] != WAITING:
                queue.popleft()
            if queue:
                key = (self.rank[c], self.arrival[queue[0]])
                if best_key is None or key < best_key:
                    best, best_key = queue[0], key
        if best >= 0:
            self.queues[self.cls[best]].popleft()
        return best

    def _preempt(self, server: _Server, now: float) -> None:
        """Interrupt the server's job: it goes back to the head of its queue with the work left."""
        i = server.job
        self._record_segment(server, i, now)
        self.remaining[i] = max(0.0, self.remaining[i] - (now - server.seg_start))
        server.token += 1
        server.job = -1
        self._enqueue(i, now, front=True)

    # -- roster --------------------------------------------------------------------------------------------
    def _on_shift_start(self, event: Event) -> None:
        server = event._value
        server.on_duty = True
        server.closing = False
        if server.job < 0:
            self._serve_next(server, self.env._now)

    def _on_shift_end(self, event: Event) -> None:
        server = event._value
        now = self.env._now
        if not server.on_duty:
            return
        closing = server.closer and now >= self.close
        if closing and now < self.hard_stop and self._customers_for(server):
            self._stay_for_customers(server, now)
            return
        server.on_duty = False
        i = server.job
        if i < 0:
            return
        # At closing the customer in hand is finished under every semantic (continuity in max_overtime).
        if not self.is_customer[self.cls[i]] or (self.preempt_customers and not closing):
            self._preempt(server, now)
            self._hand_over(i, now)

    def _customers_for(self, server: _Server) -> bool:
        if server.job >= 0 and self.is_customer[self.cls[server.job]]:
            return True
        return any(self._has_waiting(c) for c in server.customer_skills)

    def _has_waiting(self, c: int) -> bool:
        queue = self.queues[c]
        while queue and self.state[queue[0]] != WAITING:
            queue.popleft()
        return bool(queue)

    def _stay_for_customers(self, server: _Server, now: float) -> None:
        """After closing, a closing server serves the customers still inside (overtime), not back office."""
        server.closing = True
        i = server.job
        if i >= 0 and not self.is_customer[self.cls[i]]:
            self._preempt(server, now)
        if server.job < 0:
            self._serve_next(server, now)

    def _hand_over(self, i: int, now: float) -> None:
        """A job put down at a shift end goes to another free skilled server at once, if there is one."""
        for server in self.eligible[self.cls[i]]:
            if server.job < 0 and server.on_duty and not (server.closing and not self.is_customer[self.cls[i]]):
                self.queues[self.cls[i]].popleft()
                self._start(server, i, now)
                return

    def _on_hard_stop(self, event: Event) -> None:
        """The overtime limit: closing staff finish the customer in hand; those still waiting go home."""
        now = self.env._now
        for server in self.servers:
            if server.closing or (server.closer and server.on_duty):
                server.closing = False
                server.on_duty = False
                if server.job >= 0 and not self.is_customer[self.cls[server.job]]:
                    self._preempt(server, now)
        for c, queue in enumerate(self.queues):
            if not self.is_customer[c]:
                continue
            while queue:
                i = queue.popleft()
                if self.state[i] == WAITING:
                    self._count_waiting(now)
                    self.waiting -= 1
                    self._close_job(i, UNSERVED, now)
                    self._count_present(now)
                    self.present -= 1

    def _on_renege(self, event: Event) -> None:
        i = event._value
        if self.state[i] != WAITING:
            return
        now = self.env._now
        self._count_waiting(now)
        self.waiting -= 1
        self._close_job(i, RENEGED, now)
        self._count_present(now)
        self.present -= 1

    def _close_job(self, i: int, state: int, now: float) -> None:
        self.state[i] = state
        self.end[i] = now

    # -- results -------------------------------------------------------------------------------------------
    def _records(self) -> QueueRecords:
        start = np.asarray(self.start, dtype=float)
        end = np.asarray(self.end, dtype=float)
        start[start < 0] = np.nan
        end[end < 0] = np.nan
        return QueueRecords(
            arrival=np.asarray(self.arrival, dtype=float),
            cls=np.asarray(self.cls, dtype=np.int64),
            work=np.asarray(self.work, dtype=float),
            start=start,
            end=end,
            state=np.asarray(self.state, dtype=np.int64),
            customer=np.asarray(self.customer, dtype=np.int64),
            remaining=np.asarray(self.remaining, dtype=float),
            seg_job=np.asarray(self.seg_job, dtype=np.int64),
            seg_server=np.asarray(self.seg_server, dtype=np.int64),
            seg_start=np.asarray(self.seg_start, dtype=float),
            seg_end=np.asarray(self.seg_end, dtype=float),
            area_present=self.area_present,
            area_waiting=self.area_waiting,
            t_end=self.env.now,
            shifts=tuple(spec.shifts for spec in self.specs),
            classes=self.classes,
        )
