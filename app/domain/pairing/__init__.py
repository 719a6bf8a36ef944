"""Coffee roulette: split a pool of people into pairs (and one trio for an odd count).

Pure: the standard library, and rustworkx for the matching (:mod:`app.domain.graphs`); randomness
comes from the ``rng`` passed in, history from a :class:`PairHistory` built once from the stored
rounds. The contract is :func:`plan_groups`'s.

Two methods, switched at :data:`EXACT_LIMIT` people (the cost of the exact one, see there):

* **Exact** (small pools): a maximum-cardinality, maximum-weight matching (Edmonds' blossom
  algorithm, :func:`~app.domain.graphs.max_weight_matching`) on the graph of allowed pairs,
  weighted so that fewer and older repeats always win over any soft preference. A pool whose "not
  met yet" pairs form a regular graph of low degree (a stable, even pool late in its cycle) first
  gets a whole 1-factorization of that graph (:func:`~app.domain.graphs.one_factorization`), of
  which this round is one round, so the rounds after it stay repeat-free too: a stable pool of 50
  gets all 49 possible rounds before anyone meets twice. When the repeat window spans (nearly) a
  whole cycle, preferences turn into a tilt on a random draw once a quarter of the pool has been
  met (see ``exact._cycle_mode``), and an odd pool's trio goes to whoever has the most fresh
  partners to spare: a fresh triangle among them first, the others matched around it
  (``odd_cycle``), so a stable pool of 51 gets 45-46 of at most 47 rounds.
* **Greedy** (larger pools): people ordered by UTC offset (random within one), a linear pass that
  pairs the first person waiting with the best of the next :data:`LOOK_AHEAD` - 1 (never within
  one known team in the first pass), a second pass for the few left in wider time-zone bands, and
  the exact method on what remains at the end together with the last :data:`REOPEN_PAIRS` pairs.

The package: ``model`` (the values), ``history`` (:class:`PairHistory`), ``scoring`` (the pool
and its preferences), ``exact`` and ``greedy`` (the two methods), ``odd_cycle`` (an odd pool late
in its cycle) and ``planner``
(:func:`plan_groups`). The graph algorithms are in :mod:`app.domain.graphs`.
"""

from app.domain.pairing.exact import EXACT_LIMIT
from app.domain.pairing.history import PairHistory
from app.domain.pairing.model import Group, PairingPolicy, Participant, Plan, is_valid_plan
from app.domain.pairing.planner import plan_groups

__all__ = [
    "EXACT_LIMIT",
    "Group",
    "PairHistory",
    "PairingPolicy",
    "Participant",
    "Plan",
    "is_valid_plan",
    "plan_groups",
]
