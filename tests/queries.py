"""What a page's own queries read: the tables in order, without the layer every signed-in
request shares (the session, the signed-in user, their groups and second factor), so a
query-count test pins the page's work exactly and stays true when that layer changes."""

SHARED = frozenset({'"django_session"', '"auth_group"', '"mfa_authenticator"'})


def _shared(table: str, sql: str) -> bool:
    # The signed-in user with their roles (UserManager.signed_in, which names its roles
    # column); users read by the page itself come through a join.
    if table == '"users_user"':
        return " JOIN " not in sql or " AS soske_role_name " in sql
    return table in SHARED


def _table(sql: str) -> str | None:
    """The table after the statement's own FROM (not a subquery's in the select list)."""
    depth = 0
    for i, char in enumerate(sql):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and sql.startswith(" FROM ", i):
            return sql[i + 6 :].split()[0]
    return None


def page_tables(queries) -> list[str]:
    read = [(_table(q["sql"]), q["sql"]) for q in queries]
    return [table for table, sql in read if table and not _shared(table, sql)]
