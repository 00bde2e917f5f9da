"""Files the clearinghouse channel holds for us (999, 277CA, 835): each is
fetched, received once through inbound_receive and only then acknowledged,
so a crash between the two makes the next run find the file again, where
its copy is recognised as already received and simply acknowledged."""

import logging

from django.core.exceptions import ValidationError

from billing import clearinghouse
from billing.models import InboundFile
from billing.services.inbound import inbound_receive

logger = logging.getLogger(__name__)


def channel_responses_receive() -> dict:
    """Receive every waiting response; {"received": n, "duplicates": n}.
    Raises clearinghouse.ChannelError when the channel cannot be reached
    (the task retries); does nothing while the channel is off."""
    counts = {"received": 0, "duplicates": 0}
    if not clearinghouse.enabled():
        return counts
    for ident, name, text in clearinghouse.fetch_responses():
        try:
            inbound_receive(name=name, content=text, via=InboundFile.Via.CHANNEL)
        except ValidationError as error:
            if error.code != "duplicate":
                raise
            counts["duplicates"] += 1
        else:
            counts["received"] += 1
        clearinghouse.acknowledge(ident)
    # Counts only: file names may carry a client's claim number.
    logger.info("clearinghouse responses: %s", counts)
    return counts
