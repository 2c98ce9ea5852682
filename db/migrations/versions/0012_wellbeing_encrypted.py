"""wellbeing_answers: the WHO-5 answers and score encrypted at rest with the notes' keys (issue 13)

The five items and the score become one Fernet token in `ciphertext` (JSON {"items": [...], "score": n}, the form
monitor/checkins/wellbeing.py seals and unseals); existing rows are encrypted here with the newest configured key.
The keys come from whoever runs the migration (`monitor migrate` passes the configured ones, see db/migrate.py): a
database that holds answers cannot be migrated without one, and nothing is changed then.

Revision ID: 0012
Revises: 0011
"""

import json

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, MultiFernet

from db.migrate import KEYS_ATTRIBUTE, KeysNeeded

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ITEMS = ("item1", "item2", "item3", "item4", "item5")
answers = sa.table(
    "wellbeing_answers",
    sa.column("id", sa.Integer),
    *(sa.column(name, sa.Integer) for name in ITEMS),
    sa.column("score", sa.Integer),
    sa.column("ciphertext", sa.Text),
)


def _cipher() -> MultiFernet:
    keys = list(context.config.attributes.get(KEYS_ATTRIBUTE) or [])
    if not keys:
        raise KeysNeeded(
            "The database holds WHO-5 answers, which are now stored encrypted with the keys of the counsellor's "
            "notes, and no key is set. Set MONITOR_NOTES_KEYS (make one with `monitor notes-key`) and migrate again."
        )
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("wellbeing_answers") as batch:
        batch.add_column(sa.Column("ciphertext", sa.Text(), nullable=True))
    rows = bind.execute(sa.select(answers.c.id, *(answers.c[name] for name in ITEMS), answers.c.score)).all()
    if rows:
        cipher = _cipher()
        for row_id, *items, score in rows:
            token = cipher.encrypt(json.dumps({"items": items, "score": score}).encode("utf-8")).decode("ascii")
            bind.execute(sa.update(answers).where(answers.c.id == row_id).values(ciphertext=token))
    with op.batch_alter_table("wellbeing_answers") as batch:
        batch.drop_constraint(op.f("ck_wellbeing_answers_score_range"), type_="check")
        for name in (*ITEMS, "score"):
            batch.drop_column(name)
        batch.alter_column("ciphertext", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("wellbeing_answers") as batch:
        for name in (*ITEMS, "score"):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
    rows = bind.execute(sa.select(answers.c.id, answers.c.ciphertext)).all()
    if rows:
        cipher = _cipher()
        for row_id, token in rows:
            data = json.loads(cipher.decrypt(token.encode("ascii")).decode("utf-8"))
            values = dict(zip(ITEMS, data["items"], strict=True), score=data["score"])
            bind.execute(sa.update(answers).where(answers.c.id == row_id).values(**values))
    with op.batch_alter_table("wellbeing_answers") as batch:
        for name in (*ITEMS, "score"):
            batch.alter_column(name, existing_type=sa.Integer(), nullable=False)
        batch.drop_column("ciphertext")
        batch.create_check_constraint(op.f("ck_wellbeing_answers_score_range"), "score BETWEEN 0 AND 100")
