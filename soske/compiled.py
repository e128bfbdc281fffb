"""Queries whose SQL is compiled once per process, then run with new ids (issue 13).

Django builds and compiles a query's SQL every time it runs: for the small queries of a
page (a cohort's criteria, an application's interviews) that is half of the query's cost,
0.6 ms of 1.2 ms on the bench machine, and a page runs five or six of them. A `Compiled`
query is planned once per database: its builder is called with marker ids, Django compiles
that, and the markers' places among the parameters are remembered. Each call then builds
the QuerySet with the real ids (cheap: no SQL yet), hands Django's own iterable a compiler
that already holds the SQL and the select list, and returns Django's objects: related
objects of select_related, annotations and prefetches come out as from the ORM.

The query's shape (tables, joins, conditions, order, limit) must not depend on the ids,
only the values; ids are integers that reach the SQL unchanged (primary and foreign keys),
each once or more.
The test suite sets `Compiled.check`, so that every call there also compiles the real query
and refuses a plan that differs from it.
"""

from django.db import connections

_MARKER = 1_987_654_320  # no row has this id; markers are _MARKER + 1, + 2, …


class PlanError(Exception):
    """The query's SQL differs from the plan: its shape depends on its ids."""


class _Plan:
    __slots__ = ("sql", "params", "places", "select", "klass_info", "annotations", "columns",
                 "extra_select")  # fmt: skip

    def __init__(self, compiler, sql, params, places):
        self.sql, self.params, self.places = sql, tuple(params), places
        self.select, self.klass_info = compiler.select, compiler.klass_info
        self.annotations, self.columns = compiler.annotation_col_map, compiler.col_count
        self.extra_select = compiler.has_extra_select

    def values(self, ids):
        params = list(self.params)
        for place, index, kind in self.places:
            params[place] = ids[index] if kind is int else kind(ids[index])
        return tuple(params)


class Compiled:
    """`Compiled(lambda pk: Model.objects.filter(...))`; calling it with ids returns the
    list of what the QuerySet yields."""

    check = False

    def __init__(self, build):
        self.build = build
        self._plans = {}

    def __call__(self, *ids) -> list:
        queryset = self.build(*ids)
        alias = queryset.db
        key = (alias, connections[alias].vendor)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(alias, len(ids))
        params = plan.values(ids)
        if self.check:
            self._compare(queryset, plan, params)
        compiler = queryset.query.get_compiler(using=alias)
        compiler.select, compiler.klass_info = plan.select, plan.klass_info
        compiler.annotation_col_map, compiler.col_count = plan.annotations, plan.columns
        compiler.has_extra_select = plan.extra_select
        compiler.as_sql = lambda *args, **kwargs: (plan.sql, params)
        # Django's iterables ask the query for its compiler; this query is used once, here.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    def first(self, *ids):
        """The first row, or None when there is none (the query's own order and limit
        decide which; the pages ask for one row by id)."""
        found = self(*ids)
        return found[0] if found else None

    def _plan(self, alias, arity) -> _Plan:
        markers = [_MARKER + i for i in range(1, arity + 1)]
        compiler = self.build(*markers).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        places = []
        for index, marker in enumerate(markers):
            # An int, or a subclass of it that says how to send it (psycopg's Int4 for an
            # annotated Value on PostgreSQL): the id is sent the same way.
            found = [
                i
                for i, p in enumerate(params)
                if isinstance(p, int) and not isinstance(p, bool) and p == marker
            ]
            if not found:
                raise PlanError(f"id {index} does not reach the query's parameters")
            places.extend((place, index, type(params[place])) for place in found)
        return _Plan(compiler, sql, params, places)

    @staticmethod
    def _compare(queryset, plan, params):
        compiler = queryset.query.chain().get_compiler(using=queryset.db)
        sql, real = compiler.as_sql()
        if sql != plan.sql or tuple(real) != params:
            raise PlanError(f"compiled {plan.sql!r} {params!r}, the query is {sql!r} {real!r}")


def keep_prefetched(instance, name: str, objects) -> None:
    """Keep `objects` as `instance.<name>.all()`, as prefetch_related_objects does: for a
    reverse foreign key or a many-to-many relation read with a compiled query."""
    manager = getattr(instance, name)
    cache_name = getattr(manager, "prefetch_cache_name", None)  # many-to-many
    if cache_name is None:
        cache_name = manager.field.remote_field.cache_name  # reverse foreign key
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset
