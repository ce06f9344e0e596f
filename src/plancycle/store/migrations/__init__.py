"""The store's Alembic migrations, shipped in the package and run from code
(:mod:`plancycle.store.schema`): ``env.py`` takes the connection it is given, ``versions/`` holds
one module per revision. No ``alembic.ini`` is needed.

To add a revision: copy the newest module in ``versions/``, set ``revision`` to the next number
and ``down_revision`` to the one before, write ``upgrade``, update
:mod:`plancycle.store.tables` to match, and add a database at the previous revision with data to
``tests/test_store_migrations.py``.
"""
