"""Coffee roulette: split a pool of people into pairs (and one trio for an odd count).

Pure: standard library only; randomness comes from the ``rng`` passed in, history from a
:class:`PairHistory` built once from the stored rounds. The contract is :func:`plan_groups`'s.

Two methods, switched at :data:`EXACT_LIMIT` people (the cost of the exact one, see there):

* **Exact** (small pools): a maximum-cardinality, maximum-weight matching (Edmonds' blossom
  algorithm, :func:`max_weight_matching`) on the graph of allowed pairs, weighted so that fewer and
  older repeats always win over any soft preference. A pool whose "not met yet" pairs form a
  regular graph of low degree (a stable, even pool late in its cycle) first gets a whole
  1-factorization of that graph (:func:`one_factorization`), of which this round is one round, so
  the rounds after it stay repeat-free too: a stable pool of 50 gets all 49 possible rounds before
  anyone meets twice. When the repeat window spans (nearly) a whole cycle, preferences turn into a
  tilt on a random draw once a quarter of the pool has been met (see ``_cycle_mode``), and an odd
  pool's trio goes to whoever has the most fresh partners to spare.
* **Greedy** (larger pools): people ordered by UTC offset (random within one), a linear pass that
  pairs the first person waiting with the best of the next :data:`LOOK_AHEAD` - 1 (never within
  one known team in the first pass), a second pass for the few left in wider time-zone bands, and
  the exact method on what remains at the end together with the last :data:`REOPEN_PAIRS` pairs.

(:func:`max_weight_matching` and :func:`one_factorization` are general graph algorithms and could
live in a module of their own.)
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from operator import attrgetter

# Pools up to this size are matched exactly. The blossom algorithm is O(n^3) in pure Python: about
# 20 ms for 50 people, 0.15-0.2 s for 100 (a whole round where every pair has met, with big-integer
# weights: 0.17 s) on the reference machine, 0.5 s for 150. Beyond it the greedy pass
# (O(n * LOOK_AHEAD)) takes over: in a pool that large a window of random candidates nearly always
# holds a fresh partner, so exactness buys little, and the cost would grow with the cube.
EXACT_LIMIT = 100
# The greedy pass compares each person with the next LOOK_AHEAD - 1 people still waiting.
LOOK_AHEAD = 8
# After the greedy pass, this many of the last pairs are reopened and re-matched exactly with the
# people left waiting, so the end of the pass is not forced into repeats.
REOPEN_PAIRS = 24
# In a greedy round, this many first-in-line people each scan the whole pool for their partner (O(n)
# each); the rest of them lead the exact tail.
FIRST_SCAN = 200
# A 1-factorization of the "not met yet" graph is searched for when it is regular of at most this
# degree (the last rounds of a stable even pool), within FACTOR_BUDGET search steps.
FACTOR_MAX_DEGREE = 8
FACTOR_BUDGET = 4_000
# "Cycle mode" (see _cycle_mode): from when the fewest fresh partners is at most this share of n - 1,
# preferences weigh _CYCLE_BIAS against a random 0 .. _JITTER * (top + 1) per pair.
_CYCLE_DEGREE_SHARE = (3, 4)
_CYCLE_BIAS = 8

WORKDAY_MINUTES = 8 * 60  # both people are assumed to work 09:00-17:00 local time
_DAY = 24 * 60
_TZ_UNKNOWN = 1 << 20
TZ_BAND = 240  # minutes: the time-zone bands of the greedy's second pass

# Soft preferences, in points per pair. Repeats and "avoid" wishes are not points: they are hard
# (avoid) or lexicographically dominant (repeats).
_CROSS_TEAM = 6  # both teams known and different
_TEAM_UNKNOWN = 3  # at least one team unknown
_MIXED_LEVEL = 3  # both levels known and different (only with mix_levels)
# Shared working time scores 2 points per hour up to 4 hours: enough to find a slot; more does not
# beat meeting someone from another team.
_TZ_POINTS_PER_HOUR = 2
_TZ_ENOUGH_HOURS = 4
_TZ_FULL_POINTS = _TZ_POINTS_PER_HOUR * _TZ_ENOUGH_HOURS
_TZ_UNKNOWN_POINTS = 4  # a time zone is unknown
_JITTER = 64  # random tie-break between equally good pairs, below every preference


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone in this round's pool, with what pairing may use to mix people well.

    ``level`` runs from 1 (junior) to 5 (principal); ``utc_offset_minutes`` is the person's current
    offset from UTC. Every field but ``user_id`` may be unknown (None). ``first_in_line``: they were
    left without a group last time, so they are placed before anyone else (see ``plan_groups``).
    """

    user_id: str
    team: str | None = None
    level: int | None = None
    utc_offset_minutes: int | None = None
    first_in_line: bool = False


@dataclass(frozen=True, slots=True)
class PairingPolicy:
    """How a round is paired.

    ``repeat_window``: no two people who met in the last ``repeat_window`` rounds are paired again,
    unless no plan avoids it; then pairs that met longest ago are allowed first.
    """

    repeat_window: int = 6
    prefer_cross_team: bool = True
    mix_levels: bool = False
    prefer_tz_overlap: bool = True


@dataclass(frozen=True, slots=True)
class Group:
    """One coffee: two members, or three for the single trio of an odd pool.

    ``members`` are sorted by user id; ``proposer`` is the member asked to propose a time.
    """

    members: tuple[str, ...]
    proposer: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The groups of one round and how good they are.

    ``repeats``: pairs (sorted user ids) inside groups who met within the repeat window; only those
    no plan could avoid. ``left_out``: people who could not be placed at all because of "don't pair"
    wishes (or a pool of one). The shares are over groups: ``cross_team_share`` counts groups with
    members from more than one known team, ``level_mix_share`` groups with more than one known level;
    ``mean_tz_overlap_hours`` is the mean shared working time (09:00-17:00 local) over groups whose
    time zones are all known. ``exact`` tells whether the exact method planned the whole pool.
    """

    groups: tuple[Group, ...]
    repeats: tuple[tuple[str, str], ...]
    left_out: tuple[str, ...]
    cross_team_share: float
    level_mix_share: float = 0.0
    mean_tz_overlap_hours: float = 0.0
    exact: bool = True


def _pair_key(a: int, b: int) -> int:
    """Two non-negative ints below 2**32 as one int, the smaller first (cheaper than a tuple)."""
    return (a << 32) | b if a < b else (b << 32) | a


@dataclass(frozen=True, slots=True)
class PairHistory:
    """Who met whom in recent rounds: for each pair, the last round they shared a group.

    Built once from the stored rounds (:meth:`from_rounds`), never person by person. Each user id
    gets a small int; each pair that met is one dict entry keyed by both ints packed into one int,
    valued with the number of the last round they met (1 = the oldest round given). Cost: O(pairs)
    time and about 80 bytes per pair (100,000 people x 12 rounds of pairs: 600,000 entries, 45 MB,
    0.5-1 s); :meth:`rounds_since` is one dict lookup. ``index`` and ``last_met`` are read-only.
    """

    rounds: int = 0
    index: dict[str, int] = field(default_factory=dict, repr=False)
    last_met: dict[int, int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rounds(cls, rounds: Sequence[Iterable[Iterable[str]]]) -> PairHistory:
        """``rounds`` oldest first (most recent last); each round is its groups of user ids."""
        index: dict[str, int] = {}
        last_met: dict[int, int] = {}
        for number, groups in enumerate(rounds, start=1):
            _record(index, last_met, number, groups)
        return cls(len(rounds), index, last_met)

    def with_round(self, groups: Iterable[Iterable[str]]) -> PairHistory:
        """A new history with one more round (the most recent). Copies: O(pairs held)."""
        index = dict(self.index)
        last_met = dict(self.last_met)
        _record(index, last_met, self.rounds + 1, groups)
        return PairHistory(self.rounds + 1, index, last_met)

    def rounds_since(self, a: str, b: str) -> int | None:
        """1 if ``a`` and ``b`` met in the most recent round, 2 the round before …; None if never."""
        ia = self.index.get(a)
        ib = self.index.get(b)
        if ia is None or ib is None or ia == ib:
            return None
        met = self.last_met.get(_pair_key(ia, ib))
        return None if met is None else self.rounds - met + 1

    def __len__(self) -> int:
        return len(self.last_met)


def _record(
    index: dict[str, int], last_met: dict[int, int], number: int, groups: Iterable[Iterable[str]]
) -> None:
    setdefault = index.setdefault
    for group in groups:
        members = group if isinstance(group, tuple | list) else tuple(group)
        if len(members) == 2:  # the fast path for nearly every group
            a = setdefault(members[0], len(index))
            b = setdefault(members[1], len(index))
            if a != b:
                last_met[(a << 32) | b if a < b else (b << 32) | a] = number
            continue
        ids = [setdefault(user_id, len(index)) for user_id in members]
        for x, a in enumerate(ids):
            for b in ids[x + 1 :]:
                if a != b:
                    last_met[_pair_key(a, b)] = number


# --------------------------------------------------------------------------------------------------
# Edmonds' blossom algorithm: maximum-weight matching in a general graph, O(n^3).
# --------------------------------------------------------------------------------------------------


def max_weight_matching(
    n: int, edges: Sequence[tuple[int, int, int]], *, max_cardinality: bool = False
) -> list[int]:
    """A maximum-weight matching of the graph on vertices ``0 .. n-1``; ``mate[v]`` or -1.

    ``edges`` are ``(i, j, weight)`` with integer weights and ``i != j``, at most one edge per pair.
    With ``max_cardinality`` the matching has the most edges possible and, among those, the largest
    weight. Edmonds' blossom algorithm with dual variables (primal-dual, after Galil, "Efficient
    algorithms for finding maximum matching in graphs", 1986): n stages, each O(n^2) with the
    per-blossom best-edge lists, so O(n^3) time and O(n + m) memory. Integer weights keep every
    dual variable an integer, so the result is exact.
    """
    if not edges:
        return [-1] * n
    nedge = len(edges)
    nvertex = n
    maxweight = max(0, *(w for _, _, w in edges))
    # endpoint[p]: the vertex at end p of edge p // 2; neighbend[v]: the remote ends of v's edges.
    endpoint = [edges[p >> 1][p & 1] for p in range(2 * nedge)]
    neighbend: list[list[int]] = [[] for _ in range(nvertex)]
    for k, (i, j, _) in enumerate(edges):
        neighbend[i].append(2 * k + 1)
        neighbend[j].append(2 * k)
    mate = [-1] * nvertex  # the remote endpoint (p) of v's matched edge, or -1
    # Per top-level blossom (vertices are trivial blossoms 0..n-1, non-trivial ones n..2n-1):
    # label 1 = S (outer), 2 = T (inner), 0 = free; labelend = the endpoint it was reached through.
    label = [0] * (2 * nvertex)
    labelend = [-1] * (2 * nvertex)
    inblossom = list(range(nvertex))
    blossomparent = [-1] * (2 * nvertex)
    blossomchilds: list[list[int] | None] = [None] * (2 * nvertex)
    blossombase = list(range(nvertex)) + [-1] * nvertex
    blossomendps: list[list[int] | None] = [None] * (2 * nvertex)
    bestedge = [-1] * (2 * nvertex)
    blossombestedges: list[list[int] | None] = [None] * (2 * nvertex)
    unusedblossoms = list(range(nvertex, 2 * nvertex))
    dualvar = [maxweight] * nvertex + [0] * nvertex
    allowedge = [False] * nedge
    queue: list[int] = []

    def slack(k: int) -> int:
        i, j, wt = edges[k]
        return dualvar[i] + dualvar[j] - 2 * wt

    def leaves(b: int) -> Iterable[int]:
        if b < nvertex:
            yield b
            return
        for t in blossomchilds[b]:  # type: ignore[union-attr]
            if t < nvertex:
                yield t
            else:
                yield from leaves(t)

    def assign_label(w: int, t: int, p: int) -> None:
        while True:
            b = inblossom[w]
            label[w] = label[b] = t
            labelend[w] = labelend[b] = p
            bestedge[w] = bestedge[b] = -1
            if t == 1:
                queue.extend(leaves(b))
                return
            # t == 2: the base's mate becomes an S-vertex.
            base = blossombase[b]
            w, t, p = endpoint[mate[base]], 1, mate[base] ^ 1

    def scan_blossom(v: int, w: int) -> int:
        """Trace back from v and w; the base of the new blossom, or -1 for an augmenting path."""
        path = []
        base = -1
        while v != -1 or w != -1:
            b = inblossom[v]
            if label[b] & 4:
                base = blossombase[b]
                break
            path.append(b)
            label[b] = 5
            if labelend[b] == -1:
                v = -1
            else:
                v = endpoint[labelend[b]]
                b = inblossom[v]
                v = endpoint[labelend[b]]
            if w != -1:
                v, w = w, v
        for b in path:
            label[b] = 1
        return base

    def add_blossom(base: int, k: int) -> None:
        v, w, _ = edges[k]
        bb = inblossom[base]
        bv = inblossom[v]
        bw = inblossom[w]
        b = unusedblossoms.pop()
        blossombase[b] = base
        blossomparent[b] = -1
        blossomparent[bb] = b
        path: list[int] = []
        endps: list[int] = []
        blossomchilds[b] = path
        blossomendps[b] = endps
        while bv != bb:
            blossomparent[bv] = b
            path.append(bv)
            endps.append(labelend[bv])
            v = endpoint[labelend[bv]]
            bv = inblossom[v]
        path.append(bb)
        path.reverse()
        endps.reverse()
        endps.append(2 * k)
        while bw != bb:
            blossomparent[bw] = b
            path.append(bw)
            endps.append(labelend[bw] ^ 1)
            w = endpoint[labelend[bw]]
            bw = inblossom[w]
        label[b] = 1
        labelend[b] = labelend[bb]
        dualvar[b] = 0
        for v in leaves(b):
            if label[inblossom[v]] == 2:
                queue.append(v)  # former T-vertices become S-vertices
            inblossom[v] = b
        # The least-slack edge from the new blossom to each other S-blossom.
        bestedgeto = [-1] * (2 * nvertex)
        for bv in path:
            if blossombestedges[bv] is None:
                nblists: Iterable[Iterable[int]] = ([p >> 1 for p in neighbend[u]] for u in leaves(bv))
            else:
                nblists = [blossombestedges[bv]]  # type: ignore[list-item]
            for nblist in nblists:
                for k2 in nblist:
                    i, j, _ = edges[k2]
                    if inblossom[j] == b:
                        i, j = j, i
                    bj = inblossom[j]
                    if (
                        bj != b
                        and label[bj] == 1
                        and (bestedgeto[bj] == -1 or slack(k2) < slack(bestedgeto[bj]))
                    ):
                        bestedgeto[bj] = k2
            blossombestedges[bv] = None
            bestedge[bv] = -1
        best_list = [k2 for k2 in bestedgeto if k2 != -1]
        blossombestedges[b] = best_list
        bestedge[b] = -1
        for k2 in best_list:
            if bestedge[b] == -1 or slack(k2) < slack(bestedge[b]):
                bestedge[b] = k2

    def expand_blossom(b: int, endstage: bool) -> None:
        childs = blossomchilds[b]
        endps = blossomendps[b]
        assert childs is not None and endps is not None
        for s in childs:
            blossomparent[s] = -1
            if s < nvertex:
                inblossom[s] = s
            elif endstage and dualvar[s] == 0:
                expand_blossom(s, endstage)
            else:
                for v in leaves(s):
                    inblossom[v] = s
        if not endstage and label[b] == 2:
            # Relabel the sub-blossoms on the even-length path from the entry child to the base.
            entrychild = inblossom[endpoint[labelend[b] ^ 1]]
            j = childs.index(entrychild)
            if j & 1:
                j -= len(childs)
                jstep, endptrick = 1, 0
            else:
                jstep, endptrick = -1, 1
            p = labelend[b]
            while j != 0:
                label[endpoint[p ^ 1]] = 0
                label[endpoint[endps[j - endptrick] ^ endptrick ^ 1]] = 0
                assign_label(endpoint[p ^ 1], 2, p)
                allowedge[endps[j - endptrick] >> 1] = True
                j += jstep
                p = endps[j - endptrick] ^ endptrick
                allowedge[p >> 1] = True
                j += jstep
            bv = childs[j]
            label[endpoint[p ^ 1]] = label[bv] = 2
            labelend[endpoint[p ^ 1]] = labelend[bv] = p
            bestedge[bv] = -1
            j += jstep
            while childs[j] != entrychild:
                bv = childs[j]
                if label[bv] == 1:
                    j += jstep
                    continue
                reached = -1
                for v in leaves(bv):
                    if label[v] != 0:
                        reached = v
                        break
                if reached != -1:
                    label[reached] = 0
                    label[endpoint[mate[blossombase[bv]]]] = 0
                    assign_label(reached, 2, labelend[reached])
                j += jstep
        label[b] = labelend[b] = -1
        blossomchilds[b] = blossomendps[b] = None
        blossombase[b] = -1
        blossombestedges[b] = None
        bestedge[b] = -1
        unusedblossoms.append(b)

    def augment_blossom(b: int, v: int) -> None:
        """Swap matched and unmatched edges on the path from v to the base of blossom b."""
        t = v
        while blossomparent[t] != b:
            t = blossomparent[t]
        if t >= nvertex:
            augment_blossom(t, v)
        childs = blossomchilds[b]
        endps = blossomendps[b]
        assert childs is not None and endps is not None
        i = j = childs.index(t)
        if i & 1:
            j -= len(childs)
            jstep, endptrick = 1, 0
        else:
            jstep, endptrick = -1, 1
        while j != 0:
            j += jstep
            t = childs[j]
            p = endps[j - endptrick] ^ endptrick
            if t >= nvertex:
                augment_blossom(t, endpoint[p])
            j += jstep
            t = childs[j]
            if t >= nvertex:
                augment_blossom(t, endpoint[p ^ 1])
            mate[endpoint[p]] = p ^ 1
            mate[endpoint[p ^ 1]] = p
        blossomchilds[b] = childs[i:] + childs[:i]
        blossomendps[b] = endps[i:] + endps[:i]
        blossombase[b] = blossombase[blossomchilds[b][0]]  # type: ignore[index]

    def augment_matching(k: int) -> None:
        v, w, _ = edges[k]
        for s, p in ((v, 2 * k + 1), (w, 2 * k)):
            while True:
                bs = inblossom[s]
                if bs >= nvertex:
                    augment_blossom(bs, s)
                mate[s] = p
                if labelend[bs] == -1:
                    break  # reached a single vertex
                t = endpoint[labelend[bs]]
                bt = inblossom[t]
                s = endpoint[labelend[bt]]
                j = endpoint[labelend[bt] ^ 1]
                if bt >= nvertex:
                    augment_blossom(bt, j)
                mate[j] = labelend[bt]
                p = labelend[bt] ^ 1

    for _stage in range(nvertex):
        label[:] = [0] * (2 * nvertex)
        bestedge[:] = [-1] * (2 * nvertex)
        blossombestedges[nvertex:] = [None] * nvertex
        allowedge[:] = [False] * nedge
        queue[:] = []
        for v in range(nvertex):
            if mate[v] == -1 and label[inblossom[v]] == 0:
                assign_label(v, 1, -1)
        augmented = False
        while True:
            while queue and not augmented:
                v = queue.pop()
                for p in neighbend[v]:
                    k = p >> 1
                    w = endpoint[p]
                    if inblossom[v] == inblossom[w]:
                        continue
                    kslack = 0
                    if not allowedge[k]:
                        kslack = slack(k)
                        if kslack <= 0:
                            allowedge[k] = True
                    if allowedge[k]:
                        if label[inblossom[w]] == 0:
                            assign_label(w, 2, p ^ 1)
                        elif label[inblossom[w]] == 1:
                            base = scan_blossom(v, w)
                            if base >= 0:
                                add_blossom(base, k)
                            else:
                                augment_matching(k)
                                augmented = True
                                break
                        elif label[w] == 0:
                            label[w] = 2
                            labelend[w] = p ^ 1
                    elif label[inblossom[w]] == 1:
                        b = inblossom[v]
                        if bestedge[b] == -1 or kslack < slack(bestedge[b]):
                            bestedge[b] = k
                    elif label[w] == 0 and (bestedge[w] == -1 or kslack < slack(bestedge[w])):
                        bestedge[w] = k
            if augmented:
                break
            # No augmenting path with tight edges: change the duals by the largest safe delta.
            deltatype = -1
            delta = 0
            deltaedge = deltablossom = -1
            if not max_cardinality:
                deltatype = 1
                delta = min(dualvar[:nvertex])
            for v in range(nvertex):
                if label[inblossom[v]] == 0 and bestedge[v] != -1:
                    d = slack(bestedge[v])
                    if deltatype == -1 or d < delta:
                        delta, deltatype, deltaedge = d, 2, bestedge[v]
            for b in range(2 * nvertex):
                if blossomparent[b] == -1 and label[b] == 1 and bestedge[b] != -1:
                    d = slack(bestedge[b]) // 2
                    if deltatype == -1 or d < delta:
                        delta, deltatype, deltaedge = d, 3, bestedge[b]
            for b in range(nvertex, 2 * nvertex):
                if (
                    blossombase[b] >= 0
                    and blossomparent[b] == -1
                    and label[b] == 2
                    and (deltatype == -1 or dualvar[b] < delta)
                ):
                    delta, deltatype, deltablossom = dualvar[b], 4, b
            if deltatype == -1:
                # Max cardinality: no further progress possible; one last optimal dual step.
                deltatype = 1
                delta = max(0, min(dualvar[:nvertex]))
            for v in range(nvertex):
                lb = label[inblossom[v]]
                if lb == 1:
                    dualvar[v] -= delta
                elif lb == 2:
                    dualvar[v] += delta
            for b in range(nvertex, 2 * nvertex):
                if blossombase[b] >= 0 and blossomparent[b] == -1:
                    if label[b] == 1:
                        dualvar[b] += delta
                    elif label[b] == 2:
                        dualvar[b] -= delta
            if deltatype == 1:
                break
            if deltatype == 2:
                allowedge[deltaedge] = True
                i, j, _ = edges[deltaedge]
                if label[inblossom[i]] == 0:
                    i, j = j, i
                queue.append(i)
            elif deltatype == 3:
                allowedge[deltaedge] = True
                i, j, _ = edges[deltaedge]
                queue.append(i)
            else:
                expand_blossom(deltablossom, False)
        if not augmented:
            break
        # End of stage: expand S-blossoms whose dual reached zero.
        for b in range(nvertex, 2 * nvertex):
            if blossomparent[b] == -1 and blossombase[b] >= 0 and label[b] == 1 and dualvar[b] == 0:
                expand_blossom(b, True)
    return [endpoint[p] if p >= 0 else -1 for p in mate]


# --------------------------------------------------------------------------------------------------
# 1-factorization: split a d-regular graph into d perfect matchings (rounds).
# --------------------------------------------------------------------------------------------------


class _OutOfBudget(Exception):
    pass


def one_factorization(
    n: int, adjacency: Sequence[int], degree: int, *, rng: random.Random, budget: int = FACTOR_BUDGET
) -> list[list[tuple[int, int]]] | None:
    """``degree`` disjoint perfect matchings covering every edge of a ``degree``-regular graph, or None.

    ``adjacency[v]`` is a bit mask of v's neighbours. An exact-cover search (every vertex needs every
    colour once): the (vertex, colour) with the fewest candidate edges is branched on first, the
    candidates tried in an order drawn from ``rng``; vertex 0's edges are coloured up front (colours
    are interchangeable). Exponential in the worst case, so it gives up (None) after ``budget``
    branchings; on the sparse graphs it is used for it needs about one per edge.
    """
    if degree == 0:
        return []
    if n % 2 or any(mask.bit_count() != degree for mask in adjacency):
        return None
    every = (1 << degree) - 1
    missing = [every] * n  # colours not yet at v
    free = list(adjacency)  # neighbours not yet joined to v by a coloured edge
    lacking = [(1 << n) - 1] * degree  # vertices still missing colour c
    chosen: list[tuple[int, int, int]] = []
    steps = 0

    def join(v: int, w: int, c: int) -> None:
        missing[v] ^= 1 << c
        missing[w] ^= 1 << c
        lacking[c] &= ~((1 << v) | (1 << w))
        free[v] &= ~(1 << w)
        free[w] &= ~(1 << v)
        chosen.append((v, w, c))

    def unjoin() -> None:
        v, w, c = chosen.pop()
        missing[v] |= 1 << c
        missing[w] |= 1 << c
        lacking[c] |= (1 << v) | (1 << w)
        free[v] |= 1 << w
        free[w] |= 1 << v

    def search() -> bool:
        nonlocal steps
        best_v = best_c = -1
        best_mask = 0
        best_count = n + 1
        for v in range(n):
            todo = missing[v]
            if not todo:
                continue
            fv = free[v]
            c = 0
            while todo:
                if todo & 1:
                    mask = fv & lacking[c]
                    count = mask.bit_count()
                    if count < best_count:
                        if count == 0:
                            return False
                        best_v, best_c, best_mask, best_count = v, c, mask, count
                todo >>= 1
                c += 1
            if best_count == 1:
                break
        if best_v < 0:
            return True  # every vertex has every colour
        steps += 1
        if steps > budget:
            raise _OutOfBudget
        candidates = [w for w in range(n) if best_mask >> w & 1]
        rng.shuffle(candidates)
        for w in candidates:
            join(best_v, w, best_c)
            if search():
                return True
            unjoin()
        return False

    first = [w for w in range(n) if adjacency[0] >> w & 1]
    rng.shuffle(first)
    for c, w in enumerate(first):
        join(0, w, c)
    try:
        found = search()
    except _OutOfBudget:
        return None
    if not found:
        return None
    rounds: list[list[tuple[int, int]]] = [[] for _ in range(degree)]
    for v, w, c in chosen:
        rounds[c].append((v, w) if v < w else (w, v))
    return rounds


# --------------------------------------------------------------------------------------------------
# The planner.
# --------------------------------------------------------------------------------------------------


def _tz_overlap_minutes(a: int, b: int) -> int:
    """Shared working minutes of two people whose days run 09:00-17:00 local (offsets in minutes)."""
    d = abs(a - b) % _DAY
    d = min(d, _DAY - d)
    return WORKDAY_MINUTES - d if d < WORKDAY_MINUTES else 0


def _group_overlap_minutes(offsets: Sequence[int]) -> int:
    """Shared working minutes of a group: the day minus the shortest arc holding every offset."""
    if len(offsets) == 2:
        return _tz_overlap_minutes(offsets[0], offsets[1])
    points = sorted(o % _DAY for o in offsets)
    widest_gap = max([b - a for a, b in pairwise(points)] + [points[0] + _DAY - points[-1]])
    spread = _DAY - widest_gap
    return WORKDAY_MINUTES - spread if spread < WORKDAY_MINUTES else 0


class _Pool:
    """The sorted pool as flat lists indexed by position, plus what every pair check needs."""

    __slots__ = (
        "avoid",
        "first",
        "floor",
        "hid",
        "ids",
        "last",
        "level",
        "n",
        "prefer_team",
        "prefer_tz",
        "rounds",
        "score",
        "team",
        "top",
        "tz",
        "window",
    )

    def __init__(
        self,
        people: Sequence[Participant],
        history: PairHistory,
        policy: PairingPolicy,
        avoid: Collection[tuple[str, str]],
    ) -> None:
        self.n = len(people)
        self.ids = [p.user_id for p in people]
        index = history.index
        self.hid = [index.get(u, -1) for u in self.ids]
        teams: dict[str, int] = {}
        self.team = [-1 if p.team is None else teams.setdefault(p.team, len(teams)) for p in people]
        self.level = [p.level or 0 for p in people]
        self.tz = [p.utc_offset_minutes for p in people]
        self.first = [p.first_in_line for p in people]
        self.last = history.last_met
        self.rounds = history.rounds
        # A pair "met within the window" when the last round they met is numbered floor or later.
        self.window = policy.repeat_window
        self.prefer_tz = policy.prefer_tz_overlap
        self.prefer_team = policy.prefer_cross_team
        self.floor = max(1, history.rounds - policy.repeat_window + 1)
        self.avoid: set[int] = set()
        position = {u: i for i, u in enumerate(self.ids)} if avoid else {}
        for a, b in avoid:
            ia, ib = position.get(a), position.get(b)
            if ia is not None and ib is not None and ia != ib:
                self.avoid.add(_pair_key(ia, ib))
        self.score, self.top = _scorer(self.team, self.level, self.tz, policy)

    def met(self, p: int, q: int) -> int:
        """The number of the last round p and q met in, 0 if never."""
        hp, hq = self.hid[p], self.hid[q]
        if hp < 0 or hq < 0:
            return 0
        return self.last.get(_pair_key(hp, hq), 0)

    def allowed(self, p: int, q: int) -> bool:
        return not self.avoid or _pair_key(p, q) not in self.avoid


def _scorer(
    team: list[int], level: list[int], tz: list[int | None], policy: PairingPolicy
) -> tuple[Callable[[int, int], int], int]:
    """The soft-preference score of a pair (higher is better) and its maximum."""
    cross, mix, overlap = policy.prefer_cross_team, policy.mix_levels, policy.prefer_tz_overlap

    def score(p: int, q: int) -> int:
        s = 0
        if cross:
            a, b = team[p], team[q]
            if a < 0 or b < 0:
                s += _TEAM_UNKNOWN
            elif a != b:
                s += _CROSS_TEAM
        if mix:
            a, b = level[p], level[q]
            if a and b and a != b:
                s += _MIXED_LEVEL
        if overlap:
            x, y = tz[p], tz[q]
            if x is None or y is None:
                s += _TZ_UNKNOWN_POINTS
            elif x == y:
                s += _TZ_FULL_POINTS
            else:
                d = abs(x - y) % _DAY
                d = min(d, _DAY - d)
                if d < WORKDAY_MINUTES:
                    s += _TZ_POINTS_PER_HOUR * min(_TZ_ENOUGH_HOURS, (WORKDAY_MINUTES - d) // 60)
        return s

    top = _CROSS_TEAM * cross + _MIXED_LEVEL * mix + _TZ_FULL_POINTS * overlap
    return score, top


def plan_groups(
    pool: Sequence[Participant],
    history: PairHistory,
    *,
    rng: random.Random,
    policy: PairingPolicy = PairingPolicy(),
    avoid: Collection[tuple[str, str]] = (),
) -> Plan:
    """Split ``pool`` into coffee groups for one round.

    Guarantees:

    * **Coverage**: every member of the pool appears exactly once, in a group or in ``left_out``.
      Groups have two members; an odd number of placed people makes exactly one trio.
    * **Avoid wishes are never broken**: no group holds a pair listed in ``avoid`` (either order).
      Someone is left out only when those wishes leave no way to place them (a pool of one, or
      everyone left avoids them); never silently: they are in ``left_out``.
    * **Repeats only when unavoidable**: no two people who met within ``policy.repeat_window``
      rounds share a group if some plan avoids it. When none does, the rule is relaxed step by step:
      pairs that met longest ago are allowed first, and a pair that met more recently only when
      even that is not enough. Such pairs are listed in ``repeats``. For pools of up to
      :data:`EXACT_LIMIT` people this is exact for the pairs (and the most people placed); the trio
      of an odd pool is then placed by a local search (join a pair, or trade places with a pair
      member). Larger pools are paired greedily and exactly at the end, which in practice gives
      zero repeats whenever the history leaves each person a choice of partners.
    * **First in line**: people marked ``first_in_line`` are placed first. Exact (pools up to
      EXACT_LIMIT): the plan leaves out as few of them as any plan can (the matching maximises how
      many of them it covers before anything else; among single people, they join the trio first).
      Greedy: before the passes, each (up to FIRST_SCAN of them) takes the best allowed partner of
      the whole pool, and any still waiting lead the exact tail.
    * **Soft preferences**, after repeats: different known teams, different levels (``mix_levels``),
      shared working hours (``prefer_tz_overlap``); ties are broken with ``rng``. With a window that
      spans (nearly) a whole cycle of n - 1 rounds, they only tilt a random draw once everyone has
      met a quarter of the pool, to keep the cycle completable (see ``_cycle_mode``).
    * **Deterministic**: the same ``rng`` state, pool (in any order; it is sorted by user id first),
      history, policy and avoid list give the same plan. The proposer of each group is drawn with
      ``rng``. Raises ValueError for a user id that appears twice or a negative repeat window.

    Method and cost, with n = len(pool); the switch is at n = :data:`EXACT_LIMIT` (100), where the
    exact method's O(n^3) reaches about 0.2 s in pure Python:

    * n <= EXACT_LIMIT, exact. If the pairs not met within the window form a regular graph of degree
      at most :data:`FACTOR_MAX_DEGREE` (a stable even pool late in its cycle), the round is one of
      a 1-factorization of that graph found by a bounded search, so the coming rounds stay
      repeat-free too (a stable pool of 50 goes all 49 rounds). Otherwise a maximum-cardinality,
      maximum-weight matching (blossom algorithm: about 20 ms at n = 50, 0.15-0.2 s at n = 100),
      first on the fresh pairs only, then, if that leaves someone out, on all allowed pairs with
      weights in which one more recent repeat outweighs any number of older ones. The single person
      of an odd pool joins the pair that suits them best, or takes the place of a pair member who
      joins another pair. O(n^2) memory.
    * n > EXACT_LIMIT, greedy: O(n log n) for the sort by UTC offset, O(n * LOOK_AHEAD) for the
      passes, the exact method on about 60 people at the end. Repeats are avoided whenever someone
      within reach is fresh, which at this size is nearly always (zero in the benchmarks); those
      left waiting are relaxed oldest meeting first. About 0.5 s and 17 MB of peak allocation for
      100,000 people with 12 rounds of history (see benchmarks/README.md).
    """
    if policy.repeat_window < 0:
        raise ValueError("repeat_window must not be negative")
    people = sorted(pool, key=attrgetter("user_id"))
    for a, b in pairwise(people):
        if a.user_id == b.user_id:
            raise ValueError(f"{a.user_id} appears twice in the pool")
    ctx = _Pool(people, history, policy, avoid)
    if ctx.n <= EXACT_LIMIT:
        groups, left = _plan_exact(ctx, list(range(ctx.n)), rng)
        return _finish(ctx, groups, left, rng, exact=True)
    groups, left = _plan_greedy(ctx, rng)
    return _finish(ctx, groups, left, rng, exact=False)


# ----- exact ----------------------------------------------------------------------------------------


def _plan_exact(
    ctx: _Pool, members: list[int], rng: random.Random, *, trio: bool = True
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Groups (tuples of pool positions) and the people left over, for at most EXACT_LIMIT people.

    With ``trio`` False nobody is added to a pair: whoever the matching leaves single is returned
    as left over (the caller places them later).
    """
    n = len(members)
    if n < 2:
        return [], list(members)
    floor = ctx.floor
    # Every allowed pair as (i, j, last round met, preference score), in local indices.
    candidates = []
    for i in range(n):
        p = members[i]
        for j in range(i + 1, n):
            q = members[j]
            if ctx.allowed(p, q):
                candidates.append((i, j, ctx.met(p, q), ctx.score(p, q)))
    fresh = [(i, j, s) for i, j, t, s in candidates if t < floor]

    degree = [0] * n  # fresh partners each person has left
    for i, j, _ in fresh:
        degree[i] += 1
        degree[j] += 1
    pairs = _factor_round(n, fresh, rng) if n % 2 == 0 else None
    if pairs is None:
        unit = _JITTER * (n // 2 + 1)  # the jitter of a whole matching stays below one point
        edges = _first_in_line(ctx, members, _fresh_edges(ctx, n, fresh, degree, unit, rng))
        mate = max_weight_matching(n, edges, max_cardinality=True)
        if sum(1 for v in mate if v >= 0) < n - n % 2:
            edges = _first_in_line(ctx, members, _tiered_edges(n, candidates, ctx, unit, rng))
            mate = max_weight_matching(n, edges, max_cardinality=True)
        pairs = [(i, mate[i]) for i in range(n) if i < mate[i]]
    paired = {i for pair in pairs for i in pair}
    groups: list[tuple[int, ...]] = [(members[i], members[j]) for i, j in pairs]
    single = [members[i] for i in range(n) if i not in paired]
    if trio and single:
        single = _add_one(ctx, groups, single, dict(zip(members, degree, strict=True)))
    return groups, single


def _first_in_line(
    ctx: _Pool, members: list[int], edges: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Edges of first-in-line people outweigh every other consideration, per such person covered.

    A maximum-cardinality matching of the highest weight then covers as many of them as any matching
    can (augmenting a matching keeps whoever it covers covered, so covering the most of them costs no
    cardinality). Unchanged when nobody is first in line."""
    first = [ctx.first[p] for p in members]
    if not edges or not any(first):
        return edges
    bonus = (max(w for _, _, w in edges) + 1) * (len(members) // 2 + 1)
    return [(i, j, w + bonus * (first[i] + first[j])) for i, j, w in edges]


def _fresh_edges(
    ctx: _Pool, n: int, fresh: list[tuple[int, int, int]], degree: list[int], unit: int, rng: random.Random
) -> list[tuple[int, int, int]]:
    """Weights for the pairs that have not met: preferences, then a random tie-break.

    In cycle mode (:func:`_cycle_mode`) the random part dominates instead. In an odd pool, above
    both: leave single (for the trio) the person with the most fresh partners left, so that the
    extra partners a trio uses up fall on those who have most to spare.
    """
    if _cycle_mode(ctx, n, degree):
        per_pair = [rng.randrange(_JITTER) * (ctx.top + 1) + s * _CYCLE_BIAS for _, _, s in fresh]
        span = (_JITTER + _CYCLE_BIAS) * (ctx.top + 1)
    else:
        per_pair = [s * unit + rng.randrange(_JITTER) for _, _, s in fresh]
        span = (ctx.top + 1) * unit
    if n % 2 == 0:
        return [(i, j, w) for (i, j, _), w in zip(fresh, per_pair, strict=True)]
    most = max(degree)
    balance = span * (n // 2 + 1)  # above the preferences of a whole matching
    return [
        (i, j, w + (2 * most - degree[i] - degree[j]) * balance)
        for (i, j, _), w in zip(fresh, per_pair, strict=True)
    ]


def _cycle_mode(ctx: _Pool, n: int, degree: list[int]) -> bool:
    """Whether preferences should only tilt a random draw, to keep a long cycle completable.

    When the window (nearly) spans a whole cycle of n - 1 rounds, everyone meets nearly everyone once
    per window whatever the order: preferences only reorder the cycle. Followed greedily to the end
    they use up the preferred pairs first and strand odd-sized teams (two teams of 25: a forced
    repeat after 25 rounds instead of 49). So once everyone has met a quarter of the pool (the
    fewest fresh partners <= 3/4 of n - 1), the weights are mostly random, which keeps the fresh
    pairs unstructured until the 1-factorization takes over. Before that, and with short windows,
    preferences rule.
    """
    if ctx.window + FACTOR_MAX_DEGREE < n - 1:
        return False
    return min(degree) * _CYCLE_DEGREE_SHARE[1] <= (n - 1) * _CYCLE_DEGREE_SHARE[0]


def _tiered_edges(
    n: int, candidates: list[tuple[int, int, int, int]], ctx: _Pool, unit: int, rng: random.Random
) -> list[tuple[int, int, int]]:
    """Weights where avoiding one more recent repeat beats any number of older ones, then preferences.

    A pair last met in round t >= floor costs base ** (t - floor + 1), base above the number of pairs
    in a matching; those costs sit above the whole range of preference points and jitter.
    """
    pairs_max = n // 2 + 1
    base = pairs_max + 1
    points = (ctx.top + 1) * unit * pairs_max
    top = base ** (ctx.rounds - ctx.floor + 2)
    edges = []
    for i, j, t, s in candidates:
        cost = base ** (t - ctx.floor + 1) if t >= ctx.floor else 0
        edges.append((i, j, (top - cost) * points + s * unit + rng.randrange(_JITTER)))
    return edges


def _factor_round(
    n: int, fresh: list[tuple[int, int, int]], rng: random.Random
) -> list[tuple[int, int]] | None:
    """One round of a 1-factorization of the fresh pairs, best by preference; None if not applicable."""
    adjacency = [0] * n
    for i, j, _ in fresh:
        adjacency[i] |= 1 << j
        adjacency[j] |= 1 << i
    degree = adjacency[0].bit_count()
    if not 0 < degree <= FACTOR_MAX_DEGREE or degree >= n - 1 or n * degree > 1200:
        return None
    if any(mask.bit_count() != degree for mask in adjacency):
        return None
    rounds = one_factorization(n, adjacency, degree, rng=rng)
    if rounds is None:
        return None
    score = {(i, j): s for i, j, s in fresh}
    return max(rounds, key=lambda matching: sum(score[pair] for pair in matching))


def _repeat_cost(ctx: _Pool, p: int, q: int) -> int:
    """0 for a fresh pair; else 8 ** k for the k-th oldest round in the window: one more recent
    repeat outweighs the up to four pairs a trio placement changes."""
    t = ctx.met(p, q)
    return 8 ** (t - ctx.floor + 1) if t >= ctx.floor else 0


def _add_one(
    ctx: _Pool, groups: list[tuple[int, ...]], single: list[int], fresh_degree: dict[int, int]
) -> list[int]:
    """Make one trio for one of the ``single`` people if their avoid wishes allow; the rest stay single.

    Candidates: a single person joins a pair, or takes the place of a pair member who joins another
    pair instead. Best is fewest and oldest repeats, then the trio whose members have the most fresh
    partners to spare, then preferences. O(len(single) * pairs^2); trades are tried for the first
    three single people only, unless no direct placement is allowed at all.
    """
    if any(len(g) == 3 for g in groups):
        return single
    repeat, score, allowed, degree, first = _repeat_cost, ctx.score, ctx.allowed, fresh_degree.get, ctx.first
    # (not first in line, repeat cost, -trio fresh degree, -preference points)
    best: tuple[bool, int, int, int] | None = None
    move = (-1, -1, -1, -1)  # (single person, their group, who leaves it or -1, the leaver's group)
    for u in single:
        for g, (a, b) in enumerate(groups):
            if allowed(u, a) and allowed(u, b):
                key = (
                    not first[u],
                    repeat(ctx, u, a) + repeat(ctx, u, b),
                    -(degree(u, 0) + degree(a, 0) + degree(b, 0)),
                    -score(u, a) - score(u, b),
                )
                if best is None or key < best:
                    best, move = key, (u, g, -1, -1)
    single = sorted(single, key=lambda x: not first[x])  # (stable) the first in line are tried first
    for u in single if best is None else single[:3]:
        for g, (a, b) in enumerate(groups):
            for stay, leave in ((a, b), (b, a)):
                if not allowed(u, stay):
                    continue
                swap_repeat = repeat(ctx, u, stay) - repeat(ctx, a, b)
                swap_score = score(u, stay) - score(a, b)
                for h, (c, d) in enumerate(groups):
                    if h != g and allowed(leave, c) and allowed(leave, d):
                        key = (
                            not first[u],
                            swap_repeat + repeat(ctx, leave, c) + repeat(ctx, leave, d),
                            -(degree(leave, 0) + degree(c, 0) + degree(d, 0)),
                            -swap_score - score(leave, c) - score(leave, d),
                        )
                        if best is None or key < best:
                            best, move = key, (u, g, leave, h)
    if best is None:
        return single
    u, g, leave, h = move
    if leave < 0:
        groups[g] = (*groups[g], u)
    else:
        stay = groups[g][0] if groups[g][1] == leave else groups[g][1]
        groups[g] = (u, stay)
        groups[h] = (*groups[h], leave)
    return [x for x in single if x != u]


# ----- greedy ---------------------------------------------------------------------------------------


def _window_pass(
    ctx: _Pool, order: list[int], width: int, floor: int, *, other_team: bool = False
) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair people in ``order``: the first waiting takes the best allowed partner among the next width-1.

    A partner is allowed when not avoided, not met in round ``floor`` or later and, with
    ``other_team``, not of the same known team. Who finds none is returned as waiting, with whoever
    is still in the window at the end. O(len(order) * width).
    """
    hid, get, avoid, score, top, team = ctx.hid, ctx.last.get, ctx.avoid, ctx.score, ctx.top, ctx.team
    pairs: list[tuple[int, int]] = []
    waiting: list[int] = []
    window: list[int] = []
    for x in order:
        window.append(x)
        if len(window) < width:
            continue
        p = window.pop(0)
        hp = hid[p]
        best = -1
        best_score = -1
        for j, q in enumerate(window):
            hq = hid[q]
            # People absent from the history have hid -1: their keys are negative and never found.
            if get((hp << 32) | hq if hp < hq else (hq << 32) | hp, 0) >= floor:
                continue
            if avoid and ((p << 32) | q if p < q else (q << 32) | p) in avoid:
                continue
            if other_team and team[p] == team[q] >= 0:
                continue
            s = score(p, q)
            if s > best_score:
                best, best_score = j, s
                if s >= top:
                    break
        if best < 0:
            waiting.append(p)
        else:
            pairs.append((p, window.pop(best)))
    waiting.extend(window)
    return pairs, waiting


def _greedy_order(ctx: _Pool, people: list[int], band_minutes: int, rng: random.Random) -> list[int]:
    """``people`` by time-zone band (UTC offset // band_minutes), at random within a band. O(n log n).

    (Spreading each team evenly through its band was tried: no better once pass 1 sends same-team
    leftovers to pass 2, and a third of the planner's time at 100,000 people.)
    """
    order = list(people)
    rng.shuffle(order)
    if ctx.prefer_tz:
        band = [_TZ_UNKNOWN if offset is None else offset // band_minutes for offset in ctx.tz]
        order.sort(key=band.__getitem__)  # stable: random within a band
    return order


def _first_in_line_pairs(ctx: _Pool) -> tuple[list[tuple[int, int]], set[int]]:
    """Before the greedy passes, each first-in-line person (the first FIRST_SCAN of them) takes the best
    partner of the whole pool: allowed, fresh before met longest ago, then by preference. O(k * n)."""
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for p in [x for x in range(ctx.n) if ctx.first[x]][:FIRST_SCAN]:
        if p in taken:
            continue
        best, best_key = -1, (0, 0)
        for q in range(ctx.n):
            if q == p or q in taken or not ctx.allowed(p, q):
                continue
            key = (_repeat_cost(ctx, p, q), -ctx.score(p, q))
            if best < 0 or key < best_key:
                best, best_key = q, key
        if best >= 0:
            pairs.append((p, best))
            taken.update((p, best))
    return pairs, taken


def _plan_greedy(ctx: _Pool, rng: random.Random) -> tuple[list[tuple[int, ...]], list[int]]:
    """Those first in line pick a partner first; pass 1 by exact UTC offset, never two of the same
    known team; pass 2 for who is left (mostly the surplus of a team that dominates its offset) in
    TZ_BAND-wide bands; then the exact tail."""
    first_pairs, taken = _first_in_line_pairs(ctx) if any(ctx.first) else ([], set())
    order = _greedy_order(ctx, [p for p in range(ctx.n) if p not in taken], 1, rng)
    pairs, waiting = _window_pass(ctx, order, LOOK_AHEAD, ctx.floor, other_team=ctx.prefer_team)
    pairs = first_pairs + pairs
    if ctx.prefer_team and waiting:
        more, waiting = _window_pass(ctx, _greedy_order(ctx, waiting, TZ_BAND, rng), LOOK_AHEAD, ctx.floor)
        pairs.extend(more)
    # Many people found no partner (a dense history or long avoid lists): look wider, then relax
    # the repeat window one round at a time, oldest meetings first.
    floor = ctx.floor
    width = 8 * LOOK_AHEAD
    while len(waiting) > EXACT_LIMIT // 2 and floor <= ctx.rounds + 1:
        more, waiting = _window_pass(ctx, waiting, width, floor)
        pairs.extend(more)
        if len(waiting) > EXACT_LIMIT // 2:
            floor += 1
    groups: list[tuple[int, ...]] = list(pairs[:-REOPEN_PAIRS])
    tail = waiting + [x for pair in pairs[-REOPEN_PAIRS:] for x in pair]
    tail.sort(key=lambda p: not ctx.first[p])  # (stable) whoever is first in line leads the exact tail
    done, left = _exact_in_chunks(ctx, tail, rng)
    room = (EXACT_LIMIT - len(left) - 3) // 2
    if left and room > 0 and groups:
        # Someone could not be placed among the tail: reopen random pairs from anywhere and retry.
        picked = sorted(rng.sample(range(len(groups)), min(room, len(groups))), reverse=True)
        reopened = [x for g in picked for x in groups.pop(g)]
        trio = [g for g in done if len(g) == 3]
        done = [g for g in done if len(g) != 3]
        more, left = _plan_exact(ctx, left + reopened + [x for g in trio for x in g], rng)
        done.extend(more)
    groups.extend(done)
    return groups, left


def _exact_in_chunks(
    ctx: _Pool, people: list[int], rng: random.Random
) -> tuple[list[tuple[int, ...]], list[int]]:
    """The exact method on at most EXACT_LIMIT people at a time; who is left carries to the next chunk.

    Usually one chunk. Each chunk takes at least EXACT_LIMIT / 2 new people, so the cost stays
    O(len(people) * EXACT_LIMIT^2); more than EXACT_LIMIT / 2 carried people (avoid wishes that
    exclude nearly everyone they could meet) are left over rather than carried on.
    """
    groups: list[tuple[int, ...]] = []
    carry: list[int] = []
    overflow: list[int] = []
    start = 0
    while True:
        take = EXACT_LIMIT - len(carry)
        chunk = carry + people[start : start + take]
        start += take
        last = start >= len(people)
        more, carry = _plan_exact(ctx, chunk, rng, trio=last)
        groups.extend(more)
        if last:
            return groups, carry + overflow
        overflow.extend(carry[EXACT_LIMIT // 2 :])
        del carry[EXACT_LIMIT // 2 :]


# ----- result ---------------------------------------------------------------------------------------


def _finish(
    ctx: _Pool, groups: list[tuple[int, ...]], left: list[int], rng: random.Random, *, exact: bool
) -> Plan:
    """The plan in user ids, proposers drawn with ``rng``, repeats and shares counted. O(n)."""
    ids, team, level, tz, hid, floor = ctx.ids, ctx.team, ctx.level, ctx.tz, ctx.hid, ctx.floor
    get = ctx.last.get
    out = []
    repeats = []
    cross = mixed = timed = overlap = 0
    coin = rng.getrandbits
    for g in groups:
        if len(g) == 2:  # the fast path for nearly every group
            a, b = g if g[0] < g[1] else (g[1], g[0])  # positions follow user ids: members sorted by id
            ia, ib = ids[a], ids[b]
            out.append(Group((ia, ib), ib if coin(1) else ia))
            ha, hb = hid[a], hid[b]
            if ha >= 0 and hb >= 0 and get((ha << 32) | hb if ha < hb else (hb << 32) | ha, 0) >= floor:
                repeats.append((ia, ib))
            ta, tb = team[a], team[b]
            cross += ta >= 0 and tb >= 0 and ta != tb
            la, lb = level[a], level[b]
            mixed += la > 0 and lb > 0 and la != lb
            oa, ob = tz[a], tz[b]
            if oa is not None and ob is not None:
                timed += 1
                overlap += _tz_overlap_minutes(oa, ob)
            continue
        g = tuple(sorted(g))
        members = tuple(ids[p] for p in g)
        out.append(Group(members, rng.choice(members)))
        for x, p in enumerate(g):
            for q in g[x + 1 :]:
                if ctx.met(p, q) >= floor:
                    repeats.append((ids[p], ids[q]))
        cross += len({team[p] for p in g} - {-1}) > 1
        mixed += len({level[p] for p in g} - {0}) > 1
        offsets = [tz[p] for p in g]
        if None not in offsets:
            timed += 1
            overlap += _group_overlap_minutes(offsets)  # type: ignore[arg-type]
    count = len(out)
    return Plan(
        groups=tuple(out),
        repeats=tuple(repeats),
        left_out=tuple(sorted(ids[p] for p in left)),
        cross_team_share=cross / count if count else 0.0,
        level_mix_share=mixed / count if count else 0.0,
        mean_tz_overlap_hours=overlap / timed / 60 if timed else 0.0,
        exact=exact,
    )


def is_valid_plan(plan: Plan, pool: Sequence[Participant], avoid: Collection[tuple[str, str]] = ()) -> bool:
    """Whether ``plan`` is a well-formed plan for ``pool`` that honours ``avoid``.

    Every pool member exactly once (in a group or left out) and nobody else; groups of two or three
    with the proposer a member; one trio exactly when the number of placed people is odd; no avoided
    pair (either order) in a group. O(n + len(avoid)).
    """
    expected = [p.user_id for p in pool]
    seen = [m for g in plan.groups for m in g.members] + list(plan.left_out)
    if len(seen) != len(expected) or set(seen) != set(expected) or len(set(seen)) != len(seen):
        return False
    trios = 0
    group_of: dict[str, int] = {}
    for number, g in enumerate(plan.groups):
        if len(g.members) not in (2, 3) or g.proposer not in g.members:
            return False
        trios += len(g.members) == 3
        for m in g.members:
            group_of[m] = number
    placed = len(seen) - len(plan.left_out)
    if trios != placed % 2:
        return False
    for a, b in avoid:
        ga = group_of.get(a)
        if a != b and ga is not None and ga == group_of.get(b):
            return False
    return True
