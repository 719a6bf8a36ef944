"""General graph algorithms: a maximum-weight matching and a 1-factorization. No domain words.

Pure: standard library only; randomness comes from the ``rng`` passed in.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

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
    n: int, adjacency: Sequence[int], degree: int, *, rng: random.Random, budget: int = 4_000
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
