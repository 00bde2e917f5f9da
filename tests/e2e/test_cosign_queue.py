"""A supervisor reads a trainee's note in the co-signature queue, then
co-signs it; a note not read is refused."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from iop.accounts import roles
from iop.clients.models import SessionNote
from tests.dashboard.test_cosign_queue import session_note
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_a_supervisor_reads_then_co_signs_from_the_queue(
    live_server, sign_in, supervisor, transactional_db
):
    trainee = UserFactory(username="trainee", roles=[roles.COUNSELOR], in_training=True)
    read, unread = session_note(trainee), session_note(trainee)
    page = sign_in(supervisor.username)
    page.goto(live_server.url + reverse("dashboard:worklists"))
    page.get_by_role("link", name="Open the co-signature queue").click()
    expect(page.get_by_test_id("cosign-count")).to_have_text("2")

    items = page.get_by_test_id("cosign-item")
    first, second = items.nth(0), items.nth(1)
    first.get_by_role("button", name="Read").click()
    expect(first.get_by_test_id("cosign-text")).to_contain_text("Reports a calm week.")
    expect(first.get_by_text("read", exact=True)).to_be_visible()
    expect(second.get_by_text("not read yet")).to_be_visible()

    # Both ticked: the unread one stops the whole co-signature.
    first.get_by_role("checkbox").check()
    second.get_by_role("checkbox").check()
    page.get_by_role("button", name="Co-sign the ticked notes").click()
    expect(page.get_by_text("Read each note before co-signing it")).to_be_visible()
    assert not SessionNote.objects.filter(cosigned_at__isnull=False).exists()

    page.get_by_test_id("cosign-item").nth(0).get_by_role("checkbox").check()
    page.get_by_role("button", name="Co-sign the ticked notes").click()
    expect(page.get_by_text("1 note co-signed.")).to_be_visible()
    expect(page.get_by_test_id("cosign-count")).to_have_text("1")
    cosigned = SessionNote.objects.get(cosigned_at__isnull=False)
    assert cosigned.cosigned_by == supervisor
    assert (cosigned.pk, unread.cosigned_at) == (read.pk, None)
