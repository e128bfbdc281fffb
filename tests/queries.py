"""What a page's own queries read: the tables in order, without the layer every signed-in
request shares (the session, the user, their groups and second factor), so a query-count
test pins the page's work exactly and stays true when that layer changes."""

SHARED = frozenset({'"django_session"', '"users_user"', '"auth_group"', '"mfa_authenticator"'})


def page_tables(queries) -> list[str]:
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries if " FROM " in q["sql"]]
    return [table for table in tables if table not in SHARED]
