"""Each client's episodes are numbered 1, 2, ... by the database, whoever
inserts them: with the record number, the TEDS export's case id."""

import datetime

from iop.clients.models import Episode
from iop.clients.services import client_create, episode_open_for_readmission
from tests.factories import ClientFactory, EpisodeFactory


def test_a_new_clients_first_episode_is_number_one(intake):
    client = client_create(
        actor=intake,
        data={
            "legal_first_name": "Ada",
            "legal_last_name": "Quill",
            "date_of_birth": datetime.date(1980, 5, 1),
            "sex": "female",
        },
    )

    episode = client.episodes.get()
    assert episode.number == 1
    assert episode.case_id == f"{client.mrn}01"


def test_a_readmission_takes_the_next_number_and_it_is_known_without_reloading(intake):
    client = ClientFactory()
    EpisodeFactory(client=client, phase=Episode.Phase.DISCHARGED)

    episode = episode_open_for_readmission(actor=intake, client=client)

    assert episode.number == 2
    assert Episode.objects.get(pk=episode.pk).number == 2


def test_numbers_are_per_client(db):
    first = EpisodeFactory()
    other = EpisodeFactory()

    assert (first.number, other.number) == (1, 1)
    assert first.case_id != other.case_id
