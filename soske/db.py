"""Writing a row once per unique value, in one statement."""

from django.db import IntegrityError, connections, router, transaction

_SQL: dict = {}


def _insert_sql(model, unique: str, connection) -> tuple[str, list]:
    key = (model, unique, connection.vendor)
    if key not in _SQL:
        meta = model._meta
        fields = [
            f
            for f in meta.local_concrete_fields
            if f is not meta.auto_field and not getattr(f, "generated", False)
        ]
        qn = connection.ops.quote_name
        _SQL[key] = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT ({qn(meta.get_field(unique).column)}) DO NOTHING "
            f"RETURNING {qn(meta.pk.column)}",
            fields,
        )
    return _SQL[key]


def _in_one_statement(connection) -> bool:
    """INSERT … ON CONFLICT … RETURNING: PostgreSQL, and SQLite from 3.35 on."""
    return connection.features.can_return_columns_from_insert


def insert_unless_exists(instance, *, unique: str) -> bool:
    """Insert the unsaved `instance` unless a row with the same value of its `unique` field
    exists already. True: written (its pk is set); False: nothing written.

    One `INSERT … ON CONFLICT (unique) DO NOTHING RETURNING id` instead of a savepoint, an
    INSERT and a release (or a rollback to the savepoint after the unique violation): a
    conflict neither raises nor breaks the surrounding transaction. Values are prepared as
    Model.save() prepares them (defaults, auto_now_add); no model signals are sent. A
    database without INSERT … RETURNING (SQLite before 3.35) takes the savepoint path.
    """
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    if not _in_one_statement(connection):
        try:
            with transaction.atomic(using=alias):
                instance.save(using=alias, force_insert=True)
        except IntegrityError:
            if (
                model._default_manager.using(alias)
                .filter(**{unique: getattr(instance, model._meta.get_field(unique).attname)})
                .exists()
            ):
                return False
            raise
        return True
    sql, fields = _insert_sql(model, unique, connection)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = alias
    return True
