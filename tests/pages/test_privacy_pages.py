"""The privacy panels: a coproducer downloads their data from My account; an administrator removes someone."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from db.engine import reading
from db.models import AuditEvent, Person, Role
from tests.pages.conftest import World, by_label, texts


def test_a_coproducer_prepares_and_downloads_their_data(world: World) -> None:
    person_id = world.person_in(Role.COPRODUCER)
    world.sign_in(person_id)
    at = world.app().run()
    at.switch_page("pages/account.py").run()
    assert "My data" in texts(at.header)
    assert not [b for b in at.get("download_button")]

    by_label(at.button, "Prepare my data").click()
    at.run()

    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 1
    content = at.session_state["my-data-zip"]
    data = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("my-data.json"))
    assert data["profile"][0]["username"] == "fatima"
    with reading(world.engine) as session:
        logged = session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "privacy.export")).all()
    assert logged == [person_id]


def test_an_administrator_removes_someone_after_confirming(world: World) -> None:
    world.sign_in(world.person_in(Role.ADMIN))
    fatima = world.person_in(Role.COPRODUCER)
    at = world.app().run()
    at.switch_page("pages/admin.py").run()
    at.selectbox(key="chosen").set_value(fatima).run()

    assert "Remove Fatima Bakkali" in texts(at.subheader)
    assert any("anonymous counts" in text for text in texts(at.markdown))
    button = by_label(at.button, "Remove person")
    assert button.disabled
    by_label(at.checkbox, "Yes, remove Fatima Bakkali. This cannot be undone.").check().run()
    by_label(at.button, "Remove person").click().run()

    assert not at.exception, at.exception
    with reading(world.engine) as session:
        assert session.get(Person, fatima) is None
    assert at.selectbox(key="chosen").value is None
